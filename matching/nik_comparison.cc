#include "matching/nik_comparison.h"

namespace padan {
namespace {

constexpr int kDigits = 16;
// Digits 7-12 (from the left) are DDMMYY; as a value, (nik / 10^4) % 10^6.
constexpr uint64_t kSerialDivisor = 10'000;
constexpr uint64_t kBirthPartModulus = 1'000'000;
constexpr uint64_t kSmallestSixteenDigit = 1'000'000'000'000'000;

std::array<int, kDigits> DigitsOf(uint64_t value) {
  std::array<int, kDigits> digits{};
  for (int i = kDigits - 1; i >= 0; --i) {
    digits[static_cast<size_t>(i)] = static_cast<int>(value % 10);
    value /= 10;
  }
  return digits;
}

uint64_t ValueOf(const std::array<int, kDigits>& digits) {
  uint64_t value = 0;
  for (int d : digits) value = value * 10 + static_cast<uint64_t>(d);
  return value;
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
  std::array<int, kDigits> x = DigitsOf(a);
  std::array<int, kDigits> y = DigitsOf(b);
  int first = -1;
  int second = -1;
  int differences = 0;
  for (int i = 0; i < kDigits; ++i) {
    if (x[static_cast<size_t>(i)] == y[static_cast<size_t>(i)]) continue;
    if (++differences > 2) break;
    (first < 0 ? first : second) = i;
  }
  if (differences == 1) return NikLevel::kOneSubstitution;
  if (differences == 2 && second == first + 1 &&
      x[static_cast<size_t>(first)] == y[static_cast<size_t>(second)] &&
      x[static_cast<size_t>(second)] == y[static_cast<size_t>(first)]) {
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

void ForEachNearNik(uint64_t nik, absl::FunctionRef<void(uint64_t)> visit) {
  std::array<int, kDigits> digits = DigitsOf(nik);
  for (size_t i = 0; i < kDigits; ++i) {
    int original = digits[i];
    for (int d = 0; d <= 9; ++d) {
      if (d == original) continue;
      digits[i] = d;
      uint64_t value = ValueOf(digits);
      if (value >= kSmallestSixteenDigit) visit(value);
    }
    digits[i] = original;
  }
  for (size_t i = 0; i + 1 < kDigits; ++i) {
    if (digits[i] == digits[i + 1]) continue;
    std::swap(digits[i], digits[i + 1]);
    uint64_t value = ValueOf(digits);
    if (value >= kSmallestSixteenDigit) visit(value);
    std::swap(digits[i], digits[i + 1]);
  }
}

}  // namespace padan
