// Evaluation of matching against ground truth: every candidate pair scored, then precision,
// recall and F1 over the match-weight threshold, the best threshold, the weight histograms of
// true and false pairs, and recall per corruption type so the weakest one is visible. Renders
// as terminal text and as one self-contained HTML page with SVG charts.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/types/span.h"

#include "matching/fellegi_sunter_model.h"
#include "matching/match_record.h"

namespace padan {

// The truth about one record: which real person it is, and what was done to it (the
// generator's corruption names; empty for an original or unknown).
struct TruthLabel {
  std::string cluster;
  std::vector<std::string> corruptions;
};

struct ThresholdPoint {
  double threshold = 0;
  uint64_t true_positives = 0;
  uint64_t false_positives = 0;
  uint64_t false_negatives = 0;
  double precision = 0;
  double recall = 0;
  double f1 = 0;
};

struct CorruptionRecall {
  std::string corruption;  // "typo_insert", ..., "none" for exact copies
  uint64_t true_pairs = 0;
  uint64_t found = 0;  // at the best threshold
  uint64_t in_candidates = 0;
  double recall() const { return true_pairs == 0 ? 0 : static_cast<double>(found) / true_pairs; }
};

struct EvaluationReport {
  uint64_t records = 0;
  uint64_t true_pairs = 0;  // same-cluster pairs in the truth
  uint64_t candidate_pairs = 0;
  uint64_t true_pairs_in_candidates = 0;
  std::vector<ThresholdPoint> curve;  // ascending thresholds
  ThresholdPoint best;                // highest F1
  ThresholdPoint at_model_threshold;  // the model's configured match threshold
  // Histograms over match weight: bin i covers [histogram_min + i*width, + width).
  double histogram_min = 0;
  double histogram_bin_width = 1;
  std::vector<uint64_t> true_histogram;
  std::vector<uint64_t> false_histogram;
  std::vector<CorruptionRecall> by_corruption;
  // The errors to look at first: the highest-weighted false pairs and the lowest-weighted true
  // pairs among the candidates, as (weight, record i, record j), worst first.
  struct ScoredIndexPair {
    double weight = 0;
    uint32_t i = 0;
    uint32_t j = 0;
  };
  std::vector<ScoredIndexPair> worst_false_pairs;
  std::vector<ScoredIndexPair> worst_true_pairs;
  std::string model_json;  // the trained model, for the HTML page

  double blocking_recall() const {
    return true_pairs == 0 ? 0 : static_cast<double>(true_pairs_in_candidates) / true_pairs;
  }
  std::string ToText() const;
  std::string ToHtml() const;
};

// Scores `pairs` of `records` with `model` and compares with `truth` (one label per record,
// same order). Pairs of records whose cluster is empty count as unknown and are skipped.
// How many of each kind of worst pair a report keeps.
inline constexpr size_t kWorstPairsKept = 50;

EvaluationReport Evaluate(absl::Span<const MatchRecord> records, absl::Span<const TruthLabel> truth,
                          absl::Span<const std::pair<uint32_t, uint32_t>> pairs,
                          const FellegiSunterModel& model, const FrequencyTables* frequencies);

}  // namespace padan
