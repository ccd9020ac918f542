#include "index/string_arena.h"

#include <bit>
#include <cassert>
#include <cstring>
#include <utility>

namespace padan {

StringArena::StringArena(size_t chunk_bytes)
    : chunk_bytes_(chunk_bytes), chunk_shift_(std::countr_zero(chunk_bytes)) {
  assert(std::has_single_bit(chunk_bytes));
}

StringArena::StringArena(StringArena&& other) noexcept
    : chunk_bytes_(other.chunk_bytes_),
      chunk_shift_(other.chunk_shift_),
      slots_(std::move(other.slots_)),
      allocations_(std::move(other.allocations_)),
      next_(std::exchange(other.next_, 0)),
      limit_(std::exchange(other.limit_, 0)),
      bytes_appended_(std::exchange(other.bytes_appended_, 0)),
      bytes_allocated_(std::exchange(other.bytes_allocated_, 0)) {
  other.slots_.clear();
  other.allocations_.clear();
}

StringArena& StringArena::operator=(StringArena&& other) noexcept {
  if (this != &other) {
    chunk_bytes_ = other.chunk_bytes_;
    chunk_shift_ = other.chunk_shift_;
    slots_ = std::move(other.slots_);
    allocations_ = std::move(other.allocations_);
    next_ = std::exchange(other.next_, 0);
    limit_ = std::exchange(other.limit_, 0);
    bytes_appended_ = std::exchange(other.bytes_appended_, 0);
    bytes_allocated_ = std::exchange(other.bytes_allocated_, 0);
    other.slots_.clear();
    other.allocations_.clear();
  }
  return *this;
}

uint64_t StringArena::Append(std::string_view bytes) {
  const size_t size = bytes.size();
  if (size == 0) return next_;
  if (size > limit_ - next_) StartChunk(size);
  const uint64_t offset = next_;
  std::memcpy(slots_[offset >> chunk_shift_] + (offset & (chunk_bytes_ - 1)), bytes.data(), size);
  next_ += size;
  bytes_appended_ += size;
  return offset;
}

void StringArena::StartChunk(size_t size) {
  const size_t slot_count = (size + chunk_bytes_ - 1) >> chunk_shift_;
  // An ordinary string gets a whole chunk for it and its successors; a longer one gets exactly
  // its size, and the slots it spans point at successive chunk-sized steps into it, so At()
  // needs no special case. The next Append then starts on a fresh slot.
  const size_t alloc_bytes = slot_count == 1 ? chunk_bytes_ : size;
  // make_unique_for_overwrite: no zero-fill, so untouched pages stay out of resident memory.
  std::unique_ptr<char[]> memory = std::make_unique_for_overwrite<char[]>(alloc_bytes);
  const uint64_t first_slot = slots_.size();
  for (size_t i = 0; i < slot_count; ++i) slots_.push_back(memory.get() + (i << chunk_shift_));
  allocations_.push_back(std::move(memory));
  bytes_allocated_ += alloc_bytes;
  next_ = first_slot << chunk_shift_;
  limit_ = next_ + alloc_bytes;
}

size_t StringArena::MemoryUsage() const {
  return bytes_allocated_ + slots_.capacity() * sizeof(char*) +
         allocations_.capacity() * sizeof(std::unique_ptr<char[]>);
}

}  // namespace padan
