#include "data/importer.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "data/absl_strings.h"
#include "data/field_error.h"
#include "data/record.h"
#include "data/region_table.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::string_view kSiksNgHeader =
    "ID DTKS,Provinsi,Kabupaten/Kota,Kecamatan,Desa/Kelurahan,Alamat,Dusun,RT,RW,Nomor KK,"
    "Nomor NIK,Nama,Tanggal Lahir,Tempat Lahir,Jenis Kelamin,Nama Ibu Kandung,"
    "Hubungan Keluarga\n";

const RegionTable& Regions() {
  static const RegionTable* regions = RegionTable::LoadEmbedded()->release();
  return *regions;
}

// Collects what the importer accepts, refusing repeated ids as the record store does.
struct CollectingSink {
  std::vector<Household> households;
  std::vector<Person> persons;
  absl::Status Add(const Household& household, const Person& person) {
    for (const Person& existing : persons) {
      if (existing.id_art == person.id_art) {
        return absl::AlreadyExistsError("id_art " + person.id_art + " already imported");
      }
    }
    households.push_back(household);
    persons.push_back(person);
    return absl::OkStatus();
  }
};

struct ImportResult {
  absl::StatusOr<ImportSummary> summary;
  CollectingSink sink;
  std::string rejects;
};

ImportResult ImportCsv(std::string csv, const ColumnMapping& mapping = {},
                       std::vector<ImportField> required_fields = {}) {
  ImportResult result;
  std::string dir = padan::testing::MakeTempDir();
  auto reader = CsvReaderFromString(std::move(csv), mapping.reader);
  if (!reader.ok()) {
    result.summary = reader.status();
    return result;
  }
  ImportOptions options;
  options.rejects_path = dir + "/rejects.csv";
  options.required_fields = std::move(required_fields);
  result.summary =
      ImportRows(**reader, mapping, Regions(), options,
                 [&](const Household& h, const Person& p) { return result.sink.Add(h, p); });
  result.rejects = padan::testing::ReadFile(options.rejects_path);
  return result;
}

TEST(ImporterTest, ReadsSiksNgExportWithoutMapping) {
  ImportResult result = ImportCsv(StrCat(
      kSiksNgHeader,
      "A1,JAWA BARAT,KAB. BOGOR,CIBINONG,PONDOK RAJEG,Jl. Mawar No. 5,Krajan,001,002,"
      "3201011203150007,3201011705800003,Budi Santoso,17-05-1980,BOGOR,Laki-laki,Siti Aminah,"
      "Kepala Keluarga\n"
      "A2,Jawa Barat,Kabupaten Bogor,Cibinong,Pondok Rajeg,Jl. Mawar No. 5,Krajan,001,002,"
      "3201011203150007,3201015408850002,Sri Wahyuni,14-08-1985,Bogor,P,Painem,Istri\n"));
  ASSERT_THAT(result.summary, IsOk());
  EXPECT_EQ(result.summary->rows_read, 2);
  EXPECT_EQ(result.summary->accepted, 2);
  EXPECT_EQ(result.summary->rejected, 0);
  ASSERT_EQ(result.sink.persons.size(), 2u);
  const Person& budi = result.sink.persons[0];
  EXPECT_EQ(budi.id_art, "A1");
  EXPECT_EQ(budi.nama, "Budi Santoso");
  EXPECT_EQ(budi.nik_value, 3201011705800003u);
  EXPECT_EQ(budi.tanggal_lahir.ToString(), "1980-05-17");
  EXPECT_EQ(budi.jenis_kelamin, Sex::kLakiLaki);
  EXPECT_EQ(budi.hubungan, Hubungan::kKepalaKeluarga);
  EXPECT_EQ(budi.nama_ibu_kandung, "Siti Aminah");
  EXPECT_EQ(budi.flags, 0);
  const Household& household = result.sink.households[1];
  // Without an ID Keluarga column the No KK is the household key.
  EXPECT_EQ(household.id_keluarga, "3201011203150007");
  EXPECT_EQ(result.sink.persons[1].id_keluarga, "3201011203150007");
  EXPECT_EQ(household.kode_wilayah, 3201011001u);
  EXPECT_EQ(household.rt, "001");
  EXPECT_EQ(household.flags, 0);
  EXPECT_EQ(result.sink.persons[1].hubungan, Hubungan::kIstriSuami);
}

