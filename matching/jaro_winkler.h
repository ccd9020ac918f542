// Jaro and Jaro-Winkler similarity of two strings, on Unicode code points: the name comparator
// of the Fellegi-Sunter model (DESIGN.md §4: "Jaro-Winkler >= 0.94 / >= 0.88").
//
// Jaro (Jaro 1989) counts the characters the strings share within a window and how many of
// them are out of order:
//   - window w = max(|a|, |b|) / 2 - 1 (integer division, at least 0);
//   - a[i] matches b[j] when they are equal, |i - j| <= w and b[j] is not yet matched; each a[i],
//     left to right, takes the leftmost such b[j]. m is the number of matches;
//   - t is half the number of positions at which the matched characters of a and of b, each read
//     in order, differ, rounded down (as in Winkler's reference code, strcmp95.c);
//   - Jaro = (m / |a| + m / |b| + (m - t) / m) / 3, and 0 when m = 0.
// Jaro-Winkler (Winkler 1990) rewards a common prefix, where typists rarely err:
//   JW = Jaro + l * p * (1 - Jaro), where l is the length of the common prefix, at most
//   max_prefix (4), and p the prefix scale (0.1); applied only when Jaro > 0.7, Winkler's
//   boost threshold, so that a shared first letter cannot lift two unrelated names.
// Textbook values: Jaro(MARTHA, MARHTA) = 0.944, JW = 0.961; JW(DWAYNE, DUANE) = 0.840;
// JW(DIXON, DICKSONX) = 0.813. Two empty strings are identical (1.0); an empty string against a
// non-empty one scores 0. Both measures are symmetric.
//
// Characters compare as exact code points: pass normalized (case-folded) names. A combining
// mark is a code point of its own, so "a" + U+0308 is two characters where U+00E4 is one;
// NFKC normalization upstream makes them agree.
//
// Cost: O(|a| + |b|) word operations when both strings have at most 64 code points (matches are
// found through bitmasks of positions, Hyyrö-style), with no heap allocation for ASCII text;
// O(|a| * w) beyond. ASCII strings of up to 32 bytes need no table of positions at all: the
// longer one is compared with each byte of the shorter in vector registers, and the prefix they
// share is matched without a step per character. On the 2-core EPYC of DESIGN.md §7, about
// 56 ns per pair of generated Indonesian names (17 characters on average), and about 52 ns
// through JaroWinklerQuery when one name is compared with many
// (bench/matching/comparators_bench.cc; both vary by a third with the machine's load).
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>

namespace padan {

// Winkler's defaults: 0.1 per character of common prefix, up to four characters.
inline constexpr double kJaroWinklerPrefixScale = 0.1;
inline constexpr int kJaroWinklerMaxPrefix = 4;

// The Jaro similarity of UTF-8 strings `a` and `b`, in [0, 1].
double Jaro(std::string_view a, std::string_view b);

// The Jaro-Winkler similarity of UTF-8 strings `a` and `b`, in [0, 1].
// REQUIRES: 0 <= prefix_scale, max_prefix >= 0 and prefix_scale * max_prefix <= 1.
double JaroWinkler(std::string_view a, std::string_view b,
                   double prefix_scale = kJaroWinklerPrefixScale,
                   int max_prefix = kJaroWinklerMaxPrefix);

// The cutoff form, for comparison levels that only ask "is JW at least this?": returns
// JaroWinkler(a, b, ...) when that is >= threshold, and 0.0 otherwise. It gives up as soon as
// the threshold is out of reach, first from the lengths alone (m <= min(|a|, |b|) bounds Jaro
// by (2 + min/max) / 3, so a 5-letter name can never reach 0.94 against a 9-letter one), then
// from the match count before transpositions are counted.
// REQUIRES: as JaroWinkler.
double JaroWinklerAtLeast(std::string_view a, std::string_view b, double threshold,
                          double prefix_scale = kJaroWinklerPrefixScale,
                          int max_prefix = kJaroWinklerMaxPrefix);

// JaroWinklerQuery: one name prepared for comparison with many, as a match request's query is
// against its candidates or a record against its block in dedup. It builds the query's
// position masks once, which JaroWinkler() builds for every pair unless both strings are ASCII
// and the longer has 8 to 32 bytes; most names are, and JaroWinkler() compares them in vector
// registers without masks, so for them the query form saves only a few percent.
// Score(c) returns exactly JaroWinkler(query, c) and ScoreAtLeast(c, t) exactly
// JaroWinklerAtLeast(query, c, t); a query or candidate that is not ASCII or is longer than 64
// bytes simply takes that pairwise path.
// Keeps a view of the query text, which must outlive it. Immutable after construction:
// thread-safe for concurrent const use. About 1 KiB.
class JaroWinklerQuery {
 public:
  explicit JaroWinklerQuery(std::string_view query, double prefix_scale = kJaroWinklerPrefixScale,
                            int max_prefix = kJaroWinklerMaxPrefix);
  // A temporary std::string would leave the view dangling.
  template <typename T>
  requires std::is_same_v<T, std::string>
  explicit JaroWinklerQuery(T&& query, double prefix_scale = kJaroWinklerPrefixScale,
                            int max_prefix = kJaroWinklerMaxPrefix) = delete;

  double Score(std::string_view candidate) const {
    return ScoreAtLeast(candidate, -std::numeric_limits<double>::infinity());
  }
  double ScoreAtLeast(std::string_view candidate, double threshold) const;

 private:
  std::string_view query_;
  double prefix_scale_;
  int max_prefix_;
  bool bit_parallel_;                // ASCII, 1 to 64 bytes: masks_ is built
  std::array<uint64_t, 128> masks_;  // positions of each byte in the query
};

}  // namespace padan
