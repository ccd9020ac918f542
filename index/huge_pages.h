// Large allocations on transparent huge pages, populated when they are made: for memory that
// is written whole soon after it is allocated (the record store's column blocks, id maps and
// loaded text, the snapshot reader's buffer).
#pragma once

#include <cstddef>
#include <memory>
#include <new>

namespace padan {

// The x86-64 transparent huge page (also AArch64's with 4 KiB base pages).
inline constexpr size_t kHugePageBytes = size_t{2} << 20;

// `size` rounded up to whole huge pages.
constexpr size_t RoundUpToHugePages(size_t size) {
  return (size + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
}

// Maps RoundUpToHugePages(size) zero-filled bytes aligned to kHugePageBytes, asks the kernel to
// back them with transparent huge pages (madvise MADV_HUGEPAGE) and populates them writable
// in one call (MADV_POPULATE_WRITE), so that writing them takes no page faults. Both are hints:
// a kernel without them, or with THP off, gives ordinary pages. Returns nullptr when the
// memory cannot be mapped. Thread-safe.
//
// Why: on the 2-core VM of DESIGN.md §7 a first write to a 4 KiB page costs ~30 µs, so filling
// 200 MB of fresh memory took 1.4 s, and 0.1 s on populated huge pages (bench numbers in the
// record store's snapshot report); lookups also miss the TLB less on huge pages.
void* TryAllocateHugePages(size_t size);

// As TryAllocateHugePages without populating: each huge page is taken on its first touch
// (with THP's defrag setting "madvise", the kernel's default, the fault itself assembles it).
// For containers that grow by doubling, whose spare capacity must not count as resident.
void* TryAllocateHugePagesOnTouch(size_t size);

// As TryAllocateHugePages, but like operator new it throws std::bad_alloc (which ends the
// program: padan catches no exceptions) when memory cannot be mapped.
void* AllocateHugePages(size_t size);

// REQUIRES: `data` came from (Try)AllocateHugePages(size) with the same size, or is the
// huge-page-aligned tail of such a region with the size of that tail, or is nullptr.
void FreeHugePages(void* data, size_t size);

// Owns one TryAllocateHugePages region. Move-only; not thread-safe.
class HugePageBuffer {
 public:
  HugePageBuffer() = default;
  // data() is nullptr when the memory cannot be mapped.
  explicit HugePageBuffer(size_t size)
      : data_(static_cast<char*>(TryAllocateHugePages(size))), size_(data_ ? size : 0) {}
  ~HugePageBuffer() { FreeHugePages(data_, size_); }

  HugePageBuffer(HugePageBuffer&& other) noexcept : data_(other.data_), size_(other.size_) {
    other.data_ = nullptr;
    other.size_ = 0;
  }
  HugePageBuffer& operator=(HugePageBuffer&& other) noexcept {
    if (this != &other) {
      FreeHugePages(data_, size_);
      data_ = other.data_;
      size_ = other.size_;
      other.data_ = nullptr;
      other.size_ = 0;
    }
    return *this;
  }

  // Unmaps the whole huge pages past the first `size` bytes. REQUIRES: size <= size().
  void ShrinkTo(size_t size) {
    const size_t keep = RoundUpToHugePages(size);
    if (keep < mapped_bytes()) FreeHugePages(data_ + keep, size_ - keep);
    size_ = size;
    if (size_ == 0) data_ = nullptr;
  }

  char* data() const { return data_; }
  size_t size() const { return size_; }
  // Bytes mapped: size() rounded up to whole huge pages.
  size_t mapped_bytes() const { return RoundUpToHugePages(size_); }

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
};

// When an allocator's huge pages become resident.
enum class HugePagesResident {
  kAtOnce,   // populated when allocated (TryAllocateHugePages): for memory written whole soon
  kOnTouch,  // taken as touched (TryAllocateHugePagesOnTouch): for containers that keep growing
};

// A standard allocator that takes allocations of at least one huge page from
// (Try)AllocateHugePages[OnTouch] and smaller ones from operator new. Stateless. Use through
// the two names below.
template <typename T, HugePagesResident kResident>
class BasicHugePageAllocator {
 public:
  using value_type = T;
  // Spelled out: the default rebind does not handle the non-type parameter.
  template <typename U>
  struct rebind {
    using other = BasicHugePageAllocator<U, kResident>;
  };

  BasicHugePageAllocator() = default;
  // Implicit, as the allocator requirements have containers rebind allocators by conversion.
  template <typename U>
  BasicHugePageAllocator(const BasicHugePageAllocator<U, kResident>&) {}  // NOLINT

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePageBytes) return std::allocator<T>().allocate(n);
    void* data = kResident == HugePagesResident::kAtOnce ? TryAllocateHugePages(bytes)
                                                         : TryAllocateHugePagesOnTouch(bytes);
    if (data == nullptr) throw std::bad_alloc();
    return static_cast<T*>(data);
  }
  void deallocate(T* p, size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePageBytes) {
      std::allocator<T>().deallocate(p, n);
    } else {
      FreeHugePages(p, bytes);
    }
  }

  friend bool operator==(const BasicHugePageAllocator&, const BasicHugePageAllocator&) {
    return true;
  }
};

// For containers written whole when made, such as the hash sets of a national store's ids.
template <typename T>
using HugePageAllocator = BasicHugePageAllocator<T, HugePagesResident::kAtOnce>;
// For containers read at random that keep growing, such as the match name cache's
// dictionary, where the doubled capacity of a growth would otherwise be resident at once.
template <typename T>
using OnTouchHugePageAllocator = BasicHugePageAllocator<T, HugePagesResident::kOnTouch>;

}  // namespace padan