TEST(ImporterTest, EveryRefusedRowGoesToRejectsWithLineAndReason) {
  ImportResult result = ImportCsv(StrCat(
      kSiksNgHeader,
      ",Jawa Barat,Kabupaten Bogor,Cibinong,Pondok Rajeg,,,,,,,Tanpa Id,,,,,\n"      // line 2
      "B1,Jawa Barat,Kabupaten Bogor,Cibinong,Pondok Rajeg,,,,,,,,,,,,\n"            // line 3
      "B2,Jawa Barat,Kabupaten Bogor\n"                                              // line 4
      "B3,Jawa Barat,Kabupaten Bogor,Cibinong,Pondok Rajeg,,,,,,,Ani,,,,,\n"         // line 5
      "B3,Jawa Barat,Kabupaten Bogor,Cibinong,Pondok Rajeg,,,,,,,Ani Lagi,,,,,\n"))  // line 6
      ;
  ASSERT_THAT(result.summary, IsOk());
  EXPECT_EQ(result.summary->rows_read, 5);
  EXPECT_EQ(result.summary->accepted, 1);
  EXPECT_EQ(result.summary->rejected, 4);
  EXPECT_EQ(result.summary->duplicate_id, 1);
  EXPECT_EQ(result.summary->rows_read, result.summary->accepted + result.summary->rejected);
  EXPECT_THAT(result.rejects, HasSubstr("line,field,reason,ID DTKS"));
  EXPECT_THAT(result.rejects, HasSubstr("\n2,id_art,"));
  EXPECT_THAT(result.rejects, HasSubstr("\n3,nama,"));
  EXPECT_THAT(result.rejects, HasSubstr("\n4,malformed row,"));
  EXPECT_THAT(result.rejects, HasSubstr("\n6,duplicate id_art,"));
  EXPECT_THAT(result.rejects, HasSubstr("Ani Lagi"));
}

TEST(ImporterTest, KeepsAndFlagsUntrustworthyValues) {
  ImportResult result = ImportCsv(
      StrCat(kSiksNgHeader,
             // 15-digit NIK, 12-digit KK, impossible date, unknown sex code, unknown desa name.
             "C1,Jawa Barat,Kabupaten Bogor,Cibinong,Desa Tidak Ada,,,,,320101120315,"
             "320101170580000,Joko,31-02-1980,,X,,Bapak Kos\n"
             // NIK says woman born 14-08-85; the row says man born 1986.
             "C2,Jawa Barat,Kabupaten Bogor,Cibinong,Pondok Rajeg,,,,,,3201015408850002,Tono,"
             "14-08-1986,,L,,Anak\n"));
  ASSERT_THAT(result.summary, IsOk());
  ASSERT_EQ(result.summary->accepted, 2);
  const Person& joko = result.sink.persons[0];
  EXPECT_EQ(joko.nik, "320101170580000");
  EXPECT_EQ(joko.nik_value, 0u);
  EXPECT_EQ(joko.tanggal_lahir_text, "31-02-1980");
  EXPECT_TRUE(joko.tanggal_lahir.missing());
  EXPECT_NE(joko.flags & kPersonNikInvalid, 0);
  EXPECT_NE(joko.flags & kPersonDobInvalid, 0);
  EXPECT_NE(joko.flags & kPersonSexInvalid, 0);
  EXPECT_NE(joko.flags & kPersonHubunganInvalid, 0);
  const Household& household = result.sink.households[0];
  EXPECT_EQ(household.no_kk, "320101120315");
  EXPECT_NE(household.flags & kHouseholdNoKkInvalid, 0);
  EXPECT_NE(household.flags & kHouseholdRegionUnknown, 0);
  // The kecamatan still resolved.
  EXPECT_EQ(household.kode_wilayah, 320101u);
  const Person& tono = result.sink.persons[1];
  EXPECT_NE(tono.flags & kPersonNikSexConflict, 0);
  EXPECT_NE(tono.flags & kPersonNikDobConflict, 0);
  EXPECT_NE(result.sink.households[1].flags & kHouseholdNoKkMissing, 0);
  // No family id and no KK: a household of one, keyed by the person.
  EXPECT_EQ(result.sink.households[1].id_keluarga, "C2");

  const ImportSummary& s = *result.summary;
  EXPECT_EQ(s.nik_invalid, 1);
  EXPECT_EQ(s.no_kk_invalid, 1);
  EXPECT_EQ(s.no_kk_missing, 1);
  EXPECT_EQ(s.region_unknown, 1);
  EXPECT_EQ(s.dob_invalid, 1);
  EXPECT_EQ(s.sex_invalid, 1);
  EXPECT_EQ(s.hubungan_invalid, 1);
  EXPECT_EQ(s.nik_sex_conflict, 1);
  EXPECT_EQ(s.nik_dob_conflict, 1);
}

