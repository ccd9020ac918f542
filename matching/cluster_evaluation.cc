#include "matching/cluster_evaluation.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"

namespace padan {
namespace {

uint64_t PairsOf(uint64_t n) { return n < 2 ? 0 : n * (n - 1) / 2; }

}  // namespace

double PairwiseEvaluation::precision() const {
  return predicted_pairs == 0 ? 1.0 : static_cast<double>(true_positives) / predicted_pairs;
}

double PairwiseEvaluation::recall() const {
  return true_pairs == 0 ? 1.0 : static_cast<double>(true_positives) / true_pairs;
}

double PairwiseEvaluation::f1() const {
  const double p = precision();
  const double r = recall();
  return p + r == 0 ? 0 : 2 * p * r / (p + r);
}

namespace {

// Records per label, in a vector indexed by label: labels are dense in practice (cluster
// indexes, truth clusters numbered as read), so a vector beats a hash map by far at 10 M.
std::vector<uint64_t> CountLabels(absl::Span<const uint32_t> labels,
                                  absl::Span<const uint32_t> truth) {
  uint32_t max_label = 0;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (truth[i] != kUnknownTruth) max_label = std::max(max_label, labels[i]);
  }
  std::vector<uint64_t> counts(labels.empty() ? 0 : size_t{max_label} + 1, 0);
  for (size_t i = 0; i < labels.size(); ++i) {
    if (truth[i] != kUnknownTruth) ++counts[labels[i]];
  }
  return counts;
}

}  // namespace

PairwiseEvaluation EvaluateClusters(absl::Span<const uint32_t> predicted,
                                    absl::Span<const uint32_t> truth) {
  PairwiseEvaluation result;
  const std::vector<uint64_t> by_predicted = CountLabels(predicted, truth);
  const std::vector<uint64_t> by_truth = CountLabels(truth, truth);
  for (uint64_t n : by_predicted) result.predicted_pairs += PairsOf(n);
  for (uint64_t n : by_truth) {
    result.true_pairs += PairsOf(n);
    result.records += n;
  }
  // A right pair needs both clusters to hold two records or more: only those are counted.
  absl::flat_hash_map<uint64_t, uint64_t> by_both;
  for (size_t i = 0; i < predicted.size(); ++i) {
    if (truth[i] == kUnknownTruth || by_predicted[predicted[i]] < 2 || by_truth[truth[i]] < 2) {
      continue;
    }
    ++by_both[(uint64_t{predicted[i]} << 32) | truth[i]];
  }
  for (const auto& [label, n] : by_both) result.true_positives += PairsOf(n);
  return result;
}

std::vector<uint64_t> ClusterSizeHistogram(absl::Span<const uint32_t> labels, size_t max_size) {
  std::vector<uint64_t> histogram(max_size + 1, 0);
  for (uint64_t n : CountLabels(labels, labels)) {
    if (n > 0) ++histogram[std::min<uint64_t>(n, max_size)];
  }
  return histogram;
}

}  // namespace padan
