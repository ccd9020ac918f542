// Comparing two MatchRecords field by field: the comparison vector of levels the Fellegi-Sunter
// model weighs (one level index per field of the ComparisonSpec).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "matching/comparison_spec.h"
#include "matching/match_record.h"

namespace padan {

// The level index of a field where either record lacks the value.
inline constexpr uint8_t kMissingLevel = 0xff;
// Fields a spec may have: enough for every FieldKind.
inline constexpr size_t kMaxFields = 16;

// Level index per field, in spec order: 0..levels-1 for the spec's levels, level_count()-1 for
// else, kMissingLevel for missing. Value type.
struct ComparisonVector {
  std::array<uint8_t, kMaxFields> levels{};
  uint8_t size = 0;
  friend bool operator==(const ComparisonVector& a, const ComparisonVector& b) {
    return a.size == b.size && a.levels == b.levels;
  }
  template <typename H>
  friend H AbslHashValue(H h, const ComparisonVector& v) {
    return H::combine_contiguous(std::move(h), v.levels.data(), v.size);
  }
};

// The level of one field. Pure function of its inputs; thread-safe.
uint8_t CompareField(const FieldSpec& field, const MatchRecord& a, const MatchRecord& b);

// Every field. REQUIRES: spec.fields.size() <= kMaxFields.
ComparisonVector Compare(const ComparisonSpec& spec, const MatchRecord& a, const MatchRecord& b);

}  // namespace padan
