// Comparison levels for regions (DESIGN.md §4: same desa / kecamatan / kab-kota / provinsi /
// else, plus missing), from Kemendagri kode_wilayah codes of any depth.
//
// A code is 2 (provinsi), 4 (kab/kota), 6 (kecamatan) or 10 (desa) digits, as KodeWilayah in
// data/region_table.h; its ancestors are its prefixes. Two codes agree at the deepest level both
// know and at which their prefixes are equal:
//   kSameDesa       both 10-digit codes, equal.
//   kSameKecamatan  the first 6 digits are equal; also a 6-digit code against a desa in that
//                   kecamatan, and two equal 6-digit codes. Likewise for the levels above:
//   kSameKabKota    the first 4 digits are equal.
//   kSameProvinsi   the first 2 digits are equal.
//   kDifferent      the provinces differ.
//   kMissing        either code is 0 or has another number of digits (it places nothing).
// A household known only to its kecamatan thus scores at most kSameKecamatan against a desa
// there: agreement on what is known, but no claim of the same desa.
// The codes are compared as numbers; no region table is needed, so a code from any edition
// works (codes split or renumbered between editions simply disagree at the deeper levels).
// The enumerators are ordered by strength, so `level >= RegionAgreement::kSameKabKota` reads
// "at least the same kab/kota". (RegionLevel in data/region_table.h is the administrative level
// of one region; this is the agreement of two.)
#pragma once

#include <cstdint>
#include <string_view>

#include "data/region_table.h"

namespace padan {

enum class RegionAgreement : uint8_t {
  kMissing = 0,
  kDifferent = 1,
  kSameProvinsi = 2,
  kSameKabKota = 3,
  kSameKecamatan = 4,
  kSameDesa = 5,
};

// The level of agreement of two region codes; symmetric. Pure arithmetic, allocates nothing.
RegionAgreement CompareRegion(KodeWilayah a, KodeWilayah b);

// The level's name in explanations and model files: "missing", "different", "same_provinsi",
// "same_kab_kota", "same_kecamatan", "same_desa".
std::string_view RegionAgreementName(RegionAgreement level);

}  // namespace padan
