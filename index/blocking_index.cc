#include "index/blocking_index.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "absl/container/inlined_vector.h"

namespace padan {
namespace {

// Keys per bucket of the frozen form, on average: a lookup scans about half of them.
constexpr size_t kKeysPerBucket = 8;
// Fingerprint bits stored per key after the bucket's bits.
constexpr int kFingerprintBits = 24;
constexpr int kFingerprintBytes = kFingerprintBits / 8;
constexpr uint64_t kFingerprintMask = (uint64_t{1} << kFingerprintBits) - 1;
// Bits of the ordering value that hold the kind (the low byte).
constexpr int kKindBits = 8;
constexpr uint64_t kKindMask = (uint64_t{1} << kKindBits) - 1;

// The value the frozen form orders keys by: a fixed mix of the whole key (murmur3's finaliser,
// so that hand-made keys such as 1, 2, 3 spread too) in the high 56 bits, the kind in the low
// byte so that a group's cap is known without the key.
uint64_t OrderOf(BlockingKey key) {
  uint64_t x = key;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return (x & ~kKindMask) | (key >> kBlockingKindShift);
}

void PutVarint(uint64_t v, std::vector<uint8_t>* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<uint8_t>(v));
}

uint64_t GetVarint(const uint8_t** p) {
  uint64_t v = 0;
  int shift = 0;
  const uint8_t* q = *p;
  while (*q & 0x80) {
    v |= static_cast<uint64_t>(*q++ & 0x7f) << shift;
    shift += 7;
  }
  v |= static_cast<uint64_t>(*q++) << shift;
  *p = q;
  return v;
}

// Calls `visit` with each of `count` varint-delta ids from `p`.
template <typename Visit>
void DecodeIds(const uint8_t* p, uint32_t count, Visit visit) {
  uint32_t id = 0;
  for (uint32_t i = 0; i < count; ++i) {
    id += static_cast<uint32_t>(GetVarint(&p));
    visit(id);
  }
}

// The tie-breaker a shared key adds to a candidate's rank: larger for a shorter posting
// relative to its cap (an inverse document frequency), below 2^12 per key.
uint32_t RarityOf(size_t posting, size_t cap) {
  constexpr double kScale = 256;  // 1/256 of a doubling: finer than any real difference
  return static_cast<uint32_t>(
      kScale * std::log2((static_cast<double>(cap) + 1) / static_cast<double>(posting)));
}

// Sorts (order, id) pairs: an in-place radix pass on the top bits (American flag sort) splits
// them into cache-sized runs that std::sort then finishes, several times faster than one
// std::sort over tens of millions of entries.
void SortEntries(std::vector<std::pair<uint64_t, uint32_t>>* entries) {
  constexpr size_t kRadixMin = size_t{1} << 20;  // below this, std::sort alone is as fast
  constexpr int kRadixBits = 16;
  constexpr int kShift = 64 - kRadixBits;
  std::vector<std::pair<uint64_t, uint32_t>>& e = *entries;
  if (e.size() < kRadixMin) {
    std::sort(e.begin(), e.end());
    return;
  }
  constexpr size_t kBins = size_t{1} << kRadixBits;
  std::vector<size_t> start(kBins + 1, 0);
  for (const auto& entry : e) ++start[(entry.first >> kShift) + 1];
  for (size_t b = 0; b < kBins; ++b) start[b + 1] += start[b];
  std::vector<size_t> next(start.begin(), start.end() - 1);
  for (size_t b = 0; b < kBins; ++b) {
    while (next[b] < start[b + 1]) {
      auto entry = e[next[b]];
      size_t bin = entry.first >> kShift;
      while (bin != b) {
        std::swap(entry, e[next[bin]++]);
        bin = entry.first >> kShift;
      }
      e[next[b]++] = entry;
    }
  }
  for (size_t b = 0; b < kBins; ++b) {
    std::sort(e.begin() + static_cast<std::ptrdiff_t>(start[b]),
              e.begin() + static_cast<std::ptrdiff_t>(start[b + 1]));
  }
}

// Merges the sorted runs of `values` starting at `runs` (ascending offsets) into one sorted
// sequence: O(n log runs), where sorting all would be O(n log n).
void MergeRuns(absl::InlinedVector<size_t, 33>* runs, std::vector<uint64_t>* values) {
  if (runs->size() <= 1) return;
  std::vector<uint64_t> merged(values->size());
  while (runs->size() > 1) {
    absl::InlinedVector<size_t, 33> next;
    for (size_t r = 0; r < runs->size(); r += 2) {
      const size_t begin = (*runs)[r];
      const size_t middle = r + 1 < runs->size() ? (*runs)[r + 1] : values->size();
      const size_t end = r + 2 < runs->size() ? (*runs)[r + 2] : values->size();
      std::merge(values->begin() + static_cast<std::ptrdiff_t>(begin),
                 values->begin() + static_cast<std::ptrdiff_t>(middle),
                 values->begin() + static_cast<std::ptrdiff_t>(middle),
                 values->begin() + static_cast<std::ptrdiff_t>(end),
                 merged.begin() + static_cast<std::ptrdiff_t>(begin));
      next.push_back(begin);
    }
    values->swap(merged);
    runs->swap(next);
  }
}

}  // namespace

