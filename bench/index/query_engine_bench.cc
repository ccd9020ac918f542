// The query engine as the server uses it (issue 4 §7, DESIGN.md §7 budgets), on a generated
// registry with ground truth: resident memory per person with every in-memory index, snapshot
// save and load (start-up), QueryEngine::Match latency and recall on corrupted duplicates,
// NikLookup and Search.
//
// Data. `padan gen` with a fixed seed and dup-rate 0.1 (the candidate recall bench's files:
// same seed, generated once per size and kept in the temp dir). The originals are the
// registry; each duplicate record is a query whose original must come back: the registry does
// not hold the duplicates themselves. A sample of --queries duplicates (spread evenly over the
// file) is asked.
//
// Steps, each reported: import the originals and bulk-build the indexes (Registry::Add,
// FinishBulkLoad); train the Fellegi-Sunter model as `padan eval` does, on the first
// kTrainingRows rows of the file (originals and duplicates: a real registry holds its
// duplicates, and EM learns m from them; a registry of originals alone would teach it little);
// write the first snapshot of a Database in a temp folder (Database::CreateFrom, as
// `padan import --data` does: save); open the Database from it (load: the start-up budget);
// the resident-memory delta across that open is the registry's real footprint. Then,
// single-threaded: Match every sampled duplicate (limit 10) and time it; rank of the original →
// recall@1, recall@10, per corruption; for a miss, Match again with no limit to tell a candidate
// miss (the indexes never proposed the original) from a scoring miss (proposed, ranked below 10).
// NikLookup of registry NIKs; Search (the in-memory path) of registry names.
//
//   ninja -C build query_engine_bench
//   build/query_engine_bench --benchmark_filter=/1M                    (~3 min)
//   build/query_engine_bench --persons=10000000 --benchmark_filter=/10M (~20 min, ~12 GB)
//   --queries=N (default 20,000) --snapshot_dir=DIR (default: the temp dir)
//   --name_compared=N sets QueryEngine::Options::max_name_compared (default 32)
//   --keep_snapshot leaves the database folder; --load_dir=DIR then times start-up alone:
//   build/query_engine_bench --benchmark_filter=BM_SnapshotLoad
//       --load_dir=/tmp/padan_query_engine_bench_10000000
// CI runs /smoke (20,000 persons).
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "benchmark/benchmark.h"

#include "data/absl_strings.h"
#include "data/column_mapping.h"
#include "data/generator/corruption.h"
#include "data/generator/generator.h"
#include "data/importer.h"
#include "data/name_frequency_table.h"
#include "data/population_table.h"
#include "data/region_table.h"
#include "data/row_reader.h"
#include "index/database.h"
#include "index/query_engine.h"
#include "index/registry.h"
#include "matching/comparison_spec.h"
#include "matching/em_trainer.h"
#include "matching/fellegi_sunter_model.h"
#include "matching/match_record_builder.h"

