#include "data/generator/generated_household.h"

namespace padan::gen {

int AgeAt(int32_t birth_days, int32_t at_days) {
  int by = 0, bm = 0, bd = 0, ay = 0, am = 0, ad = 0;
  CivilFromDays(birth_days, &by, &bm, &bd);
  CivilFromDays(at_days, &ay, &am, &ad);
  int age = ay - by;
  if (am < bm || (am == bm && ad < bd)) --age;
  return age;
}

}  // namespace padan::gen
