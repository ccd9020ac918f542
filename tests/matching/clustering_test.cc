#include "matching/clustering.h"

#include <algorithm>
#include <random>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "matching/fellegi_sunter_model.h"

namespace padan {
namespace {

using ::testing::ElementsAre;

constexpr double kMatch = 5;
constexpr double kPossible = -5;

ClusteringOptions Options() {
  ClusteringOptions options;
  options.match_threshold = kMatch;
  options.possible_threshold = kPossible;
  return options;
}

// A record with a NIK consistent with its own birth date and sex.
RecordFacts Anchored(uint64_t nik) {
  RecordFacts facts;
  facts.nik = nik;
  facts.nik_consistent = true;
  facts.completeness = 5;
  return facts;
}

// Whether records a and b ended in one cluster.
bool Together(const Clustering& clustering, uint32_t a, uint32_t b) {
  return clustering.cluster_of[a] == clustering.cluster_of[b];
}

TEST(ClusteringTest, JoinsOnlyLinksAtOrAboveTheMatchThreshold) {
  std::vector<RecordFacts> facts(5);
  std::vector<ScoredLink> links = {{0, 1, 10}, {2, 3, 2}, {3, 4, kMatch}};
  Clustering clustering = ClusterRecords(5, links, facts, Options());
  EXPECT_TRUE(Together(clustering, 0, 1));
  EXPECT_FALSE(Together(clustering, 2, 3));
  EXPECT_TRUE(Together(clustering, 3, 4));
  EXPECT_EQ(clustering.size.size(), 3u);
  // Clusters are numbered in the order of their first record.
  EXPECT_THAT(clustering.cluster_of, ElementsAre(0, 0, 1, 2, 2));
  EXPECT_EQ(clustering.joins, 2u);
  EXPECT_EQ(clustering.refused_joins, 0u);
}

TEST(ClusteringTest, JoinsTransitivelyAndTheWeakestLinkSetsTheConfidence) {
  std::vector<RecordFacts> facts(3);
  std::vector<ScoredLink> links = {{0, 1, 12}, {1, 2, 7}};
  Clustering clustering = ClusterRecords(3, links, facts, Options());
  ASSERT_EQ(clustering.size.size(), 1u);
  EXPECT_EQ(clustering.size[0], 3u);
  EXPECT_DOUBLE_EQ(clustering.confidence[0], FellegiSunterModel::ProbabilityFromWeight(7));
}

TEST(ClusteringTest, TwoTrustworthyNiksAreKeptApart) {
  // 1 links to both; its link to 0 is the stronger, so 2 (another person's NIK) stays out.
  std::vector<RecordFacts> facts = {Anchored(3201010101900001), RecordFacts(),
                                    Anchored(3201010101900234)};
  std::vector<ScoredLink> links = {{1, 2, 8}, {0, 1, 12}};
  Clustering clustering = ClusterRecords(3, links, facts, Options());
  EXPECT_TRUE(Together(clustering, 0, 1));
  EXPECT_FALSE(Together(clustering, 1, 2));
  EXPECT_EQ(clustering.refused_joins, 1u);
  EXPECT_EQ(clustering.components_split, 1u);
}

TEST(ClusteringTest, NiksOneTypoApartMayJoin) {
  // One digit mistyped, or two neighbours swapped: still valid, but likely the same NIK.
  for (uint64_t typo : {uint64_t{3201010101900007}, uint64_t{3201010101909001}}) {
    std::vector<RecordFacts> facts = {Anchored(3201010101900901), Anchored(typo)};
    if (typo == 3201010101900007) facts[0] = Anchored(3201010101900001);
    std::vector<ScoredLink> links = {{0, 1, 12}};
    Clustering clustering = ClusterRecords(2, links, facts, Options());
    EXPECT_TRUE(Together(clustering, 0, 1)) << typo;
  }
  // But a set holding both may not take a third NIK that is a typo from one only.
  std::vector<RecordFacts> facts = {Anchored(3201010101900001), Anchored(3201010101900007),
                                    Anchored(3201010101900087)};
  std::vector<ScoredLink> links = {{0, 1, 12}, {1, 2, 10}};
  Clustering clustering = ClusterRecords(3, links, facts, Options());
  EXPECT_TRUE(Together(clustering, 0, 1));
  EXPECT_FALSE(Together(clustering, 1, 2));
}

TEST(ClusteringTest, AnInconsistentOrRepeatedNikDoesNotSplit) {
  // A NIK that disagrees with its own birth date or sex may be mistyped: no reason to split.
  RecordFacts mistyped = Anchored(3201010101900234);
  mistyped.nik_consistent = false;
  std::vector<RecordFacts> facts = {Anchored(3201010101900001), RecordFacts(), mistyped,
                                    Anchored(3201010101900001)};
  std::vector<ScoredLink> links = {{0, 1, 12}, {1, 2, 8}, {2, 3, 9}};
  Clustering clustering = ClusterRecords(4, links, facts, Options());
  EXPECT_EQ(clustering.size.size(), 1u);
  EXPECT_EQ(clustering.refused_joins, 0u);
  EXPECT_EQ(clustering.components_split, 0u);
}

TEST(ClusteringTest, AChainWhoseEndsScoreBelowPossibleIsCutAtItsWeakestLink) {
  std::vector<RecordFacts> facts(3);
  std::vector<ScoredLink> links = {{0, 1, 10}, {1, 2, 7}, {0, 2, -10}};
  Clustering clustering = ClusterRecords(3, links, facts, Options());
  EXPECT_TRUE(Together(clustering, 0, 1));
  EXPECT_FALSE(Together(clustering, 1, 2));
  EXPECT_EQ(clustering.components_split, 1u);
  // A pair merely not sure enough to join (between the thresholds) does not cut.
  links[2].weight = kPossible;
  clustering = ClusterRecords(3, links, facts, Options());
  EXPECT_EQ(clustering.size.size(), 1u);
}

TEST(ClusteringTest, KeptApartHoldsAcrossJoinedSets) {
  // {0,1} and {2,3} each join; 1 and 2 may not share a cluster, so the bridge 0-3 is refused
  // although 0 and 3 themselves were never scored apart.
  std::vector<RecordFacts> facts(4);
  std::vector<ScoredLink> links = {{0, 1, 20}, {2, 3, 20}, {1, 2, -9}, {0, 3, 6}};
  Clustering clustering = ClusterRecords(4, links, facts, Options());
  EXPECT_TRUE(Together(clustering, 0, 1));
  EXPECT_TRUE(Together(clustering, 2, 3));
  EXPECT_FALSE(Together(clustering, 0, 3));
  EXPECT_EQ(clustering.refused_joins, 1u);
}

TEST(ClusteringTest, RepresentativeIsTrustworthyNikThenMostCompleteThenEarliest) {
  RecordFacts sparse;
  sparse.completeness = 2;
  RecordFacts full;
  full.completeness = 7;
  RecordFacts untrusted = full;
  untrusted.nik = 3201010101900001;
  untrusted.completeness = 8;
  RecordFacts trusted = Anchored(3201010101900001);
  trusted.completeness = 3;
  std::vector<ScoredLink> links = {{0, 1, 10}, {1, 2, 10}, {2, 3, 10}};

  std::vector<RecordFacts> facts = {sparse, full, untrusted, trusted};
  EXPECT_EQ(ClusterRecords(4, links, facts, Options()).representative[0], 3u);
  facts = {sparse, full, untrusted, sparse};
  EXPECT_EQ(ClusterRecords(4, links, facts, Options()).representative[0], 2u);
  facts = {sparse, full, full, sparse};
  EXPECT_EQ(ClusterRecords(4, links, facts, Options()).representative[0], 1u);
}

TEST(ClusteringTest, StrongestLinkAndTheConfidenceOfARecordAlone) {
  std::vector<RecordFacts> facts(4);
  std::vector<ScoredLink> links = {{0, 1, 6}, {1, 2, 9}, {2, 3, 0}};
  Clustering clustering = ClusterRecords(4, links, facts, Options());
  EXPECT_EQ(clustering.strongest_link[0], 0u);
  EXPECT_EQ(clustering.strongest_link[1], 1u);
  EXPECT_EQ(clustering.strongest_link[2], 1u);
  EXPECT_EQ(clustering.strongest_link[3], 2u);  // alone: its strongest link of all
  const uint32_t alone = clustering.cluster_of[3];
  EXPECT_DOUBLE_EQ(clustering.confidence[alone], 1 - FellegiSunterModel::ProbabilityFromWeight(0));
  clustering = ClusterRecords(5, links, std::vector<RecordFacts>(5), Options());
  EXPECT_EQ(clustering.strongest_link[4], kNoLink);
  EXPECT_DOUBLE_EQ(clustering.confidence[clustering.cluster_of[4]], 1.0);
}

TEST(ClusteringTest, ResultDoesNotDependOnTheOrderOfTheLinks) {
  std::vector<RecordFacts> facts(8);
  facts[0] = Anchored(3201010101900001);
  facts[5] = Anchored(3201010101900234);
  std::vector<ScoredLink> links = {{0, 1, 9},  {1, 2, 9}, {2, 3, 7},  {3, 4, 9},
                                   {4, 5, 11}, {5, 6, 6}, {6, 7, -8}, {1, 7, 8}};
  const Clustering expected = ClusterRecords(8, links, facts, Options());
  std::mt19937 rng(1);
  for (int round = 0; round < 20; ++round) {
    std::shuffle(links.begin(), links.end(), rng);
    for (ScoredLink& link : links) {
      if (rng() % 2 == 0) std::swap(link.a, link.b);
    }
    const Clustering clustering = ClusterRecords(8, links, facts, Options());
    EXPECT_EQ(clustering.cluster_of, expected.cluster_of);
    EXPECT_EQ(clustering.representative, expected.representative);
  }
  // The two NIKs ended apart, and 7 (scored apart from 6) is not with 6.
  EXPECT_FALSE(Together(expected, 0, 5));
  EXPECT_FALSE(Together(expected, 6, 7));
}

}  // namespace
}  // namespace padan
