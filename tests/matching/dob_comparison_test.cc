#include "matching/dob_comparison.h"

#include "gtest/gtest.h"

namespace padan {
namespace {

DobLevel Compare(const Date& a, const Date& b) {
  const DobLevel level = CompareDob(a, b);
  EXPECT_EQ(level, CompareDob(b, a)) << a.ToString() << " / " << b.ToString();
  return level;
}

TEST(DobComparisonTest, Exact) {
  EXPECT_EQ(Compare(Date::FromYmd(1980, 5, 17), Date::FromYmd(1980, 5, 17)), DobLevel::kExact);
}

TEST(DobComparisonTest, DayMonthSwap) {
  EXPECT_EQ(Compare(Date::FromYmd(1980, 5, 7), Date::FromYmd(1980, 7, 5)), DobLevel::kDayMonthSwap);
  // Swapped, but in another year: no level for two errors at once.
  EXPECT_EQ(Compare(Date::FromYmd(1980, 5, 7), Date::FromYmd(1981, 7, 5)), DobLevel::kDifferent);
}

TEST(DobComparisonTest, YearOffByOne) {
  EXPECT_EQ(Compare(Date::FromYmd(1980, 5, 17), Date::FromYmd(1981, 5, 17)),
            DobLevel::kYearOffByOne);
  EXPECT_EQ(Compare(Date::FromYmd(1980, 5, 17), Date::FromYmd(1979, 5, 17)),
            DobLevel::kYearOffByOne);
  EXPECT_EQ(Compare(Date::FromYmd(1980, 5, 17), Date::FromYmd(1982, 5, 17)), DobLevel::kDifferent);
  // One year apart but another day: not a mistyped year.
  EXPECT_EQ(Compare(Date::FromYmd(1980, 5, 17), Date::FromYmd(1981, 5, 18)), DobLevel::kDifferent);
  // Across a year boundary the day numbers are close but the year is not "off by one".
  EXPECT_EQ(Compare(Date::FromYmd(1980, 12, 31), Date::FromYmd(1981, 1, 1)), DobLevel::kDifferent);
}

TEST(DobComparisonTest, SameYear) {
  EXPECT_EQ(Compare(Date::FromYmd(1980, 5, 17), Date::FromYmd(1980, 11, 2)), DobLevel::kSameYear);
  EXPECT_EQ(Compare(Date::FromYmd(1980, 1, 1), Date::FromYmd(1980, 12, 31)), DobLevel::kSameYear);
}

TEST(DobComparisonTest, PartialDatesAgreeAtMostOnTheYear) {
  const Date full = Date::FromYmd(1980, 5, 17);
  EXPECT_EQ(Compare(Date::FromYear(1980), full), DobLevel::kSameYear);
  EXPECT_EQ(Compare(Date::FromYearMonth(1980, 5), full), DobLevel::kSameYear);
  EXPECT_EQ(Compare(Date::FromYearMonth(1980, 6), full), DobLevel::kSameYear);
  EXPECT_EQ(Compare(Date::FromYearMonth(1980, 5), Date::FromYearMonth(1980, 5)),
            DobLevel::kSameYear);
  EXPECT_EQ(Compare(Date::FromYear(1980), Date::FromYear(1980)), DobLevel::kSameYear);
  // A year-only date is stored as 1 January; that must not read as an exact 1980-01-01.
  EXPECT_EQ(Compare(Date::FromYear(1980), Date::FromYmd(1980, 1, 1)), DobLevel::kSameYear);
}

TEST(DobComparisonTest, PartialDatesInOtherYearsDiffer) {
  EXPECT_EQ(Compare(Date::FromYear(1980), Date::FromYear(1981)), DobLevel::kDifferent);
  EXPECT_EQ(Compare(Date::FromYearMonth(1980, 5), Date::FromYmd(1981, 5, 17)),
            DobLevel::kDifferent);
}

TEST(DobComparisonTest, Missing) {
  EXPECT_EQ(Compare(Date(), Date::FromYmd(1980, 5, 17)), DobLevel::kMissing);
  EXPECT_EQ(Compare(Date(), Date::FromYear(1980)), DobLevel::kMissing);
  EXPECT_EQ(Compare(Date(), Date()), DobLevel::kMissing);
}

TEST(DobComparisonTest, LevelsAreOrderedByStrength) {
  EXPECT_LT(DobLevel::kMissing, DobLevel::kDifferent);
  EXPECT_LT(DobLevel::kDifferent, DobLevel::kSameYear);
  EXPECT_LT(DobLevel::kSameYear, DobLevel::kYearOffByOne);
  EXPECT_LT(DobLevel::kYearOffByOne, DobLevel::kDayMonthSwap);
  EXPECT_LT(DobLevel::kDayMonthSwap, DobLevel::kExact);
}

TEST(DobComparisonTest, Names) {
  EXPECT_EQ(DobLevelName(DobLevel::kExact), "exact");
  EXPECT_EQ(DobLevelName(DobLevel::kDayMonthSwap), "day_month_swap");
  EXPECT_EQ(DobLevelName(DobLevel::kYearOffByOne), "year_off_by_one");
  EXPECT_EQ(DobLevelName(DobLevel::kSameYear), "same_year");
  EXPECT_EQ(DobLevelName(DobLevel::kDifferent), "different");
  EXPECT_EQ(DobLevelName(DobLevel::kMissing), "missing");
}

}  // namespace
}  // namespace padan
