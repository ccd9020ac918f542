// Initials compatibility of two names: can one be the other with some words written as their
// initial letter ("S. Aminah" for "Siti Aminah")? The "initials compatible" name level of
// DESIGN.md §4, which catches abbreviations the string comparators score low.
//
// Definitions, on tokens as SplitNameTokens (matching/token_similarity.h) gives them:
//   - an initial is a token of one code point other than '.', optionally followed by '.':
//     "S", "S.";
//   - tokens x and y are compatible when they are equal, or when one is an initial whose letter
//     is the first code point of the other ("S." ~ "Siti", "S" ~ "S.");
//   - names a and b are initials-compatible when every token of the name with fewer tokens
//     (of both, when they have as many) can be paired with its own compatible token of the other
//     name, in any order, and at least one pair involves an initial.
// So "S. Aminah", "S Aminah", "A. Siti" and "S. A." are each compatible with "Siti Aminah", and
// so is "S. Aminah" with "Siti Nur Aminah" (a dropped middle name), but "B. Aminah" is not.
// Order is free because DTKS names are often recorded in another order ("Aminah Siti").
// "Siti" against "Siti Aminah" is not: no initial is involved, and containment without
// abbreviation is what TokenContainment scores; requiring an initial keeps this level's
// m and u probabilities about abbreviations rather than about one shared common word.
// Letters compare as exact code points (pass normalized names). Empty names are never
// compatible. Only the first kMaxNameTokens tokens of each name are read.
//
// Cost: a bipartite matching (Kuhn's augmenting paths on bitmasks) over at most 16 x 16 tokens,
// a handful of word operations per token for real names; no allocation.
#pragma once

#include <string_view>

#include "absl/types/span.h"

namespace padan {

// See the definitions above. Symmetric.
bool InitialsCompatible(absl::Span<const std::string_view> a, absl::Span<const std::string_view> b);

}  // namespace padan
