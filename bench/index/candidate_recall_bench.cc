// Candidate recall (DESIGN.md §4): whether the serving indexes put a duplicate registration's
// original among its candidates, measured apart from scoring. The generator writes a registry
// with duplicates and their truth; the originals are imported into a RecordStore and indexed
// (NikIndex, NoKkIndex, BlockingIndex); each duplicate record is then a query, whose candidate
// set is the union a Match query takes: NIK exact + NIK one typo away + the members of the
// households with its No KK + BlockingIndex::Candidates. Recall is the share of queries whose
// original is in the set.
//
// Reported once per size (counters, and a table on stderr): recall overall, per corruption
// (truth.csv's corruptions column) and by blocking alone; what each key kind adds (recall
// without it); candidates per query p50/p90/p99/max; build time and bytes per person of each
// index; share of query keys skipped as too common, per kind. The timed loop is the candidate
// generation of every query (keys, NIK, No KK, blocking); its time per query is
// `ns_per_query`.
//
//   ninja -C build candidate_recall_bench
//   build/candidate_recall_bench --benchmark_filter=/1M     (about 1 min; data kept in /tmp)
//   build/candidate_recall_bench --benchmark_filter=/10M    (about 10 min, ~8 GB RAM)
//   Tuning flags (ParseTuningFlags): --caps=K,K,.../MAX overrides DefaultBlockingLimits(),
//   --sweep=L;L;... measures more limits on the same index, --show_missed=N prints misses.
// CI runs /smoke (20,000 persons).
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
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
#include "index/blocking_index.h"
#include "index/blocking_keys.h"
#include "index/number_index.h"
#include "index/record_store.h"
#include "matching/address_normalizer.h"
#include "matching/match_record_builder.h"
#include "matching/name_normalizer.h"

