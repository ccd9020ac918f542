#include "index/blocking_index.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace padan {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using Entries = std::vector<std::pair<BlockingKey, uint32_t>>;

BlockingKey Key(BlockingKeyKind kind, uint64_t n) {
  return (static_cast<uint64_t>(kind) << kBlockingKindShift) | n;
}
constexpr BlockingKeyKind kTokenYear = BlockingKeyKind::kTokenYear;
constexpr BlockingKeyKind kDobRegion = BlockingKeyKind::kDobRegion;

// Generous caps, one candidate limit.
BlockingIndex::Limits Limits(size_t cap, size_t max_candidates = 1000) {
  BlockingIndex::Limits limits;
  limits.max_posting_per_kind.fill(cap);
  limits.max_candidates = max_candidates;
  return limits;
}

std::vector<PersonId> Candidates(const BlockingIndex& index, std::vector<BlockingKey> keys,
                                 const BlockingIndex::Limits& limits) {
  std::vector<PersonId> out;
  index.Candidates(keys, limits, &out);
  return out;
}

std::vector<PersonId> Posting(const BlockingIndex& index, BlockingKey key) {
  std::vector<PersonId> out;
  index.ForEachInPosting(key, [&](PersonId id) { out.push_back(id); });
  return out;
}

TEST(BlockingIndexTest, EmptyIndexHasNoCandidates) {
  BlockingIndex index(Limits(100));
  EXPECT_THAT(Candidates(index, {Key(kTokenYear, 1)}, Limits(100)), IsEmpty());
  index.Build({});
  EXPECT_THAT(Candidates(index, {Key(kTokenYear, 1)}, Limits(100)), IsEmpty());
  EXPECT_EQ(index.PostingSize(Key(kTokenYear, 1)), 0u);
  EXPECT_EQ(index.frozen_keys(), 0u);
}

TEST(BlockingIndexTest, NoKeysNoCandidates) {
  BlockingIndex index(Limits(100));
  index.Build({{Key(kTokenYear, 1), 4}});
  EXPECT_THAT(Candidates(index, {}, Limits(100)), IsEmpty());
}

TEST(BlockingIndexTest, UnionOfPostings) {
  BlockingIndex index(Limits(100));
  index.Build({{Key(kTokenYear, 1), 7},
               {Key(kTokenYear, 1), 3},
               {Key(kTokenYear, 2), 5},
               {Key(kDobRegion, 1), 9},
               {Key(kTokenYear, 3), 11}});
  EXPECT_THAT(Candidates(index, {Key(kTokenYear, 1), Key(kTokenYear, 2)}, Limits(100)),
              UnorderedElementsAre(PersonId(3), PersonId(5), PersonId(7)));
  // Same hash bits, another kind: another key.
  EXPECT_THAT(Candidates(index, {Key(kDobRegion, 1)}, Limits(100)), ElementsAre(PersonId(9)));
  EXPECT_THAT(Candidates(index, {Key(kTokenYear, 4)}, Limits(100)), IsEmpty());
  EXPECT_THAT(Posting(index, Key(kTokenYear, 1)), ElementsAre(PersonId(3), PersonId(7)));
  EXPECT_EQ(index.frozen_keys(), 4u);
}

TEST(BlockingIndexTest, DuplicateEntriesAndQueryKeysCountOnce) {
  BlockingIndex index(Limits(100));
  index.Build({{Key(kTokenYear, 1), 7}, {Key(kTokenYear, 1), 7}, {Key(kTokenYear, 2), 8}});
  EXPECT_EQ(index.PostingSize(Key(kTokenYear, 1)), 1u);
  // Key 1 asked twice still counts as one shared key, so 8 (key 2) ties with 7 and the lower
  // id wins only on rarity, which is equal: by id.
  EXPECT_THAT(
      Candidates(index, {Key(kTokenYear, 1), Key(kTokenYear, 1), Key(kTokenYear, 2)}, Limits(100)),
      ElementsAre(PersonId(7), PersonId(8)));
}

TEST(BlockingIndexTest, RanksBySharedKeysThenRarity) {
  BlockingIndex index(Limits(100));
  Entries entries;
  // Id 1 shares three query keys, id 2 two, ids 3 and 4 one each: 3 through a key of 2
  // persons, 4 through a key of 4 persons (less rare).
  for (uint32_t id : {1, 2, 5, 6}) entries.emplace_back(Key(kTokenYear, 10), id);
  for (uint32_t id : {1, 2}) entries.emplace_back(Key(kTokenYear, 11), id);
  for (uint32_t id : {1, 3}) entries.emplace_back(Key(kTokenYear, 12), id);
  for (uint32_t id : {4, 7, 8, 9}) entries.emplace_back(Key(kTokenYear, 13), id);
  index.Build(entries);
  std::vector<PersonId> ranked = Candidates(
      index, {Key(kTokenYear, 10), Key(kTokenYear, 11), Key(kTokenYear, 12), Key(kTokenYear, 13)},
      Limits(100));
  ASSERT_EQ(ranked.size(), 9u);
  EXPECT_EQ(ranked[0], PersonId(1));
  EXPECT_EQ(ranked[1], PersonId(2));
  EXPECT_EQ(ranked[2], PersonId(3));  // one key of 2 persons
  // Then the four of the 4-person keys, by id: 4, 5, 6, 7, 8, 9.
  EXPECT_THAT(
      std::vector<PersonId>(ranked.begin() + 3, ranked.end()),
      ElementsAre(PersonId(4), PersonId(5), PersonId(6), PersonId(7), PersonId(8), PersonId(9)));
}

