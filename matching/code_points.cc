#include "matching/code_points.h"

namespace padan {
namespace {

// The code point standing for byte `b` of an ill-formed sequence (see CodePoints).
constexpr char32_t EscapedByte(unsigned char b) { return 0xDC00 + b; }

bool IsContinuation(unsigned char b) { return (b & 0xC0) == 0x80; }

}  // namespace

CodePoints::CodePoints(std::string_view utf8) {
  // Every code point takes at least one byte, so this reserve is the only allocation, and none
  // for text up to kInlineCapacity bytes.
  points_.reserve(utf8.size());
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const unsigned char* end = p + utf8.size();
  while (p < end) {
    const unsigned char lead = *p;
    if (lead < 0x80) {
      points_.push_back(lead);
      ++p;
      continue;
    }
    // Well-formed sequences per Unicode 15 Table 3-7: the second byte's range excludes overlong
    // forms (E0, F0), surrogates (ED) and code points above U+10FFFF (F4).
    size_t length = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    char32_t cp = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      cp = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      cp = lead & 0x0F;
      if (lead == 0xE0) lo = 0xA0;
      if (lead == 0xED) hi = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      cp = lead & 0x07;
      if (lead == 0xF0) lo = 0x90;
      if (lead == 0xF4) hi = 0x8F;
    }
    bool well_formed =
        length != 0 && static_cast<size_t>(end - p) >= length && p[1] >= lo && p[1] <= hi;
    for (size_t i = 2; well_formed && i < length; ++i) well_formed = IsContinuation(p[i]);
    if (!well_formed) {
      points_.push_back(EscapedByte(lead));
      ++p;
      continue;
    }
    for (size_t i = 1; i < length; ++i) cp = (cp << 6) | (p[i] & 0x3F);
    points_.push_back(cp);
    p += length;
  }
}

}  // namespace padan