BlockingIndex::BlockingIndex() : BlockingIndex(DefaultBlockingLimits()) {}

BlockingIndex::BlockingIndex(const Limits& stored) : stored_(stored) {}

size_t BlockingIndex::BucketOf(BlockingKey key) const {
  if (bucket_bits_ == 0) return 0;
  return static_cast<size_t>(OrderOf(key) >> (64 - bucket_bits_));
}

size_t BlockingIndex::StoredCap(BlockingKey key) const {
  const size_t kind = key >> kBlockingKindShift;
  return kind < kBlockingKeyKindCount ? stored_.max_posting_per_kind[kind] : 0;
}

void BlockingIndex::Build(std::vector<std::pair<BlockingKey, uint32_t>> entries) {
  delta_.clear();
  directory_.clear();
  bytes_.clear();
  frozen_keys_ = 0;
  frozen_stubs_ = 0;
  for (auto& entry : entries) entry.first = OrderOf(entry.first);
  SortEntries(&entries);
  entries.erase(std::unique(entries.begin(), entries.end()), entries.end());

  size_t distinct = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i == 0 || entries[i].first != entries[i - 1].first) ++distinct;
  }
  bucket_bits_ = 0;
  while ((size_t{1} << bucket_bits_) * kKeysPerBucket < distinct) ++bucket_bits_;
  const int prefix_shift = 64 - bucket_bits_ - kFingerprintBits;
  directory_.assign((size_t{1} << bucket_bits_) + 1, 0);
  bytes_.reserve(entries.size() * 2 + distinct * 5);

  // One bucket at a time: its key headers first, then the ids of its multi-id postings, so
  // that a lookup scans one short run of headers and touches only its own ids.
  std::vector<uint8_t> headers;
  std::vector<uint8_t> ids;
  size_t current_bucket = 0;
  auto flush_bucket = [&] {
    if (headers.empty()) return;
    PutVarint(headers.size(), &bytes_);
    bytes_.insert(bytes_.end(), headers.begin(), headers.end());
    bytes_.insert(bytes_.end(), ids.begin(), ids.end());
    headers.clear();
    ids.clear();
  };
  std::vector<uint32_t> merged;  // ids of keys whose bucket and fingerprint agree
  size_t i = 0;
  while (i < entries.size()) {
    const uint64_t prefix = entries[i].first >> prefix_shift;
    size_t end = i + 1;
    bool one_key = true;
    while (end < entries.size() && (entries[end].first >> prefix_shift) == prefix) {
      one_key = one_key && entries[end].first == entries[i].first;
      ++end;
    }
    const size_t bucket = static_cast<size_t>(prefix >> kFingerprintBits);
    if (bucket != current_bucket) {
      flush_bucket();
      // Buckets up to this one start here (the empty ones in between are empty ranges).
      for (size_t b = current_bucket + 1; b <= bucket; ++b) directory_[b] = bytes_.size();
      current_bucket = bucket;
    }

    merged.clear();
    for (size_t k = i; k < end; ++k) merged.push_back(entries[k].second);
    if (!one_key) {
      std::sort(merged.begin(), merged.end());
      merged.erase(std::unique(merged.begin(), merged.end()), merged.end());
    }
    const auto kind = static_cast<BlockingKey>(entries[i].first & kKindMask);
    const size_t cap = StoredCap(kind << kBlockingKindShift);
    const uint32_t count = static_cast<uint32_t>(merged.size());
    const bool stored = count <= cap;

    const uint64_t fingerprint = prefix & kFingerprintMask;
    for (int b = 0; b < kFingerprintBytes; ++b) {
      headers.push_back(static_cast<uint8_t>(fingerprint >> (8 * b)));
    }
    PutVarint((uint64_t{count} << 1) | (stored ? 1 : 0), &headers);
    if (!stored) {
      ++frozen_stubs_;
    } else if (count == 1) {
      PutVarint(merged[0], &headers);  // a lone id stays in its header
    } else {
      const size_t before = ids.size();
      uint32_t previous = 0;
      for (uint32_t id : merged) {
        PutVarint(id - previous, &ids);
        previous = id;
      }
      PutVarint(ids.size() - before, &headers);
    }
    ++frozen_keys_;
    i = end;
  }
  flush_bucket();
  for (size_t b = current_bucket + 1; b < directory_.size(); ++b) directory_[b] = bytes_.size();
  bytes_.shrink_to_fit();
}

