// NikIndex and NoKkIndex: the 16-digit identifiers of the record store looked up exactly and
// one typo away (DESIGN.md §4). Near lookup probes the one-substitution and adjacent-
// transposition variants against the exact index, with no table of its own: a 250 KB filter of
// digit blocks and a Bloom filter of one byte per slot keep most variants from the probe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/functional/function_ref.h"
#include "absl/types/span.h"

#include "index/blocked_bloom_filter.h"
#include "index/huge_pages.h"
#include "index/ids.h"
#include "index/mix64.h"
#include "index/record_store.h"
#include "matching/nik_comparison.h"

namespace padan {
namespace internal {

// NumberIndex<Id, Value>: number -> the ids whose store->*Value(id) is that number. The common
// case, one id per number, is a hash set of dense ids whose hash and equality read the number
// from the store (as the store's own id maps read the id text), so the number is not copied.
// Each slot holds the id and a 31-bit fingerprint of its number (see Slot): a lookup of an
// absent number then reads no store cell (with the Swiss table's 7-bit tags alone, a tenth of
// such lookups read one, a cache miss each). 8 bytes a slot, a control byte and a near-filter
// byte: 10-20 bytes an entry depending on the load factor. The
// rare number shared by several ids (a NIK registered twice, a No KK of a re-registered family)
// keeps its first id in the set and the others in `extra_`, a small map keyed by the number.
//
// Thread-safety: const methods may run concurrently; Add, Remove and Reserve need exclusive
// access. Holds `store` by pointer: the store must outlive the index, and the number of an id
// must not change while the id is in the index (store records never change).
template <typename Id, uint64_t (RecordStore::*Value)(Id) const>
class NumberIndex {
 public:
  explicit NumberIndex(const RecordStore* store) : store_(store), ids_(0, Hash{store}, Eq{store}) {}

  NumberIndex(const NumberIndex&) = delete;
  NumberIndex& operator=(const NumberIndex&) = delete;

  // Sizes the table for this many ids, so that a bulk build does not rehash.
  void Reserve(size_t count);

  // REQUIRES: (store->*Value)(id) != 0; `id` is not in the index.
  void Add(Id id);
  // Adds `ids` as Add would one by one (ids sharing a number are added in the order given, so
  // Find visits them in it), but in the order of their table slots, so that a bulk build
  // fills the table front to back instead of missing the cache on every insert. REQUIRES: as
  // Add, for each.
  void AddAll(absl::Span<const Id> ids);
  // Removes `id`; a no-op when it is not in the index.
  void Remove(Id id);

  // Calls `visit` with every id added with `number` (none for 0), the first added first.
  void Find(uint64_t number, absl::FunctionRef<void(Id)> visit) const;

  // Calls `visit(id, its number)` for every id whose number is one substitution or one
  // adjacent transposition away from `number`: those of ForEachNearNik's 144 + at most 15
  // variants that DigitBlockFilter and then the near filter let through are probed in the
  // exact table, each step's loads all started before the first is read. The exact number
  // itself is not visited. Nothing for 0.
  void FindNear(uint64_t number, absl::FunctionRef<void(Id, uint64_t)> visit) const;

  // Ids in the index.
  size_t size() const { return size_; }
  // Heap bytes: the set's slots and control bytes, the shared-number map and the filter.
  size_t MemoryUsage() const;

 private:
  // Ids beyond the first that share a number; two inline covers a household registered thrice.
  static constexpr size_t kExtraInline = 2;
  using Extra = absl::InlinedVector<uint32_t, kExtraInline>;

  // A fixed mix of the number (the murmur3 finaliser): spreads the low digits, which carry the
  // serial, over the whole word, and is the same in every process.
  static size_t MixNumber(uint64_t x) { return static_cast<size_t>(Mix64(x)); }

  // A slot: the id in the low 32 bits, its number's 31-bit Fingerprint above, and in the top
  // bit whether `extra_` holds more ids with the number, so that the lookup of a number held
  // once (nearly all) does not also probe that map: it did for every hit, a sixth of FindNear.
  using Slot = uint64_t;
  static constexpr Slot kSharedBit = Slot{1} << 63;
  // A number being looked up (a distinct type: a Slot is a uint64_t too).
  struct Number {
    uint64_t value;
  };
  // 31 bits of the number mixed otherwise than MixNumber, whose bits place the slot and make
  // its 7-bit tag: two numbers in one probe group then agree on it by chance once in 2^31.
  static uint32_t Fingerprint(uint64_t number) {
    return static_cast<uint32_t>((number * 0x9e3779b97f4a7c15ULL) >> 33);
  }
  static uint32_t IdOf(Slot slot) { return static_cast<uint32_t>(slot); }
  static uint32_t FingerprintOf(Slot slot) {
    return static_cast<uint32_t>((slot & ~kSharedBit) >> 32);
  }
  static bool IsShared(Slot slot) { return (slot & kSharedBit) != 0; }
  // REQUIRES: number == NumberOf(id).
  static Slot SlotOf(uint32_t id, uint64_t number) {
    return uint64_t{Fingerprint(number)} << 32 | id;
  }
  // Sets or clears the shared bit of the set's slot `it`. The bit takes no part in the slot's
  // hash or equality, so the set's invariants hold; its elements are not const objects.
  template <typename Iterator>
  static void SetShared(Iterator it, bool shared) {
    Slot& slot = const_cast<Slot&>(*it);
    slot = shared ? slot | kSharedBit : slot & ~kSharedBit;
  }

