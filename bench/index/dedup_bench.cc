// Deduplicate (index/dedup.h) on a generated registry with 10 % duplicates, in memory: the
// whole run (keys, pairs, scoring, clustering; no files) timed, with its pairwise F1 against
// the generator's truth checked once before the timed loop. Reports persons/s, candidate and
// fully scored pairs per person, precision, recall and F1.
//
//   ninja -C build dedup_bench
//   build/dedup_bench --benchmark_filter=/200k    (about a minute, generation included)
// CI runs /smoke (5,000 persons). The 1 M and 10 M figures of the README come from timed runs
// of `padan dedup` over a data folder (README, "Deduplication").
#include <filesystem>
#include <memory>
#include <string>
#include <utility>

#include "benchmark/benchmark.h"

#include "data/absl_strings.h"
#include "data/column_mapping.h"
#include "data/generator/generator.h"
#include "data/importer.h"
#include "data/name_frequency_table.h"
#include "data/population_table.h"
#include "data/region_table.h"
#include "data/row_reader.h"
#include "data/status_macros.h"
#include "index/dedup.h"
#include "index/registry.h"
#include "matching/fellegi_sunter_model.h"

namespace padan {
namespace {

constexpr uint64_t kSeed = 7;
constexpr double kDupRate = 0.1;

struct Fixture {
  std::unique_ptr<RegionTable> regions;
  std::unique_ptr<NameNormalizer> names;
  std::unique_ptr<AddressNormalizer> addresses;
  std::unique_ptr<Registry> registry;
  std::unique_ptr<FellegiSunterModel> model;
  std::string dir;
};

// Generates `persons` (plus duplicates) into a temporary folder and imports them.
absl::StatusOr<Fixture> MakeFixture(int64_t persons) {
  Fixture f;
  f.dir = (std::filesystem::temp_directory_path() / StrCat("padan_dedup_bench_", persons)).string();
  PADAN_ASSIGN_OR_RETURN(f.regions, RegionTable::LoadEmbedded());
  PADAN_ASSIGN_OR_RETURN(f.names, NameNormalizer::LoadEmbedded());
  PADAN_ASSIGN_OR_RETURN(f.addresses, AddressNormalizer::LoadEmbedded());
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<PopulationTable> population,
                         PopulationTable::LoadEmbedded());
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<NameFrequencyTable> frequencies,
                         NameFrequencyTable::LoadEmbedded());
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<gen::Generator> generator,
                         gen::Generator::Create(*f.regions, *population, *frequencies));
  gen::GeneratorOptions options;
  options.persons = persons;
  options.seed = kSeed;
  options.dup_rate = kDupRate;
  options.out_dir = f.dir;
  PADAN_RETURN_IF_ERROR(generator->Run(options).status());
  f.registry = std::make_unique<Registry>(*f.names, *f.addresses);
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<RowReader> reader, OpenRowReader(f.dir + "/dtks.csv"));
  ImportOptions import;
  import.rejects_path = f.dir + "/rejects.csv";
  Registry* registry = f.registry.get();
  PADAN_RETURN_IF_ERROR(ImportRows(*reader, ColumnMapping(), *f.regions, import,
                                   [registry](const Household& household, const Person& person) {
                                     return registry->Add(household, person);
                                   })
                            .status());
  PADAN_RETURN_IF_ERROR(f.registry->FinishBulkLoad());
  PADAN_ASSIGN_OR_RETURN(FellegiSunterModel model, FellegiSunterModel::LoadDefault());
  f.model = std::make_unique<FellegiSunterModel>(std::move(model));
  return f;
}

void BM_Dedup(benchmark::State& state) {
  absl::StatusOr<Fixture> fixture = MakeFixture(state.range(0));
  if (!fixture.ok()) {
    state.SkipWithError(std::string(fixture.status().message()).c_str());
    return;
  }
  DedupOptions options;
  options.truth = fixture->dir + "/truth.csv";
  absl::StatusOr<DedupSummary> checked =
      Deduplicate(*fixture->registry, *fixture->model, options, BatchControl());
  std::filesystem::remove_all(fixture->dir);
  if (!checked.ok()) {
    state.SkipWithError(std::string(checked.status().message()).c_str());
    return;
  }
  options.truth.clear();
  for (auto _ : state) {
    absl::StatusOr<DedupSummary> summary =
        Deduplicate(*fixture->registry, *fixture->model, options, BatchControl());
    benchmark::DoNotOptimize(summary);
  }
  const double persons = static_cast<double>(checked->persons);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(checked->persons));
  state.counters["persons"] = persons;
  state.counters["candidate_pairs_per_person"] =
      static_cast<double>(checked->candidate_pairs) / persons;
  state.counters["scored_pairs_per_person"] = static_cast<double>(checked->scored_pairs) / persons;
  state.counters["precision"] = checked->evaluation.precision();
  state.counters["recall"] = checked->evaluation.recall();
  state.counters["f1"] = checked->evaluation.f1();
}

BENCHMARK(BM_Dedup)->Name("BM_Dedup/smoke")->Arg(5'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Dedup)->Name("BM_Dedup/200k")->Arg(200'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace padan

BENCHMARK_MAIN();
