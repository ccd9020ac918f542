// `padan dedup` end to end: a generated registry imported into a data folder, deduplicated
// against its truth; bad options and paths exit with a message and the right code.
#include <algorithm>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "server/cli/commands.h"
#include "tests/server/run_padan.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::cli::kExitFailure;
using ::padan::cli::kExitOk;
using ::padan::cli::kExitUsage;
using ::padan::testing::RunPadan;
using ::padan::testing::RunResult;
using ::testing::HasSubstr;
using ::testing::Not;

class DedupCommandTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(padan::testing::MakeTempDir());
    ASSERT_TRUE(
        padan::testing::GenerateDataFolder("--persons 3000 --seed 5 --dup-rate 0.1", *dir_));
  }
  static void TearDownTestSuite() { delete dir_; }

  static std::string* dir_;
};
std::string* DedupCommandTest::dir_ = nullptr;

TEST_F(DedupCommandTest, HelpDocumentsEveryOption) {
  RunResult help = RunPadan("dedup --help");
  EXPECT_EQ(help.exit_code, kExitOk);
  for (const char* option :
       {"--data", "--out", "--scope", "--threads", "--truth", "--max-block", "--all"}) {
    EXPECT_THAT(help.output, HasSubstr(option));
  }
}

TEST_F(DedupCommandTest, DeduplicatesAndMeasuresAgainstTheTruth) {
  RunResult run = RunPadan("dedup --data " + *dir_ + "/folder --out " + *dir_ +
                           "/dedup.csv --truth " + *dir_ + "/truth.csv --threads 2");
  ASSERT_EQ(run.exit_code, kExitOk) << run.output;
  EXPECT_THAT(run.output, HasSubstr("pairwise vs truth"));
  EXPECT_THAT(run.output, HasSubstr("cluster sizes"));
  const size_t f1 = run.output.find(" F1 ");
  ASSERT_NE(f1, std::string::npos) << run.output;
  EXPECT_GE(std::stod(run.output.substr(f1 + 4)), 0.95) << run.output;
  const std::string csv = padan::testing::ReadFile(*dir_ + "/dedup.csv");
  EXPECT_THAT(csv, HasSubstr("id_art,id_keluarga,cluster_id,cluster_size,representative"));
  EXPECT_THAT(padan::testing::ReadFile(*dir_ + "/dedup.households.csv"),
              HasSubstr("id_keluarga_a,id_keluarga_b"));
}

TEST_F(DedupCommandTest, AllWritesEveryPersonAsNdjson) {
  RunResult run =
      RunPadan("dedup --all --data " + *dir_ + "/folder --out " + *dir_ + "/all.ndjson");
  ASSERT_EQ(run.exit_code, kExitOk) << run.output;
  const std::string ndjson = padan::testing::ReadFile(*dir_ + "/all.ndjson");
  const std::string truth = padan::testing::ReadFile(*dir_ + "/truth.csv");
  // One line per person: the truth's rows less its header.
  EXPECT_EQ(std::count(ndjson.begin(), ndjson.end(), '\n'),
            std::count(truth.begin(), truth.end(), '\n') - 1);
  EXPECT_THAT(ndjson, HasSubstr("\"cluster_size\":1,"));
}

TEST_F(DedupCommandTest, BadOptionsExitWithUsageError) {
  const std::string data = " --data " + *dir_ + "/folder";
  for (const std::string& arguments : std::vector<std::string>{
           "dedup --out x.csv", "dedup" + data, "dedup" + data + " --out x.txt",
           "dedup" + data + " --out x.csv --scope 123",
           "dedup" + data + " --out x.csv --threads -1",
           "dedup" + data + " --out x.csv --max-block 1",
           "dedup" + data + " --out x.csv --bogus"}) {
    RunResult run = RunPadan(arguments);
    EXPECT_EQ(run.exit_code, kExitUsage) << arguments << "\n" << run.output;
    EXPECT_THAT(run.output, HasSubstr("padan dedup: ")) << arguments;
  }
}

TEST_F(DedupCommandTest, BadPathsFailWithAClearMessage) {
  RunResult no_folder = RunPadan("dedup --data " + *dir_ + "/nothing --out " + *dir_ + "/x.csv");
  EXPECT_EQ(no_folder.exit_code, kExitFailure);
  EXPECT_THAT(no_folder.output, HasSubstr("padan dedup: "));

  padan::testing::WriteFile(*dir_ + "/bad_truth.csv", "id_art,cluster_id\nA,1\n\"B,2\n");
  RunResult bad_truth = RunPadan("dedup --data " + *dir_ + "/folder --out " + *dir_ +
                                 "/x.csv --truth " + *dir_ + "/bad_truth.csv");
  EXPECT_EQ(bad_truth.exit_code, kExitFailure);
  EXPECT_THAT(bad_truth.output, HasSubstr("line 3"));

  RunResult bad_out =
      RunPadan("dedup --data " + *dir_ + "/folder --out " + *dir_ + "/missing/dir/x.csv");
  EXPECT_EQ(bad_out.exit_code, kExitFailure);
  EXPECT_THAT(bad_out.output, Not(HasSubstr("persons ")));
}

}  // namespace
}  // namespace padan
