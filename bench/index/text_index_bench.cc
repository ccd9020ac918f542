// Benchmarks of the Xapian text index on generated DTKS persons: how fast TextIndexer builds
// it (documents/s, from Enqueue to the commit that makes the initial load ready), how many
// bytes per person it takes on disk, and how fast TextIndex answers name queries with typos
// (latency p50/p99, and the share of queries whose person is in the first 10 hits).
//
//   text_index_bench                              smoke (2 k) and 100 k persons
//   text_index_bench --persons=1000000            adds a 1 M case (a few minutes, ~1 GB disk)
//   text_index_bench --benchmark_filter=/smoke    what CI runs
//   text_index_bench --dir=/path                  where the databases go (default: $TMPDIR
//                                                 or /tmp); they are removed at exit unless
//   text_index_bench --keep                       is given (to look at them with xapian-delve)
//
// Persons come from a fixed seed: name tokens drawn by their frequency among women or men
// (data/reference/names), 2-4 tokens, a few with titles; desa codes of
// the 2025 Kemendagri table; birthplaces from kab/kota names; addresses as SIKS-NG writes
// them; households of 1-8 members sharing address, desa and No KK; NIK and No KK from the
// desa's kecamatan and a date, 3 % missing.
// Queries take a generated person's name as registered (SearchExact) or with one letter of
// one token changed (swap two neighbours, drop one, double one, or swap e/i, o/u), as an
// officer mistypes (SearchTypos; SearchTyposNoSpelling without Xapian's suggestions).
#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "benchmark/benchmark.h"

#include "data/name_frequency_table.h"
#include "data/region_table.h"
#include "data/status_macros.h"
#include "index/text_document.h"
#include "index/text_index.h"
#include "index/text_indexer.h"
#include "index/text_terms.h"
#include "matching/address_normalizer.h"
#include "matching/name_normalizer.h"

namespace padan {
namespace {

constexpr uint64_t kSeed = 20240617;
constexpr int64_t kSmokePersons = 2'000;
constexpr int64_t kDefaultPersons = 100'000;
// Documents handed to Enqueue at a time, as the registry's import would.
constexpr size_t kBatchPersons = 4096;
// Generated persons kept (every kSampleEvery-th) to make typo queries from.
constexpr size_t kSampleEvery = 37;
constexpr size_t kQueries = 2000;
// A query's person counts as found when it is among this many hits.
constexpr size_t kRecallDepth = 10;

std::string g_dir_root;  // --dir
bool g_keep = false;     // --keep

std::string Upper(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return upper;
}

// Draws indexes with probability proportional to their weights.
class WeightedPicker {
 public:
  void Add(uint64_t weight) { cumulative_.push_back(total_ += weight); }
  size_t Pick(std::mt19937_64& rng) const {
    const uint64_t x = rng() % total_;
    return static_cast<size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), x) -
                               cumulative_.begin());
  }

 private:
  std::vector<uint64_t> cumulative_;
  uint64_t total_ = 0;
};

// Reference data and the analyzer, loaded once per process.
struct Tables {
  std::unique_ptr<NameNormalizer> names;
  std::unique_ptr<AddressNormalizer> addresses;
  std::unique_ptr<TextAnalyzer> analyzer;
  std::vector<std::string> tokens;  // upper case
  WeightedPicker female;
  WeightedPicker male;
  std::vector<KodeWilayah> desa;
  std::vector<std::string> places;  // kab/kota names, upper case
};

