// UnicodeFold: the first step of every text normaliser (DESIGN.md §4): Unicode NFKC, case
// folding and removal of combining marks, so that "JOSÉ", "José", "Jose\u0301" and the
// full-width "ＪＯＳＥ" all become "jose".
#pragma once

#include <string>
#include <string_view>

namespace padan {

// Appends the folded form of `text` to `*out`:
//  - NFKC (utf8proc): compatibility forms become their plain letters (full-width letters,
//    ligatures "ﬁ" → "fi", superscripts, NBSP and the other spaces → ' ');
//  - full case folding ("ß" → "ss"); combining marks stripped ("é" → "e", "ñ" → "n");
//    default-ignorable code points removed (soft hyphen, zero-width space and joiners);
//  - apostrophe-like code points (’ ‘ ´ ʼ ʻ ʾ ʿ ′ ＇) become ASCII '\'' and dashes '-' (utf8proc's
//    "lump"), so that callers can treat them as the ASCII characters;
//  - any remaining non-ASCII code point that is not a letter or a digit (symbols, punctuation,
//    controls) becomes ' ', so every byte >= 0x80 of the output belongs to a letter or digit;
//  - bytes that are not well-formed UTF-8 are read as Windows-1252, where such stray bytes
//    nearly always come from ("Jos\xE9" → "jose"): invalid input never fails and loses nothing.
// The output is valid UTF-8. ASCII input only has its letters lower-cased, byte by byte, and
// allocates nothing beyond growing `*out` (most registry names are ASCII; this runs on every
// record at index build and on every query). Other input costs one pass through utf8proc,
// which allocates. Thread-safe.
void AppendUnicodeFold(std::string_view text, std::string* out);

// The folded form of `text`, as AppendUnicodeFold() appends it.
std::string UnicodeFold(std::string_view text);

}  // namespace padan
