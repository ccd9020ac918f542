// Date: a calendar date that may be partial (year only, year-month) or missing, as dates of
// birth are in DTKS, with the parsers for every form the registry's files use.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace padan {

// How much of a date is known. Ordered: a later value knows more.
enum class DatePrecision : uint8_t { kNone = 0, kYear = 1, kMonth = 2, kDay = 3 };

// The textual form to expect. kAuto recognises every form below; the explicit ones exist for
// column mappings whose files are unambiguous (YYYYMMDD lists, month-first foreign lists).
enum class DateFormat : uint8_t {
  kAuto,
  kYmd,          // 1980-05-17, 1980/05/17, 1980.05.17
  kDmy,          // 17-05-1980, 17/05/1980, 17.05.1980, 17 Mei 1980
  kMdy,          // 05/17/1980
  kYmdCompact,   // 19800517
  kDmyCompact,   // 17051980
  kExcelSerial,  // 29358 (days since 1899-12-30, Excel's 1900 date system)
};

// Parses a format name as used in mapping files: "auto", "YYYY-MM-DD", "DD-MM-YYYY",
// "MM-DD-YYYY", "YYYYMMDD", "DDMMYYYY", "excel". Returns kInvalidArgument otherwise.
absl::StatusOr<DateFormat> ParseDateFormatName(std::string_view name);

// A date with its precision. A year-only date is stored as 1 January of that year and a
// year-month date as the first of that month, with the precision saying which parts are real.
// Value type; cheap to copy. Thread-compatible.
class Date {
 public:
  // Earliest and latest years accepted: birth dates of living or recently deceased people,
  // plus the far side of the registry's lifetime.
  static constexpr int kMinYear = 1850;
  static constexpr int kMaxYear = 2100;

  Date() = default;  // a missing date

  // REQUIRES: the parts form a valid date in [kMinYear, kMaxYear]; use Parse for input.
  static Date FromYmd(int year, int month, int day);
  static Date FromYearMonth(int year, int month);
  static Date FromYear(int year);
  // Days since 1970-01-01 (may be negative); precision kDay.
  static Date FromDays(int32_t days);

  // Parses `text`. Empty or blank text is a missing date (OK). Unknown day or month written
  // as 00 ("00-00-1980", "1980-05-00") gives a partial date. Returns kInvalidArgument with a
  // message saying what is wrong (impossible day, two-digit year, unknown month name...).
  static absl::StatusOr<Date> Parse(std::string_view text,
                                    DateFormat format = DateFormat::kAuto);

  bool missing() const { return precision_ == DatePrecision::kNone; }
  DatePrecision precision() const { return precision_; }
  // The known parts; 0 for a part the precision does not cover.
  int year() const;
  int month() const;
  int day() const;
  // Days since 1970-01-01 of the first day the date covers. REQUIRES: !missing().
  int32_t days() const { return days_; }

  // "" (missing), "1980", "1980-05" or "1980-05-17".
  std::string ToString() const;

  // A 32-bit code for columnar storage; 0 is the missing date. Unpack(Pack()) == *this.
  uint32_t Pack() const;
  static Date Unpack(uint32_t packed);

  friend bool operator==(const Date& a, const Date& b) {
    return a.precision_ == b.precision_ && (a.missing() || a.days_ == b.days_);
  }

 private:
  Date(int32_t days, DatePrecision precision) : days_(days), precision_(precision) {}

  int32_t days_ = 0;
  DatePrecision precision_ = DatePrecision::kNone;
};

// Calendar helpers shared by the NIK decoder and the generator.
bool IsLeapYear(int year);
int DaysInMonth(int year, int month);
// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's days_from_civil).
int32_t DaysFromCivil(int year, int month, int day);
// Inverse of DaysFromCivil.
void CivilFromDays(int32_t days, int* year, int* month, int* day);

}  // namespace padan
