#include "index/query_engine.h"

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "data/nik.h"
#include "matching/match_record_builder.h"
#include "tests/test_records.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::StatusIs;
using ::testing::Contains;
using ::testing::IsEmpty;

using ::padan::testing::MakeTestModel;
using ::padan::testing::MakeTestPerson;
using ::padan::testing::MakeUpsert;

class QueryEngineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    names_ = NameNormalizer::LoadEmbedded()->release();
    addresses_ = AddressNormalizer::LoadEmbedded()->release();
    regions_ = RegionTable::LoadEmbedded()->release();
  }

  void SetUp() override {
    DatabaseOptions options;
    options.dir = padan::testing::MakeTempDir();
    options.background_snapshots = false;
    auto registry = std::make_unique<Registry>(*names_, *addresses_);
    ASSERT_THAT(registry->FinishBulkLoad(), IsOk());
    absl::StatusOr<std::unique_ptr<Database>> database =
        Database::Open(options, std::move(registry));
    ASSERT_THAT(database, IsOk());
    database_ = *std::move(database);
    model_ = std::make_unique<FellegiSunterModel>(MakeTestModel());
    engine_ = std::make_unique<QueryEngine>(*database_, *model_, *regions_);
    std::vector<Mutation> writes = {
        MakeUpsert("K1", "3201011203150007", 3201011001,
                   {MakeTestPerson("P1", "Budi Santoso", "1980-05-17", Sex::kLakiLaki,
                                   "3201011705800003", Hubungan::kKepalaKeluarga, "Sumarni"),
                    MakeTestPerson("P2", "Siti Aminah", "1985-08-14", Sex::kPerempuan,
                                   "3201015408850002", Hubungan::kIstriSuami, "Painem")}),
        MakeUpsert("K2", "3171011203150001", 3171011001,
                   {MakeTestPerson("P3", "Agus Salim", "1970-03-20", Sex::kLakiLaki,
                                   "3171012003700001", Hubungan::kKepalaKeluarga)}),
        MakeUpsert("K3", "3201021203150002", 3201021001,
                   {MakeTestPerson("P4", "Rahmawati Kusumaningrum", "1990-01-05", Sex::kPerempuan,
                                   "3201024501900001", Hubungan::kKepalaKeluarga)}),
    };
    ASSERT_THAT(database_->Write(writes), IsOk());
  }

  static const NameNormalizer* names_;
  static const AddressNormalizer* addresses_;
  static const RegionTable* regions_;
  std::unique_ptr<Database> database_;
  std::unique_ptr<FellegiSunterModel> model_;
  std::unique_ptr<QueryEngine> engine_;
};
const NameNormalizer* QueryEngineTest::names_ = nullptr;
const AddressNormalizer* QueryEngineTest::addresses_ = nullptr;
const RegionTable* QueryEngineTest::regions_ = nullptr;

Scope ScopeOf(KodeWilayah code) { return *Scope::FromCode(code); }

