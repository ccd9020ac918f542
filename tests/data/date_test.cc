#include "data/date.h"

#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::StatusIs;

// ToString places the digits itself: each precision against printf's zero padding, over every
// day of every month of years of one to four digits.
TEST(DateTest, ToStringZeroPadsEachPrecision) {
  for (int year = Date::kMinYear; year <= Date::kMaxYear; year += 37) {
    EXPECT_EQ(Date::FromYear(year).ToString(), absl::StrFormat("%04d", year));
    for (int month = 1; month <= 12; ++month) {
      EXPECT_EQ(Date::FromYearMonth(year, month).ToString(),
                absl::StrFormat("%04d-%02d", year, month));
      for (int day = 1; day <= 28; day += 9) {
        EXPECT_EQ(Date::FromYmd(year, month, day).ToString(),
                  absl::StrFormat("%04d-%02d-%02d", year, month, day));
      }
    }
  }
  EXPECT_EQ(Date::FromYmd(Date::kMaxYear, 12, 31).ToString(), "2100-12-31");
  EXPECT_EQ(Date().ToString(), "");
}

TEST(DateTest, ParsesIsoDate) {
  absl::StatusOr<Date> date = Date::Parse("1980-05-17");
  ASSERT_THAT(date, IsOk());
  EXPECT_EQ(date->year(), 1980);
  EXPECT_EQ(date->month(), 5);
  EXPECT_EQ(date->day(), 17);
  EXPECT_EQ(date->precision(), DatePrecision::kDay);
  EXPECT_EQ(date->ToString(), "1980-05-17");
}

TEST(DateTest, ParsesDayFirstWithDashSlashAndDot) {
  for (const char* text : {"17-05-1980", "17/05/1980", "17.05.1980", " 17 - 05 - 1980 "}) {
    absl::StatusOr<Date> date = Date::Parse(text);
    ASSERT_THAT(date, IsOk()) << text;
    EXPECT_EQ(date->ToString(), "1980-05-17") << text;
  }
}

TEST(DateTest, ParsesIndonesianMonthNames) {
  EXPECT_EQ(Date::Parse("17 Agustus 1945")->ToString(), "1945-08-17");
  EXPECT_EQ(Date::Parse("1 Mei 1990")->ToString(), "1990-05-01");
  EXPECT_EQ(Date::Parse("03-Des-2001")->ToString(), "2001-12-03");
  EXPECT_EQ(Date::Parse("Nopember 1975")->ToString(), "1975-11");
}

TEST(DateTest, ParsesExcelSerials) {
  // 29358 is 1980-05-17 in Excel's 1900 date system.
  EXPECT_EQ(Date::Parse("29358")->ToString(), "1980-05-17");
  EXPECT_EQ(Date::Parse("29358.0")->ToString(), "1980-05-17");
  EXPECT_EQ(Date::Parse("61", DateFormat::kExcelSerial)->ToString(), "1900-03-01");
  EXPECT_THAT(Date::Parse("60", DateFormat::kExcelSerial),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(DateTest, ParsesPartialDates) {
  absl::StatusOr<Date> year = Date::Parse("1975");
  ASSERT_THAT(year, IsOk());
  EXPECT_EQ(year->precision(), DatePrecision::kYear);
  EXPECT_EQ(year->ToString(), "1975");
  EXPECT_EQ(year->month(), 0);
  EXPECT_EQ(Date::Parse("1975-06")->ToString(), "1975-06");
  EXPECT_EQ(Date::Parse("06/1975")->ToString(), "1975-06");
  EXPECT_EQ(Date::Parse("00-00-1975")->ToString(), "1975");
  EXPECT_EQ(Date::Parse("1975-06-00")->ToString(), "1975-06");
}

TEST(DateTest, CompactFormats) {
  EXPECT_EQ(Date::Parse("19800517")->ToString(), "1980-05-17");
  EXPECT_EQ(Date::Parse("17051980")->ToString(), "1980-05-17");
  EXPECT_EQ(Date::Parse("19800517", DateFormat::kYmdCompact)->ToString(), "1980-05-17");
  EXPECT_EQ(Date::Parse("17051980", DateFormat::kDmyCompact)->ToString(), "1980-05-17");
}

TEST(DateTest, MonthFirstOnlyWhenMapped) {
  EXPECT_EQ(Date::Parse("05/17/1980", DateFormat::kMdy)->ToString(), "1980-05-17");
  EXPECT_THAT(Date::Parse("05/17/1980"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(DateTest, StripsTimeOfDay) {
  EXPECT_EQ(Date::Parse("1980-05-17 00:00:00")->ToString(), "1980-05-17");
  EXPECT_EQ(Date::Parse("1980-05-17T00:00:00Z")->ToString(), "1980-05-17");
}

TEST(DateTest, EmptyIsMissingNotError) {
  absl::StatusOr<Date> date = Date::Parse("  ");
  ASSERT_THAT(date, IsOk());
  EXPECT_TRUE(date->missing());
  EXPECT_EQ(date->ToString(), "");
}

TEST(DateTest, RejectsImpossibleDates) {
  for (const char* text : {"31-02-1980", "29-02-1900", "1980-13-01", "17-05-80", "abc",
                           "1800-01-01", "12345678901", "32/01/1990", "17 Foo 1980"}) {
    EXPECT_THAT(Date::Parse(text), StatusIs(absl::StatusCode::kInvalidArgument)) << text;
  }
  EXPECT_THAT(Date::Parse("29-02-2000"), IsOk());
}

TEST(DateTest, PackRoundTrips) {
  for (const char* text : {"1980-05-17", "1975", "1975-06", "1850-01-01", "2100-12-31"}) {
    Date date = *Date::Parse(text);
    EXPECT_NE(date.Pack(), 0u);
    EXPECT_EQ(Date::Unpack(date.Pack()), date) << text;
  }
  EXPECT_EQ(Date().Pack(), 0u);
  EXPECT_TRUE(Date::Unpack(0).missing());
}

TEST(DateTest, CivilConversionsAgree) {
  for (int32_t days = -60000; days < 60000; days += 37) {
    int y, m, d;
    CivilFromDays(days, &y, &m, &d);
    EXPECT_EQ(DaysFromCivil(y, m, d), days);
  }
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
}

}  // namespace
}  // namespace padan
