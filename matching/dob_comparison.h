// Comparison levels for dates of birth (DESIGN.md §4: exact / day-month swap / year +- 1 /
// same year / else, plus missing), over the partial dates of data/date.h.
//
// The levels, from the strongest agreement down; CompareDob returns the first that holds:
//   kExact         both dates known to the day, and equal.
//   kDayMonthSwap  both known to the day, same year, and the day of each is the month of the
//                  other (1980-05-07 vs 1980-07-05): day-first and month-first writing mixed up.
//   kYearOffByOne  both known to the day, same month and day, years one apart: a mistyped or
//                  misremembered year, or an age converted to a year around the birthday.
//   kSameYear      the years are equal, whatever else is known: 1980-05-17 vs 1980-11-02, and
//                  also a year-only or year-month date against any date in that year.
//   kDifferent     none of the above.
//   kMissing       either date is missing.
// Partial dates: the levels above kSameYear need both dates to the day, because agreement on
// the parts a partial date does know is weaker evidence than agreement on a whole date, and the
// Fellegi-Sunter weights of kExact are estimated on whole dates. "1980" against "1980-05-17", or
// "1980-05" against "1980-05", is therefore kSameYear, never kExact; "1980" against "1981" is
// kDifferent.
// The enumerators are ordered by strength, so `level >= DobLevel::kSameYear` reads "agrees at
// least on the year"; kMissing is lowest, but is no disagreement.
#pragma once

#include <cstdint>
#include <string_view>

#include "data/date.h"

namespace padan {

enum class DobLevel : uint8_t {
  kMissing = 0,
  kDifferent = 1,
  kSameYear = 2,
  kYearOffByOne = 3,
  kDayMonthSwap = 4,
  kExact = 5,
};

// The level of agreement of two dates of birth; symmetric. Allocates nothing.
DobLevel CompareDob(const Date& a, const Date& b);

// The level's name in explanations and model files: "missing", "different", "same_year",
// "year_off_by_one", "day_month_swap", "exact".
std::string_view DobLevelName(DobLevel level);

}  // namespace padan
