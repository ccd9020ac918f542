// Comparing two NIKs (DESIGN.md §4): how close two 16-digit numbers are, in the levels the
// Fellegi-Sunter model scores, and the near variants a mistyped NIK could have come from.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "absl/functional/function_ref.h"

namespace padan {

// Ordered from strongest agreement to none.
enum class NikLevel : uint8_t {
  kExact,                  // the same number
  kOneSubstitution,        // one digit differs (a typo)
  kAdjacentTransposition,  // two neighbouring digits swapped
  kSameBirthPart,          // not a typo apart, but the same DDMMYY(+40) part: same birth date
                           // and sex, different kecamatan or serial (re-issued, or a namesake)
  kConflict,               // both present and otherwise different
  kMissing,                // either side has no valid NIK (0)
};
inline constexpr int kNikLevelCount = 6;

// Stable snake_case name for model files and explanations ("one_substitution").
std::string_view NikLevelName(NikLevel level);

// Compares two 16-digit values; 0 means missing.
NikLevel CompareNik(uint64_t a, uint64_t b);

// Whether two NIKs are equal outside their birth part (digits 7-12, DDMMYY+40): they differ,
// if at all, only in the birth date or sex they encode.
bool NiksDifferOnlyInBirthPart(uint64_t a, uint64_t b);

// Calls `visit` with every value one substitution (16 × 9 = 144) or one adjacent transposition
// (at most 15, fewer when neighbours are equal) away from `nik`: the candidates to probe in an
// exact index to find the record a mistyped NIK belongs to, with no extra memory. Values with
// a leading zero (not 16 digits) are skipped; a `nik` of more than 16 digits has none.
void ForEachNearNik(uint64_t nik, absl::FunctionRef<void(uint64_t)> visit);

// The most values ForEachNearNik visits: 16 digits × 9 substitutions + 15 transpositions.
inline constexpr size_t kMaxNearNiks = 16 * 9 + 15;
// The values ForEachNearNik visits, in its order, written to the front of `out`; returns how
// many. For a caller that probes them all (NumberIndex::FindNear): no call per value.
size_t NearNiks(uint64_t nik, std::array<uint64_t, kMaxNearNiks>& out);

}  // namespace padan
