#include "index/dedup.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/hash/hash.h"
#include "absl/strings/str_format.h"

#include "data/absl_strings.h"
#include "data/csv_writer.h"
#include "data/json_writer.h"
#include "data/region_table.h"
#include "data/row_reader.h"
#include "data/status_macros.h"
#include "matching/clustering.h"
#include "matching/comparison_spec.h"
#include "matching/comparison_vector.h"
#include "matching/match_record_builder.h"
#include "matching/trustworthy_niks.h"
#include "matching/union_find.h"

namespace padan {
namespace {

// Keys are spread over this many partitions: a unit of work small enough to balance the
// threads and show progress (about 100,000 entries each at 10 M persons).
constexpr int kPartitionBits = 10;
constexpr size_t kPartitions = size_t{1} << kPartitionBits;
// Persons per unit of work of the keys step, pairs per unit of the full scoring, output rows
// per unit of the evidence formatting.
constexpr size_t kPersonChunk = 8192;
constexpr size_t kPairChunk = 16384;
constexpr size_t kRowChunk = 4096;

// One person filed under one key: the partition step's output.
struct Entry {
  BlockingKey key;
  uint32_t person;
  friend bool operator<(const Entry& x, const Entry& y) {
    return x.key != y.key ? x.key < y.key : x.person < y.person;
  }
  friend bool operator==(const Entry& x, const Entry& y) = default;
};

struct PersonPair {
  uint32_t a;
  uint32_t b;
  friend bool operator<(const PersonPair& x, const PersonPair& y) {
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  }
};

size_t PartitionOf(BlockingKey key) {
  // Fibonacci hashing: the NIK keys are not hashed, so the key is mixed once more here.
  return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> (64 - kPartitionBits));
}

BlockingKey NikKey(uint64_t nik) { return (uint64_t{kDedupNikKind} << kBlockingKindShift) | nik; }

BlockingKey KindKey(size_t kind, size_t hash) {
  constexpr uint64_t kHashMask = (uint64_t{1} << kBlockingKindShift) - 1;
  return (uint64_t{kind} << kBlockingKindShift) | (static_cast<uint64_t>(hash) & kHashMask);
}

// The dedup run's own keys of `record` (see kDedupTokenDayKind), appended to `keys`. Hashed
// with absl::Hash: keys live for one run, in one process.
void AddYearFreeKeys(const MatchRecord& record, BlockingKeys* keys) {
  const Date& dob = record.tanggal_lahir;
  if (dob.precision() != DatePrecision::kDay) return;
  constexpr int kMonthShift = 100;
  const int day_code = dob.day() <= 12 ? std::min(dob.day(), dob.month()) * kMonthShift +
                                             std::max(dob.day(), dob.month())
                                       : dob.month() * kMonthShift + dob.day();
  for (const std::string& sound : BlockingNameSounds(record.nama)) {
    keys->push_back(KindKey(kDedupTokenDayKind, absl::Hash<std::pair<absl::string_view, int>>{}(
                                                    std::pair(ToAbsl(sound), day_code))));
  }
  const KodeWilayah kab_kota = AncestorCode(record.kode_wilayah, RegionLevel::kKabKota);
  if (kab_kota != 0) {
    keys->push_back(KindKey(kDedupDayRegionKind,
                            absl::Hash<std::tuple<int, int, uint64_t>>{}(std::tuple(
                                day_code, static_cast<int>(record.jenis_kelamin), kab_kota))));
  }
}

size_t KindIndex(BlockingKey key) { return static_cast<size_t>(key >> kBlockingKindShift); }

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Runs work(thread, item) for items [0, count) on `threads` threads, handing items out one at
// a time (a slow partition holds up no other thread). The calling thread is thread 0 and
// reports progress. False when cancelled: items not yet started are skipped.
bool ParallelFor(size_t threads, size_t count, const BatchControl& control, std::string_view phase,
                 const std::function<void(size_t, size_t)>& work) {
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  auto run = [&](size_t thread) {
    while (!control.Cancelled()) {
      const size_t item = next.fetch_add(1, std::memory_order_relaxed);
      if (item >= count) break;
      work(thread, item);
      const size_t finished = done.fetch_add(1, std::memory_order_relaxed) + 1;
      if (thread == 0) control.Report(phase, finished, count);
    }
  };
  {
    // std::jthread joins when destroyed: no thread outlives the call.
    std::vector<std::jthread> workers;
    for (size_t t = 1; t < threads; ++t) workers.emplace_back(run, t);
    run(0);
  }
  if (control.Cancelled()) return false;
  control.Report(phase, count, count);
  return true;
}

// The person as Match's first stage sees them: the fields the store's columns hold ready.
void BuildColumnRecord(const RecordStore& store, PersonId id, MatchRecordBuilder& builder,
                       MatchRecord* out) {
  builder.Build(Registry::ColumnFields(store, id), out);
}

// The person with every field.
void BuildFullRecord(const RecordStore& store, PersonId id, MatchRecordBuilder& builder,
                     MatchRecord* out) {
  MatchFields fields = Registry::ColumnFields(store, id);
  fields.nama_ibu_kandung = store.nama_ibu_kandung(id);
  fields.tempat_lahir = store.tempat_lahir(id);
  const Household household = store.GetHousehold(store.household_of(id));
  fields.alamat = household.alamat;
  builder.Build(fields, out);
}

RecordFacts FactsOf(const RecordStore& store, PersonId id, const MatchRecord& record) {
  const uint16_t flags = store.person_flags(id);
  RecordFacts facts;
  if ((flags & (kPersonNikInvalid | kPersonNikMissing)) == 0) facts.nik = store.nik_value(id);
  facts.nik_consistent = facts.nik != 0 && !record.tanggal_lahir.missing() &&
                         record.jenis_kelamin != Sex::kUnknown &&
                         (flags & (kPersonNikDobConflict | kPersonNikSexConflict)) == 0;
  const int filled = (facts.nik != 0) + !record.nama.empty() +
                     (record.tanggal_lahir.precision() == DatePrecision::kDay) +
                     (record.jenis_kelamin != Sex::kUnknown) + !store.nama_ibu_kandung(id).empty() +
                     !store.tempat_lahir(id).empty() + (record.no_kk != 0) +
                     (record.kode_wilayah != 0);
  facts.completeness = static_cast<uint8_t>(filled);
  return facts;
}

// The most a field left out of the first score (missing there) can add once scored: its best
// level's weight under either u, plus the largest name-frequency adjustment.
std::vector<double> MissingFieldBounds(const FellegiSunterModel& model) {
  std::vector<double> bounds(model.field_count(), 0);
  for (size_t f = 0; f < model.field_count(); ++f) {
    const FieldSpec& field = model.spec().fields[f];
    double best = 0;
    for (size_t level = 0; level < field.level_count(); ++level) {
      best = std::max(best, model.LevelWeight(f, level));
      if (!field.u_given.empty()) {
        best = std::max(best, std::log2(model.m(f, level) / model.u_given(f, level)));
      }
    }
    if (field.term_frequency) best += FellegiSunterModel::kMaxTfAdjustment;
    bounds[f] = best;
  }
  return bounds;
}

// The keys two persons share, from their sorted lists: the first, and how many.
struct SharedKeys {
  BlockingKey first = 0;
  int count = 0;
};
SharedKeys Shared(absl::Span<const BlockingKey> x, absl::Span<const BlockingKey> y) {
  SharedKeys shared;
  size_t i = 0;
  size_t j = 0;
  while (i < x.size() && j < y.size()) {
    if (x[i] < y[j]) {
      ++i;
    } else if (y[j] < x[i]) {
      ++j;
    } else {
      if (shared.count++ == 0) shared.first = x[i];
      ++i;
      ++j;
    }
  }
  return shared;
}

absl::Status BadTruth(const std::string& path, int64_t line, std::string_view what) {
  return absl::InvalidArgumentError(StrCat("truth file ", path, " line ", line, ": ", what));
}

// The truth's cluster of each person (by PersonId), kUnknownTruth for persons it does not
// name. Rows naming no person of the registry are skipped.
absl::StatusOr<std::vector<uint32_t>> ReadTruth(const std::string& path, const RecordStore& store) {
  absl::StatusOr<std::unique_ptr<RowReader>> reader = OpenRowReader(path);
  if (!reader.ok()) {
    return absl::Status(reader.status().code(), StrCat("truth file: ", reader.status().message()));
  }
  const std::vector<std::string>& columns = (*reader)->columns();
  auto column = [&](std::string_view name) -> std::optional<size_t> {
    auto it = std::find(columns.begin(), columns.end(), name);
    if (it == columns.end()) return std::nullopt;
    return static_cast<size_t>(it - columns.begin());
  };
  const std::optional<size_t> id_column = column("id_art");
  const std::optional<size_t> cluster_column = column("cluster_id");
  if (!id_column.has_value() || !cluster_column.has_value()) {
    return absl::InvalidArgumentError(
        StrCat("truth file ", path, " has no '", id_column.has_value() ? "cluster_id" : "id_art",
               "' column (the generator's truth.csv has id_art and cluster_id)"));
  }
  std::vector<uint32_t> labels(store.person_count(), kUnknownTruth);
  absl::flat_hash_map<std::string, uint32_t> clusters;
  Row row;
  while (true) {
    PADAN_ASSIGN_OR_RETURN(const bool more, (*reader)->Next(&row));
    if (!more) break;
    if (!row.error.empty()) return BadTruth(path, row.line, row.error);
    const std::string_view id = row.fields[*id_column];
    const std::string_view cluster = row.fields[*cluster_column];
    if (id.empty()) return BadTruth(path, row.line, "id_art is empty");
    if (cluster.empty()) return BadTruth(path, row.line, "cluster_id is empty");
    const std::optional<PersonId> person = store.FindPerson(id);
    if (!person.has_value()) continue;
    auto [it, inserted] =
        clusters.try_emplace(std::string(cluster), static_cast<uint32_t>(clusters.size()));
    labels[person->value] = it->second;
  }
  return labels;
}

bool IsNdjsonPath(const std::string& path) {
  return path.ends_with(".ndjson") || path.ends_with(".jsonl");
}

// What the dedup run holds between its steps.
struct DedupRun {
  const Registry& registry;
  const RecordStore& store;
  const FellegiSunterModel& model;
  const DedupOptions& options;
  const BatchControl& control;
  size_t threads = 1;
  size_t persons = 0;  // person_count of the store: every vector below is indexed by PersonId
  std::vector<uint8_t> taking_part;
  std::vector<MatchRecord> column_records;
  std::vector<RecordFacts> facts;
  // Partition step: entries[thread][partition], then partitions[partition].
  std::vector<std::vector<std::vector<Entry>>> thread_entries;
  std::vector<std::vector<Entry>> partitions;
  std::vector<ScoredLink> links;
  DedupSummary summary;
};

// Partition: every person's column record, facts and keys.
bool PartitionStep(DedupRun& run) {
  const size_t chunks = (run.persons + kPersonChunk - 1) / kPersonChunk;
  run.thread_entries.assign(run.threads, std::vector<std::vector<Entry>>(kPartitions));
  return ParallelFor(run.threads, chunks, run.control, "keys", [&](size_t thread, size_t chunk) {
    MatchRecordBuilder builder(run.registry.names(), run.registry.addresses());
    BlockingKeys keys;
    std::vector<std::vector<Entry>>& out = run.thread_entries[thread];
    const size_t last = std::min(run.persons, (chunk + 1) * kPersonChunk);
    for (size_t i = chunk * kPersonChunk; i < last; ++i) {
      const PersonId id(static_cast<uint32_t>(i));
      if (!run.store.is_live(id) ||
          !run.options.scope.Contains(run.store.kode_wilayah(run.store.household_of(id)))) {
        continue;
      }
      run.taking_part[i] = 1;
      MatchRecord& record = run.column_records[i];
      BuildColumnRecord(run.store, id, builder, &record);
      run.facts[i] = FactsOf(run.store, id, record);
      BlockingKeysOf(record, &keys);
      if (record.nik != 0) keys.push_back(NikKey(record.nik));
      AddYearFreeKeys(record, &keys);
      for (BlockingKey key : keys) out[PartitionOf(key)].push_back({key, id.value});
    }
  });
}

using KindCountsPerThread = std::vector<std::array<DedupSummary::KindCounts, kDedupKeyKindCount>>;

// Score, first step: each partition sorted into its postings; only those that pair are kept.
// Counts in `keys_per_person` (indexed by PersonId) the pairing keys of each person.
bool SortPostings(DedupRun& run, std::vector<uint32_t>* keys_per_person,
                  KindCountsPerThread* counts) {
  const std::array<uint32_t, kDedupKeyKindCount>& caps = run.options.max_block_size;
  run.partitions.assign(kPartitions, {});
  const bool done =
      ParallelFor(run.threads, kPartitions, run.control, "postings", [&](size_t thread, size_t p) {
        std::vector<Entry> entries;
        for (auto& parts : run.thread_entries) {
          entries.insert(entries.end(), parts[p].begin(), parts[p].end());
          std::vector<Entry>().swap(parts[p]);
        }
        std::sort(entries.begin(), entries.end());
        entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
        size_t kept = 0;
        for (size_t i = 0; i < entries.size();) {
          size_t j = i + 1;
          while (j < entries.size() && entries[j].key == entries[i].key) ++j;
          const size_t n = j - i;
          const size_t kind = KindIndex(entries[i].key);
          if (n >= 2) {
            DedupSummary::KindCounts& kind_counts = (*counts)[thread][kind];
            ++kind_counts.keys;
            if (n > caps[kind]) {
              ++kind_counts.keys_over_cap;
              kind_counts.persons_over_cap += n;
            } else {
              for (size_t k = i; k < j; ++k) {
                std::atomic_ref<uint32_t>((*keys_per_person)[entries[k].person])
                    .fetch_add(1, std::memory_order_relaxed);
                entries[kept++] = entries[k];
              }
            }
          }
          i = j;
        }
        entries.resize(kept);
        entries.shrink_to_fit();
        run.partitions[p] = std::move(entries);
      });
  run.thread_entries.clear();
  return done;
}

// Each person's pairing keys, sorted (CSR form): a pair is scored from the first key its two
// persons share, so from exactly one posting.
struct PersonKeys {
  std::vector<uint32_t> offsets;  // person → first of its keys; one more at the end
  std::vector<BlockingKey> keys;
  absl::Span<const BlockingKey> Of(uint32_t person) const {
    return absl::MakeConstSpan(keys.data() + offsets[person],
                               offsets[person + 1] - offsets[person]);
  }
};

bool IndexPersonKeys(DedupRun& run, std::vector<uint32_t> keys_per_person, PersonKeys* out) {
  out->offsets.assign(run.persons + 1, 0);
  for (size_t i = 0; i < run.persons; ++i) {
    out->offsets[i + 1] = out->offsets[i] + keys_per_person[i];
    keys_per_person[i] = 0;
  }
  out->keys.resize(out->offsets[run.persons]);
  if (!ParallelFor(run.threads, kPartitions, run.control, "postings", [&](size_t, size_t p) {
        for (const Entry& entry : run.partitions[p]) {
          const uint32_t slot = std::atomic_ref<uint32_t>(keys_per_person[entry.person])
                                    .fetch_add(1, std::memory_order_relaxed);
          out->keys[out->offsets[entry.person] + slot] = entry.key;
        }
      })) {
    return false;
  }
  const size_t chunks = (run.persons + kPersonChunk - 1) / kPersonChunk;
  return ParallelFor(run.threads, chunks, run.control, "postings", [&](size_t, size_t c) {
    const size_t last = std::min(run.persons, (c + 1) * kPersonChunk);
    for (size_t i = c * kPersonChunk; i < last; ++i) {
      std::sort(out->keys.begin() + out->offsets[i], out->keys.begin() + out->offsets[i + 1]);
    }
  });
}

// Score, the pairs: every pair of a posting that is its first shared key (and, in a posting
// longer than max_block_for_one_shared_key, not its only one), scored on the columns. Keeps,
// sorted, the pairs whose score plus the most the other fields could add reaches the match
// threshold.
bool PairPostings(DedupRun& run, const PersonKeys& person_keys, KindCountsPerThread* counts,
                  std::vector<PersonPair>* survivors) {
  const size_t one_key_cap = run.options.max_block_for_one_shared_key;
  const TrustworthyNiks niks(run.model);
  const std::vector<double> bounds = MissingFieldBounds(run.model);
  const double match_threshold = run.model.match_threshold();
  const FrequencyTables* frequencies = &run.registry.frequencies();
  std::vector<std::vector<PersonPair>> kept(run.threads);
  if (!ParallelFor(run.threads, kPartitions, run.control, "pairs", [&](size_t thread, size_t p) {
        const std::vector<Entry>& entries = run.partitions[p];
        for (size_t i = 0; i < entries.size();) {
          size_t j = i + 1;
          while (j < entries.size() && entries[j].key == entries[i].key) ++j;
          const BlockingKey key = entries[i].key;
          DedupSummary::KindCounts& kind_counts = (*counts)[thread][KindIndex(key)];
          for (size_t x = i; x < j; ++x) {
            const uint32_t a = entries[x].person;
            const absl::Span<const BlockingKey> keys_a = person_keys.Of(a);
            const MatchRecord& record_a = run.column_records[a];
            for (size_t y = x + 1; y < j; ++y) {
              const uint32_t b = entries[y].person;
              const SharedKeys shared = Shared(keys_a, person_keys.Of(b));
              if (shared.first != key) continue;
              if (shared.count < 2 && j - i > one_key_cap) continue;
              ++kind_counts.pairs;
              const MatchRecord& record_b = run.column_records[b];
              ComparisonVector comparison = Compare(run.model.spec(), record_a, record_b);
              niks.Adjust(run.facts[a], run.facts[b], &comparison);
              double upper = run.model.MatchWeight(comparison, record_a, record_b, frequencies);
              for (size_t f = 0; f < comparison.size; ++f) {
                if (comparison.levels[f] == kMissingLevel) upper += bounds[f];
              }
              if (upper >= match_threshold) kept[thread].push_back({a, b});
            }
          }
          i = j;
        }
        std::vector<Entry>().swap(run.partitions[p]);
      })) {
    return false;
  }
  run.partitions.clear();
  for (auto& part : kept) {
    survivors->insert(survivors->end(), part.begin(), part.end());
    std::vector<PersonPair>().swap(part);
  }
  std::sort(survivors->begin(), survivors->end());
  return true;
}

// Score, every field, for the pairs that may match; keeps in run.links those at or above the
// possible threshold, which the clustering reads.
bool ScoreSurvivors(DedupRun& run, const std::vector<PersonPair>& pairs) {
  const TrustworthyNiks niks(run.model);
  const FrequencyTables* frequencies = &run.registry.frequencies();
  const double possible_threshold = run.model.possible_threshold();
  std::vector<std::vector<ScoredLink>> links(run.threads);
  const size_t chunks = (pairs.size() + kPairChunk - 1) / kPairChunk;
  if (!ParallelFor(run.threads, chunks, run.control, "scoring", [&](size_t thread, size_t chunk) {
        MatchRecordBuilder builder(run.registry.names(), run.registry.addresses());
        MatchRecord record_a;
        MatchRecord record_b;
        uint32_t built_a = kNoLink;
        const size_t last = std::min(pairs.size(), (chunk + 1) * kPairChunk);
        for (size_t i = chunk * kPairChunk; i < last; ++i) {
          const PersonPair pair = pairs[i];
          if (pair.a != built_a) {
            BuildFullRecord(run.store, PersonId(pair.a), builder, &record_a);
            built_a = pair.a;
          }
          BuildFullRecord(run.store, PersonId(pair.b), builder, &record_b);
          ComparisonVector comparison = Compare(run.model.spec(), record_a, record_b);
          niks.Adjust(run.facts[pair.a], run.facts[pair.b], &comparison);
          const double weight = run.model.MatchWeight(comparison, record_a, record_b, frequencies);
          if (weight >= possible_threshold) {
            links[thread].push_back({pair.a, pair.b, static_cast<float>(weight)});
          }
        }
      })) {
    return false;
  }
  for (auto& part : links) run.links.insert(run.links.end(), part.begin(), part.end());
  return true;
}

// Score: postings → person keys → pairs → every field.
bool ScoreStep(DedupRun& run) {
  KindCountsPerThread counts(run.threads);
  std::vector<uint32_t> keys_per_person(run.persons, 0);
  if (!SortPostings(run, &keys_per_person, &counts)) return false;
  PersonKeys person_keys;
  if (!IndexPersonKeys(run, std::move(keys_per_person), &person_keys)) return false;
  std::vector<PersonPair> pairs;
  if (!PairPostings(run, person_keys, &counts, &pairs)) return false;
  person_keys = PersonKeys();
  for (const auto& thread_counts : counts) {
    for (size_t kind = 0; kind < kDedupKeyKindCount; ++kind) {
      DedupSummary::KindCounts& total = run.summary.kinds[kind];
      total.keys += thread_counts[kind].keys;
      total.keys_over_cap += thread_counts[kind].keys_over_cap;
      total.persons_over_cap += thread_counts[kind].persons_over_cap;
      total.pairs += thread_counts[kind].pairs;
      run.summary.candidate_pairs += thread_counts[kind].pairs;
    }
  }
  run.summary.scored_pairs = pairs.size();
  return ScoreSurvivors(run, pairs);
}

// The components of the match graph small enough to score whole get every inner pair scored:
// the clustering then sees the pairs inside a chain that the blocking never put together.
bool CompleteSmallComponents(DedupRun& run) {
  const double match_threshold = run.model.match_threshold();
  UnionFind components(run.persons);
  for (const ScoredLink& link : run.links) {
    if (link.weight >= match_threshold) components.Union(link.a, link.b);
  }
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> members;
  absl::flat_hash_set<uint32_t> seen;
  for (const ScoredLink& link : run.links) {
    for (uint32_t person : {link.a, link.b}) {
      const uint32_t size = components.SetSize(person);
      if (size < 3 || size > kCompleteScoringMaxSize) continue;
      if (seen.insert(person).second) members[components.Find(person)].push_back(person);
    }
  }
  std::vector<std::vector<uint32_t>> completed;
  completed.reserve(members.size());
  for (auto& [root, list] : members) {
    std::sort(list.begin(), list.end());
    completed.push_back(std::move(list));
  }
  std::sort(completed.begin(), completed.end());
  members.clear();

  std::vector<std::vector<ScoredLink>> inner(run.threads);
  const FrequencyTables* frequencies = &run.registry.frequencies();
  const TrustworthyNiks niks(run.model);
  if (!ParallelFor(
          run.threads, completed.size(), run.control, "components", [&](size_t thread, size_t c) {
            MatchRecordBuilder builder(run.registry.names(), run.registry.addresses());
            const std::vector<uint32_t>& list = completed[c];
            std::vector<MatchRecord> records(list.size());
            for (size_t i = 0; i < list.size(); ++i) {
              BuildFullRecord(run.store, PersonId(list[i]), builder, &records[i]);
            }
            for (size_t i = 0; i < list.size(); ++i) {
              for (size_t j = i + 1; j < list.size(); ++j) {
                ComparisonVector comparison = Compare(run.model.spec(), records[i], records[j]);
                niks.Adjust(run.facts[list[i]], run.facts[list[j]], &comparison);
                const double weight =
                    run.model.MatchWeight(comparison, records[i], records[j], frequencies);
                inner[thread].push_back({list[i], list[j], static_cast<float>(weight)});
              }
            }
          })) {
    return false;
  }
  // The completed components' links are replaced by their complete set.
  std::erase_if(run.links, [&](const ScoredLink& link) {
    return seen.contains(link.a) && components.Find(link.a) == components.Find(link.b);
  });
  for (auto& part : inner) {
    run.summary.completion_pairs += part.size();
    run.links.insert(run.links.end(), part.begin(), part.end());
  }
  return true;
}

std::string ProbabilityText(double probability) { return absl::StrFormat("%.4f", probability); }

// The row of one person in the results, as both formats write it.
struct ResultRow {
  uint32_t person = 0;
  uint32_t cluster = 0;
  std::string evidence;
  uint32_t partner = kNoLink;
  double link_weight = 0;
};

class ResultWriter {
 public:
  static constexpr std::array<std::string_view, 15> kColumns = {
      "id_art",         "id_keluarga",       "cluster_id",   "cluster_size",
      "representative", "is_representative", "confidence",   "nik",
      "nama",           "tanggal_lahir",     "kode_wilayah", "linked_to",
      "link_weight",    "link_probability",  "evidence"};

