// `padan import`: reads a DTKS export into the record store and reports what it found.
#include <cstdio>
#include <memory>

#include "absl/strings/str_format.h"
#include "data/column_mapping.h"
#include "data/importer.h"
#include "data/region_table.h"
#include "data/row_reader.h"
#include "index/record_store.h"
#include "server/cli/command_line.h"
#include "server/cli/commands.h"
#include "server/cli/progress.h"

namespace padan::cli {
namespace {

// A SIKS-NG export row is about 250 bytes, a household about 3.5 persons.
constexpr uint64_t kTypicalRowBytes = 200;
constexpr uint64_t kTypicalHouseholdSize = 3;

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "padan import: %s\n", std::string(status.message()).c_str());
  return kExitFailure;
}

}  // namespace

int RunImport(const Args& args) {
  CommandLine command_line(
      "import",
      "Reads a DTKS export (SIKS-NG CSV with ',' or ';', or NDJSON) into the in-memory record\n"
      "store and prints what it found: rows read, accepted and rejected, and counts of flagged\n"
      "values (invalid NIK or No KK, unknown region, duplicate id...). Refused rows go to the\n"
      "rejects file with their line number and reason. SIKS-NG headers need no mapping; any\n"
      "other header set needs --mapping (see README, 'Column mapping').");
  command_line.AddOption("input", "FILE", "the CSV or NDJSON file to read", /*required=*/true);
  command_line.AddOption("mapping", "FILE", "JSON column mapping for non-SIKS-NG headers");
  command_line.AddOption("rejects", "FILE", "where refused rows go (default: FILE.rejects.csv)");
  command_line.AddFlag("json", "print the summary as JSON on stdout");
  if (absl::Status status = command_line.Parse(args); !status.ok()) {
    std::fprintf(stderr, "padan import: %s\n", std::string(status.message()).c_str());
    return kExitUsage;
  }
  if (command_line.help_requested()) {
    std::fputs(command_line.HelpText().c_str(), stdout);
    return kExitOk;
  }

  ColumnMapping mapping;
  if (command_line.Has("mapping")) {
    absl::StatusOr<ColumnMapping> loaded = ColumnMapping::FromFile(command_line.Get("mapping"));
    if (!loaded.ok()) return Fail(loaded.status());
    mapping = *std::move(loaded);
  }
  std::string input = command_line.Get("input");
  absl::StatusOr<std::unique_ptr<RowReader>> reader = OpenRowReader(input, mapping.reader);
  if (!reader.ok()) return Fail(reader.status());
  absl::StatusOr<std::unique_ptr<RegionTable>> regions = RegionTable::LoadEmbedded();
  if (!regions.ok()) return Fail(regions.status());

  RecordStore store;
  // Sizing the id maps from the file size spares the rehashing of a growing table, most of the
  // store's cost on a large import; an overestimate costs little.
  if (uint64_t bytes = (*reader)->bytes_total(); bytes > 0) {
    store.Reserve(bytes / kTypicalRowBytes, bytes / kTypicalRowBytes / kTypicalHouseholdSize);
  }
  ImportOptions options;
  options.rejects_path = command_line.Get("rejects", input + ".rejects.csv");
  ProgressBar progress("rows");
  options.progress = [&](uint64_t done, uint64_t total, int64_t rows) {
    progress.Update(done, total, rows);
  };
  absl::StatusOr<ImportSummary> summary = ImportRows(
      **reader, mapping, **regions, options,
      [&](const Household& household, const Person& person) {
        return store.Add(household, person).status();
      });
  progress.Finish();
  if (!summary.ok()) return Fail(summary.status());

  RecordStore::MemoryBreakdown memory = store.Memory();
  double per_person = store.person_count() > 0 ? static_cast<double>(memory.total()) /
                                                     static_cast<double>(store.person_count())
                                               : 0.0;
  if (command_line.Flag("json")) {
    std::string json = summary->ToJson();
    json.pop_back();  // extend the summary object with the store's figures
    json += absl::StrFormat(R"(,"persons":%d,"households":%d,"store_bytes":%d})",
                            store.person_count(), store.household_count(), memory.total());
    std::printf("%s\n", json.c_str());
  } else {
    std::printf("padan import %s\n%s", input.c_str(), summary->ToText().c_str());
    std::printf("persons          %12zu\nhouseholds       %12zu\n", store.person_count(),
                store.household_count());
    std::printf("store memory     %12.1f MiB (%.1f bytes/person)\n",
                static_cast<double>(memory.total()) / (1 << 20), per_person);
  }
  return kExitOk;
}

}  // namespace padan::cli
