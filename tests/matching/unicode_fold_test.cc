#include "matching/unicode_fold.h"

#include <string>

#include "gtest/gtest.h"

#include "data/generator/random.h"
#include "data/utf8.h"

namespace padan {
namespace {

TEST(UnicodeFoldTest, LowerCasesAscii) { EXPECT_EQ(UnicodeFold("SITI Aminah"), "siti aminah"); }

TEST(UnicodeFoldTest, LeavesAsciiPunctuationAndDigitsAlone) {
  EXPECT_EQ(UnicodeFold("Jl. Merdeka No.12/3, RT-01 (Alm) 'x' \t!"),
            "jl. merdeka no.12/3, rt-01 (alm) 'x' \t!");
}

TEST(UnicodeFoldTest, EmptyInputGivesEmptyOutput) { EXPECT_EQ(UnicodeFold(""), ""); }

TEST(UnicodeFoldTest, AppendsToTheOutput) {
  std::string out = "nama: ";
  AppendUnicodeFold("SITI", &out);
  AppendUnicodeFold(" JOSÉ", &out);
  EXPECT_EQ(out, "nama: siti jose");
}

TEST(UnicodeFoldTest, AsciiInputOnlyGrowsTheOutput) {
  std::string out;
  out.reserve(64);
  const char* buffer = out.data();
  AppendUnicodeFold("MUHAMMAD RIZKI PRATAMA", &out);
  EXPECT_EQ(out.data(), buffer);  // no reallocation within the reserved capacity
  EXPECT_EQ(out, "muhammad rizki pratama");
}

TEST(UnicodeFoldTest, StripsCombiningMarks) {
  EXPECT_EQ(UnicodeFold("José Müller Ñoño Çelik Åse"), "jose muller nono celik ase");
  EXPECT_EQ(UnicodeFold("Jose\u0301"), "jose");  // decomposed é
  EXPECT_EQ(UnicodeFold("Nguyễn"), "nguyen");    // two marks on one letter
}

TEST(UnicodeFoldTest, AppliesCompatibilityForms) {
  EXPECT_EQ(UnicodeFold("ＳＩＴＩ"), "siti");  // full-width letters
  EXPECT_EQ(UnicodeFold("ﬁtri"), "fitri");     // ligature
  EXPECT_EQ(UnicodeFold("Ⅲ"), "iii");          // Roman numeral three
  EXPECT_EQ(UnicodeFold("x²"), "x2");          // superscript two
  EXPECT_EQ(UnicodeFold("ＲＴ０１"), "rt01");  // full-width digits
}

TEST(UnicodeFoldTest, FoldsCaseFully) {
  EXPECT_EQ(UnicodeFold("STRAẞE"), "strasse");
  EXPECT_EQ(UnicodeFold("ΣΙΤΙ"), "σιτι");
  EXPECT_EQ(UnicodeFold("İBRAHİM"), "ibrahim");  // Turkish dotted capital I
}

TEST(UnicodeFoldTest, TurnsEverySpaceIntoAnAsciiSpace) {
  EXPECT_EQ(UnicodeFold("siti\u00a0aminah"), "siti aminah");  // no-break space
  EXPECT_EQ(UnicodeFold("siti\u2003aminah"), "siti aminah");  // em space
  EXPECT_EQ(UnicodeFold("siti\u3000aminah"), "siti aminah");  // ideographic space
}

TEST(UnicodeFoldTest, TurnsApostrophesIntoAsciiApostrophes) {
  for (const char* raw : {"ma\u2019ruf", "ma\u2018ruf", "ma\u00b4ruf", "ma\u02bcruf", "ma\u02bbruf",
                          "ma\u02bfruf", "ma\u02beruf", "ma\u2032ruf", "ma\uff07ruf"}) {
    EXPECT_EQ(UnicodeFold(raw), "ma'ruf") << raw;
  }
}

TEST(UnicodeFoldTest, TurnsDashesIntoHyphens) {
  EXPECT_EQ(UnicodeFold("siti\u2013aminah"), "siti-aminah");  // en dash
  EXPECT_EQ(UnicodeFold("siti\u2010aminah"), "siti-aminah");  // hyphen
}

TEST(UnicodeFoldTest, RemovesDefaultIgnorableCodePoints) {
  EXPECT_EQ(UnicodeFold("si\u00adti"), "siti");  // soft hyphen
  EXPECT_EQ(UnicodeFold("si\u200bti"), "siti");  // zero-width space
  EXPECT_EQ(UnicodeFold("si\u200dti"), "siti");  // zero-width joiner
  EXPECT_EQ(UnicodeFold("\ufeffsiti"), "siti");  // byte order mark
}

TEST(UnicodeFoldTest, TurnsOtherNonAsciiSymbolsIntoSpaces) {
  EXPECT_EQ(UnicodeFold("siti•aminah"), "siti aminah");
  EXPECT_EQ(UnicodeFold("©siti"), " siti");
  EXPECT_EQ(UnicodeFold("siti«aminah»"), "siti aminah ");
}

TEST(UnicodeFoldTest, KeepsLettersOfOtherScripts) {
  EXPECT_EQ(UnicodeFold("محمد"), "محمد");
  EXPECT_EQ(UnicodeFold("陈 Tan"), "陈 tan");
}

TEST(UnicodeFoldTest, ReadsInvalidBytesAsWindows1252) {
  EXPECT_EQ(UnicodeFold("Jos\xe9"), "jose");      // é
  EXPECT_EQ(UnicodeFold("Ma\x92ruf"), "ma'ruf");  // right single quotation mark
  EXPECT_EQ(UnicodeFold("\xc3"), "a");            // a truncated sequence: Ã
  EXPECT_EQ(UnicodeFold("\xed\xa0\x80"), "i  ");  // a surrogate: í and two controls
  EXPECT_EQ(UnicodeFold("\xc0\xaf"), "a ");       // overlong '/': À and a macron
}

TEST(UnicodeFoldTest, OutputIsAlwaysValidUtf8) {
  gen::Rng rng(1);
  for (int round = 0; round < 5000; ++round) {
    std::string raw(rng.Uniform(32), '\0');
    for (char& c : raw) c = static_cast<char>(rng.Uniform(256));
    const std::string folded = UnicodeFold(raw);
    EXPECT_TRUE(IsValidUtf8(folded)) << round;
    // Every byte at or above 0x80 belongs to a letter or digit: folding is idempotent.
    EXPECT_EQ(UnicodeFold(folded), folded) << round;
  }
}

}  // namespace
}  // namespace padan
