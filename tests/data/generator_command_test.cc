// `padan gen` on the command line: exit codes and messages for bad options. Runs the built
// binary, since the command lives in the server layer.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::ReadFile;

struct Outcome {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

Outcome RunGen(const std::string& arguments) {
  static int runs = 0;
  // Unique per process too: ctest may run these tests in parallel processes.
  const std::string log = ::testing::TempDir() + "/padan_gen_command_" + std::to_string(getpid()) +
                          "_" + std::to_string(++runs) + ".txt";
  const std::string command =
      std::string(PADAN_BINARY) + " gen " + arguments + " > " + log + " 2>&1";
  int status = std::system(command.c_str());
  Outcome outcome;
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  outcome.output = ReadFile(log);
  std::remove(log.c_str());
  return outcome;
}

TEST(GenCommandTest, HelpDocumentsEveryOption) {
  Outcome o = RunGen("--help");
  EXPECT_EQ(o.exit_code, 0);
  for (const char* option : {"--persons", "--seed", "--out", "--dup-rate", "--prelist",
                             "--prelist-share", "--threads", "--demo"}) {
    EXPECT_NE(o.output.find(option), std::string::npos) << option;
  }
}

TEST(GenCommandTest, BadOptionsExitWithUsageError) {
  const std::string out = " --out " + ::testing::TempDir() + "/padan_gen_never_written";
  struct Case {
    std::string arguments;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {"--persons 0" + out, "--persons"},
           {"--persons ten" + out, "--persons"},
           {"--persons 10 --dup-rate 1.5" + out, "--dup-rate"},
           {"--persons 10 --dup-rate -0.1" + out, "--dup-rate"},
           {"--persons 10 --seed -1" + out, "--seed"},
           {"--persons 10 --threads 0" + out, "--threads"},
           {"--persons 10 --prelist-share 0.5" + out, "--prelist-share needs --prelist"},
           {"--persons 10 --prelist --prelist-share 0" + out, "--prelist-share"},
           {"--persons 10", "--out"},
           {out, "--persons"},
           {"--persons 10 --colour blue" + out, "unknown option --colour"},
           {"--demo --persons 10" + out, "--demo"},
       }) {
    Outcome o = RunGen(c.arguments);
    EXPECT_EQ(o.exit_code, 2) << c.arguments << "\n" << o.output;
    EXPECT_NE(o.output.find(c.message), std::string::npos) << c.arguments << "\n" << o.output;
  }
}

TEST(GenCommandTest, WritesTheFiles) {
  const std::string dir = padan::testing::MakeTempDir();
  Outcome o = RunGen("--persons 50 --seed 2 --dup-rate 0.5 --out " + dir + "/data");
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(ReadFile(dir + "/data/dtks.csv").find("ID DTKS,ID Keluarga,Provinsi"),
            std::string::npos);
  EXPECT_NE(ReadFile(dir + "/data/truth.csv").find("id_art,cluster_id"), std::string::npos);
  EXPECT_NE(ReadFile(dir + "/data/gen.json").find("\"persons\": 50"), std::string::npos);
}

}  // namespace
}  // namespace padan
