// Import throughput: a generated SIKS-NG CSV read, parsed, validated and added to the record
// store — `padan import` minus the command line. Reports persons/s and store bytes/person.
//
//   build/import_bench --benchmark_filter=/1M      (CI runs only /smoke)
//   build/import_bench --benchmark_filter=/10M     (generates 10 M persons first, ~2 GB)
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "benchmark/benchmark.h"
#include "data/column_mapping.h"
#include "data/generator/generator.h"
#include "data/importer.h"
#include "data/name_frequency_table.h"
#include "data/population_table.h"
#include "data/region_table.h"
#include "data/row_reader.h"
#include "index/record_store.h"

namespace padan {
namespace {

// Fixed seed: the input is the same on every run.
constexpr uint64_t kSeed = 20261129;

const RegionTable& Regions() {
  static const RegionTable* regions = RegionTable::LoadEmbedded()->release();
  return *regions;
}

// Generates (once per size, per process) the registry file to import.
std::string GeneratedCsv(int64_t persons) {
  static std::map<int64_t, std::string> files;
  auto it = files.find(persons);
  if (it != files.end()) return it->second;
  std::string dir = (std::filesystem::temp_directory_path() /
                     ("padan_import_bench_" + std::to_string(persons)))
                        .string();
  std::string csv = dir + "/dtks.csv";
  if (!std::filesystem::exists(csv)) {
    auto population = PopulationTable::LoadEmbedded();
    auto names = NameFrequencyTable::LoadEmbedded();
    auto generator = gen::Generator::Create(Regions(), **population, **names);
    gen::GeneratorOptions options;
    options.persons = persons;
    options.seed = kSeed;
    options.dup_rate = 0.05;
    options.out_dir = dir;
    if (!generator.ok() || !(*generator)->Run(options).ok()) return "";
  }
  files[persons] = csv;
  return csv;
}

void BM_Import(benchmark::State& state) {
  std::string csv = GeneratedCsv(state.range(0));
  if (csv.empty()) {
    state.SkipWithError("could not generate the input");
    return;
  }
  int64_t rows = 0;
  double bytes_per_person = 0;
  for (auto _ : state) {
    auto store = std::make_unique<RecordStore>();
    auto reader = OpenRowReader(csv);
    if (!reader.ok()) {
      state.SkipWithError("could not open the input");
      return;
    }
    // As `padan import` does: size the id maps from the file (about 250 bytes a row).
    store->Reserve((*reader)->bytes_total() / 200, (*reader)->bytes_total() / 600);
    absl::StatusOr<ImportSummary> summary = ImportRows(
        **reader, ColumnMapping(), Regions(), ImportOptions(),
        [&](const Household& h, const Person& p) { return store->Add(h, p).status(); });
    if (!summary.ok() || summary->rejected != 0) {
      state.SkipWithError("import failed or rejected rows");
      return;
    }
    rows = summary->rows_read;
    bytes_per_person =
        static_cast<double>(store->MemoryUsage()) / static_cast<double>(store->person_count());
    state.PauseTiming();
    store.reset();  // freeing 10 M records is not import work
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * rows);
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(std::filesystem::file_size(csv)));
  state.counters["bytes_per_person"] = bytes_per_person;
  state.counters["rows"] = static_cast<double>(rows);
}

BENCHMARK(BM_Import)->Name("BM_Import/smoke")->Arg(5'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Import)->Name("BM_Import/1M")->Arg(1'000'000)->Iterations(3)->Unit(
    benchmark::kMillisecond);
BENCHMARK(BM_Import)->Name("BM_Import/10M")->Arg(10'000'000)->Iterations(1)->Unit(
    benchmark::kMillisecond);

}  // namespace
}  // namespace padan

BENCHMARK_MAIN();
