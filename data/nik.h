// Nik and NoKk: the 16-digit Dukcapil numbers of a person (NIK) and of a family card (No KK),
// parsed from the many ways registry files write them, validated and decoded.
//
// NIK  = kecamatan code (6) + DDMMYY of birth, day + 40 for women (6) + serial (4).
// No KK = kecamatan code (6) + DDMMYY the card was issued (6) + serial (4).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "data/date.h"
#include "data/record.h"
#include "data/region_table.h"

namespace padan {

// Every reason a 16-digit number can be wrong. Ordered roughly by severity.
enum class IdProblem : uint8_t {
  kEmpty,               // no value
  kNonDigit,            // letters or symbols after removing spaces, dots and dashes
  kScientificNotation,  // "3.20101E+15": a spreadsheet already dropped the last digits
  kWrongLength,         // not 16 digits
  kUnknownKecamatan,    // the first 6 digits are no kecamatan of any region-table edition
  kImpossibleDate,      // the DDMMYY part is no calendar day (after removing the +40)
  kZeroSerial,          // the last 4 digits are 0000
};

// Stable snake_case name for reports and JSON ("wrong_length").
std::string_view IdProblemName(IdProblem problem);
// One-line explanation in English for error messages.
std::string_view IdProblemMessage(IdProblem problem);

// The outcome of reading a 16-digit number from text.
struct IdParse {
  uint64_t value = 0;                 // the number when the text holds exactly 16 digits, else 0
  std::string digits;                 // the text with separators removed (kept when invalid)
  std::vector<IdProblem> problems;    // empty when valid
  bool valid() const { return problems.empty(); }
};

// The parts of a NIK.
struct NikParts {
  KodeWilayah kecamatan = 0;  // 6-digit code
  int day = 0;                // 1-31, after removing the +40 for women
  int month = 0;
  int year_2digit = 0;        // YY: the century is not in the NIK
  Sex sex = Sex::kUnknown;    // kPerempuan when the day field is 41-71
  int serial = 0;
};

// A NIK value; the type keeps it from being mixed up with a No KK. Cheap value type.
class Nik {
 public:
  static constexpr int kDigits = 16;
  Nik() = default;
  explicit Nik(uint64_t value) : value_(value) {}

  // Reads text (spaces, dots, dashes and a leading apostrophe are ignored) and checks length,
  // digits, date part, serial and — when `regions` is given — the kecamatan prefix.
  static IdParse Parse(std::string_view text, const RegionTable* regions = nullptr);

  uint64_t value() const { return value_; }
  bool empty() const { return value_ == 0; }
  std::string ToString() const;  // 16 digits, zero-padded
  NikParts Decode() const;
  // True when the NIK's date and sex part agree with a birth date and sex: day, month and the
  // year's last two digits where the date has them. Unknown parts are not held against it.
  bool ConsistentWith(const Date& birth_date, Sex sex) const;

  friend bool operator==(Nik a, Nik b) { return a.value_ == b.value_; }

 private:
  uint64_t value_ = 0;
};

// A No KK value. Cheap value type.
class NoKk {
 public:
  static constexpr int kDigits = 16;
  NoKk() = default;
  explicit NoKk(uint64_t value) : value_(value) {}

  // As Nik::Parse; the date part is the card's issue date (no +40 offset).
  static IdParse Parse(std::string_view text, const RegionTable* regions = nullptr);

  uint64_t value() const { return value_; }
  bool empty() const { return value_ == 0; }
  std::string ToString() const;
  KodeWilayah kecamatan() const { return value_ / 10'000'000'000ULL; }

  friend bool operator==(NoKk a, NoKk b) { return a.value_ == b.value_; }

 private:
  uint64_t value_ = 0;
};

}  // namespace padan
