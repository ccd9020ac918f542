// BlockingIndex: blocking key -> the persons filed under it (DESIGN.md §4-5), the candidate
// generator of a match query. Bulk-built into a compact frozen form; writes after the build go
// to a small mutable delta until the next build.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"

#include "index/blocking_keys.h"
#include "index/huge_pages.h"
#include "index/ids.h"

namespace padan {

class SnapshotReader;
class SnapshotWriter;

// Key -> posting list of person ids.
//
// Frozen form (Build): keys are spread by a fixed mix of their bits over 2^b buckets of about
// eight keys; a directory holds each bucket's byte offset into one byte array. A bucket holds
// the headers of its keys, ordered by their mix — a 3-byte fingerprint (the mix's next 24
// bits), a varint count, and the lone id or the byte length of the ids — followed by the ids of
// its longer postings, sorted, as varint deltas. A lookup reads one directory slot and one
// short run of headers, then its own ids: a key filed under one person (a birth date in a
// kab/kota) costs ~9 bytes, a person in a long posting 1-2. Two keys whose bucket and
// fingerprint agree (chance ~5e-7 per lookup) share one posting: the union only gains a few
// candidates, which scoring drops.
//
// Postings longer than the stored cap of their kind (the Limits given at construction) keep
// their count but no ids: a query skips them anyway ("siti" born in 1980 discriminates nothing),
// and they would hold most of the memory.
//
// Delta (Add): a hash map of key -> ids for writes after the build, ~40 bytes an entry, folded
// into the frozen form at the next Build. Removed or tombstoned ids are not taken out: the
// caller filters candidates with the store's is_live, and leaves them out of the next Build.
//
// Thread-safety: const methods may run concurrently; Build and Add need exclusive access.
class BlockingIndex {
 public:
  struct Limits {
    // A key whose posting (frozen + delta) is longer than its kind's cap is skipped by a query:
    // too common to discriminate.
    std::array<size_t, kBlockingKeyKindCount> max_posting_per_kind = {};
    // At most this many candidates per query, the ones sharing most keys with it.
    size_t max_candidates = 0;
  };

  // Stores postings up to DefaultBlockingLimits()'s caps.
  BlockingIndex();
  // Stores postings up to `stored`'s caps; queries with larger caps see a longer posting as
  // too common.
  explicit BlockingIndex(const Limits& stored);

  // Movable; not copyable (an index is hundreds of megabytes).
  BlockingIndex(BlockingIndex&&) = default;
  BlockingIndex& operator=(BlockingIndex&&) = default;
  BlockingIndex(const BlockingIndex&) = delete;
  BlockingIndex& operator=(const BlockingIndex&) = delete;

  // Replaces the whole content (frozen and delta) with `entries`, pairs (key, PersonId value);
  // duplicate pairs count once. May reorder the input; frees it. About 1 s per 10 M entries.
  void Build(std::vector<std::pair<BlockingKey, uint32_t>> entries);

  // Files `id` under `keys` in the delta. REQUIRES: `id` was not added under these keys before.
  void Add(PersonId id, absl::Span<const BlockingKey> keys);

  // Appends to `out` the union of the postings of `keys` whose length is within their kind's
  // cap (a longer posting is skipped: the key is too common to discriminate), ranked by how
  // many of the query's keys each id shares (more first; among equals, the one whose shared
  // keys are rarer first, then the lower id), at most limits.max_candidates. Duplicate keys in
  // `keys` count once; ids already in `out` are not looked at.
  void Candidates(absl::Span<const BlockingKey> keys, const Limits& limits,
                  std::vector<PersonId>* out) const;

  // Persons filed under `key`, stored ids or not (frozen + delta).
  size_t PostingSize(BlockingKey key) const;
  // Calls `visit` with every stored id of `key`: the frozen ones in id order, then the delta's.
  // Nothing for a key whose posting exceeded its stored cap.
  void ForEachInPosting(BlockingKey key, absl::FunctionRef<void(PersonId)> visit) const;