  // Hash and equality of a slot through its id's number, looked up transparently by Number.
  // The fingerprints are compared first; the store is read only when they agree.
  struct Hash {
    using is_transparent = void;
    size_t operator()(Number number) const { return MixNumber(number.value); }
    size_t operator()(Slot slot) const { return MixNumber((store->*Value)(Id(IdOf(slot)))); }
    const RecordStore* store;
  };
  struct Eq {
    using is_transparent = void;
    bool operator()(Slot a, Slot b) const {
      return IdOf(a) == IdOf(b) || (FingerprintOf(a) == FingerprintOf(b) &&
                                    (store->*Value)(Id(IdOf(a))) == (store->*Value)(Id(IdOf(b))));
    }
    bool operator()(Slot a, Number b) const {
      return FingerprintOf(a) == Fingerprint(b.value) && (store->*Value)(Id(IdOf(a))) == b.value;
    }
    bool operator()(Number a, Slot b) const { return (*this)(b, a); }
    const RecordStore* store;
  };

  uint64_t NumberOf(uint32_t id) const { return (store_->*Value)(Id(id)); }

  // Which 6-digit heads (digits 1-6 of 16: the kecamatan) and middles (digits 7-12: a NIK's
  // birth date, a No KK's issue date) the index's numbers have. A near variant whose head or
  // middle none has cannot be in the index and is not probed: a substitution in the region
  // code seldom names a kecamatan with records, and one in the date often names no date (a
  // 13th month, a 75th day). About a third of FindNear's probes, each a cache miss at 10 M,
  // for 250 KB that stay in the cache. Bits are set by Add and never cleared (Remove leaves
  // them: a stale bit costs a probe, never a miss). Numbers of more than 16 digits pass.
  class DigitBlockFilter {
   public:
    void Add(uint64_t number) {
      if (number >= kLimit) return;
      Set(head_, number / kHeadDivisor);
      Set(middle_, number / kMiddleDivisor % kBlockValues);
    }
    bool MayHold(uint64_t number) const {
      if (number >= kLimit) return true;
      return Test(head_, number / kHeadDivisor) &&
             Test(middle_, number / kMiddleDivisor % kBlockValues);
    }
    static constexpr size_t kBytes = 2 * ((1'000'000 + 63) / 64) * sizeof(uint64_t);

   private:
    static constexpr uint64_t kLimit = 10'000'000'000'000'000;  // 10^16
    static constexpr uint64_t kHeadDivisor = 10'000'000'000;    // 10^10
    static constexpr uint64_t kMiddleDivisor = 10'000;          // 10^4
    static constexpr uint64_t kBlockValues = 1'000'000;         // 10^6
    using Bits = std::array<uint64_t, (kBlockValues + 63) / 64>;
    static void Set(Bits& bits, uint64_t value) { bits[value / 64] |= uint64_t{1} << (value % 64); }
    static bool Test(const Bits& bits, uint64_t value) {
      return (bits[value / 64] >> (value % 64) & 1) != 0;
    }
    Bits head_{};
    Bits middle_{};
  };

  // After an insert into the set: the near filter takes `number`, or is rebuilt for the set's
  // new capacity when the insert grew it.
  void AddToNearFilter(uint64_t number);
  void RebuildNearFilter();

  const RecordStore* store_;
  // On populated huge pages: a 10 M-entry table is 80 MB written at once on load, and a first
  // write to a fresh 4 KiB page costs ~30 µs on the reference VM (index/huge_pages.h).
  absl::flat_hash_set<Slot, Hash, Eq, HugePageAllocator<Slot>> ids_;
  absl::flat_hash_map<uint64_t, Extra> extra_;
  // On the heap: 250 KB would not belong inside the index object.
  std::unique_ptr<DigitBlockFilter> filter_ = std::make_unique<DigitBlockFilter>();
  // The set's numbers (by MixNumber), asked about each variant DigitBlockFilter lets through
  // before the set is probed: one cache line a variant instead of the set's two (control bytes
  // and the slots the probe would start at), and about 97 % of the variants end there. One byte
  // per slot of the set, rebuilt when the set grows; a removed number stays in it (a probe
  // more, never a hit lost) until then. Its blocks follow the top bits of MixNumber, as the
  // set's slots do, so a bulk build (AddAll, in slot order) writes it front to back.
  BlockedBloomFilter near_filter_;
  size_t near_filter_slots_ = 0;  // the set's capacity near_filter_ was sized for
  size_t size_ = 0;
};

}  // namespace internal

// NikIndex: NIK -> persons. The persons' NIKs are read from the store (RecordStore::nik_value),
// so an entry costs 10-20 bytes: 18.4 bytes a person at 11 M, the shared-number map included.
// Thread-safety: const methods may run concurrently; Add, Remove and Reserve need exclusive
// access (the Database's lock). The store must outlive the index.
class NikIndex final : public internal::NumberIndex<PersonId, &RecordStore::nik_value> {
 public:
  using NumberIndex::NumberIndex;
};

// NoKkIndex: No KK -> households, over RecordStore::no_kk_value, as NikIndex. A No KK shared
// by several household records (a family registered again with the same card) finds them all.
class NoKkIndex final : public internal::NumberIndex<HouseholdId, &RecordStore::no_kk_value> {
 public:
  using NumberIndex::NumberIndex;
};

}  // namespace padan
