#include "index/string_arena.h"

#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace padan {
namespace {

// A deterministic string of `size` bytes that differs with `seed`, NUL and high bytes included.
std::string Bytes(size_t size, uint32_t seed) {
  std::string s(size, '\0');
  for (size_t i = 0; i < size; ++i) s[i] = static_cast<char>((seed * 131 + i * 7) & 0xFF);
  return s;
}

TEST(StringArenaTest, ReadsBackWhatWasAppended) {
  StringArena arena;
  uint64_t a = arena.Append("Siti Aminah");
  uint64_t b = arena.Append("Ni Luh Putu Ayu");
  EXPECT_EQ(arena.Get(a, 11), "Siti Aminah");
  EXPECT_EQ(arena.Get(b, 15), "Ni Luh Putu Ayu");
  EXPECT_EQ(*arena.At(b), 'N');
  EXPECT_EQ(arena.bytes_appended(), 26u);
}

TEST(StringArenaTest, KeepsEachStringWholeAcrossChunkBoundaries) {
  constexpr size_t kChunk = 64;
  StringArena arena(kChunk);
  std::mt19937 rng(7);
  std::vector<std::pair<uint64_t, std::string>> stored;
  for (uint32_t i = 0; i < 2000; ++i) {
    std::string s = Bytes(1 + rng() % kChunk, i);
    stored.emplace_back(arena.Append(s), s);
  }
  for (const auto& [offset, s] : stored) {
    EXPECT_EQ(arena.Get(offset, s.size()), s);
    // Whole within one chunk: the views are plain contiguous memory.
    EXPECT_EQ(offset / kChunk, (offset + s.size() - 1) / kChunk) << offset;
  }
}

TEST(StringArenaTest, StoresStringsLongerThanAChunk) {
  StringArena arena(64);
  uint64_t before = arena.Append("abc");
  std::string big = Bytes(1000, 3);
  uint64_t big_offset = arena.Append(big);
  uint64_t after = arena.Append("xyz");
  std::string exact = Bytes(128, 4);  // exactly two chunks
  uint64_t exact_offset = arena.Append(exact);
  EXPECT_EQ(arena.Get(before, 3), "abc");
  EXPECT_EQ(arena.Get(big_offset, big.size()), big);
  EXPECT_EQ(arena.Get(after, 3), "xyz");
  EXPECT_EQ(arena.Get(exact_offset, exact.size()), exact);
  EXPECT_GE(after, big_offset + big.size());
  // A long string gets exactly its own size, not a multiple of the chunk.
  EXPECT_LT(arena.MemoryUsage(), 64 + 1000 + 64 + 128 + 1024);
}

TEST(StringArenaTest, EmptyStringsTakeNoSpace) {
  StringArena arena;
  uint64_t offset = arena.Append("");
  EXPECT_EQ(arena.Get(offset, 0), "");
  EXPECT_EQ(arena.bytes_appended(), 0u);
  EXPECT_EQ(arena.MemoryUsage(), 0u);
}

TEST(StringArenaTest, OffsetsGrowByLessThanTwiceTheStringSize) {
  // RecordStore's 32-bit deltas rely on this bound for strings up to a chunk long.
  constexpr size_t kChunk = 256;
  StringArena arena(kChunk);
  std::mt19937 rng(11);
  uint64_t previous = arena.Append(Bytes(10, 0));
  size_t previous_size = 10;
  for (uint32_t i = 1; i < 5000; ++i) {
    size_t size = 1 + rng() % kChunk;
    uint64_t offset = arena.Append(Bytes(size, i));
    ASSERT_GE(offset, previous + previous_size);
    ASSERT_LT(offset - previous, previous_size + size);
    previous = offset;
    previous_size = size;
  }
}

TEST(StringArenaTest, ViewsSurviveAMoveOfTheArena) {
  StringArena arena(64);
  uint64_t offset = arena.Append("Bambang Pamungkas");
  std::string_view view = arena.Get(offset, 17);
  StringArena moved = std::move(arena);
  EXPECT_EQ(view, "Bambang Pamungkas");
  EXPECT_EQ(moved.Get(offset, 17), "Bambang Pamungkas");
  EXPECT_EQ(moved.Get(offset, 17).data(), view.data());
}

TEST(StringArenaTest, MovedFromArenaIsEmptyAndUsable) {
  StringArena arena(64);
  arena.Append("Bambang");
  StringArena moved = std::move(arena);
  EXPECT_EQ(arena.bytes_appended(), 0u);  // NOLINT(bugprone-use-after-move): defined state
  EXPECT_EQ(arena.MemoryUsage(), 0u);
  uint64_t offset = arena.Append("Pamungkas");
  EXPECT_EQ(arena.Get(offset, 9), "Pamungkas");
  EXPECT_EQ(moved.bytes_appended(), 7u);
}

TEST(StringArenaTest, MemoryUsageCountsWholeChunks) {
  StringArena arena(1024);
  arena.Append("x");
  EXPECT_GE(arena.MemoryUsage(), 1024u);
  EXPECT_LT(arena.MemoryUsage(), 2048u);
  for (int i = 0; i < 100; ++i) arena.Append(Bytes(100, i));
  EXPECT_GE(arena.MemoryUsage(), arena.bytes_appended());
  EXPECT_LT(arena.MemoryUsage(), arena.bytes_appended() + 2 * 1024u);
}

}  // namespace
}  // namespace padan
