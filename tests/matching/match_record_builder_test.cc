#include "matching/match_record_builder.h"

#include "gtest/gtest.h"

namespace padan {
namespace {

class MatchRecordBuilderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    names_ = NameNormalizer::LoadEmbedded()->release();
    addresses_ = AddressNormalizer::LoadEmbedded()->release();
  }
  static const NameNormalizer* names_;
  static const AddressNormalizer* addresses_;
};
const NameNormalizer* MatchRecordBuilderTest::names_ = nullptr;
const AddressNormalizer* MatchRecordBuilderTest::addresses_ = nullptr;

TEST_F(MatchRecordBuilderTest, NormalisesEveryField) {
  Person person;
  person.nama = "Hj. SITI AMINAH, S.Pd.";
  person.nama_ibu_kandung = "Sri Wahyuni";
  person.tempat_lahir = "KAB. BOGOR";
  person.tanggal_lahir = Date::FromYmd(1980, 5, 17);
  person.jenis_kelamin = Sex::kPerempuan;
  person.nik_value = 3201015705800001;
  Household household;
  household.no_kk_value = 3201011203150007;
  household.kode_wilayah = 3201011001;
  household.alamat = "Jl. Mawar No. 5 RT 01/RW 02";
  MatchRecordBuilder builder(*names_, *addresses_);
  MatchRecord record = builder.Build(person, household);
  EXPECT_EQ(record.nama.canonical, "siti aminah");
  ASSERT_EQ(record.nama.token_count(), 2u);
  EXPECT_EQ(record.nama.token(1), "aminah");
  EXPECT_FALSE(record.nama.phonetic_sorted.empty());
  EXPECT_EQ(record.nama_ibu_kandung.canonical, "sri wahyuni");
  EXPECT_EQ(record.tempat_lahir, "bogor");
  EXPECT_EQ(record.tanggal_lahir, person.tanggal_lahir);
  EXPECT_EQ(record.nik, 3201015705800001u);
  EXPECT_EQ(record.no_kk, 3201011203150007u);
  EXPECT_EQ(record.kode_wilayah, 3201011001u);
  EXPECT_EQ(record.alamat.find("rt"), std::string::npos);
  EXPECT_NE(record.alamat.find("mawar"), std::string::npos);
}

TEST_F(MatchRecordBuilderTest, SpellingVariantsShareTheirPhoneticKeys) {
  MatchRecordBuilder builder(*names_, *addresses_);
  MatchName a;
  MatchName b;
  builder.BuildName("Moch. Soekarno", &a);
  builder.BuildName("Muhammad Sukarno", &b);
  EXPECT_EQ(a.canonical, b.canonical);
  builder.BuildName("Achmad Djunaedi", &a);
  builder.BuildName("Djunaedi Ahmad", &b);
  EXPECT_EQ(a.phonetic_sorted, b.phonetic_sorted);
}

TEST_F(MatchRecordBuilderTest, EmptyNameIsEmpty) {
  MatchRecordBuilder builder(*names_, *addresses_);
  MatchName name;
  builder.BuildName("  ", &name);
  EXPECT_TRUE(name.empty());
  EXPECT_EQ(name.token_count(), 0u);
}

TEST(NormalizeBirthplaceTest, DropsRegionWords) {
  EXPECT_EQ(NormalizeBirthplace("KAB. BOGOR"), "bogor");
  EXPECT_EQ(NormalizeBirthplace("Kota Bandung"), "bandung");
  EXPECT_EQ(NormalizeBirthplace("  Tanjung-Pinang "), "tanjung pinang");
  EXPECT_EQ(NormalizeBirthplace(""), "");
}

}  // namespace
}  // namespace padan
