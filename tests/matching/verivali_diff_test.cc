#include "matching/verivali_diff.h"

#include <memory>

#include "gtest/gtest.h"

namespace padan {
namespace {

class VerivaliDiffTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { names_ = NameNormalizer::LoadEmbedded()->release(); }
  static void TearDownTestSuite() {
    delete names_;
    names_ = nullptr;
  }

  static Person Listed() {
    Person p;
    p.id_art = "320101000000001";
    p.nama = "H. Ahmad Fauzi, S.Pd.";
    p.nik = "3201011505800001";
    p.tanggal_lahir = *Date::Parse("1980-05-15");
    p.jenis_kelamin = Sex::kLakiLaki;
    p.hubungan = Hubungan::kKepalaKeluarga;
    p.status_kawin = StatusKawin::kKawin;
    return p;
  }

  std::vector<std::string_view> ChangedFields(const Person& found) const {
    std::vector<std::string_view> fields;
    for (const FieldChange& c : PersonDiffer(*names_).Diff(Listed(), found)) {
      fields.push_back(c.field);
    }
    return fields;
  }

  static NameNormalizer* names_;
};

NameNormalizer* VerivaliDiffTest::names_ = nullptr;

TEST_F(VerivaliDiffTest, WritingStyleIsNoChange) {
  Person found = Listed();
  found.nama = "AHMAD FAUZI";  // capitals, titles left off as on a PAPI form
  EXPECT_TRUE(ChangedFields(found).empty());
}

TEST_F(VerivaliDiffTest, EmptyFieldValuesAreNoChange) {
  Person found;
  found.nama = "Ahmad Fauzi";
  EXPECT_TRUE(ChangedFields(found).empty());
}

TEST_F(VerivaliDiffTest, NameTypoIsAChangeWithOldAndNewValue) {
  Person found = Listed();
  found.nama = "AHMAD FAUZY";
  std::vector<FieldChange> changes = PersonDiffer(*names_).Diff(Listed(), found);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].field, "nama");
  EXPECT_EQ(changes[0].old_value, "H. Ahmad Fauzi, S.Pd.");
  EXPECT_EQ(changes[0].new_value, "AHMAD FAUZY");
}

TEST_F(VerivaliDiffTest, SpellingVariantsTheMatcherFoldsAreStillChanges) {
  Person listed = Listed();
  listed.nama = "Muhammad Soekarno";
  Person found = listed;
  found.nama = "MUH. SUKARNO";
  std::vector<FieldChange> changes = PersonDiffer(*names_).Diff(listed, found);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].field, "nama");
}

TEST_F(VerivaliDiffTest, FilledNikDateSwapAndMaritalStatusAreChanges) {
  Person listed = Listed();
  listed.nik.clear();
  Person found = Listed();
  found.tanggal_lahir = *Date::Parse("1980-05-16");
  found.status_kawin = StatusKawin::kCeraiMati;
  EXPECT_EQ(PersonDiffer(*names_).Diff(listed, found).size(), 3u);
  std::vector<FieldChange> changes = PersonDiffer(*names_).Diff(listed, found);
  EXPECT_EQ(changes[0].field, "nik");
  EXPECT_EQ(changes[0].old_value, "");
  EXPECT_EQ(changes[1].field, "tanggal_lahir");
  EXPECT_EQ(changes[1].old_value, "1980-05-15");
  EXPECT_EQ(changes[1].new_value, "1980-05-16");
  EXPECT_EQ(changes[2].field, "status_kawin");
}

TEST_F(VerivaliDiffTest, HubunganCodesThatMergeTwoLabelsAreNoChange) {
  Person listed = Listed();
  listed.hubungan = Hubungan::kMertua;
  Person found = listed;
  found.hubungan = Hubungan::kOrangTua;  // DTKS code 6
  EXPECT_TRUE(PersonDiffer(*names_).Diff(listed, found).empty());
  found.hubungan = Hubungan::kKepalaKeluarga;
  ASSERT_EQ(PersonDiffer(*names_).Diff(listed, found).size(), 1u);
  EXPECT_TRUE(SameHubungan(Hubungan::kFamiliLain, Hubungan::kLainnya));
}

TEST_F(VerivaliDiffTest, ComparableNameDropsTitlesAndCase) {
  PersonDiffer differ(*names_);
  EXPECT_EQ(differ.ComparableName("Drs. H. Moch. Ali, M.Si."), "moch ali");
  EXPECT_EQ(differ.ComparableName("SITI  AMINAH"), "siti aminah");
  EXPECT_EQ(differ.ComparableName("Ma'ruf Amin"), "maruf amin");
}

}  // namespace
}  // namespace padan
