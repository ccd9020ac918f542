// `padan import --data`: a generated registry becomes a data folder that opens and answers.
#include <filesystem>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "index/data_folder.h"
#include "server/cli/commands.h"
#include "tests/server/run_padan.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::RunPadan;
using ::padan::testing::RunResult;
using ::testing::HasSubstr;

TEST(ImportCommandTest, DataFolderIsWrittenAndOpens) {
  const std::string dir = padan::testing::MakeTempDir();
  RunResult gen = RunPadan("gen --persons 3000 --seed 5 --dup-rate 0.1 --out " + dir);
  ASSERT_EQ(gen.exit_code, 0) << gen.output;
  const std::string folder = dir + "/folder";
  RunResult result = RunPadan("import --input " + dir + "/dtks.csv --data " + folder);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr("model fs1-"));
  EXPECT_TRUE(std::filesystem::exists(folder + "/model.json"));

  DataFolderOptions options;
  options.dir = folder;
  options.text_index = false;
  options.background_snapshots = false;
  absl::StatusOr<std::unique_ptr<DataFolder>> opened = DataFolder::Open(options);
  ASSERT_THAT(opened, IsOk());
  DataFolderStats stats = (*opened)->Stats();
  EXPECT_GT(stats.persons, 3000u);
  EXPECT_NE(stats.model_version, "untrained");
  (*opened)->Close();

  // A folder that holds a database is refused before anything is read.
  RunResult again = RunPadan("import --input " + dir + "/dtks.csv --data " + folder);
  EXPECT_EQ(again.exit_code, cli::kExitFailure);
  EXPECT_THAT(again.output, HasSubstr("already holds a database"));
}

}  // namespace
}  // namespace padan
