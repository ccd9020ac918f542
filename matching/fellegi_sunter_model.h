// FellegiSunterModel: the probabilistic record-linkage model of DESIGN.md §4. Each comparison
// level of each field has m = P(level | same person) and u = P(level | different persons); a
// pair's match weight is the log2 Bayes factor log2(λ/(1-λ)) + Σ log2(m/u), adjusted for how
// common the agreeing names are, and its match probability follows from it. Missing values add
// nothing either way. The model is saved as a versioned JSON file and loaded back exactly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"

#include "matching/comparison_spec.h"
#include "matching/comparison_vector.h"
#include "matching/match_record.h"
#include "matching/term_frequencies.h"

namespace padan {

enum class Decision : uint8_t { kMatch, kPossibleMatch, kNonMatch };
std::string_view DecisionName(Decision decision);  // "match", "possible_match", "non_match"

// One field's part of a pair's score: the explanation a caller shows.
struct FieldWeight {
  std::string_view field;  // points into the model's spec
  std::string_view level;  // "exact", "jaro_winkler_0.94", "else", "missing"
  double weight = 0;       // log2(m/u), plus tf_adjustment; 0 when missing
  double tf_adjustment = 0;
};

struct ScoredPair {
  double match_weight = 0;
  double match_probability = 0;
  Decision decision = Decision::kNonMatch;
  ComparisonVector comparison;
  absl::InlinedVector<FieldWeight, kMaxFields> explanation;
};

// The explanation on one line for files people read: "nik=exact(+15.20)
// nama=jaro_winkler_0.94(+7.10) ...", fields with missing values left out.
std::string ExplanationText(const ScoredPair& score);

// Copyable value type. Thread-safe for concurrent const use; setters are for training only.
class FellegiSunterModel {
 public:
  static constexpr std::string_view kFormat = "padan-fellegi-sunter";
  static constexpr int kFormatVersion = 1;
  // Agreement on a name, however rare, is worth at most this many extra bits, and on a very
  // common name at most this many fewer: the independence assumption behind the token product
  // is too rough to trust beyond.
  static constexpr double kMaxTfAdjustment = 8.0;

  // A model with uninformative weights: m = u for every level. Train it, or Load one.
  explicit FellegiSunterModel(ComparisonSpec spec);

  const ComparisonSpec& spec() const { return spec_; }
  size_t field_count() const { return spec_.fields.size(); }

  double m(size_t field, size_t level) const { return m_[field][level]; }
  double u(size_t field, size_t level) const { return u_[field][level]; }
  void set_m(size_t field, size_t level, double value) { m_[field][level] = value; }
  void set_u(size_t field, size_t level, double value) { u_[field][level] = value; }
  // P(two records compared are the same person) before looking at them.
  double lambda() const { return lambda_; }
  void set_lambda(double lambda) { lambda_ = lambda; }
  // Decision thresholds on the match weight: at or above `match` is a match, at or above
  // `possible` a possible match, below a non-match.
  double match_threshold() const { return match_threshold_; }
  double possible_threshold() const { return possible_threshold_; }
  void set_thresholds(double match, double possible) {
    match_threshold_ = match;
    possible_threshold_ = possible;
  }
  // Identifies the trained parameters: set at training, kept by Save/Load.
  const std::string& version() const { return version_; }
  void set_version(std::string version) { version_ = std::move(version); }
  // Free-form JSON object describing the training run, kept in the model file.
  const std::string& training_json() const { return training_json_; }
  void set_training_json(std::string json) { training_json_ = std::move(json); }

  // u among pairs whose birth dates are equal, for fields with FieldSpec::u_given.
  double u_given(size_t field, size_t level) const { return u_given_[field][level]; }
  void set_u_given(size_t field, size_t level, double value) { u_given_[field][level] = value; }
  // The u that applies to `field` at `level` in `comparison`: u_given when the field has one
  // and the pair's dates are equal, else u.
  double U(size_t field, size_t level, const ComparisonVector& comparison) const;

  // log2(m/u) with the unconditional u.
  double LevelWeight(size_t field, size_t level) const;
  // log2(m/u) with the u that applies in `comparison`.
  double LevelWeight(size_t field, size_t level, const ComparisonVector& comparison) const;
  double PriorWeight() const;

  // Scores a pair. `frequencies` (may be null) adjusts the name fields with term_frequency.
  ScoredPair Score(const MatchRecord& a, const MatchRecord& b,
                   const FrequencyTables* frequencies) const;
  // Score from a comparison already made: the same result as Score when `comparison` is
  // Compare(spec(), a, b). Lets a caller that compared a pair on some fields reuse those levels
  // once the other fields are filled in.
  ScoredPair ScoreComparison(const ComparisonVector& comparison, const MatchRecord& a,
                             const MatchRecord& b, const FrequencyTables* frequencies) const;
  // The match weight alone, from a comparison already made (no explanation; the hot path).
  double MatchWeight(const ComparisonVector& comparison, const MatchRecord& a, const MatchRecord& b,
                     const FrequencyTables* frequencies) const;
  Decision Decide(double match_weight) const;
  static double ProbabilityFromWeight(double match_weight);

  std::string ToJson() const;
  // kInvalidArgument naming what is wrong: format or version unknown, spec invalid, a level
  // missing or out of order, m or u outside (0, 1].
  static absl::StatusOr<FellegiSunterModel> FromJson(std::string_view json);
  // Writes atomically (temporary file + rename).
  absl::Status Save(const std::string& path) const;
  static absl::StatusOr<FellegiSunterModel> Load(const std::string& path);
  // The model shipped in the binary (data/reference/matching/default_model.json: trained by
  // `padan eval --model-out` on 200,000 generated persons with 10 % duplicates, its match
  // threshold the best one there). Training on a registry starts from it and falls back on its
  // m where the registry shows few duplicates (TrainingOptions::prior).
  static absl::StatusOr<FellegiSunterModel> LoadDefault();

 private:
  double TfAdjustment(size_t field, size_t level, const MatchRecord& a, const MatchRecord& b,
                      const FrequencyTables* frequencies) const;

  ComparisonSpec spec_;
  std::vector<std::vector<double>> m_;  // [field][level], level else included
  std::vector<std::vector<double>> u_;
  std::vector<std::vector<double>> u_given_;  // per level for fields with u_given, else empty
  double lambda_ = 1e-6;
  double match_threshold_ = 3.17;      // p = 0.9
  double possible_threshold_ = -3.17;  // p = 0.1
  std::string version_ = "untrained";
  std::string training_json_ = "{}";
};

}  // namespace padan
