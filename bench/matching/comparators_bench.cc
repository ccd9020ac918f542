// Benchmarks the string comparators of matching/ on generated Indonesian names: pairs of 2-3
// token names drawn by frequency from the embedded name_tokens_gender_freq table, half of them
// a name and a one-typo variant of it, half two unrelated names. Budgets (DESIGN.md §7 and the
// matching-core issue): Jaro-Winkler >= 15 M pairs/s per core, LevenshteinWithin(..., 2)
// >= 30 M pairs/s per core; items/s below is pairs/s on one thread. BM_JaroWinklerQuery is the
// same Jaro-Winkler through JaroWinklerQuery, one name against 16 candidates, as scoring a
// query or a dedup block can do.
//
//   ninja -C build comparators_bench &&
//   build/comparators_bench --benchmark_filter=/mixed$ --benchmark_min_time=0.5
//
// Each comparator runs on /mixed (the budget case), /near and /random, and on /smoke, a few
// pairs for CI.

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <utility>
#include <vector>

#include "benchmark/benchmark.h"

#include "data/embedded_files.h"
#include "data/generator/alias_table.h"
#include "data/generator/random.h"
#include "matching/damerau_levenshtein.h"
#include "matching/jaro_winkler.h"
#include "matching/levenshtein.h"
#include "matching/nik_comparison.h"
#include "matching/region_comparison.h"
#include "matching/token_similarity.h"

namespace padan {
namespace {

constexpr uint64_t kSeed = 20240611;
// Enough distinct pairs that branch predictors cannot learn them. With 2,048 pairs they do: the
// same 2,048 pairs copied eight times over (the memory of 16,384) run as fast as 2,048 and up to
// three times faster than 16,384 distinct pairs, so it is the predictor, not the cache, that a
// smaller set would measure.
constexpr size_t kPairs = 1 << 14;
constexpr size_t kSmokePairs = 16;
// Candidates scored against each query in BM_JaroWinklerQuery. Conservative: blocking lets
// hundreds through, and the query's one-time setup weighs less the more there are.
constexpr size_t kCandidatesPerQuery = 16;
// The cutoff the budget names, and the Jaro-Winkler level of DESIGN.md §4.
constexpr int kMaxEdits = 2;
constexpr double kJaroWinklerLevel = 0.88;

enum class Mix { kMixed, kNear, kRandom };

struct NamePair {
  std::string_view a;
  std::string_view b;
};

struct TokenPair {
  NameTokens a;
  NameTokens b;
};

// The pairs are kept apart from their tokens so that the string comparators walk a compact
// array, as they would a candidate list.
struct PairSet {
  std::string text;  // every name, back to back; the pairs view into it
  std::vector<NamePair> pairs;
  std::vector<TokenPair> tokens;  // tokens[i] are those of pairs[i]
};

// Draws names as the generator would: 2 or 3 tokens, each by its frequency in the table.
class NameSource {
 public:
  NameSource() {
    absl::StatusOr<std::string_view> csv = EmbeddedFile("names/name_tokens_gender_freq.csv");
    if (!csv.ok()) return;
    std::vector<double> weights;
    std::string_view rest = *csv;
    rest.remove_prefix(std::min(rest.size(), rest.find('\n') + 1));  // header
    while (!rest.empty()) {
      const size_t end = std::min(rest.size(), rest.find('\n'));
      const std::string_view line = rest.substr(0, end);
      rest.remove_prefix(std::min(rest.size(), end + 1));
      // token,female_count,male_count,total
      const size_t comma = line.find(',');
      const size_t last = line.rfind(',');
      double total = 0;
      if (comma == std::string_view::npos ||
          std::from_chars(line.data() + last + 1, line.data() + line.size(), total).ec !=
              std::errc()) {
        continue;
      }
      tokens_.push_back(line.substr(0, comma));
      weights.push_back(total);
    }
    table_ = gen::AliasTable(weights);
  }

  bool ok() const { return !table_.empty(); }

  void AppendName(gen::Rng& rng, std::string* out) const {
    const int count = rng.UniformInt(2, 3);
    for (int i = 0; i < count; ++i) {
      if (i > 0) out->push_back(' ');
      out->append(tokens_[table_.Sample(rng)]);
    }
  }

