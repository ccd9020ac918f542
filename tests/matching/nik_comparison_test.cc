#include "matching/nik_comparison.h"

#include <array>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace padan {
namespace {

constexpr uint64_t kNik = 3201014508900003;

TEST(NikComparisonTest, Levels) {
  EXPECT_EQ(CompareNik(kNik, kNik), NikLevel::kExact);
  EXPECT_EQ(CompareNik(kNik, 3201014508900008), NikLevel::kOneSubstitution);
  EXPECT_EQ(CompareNik(kNik, 3201014508900030), NikLevel::kAdjacentTransposition);
  // Same DDMMYY part (450890), other kecamatan and serial.
  EXPECT_EQ(CompareNik(kNik, 3174054508900121), NikLevel::kSameBirthPart);
  EXPECT_EQ(CompareNik(kNik, 3174051203770121), NikLevel::kConflict);
  EXPECT_EQ(CompareNik(kNik, 0), NikLevel::kMissing);
  EXPECT_EQ(CompareNik(0, 0), NikLevel::kMissing);
}

TEST(NikComparisonTest, TwoSubstitutionsAreNotATypo) {
  EXPECT_EQ(CompareNik(kNik, 3201014508900018), NikLevel::kSameBirthPart);
  // Two non-adjacent digits swapped is not an adjacent transposition.
  EXPECT_NE(CompareNik(3201014508900003, 3201014508900300), NikLevel::kAdjacentTransposition);
}

TEST(NikComparisonTest, IsSymmetric) {
  std::vector<uint64_t> values = {
      kNik, 3201014508900008, 3201014508900030, 3174054508900121, 3174051203770121, 0};
  for (uint64_t a : values) {
    for (uint64_t b : values) EXPECT_EQ(CompareNik(a, b), CompareNik(b, a)) << a << " " << b;
  }
}

TEST(NikComparisonTest, NearVariantsAreExactlyTheTypoNeighbours) {
  std::set<uint64_t> seen;
  ForEachNearNik(kNik, [&](uint64_t value) {
    EXPECT_TRUE(seen.insert(value).second) << "visited twice: " << value;
    NikLevel level = CompareNik(kNik, value);
    EXPECT_TRUE(level == NikLevel::kOneSubstitution || level == NikLevel::kAdjacentTransposition)
        << value;
  });
  // 144 substitutions minus the one that would put a 0 first, plus one transposition per
  // neighbouring pair of different digits.
  int transpositions = 0;
  std::string digits = "3201014508900003";
  for (size_t i = 0; i + 1 < digits.size(); ++i) transpositions += digits[i] != digits[i + 1];
  EXPECT_EQ(seen.size(), static_cast<size_t>(143 + transpositions));
  EXPECT_EQ(seen.count(3201014508900008), 1u);
  EXPECT_EQ(seen.count(3201014508900030), 1u);
  EXPECT_EQ(seen.count(2301014508900003), 1u);  // the first two digits swapped
  EXPECT_EQ(seen.count(9201014508900003), 1u);  // the first digit substituted
}

TEST(NikComparisonTest, NoNearNiksOfANumberLongerThanSixteenDigits) {
  int visited = 0;
  ForEachNearNik(32010145089000031, [&](uint64_t) { ++visited; });
  ForEachNearNik(UINT64_MAX, [&](uint64_t) { ++visited; });
  EXPECT_EQ(visited, 0);
  std::array<uint64_t, kMaxNearNiks> near;
  EXPECT_EQ(NearNiks(32010145089000031, near), 0u);
}

// A NIK whose neighbouring digits all differ has the most variants: the array holds them all.
TEST(NikComparisonTest, NearNiksFillsAtMostTheArray) {
  std::array<uint64_t, kMaxNearNiks> near;
  const size_t count = NearNiks(1212121212121212, near);
  EXPECT_EQ(count, kMaxNearNiks - 1);  // 144 substitutions less the leading 0, 15 transpositions
  std::set<uint64_t> distinct(near.begin(), near.begin() + static_cast<ptrdiff_t>(count));
  EXPECT_EQ(distinct.size(), count);
}

// The levels spelled out on the two numbers' 16 digits, as DESIGN.md §4 defines them.
NikLevel ReferenceLevel(uint64_t a, uint64_t b) {
  if (a == 0 || b == 0) return NikLevel::kMissing;
  const std::string x = std::to_string(a);
  const std::string y = std::to_string(b);
  std::vector<size_t> differ;
  for (size_t i = 0; i < x.size(); ++i) {
    if (x[i] != y[i]) differ.push_back(i);
  }
  if (differ.empty()) return NikLevel::kExact;
  if (differ.size() == 1) return NikLevel::kOneSubstitution;
  if (differ.size() == 2 && differ[1] == differ[0] + 1 && x[differ[0]] == y[differ[1]] &&
      x[differ[1]] == y[differ[0]]) {
    return NikLevel::kAdjacentTransposition;
  }
  if (x.substr(6, 6) == y.substr(6, 6)) return NikLevel::kSameBirthPart;
  return NikLevel::kConflict;
}

TEST(NikComparisonTest, AgreesWithTheDigitByDigitDefinition) {
  std::mt19937_64 random(20261129);
  const uint64_t base = 3201014508900003;
  int compared = 0;
  for (int round = 0; round < 20000; ++round) {
    // One, two or three digits changed, sometimes two neighbours swapped, sometimes the
    // birth part kept: every level is reached.
    std::string digits = std::to_string(base);
    const int changes = 1 + static_cast<int>(random() % 3);
    for (int c = 0; c < changes; ++c) {
      const size_t at = 1 + random() % 15;
      if (random() % 2 == 0 && at + 1 < digits.size()) {
        std::swap(digits[at], digits[at + 1]);
      } else {
        digits[at] = static_cast<char>('0' + random() % 10);
      }
    }
    const uint64_t other = std::stoull(digits);
    EXPECT_EQ(CompareNik(base, other), ReferenceLevel(base, other)) << other;
    EXPECT_EQ(CompareNik(other, base), ReferenceLevel(other, base)) << other;
    ++compared;
  }
  EXPECT_EQ(compared, 20000);
  // The first digit, which the loop reaches last.
  EXPECT_EQ(CompareNik(base, 9201014508900003), NikLevel::kOneSubstitution);
  EXPECT_EQ(CompareNik(base, 2301014508900003), NikLevel::kAdjacentTransposition);
  EXPECT_EQ(CompareNik(base, 9201014508900004), NikLevel::kSameBirthPart);
}

TEST(NikComparisonTest, LevelNamesAreDistinct) {
  std::set<std::string_view> names;
  for (int i = 0; i < kNikLevelCount; ++i) names.insert(NikLevelName(static_cast<NikLevel>(i)));
  EXPECT_EQ(names.size(), static_cast<size_t>(kNikLevelCount));
}

}  // namespace
}  // namespace padan