absl::StatusOr<const Tables*> LoadTables() {
  auto t = std::make_unique<Tables>();
  PADAN_ASSIGN_OR_RETURN(t->names, NameNormalizer::LoadEmbedded());
  PADAN_ASSIGN_OR_RETURN(t->addresses, AddressNormalizer::LoadEmbedded());
  t->analyzer = std::make_unique<TextAnalyzer>(*t->names, *t->addresses);
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<NameFrequencyTable> names,
                         NameFrequencyTable::LoadEmbedded());
  for (const NameTokenFrequency& token : names->tokens()) {
    t->tokens.push_back(Upper(token.token));
    t->female.Add(token.female);
    t->male.Add(token.male);
  }
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<RegionTable> regions, RegionTable::LoadEmbedded());
  for (const Region* region : regions->AtLevel(RegionLevel::kKabKota)) {
    std::string_view name = region->nama;
    for (std::string_view prefix : {"Kabupaten ", "Kota "}) {
      if (name.starts_with(prefix)) name.remove_prefix(prefix.size());
    }
    t->places.push_back(Upper(name));
  }
  for (const Region* desa : regions->AtLevel(RegionLevel::kDesa)) t->desa.push_back(desa->code);
  if (t->tokens.empty() || t->desa.empty() || t->places.empty()) {
    return absl::FailedPreconditionError("the embedded name or region table is empty");
  }
  return t.release();
}

const absl::StatusOr<const Tables*>& GetTables() {
  static const auto* tables = new absl::StatusOr<const Tables*>(LoadTables());
  return *tables;
}

constexpr const char* kDusun[] = {"KRAJAN", "KRAJAN I", "WETAN",    "KULON",     "LOR",
                                  "KIDUL",  "TENGAH",   "SUKAMAJU", "MEKARSARI", "DUSUN II"};
constexpr const char* kTitles[] = {"H. ", "HJ. ", "DRS. ", "IR. "};

// Household sizes 1..8 by how often they occur (mean 3.75), as in record_store_bench.
constexpr uint32_t kHouseholdSizeWeights[] = {8, 15, 22, 25, 16, 9, 3, 2};

// Generates persons deterministically from kSeed, a household at a time: members share the
// address, dusun, desa and No KK, and children mostly name the household's wife as mother.
class PersonGenerator {
 public:
  explicit PersonGenerator(const Tables& tables) : t_(tables), rng_(kSeed) {
    for (uint32_t w : kHouseholdSizeWeights) sizes_.Add(w);
  }

  void Next(TextDocument* d) {
    if (next_ == household_.size()) NextHousehold();
    *d = std::move(household_[next_++]);
  }

 private:
  static constexpr uint64_t kIdRange = 9'000'000'000'000'000;
  bool Chance(int percent) { return rng_() % 100 < static_cast<uint64_t>(percent); }
  uint64_t Uniform(uint64_t n) { return rng_() % n; }
  void Name(bool female, int tokens, std::string* out) {
    out->clear();
    for (int i = 0; i < tokens; ++i) {
      if (i > 0) out->push_back(' ');
      out->append(t_.tokens[(female ? t_.female : t_.male).Pick(rng_)]);
    }
  }
  std::string IdNumber(uint64_t kecamatan, uint64_t day, uint64_t month, uint64_t yy) {
    return Chance(3) ? ""
                     : absl::StrFormat("%06d%02d%02d%02d%04d", kecamatan, day, month, yy,
                                       1 + Uniform(9999));
  }

