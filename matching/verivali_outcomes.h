// Verivali outcome rules: from the one-to-one assignment and the field forms to an outcome per
// pre-list person and household (DESIGN.md §4), with the fields the field corrected.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/types/span.h"

#include "matching/verivali_assignment.h"
#include "matching/verivali_diff.h"
#include "matching/verivali_input.h"
#include "matching/verivali_outcome.h"

namespace padan {

// Two pre-list records that score as one person (weight ≥ the match threshold).
struct DuplicateCandidate {
  uint32_t a = 0;
  uint32_t b = 0;
  float weight = 0;
};

// The outcome of one pre-list person.
struct PersonVerdict {
  VerivaliOutcome outcome = VerivaliOutcome::kTidakDitemukan;
  int32_t field = -1;     // the field record (found, changed, moved, died)
  int32_t ganda_of = -1;  // kGanda: the pre-list record this one repeats
  float weight = 0;       // the match weight of the pair that decided it
  std::vector<FieldChange> changes;
};

// The outcome of one pre-list household: kDitemukan when every member was found as listed and
// nobody joined; kPindah when the members found all live in another desa; kMeninggal when
// every member died; kTidakDitemukan when no member was found; kGanda when every member is
// listed elsewhere; kDitemukanBerubah otherwise (a change, a death, a departure, a member
// missing or a new member).
struct HouseholdVerdict {
  VerivaliOutcome outcome = VerivaliOutcome::kTidakDitemukan;
  int32_t field_household = -1;  // where most of its members were found
  uint32_t members = 0;
  std::array<uint32_t, kVerivaliOutcomeCount> member_outcomes{};
  uint32_t new_members = 0;  // baru records in its field household
};

struct VerivaliVerdicts {
  std::vector<PersonVerdict> persons;            // per pre-list person
  std::vector<HouseholdVerdict> households;      // per pre-list household
  std::vector<bool> field_baru;                  // per field person: matches no pre-list person
  std::vector<bool> field_household_baru;        // per field household: no member assigned
};

// Person rules, for a pre-list person p:
// - assigned to field record f: kMeninggal when f's status_art says died, kPindah when it says
//   moved or f is in another desa, else kDitemukanBerubah when the diff finds a change, else
//   kDitemukan; the changes are kept in every case;
// - unassigned, with a duplicate that is assigned: kGanda of the best such duplicate;
// - unassigned, with duplicates none of which is assigned: kGanda when p is the copy — its
//   household was visited and the duplicate's was not; else its household is the more
//   completely repeated in the duplicate's; else p is the later registration (id_art larger
//   by length, then text);
// - otherwise kTidakDitemukan.
// Runs the diffs on `threads` threads (0: one per core).
VerivaliVerdicts DecideVerdicts(const VerivaliRecords& prelist, const VerivaliRecords& field,
                                absl::Span<const KodeWilayah> prelist_desa,
                                absl::Span<const KodeWilayah> field_desa,
                                const Assignment& assignment,
                                absl::Span<const DuplicateCandidate> duplicates,
                                const PersonDiffer& differ, size_t threads);

// True when id `a` names an earlier registration than `b`: shorter first, then by text.
bool EarlierId(std::string_view a, std::string_view b);

}  // namespace padan