TEST(BlockingIndexTest, MaxCandidatesKeepsTheBestRanked) {
  BlockingIndex index(Limits(100));
  Entries entries;
  for (uint32_t id = 0; id < 50; ++id) entries.emplace_back(Key(kTokenYear, 1), id);
  entries.emplace_back(Key(kTokenYear, 2), 42);
  entries.emplace_back(Key(kTokenYear, 2), 17);
  index.Build(entries);
  EXPECT_THAT(Candidates(index, {Key(kTokenYear, 1), Key(kTokenYear, 2)}, Limits(100, 3)),
              ElementsAre(PersonId(17), PersonId(42), PersonId(0)));
  EXPECT_THAT(Candidates(index, {Key(kTokenYear, 1)}, Limits(100, 0)), IsEmpty());
}

TEST(BlockingIndexTest, PostingLongerThanTheQueryCapIsSkipped) {
  BlockingIndex index(Limits(100));
  Entries entries;
  for (uint32_t id = 0; id < 20; ++id) entries.emplace_back(Key(kTokenYear, 1), id);
  entries.emplace_back(Key(kDobRegion, 1), 99);
  index.Build(entries);
  BlockingIndex::Limits limits = Limits(100);
  limits.max_posting_per_kind[static_cast<size_t>(kTokenYear)] = 19;
  EXPECT_THAT(Candidates(index, {Key(kTokenYear, 1), Key(kDobRegion, 1)}, limits),
              ElementsAre(PersonId(99)));
  limits.max_posting_per_kind[static_cast<size_t>(kTokenYear)] = 20;
  EXPECT_EQ(Candidates(index, {Key(kTokenYear, 1), Key(kDobRegion, 1)}, limits).size(), 21u);
}

TEST(BlockingIndexTest, PostingLongerThanTheStoredCapKeepsOnlyItsCount) {
  BlockingIndex::Limits stored = Limits(10);
  BlockingIndex index(stored);
  Entries entries;
  for (uint32_t id = 0; id < 11; ++id) entries.emplace_back(Key(kTokenYear, 1), id);
  for (uint32_t id = 0; id < 10; ++id) entries.emplace_back(Key(kTokenYear, 2), id);
  index.Build(entries);
  EXPECT_EQ(index.PostingSize(Key(kTokenYear, 1)), 11u);
  EXPECT_THAT(Posting(index, Key(kTokenYear, 1)), IsEmpty());
  EXPECT_EQ(Posting(index, Key(kTokenYear, 2)).size(), 10u);
  EXPECT_EQ(index.frozen_stubs(), 1u);
  // A query allowing longer postings cannot get ids that were not kept.
  EXPECT_THAT(Candidates(index, {Key(kTokenYear, 1)}, Limits(1000)), IsEmpty());
}

TEST(BlockingIndexTest, AddAfterBuildGoesToTheDelta) {
  BlockingIndex index(Limits(100));
  index.Build({{Key(kTokenYear, 1), 3}});
  index.Add(PersonId(10), {Key(kTokenYear, 1), Key(kTokenYear, 2)});
  index.Add(PersonId(11), {Key(kTokenYear, 2)});
  EXPECT_EQ(index.PostingSize(Key(kTokenYear, 1)), 2u);
  EXPECT_THAT(Posting(index, Key(kTokenYear, 1)), ElementsAre(PersonId(3), PersonId(10)));
  EXPECT_THAT(Candidates(index, {Key(kTokenYear, 1), Key(kTokenYear, 2)}, Limits(100)),
              ElementsAre(PersonId(10), PersonId(3), PersonId(11)));
}

TEST(BlockingIndexTest, AddWithoutBuild) {
  BlockingIndex index(Limits(100));
  index.Add(PersonId(5), {Key(kDobRegion, 8)});
  EXPECT_THAT(Candidates(index, {Key(kDobRegion, 8)}, Limits(100)), ElementsAre(PersonId(5)));
}