  void NextHousehold() {
    next_ = 0;
    household_.resize(1 + sizes_.Pick(rng_));
    const KodeWilayah desa = t_.desa[Uniform(t_.desa.size())];
    const uint64_t kecamatan = desa / 10'000;
    const std::string& street = t_.tokens[t_.male.Pick(rng_)];
    std::string alamat;
    switch (Uniform(5)) {
      case 0:
      case 1:
        alamat = absl::StrFormat("JL. %s NO. %d RT %03d/RW %03d", street, 1 + Uniform(150),
                                 1 + Uniform(20), 1 + Uniform(10));
        break;
      case 2:
        alamat = absl::StrFormat("KP. %s", street);
        break;
      case 3:
        alamat = absl::StrFormat("GG. %s", street);
        break;
      default:
        break;
    }
    const std::string dusun = Chance(50) ? kDusun[Uniform(std::size(kDusun))] : "";
    const std::string no_kk =
        IdNumber(kecamatan, 1 + Uniform(28), 1 + Uniform(12), 10 + Uniform(15));
    const std::string& home = t_.places[Uniform(t_.places.size())];
    std::string wife;
    for (size_t i = 0; i < household_.size(); ++i) {
      TextDocument& d = household_[i];
      d.id_art =
          absl::StrFormat("%016d", 1'000'000'000'000'000 + counter_++ * 2'246'822'519 % kIdRange);
      const bool adult = i < 2;
      const bool female = i == 1 || (i == 0 ? Chance(15) : Chance(50));
      Name(female, Chance(40) ? 2 : Chance(75) ? 3 : 4, &d.nama);
      if (adult && Chance(5)) d.nama.insert(0, kTitles[Uniform(std::size(kTitles))]);
      if (i == 1) wife = d.nama;
      if (i >= 2 && !wife.empty() && Chance(85)) {
        d.nama_ibu_kandung = wife;
      } else {
        Name(true, Chance(50) ? 2 : 3, &d.nama_ibu_kandung);
      }
      d.tempat_lahir = Chance(70) ? home : t_.places[Uniform(t_.places.size())];
      d.kode_wilayah = desa;
      d.alamat = alamat;
      d.dusun = dusun;
      d.no_kk = no_kk;
      d.birth_year =
          adult ? 1940 + static_cast<int>(Uniform(60)) : 1985 + static_cast<int>(Uniform(40));
      d.nik = IdNumber(kecamatan, 1 + Uniform(28) + (female ? 40 : 0), 1 + Uniform(12),
                       static_cast<uint64_t>(d.birth_year % 100));
    }
  }

  const Tables& t_;
  std::mt19937_64 rng_;
  WeightedPicker sizes_;
  std::vector<TextDocument> household_;
  size_t next_ = 0;
  uint64_t counter_ = 0;
};

// One mistyped letter in one token of at least 4 letters (the name as typed, lower case).
std::string Typo(std::string_view name, std::mt19937_64& rng) {
  std::string query(name);
  for (char& c : query) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  std::vector<std::pair<size_t, size_t>> tokens;  // [begin, end) of tokens of 4+ letters
  for (size_t i = 0; i < query.size();) {
    size_t j = query.find(' ', i);
    if (j == std::string::npos) j = query.size();
    if (j - i >= 4) tokens.emplace_back(i, j);
    i = j + 1;
  }
  if (tokens.empty()) return query;
  const auto [begin, end] = tokens[rng() % tokens.size()];
  const size_t at = begin + 1 + rng() % (end - begin - 2);  // not the first or last letter
  switch (rng() % 4) {
    case 0:
      std::swap(query[at], query[at + 1]);
      break;
    case 1:
      query.erase(at, 1);
      break;
    case 2:
      query.insert(at, 1, query[at]);
      break;
    default:
      for (size_t i = at; i < end; ++i) {
        const char swapped = query[i] == 'e'   ? 'i'
                             : query[i] == 'i' ? 'e'
                             : query[i] == 'o' ? 'u'
                             : query[i] == 'u' ? 'o'
                                               : '\0';
        if (swapped != '\0') {
          query[i] = swapped;
          break;
        }
      }
  }
  return query;
}

// CPU seconds used by the process so far, all threads: with the machine shared, documents per
// CPU-second say more about the indexer than documents per wall-clock second.
double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

uint64_t DirectoryBytes(const std::string& dir) {
  uint64_t bytes = 0;
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    if (it->is_regular_file(error)) bytes += it->file_size(error);
  }
  return bytes;
}

// A built index, kept for the search benchmark of the same size.
struct Built {
  std::string dir;
  std::vector<std::pair<std::string, std::string>> samples;  // id_art, nama
};