  static absl::StatusOr<std::unique_ptr<ResultWriter>> Open(const std::string& path) {
    std::unique_ptr<ResultWriter> writer(new ResultWriter());
    writer->ndjson_ = IsNdjsonPath(path);
    PADAN_ASSIGN_OR_RETURN(writer->file_, CsvWriter::Open(path));
    if (!writer->ndjson_) {
      for (std::string_view column : kColumns) writer->file_->Field(column);
      PADAN_RETURN_IF_ERROR(writer->file_->EndRow());
    }
    return writer;
  }

  // One line for `row`, without its line end.
  std::string Format(const DedupRun& run, const Clustering& clustering,
                     const ResultRow& row) const {
    const RecordStore& store = run.store;
    const PersonId id(row.person);
    const Person person = store.GetPerson(id);
    const uint32_t representative = clustering.representative[row.cluster];
    const std::string cluster_id = absl::StrFormat("%d", row.cluster + 1);
    const std::string kode = absl::StrFormat("%d", store.kode_wilayah(store.household_of(id)));
    const bool has_link = row.partner != kNoLink;
    const std::string_view partner = has_link ? store.id_art(PersonId(row.partner)) : "";
    if (ndjson_) {
      JsonWriter json;
      json.BeginObject()
          .Member("id_art", person.id_art)
          .Member("id_keluarga", person.id_keluarga)
          .Member("cluster_id", cluster_id)
          .Member("cluster_size", uint64_t{clustering.size[row.cluster]})
          .Member("representative", store.id_art(PersonId(representative)))
          .Member("is_representative", representative == row.person)
          .Member("confidence", clustering.confidence[row.cluster])
          .Member("nik", person.nik)
          .Member("nama", person.nama)
          .Member("tanggal_lahir", person.tanggal_lahir.ToString())
          .Member("kode_wilayah", kode);
      if (has_link) {
        json.Member("linked_to", partner)
            .Member("link_weight", row.link_weight)
            .Member("link_probability", FellegiSunterModel::ProbabilityFromWeight(row.link_weight))
            .Member("evidence", row.evidence);
      }
      json.EndObject();
      return json.Release();
    }
    std::string line;
    auto field = [&](std::string_view value) {
      line.push_back(',');
      AppendCsvField(value, &line);
    };
    line.reserve(256);
    AppendCsvField(person.id_art, &line);
    // Named: a view of a temporary in the loop's list below would dangle once the list is made.
    const std::string cluster_size = absl::StrFormat("%d", clustering.size[row.cluster]);
    for (std::string_view value : {std::string_view(person.id_keluarga),
                                   std::string_view(cluster_id), std::string_view(cluster_size)}) {
      field(value);
    }
    field(store.id_art(PersonId(representative)));
    field(representative == row.person ? "1" : "0");
    field(ProbabilityText(clustering.confidence[row.cluster]));
    field(person.nik);
    field(person.nama);
    field(person.tanggal_lahir.ToString());
    field(kode);
    field(partner);
    field(has_link ? absl::StrFormat("%.2f", row.link_weight) : "");
    field(has_link ? ProbabilityText(FellegiSunterModel::ProbabilityFromWeight(row.link_weight))
                   : "");
    field(row.evidence);
    return line;
  }