TEST(ImporterTest, SemicolonBomAndCrlfExport) {
  ImportResult result = ImportCsv(
      "\xEF\xBB\xBFID DTKS;Nama;Nomor NIK;Tanggal Lahir;Kode Wilayah\r\n"
      "D1;\"Siti; Aminah\";3201015408850002;1985-08-14;3201011001\r\n");
  ASSERT_THAT(result.summary, IsOk());
  ASSERT_EQ(result.sink.persons.size(), 1u);
  EXPECT_EQ(result.sink.persons[0].nama, "Siti; Aminah");
  EXPECT_EQ(result.sink.households[0].kode_wilayah, 3201011001u);
  EXPECT_EQ(result.sink.households[0].flags & kHouseholdRegionUnknown, 0);
}

TEST(ImporterTest, MappingJoinsColumnsParsesCompactDatesAndPadsIds) {
  absl::StatusOr<ColumnMapping> mapping = ColumnMapping::FromJson(R"({
    "fields": {
      "id_art": {"column": "person_no", "pad_left": 8},
      "nama": {"columns": ["given_name", "surname"]},
      "tanggal_lahir": {"column": "date_of_birth", "format": "YYYYMMDD"},
      "jenis_kelamin": {"column": "sex", "values": {"M": "L", "F": "P"}},
      "kode_wilayah": {"value": "3171011001"}
    }
  })");
  ASSERT_THAT(mapping, IsOk());
  ImportResult result = ImportCsv(
      "person_no,given_name,surname,date_of_birth,sex,NIK\n"
      "123,Maria,Simanjuntak,19900105,F,\n"
      "124,Yohanes,,20010230,M,\n",
      *mapping);
  ASSERT_THAT(result.summary, IsOk());
  ASSERT_EQ(result.sink.persons.size(), 2u);
  const Person& maria = result.sink.persons[0];
  EXPECT_EQ(maria.id_art, "00000123");
  EXPECT_EQ(maria.nama, "Maria Simanjuntak");
  EXPECT_EQ(maria.tanggal_lahir.ToString(), "1990-01-05");
  EXPECT_EQ(maria.jenis_kelamin, Sex::kPerempuan);
  EXPECT_EQ(result.sink.households[0].kode_wilayah, 3171011001u);
  // The empty surname is skipped, not joined as a trailing space.
  EXPECT_EQ(result.sink.persons[1].nama, "Yohanes");
  EXPECT_NE(result.sink.persons[1].flags & kPersonDobInvalid, 0);
  EXPECT_EQ(result.sink.persons[1].jenis_kelamin, Sex::kLakiLaki);
}

TEST(ImporterTest, MappingNamingAnAbsentColumnFails) {
  absl::StatusOr<ColumnMapping> mapping =
      ColumnMapping::FromJson(R"({"fields": {"nama": "Full Name"}})");
  ASSERT_THAT(mapping, IsOk());
  ImportResult result = ImportCsv("ID DTKS,Nama\nE1,Ani\n", *mapping);
  EXPECT_THAT(result.summary, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(result.summary.status().message()), HasSubstr("Full Name"));
}

