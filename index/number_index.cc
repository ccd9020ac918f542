#include "index/number_index.h"

#include <array>
#include <bit>
#include <vector>

namespace padan::internal {

template <typename Id, uint64_t (RecordStore::*Value)(Id) const>
void NumberIndex<Id, Value>::Reserve(size_t count) {
  ids_.reserve(count);
  if (ids_.capacity() != near_filter_slots_) RebuildNearFilter();
}

template <typename Id, uint64_t (RecordStore::*Value)(Id) const>
void NumberIndex<Id, Value>::AddToNearFilter(uint64_t number) {
  if (ids_.capacity() != near_filter_slots_) return RebuildNearFilter();
  near_filter_.Add(MixNumber(number));
}

template <typename Id, uint64_t (RecordStore::*Value)(Id) const>
void NumberIndex<Id, Value>::RebuildNearFilter() {
  near_filter_slots_ = ids_.capacity();
  near_filter_.Reset(near_filter_slots_);
  for (Slot slot : ids_) near_filter_.Add(MixNumber(NumberOf(IdOf(slot))));
}

template <typename Id, uint64_t (RecordStore::*Value)(Id) const>
void NumberIndex<Id, Value>::Add(Id id) {
  // The set compares ids by number: a second id with a number already present is refused by
  // the set and goes to the shared-number map.
  const uint64_t number = NumberOf(id.value);
  auto [it, inserted] = ids_.insert(SlotOf(id.value, number));
  if (!inserted) {
    extra_[number].push_back(id.value);
    SetShared(it, true);
  }
  filter_->Add(number);
  AddToNearFilter(number);
  ++size_;
}

template <typename Id, uint64_t (RecordStore::*Value)(Id) const>
void NumberIndex<Id, Value>::AddAll(absl::Span<const Id> ids) {
  // Inserted in id order, each insert would land on a random slot of a table far larger than
  // the cache. Instead the ids are first put in the order of their slots' region (a stable
  // counting sort on the top bits of the slot a probe starts at, so ids sharing a number keep
  // their order), and the table fills front to back. The store's numbers are then read in
  // random order: those reads are issued kAhead inserts early so that their misses overlap.
  constexpr size_t kAhead = 16;
  constexpr int kRegionBits = 16;
  constexpr size_t kSortedMin = size_t{1} << 16;  // below, the table fits the cache anyway
  ids_.reserve(size_ + ids.size());
  const size_t capacity = ids_.capacity();  // 2^k - 1: the probe start mask
  if (ids.size() < kSortedMin || capacity < (size_t{1} << kRegionBits)) {
    for (Id id : ids) Add(id);
    return;
  }
  // absl starts a probe at ((hash >> 7) ^ per-table salt) & capacity: the salt flips the same
  // bits of every start, so ids whose starts share their top bits still land in one region.
  constexpr int kControlBits = 7;
  const int shift = std::bit_width(capacity) - kRegionBits;
  std::vector<uint16_t> region(ids.size());
  std::vector<uint32_t> start((size_t{1} << kRegionBits) + 1, 0);
  for (size_t i = 0; i < ids.size(); ++i) {
    const size_t slot = (MixNumber(NumberOf(ids[i].value)) >> kControlBits) & capacity;
    region[i] = static_cast<uint16_t>(slot >> shift);
    ++start[region[i] + 1];
  }
  for (size_t r = 1; r < start.size(); ++r) start[r] += start[r - 1];
  std::vector<uint32_t> ordered(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) ordered[start[region[i]]++] = ids[i].value;
  std::vector<uint16_t>().swap(region);
  uint64_t touched = 0;
  for (size_t i = 0; i < ordered.size(); ++i) {
    if (i + kAhead < ordered.size()) touched ^= NumberOf(ordered[i + kAhead]);
    Add(Id(ordered[i]));
  }
  // Keeps the early reads from being optimised away.
  asm volatile("" : : "r"(touched));
}

template <typename Id, uint64_t (RecordStore::*Value)(Id) const>
void NumberIndex<Id, Value>::Remove(Id id) {
  const uint64_t number = NumberOf(id.value);
  auto it = ids_.find(Number{number});
  if (it == ids_.end()) return;
  auto extra = extra_.find(number);
  if (IdOf(*it) == id.value) {
    ids_.erase(it);
    --size_;
    if (extra != extra_.end()) {
      // The earliest of the others takes the set's slot, so Find keeps insertion order.
      auto [first, inserted] = ids_.insert(SlotOf(extra->second.front(), number));
      AddToNearFilter(number);  // an insert after an erase may grow the set
      extra->second.erase(extra->second.begin());
      if (extra->second.empty()) {
        extra_.erase(extra);
      } else {
        SetShared(first, true);
      }
    }
    return;
  }
  if (extra == extra_.end()) return;
  Extra& others = extra->second;
  for (auto o = others.begin(); o != others.end(); ++o) {
    if (*o != id.value) continue;
    others.erase(o);
    --size_;
    if (others.empty()) {
      extra_.erase(extra);
      SetShared(it, false);
    }
    return;
  }
}

template <typename Id, uint64_t (RecordStore::*Value)(Id) const>
void NumberIndex<Id, Value>::Find(uint64_t number, absl::FunctionRef<void(Id)> visit) const {
  if (number == 0) return;
  auto it = ids_.find(Number{number});
  if (it == ids_.end()) return;
  visit(Id(IdOf(*it)));
  if (!IsShared(*it)) return;
  auto extra = extra_.find(number);
  if (extra == extra_.end()) return;
  for (uint32_t id : extra->second) visit(Id(id));
}

template <typename Id, uint64_t (RecordStore::*Value)(Id) const>
void NumberIndex<Id, Value>::FindNear(uint64_t number,
                                      absl::FunctionRef<void(Id, uint64_t)> visit) const {
  if (number == 0 || size_ == 0) return;
  // The probes miss the cache independently: start every load before the first compare.
  std::array<uint64_t, kMaxNearNiks> near;
  std::array<uint64_t, kMaxNearNiks> hashes;
  const size_t variants = NearNiks(number, near);
  size_t count = 0;
  for (size_t i = 0; i < variants; ++i) {
    if (filter_->MayHold(near[i])) near[count++] = near[i];
  }
  for (size_t i = 0; i < count; ++i) {
    hashes[i] = MixNumber(near[i]);
    near_filter_.Prefetch(hashes[i]);
  }
  size_t kept = 0;
  for (size_t i = 0; i < count; ++i) {
    if (near_filter_.MayHold(hashes[i])) near[kept++] = near[i];
  }
  for (size_t i = 0; i < kept; ++i) ids_.prefetch(Number{near[i]});
  for (size_t i = 0; i < kept; ++i) {
    Find(near[i], [&](Id id) { visit(id, near[i]); });
  }
}

template <typename Id, uint64_t (RecordStore::*Value)(Id) const>
size_t NumberIndex<Id, Value>::MemoryUsage() const {
  // A Swiss table holds one control byte per slot (plus a group's worth of sentinels).
  size_t bytes =
      ids_.capacity() * (sizeof(Slot) + 1) + DigitBlockFilter::kBytes + near_filter_.MemoryUsage();
  bytes += extra_.capacity() * (sizeof(std::pair<const uint64_t, Extra>) + 1);
  for (const auto& [number, others] : extra_) {
    if (others.capacity() > kExtraInline) bytes += others.capacity() * sizeof(uint32_t);
  }
  return bytes;
}

template class NumberIndex<PersonId, &RecordStore::nik_value>;
template class NumberIndex<HouseholdId, &RecordStore::no_kk_value>;

}  // namespace padan::internal