  absl::Status Write(std::string_view line) { return file_->RawLine(line); }
  absl::Status Close() { return file_->Close(); }

 private:
  ResultWriter() = default;
  bool ndjson_ = false;
  std::unique_ptr<CsvWriter> file_;
};

// Household duplicates: two households are duplicates of each other when the persons they
// share (members of one cluster found in both) are at least half the members of the smaller.
absl::Status WriteHouseholds(DedupRun& run, const std::vector<uint32_t>& rows_by_cluster,
                             const std::vector<uint32_t>& cluster_starts, CsvWriter* file) {
  const RecordStore& store = run.store;
  // (household a, household b) with a < b → clusters shared.
  absl::flat_hash_map<uint64_t, uint32_t> shared;
  std::vector<uint32_t> households;
  for (size_t c = 0; c + 1 < cluster_starts.size(); ++c) {
    if (cluster_starts[c + 1] - cluster_starts[c] < 2) continue;
    households.clear();
    for (uint32_t i = cluster_starts[c]; i < cluster_starts[c + 1]; ++i) {
      households.push_back(store.household_of(PersonId(rows_by_cluster[i])).value);
    }
    std::sort(households.begin(), households.end());
    households.erase(std::unique(households.begin(), households.end()), households.end());
    for (size_t x = 0; x < households.size(); ++x) {
      for (size_t y = x + 1; y < households.size(); ++y) {
        ++shared[(uint64_t{households[x]} << 32) | households[y]];
      }
    }
  }
  std::vector<std::pair<uint64_t, uint32_t>> pairs(shared.begin(), shared.end());
  std::sort(pairs.begin(), pairs.end());

  const bool ndjson = IsNdjsonPath(run.summary.households_out);
  for (const auto& [key, count] : pairs) {
    const HouseholdId a(static_cast<uint32_t>(key >> 32));
    const HouseholdId b(static_cast<uint32_t>(key & 0xffffffffu));
    const size_t members_a = store.Members(a).size();
    const size_t members_b = store.Members(b).size();
    if (2 * size_t{count} < std::min(members_a, members_b)) continue;
    ++run.summary.household_duplicates;
    if (file == nullptr) continue;
    const bool same_no_kk =
        store.no_kk_value(a) != 0 && store.no_kk_value(a) == store.no_kk_value(b);
    const std::string kode_a = absl::StrFormat("%d", store.kode_wilayah(a));
    const std::string kode_b = absl::StrFormat("%d", store.kode_wilayah(b));
    if (ndjson) {
      JsonWriter json;
      json.BeginObject()
          .Member("id_keluarga_a", store.id_keluarga(a))
          .Member("id_keluarga_b", store.id_keluarga(b))
          .Member("members_a", uint64_t{members_a})
          .Member("members_b", uint64_t{members_b})
          .Member("shared_persons", uint64_t{count})
          .Member("same_no_kk", same_no_kk)
          .Member("kode_wilayah_a", kode_a)
          .Member("kode_wilayah_b", kode_b)
          .EndObject();
      PADAN_RETURN_IF_ERROR(file->RawLine(json.str()));
      continue;
    }
    file->Field(store.id_keluarga(a));
    file->Field(store.id_keluarga(b));
    file->Field(static_cast<int64_t>(members_a));
    file->Field(static_cast<int64_t>(members_b));
    file->Field(static_cast<int64_t>(count));
    file->Field(same_no_kk ? "1" : "0");
    file->Field(kode_a);
    file->Field(kode_b);
    PADAN_RETURN_IF_ERROR(file->EndRow());
  }
  if (file != nullptr) PADAN_RETURN_IF_ERROR(file->Close());
  return absl::OkStatus();
}

// The result files, opened before the work so that a bad path fails at once.
struct OutputFiles {
  std::unique_ptr<ResultWriter> persons;
  std::unique_ptr<CsvWriter> households;
};

absl::StatusOr<OutputFiles> OpenOutputs(const DedupOptions& options,
                                        const std::string& households_path) {
  OutputFiles files;
  if (options.out.empty()) return files;
  if (!options.out.ends_with(".csv") && !IsNdjsonPath(options.out)) {
    return absl::InvalidArgumentError(
        StrCat("output file ", options.out, " must end in .csv, .ndjson or .jsonl"));
  }
  PADAN_ASSIGN_OR_RETURN(files.persons, ResultWriter::Open(options.out));
  PADAN_ASSIGN_OR_RETURN(files.households, CsvWriter::Open(households_path));
  if (!IsNdjsonPath(households_path)) {
    PADAN_RETURN_IF_ERROR(files.households->Row({"id_keluarga_a", "id_keluarga_b", "members_a",
                                                 "members_b", "shared_persons", "same_no_kk",
                                                 "kode_wilayah_a", "kode_wilayah_b"}));
  }
  return files;
}

absl::Status OutputStep(DedupRun& run, const Clustering& clustering, OutputFiles& files) {
  // Persons grouped by cluster, clusters in order.
  const size_t cluster_count = clustering.size.size();
  std::vector<uint32_t> cluster_starts(cluster_count + 1, 0);
  for (size_t i = 0; i < run.persons; ++i) {
    if (run.taking_part[i]) ++cluster_starts[clustering.cluster_of[i] + 1];
  }
  for (size_t c = 0; c < cluster_count; ++c) cluster_starts[c + 1] += cluster_starts[c];
  std::vector<uint32_t> rows_by_cluster(cluster_starts[cluster_count]);
  {
    std::vector<uint32_t> cursor(cluster_starts.begin(), cluster_starts.end() - 1);
    for (size_t i = 0; i < run.persons; ++i) {
      if (run.taking_part[i])
        rows_by_cluster[cursor[clustering.cluster_of[i]]++] = static_cast<uint32_t>(i);
    }
  }
  PADAN_RETURN_IF_ERROR(
      WriteHouseholds(run, rows_by_cluster, cluster_starts, files.households.get()));
  if (files.persons == nullptr) return absl::OkStatus();
  ResultWriter* writer = files.persons.get();

  std::vector<uint32_t> written;
  for (size_t c = 0; c < cluster_count; ++c) {
    const uint32_t size = cluster_starts[c + 1] - cluster_starts[c];
    if (size == 0 || (size == 1 && !run.options.all_records)) continue;
    for (uint32_t i = cluster_starts[c]; i < cluster_starts[c + 1]; ++i) {
      written.push_back(rows_by_cluster[i]);
    }
  }
  const FrequencyTables* frequencies = &run.registry.frequencies();
  const TrustworthyNiks niks(run.model);
  // Rows are formatted in parallel, a chunk at a time, and written in order.
  const size_t batch_chunks = run.threads * 4;
  const size_t chunks = (written.size() + kRowChunk - 1) / kRowChunk;
  std::vector<std::vector<std::string>> lines(batch_chunks);
  for (size_t first = 0; first < chunks; first += batch_chunks) {
    const size_t count = std::min(batch_chunks, chunks - first);
    BatchControl quiet;
    quiet.cancel = run.control.cancel;
    if (!ParallelFor(run.threads, count, quiet, "output", [&](size_t, size_t k) {
          MatchRecordBuilder builder(run.registry.names(), run.registry.addresses());
          MatchRecord record;
          MatchRecord partner;
          std::vector<std::string>& out = lines[k];
          out.clear();
          const size_t begin = (first + k) * kRowChunk;
          const size_t end = std::min(written.size(), begin + kRowChunk);
          for (size_t i = begin; i < end; ++i) {
            ResultRow row;
            row.person = written[i];
            row.cluster = clustering.cluster_of[row.person];
            const uint32_t link = clustering.strongest_link[row.person];
            if (link != kNoLink) {
              const ScoredLink& strongest = run.links[link];
              row.partner = strongest.a == row.person ? strongest.b : strongest.a;
              BuildFullRecord(run.store, PersonId(row.person), builder, &record);
              BuildFullRecord(run.store, PersonId(row.partner), builder, &partner);
              ScoredPair score = run.model.Score(record, partner, frequencies);
              niks.Adjust(run.model, run.facts[row.person], run.facts[row.partner], &score);
              row.link_weight = score.match_weight;
              row.evidence = ExplanationText(score);
            }
            out.push_back(writer->Format(run, clustering, row));
          }
        })) {
      return absl::CancelledError("dedup cancelled");
    }
    for (size_t k = 0; k < count; ++k) {
      for (const std::string& line : lines[k]) PADAN_RETURN_IF_ERROR(writer->Write(line));
    }
    run.control.Report("output", first + count, chunks);
  }
  return writer->Close();
}

}  // namespace

