#include "matching/code_points.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace padan {
namespace {

using ::testing::ElementsAre;

std::vector<char32_t> Decode(std::string_view text) {
  CodePoints points(text);
  return {points.span().begin(), points.span().end()};
}

TEST(CodePointsTest, DecodesAsciiByteForByte) {
  EXPECT_THAT(Decode("Siti"), ElementsAre(U'S', U'i', U't', U'i'));
  EXPECT_TRUE(Decode("").empty());
}

TEST(CodePointsTest, DecodesMultiByteSequences) {
  EXPECT_THAT(Decode("Muhammäd"), ElementsAre(U'M', U'u', U'h', U'a', U'm', U'm', U'\u00E4', U'd'));
  EXPECT_THAT(Decode("\u20AC\U0001F600"), ElementsAre(U'\u20AC', U'\U0001F600'));
}

TEST(CodePointsTest, CombiningMarkIsItsOwnCodePoint) {
  // "a" + COMBINING DIAERESIS: two code points where the precomposed form has one.
  EXPECT_THAT(Decode("a\u0308"), ElementsAre(U'a', U'\u0308'));
  EXPECT_THAT(Decode("\u00E4"), ElementsAre(U'\u00E4'));
}

TEST(CodePointsTest, EscapesEachByteOfIllFormedSequences) {
  EXPECT_THAT(Decode("a\xFF"), ElementsAre(U'a', char32_t{0xDCFF}));
  // Truncated two-byte sequence.
  EXPECT_THAT(Decode("\xC3"), ElementsAre(char32_t{0xDCC3}));
  // Overlong "/": both bytes escaped, the lead is never valid.
  EXPECT_THAT(Decode("\xC0\xAF"), ElementsAre(char32_t{0xDCC0}, char32_t{0xDCAF}));
  // An encoded surrogate is not a code point.
  EXPECT_THAT(Decode("\xED\xA0\x80"),
              ElementsAre(char32_t{0xDCED}, char32_t{0xDCA0}, char32_t{0xDC80}));
  // A lead byte followed by ASCII: the ASCII survives.
  EXPECT_THAT(Decode("\xE2x"), ElementsAre(char32_t{0xDCE2}, U'x'));
}

TEST(CodePointsTest, DistinctBytesStayDistinct) {
  EXPECT_NE(Decode("\xFE"), Decode("\xFF"));
  EXPECT_NE(Decode("\xFF"), Decode("\uFFFD"));
}

TEST(CodePointsTest, HoldsTextLongerThanInlineCapacity) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "\u00E9";
  CodePoints points(text);
  ASSERT_EQ(points.size(), 100u);
  EXPECT_EQ(points[99], U'\u00E9');
}

TEST(CodePointsTest, BothAsciiLooksAtEveryByte) {
  EXPECT_TRUE(BothAscii("siti aminah binti ahmad", "muhammad"));
  EXPECT_TRUE(BothAscii("", ""));
  EXPECT_FALSE(BothAscii("siti aminah binti ahmad", "muhammäd"));
  EXPECT_FALSE(BothAscii("abcdefghijklmnop\x80", "x"));
  EXPECT_FALSE(BothAscii("x", "\xC3\xA4"));
}

TEST(CodePointsTest, CountsCodePoints) {
  EXPECT_EQ(CodePointCount(""), 0u);
  EXPECT_EQ(CodePointCount("siti"), 4u);
  EXPECT_EQ(CodePointCount("Muhammäd"), 8u);
  EXPECT_EQ(CodePointCount("\U0001F600"), 1u);
}

TEST(CodePointsTest, VisitGivesBytesForAsciiAndCodePointsOtherwise) {
  auto width = [](auto x, auto y) {
    static_assert(std::is_same_v<decltype(x), decltype(y)>);
    return sizeof(x[0]) * 100 + x.size() * 10 + y.size();
  };
  EXPECT_EQ(VisitCodePoints("ab", "c", width), 121u);
  EXPECT_EQ(VisitCodePoints("ab", "ä", width), 421u);
}

TEST(CodePointsTest, PositionMasksOfAsciiPattern) {
  const std::string pattern = "aminah";
  std::span<const uint8_t> p(reinterpret_cast<const uint8_t*>(pattern.data()), pattern.size());
  PositionMasks<uint8_t> masks(p);
  EXPECT_EQ(masks.Get('a'), 0b010001u);
  EXPECT_EQ(masks.Get('m'), 0b000010u);
  EXPECT_EQ(masks.Get('h'), 0b100000u);
  EXPECT_EQ(masks.Get('x'), 0u);
}

TEST(CodePointsTest, PositionMasksOfCodePointPattern) {
  CodePoints pattern("äbä\U0001F600");
  PositionMasks<char32_t> masks(pattern.span());
  EXPECT_EQ(masks.Get(U'\u00E4'), 0b0101u);
  EXPECT_EQ(masks.Get(U'b'), 0b0010u);
  EXPECT_EQ(masks.Get(U'\U0001F600'), 0b1000u);
  EXPECT_EQ(masks.Get(U'z'), 0u);
  EXPECT_EQ(masks.Get(U'\u00E5'), 0u);
}

TEST(CodePointsTest, PositionMasksOfThirtyTwoBitWidth) {
  const std::string pattern = "abcdefghijklmnopqrstuvwxyzabcdef";
  std::span<const uint8_t> p(reinterpret_cast<const uint8_t*>(pattern.data()), pattern.size());
  PositionMasks<uint8_t, uint32_t> masks(p);
  EXPECT_EQ(masks.Get('a'), (uint32_t{1} << 26) | 1u);
  EXPECT_EQ(masks.Get('f'), (uint32_t{1} << 31) | (uint32_t{1} << 5));
  EXPECT_EQ(masks.Get('z'), uint32_t{1} << 25);
}

TEST(CodePointsTest, PositionMasksHoldSixtyFourDistinctCodePoints) {
  std::u32string pattern;
  for (char32_t c = 0x400; c < 0x440; ++c) pattern.push_back(c);
  PositionMasks<char32_t> masks(std::span<const char32_t>(pattern.data(), pattern.size()));
  for (size_t i = 0; i < pattern.size(); ++i) {
    EXPECT_EQ(masks.Get(pattern[i]), uint64_t{1} << i);
  }
}

TEST(CodePointsTest, MissingCharacterBound) {
  CodePoints siti("siti");
  CodePoints sita("sita");
  CodePoints budi("budi");
  EXPECT_EQ(MissingCharacterBound(siti.span(), siti.span()), 0);
  EXPECT_EQ(MissingCharacterBound(siti.span(), sita.span()), 1);
  // budi lacks s, t; siti lacks b, u, d.
  EXPECT_EQ(MissingCharacterBound(siti.span(), budi.span()), 3);
}

}  // namespace
}  // namespace padan
