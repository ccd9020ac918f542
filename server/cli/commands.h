// The `padan` subcommands: one Run function per command, each in its own <name>_command.cc,
// listed once in commands.cc. Each returns the process exit code.
#pragma once

#include <span>
#include <string_view>
#include <vector>

namespace padan::cli {

// Exit codes shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the work failed (I/O error, corrupt input...)
inline constexpr int kExitUsage = 2;    // bad command line

using Args = std::vector<std::string_view>;

struct Command {
  std::string_view name;
  std::string_view summary;
  int (*run)(const Args& args);
};

std::span<const Command> AllCommands();

int RunDedup(const Args& args);
int RunEval(const Args& args);
int RunGen(const Args& args);
int RunImport(const Args& args);
int RunLink(const Args& args);
int RunServe(const Args& args);
int RunVerivali(const Args& args);

}  // namespace padan::cli
