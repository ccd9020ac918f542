// MatchNameCache: every person's name as the name normaliser left it, ready for comparison, so
// that Match scores a candidate without normalising its name again (issue #5's match budget).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

#include "data/absl_strings.h"
#include "index/huge_pages.h"
#include "index/ids.h"
#include "matching/match_record.h"

namespace padan {

class RecordStore;
class SnapshotReader;
class SnapshotWriter;

// Per person, the number of an entry in a dictionary of distinct normalised names (MatchName:
// canonical text, token spans, low-information mask, sorted phonetic keys). Names repeat
// (about one distinct name per two persons in a million generated ones, fewer as the registry
// grows), so the cost is 4 bytes per person plus about 50 bytes per distinct name, and a
// lookup copies one short entry: no normalising, no hashing.
//
// Entries are never removed: a person whose name changed gets a new number, and an entry no
// live person uses any more lasts until the next snapshot load (Save writes the used ones).
//
// Thread-safety: const methods may run concurrently; Set, Intern and SetEntry need exclusive
// access. Not copyable or movable (the dictionary's hash functions point back into it): hold
// it by std::unique_ptr.
class MatchNameCache {
 public:
  // The entry of the empty name; also what a person never Set reads as.
  static constexpr uint32_t kEmptyEntry = 0;

  MatchNameCache();
  MatchNameCache(const MatchNameCache&) = delete;
  MatchNameCache& operator=(const MatchNameCache&) = delete;

  // Files `name` as person `id`'s name, replacing what was filed for `id` before.
  void Set(PersonId id, const MatchName& name) { SetEntry(id, Intern(name)); }
  // The entry number of `name`, added when new.
  uint32_t Intern(const MatchName& name);
  // The entry number of an encoded entry (EntryBytes of this or another cache), added when new.
  uint32_t InternEncoded(std::string_view entry);
  void SetEntry(PersonId id, uint32_t entry);
  // Room for persons [0, persons) without reallocating the person column.
  void Reserve(size_t persons) { entries_.reserve(persons); }

  // Whether Set was called for `id`.
  bool Has(PersonId id) const { return id.value < entries_.size() && entries_[id.value] != kUnset; }
  // Replaces `*out` with person `id`'s name exactly as it was Set, reusing `out`'s buffers.
  // REQUIRES: Has(id).
  void Get(PersonId id, MatchName* out) const { Decode(EntryBytes(entries_[id.value]), out); }

  // Start loading person `id`'s entry into the cache, in three steps, each reading what the
  // one before brought in: its entry number, the entry's offset, the entry. Spread the steps
  // out (QueryEngine::MatchLocked runs them a few candidates ahead of its comparisons): one
  // right after the other waits out the miss. See RecordStore::PrefetchPerson.
  void PrefetchEntryNumber(PersonId id) const {
    if (id.value < entries_.size()) __builtin_prefetch(&entries_[id.value]);
  }
  void PrefetchEntryOffset(PersonId id) const {
    if (Has(id)) __builtin_prefetch(&offsets_[entries_[id.value]]);
  }
  void PrefetchEntry(PersonId id) const {
    if (Has(id)) __builtin_prefetch(bytes_.data() + offsets_[entries_[id.value]]);
  }

  size_t entry_count() const { return offsets_.size() - 1; }
  std::string_view EntryBytes(uint32_t entry) const {
    return std::string_view(bytes_.data() + offsets_[entry], offsets_[entry + 1] - offsets_[entry]);
  }
  // Heap bytes held: the person column, the entries and the dictionary's hash table.
  size_t MemoryUsage() const;

  // Snapshot form: one section holding u32 format version, u64 entry count, u64 entry bytes,
  // the entries back to back, u64 person count and one u32 entry number per person. Writes
  // the live persons of `store` in id order (the dense renumbering RecordStore::Save makes)
  // and only the entries they use, numbered in order of first use, so that equal content gives
  // equal bytes however it was built. REQUIRES: Has(id) for every live person of `store`.
  void Save(SnapshotWriter& writer, std::string_view section, const RecordStore& store) const;
  // Load in two steps, as BlockingIndex does: Read copies the section out (the reader is free
  // again after it); Check decodes and checks it (needing no reader) into a cache. kDataLoss
  // naming the section for content that does not decode: a short or long section, an entry
  // that is not a well-formed name, an entry number out of range, a person count other than
  // `person_count`. kFailedPrecondition for a format version this build does not read.
  struct Persisted {
    std::string bytes;
  };
  static absl::StatusOr<Persisted> Read(SnapshotReader& reader, std::string_view section);
  static absl::StatusOr<std::unique_ptr<MatchNameCache>> Check(const Persisted& persisted,
                                                               std::string_view section,
                                                               size_t person_count);

 private:
  static constexpr uint32_t kUnset = UINT32_MAX;
  // The fixed-format encoding of `name` into `*out` (replacing its content).
  static void Encode(const MatchName& name, std::string* out);
  static void Decode(std::string_view entry, MatchName* out);
  // Whether `entry` decodes to a name that encodes back to the same bytes.
  static bool WellFormed(std::string_view entry);
  uint32_t AddEntry(std::string_view entry);

  // The dictionary: entry numbers, hashed and compared by their bytes; transparent, so that it
  // is searched by bytes.
  struct EntryHash {
    using is_transparent = void;
    size_t operator()(std::string_view bytes) const {
      return absl::Hash<absl::string_view>{}(ToAbsl(bytes));
    }
    size_t operator()(uint32_t entry) const { return (*this)(cache->EntryBytes(entry)); }
    const MatchNameCache* cache = nullptr;
  };
  struct EntryEq {
    using is_transparent = void;
    bool operator()(uint32_t a, uint32_t b) const { return a == b; }
    bool operator()(uint32_t a, std::string_view b) const { return cache->EntryBytes(a) == b; }
    bool operator()(std::string_view a, uint32_t b) const { return a == cache->EntryBytes(b); }
    const MatchNameCache* cache = nullptr;
  };

  // Read at random by every match (three dependent loads per candidate's name): on huge
  // pages, so that the loads do not also miss the TLB.
  template <typename T>
  using Column = std::vector<T, OnTouchHugePageAllocator<T>>;
  Column<uint32_t> entries_;  // person id -> entry number, kUnset before Set
  Column<char> bytes_;        // the entries back to back
  Column<uint64_t> offsets_;  // entry i is bytes_[offsets_[i], offsets_[i + 1])
  absl::flat_hash_set<uint32_t, EntryHash, EntryEq> dictionary_;
  std::string scratch_;  // Intern's encoding buffer
};

}  // namespace padan
