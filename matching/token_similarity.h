// Token-set comparison of names: how well the words of one name pair up with the words of the
// other, whatever their order ("Siti Aminah" ~ "Aminah Siti") and whether one name has extra
// words ("Siti Nur Aminah" ~ "Siti Aminah"). The "token-set" name level of DESIGN.md §4.
//
// Definitions. A name is a list of tokens; |x| is the length of token x in code points. Two
// tokens are similar to the degree s(x, y) = JaroWinkler(x, y) when that reaches
// min_token_similarity, else 0: below it two words are different names, and partial credit
// would let any two long names look alike. A pairing is a one-to-one matching between some
// tokens of a and some tokens of b (each token used at most once), chosen to maximize:
//   - TokenSetSimilarity(a, b) = max over pairings of
//         sum over pairs (x, y) of s(x, y) * (|x| + |y|) / (sum of |x| over a + sum of |y| over b)
//     a length-weighted Dice coefficient: 1 exactly when both names have the same tokens in any
//     order; unpaired tokens count against it in proportion to their length, so a missing
//     one-letter initial costs less than a missing "Muhammad". "Siti Nur Aminah" vs
//     "Siti Aminah" = (8 + 12) / 23 = 0.870.
//   - TokenContainment(a, b) = max(Cover(a, b), Cover(b, a)), where Cover(x, y) is the best
//         sum of s * |token of x| over the sum of |token of x|: how completely one name's tokens
//     are found in the other. "Siti Aminah" is contained in "Siti Nur Aminah" (1.0), as a name
//     with a middle name dropped should be.
// Both are symmetric and in [0, 1]. Two empty names score 1; an empty name against a non-empty
// one scores 0 on both (an absent name is evidence of nothing, not contained in everything).
//
// The pairing is exact (a dynamic programme over subsets of the name with fewer tokens, which
// finds the best assignment where a greedy pick of the best pair first can miss it), as long as
// that name has at most kMaxExactTokens tokens; beyond, pairs are taken greedily, best first.
// Only the first kMaxNameTokens tokens of each name are read, which bounds the work on hostile
// input to a few hundred Jaro-Winkler calls. Cost: one Jaro-Winkler per pair of tokens; about
// 0.5 us for two generated names of two or three tokens (bench/matching/comparators_bench.cc).
#pragma once

#include <cstddef>
#include <string_view>

#include "absl/container/inlined_vector.h"
#include "absl/types/span.h"

namespace padan {

// Registered names have at most six words; sixteen leaves room for titles and patronymics.
inline constexpr size_t kMaxNameTokens = 16;
// 2^8 subsets keep the exact pairing under ~2,000 steps per token of the longer name.
inline constexpr size_t kMaxExactTokens = 8;
// Where two tokens stop being the same name. Over frequency-weighted draws from the embedded
// name_tokens_gender_freq table, 99% of pairs of different tokens score below 0.8 and 97% of
// tokens with one keying error score at or above it (TokenSimilarityTest checks both); a
// one-letter error in a four-letter token scores 0.83 to 0.88 (siti/xiti, siti/sito).
inline constexpr double kTokenSimilarityFloor = 0.8;

// The tokens of a name, as views into it.
using NameTokens = absl::InlinedVector<std::string_view, 8>;

// Splits `name` at ASCII whitespace and after each '.', so that "S.Aminah" gives "S." and
// "Aminah"; empty tokens are dropped. The views point into `name`.
NameTokens SplitNameTokens(std::string_view name);

// See the definitions above. `a` and `b` are tokens as SplitNameTokens gives them; empty tokens
// are ignored. REQUIRES: 0 <= min_token_similarity <= 1.
double TokenSetSimilarity(absl::Span<const std::string_view> a,
                          absl::Span<const std::string_view> b,
                          double min_token_similarity = kTokenSimilarityFloor);
double TokenContainment(absl::Span<const std::string_view> a, absl::Span<const std::string_view> b,
                        double min_token_similarity = kTokenSimilarityFloor);

}  // namespace padan
