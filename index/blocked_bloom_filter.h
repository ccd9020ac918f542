// BlockedBloomFilter: a Bloom filter of hashed keys whose bits for one key lie in one 64-byte
// block, so that asking costs one cache line (Putze, Sanders, Singler, "Cache-, hash- and
// space-efficient Bloom filters", 2007). NumberIndex::FindNear asks it about the ~110 variants
// of a NIK before probing the hash table, where each probe is two cache lines (control bytes and
// slots) and nearly all variants are absent.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "index/huge_pages.h"
#include "index/mix64.h"

namespace padan {

// Keyed by a well-mixed 64-bit hash of the key: its top bits choose the block, so keys added
// in the order of their hashes' top bits (as a hash table fills in slot order) write the
// blocks front to back. No false negatives: a hash added is always reported. False positives
// about 2-4 % at 8-16 bits a key (four bits set per key). Keys cannot be removed; a filter
// whose set shrinks keeps answering yes for the keys gone until rebuilt.
// Thread-safety: const methods may run concurrently; Reset and Add need exclusive access.
class BlockedBloomFilter {
 public:
  // Empties the filter and sizes it for about `bytes` bytes (a power of two of 64-byte blocks,
  // at least one): give it 1-2 bytes a key.
  void Reset(size_t bytes) {
    const size_t blocks = std::bit_ceil(std::max<size_t>(1, bytes / sizeof(Block)));
    blocks_.assign(blocks, Block{});
    block_shift_ = 64 - std::countr_zero(blocks);
  }

  void Add(uint64_t hash) {
    Block& block = blocks_[BlockOf(hash)];
    const uint64_t bits = Remix(hash);
    for (int i = 0; i < kBitsPerKey; ++i) {
      const uint32_t bit = BitOf(bits, i);
      block.words[bit / 64] |= uint64_t{1} << (bit % 64);
    }
  }

  // Whether `hash` may have been added (false: it certainly was not). True before Reset.
  bool MayHold(uint64_t hash) const {
    if (blocks_.empty()) return true;
    const Block& block = blocks_[BlockOf(hash)];
    const uint64_t bits = Remix(hash);
    for (int i = 0; i < kBitsPerKey; ++i) {
      const uint32_t bit = BitOf(bits, i);
      if ((block.words[bit / 64] >> (bit % 64) & 1) == 0) return false;
    }
    return true;
  }

  // Starts loading the block MayHold(hash) reads.
  void Prefetch(uint64_t hash) const {
    if (!blocks_.empty()) __builtin_prefetch(&blocks_[BlockOf(hash)]);
  }

  size_t MemoryUsage() const { return blocks_.capacity() * sizeof(Block); }

 private:
  static constexpr int kBitsPerKey = 4;
  struct alignas(64) Block {
    std::array<uint64_t, 8> words{};
  };

  // A shift by 64 (one block) is undefined: the top bits are taken as a 65-bit value would be.
  size_t BlockOf(uint64_t hash) const {
    return block_shift_ >= 64 ? 0 : static_cast<size_t>(hash >> block_shift_);
  }
  // Bits for within the block that do not repeat those choosing it.
  static uint64_t Remix(uint64_t x) { return Mix64(x); }
  // The i-th of the key's bits within the block: 9 bits each.
  static uint32_t BitOf(uint64_t bits, int i) {
    return static_cast<uint32_t>(bits >> (9 * i)) & (8 * sizeof(Block) - 1);
  }

  // On huge pages when large: the blocks are read at random, one per variant of a NIK.
  std::vector<Block, HugePageAllocator<Block>> blocks_;
  int block_shift_ = 64;
};

}  // namespace padan