TEST(ScopeTest, ContainsAndCovers) {
  EXPECT_TRUE(Scope::National().Contains(3201011001));
  EXPECT_TRUE(ScopeOf(3201).Contains(3201011001));
  EXPECT_FALSE(ScopeOf(3201).Contains(3271011001));
  EXPECT_TRUE(ScopeOf(32).Covers(ScopeOf(3201)));
  EXPECT_FALSE(ScopeOf(3201).Covers(ScopeOf(32)));
  EXPECT_FALSE(ScopeOf(3201).Covers(Scope::National()));
  EXPECT_THAT(Scope::FromCode(320), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(QueryEngineTest, GetHonoursScope) {
  absl::StatusOr<PersonView> budi = engine_->GetPerson("P1", Scope::National());
  ASSERT_THAT(budi, IsOk());
  EXPECT_EQ(budi->person.nama, "Budi Santoso");
  EXPECT_EQ(budi->household.id_keluarga, "K1");
  EXPECT_THAT(engine_->GetPerson("P1", ScopeOf(3171)), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(engine_->GetPerson("nobody", Scope::National()),
              StatusIs(absl::StatusCode::kNotFound));
  absl::StatusOr<HouseholdView> household = engine_->GetHousehold("K1", ScopeOf(3201));
  ASSERT_THAT(household, IsOk());
  EXPECT_EQ(household->members.size(), 2u);
  EXPECT_THAT(engine_->GetHousehold("K1", ScopeOf(3171)), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(QueryEngineTest, NikLookupFindsExactAndNearWithinScope) {
  absl::StatusOr<NikLookupResult> exact = engine_->NikLookup("3201011705800003", Scope::National());
  ASSERT_THAT(exact, IsOk());
  EXPECT_TRUE(exact->valid);
  ASSERT_EQ(exact->exact.size(), 1u);
  EXPECT_EQ(exact->exact[0].person.id_art, "P1");
  ASSERT_TRUE(exact->decoded.has_value());
  EXPECT_EQ(exact->decoded->kecamatan, 320101u);
  EXPECT_EQ(exact->kecamatan_name, "Cibinong");
  // One digit wrong: no exact hit, a near one.
  absl::StatusOr<NikLookupResult> typo = engine_->NikLookup("3201011705800008", Scope::National());
  ASSERT_THAT(typo, IsOk());
  EXPECT_THAT(typo->exact, IsEmpty());
  ASSERT_EQ(typo->near.size(), 1u);
  EXPECT_EQ(typo->near[0].record.person.id_art, "P1");
  EXPECT_EQ(typo->near[0].level, NikLevel::kOneSubstitution);
  // Out of scope: nothing.
  absl::StatusOr<NikLookupResult> hidden = engine_->NikLookup("3201011705800003", ScopeOf(3171));
  ASSERT_THAT(hidden, IsOk());
  EXPECT_THAT(hidden->exact, IsEmpty());
  EXPECT_THAT(hidden->near, IsEmpty());
  // Problems are reported, not errors.
  absl::StatusOr<NikLookupResult> bad = engine_->NikLookup("32010117058", Scope::National());
  ASSERT_THAT(bad, IsOk());
  EXPECT_FALSE(bad->valid);
  EXPECT_THAT(bad->problems, Contains(IdProblem::kWrongLength));
}

TEST_F(QueryEngineTest, MatchRanksTheSamePersonFirst) {
  MatchQuery query;
  query.person =
      MakeTestPerson("", "BUDI SANTOSA", "1980-05-17", Sex::kLakiLaki, "", Hubungan::kUnknown);
  query.household.kode_wilayah = 3201011001;
  absl::StatusOr<MatchResult> result = engine_->Match(query, Scope::National(), 5);
  ASSERT_THAT(result, IsOk());
  ASSERT_FALSE(result->candidates.empty());
  EXPECT_EQ(result->candidates[0].record.person.id_art, "P1");
  // Name with a typo, same birth date, sex and desa, no NIK: under the hand-set model that is
  // worth a review, not an automatic match.
  EXPECT_EQ(result->candidates[0].score.decision, Decision::kPossibleMatch);
  EXPECT_FALSE(result->candidates[0].score.explanation.empty());
  // The same query scoped to another kab/kota sees nobody from Bogor.
  absl::StatusOr<MatchResult> scoped = engine_->Match(query, ScopeOf(3171), 5);
  ASSERT_THAT(scoped, IsOk());
  for (const MatchCandidate& candidate : scoped->candidates) {
    EXPECT_TRUE(ScopeOf(3171).Contains(candidate.record.household.kode_wilayah));
  }
}

TEST_F(QueryEngineTest, MatchByNikAlone) {
  MatchQuery query;
  query.person.nik_value = 3201024501900001;
  absl::StatusOr<MatchResult> result = engine_->Match(query, Scope::National(), 3);
  ASSERT_THAT(result, IsOk());
  ASSERT_FALSE(result->candidates.empty());
  EXPECT_EQ(result->candidates[0].record.person.id_art, "P4");
}

TEST_F(QueryEngineTest, MatchNeedsANameOrNik) {
  EXPECT_THAT(engine_->Match(MatchQuery(), Scope::National(), 3),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(QueryEngineTest, SearchByNameNikAndPrefix) {
  absl::StatusOr<SearchResult> name = engine_->Search("siti aminah", Scope::National(), 10, 0);
  ASSERT_THAT(name, IsOk());
  ASSERT_FALSE(name->hits.empty());
  EXPECT_EQ(name->hits[0].record.person.id_art, "P2");
  absl::StatusOr<SearchResult> nik = engine_->Search("3201011705800003", Scope::National(), 10, 0);
  ASSERT_THAT(nik, IsOk());
  ASSERT_FALSE(nik->hits.empty());
  EXPECT_EQ(nik->hits[0].matched_by, "nik");
  absl::StatusOr<SearchResult> prefix = engine_->Search("320101", Scope::National(), 10, 0);
  ASSERT_THAT(prefix, IsOk());
  EXPECT_EQ(prefix->hits.size(), 2u);
  absl::StatusOr<SearchResult> scoped = engine_->Search("320101", ScopeOf(3171), 10, 0);
  ASSERT_THAT(scoped, IsOk());
  EXPECT_THAT(scoped->hits, IsEmpty());
  EXPECT_THAT(engine_->Search("  ", Scope::National(), 10, 0),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(engine_->Search("budi", Scope::National(), 0, 0),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(QueryEngineTest, DedupCheckFindsHouseholdAndPersonDuplicates) {
  Household household;
  household.id_keluarga = "NEW";
  household.no_kk = "3201011203150007";
  household.kode_wilayah = 3201011001;
  std::vector<Person> members = {
      MakeTestPerson("N1", "Budi Santoso", "1980-05-17", Sex::kLakiLaki, "3201011705800003",
                     Hubungan::kKepalaKeluarga, "Sumarni"),
      MakeTestPerson("N2", "Siti Aminah", "1985-08-14", Sex::kPerempuan, "", Hubungan::kIstriSuami,
                     "Painem")};
  absl::StatusOr<DedupResult> result = engine_->DedupCheck(household, members, Scope::National());
  ASSERT_THAT(result, IsOk());
  ASSERT_EQ(result->households.size(), 1u);
  EXPECT_EQ(result->households[0].household.household.id_keluarga, "K1");
  EXPECT_THAT(result->households[0].reasons, Contains("same_no_kk"));
  EXPECT_THAT(result->households[0].reasons, Contains("members_match"));
  EXPECT_EQ(result->households[0].matching_members, 2);
  ASSERT_EQ(result->members.size(), 2u);
  ASSERT_FALSE(result->members[0].empty());
  EXPECT_EQ(result->members[0][0].record.person.id_art, "P1");
  EXPECT_THAT(engine_->DedupCheck(household, {}, Scope::National()),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(QueryEngineTest, WritesShowAtOnceInEveryIndex) {
  // Budi moves to a new household in Jakarta with a corrected NIK; K1 keeps Siti.
  ASSERT_THAT(database_->Write(
                  {MakeUpsert("K9", "3171011203150009", 3171011002,
                              {MakeTestPerson("P1", "Budi Santoso", "1980-05-17", Sex::kLakiLaki,
                                              "3171011705800004", Hubungan::kKepalaKeluarga)})}),
              IsOk());
  absl::StatusOr<PersonView> budi = engine_->GetPerson("P1", Scope::National());
  ASSERT_THAT(budi, IsOk());
  EXPECT_EQ(budi->household.id_keluarga, "K9");
  absl::StatusOr<HouseholdView> k1 = engine_->GetHousehold("K1", Scope::National());
  ASSERT_THAT(k1, IsOk());
  ASSERT_EQ(k1->members.size(), 1u);
  EXPECT_EQ(k1->members[0].id_art, "P2");
  EXPECT_THAT(engine_->NikLookup("3201011705800003", Scope::National())->exact, IsEmpty());
  EXPECT_EQ(engine_->NikLookup("3171011705800004", Scope::National())->exact.size(), 1u);
  // Delete K3: its person is gone from every route.
  Mutation remove;
  remove.kind = Mutation::Kind::kDeleteHousehold;
  remove.id_keluarga = "K3";
  ASSERT_THAT(database_->Write({remove}), IsOk());
  EXPECT_THAT(engine_->GetPerson("P4", Scope::National()), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(engine_->NikLookup("3201024501900001", Scope::National())->exact, IsEmpty());
  absl::StatusOr<SearchResult> search =
      engine_->Search("rahmawati kusumaningrum", Scope::National(), 10, 0);
  ASSERT_THAT(search, IsOk());
  EXPECT_THAT(search->hits, IsEmpty());
  // Deleting what is not there is refused and changes nothing.
  EXPECT_THAT(database_->Write({remove}), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(QueryEngineTest, LiveStateForWriteChecksWithoutDecoding) {
  std::optional<QueryEngine::HouseholdState> k2 = engine_->LiveHousehold("K2");
  ASSERT_TRUE(k2.has_value());
  EXPECT_EQ(k2->kode_wilayah, 3171011001u);
  EXPECT_EQ(k2->updated_at.ToString(),
            engine_->GetHousehold("K2", Scope::National())->household.updated_at.ToString());
  EXPECT_EQ(engine_->LiveHousehold("K9"), std::nullopt);
  std::optional<QueryEngine::PersonHome> p2 = engine_->LivePersonHome("P2");
  ASSERT_TRUE(p2.has_value());
  EXPECT_EQ(p2->id_keluarga, "K1");
  EXPECT_EQ(p2->kode_wilayah, 3201011001u);
  EXPECT_EQ(engine_->LivePersonHome("nobody"), std::nullopt);
  // Deleted records have no live state (their tombstones stay in the store).
  Mutation remove;
  remove.kind = Mutation::Kind::kDeleteHousehold;
  remove.id_keluarga = "K1";
  ASSERT_THAT(database_->Write({remove}), IsOk());
  EXPECT_EQ(engine_->LiveHousehold("K1"), std::nullopt);
  EXPECT_EQ(engine_->LivePersonHome("P2"), std::nullopt);
}

TEST_F(QueryEngineTest, StateSurvivesReopen) {
  std::string dir = padan::testing::MakeTempDir();
  {
    DatabaseOptions options;
    options.dir = dir;
    options.background_snapshots = false;
    auto registry = std::make_unique<Registry>(*names_, *addresses_);
    ASSERT_THAT(registry->FinishBulkLoad(), IsOk());
    auto database = Database::Open(options, std::move(registry));
    ASSERT_THAT(database, IsOk());
    ASSERT_THAT((*database)->Write(
                    {MakeUpsert("K1", "3201011203150007", 3201011001,
                                {MakeTestPerson("P1", "Budi Santoso", "1980-05-17", Sex::kLakiLaki,
                                                "3201011705800003", Hubungan::kKepalaKeluarga)})}),
                IsOk());
    ASSERT_THAT((*database)->TakeSnapshot(), IsOk());
    ASSERT_THAT((*database)->Write(
                    {MakeUpsert("K2", "", 3171011001,
                                {MakeTestPerson("P3", "Agus Salim", "1970-03-20", Sex::kLakiLaki,
                                                "3171012003700001", Hubungan::kKepalaKeluarga)})}),
                IsOk());
  }
  DatabaseOptions options;
  options.dir = dir;
  options.background_snapshots = false;
  auto database = Database::Open(options, std::make_unique<Registry>(*names_, *addresses_));
  ASSERT_THAT(database, IsOk());
  QueryEngine engine(**database, *model_, *regions_);
  EXPECT_THAT(engine.GetPerson("P1", Scope::National()), IsOk());
  EXPECT_THAT(engine.GetPerson("P3", Scope::National()), IsOk());
  EXPECT_EQ(engine.NikLookup("3171012003700001", Scope::National())->exact.size(), 1u);
}

// Match reads candidates' names from the registry's name cache: a snapshot reload, and a
// write that renames a person, must answer as the normalised names themselves would.
TEST_F(QueryEngineTest, MatchAnswersTheSameAfterReloadAndFollowsRenames) {
  const std::string dir = padan::testing::MakeTempDir();
  DatabaseOptions options;
  options.dir = dir;
  options.background_snapshots = false;
  const std::vector<MatchQuery> queries = {
      {MakeTestPerson("Q1", "Budi Santosa", "1980-05-17", Sex::kLakiLaki, "",
                      Hubungan::kKepalaKeluarga),
       {}},
      {MakeTestPerson("Q2", "Siti Aminah", "1985-08-14", Sex::kPerempuan, "3201015408850002",
                      Hubungan::kIstriSuami, "Painem"),
       {}},
      {MakeTestPerson("Q3", "Rahmawati", "1990-01-05", Sex::kPerempuan, "",
                      Hubungan::kKepalaKeluarga),
       {}},
  };
  auto answers = [&](const QueryEngine& engine) {
    std::vector<std::string> out;
    for (const MatchQuery& query : queries) {
      absl::StatusOr<MatchResult> result = engine.Match(query, Scope::National(), 10);
      EXPECT_THAT(result, IsOk());
      std::string answer;
      for (const MatchCandidate& c : result->candidates) {
        absl::StrAppend(&answer, c.record.person.id_art, " ", c.score.match_weight, ";");
      }
      out.push_back(answer);
    }
    return out;
  };
  std::vector<std::string> before;
  {
    auto registry = std::make_unique<Registry>(*names_, *addresses_);
    ASSERT_THAT(registry->FinishBulkLoad(), IsOk());
    auto database = Database::Open(options, std::move(registry));
    ASSERT_THAT(database, IsOk());
    ASSERT_THAT(
        (*database)->Write(
            {MakeUpsert("K1", "3201011203150007", 3201011001,
                        {MakeTestPerson("P1", "Budi Santoso", "1980-05-17", Sex::kLakiLaki,
                                        "3201011705800003", Hubungan::kKepalaKeluarga, "Sumarni"),
                         MakeTestPerson("P2", "Siti Aminah", "1985-08-14", Sex::kPerempuan,
                                        "3201015408850002", Hubungan::kIstriSuami, "Painem")}),
             MakeUpsert(
                 "K3", "3201021203150002", 3201021001,
                 {MakeTestPerson("P4", "Rahmawati Kusumaningrum", "1990-01-05", Sex::kPerempuan,
                                 "3201024501900001", Hubungan::kKepalaKeluarga)})}),
        IsOk());
    ASSERT_THAT((*database)->TakeSnapshot(), IsOk());
    before = answers(QueryEngine(**database, *model_, *regions_));
  }
  auto reopened = Database::Open(options, std::make_unique<Registry>(*names_, *addresses_));
  ASSERT_THAT(reopened, IsOk());
  QueryEngine engine(**reopened, *model_, *regions_);
  EXPECT_EQ(answers(engine), before);
  ASSERT_THAT(before[0], ::testing::StartsWith("P1 "));

  // Budi is renamed: a query for his old name no longer finds him first by name.
  ASSERT_THAT((*reopened)->Write({MakeUpsert(
                  "K1", "3201011203150007", 3201011001,
                  {MakeTestPerson("P1", "Joko Widodo", "1980-05-17", Sex::kLakiLaki,
                                  "3201011705800003", Hubungan::kKepalaKeluarga, "Sumarni")})}),
              IsOk());
  absl::StatusOr<MatchResult> renamed = engine.Match(queries[0], Scope::National(), 10);
  ASSERT_THAT(renamed, IsOk());
  for (const MatchCandidate& c : renamed->candidates) {
    if (c.record.person.id_art != "P1") continue;
    EXPECT_EQ(c.record.person.nama, "Joko Widodo");
    EXPECT_EQ(c.score.explanation[0].level, "else");
  }
  MatchQuery joko = queries[0];
  joko.person.nama = "Joko Widodo";
  absl::StatusOr<MatchResult> found = engine.Match(joko, Scope::National(), 10);
  ASSERT_THAT(found, IsOk());
  ASSERT_FALSE(found->candidates.empty());
  EXPECT_EQ(found->candidates[0].record.person.id_art, "P1");
  EXPECT_EQ(found->candidates[0].score.explanation[0].level, "exact");
}

// Match reads candidates in stages and carries levels over from one to the next; what it
// returns must still be scored exactly as a whole comparison of the two records scores.
TEST_F(QueryEngineTest, ReturnedScoresAreThoseOfTheWholeRecords) {
  Household household;
  household.kode_wilayah = 3201011001;
  household.alamat = "Jl. Mawar No. 3";
  household.no_kk = "3201011203150007";
  household.no_kk_value = 3201011203150007ULL;
  const std::vector<Person> people = {
      MakeTestPerson("Q1", "Budi Santosa", "1980-05-17", Sex::kLakiLaki, "3201011705800003",
                     Hubungan::kKepalaKeluarga, "Sumarni"),
      MakeTestPerson("Q2", "Siti Aminah", "1985-08-14", Sex::kPerempuan, "", Hubungan::kIstriSuami,
                     "Painem"),
      MakeTestPerson("Q3", "Agus", "1970-03-20", Sex::kLakiLaki, "", Hubungan::kKepalaKeluarga),
  };
  std::vector<MatchResult> results;
  for (const Person& person : people) {
    absl::StatusOr<MatchResult> result =
        engine_->Match(MatchQuery{person, household}, Scope::National(), 10);
    ASSERT_THAT(result, IsOk());
    results.push_back(*std::move(result));
  }
  // Taken after the queries: Match takes the read view itself.
  Database::ReadView view = database_->Read();
  const auto& registry = static_cast<const Registry&>(view.state());
  MatchRecordBuilder builder(*names_, *addresses_);
  int compared = 0;
  for (size_t q = 0; q < people.size(); ++q) {
    SCOPED_TRACE(people[q].nama);
    const MatchRecord wanted = builder.Build(people[q], household);
    for (const MatchCandidate& candidate : results[q].candidates) {
      const ScoredPair whole = model_->Score(wanted, registry.BuildMatchRecord(candidate.record.id),
                                             &registry.frequencies());
      EXPECT_EQ(candidate.score.match_weight, whole.match_weight);
      EXPECT_EQ(candidate.score.decision, whole.decision);
      EXPECT_EQ(candidate.score.comparison, whole.comparison);
      ASSERT_EQ(candidate.score.explanation.size(), whole.explanation.size());
      for (size_t f = 0; f < whole.explanation.size(); ++f) {
        EXPECT_EQ(candidate.score.explanation[f].level, whole.explanation[f].level);
        EXPECT_EQ(candidate.score.explanation[f].weight, whole.explanation[f].weight);
      }
      ++compared;
    }
  }
  EXPECT_GT(compared, 3);
}

TEST_F(QueryEngineTest, ReadersSeeConsistentStateWhileWriting) {
  std::atomic<bool> stop{false};
  std::atomic<int> inconsistent{0};
  std::thread reader([&] {
    while (!stop.load()) {
      absl::StatusOr<HouseholdView> household = engine_->GetHousehold("K1", Scope::National());
      // Every version of K1 written below has exactly two members.
      if (household.ok() && household->members.size() != 2) ++inconsistent;
      MatchQuery query;
      query.person.nama = "Budi Santoso";
      (void)engine_->Match(query, Scope::National(), 3);
    }
  });
  for (int i = 0; i < 100; ++i) {
    ASSERT_THAT(database_->Write(
                    {MakeUpsert("K1", "3201011203150007", 3201011001,
                                {MakeTestPerson("P1", "Budi Santoso", "1980-05-17", Sex::kLakiLaki,
                                                "3201011705800003", Hubungan::kKepalaKeluarga),
                                 MakeTestPerson(absl::StrCat("X", i), "Anak Ke", "2010-01-01",
                                                Sex::kLakiLaki, "", Hubungan::kAnak)})}),
                IsOk());
  }
  stop = true;
  reader.join();
  EXPECT_EQ(inconsistent.load(), 0);
}

}  // namespace
}  // namespace padan