 private:
  std::vector<std::string_view> tokens_;  // views into the embedded table
  gen::AliasTable table_;
};

// One keying error: a substituted, inserted or deleted letter, or two adjacent letters swapped.
void ApplyTypo(gen::Rng& rng, std::string* name) {
  const char letter = static_cast<char>('a' + rng.Uniform(26));
  const size_t pos = rng.Uniform(name->size());
  switch (rng.Uniform(4)) {
    case 0:
      (*name)[pos] = letter;
      break;
    case 1:
      name->insert(pos, 1, letter);
      break;
    case 2:
      name->erase(pos, 1);
      break;
    default:
      if (pos + 1 < name->size()) std::swap((*name)[pos], (*name)[pos + 1]);
      break;
  }
}

// `count` pairs; each first name is shared by `group` consecutive pairs (1: all distinct), as a
// query is by its candidates.
PairSet MakePairs(size_t count, Mix mix, size_t group) {
  static const NameSource source;
  PairSet set;
  if (!source.ok()) return set;
  set.text.reserve(count * 48);
  gen::Rng rng(kSeed, gen::RngStream::kBenchmark, static_cast<uint64_t>(mix) * 64 + group);
  struct Bounds {
    size_t a_begin, a_end, b_begin, b_end;
  };
  std::vector<Bounds> bounds;
  for (size_t i = 0; i < count; ++i) {
    Bounds pair;
    if (i % group == 0) {
      pair.a_begin = set.text.size();
      source.AppendName(rng, &set.text);
      pair.a_end = set.text.size();
    } else {
      pair.a_begin = bounds.back().a_begin;
      pair.a_end = bounds.back().a_end;
    }
    pair.b_begin = set.text.size();
    const bool near = mix == Mix::kNear || (mix == Mix::kMixed && i % 2 == 0);
    if (near) {
      std::string variant(set.text, pair.a_begin, pair.a_end - pair.a_begin);
      ApplyTypo(rng, &variant);
      set.text += variant;
    } else {
      source.AppendName(rng, &set.text);
    }
    pair.b_end = set.text.size();
    bounds.push_back(pair);
  }
  // Views are taken once the text has stopped growing.
  const std::string_view text = set.text;
  for (const Bounds& b : bounds) {
    const NamePair pair{text.substr(b.a_begin, b.a_end - b.a_begin),
                        text.substr(b.b_begin, b.b_end - b.b_begin)};
    set.pairs.push_back(pair);
    set.tokens.push_back({SplitNameTokens(pair.a), SplitNameTokens(pair.b)});
  }
  return set;
}

// Built once per (count, mix, group): Google Benchmark calls each function several times while
// it settles the iteration count.
const PairSet& Pairs(size_t count, Mix mix, size_t group = 1) {
  static std::map<std::tuple<size_t, Mix, size_t>, PairSet> sets;
  const auto key = std::make_tuple(count, mix, group);
  auto it = sets.find(key);
  if (it == sets.end()) it = sets.emplace(key, MakePairs(count, mix, group)).first;
  return it->second;
}

// Runs `compare` over `items` (pairs of names, tokens or numbers) round-robin, one per iteration,
// after `check` has accepted every item (it returns an error message, or "" when the answers are
// right).
template <typename Item, typename Compare, typename Check>
void RunItems(benchmark::State& state, const std::vector<Item>& items, Compare compare,
              Check check) {
  if (items.empty()) {
    state.SkipWithError("embedded name table missing");
    return;
  }
  for (const Item& item : items) {
    if (std::string error = check(item); !error.empty()) {
      state.SkipWithError(error.c_str());
      return;
    }
  }
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(compare(items[i]));
    if (++i == items.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

template <typename Compare, typename Check>
void RunPairs(benchmark::State& state, size_t count, Mix mix, Compare compare, Check check) {
  RunItems(state, Pairs(count, mix).pairs, compare, check);
}

std::string Describe(std::string_view what, const NamePair& pair) {
  std::string message(what);
  message += ": ";
  message += pair.a;
  message += " / ";
  message += pair.b;
  return message;
}

void BM_JaroWinkler_Names(benchmark::State& state, size_t count, Mix mix) {
  RunPairs(
      state, count, mix, [](const NamePair& p) { return JaroWinkler(p.a, p.b); },
      [](const NamePair& p) {
        const double score = JaroWinkler(p.a, p.b);
        return score >= 0 && score <= 1 && score == JaroWinkler(p.b, p.a)
                   ? std::string()
                   : Describe("asymmetric or out of range", p);
      });
}

void BM_JaroWinklerAtLeast_Names(benchmark::State& state, size_t count, Mix mix) {
  RunPairs(
      state, count, mix,
      [](const NamePair& p) { return JaroWinklerAtLeast(p.a, p.b, kJaroWinklerLevel); },
      [](const NamePair& p) {
        const double full = JaroWinkler(p.a, p.b);
        return JaroWinklerAtLeast(p.a, p.b, kJaroWinklerLevel) ==
                       (full >= kJaroWinklerLevel ? full : 0.0)
                   ? std::string()
                   : Describe("cutoff form disagrees", p);
      });
}

// One query against its candidates: the query's masks are built once per kCandidatesPerQuery
// pairs, inside the timed loop, so their cost is included.
void BM_JaroWinklerQuery_Names(benchmark::State& state, size_t count, Mix mix) {
  const std::vector<NamePair>& pairs = Pairs(count, mix, kCandidatesPerQuery).pairs;
  if (pairs.empty()) {
    state.SkipWithError("embedded name table missing");
    return;
  }
  for (const NamePair& p : pairs) {
    if (JaroWinklerQuery(p.a).Score(p.b) != JaroWinkler(p.a, p.b)) {
      state.SkipWithError(Describe("query form disagrees", p).c_str());
      return;
    }
  }
  std::optional<JaroWinklerQuery> query;
  size_t i = 0;
  for (auto _ : state) {
    if (i % kCandidatesPerQuery == 0) query.emplace(pairs[i].a);
    benchmark::DoNotOptimize(query->Score(pairs[i].b));
    if (++i == pairs.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void BM_Levenshtein_Names(benchmark::State& state, size_t count, Mix mix) {
  RunPairs(
      state, count, mix, [](const NamePair& p) { return Levenshtein(p.a, p.b); },
      [](const NamePair& p) {
        return Levenshtein(p.a, p.b) == Levenshtein(p.b, p.a) ? std::string()
                                                              : Describe("asymmetric", p);
      });
}

void BM_LevenshteinWithin2_Names(benchmark::State& state, size_t count, Mix mix) {
  RunPairs(
      state, count, mix, [](const NamePair& p) { return LevenshteinWithin(p.a, p.b, kMaxEdits); },
      [](const NamePair& p) {
        return LevenshteinWithin(p.a, p.b, kMaxEdits) ==
                       std::min(Levenshtein(p.a, p.b), kMaxEdits + 1)
                   ? std::string()
                   : Describe("cutoff form disagrees", p);
      });
}

void BM_DamerauLevenshtein_Names(benchmark::State& state, size_t count, Mix mix) {
  RunPairs(
      state, count, mix, [](const NamePair& p) { return DamerauLevenshtein(p.a, p.b); },
      [](const NamePair& p) {
        return DamerauLevenshtein(p.a, p.b) <= Levenshtein(p.a, p.b)
                   ? std::string()
                   : Describe("above Levenshtein", p);
      });
}

void BM_DamerauLevenshteinWithin2_Names(benchmark::State& state, size_t count, Mix mix) {
  RunPairs(
      state, count, mix,
      [](const NamePair& p) { return DamerauLevenshteinWithin(p.a, p.b, kMaxEdits); },
      [](const NamePair& p) {
        return DamerauLevenshteinWithin(p.a, p.b, kMaxEdits) ==
                       std::min(DamerauLevenshtein(p.a, p.b), kMaxEdits + 1)
                   ? std::string()
                   : Describe("cutoff form disagrees", p);
      });
}

void BM_TokenSetSimilarity_Names(benchmark::State& state, size_t count, Mix mix) {
  RunItems(
      state, Pairs(count, mix).tokens,
      [](const TokenPair& p) { return TokenSetSimilarity(p.a, p.b); },
      [](const TokenPair& p) {
        return TokenSetSimilarity(p.a, p.b) == TokenSetSimilarity(p.b, p.a)
                   ? std::string()
                   : std::string("asymmetric token set similarity");
      });
}

#define PADAN_NAME_PAIR_BENCHMARKS(fn)                 \
  BENCHMARK_CAPTURE(fn, mixed, kPairs, Mix::kMixed);   \
  BENCHMARK_CAPTURE(fn, near, kPairs, Mix::kNear);     \
  BENCHMARK_CAPTURE(fn, random, kPairs, Mix::kRandom); \
  BENCHMARK_CAPTURE(fn, smoke, kSmokePairs, Mix::kMixed)

PADAN_NAME_PAIR_BENCHMARKS(BM_JaroWinkler_Names);
PADAN_NAME_PAIR_BENCHMARKS(BM_JaroWinklerAtLeast_Names);
PADAN_NAME_PAIR_BENCHMARKS(BM_JaroWinklerQuery_Names);
PADAN_NAME_PAIR_BENCHMARKS(BM_Levenshtein_Names);
PADAN_NAME_PAIR_BENCHMARKS(BM_LevenshteinWithin2_Names);
PADAN_NAME_PAIR_BENCHMARKS(BM_DamerauLevenshtein_Names);
PADAN_NAME_PAIR_BENCHMARKS(BM_DamerauLevenshteinWithin2_Names);
PADAN_NAME_PAIR_BENCHMARKS(BM_TokenSetSimilarity_Names);

// CompareNik as a match's first stage calls it, a query's NIK against some 200 candidates':
// NIKs of one kab/kota, three in four another person's (other kecamatan, birth date or
// serial), one in four the query's with one digit mistyped.
void BM_CompareNik(benchmark::State& state, size_t count) {
  std::mt19937_64 random(20261129);
  auto draw = [&](uint64_t n) { return random() % n; };
  auto nik = [&] {
    const uint64_t kecamatan = 320101 + draw(30);
    const uint64_t day = 1 + draw(28) + (draw(2) == 0 ? 40 : 0);
    const uint64_t birth = (day * 100 + 1 + draw(12)) * 100 + draw(100);
    return (kecamatan * 1'000'000 + birth) * 10'000 + 1 + draw(20);
  };
  std::vector<std::pair<uint64_t, uint64_t>> pairs;
  for (size_t i = 0; i < count; ++i) {
    const uint64_t a = nik();
    uint64_t b = nik();
    if (draw(4) == 0) {
      uint64_t place = 1;
      for (uint64_t d = draw(15); d > 0; --d) place *= 10;
      b = a - (a / place % 10) * place + ((a / place % 10 + 1 + draw(9)) % 10) * place;
    }
    pairs.emplace_back(a, b);
  }
  using Pair = std::pair<uint64_t, uint64_t>;
  RunItems(
      state, pairs, [](const Pair& p) { return CompareNik(p.first, p.second); },
      [](const Pair& p) {
        return CompareNik(p.first, p.second) == CompareNik(p.second, p.first)
                   ? std::string()
                   : "asymmetric NIK comparison of " + std::to_string(p.first) + " / " +
                         std::to_string(p.second);
      });
}
BENCHMARK_CAPTURE(BM_CompareNik, pairs, kPairs);
BENCHMARK_CAPTURE(BM_CompareNik, smoke, kSmokePairs);

// CompareRegion as a match's first stage calls it: a query's desa against candidates' desas
// of one province, most in other kecamatan, some in the same desa; one query in eight gives
// only a kab/kota code.
void BM_CompareRegion(benchmark::State& state, size_t count) {
  std::mt19937_64 random(20261129);
  std::vector<std::pair<KodeWilayah, KodeWilayah>> pairs;
  for (size_t i = 0; i < count; ++i) {
    const KodeWilayah a = 3201012001 + (random() % 20) * 1'000'000 + (random() % 30) * 10'000;
    const KodeWilayah b = random() % 8 == 0 ? a
                                            : 3201012001 + (random() % 20) * 1'000'000 +
                                                  (random() % 30) * 10'000 + random() % 10;
    pairs.emplace_back(random() % 8 == 0 ? a / 1'000'000 : a, b);
  }
  using Pair = std::pair<KodeWilayah, KodeWilayah>;
  RunItems(
      state, pairs, [](const Pair& p) { return CompareRegion(p.first, p.second); },
      [](const Pair& p) {
        return CompareRegion(p.first, p.second) == CompareRegion(p.second, p.first)
                   ? std::string()
                   : "asymmetric region comparison of " + std::to_string(p.first) + " / " +
                         std::to_string(p.second);
      });
}
BENCHMARK_CAPTURE(BM_CompareRegion, pairs, kPairs);
BENCHMARK_CAPTURE(BM_CompareRegion, smoke, kSmokePairs);

}  // namespace
}  // namespace padan

BENCHMARK_MAIN();
