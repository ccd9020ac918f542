#include "index/string_dictionary.h"

#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace padan {
namespace {

TEST(StringDictionaryTest, EmptyStringIsCodeZero) {
  StringDictionary dict;
  EXPECT_EQ(dict.size(), 1u);
  EXPECT_EQ(dict.Get(StringDictionary::kEmptyCode), "");
  EXPECT_EQ(dict.Intern(""), StringDictionary::kEmptyCode);
  EXPECT_EQ(dict.Find(""), StringDictionary::kEmptyCode);
  EXPECT_EQ(dict.size(), 1u);
}

TEST(StringDictionaryTest, EqualStringsShareOneCode) {
  StringDictionary dict;
  uint32_t jakarta = dict.Intern("JAKARTA");
  uint32_t bandung = dict.Intern("BANDUNG");
  EXPECT_NE(jakarta, bandung);
  EXPECT_EQ(dict.Intern(std::string("JAKARTA")), jakarta);
  EXPECT_EQ(dict.Intern("BANDUNG"), bandung);
  EXPECT_EQ(dict.size(), 3u);
  // Codes are exact: spelling and case variants are different strings.
  EXPECT_NE(dict.Intern("Jakarta"), jakarta);
  EXPECT_NE(dict.Intern("JAKARTA "), jakarta);
}

TEST(StringDictionaryTest, CodesAreDenseInFirstSeenOrder) {
  StringDictionary dict;
  EXPECT_EQ(dict.Intern("PETANI"), 1u);
  EXPECT_EQ(dict.Intern("NELAYAN"), 2u);
  EXPECT_EQ(dict.Intern("PETANI"), 1u);
  EXPECT_EQ(dict.Intern("WIRASWASTA"), 3u);
  EXPECT_EQ(dict.Get(2), "NELAYAN");
}

TEST(StringDictionaryTest, FindDoesNotAdd) {
  StringDictionary dict;
  dict.Intern("SD/SEDERAJAT");
  EXPECT_EQ(dict.Find("SD/SEDERAJAT"), 1u);
  EXPECT_EQ(dict.Find("SLTP/SEDERAJAT"), std::nullopt);
  EXPECT_EQ(dict.size(), 2u);
}

TEST(StringDictionaryTest, KeepsUnicodeAndEmbeddedNulBytes) {
  StringDictionary dict;
  const std::string with_nul("A\0B", 3);
  uint32_t a = dict.Intern("Tanjung Balai Karimun — Kepri ñ 王");
  uint32_t b = dict.Intern(with_nul);
  uint32_t c = dict.Intern("A");
  EXPECT_EQ(dict.Get(a), "Tanjung Balai Karimun — Kepri ñ 王");
  EXPECT_EQ(dict.Get(b), with_nul);
  EXPECT_NE(b, c);
}

TEST(StringDictionaryTest, ManyStringsRoundTripAcrossArenaChunks) {
  StringDictionary dict;
  std::vector<uint32_t> codes;
  for (int i = 0; i < 20000; ++i) codes.push_back(dict.Intern("KECAMATAN " + std::to_string(i)));
  ASSERT_EQ(dict.size(), 20001u);
  for (int i = 0; i < 20000; ++i) {
    EXPECT_EQ(codes[i], static_cast<uint32_t>(i + 1));
    EXPECT_EQ(dict.Get(codes[i]), "KECAMATAN " + std::to_string(i));
    EXPECT_EQ(dict.Find("KECAMATAN " + std::to_string(i)), codes[i]);
  }
}

TEST(StringDictionaryTest, MovedDictionaryKeepsCodesAndViews) {
  StringDictionary dict;
  uint32_t code = dict.Intern("TUNA NETRA");
  std::string_view view = dict.Get(code);
  StringDictionary moved = std::move(dict);
  EXPECT_EQ(moved.Get(code), "TUNA NETRA");
  EXPECT_EQ(moved.Get(code).data(), view.data());
  EXPECT_EQ(moved.Find("TUNA NETRA"), code);
  EXPECT_EQ(moved.Intern("TUNA NETRA"), code);
}

TEST(StringDictionaryTest, MemoryGrowsWithDistinctStringsOnly) {
  StringDictionary dict;
  for (int i = 0; i < 1000; ++i) dict.Intern("DUSUN " + std::to_string(i % 10));
  size_t ten = dict.MemoryUsage();
  for (int i = 0; i < 100000; ++i) dict.Intern("DUSUN " + std::to_string(i % 10));
  EXPECT_EQ(dict.MemoryUsage(), ten);
  for (int i = 0; i < 1000; ++i) dict.Intern("DUSUN BARU " + std::to_string(i));
  EXPECT_GT(dict.MemoryUsage(), ten);
}

}  // namespace
}  // namespace padan
