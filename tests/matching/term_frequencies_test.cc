#include "matching/term_frequencies.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::StatusIs;

MatchName NameOf(std::string canonical) {
  MatchName name;
  name.canonical = std::move(canonical);
  size_t start = 0;
  while (start < name.canonical.size()) {
    size_t end = name.canonical.find(' ', start);
    if (end == std::string::npos) end = name.canonical.size();
    name.token_spans.emplace_back(start, end - start);
    start = end + 1;
  }
  return name;
}

TermFrequencies Sample() {
  TermFrequencies table;
  for (const char* name : {"siti aminah", "siti rahma", "budi santoso", "budi budi"}) {
    table.Add(NameOf(name));
  }
  table.set_mean_name_probability(0.125);
  return table;
}

TEST(TermFrequenciesTest, SerializeRoundTrips) {
  const TermFrequencies table = Sample();
  absl::StatusOr<TermFrequencies> back = TermFrequencies::Deserialize(table.Serialize());
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(*back, table);
  EXPECT_EQ(back->TokenProbability("budi"), table.TokenProbability("budi"));
  EXPECT_EQ(back->mean_name_probability(), 0.125);
  // Equal tables give equal bytes, whatever their hash order.
  EXPECT_EQ(back->Serialize(), table.Serialize());
}

TEST(TermFrequenciesTest, EmptyTableRoundTrips) {
  absl::StatusOr<TermFrequencies> back =
      TermFrequencies::Deserialize(TermFrequencies().Serialize());
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(back->names(), 0u);
  EXPECT_EQ(back->distinct_tokens(), 0u);
}

TEST(TermFrequenciesTest, EveryTruncationAndFlippedByteIsDataLossOrDecodes) {
  const std::string bytes = Sample().Serialize();
  for (size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_THAT(TermFrequencies::Deserialize(bytes.substr(0, size)),
                StatusIs(absl::StatusCode::kDataLoss))
        << size;
  }
  EXPECT_THAT(TermFrequencies::Deserialize(bytes + "x"), StatusIs(absl::StatusCode::kDataLoss));
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string bad = bytes;
    bad[i] ^= 0x41;
    absl::StatusOr<TermFrequencies> back = TermFrequencies::Deserialize(bad);
    if (!back.ok()) {
      EXPECT_THAT(back, StatusIs(absl::StatusCode::kDataLoss)) << i;
    }
  }
}

TEST(TermFrequenciesTest, ImpossibleCountsAreRefused) {
  std::string bytes = Sample().Serialize();
  // The distinct-token count (bytes 20-27) claiming more tokens than the bytes can hold.
  bytes[27] = 0x10;
  EXPECT_THAT(TermFrequencies::Deserialize(bytes), StatusIs(absl::StatusCode::kDataLoss));
}

}  // namespace
}  // namespace padan
