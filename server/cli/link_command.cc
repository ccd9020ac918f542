// `padan link`: links every row of a list (a directorate's beneficiary list, any header set
// through the import mapping) to its best match in a data folder's registry, keeping the
// input columns and adding the decision, probability, matched record and explanation.
#include <cstdio>
#include <memory>
#include <string>

#include "data/column_mapping.h"
#include "index/data_folder.h"
#include "index/list_linker.h"
#include "server/cli/command_line.h"
#include "server/cli/commands.h"
#include "server/cli/progress.h"

namespace padan::cli {
namespace {

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "padan link: %s\n", std::string(status.message()).c_str());
  return kExitFailure;
}

}  // namespace

int RunLink(const Args& args) {
  CommandLine command_line(
      "link",
      "Links every row of a list (CSV or NDJSON, SIKS-NG headers or any header set through\n"
      "--mapping) to its best match in the registry of a data folder (padan import --data).\n"
      "The output keeps the input columns and adds the decision (match, possible_match,\n"
      "non_match, no_candidate, or invalid for a row that is no person record), the match\n"
      "probability and weight, the matched record, the runner-up and the explanation.\n"
      "A list without an id column is fine: rows are named by their line.");
  command_line.AddOption("data", "DIR", "the data folder to link against", /*required=*/true);
  command_line.AddOption("input", "FILE", "the list to link (CSV or NDJSON)", /*required=*/true);
  command_line.AddOption("out", "FILE", "where results go: .csv, or .ndjson/.jsonl",
                         /*required=*/true);
  command_line.AddOption("mapping", "FILE", "JSON column mapping for non-SIKS-NG headers");
  command_line.AddOption("scope", "KODE", "link only to records in this region (2-10 digits)");
  command_line.AddOption("threads", "N", "matching threads (default: one per core)");
  if (absl::Status status = command_line.Parse(args); !status.ok()) {
    std::fprintf(stderr, "padan link: %s\n", std::string(status.message()).c_str());
    return kExitUsage;
  }
  if (command_line.help_requested()) {
    std::fputs(command_line.HelpText().c_str(), stdout);
    return kExitOk;
  }
  absl::StatusOr<int64_t> scope_code = command_line.GetInt("scope", 0, 0, 9'999'999'999);
  absl::StatusOr<int64_t> threads = command_line.GetInt("threads", 0, 0, 256);
  if (!scope_code.ok() || !threads.ok()) {
    std::fprintf(
        stderr, "padan link: %s\n",
        std::string((scope_code.ok() ? threads.status() : scope_code.status()).message()).c_str());
    return kExitUsage;
  }
  absl::StatusOr<Scope> scope = Scope::FromCode(static_cast<KodeWilayah>(*scope_code));
  if (!scope.ok()) {
    std::fprintf(stderr, "padan link: --scope %s\n", std::string(scope.status().message()).c_str());
    return kExitUsage;
  }

  ColumnMapping mapping;
  if (command_line.Has("mapping")) {
    absl::StatusOr<ColumnMapping> loaded = ColumnMapping::FromFile(command_line.Get("mapping"));
    if (!loaded.ok()) return Fail(loaded.status());
    mapping = *std::move(loaded);
  }
  DataFolderOptions folder_options;
  folder_options.dir = command_line.Get("data");
  folder_options.text_index = false;  // linking uses the in-memory indexes only
  folder_options.background_snapshots = false;
  absl::StatusOr<std::unique_ptr<DataFolder>> folder = DataFolder::Open(folder_options);
  if (!folder.ok()) return Fail(folder.status());

  LinkOptions options;
  options.input = command_line.Get("input");
  options.output = command_line.Get("out");
  options.mapping = std::move(mapping);
  options.scope = *scope;
  options.threads = static_cast<size_t>(*threads);
  ProgressBar progress("bytes");
  absl::StatusOr<LinkSummary> summary =
      LinkList((*folder)->engine(), (*folder)->regions(), std::move(options), progress.Control());
  progress.Finish();
  if (!summary.ok()) return Fail(summary.status());
  const LinkSummary& counts = *summary;
  const double seconds = counts.seconds;

  std::printf(
      "padan link %s → %s\n"
      "rows            %10lld\n"
      "match           %10lld\n"
      "possible_match  %10lld\n"
      "non_match       %10lld\n"
      "no_candidate    %10lld\n"
      "invalid         %10lld\n"
      "time            %10.2f s (%.0f rows/s, %zu threads)\n",
      command_line.Get("input").c_str(), command_line.Get("out").c_str(),
      static_cast<long long>(counts.rows), static_cast<long long>(counts.match),
      static_cast<long long>(counts.possible), static_cast<long long>(counts.non_match),
      static_cast<long long>(counts.no_candidate), static_cast<long long>(counts.invalid), seconds,
      seconds > 0 ? static_cast<double>(counts.rows) / seconds : 0.0, counts.threads);
  return kExitOk;
}

}  // namespace padan::cli
