#include "data/population_table.h"

#include <algorithm>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::StatusIs;
using ::testing::HasSubstr;

std::string Message(const absl::Status& status) { return std::string(status.message()); }

constexpr std::string_view kHeader = "kode,nama,pria,wanita,total\n";

TEST(PopulationTableTest, LoadsEmbeddedProvinsiAndKabKota) {
  absl::StatusOr<std::unique_ptr<PopulationTable>> table = PopulationTable::LoadEmbedded();
  ASSERT_THAT(table, IsOk());
  const PopulationTable& t = **table;
  EXPECT_EQ(t.national_total(), 284973643);  // Dukcapil, semester II 2024
  EXPECT_EQ(t.Provinsi().size(), 38u);
  EXPECT_EQ(t.KabKota().size(), 514u);

  const RegionPopulation* jabar = t.Find(32);
  ASSERT_NE(jabar, nullptr);
  EXPECT_EQ(jabar->code, 32u);
  EXPECT_EQ(jabar->pria, 25997794);
  EXPECT_EQ(jabar->wanita, 25318584);
  EXPECT_EQ(jabar->total, 51316378);

  const RegionPopulation* bogor = t.Find(*ParseKodeWilayah("32.01"));
  ASSERT_NE(bogor, nullptr);
  EXPECT_EQ(bogor->code, 3201u);
  EXPECT_EQ(bogor->total, 5809790);
  ASSERT_NE(t.Find(3271), nullptr);
  EXPECT_EQ(t.Find(3271)->total, 1144108);
  ASSERT_NE(t.Find(9671), nullptr);  // Kota Sorong, in Papua Barat Daya since 2022

  EXPECT_EQ(t.Find(0), nullptr);
  EXPECT_EQ(t.Find(320101), nullptr);
  EXPECT_EQ(t.Find(3299), nullptr);
  EXPECT_EQ(t.Find(99), nullptr);
}

TEST(PopulationTableTest, EmbeddedRowsAreOrderedAndAddUp) {
  absl::StatusOr<std::unique_ptr<PopulationTable>> table = PopulationTable::LoadEmbedded();
  ASSERT_THAT(table, IsOk());
  const PopulationTable& t = **table;
  auto by_code = [](const RegionPopulation& a, const RegionPopulation& b) {
    return a.code < b.code;
  };
  EXPECT_TRUE(std::is_sorted(t.KabKota().begin(), t.KabKota().end(), by_code));
  EXPECT_TRUE(std::is_sorted(t.Provinsi().begin(), t.Provinsi().end(), by_code));
  int64_t provinces = 0;
  for (const RegionPopulation& p : t.Provinsi()) {
    provinces += p.total;
    int64_t kab_kota = 0;
    for (const RegionPopulation& k : t.KabKota()) {
      if (AncestorCode(k.code, RegionLevel::kProvinsi) == p.code) kab_kota += k.total;
    }
    EXPECT_EQ(kab_kota, p.total) << p.code;
  }
  EXPECT_EQ(provinces, t.national_total());
}

TEST(PopulationTableTest, EveryRowIsARegionOf2025) {
  absl::StatusOr<std::unique_ptr<PopulationTable>> table = PopulationTable::LoadEmbedded();
  absl::StatusOr<std::unique_ptr<RegionTable>> regions = RegionTable::LoadEmbedded();
  ASSERT_THAT(table, IsOk());
  ASSERT_THAT(regions, IsOk());
  for (const RegionPopulation& row : (*table)->KabKota()) {
    EXPECT_NE((*regions)->Find(row.code), nullptr) << row.code;
  }
  EXPECT_EQ((*table)->KabKota().size(),
            (*regions)->AtLevel(RegionLevel::kKabKota, RegionEdition::k2025).size());
}

TEST(PopulationTableTest, FromCsvWithoutNationalRowSumsTheProvinces) {
  const std::string csv = std::string(kHeader) +
                          "33,Jawa Tengah,10,20,30\n"
                          "32,Jawa Barat,1,2,3\n"
                          "3201,Kabupaten Bogor,1,1,2\n"
                          "\"32.71\",\"Kota Bogor, Jawa Barat\",0,1,1\n";
  absl::StatusOr<std::unique_ptr<PopulationTable>> table = PopulationTable::FromCsv(csv);
  ASSERT_THAT(table, IsOk());
  EXPECT_EQ((*table)->national_total(), 33);
  ASSERT_EQ((*table)->Provinsi().size(), 2u);
  EXPECT_EQ((*table)->Provinsi()[0].code, 32u);
  ASSERT_NE((*table)->Find(3271), nullptr);
  EXPECT_EQ((*table)->Find(3271)->wanita, 1);
  EXPECT_EQ((*table)->KabKota().size(), 2u);
}

TEST(PopulationTableTest, FromCsvNamesTheLineOfAMalformedRow) {
  struct Case {
    std::string row;  // line 3
    std::string message;
  };
  const std::vector<Case> cases = {
      {"32.01,Kabupaten Bogor,1,1\n", "expected 5 fields, found 4"},
      {"32.01,Kabupaten Bogor,1,x,2\n", "must be whole numbers"},
      {"32.01,Kabupaten Bogor,-1,3,2\n", "must be whole numbers"},
      {"32.01,Kabupaten Bogor,1,1,3\n", "total 3 is not pria + wanita (1 + 1)"},
      {"32.01.01,Cibinong,1,1,2\n", "kode '32.01.01' is neither 0 nor a provinsi or kab/kota code"},
      {"Bogor,Kabupaten Bogor,1,1,2\n", "kode 'Bogor'"},
      {"32,Jawa Barat,1,1,2\n", "duplicate kode 32 (also on line 2)"},
      {"0,INDONESIA,1,1,2\n", "second national row (kode 0; first on line 2)"},
      {"32.01,Kabupaten Bogor,99999999999999999999,1,2\n", "must be whole numbers"},
      {"32.01,Kabupaten Bogor,9223372036854775807,1,1\n", "is not pria + wanita"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.row);
    std::string csv = std::string(kHeader) + "32,Jawa Barat,1,2,3\n" + c.row;
    if (c.row.starts_with("0,")) csv = std::string(kHeader) + "0,INDONESIA,1,1,2\n" + c.row;
    absl::Status status = PopulationTable::FromCsv(csv).status();
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_THAT(Message(status), HasSubstr(c.message));
    EXPECT_THAT(Message(status), HasSubstr("line 3: "));
  }
}

TEST(PopulationTableTest, FromCsvRejectsAnotherHeader) {
  absl::Status status = PopulationTable::FromCsv("kode,nama,total\n32,Jawa Barat,3\n").status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Message(status),
              HasSubstr("line 1: expected the header 'kode,nama,pria,wanita,total'"));
  EXPECT_THAT(PopulationTable::FromCsv(""), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace padan
