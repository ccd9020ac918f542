// Levenshtein edit distance on Unicode code points, and its cutoff form for "within k edits"
// tests (typo-tolerant search, blocking keys, near-name comparison levels).
//
// The distance is the least number of single-character insertions, deletions and substitutions
// that turn one string into the other: Levenshtein(kitten, sitting) = 3, (flaw, lawn) = 2,
// ("", abc) = 3. It is symmetric and a metric. Characters compare as exact code points (pass
// normalized names); a combining mark is a character of its own.
//
// How it is computed:
//   - a common prefix and suffix are dropped first (they never change the distance), which for
//     the near-identical pairs that dominate matching leaves a few characters;
//   - when the shorter remaining string has at most 64 code points, Myers' bit-parallel
//     algorithm in Hyyrö's formulation (Hyyrö 2001, "Explaining and extending the bit-parallel
//     approximate string matching algorithm of Myers") computes a whole DP column in a handful of
//     word operations: O(n) for names, no heap allocation for ASCII text;
//   - otherwise the textbook dynamic programme over one row, O(n * m) time, O(m) space.
// The cutoff form first rejects on the length difference and on the characters one string lacks
// (see MissingCharacterBound), then stops the DP as soon as the distance is certain to exceed
// the limit (Ukkonen's diagonal band in the row DP; in the bit-parallel one, when the last-row
// value minus the columns left exceeds it).
//
// Cost, per pair of generated Indonesian names on the 2-core EPYC of DESIGN.md §7
// (bench/matching/comparators_bench.cc): Levenshtein about 35 ns for a name against a variant
// of it and 115 ns against an unrelated name; LevenshteinWithin(..., 2) about 26 ns over a mix
// of both, most unrelated names being rejected by the length and character checks.
#pragma once

#include <string_view>

namespace padan {

// The Levenshtein distance between UTF-8 strings `a` and `b`, in code points.
int Levenshtein(std::string_view a, std::string_view b);

// The cutoff form: Levenshtein(a, b) when that is <= max, and max + 1 otherwise (then it may
// stop early and does not say by how much the limit was exceeded). A negative max is exceeded
// by every pair.
int LevenshteinWithin(std::string_view a, std::string_view b, int max);

}  // namespace padan
