// `padan import`: reads a DTKS export into the record store and reports what it found.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>

#include "absl/strings/str_format.h"

#include "data/absl_strings.h"
#include "data/column_mapping.h"
#include "data/importer.h"
#include "data/region_table.h"
#include "data/row_reader.h"
#include "data/status_macros.h"
#include "index/data_folder.h"
#include "index/record_store.h"
#include "index/registry.h"
#include "index/registry_training.h"
#include "matching/address_normalizer.h"
#include "matching/name_normalizer.h"
#include "server/cli/command_line.h"
#include "server/cli/commands.h"
#include "server/cli/progress.h"

namespace padan::cli {
namespace {

// A SIKS-NG export row is about 250 bytes, a household about 3.5 persons.
constexpr uint64_t kTypicalRowBytes = 200;
constexpr uint64_t kTypicalHouseholdSize = 3;

// Persons the model is trained on at most (sampled by kecamatan beyond): about a minute.
constexpr size_t kMaxTrainingRecords = 500'000;
constexpr size_t kMinRandomPairs = 200'000;

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "padan import: %s\n", std::string(status.message()).c_str());
  return kExitFailure;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Builds the indexes of the imported registry, trains the model on it and writes the folder.
absl::Status BuildDataFolder(const std::string& dir, Registry& registry) {
  auto start = std::chrono::steady_clock::now();
  PADAN_RETURN_IF_ERROR(registry.FinishBulkLoad());
  std::fprintf(stderr, "padan import: indexes built in %.1f s\n", SecondsSince(start));
  start = std::chrono::steady_clock::now();
  // Training starts from the shipped model: its thresholds, and its m where this registry
  // shows too few duplicates to learn them.
  absl::StatusOr<FellegiSunterModel> prior = FellegiSunterModel::LoadDefault();
  if (!prior.ok()) return prior.status();
  FellegiSunterModel model = *prior;
  TrainingOptions training;
  training.prior = &*prior;
  // Random pairs for u: 2 M (the default) for a national registry, fewer for a small one,
  // where they would only repeat the same records.
  training.random_pairs = std::clamp<size_t>(registry.store().live_person_count() * 20,
                                             kMinRandomPairs, training.random_pairs);
  absl::StatusOr<TrainingReport> trained =
      TrainOnRegistry(registry, training, kMaxTrainingRecords, &model);
  if (!trained.ok()) {
    return absl::Status(trained.status().code(),
                        StrCat("training the matching model: ", trained.status().message()));
  }
  std::fprintf(stderr, "padan import: model %s trained on %llu persons in %.1f s\n",
               model.version().c_str(), static_cast<unsigned long long>(trained->records),
               SecondsSince(start));
  start = std::chrono::steady_clock::now();
  PADAN_RETURN_IF_ERROR(DataFolder::Create(dir, registry, model));
  std::fprintf(stderr, "padan import: data folder %s written in %.1f s\n", dir.c_str(),
               SecondsSince(start));
  return absl::OkStatus();
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
  command_line.AddOption("data", "DIR",
                         "also build every index, train the matching model on the records and "
                         "write a new data folder here for padan serve (must not hold one)");
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

  // With --data the rows land in a Registry (the store plus its indexes), else in a bare store.
  std::unique_ptr<NameNormalizer> names;
  std::unique_ptr<AddressNormalizer> addresses;
  std::unique_ptr<Registry> registry;
  RecordStore plain_store;
  const bool make_folder = command_line.Has("data");
  if (make_folder) {
    if (absl::Status status = DataFolder::CheckCreatable(command_line.Get("data")); !status.ok()) {
      return Fail(status);
    }
    absl::StatusOr<std::unique_ptr<NameNormalizer>> loaded_names = NameNormalizer::LoadEmbedded();
    if (!loaded_names.ok()) return Fail(loaded_names.status());
    absl::StatusOr<std::unique_ptr<AddressNormalizer>> loaded_addresses =
        AddressNormalizer::LoadEmbedded();
    if (!loaded_addresses.ok()) return Fail(loaded_addresses.status());
    names = *std::move(loaded_names);
    addresses = *std::move(loaded_addresses);
    registry = std::make_unique<Registry>(*names, *addresses);
  }
  // Sizing the id maps from the file size spares the rehashing of a growing table, most of the
  // store's cost on a large import; an overestimate costs little.
  if (uint64_t bytes = (*reader)->bytes_total(); bytes > 0) {
    const size_t persons = bytes / kTypicalRowBytes;
    const size_t households = persons / kTypicalHouseholdSize;
    if (make_folder) {
      registry->Reserve(persons, households);
    } else {
      plain_store.Reserve(persons, households);
    }
  }
  ImportOptions options;
  options.rejects_path = command_line.Get("rejects", input + ".rejects.csv");
  ProgressBar progress("rows");
  options.progress = [&](uint64_t done, uint64_t total, int64_t rows) {
    progress.Update(done, total, rows);
  };
  absl::StatusOr<ImportSummary> summary = ImportRows(
      **reader, mapping, **regions, options, [&](const Household& household, const Person& person) {
        return make_folder ? registry->Add(household, person)
                           : plain_store.Add(household, person).status();
      });
  progress.Finish();
  if (!summary.ok()) return Fail(summary.status());
  if (make_folder) {
    if (absl::Status status = BuildDataFolder(command_line.Get("data"), *registry); !status.ok()) {
      return Fail(status);
    }
  }
  const RecordStore& store = make_folder ? registry->store() : plain_store;

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