BlockingIndex::FrozenPosting BlockingIndex::FindFrozen(BlockingKey key) const {
  if (bytes_.empty()) return {};
  const uint64_t fingerprint =
      (OrderOf(key) >> (64 - bucket_bits_ - kFingerprintBits)) & kFingerprintMask;
  const size_t bucket = BucketOf(key);
  const uint8_t* p = bytes_.data() + directory_[bucket];
  if (p == bytes_.data() + directory_[bucket + 1]) return {};  // an empty bucket
  const uint64_t header_bytes = GetVarint(&p);
  const uint8_t* end = p + header_bytes;
  const uint8_t* ids = end;  // the next multi-id posting's ids
  while (p < end) {
    uint64_t f = 0;
    for (int b = 0; b < kFingerprintBytes; ++b) f |= static_cast<uint64_t>(p[b]) << (8 * b);
    p += kFingerprintBytes;
    if (f > fingerprint) return {};  // a bucket's keys are in fingerprint order
    const uint64_t head = GetVarint(&p);
    FrozenPosting posting;
    posting.count = static_cast<uint32_t>(head >> 1);
    posting.stored = (head & 1) != 0;
    if (posting.stored) {
      posting.ids = posting.count == 1 ? p : ids;
      const uint64_t v = GetVarint(&p);  // the lone id, or the ids' byte length
      if (posting.count > 1) ids += v;
    }
    if (f == fingerprint) return posting;
  }
  return {};
}

void BlockingIndex::Add(PersonId id, absl::Span<const BlockingKey> keys) {
  for (BlockingKey key : keys) {
    DeltaPosting& delta = delta_[key];
    const size_t before = FindFrozen(key).count + delta.count;
    ++delta.count;
    // Past the stored cap the key is skipped by every query: keep its count only.
    if (before < StoredCap(key)) delta.ids.push_back(id.value);
  }
}

size_t BlockingIndex::PostingSize(BlockingKey key) const {
  size_t size = FindFrozen(key).count;
  if (!delta_.empty()) {
    auto it = delta_.find(key);
    if (it != delta_.end()) size += it->second.count;
  }
  return size;
}

void BlockingIndex::ForEachInPosting(BlockingKey key,
                                     absl::FunctionRef<void(PersonId)> visit) const {
  const FrozenPosting frozen = FindFrozen(key);
  if (frozen.stored) DecodeIds(frozen.ids, frozen.count, [&](uint32_t id) { visit(PersonId(id)); });
  if (delta_.empty()) return;
  auto it = delta_.find(key);
  if (it == delta_.end()) return;
  for (uint32_t id : it->second.ids) visit(PersonId(id));
}

