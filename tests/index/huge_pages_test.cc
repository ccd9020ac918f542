#include "index/huge_pages.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace padan {
namespace {

// Pages of [data, data + size) that are resident.
size_t ResidentPages(void* data, size_t size) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> resident((size + page - 1) / page);
  if (::mincore(data, size, resident.data()) != 0) return SIZE_MAX;
  size_t count = 0;
  for (unsigned char r : resident) count += r & 1;
  return count;
}

TEST(HugePagesTest, PopulatedRegionsAreAlignedZeroedAndResident) {
  constexpr size_t kSize = 3 * kHugePageBytes + 100;
  auto* data = static_cast<unsigned char*>(TryAllocateHugePages(kSize));
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(data) % kHugePageBytes, 0u);
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  EXPECT_EQ(ResidentPages(data, kSize), (kSize + page - 1) / page);
  EXPECT_EQ(data[0], 0);
  EXPECT_EQ(data[kSize - 1], 0);
  data[kSize - 1] = 7;
  FreeHugePages(data, kSize);
}

TEST(HugePagesTest, OnTouchRegionsTakeMemoryOnlyWhereWritten) {
  constexpr size_t kSize = 4 * kHugePageBytes;
  auto* data = static_cast<unsigned char*>(TryAllocateHugePagesOnTouch(kSize));
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(data) % kHugePageBytes, 0u);
  EXPECT_EQ(ResidentPages(data, kSize), 0u);
  data[0] = 1;
  const size_t resident = ResidentPages(data, kSize);
  EXPECT_GE(resident, 1u);
  // At most the one huge page the write fell in: the other three stay untouched.
  EXPECT_LE(resident * static_cast<size_t>(sysconf(_SC_PAGESIZE)), kHugePageBytes);
  EXPECT_EQ(data[kSize - 1], 0);
  FreeHugePages(data, kSize);
}

TEST(HugePagesTest, OnTouchAllocatorBacksAGrowingVector) {
  std::vector<uint64_t, OnTouchHugePageAllocator<uint64_t>> values;
  for (uint64_t i = 0; i < 1'000'000; ++i) values.push_back(i * 3);  // past several huge pages
  uint64_t sum = 0;
  for (uint64_t v : values) sum += v;
  EXPECT_EQ(sum, uint64_t{3} * 999'999 * 1'000'000 / 2);
  values.clear();
  values.shrink_to_fit();
  values.push_back(5);  // a small allocation comes from operator new again
  EXPECT_EQ(values[0], 5u);
}

}  // namespace
}  // namespace padan
