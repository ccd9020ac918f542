// The generator's reference tables and its name, household and region draws.
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "data/generator/household_generator.h"
#include "data/generator/name_custom_table.h"
#include "data/generator/name_generator.h"
#include "data/generator/old_spelling.h"
#include "data/generator/region_sampler.h"
#include "data/generator/title_table.h"
#include "data/name_frequency_table.h"
#include "data/population_table.h"
#include "data/region_table.h"
#include "tests/test_util.h"

namespace padan::gen {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::StatusIs;

// The embedded tables, loaded once for the suite.
class GeneratorTablesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    regions_ = RegionTable::LoadEmbedded()->release();
    population_ = PopulationTable::LoadEmbedded()->release();
    frequencies_ = NameFrequencyTable::LoadEmbedded()->release();
    customs_ = NameCustomTable::LoadEmbedded()->release();
    titles_ = TitleTable::LoadEmbedded()->release();
    sampler_ = RegionSampler::Create(*regions_, *population_, *customs_)->release();
    names_ = new NameGenerator(*customs_, *frequencies_);
    households_ = new HouseholdGenerator(*sampler_, *names_, *titles_);
  }
  static void TearDownTestSuite() {
    delete households_;
    delete names_;
    delete sampler_;
    delete titles_;
    delete customs_;
    delete frequencies_;
    delete population_;
    delete regions_;
  }

  static std::vector<std::string> Tokens(const std::string& name) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= name.size()) {
      size_t end = name.find(' ', start);
      if (end == std::string::npos) end = name.size();
      out.push_back(name.substr(start, end - start));
      start = end + 1;
    }
    return out;
  }

  // A desa of the kab/kota with this code.
  static uint32_t DesaIn(KodeWilayah kab_code) {
    for (uint32_t k = 0; k < sampler_->kab_kota().size(); ++k) {
      if (sampler_->kab_kota()[k].code == kab_code) return sampler_->kab_kota()[k].desa_begin;
    }
    ADD_FAILURE() << "no kab/kota " << kab_code;
    return 0;
  }

  static inline RegionTable* regions_ = nullptr;
  static inline PopulationTable* population_ = nullptr;
  static inline NameFrequencyTable* frequencies_ = nullptr;
  static inline NameCustomTable* customs_ = nullptr;
  static inline TitleTable* titles_ = nullptr;
  static inline RegionSampler* sampler_ = nullptr;
  static inline NameGenerator* names_ = nullptr;
  static inline HouseholdGenerator* households_ = nullptr;
};

TEST_F(GeneratorTablesTest, EveryKabKotaHasANamingCustomMix) {
  for (const Region* kab : regions_->AtLevel(RegionLevel::kKabKota)) {
    EXPECT_NE(customs_->MixFor(kab->code), nullptr) << kab->nama;
  }
}

TEST_F(GeneratorTablesTest, OldFormsAreInTheOldSpelling) {
  for (int c = 0; c < kNameCustomCount; ++c) {
    for (Sex sex : {Sex::kLakiLaki, Sex::kPerempuan}) {
      for (std::string_view token :
           customs_->Pool(static_cast<NameCustom>(c), NameRole::kOldForm, sex).tokens()) {
        EXPECT_NE(ToModernSpelling(token), token) << token;
        EXPECT_TRUE(customs_->IsOldForm(token));
      }
    }
  }
}

