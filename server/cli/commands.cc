#include "server/cli/commands.h"

#include <array>

namespace padan::cli {

std::span<const Command> AllCommands() {
  static constexpr std::array kCommands = {
      Command{"gen", "write synthetic DTKS data with ground truth", &RunGen},
      Command{"import", "read a DTKS export (CSV/NDJSON) into the record store", &RunImport},
  };
  return kCommands;
}

}  // namespace padan::cli
