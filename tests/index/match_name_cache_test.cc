#include "index/match_name_cache.h"

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "index/record_store.h"
#include "index/snapshot_file.h"
#include "matching/match_record_builder.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::MakeTempDir;
using ::padan::testing::StatusIs;
using ::testing::HasSubstr;

void ExpectSameName(const MatchName& a, const MatchName& b) {
  EXPECT_EQ(a.canonical, b.canonical);
  EXPECT_EQ(a.phonetic_sorted, b.phonetic_sorted);
  EXPECT_EQ(a.low_information_mask, b.low_information_mask);
  EXPECT_EQ(a.token_spans, b.token_spans);
}

class MatchNameCacheTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    names_ = NameNormalizer::LoadEmbedded()->release();
    addresses_ = AddressNormalizer::LoadEmbedded()->release();
  }
  MatchName Normalized(std::string_view raw) const {
    MatchRecordBuilder builder(*names_, *addresses_);
    MatchName name;
    builder.BuildName(raw, &name);
    return name;
  }
  static const NameNormalizer* names_;
  static const AddressNormalizer* addresses_;
};
const NameNormalizer* MatchNameCacheTest::names_ = nullptr;
const AddressNormalizer* MatchNameCacheTest::addresses_ = nullptr;

TEST_F(MatchNameCacheTest, GetGivesBackExactlyWhatWasSet) {
  const std::vector<std::string> raw = {"Drs. H. Moch. Sjamsul Arifin, M.Si.",
                                        "NI LUH PUTU ARIANI",
                                        "Hj. Siti Aminah binti H. Abdullah",
                                        "I Wayan",
                                        "",
                                        "Abdurrahman Wahid"};
  MatchNameCache cache;
  for (size_t i = 0; i < raw.size(); ++i)
    cache.Set(PersonId(static_cast<uint32_t>(i)), Normalized(raw[i]));
  MatchName got;
  for (size_t i = 0; i < raw.size(); ++i) {
    SCOPED_TRACE(raw[i]);
    const PersonId id(static_cast<uint32_t>(i));
    ASSERT_TRUE(cache.Has(id));
    cache.Get(id, &got);
    ExpectSameName(got, Normalized(raw[i]));
  }
  EXPECT_FALSE(cache.Has(PersonId(static_cast<uint32_t>(raw.size()))));
}

TEST_F(MatchNameCacheTest, TokenSpansOutsideTheUsualLayoutRoundTrip) {
  MatchName name;
  name.canonical = "ab  cd";
  name.token_spans = {{0, 2}, {4, 2}};
  name.phonetic_sorted = "ab cd";
  name.low_information_mask = 2;
  MatchNameCache cache;
  cache.Set(PersonId(0), name);
  MatchName got;
  cache.Get(PersonId(0), &got);
  ExpectSameName(got, name);
}

TEST_F(MatchNameCacheTest, EqualNamesShareOneEntryAndSetReplaces) {
  MatchNameCache cache;
  const size_t empty = cache.entry_count();
  cache.Set(PersonId(0), Normalized("Siti Aminah"));
  cache.Set(PersonId(1), Normalized("SITI  AMINAH"));
  cache.Set(PersonId(2), Normalized("Budi Santoso"));
  EXPECT_EQ(cache.entry_count(), empty + 2);
  cache.Set(PersonId(0), Normalized("Rahmawati"));
  MatchName got;
  cache.Get(PersonId(0), &got);
  EXPECT_EQ(got.canonical, "rahmawati");
  cache.Get(PersonId(1), &got);
  EXPECT_EQ(got.canonical, "siti aminah");
}

// A store of `names.size()` persons, one household each, the given names.
std::unique_ptr<RecordStore> StoreOf(const std::vector<std::string>& names) {
  auto store = std::make_unique<RecordStore>();
  for (size_t i = 0; i < names.size(); ++i) {
    Household household;
    household.id_keluarga = "K" + std::to_string(i);
    Person person;
    person.id_art = "P" + std::to_string(i);
    person.nama = names[i];
    EXPECT_THAT(store->Add(household, person), IsOk());
  }
  return store;
}

