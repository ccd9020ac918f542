// Training a Fellegi-Sunter model on the records themselves, with no labelled pairs:
//  - u from random pairs (nearly all different persons);
//  - m by expectation-maximisation over the distinct agreement patterns of blocked pairs, in
//    several sessions, each blocking on different fields and estimating only the fields it did
//    not block on (a field a session blocks on agrees by construction, so its m would be
//    biased there) — the approach Splink takes;
//  - λ, the share of all pairs that are the same person, from the expected matches among the
//    blocked pairs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

#include "matching/fellegi_sunter_model.h"
#include "matching/match_record.h"

namespace padan {

struct TrainingOptions {
  uint64_t seed = 1;
  // Random pairs sampled for u.
  size_t random_pairs = 2'000'000;
  int max_iterations = 200;
  // EM stops when no m and not λ moves by more than this.
  double tolerance = 1e-7;
  // Records sharing a training block key beyond this many are not paired further: common keys
  // ("siti" born 1980) would flood the session with easy non-matches.
  size_t max_block_size = 64;
};

struct EmSessionReport {
  std::string blocking;                // e.g. "nik"
  std::vector<std::string> estimated;  // fields whose m this session estimated
  uint64_t pairs = 0;
  uint64_t patterns = 0;  // distinct agreement patterns EM ran over
  int iterations = 0;
  bool converged = false;
  double lambda = 0;  // match share among this session's pairs
  double expected_matches = 0;
};

struct TrainingReport {
  uint64_t records = 0;
  uint64_t random_pairs = 0;
  std::vector<EmSessionReport> sessions;
  double lambda = 0;
  std::string ToJson() const;
};

// Sets `model`'s u, m, λ and version from `records`. kFailedPrecondition with fewer than two
// records or when no session found pairs to learn from. Deterministic for a seed.
absl::StatusOr<TrainingReport> TrainModel(absl::Span<const MatchRecord> records,
                                          const TrainingOptions& options,
                                          FellegiSunterModel* model);

// The EM step alone, over agreement patterns with their counts (exposed for tests that check
// EM recovers known m and u). `estimate[f]` says whether field f's m is estimated; u stays
// fixed. Updates `model`'s m for estimated fields and returns the session report (λ among the
// patterns' pairs). `initial_lambda` seeds λ.
EmSessionReport RunEm(const std::vector<std::pair<ComparisonVector, uint64_t>>& patterns,
                      const std::vector<bool>& estimate, double initial_lambda,
                      const TrainingOptions& options, FellegiSunterModel* model);

}  // namespace padan
