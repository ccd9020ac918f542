#include "index/data_folder.h"

#include <filesystem>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "data/nik.h"
#include "tests/test_records.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

Household MakeHousehold(std::string id, std::string no_kk, KodeWilayah region, std::string alamat) {
  Household household;
  household.id_keluarga = std::move(id);
  IdParse parsed = NoKk::Parse(no_kk);
  household.no_kk = parsed.digits;
  household.no_kk_value = parsed.value;
  household.kode_wilayah = region;
  household.alamat = std::move(alamat);
  return household;
}

// A person of no particular family role.
Person MakePerson(std::string id, std::string nama, std::string dob, Sex sex, std::string nik) {
  return padan::testing::MakeTestPerson(std::move(id), std::move(nama), std::move(dob), sex,
                                        std::move(nik), Hubungan::kUnknown);
}

class DataFolderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    names_ = NameNormalizer::LoadEmbedded()->release();
    addresses_ = AddressNormalizer::LoadEmbedded()->release();
  }

  void SetUp() override {
    dir_ = padan::testing::MakeTempDir() + "/folder";
    Registry registry(*names_, *addresses_);
    const Household bogor =
        MakeHousehold("K1", "3201011203150007", 3201011001, "JL. MERDEKA NO. 5");
    ASSERT_THAT(registry.Add(bogor, MakePerson("P1", "Budi Santoso", "1980-05-17", Sex::kLakiLaki,
                                               "3201011705800003")),
                IsOk());
    ASSERT_THAT(registry.Add(bogor, MakePerson("P2", "Siti Aminah", "1985-08-14", Sex::kPerempuan,
                                               "3201015408850002")),
                IsOk());
    const Household jakarta =
        MakeHousehold("K2", "3171011203150001", 3171011001, "GG. MAWAR RT 03 RW 04");
    ASSERT_THAT(registry.Add(jakarta, MakePerson("P3", "Siti Rahayu", "1970-03-20", Sex::kPerempuan,
                                                 "3171016003700001")),
                IsOk());
    ASSERT_THAT(registry.FinishBulkLoad(), IsOk());
    FellegiSunterModel model(*ComparisonSpec::Default());
    model.set_version("test-model");
    ASSERT_THAT(DataFolder::Create(dir_, registry, model), IsOk());
  }

  std::unique_ptr<DataFolder> Open(bool text_index = true) {
    DataFolderOptions options;
    options.dir = dir_;
    options.text_index = text_index;
    options.background_snapshots = false;
    absl::StatusOr<std::unique_ptr<DataFolder>> folder = DataFolder::Open(options);
    EXPECT_THAT(folder, IsOk());
    return folder.ok() ? *std::move(folder) : nullptr;
  }

  static std::vector<std::string> Ids(const SearchResult& result) {
    std::vector<std::string> ids;
    for (const SearchHit& hit : result.hits) ids.push_back(hit.record.person.id_art);
    return ids;
  }

  static const NameNormalizer* names_;
  static const AddressNormalizer* addresses_;
  std::string dir_;
};
const NameNormalizer* DataFolderTest::names_ = nullptr;
const AddressNormalizer* DataFolderTest::addresses_ = nullptr;

