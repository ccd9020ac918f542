#include "index/blocked_bloom_filter.h"

#include <cstdint>

#include "gtest/gtest.h"

namespace padan {
namespace {

// Hashes as a caller gives them: well mixed (a multiplicative hash of a counter).
uint64_t HashOf(uint64_t key) { return (key + 1) * 0x9e3779b97f4a7c15ULL; }

TEST(BlockedBloomFilterTest, HoldsEveryKeyAddedAndFewOthers) {
  constexpr uint64_t kKeys = 100'000;
  BlockedBloomFilter filter;
  filter.Reset(kKeys);  // one byte a key
  for (uint64_t key = 0; key < kKeys; ++key) filter.Add(HashOf(key));
  for (uint64_t key = 0; key < kKeys; ++key) ASSERT_TRUE(filter.MayHold(HashOf(key))) << key;
  uint64_t false_positives = 0;
  for (uint64_t key = kKeys; key < 2 * kKeys; ++key) false_positives += filter.MayHold(HashOf(key));
  // About 2-5 % at 8-16 bits a key (here 10.5: 100,000 keys in 2^17 bytes).
  EXPECT_LT(false_positives, kKeys * 5 / 100);
  EXPECT_GT(false_positives, 0u);
  EXPECT_EQ(filter.MemoryUsage(), size_t{1} << 17);
}

TEST(BlockedBloomFilterTest, EmptyUntilResetHoldsEverything) {
  BlockedBloomFilter filter;
  EXPECT_TRUE(filter.MayHold(HashOf(7)));
  filter.Reset(1);  // one block
  EXPECT_FALSE(filter.MayHold(HashOf(7)));
  filter.Add(HashOf(7));
  EXPECT_TRUE(filter.MayHold(HashOf(7)));
  filter.Reset(1);
  EXPECT_FALSE(filter.MayHold(HashOf(7)));
}

}  // namespace
}  // namespace padan