std::map<int64_t, Built>& BuiltIndexes() {
  static auto* built = new std::map<int64_t, Built>;
  return *built;
}

// Generates `persons` persons and indexes them as an initial load; returns after the commit
// that makes the index ready. Reports the time and size counters on `state` when `report`.
const Built* Build(benchmark::State& state, int64_t persons, bool report) {
  if (!GetTables().ok()) {
    state.SkipWithError(std::string(GetTables().status().message()).c_str());
    return nullptr;
  }
  const Tables& t = **GetTables();
  Built built;
  built.dir = absl::StrFormat("%s/padan_text_index_bench_%d", g_dir_root, persons);
  std::error_code error;
  std::filesystem::remove_all(built.dir, error);

  TextIndexerOptions options;
  options.recreate = true;
  options.expected_documents = static_cast<size_t>(persons);  // as the registry knows it
  TextIndexer indexer(*t.analyzer, options);
  PersonGenerator generator(t);
  const absl::Time start = absl::Now();
  const double cpu_start = ProcessCpuSeconds();
  absl::Status status = indexer.Start(built.dir);
  int64_t made = 0;
  while (status.ok() && made < persons) {
    std::vector<TextDocument> batch(
        static_cast<size_t>(std::min<int64_t>(persons - made, kBatchPersons)));
    for (TextDocument& d : batch) {
      generator.Next(&d);
      if (static_cast<uint64_t>(made++) % kSampleEvery == 0) {
        built.samples.emplace_back(d.id_art, d.nama);
      }
    }
    status = indexer.Enqueue(std::move(batch));
  }
  if (status.ok()) status = indexer.EndInitialLoad();
  if (status.ok()) status = indexer.WaitIdle();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  const double cpu_seconds = ProcessCpuSeconds() - cpu_start;
  const TextIndexProgress progress = indexer.progress();
  if (status.ok()) status = indexer.Stop();
  if (!status.ok()) {
    state.SkipWithError(std::string(status.message()).c_str());
    return nullptr;
  }
  if (!progress.ready || progress.documents != static_cast<uint64_t>(persons)) {
    state.SkipWithError("the index does not hold every generated person");
    return nullptr;
  }
  if (report) {
    const uint64_t bytes = DirectoryBytes(built.dir);
    state.counters["docs_per_s"] = static_cast<double>(persons) / seconds;
    state.counters["docs_per_cpu_s"] = static_cast<double>(persons) / cpu_seconds;
    state.counters["disk_bytes_per_doc"] =
        static_cast<double>(bytes) / static_cast<double>(persons);
    state.counters["disk_MB"] = static_cast<double>(bytes) / 1e6;
    state.counters["commits"] = static_cast<double>(progress.generation);
  }
  return &(BuiltIndexes()[persons] = std::move(built));
}

void BM_TextIndex_Build(benchmark::State& state) {
  const int64_t persons = state.range(0);
  for (auto _ : state) {
    if (Build(state, persons, /*report=*/true) == nullptr) return;
  }
  state.SetItemsProcessed(state.iterations() * persons);
}

enum class QueryKind { kExact, kTypos, kTyposNoSpelling };

