#include "index/registry_training.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "index/mix64.h"

namespace padan {
namespace {

constexpr uint64_t kKecamatanDivisor = 10'000;  // a desa code is the kecamatan + 4 digits

}  // namespace

absl::StatusOr<TrainingReport> TrainOnRegistry(const Registry& registry,
                                               const TrainingOptions& options, size_t max_records,
                                               FellegiSunterModel* model) {
  const RecordStore& store = registry.store();
  const size_t live = store.live_person_count();
  // Of 2^16 hash buckets, the share that keeps about max_records persons.
  constexpr uint64_t kBuckets = 1 << 16;
  const uint64_t kept_buckets =
      live <= max_records
          ? kBuckets
          : std::max<uint64_t>(1, kBuckets * max_records / std::max<size_t>(live, 1));
  std::vector<MatchRecord> records;
  records.reserve(std::min(live, max_records + max_records / 4));
  store.ForEachLivePerson([&](PersonId id) {
    if (kept_buckets < kBuckets) {
      const uint64_t kecamatan = store.kode_wilayah(store.household_of(id)) / kKecamatanDivisor;
      if (Mix64(kecamatan) % kBuckets >= kept_buckets) return;
    }
    records.push_back(registry.BuildMatchRecord(id));
  });
  return TrainModel(records, options, model);
}

}  // namespace padan
