#include "data/date.h"

#include <array>
#include <charconv>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"

#include "data/absl_strings.h"

namespace padan {
namespace {

// Excel's 1900 date system: serial 25569 is 1970-01-01, and serial 60 is the 29 February 1900
// that never was (Lotus 1-2-3 compatibility), so serials up to 60 are off by one.
constexpr int32_t kExcelSerialOfUnixEpoch = 25569;
constexpr int32_t kExcelPhantomLeapDay = 60;
// Serials accepted: 1 (1900-01-01) up to the last day of kMaxYear.
constexpr int32_t kExcelMaxSerial = 73415;  // 2100-12-31
// Packed dates add this bias so every accepted day number is positive.
constexpr int32_t kPackBias = 1 << 20;

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int ToInt(std::string_view digits) {
  int value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value;
}

// Indonesian and English month names and their usual abbreviations, lower case.
struct MonthName {
  std::string_view name;
  int month;
};
constexpr std::array<MonthName, 38> kMonthNames = {{
    {"januari", 1},   {"january", 1},   {"jan", 1},       {"februari", 2},  {"february", 2},
    {"feb", 2},       {"pebruari", 2},  {"maret", 3},     {"march", 3},     {"mar", 3},
    {"april", 4},     {"apr", 4},       {"mei", 5},       {"may", 5},       {"juni", 6},
    {"june", 6},      {"jun", 6},       {"juli", 7},      {"july", 7},      {"jul", 7},
    {"agustus", 8},   {"august", 8},    {"agu", 8},       {"agt", 8},       {"ags", 8},
    {"aug", 8},       {"september", 9}, {"sep", 9},       {"sept", 9},      {"oktober", 10},
    {"october", 10},  {"okt", 10},      {"oct", 10},      {"november", 11}, {"nov", 11},
    {"nopember", 11}, {"desember", 12}, {"december", 12},
}};

int MonthFromName(std::string_view word) {
  std::string lower = absl::AsciiStrToLower(ToAbsl(word));
  for (const MonthName& m : kMonthNames) {
    if (m.name == lower) return m.month;
  }
  if (lower == "des" || lower == "dec") return 12;
  return 0;
}

absl::Status Invalid(std::string_view text, std::string_view why) {
  return absl::InvalidArgumentError(StrCat("date '", text, "' ", why));
}

// Builds a date from numeric parts where 0 means "unknown" for month and day.
absl::StatusOr<Date> FromParts(std::string_view text, int year, int month, int day) {
  if (year < Date::kMinYear || year > Date::kMaxYear) {
    return Invalid(
        text, absl::StrFormat("has year %d outside %d-%d", year, Date::kMinYear, Date::kMaxYear));
  }
  if (month == 0) {
    if (day != 0) return Invalid(text, "has a day but no month");
    return Date::FromYear(year);
  }
  if (month < 1 || month > 12) return Invalid(text, StrCat("has month ", month));
  if (day == 0) return Date::FromYearMonth(year, month);
  if (day < 1 || day > DaysInMonth(year, month)) {
    return Invalid(text, absl::StrFormat("has day %d, impossible in %04d-%02d", day, year, month));
  }
  return Date::FromYmd(year, month, day);
}

absl::StatusOr<Date> FromExcelSerial(std::string_view text, std::string_view digits) {
  if (digits.size() > 6) return Invalid(text, "is not an Excel serial number");
  int32_t serial = ToInt(digits);
  if (serial < 1 || serial > kExcelMaxSerial) {
    return Invalid(text, "is outside the Excel serial range");
  }
  if (serial == kExcelPhantomLeapDay) return Invalid(text, "is Excel's non-existent 1900-02-29");
  if (serial < kExcelPhantomLeapDay) ++serial;
  Date date = Date::FromDays(serial - kExcelSerialOfUnixEpoch);
  if (date.year() < Date::kMinYear) return Invalid(text, "is before the accepted years");
  return date;
}

// Splits on '-', '/', '.', ' ' and ','; empty pieces are dropped ("17 - 05 - 1980").
std::vector<std::string_view> SplitParts(std::string_view s) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '-' || s[i] == '/' || s[i] == '.' || s[i] == ' ' || s[i] == ',') {
      if (i > start) parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

// Drops a trailing time of day ("1980-05-17 00:00:00", "1980-05-17T00:00:00Z").
std::string_view StripTime(std::string_view s) {
  size_t colon = s.find(':');
  if (colon == std::string_view::npos) return s;
  size_t cut = s.find_last_of(" T", colon);
  if (cut == std::string_view::npos) return s;
  return FromAbsl(absl::StripAsciiWhitespace(ToAbsl(s.substr(0, cut))));
}

absl::StatusOr<Date> ParseSeparated(std::string_view text, std::string_view body,
                                    DateFormat format) {
  std::vector<std::string_view> parts = SplitParts(body);
  if (parts.size() < 2 || parts.size() > 3) return Invalid(text, "is not a recognised date");
  // A month written as a word may stand in the middle (17 Mei 1980) or first (Mei 1980).
  std::array<int, 3> value{};
  std::array<bool, 3> is_month_word{};
  for (size_t i = 0; i < parts.size(); ++i) {
    if (AllDigits(parts[i])) {
      if (parts[i].size() > 4) return Invalid(text, "has a part longer than 4 digits");
      value[i] = ToInt(parts[i]);
    } else {
      value[i] = MonthFromName(parts[i]);
      if (value[i] == 0) return Invalid(text, StrCat("has unknown month '", parts[i], "'"));
      is_month_word[i] = true;
    }
  }
  auto is_year = [&](size_t i) { return parts[i].size() == 4 && !is_month_word[i]; };
  if (parts.size() == 2) {
    if (is_year(0) && !is_year(1)) return FromParts(text, value[0], value[1], 0);
    if (is_year(1) && !is_year(0)) return FromParts(text, value[1], value[0], 0);
    return Invalid(text, "has no four-digit year");
  }
  bool year_first = is_year(0);
  bool year_last = is_year(2);
  if (format == DateFormat::kYmd && !year_first) return Invalid(text, "is not YYYY-MM-DD");
  if ((format == DateFormat::kDmy || format == DateFormat::kMdy) && !year_last) {
    return Invalid(text, "does not end with a four-digit year");
  }
  if (year_first) {
    if (is_month_word[2]) return Invalid(text, "is not a recognised date");
    return FromParts(text, value[0], value[1], value[2]);
  }
  if (!year_last) {
    return Invalid(text, "has no four-digit year (two-digit years are ambiguous)");
  }
  if (is_month_word[0] && !is_month_word[1]) {  // "Mei 17 1980"
    return FromParts(text, value[2], value[0], value[1]);
  }
  if (format == DateFormat::kMdy && !is_month_word[1]) {
    return FromParts(text, value[2], value[0], value[1]);
  }
  return FromParts(text, value[2], value[1], value[0]);
}

}  // namespace

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

int32_t DaysFromCivil(int year, int month, int day) {
  year -= month <= 2;
  const int era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * static_cast<unsigned>(month + (month > 2 ? -3 : 9)) + 2) / 5 +
                       static_cast<unsigned>(day) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int32_t>(doe) - 719468;
}

