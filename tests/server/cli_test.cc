// End-to-end tests of the `padan` executable: every command answers --help, bad command lines
// exit 2 with a message, and gen → import works on a small registry.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "server/cli/commands.h"
#include "tests/server/run_padan.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::testing::HasSubstr;

using ::padan::testing::RunPadan;
using ::padan::testing::RunResult;

TEST(CliTest, EveryCommandHasHelp) {
  for (const cli::Command& command : cli::AllCommands()) {
    RunResult result = RunPadan(std::string(command.name) + " --help");
    EXPECT_EQ(result.exit_code, 0) << command.name;
    EXPECT_THAT(result.output, HasSubstr("usage: padan " + std::string(command.name)));
  }
}

TEST(CliTest, NoCommandOrUnknownCommandIsUsageError) {
  EXPECT_EQ(RunPadan("").exit_code, cli::kExitUsage);
  RunResult unknown = RunPadan("frobnicate");
  EXPECT_EQ(unknown.exit_code, cli::kExitUsage);
  EXPECT_THAT(unknown.output, HasSubstr("unknown command 'frobnicate'"));
  EXPECT_EQ(RunPadan("--help").exit_code, 0);
}

TEST(CliTest, UnknownOptionAndMissingValueNameTheOption) {
  RunResult unknown = RunPadan("import --input x.csv --colour red");
  EXPECT_EQ(unknown.exit_code, cli::kExitUsage);
  EXPECT_THAT(unknown.output, HasSubstr("--colour"));
  RunResult missing = RunPadan("import --input");
  EXPECT_EQ(missing.exit_code, cli::kExitUsage);
  EXPECT_THAT(missing.output, HasSubstr("--input needs a value"));
  RunResult required = RunPadan("import");
  EXPECT_EQ(required.exit_code, cli::kExitUsage);
  EXPECT_THAT(required.output, HasSubstr("--input"));
}

TEST(CliTest, ImportOfMissingFileFailsClearly) {
  RunResult result = RunPadan("import --input /nonexistent/dtks.csv");
  EXPECT_EQ(result.exit_code, cli::kExitFailure);
  EXPECT_THAT(result.output, HasSubstr("/nonexistent/dtks.csv"));
}

TEST(CliTest, ImportReportsRowsAndRejects) {
  std::string dir = padan::testing::MakeTempDir();
  padan::testing::WriteFile(dir + "/in.csv",
                            "ID DTKS,Nama,Nomor NIK,Kode Wilayah\n"
                            "A1,Budi,3201011705800003,3201011001\n"
                            "A2,,3201015408850002,3201011001\n"
                            "A1,Budi Lagi,,3201011001\n");
  RunResult result = RunPadan("import --json --input " + dir + "/in.csv");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr(R"("rows_read":3,"accepted":1,"rejected":2)"));
  EXPECT_THAT(result.output, HasSubstr(R"("persons":1)"));
  std::string rejects = padan::testing::ReadFile(dir + "/in.csv.rejects.csv");
  EXPECT_THAT(rejects, HasSubstr("\n3,nama,"));
  EXPECT_THAT(rejects, HasSubstr("\n4,duplicate id_art,"));
}

TEST(CliTest, GeneratedRegistryImportsCompletely) {
  std::string dir = padan::testing::MakeTempDir();
  RunResult gen = RunPadan("gen --persons 3000 --seed 7 --dup-rate 0.1 --out " + dir);
  ASSERT_EQ(gen.exit_code, 0) << gen.output;
  RunResult result = RunPadan("import --json --input " + dir + "/dtks.csv");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  // Every generated row is accepted: originals and their corrupted duplicates alike.
  EXPECT_THAT(result.output, HasSubstr(R"("rejected":0)"));
  EXPECT_THAT(result.output, HasSubstr(R"("region_unknown":0)"));
}

TEST(CliTest, EvalMeasuresMatchingOnGeneratedTruth) {
  std::string dir = padan::testing::MakeTempDir();
  RunResult gen = RunPadan("gen --persons 4000 --seed 11 --dup-rate 0.1 --out " + dir);
  ASSERT_EQ(gen.exit_code, 0) << gen.output;
  RunResult eval = RunPadan("eval --input " + dir + "/dtks.csv --truth " + dir +
                            "/truth.csv --random-pairs 100000 --report " + dir +
                            "/report.html --model-out " + dir + "/model.json");
  ASSERT_EQ(eval.exit_code, 0) << eval.output;
  EXPECT_THAT(eval.output, HasSubstr("recall by corruption type"));
  // The best F1 on a small generated registry is high; a broken model would be far below.
  size_t at = eval.output.find("best threshold");
  ASSERT_NE(at, std::string::npos);
  size_t f1 = eval.output.find("F1 ", at);
  ASSERT_NE(f1, std::string::npos);
  EXPECT_GT(std::stod(eval.output.substr(f1 + 3, 8)), 0.95) << eval.output.substr(0, 800);
  EXPECT_THAT(padan::testing::ReadFile(dir + "/report.html"), HasSubstr("<svg"));
  EXPECT_THAT(padan::testing::ReadFile(dir + "/model.json"), HasSubstr("padan-fellegi-sunter"));
}

TEST(CliTest, EvalRejectsATruthWithoutItsColumns) {
  std::string dir = padan::testing::MakeTempDir();
  padan::testing::WriteFile(dir + "/in.csv", "ID DTKS,Nama\nA1,Budi\nA2,Budi\n");
  padan::testing::WriteFile(dir + "/truth.csv", "id,cluster\nA1,1\n");
  RunResult eval = RunPadan("eval --input " + dir + "/in.csv --truth " + dir + "/truth.csv");
  EXPECT_EQ(eval.exit_code, cli::kExitFailure);
  EXPECT_THAT(eval.output, HasSubstr("needs columns 'id_art' and 'cluster_id'"));
}

}  // namespace
}  // namespace padan
