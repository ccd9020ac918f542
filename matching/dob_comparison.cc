#include "matching/dob_comparison.h"

#include <cstdlib>

namespace padan {

DobLevel CompareDob(const Date& a, const Date& b) {
  if (a.missing() || b.missing()) return DobLevel::kMissing;
  const bool both_days =
      a.precision() == DatePrecision::kDay && b.precision() == DatePrecision::kDay;
  if (both_days && a.days() == b.days()) return DobLevel::kExact;
  // One civil conversion per date, where the accessors would do one per part.
  int year_a, month_a, day_a;
  int year_b, month_b, day_b;
  CivilFromDays(a.days(), &year_a, &month_a, &day_a);
  CivilFromDays(b.days(), &year_b, &month_b, &day_b);
  if (!both_days) return year_a == year_b ? DobLevel::kSameYear : DobLevel::kDifferent;
  if (year_a == year_b) {
    return day_a == month_b && month_a == day_b ? DobLevel::kDayMonthSwap : DobLevel::kSameYear;
  }
  if (month_a == month_b && day_a == day_b && std::abs(year_a - year_b) == 1) {
    return DobLevel::kYearOffByOne;
  }
  return DobLevel::kDifferent;
}

std::string_view DobLevelName(DobLevel level) {
  switch (level) {
    case DobLevel::kMissing:
      return "missing";
    case DobLevel::kDifferent:
      return "different";
    case DobLevel::kSameYear:
      return "same_year";
    case DobLevel::kYearOffByOne:
      return "year_off_by_one";
    case DobLevel::kDayMonthSwap:
      return "day_month_swap";
    case DobLevel::kExact:
      return "exact";
  }
  return "unknown";
}

}  // namespace padan
