#include "matching/jaro_winkler.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <span>
#include <type_traits>

#include "absl/container/inlined_vector.h"

#include "matching/code_points.h"

namespace padan {
namespace {

// Winkler (1990): the prefix bonus applies only when Jaro exceeds 7/10.
constexpr uint64_t kBoostThresholdNumerator = 7;
constexpr uint64_t kBoostThresholdDenominator = 10;
// The early exits compare an upper bound, computed in floating point along a different path
// than the score itself, against the threshold; this margin keeps a rounding difference in the
// last bit from rejecting a pair whose exact score meets the threshold.
constexpr double kBoundSlack = 1e-12;
// Strings of up to this many code points get the bitmask path, with 32-bit masks up to half.
constexpr size_t kWordBits = 64;
constexpr size_t kHalfWordBits = 32;

// Jaro's window: characters match when at most this far apart.
int MatchWindow(size_t la, size_t lb) {
  return std::max(static_cast<int>(std::max(la, lb) / 2) - 1, 0);
}

// Lengths and counts as doubles. Through int64_t because x86-64 converts signed integers in
// one instruction and unsigned ones in a branchy sequence; no count comes near 2^63.
double ToDouble(size_t n) { return static_cast<double>(static_cast<int64_t>(n)); }

// What Jaro is computed from. Jaro = (m / la + m / lb + (m - t) / m) / 3, which over a common
// denominator is num / den with num = m^2 (la + lb) + (m - t) la lb and den = 3 la lb m.
struct JaroCounts {
  size_t matches = 0;
  size_t transpositions = 0;
  size_t la = 0;
  size_t lb = 0;

  // One division instead of four: a measurable share of comparing two short names. No branch
  // for m = 0: the numerator is then 0 (t <= m / 2), and the denominator is kept off 0.
  double Score() const {
    const double m = ToDouble(matches);
    const double a = ToDouble(la);
    const double b = ToDouble(lb);
    return (m * m * (a + b) + (m - ToDouble(transpositions)) * a * b) /
           (3.0 * a * b * std::max(m, 1.0));
  }

  // Jaro > 7/10. A score of exactly 0.7 occurs (a letter against a ten-letter word holding it:
  // (1/1 + 1/10 + 1) / 3), and rounding must not decide whether it gets the bonus, so scores
  // within rounding distance of 0.7 are decided on the exact fraction. Written so that only
  // that rare case branches: between unrelated names the answer is a coin toss.
  bool AboveBoostThreshold(double score) const {
    constexpr double kThreshold =
        static_cast<double>(kBoostThresholdNumerator) / kBoostThresholdDenominator;
    constexpr double kRoundingMargin = 1e-9;
    if (std::abs(score - kThreshold) <= kRoundingMargin) [[unlikely]] {
      return ExactlyAboveBoostThreshold();
    }
    return score > kThreshold;
  }

