#include "matching/verivali_candidates.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "gtest/gtest.h"

#include "matching/address_normalizer.h"
#include "matching/match_record_builder.h"
#include "matching/name_normalizer.h"

namespace padan {
namespace {

class VerivaliCandidatesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    names_ = NameNormalizer::LoadEmbedded()->release();
    addresses_ = AddressNormalizer::LoadEmbedded()->release();
  }
  static void TearDownTestSuite() {
    delete names_;
    delete addresses_;
  }

  static MatchRecord Record(std::string_view nama, std::string_view dob, uint64_t nik,
                            KodeWilayah desa) {
    MatchRecordBuilder builder(*names_, *addresses_);
    MatchFields fields;
    fields.nama = nama;
    fields.tanggal_lahir = *Date::Parse(dob);
    fields.nik = nik;
    fields.kode_wilayah = desa;
    MatchRecord out;
    builder.Build(fields, &out);
    return out;
  }

  static bool Has(const std::vector<std::pair<uint32_t, uint32_t>>& pairs, uint32_t a,
                  uint32_t b) {
    return std::find(pairs.begin(), pairs.end(), std::pair(a, b)) != pairs.end();
  }

  static NameNormalizer* names_;
  static AddressNormalizer* addresses_;
};

NameNormalizer* VerivaliCandidatesTest::names_ = nullptr;
AddressNormalizer* VerivaliCandidatesTest::addresses_ = nullptr;

TEST_F(VerivaliCandidatesTest, PairsByNameNikAndTypoNikWithinTheKabKota) {
  std::vector<MatchRecord> prelist = {
      Record("Siti Aminah", "1980-01-02", 3201014201800001, 3201011001),
      Record("Budi Santoso", "1975-03-04", 3201010403750002, 3201011001),
      Record("Rahmat Hidayat", "1990-05-06", 0, 3201011001),
      Record("Siti Aminah", "1980-01-02", 3201014201800001, 3201011002),  // listed twice
  };
  std::vector<MatchRecord> field = {
      Record("SITI AMINA", "1980-01-02", 3201014201800001, 3201011001),  // NIK and name
      Record("BUDI SANTOSO", "1975-04-03", 3201010403750012, 3201022001),  // typo NIK, moved
      Record("RAHMAT HIDAYAT", "1990-05-06", 0, 3273011001),  // same name, another kab/kota
  };
  VerivaliCandidates c = FindVerivaliCandidates(prelist, field, VerivaliBlockingOptions());
  EXPECT_TRUE(Has(c.cross, 0, 0));
  EXPECT_TRUE(Has(c.cross, 3, 0));
  EXPECT_TRUE(Has(c.cross, 1, 1));
  EXPECT_FALSE(Has(c.cross, 2, 2));
  EXPECT_FALSE(Has(c.cross, 1, 0));
  EXPECT_TRUE(Has(c.prelist, 0, 3));
  EXPECT_TRUE(std::is_sorted(c.cross.begin(), c.cross.end()));
}

TEST_F(VerivaliCandidatesTest, CommonKeysAreCapped) {
  std::vector<MatchRecord> prelist;
  std::vector<MatchRecord> field;
  for (int i = 0; i < 10; ++i) {
    prelist.push_back(Record("Siti", "1980", 0, 3201011001));
    field.push_back(Record("SITI", "1980", 0, 3201011001));
  }
  VerivaliBlockingOptions options;
  options.max_block_side = 20;
  EXPECT_EQ(FindVerivaliCandidates(prelist, field, options).cross.size(), 100u);
  options.max_block_side = 5;
  EXPECT_TRUE(FindVerivaliCandidates(prelist, field, options).cross.empty());
}

}  // namespace
}  // namespace padan
