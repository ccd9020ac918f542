#include "matching/nik_comparison.h"

namespace padan {
namespace {

constexpr int kDigits = 16;
// Digits 7-12 (from the left) are DDMMYY; as a value, (nik / 10^4) % 10^6.
constexpr uint64_t kSerialDivisor = 10'000;
constexpr uint64_t kBirthPartModulus = 1'000'000;
constexpr uint64_t kSmallestSixteenDigit = 1'000'000'000'000'000;
constexpr uint64_t kSixteenDigitLimit = 10 * kSmallestSixteenDigit;

// kPlaceValues[i]: what one unit of the i-th digit from the left is worth, 10^(15 - i).
constexpr std::array<int64_t, kDigits> kPlaceValues = [] {
  std::array<int64_t, kDigits> places{};
  int64_t place = 1;
  for (int i = kDigits - 1; i >= 0; --i) {
    places[static_cast<size_t>(i)] = place;
    place *= 10;
  }
  return places;
}();

std::array<int, kDigits> DigitsOf(uint64_t value) {
  std::array<int, kDigits> digits{};
  for (int i = kDigits - 1; i >= 0; --i) {
    digits[static_cast<size_t>(i)] = static_cast<int>(value % 10);
    value /= 10;
  }
  return digits;
}

}  // namespace

std::string_view NikLevelName(NikLevel level) {
  switch (level) {
    case NikLevel::kExact:
      return "exact";
    case NikLevel::kOneSubstitution:
      return "one_substitution";
    case NikLevel::kAdjacentTransposition:
      return "adjacent_transposition";
    case NikLevel::kSameBirthPart:
      return "same_birth_part";
    case NikLevel::kConflict:
      return "conflict";
    case NikLevel::kMissing:
      return "missing";
  }
  return "unknown";
}

NikLevel CompareNik(uint64_t a, uint64_t b) {
  if (a == 0 || b == 0) return NikLevel::kMissing;
  if (a == b) return NikLevel::kExact;
  // Digit by digit from the last, only until a third difference or until what is left of the
  // two is equal: a match's first stage compares some 200 candidates' NIKs, most of them
  // different in their serial already.
  int differences = 0;
  std::array<int, 2> place{};      // of the first two differences, counted from the last digit
  std::array<uint64_t, 2> in_a{};  // a's digit there
  std::array<uint64_t, 2> in_b{};  // b's digit there
  uint64_t x = a;
  uint64_t y = b;
  for (int i = 0; i < kDigits && x != y; ++i, x /= 10, y /= 10) {
    if (x % 10 == y % 10) continue;
    if (differences == 2) {
      differences = 3;
      break;
    }
    place[static_cast<size_t>(differences)] = i;
    in_a[static_cast<size_t>(differences)] = x % 10;
    in_b[static_cast<size_t>(differences)] = y % 10;
    ++differences;
  }
  if (differences == 1) return NikLevel::kOneSubstitution;
  if (differences == 2 && place[1] == place[0] + 1 && in_a[0] == in_b[1] && in_a[1] == in_b[0]) {
    return NikLevel::kAdjacentTransposition;
  }
  if ((a / kSerialDivisor) % kBirthPartModulus == (b / kSerialDivisor) % kBirthPartModulus) {
    return NikLevel::kSameBirthPart;
  }
  return NikLevel::kConflict;
}

bool NiksDifferOnlyInBirthPart(uint64_t a, uint64_t b) {
  constexpr uint64_t kBirthPartScale = kSerialDivisor * kBirthPartModulus;  // 10^10
  return a / kBirthPartScale == b / kBirthPartScale && a % kSerialDivisor == b % kSerialDivisor;
}

size_t NearNiks(uint64_t nik, std::array<uint64_t, kMaxNearNiks>& out) {
  if (nik >= kSixteenDigitLimit) return 0;  // not a NIK: no 16 digits to vary
  // Each variant is `nik` plus a change of one or two digits' place values: no re-assembling
  // of 16 digits per variant (a NIK lookup makes 159).
  const std::array<int, kDigits> digits = DigitsOf(nik);
  const auto signed_nik = static_cast<int64_t>(nik);
  size_t count = 0;
  for (size_t i = 0; i < digits.size(); ++i) {
    const int64_t place = kPlaceValues[i];
    const int64_t without = signed_nik - digits[i] * place;
    for (int d = 0; d <= 9; ++d) {
      if (d == digits[i]) continue;
      const int64_t value = without + d * place;
      if (value >= static_cast<int64_t>(kSmallestSixteenDigit)) {
        out[count++] = static_cast<uint64_t>(value);
      }
    }
  }
  for (size_t i = 0; i + 1 < digits.size(); ++i) {
    if (digits[i] == digits[i + 1]) continue;
    // Digit i moves one place right and digit i + 1 one place left.
    const int64_t value = signed_nik + (digits[i + 1] - digits[i]) * kPlaceValues[i] +
                          (digits[i] - digits[i + 1]) * kPlaceValues[i + 1];
    if (value >= static_cast<int64_t>(kSmallestSixteenDigit)) {
      out[count++] = static_cast<uint64_t>(value);
    }
  }
  return count;
}

void ForEachNearNik(uint64_t nik, absl::FunctionRef<void(uint64_t)> visit) {
  std::array<uint64_t, kMaxNearNiks> near;
  const size_t count = NearNiks(nik, near);
  for (size_t i = 0; i < count; ++i) visit(near[i]);
}

}  // namespace padan