namespace padan {
namespace {

// The candidate recall bench's generator input, so both read the same files.
constexpr uint64_t kSeed = 20261203;
constexpr double kDupRate = 0.1;
constexpr int64_t kSmokePersons = 20'000;
// Rows (from the file's start, originals and duplicates) the model is trained on: a million
// persons with their duplicates is as much as EM needs, and bounds training's memory at 10 M.
constexpr size_t kTrainingRows = 1'100'000;
// Registry persons whose NIK and name are looked up by NikLookup and Search.
constexpr size_t kLookups = 10'000;
constexpr size_t kMatchLimit = 10;
// Queries whose candidates are timed part by part (build the record, score the pair).
constexpr size_t kBreakdownQueries = 1'000;

struct Flags {
  int64_t persons = 1'000'000;
  size_t queries = 20'000;
  std::string snapshot_dir;
  bool keep_snapshot = false;  // leave the database folder for --load_dir runs
  std::string load_dir;        // BM_SnapshotLoad: open this database folder only
  // BM_MatchLoaded: a data folder (`padan import --data`) and the generator output it was
  // imported from, whose duplicates are the queries.
  std::string match_data;
  std::string match_gen;
  // QueryEngine::Options::max_name_compared; 0 keeps the default.
  size_t name_compared = 0;
};
Flags& GetFlags() {
  static Flags flags;
  return flags;
}

const RegionTable& Regions() {
  static const RegionTable* regions = RegionTable::LoadEmbedded()->release();
  return *regions;
}
const NameNormalizer& Names() {
  static const NameNormalizer* names = NameNormalizer::LoadEmbedded()->release();
  return *names;
}
const AddressNormalizer& Addresses() {
  static const AddressNormalizer* addresses = AddressNormalizer::LoadEmbedded()->release();
  return *addresses;
}

// Generates (once per size, kept across runs) the registry and its truth; "" on failure.
std::string GeneratedDir(int64_t persons) {
  std::string dir = (std::filesystem::temp_directory_path() /
                     StrCat("padan_candidate_recall_", persons, "_", kSeed))
                        .string();
  if (std::filesystem::exists(dir + "/gen.json")) return dir;
  auto population = PopulationTable::LoadEmbedded();
  auto names = NameFrequencyTable::LoadEmbedded();
  if (!population.ok() || !names.ok()) return "";
  auto generator = gen::Generator::Create(Regions(), **population, **names);
  gen::GeneratorOptions options;
  options.persons = persons;
  options.seed = kSeed;
  options.dup_rate = kDupRate;
  options.out_dir = dir;
  if (!generator.ok() || !(*generator)->Run(options).ok()) return "";
  return dir;
}

size_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t total_pages = 0;
  size_t resident_pages = 0;
  statm >> total_pages >> resident_pages;
  return resident_pages * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double ThreadCpuNanos() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
}

double Mean(const std::vector<double>& values) {
  if (values.empty()) return 0;
  double sum = 0;
  for (double value : values) sum += value;
  return sum / static_cast<double>(values.size());
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  const size_t k = static_cast<size_t>(p * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

// A duplicate record asked as a Match query, with the original it must find.
struct Query {
  MatchQuery query;
  std::string original;  // id_art
  gen::CorruptionSet corruptions = 0;
};

struct Tally {
  int64_t queries = 0;
  int64_t at1 = 0;
  int64_t at10 = 0;
  void Count(size_t rank) {
    ++queries;
    at1 += rank < 1 ? 1 : 0;
    at10 += rank < kMatchLimit ? 1 : 0;
  }
  double Recall1() const { return queries == 0 ? 0 : static_cast<double>(at1) / queries; }
  double Recall10() const { return queries == 0 ? 0 : static_cast<double>(at10) / queries; }
};

// Reads the next truth.csv row: kind, cluster id and corruptions of the row just imported.
struct TruthRow {
  bool duplicate = false;
  std::string cluster;
  gen::CorruptionSet corruptions = 0;
};
bool NextTruth(std::ifstream& truth, TruthRow* row) {
  std::string line;
  if (!std::getline(truth, line)) return false;
  std::vector<absl::string_view> f = absl::StrSplit(line, ',');
  if (f.size() != 5) return false;
  row->duplicate = f[3] == "duplicate";
  row->cluster = std::string(FromAbsl(f[1]));
  row->corruptions = 0;
  if (!f[4].empty()) {
    for (absl::string_view name : absl::StrSplit(f[4], ';')) {
      auto c = gen::ParseCorruption(FromAbsl(name));
      if (c.has_value()) row->corruptions |= gen::Bit(*c);
    }
  }
  return true;
}

void BM_QueryEngine(benchmark::State& state) {
  const int64_t persons = state.range(0);
  const Flags& flags = GetFlags();
  const std::string dir = GeneratedDir(persons);
  if (dir.empty()) return state.SkipWithError("could not generate the input");

  // 1. Import: originals into the registry, a sample of duplicates as queries, the first rows
  // for training.
  double t = WallSeconds();
  auto registry = std::make_unique<Registry>(Names(), Addresses());
  std::vector<Query> queries;
  std::vector<MatchRecord> training;
  {
    const double duplicates = kDupRate * static_cast<double>(persons);
    const size_t stride =
        std::max<size_t>(1, static_cast<size_t>(duplicates / static_cast<double>(flags.queries)));
    std::ifstream truth(dir + "/truth.csv");
    std::string header;
    std::getline(truth, header);
    auto reader = OpenRowReader(dir + "/dtks.csv");
    if (!reader.ok()) return state.SkipWithError("could not open dtks.csv");
    MatchRecordBuilder builder(Names(), Addresses());
    size_t rows = 0;
    size_t duplicate_rows = 0;
    TruthRow row;
    auto summary =
        ImportRows(**reader, ColumnMapping(), Regions(), ImportOptions(),
                   [&](const Household& h, const Person& p) -> absl::Status {
                     if (!NextTruth(truth, &row)) return absl::DataLossError("truth.csv is short");
                     if (rows++ < kTrainingRows) training.push_back(builder.Build(p, h));
                     if (!row.duplicate) return registry->Add(h, p);
                     if (duplicate_rows++ % stride == 0 && queries.size() < flags.queries) {
                       queries.push_back({MatchQuery{p, h}, row.cluster, row.corruptions});
                     }
                     return absl::OkStatus();
                   });
    if (!summary.ok() || summary->rejected != 0) {
      return state.SkipWithError("import failed or rejected rows");
    }
  }
  const double import_s = WallSeconds() - t;
  t = WallSeconds();
  if (!registry->FinishBulkLoad().ok()) return state.SkipWithError("bulk load failed");
  const double bulk_index_s = WallSeconds() - t;
  const size_t registry_persons = registry->store().live_person_count();

  // 2. Train as `padan eval` does.
  t = WallSeconds();
  FellegiSunterModel model(*ComparisonSpec::Default());
  {
    absl::StatusOr<TrainingReport> trained = TrainModel(training, TrainingOptions(), &model);
    if (!trained.ok()) return state.SkipWithError("training failed");
    std::vector<MatchRecord>().swap(training);
  }
  const double train_s = WallSeconds() - t;

  // 3. Save: a database over the bulk-loaded registry, snapshotted.
  const std::string db_dir =
      (std::filesystem::path(flags.snapshot_dir.empty()
                                 ? std::filesystem::temp_directory_path().string()
                                 : flags.snapshot_dir) /
       StrCat("padan_query_engine_bench_", persons))
          .string();
  std::filesystem::remove_all(db_dir);
  std::filesystem::create_directories(db_dir);
  DatabaseOptions db_options;
  db_options.dir = db_dir;
  db_options.background_snapshots = false;
  // As `padan import --data` hands its bulk load over: the first snapshot, no log.
  t = WallSeconds();
  if (absl::Status created = Database::CreateFrom(db_options, *registry); !created.ok()) {
    return state.SkipWithError(std::string(created.message()).c_str());
  }
  const double save_s = WallSeconds() - t;
  registry.reset();
  uint64_t snapshot_bytes = 0;
  for (const auto& entry : std::filesystem::directory_iterator(db_dir)) {
    if (entry.path().extension() == ".snp") snapshot_bytes += entry.file_size();
  }

  // 4. Load: start-up from the snapshot, and the memory it takes.
  malloc_trim(0);
  const size_t rss_before = ResidentBytes();
  t = WallSeconds();
  auto opened = Database::Open(db_options, std::make_unique<Registry>(Names(), Addresses()));
  if (!opened.ok()) return state.SkipWithError(std::string(opened.status().message()).c_str());
  const double load_s = WallSeconds() - t;
  std::unique_ptr<Database> db = *std::move(opened);
  malloc_trim(0);
  const size_t rss_after = ResidentBytes();
  Registry::MemoryBreakdown memory;
  bool rebuilt = false;
  Registry::LoadReport load_report;
  {
    Database::ReadView view = db->Read();
    const auto& loaded = static_cast<const Registry&>(view.state());
    memory = loaded.Memory();
    rebuilt = loaded.last_load_rebuilt();
    load_report = loaded.last_load();
  }
  const double n = static_cast<double>(registry_persons);

  // 5. Match: every sampled duplicate, single-threaded.
  QueryEngine::Options engine_options;
  if (flags.name_compared != 0) engine_options.max_name_compared = flags.name_compared;
  QueryEngine engine(*db, model, Regions(), engine_options);
  Tally overall;
  std::array<Tally, gen::kCorruptionCount> by_corruption;
  Tally exact_copies;
  int64_t candidate_misses = 0;
  int64_t scoring_misses = 0;
  std::vector<double> wall_us;
  std::vector<double> cpu_us;
  std::vector<double> considered;
  for (auto _ : state) {
    for (const Query& q : queries) {
      const double w0 = WallSeconds();
      const double c0 = ThreadCpuNanos();
      absl::StatusOr<MatchResult> result = engine.Match(q.query, Scope::National(), kMatchLimit);
      cpu_us.push_back((ThreadCpuNanos() - c0) / 1e3);
      wall_us.push_back((WallSeconds() - w0) * 1e6);
      if (!result.ok()) return state.SkipWithError("Match failed");
      considered.push_back(static_cast<double>(result->candidates_considered));
      size_t rank = kMatchLimit;
      for (size_t i = 0; i < result->candidates.size(); ++i) {
        if (result->candidates[i].record.person.id_art == q.original) {
          rank = i;
          break;
        }
      }
      overall.Count(rank);
      if (q.corruptions == 0) exact_copies.Count(rank);
      for (int c = 0; c < gen::kCorruptionCount; ++c) {
        if (gen::Has(q.corruptions, static_cast<gen::Corruption>(c))) {
          by_corruption[c].Count(rank);
        }
      }
      if (rank < kMatchLimit) continue;
      // Which stage lost it: scored at all (anywhere in the full ranking) or never proposed.
      absl::StatusOr<MatchResult> all = engine.Match(q.query, Scope::National(), SIZE_MAX);
      bool scored = false;
      for (const MatchCandidate& c : all->candidates) {
        scored = scored || c.record.person.id_art == q.original;
      }
      (scored ? scoring_misses : candidate_misses)++;
    }
  }

  // What a candidate read whole costs: building its match record (normalising its names and
  // address) and scoring the pair. Measured on the first
  // kBreakdownQueries queries' candidates.
  double build_ns = 0;
  double score_ns = 0;
  {
    // Every candidate Match scored (no limit), taken before the read view: Match takes it too.
    std::vector<std::pair<MatchRecord, std::vector<PersonId>>> scored_candidates;
    MatchRecordBuilder builder(Names(), Addresses());
    for (size_t i = 0; i < queries.size() && i < kBreakdownQueries; ++i) {
      absl::StatusOr<MatchResult> all = engine.Match(queries[i].query, Scope::National(), SIZE_MAX);
      if (!all.ok()) continue;
      std::vector<PersonId> ids;
      for (const MatchCandidate& c : all->candidates) ids.push_back(c.record.id);
      scored_candidates.emplace_back(
          builder.Build(queries[i].query.person, queries[i].query.household), std::move(ids));
    }
    Database::ReadView view = db->Read();
    const auto& loaded = static_cast<const Registry&>(view.state());
    int64_t pairs = 0;
    for (const auto& [wanted, ids] : scored_candidates) {
      for (PersonId id : ids) {
        double c0 = ThreadCpuNanos();
        const MatchRecord record = loaded.BuildMatchRecord(id);
        build_ns += ThreadCpuNanos() - c0;
        c0 = ThreadCpuNanos();
        ScoredPair scored = model.Score(wanted, record, &loaded.frequencies());
        score_ns += ThreadCpuNanos() - c0;
        benchmark::DoNotOptimize(scored);
        ++pairs;
      }
    }
    if (pairs > 0) {
      build_ns /= static_cast<double>(pairs);
      score_ns /= static_cast<double>(pairs);
    }
  }

  // 6. NikLookup and Search of registry persons.
  std::vector<std::string> niks;
  std::vector<std::string> names;
  {
    Database::ReadView view = db->Read();
    const RecordStore& store = static_cast<const Registry&>(view.state()).store();
    const size_t stride = std::max<size_t>(1, store.person_count() / kLookups);
    for (uint32_t i = 0; i < store.person_count(); i += static_cast<uint32_t>(stride)) {
      const PersonId id(i);
      if (store.nik_value(id) != 0) niks.push_back(StrCat(store.nik_value(id)));
      names.emplace_back(store.nama(id));
    }
  }
  double nik_ns = 0;
  {
    const double c0 = ThreadCpuNanos();
    for (const std::string& nik : niks) {
      absl::StatusOr<NikLookupResult> found = engine.NikLookup(nik, Scope::National());
      benchmark::DoNotOptimize(found);
    }
    nik_ns = niks.empty() ? 0 : (ThreadCpuNanos() - c0) / static_cast<double>(niks.size());
  }
  // The index part of NikLookup: the exact probe and the 159 near probes.
  double find_near_ns = 0;
  {
    Database::ReadView view = db->Read();
    const auto& loaded = static_cast<const Registry&>(view.state());
    std::vector<uint64_t> values;
    for (const std::string& nik : niks) values.push_back(std::stoull(nik));
    size_t hits = 0;
    const double c0 = ThreadCpuNanos();
    for (uint64_t value : values) {
      loaded.nik_index().Find(value, [&](PersonId) { ++hits; });
      loaded.nik_index().FindNear(value, [&](PersonId, uint64_t) { ++hits; });
    }
    find_near_ns =
        values.empty() ? 0 : (ThreadCpuNanos() - c0) / static_cast<double>(values.size());
    benchmark::DoNotOptimize(hits);
  }
  std::vector<double> search_us;
  for (const std::string& name : names) {
    const double c0 = ThreadCpuNanos();
    absl::StatusOr<SearchResult> found = engine.Search(name, Scope::National(), 10, 0);
    search_us.push_back((ThreadCpuNanos() - c0) / 1e3);
    benchmark::DoNotOptimize(found);
  }

  // Report.
  const double rss_per_person = static_cast<double>(rss_after - rss_before) / n;
  std::fprintf(stderr, "\n== query engine, %zu persons, %zu Match queries (%s)\n", registry_persons,
               queries.size(), dir.c_str());
  std::fprintf(stderr,
               "import %.1f s, bulk index %.1f s, train %.1f s; snapshot save %.2f s (%.0f MB), "
               "load %.2f s%s\n",
               import_s, bulk_index_s, train_s, save_s, static_cast<double>(snapshot_bytes) / 1e6,
               load_s, rebuilt ? " (indexes rebuilt)" : " (indexes read)");
  std::fprintf(stderr,
               "load parts: store %.2f s, blocking %.2f s (NIK and No KK beside it %.2f s), rest "
               "%.2f s; the remainder of the load is reading and checksumming the file\n",
               load_report.store_seconds, load_report.blocking_seconds, load_report.numbers_seconds,
               load_report.rest_seconds);
  std::fprintf(
      stderr,
      "memory B/person: RSS delta %.1f; Memory() store %.1f nik %.1f no_kk %.1f "
      "blocking %.1f frequencies %.1f name cache %.1f total %.1f\n",
      rss_per_person, static_cast<double>(memory.store) / n,
      static_cast<double>(memory.nik_index) / n, static_cast<double>(memory.no_kk_index) / n,
      static_cast<double>(memory.blocking_index) / n, static_cast<double>(memory.frequencies) / n,
      static_cast<double>(memory.name_cache) / n, static_cast<double>(memory.total()) / n);
  std::fprintf(stderr,
               "Match: wall p50 %.0f us p99 %.0f us; CPU mean %.0f us p50 %.0f us p99 %.0f us; "
               "candidates p50 %.0f p99 %.0f\n",
               Percentile(wall_us, 0.5), Percentile(wall_us, 0.99), Mean(cpu_us),
               Percentile(cpu_us, 0.5), Percentile(cpu_us, 0.99), Percentile(considered, 0.5),
               Percentile(considered, 0.99));
  std::fprintf(stderr, "a candidate read whole: BuildMatchRecord %.1f us, Score %.1f us (CPU)\n",
               build_ns / 1e3, score_ns / 1e3);
  std::fprintf(stderr,
               "recall@1 %.4f%%  recall@10 %.4f%%  (exact copies @10 %.4f%%); misses@10: %lld "
               "never proposed, %lld proposed but ranked below 10\n",
               100 * overall.Recall1(), 100 * overall.Recall10(), 100 * exact_copies.Recall10(),
               static_cast<long long>(candidate_misses), static_cast<long long>(scoring_misses));
  std::fprintf(stderr, "%-20s %8s %9s %9s\n", "corruption", "queries", "recall@1", "recall@10");
  for (int c = 0; c < gen::kCorruptionCount; ++c) {
    const Tally& tally = by_corruption[c];
    if (tally.queries == 0) continue;
    std::string name(gen::CorruptionName(static_cast<gen::Corruption>(c)));
    std::fprintf(stderr, "%-20s %8lld %9.3f %9.3f\n", name.c_str(),
                 static_cast<long long>(tally.queries), 100 * tally.Recall1(),
                 100 * tally.Recall10());
  }
  std::fprintf(stderr, "NikIndex Find + FindNear %.0f ns/op (CPU)\n", find_near_ns);
  std::fprintf(stderr, "NikLookup %.0f ns/op (CPU); Search CPU p50 %.0f us p99 %.0f us\n", nik_ns,
               Percentile(search_us, 0.5), Percentile(search_us, 0.99));

  state.counters["persons"] = n;
  state.counters["queries"] = static_cast<double>(queries.size());
  state.counters["bulk_index_s"] = bulk_index_s;
  state.counters["save_s"] = save_s;
  state.counters["load_s"] = load_s;
  state.counters["snapshot_MB"] = static_cast<double>(snapshot_bytes) / 1e6;
  state.counters["rss_B_per_person"] = rss_per_person;
  state.counters["mem_store_B"] = static_cast<double>(memory.store) / n;
  state.counters["mem_nik_B"] = static_cast<double>(memory.nik_index) / n;
  state.counters["mem_no_kk_B"] = static_cast<double>(memory.no_kk_index) / n;
  state.counters["mem_blocking_B"] = static_cast<double>(memory.blocking_index) / n;
  state.counters["mem_freq_B"] = static_cast<double>(memory.frequencies) / n;
  state.counters["mem_name_cache_B"] = static_cast<double>(memory.name_cache) / n;
  state.counters["match_p50_us"] = Percentile(wall_us, 0.5);
  state.counters["match_p99_us"] = Percentile(wall_us, 0.99);
  state.counters["match_cpu_mean_us"] = Mean(cpu_us);
  state.counters["match_cpu_p99_us"] = Percentile(cpu_us, 0.99);
  state.counters["candidate_build_us"] = build_ns / 1e3;
  state.counters["candidate_score_us"] = score_ns / 1e3;
  state.counters["recall_at1"] = overall.Recall1();
  state.counters["recall_at10"] = overall.Recall10();
  state.counters["miss_candidates"] = static_cast<double>(candidate_misses);
  state.counters["miss_scoring"] = static_cast<double>(scoring_misses);
  state.counters["nik_lookup_ns"] = nik_ns;
  state.counters["nik_index_ns"] = find_near_ns;
  state.counters["search_p50_us"] = Percentile(search_us, 0.5);
  state.counters["search_p99_us"] = Percentile(search_us, 0.99);
  db->Close();
  db.reset();
  if (flags.keep_snapshot) {
    std::fprintf(stderr, "database kept in %s\n", db_dir.c_str());
  } else {
    std::filesystem::remove_all(db_dir);
  }
}

// Start-up alone: opens the database folder --load_dir (one a --keep_snapshot run left), as
// the server does, and reports where the time went.
void BM_SnapshotLoad(benchmark::State& state) {
  DatabaseOptions options;
  options.dir = GetFlags().load_dir;
  options.background_snapshots = false;
  Registry::LoadReport report;
  double seconds = 0;
  size_t persons = 0;
  for (auto _ : state) {
    const double t = WallSeconds();
    auto db = Database::Open(options, std::make_unique<Registry>(Names(), Addresses()));
    seconds = WallSeconds() - t;
    if (!db.ok()) return state.SkipWithError(std::string(db.status().message()).c_str());
    Database::ReadView view = (*db)->Read();
    const auto& loaded = static_cast<const Registry&>(view.state());
    report = loaded.last_load();
    persons = loaded.store().live_person_count();
  }
  std::fprintf(stderr,
               "load %.2f s of %zu persons: store %.2f s, blocking %.2f s (NIK and No KK beside "
               "it %.2f s), rest %.2f s%s\n",
               seconds, persons, report.store_seconds, report.blocking_seconds,
               report.numbers_seconds, report.rest_seconds,
               report.rebuilt ? " (indexes rebuilt)" : "");
  state.counters["load_s"] = seconds;
  state.counters["store_s"] = report.store_seconds;
  state.counters["blocking_s"] = report.blocking_seconds;
  state.counters["numbers_s"] = report.numbers_seconds;
}

// Match alone on a data folder that is already built (the HTTP load benchmark's, say): opens
// --match_data as the server does (snapshot, model.json), takes the first --queries duplicate
// rows of the generator output --match_gen (truth.csv tells them) as queries, and matches each
// single-threaded: CPU time per query (mean, p50, p99) and recall@1/@10 of its original
// (places counted without the query's own record, which the folder holds as well). No
// client shares the cores; still, on the reference VM one build's mean moved between 269 and
// 400 µs in runs a minute apart: compare builds in alternating runs, several of each.
//   build/query_engine_bench --match_data=bench-data/http-10000000/data
//       --match_gen=bench-data/http-10000000/gen --benchmark_filter=BM_MatchLoaded
void BM_MatchLoaded(benchmark::State& state) {
  const Flags& flags = GetFlags();
  absl::StatusOr<FellegiSunterModel> model =
      FellegiSunterModel::Load(flags.match_data + "/model.json");
  if (!model.ok()) return state.SkipWithError(std::string(model.status().message()).c_str());
  std::vector<Query> queries;
  {
    std::ifstream truth(flags.match_gen + "/truth.csv");
    std::string header;
    std::getline(truth, header);
    auto reader = OpenRowReader(flags.match_gen + "/dtks.csv");
    if (!reader.ok()) return state.SkipWithError("could not open dtks.csv");
    TruthRow row;
    auto summary =
        ImportRows(**reader, ColumnMapping(), Regions(), ImportOptions(),
                   [&](const Household& h, const Person& p) -> absl::Status {
                     if (!NextTruth(truth, &row)) {
                       return absl::DataLossError("truth.csv is short");
                     }
                     if (row.duplicate) {
                       queries.push_back({MatchQuery{p, h}, row.cluster, row.corruptions});
                     }
                     // Enough: stop reading (the status is not an error here).
                     if (queries.size() >= flags.queries) return absl::CancelledError();
                     return absl::OkStatus();
                   });
    if (!summary.ok() && !absl::IsCancelled(summary.status())) {
      return state.SkipWithError(std::string(summary.status().message()).c_str());
    }
  }
  DatabaseOptions options;
  options.dir = flags.match_data + "/db";
  options.background_snapshots = false;
  auto db = Database::Open(options, std::make_unique<Registry>(Names(), Addresses()));
  if (!db.ok()) return state.SkipWithError(std::string(db.status().message()).c_str());
  QueryEngine::Options engine_options;
  if (flags.name_compared != 0) engine_options.max_name_compared = flags.name_compared;
  QueryEngine engine(**db, *model, Regions(), engine_options);
  Tally overall;
  std::vector<double> cpu_us;
  for (auto _ : state) {
    for (const Query& q : queries) {
      const double c0 = ThreadCpuNanos();
      absl::StatusOr<MatchResult> result = engine.Match(q.query, Scope::National(), kMatchLimit);
      cpu_us.push_back((ThreadCpuNanos() - c0) / 1e3);
      if (!result.ok()) return state.SkipWithError("Match failed");
      // The folder holds the duplicates too: the query's own record (its exact copy) is not
      // counted as a place.
      size_t rank = kMatchLimit;
      size_t place = 0;
      for (const MatchCandidate& candidate : result->candidates) {
        const std::string& id_art = candidate.record.person.id_art;
        if (id_art == q.query.person.id_art) continue;
        if (id_art == q.original) {
          rank = place;
          break;
        }
        ++place;
      }
      overall.Count(rank);
    }
  }
  std::fprintf(stderr,
               "match on %s: %zu queries, cpu us mean %.1f p50 %.1f p99 %.1f, recall@1 %.4f "
               "recall@10 %.4f\n",
               flags.match_data.c_str(), queries.size(), Mean(cpu_us), Percentile(cpu_us, 0.5),
               Percentile(cpu_us, 0.99), overall.Recall1(), overall.Recall10());
  state.counters["queries"] = static_cast<double>(queries.size());
  state.counters["match_cpu_us_mean"] = Mean(cpu_us);
  state.counters["match_cpu_us_p50"] = Percentile(cpu_us, 0.5);
  state.counters["match_cpu_us_p99"] = Percentile(cpu_us, 0.99);
  state.counters["recall_at_1"] = overall.Recall1();
  state.counters["recall_at_10"] = overall.Recall10();

  // NikLookup of registry NIKs spread over the store (exact hit + the 159 near probes), as
  // GET /v1/nik/{nik} calls it.
  std::vector<uint64_t> numbers;
  std::vector<std::string> niks;  // the same, as the route gets them
  {
    Database::ReadView view = (*db)->Read();
    const RecordStore& store = static_cast<const Registry&>(view.state()).store();
    const size_t stride = std::max<size_t>(1, store.person_count() / kLookups);
    for (uint32_t i = 0; i < store.person_count(); i += static_cast<uint32_t>(stride)) {
      const uint64_t number = store.nik_value(PersonId(i));
      if (number == 0) continue;
      numbers.push_back(number);
      niks.push_back(StrCat(number));
    }
  }
  const double c0 = ThreadCpuNanos();
  for (const std::string& nik : niks) {
    absl::StatusOr<NikLookupResult> found = engine.NikLookup(nik, Scope::National());
    benchmark::DoNotOptimize(found);
  }
  const double nik_ns =
      niks.empty() ? 0 : (ThreadCpuNanos() - c0) / static_cast<double>(niks.size());
  // The index alone (Find + FindNear, no decoding): the share of a lookup spent probing.
  double index_ns = 0;
  {
    Database::ReadView view = (*db)->Read();
    const NikIndex& index = static_cast<const Registry&>(view.state()).nik_index();
    // The least of five passes: this VM's speed moves by tens of percent within seconds. At
    // 10 M the ~10,000 numbers' ~110 probes each touch some 140 MB of table lines, so a
    // later pass finds few of them cached.
    size_t hits = 0;
    index_ns = HUGE_VAL;
    for (int pass = 0; pass < 5 && !numbers.empty(); ++pass) {
      const double start = ThreadCpuNanos();
      for (uint64_t number : numbers) {
        index.Find(number, [&](PersonId) { ++hits; });
        index.FindNear(number, [&](PersonId, uint64_t) { ++hits; });
      }
      index_ns =
          std::min(index_ns, (ThreadCpuNanos() - start) / static_cast<double>(numbers.size()));
    }
    if (numbers.empty()) index_ns = 0;
    benchmark::DoNotOptimize(hits);
  }
  std::fprintf(stderr, "nik lookup: %zu NIKs, cpu ns mean %.0f, of which the index %.0f\n",
               niks.size(), nik_ns, index_ns);
  state.counters["nik_lookup_ns"] = nik_ns;
  state.counters["nik_index_ns"] = index_ns;

  // What a write's check reads of the household it replaces: the whole household decoded
  // (GetHousehold, what the checks did before) against its fixed cells (LiveHousehold).
  std::vector<std::string> households;
  {
    Database::ReadView view = (*db)->Read();
    const RecordStore& store = static_cast<const Registry&>(view.state()).store();
    const size_t stride = std::max<size_t>(1, store.household_count() / kLookups);
    for (uint32_t i = 0; i < store.household_count(); i += static_cast<uint32_t>(stride)) {
      if (store.is_live(HouseholdId(i))) {
        households.emplace_back(store.id_keluarga(HouseholdId(i)));
      }
    }
  }
  auto per_household_ns = [&](auto&& read) {
    const double start = ThreadCpuNanos();
    for (const std::string& id : households) read(id);
    return households.empty() ? 0
                              : (ThreadCpuNanos() - start) / static_cast<double>(households.size());
  };
  const double decoded_ns = per_household_ns([&](const std::string& id) {
    benchmark::DoNotOptimize(engine.GetHousehold(id, Scope::National()));
  });
  const double cells_ns = per_household_ns(
      [&](const std::string& id) { benchmark::DoNotOptimize(engine.LiveHousehold(id)); });
  std::fprintf(stderr, "write check read: %zu households, decoded %.0f ns, cells %.0f ns\n",
               households.size(), decoded_ns, cells_ns);
  state.counters["check_decoded_ns"] = decoded_ns;
  state.counters["check_cells_ns"] = cells_ns;
}

// "1M", "10M", "20k": the case's name.
std::string SizeLabel(int64_t persons) {
  if (persons % 1'000'000 == 0) return StrCat(persons / 1'000'000, "M");
  if (persons % 1'000 == 0) return StrCat(persons / 1'000, "k");
  return StrCat(persons);
}

// Reads --persons, --queries and --snapshot_dir from argv, removing them.
bool ParseFlags(int* argc, char** argv) {
  Flags& flags = GetFlags();
  int out = 1;
  for (int i = 1; i < *argc; ++i) {
    std::string_view arg = argv[i];
    auto value = [&](std::string_view name) -> std::optional<std::string_view> {
      if (arg.substr(0, name.size()) != name) return std::nullopt;
      return arg.substr(name.size());
    };
    if (auto v = value("--persons=")) {
      if (!absl::SimpleAtoi(ToAbsl(*v), &flags.persons) || flags.persons < 1) return false;
    } else if (auto q = value("--queries=")) {
      if (!absl::SimpleAtoi(ToAbsl(*q), &flags.queries) || flags.queries < 1) return false;
    } else if (auto c = value("--name_compared=")) {
      if (!absl::SimpleAtoi(ToAbsl(*c), &flags.name_compared) || flags.name_compared < 1) {
        return false;
      }
    } else if (auto d = value("--snapshot_dir=")) {
      flags.snapshot_dir = std::string(*d);
    } else if (auto l = value("--load_dir=")) {
      flags.load_dir = std::string(*l);
    } else if (auto m = value("--match_data=")) {
      flags.match_data = std::string(*m);
    } else if (auto g = value("--match_gen=")) {
      flags.match_gen = std::string(*g);
    } else if (arg == "--keep_snapshot") {
      flags.keep_snapshot = true;
    } else {
      argv[out++] = argv[i];
    }
  }
  *argc = out;
  return true;
}

}  // namespace
}  // namespace padan

int main(int argc, char** argv) {
  if (!padan::ParseFlags(&argc, argv)) {
    std::fprintf(stderr,
                 "usage: --persons=N (N >= 1) --queries=Q (Q >= 1) --snapshot_dir=DIR "
                 "--keep_snapshot --load_dir=DIR --name_compared=N (N >= 1) "
                 "--match_data=DIR --match_gen=DIR\n");
    return 2;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  if (!padan::GetFlags().load_dir.empty()) {
    benchmark::RegisterBenchmark("BM_SnapshotLoad", padan::BM_SnapshotLoad)
        ->Iterations(1)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  if (!padan::GetFlags().match_data.empty()) {
    benchmark::RegisterBenchmark("BM_MatchLoaded", padan::BM_MatchLoaded)
        ->Iterations(1)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  // /smoke is what CI runs; the other case is --persons (1M unless given).
  const int64_t persons = padan::GetFlags().persons;
  for (auto [label, size] : {std::pair<std::string, int64_t>{"smoke", padan::kSmokePersons},
                             std::pair<std::string, int64_t>{padan::SizeLabel(persons), persons}}) {
    benchmark::RegisterBenchmark(padan::StrCat("BM_QueryEngine/", label).c_str(),
                                 padan::BM_QueryEngine)
        ->Arg(size)
        ->Iterations(1)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
