#include "matching/unicode_fold.h"

#include <utf8proc.h>

#include <cstdint>
#include <cstdlib>

#include "data/utf8.h"

namespace padan {
namespace {

// NFKC (compatibility decomposition, then canonical composition), case folding, marks and
// default-ignorables stripped, look-alike punctuation lumped to ASCII. STABLE keeps the
// result independent of the Unicode version's unassigned code points.
constexpr int kUtf8procOptions = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                 UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE |
                                 UTF8PROC_LUMP;

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Code points written as an apostrophe inside names (Ma'ruf, Nu'man, Sa'id). NFKC would turn
// the acute accent U+00B4 into a space and a combining mark, splitting the name, and does not
// touch the modifier letters, so they are mapped before utf8proc sees them.
bool IsApostropheLike(int32_t cp) {
  switch (cp) {
    case 0x00B4:  // ACUTE ACCENT
    case 0x02B9:  // MODIFIER LETTER PRIME
    case 0x02BB:  // MODIFIER LETTER TURNED COMMA (ʻ)
    case 0x02BC:  // MODIFIER LETTER APOSTROPHE (ʼ)
    case 0x02BD:  // MODIFIER LETTER REVERSED COMMA
    case 0x02BE:  // MODIFIER LETTER RIGHT HALF RING (ʾ, transliterated hamza)
    case 0x02BF:  // MODIFIER LETTER LEFT HALF RING (ʿ, transliterated ain)
    case 0x2018:  // LEFT SINGLE QUOTATION MARK
    case 0x2019:  // RIGHT SINGLE QUOTATION MARK
    case 0x201B:  // SINGLE HIGH-REVERSED-9 QUOTATION MARK
    case 0x2032:  // PRIME
    case 0xFF07:  // FULLWIDTH APOSTROPHE
      return true;
    default:
      return false;
  }
}

bool IsLetterOrDigit(int32_t cp) {
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

void AppendCodePoint(int32_t cp, std::string* out) {
  utf8proc_uint8_t buffer[4];
  const utf8proc_ssize_t n = utf8proc_encode_char(cp, buffer);
  out->append(reinterpret_cast<const char*>(buffer), static_cast<size_t>(n));
}

// Decodes the code point at `text[*pos]` and advances `*pos`. A byte that does not start a
// well-formed sequence is read as Windows-1252 (one byte).
int32_t NextCodePoint(std::string_view text, size_t* pos) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data() + *pos);
  int32_t cp = 0;
  const utf8proc_ssize_t n =
      utf8proc_iterate(p, static_cast<utf8proc_ssize_t>(text.size() - *pos), &cp);
  if (n > 0) {
    *pos += static_cast<size_t>(n);
    return cp;
  }
  std::string transcoded;
  AppendWindows1252AsUtf8(text.substr(*pos, 1), &transcoded);
  ++*pos;
  utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(transcoded.data()),
                   static_cast<utf8proc_ssize_t>(transcoded.size()), &cp);
  return cp;
}

// Appends the valid UTF-8 `folded` to `out`, ASCII lower-cased, every non-ASCII code point that
// is neither a letter nor a digit replaced by a space.
void AppendLettersAndDigits(std::string_view folded, std::string* out) {
  size_t pos = 0;
  while (pos < folded.size()) {
    const char c = folded[pos];
    if (static_cast<unsigned char>(c) < 0x80) {
      out->push_back(AsciiLower(c));
      ++pos;
      continue;
    }
    const size_t start = pos;
    const int32_t cp = NextCodePoint(folded, &pos);
    if (IsApostropheLike(cp)) {  // NFKC makes some (U+0374 → U+02B9)
      out->push_back('\'');
    } else if (IsLetterOrDigit(cp)) {
      out->append(folded.substr(start, pos - start));
    } else {
      out->push_back(' ');
    }
  }
}

}  // namespace

void AppendUnicodeFold(std::string_view text, std::string* out) {
  if (IsAscii(text)) {
    const size_t start = out->size();
    out->resize(start + text.size());
    char* dst = out->data() + start;
    for (size_t i = 0; i < text.size(); ++i) dst[i] = AsciiLower(text[i]);
    return;
  }
  // Well-formed UTF-8 with apostrophes unified, for utf8proc, which rejects a whole string for
  // one bad byte.
  std::string clean;
  clean.reserve(text.size() + 8);
  size_t pos = 0;
  while (pos < text.size()) {
    const char c = text[pos];
    if (static_cast<unsigned char>(c) < 0x80) {
      clean.push_back(c);
      ++pos;
      continue;
    }
    const int32_t cp = NextCodePoint(text, &pos);
    if (IsApostropheLike(cp)) {
      clean.push_back('\'');
    } else {
      AppendCodePoint(cp, &clean);
    }
  }
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(clean.data()),
                                          static_cast<utf8proc_ssize_t>(clean.size()), &mapped,
                                          static_cast<utf8proc_option_t>(kUtf8procOptions));
  if (n >= 0) {
    AppendLettersAndDigits(
        std::string_view(reinterpret_cast<const char*>(mapped), static_cast<size_t>(n)), out);
  } else {
    // Only an allocation failure gets here (the input is well-formed): keep the text unfolded
    // rather than lose it.
    AppendLettersAndDigits(clean, out);
  }
  std::free(mapped);
}

std::string UnicodeFold(std::string_view text) {
  std::string out;
  AppendUnicodeFold(text, &out);
  return out;
}

}  // namespace padan
