#include "data/region_table.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::StatusIs;
using ::testing::HasSubstr;

// The embedded table, loaded once for the suite: it is immutable and takes ~50 ms to load.
const RegionTable& Embedded() {
  static const RegionTable* table = [] {
    absl::StatusOr<std::unique_ptr<RegionTable>> loaded = RegionTable::LoadEmbedded();
    EXPECT_THAT(loaded, IsOk());
    return loaded.ok() ? loaded->release() : nullptr;
  }();
  return *table;
}

RegionResolution Resolve(std::string_view provinsi, std::string_view kabupaten_kota = "",
                         std::string_view kecamatan = "", std::string_view desa = "") {
  return Embedded().ResolveNames(provinsi, kabupaten_kota, kecamatan, desa);
}

std::string Message(const absl::Status& status) { return std::string(status.message()); }

constexpr std::string_view kHeader = "kode,kode_nodot,level,jenis,nama,kode_induk\n";

// A small edition: one provinsi with a kabupaten and a kota of the same name.
std::string SmallEdition() {
  return std::string(kHeader) +
         "32,32,1,provinsi,Jawa Barat,\n"
         "32.01,3201,2,kabupaten,Kabupaten Bogor,32\n"
         "32.01.01,320101,3,kecamatan,Cibinong,32.01\n"
         "32.01.01.2001,3201012001,4,desa,Sukahati,32.01.01\n"
         "32.01.01.1002,3201011002,4,kelurahan,\"Karadenan, Lama\",32.01.01\n"
         "32.71,3271,2,kota,Kota Bogor,32\n"
         "32.71.03,327103,3,kecamatan,Bogor Tengah,32.71\n";
}

absl::Status LoadError(std::string_view csv) {
  std::array<std::string_view, 1> editions = {csv};
  return RegionTable::FromCsv(editions).status();
}

// ---- codes ---------------------------------------------------------------------------------

TEST(RegionTableTest, LevelOfCodeCountsDigits) {
  EXPECT_EQ(LevelOfCode(32), RegionLevel::kProvinsi);
  EXPECT_EQ(LevelOfCode(3201), RegionLevel::kKabKota);
  EXPECT_EQ(LevelOfCode(320101), RegionLevel::kKecamatan);
  EXPECT_EQ(LevelOfCode(3201012001), RegionLevel::kDesa);
  for (KodeWilayah code : {0ULL, 5ULL, 123ULL, 12345ULL, 32010120ULL, 32010120011ULL}) {
    EXPECT_EQ(LevelOfCode(code), RegionLevel::kNone) << code;
  }
}

TEST(RegionTableTest, AncestorCodeTakesPrefixes) {
  EXPECT_EQ(AncestorCode(3201012001, RegionLevel::kKecamatan), 320101u);
  EXPECT_EQ(AncestorCode(3201012001, RegionLevel::kKabKota), 3201u);
  EXPECT_EQ(AncestorCode(3201012001, RegionLevel::kProvinsi), 32u);
  EXPECT_EQ(AncestorCode(3201012001, RegionLevel::kDesa), 3201012001u);
  EXPECT_EQ(AncestorCode(3201, RegionLevel::kKecamatan), 0u);
  EXPECT_EQ(AncestorCode(3201, RegionLevel::kNone), 0u);
  EXPECT_EQ(AncestorCode(123, RegionLevel::kProvinsi), 0u);
}

