#include "index/blocking_index.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <functional>
#include <string>
#include <thread>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"

#include "data/absl_strings.h"
#include "data/status_macros.h"
#include "index/mix64.h"
#include "index/snapshot_file.h"

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
  const uint64_t x = Mix64(key);
  return (x & ~kKindMask) | (key >> kBlockingKindShift);
}

template <typename Bytes>
void PutVarint(uint64_t v, Bytes* out) {
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

// Sorts `values` by their upper half (an id of at most `max_id`) with least-significant-digit
// radix passes of 8 bits, as many as `max_id` needs (three at 10 M persons); `scratch` is
// the passes' other buffer. Stable, and without a data-dependent branch: merging the postings'
// sorted runs instead mispredicted about every other element and took half of candidate
// generation.
void SortByUpperHalf(uint32_t max_id, std::vector<uint64_t>* values,
                     std::vector<uint64_t>* scratch) {
  constexpr int kDigitBits = 8;
  constexpr size_t kBins = size_t{1} << kDigitBits;
  constexpr int kMaxPasses = 32 / kDigitBits;
  const int passes = (std::bit_width(max_id) + kDigitBits - 1) / kDigitBits;
  std::array<std::array<uint32_t, kBins>, kMaxPasses> counts{};
  for (uint64_t value : *values) {
    for (int pass = 0; pass < passes; ++pass) {
      ++counts[pass][(value >> (32 + kDigitBits * pass)) & (kBins - 1)];
    }
  }
  scratch->resize(values->size());
  for (int pass = 0; pass < passes; ++pass) {
    std::array<uint32_t, kBins>& next = counts[pass];
    // A digit every value shares moves nothing.
    if (std::find(next.begin(), next.end(), values->size()) != next.end()) continue;
    uint32_t start = 0;
    for (uint32_t& count : next) start += std::exchange(count, start);
    const int shift = 32 + kDigitBits * pass;
    for (uint64_t value : *values) (*scratch)[next[(value >> shift) & (kBins - 1)]++] = value;
    values->swap(*scratch);
  }
}

// The snapshot form's version (BlockingIndex::Save): bump it when the frozen layout, the key
// order (OrderOf) or the section's fields change, so that an older snapshot is rebuilt.
constexpr uint32_t kSnapshotVersion = 1;
// Bucket bits a snapshot may claim: 2^32 buckets of eight keys is far beyond 300 M persons.
constexpr uint32_t kMaxBucketBits = 32;
// A varint of a 64-bit value takes at most ten bytes.
constexpr int kMaxVarintBytes = 10;

// GetVarint for untrusted bytes: false when the varint runs past `end` or past 64 bits.
bool GetVarintChecked(const uint8_t** p, const uint8_t* end, uint64_t* value) {
  uint64_t v = 0;
  const uint8_t* q = *p;
  for (int i = 0; i < kMaxVarintBytes; ++i) {
    if (q == end) return false;
    const uint8_t byte = *q++;
    if (i == kMaxVarintBytes - 1 && byte > 1) return false;  // bits beyond the 64th
    v |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) {
      *p = q;
      *value = v;
      return true;
    }
  }
  return false;
}

// One key of a frozen bucket, decoded.
struct BucketKey {
  uint32_t fingerprint = 0;
  uint32_t count = 0;
  bool stored = false;
  std::vector<uint32_t> ids;  // when stored
};

// Decodes the bucket [begin, end) of trusted bytes (this process built them) into `keys`.
void DecodeBucket(const uint8_t* begin, const uint8_t* end, std::vector<BucketKey>* keys) {
  keys->clear();
  if (begin == end) return;
  const uint8_t* p = begin;
  const uint64_t header_bytes = GetVarint(&p);
  const uint8_t* headers_end = p + header_bytes;
  const uint8_t* ids = headers_end;
  while (p < headers_end) {
    BucketKey key;
    for (int b = 0; b < kFingerprintBytes; ++b) key.fingerprint |= uint32_t{p[b]} << (8 * b);
    p += kFingerprintBytes;
    const uint64_t head = GetVarint(&p);
    key.count = static_cast<uint32_t>(head >> 1);
    key.stored = (head & 1) != 0;
    if (key.stored) {
      const uint64_t v = GetVarint(&p);
      if (key.count == 1) {
        key.ids.push_back(static_cast<uint32_t>(v));
      } else {
        DecodeIds(ids, key.count, [&](uint32_t id) { key.ids.push_back(id); });
        ids += v;
      }
    }
    keys->push_back(std::move(key));
  }
}

