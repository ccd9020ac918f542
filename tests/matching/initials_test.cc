#include "matching/initials.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "matching/token_similarity.h"

namespace padan {
namespace {

bool Compatible(std::string_view a, std::string_view b) {
  const bool forward = InitialsCompatible(SplitNameTokens(a), SplitNameTokens(b));
  const bool backward = InitialsCompatible(SplitNameTokens(b), SplitNameTokens(a));
  EXPECT_EQ(forward, backward) << a << " / " << b;
  return forward;
}

TEST(InitialsTest, InitialWithOrWithoutDot) {
  EXPECT_TRUE(Compatible("S. Aminah", "Siti Aminah"));
  EXPECT_TRUE(Compatible("S Aminah", "Siti Aminah"));
  EXPECT_TRUE(Compatible("S.Aminah", "Siti Aminah"));
}

TEST(InitialsTest, AnyOrder) {
  EXPECT_TRUE(Compatible("A. Siti", "Siti Aminah"));
  EXPECT_TRUE(Compatible("Aminah S.", "Siti Aminah"));
}

TEST(InitialsTest, WrongLetterIsIncompatible) {
  EXPECT_FALSE(Compatible("B. Aminah", "Siti Aminah"));
  EXPECT_FALSE(Compatible("S. Aminah", "Siti Rahma"));
}

TEST(InitialsTest, InitialsOnly) {
  EXPECT_TRUE(Compatible("S. A.", "Siti Aminah"));
  EXPECT_TRUE(Compatible("A S", "Siti Aminah"));
  EXPECT_FALSE(Compatible("S. S.", "Siti Aminah"));
}

TEST(InitialsTest, EachTokenNeedsItsOwnPartner) {
  // Both initials would have to stand for the one "Siti".
  EXPECT_FALSE(Compatible("S. S. Aminah", "Siti Aminah Rahma"));
  EXPECT_TRUE(Compatible("S. S. Aminah", "Siti Aminah Sari"));
}

TEST(InitialsTest, ExtraTokensInTheLongerNameAreAllowed) {
  EXPECT_TRUE(Compatible("S. Aminah", "Siti Nur Aminah"));
  EXPECT_TRUE(Compatible("M. Yusuf", "Muhammad Yusuf Bin Ahmad"));
}

TEST(InitialsTest, NoInitialMeansNotThisLevel) {
  // Containment without abbreviation is TokenContainment's business.
  EXPECT_FALSE(Compatible("Siti", "Siti Aminah"));
  EXPECT_FALSE(Compatible("Siti Aminah", "Siti Aminah"));
  EXPECT_FALSE(Compatible("Siti Aminah", "Aminah Siti"));
}

TEST(InitialsTest, InitialInTheLongerName) {
  // Only the longer name abbreviates: "Siti" pairs with "S.", "Aminah" with itself.
  EXPECT_TRUE(Compatible("Siti Aminah", "S. Aminah Nur"));
  // The longer name's initial is left over, so no initial takes part.
  EXPECT_FALSE(Compatible("Siti Aminah", "Siti Aminah N."));
  // Both names abbreviate different words.
  EXPECT_TRUE(Compatible("Siti A.", "S. Aminah"));
}

TEST(InitialsTest, InitialMayNeedAnotherPairingToTakePart) {
  // "Sari" pairs with "Sari" in the first matching found, leaving "S." over; pairing "Sari"
  // with "S." instead still pairs every token.
  EXPECT_TRUE(Compatible("Sari Aminah", "Sari S. Aminah"));
}

TEST(InitialsTest, ComparesCodePoints) {
  EXPECT_TRUE(Compatible("\u00C9. Aminah", "\u00C9mile Aminah"));
  EXPECT_FALSE(Compatible("E. Aminah", "\u00C9mile Aminah"));
}

TEST(InitialsTest, EmptyNamesAreNeverCompatible) {
  EXPECT_FALSE(Compatible("", "Siti Aminah"));
  EXPECT_FALSE(Compatible("", ""));
  EXPECT_FALSE(Compatible(". .", "Siti"));
}

TEST(InitialsTest, LongNamesAreBounded) {
  std::string a;
  std::string b;
  for (int i = 0; i < 40; ++i) {
    a += "x ";
    b += "xa ";
  }
  EXPECT_TRUE(Compatible(a, b));
}

}  // namespace
}  // namespace padan
