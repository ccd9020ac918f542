// Rng: the generator's own pseudo-random numbers. Generated data must be byte-identical for a
// seed on every machine and library version, which neither std:: nor absl:: distributions
// promise, so the engine (xoshiro256**) and every distribution padan uses are defined here.
#pragma once

#include <cstdint>
#include <span>

namespace padan::gen {

// gcc's 128-bit integer; __extension__ keeps -Wpedantic quiet about the non-ISO type.
__extension__ typedef unsigned __int128 Uint128;

// SplitMix64 step: turns consecutive or structured values (seed, block index, stream id) into
// well-mixed 64-bit words. Pure function.
inline uint64_t Mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Named random streams, so that adding draws to one part of the generator does not shift the
// numbers another part sees for the same block.
enum class RngStream : uint64_t {
  kHouseholds = 1,
  kDuplicates = 2,
  kPrelist = 3,
  kPlanning = 4,
  kCommit = 5,
  kBenchmark = 6,
};

// xoshiro256** (Blackman & Vigna, 2018): fast, 256-bit state, passes BigCrush.
// Value type; not thread-safe: give each thread or block its own.
class Rng {
 public:
  explicit Rng(uint64_t seed) { Seed(seed); }
  // An independent stream for (seed, stream, index), e.g. one per block.
  Rng(uint64_t seed, RngStream stream, uint64_t index) {
    Seed(Mix64(seed ^ Mix64(static_cast<uint64_t>(stream) * 0x100000001B3ULL ^ Mix64(index))));
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n). REQUIRES: n > 0. Lemire's multiply-shift; the bias for the n padan uses
  // (< 2^32) is below 2^-32 and accepted to keep the draw branch-free.
  uint64_t Uniform(uint64_t n) {
    return static_cast<uint64_t>((static_cast<Uint128>(Next()) * n) >> 64);
  }
  // Uniform in [lo, hi]. REQUIRES: lo <= hi.
  int UniformInt(int lo, int hi) {
    return lo + static_cast<int>(Uniform(static_cast<uint64_t>(hi - lo) + 1));
  }
  // Uniform in [0, 1), 53 bits.
  double UniformDouble() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Bernoulli(double p) { return UniformDouble() < p; }
  // Approximately normal (sum of four uniforms, variance matched): enough for ages and gaps,
  // and free of the transcendental functions whose last bits differ between libms.
  double Normal(double mean, double stddev) {
    double sum = UniformDouble() + UniformDouble() + UniformDouble() + UniformDouble();
    // Sum of 4 U(0,1): mean 2, variance 4/12.
    return mean + stddev * (sum - 2.0) * 1.7320508075688772;
  }
  // Index drawn with probability proportional to weights[i]. REQUIRES: some weight > 0.
  // Linear scan: for short fixed tables; use AliasTable for long ones.
  size_t Weighted(std::span<const double> weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = UniformDouble() * total;
    for (size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    for (size_t i = weights.size(); i > 0; --i) {
      if (weights[i - 1] > 0) return i - 1;
    }
    return 0;
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  void Seed(uint64_t seed) {
    uint64_t x = seed;
    for (uint64_t& word : s_) {
      x += 0x9E3779B97F4A7C15ULL;
      word = Mix64(x);
    }
  }

  uint64_t s_[4];
};

}  // namespace padan::gen