void CivilFromDays(int32_t days, int* year, int* month, int* day) {
  days += 719468;
  const int era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *year = y + (*month <= 2);
}

absl::StatusOr<DateFormat> ParseDateFormatName(std::string_view name) {
  std::string upper = absl::AsciiStrToUpper(ToAbsl(name));
  if (upper == "AUTO" || upper.empty()) return DateFormat::kAuto;
  if (upper == "YYYY-MM-DD" || upper == "YYYY/MM/DD") return DateFormat::kYmd;
  if (upper == "DD-MM-YYYY" || upper == "DD/MM/YYYY" || upper == "DD.MM.YYYY") {
    return DateFormat::kDmy;
  }
  if (upper == "MM-DD-YYYY" || upper == "MM/DD/YYYY") return DateFormat::kMdy;
  if (upper == "YYYYMMDD") return DateFormat::kYmdCompact;
  if (upper == "DDMMYYYY") return DateFormat::kDmyCompact;
  if (upper == "EXCEL") return DateFormat::kExcelSerial;
  return absl::InvalidArgumentError(
      StrCat("unknown date format '", name,
             "'; use auto, YYYY-MM-DD, DD-MM-YYYY, MM-DD-YYYY, YYYYMMDD, DDMMYYYY or excel"));
}

Date Date::FromYmd(int year, int month, int day) {
  return Date(DaysFromCivil(year, month, day), DatePrecision::kDay);
}

Date Date::FromYearMonth(int year, int month) {
  return Date(DaysFromCivil(year, month, 1), DatePrecision::kMonth);
}

Date Date::FromYear(int year) { return Date(DaysFromCivil(year, 1, 1), DatePrecision::kYear); }

Date Date::FromDays(int32_t days) { return Date(days, DatePrecision::kDay); }

