#include "matching/cluster_evaluation.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"

namespace padan {
namespace {

uint64_t PairsOf(uint64_t n) { return n * (n - 1) / 2; }

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

PairwiseEvaluation EvaluateClusters(absl::Span<const uint32_t> predicted,
                                    absl::Span<const uint32_t> truth) {
  absl::flat_hash_map<uint32_t, uint64_t> by_predicted;
  absl::flat_hash_map<uint32_t, uint64_t> by_truth;
  absl::flat_hash_map<uint64_t, uint64_t> by_both;
  PairwiseEvaluation result;
  for (size_t i = 0; i < predicted.size(); ++i) {
    if (truth[i] == kUnknownTruth) continue;
    ++result.records;
    ++by_predicted[predicted[i]];
    ++by_truth[truth[i]];
    ++by_both[(uint64_t{predicted[i]} << 32) | truth[i]];
  }
  for (const auto& [label, n] : by_predicted) result.predicted_pairs += PairsOf(n);
  for (const auto& [label, n] : by_truth) result.true_pairs += PairsOf(n);
  for (const auto& [label, n] : by_both) result.true_positives += PairsOf(n);
  return result;
}

std::vector<uint64_t> ClusterSizeHistogram(absl::Span<const uint32_t> labels, size_t max_size) {
  absl::flat_hash_map<uint32_t, uint64_t> sizes;
  for (uint32_t label : labels) {
    if (label != kUnknownTruth) ++sizes[label];
  }
  std::vector<uint64_t> histogram(max_size + 1, 0);
  for (const auto& [label, n] : sizes) ++histogram[std::min<uint64_t>(n, max_size)];
  return histogram;
}

}  // namespace padan
