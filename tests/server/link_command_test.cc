// `padan link`: a list without ids, with typos, a stranger and a broken row, linked to a
// generated registry; every input row comes out once, in order, with its decision.
#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "data/csv_writer.h"
#include "data/row_reader.h"
#include "server/cli/commands.h"
#include "tests/server/run_padan.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::RunPadan;
using ::padan::testing::RunResult;
using ::testing::HasSubstr;

class LinkCommandTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(padan::testing::MakeTempDir());
    ASSERT_TRUE(padan::testing::GenerateDataFolder("--persons 3000 --seed 9", *dir_));
  }
  static void TearDownTestSuite() { delete dir_; }

  static std::string* dir_;
};
std::string* LinkCommandTest::dir_ = nullptr;

TEST_F(LinkCommandTest, EveryRowGetsItsBestMatchInOrder) {
  std::vector<std::map<std::string, std::string>> registry =
      padan::testing::ReadRows(*dir_ + "/dtks.csv");
  ASSERT_GT(registry.size(), 100u);
  // A directorate's list: its own headers (mapped), no id column.
  const std::string list = *dir_ + "/list.csv";
  {
    std::unique_ptr<CsvWriter> csv = *CsvWriter::Open(list);
    ASSERT_TRUE(csv->Row({"NAMA_PENERIMA", "NIK_PENERIMA", "TGL_LAHIR", "KODE_DESA"}).ok());
    for (size_t i : {size_t{10}, size_t{50}}) {
      const auto& person = registry[i];
      ASSERT_TRUE(
          csv->Row({person.at("Nama"), person.at("Nomor NIK"), person.at("Tanggal Lahir"), ""})
              .ok());
    }
    // A typo in the name and no NIK.
    std::string name = registry[90].at("Nama");
    name[1] = name[1] == 'A' ? 'E' : 'A';
    ASSERT_TRUE(csv->Row({name, "", registry[90].at("Tanggal Lahir"), ""}).ok());
    ASSERT_TRUE(csv->Row({"QWERTY ZXCVB", "", "01-01-1901", ""}).ok());
    ASSERT_TRUE(csv->Row({"", "", "", ""}).ok());  // no name: not a person record
    ASSERT_TRUE(csv->Close().ok());
  }
  const std::string mapping = *dir_ + "/mapping.json";
  padan::testing::WriteFile(mapping, R"({"fields": {
      "nama": {"column": "NAMA_PENERIMA"}, "nik": {"column": "NIK_PENERIMA"},
      "tanggal_lahir": {"column": "TGL_LAHIR"}, "kode_wilayah": {"column": "KODE_DESA"}}})");
  const std::string out = *dir_ + "/linked.csv";
  RunResult link = RunPadan("link --data " + *dir_ + "/folder --input " + list + " --mapping " +
                            mapping + " --out " + out);
  ASSERT_EQ(link.exit_code, 0) << link.output;
  EXPECT_THAT(link.output, HasSubstr("rows                     5"));

  std::vector<std::map<std::string, std::string>> rows = padan::testing::ReadRows(out);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].at("padan_decision"), "match");
  EXPECT_EQ(rows[0].at("padan_id_art"), registry[10].at("ID DTKS"));
  EXPECT_EQ(rows[0].at("NAMA_PENERIMA"), registry[10].at("Nama"));  // input columns kept
  EXPECT_EQ(rows[1].at("padan_id_art"), registry[50].at("ID DTKS"));
  EXPECT_EQ(rows[2].at("padan_id_art"), registry[90].at("ID DTKS"));
  EXPECT_NE(rows[2].at("padan_explanation"), "");
  EXPECT_THAT(rows[3].at("padan_decision"), ::testing::AnyOf("non_match", "no_candidate"));
  EXPECT_EQ(rows[4].at("padan_decision"), "invalid");
  EXPECT_THAT(rows[4].at("padan_explanation"), HasSubstr("nama"));
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].at("line"), std::to_string(i + 2));
  }
}

TEST_F(LinkCommandTest, NdjsonOutputAndBadOptions) {
  const std::string out = *dir_ + "/linked.ndjson";
  RunResult link = RunPadan("link --data " + *dir_ + "/folder --input " + *dir_ +
                            "/dtks.csv --out " + out + " --threads 2");
  ASSERT_EQ(link.exit_code, 0) << link.output;
  const std::string text = padan::testing::ReadFile(out);
  EXPECT_THAT(text, HasSubstr(R"("decision":"match")"));
  EXPECT_THAT(text, HasSubstr(R"("explanation":[{"field":)"));

  // NDJSON in: its keys appear row by row, and the output's input object follows them.
  std::vector<std::map<std::string, std::string>> registry =
      padan::testing::ReadRows(*dir_ + "/dtks.csv");
  ASSERT_GT(registry.size(), 20u);
  const std::string list = *dir_ + "/list.ndjson";
  padan::testing::WriteFile(list, "{\"Nama\": \"" + registry[20].at("Nama") +
                                      "\", \"Nomor NIK\": \"" + registry[20].at("Nomor NIK") +
                                      "\"}\n");
  const std::string from_ndjson = *dir_ + "/from_ndjson.ndjson";
  link = RunPadan("link --data " + *dir_ + "/folder --input " + list + " --out " + from_ndjson);
  ASSERT_EQ(link.exit_code, 0) << link.output;
  const std::string linked = padan::testing::ReadFile(from_ndjson);
  EXPECT_THAT(linked, HasSubstr(R"("input":{"Nama":")" + registry[20].at("Nama")));
  EXPECT_THAT(linked, HasSubstr(R"("id_art":")" + registry[20].at("ID DTKS")));

  RunResult no_folder =
      RunPadan("link --data " + *dir_ + "/nothing --input " + *dir_ + "/dtks.csv --out " + out);
  EXPECT_EQ(no_folder.exit_code, cli::kExitFailure);
  EXPECT_THAT(no_folder.output, HasSubstr("padan import"));
  // A list without a name column stops at once, saying so, instead of refusing every row.
  const std::string nameless = *dir_ + "/nameless.csv";
  padan::testing::WriteFile(nameless, "KOLOM_A,KOLOM_B\n1,2\n");
  RunResult no_name =
      RunPadan("link --data " + *dir_ + "/folder --input " + nameless + " --out " + out);
  EXPECT_EQ(no_name.exit_code, cli::kExitFailure);
  EXPECT_THAT(no_name.output, HasSubstr("line 1: no column for nama"));
  RunResult bad_scope = RunPadan("link --data " + *dir_ + "/folder --input " + *dir_ +
                                 "/dtks.csv --out " + out + " --scope 123");
  EXPECT_EQ(bad_scope.exit_code, cli::kExitUsage);
  EXPECT_THAT(bad_scope.output, HasSubstr("--scope"));
}

}  // namespace
}  // namespace padan
