#include "data/utf8.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace padan {
namespace {

// Bit 7 of every byte of a 64-bit word.
constexpr uint64_t kHighBits = 0x8080808080808080ULL;

uint64_t LoadWord(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, sizeof(word));
  return word;
}

// Returns the length of the longest all-ASCII prefix of [p, end), rounded down to whole words
// and then extended byte by byte.
size_t AsciiPrefix(const char* p, const char* end) {
  const char* start = p;
  while (end - p >= 16) {
    if (((LoadWord(p) | LoadWord(p + 8)) & kHighBits) != 0) break;
    p += 16;
  }
  while (p < end && static_cast<unsigned char>(*p) < 0x80) ++p;
  return static_cast<size_t>(p - start);
}

// Windows-1252 bytes 0x80..0x9F as code points (WHATWG index-windows-1252); the undefined
// bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D map to the C1 control of the same value.
constexpr std::array<uint16_t, 32> kWindows1252High = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 0x80
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,  // 0x88
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 0x90
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,  // 0x98
};

// Appends a code point below U+10000 as UTF-8.
void AppendBmp(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Appends `text` with each byte >= 0x80 mapped through `high` (for 0x80..0x9F, or null for
// Latin-1) and the rest of the upper half as U+00A0..U+00FF.
void AppendSingleByteAsUtf8(std::string_view text, const std::array<uint16_t, 32>* high,
                            std::string* out) {
  // Each byte becomes at most three bytes of UTF-8.
  out->reserve(out->size() + text.size() + text.size() / 2);
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    size_t ascii = AsciiPrefix(p, end);
    out->append(p, ascii);
    p += ascii;
    if (p == end) break;
    auto byte = static_cast<unsigned char>(*p++);
    uint32_t cp = (high != nullptr && byte < 0xA0) ? (*high)[byte - 0x80] : byte;
    AppendBmp(cp, out);
  }
}

}  // namespace

bool IsAscii(std::string_view text) {
  return AsciiPrefix(text.data(), text.data() + text.size()) == text.size();
}

bool IsValidUtf8(std::string_view text, size_t* error_offset) {
  const auto* begin = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned char* end = begin + text.size();
  const unsigned char* p = begin;
  while (p < end) {
    p += AsciiPrefix(reinterpret_cast<const char*>(p), reinterpret_cast<const char*>(end));
    if (p == end) return true;
    const unsigned char lead = *p;
    const size_t left = static_cast<size_t>(end - p);
    // The second byte's range depends on the lead byte; it is what excludes overlong forms
    // (E0, F0), surrogates (ED) and code points above U+10FFFF (F4).
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    size_t length;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) lo = 0xA0;
      if (lead == 0xED) hi = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) lo = 0x90;
      if (lead == 0xF4) hi = 0x8F;
    } else {
      length = 0;  // a continuation byte, C0/C1 (always overlong) or F5..FF
    }
    bool ok = length != 0 && left >= length && p[1] >= lo && p[1] <= hi;
    for (size_t i = 2; ok && i < length; ++i) ok = (p[i] & 0xC0) == 0x80;
    if (!ok) {
      if (error_offset != nullptr) *error_offset = static_cast<size_t>(p - begin);
      return false;
    }
    p += length;
  }
  return true;
}

void AppendWindows1252AsUtf8(std::string_view text, std::string* out) {
  AppendSingleByteAsUtf8(text, &kWindows1252High, out);
}

void AppendLatin1AsUtf8(std::string_view text, std::string* out) {
  AppendSingleByteAsUtf8(text, nullptr, out);
}

}  // namespace padan
