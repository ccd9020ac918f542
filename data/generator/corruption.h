// Corruption: the named kinds of damage a generated record carries, as written to truth.csv.
// Duplicate registrations get the mistakes officers really make; a few original records get
// the registry's own data-quality problems (NIK missing or one digit short).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace padan::gen {

enum class Corruption : uint8_t {
  // Name.
  kTypoInsert,       // a letter typed twice or a neighbouring key added
  kTypoDelete,       // a letter left out (often one of a doubled pair or an h)
  kTypoSubstitute,   // a neighbouring key, or a vowel heard differently (i/e, u/o)
  kTypoTranspose,    // two adjacent letters swapped
  kOldSpelling,      // Sukarno <-> Soekarno, Joko <-> Djoko, Cahyo <-> Tjahjo
  kMuhammadVariant,  // Muhammad <-> Muhamad, Mohammad, Moch., Moh., M.
  kAbdulVariant,     // Abdul <-> Abd., Abdoel; Abdul Rahman <-> Abdurrahman
  kTitleAdded,       // H., Hj., Drs., S.Pd. written although the other record has none
  kTitleDropped,     // the title left off
  kBinBinti,         // "bin"/"binti" and the father's name appended
  kTokenDropped,     // one name token left out
  kTokenInitial,     // one token cut to its initial (Muhammad Rizki -> M. Rizki)
  kTokensSwapped,    // two adjacent tokens in the other order
  // Date of birth.
  kDobDayMonthSwap,  // 05-11-1980 for 11-05-1980 (only when day <= 12 and day != month)
  kDobYearOffByOne,  // the year one too high or too low
  // NIK.
  kNikOneDigit,    // one digit wrong
  kNikTransposed,  // two adjacent digits swapped
  kNikMissing,     // no NIK written (duplicates, and ~0.6% of originals)
  kNikShort,       // originals only: one digit lost, 15 digits left
  // Household.
  kMovedDesa,    // registered in another desa than the original
  kNoKkMissing,  // originals only: the household's No KK is empty
};
inline constexpr int kCorruptionCount = 21;

// A set of corruptions, one bit per Corruption.
using CorruptionSet = uint32_t;
inline constexpr CorruptionSet Bit(Corruption c) { return CorruptionSet{1} << static_cast<int>(c); }
inline bool Has(CorruptionSet set, Corruption c) { return (set & Bit(c)) != 0; }

// The snake_case name used in truth.csv and gen.json ("typo_insert").
std::string_view CorruptionName(Corruption corruption);
std::optional<Corruption> ParseCorruption(std::string_view name);
// The names of `set` joined by ';', in enum order ("typo_delete;nik_missing").
std::string CorruptionSetNames(CorruptionSet set);

}  // namespace padan::gen
