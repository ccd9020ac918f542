#include "matching/evaluation.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace padan {
namespace {

using ::testing::HasSubstr;

MatchRecord Record(uint64_t nik) {
  MatchRecord record;
  record.nik = nik;
  return record;
}

// A model that scores on the NIK alone: exact agreement +10, anything else -10.
FellegiSunterModel NikModel() {
  auto spec = ComparisonSpec::FromJson(R"({"fields":[{"field":"nik","levels":[{"test":"exact"}]}]})");
  FellegiSunterModel model(*spec);
  model.set_lambda(0.5);
  model.set_m(0, 0, 0.999);
  model.set_u(0, 0, 0.999 / 1024);
  model.set_m(0, 1, 1.0 / 1024);
  model.set_u(0, 1, 1.0);
  model.set_thresholds(0, -5);
  return model;
}

TEST(EvaluationTest, CountsPairsAndFindsTheBestThreshold) {
  // Clusters: {0, 1} share a NIK; {2, 3} do not; 4 is alone; 5 has no truth.
  std::vector<MatchRecord> records = {Record(1), Record(1), Record(2), Record(3), Record(4),
                                      Record(1)};
  std::vector<TruthLabel> truth = {{"a", {}}, {"a", {"typo_insert"}}, {"b", {}},
                                   {"b", {"nik_one_digit"}}, {"c", {}}, {"", {}}};
  std::vector<std::pair<uint32_t, uint32_t>> pairs = {{0, 1}, {0, 4}, {2, 3}, {0, 5}};
  FellegiSunterModel model = NikModel();
  EvaluationReport report = Evaluate(records, truth, pairs, model, nullptr);
  EXPECT_EQ(report.records, 6u);
  EXPECT_EQ(report.true_pairs, 2u);
  EXPECT_EQ(report.true_pairs_in_candidates, 2u);
  EXPECT_DOUBLE_EQ(report.blocking_recall(), 1.0);
  // At the model threshold only {0, 1} is found: precision 1, recall 1/2.
  EXPECT_EQ(report.at_model_threshold.true_positives, 1u);
  EXPECT_EQ(report.at_model_threshold.false_positives, 0u);
  EXPECT_DOUBLE_EQ(report.at_model_threshold.recall, 0.5);
  // The best F1 (0.8) takes every candidate: both true pairs and the one false pair.
  EXPECT_NEAR(report.best.f1, 0.8, 1e-9);
  EXPECT_LE(report.best.threshold, -10);
  // Recall per corruption type, at the best threshold.
  ASSERT_EQ(report.by_corruption.size(), 2u);
  EXPECT_EQ(report.by_corruption[0].corruption, "nik_one_digit");
  EXPECT_EQ(report.by_corruption[0].true_pairs, 1u);
  EXPECT_EQ(report.by_corruption[0].found, 1u);
  EXPECT_EQ(report.by_corruption[1].corruption, "typo_insert");
  EXPECT_EQ(report.by_corruption[1].found, 1u);
  EXPECT_FALSE(report.worst_false_pairs.empty());
  EXPECT_EQ(report.worst_true_pairs.front().i, 2u);
  EXPECT_GE(report.best.f1, report.at_model_threshold.f1);
}

TEST(EvaluationTest, MissedTruePairsCountAsFalseNegatives) {
  std::vector<MatchRecord> records = {Record(1), Record(1), Record(5)};
  std::vector<TruthLabel> truth = {{"a", {}}, {"a", {}}, {"a", {}}};
  // Only one of the cluster's three pairs is a candidate.
  std::vector<std::pair<uint32_t, uint32_t>> pairs = {{0, 1}};
  EvaluationReport report = Evaluate(records, truth, pairs, NikModel(), nullptr);
  EXPECT_EQ(report.true_pairs, 3u);
  EXPECT_EQ(report.true_pairs_in_candidates, 1u);
  EXPECT_EQ(report.best.true_positives, 1u);
  EXPECT_EQ(report.best.false_negatives, 2u);
}

TEST(EvaluationTest, RendersTextAndHtml) {
  std::vector<MatchRecord> records = {Record(1), Record(1)};
  std::vector<TruthLabel> truth = {{"a", {}}, {"a", {}}};
  EvaluationReport report = Evaluate(records, truth, {{0, 1}}, NikModel(), nullptr);
  EXPECT_THAT(report.ToText(), HasSubstr("best threshold"));
  EXPECT_THAT(report.ToText(), HasSubstr("recall by corruption type"));
  std::string html = report.ToHtml();
  EXPECT_THAT(html, HasSubstr("<svg"));
  EXPECT_THAT(html, HasSubstr("padan-fellegi-sunter"));
}

}  // namespace
}  // namespace padan