absl::StatusOr<Date> Date::Parse(std::string_view text, DateFormat format) {
  std::string_view body = StripTime(FromAbsl(absl::StripAsciiWhitespace(ToAbsl(text))));
  if (body.empty()) return Date();
  // The common forms DD-MM-YYYY and YYYY-MM-DD (or with '/'), parsed without splitting.
  if (body.size() == 10 &&
      (format == DateFormat::kAuto || format == DateFormat::kDmy || format == DateFormat::kYmd)) {
    auto digit = [&](size_t i) { return body[i] >= '0' && body[i] <= '9'; };
    auto two = [&](size_t i) { return (body[i] - '0') * 10 + (body[i + 1] - '0'); };
    bool separators_dmy = (body[2] == '-' || body[2] == '/') && body[5] == body[2];
    bool separators_ymd = (body[4] == '-' || body[4] == '/') && body[7] == body[4];
    if (separators_dmy && format != DateFormat::kYmd && digit(0) && digit(1) && digit(3) &&
        digit(4) && digit(6) && digit(7) && digit(8) && digit(9)) {
      return FromParts(text, two(6) * 100 + two(8), two(3), two(0));
    }
    if (separators_ymd && format != DateFormat::kDmy && digit(0) && digit(1) && digit(2) &&
        digit(3) && digit(5) && digit(6) && digit(8) && digit(9)) {
      return FromParts(text, two(0) * 100 + two(2), two(5), two(8));
    }
  }
  // Spreadsheets write whole numbers as "29358.0".
  std::string_view number = body;
  if (number.size() > 2 && number.substr(number.size() - 2) == ".0") {
    number.remove_suffix(2);
  }
  if (AllDigits(number)) {
    switch (format) {
      case DateFormat::kExcelSerial:
        return FromExcelSerial(text, number);
      case DateFormat::kYmdCompact:
        if (number.size() != 8) return Invalid(text, "is not YYYYMMDD");
        return FromParts(text, ToInt(number.substr(0, 4)), ToInt(number.substr(4, 2)),
                         ToInt(number.substr(6, 2)));
      case DateFormat::kDmyCompact:
        if (number.size() != 8) return Invalid(text, "is not DDMMYYYY");
        return FromParts(text, ToInt(number.substr(4, 4)), ToInt(number.substr(2, 2)),
                         ToInt(number.substr(0, 2)));
      case DateFormat::kAuto:
        break;
      default:
        if (number.size() == 4) return FromParts(text, ToInt(number), 0, 0);
        return Invalid(text, "does not match the mapped date format");
    }
    if (number.size() == 4) return FromParts(text, ToInt(number), 0, 0);
    if (number.size() == 8) {
      int year = ToInt(number.substr(0, 4));
      if (year >= kMinYear && year <= kMaxYear) {
        return FromParts(text, year, ToInt(number.substr(4, 2)), ToInt(number.substr(6, 2)));
      }
      return FromParts(text, ToInt(number.substr(4, 4)), ToInt(number.substr(2, 2)),
                       ToInt(number.substr(0, 2)));
    }
    if (number.size() == 5) return FromExcelSerial(text, number);
    return Invalid(text, "is a number that is neither a year, YYYYMMDD nor an Excel serial");
  }
  if (format == DateFormat::kExcelSerial || format == DateFormat::kYmdCompact ||
      format == DateFormat::kDmyCompact) {
    return Invalid(text, "does not match the mapped date format");
  }
  return ParseSeparated(text, body, format);
}

int Date::year() const {
  if (missing()) return 0;
  int y, m, d;
  CivilFromDays(days_, &y, &m, &d);
  return y;
}

int Date::month() const {
  if (precision_ < DatePrecision::kMonth) return 0;
  int y, m, d;
  CivilFromDays(days_, &y, &m, &d);
  return m;
}

int Date::day() const {
  if (precision_ < DatePrecision::kDay) return 0;
  int y, m, d;
  CivilFromDays(days_, &y, &m, &d);
  return d;
}

std::string Date::ToString() const {
  int y, m, d;
  CivilFromDays(days_, &y, &m, &d);
  if (precision_ != DatePrecision::kNone && y >= 0 && y <= 9999) {
    // Digits placed by hand: every record a response or an export writes has a date, and
    // StrFormat's format parsing was a tenth of writing a NIK response.
    char text[] = "0000-00-00";
    auto put = [&](size_t at, int value, int width) {
      for (int i = width - 1; i >= 0; --i, value /= 10)
        text[at + i] = static_cast<char>('0' + value % 10);
    };
    put(0, y, 4);
    put(5, m, 2);
    put(8, d, 2);
    const size_t length = precision_ == DatePrecision::kYear    ? 4
                          : precision_ == DatePrecision::kMonth ? 7
                                                                : 10;
    return std::string(text, length);
  }
  switch (precision_) {
    case DatePrecision::kNone:
      return "";
    case DatePrecision::kYear:
      return absl::StrFormat("%04d", y);
    case DatePrecision::kMonth:
      return absl::StrFormat("%04d-%02d", y, m);
    case DatePrecision::kDay:
      return absl::StrFormat("%04d-%02d-%02d", y, m, d);
  }
  return "";
}

uint32_t Date::Pack() const {
  if (missing()) return 0;
  return (static_cast<uint32_t>(days_ + kPackBias) << 2) | static_cast<uint32_t>(precision_);
}

Date Date::Unpack(uint32_t packed) {
  auto precision = static_cast<DatePrecision>(packed & 3);
  if (precision == DatePrecision::kNone) return Date();
  return Date(static_cast<int32_t>(packed >> 2) - kPackBias, precision);
}

}  // namespace padan