// Encodes `keys` as one bucket of the frozen form (the layout Build writes), appending to `out`;
// nothing for no keys.
void EncodeBucket(const std::vector<BucketKey>& keys, std::vector<uint8_t>* out) {
  if (keys.empty()) return;
  std::vector<uint8_t> headers;
  std::vector<uint8_t> ids;
  for (const BucketKey& key : keys) {
    for (int b = 0; b < kFingerprintBytes; ++b) {
      headers.push_back(static_cast<uint8_t>(key.fingerprint >> (8 * b)));
    }
    PutVarint((uint64_t{key.count} << 1) | (key.stored ? 1 : 0), &headers);
    if (!key.stored) continue;
    if (key.count == 1) {
      PutVarint(key.ids[0], &headers);
      continue;
    }
    const size_t before = ids.size();
    uint32_t previous = 0;
    for (uint32_t id : key.ids) {
      PutVarint(id - previous, &ids);
      previous = id;
    }
    PutVarint(ids.size() - before, &headers);
  }
  PutVarint(headers.size(), out);
  out->insert(out->end(), headers.begin(), headers.end());
  out->insert(out->end(), ids.begin(), ids.end());
}

// Checks one bucket [begin, end) of untrusted bytes: every varint, header and posting inside
// it, fingerprints in order, ids below `person_count`, rising, and as many as counted. Adds the
// bucket's keys and stubs. Returns "" or what is wrong.
std::string CheckBucket(const uint8_t* begin, const uint8_t* end, size_t person_count,
                        uint64_t* keys, uint64_t* stubs) {
  if (begin == end) return "";
  const uint8_t* p = begin;
  uint64_t header_bytes = 0;
  if (!GetVarintChecked(&p, end, &header_bytes) || header_bytes > static_cast<uint64_t>(end - p) ||
      header_bytes == 0) {
    return "its header length runs past the bucket";
  }
  const uint8_t* headers_end = p + header_bytes;
  const uint8_t* ids = headers_end;
  uint32_t previous_fingerprint = 0;
  while (p < headers_end) {
    if (headers_end - p < kFingerprintBytes) return "a key header is cut off";
    uint32_t fingerprint = 0;
    for (int b = 0; b < kFingerprintBytes; ++b) fingerprint |= uint32_t{p[b]} << (8 * b);
    p += kFingerprintBytes;
    if (fingerprint < previous_fingerprint) return "its keys are out of order";
    previous_fingerprint = fingerprint;
    uint64_t head = 0;
    if (!GetVarintChecked(&p, headers_end, &head)) return "a key header is cut off";
    const uint64_t count = head >> 1;
    const bool stored = (head & 1) != 0;
    if (count == 0 || count > person_count) return "a key counts no persons or too many";
    ++*keys;
    if (!stored) {
      ++*stubs;
      continue;
    }
    uint64_t v = 0;
    if (!GetVarintChecked(&p, headers_end, &v)) return "a key header is cut off";
    if (count == 1) {
      if (v >= person_count) return "a person id is out of range";
      continue;
    }
    if (v > static_cast<uint64_t>(end - ids)) return "a posting runs past the bucket";
    const uint8_t* q = ids;
    const uint8_t* posting_end = ids + v;
    uint64_t id = 0;
    for (uint64_t i = 0; i < count; ++i) {
      uint64_t delta = 0;
      if (!GetVarintChecked(&q, posting_end, &delta)) return "a posting has fewer ids than counted";
      if (i > 0 && delta == 0) return "a posting's ids are not rising";
      id += delta;
      if (id >= person_count) return "a person id is out of range";
    }
    if (q != posting_end) return "a posting has more bytes than its ids";
    ids = posting_end;
  }
  if (ids != end) return "bytes follow its last posting";
  return "";
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

  // (id << 32 | rarity) of every posting taken; sorted by id, equal ids are one candidate.
  std::vector<uint64_t> hits;
  uint32_t max_id = 0;
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
    if (frozen.stored) {
      // Frozen ids rise: the last is the posting's largest.
      uint32_t last = 0;
      DecodeIds(frozen.ids, frozen.count, [&](uint32_t id) {
        hits.push_back((uint64_t{id} << 32) | rarity);
        last = id;
      });
      max_id = std::max(max_id, last);
    }
    if (delta != nullptr) {
      for (uint32_t id : delta->ids) {
        hits.push_back((uint64_t{id} << 32) | rarity);
        max_id = std::max(max_id, id);
      }
    }
  }
  if (hits.empty()) return;
  std::vector<uint64_t> scratch;
  SortByUpperHalf(max_id, &hits, &scratch);

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

