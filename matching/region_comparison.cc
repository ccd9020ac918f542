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

}  // namespace

RegionAgreement CompareRegion(KodeWilayah a, KodeWilayah b) {
  const int digits_a = CodeDigits(a);
  const int digits_b = CodeDigits(b);
  if (digits_a == 0 || digits_b == 0) return RegionAgreement::kMissing;
  const int shared = std::min(digits_a, digits_b);
  // Both as desa-length codes (a shorter one padded with zeros), so that each depth's prefix is
  // a quotient by a constant: a match's first stage compares some 200 candidates' regions, and
  // dividing by a computed power of ten was a hardware division per depth.
  const KodeWilayah full_a = a * Pow10(kDesaDigits - digits_a);
  const KodeWilayah full_b = b * Pow10(kDesaDigits - digits_b);
  if (shared >= kDesaDigits && full_a == full_b) return RegionAgreement::kSameDesa;
  constexpr KodeWilayah kKecamatan = Pow10(kDesaDigits - kKecamatanDigits);
  constexpr KodeWilayah kKabKota = Pow10(kDesaDigits - kKabKotaDigits);
  constexpr KodeWilayah kProvinsi = Pow10(kDesaDigits - kProvinsiDigits);
  if (shared >= kKecamatanDigits && full_a / kKecamatan == full_b / kKecamatan) {
    return RegionAgreement::kSameKecamatan;
  }
  if (shared >= kKabKotaDigits && full_a / kKabKota == full_b / kKabKota) {
    return RegionAgreement::kSameKabKota;
  }
  if (full_a / kProvinsi == full_b / kProvinsi) return RegionAgreement::kSameProvinsi;
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
