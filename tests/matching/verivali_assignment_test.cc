#include "matching/verivali_assignment.h"

#include <vector>

#include "gtest/gtest.h"

namespace padan {
namespace {

// Desa codes: A and B in one kecamatan, C in another kecamatan of the same kab/kota, D in
// another kab/kota.
constexpr KodeWilayah kDesaA = 3201011001;
constexpr KodeWilayah kDesaB = 3201011002;
constexpr KodeWilayah kDesaC = 3201022001;
constexpr KodeWilayah kDesaD = 3273011001;

TEST(VerivaliAssignmentTest, RegionStageByDeepestSharedLevel) {
  EXPECT_EQ(RegionStage(kDesaA, kDesaA), AssignmentStage::kDesa);
  EXPECT_EQ(RegionStage(kDesaA, kDesaB), AssignmentStage::kKecamatan);
  EXPECT_EQ(RegionStage(kDesaA, kDesaC), AssignmentStage::kKabKota);
  EXPECT_EQ(RegionStage(kDesaA, kDesaD), AssignmentStage::kNone);
  EXPECT_EQ(RegionStage(0, kDesaA), AssignmentStage::kNone);
}

// Each person its own household unless said otherwise.
struct Fixture {
  std::vector<KodeWilayah> prelist_desa;
  std::vector<KodeWilayah> field_desa;
  std::vector<uint32_t> prelist_household;
  std::vector<uint32_t> field_household;
  std::vector<ScoredCandidate> pairs;

  Assignment Run() const {
    AssignmentInput in;
    in.pairs = pairs;
    in.prelist_desa = prelist_desa;
    in.field_desa = field_desa;
    in.prelist_household = prelist_household;
    in.field_household = field_household;
    in.prelist_households = 0;
    for (uint32_t h : prelist_household) in.prelist_households = std::max<size_t>(in.prelist_households, h + 1);
    for (uint32_t h : field_household) in.field_households = std::max<size_t>(in.field_households, h + 1);
    return AssignOneToOne(in);
  }
};

TEST(VerivaliAssignmentTest, OneToOneGreedyByWeight) {
  Fixture f;
  f.prelist_desa = {kDesaA, kDesaA};
  f.prelist_household = {0, 1};
  f.field_desa = {kDesaA, kDesaA};
  f.field_household = {0, 1};
  // Both listed persons like field record 0; person 1 likes it more, person 0 also fits 1.
  f.pairs = {{0, 0, 20}, {1, 0, 30}, {0, 1, 25}};
  Assignment a = f.Run();
  EXPECT_EQ(a.field_of_prelist[0], 1);
  EXPECT_EQ(a.field_of_prelist[1], 0);
  EXPECT_EQ(a.prelist_of_field[0], 1);
  EXPECT_EQ(a.prelist_of_field[1], 0);
  EXPECT_FLOAT_EQ(a.weight_of_prelist[0], 25);
}

TEST(VerivaliAssignmentTest, SameDesaBeforeMoversEvenAtLowerWeight) {
  Fixture f;
  f.prelist_desa = {kDesaA, kDesaC};
  f.prelist_household = {0, 1};
  f.field_desa = {kDesaA};
  f.field_household = {0};
  // The listed person of desa C scores higher, but the one of desa A is looked for first.
  f.pairs = {{0, 0, 20}, {1, 0, 40}};
  Assignment a = f.Run();
  EXPECT_EQ(a.field_of_prelist[0], 0);
  EXPECT_EQ(a.field_of_prelist[1], -1);
  EXPECT_EQ(a.stage_of_prelist[0], AssignmentStage::kHousehold);
}

TEST(VerivaliAssignmentTest, MovedHouseholdIsFoundAcrossTheKecamatan) {
  Fixture f;
  f.prelist_desa = {kDesaA, kDesaA};
  f.prelist_household = {0, 0};
  f.field_desa = {kDesaB, kDesaB};
  f.field_household = {0, 0};
  f.pairs = {{0, 0, 30}, {1, 1, 28}};
  Assignment a = f.Run();
  EXPECT_EQ(a.field_household_of_prelist_household[0], 0);
  EXPECT_EQ(a.field_of_prelist[0], 0);
  EXPECT_EQ(a.field_of_prelist[1], 1);
}

TEST(VerivaliAssignmentTest, NeverBeyondTheKabKota) {
  Fixture f;
  f.prelist_desa = {kDesaA};
  f.prelist_household = {0};
  f.field_desa = {kDesaD};
  f.field_household = {0};
  f.pairs = {{0, 0, 50}};
  Assignment a = f.Run();
  EXPECT_EQ(a.field_of_prelist[0], -1);
  EXPECT_EQ(a.prelist_of_field[0], -1);
  EXPECT_EQ(a.stage_of_prelist[0], AssignmentStage::kNone);
}

// A household registered twice: the copy (household 1, one member left out) scores as high
// on the member it shares, but the original household holds more of the family.
TEST(VerivaliAssignmentTest, HouseholdWithMoreMembersFoundWinsTheTie) {
  Fixture f;
  f.prelist_desa = {kDesaA, kDesaA, kDesaA};
  f.prelist_household = {0, 0, 1};  // persons 0 and 1 the original, 2 repeats person 0
  f.field_desa = {kDesaA, kDesaA};
  f.field_household = {0, 0};
  f.pairs = {{0, 0, 30}, {1, 1, 30}, {2, 0, 30}};
  Assignment a = f.Run();
  EXPECT_EQ(a.field_household_of_prelist_household[0], 0);
  EXPECT_EQ(a.field_household_of_prelist_household[1], -1);
  EXPECT_EQ(a.field_of_prelist[0], 0);
  EXPECT_EQ(a.field_of_prelist[2], -1);
}

}  // namespace
}  // namespace padan
