#include "matching/cluster_evaluation.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace padan {
namespace {

using ::testing::ElementsAre;

TEST(ClusterEvaluationTest, PerfectClusteringScoresOne) {
  std::vector<uint32_t> predicted = {7, 7, 3, 9, 9, 9};
  std::vector<uint32_t> truth = {0, 0, 1, 2, 2, 2};
  PairwiseEvaluation e = EvaluateClusters(predicted, truth);
  EXPECT_EQ(e.records, 6u);
  EXPECT_EQ(e.true_pairs, 4u);
  EXPECT_EQ(e.true_positives, 4u);
  EXPECT_DOUBLE_EQ(e.f1(), 1.0);
}

TEST(ClusterEvaluationTest, OverMergingCostsPrecisionAndSplittingCostsRecall) {
  // Truth {0,1} {2,3}; predicted all four together: 6 pairs, 2 right.
  PairwiseEvaluation merged = EvaluateClusters(std::vector<uint32_t>{1, 1, 1, 1}, std::vector<uint32_t>{0, 0, 1, 1});
  EXPECT_EQ(merged.predicted_pairs, 6u);
  EXPECT_EQ(merged.true_positives, 2u);
  EXPECT_EQ(merged.false_positives(), 4u);
  EXPECT_DOUBLE_EQ(merged.precision(), 2.0 / 6);
  EXPECT_DOUBLE_EQ(merged.recall(), 1.0);
  // Truth {0,1,2}; predicted {0,1} {2}: 1 of 3 true pairs.
  PairwiseEvaluation split = EvaluateClusters(std::vector<uint32_t>{4, 4, 5}, std::vector<uint32_t>{0, 0, 0});
  EXPECT_EQ(split.false_negatives(), 2u);
  EXPECT_DOUBLE_EQ(split.precision(), 1.0);
  EXPECT_DOUBLE_EQ(split.recall(), 1.0 / 3);
  EXPECT_DOUBLE_EQ(split.f1(), 0.5);
}

TEST(ClusterEvaluationTest, RecordsWithoutTruthAreLeftOut) {
  PairwiseEvaluation e = EvaluateClusters(std::vector<uint32_t>{1, 1, 1},
                                        std::vector<uint32_t>{0, 0, kUnknownTruth});
  EXPECT_EQ(e.records, 2u);
  EXPECT_EQ(e.predicted_pairs, 1u);
  EXPECT_EQ(e.true_positives, 1u);
}

TEST(ClusterEvaluationTest, HistogramCountsClustersBySizeWithAnOpenLastBucket) {
  std::vector<uint32_t> labels = {0, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3, kUnknownTruth};
  EXPECT_THAT(ClusterSizeHistogram(labels, 4), ElementsAre(0, 1, 1, 1, 1));
}

}  // namespace
}  // namespace padan