void BM_TextIndex_Search(benchmark::State& state, QueryKind kind) {
  const int64_t persons = state.range(0);
  const auto found = BuiltIndexes().find(persons);
  const Built* built = found != BuiltIndexes().end() ? &found->second
                                                     : Build(state, persons,
                                                             /*report=*/false);
  if (built == nullptr) return;
  const Tables& t = **GetTables();
  absl::StatusOr<std::unique_ptr<TextIndex>> index =
      TextIndex::Open(built->dir, *t.analyzer, /*indexer=*/nullptr);
  if (!index.ok()) {
    state.SkipWithError(std::string(index.status().message()).c_str());
    return;
  }
  std::mt19937_64 rng(kSeed);
  std::vector<std::pair<std::string, std::string>> queries;  // id_art, query
  for (size_t i = 0; i < kQueries; ++i) {
    const auto& [id, nama] = built->samples[rng() % built->samples.size()];
    queries.emplace_back(id, kind == QueryKind::kExact ? nama : Typo(nama, rng));
  }
  // Check the answers once: how often the mistyped person comes back near the top.
  TextSearchRequest request;
  request.limit = kRecallDepth;
  request.spelling = kind != QueryKind::kTyposNoSpelling;
  size_t recalled = 0;
  size_t corrected = 0;
  for (const auto& [id, query] : queries) {
    request.query = query;
    absl::StatusOr<TextSearchResult> result = (*index)->Search(request);
    if (!result.ok()) {
      state.SkipWithError(std::string(result.status().message()).c_str());
      return;
    }
    corrected += result->corrected_query.empty() ? 0 : 1;
    for (const TextHit& hit : result->hits) recalled += hit.id_art == id ? 1 : 0;
  }

  // Timed: Xapian's own reopen check is part of every search of a replica.
  std::vector<double> micros;
  size_t i = 0;
  for (auto _ : state) {
    request.query = queries[i++ % queries.size()].second;
    const absl::Time start = absl::Now();
    absl::StatusOr<TextSearchResult> result = (*index)->Search(request);
    micros.push_back(absl::ToDoubleMicroseconds(absl::Now() - start));
    benchmark::DoNotOptimize(result);
  }
  std::sort(micros.begin(), micros.end());
  auto percentile = [&](double p) {
    return micros.empty()
               ? 0.0
               : micros[std::min(micros.size() - 1, static_cast<size_t>(p * micros.size()))];
  };
  state.counters["p50_us"] = percentile(0.50);
  state.counters["p99_us"] = percentile(0.99);
  state.counters["recall_at_10"] =
      static_cast<double>(recalled) / static_cast<double>(queries.size());
  state.counters["corrected_share"] =
      static_cast<double>(corrected) / static_cast<double>(queries.size());
  state.SetItemsProcessed(state.iterations());
}

void Register(const std::string& label, int64_t persons) {
  benchmark::RegisterBenchmark(absl::StrFormat("BM_TextIndex_Build/%s", label).c_str(),
                               BM_TextIndex_Build)
      ->Arg(persons)
      ->Iterations(1)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  for (const auto& [name, kind] :
       {std::pair{"SearchExact", QueryKind::kExact}, std::pair{"SearchTypos", QueryKind::kTypos},
        std::pair{"SearchTyposNoSpelling", QueryKind::kTyposNoSpelling}}) {
    benchmark::RegisterBenchmark(
        absl::StrFormat("BM_TextIndex_%s/%s", name, label).c_str(),
        [kind = kind](benchmark::State& state) { BM_TextIndex_Search(state, kind); })
        ->Arg(persons)
        ->UseRealTime()
        ->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace
}  // namespace padan

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  const char* tmp = std::getenv("TMPDIR");
  padan::g_dir_root = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  padan::Register("smoke", padan::kSmokePersons);
  padan::Register("100k", padan::kDefaultPersons);
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg(argv[i]);
    if (arg.starts_with("--persons=")) {
      const long long persons = std::atoll(argv[i] + std::string_view("--persons=").size());
      if (persons <= 0) {
        std::fprintf(stderr, "text_index_bench: %s: expected a positive count\n", argv[i]);
        return 1;
      }
      padan::Register(absl::StrFormat("%d", persons), persons);
    } else if (arg == "--keep") {
      padan::g_keep = true;
    } else if (arg.starts_with("--dir=")) {
      padan::g_dir_root = std::string(arg.substr(std::string_view("--dir=").size()));
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  for (const auto& [persons, built] : padan::BuiltIndexes()) {
    std::error_code error;
    if (!padan::g_keep) std::filesystem::remove_all(built.dir, error);
  }
  return 0;
}
