// PhoneticKey: an Indonesian-aware sound key for one name token, so that spellings of the same
// spoken name ("Achmad", "Akhmad", "Ahmat"; "Yusuf", "Jusuf"; "Sitti", "Siti"; "Zainal",
// "Jaenal") share a key while different names keep different ones. Used for blocking and for
// the "phonetic equal" comparison level.
//
// Rules, applied to a lower-case token, left to right:
//  1. Pre-1972 spellings are folded first: oe→u, dj→j, tj→c, sj→sy, nj→ny, ch→kh.
//  2. Digraphs become one sound: sy→s, ph→f, th→t, dh→d, gh→g, ng→N, ny→Q, q→k, x→ks; kh→k
//     at the start of a word (Khadijah = Kadijah) but →h inside it, where Indonesian writes
//     the Arabic sound as h (Achmad = Akhmad = Ahmad, Rachmat = Rahmat).
//  3. Vowel classes: a→A; e, i→I; o, u→U (Indonesian spellings swap e/i and o/u freely:
//     Erwin/Irwin, Rohmat/Rahmat stay apart on a/o but Umar/Omar join).
//  4. y is a vowel (I) after a consonant at the end or before a consonant ("Nurhayaty",
//     "Wahyudy"), otherwise the consonant class J it shares with j and z (old spelling wrote
//     y as j: Jusuf = Yusuf; z is said as j: Zainal = Jainal).
//  5. Consonant classes: f, p, v→P; b→B; k, q→K; g→G; c→C; d→D; t→T; s→S; w→W; l, m, n, r
//     stay themselves. A t, d, n or s right before the J class merges with it: t+J→C,
//     d+J→J, n+J and n+d+J→Q, s+J and s+d+J→S; and t before c is dropped (tc→C). Old
//     spelling wrote c and t+y alike as tj, j and d+y as dj, ny and modern n+j as nj (n+dj),
//     sy and s+dy as sj, so after rule 1 the modern spelling must meet the folded one:
//     Prasetyo = Prasetjo (praseco), Nadya = Nadja, Anindya = Anindja, Panji = Pandji,
//     Rusdyanto = Roesdjanto (rusyanto).
//  6. Final h is silent and dropped (Fatimah = Fatima, Aminah = Amina); other h stay.
//  7. Final devoicing: a final B, D, G becomes P, T, K (Ayub = Ayup, Rahmad = Rahmat).
//  8. Doubled classes collapse (Muhammad → one M; Sitti = Siti; Nurr = Nur).
// Digits and non-ASCII bytes pass through unchanged (they rarely appear after normalisation).
#pragma once

#include <string>
#include <string_view>

namespace padan {

// Returns the key of one token (no spaces). Empty for an empty token. Thread-safe; allocates
// only the result.
std::string PhoneticKey(std::string_view token);

// Writes the key into `out` (cleared first), for callers that reuse a buffer.
void AppendPhoneticKey(std::string_view token, std::string* out);

}  // namespace padan