TEST(RegionTableTest, ParsesDottedAndPlainCodes) {
  EXPECT_EQ(*ParseKodeWilayah("32"), 32u);
  EXPECT_EQ(*ParseKodeWilayah("32.01"), 3201u);
  EXPECT_EQ(*ParseKodeWilayah("3201"), 3201u);
  EXPECT_EQ(*ParseKodeWilayah("32.01.01"), 320101u);
  EXPECT_EQ(*ParseKodeWilayah("32.01.01.2001"), 3201012001u);
  EXPECT_EQ(*ParseKodeWilayah(" 3201012001 "), 3201012001u);
  for (const char* bad : {"", "3", "032", "0101", "32.1", "32.01.01.201", "32..01", "3201012001x",
                          "32.0101", "320101200", "32.01.01.2001.01", "-32"}) {
    EXPECT_THAT(ParseKodeWilayah(bad), StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
  }
}

TEST(RegionTableTest, FormatsCodes) {
  EXPECT_EQ(FormatKodeWilayah(3201012001), "3201012001");
  EXPECT_EQ(FormatKodeWilayah(3201012001, /*dotted=*/true), "32.01.01.2001");
  EXPECT_EQ(FormatKodeWilayah(320101, true), "32.01.01");
  EXPECT_EQ(FormatKodeWilayah(3201, true), "32.01");
  EXPECT_EQ(FormatKodeWilayah(32, true), "32");
  EXPECT_EQ(*ParseKodeWilayah(FormatKodeWilayah(7371110005, true)), 7371110005u);
}

// ---- embedded editions -----------------------------------------------------------------------

TEST(RegionTableTest, LoadsEveryEditionWithItsDocumentedCounts) {
  const RegionTable& t = Embedded();
  struct Expected {
    RegionEdition edition;
    size_t provinsi, kab_kota, kecamatan, desa;
  };
  // data/reference/wilayah/README.md
  for (const Expected& e : {Expected{RegionEdition::k2025, 38, 514, 7285, 83762},
                            Expected{RegionEdition::k2022, 37, 514, 7277, 83763},
                            Expected{RegionEdition::k2020, 34, 514, 7230, 83449}}) {
    EXPECT_EQ(t.AtLevel(RegionLevel::kProvinsi, e.edition).size(), e.provinsi);
    EXPECT_EQ(t.AtLevel(RegionLevel::kKabKota, e.edition).size(), e.kab_kota);
    EXPECT_EQ(t.AtLevel(RegionLevel::kKecamatan, e.edition).size(), e.kecamatan);
    EXPECT_EQ(t.AtLevel(RegionLevel::kDesa, e.edition).size(), e.desa);
  }
  EXPECT_TRUE(t.AtLevel(RegionLevel::kNone).empty());
}

TEST(RegionTableTest, FindsEveryLevelOf2025) {
  const RegionTable& t = Embedded();
  const Region* jabar = t.Find(32);
  ASSERT_NE(jabar, nullptr);
  EXPECT_EQ(jabar->nama, "Jawa Barat");
  EXPECT_EQ(jabar->level, RegionLevel::kProvinsi);
  EXPECT_EQ(jabar->parent, 0u);

  const Region* kab = t.Find(3201);
  ASSERT_NE(kab, nullptr);
  EXPECT_EQ(kab->nama, "Kabupaten Bogor");
  EXPECT_FALSE(kab->is_kota);
  EXPECT_EQ(kab->parent, 32u);

  const Region* kota = t.Find(3271);
  ASSERT_NE(kota, nullptr);
  EXPECT_EQ(kota->nama, "Kota Bogor");
  EXPECT_TRUE(kota->is_kota);

  const Region* kecamatan = t.Find(320101);
  ASSERT_NE(kecamatan, nullptr);
  EXPECT_EQ(kecamatan->nama, "Cibinong");
  EXPECT_EQ(kecamatan->level, RegionLevel::kKecamatan);
  EXPECT_EQ(kecamatan->parent, 3201u);

  const Region* kelurahan = t.Find(3201011006);
  ASSERT_NE(kelurahan, nullptr);
  EXPECT_EQ(kelurahan->nama, "Cibinong");
  EXPECT_TRUE(kelurahan->is_kelurahan);
  EXPECT_EQ(kelurahan->parent, 320101u);

  const Region* desa = t.Find(3201022001);
  ASSERT_NE(desa, nullptr);
  EXPECT_EQ(desa->nama, "Wanaherang");
  EXPECT_FALSE(desa->is_kelurahan);

  EXPECT_EQ(t.Find(33), t.Find(33, RegionEdition::k2025));
  EXPECT_EQ(t.Find(3299), nullptr);
  EXPECT_EQ(t.Find(0), nullptr);
}

TEST(RegionTableTest, OlderEditionsKeepTheirOwnNames) {
  const RegionTable& t = Embedded();
  ASSERT_NE(t.Find(32, RegionEdition::k2020), nullptr);
  EXPECT_EQ(t.Find(32, RegionEdition::k2020)->nama, "JAWA BARAT");
  EXPECT_EQ(t.Find(3201, RegionEdition::k2022)->nama, "KAB. BOGOR");
  EXPECT_EQ(t.Find(91, RegionEdition::k2020)->nama, "P A P U A");
  EXPECT_EQ(t.Find(96, RegionEdition::k2022), nullptr);  // Papua Barat Daya: 2022 onwards
  EXPECT_EQ(t.Find(96, RegionEdition::k2025)->nama, "Papua Barat Daya");
}

TEST(RegionTableTest, FindsCodesThatMovedOnlyInTheirEdition) {
  const RegionTable& t = Embedded();
  // Merauke was 91.01 (Papua) until the 2022 split made it 93.01 (Papua Selatan).
  EXPECT_EQ(t.Find(9101, RegionEdition::k2025), nullptr);
  EXPECT_EQ(t.Find(9101, RegionEdition::k2022), nullptr);
  const Region* old_merauke = t.Find(9101, RegionEdition::k2020);
  ASSERT_NE(old_merauke, nullptr);
  EXPECT_EQ(old_merauke->nama, "KAB. MERAUKE");
  EXPECT_EQ(t.FindAnyEdition(9101), old_merauke);
  EXPECT_EQ(t.Find(9301)->nama, "Kabupaten Merauke");
  // The newest edition wins when several have the code.
  EXPECT_EQ(t.FindAnyEdition(3201), t.Find(3201, RegionEdition::k2025));
  EXPECT_EQ(t.FindAnyEdition(9999), nullptr);
}

TEST(RegionTableTest, ParentChainsEndAtAProvinsi) {
  const RegionTable& t = Embedded();
  for (RegionEdition edition : {RegionEdition::k2025, RegionEdition::k2022, RegionEdition::k2020}) {
    for (const Region* desa : t.AtLevel(RegionLevel::kDesa, edition)) {
      const Region* r = desa;
      int steps = 0;
      while (r->parent != 0) {
        EXPECT_EQ(r->parent,
                  AncestorCode(r->code, static_cast<RegionLevel>(static_cast<int>(r->level) - 1)));
        r = t.Find(r->parent, edition);
        ASSERT_NE(r, nullptr) << desa->code;
        ++steps;
      }
      EXPECT_EQ(steps, 3) << desa->code;
      EXPECT_EQ(r->level, RegionLevel::kProvinsi);
    }
  }
}

TEST(RegionTableTest, ChildrenAreOrderedByCode) {
  const RegionTable& t = Embedded();
  std::span<const Region* const> provinces = t.Children(0);
  ASSERT_EQ(provinces.size(), 38u);
  EXPECT_EQ(provinces.front()->code, 11u);
  EXPECT_EQ(provinces.back()->code, 96u);
  EXPECT_EQ(t.Children(0, RegionEdition::k2020).size(), 34u);

  std::span<const Region* const> jabar = t.Children(32);
  ASSERT_EQ(jabar.size(), 27u);  // 18 kabupaten + 9 kota
  EXPECT_EQ(jabar.front()->code, 3201u);
  EXPECT_TRUE(std::is_sorted(jabar.begin(), jabar.end(),
                             [](const Region* a, const Region* b) { return a->code < b->code; }));
  for (const Region* r : jabar) EXPECT_EQ(r->parent, 32u);
  EXPECT_EQ(jabar[18]->code, 3271u);

  std::span<const Region* const> cibinong = t.Children(320101);
  ASSERT_FALSE(cibinong.empty());
  EXPECT_EQ(cibinong.front()->code, 3201011001u);
  EXPECT_EQ(cibinong.front()->nama, "Pondok Rajeg");

  EXPECT_TRUE(t.Children(3201011001).empty());  // a desa has none
  EXPECT_TRUE(t.Children(3299).empty());
  EXPECT_TRUE(t.Children(9101).empty());  // 2020-only code
  EXPECT_FALSE(t.Children(9101, RegionEdition::k2020).empty());
}

TEST(RegionTableTest, ChildrenCoverEveryRegionOnce) {
  const RegionTable& t = Embedded();
  for (RegionEdition edition : {RegionEdition::k2025, RegionEdition::k2022, RegionEdition::k2020}) {
    for (int level = 1; level <= 3; ++level) {
      size_t children = 0;
      for (const Region* r : t.AtLevel(static_cast<RegionLevel>(level), edition)) {
        for (const Region* child : t.Children(r->code, edition)) {
          EXPECT_EQ(child->parent, r->code);
          ++children;
        }
      }
      EXPECT_EQ(children, t.AtLevel(static_cast<RegionLevel>(level + 1), edition).size());
    }
  }
}

TEST(RegionTableTest, KnownKecamatanLooksInEveryEdition) {
  const RegionTable& t = Embedded();
  EXPECT_TRUE(t.KnownKecamatan(320101));
  // Merauke's kecamatan 91.01.01 exists only in the 2020 edition; NIKs issued there keep it.
  EXPECT_EQ(t.Find(910101), nullptr);
  EXPECT_EQ(t.Find(910101, RegionEdition::k2022), nullptr);
  EXPECT_TRUE(t.KnownKecamatan(910101));
  EXPECT_TRUE(t.KnownKecamatan(930101));
  EXPECT_FALSE(t.KnownKecamatan(329999));
  EXPECT_FALSE(t.KnownKecamatan(3201));
  EXPECT_FALSE(t.KnownKecamatan(3201011001));
}

TEST(RegionTableTest, ReportsItsMemory) {
  const size_t bytes = Embedded().MemoryUsage();
  EXPECT_GT(bytes, 10u << 20);
  EXPECT_LT(bytes, 64u << 20);
}

// ---- ResolveNames --------------------------------------------------------------------------

void ExpectResolves(RegionResolution r, KodeWilayah code, RegionLevel level,
                    bool ambiguous = false) {
  EXPECT_EQ(r.code, code);
  EXPECT_EQ(r.level, level);
  EXPECT_EQ(r.ambiguous, ambiguous);
}

TEST(RegionTableTest, ResolvesProvinsiNamesInAnyCase) {
  for (const char* name : {"JAWA BARAT", "Jawa Barat", "jawa barat", " Jawa  Barat ",
                           "Prov. Jawa Barat", "PROVINSI JAWA BARAT", "Jabar", "32"}) {
    SCOPED_TRACE(name);
    ExpectResolves(Resolve(name), 32, RegionLevel::kProvinsi);
  }
}

TEST(RegionTableTest, ResolvesJakartaYogyakartaAndPapuaSpellings) {
  for (const char* name : {"DKI JAKARTA", "Daerah Khusus Ibukota Jakarta", "Jakarta", "DKI",
                           "D.K.I. Jakarta", "Daerah Khusus Jakarta"}) {
    SCOPED_TRACE(name);
    ExpectResolves(Resolve(name), 31, RegionLevel::kProvinsi);
  }
  for (const char* name : {"DI YOGYAKARTA", "Daerah Istimewa Yogyakarta", "D.I. Yogyakarta", "DIY",
                           "Yogyakarta", "Jogja"}) {
    SCOPED_TRACE(name);
    ExpectResolves(Resolve(name), 34, RegionLevel::kProvinsi);
  }
  for (const char* name : {"P A P U A", "Papua", "PAPUA"}) {
    SCOPED_TRACE(name);
    ExpectResolves(Resolve(name), 91, RegionLevel::kProvinsi);
  }
}

TEST(RegionTableTest, ResolvesProvinsiAliasesFromTheDataFile) {
  const std::vector<std::pair<const char*, KodeWilayah>> cases = {
      {"NAD", 11},    {"Nanggroe Aceh Darussalam", 11},
      {"Sumut", 12},  {"Babel", 19},
      {"Kepri", 21},  {"Kep. Riau", 21},
      {"Jateng", 33}, {"Jatim", 35},
      {"NTB", 52},    {"N.T.T.", 53},
      {"Kalbar", 61}, {"Sulsel", 73},
      {"Sultra", 74}, {"PBD", 96}};
  for (const auto& [alias, code] : cases) {
    SCOPED_TRACE(alias);
    ExpectResolves(Resolve(alias), code, RegionLevel::kProvinsi);
  }
}

TEST(RegionTableTest, ResolvesKabupatenAndKotaPrefixes) {
  for (const char* name : {"KAB. BOGOR", "Kabupaten Bogor", "KABUPATEN BOGOR", "Kab Bogor",
                           "kab.bogor", "3201", "32.01"}) {
    SCOPED_TRACE(name);
    ExpectResolves(Resolve("JAWA BARAT", name), 3201, RegionLevel::kKabKota);
  }
  for (const char* name : {"KOTA BOGOR", "Kota Bogor", "Kotamadya Bogor", "3271"}) {
    SCOPED_TRACE(name);
    ExpectResolves(Resolve("Jawa Barat", name), 3271, RegionLevel::kKabKota);
  }
}

TEST(RegionTableTest, BareKabKotaNameTakesTheKabupatenAndIsAmbiguous) {
  ExpectResolves(Resolve("JAWA BARAT", "BOGOR"), 3201, RegionLevel::kKabKota, true);
  // A kecamatan below settles it: Cibinong is in the kabupaten, Bogor Tengah in the kota.
  ExpectResolves(Resolve("JAWA BARAT", "BOGOR", "CIBINONG"), 320101, RegionLevel::kKecamatan);
  ExpectResolves(Resolve("JAWA BARAT", "BOGOR", "Bogor Tengah"), 327103, RegionLevel::kKecamatan);
  // A kecamatan in neither leaves the bare name ambiguous.
  ExpectResolves(Resolve("JAWA BARAT", "BOGOR", "Atlantis"), 3201, RegionLevel::kKabKota, true);
  // A name that only a kota has is not ambiguous.
  ExpectResolves(Resolve("JAWA BARAT", "DEPOK"), 3276, RegionLevel::kKabKota);
}

TEST(RegionTableTest, KabKotaPrefixThatIsPartOfTheNameOrOfTheWrongKind) {
  // Kabupaten Kotabaru, written with a space.
  ExpectResolves(Resolve("Kalimantan Selatan", "KOTA BARU"), 6302, RegionLevel::kKabKota);
  ExpectResolves(Resolve("Kalimantan Selatan", "Kotabaru"), 6302, RegionLevel::kKabKota);
  // Batu is only a kota.
  ExpectResolves(Resolve("Jawa Timur", "Kab. Batu"), 3579, RegionLevel::kKabKota);
}

TEST(RegionTableTest, ResolvesJakartaCitiesAndKecamatan) {
  for (const char* name : {"JAKARTA SELATAN", "KOTA ADM. JAKARTA SELATAN",
                           "Kota Administrasi Jakarta Selatan", "Jaksel"}) {
    SCOPED_TRACE(name);
    ExpectResolves(Resolve("DKI JAKARTA", name), 3174, RegionLevel::kKabKota);
  }
  for (const char* name : {"Pasar Minggu", "PASAR MINGGU", "Kec. Pasar Minggu", "pasar-minggu"}) {
    SCOPED_TRACE(name);
    ExpectResolves(Resolve("DKI JAKARTA", "JAKARTA SELATAN", name), 317404,
                   RegionLevel::kKecamatan);
  }
  ExpectResolves(Resolve("DKI Jakarta", "Jakarta Pusat", "TANAH ABANG", "Kel. Bendungan Hilir"),
                 3171071002, RegionLevel::kDesa);
  ExpectResolves(Resolve("Dki Jakarta", "Kab. Adm. Kep. Seribu"), 3101, RegionLevel::kKabKota);
  ExpectResolves(Resolve("DKI JAKARTA", "Kepulauan Seribu"), 3101, RegionLevel::kKabKota);
}

TEST(RegionTableTest, IgnoresPunctuationApostrophesAndHyphens) {
  // The 2025 table writes Regapu’u with a typographic apostrophe.
  for (const char* name : {"Regapu'u", "REGAPU'U", "Regapuu", "Regapu’u", "Regapu`u"}) {
    SCOPED_TRACE(name);
    RegionResolution r = Resolve("53", "5307", "530701", name);
    EXPECT_EQ(r.code, 5307012021u);
    EXPECT_EQ(r.level, RegionLevel::kDesa);
  }
  for (const char* name : {"Toli-Toli", "TOLI TOLI", "Tolitoli", "KAB. TOLI-TOLI"}) {
    SCOPED_TRACE(name);
    ExpectResolves(Resolve("Sulawesi Tengah", name), 7204, RegionLevel::kKabKota);
  }
}

TEST(RegionTableTest, ReadsRomanArabicAndWordNumbersAlike) {
  // 2025 writes "Ilir Barat Dua", 2020 "ILIR BARAT II".
  for (const char* name : {"Ilir Barat Dua", "ILIR BARAT II", "Ilir Barat 2", "Ilir Barat 02"}) {
    SCOPED_TRACE(name);
    ExpectResolves(Resolve("Sumatera Selatan", "Kota Palembang", name), 167101,
                   RegionLevel::kKecamatan);
  }
  // "Lubuk Pakam I,II" and "Lubuk Pakam III" are two kelurahan, not one name.
  ExpectResolves(Resolve("Sumut", "Deli Serdang", "Lubuk Pakam", "Lubuk Pakam III"), 1207281008,
                 RegionLevel::kDesa);
  ExpectResolves(Resolve("Sumut", "Deli Serdang", "Lubuk Pakam", "LUBUK PAKAM I, II"), 1207281007,
                 RegionLevel::kDesa);
}

TEST(RegionTableTest, ResolvesCodesInAnyArgument) {
  ExpectResolves(Resolve("32", "3201", "320102", "3201022001"), 3201022001, RegionLevel::kDesa);
  ExpectResolves(Resolve("32", "32.01", "32.01.02", "32.01.02.2001"), 3201022001,
                 RegionLevel::kDesa);
  ExpectResolves(Resolve("Jawa Barat", "3201", "Cibinong", "1006"), 320101,
                 RegionLevel::kKecamatan);  // a desa's local number is not a code
  ExpectResolves(Resolve("Jawa Barat", "Kab. Bogor", "320101", "Pondok Rajeg"), 3201011001,
                 RegionLevel::kDesa);
  // A code needs no names above it.
  ExpectResolves(Resolve("", "", "", "3201022001"), 3201022001, RegionLevel::kDesa);
  ExpectResolves(Resolve("", "", "", "3201012001"), 0, RegionLevel::kNone);  // no such desa
  ExpectResolves(Resolve("", "3201"), 3201, RegionLevel::kKabKota);
  // A code outside the region above, of the wrong level, or unknown, stops the descent.
  ExpectResolves(Resolve("Jawa Tengah", "3201"), 33, RegionLevel::kProvinsi);
  ExpectResolves(Resolve("Jawa Barat", "320101"), 32, RegionLevel::kProvinsi);
  ExpectResolves(Resolve("Jawa Barat", "3299"), 32, RegionLevel::kProvinsi);
}

TEST(RegionTableTest, FallsBackToOlderEditionsAndReturnsTheirCodes) {
  // Merauke under Papua exists only in 2020 (91.01); under Papua Selatan it is 93.01.
  ExpectResolves(Resolve("PAPUA", "KAB. MERAUKE"), 9101, RegionLevel::kKabKota);
  ExpectResolves(Resolve("PAPUA", "MERAUKE", "MERAUKE"), 910101, RegionLevel::kKecamatan);
  ExpectResolves(Resolve("Papua Selatan", "Kabupaten Merauke", "Merauke"), 930101,
                 RegionLevel::kKecamatan);
  // 2020 spelling of a kabupaten whose code did not change.
  ExpectResolves(Resolve("GORONTALO", "KAB. PAHUWATO"), 7504, RegionLevel::kKabKota);
  ExpectResolves(Resolve("Sumatera Utara", "Toba Samosir"), 1212, RegionLevel::kKabKota);
}

TEST(RegionTableTest, UnknownNameReturnsTheDeepestResolvedLevel) {
  ExpectResolves(Resolve("Jawa Barat", "Kab. Bogor", "Cibinong", "Desa Yang Tidak Ada"), 320101,
                 RegionLevel::kKecamatan);
  ExpectResolves(Resolve("Jawa Barat", "Kab. Bogor", "Atlantis", "Pondok Rajeg"), 3201,
                 RegionLevel::kKabKota);
  ExpectResolves(Resolve("Atlantis", "Kab. Bogor"), 0, RegionLevel::kNone);
  ExpectResolves(Resolve(""), 0, RegionLevel::kNone);
  // A name needs its parent: an empty kab/kota stops before the kecamatan name.
  ExpectResolves(Resolve("Jawa Barat", "", "Cibinong", "Pondok Rajeg"), 32, RegionLevel::kProvinsi);
  ExpectResolves(Resolve("Jawa Barat", "-", "", ""), 32, RegionLevel::kProvinsi);
}

TEST(RegionTableTest, DropsDesaPrefixesAndRetriesWithoutLocalWords) {
  ExpectResolves(Resolve("Jawa Barat", "Kab. Bogor", "Kec. Cibinong", "Kel. Pondok Rajeg"),
                 3201011001, RegionLevel::kDesa);
  ExpectResolves(Resolve("Jawa Barat", "Kab. Bogor", "Kecamatan Cibinong", "Kelurahan Karadenan"),
                 3201011002, RegionLevel::kDesa);
  // Papua's desa are "kampung": an export may add the word the table leaves out.
  const RegionTable& t = Embedded();
  const Region* desa = t.Children(940101).front();
  ASSERT_FALSE(desa->nama.starts_with("Kampung"));
  const std::string with_kampung = "Kampung " + std::string(desa->nama);
  RegionResolution r = Resolve("94", "9401", "940101", with_kampung);
  EXPECT_EQ(r.code, desa->code);
  EXPECT_EQ(r.level, RegionLevel::kDesa);
}

TEST(RegionTableTest, DuplicateDesaNamesTakeTheLowestCodeAndAreAmbiguous) {
  ExpectResolves(Resolve("Sumatera Utara", "Tapanuli Tengah", "Sorkam Barat", "Sorkam Kanan"),
                 1201101001, RegionLevel::kDesa, true);
  ExpectResolves(Resolve("Maluku", "Kota Ambon", "Nusaniwe", "Urimessing"), 8171011011,
                 RegionLevel::kDesa, true);
}

// Every 2025 region, looked up by its own name under its parent's code, resolves to itself,
// except the 16 pairs of desa that share a name within their kecamatan.
TEST(RegionTableTest, EveryNameOf2025ResolvesToItsRegion) {
  const RegionTable& t = Embedded();
  std::set<KodeWilayah> ambiguous;
  for (int level = 1; level <= 4; ++level) {
    for (const Region* r : t.AtLevel(static_cast<RegionLevel>(level))) {
      std::array<std::string, 4> args;
      if (r->parent != 0) {
        args[level - 2] = FormatKodeWilayah(r->parent);
      }
      args[level - 1] = std::string(r->nama);
      RegionResolution got = t.ResolveNames(args[0], args[1], args[2], args[3]);
      ASSERT_EQ(got.level, r->level) << r->code << " " << r->nama;
      if (got.ambiguous) {
        EXPECT_EQ(level, 4) << r->code << " " << r->nama;
        EXPECT_LE(got.code, r->code);
        ambiguous.insert(got.code);
      } else {
        EXPECT_EQ(got.code, r->code) << r->nama;
      }
    }
  }
  EXPECT_EQ(ambiguous.size(), 16u);
}

TEST(RegionTableTest, EveryNameOfOlderEditionsResolvesToItsLevel) {
  const RegionTable& t = Embedded();
  for (RegionEdition edition : {RegionEdition::k2022, RegionEdition::k2020}) {
    for (int level = 1; level <= 4; ++level) {
      for (const Region* r : t.AtLevel(static_cast<RegionLevel>(level), edition)) {
        std::array<std::string, 4> args;
        if (r->parent != 0) args[level - 2] = FormatKodeWilayah(r->parent);
        args[level - 1] = std::string(r->nama);
        RegionResolution got = t.ResolveNames(args[0], args[1], args[2], args[3]);
        ASSERT_EQ(got.level, r->level) << r->code << " " << r->nama;
        EXPECT_EQ(AncestorCode(got.code, static_cast<RegionLevel>(level - 1)),
                  AncestorCode(r->code, static_cast<RegionLevel>(level - 1)));
      }
    }
  }
}

TEST(RegionTableTest, ResolveNamesSurvivesHostileInput) {
  const std::string long_name(5000, 'A');
  ExpectResolves(Resolve(long_name), 0, RegionLevel::kNone);
  const std::string many_words = [] {
    std::string s;
    for (int i = 0; i < 100; ++i) s += "JAWA ";
    return s;
  }();
  ExpectResolves(Resolve(many_words), 0, RegionLevel::kNone);
  ExpectResolves(Resolve(std::string_view("\0\xff\xe2\x80", 4)), 0, RegionLevel::kNone);
  ExpectResolves(Resolve("Jawa Barat", "99999999999999999999999"), 32, RegionLevel::kProvinsi);
  ExpectResolves(Resolve("...."), 0, RegionLevel::kNone);
}

// ---- FromCsv -------------------------------------------------------------------------------

TEST(RegionTableTest, FromCsvLoadsGivenEditionsOnly) {
  const std::string small = SmallEdition();
  std::array<std::string_view, 3> editions = {small, "", ""};
  absl::StatusOr<std::unique_ptr<RegionTable>> t = RegionTable::FromCsv(editions);
  ASSERT_THAT(t, IsOk());
  ASSERT_NE((*t)->Find(3201012001), nullptr);
  EXPECT_EQ((*t)->Find(3201011002)->nama, "Karadenan, Lama");
  EXPECT_EQ((*t)->Find(3201, RegionEdition::k2022), nullptr);
  EXPECT_TRUE((*t)->Children(0, RegionEdition::k2020).empty());
  EXPECT_TRUE((*t)->AtLevel(RegionLevel::kDesa, RegionEdition::k2022).empty());
  // Ordered by code although the file lists 2001 before 1002.
  std::span<const Region* const> desa = (*t)->Children(320101);
  ASSERT_EQ(desa.size(), 2u);
  EXPECT_EQ(desa[0]->code, 3201011002u);
  EXPECT_EQ(desa[1]->code, 3201012001u);
  EXPECT_TRUE((*t)->KnownKecamatan(327103));
  RegionResolution r = (*t)->ResolveNames("jawa barat", "bogor", "", "");
  EXPECT_EQ(r.code, 3201u);
  EXPECT_TRUE(r.ambiguous);
}

TEST(RegionTableTest, FromCsvRejectsMoreEditionsThanItHas) {
  const std::string small = SmallEdition();
  std::array<std::string_view, 4> editions = {small, small, small, small};
  EXPECT_THAT(RegionTable::FromCsv(editions), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(RegionTableTest, FromCsvNamesTheLineOfAMalformedRow) {
  struct Case {
    std::string row;  // line 3, after the header and the provinsi
    std::string message;
  };
  const std::vector<Case> cases = {
      {"32.01,3201,2,kabupaten,Kabupaten Bogor\n", "expected 6 fields, found 5"},
      {"32.01,3201,2,kabupaten,Kabupaten Bogor,32,x\n", "expected 6 fields, found 7"},
      {"32.0A,32A1,2,kabupaten,Kabupaten Bogor,32\n", "kode_nodot '32A1'"},
      {"32.01,320,2,kabupaten,Kabupaten Bogor,32\n", "kode_nodot '320'"},
      {"32.02,3201,2,kabupaten,Kabupaten Bogor,32\n", "does not match kode_nodot"},
      {"32.01,3201,3,kabupaten,Kabupaten Bogor,32\n", "level '3' does not match"},
      {"32.01,3201,2,kecamatan,Kabupaten Bogor,32\n", "jenis 'kecamatan'"},
      {"32.01,3201,2,kabupaten,,32\n", "nama ''"},
      {"32.01,3201,2,kabupaten,Kabupaten Bogor,33\n", "kode_induk '33' is not the parent"},
      {"33.01,3301,2,kabupaten,Kabupaten Cilacap,33\n", "parent 33 of 33.01 is not in the table"},
      {"32.01,3201,2,kabupaten,\"Kabupaten \"Bogor,32\n", "text after a closing quote"},
      {"32.01,3201,2,kabupaten,\"Kabupaten Bogor,32\n", "quote not closed"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.row);
    const std::string csv = std::string(kHeader) + "32,32,1,provinsi,Jawa Barat,\n" + c.row;
    absl::Status status = LoadError(csv);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_THAT(Message(status), HasSubstr("line 3: "));
    EXPECT_THAT(Message(status), HasSubstr(c.message));
  }
}

TEST(RegionTableTest, FromCsvRejectsDuplicatesAndBadHeaders) {
  const std::string duplicate = std::string(kHeader) +
                                "32,32,1,provinsi,Jawa Barat,\n"
                                "33,33,1,provinsi,Jawa Tengah,\n"
                                "32,32,1,provinsi,Jawa Barat,\n";
  absl::Status status = LoadError(duplicate);
  EXPECT_THAT(Message(status), HasSubstr("line 4: duplicate code 32 (also on line 2)"));

  status = LoadError("kode,nama\n32,Jawa Barat\n");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Message(status), HasSubstr("line 1: expected the header"));

  status = LoadError("\n\n");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Message(status), HasSubstr("is empty"));
}

TEST(RegionTableTest, FromCsvAcceptsCrlfAndBlankLines) {
  const std::string csv =
      "kode,kode_nodot,level,jenis,nama,kode_induk\r\n"
      "32,32,1,provinsi,Jawa Barat,\r\n"
      "\r\n"
      "32.71,3271,2,kota,Kota Bogor,32\r\n";
  std::array<std::string_view, 1> editions = {csv};
  absl::StatusOr<std::unique_ptr<RegionTable>> t = RegionTable::FromCsv(editions);
  ASSERT_THAT(t, IsOk());
  ASSERT_NE((*t)->Find(3271), nullptr);
  EXPECT_EQ((*t)->Find(3271)->parent, 32u);
  EXPECT_EQ((*t)->Find(32)->nama, "Jawa Barat");
}

TEST(RegionTableTest, AliasesResolveAndAreChecked) {
  const std::string small = SmallEdition();
  std::array<std::string_view, 1> editions = {small};
  absl::StatusOr<std::unique_ptr<RegionTable>> t =
      RegionTable::FromCsv(editions, "alias,kode\nJabar,32\nKota Hujan,32.71\nJawa Barat,32\n");
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ((*t)->ResolveNames("JABAR", "Kota Hujan", "", "").code, 3271u);
  EXPECT_EQ((*t)->ResolveNames("JABAR", "Hujan", "", "").code, 3271u);

  absl::Status unknown =
      RegionTable::FromCsv(editions, "alias,kode\nJabar,32\nJateng,33\n").status();
  EXPECT_THAT(unknown, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Message(unknown), HasSubstr("line 3: kode 33 is in no edition"));

  // Sukahati is the name of 32.01.01.2001 in the same kecamatan.
  absl::Status other =
      RegionTable::FromCsv(editions, "alias,kode\nBogor,3271\nSukahati,32.01.01.1002\n").status();
  EXPECT_THAT(other, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Message(other), HasSubstr("line 3: alias 'Sukahati' for 3201011002 is the name of "
                                        "another region, 3201012001"));

  absl::Status kind = RegionTable::FromCsv(editions, "alias,kode\nKota Bogor,3201\n").status();
  EXPECT_THAT(kind, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Message(kind), HasSubstr("line 2: alias 'Kota Bogor' names a kota"));

  absl::Status twice = RegionTable::FromCsv(editions,
                                            "alias,kode\nHujan,3201011002\n"
                                            "Hujan,3201012001\n")
                           .status();
  EXPECT_THAT(Message(twice), HasSubstr("line 3: alias 'Hujan' for 3201012001 already stands for "
                                        "3201011002"));
}

}  // namespace
}  // namespace padan
