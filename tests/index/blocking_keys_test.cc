#include "index/blocking_keys.h"

#include <algorithm>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "matching/address_normalizer.h"
#include "matching/match_record_builder.h"
#include "matching/name_normalizer.h"

namespace padan {

// Kind names in failure messages.
void PrintTo(BlockingKeyKind kind, std::ostream* os) { *os << BlockingKeyKindName(kind); }

namespace {

using ::testing::IsEmpty;
using ::testing::IsSubsetOf;
using ::testing::SizeIs;

constexpr KodeWilayah kBogorDesa = 3201012001;  // Kab. Bogor
constexpr KodeWilayah kBogorOtherKecamatan = 3201022003;
constexpr KodeWilayah kBandungDesa = 3204012001;  // Kab. Bandung

class BlockingKeysTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    names_ = NameNormalizer::LoadEmbedded()->release();
    addresses_ = AddressNormalizer::LoadEmbedded()->release();
  }

  // A record as the match path builds it from a registry row.
  MatchRecord Record(std::string_view nama, Date dob, KodeWilayah desa = kBogorDesa,
                     Sex sex = Sex::kLakiLaki) {
    Person person;
    person.nama = std::string(nama);
    person.tanggal_lahir = dob;
    person.jenis_kelamin = sex;
    Household household;
    household.kode_wilayah = desa;
    MatchRecordBuilder builder(*names_, *addresses_);
    return builder.Build(person, household);
  }

  static BlockingKeys Keys(const MatchRecord& record) {
    BlockingKeys keys;
    BlockingKeysOf(record, &keys);
    return keys;
  }
  static BlockingKeys QueryKeys(const MatchRecord& record) {
    BlockingKeys keys;
    BlockingQueryKeysOf(record, &keys);
    return keys;
  }
  // The kinds of the keys a query for `query` shares with `indexed`.
  static std::vector<BlockingKeyKind> Shared(const MatchRecord& query, const MatchRecord& indexed) {
    BlockingKeys q = QueryKeys(query);
    BlockingKeys k = Keys(indexed);
    std::vector<BlockingKeyKind> kinds;
    for (BlockingKey key : q) {
      if (std::find(k.begin(), k.end(), key) == k.end()) continue;
      if (std::find(kinds.begin(), kinds.end(), KindOf(key)) == kinds.end()) {
        kinds.push_back(KindOf(key));
      }
    }
    std::sort(kinds.begin(), kinds.end());
    return kinds;
  }
  static std::vector<BlockingKeyKind> KindsOf(const BlockingKeys& keys) {
    std::vector<BlockingKeyKind> kinds;
    for (BlockingKey key : keys) kinds.push_back(KindOf(key));
    std::sort(kinds.begin(), kinds.end());
    return kinds;
  }

  static inline const NameNormalizer* names_ = nullptr;
  static inline const AddressNormalizer* addresses_ = nullptr;
};

const Date kDob = Date::FromYmd(1980, 5, 17);

using Kind = BlockingKeyKind;

TEST_F(BlockingKeysTest, TwoTokenNameWithFullDateAndRegion) {
  BlockingKeys keys = Keys(Record("Budi Santoso", kDob));
  // Per token: token × year, token, date × sex × initial (b, s), token × date; once: the
  // whole name, the date × kab/kota.
  EXPECT_EQ(KindsOf(keys),
            (std::vector<Kind>{Kind::kTokenYear, Kind::kTokenYear, Kind::kToken, Kind::kToken,
                               Kind::kNameSound, Kind::kDobRegion, Kind::kDobInitial,
                               Kind::kDobInitial, Kind::kTokenDob, Kind::kTokenDob}));
}

TEST_F(BlockingKeysTest, KeysAreDistinctAndCarryTheirKind) {
  BlockingKeys keys = Keys(Record("Ahmad Ahmad Fauzi", kDob));
  BlockingKeys sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (BlockingKey key : keys) {
    EXPECT_LT(static_cast<size_t>(KindOf(key)), kBlockingKeyKindCount);
  }
}

TEST_F(BlockingKeysTest, EmptyRecordHasNoKeys) {
  EXPECT_THAT(Keys(MatchRecord()), IsEmpty());
  EXPECT_THAT(QueryKeys(MatchRecord()), IsEmpty());
}

TEST_F(BlockingKeysTest, SameRecordSameKeys) {
  EXPECT_EQ(Keys(Record("Siti Aminah", kDob)), Keys(Record("SITI AMINAH", kDob)));
}

