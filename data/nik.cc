#include "data/nik.h"

#include "absl/strings/str_format.h"

namespace padan {
namespace {

// Women's NIKs add 40 to the day of birth.
constexpr int kFemaleDayOffset = 40;
constexpr uint64_t kSerialDivisor = 10'000;            // last 4 digits
constexpr uint64_t kDatePartDivisor = 10'000'000'000;  // last 10 digits: DDMMYY + serial

// Keeps digits; drops the separators people and spreadsheets put in long numbers. Anything
// else is kept too, so that the problem list can say "non-digit".
std::string DigitsOf(std::string_view text, bool* scientific) {
  std::string out;
  out.reserve(text.size());
  *scientific = false;
  size_t begin = 0;
  // A leading apostrophe forces text in spreadsheets ('3201...).
  while (begin < text.size() && (text[begin] == '\'' || text[begin] == '`')) ++begin;
  for (size_t i = begin; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '-' || c == '.' || c == '\r' || c == '\n') continue;
    if ((c == 'E' || c == 'e') && i + 1 < text.size() &&
        (text[i + 1] == '+' || (text[i + 1] >= '0' && text[i + 1] <= '9'))) {
      *scientific = true;
    }
    out.push_back(c);
  }
  // "3201010101010001.0" is a spreadsheet's number format, not a 17th digit.
  if (text.size() > 2 && text.substr(text.size() - 2) == ".0" && out.size() > 1 &&
      out.back() == '0') {
    out.pop_back();
  }
  return out;
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

// Checks a DDMMYY part. The century is unknown, so 29 February is allowed in any year
// whose last two digits are a multiple of 4 (leap in both 19YY and 20YY except 1900/2000
// — 00 is a leap year in 2000, and 1900 births are too old to matter).
bool PlausibleDdmmyy(int day, int month, int yy) {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= DaysInMonth(2000 + yy, month);
}

IdParse ParseSixteen(std::string_view text, const RegionTable* regions, bool is_nik) {
  IdParse result;
  bool scientific = false;
  // Nearly every value in a registry file is exactly 16 digits: skip the separator scan.
  if (text.size() == static_cast<size_t>(Nik::kDigits) && AllDigits(text)) {
    result.digits.assign(text.data(), text.size());
  } else {
    result.digits = DigitsOf(text, &scientific);
  }
  if (result.digits.empty()) {
    result.problems.push_back(IdProblem::kEmpty);
    return result;
  }
  if (scientific) {
    result.problems.push_back(IdProblem::kScientificNotation);
    return result;
  }
  if (!AllDigits(result.digits)) {
    result.problems.push_back(IdProblem::kNonDigit);
    return result;
  }
  if (result.digits.size() != static_cast<size_t>(Nik::kDigits)) {
    result.problems.push_back(IdProblem::kWrongLength);
    return result;
  }
  uint64_t value = 0;
  for (char c : result.digits) value = value * 10 + static_cast<uint64_t>(c - '0');
  result.value = value;
  if (regions != nullptr && !regions->KnownKecamatan(value / kDatePartDivisor)) {
    result.problems.push_back(IdProblem::kUnknownKecamatan);
  }
  int ddmmyy = static_cast<int>((value / kSerialDivisor) % 1'000'000);
  int day = ddmmyy / 10'000;
  int month = (ddmmyy / 100) % 100;
  int yy = ddmmyy % 100;
  if (is_nik && day > kFemaleDayOffset) day -= kFemaleDayOffset;
  if (!PlausibleDdmmyy(day, month, yy)) result.problems.push_back(IdProblem::kImpossibleDate);
  if (value % kSerialDivisor == 0) result.problems.push_back(IdProblem::kZeroSerial);
  return result;
}

}  // namespace

std::string_view IdProblemName(IdProblem problem) {
  switch (problem) {
    case IdProblem::kEmpty:
      return "empty";
    case IdProblem::kNonDigit:
      return "non_digit";
    case IdProblem::kScientificNotation:
      return "scientific_notation";
    case IdProblem::kWrongLength:
      return "wrong_length";
    case IdProblem::kUnknownKecamatan:
      return "unknown_kecamatan";
    case IdProblem::kImpossibleDate:
      return "impossible_date";
    case IdProblem::kZeroSerial:
      return "zero_serial";
  }
  return "unknown";
}

std::string_view IdProblemMessage(IdProblem problem) {
  switch (problem) {
    case IdProblem::kEmpty:
      return "no number given";
    case IdProblem::kNonDigit:
      return "contains characters other than digits";
    case IdProblem::kScientificNotation:
      return "is in scientific notation: a spreadsheet dropped its last digits";
    case IdProblem::kWrongLength:
      return "is not 16 digits long";
    case IdProblem::kUnknownKecamatan:
      return "starts with no kecamatan code of any region-table edition";
    case IdProblem::kImpossibleDate:
      return "has a date part (DDMMYY) that is no calendar day";
    case IdProblem::kZeroSerial:
      return "ends in serial 0000";
  }
  return "unknown problem";
}

IdParse Nik::Parse(std::string_view text, const RegionTable* regions) {
  return ParseSixteen(text, regions, /*is_nik=*/true);
}

std::string Nik::ToString() const { return absl::StrFormat("%016d", value_); }

NikParts Nik::Decode() const {
  NikParts parts;
  parts.kecamatan = value_ / kDatePartDivisor;
  int ddmmyy = static_cast<int>((value_ / kSerialDivisor) % 1'000'000);
  int day = ddmmyy / 10'000;
  parts.sex = day > kFemaleDayOffset ? Sex::kPerempuan : Sex::kLakiLaki;
  parts.day = day > kFemaleDayOffset ? day - kFemaleDayOffset : day;
  parts.month = (ddmmyy / 100) % 100;
  parts.year_2digit = ddmmyy % 100;
  parts.serial = static_cast<int>(value_ % kSerialDivisor);
  return parts;
}

bool Nik::ConsistentWith(const Date& birth_date, Sex sex) const {
  NikParts parts = Decode();
  if (sex != Sex::kUnknown && parts.sex != sex) return false;
  if (birth_date.missing()) return true;
  if (birth_date.year() % 100 != parts.year_2digit) return false;
  if (birth_date.precision() >= DatePrecision::kMonth && birth_date.month() != parts.month) {
    return false;
  }
  if (birth_date.precision() == DatePrecision::kDay && birth_date.day() != parts.day) {
    return false;
  }
  return true;
}

IdParse NoKk::Parse(std::string_view text, const RegionTable* regions) {
  return ParseSixteen(text, regions, /*is_nik=*/false);
}

std::string NoKk::ToString() const { return absl::StrFormat("%016d", value_); }

}  // namespace padan