TEST_F(GeneratorTablesTest, RejectsMalformedCustomRows) {
  EXPECT_THAT(NameCustomTable::FromCsv("custom,role,gender,token,weight\njawa,given,X,budi,1\n",
                                       "kode_wilayah,nama,custom,weight\n"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(NameCustomTable::FromCsv("custom,role,gender,token,weight\nklingon,given,L,x,1\n",
                                       "kode_wilayah,nama,custom,weight\n"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(NameCustomTable::FromCsv("custom,role,gender,token,weight\n",
                                       "kode_wilayah,nama,custom,weight\n320,X,jawa,1\n"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      TitleTable::FromCsv("title,position,gender,min_age,religion,weight\nH.,middle,L,40,,1\n"),
      StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(NameCustomTable::FromCsv("custom,role,gender,token,weight\njawa,given,L,budi,2\n",
                                       "kode_wilayah,nama,custom,weight\n32,Jawa Barat,sunda,1\n"),
              IsOk());
}

TEST_F(GeneratorTablesTest, SkipsDesaWhoseNameRepeatsInTheKecamatan) {
  EXPECT_EQ(sampler_->skipped_ambiguous(), 32u);
  EXPECT_EQ(sampler_->desa().size() + 32, regions_->AtLevel(RegionLevel::kDesa).size());
  // Kabupaten Tapanuli Tengah, Sorkam Barat: two desa are named Sorkam Kanan.
  for (const Region* desa : regions_->Children(120110)) {
    if (desa->nama == "Sorkam Kanan") {
      EXPECT_FALSE(sampler_->FindDesa(desa->code).has_value());
    }
  }
}

TEST_F(GeneratorTablesTest, KabKotaAreDrawnByPopulation) {
  Rng rng(11);
  constexpr int kDraws = 200000;
  std::vector<int> counts(sampler_->kab_kota().size());
  for (int i = 0; i < kDraws; ++i) ++counts[sampler_->SampleKabKota(rng)];
  int64_t total = 0;
  for (const KabKotaInfo& k : sampler_->kab_kota()) total += k.population;
  for (size_t k = 0; k < counts.size(); ++k) {
    double expected = static_cast<double>(sampler_->kab_kota()[k].population) / total * kDraws;
    if (expected < 1000) continue;
    EXPECT_NEAR(counts[k], expected, 5 * std::sqrt(expected)) << sampler_->kab_kota()[k].nama;
  }
}

TEST_F(GeneratorTablesTest, BalineseNamesFollowBirthOrder) {
  const std::set<std::string> second = {"made", "kadek", "nengah"};
  const std::set<std::string> third = {"nyoman", "komang"};
  for (int seed = 0; seed < 100; ++seed) {
    Rng rng(seed);
    std::string made = names_->Generate({NameCustom::kBali, Sex::kLakiLaki, 1980, 2, ""}, rng);
    std::string nyoman = names_->Generate({NameCustom::kBali, Sex::kPerempuan, 1980, 7, ""}, rng);
    bool found_second = false, found_third = false;
    for (const std::string& t : Tokens(made)) found_second |= second.contains(t);
    for (const std::string& t : Tokens(nyoman)) found_third |= third.contains(t);
    EXPECT_TRUE(found_second) << made;
    EXPECT_TRUE(found_third) << nyoman;  // the 7th child takes the 3rd name again
  }
}

TEST_F(GeneratorTablesTest, NamesAreLowerCaseTokens) {
  for (int c = 1; c < kNameCustomCount; ++c) {
    for (int seed = 0; seed < 50; ++seed) {
      Rng rng(seed);
      std::string name = names_->Generate(
          {static_cast<NameCustom>(c), seed % 2 ? Sex::kPerempuan : Sex::kLakiLaki, 1940 + seed,
           1 + seed % 4, names_->DrawFamilyName(static_cast<NameCustom>(c), rng)},
          rng);
      ASSERT_FALSE(name.empty());
      EXPECT_NE(name.front(), ' ');
      EXPECT_NE(name.back(), ' ');
      EXPECT_EQ(name.find("  "), std::string::npos) << name;
      for (char ch : name) EXPECT_TRUE(ch == ' ' || (ch >= 'a' && ch <= 'z')) << name;
    }
  }
}

TEST_F(GeneratorTablesTest, BatakChildrenCarryTheFathersMarga) {
  const uint32_t desa = DesaIn(1217);  // Kabupaten Samosir: Batak families
  Rng rng(5);
  int checked = 0;
  for (int i = 0; i < 400 && checked < 30; ++i) {
    GenHousehold h = households_->Generate(desa, rng);
    if (h.custom != NameCustom::kBatak || h.members[0].sex != Sex::kLakiLaki) continue;
    const std::string marga = Tokens(h.members[0].nama).back();
    for (const GenPerson& p : h.members) {
      if (p.hubungan != Hubungan::kAnak) continue;
      EXPECT_EQ(Tokens(p.nama).back(), marga) << p.nama << " / " << h.members[0].nama;
      ++checked;
    }
  }
  EXPECT_GE(checked, 30);
}

TEST_F(GeneratorTablesTest, HouseholdsLookLikeDtksFamilies) {
  Rng rng(17);
  constexpr int kHouseholds = 3000;
  int64_t persons = 0;
  int female_heads = 0;
  const int32_t today = SnapshotDays();
  for (int i = 0; i < kHouseholds; ++i) {
    GenHousehold h = households_->Generate(sampler_->SampleDesa(rng), rng);
    ASSERT_GE(h.members.size(), 1u);
    ASSERT_LE(h.members.size(), static_cast<size_t>(HouseholdGenerator::kMaxMembers));
    persons += static_cast<int64_t>(h.members.size());
    EXPECT_EQ(h.members[0].hubungan, Hubungan::kKepalaKeluarga);
    const GenPerson& head = h.members[0];
    female_heads += head.sex == Sex::kPerempuan;
    const int head_age = AgeAt(head.birth_days, today);
    int heads = 0;
    for (const GenPerson& p : h.members) {
      heads += p.hubungan == Hubungan::kKepalaKeluarga;
      const int age = AgeAt(p.birth_days, today);
      EXPECT_GE(age, 0);
      EXPECT_LE(age, 100);
      if (p.hubungan == Hubungan::kIstriSuami) {
        EXPECT_NE(p.sex, head.sex);
      }
      if (p.hubungan == Hubungan::kAnak) {
        EXPECT_GE(head_age - age, 14) << p.nama;
      }
      if (p.hubungan == Hubungan::kOrangTua) {
        EXPECT_GE(age - head_age, 15) << p.nama;
      }
      if (p.hubungan == Hubungan::kCucu) {
        EXPECT_GE(head_age - age, 30) << p.nama;
      }
      if (p.hubungan == Hubungan::kAnak && h.members.size() > 1 &&
          h.members[1].hubungan == Hubungan::kIstriSuami && head.sex == Sex::kLakiLaki) {
        EXPECT_EQ(p.nama_ibu, h.members[1].nama);
      }
    }
    EXPECT_EQ(heads, 1);
  }
  const double mean = static_cast<double>(persons) / kHouseholds;
  EXPECT_GT(mean, 3.2);
  EXPECT_LT(mean, 3.8);
  EXPECT_GT(female_heads, kHouseholds / 10);
  EXPECT_LT(female_heads, kHouseholds / 4);
}

}  // namespace
}  // namespace padan::gen