std::string_view DedupKeyKindName(size_t kind) {
  if (kind == kDedupNikKind) return "nik";
  if (kind == kDedupTokenDayKind) return "token_day";
  if (kind == kDedupDayRegionKind) return "day_region";
  return BlockingKeyKindName(static_cast<BlockingKeyKind>(kind));
}

std::array<uint32_t, kDedupKeyKindCount> DefaultDedupBlockSizes() {
  std::array<uint32_t, kDedupKeyKindCount> sizes{};
  sizes[static_cast<size_t>(BlockingKeyKind::kTokenYear)] = 200;
  sizes[static_cast<size_t>(BlockingKeyKind::kToken)] = 200;
  sizes[static_cast<size_t>(BlockingKeyKind::kNameSound)] = 200;
  sizes[static_cast<size_t>(BlockingKeyKind::kDobRegion)] = 200;
  sizes[static_cast<size_t>(BlockingKeyKind::kDobInitial)] = 200;
  sizes[static_cast<size_t>(BlockingKeyKind::kTokenDob)] = 200;
  sizes[kDedupNikKind] = 200;
  sizes[kDedupTokenDayKind] = 200;
  sizes[kDedupDayRegionKind] = 200;
  return sizes;
}

std::string HouseholdsPath(const std::string& out) {
  const size_t slash = out.find_last_of('/');
  const size_t dot = out.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
    return out + ".households";
  }
  return out.substr(0, dot) + ".households" + out.substr(dot);
}