std::string SavedSection(const MatchNameCache& cache, const RecordStore& store) {
  const std::string path = MakeTempDir() + "/names.snp";
  std::unique_ptr<SnapshotWriter> writer = *SnapshotWriter::Create(path);
  cache.Save(*writer, "names", store);
  EXPECT_THAT(writer->Finish(), IsOk());
  return path;
}

absl::StatusOr<std::unique_ptr<MatchNameCache>> Loaded(const std::string& path, size_t persons) {
  std::unique_ptr<SnapshotReader> reader = *SnapshotReader::Open(path);
  absl::StatusOr<MatchNameCache::Persisted> persisted = MatchNameCache::Read(*reader, "names");
  if (!persisted.ok()) return persisted.status();
  return MatchNameCache::Check(*persisted, "names", persons);
}

TEST_F(MatchNameCacheTest, SnapshotRoundTripsTheNamesOfLivePersons) {
  const std::vector<std::string> raw = {"Siti Aminah", "Budi Santoso", "Siti Aminah",
                                        "Ni Made Ayu"};
  std::unique_ptr<RecordStore> store = StoreOf(raw);
  MatchNameCache cache;
  // An entry no person uses any more is not saved.
  cache.Set(PersonId(1), Normalized("Agus Salim"));
  for (size_t i = 0; i < raw.size(); ++i)
    cache.Set(PersonId(static_cast<uint32_t>(i)), Normalized(raw[i]));
  absl::StatusOr<std::unique_ptr<MatchNameCache>> loaded =
      Loaded(SavedSection(cache, *store), raw.size());
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ((*loaded)->entry_count(), cache.entry_count() - 1);
  MatchName got;
  for (size_t i = 0; i < raw.size(); ++i) {
    (*loaded)->Get(PersonId(static_cast<uint32_t>(i)), &got);
    ExpectSameName(got, Normalized(raw[i]));
  }
}

TEST_F(MatchNameCacheTest, CorruptSectionIsDataLoss) {
  const std::vector<std::string> raw = {"Siti Aminah", "Budi Santoso", "I Wayan Sudarsana"};
  std::unique_ptr<RecordStore> store = StoreOf(raw);
  MatchNameCache cache;
  for (size_t i = 0; i < raw.size(); ++i)
    cache.Set(PersonId(static_cast<uint32_t>(i)), Normalized(raw[i]));
  const std::string path = SavedSection(cache, *store);
  EXPECT_THAT(Loaded(path, raw.size() + 1), StatusIs(absl::StatusCode::kDataLoss));

  MatchNameCache::Persisted good;
  {
    std::unique_ptr<SnapshotReader> reader = *SnapshotReader::Open(path);
    good = *MatchNameCache::Read(*reader, "names");
  }
  ASSERT_THAT(MatchNameCache::Check(good, "names", raw.size()), IsOk());
  // Every truncation, and every single byte changed, either still decodes to a cache of
  // well-formed names or is kDataLoss naming the section: never a crash.
  for (size_t size = 0; size < good.bytes.size(); ++size) {
    MatchNameCache::Persisted bad{good.bytes.substr(0, size)};
    absl::StatusOr<std::unique_ptr<MatchNameCache>> checked =
        MatchNameCache::Check(bad, "names", raw.size());
    EXPECT_THAT(checked, StatusIs(absl::StatusCode::kDataLoss)) << size;
    EXPECT_THAT(checked.status().message(), HasSubstr("'names'"));
  }
  for (size_t i = 0; i < good.bytes.size(); ++i) {
    MatchNameCache::Persisted bad = good;
    bad.bytes[i] ^= 0x5a;
    absl::StatusOr<std::unique_ptr<MatchNameCache>> checked =
        MatchNameCache::Check(bad, "names", raw.size());
    if (!checked.ok()) {
      EXPECT_THAT(checked, StatusIs(absl::StatusCode::kDataLoss)) << i;
      continue;
    }
    MatchName got;
    for (size_t p = 0; p < raw.size(); ++p)
      (*checked)->Get(PersonId(static_cast<uint32_t>(p)), &got);
  }
}

}  // namespace
}  // namespace padan
