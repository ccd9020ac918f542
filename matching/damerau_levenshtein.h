// Damerau-Levenshtein distance on Unicode code points: edit distance that also counts swapping
// two adjacent characters as one edit, the commonest typing error in names keyed from paper
// forms ("Aminha" for "Aminah").
//
// This is the unrestricted ("true") distance: the least number of insertions, deletions,
// substitutions and adjacent transpositions, where a substring may be edited more than once. It
// is a metric. The restricted variant, optimal string alignment (OSA), forbids editing a
// transposed pair again and is not a metric: DamerauLevenshtein(CA, ABC) = 2 (CA -> AC -> ABC)
// where OSA gives 3. Characters compare as exact code points (pass normalized names).
//
// Algorithm: Lowrance and Wagner (1975), "An extension of the string-to-string correction
// problem", with unit costs, as in Wikipedia's "Distance with adjacent transpositions": the
// Levenshtein DP plus, for each cell, a transposition term reaching back to the last row where
// the current column's character occurred and the last column where the current row's did.
// O(|a| * |b|) time and memory (the transposition term may read any earlier row), from the
// stack when both strings have at most 64 code points, from the heap beyond. Compare names, not
// documents.
//
// A common prefix and suffix are dropped first, as for Levenshtein. The cutoff form rejects on
// the length difference and on the characters one string lacks
// (see MissingCharacterBound), fills only the diagonal band |i - j| <= max, and stops when a
// whole row exceeds max: a row's minimum never decreases from one row to the next, since every
// cell, transposition terms included, derives from a no smaller cell in the row above.
//
// Cost, per pair of generated Indonesian names on the 2-core EPYC of DESIGN.md §7
// (bench/matching/comparators_bench.cc): about 50 ns for a name against a variant of it, whose
// common prefix and suffix leave a small matrix, 1.2 us against an unrelated name (the full
// quadratic matrix), and 35 ns for DamerauLevenshteinWithin(..., 2) over a mix of both.
#pragma once

#include <string_view>

namespace padan {

// The unrestricted Damerau-Levenshtein distance between UTF-8 strings `a` and `b`.
int DamerauLevenshtein(std::string_view a, std::string_view b);

// The cutoff form: DamerauLevenshtein(a, b) when that is <= max, and max + 1 otherwise. A
// negative max is exceeded by every pair.
int DamerauLevenshteinWithin(std::string_view a, std::string_view b, int max);

}  // namespace padan