absl::StatusOr<DedupSummary> Deduplicate(const Registry& registry, const FellegiSunterModel& model,
                                         const DedupOptions& options, const BatchControl& control) {
  DedupRun run{registry, registry.store(), model, options, control};
  run.threads = options.threads != 0 ? options.threads
                                     : std::max<size_t>(1, std::thread::hardware_concurrency());
  run.persons = run.store.person_count();
  run.summary.threads = run.threads;
  run.summary.out = options.out;
  if (!options.out.empty()) run.summary.households_out = HouseholdsPath(options.out);

  std::vector<uint32_t> truth;
  if (!options.truth.empty()) {
    PADAN_ASSIGN_OR_RETURN(truth, ReadTruth(options.truth, run.store));
  }
  PADAN_ASSIGN_OR_RETURN(OutputFiles files, OpenOutputs(options, run.summary.households_out));
  const absl::Status cancelled = absl::CancelledError("dedup cancelled");

  auto start = std::chrono::steady_clock::now();
  run.taking_part.assign(run.persons, 0);
  run.column_records.resize(run.persons);
  run.facts.resize(run.persons);
  if (!PartitionStep(run)) return cancelled;
  for (uint8_t part : run.taking_part) run.summary.persons += part;
  run.summary.keys_seconds = SecondsSince(start);

  start = std::chrono::steady_clock::now();
  if (!ScoreStep(run)) return cancelled;
  std::vector<MatchRecord>().swap(run.column_records);
  run.summary.pairs_seconds = SecondsSince(start);

  start = std::chrono::steady_clock::now();
  if (!CompleteSmallComponents(run)) return cancelled;
  ClusteringOptions clustering_options;
  clustering_options.match_threshold = model.match_threshold();
  clustering_options.possible_threshold = model.possible_threshold();
  control.Report("clusters", 0, 1);
  const Clustering clustering =
      ClusterRecords(run.persons, run.links, run.facts, clustering_options);
  control.Report("clusters", 1, 1);
  for (const ScoredLink& link : run.links) {
    if (link.weight >= model.match_threshold()) ++run.summary.match_links;
  }
  run.summary.refused_joins = clustering.refused_joins;
  run.summary.components_split = clustering.components_split;
  std::vector<uint32_t> labels(run.persons, kUnknownTruth);
  for (size_t i = 0; i < run.persons; ++i) {
    if (run.taking_part[i]) labels[i] = clustering.cluster_of[i];
  }
  run.summary.cluster_sizes = ClusterSizeHistogram(labels, kClusterSizeBuckets);
  for (size_t s = 2; s < run.summary.cluster_sizes.size(); ++s) {
    run.summary.clusters += run.summary.cluster_sizes[s];
  }
  run.summary.clustered_persons = run.summary.persons - run.summary.cluster_sizes[1];
  if (!truth.empty()) {
    for (size_t i = 0; i < run.persons; ++i) {
      if (!run.taking_part[i]) {
        truth[i] = kUnknownTruth;
      } else if (truth[i] == kUnknownTruth) {
        ++run.summary.persons_without_truth;
      }
    }
    run.summary.evaluated = true;
    run.summary.evaluation = EvaluateClusters(labels, truth);
    run.summary.truth_cluster_sizes = ClusterSizeHistogram(truth, kClusterSizeBuckets);
  }
  run.summary.cluster_seconds = SecondsSince(start);

  start = std::chrono::steady_clock::now();
  PADAN_RETURN_IF_ERROR(OutputStep(run, clustering, files));
  run.summary.output_seconds = SecondsSince(start);
  return run.summary;
}

}  // namespace padan