TEST_F(DataFolderTest, CreateRefusesAFolderThatHoldsADatabase) {
  Registry registry(*names_, *addresses_);
  ASSERT_THAT(registry.FinishBulkLoad(), IsOk());
  FellegiSunterModel model(*ComparisonSpec::Default());
  EXPECT_THAT(DataFolder::Create(dir_, registry, model),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST_F(DataFolderTest, OpenOfAFolderWithoutDatabaseSaysHowToMakeOne) {
  DataFolderOptions options;
  options.dir = padan::testing::MakeTempDir() + "/empty";
  absl::StatusOr<std::unique_ptr<DataFolder>> folder = DataFolder::Open(options);
  EXPECT_THAT(folder, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(folder.status().message(), HasSubstr("padan import"));
}

TEST_F(DataFolderTest, SearchUsesTheTextIndexOnceBuilt) {
  std::unique_ptr<DataFolder> folder = Open();
  ASSERT_NE(folder, nullptr);
  ASSERT_THAT(folder->WaitForTextIndex(), IsOk());
  absl::StatusOr<SearchResult> result = folder->engine().Search("siti", Scope::National(), 10, 0);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->engine, "text_index");
  EXPECT_THAT(Ids(*result), UnorderedElementsAre("P2", "P3"));
  // Address words, and the scope as a filter.
  result = folder->engine().Search("siti mawar", Scope::National(), 10, 0);
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(Ids(*result), ElementsAre("P3"));
  result = folder->engine().Search("siti", *Scope::FromCode(3201), 10, 0);
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(Ids(*result), ElementsAre("P2"));
  DataFolderStats stats = folder->Stats();
  EXPECT_EQ(stats.text_index_state, "ready");
  EXPECT_EQ(stats.text_index_documents, 3u);
  EXPECT_EQ(stats.persons, 3u);
  EXPECT_EQ(stats.model_version, "test-model");
}

TEST_F(DataFolderTest, WithoutTextIndexSearchSaysItFellBack) {
  std::unique_ptr<DataFolder> folder = Open(/*text_index=*/false);
  ASSERT_NE(folder, nullptr);
  absl::StatusOr<SearchResult> result =
      folder->engine().Search("Budi Santoso", Scope::National(), 10, 0);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->engine, "memory");
  EXPECT_THAT(result->fallback_reason, HasSubstr("off"));
  EXPECT_THAT(Ids(*result), ElementsAre("P1"));
  EXPECT_EQ(folder->Stats().text_index_state, "off");
}

TEST_F(DataFolderTest, WritesReachTheTextIndex) {
  std::unique_ptr<DataFolder> folder = Open();
  ASSERT_NE(folder, nullptr);
  Mutation upsert;
  upsert.kind = Mutation::Kind::kUpsertHousehold;
  upsert.household = MakeHousehold("K3", "3201011203150099", 3201011002, "DUSUN KRAJAN");
  upsert.members = {MakePerson("P9", "Wulandari", "1999-01-02", Sex::kPerempuan, "")};
  ASSERT_THAT(folder->Write({upsert}), IsOk());
  Mutation removal;
  removal.kind = Mutation::Kind::kDeleteHousehold;
  removal.id_keluarga = "K2";
  ASSERT_THAT(folder->Write({removal}), IsOk());
  ASSERT_THAT(folder->WaitForTextIndex(), IsOk());
  absl::StatusOr<SearchResult> result =
      folder->engine().Search("wulandari", Scope::National(), 10, 0);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->engine, "text_index");
  EXPECT_THAT(Ids(*result), ElementsAre("P9"));
  result = folder->engine().Search("rahayu", Scope::National(), 10, 0);
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(result->hits, IsEmpty());
}

TEST_F(DataFolderTest, CleanRestartReusesTheTextIndexAndACrashRebuildsIt) {
  {
    std::unique_ptr<DataFolder> folder = Open();
    ASSERT_NE(folder, nullptr);
    Mutation upsert;
    upsert.kind = Mutation::Kind::kUpsertHousehold;
    upsert.household = MakeHousehold("K3", "3201011203150099", 3201011002, "DUSUN KRAJAN");
    upsert.members = {MakePerson("P9", "Wulandari", "1999-01-02", Sex::kPerempuan, "")};
    ASSERT_THAT(folder->Write({upsert}), IsOk());
    ASSERT_THAT(folder->WaitForTextIndex(), IsOk());
    folder->Close();
  }
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/text-index-clean"));
  {
    std::unique_ptr<DataFolder> folder = Open();
    ASSERT_NE(folder, nullptr);
    // Reused: ready at once, and the marker is gone until the next clean close.
    EXPECT_FALSE(std::filesystem::exists(dir_ + "/text-index-clean"));
    ASSERT_THAT(folder->WaitForTextIndex(), IsOk());
    absl::StatusOr<SearchResult> result =
        folder->engine().Search("wulandari", Scope::National(), 10, 0);
    ASSERT_THAT(result, IsOk());
    EXPECT_THAT(Ids(*result), ElementsAre("P9"));
    folder->Close();
  }
  // A crash leaves no marker: the index is rebuilt from the registry, and still finds all.
  std::filesystem::remove(dir_ + "/text-index-clean");
  std::unique_ptr<DataFolder> folder = Open();
  ASSERT_NE(folder, nullptr);
  ASSERT_THAT(folder->WaitForTextIndex(), IsOk());
  absl::StatusOr<SearchResult> result = folder->engine().Search("siti", Scope::National(), 10, 0);
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(Ids(*result), UnorderedElementsAre("P2", "P3"));
  EXPECT_EQ(folder->Stats().text_index_documents, 4u);
}

// Closing right after opening, while the first build may still be running (three persons may
// also be done already), never loses the index: the next start finds it whole or rebuilds it.
// That Abandon drops what is not committed is TextIndexTest.AbandonDropsWhatIsNotCommitted.
TEST_F(DataFolderTest, CloseDuringTheFirstBuildDropsItAndTheNextStartRebuilds) {
  {
    std::unique_ptr<DataFolder> folder = Open();
    ASSERT_NE(folder, nullptr);
    folder->Close();
  }
  std::unique_ptr<DataFolder> folder = Open();
  ASSERT_NE(folder, nullptr);
  ASSERT_THAT(folder->WaitForTextIndex(), IsOk());
  absl::StatusOr<SearchResult> result = folder->engine().Search("siti", Scope::National(), 10, 0);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->engine, "text_index");
  EXPECT_THAT(Ids(*result), UnorderedElementsAre("P2", "P3"));
}

}  // namespace
}  // namespace padan
