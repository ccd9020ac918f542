// StringArena: append-only storage for the bytes of many small strings, in large chunks,
// addressed by 64-bit offsets so that one arena can hold far more than 4 GiB of text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace padan {

// StringArena copies byte strings into large chunks (a bump allocator, like leveldb's Arena)
// and returns for each the 64-bit offset of its first byte. Nothing is freed or moved until the
// arena is destroyed, so views returned by Get stay valid for the arena's lifetime, also across
// a move of the arena object itself.
//
// An offset is `slot * chunk_bytes + position`, and a table with one pointer per slot turns it
// into an address in O(1), with no search. A string never straddles two chunks: one that does
// not fit in the rest of the current chunk starts a new chunk, wasting that rest, and one
// longer than a chunk gets an allocation of its own that spans several consecutive slots.
// So while no string is longer than chunk_bytes(), each string's offset is less than the
// previous string's offset plus the sizes of both; RecordStore relies on that bound.
//
// Thread-safety: const methods may run concurrently from many threads; Append requires
// exclusive access (it may grow the slot table that Get reads).
// Cost: one chunk is allocated at a time, its pages touched only as they are written; the
// slot table adds 8 bytes per chunk.
class StringArena {
 public:
  // 1 MiB: large enough that the per-chunk waste and the slot table are noise, small enough
  // that a small store does not reserve much.
  static constexpr size_t kDefaultChunkBytes = size_t{1} << 20;

  // REQUIRES: chunk_bytes is a power of two.
  explicit StringArena(size_t chunk_bytes = kDefaultChunkBytes);

  StringArena(const StringArena&) = delete;
  StringArena& operator=(const StringArena&) = delete;
  // A moved-from arena is empty and usable.
  StringArena(StringArena&& other) noexcept;
  StringArena& operator=(StringArena&& other) noexcept;

  // Copies `bytes` into the arena and returns the offset of the copy. Offsets never decrease
  // from one call to the next. An empty string takes no space; its offset is only good for
  // Get(offset, 0).
  uint64_t Append(std::string_view bytes);

  // The `size` bytes at `offset`. REQUIRES: they lie within the bytes of one earlier Append.
  std::string_view Get(uint64_t offset, size_t size) const {
    if (size == 0) return {};
    return {At(offset), size};
  }

  // The byte at `offset`, for decoders that learn a string's length as they read it; the
  // bytes of the same Append follow it contiguously. REQUIRES: offset lies within the bytes
  // of one earlier non-empty Append.
  const char* At(uint64_t offset) const {
    return slots_[offset >> chunk_shift_] + (offset & (chunk_bytes_ - 1));
  }

  size_t chunk_bytes() const { return chunk_bytes_; }
  // Sum of the sizes passed to Append.
  uint64_t bytes_appended() const { return bytes_appended_; }
  // Heap bytes held: chunks, large allocations and the tables that own and address them.
  size_t MemoryUsage() const;

 private:
  // Makes room for `size` contiguous bytes at a fresh slot and moves next_ there.
  void StartChunk(size_t size);

  size_t chunk_bytes_;
  int chunk_shift_;
  std::vector<char*> slots_;                          // slot index -> first byte of that slot
  std::vector<std::unique_ptr<char[]>> allocations_;  // owns what slots_ points into
  uint64_t next_ = 0;   // offset the next Append writes to, if the string fits
  uint64_t limit_ = 0;  // end of the memory behind next_
  uint64_t bytes_appended_ = 0;
  size_t bytes_allocated_ = 0;
};

}  // namespace padan
