// Conversion of name tokens between today's spelling (EYD, 1972) and the older Republican /
// Van Ophuijsen spelling that many people born before 1972 still carry on their papers:
// u = oe, j = dj, y = j, c = tj, sy = sj, ny = nj, kh = ch (Sukarno = Soekarno, Cahyo = Tjahjo).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace padan::gen {

// Which rules ToOldSpelling applies. Real names often carry only part of the old spelling
// (Sjamsul keeps its modern u), so the consonant and vowel rules can be chosen separately.
enum OldSpellingRules : uint8_t {
  kOldSpellingConsonants = 1 << 0,  // j->dj, y(+vowel)->j, c->tj, sy->sj, ny->nj, kh->ch
  kOldSpellingVowels = 1 << 1,      // u->oe, except in the diphthong au
  kOldSpellingAll = kOldSpellingConsonants | kOldSpellingVowels,
};

// A lower-case a-z token in today's spelling written the old way: "sukarno" -> "soekarno",
// "cahyo" -> "tjahjo", "syamsul" -> "sjamsoel". Tokens without such letters come back unchanged.
std::string ToOldSpelling(std::string_view token, uint8_t rules = kOldSpellingAll);

// The reverse, for a token known to be in the old spelling: "soekarno" -> "sukarno",
// "djoko" -> "joko", "tjahjo" -> "cahyo", "achmad" -> "akhmad". A lone j becomes y, so do not
// call it on tokens in today's spelling ("joko" would become "yoko").
std::string ToModernSpelling(std::string_view token);

// True when the token holds a letter group that only the old spelling uses (oe, dj, tj, sj,
// nj); ch and a lone j are left out because today's spelling has them too (Michael, Joko).
bool HasOldSpellingMarkers(std::string_view token);

}  // namespace padan::gen
