#include "matching/region_comparison.h"

#include <algorithm>
#include <random>
#include <string>

#include "gtest/gtest.h"

namespace padan {
namespace {

// Kabupaten Bogor (32.01), kecamatan Cibinong (32.01.01), and places around them.
constexpr KodeWilayah kDesa = 3201012001;
constexpr KodeWilayah kOtherDesaSameKecamatan = 3201012002;
constexpr KodeWilayah kDesaOtherKecamatan = 3201022001;
constexpr KodeWilayah kDesaOtherKabKota = 3202012001;
constexpr KodeWilayah kDesaOtherProvinsi = 3301012001;

RegionAgreement Compare(KodeWilayah a, KodeWilayah b) {
  const RegionAgreement level = CompareRegion(a, b);
  EXPECT_EQ(level, CompareRegion(b, a)) << a << " / " << b;
  return level;
}

TEST(RegionComparisonTest, DesaCodes) {
  EXPECT_EQ(Compare(kDesa, kDesa), RegionAgreement::kSameDesa);
  EXPECT_EQ(Compare(kDesa, kOtherDesaSameKecamatan), RegionAgreement::kSameKecamatan);
  EXPECT_EQ(Compare(kDesa, kDesaOtherKecamatan), RegionAgreement::kSameKabKota);
  EXPECT_EQ(Compare(kDesa, kDesaOtherKabKota), RegionAgreement::kSameProvinsi);
  EXPECT_EQ(Compare(kDesa, kDesaOtherProvinsi), RegionAgreement::kDifferent);
}

TEST(RegionComparisonTest, ShorterCodeAgreesOnWhatItKnows) {
  EXPECT_EQ(Compare(320101, kDesa), RegionAgreement::kSameKecamatan);
  EXPECT_EQ(Compare(320101, 320101), RegionAgreement::kSameKecamatan);
  EXPECT_EQ(Compare(3201, kDesa), RegionAgreement::kSameKabKota);
  EXPECT_EQ(Compare(32, kDesa), RegionAgreement::kSameProvinsi);
  EXPECT_EQ(Compare(32, 3201), RegionAgreement::kSameProvinsi);
  EXPECT_EQ(Compare(32, 32), RegionAgreement::kSameProvinsi);
}

TEST(RegionComparisonTest, ShorterCodeElsewhere) {
  EXPECT_EQ(Compare(320102, kDesa), RegionAgreement::kSameKabKota);
  EXPECT_EQ(Compare(3202, kDesa), RegionAgreement::kSameProvinsi);
  EXPECT_EQ(Compare(33, kDesa), RegionAgreement::kDifferent);
  EXPECT_EQ(Compare(320102, 3301), RegionAgreement::kDifferent);
}

TEST(RegionComparisonTest, MissingOrMalformedCodes) {
  EXPECT_EQ(Compare(0, kDesa), RegionAgreement::kMissing);
  EXPECT_EQ(Compare(0, 0), RegionAgreement::kMissing);
  // 1, 3, 5, 8 and 11 digits place nothing.
  for (KodeWilayah bad : {3ULL, 320ULL, 32010ULL, 32010120ULL, 32010120011ULL}) {
    EXPECT_EQ(Compare(bad, kDesa), RegionAgreement::kMissing) << bad;
  }
}

TEST(RegionComparisonTest, LevelsAreOrderedByStrength) {
  EXPECT_LT(RegionAgreement::kMissing, RegionAgreement::kDifferent);
  EXPECT_LT(RegionAgreement::kDifferent, RegionAgreement::kSameProvinsi);
  EXPECT_LT(RegionAgreement::kSameProvinsi, RegionAgreement::kSameKabKota);
  EXPECT_LT(RegionAgreement::kSameKabKota, RegionAgreement::kSameKecamatan);
  EXPECT_LT(RegionAgreement::kSameKecamatan, RegionAgreement::kSameDesa);
}

TEST(RegionComparisonTest, Names) {
  EXPECT_EQ(RegionAgreementName(RegionAgreement::kSameDesa), "same_desa");
  EXPECT_EQ(RegionAgreementName(RegionAgreement::kSameKecamatan), "same_kecamatan");
  EXPECT_EQ(RegionAgreementName(RegionAgreement::kSameKabKota), "same_kab_kota");
  EXPECT_EQ(RegionAgreementName(RegionAgreement::kSameProvinsi), "same_provinsi");
  EXPECT_EQ(RegionAgreementName(RegionAgreement::kDifferent), "different");
  EXPECT_EQ(RegionAgreementName(RegionAgreement::kMissing), "missing");
}

// The levels spelled out on the codes' digits: the deepest of desa (10), kecamatan (6),
// kab/kota (4) and provinsi (2) digits that both codes have and agree on.
RegionAgreement ReferenceAgreement(KodeWilayah a, KodeWilayah b) {
  const std::string x = std::to_string(a);
  const std::string y = std::to_string(b);
  const size_t shared = std::min(x.size(), y.size());
  if (x.substr(0, 10) == y.substr(0, 10) && shared >= 10) return RegionAgreement::kSameDesa;
  if (shared >= 6 && x.substr(0, 6) == y.substr(0, 6)) return RegionAgreement::kSameKecamatan;
  if (shared >= 4 && x.substr(0, 4) == y.substr(0, 4)) return RegionAgreement::kSameKabKota;
  if (x.substr(0, 2) == y.substr(0, 2)) return RegionAgreement::kSameProvinsi;
  return RegionAgreement::kDifferent;
}

TEST(RegionComparisonTest, AgreesWithTheDigitPrefixes) {
  std::mt19937_64 random(20261129);
  // Codes of every depth near one desa, so that every level comes up.
  auto code = [&] {
    const KodeWilayah desa = 3201012001 + (random() % 3) * 1'000'000 + (random() % 3) * 10'000 +
                             (random() % 3) * 100 + random() % 2;
    switch (random() % 4) {
      case 0:
        return desa / 100'000'000;
      case 1:
        return desa / 1'000'000;
      case 2:
        return desa / 10'000;
      default:
        return desa;
    }
  };
  for (int i = 0; i < 20000; ++i) {
    const KodeWilayah a = code();
    const KodeWilayah b = code();
    EXPECT_EQ(CompareRegion(a, b), ReferenceAgreement(a, b)) << a << " / " << b;
  }
}

}  // namespace
}  // namespace padan
