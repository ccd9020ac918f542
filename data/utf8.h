// UTF-8 validation, and transcoding of the 8-bit Windows and ISO code pages that spreadsheets
// still save "CSV" files in, so every text padan keeps is valid UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace padan {

// True when every byte of `text` is below 0x80. Scans eight bytes at a time.
bool IsAscii(std::string_view text);

// True when `text` is well-formed UTF-8 (Unicode 15, Table 3-7): overlong forms, surrogates
// (U+D800..U+DFFF), code points above U+10FFFF and truncated sequences are rejected. U+0000 is
// valid. On failure, when `error_offset` is non-null, stores the offset of the first byte of
// the first ill-formed sequence. ASCII runs are checked eight bytes at a time.
bool IsValidUtf8(std::string_view text, size_t* error_offset = nullptr);

// Appends `text`, read as Windows-1252, to `out` as UTF-8. Every byte maps: 0x80..0x9F to the
// code page's punctuation (0x80 is U+20AC EURO SIGN, 0x93 U+201C...), and the five bytes the
// code page leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) to the C1 controls of the same
// value, as the WHATWG Encoding Standard and Windows' own converter do. That keeps the
// conversion lossless, where U+FFFD would destroy the byte.
void AppendWindows1252AsUtf8(std::string_view text, std::string* out);

// Appends `text`, read as ISO-8859-1, to `out` as UTF-8: byte b becomes U+00b.
void AppendLatin1AsUtf8(std::string_view text, std::string* out);

}  // namespace padan
