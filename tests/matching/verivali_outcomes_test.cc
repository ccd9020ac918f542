#include "matching/verivali_outcomes.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "data/absl_strings.h"

namespace padan {
namespace {

constexpr KodeWilayah kDesaA = 3201011001;
constexpr KodeWilayah kDesaB = 3201011002;

// Records of one side built person by person.
struct Side {
  VerivaliRecords records;
  std::vector<KodeWilayah> desa;

  // Adds a person to household `household` (created when new) in `kode`.
  uint32_t Add(std::string id, std::string nama, uint32_t household, KodeWilayah kode,
               StatusArt status = StatusArt::kTinggal) {
    while (records.households.size() <= household) {
      Household h;
      h.id_keluarga = StrCat("K", records.households.size());
      h.kode_wilayah = kode;
      records.households.push_back(h);
    }
    Person p;
    p.id_art = std::move(id);
    p.nama = std::move(nama);
    p.tanggal_lahir = *Date::Parse("1970-01-02");
    p.jenis_kelamin = Sex::kPerempuan;
    records.persons.push_back(p);
    records.household_of.push_back(household);
    records.status_art.push_back(status);
    desa.push_back(kode);
    return static_cast<uint32_t>(records.persons.size() - 1);
  }
};

class VerivaliOutcomesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { names_ = NameNormalizer::LoadEmbedded()->release(); }
  static void TearDownTestSuite() {
    delete names_;
    names_ = nullptr;
  }

  // Assigns pre-list i to field assigned[i] (-1: none), households as given.
  VerivaliVerdicts Decide(const std::vector<int32_t>& assigned,
                          const std::vector<int32_t>& household_link,
                          const std::vector<DuplicateCandidate>& duplicates = {}) {
    Assignment a;
    a.field_of_prelist = assigned;
    a.prelist_of_field.assign(field_.records.persons.size(), -1);
    a.weight_of_prelist.assign(assigned.size(), 20);
    a.stage_of_prelist.assign(assigned.size(), AssignmentStage::kDesa);
    for (size_t p = 0; p < assigned.size(); ++p) {
      if (assigned[p] >= 0) a.prelist_of_field[assigned[p]] = static_cast<int32_t>(p);
    }
    a.field_household_of_prelist_household = household_link;
    PersonDiffer differ(*names_);
    return DecideVerdicts(prelist_.records, field_.records, prelist_.desa, field_.desa, a,
                          duplicates, differ, 1);
  }

