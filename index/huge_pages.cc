#include "index/huge_pages.h"

#include <sys/mman.h>

#include <cstdint>

namespace padan {
namespace {

// Linux 5.14; older headers lack the name, and older kernels answer EINVAL, which is ignored.
#ifndef MADV_POPULATE_WRITE
constexpr int kMadvPopulateWrite = 23;
#else
constexpr int kMadvPopulateWrite = MADV_POPULATE_WRITE;
#endif

}  // namespace

namespace {

// Maps RoundUpToHugePages(size) bytes on a huge-page boundary, marked for huge pages.
void* MapHugePageAligned(size_t size) {
  if (size == 0) return nullptr;
  const size_t bytes = RoundUpToHugePages(size);
  // Over-map by one huge page and trim both ends, so that the region starts on a huge-page
  // boundary: only whole aligned 2 MiB ranges can be backed by huge pages.
  const size_t mapped = bytes + kHugePageBytes;
  void* raw = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  const auto start = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (start + kHugePageBytes - 1) & ~uintptr_t{kHugePageBytes - 1};
  if (aligned > start) ::munmap(raw, aligned - start);
  const uintptr_t end = start + mapped;
  if (end > aligned + bytes)
    ::munmap(reinterpret_cast<void*>(aligned + bytes), end - aligned - bytes);
  void* data = reinterpret_cast<void*>(aligned);
  ::madvise(data, bytes, MADV_HUGEPAGE);
  return data;
}

}  // namespace

void* TryAllocateHugePages(size_t size) {
  void* data = MapHugePageAligned(size);
  if (data != nullptr) ::madvise(data, RoundUpToHugePages(size), kMadvPopulateWrite);
  return data;
}

void* TryAllocateHugePagesOnTouch(size_t size) { return MapHugePageAligned(size); }

void* AllocateHugePages(size_t size) {
  void* data = TryAllocateHugePages(size);
  if (data == nullptr && size > 0) throw std::bad_alloc();
  return data;
}

void FreeHugePages(void* data, size_t size) {
  if (data != nullptr) ::munmap(data, RoundUpToHugePages(size));
}

}  // namespace padan
