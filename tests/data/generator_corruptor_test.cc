// Each corruption of the generator's duplicates, one behaviour per test.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "data/date.h"
#include "data/generator/corruptor.h"
#include "data/generator/old_spelling.h"

namespace padan::gen {
namespace {

// Runs a corruption on many seeds, so the assertions hold for every draw it can make.
constexpr int kSeeds = 200;

int EditDistance(const std::string& a, const std::string& b) {
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

TEST(CorruptorTest, TypoInsertAddsOneLetter) {
  for (int seed = 0; seed < kSeeds; ++seed) {
    Rng rng(seed);
    std::string name = "siti rahmawati";
    ASSERT_TRUE(TypoInsert(&name, rng));
    EXPECT_EQ(name.size(), 15u) << name;
    EXPECT_EQ(EditDistance(name, "siti rahmawati"), 1) << name;
  }
}

TEST(CorruptorTest, TypoDeleteRemovesOneLetter) {
  for (int seed = 0; seed < kSeeds; ++seed) {
    Rng rng(seed);
    std::string name = "muhammad yusuf";
    ASSERT_TRUE(TypoDelete(&name, rng));
    EXPECT_EQ(name.size(), 13u) << name;
    EXPECT_EQ(EditDistance(name, "muhammad yusuf"), 1) << name;
  }
}

TEST(CorruptorTest, TypoSubstituteUsesNeighbourOrSoundAlike) {
  // Neighbours on the keyboard of every letter of "rizky", plus the sound-alike swaps.
  for (int seed = 0; seed < kSeeds; ++seed) {
    Rng rng(seed);
    std::string name = "rizky";
    ASSERT_TRUE(TypoSubstitute(&name, rng));
    ASSERT_EQ(name.size(), 5u);
    int diffs = 0;
    for (size_t i = 0; i < name.size(); ++i) diffs += name[i] != "rizky"[i];
    EXPECT_EQ(diffs, 1) << name;
  }
  // Fatimah -> Patimah is among the sound-alike outcomes.
  bool seen = false;
  for (int seed = 0; seed < 2000 && !seen; ++seed) {
    Rng rng(seed);
    std::string name = "fatimah";
    TypoSubstitute(&name, rng);
    seen = name == "patimah";
  }
  EXPECT_TRUE(seen);
}

TEST(CorruptorTest, TypoTransposeSwapsAdjacentLetters) {
  for (int seed = 0; seed < kSeeds; ++seed) {
    Rng rng(seed);
    std::string name = "hartono";
    ASSERT_TRUE(TypoTranspose(&name, rng));
    ASSERT_EQ(name.size(), 7u);
    std::string sorted_a = name, sorted_b = "hartono";
    std::sort(sorted_a.begin(), sorted_a.end());
    std::sort(sorted_b.begin(), sorted_b.end());
    EXPECT_EQ(sorted_a, sorted_b);
    size_t first = 0;
    while (name[first] == "hartono"[first]) ++first;
    EXPECT_EQ(name[first], "hartono"[first + 1]) << name;
    EXPECT_EQ(name[first + 1], "hartono"[first]) << name;
    EXPECT_EQ(name.substr(first + 2), std::string("hartono").substr(first + 2)) << name;
  }
}

TEST(CorruptorTest, TyposLeaveSingleLettersAlone) {
  Rng rng(1);
  std::string name = "m";
  EXPECT_FALSE(TypoTranspose(&name, rng));
  EXPECT_FALSE(TypoDelete(&name, rng));
  EXPECT_EQ(name, "m");
}

TEST(OldSpellingTest, ConvertsTodaysSpellingToTheOld) {
  EXPECT_EQ(ToOldSpelling("sukarno"), "soekarno");
  EXPECT_EQ(ToOldSpelling("joko"), "djoko");
  EXPECT_EQ(ToOldSpelling("cahyo"), "tjahjo");
  EXPECT_EQ(ToOldSpelling("syamsul", kOldSpellingConsonants), "sjamsul");
  EXPECT_EQ(ToOldSpelling("nyoman"), "njoman");
  EXPECT_EQ(ToOldSpelling("akhmad"), "achmad");
  EXPECT_EQ(ToOldSpelling("yusuf"), "joesoef");
  // Final y and the diphthong au stay.
  EXPECT_EQ(ToOldSpelling("rizky"), "rizky");
  EXPECT_EQ(ToOldSpelling("maulana"), "maulana");
}

TEST(OldSpellingTest, ConvertsOldSpellingBack) {
  EXPECT_EQ(ToModernSpelling("soekarno"), "sukarno");
  EXPECT_EQ(ToModernSpelling("djoko"), "joko");
  EXPECT_EQ(ToModernSpelling("tjahjo"), "cahyo");
  EXPECT_EQ(ToModernSpelling("sjamsul"), "syamsul");
  EXPECT_EQ(ToModernSpelling("njoman"), "nyoman");
  EXPECT_EQ(ToModernSpelling("achmad"), "akhmad");
  EXPECT_TRUE(HasOldSpellingMarkers("soeharto"));
  EXPECT_FALSE(HasOldSpellingMarkers("michael"));
}

TEST(CorruptorTest, OldSpellingTurnsSukarnoIntoSoekarnoAndBack) {
  Rng rng(3);
  std::string name = "sukarno";
  ASSERT_TRUE(OldSpelling(&name, /*consonants_only=*/false, rng));
  EXPECT_EQ(name, "soekarno");
  ASSERT_TRUE(OldSpelling(&name, false, rng));
  EXPECT_EQ(name, "sukarno");
}

TEST(CorruptorTest, OldSpellingOnChristianNamesChangesOnlyJAndY) {
  for (int seed = 0; seed < kSeeds; ++seed) {
    Rng rng(seed);
    std::string name = "yohanes petrus";
    ASSERT_TRUE(OldSpelling(&name, /*consonants_only=*/true, rng));
    EXPECT_EQ(name, "johanes petrus");
  }
  Rng rng(1);
  std::string name = "maria";
  EXPECT_FALSE(OldSpelling(&name, true, rng));
}

TEST(CorruptorTest, MuhammadVariantSwapsTheSpelling) {
  const std::set<std::string> variants = {"muhammad",  "muhamad",  "mohammad", "mohamad",
                                          "mochammad", "mochamad", "moch",     "moh",
                                          "muh",       "mhd",      "m",        "muhammat"};
  std::set<std::string> seen;
  for (int seed = 0; seed < kSeeds; ++seed) {
    Rng rng(seed);
    std::string name = "muhammad rizki";
    ASSERT_TRUE(MuhammadVariant(&name, rng));
    std::string first = name.substr(0, name.find(' '));
    EXPECT_NE(first, "muhammad");
    EXPECT_TRUE(variants.contains(first)) << name;
    EXPECT_EQ(name.substr(name.find(' ')), " rizki");
    seen.insert(first);
  }
  EXPECT_GE(seen.size(), 6u);
  Rng rng(1);
  std::string name = "ahmad fauzi";
  EXPECT_FALSE(MuhammadVariant(&name, rng));
}

TEST(CorruptorTest, AbdulVariantAbbreviatesMergesAndSplits) {
  std::set<std::string> seen;
  for (int seed = 0; seed < kSeeds; ++seed) {
    Rng rng(seed);
    std::string name = "abdul rahman";
    ASSERT_TRUE(AbdulVariant(&name, rng));
    seen.insert(name);
  }
  EXPECT_TRUE(seen.contains("abdurrahman"));  // sun letter r assimilates the l
  EXPECT_TRUE(seen.contains("abd rahman"));
  EXPECT_TRUE(seen.contains("abdoel rahman"));
  Rng rng(1);
  std::string kadir = "abdul kadir";
  while (kadir == "abdul kadir" || kadir.find(' ') != std::string::npos) {
    kadir = "abdul kadir";
    AbdulVariant(&kadir, rng);
  }
  EXPECT_EQ(kadir, "abdulkadir");
  std::string merged = "abdurrahman wahid";
  ASSERT_TRUE(AbdulVariant(&merged, rng));
  EXPECT_EQ(merged, "abdul rahman wahid");
}

TEST(CorruptorTest, BinBintiAppendsTheFathersName) {
  std::string son = "ahmad fauzi";
  ASSERT_TRUE(BinBinti(&son, Sex::kLakiLaki, "yusuf"));
  EXPECT_EQ(son, "ahmad fauzi bin yusuf");
  std::string daughter = "siti aminah";
  ASSERT_TRUE(BinBinti(&daughter, Sex::kPerempuan, "abdul kadir"));
  EXPECT_EQ(daughter, "siti aminah binti abdul kadir");
  EXPECT_FALSE(BinBinti(&daughter, Sex::kPerempuan, "hasan"));
}

TEST(CorruptorTest, TokenDroppedRemovesOneToken) {
  for (int seed = 0; seed < kSeeds; ++seed) {
    Rng rng(seed);
    std::string name = "dwi ayu lestari";
    ASSERT_TRUE(TokenDropped(&name, rng));
    EXPECT_TRUE(name == "ayu lestari" || name == "dwi lestari" || name == "dwi ayu") << name;
  }
  Rng rng(1);
  std::string mononym = "sutrisno";
  EXPECT_FALSE(TokenDropped(&mononym, rng));
  for (int seed = 0; seed < kSeeds; ++seed) {
    Rng r(seed);
    std::string initial = "s syamsinar";
    if (TokenDropped(&initial, r)) {
      EXPECT_EQ(initial, "syamsinar");
    }
  }
}

TEST(CorruptorTest, TokenInitialNeverShortensTheLastToken) {
  for (int seed = 0; seed < kSeeds; ++seed) {
    Rng rng(seed);
    std::string name = "muhammad rizki pratama";
    ASSERT_TRUE(TokenInitial(&name, rng));
    EXPECT_TRUE(name == "m rizki pratama" || name == "muhammad r pratama") << name;
  }
}

TEST(CorruptorTest, TokensSwappedSwapsNeighbours) {
  Rng rng(5);
  std::string name = "siti aminah";
  ASSERT_TRUE(TokensSwapped(&name, rng));
  EXPECT_EQ(name, "aminah siti");
}

TEST(CorruptorTest, DobDayMonthSwapOnlyWhenTheDayCouldBeAMonth) {
  int32_t days = DaysFromCivil(1980, 11, 5);
  ASSERT_TRUE(DobDayMonthSwap(&days));
  EXPECT_EQ(days, DaysFromCivil(1980, 5, 11));
  int32_t late = DaysFromCivil(1980, 11, 25);
  EXPECT_FALSE(DobDayMonthSwap(&late));
  int32_t same = DaysFromCivil(1980, 7, 7);
  EXPECT_FALSE(DobDayMonthSwap(&same));
}

TEST(CorruptorTest, DobYearOffByOneKeepsDayAndMonth) {
  for (int seed = 0; seed < kSeeds; ++seed) {
    Rng rng(seed);
    int32_t days = DaysFromCivil(1990, 3, 14);
    ASSERT_TRUE(DobYearOffByOne(&days, rng));
    int y = 0, m = 0, d = 0;
    CivilFromDays(days, &y, &m, &d);
    EXPECT_TRUE(y == 1989 || y == 1991);
    EXPECT_EQ(m, 3);
    EXPECT_EQ(d, 14);
  }
  // 29 February moves to the 28th in a common year.
  Rng rng(2);
  int32_t leap = DaysFromCivil(2000, 2, 29);
  ASSERT_TRUE(DobYearOffByOne(&leap, rng));
  int y = 0, m = 0, d = 0;
  CivilFromDays(leap, &y, &m, &d);
  EXPECT_EQ(m, 2);
  EXPECT_EQ(d, 28);
}

TEST(CorruptorTest, NikOneDigitChangesExactlyOneDigit) {
  const std::string nik = "3201011705800001";
  for (int seed = 0; seed < kSeeds; ++seed) {
    Rng rng(seed);
    std::string corrupted = nik;
    ASSERT_TRUE(NikOneDigit(&corrupted, rng));
    ASSERT_EQ(corrupted.size(), 16u);
    int diffs = 0;
    for (size_t i = 0; i < 16; ++i) diffs += corrupted[i] != nik[i];
    EXPECT_EQ(diffs, 1) << corrupted;
  }
}

TEST(CorruptorTest, NikTransposedSwapsTwoAdjacentDigits) {
  const std::string nik = "3201011705800001";
  for (int seed = 0; seed < kSeeds; ++seed) {
    Rng rng(seed);
    std::string corrupted = nik;
    ASSERT_TRUE(NikTransposed(&corrupted, rng));
    ASSERT_EQ(corrupted.size(), 16u);
    size_t i = 0;
    while (corrupted[i] == nik[i]) ++i;
    ASSERT_LT(i + 1, 16u);
    EXPECT_EQ(corrupted[i], nik[i + 1]);
    EXPECT_EQ(corrupted[i + 1], nik[i]);
    EXPECT_EQ(corrupted.substr(i + 2), nik.substr(i + 2));
  }
}

TEST(CorruptorTest, NikCorruptionsByName) {
  Rng rng(9);
  std::string missing = "3201011705800001";
  Corruptor::ApplyNikCorruption(Bit(Corruption::kNikMissing), &missing, rng);
  EXPECT_EQ(missing, "");
  std::string short_nik = "3201011705800001";
  Corruptor::ApplyNikCorruption(Bit(Corruption::kNikShort), &short_nik, rng);
  EXPECT_EQ(short_nik.size(), 15u);
  EXPECT_EQ(short_nik[0], '3');
  std::string untouched = "3201011705800001";
  Corruptor::ApplyNikCorruption(Bit(Corruption::kTypoInsert), &untouched, rng);
  EXPECT_EQ(untouched, "3201011705800001");
}

TEST(CorruptionTest, NamesRoundTrip) {
  for (int c = 0; c < kCorruptionCount; ++c) {
    Corruption corruption = static_cast<Corruption>(c);
    EXPECT_EQ(ParseCorruption(CorruptionName(corruption)), corruption);
  }
  EXPECT_EQ(CorruptionSetNames(Bit(Corruption::kTypoDelete) | Bit(Corruption::kMovedDesa)),
            "typo_delete;moved_desa");
  EXPECT_EQ(CorruptionSetNames(0), "");
}

}  // namespace
}  // namespace padan::gen
