#include "data/nik.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace padan {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(NikTest, ParsesSixteenDigits) {
  IdParse parse = Nik::Parse("3201014508900003");
  EXPECT_TRUE(parse.valid());
  EXPECT_EQ(parse.value, 3201014508900003u);
  EXPECT_EQ(Nik(parse.value).ToString(), "3201014508900003");
}

TEST(NikTest, IgnoresSeparatorsAndSpreadsheetArtifacts) {
  for (const char* text : {"3201 0145 0890 0003", "3201.0145.0890.0003", "'3201014508900003",
                           "3201014508900003.0", " 3201014508900003 "}) {
    IdParse parse = Nik::Parse(text);
    EXPECT_TRUE(parse.valid()) << text;
    EXPECT_EQ(parse.value, 3201014508900003u) << text;
  }
}

TEST(NikTest, ReportsEmpty) {
  EXPECT_THAT(Nik::Parse("").problems, ElementsAre(IdProblem::kEmpty));
  EXPECT_THAT(Nik::Parse("  ").problems, ElementsAre(IdProblem::kEmpty));
}

TEST(NikTest, ReportsWrongLengthAndKeepsDigits) {
  IdParse parse = Nik::Parse("320101450890003");
  EXPECT_THAT(parse.problems, ElementsAre(IdProblem::kWrongLength));
  EXPECT_EQ(parse.value, 0u);
  EXPECT_EQ(parse.digits, "320101450890003");
}

TEST(NikTest, ReportsNonDigits) {
  EXPECT_THAT(Nik::Parse("32010145089O0003").problems, ElementsAre(IdProblem::kNonDigit));
}

TEST(NikTest, ReportsScientificNotation) {
  EXPECT_THAT(Nik::Parse("3.20101E+15").problems, ElementsAre(IdProblem::kScientificNotation));
}

TEST(NikTest, ReportsImpossibleDateAndZeroSerial) {
  // Day 32 (and 72 for a woman) does not exist; month 13 neither.
  EXPECT_THAT(Nik::Parse("3201013205900003").problems, ElementsAre(IdProblem::kImpossibleDate));
  EXPECT_THAT(Nik::Parse("3201017205900003").problems, ElementsAre(IdProblem::kImpossibleDate));
  EXPECT_THAT(Nik::Parse("3201011513900003").problems, ElementsAre(IdProblem::kImpossibleDate));
  EXPECT_THAT(Nik::Parse("3201011505900000").problems, ElementsAre(IdProblem::kZeroSerial));
  EXPECT_THAT(Nik::Parse("3201013205900000").problems,
              ElementsAre(IdProblem::kImpossibleDate, IdProblem::kZeroSerial));
}

TEST(NikTest, DecodesWomanAndMan) {
  NikParts woman = Nik(3201014508900003).Decode();
  EXPECT_EQ(woman.kecamatan, 320101u);
  EXPECT_EQ(woman.day, 5);
  EXPECT_EQ(woman.month, 8);
  EXPECT_EQ(woman.year_2digit, 90);
  EXPECT_EQ(woman.sex, Sex::kPerempuan);
  EXPECT_EQ(woman.serial, 3);
  NikParts man = Nik(3201010508900003).Decode();
  EXPECT_EQ(man.day, 5);
  EXPECT_EQ(man.sex, Sex::kLakiLaki);
}

TEST(NikTest, ConsistencyWithBirthDateAndSex) {
  Nik nik(3201014508900003);
  EXPECT_TRUE(nik.ConsistentWith(Date::FromYmd(1990, 8, 5), Sex::kPerempuan));
  EXPECT_TRUE(nik.ConsistentWith(Date::FromYear(1990), Sex::kUnknown));
  EXPECT_TRUE(nik.ConsistentWith(Date(), Sex::kPerempuan));
  EXPECT_FALSE(nik.ConsistentWith(Date::FromYmd(1990, 8, 5), Sex::kLakiLaki));
  EXPECT_FALSE(nik.ConsistentWith(Date::FromYmd(1991, 8, 5), Sex::kPerempuan));
  EXPECT_FALSE(nik.ConsistentWith(Date::FromYmd(1990, 5, 8), Sex::kPerempuan));
}

TEST(NoKkTest, ParsesWithoutFemaleOffset) {
  IdParse parse = NoKk::Parse("3201011203150007");
  EXPECT_THAT(parse.problems, IsEmpty());
  EXPECT_EQ(NoKk(parse.value).kecamatan(), 320101u);
  // Day 45 is fine in a NIK but not in a card's issue date.
  EXPECT_THAT(NoKk::Parse("3201014503150007").problems, ElementsAre(IdProblem::kImpossibleDate));
}

TEST(IdProblemTest, EveryProblemHasNameAndMessage) {
  for (IdProblem p : {IdProblem::kEmpty, IdProblem::kNonDigit, IdProblem::kScientificNotation,
                      IdProblem::kWrongLength, IdProblem::kUnknownKecamatan,
                      IdProblem::kImpossibleDate, IdProblem::kZeroSerial}) {
    EXPECT_NE(IdProblemName(p), "unknown");
    EXPECT_NE(IdProblemMessage(p), "unknown problem");
  }
}

}  // namespace
}  // namespace padan
