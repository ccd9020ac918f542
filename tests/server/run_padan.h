// Runs the `padan` executable built with the tests, for end-to-end tests of its commands.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace padan::testing {

struct RunResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs `padan <arguments>` through the shell and waits for it.
inline RunResult RunPadan(const std::string& arguments) {
  RunResult result;
  std::string command = std::string(PADAN_BINARY) + " " + arguments + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.output.append(buffer, n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace padan::testing
