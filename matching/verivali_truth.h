// Checking verivali outcomes against ground truth: the generator's prelist_truth.csv
// (side,record_id,outcome,matched_id,...) or any CSV with those columns.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

#include "matching/verivali_input.h"
#include "matching/verivali_outcome.h"
#include "matching/verivali_outcomes.h"

namespace padan {

struct TruthTally {
  int64_t total = 0;          // truth records of this outcome
  int64_t outcome_right = 0;  // given the same outcome
  int64_t right = 0;          // same outcome and the same matched record (where there is one)
};

struct VerivaliTruthCheck {
  std::array<TruthTally, kVerivaliOutcomeCount> by_outcome{};  // by the truth's outcome
  // confusion[truth][ours]; truth baru rows count under ours = baru or, when we matched the
  // field record, the outcome of the pre-list person we matched it to.
  std::array<std::array<int64_t, kVerivaliOutcomeCount>, kVerivaliOutcomeCount> confusion{};
  int64_t unknown_ids = 0;  // truth rows naming a record neither file has
  // Field records we call baru that the truth matches to a pre-list person.
  int64_t extra_baru = 0;

  TruthTally Overall() const;
};

// Reads the truth file and compares. kInvalidArgument naming the line for a malformed row,
// an unknown side or outcome, or missing columns.
absl::StatusOr<VerivaliTruthCheck> CheckVerivaliTruth(const std::string& truth_path,
                                                      const VerivaliRecords& prelist,
                                                      const VerivaliRecords& field,
                                                      const VerivaliVerdicts& verdicts);

}  // namespace padan