void BlockingIndex::Save(SnapshotWriter& writer, std::string_view section,
                         absl::Span<const uint32_t> remap) const {
  // The frozen bytes first, in a section of their own, so that renumbered buckets stream to
  // the writer while the directory is collected.
  std::vector<uint64_t> directory;
  uint64_t keys = frozen_keys_;
  uint64_t stubs = frozen_stubs_;
  writer.BeginSection(StrCat(section, ".bytes"));
  if (remap.empty() || bytes_.empty()) {
    // An empty vector's data() may be null, which memcpy must not be given even for 0 bytes.
    if (!bytes_.empty()) writer.Append(bytes_.data(), bytes_.size());
    directory.assign(directory_.begin(), directory_.end());
  } else {
    directory.reserve(directory_.size());
    keys = 0;
    stubs = 0;
    std::vector<BucketKey> bucket;
    std::vector<uint8_t> encoded;
    uint64_t written = 0;
    for (size_t b = 0; b + 1 < directory_.size(); ++b) {
      directory.push_back(written);
      DecodeBucket(bytes_.data() + directory_[b], bytes_.data() + directory_[b + 1], &bucket);
      size_t kept = 0;
      for (size_t k = 0; k < bucket.size(); ++k) {
        BucketKey& key = bucket[k];
        if (key.stored) {
          // The renumbering keeps order, so mapped ids stay sorted.
          size_t out = 0;
          for (uint32_t id : key.ids) {
            const uint32_t mapped = id < remap.size() ? remap[id] : PersonId::kInvalidValue;
            if (mapped != PersonId::kInvalidValue) key.ids[out++] = mapped;
          }
          key.ids.resize(out);
          key.count = static_cast<uint32_t>(out);
          if (out == 0) continue;
        } else {
          ++stubs;
        }
        ++keys;
        // Moving a key onto itself would empty its ids.
        if (kept != k) bucket[kept] = std::move(key);
        ++kept;
      }
      bucket.resize(kept);
      encoded.clear();
      EncodeBucket(bucket, &encoded);
      if (!encoded.empty()) writer.Append(encoded.data(), encoded.size());
      written += encoded.size();
    }
    directory.push_back(written);
  }

  writer.BeginSection(section);
  writer.AppendU32(kSnapshotVersion);
  writer.AppendU32(kBlockingKeyKindCount);
  for (size_t cap : stored_.max_posting_per_kind) writer.AppendU64(cap);
  writer.AppendU64(stored_.max_candidates);
  writer.AppendU32(static_cast<uint32_t>(bucket_bits_));
  writer.AppendU64(keys);
  writer.AppendU64(stubs);
  writer.AppendVector(directory);
  // The delta, renumbered too; a key whose ids all went keeps the rest of its count.
  std::vector<std::pair<BlockingKey, const DeltaPosting*>> delta;
  delta.reserve(delta_.size());
  for (const auto& [key, posting] : delta_) delta.emplace_back(key, &posting);
  std::sort(delta.begin(), delta.end());  // equal indexes, equal snapshots
  std::vector<uint32_t> ids;
  std::vector<std::pair<BlockingKey, std::pair<uint32_t, std::vector<uint32_t>>>> kept;
  for (const auto& [key, posting] : delta) {
    ids.clear();
    uint32_t dropped = 0;
    for (uint32_t id : posting->ids) {
      const uint32_t mapped =
          remap.empty() ? id : (id < remap.size() ? remap[id] : PersonId::kInvalidValue);
      if (mapped == PersonId::kInvalidValue) {
        ++dropped;
      } else {
        ids.push_back(mapped);
      }
    }
    const uint32_t count = posting->count - dropped;
    if (count == 0) continue;
    kept.push_back({key, {count, ids}});
  }
  writer.AppendU64(kept.size());
  for (const auto& [key, posting] : kept) {
    writer.AppendU64(key);
    writer.AppendU32(posting.first);
    writer.AppendU32(static_cast<uint32_t>(posting.second.size()));
    if (!posting.second.empty()) {
      writer.Append(posting.second.data(), posting.second.size() * sizeof(uint32_t));
    }
  }
}