TEST(ImporterTest, AHeaderWithoutARequiredFieldStopsAtLineOne) {
  ImportResult result = ImportCsv("KOLOM_A,KOLOM_B\n1,2\n", {}, {ImportField::kNama});
  EXPECT_THAT(result.summary,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 1: no column for nama (the header has: KOLOM_A, KOLOM_B)")));
  EXPECT_TRUE(result.sink.persons.empty());
  // A known header (or a mapping) provides it.
  EXPECT_THAT(ImportCsv("ID DTKS,Nama\nE1,Ani\n", {}, {ImportField::kNama}).summary, IsOk());
}

TEST(ImporterTest, ListsWithoutIdsCanGenerateThem) {
  absl::StatusOr<ColumnMapping> mapping =
      ColumnMapping::FromJson(R"({"fields": {"id_art": {"generate": true}}})");
  ASSERT_THAT(mapping, IsOk());
  ImportResult result = ImportCsv("Nama,NIK\nAni,\nBudi,\n", *mapping);
  ASSERT_THAT(result.summary, IsOk());
  ASSERT_EQ(result.sink.persons.size(), 2u);
  EXPECT_EQ(result.sink.persons[0].id_art, "L2");
  EXPECT_EQ(result.sink.persons[1].id_art, "L3");
}

TEST(ImporterTest, ReadsCapiNdjsonHouseholds) {
  auto reader = NdjsonReaderFromString(
      R"({"id_keluarga":"K1","no_kk":"3201011203150007","kode_wilayah":"3201011001",)"
      R"("anggota":[{"id_art":"P1","nama":"Budi","nik":3201011705800003,"tanggal_lahir":"1980-05-17"},)"
      R"({"id_art":"P2","nama":"Sri","jenis_kelamin":"P"}]})"
      "\n");
  ASSERT_THAT(reader, IsOk());
  CollectingSink sink;
  absl::StatusOr<ImportSummary> summary =
      ImportRows(**reader, ColumnMapping(), Regions(), ImportOptions(),
                 [&](const Household& h, const Person& p) { return sink.Add(h, p); });
  ASSERT_THAT(summary, IsOk());
  EXPECT_EQ(summary->accepted, 2);
  ASSERT_EQ(sink.persons.size(), 2u);
  EXPECT_EQ(sink.persons[0].nik_value, 3201011705800003u);
  EXPECT_EQ(sink.persons[1].id_keluarga, "K1");
  EXPECT_EQ(sink.households[1].kode_wilayah, 3201011001u);
}

TEST(ImporterTest, SinkFailureStopsTheImport) {
  auto reader = CsvReaderFromString("ID DTKS,Nama\nF1,Ani\nF2,Budi\n");
  ASSERT_THAT(reader, IsOk());
  int calls = 0;
  absl::StatusOr<ImportSummary> summary = ImportRows(
      **reader, ColumnMapping(), Regions(), ImportOptions(), [&](const Household&, const Person&) {
        ++calls;
        return absl::ResourceExhaustedError("store full");
      });
  EXPECT_THAT(summary, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(calls, 1);
}

TEST(ImporterTest, RowsBeyondTheSinksLimitsAreRefusedNotFatal) {
  auto reader = CsvReaderFromString("ID DTKS,Nama\nF1,Ani\nF2,Budi\n");
  ASSERT_THAT(reader, IsOk());
  absl::StatusOr<ImportSummary> summary =
      ImportRows(**reader, ColumnMapping(), Regions(), ImportOptions(),
                 [&](const Household&, const Person& person) {
                   if (person.nama == "Ani") return InvalidField("nama", "is too long");
                   return absl::OkStatus();
                 });
  ASSERT_THAT(summary, IsOk());
  EXPECT_EQ(summary->accepted, 1);
  EXPECT_EQ(summary->rejects_by_reason.at("nama"), 1);
}

TEST(ImporterTest, SummaryRendersAsTextAndJson) {
  ImportResult result = ImportCsv("ID DTKS,Nama\nG1,Ani\n,Budi\n");
  ASSERT_THAT(result.summary, IsOk());
  EXPECT_THAT(result.summary->ToText(), HasSubstr("rows read"));
  EXPECT_THAT(result.summary->ToJson(), HasSubstr(R"("rows_read":2,"accepted":1,"rejected":1)"));
  EXPECT_THAT(result.summary->ToJson(), HasSubstr(R"("rejects_by_reason":{"id_art":1})"));
}

}  // namespace
}  // namespace padan
