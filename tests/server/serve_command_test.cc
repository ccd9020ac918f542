// End-to-end test of `padan serve` as a process: gen → import --data → serve on a free port,
// answer requests, then SIGTERM drains and exits 0.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "server/cli/commands.h"
#include "server/sha256.h"
#include "tests/server/http_test_client.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::ClientConnection;
using ::padan::testing::RequestText;
using ::testing::HasSubstr;

int RunQuietly(const std::string& arguments) {
  std::string command = std::string(PADAN_BINARY) + " " + arguments + " >/dev/null 2>&1";
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A `padan serve` child process whose stderr is read through a pipe.
class ServeProcess {
 public:
  explicit ServeProcess(std::vector<std::string> args) {
    int fds[2];
    EXPECT_EQ(pipe(fds), 0);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], STDERR_FILENO);
      close(fds[0]);
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(PADAN_BINARY));
      argv.push_back(const_cast<char*>("serve"));
      for (std::string& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      execv(PADAN_BINARY, argv.data());
      _exit(127);
    }
    close(fds[1]);
    stderr_ = fdopen(fds[0], "r");
  }
  ~ServeProcess() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stderr_ != nullptr) fclose(stderr_);
  }

  // The next line the server writes to stderr ("" at end of file).
  std::string ReadLine() {
    char buffer[4096];
    if (fgets(buffer, sizeof(buffer), stderr_) == nullptr) return "";
    return buffer;
  }
  int Terminate() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    exited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  FILE* stderr_ = nullptr;
  bool exited_ = false;
};

TEST(ServeCommandTest, ServesADataFolderAndStopsOnSigterm) {
  std::string dir = padan::testing::MakeTempDir();
  ASSERT_EQ(RunQuietly("gen --persons 2000 --dup-rate 0.1 --seed 3 --out " + dir + "/gen"), 0);
  ASSERT_EQ(RunQuietly("import --input " + dir + "/gen/dtks.csv --data " + dir + "/data"), 0);
  padan::testing::WriteFile(
      dir + "/keys.json",
      R"({"keys":[{"id":"t","sha256":")" + Sha256Hex("test-key") + R"(","role":"pusat"}]})");
  ServeProcess serve({"--data", dir + "/data", "--keys", dir + "/keys.json", "--port", "0",
                      "--threads", "2", "--no-text-index"});
  std::string listening = serve.ReadLine();
  ASSERT_THAT(listening, HasSubstr("listening on http://127.0.0.1:"));
  uint16_t port =
      static_cast<uint16_t>(std::stoi(listening.substr(listening.find("127.0.0.1:") + 10)));
  EXPECT_THAT(serve.ReadLine(), HasSubstr("ready: 2200 persons"));

  ClientConnection connection(port);
  connection.Send(RequestText("GET", "/v1/stats", {{"X-API-Key", "test-key"}}));
  std::optional<padan::testing::ClientResponse> stats = connection.Read();
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(stats->status, 200);
  EXPECT_THAT(stats->body, HasSubstr("\"persons\":2200"));

  EXPECT_EQ(serve.Terminate(), 0);
  EXPECT_TRUE(connection.WaitForClose());
  EXPECT_THAT(padan::testing::ReadFile(dir + "/data/audit.salt").size(), 32u);
}

TEST(ServeCommandTest, BadCommandLinesExitWithUsage) {
  EXPECT_EQ(RunQuietly("serve"), cli::kExitUsage);                      // no --data
  EXPECT_EQ(RunQuietly("serve --data /nonexistent"), cli::kExitUsage);  // no keys
  EXPECT_EQ(RunQuietly("serve --data /tmp --keys k --port 70000"), cli::kExitUsage);
  EXPECT_EQ(RunQuietly("serve --data /nonexistent --keys k"), cli::kExitFailure);
}

}  // namespace
}  // namespace padan