namespace padan {
namespace {

// Fixed generator input: the same registry on every run.
constexpr uint64_t kSeed = 20261203;
constexpr double kDupRate = 0.1;

// Limits from the command line (tuning runs), else the defaults.
BlockingIndex::Limits& QueryLimits() {
  static BlockingIndex::Limits limits = DefaultBlockingLimits();
  return limits;
}
// More limits to measure recall with (--sweep), and missed queries to print (--show_missed).
std::vector<BlockingIndex::Limits>& SweepLimits() {
  static auto* sweep = new std::vector<BlockingIndex::Limits>();
  return *sweep;
}
size_t& ShowMissed() {
  static size_t show = 0;
  return show;
}
// Whether to build one index per kind to report each kind's bytes (--kind_memory).
bool& KindMemory() {
  static bool on = false;
  return on;
}

const RegionTable& Regions() {
  static const RegionTable* regions = RegionTable::LoadEmbedded()->release();
  return *regions;
}

// Generates (once per size, kept across runs) the registry and its truth.
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

// CPU time of this thread, in nanoseconds: the machine may be shared, wall time is not ours.
double ThreadNanos() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
}

// CPU seconds since `start` (a ThreadNanos() value).
double Seconds(double start) { return (ThreadNanos() - start) / 1e9; }

// A duplicate record acting as a query, with the original it must find.
struct Query {
  PersonId self;
  PersonId original;
  gen::CorruptionSet corruptions = 0;
};

// Everything built once per size.
struct Setup {
  std::unique_ptr<RecordStore> store;
  std::vector<bool> indexed;  // by PersonId: an original record
  std::vector<Query> queries;
  std::vector<MatchRecord> query_records;  // parallel to queries
  std::unique_ptr<NikIndex> nik;
  std::unique_ptr<NoKkIndex> no_kk;
  std::unique_ptr<BlockingIndex> blocking;
  size_t originals = 0;
  size_t blocking_entries = 0;
  std::array<size_t, kBlockingKeyKindCount> entries_per_kind{};
  std::array<size_t, kBlockingKeyKindCount> bytes_per_kind{};  // with --kind_memory
  double import_seconds = 0;
  double records_seconds = 0;  // normalising the originals and deriving their keys
  double nik_seconds = 0;
  double no_kk_seconds = 0;
  double blocking_seconds = 0;
};

std::unique_ptr<NameNormalizer>& Names() {
  static auto* names = new std::unique_ptr<NameNormalizer>(*NameNormalizer::LoadEmbedded());
  return *names;
}
std::unique_ptr<AddressNormalizer>& Addresses() {
  static auto* addresses =
      new std::unique_ptr<AddressNormalizer>(*AddressNormalizer::LoadEmbedded());
  return *addresses;
}

MatchRecord RecordOf(const RecordStore& store, PersonId id, MatchRecordBuilder& builder) {
  MatchRecord record;
  builder.Build(store.GetPerson(id), store.GetHousehold(store.household_of(id)), &record);
  return record;
}

// Returns an error message, or "" with `setup` filled.
std::string Prepare(int64_t persons, Setup* setup) {
  const std::string dir = GeneratedDir(persons);
  if (dir.empty()) return "could not generate the input";

  double start = ThreadNanos();
  setup->store = std::make_unique<RecordStore>();
  RecordStore& store = *setup->store;
  {
    auto reader = OpenRowReader(dir + "/dtks.csv");
    if (!reader.ok()) return "could not open dtks.csv";
    store.Reserve((*reader)->bytes_total() / 200, (*reader)->bytes_total() / 600);
    auto summary =
        ImportRows(**reader, ColumnMapping(), Regions(), ImportOptions(),
                   [&](const Household& h, const Person& p) { return store.Add(h, p).status(); });
    if (!summary.ok() || summary->rejected != 0) return "import failed or rejected rows";
  }
  setup->import_seconds = Seconds(start);

  // Truth: which records are originals, and each duplicate's original.
  setup->indexed.assign(store.person_count(), false);
  {
    std::ifstream truth(dir + "/truth.csv");
    std::string line;
    std::getline(truth, line);  // header
    while (std::getline(truth, line)) {
      std::vector<absl::string_view> f = absl::StrSplit(line, ',');
      if (f.size() != 5) return "malformed truth.csv";
      auto self = store.FindPerson(FromAbsl(f[0]));
      if (!self.has_value()) return "truth.csv names an unknown id_art";
      if (f[3] == "original") {
        setup->indexed[self->value] = true;
        continue;
      }
      auto original = store.FindPerson(FromAbsl(f[1]));
      if (!original.has_value()) return "truth.csv names an unknown cluster_id";
      Query q{*self, *original, 0};
      if (!f[4].empty()) {
        for (absl::string_view name : absl::StrSplit(f[4], ';')) {
          auto c = gen::ParseCorruption(FromAbsl(name));
          if (c.has_value()) q.corruptions |= gen::Bit(*c);
        }
      }
      setup->queries.push_back(q);
    }
  }

  MatchRecordBuilder builder(*Names(), *Addresses());
  start = ThreadNanos();
  std::vector<std::pair<BlockingKey, uint32_t>> entries;
  BlockingKeys keys;
  for (uint32_t i = 0; i < store.person_count(); ++i) {
    if (!setup->indexed[i]) continue;
    ++setup->originals;
    BlockingKeysOf(RecordOf(store, PersonId(i), builder), &keys);
    for (BlockingKey key : keys) entries.emplace_back(key, i);
  }
  setup->records_seconds = Seconds(start);
  setup->blocking_entries = entries.size();
  for (const auto& [key, id] : entries) ++setup->entries_per_kind[static_cast<size_t>(KindOf(key))];
  if (KindMemory()) {
    for (size_t k = 0; k < kBlockingKeyKindCount; ++k) {
      std::vector<std::pair<BlockingKey, uint32_t>> part;
      for (const auto& entry : entries) {
        if (static_cast<size_t>(KindOf(entry.first)) == k) part.push_back(entry);
      }
      BlockingIndex index(QueryLimits());
      index.Build(std::move(part));
      setup->bytes_per_kind[k] = index.MemoryUsage();
    }
  }

  start = ThreadNanos();
  setup->nik = std::make_unique<NikIndex>(&store);
  setup->nik->Reserve(setup->originals);
  for (uint32_t i = 0; i < store.person_count(); ++i) {
    if (setup->indexed[i] && store.nik_value(PersonId(i)) != 0) setup->nik->Add(PersonId(i));
  }
  setup->nik_seconds = Seconds(start);

  start = ThreadNanos();
  setup->no_kk = std::make_unique<NoKkIndex>(&store);
  {
    // A household is indexed when it holds an original (a host household also lists
    // duplicates, which the query side filters out).
    std::vector<bool> household_indexed(store.household_count(), false);
    for (uint32_t i = 0; i < store.person_count(); ++i) {
      if (setup->indexed[i]) household_indexed[store.household_of(PersonId(i)).value] = true;
    }
    setup->no_kk->Reserve(
        static_cast<size_t>(std::count(household_indexed.begin(), household_indexed.end(), true)));
    for (uint32_t h = 0; h < store.household_count(); ++h) {
      if (household_indexed[h] && store.no_kk_value(HouseholdId(h)) != 0) {
        setup->no_kk->Add(HouseholdId(h));
      }
    }
  }
  setup->no_kk_seconds = Seconds(start);

  start = ThreadNanos();
  // Stored caps: the largest any measured configuration asks for.
  BlockingIndex::Limits stored = QueryLimits();
  for (const BlockingIndex::Limits& limits : SweepLimits()) {
    for (size_t k = 0; k < kBlockingKeyKindCount; ++k) {
      stored.max_posting_per_kind[k] =
          std::max(stored.max_posting_per_kind[k], limits.max_posting_per_kind[k]);
    }
  }
  setup->blocking = std::make_unique<BlockingIndex>(stored);
  setup->blocking->Build(std::move(entries));
  setup->blocking_seconds = Seconds(start);

  setup->query_records.reserve(setup->queries.size());
  for (const Query& q : setup->queries) {
    setup->query_records.push_back(RecordOf(store, q.self, builder));
  }
  return "";
}

// Where a query's candidates came from.
enum Source { kNikExact, kNikNear, kNoKk, kBlocking, kSourceCount };
constexpr std::array<const char*, kSourceCount> kSourceNames = {"nik_exact", "nik_near", "no_kk",
                                                                "blocking"};

// One query's candidate set, as the query engine would take it: unique indexed persons.
void CandidateSet(const Setup& s, const BlockingIndex::Limits& limits, const MatchRecord& record,
                  BlockingKeys* keys, std::vector<PersonId>* blocked, std::vector<PersonId>* out,
                  std::array<std::vector<PersonId>, kSourceCount>* by_source = nullptr) {
  out->clear();
  auto take = [&](PersonId id, Source source) {
    if (!s.indexed[id.value]) return;
    out->push_back(id);
    if (by_source != nullptr) (*by_source)[source].push_back(id);
  };
  if (by_source != nullptr) {
    for (auto& v : *by_source) v.clear();
  }
  s.nik->Find(record.nik, [&](PersonId id) { take(id, kNikExact); });
  s.nik->FindNear(record.nik, [&](PersonId id, uint64_t) { take(id, kNikNear); });
  s.no_kk->Find(record.no_kk, [&](HouseholdId h) {
    for (PersonId id : s.store->Members(h)) take(id, kNoKk);
  });
  BlockingQueryKeysOf(record, keys);
  blocked->clear();
  s.blocking->Candidates(*keys, limits, blocked);
  for (PersonId id : *blocked) take(id, kBlocking);
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
}

bool Contains(const std::vector<PersonId>& ids, PersonId id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// Counts of queries found, overall and by a breakdown.
struct Tally {
  int64_t queries = 0;
  int64_t found = 0;
  void Count(bool hit) {
    ++queries;
    found += hit ? 1 : 0;
  }
  double Recall() const { return queries == 0 ? 0 : static_cast<double>(found) / queries; }
};

size_t Percentile(std::vector<size_t> values, double p) {
  if (values.empty()) return 0;
  size_t k = static_cast<size_t>(p * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

// The one-off measurement of recall and candidate counts; prints the table to stderr.
void Measure(const Setup& s, const BlockingIndex::Limits& limits, const std::string& label,
             benchmark::State& state) {
  MatchRecordBuilder builder(*Names(), *Addresses());
  Tally overall;
  Tally blocking_only;
  std::array<Tally, gen::kCorruptionCount> by_corruption;
  Tally exact_copies;
  // Recall with one kind of key (or one source) left out, truncation ignored.
  std::array<Tally, kBlockingKeyKindCount> without_kind;
  std::array<Tally, kSourceCount> without_source;
  // Queries whose original shares a usable key of the kind; query keys per kind, and skipped.
  std::array<int64_t, kBlockingKeyKindCount> kind_hits{};
  std::array<int64_t, kBlockingKeyKindCount> keys_asked{};
  std::array<int64_t, kBlockingKeyKindCount> keys_skipped{};
  // Ids read from the postings of each kind (before the union), and blocking's recall without
  // the kind.
  std::array<int64_t, kBlockingKeyKindCount> ids_read{};
  std::array<Tally, kBlockingKeyKindCount> blocking_without_kind;
  int64_t lost_by_truncation = 0;
  std::vector<size_t> sizes;
  std::vector<size_t> blocked_sizes;
  sizes.reserve(s.queries.size());

  BlockingKeys keys;
  BlockingKeys original_keys;
  std::vector<PersonId> blocked;
  std::vector<PersonId> set;
  std::array<std::vector<PersonId>, kSourceCount> by_source;
  size_t shown = 0;
  for (size_t qi = 0; qi < s.queries.size(); ++qi) {
    const Query& q = s.queries[qi];
    CandidateSet(s, limits, s.query_records[qi], &keys, &blocked, &set, &by_source);
    sizes.push_back(set.size());
    blocked_sizes.push_back(blocked.size());
    const bool found = std::binary_search(set.begin(), set.end(), q.original);
    overall.Count(found);
    std::array<bool, kSourceCount> source_found{};
    for (int src = 0; src < kSourceCount; ++src) {
      source_found[src] = Contains(by_source[src], q.original);
    }
    blocking_only.Count(source_found[kBlocking]);
    if (q.corruptions == 0) exact_copies.Count(found);
    for (int c = 0; c < gen::kCorruptionCount; ++c) {
      if (gen::Has(q.corruptions, static_cast<gen::Corruption>(c))) by_corruption[c].Count(found);
    }

    // Which kinds could find the original: a key shared with it whose posting is within cap.
    BlockingKeysOf(RecordOf(*s.store, q.original, builder), &original_keys);
    std::array<bool, kBlockingKeyKindCount> kind_found{};
    for (BlockingKey key : keys) {
      const size_t kind = static_cast<size_t>(KindOf(key));
      ++keys_asked[kind];
      const size_t posting = s.blocking->PostingSize(key);
      const bool usable = posting <= limits.max_posting_per_kind[kind];
      if (!usable) ++keys_skipped[kind];
      if (usable) ids_read[kind] += static_cast<int64_t>(posting);
      if (usable &&
          std::find(original_keys.begin(), original_keys.end(), key) != original_keys.end()) {
        kind_found[kind] = true;
      }
    }
    bool any_kind = false;
    for (size_t k = 0; k < kBlockingKeyKindCount; ++k) {
      kind_hits[k] += kind_found[k] ? 1 : 0;
      any_kind = any_kind || kind_found[k];
    }
    if (any_kind && !source_found[kBlocking]) ++lost_by_truncation;
    if (!source_found[kBlocking] && shown < ShowMissed()) {
      ++shown;
      const MatchRecord& o = RecordOf(*s.store, q.original, builder);
      const MatchRecord& d = s.query_records[qi];
      std::fprintf(stderr, "missed: [%s] %s | %s %llu  vs  [%s] %s | %s %llu  {%s}%s\n",
                   o.nama.canonical.c_str(), o.nama.phonetic_sorted.c_str(),
                   o.tanggal_lahir.ToString().c_str(),
                   static_cast<unsigned long long>(o.kode_wilayah), d.nama.canonical.c_str(),
                   d.nama.phonetic_sorted.c_str(), d.tanggal_lahir.ToString().c_str(),
                   static_cast<unsigned long long>(d.kode_wilayah),
                   gen::CorruptionSetNames(q.corruptions).c_str(), any_kind ? " (truncated)" : "");
    }
    const bool by_numbers =
        source_found[kNikExact] || source_found[kNikNear] || source_found[kNoKk];
    for (size_t k = 0; k < kBlockingKeyKindCount; ++k) {
      bool other_kind = false;
      for (size_t j = 0; j < kBlockingKeyKindCount; ++j) {
        other_kind = other_kind || (j != k && kind_found[j]);
      }
      without_kind[k].Count(by_numbers || other_kind);
      blocking_without_kind[k].Count(other_kind);
    }
    for (int src = 0; src < kSourceCount; ++src) {
      bool other = src == kBlocking ? false : any_kind;
      for (int j = 0; j < kSourceCount; ++j) {
        if (j != src && j != kBlocking) other = other || source_found[j];
      }
      without_source[src].Count(other);
    }
  }

  const double n = static_cast<double>(s.originals);
  const double nik_bytes = static_cast<double>(s.nik->MemoryUsage()) / n;
  const double no_kk_bytes = static_cast<double>(s.no_kk->MemoryUsage()) / n;
  const double blocking_bytes = static_cast<double>(s.blocking->MemoryUsage()) / n;
  const size_t p50 = Percentile(sizes, 0.5);
  const size_t p90 = Percentile(sizes, 0.9);
  const size_t p99 = Percentile(sizes, 0.99);
  const size_t max = sizes.empty() ? 0 : *std::max_element(sizes.begin(), sizes.end());

  std::fprintf(stderr, "\n== candidate recall, %s: %zu originals indexed, %zu duplicate queries\n",
               label.c_str(), s.originals, s.queries.size());
  std::fprintf(stderr, "recall %.4f%% (%lld missed); blocking alone %.4f%%; exact copies %.4f%%\n",
               100 * overall.Recall(), static_cast<long long>(overall.queries - overall.found),
               100 * blocking_only.Recall(), 100 * exact_copies.Recall());
  std::fprintf(stderr,
               "candidates per query: p50 %zu  p90 %zu  p99 %zu  max %zu"
               "  (blocking part p99 %zu)\n",
               p50, p90, p99, max, Percentile(blocked_sizes, 0.99));
  std::fprintf(stderr, "%-22s %9s %9s %9s\n", "corruption", "queries", "missed", "recall%");
  for (int c = 0; c < gen::kCorruptionCount; ++c) {
    const Tally& t = by_corruption[c];
    if (t.queries == 0) continue;
    std::string name(gen::CorruptionName(static_cast<gen::Corruption>(c)));
    std::fprintf(stderr, "%-22s %9lld %9lld %9.3f\n", name.c_str(),
                 static_cast<long long>(t.queries), static_cast<long long>(t.queries - t.found),
                 100 * t.Recall());
  }
  std::fprintf(stderr, "%-14s %8s %9s %9s %12s %7s %7s %9s %9s %9s\n", "key kind", "finds%",
               "skipped%", "w/o it%", "block w/o%", "cap", "keys/q", "ids/q", "entries/p",
               "B/person");
  for (size_t k = 0; k < kBlockingKeyKindCount; ++k) {
    std::string name(BlockingKeyKindName(static_cast<BlockingKeyKind>(k)));
    const double queries = static_cast<double>(s.queries.size());
    std::fprintf(
        stderr, "%-14s %8.3f %9.3f %9.4f %12.4f %7zu %7.2f %9.1f %9.2f %9.2f\n", name.c_str(),
        100 * static_cast<double>(kind_hits[k]) / queries,
        keys_asked[k] == 0
            ? 0.0
            : 100 * static_cast<double>(keys_skipped[k]) / static_cast<double>(keys_asked[k]),
        100 * without_kind[k].Recall(), 100 * blocking_without_kind[k].Recall(),
        limits.max_posting_per_kind[k], static_cast<double>(keys_asked[k]) / queries,
        static_cast<double>(ids_read[k]) / queries, static_cast<double>(s.entries_per_kind[k]) / n,
        static_cast<double>(s.bytes_per_kind[k]) / n);
  }
  for (int src = 0; src < kSourceCount; ++src) {
    std::fprintf(stderr, "without %-14s recall %.4f%%\n", kSourceNames[src],
                 100 * without_source[src].Recall());
  }
  std::fprintf(stderr, "lost to max_candidates (%zu): %lld\n", limits.max_candidates,
               static_cast<long long>(lost_by_truncation));
  std::fprintf(
      stderr, "bytes/person: nik %.2f  no_kk %.2f  blocking %.2f  total %.2f  (store %.1f)\n",
      nik_bytes, no_kk_bytes, blocking_bytes, nik_bytes + no_kk_bytes + blocking_bytes,
      static_cast<double>(s.store->MemoryUsage()) / static_cast<double>(s.store->person_count()));
  std::fprintf(stderr, "blocking: %zu entries (%.2f/person), %zu keys, %zu over their stored cap\n",
               s.blocking_entries, static_cast<double>(s.blocking_entries) / n,
               s.blocking->frozen_keys(), s.blocking->frozen_stubs());
  std::fprintf(stderr,
               "build CPU seconds: import %.1f  records+keys %.1f  nik %.2f  no_kk %.2f  "
               "blocking %.2f\n",
               s.import_seconds, s.records_seconds, s.nik_seconds, s.no_kk_seconds,
               s.blocking_seconds);

  state.counters["recall"] = overall.Recall();
  state.counters["recall_blocking_only"] = blocking_only.Recall();
  state.counters["cand_p50"] = static_cast<double>(p50);
  state.counters["cand_p90"] = static_cast<double>(p90);
  state.counters["cand_p99"] = static_cast<double>(p99);
  state.counters["cand_max"] = static_cast<double>(max);
  state.counters["nik_B_per_person"] = nik_bytes;
  state.counters["no_kk_B_per_person"] = no_kk_bytes;
  state.counters["blocking_B_per_person"] = blocking_bytes;
  state.counters["blocking_build_s"] = s.blocking_seconds;
  state.counters["queries"] = static_cast<double>(s.queries.size());
}

// CPU time per query of each part of candidate generation, one pass over all queries each.
void TimeParts(const Setup& s, benchmark::State& state) {
  const size_t n = s.query_records.size();
  std::vector<BlockingKeys> keys(n);
  std::vector<PersonId> ids;
  std::array<double, 5> ns{};  // keys, nik exact, nik near, no_kk, blocking
  double t = ThreadNanos();
  for (size_t i = 0; i < n; ++i) BlockingQueryKeysOf(s.query_records[i], &keys[i]);
  ns[0] = ThreadNanos() - t;
  t = ThreadNanos();
  for (const MatchRecord& record : s.query_records) {
    s.nik->Find(record.nik, [&](PersonId id) { ids.push_back(id); });
  }
  ns[1] = ThreadNanos() - t;
  t = ThreadNanos();
  for (const MatchRecord& record : s.query_records) {
    s.nik->FindNear(record.nik, [&](PersonId id, uint64_t) { ids.push_back(id); });
  }
  ns[2] = ThreadNanos() - t;
  t = ThreadNanos();
  for (const MatchRecord& record : s.query_records) {
    s.no_kk->Find(record.no_kk, [&](HouseholdId h) {
      for (PersonId id : s.store->Members(h)) ids.push_back(id);
    });
  }
  ns[3] = ThreadNanos() - t;
  t = ThreadNanos();
  for (size_t i = 0; i < n; ++i) {
    ids.clear();
    s.blocking->Candidates(keys[i], QueryLimits(), &ids);
    benchmark::DoNotOptimize(ids.data());
  }
  ns[4] = ThreadNanos() - t;
  const double q = static_cast<double>(std::max<size_t>(1, n));
  std::fprintf(stderr,
               "CPU ns per query: keys %.0f  nik exact %.0f  nik near %.0f  no_kk %.0f  "
               "blocking %.0f\n",
               ns[0] / q, ns[1] / q, ns[2] / q, ns[3] / q, ns[4] / q);
  state.counters["ns_keys"] = ns[0] / q;
  state.counters["ns_nik_near"] = ns[2] / q;
  state.counters["ns_blocking"] = ns[4] / q;
}

void BM_CandidateRecall(benchmark::State& state) {
  Setup setup;
  std::string error = Prepare(state.range(0), &setup);
  if (!error.empty()) {
    state.SkipWithError(error.c_str());
    return;
  }
  for (const BlockingIndex::Limits& limits : SweepLimits()) {
    Measure(setup, limits, StrCat(state.range(0), " persons, sweep"), state);
  }
  Measure(setup, QueryLimits(), StrCat(state.range(0), " persons"), state);
  TimeParts(setup, state);
  BlockingKeys keys;
  std::vector<PersonId> blocked;
  std::vector<PersonId> set;
  int64_t queries = 0;
  double nanos = 0;
  for (auto _ : state) {
    const double start = ThreadNanos();
    for (const MatchRecord& record : setup.query_records) {
      CandidateSet(setup, QueryLimits(), record, &keys, &blocked, &set);
      benchmark::DoNotOptimize(set.data());
    }
    nanos += ThreadNanos() - start;
    queries += static_cast<int64_t>(setup.query_records.size());
  }
  state.SetItemsProcessed(queries);
  // Keys, NIK exact and near, No KK members, blocking, union: one Match query's candidates.
  state.counters["ns_per_query"] = queries == 0 ? 0 : nanos / static_cast<double>(queries);
}

BENCHMARK(BM_CandidateRecall)
    ->Name("BM_CandidateRecall/smoke")
    ->Arg(20'000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CandidateRecall)
    ->Name("BM_CandidateRecall/1M")
    ->Arg(1'000'000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CandidateRecall)
    ->Name("BM_CandidateRecall/10M")
    ->Arg(10'000'000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

// "c0,c1,...[/max_candidates]": caps in BlockingKeyKind order over `limits`.
void ParseLimits(absl::string_view text, BlockingIndex::Limits* limits) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, '/');
  size_t k = 0;
  for (absl::string_view cap : absl::StrSplit(parts[0], ',')) {
    size_t value = 0;
    if (k < kBlockingKeyKindCount && absl::SimpleAtoi(cap, &value)) {
      limits->max_posting_per_kind[k] = value;
    }
    ++k;
  }
  size_t value = 0;
  if (parts.size() > 1 && absl::SimpleAtoi(parts[1], &value)) limits->max_candidates = value;
}

// Reads the tuning flags from argv, removing them:
//   --caps=c0,c1,...[/max]   the limits of the measured and timed run
//   --sweep=L;L;...          more limits (as --caps) measured too, on the same index
//   --show_missed=N          prints up to N queries the blocking misses
//   --kind_memory            builds one index per key kind to report each kind's bytes
void ParseTuningFlags(int* argc, char** argv) {
  int out = 1;
  for (int i = 1; i < *argc; ++i) {
    std::string_view arg = argv[i];
    constexpr std::string_view kCaps = "--caps=";
    constexpr std::string_view kSweep = "--sweep=";
    constexpr std::string_view kShow = "--show_missed=";
    constexpr std::string_view kKindMemory = "--kind_memory";
    if (arg.substr(0, kCaps.size()) == kCaps) {
      ParseLimits(ToAbsl(arg.substr(kCaps.size())), &QueryLimits());
    } else if (arg.substr(0, kSweep.size()) == kSweep) {
      for (absl::string_view text : absl::StrSplit(ToAbsl(arg.substr(kSweep.size())), ';')) {
        BlockingIndex::Limits limits = QueryLimits();
        ParseLimits(text, &limits);
        SweepLimits().push_back(limits);
      }
    } else if (arg.substr(0, kShow.size()) == kShow) {
      if (!absl::SimpleAtoi(ToAbsl(arg.substr(kShow.size())), &ShowMissed())) ShowMissed() = 0;
    } else if (arg == kKindMemory) {
      KindMemory() = true;
    } else {
      argv[out++] = argv[i];
    }
  }
  *argc = out;
}

}  // namespace
}  // namespace padan

int main(int argc, char** argv) {
  padan::ParseTuningFlags(&argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
