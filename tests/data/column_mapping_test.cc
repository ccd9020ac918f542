#include "data/column_mapping.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::StatusIs;
using ::testing::HasSubstr;

std::string ErrorOf(std::string_view json) {
  absl::StatusOr<ColumnMapping> mapping = ColumnMapping::FromJson(json);
  EXPECT_THAT(mapping, StatusIs(absl::StatusCode::kInvalidArgument)) << json;
  return std::string(mapping.status().message());
}

TEST(ColumnMappingTest, EveryFieldNameRoundTrips) {
  for (size_t i = 0; i < kImportFieldCount; ++i) {
    auto field = static_cast<ImportField>(i);
    EXPECT_EQ(ImportFieldFromName(ImportFieldName(field)), field);
  }
  EXPECT_EQ(ImportFieldFromName("umur"), std::nullopt);
}

TEST(ColumnMappingTest, HeaderKeyIgnoresCaseAndPunctuation) {
  EXPECT_EQ(HeaderKey("Kabupaten/Kota"), "kabupatenkota");
  EXPECT_EQ(HeaderKey(" KABUPATEN_KOTA "), "kabupatenkota");
}

TEST(ColumnMappingTest, RecognisesSiksNgHeadersByAlias) {
  std::vector<std::string> columns = {"ID DTKS", "NAMA", "nomor nik", "Tgl Lahir", "Catatan"};
  absl::StatusOr<ResolvedMapping> resolved =
      ResolvedMapping::Resolve(ColumnMapping(), columns, false);
  ASSERT_THAT(resolved, IsOk());
  EXPECT_TRUE(resolved->Has(ImportField::kIdArt));
  EXPECT_TRUE(resolved->Has(ImportField::kNama));
  EXPECT_TRUE(resolved->Has(ImportField::kNik));
  EXPECT_TRUE(resolved->Has(ImportField::kTanggalLahir));
  EXPECT_FALSE(resolved->Has(ImportField::kAlamat));
  EXPECT_EQ(resolved->unused_columns(), std::vector<std::string>{"Catatan"});
}

TEST(ColumnMappingTest, MappingOverridesAliasesAndCanDisableThem) {
  absl::StatusOr<ColumnMapping> mapping = ColumnMapping::FromJson(
      R"({"fields": {"nama": "Nama Panggilan"}, "header_aliases": false})");
  ASSERT_THAT(mapping, IsOk());
  std::vector<std::string> columns = {"Nama", "Nama Panggilan", "NIK"};
  absl::StatusOr<ResolvedMapping> resolved = ResolvedMapping::Resolve(*mapping, columns, false);
  ASSERT_THAT(resolved, IsOk());
  Row row;
  row.fields = {"Budi Santoso", "Budi", "3201"};
  std::string scratch;
  EXPECT_EQ(resolved->Get(ImportField::kNama, row, &scratch), "Budi");
  EXPECT_FALSE(resolved->Has(ImportField::kNik));
}

TEST(ColumnMappingTest, ParsesFileOptions) {
  absl::StatusOr<ColumnMapping> mapping = ColumnMapping::FromJson(
      R"({"delimiter": ";", "encoding": "windows-1252", "hubungan_codes": "shdk",
          "members_key": "art"})");
  ASSERT_THAT(mapping, IsOk());
  EXPECT_EQ(mapping->reader.delimiter, ';');
  EXPECT_EQ(mapping->reader.encoding, TextEncoding::kWindows1252);
  EXPECT_EQ(mapping->hubungan_codes, HubunganCodes::kShdk);
  EXPECT_EQ(mapping->reader.ndjson_members_key, "art");
}

TEST(ColumnMappingTest, ErrorsNameTheOffendingKey) {
  EXPECT_THAT(ErrorOf("[1, 2]"), HasSubstr("JSON object"));
  EXPECT_THAT(ErrorOf("{"), HasSubstr("not valid JSON"));
  EXPECT_THAT(ErrorOf(R"({"fields": {"umur": "Age"}})"), HasSubstr("fields.umur"));
  EXPECT_THAT(ErrorOf(R"({"fields": {"nama": {"colum": "X"}}})"), HasSubstr("fields.nama.colum"));
  EXPECT_THAT(ErrorOf(R"({"fields": {"tanggal_lahir": {"column": "D", "format": "DD/MM/YY"}}})"),
              HasSubstr("fields.tanggal_lahir.format"));
  EXPECT_THAT(ErrorOf(R"({"fields": {"nama": {"column": "A", "value": "B"}}})"),
              HasSubstr("exactly one"));
  EXPECT_THAT(ErrorOf(R"({"fields": {"nik": {"generate": true}}})"), HasSubstr("only id_art"));
  EXPECT_THAT(ErrorOf(R"({"fields": {"id_art": {"column": "A", "pad_left": 999}}})"),
              HasSubstr("pad_left"));
  EXPECT_THAT(ErrorOf(R"({"delimiter": "::"})"), HasSubstr("delimiter"));
  EXPECT_THAT(ErrorOf(R"({"encoding": "utf-16"})"), HasSubstr("encoding"));
  EXPECT_THAT(ErrorOf(R"({"hubungan": "shdk"})"), HasSubstr("unknown key"));
}

TEST(ColumnMappingTest, FromFileReportsMissingFile) {
  EXPECT_THAT(ColumnMapping::FromFile("/nonexistent/mapping.json"),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace padan
