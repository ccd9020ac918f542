// Generator throughput: persons per second for the in-memory draws (names, households, blocks
// with duplicates) and for a whole `padan gen` run writing its files.
//
//   BM_Generator_NameGenerate      one full name, by custom
//   BM_Generator_Household         one household with its members
//   BM_Generator_Block             one block of persons with 10% duplicates, in memory
//   BM_Generator_Run               Generator::Run into a temporary directory (files included)
#include <filesystem>
#include <memory>

#include "benchmark/benchmark.h"

#include "data/generator/generator.h"

namespace padan::gen {
namespace {

struct Tables {
  std::unique_ptr<RegionTable> regions;
  std::unique_ptr<PopulationTable> population;
  std::unique_ptr<NameFrequencyTable> names;
  std::unique_ptr<Generator> generator;
};

// Loaded once; the benchmark fails loudly when the embedded tables do not load.
const Tables& GetTables() {
  static const Tables* tables = [] {
    auto* t = new Tables();
    t->regions = *RegionTable::LoadEmbedded();
    t->population = *PopulationTable::LoadEmbedded();
    t->names = *NameFrequencyTable::LoadEmbedded();
    t->generator = *Generator::Create(*t->regions, *t->population, *t->names);
    return t;
  }();
  return *tables;
}

void BM_Generator_NameGenerate(benchmark::State& state) {
  const NameGenerator& names = GetTables().generator->names();
  const NameCustom custom = static_cast<NameCustom>(state.range(0));
  Rng rng(1, RngStream::kBenchmark, 0);
  int year = 1950;
  for (auto _ : state) {
    std::string_view family = names.DrawFamilyName(custom, rng);
    std::string name = names.Generate({custom, Sex::kPerempuan, year, 1 + year % 4, family}, rng);
    benchmark::DoNotOptimize(name);
    year = year == 2020 ? 1950 : year + 1;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string(NameCustomName(custom)));
}
BENCHMARK(BM_Generator_NameGenerate)->DenseRange(1, kNameCustomCount - 1);
BENCHMARK(BM_Generator_NameGenerate)->ArgName("smoke")->Arg(1);

void BM_Generator_Household(benchmark::State& state) {
  const Generator& g = *GetTables().generator;
  Rng rng(1, RngStream::kBenchmark, 1);
  int64_t persons = 0;
  for (auto _ : state) {
    GenHousehold h = g.households().Generate(g.regions().SampleDesa(rng), rng);
    persons += static_cast<int64_t>(h.members.size());
    benchmark::DoNotOptimize(h);
  }
  state.SetItemsProcessed(persons);
}
BENCHMARK(BM_Generator_Household);
BENCHMARK(BM_Generator_Household)->Name("BM_Generator_Household/smoke")->Iterations(100);

void BM_Generator_Block(benchmark::State& state) {
  const Generator& g = *GetTables().generator;
  GeneratorOptions options;
  options.seed = 1;
  options.dup_rate = 0.1;
  uint64_t index = 0;
  for (auto _ : state) {
    Block block = g.GenerateBlock(index++, state.range(0), options);
    benchmark::DoNotOptimize(block);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Generator_Block)->Arg(Generator::kBlockPersons)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Generator_Block)->ArgName("smoke")->Arg(256)->Unit(benchmark::kMillisecond);

void BM_Generator_Run(benchmark::State& state) {
  const Generator& g = *GetTables().generator;
  const std::string dir =
      (std::filesystem::temp_directory_path() / "padan_generator_bench").string();
  GeneratorOptions options;
  options.persons = state.range(0);
  options.seed = 1;
  options.dup_rate = 0.1;
  options.prelist = true;
  options.out_dir = dir;
  int64_t bytes = 0;
  for (auto _ : state) {
    absl::StatusOr<GeneratorReport> report = g.Run(options);
    if (!report.ok()) {
      state.SkipWithError(std::string(report.status().message()).c_str());
      break;
    }
    bytes += static_cast<int64_t>(std::filesystem::file_size(dir + "/dtks.csv"));
  }
  std::filesystem::remove_all(dir);
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_Generator_Run)->Arg(200'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Generator_Run)
    ->ArgName("smoke")
    ->Arg(2000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace padan::gen

BENCHMARK_MAIN();
