#include "matching/jaro_winkler.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
// The common prefix that JaroWinklerNarrow may skip is measured up to this many bytes, two words:
// enough for the near-duplicate names that share most of their characters.
constexpr size_t kMaxSkip = 2 * sizeof(uint64_t);

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

// The index of the lowest nonzero byte of `x` (little-endian: the first in memory), or 8 when
// all are zero. Branch-free, unlike std::countr_zero, which x86-64 without BMI compiles to a test
// for zero and a branch: whether two names share their first word is a coin toss in a mixed
// candidate list, and the mispredictions cost more than these six operations.
inline size_t FirstNonzeroByte(uint64_t x) {
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  constexpr uint64_t kLowBits = 0x0101010101010101ULL;
  const uint64_t below = (x & (~x + 1)) - 1;  // the bits below the lowest set one; all if none
  // The high bit of each byte that `below` covers entirely, summed by the multiplication.
  return static_cast<size_t>((((below & kHighBits) >> 7) * kLowBits) >> 56);
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
      return std::min(FirstNonzeroByte(differ), limit);
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
    Mask reachable = positions.Get(c) & in_window;
    asm("" : "+r"(reachable));  // keeps the chain at four: see JaroWinklerNarrow
    const Mask candidates = reachable & unmatched_b;
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

// The bitmask matching of JaroWinklerWord for a pattern of at most 32 characters, which lets the
// window live in the same 64-bit word as the positions: everything is shifted up by `window`
// bits, so the window of text[i] is bits i .. i + 2 * window and only ever slides left by one,
// where JaroWinklerWord's must also grow while i < window (two more operations per character).
// Characters are compared from `skip` on: the first `skip` characters of text and pattern are
// equal, and then Jaro's greedy matching pairs text[i] with pattern[i] for each i < skip (by
// induction: pattern[0 .. i) is taken by text[0 .. i), and pattern[i] is the leftmost free
// position holding text[i]), so they are matches that no transposition can involve. Skipping
// them saves a step and a transposition check per character shared at the start, most of a
// near-duplicate name.
// `positions` answers Get(c) with the positions of c in the pattern as an integer; bits at or
// above pattern.size() are ignored, so a vector comparison need not clear them.
// REQUIRES: 1 <= text.size() <= 64; 1 <= pattern.size() <= 32; Get(c) < 2^32; the first
// `skip` characters of text and pattern are equal.
template <typename CharT, typename Positions>
double JaroWinklerNarrow(std::span<const CharT> text, std::span<const CharT> pattern,
                         const Positions& positions, size_t skip, size_t prefix,
                         const Options& options) {
  const size_t lt = text.size();
  const size_t lp = pattern.size();
  const int window = MatchWindow(lt, lp);
  const uint64_t skipped = (uint64_t{1} << skip) - 1;
  const uint64_t in_pattern = ((uint64_t{1} << lp) - 1) << window;
  // The pattern's positions not yet matched, inverted as in JaroWinklerWord.
  uint64_t unmatched = in_pattern & ~(skipped << window);
  // At most 2 * 31 + 1 bits: MatchWindow is below 32 for texts of up to 64 characters.
  uint64_t in_window = ((uint64_t{2} << (2 * window)) - 1) << skip;
  CharT matched_in_text[kWordBits];  // text's matched characters, in order, from `skip` on
  size_t matches = skip;
  for (size_t i = skip; i < lt; ++i) {
    const CharT c = text[i];
    uint64_t reachable = (uint64_t{positions.Get(c)} << window) & in_window;
    // An empty asm that claims to change `reachable` keeps GCC from reassociating the three-way
    // AND into (unmatched & in_window) & positions, which puts two ANDs instead of one on the
    // loop-carried chain through `unmatched`: five single-cycle operations per character
    // instead of four, 1 to 2 ns per pair of names.
    asm("" : "+r"(reachable));
    const uint64_t candidates = reachable & unmatched;
    const uint64_t lowest = candidates & (~candidates + 1);
    unmatched ^= lowest;
    matched_in_text[matches] = c;  // kept only if it matched: the count moves past it
    matches += lowest != 0;
    in_window <<= 1;
  }
  uint64_t matched = ((in_pattern ^ unmatched) >> window) & ~skipped;
  if (options.cutoff &&
      OutOfReach({matches, 0, lt, lp}, prefix, options.prefix_scale, options.threshold)) {
    return 0.0;
  }
  size_t mismatched = 0;
  for (size_t k = skip; matched != 0; ++k, matched &= matched - 1) {
    mismatched += matched_in_text[k] != pattern[static_cast<uint32_t>(std::countr_zero(matched))];
  }
  const JaroCounts counts{matches, mismatched / 2, lt, lp};
  return options.winkler ? Winkler(counts, prefix, options.prefix_scale) : counts.Score();
}

// The length of the common prefix of `a` and `b`, but at most kMaxSkip: what JaroWinklerNarrow
// may skip. Two overlapping words from each, without a loop or a branch.
// REQUIRES: a.size() >= 8 and b.size() >= 8.
inline size_t SkippablePrefix(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  const char* pa = reinterpret_cast<const char*>(a.data());
  const char* pb = reinterpret_cast<const char*>(b.data());
  constexpr size_t kWord = sizeof(uint64_t);
  // The second word starts at kWord, or earlier so as to end within the shorter string.
  const size_t second = std::min(kMaxSkip - kWord, std::min(a.size(), b.size()) - kWord);
  const size_t first_differs = FirstNonzeroByte(internal::LoadWord(pa) ^ internal::LoadWord(pb));
  const size_t second_differs =
      second + FirstNonzeroByte(internal::LoadWord(pa + second) ^ internal::LoadWord(pb + second));
  // When the first words differ, the second cannot differ earlier, as its bytes before
  // first_differs are bytes of the first words; when they agree (first_differs = 8), the answer
  // is the second's, so first_differs is pushed out of the minimum.
  return std::min(first_differs + kWord * (first_differs / kWord), second_differs);
}

// The positions of each byte in an ASCII pattern of 8 to 32 bytes, found by comparing the byte
// with the whole pattern held in two vector registers: about ten operations per character of
// the text, but nothing to build or clear per pair, where PositionMasks spends two loops over the
// pattern (fill and clear its thread's table), each with an exit that a branch predictor cannot
// learn when lengths vary. About 8 of the 75 ns per pair of names. (A 32-entry table indexed by
// c & 31 for names of lower-case letters and spaces, zeroed on the stack, would avoid the
// clearing loop but not the filling loop, and needs a per-pair check of the alphabet.)
// Bits at or above the pattern's length are garbage (JaroWinklerNarrow ignores them).
// Value type; 32 bytes.
#if defined(__SSE2__)
class PackedPositions {
 public:
  static constexpr size_t kMinSize = sizeof(uint64_t);
  static constexpr size_t kMaxSize = 4 * sizeof(uint64_t);

  // REQUIRES: kMinSize <= pattern.size() <= kMaxSize; `pattern` is ASCII.
  explicit PackedPositions(std::span<const uint8_t> pattern) {
    constexpr size_t kWord = sizeof(uint64_t);
    const size_t n = pattern.size();
    const char* p = reinterpret_cast<const char*>(pattern.data());
    // Word k holds bytes 8k .. 8k + 7. A word that would run past the end is read from earlier,
    // so as to end at it, and shifted down into place; one wholly past the end holds leftovers.
    uint64_t words[4];
    for (size_t k = 0; k < 4; ++k) {
      size_t beyond = std::max(kWord * k + kWord, n) - n;
      // Without this, GCC turns the clamping into branches on the length, each a coin toss.
      asm("" : "+r"(beyond));
      const size_t begin = kWord * k - std::min(beyond, kWord * k);
      words[k] = internal::LoadWord(p + begin) >> (8 * (beyond % kWord));
    }
    low_ = _mm_set_epi64x(static_cast<int64_t>(words[1]), static_cast<int64_t>(words[0]));
    high_ = _mm_set_epi64x(static_cast<int64_t>(words[3]), static_cast<int64_t>(words[2]));
  }

  uint32_t Get(uint8_t c) const {
    constexpr uint32_t kEveryByte = 0x01010101;
    const __m128i key = _mm_shuffle_epi32(_mm_cvtsi32_si128(static_cast<int>(c * kEveryByte)), 0);
    const auto low = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(low_, key)));
    const auto high = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(high_, key)));
    return low | (high << 16);
  }

 private:
  __m128i low_;   // pattern bytes 0 .. 15
  __m128i high_;  // pattern bytes 16 .. 31
};
#endif

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
    size_t skip = 0;
    if constexpr (std::is_same_v<CharT, uint8_t>) {
      if (b.size() >= sizeof(uint64_t)) skip = SkippablePrefix(a, b);
    }