void BlockingIndex::Candidates(absl::Span<const BlockingKey> keys, const Limits& limits,
                               std::vector<PersonId>* out) const {
  absl::InlinedVector<BlockingKey, 32> unique(keys.begin(), keys.end());
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  PrefetchFrozen(unique);

  // (id << 32 | rarity) of every posting taken, one sorted run per posting; merged, equal ids
  // are one candidate.
  std::vector<uint64_t> hits;
  absl::InlinedVector<size_t, 33> runs;  // start of each run in `hits`
  for (BlockingKey key : unique) {
    const size_t kind = key >> kBlockingKindShift;
    if (kind >= kBlockingKeyKindCount) continue;
    const size_t cap = limits.max_posting_per_kind[kind];
    const FrozenPosting frozen = FindFrozen(key);
    const DeltaPosting* delta = nullptr;
    if (!delta_.empty()) {
      auto it = delta_.find(key);
      if (it != delta_.end()) delta = &it->second;
    }
    const size_t total = frozen.count + (delta != nullptr ? delta->count : 0);
    if (total == 0 || total > cap) continue;
    // A posting longer than the stored cap has lost its ids (a query cap above the stored one).
    if (frozen.count > 0 && !frozen.stored) continue;
    if (delta != nullptr && delta->ids.size() < delta->count) continue;
    const uint64_t rarity = RarityOf(total, cap);
    runs.push_back(hits.size());
    if (frozen.stored) {
      DecodeIds(frozen.ids, frozen.count,
                [&](uint32_t id) { hits.push_back((uint64_t{id} << 32) | rarity); });
    }
    if (delta != nullptr) {
      for (uint32_t id : delta->ids) hits.push_back((uint64_t{id} << 32) | rarity);
      // Delta ids come in Add order; the run must be sorted.
      std::sort(hits.begin() + static_cast<std::ptrdiff_t>(runs.back()), hits.end());
    }
  }
  if (hits.empty()) return;
  MergeRuns(&runs, &hits);

  // Each candidate once, as one word that sorts best-first when compared descending: the keys
  // it shares (8 bits), the sum of their rarities (24 bits), then the complement of its id so
  // that the lower id wins a tie. Written over `hits`, which is read ahead of the writes.
  constexpr int kSharedShift = 56;
  constexpr int kRarityShift = 32;
  constexpr uint64_t kRarityMax = (uint64_t{1} << (kSharedShift - kRarityShift)) - 1;
  size_t candidates = 0;
  for (size_t h = 0; h < hits.size();) {
    const uint64_t id = hits[h] >> 32;
    uint64_t shared = 0;
    uint64_t rarity = 0;
    for (; h < hits.size() && (hits[h] >> 32) == id; ++h) {
      ++shared;
      rarity += hits[h] & 0xffffffff;
    }
    hits[candidates++] = (std::min<uint64_t>(shared, 0xff) << kSharedShift) |
                         (std::min(rarity, kRarityMax) << kRarityShift) | (~id & 0xffffffff);
  }
  hits.resize(candidates);
  if (hits.size() > limits.max_candidates) {
    std::nth_element(hits.begin(),
                     hits.begin() + static_cast<std::ptrdiff_t>(limits.max_candidates), hits.end(),
                     std::greater<uint64_t>());
    hits.resize(limits.max_candidates);
  }
  std::sort(hits.begin(), hits.end(), std::greater<uint64_t>());
  out->reserve(out->size() + hits.size());
  for (uint64_t hit : hits) out->push_back(PersonId(static_cast<uint32_t>(~hit)));
}

void BlockingIndex::PrefetchFrozen(absl::Span<const BlockingKey> keys) const {
  if (bytes_.empty()) return;
  // Two dependent loads per key (its directory slot, then its bucket): issue each level for
  // every key before waiting on any.
  for (BlockingKey key : keys) __builtin_prefetch(&directory_[BucketOf(key)]);
  for (BlockingKey key : keys) __builtin_prefetch(bytes_.data() + directory_[BucketOf(key)]);
}

size_t BlockingIndex::MemoryUsage() const {
  size_t bytes = directory_.capacity() * sizeof(uint64_t) + bytes_.capacity();
  bytes += delta_.capacity() * (sizeof(std::pair<const BlockingKey, DeltaPosting>) + 1);
  for (const auto& [key, delta] : delta_) bytes += delta.ids.capacity() * sizeof(uint32_t);
  return bytes;
}

BlockingIndex::Limits DefaultBlockingLimits() {
  BlockingIndex::Limits limits;
  limits.max_posting_per_kind[static_cast<size_t>(BlockingKeyKind::kTokenYear)] = 2000;
  limits.max_posting_per_kind[static_cast<size_t>(BlockingKeyKind::kToken)] = 500;
  limits.max_posting_per_kind[static_cast<size_t>(BlockingKeyKind::kNameSound)] = 500;
  limits.max_posting_per_kind[static_cast<size_t>(BlockingKeyKind::kDobRegion)] = 500;
  limits.max_posting_per_kind[static_cast<size_t>(BlockingKeyKind::kDobInitial)] = 500;
  limits.max_posting_per_kind[static_cast<size_t>(BlockingKeyKind::kTokenDob)] = 500;
  limits.max_candidates = 1500;
  return limits;
}

}  // namespace padan