  // Snapshot form, so that start-up need not derive every person's keys again (DESIGN.md §7:
  // 10 M persons ready in 10 s). Writes two sections: `section` (format version, stored caps,
  // directory, delta) and `section` + ".bytes" (the frozen bytes, raw). A snapshot renumbers
  // the store's live records densely (RecordStore::Save), so ids are written through `remap`:
  // old id -> new id, PersonId::kInvalidValue for a record not saved; its entries must rise
  // with the old id. An empty `remap` keeps ids as they are (a store without tombstones).
  // Postings lose their dropped ids; a key left with none is dropped. Errors of the writer
  // surface in its Finish.
  void Save(SnapshotWriter& writer, std::string_view section,
            absl::Span<const uint32_t> remap) const;
  // Reads what Save wrote. `person_count`: ids must be below it. kDataLoss naming the section
  // for content that does not decode — a missing section, a directory out of order or past
  // the bytes, a varint or posting running out of its bucket, an id out of range or out of
  // order, a count that disagrees with its ids — so that a corrupt snapshot behind a valid
  // checksum fails here and never at a query. kFailedPrecondition for a format version this
  // build does not read (the caller rebuilds instead). Reads the bytes on `threads` threads.
  static absl::StatusOr<BlockingIndex> Load(SnapshotReader& reader, std::string_view section,
                                            size_t person_count, int threads = 1);
  // Load in two steps, so that the reader is free for other sections while the bytes are
  // checked on another thread: Read copies the sections out and checks their fields and the
  // directory; Check checks the ids against `person_count` and every bucket (most of Load's
  // work; needs no reader). REQUIRES: the index is not queried until Check returned OK.
  static absl::StatusOr<BlockingIndex> Read(SnapshotReader& reader, std::string_view section);
  absl::Status Check(std::string_view section, size_t person_count, int threads) const;

  // The caps postings were stored with (the constructor's).
  const Limits& stored_limits() const { return stored_; }

  // Distinct keys of the frozen form, and how many of them keep only their count.
  size_t frozen_keys() const { return frozen_keys_; }
  size_t frozen_stubs() const { return frozen_stubs_; }
  // Heap bytes: directory, frozen bytes and delta.
  size_t MemoryUsage() const;

 private:
  // Where a key's frozen posting lies.
  struct FrozenPosting {
    uint32_t count = 0;            // persons filed under the key
    bool stored = false;           // whether its ids follow
    const uint8_t* ids = nullptr;  // its varint ids when stored
  };
  struct DeltaPosting {
    uint32_t count = 0;  // persons added under the key since the build
    std::vector<uint32_t> ids;
  };

  FrozenPosting FindFrozen(BlockingKey key) const;
  // The frozen form's bucket of `key`. REQUIRES: the frozen form is not empty.
  size_t BucketOf(BlockingKey key) const;
  // Starts loading the frozen buckets of `keys` into the cache.
  void PrefetchFrozen(absl::Span<const BlockingKey> keys) const;
  size_t StoredCap(BlockingKey key) const;

  Limits stored_;
  int bucket_bits_ = 0;
  // Bucket -> offset in bytes_; one more at the end. On huge pages: each key a query looks up
  // reads a random slot.
  std::vector<uint64_t, OnTouchHugePageAllocator<uint64_t>> directory_;
  // On populated huge pages: a snapshot load fills hundreds of megabytes at once, and a first
  // write to a fresh 4 KiB page costs ~30 µs on the reference VM (index/huge_pages.h).
  std::vector<uint8_t, HugePageAllocator<uint8_t>> bytes_;
  size_t frozen_keys_ = 0;
  size_t frozen_stubs_ = 0;
  absl::flat_hash_map<BlockingKey, DeltaPosting> delta_;
};

// The caps measured by bench/index/candidate_recall_bench.cc (blocking_keys.h explains them).
BlockingIndex::Limits DefaultBlockingLimits();

}  // namespace padan
