// TrustworthyNiks: how batch dedup compares two NIKs that are both trustworthy — valid, and
// each consistent with its own record's birth date and sex (RecordFacts).
#pragma once

#include <cstdint>

#include "absl/container/inlined_vector.h"

#include "matching/clustering.h"
#include "matching/comparison_vector.h"
#include "matching/fellegi_sunter_model.h"

namespace padan {

// Two NIKs a typo apart (one digit, two neighbours swapped) outside the birth part are what
// two people born the same day in one kecamatan, or in neighbouring ones, carry: Dukcapil
// numbers them in sequence (…0001, …0002). When both are valid and agree with their own
// record's birth date and sex, nothing says either was mistyped, and the pair is compared at
// the model's same-birth-part level — the level of such neighbours — instead of as a typo.
// (Compare already does this for a typo inside the birth part.) A model without a NIK field
// changes nothing; one without a same-birth-part level compares them as else.
// Holds no reference to the model; immutable; thread-safe.
class TrustworthyNiks {
 public:
  explicit TrustworthyNiks(const FellegiSunterModel& model);

  // Rewrites the NIK level of `comparison` when both records' NIKs are trustworthy and a typo
  // apart; whether it did.
  bool Adjust(const RecordFacts& a, const RecordFacts& b, ComparisonVector* comparison) const;
  // The same on a scored pair, with its weight, probability, decision and explanation.
  // REQUIRES: `model` is the one given to the constructor.
  void Adjust(const FellegiSunterModel& model, const RecordFacts& a, const RecordFacts& b,
              ScoredPair* score) const;

 private:
  int field_ = -1;  // the NIK field of the spec, -1 for none
  absl::InlinedVector<uint8_t, 2> typo_levels_;
  uint8_t replacement_ = 0;
};

}  // namespace padan
