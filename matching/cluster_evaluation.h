// Pairwise evaluation of a clustering against ground truth: every two records put in one
// cluster is a predicted pair, every two records of one true person a true pair; precision,
// recall and F1 over those pairs (the measure DESIGN.md §7's dedup F1 budget is stated in).
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "absl/types/span.h"

namespace padan {

// A record the truth does not know: left out of every count.
inline constexpr uint32_t kUnknownTruth = std::numeric_limits<uint32_t>::max();

struct PairwiseEvaluation {
  uint64_t records = 0;  // records with a truth label
  uint64_t true_pairs = 0;
  uint64_t predicted_pairs = 0;
  uint64_t true_positives = 0;
  uint64_t false_positives() const { return predicted_pairs - true_positives; }
  uint64_t false_negatives() const { return true_pairs - true_positives; }
  double precision() const;  // 1 when nothing was predicted
  double recall() const;     // 1 when there is nothing to find
  double f1() const;
};

// `predicted[i]` and `truth[i]` are record i's cluster labels (any numbering); records whose
// truth is kUnknownTruth are skipped. REQUIRES: predicted.size() == truth.size().
PairwiseEvaluation EvaluateClusters(absl::Span<const uint32_t> predicted,
                                    absl::Span<const uint32_t> truth);

// How many clusters have each size: result[s] for s < max_size, and result[max_size] counts
// every cluster of max_size or more; result[0] is unused. Labels kUnknownTruth are skipped.
std::vector<uint64_t> ClusterSizeHistogram(absl::Span<const uint32_t> labels, size_t max_size);

}  // namespace padan
