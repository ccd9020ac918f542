// Corruptor: the mistakes officers make when a person is registered again, one function per
// Corruption, each realistic for Indonesian names, dates and NIKs (keyboard-neighbour typos,
// Muhammad/Abdul spellings, old spelling, bin/binti, initials...), and the draw of 1-3 of them
// for a duplicate record.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "data/generator/corruption.h"
#include "data/generator/generated_household.h"
#include "data/generator/name_generator.h"
#include "data/generator/random.h"
#include "data/generator/title_table.h"

namespace padan::gen {

// Name corruptions work on lower-case tokens separated by single spaces, as GenPerson::nama
// holds them. Each returns true when it changed the text and false (leaving it as it was)
// when it does not apply, e.g. MuhammadVariant on a name without Muhammad.
bool TypoInsert(std::string* name, Rng& rng);
bool TypoDelete(std::string* name, Rng& rng);
bool TypoSubstitute(std::string* name, Rng& rng);
bool TypoTranspose(std::string* name, Rng& rng);
// Writes one token in the old spelling, or back in today's when it has the old spelling
// already. `consonants_only` for Christian names, where only j/y changed (Johanes/Yohanes).
bool OldSpelling(std::string* name, bool consonants_only, Rng& rng);
bool MuhammadVariant(std::string* name, Rng& rng);
bool AbdulVariant(std::string* name, Rng& rng);
// Appends "bin" (men) or "binti" (women) and `father_given`.
bool BinBinti(std::string* name, Sex sex, std::string_view father_given);
bool TokenDropped(std::string* name, Rng& rng);
bool TokenInitial(std::string* name, Rng& rng);
bool TokensSwapped(std::string* name, Rng& rng);

// Date corruptions on days since 1970-01-01.
bool DobDayMonthSwap(int32_t* birth_days);
bool DobYearOffByOne(int32_t* birth_days, Rng& rng);

// NIK corruptions on the 16-digit text.
bool NikOneDigit(std::string* nik, Rng& rng);
bool NikTransposed(std::string* nik, Rng& rng);
// Drops one digit (the registry's 15-digit NIKs), not the first.
bool NikDropDigit(std::string* nik, Rng& rng);

// Draws and applies the person-level corruptions of a duplicate record. Holds references to
// the tables, which must outlive it. Immutable; thread-safe with separate Rngs.
class Corruptor {
 public:
  // Share of duplicate records that repeat the person's fields exactly (only the household
  // differs): the same form typed twice.
  static constexpr double kExactCopyShare = 0.08;

  Corruptor(const NameGenerator& names, const TitleTable& titles);

  // Turns `dup`, a copy of its original person, into a duplicate record: 1-3 corruptions
  // (or none, kExactCopyShare of the time) of those that apply, added to dup->corruptions.
  // `household` is the original's household (for the father's name). NIK corruptions are only
  // marked: the NIK is known at commit, where ApplyNikCorruption() does them.
  void CorruptPerson(GenPerson* dup, const GenHousehold& household, Rng& rng) const;

  // Applies one corruption. Returns false, changing nothing, when it does not apply.
  bool Apply(Corruption corruption, GenPerson* person, const GenHousehold& household,
             Rng& rng) const;

  // Rewrites `nik` (16 digits) as the NIK corruptions in `set` say: empty for kNikMissing,
  // 15 digits for kNikShort, one digit or one adjacent pair changed.
  static void ApplyNikCorruption(CorruptionSet set, std::string* nik, Rng& rng);

 private:
  double Weight(Corruption corruption, const GenPerson& person) const;
  std::string FatherGiven(const GenPerson& person, const GenHousehold& household, Rng& rng) const;

  const NameGenerator& names_;
  const TitleTable& titles_;
};

}  // namespace padan::gen
