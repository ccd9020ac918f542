// Throughput of the normalisers of matching/ on generated registry text: names as the
// generator renders them into the SIKS-NG export (upper or title case, H./Hj./S.Pd. titles,
// "Moch."/"Abd." abbreviations, bin/binti) and addresses in its four writing styles. Budget
// (matching-core issue): NameNormalizer >= 1 M typical ASCII names/s per core; items/s below is
// names (or addresses) per second on one thread.
//
//   ninja -C build normalizer_bench &&
//   build/normalizer_bench --benchmark_filter='/generated|/ascii|/non_ascii'
//
//   BM_NameNormalizer_Normalize    Normalize(raw, &reused): /generated, /non_ascii, /smoke
//   BM_UnicodeFold_Fold            AppendUnicodeFold into a reused string: /ascii, /non_ascii
//   BM_AddressNormalizer_Normalize Normalize(raw, &reused): /generated, /smoke
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"

#include "data/generator/address_generator.h"
#include "data/generator/generator.h"
#include "data/generator/siks_ng_writer.h"
#include "matching/address_normalizer.h"
#include "matching/name_normalizer.h"
#include "matching/unicode_fold.h"

namespace padan {
namespace {

constexpr uint64_t kSeed = 20250630;
// Distinct names per run: enough that branch predictors and the caches see registry-like
// variety rather than a loop over a few strings.
constexpr size_t kNames = 1 << 14;
constexpr size_t kSmokeNames = 16;

struct Tables {
  std::unique_ptr<RegionTable> regions;
  std::unique_ptr<PopulationTable> population;
  std::unique_ptr<NameFrequencyTable> names;
  std::unique_ptr<gen::Generator> generator;
  std::unique_ptr<NameNormalizer> name_normalizer;
  std::unique_ptr<AddressNormalizer> address_normalizer;
};

// Loaded once; the benchmark fails loudly when an embedded table does not load.
const Tables& GetTables() {
  static const Tables* tables = [] {
    auto* t = new Tables();
    t->regions = *RegionTable::LoadEmbedded();
    t->population = *PopulationTable::LoadEmbedded();
    t->names = *NameFrequencyTable::LoadEmbedded();
    t->generator = *gen::Generator::Create(*t->regions, *t->population, *t->names);
    t->name_normalizer = *NameNormalizer::LoadEmbedded();
    t->address_normalizer = *AddressNormalizer::LoadEmbedded();
    return t;
  }();
  return *tables;
}

// Names and addresses of generated households, rendered as the export writes them.
struct Corpus {
  std::vector<std::string> names;
  std::vector<std::string> addresses;
};

Corpus MakeCorpus(size_t count) {
  const gen::Generator& g = *GetTables().generator;
  gen::Rng rng(kSeed, gen::RngStream::kBenchmark, 0);
  Corpus corpus;
  while (corpus.names.size() < count) {
    const gen::GenHousehold h = g.households().Generate(g.regions().SampleDesa(rng), rng);
    for (const gen::GenPerson& p : h.members) {
      if (corpus.names.size() == count) break;
      corpus.names.push_back(gen::RenderName(p.nama, p.name_case, p.title, g.titles()));
    }
    const int style = static_cast<int>(rng.Uniform(gen::AddressGenerator::kStyles));
    corpus.addresses.push_back(gen::AddressGenerator::RenderAlamat(h.address, style) + " RT " +
                               gen::AddressGenerator::RenderRtRw(h.address.rt) + "/RW " +
                               gen::AddressGenerator::RenderRtRw(h.address.rw));
  }
  return corpus;
}

// The same names written with the diacritics, typographic apostrophes and full-width letters
// that pasted text brings: the slow path of UnicodeFold.
std::vector<std::string> NonAscii(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  out.reserve(names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    std::string name = names[i];
    switch (i % 3) {
      case 0:
        name.append(" Jos\u00e9");
        break;
      case 1:
        name.insert(0, "Nu\u2019man\u00a0");
        break;
      default:
        name.append(" \uff33\uff49\uff54\uff49");  // full-width "Siti"
        break;
    }
    out.push_back(std::move(name));
  }
  return out;
}

// The argument of each benchmark: which text it normalises.
enum CorpusKind : int64_t { kGenerated = 0, kNonAscii = 1, kSmoke = 2 };

void BM_NameNormalizer_Normalize(benchmark::State& state) {
  const NameNormalizer& normalizer = *GetTables().name_normalizer;
  const size_t count = state.range(0) == kSmoke ? kSmokeNames : kNames;
  std::vector<std::string> names = MakeCorpus(count).names;
  if (state.range(0) == kNonAscii) names = NonAscii(names);
  NormalizedName normalized;
  // Check the answer once before timing: the first generated name is never empty.
  normalizer.Normalize(names[0], &normalized);
  if (normalized.empty()) state.SkipWithError("first name normalised to nothing");
  size_t i = 0;
  int64_t bytes = 0;
  for (auto _ : state) {
    const std::string& name = names[i];
    normalizer.Normalize(name, &normalized);
    benchmark::DoNotOptimize(normalized.canonical.data());
    bytes += static_cast<int64_t>(name.size());
    i = i + 1 == names.size() ? 0 : i + 1;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
  state.counters["table_bytes"] = static_cast<double>(normalizer.MemoryUsage());
}
BENCHMARK(BM_NameNormalizer_Normalize)->ArgName("generated")->Arg(kGenerated);
BENCHMARK(BM_NameNormalizer_Normalize)->ArgName("non_ascii")->Arg(kNonAscii);
BENCHMARK(BM_NameNormalizer_Normalize)->ArgName("smoke")->Arg(kSmoke);

void BM_UnicodeFold_Fold(benchmark::State& state) {
  std::vector<std::string> names = MakeCorpus(kNames).names;
  if (state.range(0) == kNonAscii) names = NonAscii(names);
  std::string folded;
  size_t i = 0;
  int64_t bytes = 0;
  for (auto _ : state) {
    folded.clear();
    AppendUnicodeFold(names[i], &folded);
    benchmark::DoNotOptimize(folded.data());
    bytes += static_cast<int64_t>(names[i].size());
    i = i + 1 == names.size() ? 0 : i + 1;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_UnicodeFold_Fold)->ArgName("ascii")->Arg(kGenerated);
BENCHMARK(BM_UnicodeFold_Fold)->ArgName("non_ascii")->Arg(kNonAscii);

void BM_AddressNormalizer_Normalize(benchmark::State& state) {
  const AddressNormalizer& normalizer = *GetTables().address_normalizer;
  const std::vector<std::string> addresses =
      MakeCorpus(state.range(0) == kSmoke ? kSmokeNames : kNames).addresses;
  NormalizedAddress normalized;
  normalizer.Normalize(addresses[0], &normalized);
  if (normalized.rt == 0) state.SkipWithError("first address lost its RT");
  size_t i = 0;
  for (auto _ : state) {
    normalizer.Normalize(addresses[i], &normalized);
    benchmark::DoNotOptimize(normalized.canonical.data());
    i = i + 1 == addresses.size() ? 0 : i + 1;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AddressNormalizer_Normalize)->ArgName("generated")->Arg(kGenerated);
BENCHMARK(BM_AddressNormalizer_Normalize)->ArgName("smoke")->Arg(kSmoke);

}  // namespace
}  // namespace padan

BENCHMARK_MAIN();
