// Registry: the serving state of padan — the record store and every in-memory index over it
// (NIK, No KK, blocking keys, name-token frequencies, normalised names), changed only as a whole: a
// household upsert or delete updates all of them at once. The Database makes it durable.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

#include "data/record.h"
#include "data/region_table.h"
#include "index/blocking_index.h"
#include "index/database.h"
#include "index/match_name_cache.h"
#include "index/number_index.h"
#include "index/record_store.h"
#include "matching/address_normalizer.h"
#include "matching/match_record.h"
#include "matching/match_record_builder.h"
#include "matching/name_normalizer.h"
#include "matching/term_frequencies.h"

namespace padan {

// Receives the changes the registry applies, in order, e.g. to feed the text index.
// Called under the Database's exclusive lock: keep it quick (enqueue, don't index).
class RegistryListener {
 public:
  virtual ~RegistryListener() = default;
  virtual void OnPersonsAdded(const RecordStore& store, absl::Span<const PersonId> ids) = 0;
  virtual void OnPersonsRemoved(const RecordStore& store, absl::Span<const PersonId> ids) = 0;
};

// Not thread-safe by itself: the Database serialises Apply/Load and holds its shared lock for
// readers. Reads (const methods) may run concurrently with each other.
class Registry : public DurableState {
 public:
  // The normalisers must outlive the registry.
  Registry(const NameNormalizer& names, const AddressNormalizer& addresses);
  ~Registry() override;

  // Bulk loading (import, tests): Add rows like RecordStore::Add, then FinishBulkLoad builds
  // every index. Queries are only valid after FinishBulkLoad.
  absl::Status Add(const Household& household, const Person& person);
  // Sizes the store's id maps for a bulk load of about this many records.
  void Reserve(size_t persons, size_t households) { store_->Reserve(persons, households); }
  absl::Status FinishBulkLoad();

  // DurableState.
  std::unique_ptr<Pending> NewPending() const override;
  absl::Status Validate(absl::Span<const Mutation> mutations, Pending* pending) const override;
  absl::Status Apply(const Mutation& mutation) override;
  // Writes the store's sections and the indexes' ("registry.*": the blocking index, the name
  // frequencies, then "registry.indexes" saying they are complete), so that Load need not
  // normalise every name again.
  absl::Status Save(SnapshotWriter& writer) const override;
  // Loads the store and, on a second thread meanwhile, checks the persisted indexes; then
  // rebuilds the NIK and No KK indexes from the store (they hold nothing of their own), one
  // thread each. Every index is rebuilt as FinishBulkLoad does when the snapshot has no index
  // sections (an older snapshot), sections of a version this build does not read, caps other
  // than this build's, or keys that no longer match this build's normaliser (checked on a
  // sample of persons). kDataLoss naming the section for content that does not decode.
  absl::Status Load(SnapshotReader& reader) override;
  // Whether the last Load rebuilt the indexes instead of reading them (start-up reports).
  bool last_load_rebuilt() const { return last_load_.rebuilt; }
  // Where the last Load's time went, in wall seconds (start-up reports, benchmarks).
  struct LoadReport {
    bool rebuilt = false;
    double store_seconds = 0;     // RecordStore::Load: decoding the records, the id maps
    double blocking_seconds = 0;  // checking the blocking index and frequencies, beside it
    double numbers_seconds = 0;   // rebuilding the NIK and No KK indexes, one thread each
    double rest_seconds = 0;      // the key check; or the whole rebuild
  };
  const LoadReport& last_load() const { return last_load_; }

  void set_listener(RegistryListener* listener) { listener_ = listener; }

  const RecordStore& store() const { return *store_; }
  const NikIndex& nik_index() const { return *nik_index_; }
  const NoKkIndex& no_kk_index() const { return *no_kk_index_; }
  const BlockingIndex& blocking_index() const { return blocking_index_; }
  const FrequencyTables& frequencies() const { return frequencies_; }
  // Every live person's name, normalised (kept with the other indexes, and in the snapshot).
  const MatchNameCache& name_cache() const { return *name_cache_; }
  const NameNormalizer& names() const { return names_; }
  const AddressNormalizer& addresses() const { return addresses_; }

  // The fields the store's columns hold ready — name, birth date, sex, NIK, No KK, region —
  // without the texts that cost a decode (mother's name, birthplace, address): what bulk
  // indexing and Match's first scoring stage read.
  static MatchFields ColumnFields(const RecordStore& store, PersonId id);
  // The person as the matcher sees them: the name from the name cache, the other texts
  // normalised on the fly.
  MatchRecord BuildMatchRecord(PersonId id) const;
  // The same into `*out`, reusing its buffers and `builder`'s scratch (one per thread).
  void BuildMatchRecord(PersonId id, MatchRecordBuilder& builder, MatchRecord* out) const;

  struct MemoryBreakdown {
    size_t store = 0;
    size_t nik_index = 0;
    size_t no_kk_index = 0;
    size_t blocking_index = 0;
    size_t frequencies = 0;
    size_t name_cache = 0;
    size_t total() const {
      return store + nik_index + no_kk_index + blocking_index + frequencies + name_cache;
    }
  };
  MemoryBreakdown Memory() const;

 private:
  void IndexPerson(PersonId id, const MatchRecord& record);
  void UnindexPerson(PersonId id);
  void ResetIndexes();
  // Fill the (empty) NIK and No KK indexes from the store's live records.
  void BuildNikIndex();
  void BuildNoKkIndex();
  // Load in parts: ReadIndexes copies the persisted indexes' sections out (nullopt when they
  // must be rebuilt instead: another version, other caps); CheckIndexes checks and decodes
  // them, needing no reader, on a thread of its own while the store loads.
  struct PersistedIndexes;
  absl::StatusOr<std::optional<PersistedIndexes>> ReadIndexes(SnapshotReader& reader);
  static absl::Status CheckIndexes(PersistedIndexes* persisted);
  // Whether a sample of persons' keys, derived now, are in the loaded blocking index.
  bool PersistedKeysCurrent() const;

  const NameNormalizer& names_;
  const AddressNormalizer& addresses_;
  std::unique_ptr<RecordStore> store_;
  std::unique_ptr<NikIndex> nik_index_;
  std::unique_ptr<NoKkIndex> no_kk_index_;
  BlockingIndex blocking_index_;
  FrequencyTables frequencies_;
  std::unique_ptr<MatchNameCache> name_cache_;
  RegistryListener* listener_ = nullptr;
  bool bulk_loaded_ = false;
  LoadReport last_load_;
};

}  // namespace padan
