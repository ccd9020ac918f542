#include "data/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace padan {
namespace {

TEST(Utf8Test, AsciiIsAscii) {
  EXPECT_TRUE(IsAscii(""));
  EXPECT_TRUE(IsAscii("SITI AMINAH, Jl. Merdeka No. 17, RT 001/RW 002"));
  EXPECT_TRUE(IsAscii(std::string("a\0b", 3)));
  EXPECT_FALSE(IsAscii("Jos\xC3\xA9"));
  // A high byte in each position of a long string, past the word-at-a-time loop.
  for (size_t i = 0; i < 40; ++i) {
    std::string text(40, 'a');
    text[i] = '\x80';
    EXPECT_FALSE(IsAscii(text)) << i;
  }
}

TEST(Utf8Test, AcceptsWellFormedSequences) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Siti Nurhaliza"));
  EXPECT_TRUE(IsValidUtf8(std::string("nul\0byte", 8)));
  EXPECT_TRUE(IsValidUtf8("Jos\xC3\xA9"));       // U+00E9
  EXPECT_TRUE(IsValidUtf8("\xE2\x82\xAC"));      // U+20AC
  EXPECT_TRUE(IsValidUtf8("\xED\x9F\xBF"));      // U+D7FF, last before surrogates
  EXPECT_TRUE(IsValidUtf8("\xEE\x80\x80"));      // U+E000, first after surrogates
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));  // U+1F600
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  EXPECT_TRUE(
      IsValidUtf8("\xEF\xBB\xBF"
                  "nama,nik"));  // BOM
}

TEST(Utf8Test, RejectsIllFormedSequencesAndSaysWhere) {
  struct Case {
    std::string text;
    size_t offset;
  };
  const Case cases[] = {
      {"Jos\xE9", 3},           // Windows-1252 e-acute
      {"abc\x80", 3},           // lone continuation byte
      {"\xC0\xAF", 0},          // overlong '/'
      {"\xC1\xBF", 0},          // overlong
      {"\xE0\x80\xAF", 0},      // overlong 3-byte
      {"\xF0\x80\x80\xAF", 0},  // overlong 4-byte
      {"ab\xED\xA0\x80", 2},    // surrogate U+D800
      {"\xED\xBF\xBF", 0},      // surrogate U+DFFF
      {"\xF4\x90\x80\x80", 0},  // U+110000
      {"\xF5\x80\x80\x80", 0},  // beyond Unicode
      {"\xFF", 0},
      {"ok\xC3", 2},    // truncated at the end
      {"\xE2\x82", 0},  // truncated 3-byte
      {"\xE2\x82"
       "A",
       0},                                      // bad continuation
      {"0123456789abcdef0123456789\xC3(", 26},  // after the ASCII fast path
  };
  for (const Case& c : cases) {
    size_t offset = 999;
    EXPECT_FALSE(IsValidUtf8(c.text, &offset)) << c.text;
    EXPECT_EQ(offset, c.offset) << c.text;
    EXPECT_FALSE(IsValidUtf8(c.text));
  }
}

TEST(Utf8Test, TranscodesWindows1252) {
  std::string out = "x";
  AppendWindows1252AsUtf8("Jos\xE9 \x80 \x93kutip\x94 \x85", &out);
  EXPECT_EQ(out, "xJos\xC3\xA9 \xE2\x82\xAC \xE2\x80\x9Ckutip\xE2\x80\x9D \xE2\x80\xA6");
}

TEST(Utf8Test, Windows1252UndefinedBytesBecomeC1Controls) {
  std::string out;
  AppendWindows1252AsUtf8("\x81\x8D\x8F\x90\x9D", &out);
  EXPECT_EQ(out, "\xC2\x81\xC2\x8D\xC2\x8F\xC2\x90\xC2\x9D");
}

TEST(Utf8Test, EveryWindows1252AndLatin1ByteGivesValidUtf8) {
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  std::string cp1252;
  AppendWindows1252AsUtf8(all, &cp1252);
  EXPECT_TRUE(IsValidUtf8(cp1252));
  std::string latin1;
  AppendLatin1AsUtf8(all, &latin1);
  EXPECT_TRUE(IsValidUtf8(latin1));
  // 128 ASCII bytes plus 128 two-byte sequences.
  EXPECT_EQ(latin1.size(), 128u + 2 * 128u);
}

TEST(Utf8Test, TranscodesLatin1) {
  std::string out;
  AppendLatin1AsUtf8("Jos\xE9 \x80 \xFF", &out);
  EXPECT_EQ(out, "Jos\xC3\xA9 \xC2\x80 \xC3\xBF");
}

}  // namespace
}  // namespace padan