absl::StatusOr<BlockingIndex> BlockingIndex::Load(SnapshotReader& reader, std::string_view section,
                                                  size_t person_count, int threads) {
  PADAN_ASSIGN_OR_RETURN(BlockingIndex index, Read(reader, section));
  PADAN_RETURN_IF_ERROR(index.Check(section, person_count, threads));
  return index;
}

absl::StatusOr<BlockingIndex> BlockingIndex::Read(SnapshotReader& reader,
                                                  std::string_view section) {
  auto corrupt = [&](std::string_view problem) {
    return absl::DataLossError(StrCat("snapshot section '", section, "': ", problem));
  };
  // Reads of the section's own fields; a short section is corrupt.
  absl::Status status;
  auto u32 = [&]() -> uint32_t {
    absl::StatusOr<uint32_t> v = reader.ReadU32();
    if (!v.ok() && status.ok()) status = v.status();
    return v.value_or(0);
  };
  auto u64 = [&]() -> uint64_t {
    absl::StatusOr<uint64_t> v = reader.ReadU64();
    if (!v.ok() && status.ok()) status = v.status();
    return v.value_or(0);
  };

  if (!reader.HasSection(section)) return corrupt("missing");
  PADAN_RETURN_IF_ERROR(reader.OpenSection(section));
  const uint32_t version = u32();
  if (!status.ok()) return status;
  if (version != kSnapshotVersion) {
    return absl::FailedPreconditionError(StrCat("snapshot section '", section, "' has version ",
                                                version, "; this build reads ", kSnapshotVersion));
  }
  if (u32() != kBlockingKeyKindCount) {
    return absl::FailedPreconditionError(
        StrCat("snapshot section '", section, "' has another number of key kinds"));
  }
  Limits stored;
  for (size_t& cap : stored.max_posting_per_kind) cap = u64();
  stored.max_candidates = u64();
  BlockingIndex index(stored);
  const uint32_t bucket_bits = u32();
  const uint64_t keys = u64();
  const uint64_t stubs = u64();
  if (!status.ok()) return status;
  if (bucket_bits > kMaxBucketBits) return corrupt(StrCat(bucket_bits, " bucket bits"));
  index.bucket_bits_ = static_cast<int>(bucket_bits);
  if (absl::Status read =
          reader.ReadVector(&index.directory_, reader.remaining() / sizeof(uint64_t));
      !read.ok()) {
    return corrupt(StrCat("the bucket directory: ", read.message()));
  }

  // The delta.
  const uint64_t delta_keys = u64();
  if (!status.ok()) return status;
  constexpr uint64_t kMinDeltaEntry = 8 + 4 + 4;
  if (delta_keys > reader.remaining() / kMinDeltaEntry) {
    return corrupt(StrCat(delta_keys, " delta keys in ", reader.remaining(), " bytes"));
  }
  index.delta_.reserve(delta_keys);
  for (uint64_t i = 0; i < delta_keys; ++i) {
    const BlockingKey key = u64();
    const uint32_t count = u32();
    const uint32_t id_count = u32();
    if (!status.ok()) return status;
    if ((key >> kBlockingKindShift) >= kBlockingKeyKindCount) {
      return corrupt("a delta key has an unknown kind");
    }
    if (count == 0 || id_count > count || id_count > reader.remaining() / sizeof(uint32_t)) {
      return corrupt("a delta key's count disagrees with its ids");
    }
    DeltaPosting& posting = index.delta_[key];
    if (posting.count != 0) return corrupt("a delta key appears twice");
    posting.count = count;
    posting.ids.resize(id_count);
    PADAN_RETURN_IF_ERROR(reader.Read(posting.ids.data(), id_count * sizeof(uint32_t)));
  }
  if (reader.remaining() != 0) return corrupt("bytes follow the delta");

  // The frozen bytes, then the directory over them, then every bucket.
  const std::string bytes_section = StrCat(section, ".bytes");
  if (!reader.HasSection(bytes_section)) {
    return absl::DataLossError(StrCat("snapshot section '", bytes_section, "': missing"));
  }
  PADAN_RETURN_IF_ERROR(reader.OpenSection(bytes_section));
  index.bytes_.resize(reader.remaining());
  PADAN_RETURN_IF_ERROR(reader.Read(index.bytes_.data(), index.bytes_.size()));
  const auto& directory = index.directory_;
  if (index.bytes_.empty()) {
    if (keys != 0) return corrupt("keys are counted but there are no bytes");
    index.directory_.clear();
    index.bucket_bits_ = 0;
    return index;
  }
  if (directory.size() != (size_t{1} << bucket_bits) + 1 || directory.front() != 0 ||
      directory.back() != index.bytes_.size()) {
    return corrupt("the bucket directory does not span the frozen bytes");
  }
  for (size_t b = 0; b + 1 < directory.size(); ++b) {
    if (directory[b] > directory[b + 1]) return corrupt("the bucket directory is out of order");
  }
  index.frozen_keys_ = keys;
  index.frozen_stubs_ = stubs;
  return index;
}

