// How well the name normaliser and its phonetic keys (DESIGN.md §4) keep true spelling
// variants together and different names apart, measured on the generator's names and its own
// corruption machinery (data/generator/corruptor.h). This benchmark's job is its counters, not
// its time:
//
//   BM_PhoneticKeyRates_KeptTogether/<corruption>  one corruption applied to generated persons;
//       over the (original, variant) pairs it changed, both rendered as the export writes
//       them (case, titles, "Moch."):
//         kept_together   share whose normalised token sequences have identical phonetic keys
//         same_canonical  share whose canonical strings are identical
//   BM_PhoneticKeyRates_Separated                  random pairs of generated persons whose
//       normalised names differ (same canonical string = same name, skipped):
//         separated       share whose phonetic key sequences differ
//         token_separated over random pairs of different name tokens, share whose keys differ
//
//   ninja -C build phonetic_key_rates_bench &&
//   build/phonetic_key_rates_bench --benchmark_filter='/corruption|Separated/pairs'
//
// Typos are not what a phonetic key is for (it keeps sound-alike spellings together, and a
// keying error is caught by the edit-distance levels), so their kept_together is expected to
// be low; old spelling, Muhammad and Abdul variants and titles should be kept together.
// Every /smoke case runs a handful of pairs for CI.
#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"

#include "data/generator/corruption.h"
#include "data/generator/generator.h"
#include "data/generator/siks_ng_writer.h"
#include "matching/name_normalizer.h"

namespace padan {
namespace {

constexpr uint64_t kSeed = 20250630;
// Pairs per measured rate: the standard error of a share near 95% is then about 0.15 points.
constexpr int64_t kPairs = 20000;
constexpr int64_t kSmokePairs = 20;
// Persons drawn before giving up on a corruption that rarely applies (Abdul variants need an
// "abd" in the name, about 2% of persons).
constexpr int64_t kMaxPersonsPerPair = 200;

using gen::Corruption;

// The name corruptions the normaliser should undo or the phonetic key should absorb, and the
// keying errors it is not meant for, reported separately.
constexpr std::array<Corruption, 10> kCorruptions = {
    Corruption::kOldSpelling,   Corruption::kMuhammadVariant, Corruption::kAbdulVariant,
    Corruption::kTitleAdded,    Corruption::kTitleDropped,    Corruption::kBinBinti,
    Corruption::kTypoInsert,    Corruption::kTypoDelete,      Corruption::kTypoSubstitute,
    Corruption::kTypoTranspose,
};

struct Tables {
  std::unique_ptr<RegionTable> regions;
  std::unique_ptr<PopulationTable> population;
  std::unique_ptr<NameFrequencyTable> names;
  std::unique_ptr<gen::Generator> generator;
  std::unique_ptr<NameNormalizer> normalizer;
};

const Tables& GetTables() {
  static const Tables* tables = [] {
    auto* t = new Tables();
    t->regions = *RegionTable::LoadEmbedded();
    t->population = *PopulationTable::LoadEmbedded();
    t->names = *NameFrequencyTable::LoadEmbedded();
    t->generator = *gen::Generator::Create(*t->regions, *t->population, *t->names);
    t->normalizer = *NameNormalizer::LoadEmbedded();
    return t;
  }();
  return *tables;
}

// Generated persons, one household at a time, as the generator's originals are made.
class PersonSource {
 public:
  explicit PersonSource(uint64_t stream) : rng_(kSeed, gen::RngStream::kBenchmark, stream) {}

  // The next person and its household (valid until the next call).
  const gen::GenPerson& Next(const gen::GenHousehold** household) {
    const gen::Generator& g = *GetTables().generator;
    while (member_ >= household_.members.size()) {
      household_ = g.households().Generate(g.regions().SampleDesa(rng_), rng_);
      member_ = 0;
    }
    *household = &household_;
    return household_.members[member_++];
  }
  gen::Rng& rng() { return rng_; }