  static NameNormalizer* names_;
  Side prelist_;
  Side field_;
};

NameNormalizer* VerivaliOutcomesTest::names_ = nullptr;

TEST_F(VerivaliOutcomesTest, PersonRules) {
  prelist_.Add("P1", "Siti Aminah", 0, kDesaA);
  prelist_.Add("P2", "Budi Santoso", 0, kDesaA);
  prelist_.Add("P3", "Wati", 0, kDesaA);
  prelist_.Add("P4", "Joko", 0, kDesaA);
  prelist_.Add("P5", "Rina", 0, kDesaA);
  field_.Add("F1", "SITI AMINAH", 0, kDesaA);
  field_.Add("F2", "BUDI SANTOSA", 0, kDesaA);
  field_.Add("F3", "WATI", 0, kDesaA, StatusArt::kMeninggal);
  field_.Add("F4", "JOKO", 0, kDesaA, StatusArt::kPindah);
  field_.Add("F5", "BAYI", 0, kDesaA);
  VerivaliVerdicts v = Decide({0, 1, 2, 3, -1}, {0});
  EXPECT_EQ(v.persons[0].outcome, VerivaliOutcome::kDitemukan);
  EXPECT_EQ(v.persons[1].outcome, VerivaliOutcome::kDitemukanBerubah);
  ASSERT_EQ(v.persons[1].changes.size(), 1u);
  EXPECT_EQ(v.persons[1].changes[0].new_value, "BUDI SANTOSA");
  EXPECT_EQ(v.persons[2].outcome, VerivaliOutcome::kMeninggal);
  EXPECT_EQ(v.persons[3].outcome, VerivaliOutcome::kPindah);
  EXPECT_EQ(v.persons[4].outcome, VerivaliOutcome::kTidakDitemukan);
  EXPECT_EQ(v.persons[4].field, -1);
  EXPECT_EQ(v.field_baru, (std::vector<bool>{false, false, false, false, true}));
  EXPECT_EQ(v.households[0].outcome, VerivaliOutcome::kDitemukanBerubah);
  EXPECT_EQ(v.households[0].new_members, 1u);
  EXPECT_FALSE(v.field_household_baru[0]);
}

TEST_F(VerivaliOutcomesTest, FoundInAnotherDesaIsPindahForPersonAndHousehold) {
  prelist_.Add("P1", "Siti Aminah", 0, kDesaA);
  prelist_.Add("P2", "Budi", 0, kDesaA);
  field_.Add("F1", "SITI AMINAH", 0, kDesaB);
  field_.Add("F2", "BUDI", 0, kDesaB);
  VerivaliVerdicts v = Decide({0, 1}, {0});
  EXPECT_EQ(v.persons[0].outcome, VerivaliOutcome::kPindah);
  EXPECT_EQ(v.persons[1].outcome, VerivaliOutcome::kPindah);
  EXPECT_EQ(v.households[0].outcome, VerivaliOutcome::kPindah);
}

TEST_F(VerivaliOutcomesTest, GandaPointsAtTheFoundRecordElseAtTheEarliest) {
  prelist_.Add("1001", "Siti Aminah", 0, kDesaA);
  prelist_.Add("1002", "Siti Aminah", 1, kDesaA);  // listed again, found under 1001
  prelist_.Add("1003", "Ani", 2, kDesaA);
  prelist_.Add("1004", "Ani", 3, kDesaA);  // neither found: 1004 repeats 1003
  field_.Add("F1", "SITI AMINAH", 0, kDesaA);
  VerivaliVerdicts v = Decide({0, -1, -1, -1}, {0, -1, -1, -1},
                              {{0, 1, 30}, {2, 3, 30}});
  EXPECT_EQ(v.persons[0].outcome, VerivaliOutcome::kDitemukan);
  EXPECT_EQ(v.persons[1].outcome, VerivaliOutcome::kGanda);
  EXPECT_EQ(v.persons[1].ganda_of, 0);
  EXPECT_EQ(v.persons[2].outcome, VerivaliOutcome::kTidakDitemukan);
  EXPECT_EQ(v.persons[3].outcome, VerivaliOutcome::kGanda);
  EXPECT_EQ(v.persons[3].ganda_of, 2);
  EXPECT_EQ(v.households[1].outcome, VerivaliOutcome::kGanda);
  EXPECT_EQ(v.households[2].outcome, VerivaliOutcome::kTidakDitemukan);
}

TEST_F(VerivaliOutcomesTest, HouseholdFoundAsListedAndNewHousehold) {
  prelist_.Add("P1", "Siti Aminah", 0, kDesaA);
  field_.Add("F1", "SITI AMINAH", 0, kDesaA);
  field_.Add("F2", "KELUARGA BARU", 1, kDesaA);
  VerivaliVerdicts v = Decide({0}, {0});
  EXPECT_EQ(v.households[0].outcome, VerivaliOutcome::kDitemukan);
  EXPECT_EQ(v.field_household_baru, (std::vector<bool>{false, true}));
}

TEST(VerivaliOutcomesIdTest, EarlierIdIsShorterThenSmaller) {
  EXPECT_TRUE(EarlierId("99", "100"));
  EXPECT_TRUE(EarlierId("100", "101"));
  EXPECT_FALSE(EarlierId("101", "101"));
}

}  // namespace
}  // namespace padan
