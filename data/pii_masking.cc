#include "data/pii_masking.h"

namespace padan {
namespace {

constexpr size_t kNikDigits = 16;
constexpr size_t kNikVisiblePrefix = 6;  // kecamatan code
constexpr size_t kNikVisibleSuffix = 4;  // serial

}  // namespace

std::string MaskNik(std::string_view nik) {
  if (nik.empty()) return "";
  if (nik.size() != kNikDigits) return "****";
  std::string masked(nik.substr(0, kNikVisiblePrefix));
  masked.append(kNikDigits - kNikVisiblePrefix - kNikVisibleSuffix, '*');
  masked.append(nik.substr(kNikDigits - kNikVisibleSuffix));
  return masked;
}

std::string MaskName(std::string_view name) {
  if (name.empty()) return "";
  // The whole first UTF-8 sequence, so the result stays valid UTF-8.
  size_t length = 1;
  while (length < name.size() && (static_cast<unsigned char>(name[length]) & 0xC0) == 0x80) {
    ++length;
  }
  return std::string(name.substr(0, length)) + "***";
}

}  // namespace padan
