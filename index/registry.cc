#include "index/registry.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"

#include "data/absl_strings.h"
#include "data/status_macros.h"
#include "index/blocking_keys.h"
#include "matching/match_record_builder.h"

namespace padan {
namespace {

// Records sampled to estimate the mean name probability of the term-frequency adjustment:
// plenty for a mean, and a fixed cost however large the registry.
constexpr size_t kFrequencySample = 100'000;
// Most threads a bulk build or a snapshot load uses: DESIGN.md §7's machine has two cores; more
// would help a larger one up to the point where the sort and the merge dominate.
constexpr unsigned kMaxThreads = 8;
// Persons whose keys Load derives afresh to check that the persisted indexes still match this
// build's normaliser and blocking keys (tables and code change between releases; a version
// number would be forgotten): a few milliseconds.
constexpr size_t kLoadCheckPersons = 256;
// Blocking keys per person, about: reserves the bulk build's entries.
constexpr size_t kKeysPerPersonEstimate = 10;

// Snapshot sections of the registry's indexes, after the store's "store.*" sections. A
// snapshot without them (format 1, records only) is loaded by rebuilding every index.
constexpr std::string_view kIndexesSection = "registry.indexes";
constexpr std::string_view kBlockingSection = "registry.blocking";
constexpr std::string_view kNamaFrequenciesSection = "registry.frequencies.nama";
constexpr std::string_view kIbuFrequenciesSection = "registry.frequencies.nama_ibu_kandung";
constexpr std::string_view kNameCacheSection = "registry.names";
// "registry.indexes" format: u32 version, u64 persons, u64 households (the store's, as saved).
// Bump when what the sections hold changes meaning; a snapshot of another version rebuilds.
// Version 2 added the name cache.
constexpr uint32_t kIndexesVersion = 2;
// Marks a person of a bulk-build part that is not live (it gets no name cache entry).
constexpr uint32_t kNoEntry = UINT32_MAX;

// Wall seconds on a steady clock, for LoadReport.
double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

unsigned BuildThreads() { return std::clamp(std::thread::hardware_concurrency(), 1u, kMaxThreads); }

// The record as the indexes see it: the name normalised, the other indexed fields copied.
// Reuses `record`'s buffers.
void IndexRecord(const RecordStore& store, PersonId id, MatchRecordBuilder& builder,
                 MatchRecord* record) {
  MatchFields fields = Registry::ColumnFields(store, id);
  builder.BuildName(fields.nama, &record->nama);
  record->tanggal_lahir = fields.tanggal_lahir;
  record->jenis_kelamin = fields.jenis_kelamin;
  record->nik = fields.nik;
  record->no_kk = fields.no_kk;
  record->kode_wilayah = fields.kode_wilayah;
}

}  // namespace

Registry::Registry(const NameNormalizer& names, const AddressNormalizer& addresses)
    : names_(names), addresses_(addresses), store_(std::make_unique<RecordStore>()) {
  ResetIndexes();
}

Registry::~Registry() = default;

void Registry::ResetIndexes() {
  nik_index_ = std::make_unique<NikIndex>(store_.get());
  no_kk_index_ = std::make_unique<NoKkIndex>(store_.get());
  blocking_index_ = BlockingIndex();
  frequencies_ = FrequencyTables();
  name_cache_ = std::make_unique<MatchNameCache>();
}

absl::Status Registry::Add(const Household& household, const Person& person) {
  if (bulk_loaded_) {
    return absl::FailedPreconditionError("bulk loading is over; write through the database");
  }
  return store_->Add(household, person).status();
}

void Registry::BuildNikIndex() {
  std::vector<PersonId> ids;
  ids.reserve(store_->live_person_count());
  store_->ForEachLivePerson([&](PersonId id) {
    if (store_->nik_value(id) != 0) ids.push_back(id);
  });
  nik_index_->AddAll(ids);
}

void Registry::BuildNoKkIndex() {
  std::vector<HouseholdId> ids;
  ids.reserve(store_->live_household_count());
  for (uint32_t h = 0; h < store_->household_count(); ++h) {
    const HouseholdId household(h);
    if (store_->is_live(household) && store_->no_kk_value(household) != 0) ids.push_back(household);
  }
  no_kk_index_->AddAll(ids);
}

absl::Status Registry::FinishBulkLoad() {
  ResetIndexes();
  // Normalising every name is most of the work: the persons are split into one id range per
  // thread, each with its own builder, entries and counts, merged afterwards. A person's keys
  // do not depend on the split, so neither does the index.
  const size_t persons = store_->person_count();
  const unsigned threads = BuildThreads();
  // Every stride-th id is sampled for the mean name probability: the same sample whatever the
  // number of threads.
  const size_t stride = std::max<size_t>(1, persons / kFrequencySample);
  struct Part {
    std::vector<std::pair<BlockingKey, uint32_t>> entries;
    TermFrequencies nama;
    std::vector<MatchName> sample;
    // The part's names in a dictionary of its own, merged into the registry's afterwards.
    std::unique_ptr<MatchNameCache> names = std::make_unique<MatchNameCache>();
    std::vector<uint32_t> name_entries;  // per person of the part: entry in `names`, or kNoEntry
  };
  std::vector<Part> parts(threads);
  auto build = [&](unsigned t) {
    Part& part = parts[t];
    const size_t first = persons * t / threads;
    const size_t last = persons * (t + 1) / threads;
    part.entries.reserve((last - first) * kKeysPerPersonEstimate);
    part.name_entries.assign(last - first, kNoEntry);
    MatchRecordBuilder builder(names_, addresses_);
    MatchRecord record;
    BlockingKeys keys;
    for (size_t i = first; i < last; ++i) {
      const PersonId id(static_cast<uint32_t>(i));
      if (!store_->is_live(id)) continue;
      IndexRecord(*store_, id, builder, &record);
      part.name_entries[i - first] = part.names->Intern(record.nama);
      if (!record.nama.empty()) {
        part.nama.Add(record.nama);
        if (i % stride == 0) part.sample.push_back(record.nama);
      }
      BlockingKeysOf(record, &keys);
      for (BlockingKey key : keys) part.entries.emplace_back(key, id.value);
    }
  };
  {
    // std::jthread joins when destroyed: no early return leaves a thread running.
    std::vector<std::jthread> workers;
    for (unsigned t = 1; t < threads; ++t) workers.emplace_back([&build, t] { build(t); });
    build(0);
  }

  std::vector<std::pair<BlockingKey, uint32_t>> entries = std::move(parts[0].entries);
  size_t total = entries.size();
  for (unsigned t = 1; t < threads; ++t) total += parts[t].entries.size();
  entries.reserve(total);
  for (unsigned t = 0; t < threads; ++t) {
    if (t > 0) {
      entries.insert(entries.end(), parts[t].entries.begin(), parts[t].entries.end());
      std::vector<std::pair<BlockingKey, uint32_t>>().swap(parts[t].entries);
    }
    frequencies_.nama.Merge(parts[t].nama);
  }
  {
    // The exact-number indexes need no normalising: they fill while the blocking index sorts,
    // and so do the parts' name dictionaries merge (in part order: the same whatever the timing).
    std::jthread numbers([this] {
      BuildNikIndex();
      BuildNoKkIndex();
    });
    std::jthread names([this, &parts, persons, threads] {
      name_cache_->Reserve(persons);
      for (unsigned t = 0; t < threads; ++t) {
        Part& part = parts[t];
        std::vector<uint32_t> renumber(part.names->entry_count());
        for (uint32_t e = 0; e < renumber.size(); ++e) {
          renumber[e] = name_cache_->InternEncoded(part.names->EntryBytes(e));
        }
        const size_t first = persons * t / threads;
        for (size_t i = 0; i < part.name_entries.size(); ++i) {
          if (part.name_entries[i] == kNoEntry) continue;
          name_cache_->SetEntry(PersonId(static_cast<uint32_t>(first + i)),
                                renumber[part.name_entries[i]]);
        }
        part.names.reset();
        std::vector<uint32_t>().swap(part.name_entries);
      }
    });
    blocking_index_.Build(std::move(entries));
  }
  double sum = 0;
  size_t named = 0;
  for (const Part& part : parts) {
    for (const MatchName& name : part.sample) {
      sum += frequencies_.nama.NameProbability(name);
      ++named;
    }
  }
  if (named > 0) frequencies_.nama.set_mean_name_probability(sum / static_cast<double>(named));
  bulk_loaded_ = true;
  return absl::OkStatus();
}

void Registry::IndexPerson(PersonId id, const MatchRecord& record) {
  name_cache_->Set(id, record.nama);
  if (record.nik != 0) nik_index_->Add(id);
  if (!record.nama.empty()) frequencies_.nama.Add(record.nama);
  BlockingKeys keys;
  BlockingKeysOf(record, &keys);
  blocking_index_.Add(id, keys);
}

void Registry::UnindexPerson(PersonId id) {
  // Blocking postings of removed records stay until the next bulk build; queries skip them
  // (RecordStore::is_live), which costs less than rewriting posting lists on every write.
  if (store_->nik_value(id) != 0) nik_index_->Remove(id);
  MatchName name;
  if (name_cache_->Has(id)) {
    name_cache_->Get(id, &name);
  } else {
    MatchRecordBuilder(names_, addresses_).BuildName(store_->nama(id), &name);
  }
  if (!name.empty()) frequencies_.nama.Remove(name);
}

namespace {

// What the earlier batches of a commit group append to the store.
struct StoreGrowth : DurableState::Pending {
  size_t households = 0;
  size_t persons = 0;
};

}  // namespace

std::unique_ptr<DurableState::Pending> Registry::NewPending() const {
  return std::make_unique<StoreGrowth>();
}

absl::Status Registry::Validate(absl::Span<const Mutation> mutations, Pending* pending) const {
  // The store only grows: every upsert appends its household and members (an old version is
  // tombstoned, not reused), so what fits depends on the upserts before this one.
  StoreGrowth growth;
  if (pending != nullptr) growth = static_cast<const StoreGrowth&>(*pending);
  // Whether each household the batch has written so far is live after it.
  absl::flat_hash_map<absl::string_view, bool> live_after;
  for (const Mutation& mutation : mutations) {
    const std::string& id = mutation.target();
    switch (mutation.kind) {
      case Mutation::Kind::kUpsertHousehold:
        for (const Person& member : mutation.members) {
          if (!member.id_keluarga.empty() && member.id_keluarga != id) {
            return absl::InvalidArgumentError(StrCat("members: id_art ", member.id_art,
                                                     " has id_keluarga ", member.id_keluarga,
                                                     ", not the household's ", id));
          }
        }
        PADAN_RETURN_IF_ERROR(store_->ValidateHousehold(mutation.household, mutation.members,
                                                        growth.households, growth.persons));
        ++growth.households;
        growth.persons += mutation.members.size();
        break;
      case Mutation::Kind::kDeleteHousehold: {
        auto written = live_after.find(ToAbsl(id));
        const bool live =
            written != live_after.end() ? written->second : store_->FindHousehold(id).has_value();
        if (!live) return absl::NotFoundError(StrCat("no household ", id));
        break;
      }
      default:
        return absl::InvalidArgumentError("unknown mutation kind");
    }
    live_after[ToAbsl(id)] = mutation.kind == Mutation::Kind::kUpsertHousehold;
  }
  if (pending != nullptr) static_cast<StoreGrowth&>(*pending) = growth;
  return absl::OkStatus();
}

absl::Status Registry::Apply(const Mutation& mutation) {
  absl::StatusOr<HouseholdChange> change =
      mutation.kind == Mutation::Kind::kUpsertHousehold
          ? store_->ReplaceHousehold(mutation.household, mutation.members)
          : store_->DeleteHousehold(mutation.id_keluarga);
  if (!change.ok()) return change.status();
  for (PersonId id : change->removed) UnindexPerson(id);
  if (change->removed_household.has_value() &&
      store_->no_kk_value(*change->removed_household) != 0) {
    no_kk_index_->Remove(*change->removed_household);
  }
  if (mutation.kind == Mutation::Kind::kUpsertHousehold) {
    if (store_->no_kk_value(change->household) != 0) no_kk_index_->Add(change->household);
    MatchRecordBuilder builder(names_, addresses_);
    MatchRecord record;
    for (PersonId id : change->added) {
      IndexRecord(*store_, id, builder, &record);
      IndexPerson(id, record);
    }
  }
  if (listener_ != nullptr) {
    if (!change->removed.empty()) listener_->OnPersonsRemoved(*store_, change->removed);
    if (!change->added.empty()) listener_->OnPersonsAdded(*store_, change->added);
  }
  return absl::OkStatus();
}

absl::Status Registry::Save(SnapshotWriter& writer) const {
  PADAN_RETURN_IF_ERROR(store_->Save(writer));
  // The store renumbers its live records densely in id order; the blocking index follows.
  std::vector<uint32_t> remap;
  if (store_->live_person_count() != store_->person_count()) {
    remap.assign(store_->person_count(), PersonId::kInvalidValue);
    uint32_t next = 0;
    store_->ForEachLivePerson([&](PersonId id) { remap[id.value] = next++; });
  }
  blocking_index_.Save(writer, kBlockingSection, remap);
  const std::string nama = frequencies_.nama.Serialize();
  writer.BeginSection(kNamaFrequenciesSection);
  writer.Append(nama.data(), nama.size());
  const std::string ibu = frequencies_.nama_ibu_kandung.Serialize();
  writer.BeginSection(kIbuFrequenciesSection);
  writer.Append(ibu.data(), ibu.size());
  name_cache_->Save(writer, kNameCacheSection, *store_);
  // Last, so that its presence says the sections before it were all written.
  writer.BeginSection(kIndexesSection);
  writer.AppendU32(kIndexesVersion);
  writer.AppendU64(store_->live_person_count());
  writer.AppendU64(store_->live_household_count());
  return absl::OkStatus();
}

// What Load reads of the persisted indexes before the store, to check on a second thread
// while the store decodes.
struct Registry::PersistedIndexes {
  uint64_t persons = 0;
  uint64_t households = 0;
  BlockingIndex blocking;
  std::string nama;  // TermFrequencies::Serialize bytes
  std::string nama_ibu_kandung;
  FrequencyTables frequencies;  // decoded by CheckIndexes
  MatchNameCache::Persisted names;
  std::unique_ptr<MatchNameCache> name_cache;  // decoded by CheckIndexes
};

absl::Status Registry::Load(SnapshotReader& reader) {
  last_load_ = LoadReport();
  // The persisted indexes' sections are copied out first, so that checking them (their bytes
  // are a third of the snapshot) runs on a second thread while this one decodes the store.
  std::optional<PersistedIndexes> persisted;
  if (reader.HasSection(kIndexesSection)) {
    PADAN_ASSIGN_OR_RETURN(persisted, ReadIndexes(reader));
  }
  absl::Status checked;
  absl::StatusOr<std::unique_ptr<RecordStore>> store;
  {
    std::jthread checker;
    if (persisted.has_value()) {
      checker = std::jthread([&] {
        const double start = Now();
        checked = CheckIndexes(&*persisted);
        last_load_.blocking_seconds = Now() - start;
      });
    }
    const double start = Now();
    store = RecordStore::Load(reader, RecordStore::LoadIds::kDeferPersonIds);
    last_load_.store_seconds = Now() - start;
  }
  if (!store.ok()) return store.status();
  store_ = *std::move(store);
  bulk_loaded_ = false;
  ResetIndexes();
  const double rest = Now();
  bool loaded = false;
  if (persisted.has_value()) {
    // A wrong count would make the checks of the other sections fail too: it is named first.
    if (persisted->persons != store_->person_count() ||
        persisted->households != store_->household_count()) {
      return absl::DataLossError(StrCat("snapshot section '", kIndexesSection, "' counts ",
                                        persisted->persons, " persons and ", persisted->households,
                                        " households; the store holds ", store_->person_count(),
                                        " and ", store_->household_count()));
    }
    PADAN_RETURN_IF_ERROR(checked);
    blocking_index_ = std::move(persisted->blocking);
    frequencies_ = std::move(persisted->frequencies);
    name_cache_ = std::move(persisted->name_cache);
    {
      // The exact-number indexes hold nothing of their own (hash sets of ids keyed by the
      // store's numbers): rebuilt without normalising anything, the NIK index on this thread
      // and the No KK index and the store's id_art map (about as long together) on another.
      const double start = Now();
      absl::Status person_ids;
      std::jthread other([&] {
        BuildNoKkIndex();
        person_ids = store_->IndexPersonIds();
      });
      BuildNikIndex();
      other.join();
      PADAN_RETURN_IF_ERROR(person_ids);
      last_load_.numbers_seconds = Now() - start;
    }
    loaded = PersistedKeysCurrent();
  }
  if (!persisted.has_value()) PADAN_RETURN_IF_ERROR(store_->IndexPersonIds());
  if (!loaded) {
    // A snapshot of records only (written before the indexes were persisted), of another
    // version, or whose keys this build derives differently: indexed anew.
    last_load_.rebuilt = true;
    PADAN_RETURN_IF_ERROR(FinishBulkLoad());
  }
  last_load_.rest_seconds = Now() - rest - last_load_.numbers_seconds;
  bulk_loaded_ = true;
  return absl::OkStatus();
}

absl::StatusOr<std::optional<Registry::PersistedIndexes>> Registry::ReadIndexes(
    SnapshotReader& reader) {
  PADAN_RETURN_IF_ERROR(reader.OpenSection(kIndexesSection));
  PADAN_ASSIGN_OR_RETURN(const uint32_t version, reader.ReadU32());
  if (version != kIndexesVersion) return std::nullopt;
  PersistedIndexes persisted;
  PADAN_ASSIGN_OR_RETURN(persisted.persons, reader.ReadU64());
  PADAN_ASSIGN_OR_RETURN(persisted.households, reader.ReadU64());
  if (persisted.persons > RecordStore::kMaxPersons) {
    return absl::DataLossError(
        StrCat("snapshot section '", kIndexesSection, "' counts ", persisted.persons, " persons"));
  }
  absl::StatusOr<BlockingIndex> blocking = BlockingIndex::Read(reader, kBlockingSection);
  if (blocking.status().code() == absl::StatusCode::kFailedPrecondition) return std::nullopt;
  if (!blocking.ok()) return blocking.status();
  // Postings stored under other caps would answer queries differently: rebuild.
  if (blocking->stored_limits().max_posting_per_kind !=
      DefaultBlockingLimits().max_posting_per_kind) {
    return std::nullopt;
  }
  persisted.blocking = *std::move(blocking);
  for (auto [section, bytes] : {std::pair{kNamaFrequenciesSection, &persisted.nama},
                                std::pair{kIbuFrequenciesSection, &persisted.nama_ibu_kandung}}) {
    PADAN_RETURN_IF_ERROR(reader.OpenSection(section));
    bytes->assign(reader.remaining(), '\0');
    PADAN_RETURN_IF_ERROR(reader.Read(bytes->data(), bytes->size()));
  }
  absl::StatusOr<MatchNameCache::Persisted> names = MatchNameCache::Read(reader, kNameCacheSection);
  if (names.status().code() == absl::StatusCode::kFailedPrecondition) return std::nullopt;
  if (!names.ok()) return names.status();
  persisted.names = *std::move(names);
  return persisted;
}

absl::Status Registry::CheckIndexes(PersistedIndexes* persisted) {
  PADAN_RETURN_IF_ERROR(
      persisted->blocking.Check(kBlockingSection, persisted->persons, /*threads=*/1));
  for (auto [section, bytes, table] :
       {std::tuple{kNamaFrequenciesSection, &persisted->nama, &persisted->frequencies.nama},
        std::tuple{kIbuFrequenciesSection, &persisted->nama_ibu_kandung,
                   &persisted->frequencies.nama_ibu_kandung}}) {
    absl::StatusOr<TermFrequencies> loaded = TermFrequencies::Deserialize(*bytes);
    if (!loaded.ok()) {
      return absl::DataLossError(
          StrCat("snapshot section '", section, "': ", loaded.status().message()));
    }
    *table = *std::move(loaded);
  }
  PADAN_ASSIGN_OR_RETURN(persisted->name_cache,
                         MatchNameCache::Check(persisted->names, kNameCacheSection,
                                               static_cast<size_t>(persisted->persons)));
  persisted->names = MatchNameCache::Persisted();
  return absl::OkStatus();
}

bool Registry::PersistedKeysCurrent() const {
  const size_t persons = store_->person_count();
  if (persons == 0) return true;
  const size_t stride = std::max<size_t>(1, persons / kLoadCheckPersons);
  const BlockingIndex::Limits& stored = blocking_index_.stored_limits();
  MatchRecordBuilder builder(names_, addresses_);
  MatchRecord record;
  MatchName cached;
  BlockingKeys keys;
  for (size_t i = 0; i < persons; i += stride) {
    const PersonId id(static_cast<uint32_t>(i));
    if (!store_->is_live(id)) continue;
    IndexRecord(*store_, id, builder, &record);
    if (!name_cache_->Has(id)) return false;
    name_cache_->Get(id, &cached);
    if (cached.canonical != record.nama.canonical ||
        cached.phonetic_sorted != record.nama.phonetic_sorted ||
        cached.low_information_mask != record.nama.low_information_mask ||
        cached.token_spans != record.nama.token_spans) {
      return false;
    }
    BlockingKeysOf(record, &keys);
    for (BlockingKey key : keys) {
      const size_t posting = blocking_index_.PostingSize(key);
      if (posting == 0) return false;
      if (posting > stored.max_posting_per_kind[static_cast<size_t>(KindOf(key))]) continue;
      bool found = false;
      blocking_index_.ForEachInPosting(key, [&](PersonId other) { found |= other == id; });
      if (!found) return false;
    }
  }
  return true;
}

MatchFields Registry::ColumnFields(const RecordStore& store, PersonId id) {
  MatchFields fields;
  fields.nama = store.nama(id);
  fields.tanggal_lahir = store.tanggal_lahir(id);
  fields.jenis_kelamin = store.jenis_kelamin(id);
  fields.nik = store.nik_value(id);
  const HouseholdId household = store.household_of(id);
  fields.no_kk = store.no_kk_value(household);
  fields.kode_wilayah = store.kode_wilayah(household);
  return fields;
}

MatchRecord Registry::BuildMatchRecord(PersonId id) const {
  MatchRecordBuilder builder(names_, addresses_);
  MatchRecord record;
  BuildMatchRecord(id, builder, &record);
  return record;
}

void Registry::BuildMatchRecord(PersonId id, MatchRecordBuilder& builder, MatchRecord* out) const {
  MatchFields fields = ColumnFields(*store_, id);
  fields.nama_ibu_kandung = store_->nama_ibu_kandung(id);
  fields.tempat_lahir = store_->tempat_lahir(id);
  fields.alamat = store_->alamat(store_->household_of(id));
  if (!name_cache_->Has(id)) {
    builder.Build(fields, out);
    return;
  }
  // The cached name is what Build would make of fields.nama: only the other texts are
  // normalised.
  fields.nama = {};
  builder.Build(fields, out);
  name_cache_->Get(id, &out->nama);
}

Registry::MemoryBreakdown Registry::Memory() const {
  MemoryBreakdown memory;
  memory.store = store_->MemoryUsage();
  memory.nik_index = nik_index_->MemoryUsage();
  memory.no_kk_index = no_kk_index_->MemoryUsage();
  memory.blocking_index = blocking_index_.MemoryUsage();
  memory.frequencies =
      frequencies_.nama.MemoryUsage() + frequencies_.nama_ibu_kandung.MemoryUsage();
  memory.name_cache = name_cache_->MemoryUsage();
  return memory;
}

}  // namespace padan
