// Benchmarks a whole verivali run (RunVerivali: read both files, pair, score, assign, decide,
// write the result files) on a generated pre-list and its PAPI field results. items/s is
// pre-list persons per second. The budget (DESIGN.md §7) is 1 M × 1 M in ≤ 60 s; that size is
// measured with the CLI (README, "Verivali"), these sizes show how the run scales.
//
//   ninja -C build verivali_bench && build/verivali_bench --benchmark_filter=/20000
//
// /smoke is a few hundred persons for CI.

#include <filesystem>
#include <memory>
#include <string>

#include "benchmark/benchmark.h"

#include "data/generator/generator.h"
#include "data/name_frequency_table.h"
#include "data/population_table.h"
#include "data/region_table.h"
#include "matching/verivali.h"

namespace padan {
namespace {

constexpr uint64_t kSeed = 7;
constexpr double kDupRate = 0.1;
constexpr double kPrelistShare = 0.5;

const RegionTable& Regions() {
  static const RegionTable* regions = RegionTable::LoadEmbedded()->release();
  return *regions;
}

// Generates the verivali pair of `persons` persons into a fresh folder under the temp dir.
std::string Generate(int64_t persons) {
  static const PopulationTable* population = PopulationTable::LoadEmbedded()->release();
  static const NameFrequencyTable* names = NameFrequencyTable::LoadEmbedded()->release();
  static const gen::Generator* generator =
      gen::Generator::Create(Regions(), *population, *names)->release();
  const std::string dir = (std::filesystem::temp_directory_path() /
                           ("padan_verivali_bench_" + std::to_string(persons)))
                              .string();
  gen::GeneratorOptions options;
  options.persons = persons;
  options.seed = kSeed;
  options.dup_rate = kDupRate;
  options.prelist = true;
  options.prelist_share = kPrelistShare;
  options.out_dir = dir;
  if (!generator->Run(options).ok()) return "";
  return dir;
}

void BM_Verivali_Run(benchmark::State& state) {
  const std::string dir = Generate(state.range(0));
  if (dir.empty()) {
    state.SkipWithError("generator failed");
    return;
  }
  VerivaliOptions options;
  options.prelist_path = dir + "/prelist.csv";
  options.field_path = dir + "/field_papi.csv";
  options.out_dir = dir + "/out";
  options.truth_path = dir + "/prelist_truth.csv";
  // Check the answer once before timing it.
  absl::StatusOr<VerivaliResult> checked = RunVerivali(options, Regions(), BatchControl());
  if (!checked.ok() || !checked->truth.has_value()) {
    state.SkipWithError("verivali failed");
    return;
  }
  const TruthTally all = checked->truth->Overall();
  state.counters["right"] = static_cast<double>(all.right) / static_cast<double>(all.total);
  options.truth_path.clear();
  int64_t persons = 0;
  for (auto _ : state) {
    absl::StatusOr<VerivaliResult> result = RunVerivali(options, Regions(), BatchControl());
    benchmark::DoNotOptimize(result);
    persons += result.ok() ? result->summary.prelist_persons : 0;
  }
  state.SetItemsProcessed(persons);
  std::filesystem::remove_all(dir);
}

BENCHMARK(BM_Verivali_Run)->Name("BM_Verivali_Run/smoke")->Arg(600)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Verivali_Run)->Arg(20000)->Arg(200000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace padan

BENCHMARK_MAIN();
