// DuplicateGenerator: the ways one person comes to be registered twice in DTKS: the household
// registered again (a new ID Keluarga; the same or a new No KK; the same or a moved desa; some
// members left out), or one person listed in a second household as well (a married child in
// the in-laws' family while still in the parents', an old parent in a child's household).
#pragma once

#include <cstdint>
#include <vector>

#include "data/generator/corruptor.h"
#include "data/generator/generated_household.h"
#include "data/generator/household_generator.h"
#include "data/generator/random.h"

namespace padan::gen {

// A household generated near another one of the block so it can host a duplicate of one of
// that household's members.
struct HostPlan {
  int32_t source = -1;  // household whose member is registered again
  int32_t host = -1;    // household that lists the member too
};

// Holds references; immutable; thread-safe with separate Rngs.
class DuplicateGenerator {
 public:
  // Share of duplicate records made by listing one person in a second household; the rest
  // come from re-registered households.
  static constexpr double kSinglePersonShare = 0.2;
  // Chance that a re-registration leaves out each member other than the head.
  static constexpr double kMemberOmittedShare = 0.15;
  // Chance that a re-registered household is placed in another desa.
  static constexpr double kMovedShare = 0.25;

  DuplicateGenerator(const HouseholdGenerator& households, const Corruptor& corruptor);

  // Adds `target` duplicate records to `households` (the block's originals, which it does not
  // change except by appending duplicate members to host households): first one person per
  // host plan, then re-registered households, each original person repeated at most once.
  // Fewer when the block has fewer persons than `target`.
  // REQUIRES: every household in `households` is an original; plans refer into it.
  void AddDuplicates(std::vector<GenHousehold>* households, const std::vector<HostPlan>& plans,
                     int64_t target, Rng& rng) const;

 private:
  // Copies the original person into a duplicate record with corruptions.
  GenPerson Duplicate(const GenHousehold& household, int32_t household_index, int32_t member,
                      Rng& rng) const;
  // A re-registration of `members` of household `index`; the first becomes the head when the
  // original head is not among them.
  GenHousehold Reregister(const std::vector<GenHousehold>& households, int32_t index,
                          const std::vector<int32_t>& members, Rng& rng) const;

  const HouseholdGenerator& households_;
  const Corruptor& corruptor_;
};

}  // namespace padan::gen
