// padan: record linkage and search for Indonesia's social-welfare registry. This file only
// dispatches to the subcommands in server/cli/.
#include <cstdio>
#include <string_view>
#include <vector>

#include "server/cli/commands.h"

namespace {

void PrintUsage(FILE* out) {
  std::fprintf(out, "usage: padan <command> [options]\n\ncommands:\n");
  for (const padan::cli::Command& command : padan::cli::AllCommands()) {
    std::fprintf(out, "  %-10.*s %.*s\n", static_cast<int>(command.name.size()),
                 command.name.data(), static_cast<int>(command.summary.size()),
                 command.summary.data());
  }
  std::fprintf(out, "\n`padan <command> --help` describes a command's options.\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    PrintUsage(stderr);
    return padan::cli::kExitUsage;
  }
  std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    PrintUsage(stdout);
    return padan::cli::kExitOk;
  }
  for (const padan::cli::Command& command : padan::cli::AllCommands()) {
    if (command.name == name) {
      std::vector<std::string_view> args(argv + 2, argv + argc);
      return command.run(args);
    }
  }
  std::fprintf(stderr, "padan: unknown command '%s'\n\n", argv[1]);
  PrintUsage(stderr);
  return padan::cli::kExitUsage;
}