#if defined(__SSE2__)
    // Here the longer string is the pattern, held in registers, and the shorter the text: 16
    // steps rather than 19 for the average pair of names. Which one steps does not change m or
    // t. Only equal characters match, and for each character the greedy matching pairs its
    // occurrences in order (had a later occurrence in the text taken an earlier position, that
    // position was free and in the window of the earlier occurrence, which would have taken
    // it). So per character it is the merge of two sorted lists of positions under the
    // symmetric condition |i - j| <= window, the same whichever string drives it, and so are
    // the matched positions on both sides.
    if constexpr (std::is_same_v<CharT, uint8_t>) {
      if (a.size() >= PackedPositions::kMinSize && a.size() <= PackedPositions::kMaxSize) {
        score = JaroWinklerNarrow(b, a, PackedPositions(a), skip, prefix, options);
        return score >= options.threshold ? score : 0.0;
      }
    }
#endif
    const PositionMasks<CharT, uint32_t> positions(b);
    score = JaroWinklerNarrow(a, b, positions, skip, prefix, options);
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
  const QueryPositions positions{masks_.data()};
  double score;
  if (b.size() <= kHalfWordBits) {
    const size_t skip =
        std::min(a.size(), b.size()) >= sizeof(uint64_t) ? SkippablePrefix(a, b) : 0;
    score = JaroWinklerNarrow(a, b, positions, skip, prefix, options);
  } else {
    score = JaroWinklerWord<uint64_t>(a, b, positions, prefix, options);
  }
  return score >= options.threshold ? score : 0.0;
}

}  // namespace padan
