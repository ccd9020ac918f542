// One-to-one assignment of pre-list to field records, as verivali does it (DESIGN.md §4):
// households first — the field household that holds most of a listed household's members is
// that household, wherever it now lives — then members inside the assigned households, then
// the remaining persons inside their desa, then across the kecamatan, then across the kab/kota
// for people who moved. Each step is greedy by match weight.
#pragma once

#include <cstdint>
#include <vector>

#include "absl/types/span.h"

#include "data/region_table.h"

namespace padan {

// A scored pre-list × field pair that is a match on its own (weight ≥ the match threshold).
struct ScoredCandidate {
  uint32_t prelist = 0;
  uint32_t field = 0;
  float weight = 0;
  // Breaks ties in weight, higher is closer: how near the written values are (a listed copy
  // and its original can score alike when the model folds their differences away).
  float closeness = 0;
};

// Which step assigned a pair.
enum class AssignmentStage : uint8_t {
  kHousehold = 0,  // members of two assigned households
  kDesa = 1,
  kKecamatan = 2,
  kKabKota = 3,
  kNone = 4,  // not assigned
};

struct AssignmentInput {
  absl::Span<const ScoredCandidate> pairs;
  absl::Span<const KodeWilayah> prelist_desa;  // per pre-list person: the household's region
  absl::Span<const KodeWilayah> field_desa;
  absl::Span<const uint32_t> prelist_household;  // per person: household index
  absl::Span<const uint32_t> field_household;
  size_t prelist_households = 0;
  size_t field_households = 0;
};

struct Assignment {
  std::vector<int32_t> field_of_prelist;  // -1 when unassigned
  std::vector<int32_t> prelist_of_field;  // -1 when unassigned
  std::vector<float> weight_of_prelist;   // the assigned pair's weight
  std::vector<AssignmentStage> stage_of_prelist;
  std::vector<int32_t> field_household_of_prelist_household;  // -1 when unassigned
};

// The step two regions could be paired at: kDesa for the same desa, kKecamatan, kKabKota, and
// kNone beyond the kab/kota (or an unknown region).
AssignmentStage RegionStage(KodeWilayah a, KodeWilayah b);

// Pairs beyond the kab/kota are never assigned. Ties in weight go to the closer pair, then to
// the lower index, so the result is a function of the input alone. O(pairs log pairs).
Assignment AssignOneToOne(const AssignmentInput& input);

}  // namespace padan
