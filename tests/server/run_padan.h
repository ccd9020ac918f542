// Runs the `padan` executable built with the tests, for end-to-end tests of its commands.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "gtest/gtest.h"

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

// Makes a registry export with `padan gen <gen_arguments> --out <dir>` and imports it into
// <dir>/folder: the data folder that the command tests of link and dedup run against.
inline ::testing::AssertionResult GenerateDataFolder(const std::string& gen_arguments,
                                                     const std::string& dir) {
  RunResult gen = RunPadan("gen " + gen_arguments + " --out " + dir);
  if (gen.exit_code != 0) return ::testing::AssertionFailure() << "padan gen: " << gen.output;
  RunResult import = RunPadan("import --input " + dir + "/dtks.csv --data " + dir + "/folder");
  if (import.exit_code != 0) {
    return ::testing::AssertionFailure() << "padan import: " << import.output;
  }
  return ::testing::AssertionSuccess();
}

}  // namespace padan::testing