absl::Status BlockingIndex::Check(std::string_view section, size_t person_count,
                                  int threads) const {
  auto corrupt = [&](std::string_view problem) {
    return absl::DataLossError(StrCat("snapshot section '", section, "': ", problem));
  };
  for (const auto& [key, posting] : delta_) {
    for (uint32_t id : posting.ids) {
      if (id >= person_count) return corrupt("a delta id is out of range");
    }
  }
  if (bytes_.empty()) return absl::OkStatus();
  const auto& directory = directory_;
  // Every bucket is checked, in `threads` ranges at once: the bytes are most of the index.
  const size_t buckets = directory.size() - 1;
  const size_t parts = static_cast<size_t>(std::clamp(threads, 1, 16));
  struct Part {
    std::string problem;
    size_t bucket = 0;
    uint64_t keys = 0;
    uint64_t stubs = 0;
  };
  std::vector<Part> results(parts);
  auto check = [&](size_t part) {
    Part& result = results[part];
    const size_t first = buckets * part / parts;
    const size_t last = buckets * (part + 1) / parts;
    for (size_t b = first; b < last && result.problem.empty(); ++b) {
      result.problem = CheckBucket(bytes_.data() + directory[b], bytes_.data() + directory[b + 1],
                                   person_count, &result.keys, &result.stubs);
      result.bucket = b;
    }
  };
  std::vector<std::thread> workers;
  for (size_t part = 1; part < parts; ++part) workers.emplace_back(check, part);
  check(0);
  for (std::thread& worker : workers) worker.join();
  uint64_t counted_keys = 0;
  uint64_t counted_stubs = 0;
  for (const Part& result : results) {
    if (!result.problem.empty()) {
      return corrupt(StrCat("bucket ", result.bucket, ": ", result.problem));
    }
    counted_keys += result.keys;
    counted_stubs += result.stubs;
  }
  if (counted_keys != frozen_keys_ || counted_stubs != frozen_stubs_) {
    return corrupt(StrCat("the header counts ", frozen_keys_, " keys and ", frozen_stubs_,
                          " stubs, the buckets ", counted_keys, " and ", counted_stubs));
  }
  return absl::OkStatus();
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