 private:
  gen::Rng rng_;
  gen::GenHousehold household_;
  size_t member_ = 0;
};

std::string Render(const gen::GenPerson& p) {
  return gen::RenderName(p.nama, p.name_case, p.title, GetTables().generator->titles());
}

void BM_PhoneticKeyRates_KeptTogether(benchmark::State& state) {
  const Corruption corruption = kCorruptions[static_cast<size_t>(state.range(0))];
  const int64_t wanted = state.range(1);
  const NameNormalizer& normalizer = *GetTables().normalizer;
  const gen::Corruptor& corruptor = GetTables().generator->corruptor();
  int64_t pairs = 0;
  int64_t together = 0;
  int64_t same_canonical = 0;
  for (auto _ : state) {
    PersonSource source(static_cast<uint64_t>(corruption) + 1);
    NormalizedName original;
    NormalizedName variant;
    pairs = together = same_canonical = 0;
    for (int64_t drawn = 0; pairs < wanted && drawn < wanted * kMaxPersonsPerPair; ++drawn) {
      const gen::GenHousehold* household = nullptr;
      const gen::GenPerson& person = source.Next(&household);
      gen::GenPerson copy = person;
      if (!corruptor.Apply(corruption, &copy, *household, source.rng())) continue;
      normalizer.Normalize(Render(person), &original);
      normalizer.Normalize(Render(copy), &variant);
      ++pairs;
      together += original.phonetic_keys == variant.phonetic_keys;
      same_canonical += original.canonical == variant.canonical;
    }
  }
  if (pairs == 0) {
    state.SkipWithError("the corruption never applied");
    return;
  }
  state.SetLabel(std::string(gen::CorruptionName(corruption)));
  state.counters["pairs"] = static_cast<double>(pairs);
  state.counters["kept_together"] = static_cast<double>(together) / static_cast<double>(pairs);
  state.counters["same_canonical"] =
      static_cast<double>(same_canonical) / static_cast<double>(pairs);
}

void KeptTogetherArgs(benchmark::internal::Benchmark* b) {
  for (size_t i = 0; i < kCorruptions.size(); ++i) {
    b->Args({static_cast<int64_t>(i), kPairs});
  }
}
BENCHMARK(BM_PhoneticKeyRates_KeptTogether)
    ->ArgNames({"corruption", "pairs"})
    ->Apply(KeptTogetherArgs)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PhoneticKeyRates_KeptTogether)
    ->ArgNames({"smoke", "pairs"})
    ->Args({0, kSmokePairs})
    ->Iterations(1);

void BM_PhoneticKeyRates_Separated(benchmark::State& state) {
  const int64_t wanted = state.range(0);
  const NameNormalizer& normalizer = *GetTables().normalizer;
  int64_t pairs = 0;
  int64_t separated = 0;
  int64_t token_pairs = 0;
  int64_t tokens_separated = 0;
  for (auto _ : state) {
    // Two independent streams of persons: each pair is two people drawn from the generator's
    // name distribution (custom by region, sex, age).
    PersonSource left(101);
    PersonSource right(102);
    NormalizedName a;
    NormalizedName b;
    pairs = separated = token_pairs = tokens_separated = 0;
    while (pairs < wanted) {
      const gen::GenHousehold* household = nullptr;
      normalizer.Normalize(Render(left.Next(&household)), &a);
      normalizer.Normalize(Render(right.Next(&household)), &b);
      if (a.canonical == b.canonical) continue;  // the same name: not a pair of different names
      ++pairs;
      separated += a.phonetic_keys != b.phonetic_keys;
      // Tokens at the same position, when they differ: the unit blocking keys are built from.
      for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
        if (a.tokens[i] == b.tokens[i]) continue;
        ++token_pairs;
        tokens_separated += a.phonetic_keys[i] != b.phonetic_keys[i];
      }
    }
  }
  state.counters["pairs"] = static_cast<double>(pairs);
  state.counters["separated"] = static_cast<double>(separated) / static_cast<double>(pairs);
  state.counters["token_pairs"] = static_cast<double>(token_pairs);
  state.counters["token_separated"] =
      token_pairs == 0 ? 0.0
                       : static_cast<double>(tokens_separated) / static_cast<double>(token_pairs);
}
BENCHMARK(BM_PhoneticKeyRates_Separated)
    ->ArgName("pairs")
    ->Arg(kPairs)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PhoneticKeyRates_Separated)->ArgName("smoke")->Arg(kSmokePairs)->Iterations(1);

}  // namespace
}  // namespace padan

BENCHMARK_MAIN();
