#include "matching/region_comparison.h"

#include <algorithm>

namespace padan {
namespace {

// Digits of a code at each depth (provinsi, kab/kota, kecamatan, desa): Kemendagri's
// 2.2.2.4 layout.
constexpr int kProvinsiDigits = 2;
constexpr int kKabKotaDigits = 4;
constexpr int kKecamatanDigits = 6;
constexpr int kDesaDigits = 10;

constexpr KodeWilayah Pow10(int n) {
  KodeWilayah p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

// The number of digits of a code of a valid depth, else 0. Codes never start with 0, so the
// value alone says the depth. The same rule as LevelOfCode, kept here as arithmetic so that
// matching needs no region table.
int CodeDigits(KodeWilayah code) {
  for (int digits : {kProvinsiDigits, kKabKotaDigits, kKecamatanDigits, kDesaDigits}) {
    if (code >= Pow10(digits - 1) && code < Pow10(digits)) return digits;
  }
  return 0;
}

// The first `digits` digits of a code that has `code_digits`. REQUIRES: digits <= code_digits.
KodeWilayah Prefix(KodeWilayah code, int code_digits, int digits) {
  return code / Pow10(code_digits - digits);
}

}  // namespace

RegionAgreement CompareRegion(KodeWilayah a, KodeWilayah b) {
  const int digits_a = CodeDigits(a);
  const int digits_b = CodeDigits(b);
  if (digits_a == 0 || digits_b == 0) return RegionAgreement::kMissing;
  const int shared = std::min(digits_a, digits_b);
  struct Depth {
    int digits;
    RegionAgreement agreement;
  };
  constexpr Depth kDepths[] = {
      {kDesaDigits, RegionAgreement::kSameDesa},
      {kKecamatanDigits, RegionAgreement::kSameKecamatan},
      {kKabKotaDigits, RegionAgreement::kSameKabKota},
      {kProvinsiDigits, RegionAgreement::kSameProvinsi},
  };
  for (const Depth& depth : kDepths) {
    if (depth.digits > shared) continue;
    if (Prefix(a, digits_a, depth.digits) == Prefix(b, digits_b, depth.digits)) {
      return depth.agreement;
    }
  }
  return RegionAgreement::kDifferent;
}

std::string_view RegionAgreementName(RegionAgreement level) {
  switch (level) {
    case RegionAgreement::kMissing:
      return "missing";
    case RegionAgreement::kDifferent:
      return "different";
    case RegionAgreement::kSameProvinsi:
      return "same_provinsi";
    case RegionAgreement::kSameKabKota:
      return "same_kab_kota";
    case RegionAgreement::kSameKecamatan:
      return "same_kecamatan";
    case RegionAgreement::kSameDesa:
      return "same_desa";
  }
  return "unknown";
}

}  // namespace padan