  [[gnu::noinline]] bool ExactlyAboveBoostThreshold() const {
    if (matches == 0) return false;
    // Products of three lengths overflow 64 bits past 2^21 characters; __extension__ tells
    // -Wpedantic that the compiler's 128-bit integer is meant.
    __extension__ typedef unsigned __int128 Wide;
    const Wide m = matches;
    const Wide num = m * m * (Wide{la} + lb) + (m - transpositions) * la * lb;
    const Wide den = Wide{3} * la * lb * m;
    return num * kBoostThresholdDenominator > den * kBoostThresholdNumerator;
  }
};

// Jaro-Winkler from the counts and the common prefix length. Whether the bonus applies is a
// coin toss between unrelated names, so it is multiplied in rather than branched on.
inline double Winkler(const JaroCounts& counts, size_t prefix, double prefix_scale) {
  const double jaro = counts.Score();
  const double bonus = ToDouble(prefix) * prefix_scale * (1.0 - jaro);
  return jaro + bonus * static_cast<double>(counts.AboveBoostThreshold(jaro));
}

// True when Jaro-Winkler cannot reach `threshold` if Jaro is at most that of `bound` (counts
// with the most matches still possible and no transpositions). The boosted score is
// non-decreasing in Jaro, so boosting the bound bounds the boosted score.
bool OutOfReach(const JaroCounts& bound, size_t prefix, double prefix_scale, double threshold) {
  return Winkler(bound, prefix, prefix_scale) + kBoundSlack < threshold;
}

template <typename CharT>
size_t CommonPrefix(std::span<const CharT> a, std::span<const CharT> b, size_t max_prefix) {
  const size_t limit = std::min({a.size(), b.size(), max_prefix});
  if constexpr (std::is_same_v<CharT, uint8_t> && std::endian::native == std::endian::little) {
    // Winkler's four characters in one comparison of words, without a data-dependent branch.
    if (limit == sizeof(uint32_t)) {
      uint32_t wa;
      uint32_t wb;
      std::memcpy(&wa, a.data(), sizeof(wa));
      std::memcpy(&wb, b.data(), sizeof(wb));
      const uint32_t differ = wa ^ wb;  // byte 0 is the lowest
      return differ == 0 ? limit : static_cast<size_t>(std::countr_zero(differ)) / 8;
    }
  }
  size_t n = 0;
  while (n < limit && a[n] == b[n]) ++n;
  return n;
}

// What a comparison computes: Jaro or Jaro-Winkler, and whether a threshold may cut it short.
struct Options {
  bool winkler = true;
  bool cutoff = false;  // threshold > 0: the bounds may reject early
  double prefix_scale = kJaroWinklerPrefixScale;
  double threshold = 0.0;
};

// Both strings fit a word: b's matched positions are bits, the character of b that a[i] matches
// is the lowest set bit of (positions of a[i] in b) & (not yet matched) & (window), and
// transpositions pair the k-th matched character of a with the k-th set bit of b's mask.
// `positions` answers Get(c) with the positions of c in b as a Mask.
// REQUIRES: 1 <= a.size() <= 64; 1 <= b.size() <= bits of Mask.
template <typename Mask, typename CharT, typename Positions>
double JaroWinklerWord(std::span<const CharT> a, std::span<const CharT> b,
                       const Positions& positions, size_t prefix, const Options& options) {
  const size_t la = a.size();
  const size_t lb = b.size();
  const int window = MatchWindow(la, lb);
  CharT matched_in_a[kWordBits];  // a's matched characters, in order
  // b's positions not yet matched. Kept inverted so that each step's dependency chain through
  // it is four single-cycle operations (and, neg, and, xor) rather than five.
  Mask unmatched_b = static_cast<Mask>(~Mask{0});
  size_t matches = 0;
  // Window of a[i] in b: bits i - window .. i + window. It grows at the top until i reaches
  // `window`, then slides. Bits past b's end never match, so they need no clipping. (The shift
  // of 2 wraps to 0 when the window spans the whole mask, which makes it all ones.)
  Mask in_window = static_cast<Mask>((Mask{2} << window) - 1);
  // Branch-free: whether a character matches is a coin toss between unrelated names, and a
  // mispredicted branch costs as much as the rest of the step.
  auto step = [&](size_t i) {
    const CharT c = a[i];
    const Mask candidates = positions.Get(c) & in_window & unmatched_b;
    const Mask lowest = candidates & static_cast<Mask>(~candidates + 1);
    unmatched_b ^= lowest;
    matched_in_a[matches] = c;  // kept only if it matched: the count moves past it
    matches += lowest != 0;
  };
  // One loop rather than a growing and a sliding phase: a loop exit that depends on the
  // lengths mispredicts on most pairs, which costs more than the two extra operations.
  for (size_t i = 0; i < la; ++i) {
    step(i);
    in_window = static_cast<Mask>((in_window << 1) | (i < static_cast<size_t>(window)));
  }
  Mask matched_b = static_cast<Mask>(~unmatched_b);
  if (options.cutoff &&
      OutOfReach({matches, 0, la, lb}, prefix, options.prefix_scale, options.threshold)) {
    return 0.0;
  }
  // The k-th matched character of a against the k-th of b.
  size_t mismatched = 0;
  for (size_t k = 0; matched_b != 0; ++k, matched_b &= matched_b - 1) {
    mismatched += matched_in_a[k] != b[static_cast<uint32_t>(std::countr_zero(matched_b))];
  }
  const JaroCounts counts{matches, mismatched / 2, la, lb};
  return options.winkler ? Winkler(counts, prefix, options.prefix_scale) : counts.Score();
}

// Any length: the textbook scan of each window with one flag per position.
// REQUIRES: a and b are not empty.
template <typename CharT>
double JaroWinklerScan(std::span<const CharT> a, std::span<const CharT> b, size_t prefix,
                       const Options& options) {
  const size_t la = a.size();
  const size_t lb = b.size();
  const size_t window = static_cast<size_t>(MatchWindow(la, lb));
  absl::InlinedVector<bool, 2 * kWordBits> matched_a(la, false);
  absl::InlinedVector<bool, 2 * kWordBits> matched_b(lb, false);
  size_t matches = 0;
  for (size_t i = 0; i < la; ++i) {
    const size_t lo = i > window ? i - window : 0;
    const size_t hi = std::min(i + window + 1, lb);
    for (size_t j = lo; j < hi; ++j) {
      if (!matched_b[j] && a[i] == b[j]) {
        matched_a[i] = true;
        matched_b[j] = true;
        ++matches;
        break;
      }
    }
  }
  if (options.cutoff &&
      OutOfReach({matches, 0, la, lb}, prefix, options.prefix_scale, options.threshold)) {
    return 0.0;
  }
  size_t mismatched = 0;
  size_t j = 0;
  for (size_t i = 0; i < la; ++i) {
    if (!matched_a[i]) continue;
    while (!matched_b[j]) ++j;
    mismatched += a[i] != b[j];
    ++j;
  }
  const JaroCounts counts{matches, mismatched / 2, la, lb};
  return options.winkler ? Winkler(counts, prefix, options.prefix_scale) : counts.Score();
}

// The checks every comparison starts with: empty strings, the common prefix, the bound from the
// lengths. Returns the score when they settle it, else nullopt with `prefix` set.
template <typename CharT>
std::optional<double> Settle(std::span<const CharT> a, std::span<const CharT> b, size_t max_prefix,
                             const Options& options, size_t* prefix) {
  if (a.empty() || b.empty()) {
    const double score = a.empty() && b.empty() ? 1.0 : 0.0;
    return score >= options.threshold ? score : 0.0;
  }
  *prefix = options.winkler ? CommonPrefix(a, b, max_prefix) : 0;
  const size_t shorter = std::min(a.size(), b.size());
  if (options.cutoff && OutOfReach({shorter, 0, a.size(), b.size()}, *prefix, options.prefix_scale,
                                   options.threshold)) {
    return 0.0;
  }
  return std::nullopt;
}

// Jaro or Jaro-Winkler; 0.0 when the result would be below the threshold.
// Inlined into each entry point, where the options are often constants.
template <typename CharT>
[[gnu::always_inline]] inline double JaroWinklerImpl(std::span<const CharT> a,
                                                     std::span<const CharT> b, size_t max_prefix,
                                                     const Options& options) {
  size_t prefix = 0;
  if (std::optional<double> settled = Settle(a, b, max_prefix, options, &prefix)) {
    return *settled;
  }
  // Jaro is symmetric, so the shorter string can be the pattern: most names then fit the
  // 32-bit masks.
  if (a.size() < b.size()) std::swap(a, b);
  double score;
  if (b.size() <= kHalfWordBits && a.size() <= kWordBits) {
    const PositionMasks<CharT, uint32_t> positions(b);
    score = JaroWinklerWord<uint32_t>(a, b, positions, prefix, options);
  } else if (a.size() <= kWordBits) {
    const PositionMasks<CharT, uint64_t> positions(b);
    score = JaroWinklerWord<uint64_t>(a, b, positions, prefix, options);
  } else {
    score = JaroWinklerScan(a, b, prefix, options);
  }
  return score >= options.threshold ? score : 0.0;
}

Options MakeOptions(bool winkler, double prefix_scale, double threshold) {
  // Without a positive threshold no bound can reject a pair; skip their divisions.
  return Options{winkler, winkler && threshold > 0.0, prefix_scale, threshold};
}

size_t ClampPrefix(int max_prefix) { return static_cast<size_t>(std::max(max_prefix, 0)); }

// A JaroWinklerQuery's table, in the shape JaroWinklerWord asks of its positions.
struct QueryPositions {
  const uint64_t* masks;
  uint64_t Get(uint8_t c) const { return masks[c]; }
};

}  // namespace

double Jaro(std::string_view a, std::string_view b) {
  const Options options = MakeOptions(/*winkler=*/false, 0.0, 0.0);
  return VisitCodePoints(a, b, [&](auto x, auto y) { return JaroWinklerImpl(x, y, 0, options); });
}

double JaroWinkler(std::string_view a, std::string_view b, double prefix_scale, int max_prefix) {
  const Options options =
      MakeOptions(/*winkler=*/true, prefix_scale, -std::numeric_limits<double>::infinity());
  return VisitCodePoints(a, b, [&](auto x, auto y) {
    return JaroWinklerImpl(x, y, ClampPrefix(max_prefix), options);
  });
}

double JaroWinklerAtLeast(std::string_view a, std::string_view b, double threshold,
                          double prefix_scale, int max_prefix) {
  const Options options = MakeOptions(/*winkler=*/true, prefix_scale, threshold);
  return VisitCodePoints(a, b, [&](auto x, auto y) {
    return JaroWinklerImpl(x, y, ClampPrefix(max_prefix), options);
  });
}

JaroWinklerQuery::JaroWinklerQuery(std::string_view query, double prefix_scale, int max_prefix)
    : query_(query),
      prefix_scale_(prefix_scale),
      max_prefix_(max_prefix),
      bit_parallel_(!query.empty() && query.size() <= kWordBits && AllAscii(query)) {
  if (!bit_parallel_) return;
  masks_.fill(0);
  uint64_t bit = 1;
  for (char c : query) {
    masks_[static_cast<uint8_t>(c)] |= bit;
    bit <<= 1;
  }
}

double JaroWinklerQuery::ScoreAtLeast(std::string_view candidate, double threshold) const {
  if (!bit_parallel_ || candidate.empty() || candidate.size() > kWordBits || !AllAscii(candidate)) {
    return JaroWinklerAtLeast(query_, candidate, threshold, prefix_scale_, max_prefix_);
  }
  const Options options = MakeOptions(/*winkler=*/true, prefix_scale_, threshold);
  const std::span<const uint8_t> a(reinterpret_cast<const uint8_t*>(candidate.data()),
                                   candidate.size());
  const std::span<const uint8_t> b(reinterpret_cast<const uint8_t*>(query_.data()), query_.size());
  size_t prefix = 0;
  if (std::optional<double> settled = Settle(a, b, ClampPrefix(max_prefix_), options, &prefix)) {
    return *settled;
  }
  const double score =
      JaroWinklerWord<uint64_t>(a, b, QueryPositions{masks_.data()}, prefix, options);
  return score >= options.threshold ? score : 0.0;
}

}  // namespace padan