// The keys are a fixed function of the record: the same in every process and on every run.
TEST_F(BlockingKeysTest, KeysAreStableAcrossRuns) {
  BlockingKeys keys = Keys(Record("Sukarno", Date::FromYmd(1901, 6, 6)));
  ASSERT_THAT(keys, SizeIs(5));
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys[0], 0x008e21ecbe691beeu);
  EXPECT_EQ(keys[1], 0x018dbf1379e7034eu);
  EXPECT_EQ(keys[2], 0x0366bc0f50308be7u);
  EXPECT_EQ(keys[3], 0x04f7ffbb4b007a94u);
  EXPECT_EQ(keys[4], 0x0525a50d1115dfc6u);
}

TEST_F(BlockingKeysTest, QueryKeysIncludeTheRecordKeys) {
  MatchRecord r = Record("Budi Santoso", kDob);
  EXPECT_THAT(Keys(r), IsSubsetOf(QueryKeys(r)));
}

TEST_F(BlockingKeysTest, OldSpellingSharesEveryKey) {
  EXPECT_EQ(Keys(Record("Soekarno Djojohadikoesoemo", kDob)),
            Keys(Record("Sukarno Joyohadikusumo", kDob)));
}

TEST_F(BlockingKeysTest, MuhammadVariantsShareEveryKey) {
  const BlockingKeys want = Keys(Record("Muhammad Rizki", kDob));
  for (std::string_view variant : {"Moch. Rizki", "Muhamad Rizki", "Mohammad Rizki", "M. Rizki",
                                   "Muh Rizki", "Mochammad Rizki"}) {
    EXPECT_EQ(Keys(Record(variant, kDob)), want) << variant;
  }
}

TEST_F(BlockingKeysTest, TitlesAndPatronymicDoNotChangeTheKeys) {
  EXPECT_EQ(Keys(Record("Hj. Siti Aminah binti Abdullah", kDob)),
            Keys(Record("Siti Aminah", kDob)));
}

TEST_F(BlockingKeysTest, SwappedTokensShareEveryKey) {
  BlockingKeys a = Keys(Record("Budi Santoso", kDob));
  BlockingKeys b = Keys(Record("Santoso Budi", kDob));
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  EXPECT_EQ(a, b);
}

TEST_F(BlockingKeysTest, DroppedTokenKeepsTheOtherTokensAndTheDate) {
  EXPECT_EQ(Shared(Record("Siti Aisyah", kDob), Record("Siti Nur Aisyah", kDob)),
            (std::vector<Kind>{Kind::kTokenYear, Kind::kToken, Kind::kDobRegion, Kind::kDobInitial,
                               Kind::kTokenDob}));
}

TEST_F(BlockingKeysTest, TypoInOneTokenKeepsTheOthers) {
  EXPECT_EQ(Shared(Record("Budi Santsoo", kDob), Record("Budi Santoso", kDob)),
            (std::vector<Kind>{Kind::kTokenYear, Kind::kToken, Kind::kDobRegion, Kind::kDobInitial,
                               Kind::kTokenDob}));
}

TEST_F(BlockingKeysTest, TypoInASingleTokenNameKeepsTheDateKeys) {
  EXPECT_EQ(Shared(Record("Sutirsno", kDob), Record("Sutrisno", kDob)),
            (std::vector<Kind>{Kind::kDobRegion, Kind::kDobInitial}));
}

TEST_F(BlockingKeysTest, BirthYearOffByOneIsFoundByTheQueryVariants) {
  for (int year : {1979, 1981}) {
    EXPECT_EQ(
        Shared(Record("Budi Santoso", Date::FromYmd(year, 5, 17)), Record("Budi Santoso", kDob)),
        (std::vector<Kind>{Kind::kTokenYear, Kind::kToken, Kind::kNameSound, Kind::kDobRegion,
                           Kind::kDobInitial, Kind::kTokenDob}))
        << year;
  }
  // Two years off: only the keys without a date.
  EXPECT_EQ(
      Shared(Record("Budi Santoso", Date::FromYmd(1982, 5, 17)), Record("Budi Santoso", kDob)),
      (std::vector<Kind>{Kind::kToken, Kind::kNameSound}));
}

TEST_F(BlockingKeysTest, DayAndMonthSwappedGiveTheSameKeys) {
  EXPECT_EQ(Keys(Record("Budi Santoso", Date::FromYmd(1980, 11, 5))),
            Keys(Record("Budi Santoso", Date::FromYmd(1980, 5, 11))));
  EXPECT_NE(Keys(Record("Budi Santoso", Date::FromYmd(1980, 11, 5))),
            Keys(Record("Budi Santoso", Date::FromYmd(1980, 11, 6))));
  // With a year off as well.
  EXPECT_EQ(Shared(Record("Sutirsno", Date::FromYmd(1981, 11, 5)),
                   Record("Sutrisno", Date::FromYmd(1980, 5, 11))),
            (std::vector<Kind>{Kind::kDobRegion, Kind::kDobInitial}));
}

