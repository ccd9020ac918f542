#include "matching/verivali_input.h"

#include <filesystem>
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kPapiHeader =
    "kode_desa,nama_desa,no_urut_ruta,nama_krt,alamat,rt,rw,no_kk,no_art,nama_art,nik,"
    "jenis_kelamin,tanggal_lahir,umur,hubungan_krt,status_kawin,status_art\n";

class VerivaliInputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    regions_ = RegionTable::LoadEmbedded()->release();
    dir_ = new std::string(padan::testing::MakeTempDir());
  }
  static void TearDownTestSuite() {
    delete regions_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  absl::StatusOr<VerivaliRecords> Read(std::string_view name, std::string_view content,
                                       VerivaliSide side) {
    const std::string path = *dir_ + "/" + std::string(name);
    padan::testing::WriteFile(path, content);
    return ReadVerivaliRecords(path, ColumnMapping(), side, *regions_, BatchControl(), "test");
  }

  static RegionTable* regions_;
  static std::string* dir_;
};

RegionTable* VerivaliInputTest::regions_ = nullptr;
std::string* VerivaliInputTest::dir_ = nullptr;

TEST_F(VerivaliInputTest, PapiRowsGetFormIdsHouseholdsAndStatus) {
  std::string csv(kPapiHeader);
  csv += "3201011001,PONDOK RAJEG,7,SITI,JL MAWAR 1,001,002,'3201012304150001,1,SITI,"
         "'3201014101800002,2,01/01/1980,45,1,2,1\n";
  csv += "3201011001,PONDOK RAJEG,7,SITI,JL MAWAR 1,001,002,'3201012304150001,2,BUDI,"
         ",1,02/03/1978,47,2,2,2\n";
  csv += "3201011001,PONDOK RAJEG,8,ANI,JL MELATI 2,001,002,,1,ANI,,2,05/06/1990,35,1,1,3\n";
  absl::StatusOr<VerivaliRecords> r = Read("papi.csv", csv, VerivaliSide::kField);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->persons.size(), 3u);
  EXPECT_EQ(r->persons[0].id_art, "3201011001-7-1");
  EXPECT_EQ(r->persons[0].nik, "3201014101800002");
  EXPECT_EQ(r->persons[1].hubungan, Hubungan::kIstriSuami);
  EXPECT_EQ(r->households.size(), 2u);
  EXPECT_EQ(r->households[0].id_keluarga, "3201011001-7");
  EXPECT_EQ(r->households[0].kode_wilayah, 3201011001u);
  EXPECT_EQ(r->household_of, (std::vector<uint32_t>{0, 0, 1}));
  EXPECT_EQ(r->status_art,
            (std::vector<StatusArt>{StatusArt::kTinggal, StatusArt::kMeninggal, StatusArt::kPindah}));
}

TEST_F(VerivaliInputTest, CapiHouseholdsWithAnggota) {
  const std::string ndjson =
      R"({"kode_desa":"3201011001","no_urut_ruta":3,"nama_krt":"SITI","alamat":"JL MAWAR",)"
      R"("rt":"001","rw":"002","no_kk":"3201012304150001","anggota":[)"
      R"({"no_art":1,"nama":"SITI","nik":"3201014101800002","jenis_kelamin":"P",)"
      R"("tanggal_lahir":"1980-01-01","umur":45,"hubungan_krt":1,"status_kawin":2,"status_art":1},)"
      R"({"no_art":2,"nama":"BUDI","nik":"","jenis_kelamin":"L","tanggal_lahir":"1978-03-02",)"
      R"("umur":47,"hubungan_krt":2,"status_kawin":2,"status_art":2}]})"
      "\n";
  absl::StatusOr<VerivaliRecords> r = Read("capi.ndjson", ndjson, VerivaliSide::kField);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->persons.size(), 2u);
  EXPECT_EQ(r->persons[1].id_art, "3201011001-3-2");
  EXPECT_EQ(r->persons[1].jenis_kelamin, Sex::kLakiLaki);
  EXPECT_EQ(r->status_art[1], StatusArt::kMeninggal);
  EXPECT_EQ(r->households.size(), 1u);
}

TEST_F(VerivaliInputTest, MissingRequiredColumnNamesIt) {
  absl::StatusOr<VerivaliRecords> r =
      Read("no_name.csv", "ID DTKS,Kode Wilayah\n1,3201011001\n", VerivaliSide::kPrelist);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("required column missing: nama"));
}

TEST_F(VerivaliInputTest, RaggedRowStopsWithItsLine) {
  absl::StatusOr<VerivaliRecords> r = Read(
      "ragged.csv", "ID DTKS,Nama,Kode Wilayah\n1,SITI,3201011001\n2,BUDI\n3,ANI,3201011001\n",
      VerivaliSide::kPrelist);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("ragged.csv: line 3"));
}

TEST_F(VerivaliInputTest, InvalidUtf8StopsWithItsLine) {
  absl::StatusOr<VerivaliRecords> r =
      Read("latin1.csv", "ID DTKS,Nama,Kode Wilayah\n1,SITI,3201011001\n2,JOS\xC9,3201011001\n",
           VerivaliSide::kPrelist);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("line 3"));
}

TEST_F(VerivaliInputTest, RepeatedIdAndUnknownStatusStopWithTheirLine) {
  absl::StatusOr<VerivaliRecords> repeated = Read(
      "repeated.csv", "ID DTKS,Nama,Kode Wilayah\n1,SITI,3201011001\n1,BUDI,3201011001\n",
      VerivaliSide::kPrelist);
  ASSERT_FALSE(repeated.ok());
  EXPECT_THAT(std::string(repeated.status().message()), HasSubstr("line 3"));

  std::string csv(kPapiHeader);
  csv += "3201011001,X,1,SITI,JL,001,002,,1,SITI,,2,01/01/1980,45,1,2,9\n";
  absl::StatusOr<VerivaliRecords> status = Read("status.csv", csv, VerivaliSide::kField);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(std::string(status.status().message()), HasSubstr("line 2: status_art"));
}

TEST_F(VerivaliInputTest, EmptyFileIsAnError) {
  absl::StatusOr<VerivaliRecords> r =
      Read("empty.csv", "ID DTKS,Nama,Kode Wilayah\n", VerivaliSide::kPrelist);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("no data rows"));
}

}  // namespace
}  // namespace padan
