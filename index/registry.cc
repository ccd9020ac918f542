#include "index/registry.h"

#include <algorithm>
#include <random>

#include "data/absl_strings.h"
#include "data/status_macros.h"
#include "index/blocking_keys.h"
#include "matching/match_record_builder.h"

namespace padan {
namespace {

// Records sampled to estimate the mean name probability of the term-frequency adjustment:
// plenty for a mean, and a fixed cost however large the registry.
constexpr size_t kFrequencySample = 100'000;

// The fields bulk indexing needs: the name (tokens, sounds), birth date, region, identifiers.
// The mother's name and the address are normalised only for the candidates a query scores.
MatchFields IndexFields(const RecordStore& store, PersonId id) {
  MatchFields fields;
  fields.nama = store.nama(id);
  fields.tanggal_lahir = store.tanggal_lahir(id);
  fields.jenis_kelamin = store.jenis_kelamin(id);
  fields.nik = store.nik_value(id);
  HouseholdId household = store.household_of(id);
  fields.no_kk = store.no_kk_value(household);
  fields.kode_wilayah = store.kode_wilayah(household);
  return fields;
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
}

absl::Status Registry::Add(const Household& household, const Person& person) {
  if (bulk_loaded_) {
    return absl::FailedPreconditionError("bulk loading is over; write through the database");
  }
  return store_->Add(household, person).status();
}

absl::Status Registry::FinishBulkLoad() {
  ResetIndexes();
  nik_index_->Reserve(store_->live_person_count());
  MatchRecordBuilder builder(names_, addresses_);
  MatchRecord record;
  std::vector<std::pair<uint64_t, uint32_t>> entries;
  entries.reserve(store_->live_person_count() * 8);
  BlockingKeys keys;
  HouseholdId last_household;
  std::vector<PersonId> sample;
  std::mt19937_64 rng(1);
  size_t seen = 0;
  store_->ForEachLivePerson([&](PersonId id) {
    MatchFields fields = IndexFields(*store_, id);
    builder.BuildName(fields.nama, &record.nama);
    record.tanggal_lahir = fields.tanggal_lahir;
    record.jenis_kelamin = fields.jenis_kelamin;
    record.nik = fields.nik;
    record.no_kk = fields.no_kk;
    record.kode_wilayah = fields.kode_wilayah;
    if (record.nik != 0) nik_index_->Add(id);
    HouseholdId household = store_->household_of(id);
    if (household != last_household) {
      if (store_->no_kk_value(household) != 0) no_kk_index_->Add(household);
      last_household = household;
    }
    if (!record.nama.empty()) frequencies_.nama.Add(record.nama);
    BlockingKeysOf(record, &keys);
    for (uint64_t key : keys) entries.emplace_back(key, id.value);
    // Reservoir sample for the mean name probability.
    ++seen;
    if (sample.size() < kFrequencySample) {
      sample.push_back(id);
    } else if (std::uniform_int_distribution<size_t>(0, seen - 1)(rng) < kFrequencySample) {
      sample[std::uniform_int_distribution<size_t>(0, kFrequencySample - 1)(rng)] = id;
    }
  });
  blocking_index_.Build(std::move(entries));
  double sum = 0;
  size_t named = 0;
  for (PersonId id : sample) {
    builder.BuildName(store_->nama(id), &record.nama);
    if (record.nama.empty()) continue;
    sum += frequencies_.nama.NameProbability(record.nama);
    ++named;
  }
  if (named > 0) frequencies_.nama.set_mean_name_probability(sum / static_cast<double>(named));
  bulk_loaded_ = true;
  return absl::OkStatus();
}

void Registry::IndexPerson(PersonId id, const MatchRecord& record) {
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
  MatchRecordBuilder builder(names_, addresses_);
  MatchName name;
  builder.BuildName(store_->nama(id), &name);
  if (!name.empty()) frequencies_.nama.Remove(name);
}

absl::Status Registry::Validate(const Mutation& mutation) const {
  switch (mutation.kind) {
    case Mutation::Kind::kUpsertHousehold:
      for (const Person& member : mutation.members) {
        if (!member.id_keluarga.empty() && member.id_keluarga != mutation.household.id_keluarga) {
          return absl::InvalidArgumentError(
              StrCat("members: id_art ", member.id_art, " has id_keluarga ", member.id_keluarga,
                     ", not the household's ", mutation.household.id_keluarga));
        }
      }
      return store_->ValidateHousehold(mutation.household, mutation.members);
    case Mutation::Kind::kDeleteHousehold:
      if (!store_->FindHousehold(mutation.id_keluarga).has_value()) {
        return absl::NotFoundError(StrCat("no household ", mutation.id_keluarga));
      }
      return absl::OkStatus();
  }
  return absl::InvalidArgumentError("unknown mutation kind");
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
      MatchFields fields = IndexFields(*store_, id);
      builder.BuildName(fields.nama, &record.nama);
      record.tanggal_lahir = fields.tanggal_lahir;
      record.jenis_kelamin = fields.jenis_kelamin;
      record.nik = fields.nik;
      record.no_kk = fields.no_kk;
      record.kode_wilayah = fields.kode_wilayah;
      IndexPerson(id, record);
    }
  }
  if (listener_ != nullptr) {
    if (!change->removed.empty()) listener_->OnPersonsRemoved(*store_, change->removed);
    if (!change->added.empty()) listener_->OnPersonsAdded(*store_, change->added);
  }
  return absl::OkStatus();
}

absl::Status Registry::Save(SnapshotWriter& writer) const { return store_->Save(writer); }

absl::Status Registry::Load(SnapshotReader& reader) {
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<RecordStore> store, RecordStore::Load(reader));
  store_ = std::move(store);
  bulk_loaded_ = false;
  return FinishBulkLoad();
}

MatchRecord Registry::BuildMatchRecord(PersonId id) const {
  MatchFields fields = IndexFields(*store_, id);
  fields.nama_ibu_kandung = store_->nama_ibu_kandung(id);
  fields.tempat_lahir = store_->tempat_lahir(id);
  Household household = store_->GetHousehold(store_->household_of(id));
  fields.alamat = household.alamat;
  MatchRecordBuilder builder(names_, addresses_);
  MatchRecord record;
  builder.Build(fields, &record);
  return record;
}

Registry::MemoryBreakdown Registry::Memory() const {
  MemoryBreakdown memory;
  memory.store = store_->MemoryUsage();
  memory.nik_index = nik_index_->MemoryUsage();
  memory.no_kk_index = no_kk_index_->MemoryUsage();
  memory.blocking_index = blocking_index_.MemoryUsage();
  memory.frequencies =
      frequencies_.nama.MemoryUsage() + frequencies_.nama_ibu_kandung.MemoryUsage();
  return memory;
}

}  // namespace padan