TEST_F(BlockingKeysTest, TwentyNinthOfFebruaryMeetsTheTwentyEighthAYearOff) {
  const std::vector<Kind> date_keys = {Kind::kDobRegion, Kind::kDobInitial};
  EXPECT_EQ(Shared(Record("Sutirsno", Date::FromYmd(2013, 2, 28)),
                   Record("Sutrisno", Date::FromYmd(2012, 2, 29))),
            date_keys);
  EXPECT_EQ(Shared(Record("Sutirsno", Date::FromYmd(2012, 2, 29)),
                   Record("Sutrisno", Date::FromYmd(2011, 2, 28))),
            date_keys);
}

TEST_F(BlockingKeysTest, SexSplitsTheInitialKeyUnlessTheQueryLacksIt) {
  const MatchRecord indexed = Record("Sutrisno", kDob, kBogorDesa, Sex::kPerempuan);
  EXPECT_EQ(Shared(Record("Sutirsno", kDob, kBandungDesa, Sex::kLakiLaki), indexed),
            std::vector<Kind>{});
  EXPECT_EQ(Shared(Record("Sutirsno", kDob, kBandungDesa, Sex::kUnknown), indexed),
            std::vector<Kind>{Kind::kDobInitial});
}

TEST_F(BlockingKeysTest, MovedWithinTheKabKotaKeepsTheRegionKey) {
  EXPECT_EQ(Shared(Record("Sutirsno", kDob, kBogorOtherKecamatan), Record("Sutrisno", kDob)),
            (std::vector<Kind>{Kind::kDobRegion, Kind::kDobInitial}));
  EXPECT_EQ(Shared(Record("Sutirsno", kDob, kBandungDesa), Record("Sutrisno", kDob)),
            (std::vector<Kind>{Kind::kDobInitial}));
}

TEST_F(BlockingKeysTest, LowInformationTokensMakeNoTokenKeys) {
  EXPECT_EQ(Keys(Record("I Wayan Sudarsana", kDob)), Keys(Record("Sudarsana", kDob)));
  EXPECT_EQ(Keys(Record("Ni Luh Putu Ariani", kDob)), Keys(Record("Ariani", kDob)));
}

TEST_F(BlockingKeysTest, LowInformationTokensAreUsedWhenNothingElseIsLeft) {
  // "Wayan" (the "I" is an initial-length token and stays out).
  BlockingKeys keys = Keys(Record("I Wayan", kDob));
  EXPECT_EQ(KindsOf(keys), (std::vector<Kind>{Kind::kTokenYear, Kind::kToken, Kind::kDobRegion,
                                              Kind::kDobInitial, Kind::kTokenDob}));
}

TEST_F(BlockingKeysTest, InitialsMakeNoTokenKeys) {
  EXPECT_EQ(Keys(Record("Siti N. Aisyah", kDob)), Keys(Record("Siti Aisyah", kDob)));
}

TEST_F(BlockingKeysTest, PartialDateKeepsTheYearKeysOnly) {
  BlockingKeys keys = Keys(Record("Budi Santoso", Date::FromYear(1980)));
  EXPECT_EQ(KindsOf(keys), (std::vector<Kind>{Kind::kTokenYear, Kind::kTokenYear, Kind::kToken,
                                              Kind::kToken, Kind::kNameSound}));
  EXPECT_EQ(Shared(Record("Budi Santoso", Date::FromYear(1980)), Record("Budi Santoso", kDob)),
            (std::vector<Kind>{Kind::kTokenYear, Kind::kToken, Kind::kNameSound}));
}

TEST_F(BlockingKeysTest, MissingDateAndRegionKeepTheNameKeys) {
  BlockingKeys keys = Keys(Record("Budi Santoso", Date(), 0));
  EXPECT_EQ(KindsOf(keys), (std::vector<Kind>{Kind::kToken, Kind::kToken, Kind::kNameSound}));
}

TEST_F(BlockingKeysTest, KindNamesAreDistinct) {
  std::vector<std::string_view> names;
  for (size_t k = 0; k < kBlockingKeyKindCount; ++k) {
    names.push_back(BlockingKeyKindName(static_cast<BlockingKeyKind>(k)));
    EXPECT_NE(names.back(), "unknown");
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::unique(names.begin(), names.end()), names.end());
}

}  // namespace
}  // namespace padan
