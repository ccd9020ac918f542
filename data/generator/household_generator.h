// HouseholdGenerator: DTKS families as they are composed: a head (mostly a man; widows head
// many poor households), a spouse of the other sex with a plausible age gap, children born to
// the mother at plausible ages, and sometimes a parent, in-law, married child with grandchildren
// or other relative; names by the family's naming custom, ages, occupations and addresses.
#pragma once

#include <span>
#include <string_view>

#include "data/generator/generated_household.h"
#include "data/generator/name_generator.h"
#include "data/generator/random.h"
#include "data/generator/region_sampler.h"
#include "data/generator/title_table.h"

namespace padan::gen {

// Holds references to the tables, which must outlive it. Immutable; Generate() may run from
// many threads with separate Rngs. About 5 µs per household.
class HouseholdGenerator {
 public:
  // Household size cap: larger DTKS families exist but are too rare to matter here.
  static constexpr int kMaxMembers = 12;

  HouseholdGenerator(const RegionSampler& regions, const NameGenerator& names,
                     const TitleTable& titles);

  // A new family living in desa `desa` (RegionSampler index). Members come head first, then
  // spouse, children oldest first, then other relatives. NIKs and the No KK are left to the
  // caller (they need registry-wide serials).
  GenHousehold Generate(uint32_t desa, Rng& rng) const;

  // A child born to `mother` (a member of `household`) with `father` (a member or -1) after the
  // registry snapshot, for verivali field results. Appended by the caller.
  GenPerson Baby(const GenHousehold& household, int mother, int father, int32_t birth_days,
                 Rng& rng) const;

  // The spouse a member marries (a new Menantu or Istri/Suami): other sex, close in age.
  GenPerson Spouse(const GenHousehold& household, const GenPerson& partner, Hubungan hubungan,
                   Rng& rng) const;

  // The occupation labels (Dukcapil's list of pekerjaan, as SIKS-NG exports them).
  static std::span<const std::string_view> Occupations();

  const RegionSampler& regions() const { return regions_; }
  const NameGenerator& names() const { return names_; }
  const TitleTable& titles() const { return titles_; }

 private:
  struct Context;

  GenPerson MakePerson(const Context& ctx, Sex sex, int32_t birth_days, Hubungan hubungan,
                       NameCustom custom, std::string_view family_name, int birth_order,
                       Rng& rng) const;
  std::string MotherName(NameCustom custom, int child_birth_year, Rng& rng) const;
  uint8_t Occupation(Sex sex, int age, bool urban, Rng& rng) const;
  void PlaceBirth(const Context& ctx, GenPerson& person, bool born_here, Rng& rng) const;

  const RegionSampler& regions_;
  const NameGenerator& names_;
  const TitleTable& titles_;
};

}  // namespace padan::gen
