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
  // m learnt elsewhere (the shipped default model, trained on generated data with known
  // duplicates), to fall back on where this data shows few matches: each field's m is the
  // sessions' estimates weighted by their expected matches, plus the prior's with the weight
  // of `prior_matches` matches. A registry that is nearly free of duplicates then keeps sound m
  // (EM over a handful of family-member pairs would teach it that an exact NIK means little),
  // while one with thousands of duplicates is ruled by its own. Null: no prior (pure EM).
  const FellegiSunterModel* prior = nullptr;
  double prior_matches = 200;
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

// Sets `model`'s u, m, λ and version from `records`. λ is at least 1 / records: the prior
// that a record of a list is one given record of a registry holding each person once, which
// is what Match and link decide; a registry's own duplicate rate may be lower, so pairwise
// dedup is judged a little more readily (its threshold is set on that scale). kFailedPrecondition
// with fewer than two records or when no session found pairs to learn from. Deterministic for a
// seed.
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