TEST(BlockingIndexTest, DeltaCountsTowardTheCap) {
  BlockingIndex index(Limits(3));
  index.Build({{Key(kTokenYear, 1), 1}, {Key(kTokenYear, 1), 2}});
  index.Add(PersonId(3), {Key(kTokenYear, 1)});
  EXPECT_EQ(Candidates(index, {Key(kTokenYear, 1)}, Limits(3)).size(), 3u);
  index.Add(PersonId(4), {Key(kTokenYear, 1)});  // past the stored cap: counted only
  EXPECT_EQ(index.PostingSize(Key(kTokenYear, 1)), 4u);
  EXPECT_THAT(Candidates(index, {Key(kTokenYear, 1)}, Limits(3)), IsEmpty());
}

TEST(BlockingIndexTest, BuildReplacesEverything) {
  BlockingIndex index(Limits(100));
  index.Build({{Key(kTokenYear, 1), 1}});
  index.Add(PersonId(2), {Key(kTokenYear, 1)});
  index.Build({{Key(kTokenYear, 2), 5}});
  EXPECT_EQ(index.PostingSize(Key(kTokenYear, 1)), 0u);
  EXPECT_THAT(Candidates(index, {Key(kTokenYear, 2)}, Limits(100)), ElementsAre(PersonId(5)));
}

TEST(BlockingIndexTest, UnknownKindIsIgnored) {
  BlockingIndex index(Limits(100));
  const BlockingKey unknown = Key(static_cast<BlockingKeyKind>(200), 1);
  index.Build({{unknown, 1}});
  EXPECT_THAT(Candidates(index, {unknown}, Limits(100)), IsEmpty());
}

TEST(BlockingIndexTest, MovedIndexAnswersTheSame) {
  BlockingIndex index(Limits(100));
  index.Build({{Key(kTokenYear, 1), 1}});
  BlockingIndex moved = std::move(index);
  EXPECT_THAT(Candidates(moved, {Key(kTokenYear, 1)}, Limits(100)), ElementsAre(PersonId(1)));
}

// The compact form against a plain map, over many keys of every size, large ids included.
TEST(BlockingIndexTest, MatchesAPlainMapOnRandomEntries) {
  std::mt19937_64 rng(7);
  std::map<BlockingKey, std::vector<uint32_t>> reference;
  Entries entries;
  for (int k = 0; k < 20000; ++k) {
    const BlockingKey key = Key(static_cast<BlockingKeyKind>(k % kBlockingKeyKindCount),
                                rng() >> (64 - kBlockingKindShift));
    const size_t size = k % 100 == 0 ? 300 : 1 + rng() % 4;
    for (size_t i = 0; i < size; ++i) {
      const uint32_t id = static_cast<uint32_t>(rng() % 4'000'000'000u);
      reference[key].push_back(id);
      entries.emplace_back(key, id);
    }
  }
  BlockingIndex index(Limits(1000));
  index.Build(entries);
  for (auto& [key, ids] : reference) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::vector<PersonId> want;
    for (uint32_t id : ids) want.push_back(PersonId(id));
    ASSERT_EQ(index.PostingSize(key), ids.size());
    ASSERT_EQ(Posting(index, key), want);
  }
  for (int k = 0; k < 1000; ++k) {
    EXPECT_EQ(index.PostingSize(Key(BlockingKeyKind::kToken, rng() >> 8)), 0u);
  }
  EXPECT_EQ(index.frozen_keys(), reference.size());
  EXPECT_GT(index.MemoryUsage(), 0u);
}

// Over a million entries Build sorts by a radix pass first; the result must not change.
TEST(BlockingIndexTest, LargeBuildMatchesAPlainMap) {
  std::mt19937_64 rng(11);
  std::map<BlockingKey, std::vector<uint32_t>> reference;
  Entries entries;
  constexpr uint32_t kEntries = 1'200'000;
  for (uint32_t i = 0; i < kEntries; ++i) {
    // Few keys, so that postings are long; ids descending, so the input is far from sorted.
    const BlockingKey key = Key(kTokenYear, rng() % 50'000);
    reference[key].push_back(kEntries - i);
    entries.emplace_back(key, kEntries - i);
  }
  BlockingIndex index(Limits(1000));
  index.Build(std::move(entries));
  EXPECT_EQ(index.frozen_keys(), reference.size());
  for (auto& [key, ids] : reference) {
    std::sort(ids.begin(), ids.end());
    std::vector<PersonId> want;
    for (uint32_t id : ids) want.push_back(PersonId(id));
    ASSERT_EQ(Posting(index, key), want);
  }
}

TEST(BlockingIndexTest, DefaultLimitsCapEveryKind) {
  BlockingIndex::Limits limits = DefaultBlockingLimits();
  for (size_t cap : limits.max_posting_per_kind) EXPECT_GT(cap, 0u);
  EXPECT_GT(limits.max_candidates, 0u);
}

}  // namespace
}  // namespace padan
