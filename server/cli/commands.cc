#include "server/cli/commands.h"

#include <array>

namespace padan::cli {

std::span<const Command> AllCommands() {
  static constexpr std::array kCommands = {
      Command{"gen", "write synthetic DTKS data with ground truth", &RunGen},
      Command{"eval", "train the matching model and measure it against ground truth", &RunEval},
      Command{"import", "read a DTKS export (CSV/NDJSON) into the record store", &RunImport},
      Command{"link", "link every row of a list to its best match in the registry", &RunLink},
      Command{"verivali", "check a pre-list against field results (PAPI/CAPI) and report",
              &RunVerivali},
      Command{"dedup", "cluster the registry's duplicate persons and households", &RunDedup},
      Command{"serve", "serve the HTTP API (search, match, records, writes) over a data folder",
              &RunServe},
  };
  return kCommands;
}

}  // namespace padan::cli
