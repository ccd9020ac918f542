// Deduplicate on a generated registry with its truth: the clusters found are measured against
// the generator's, the files are checked row by row, and bad input is refused with a message.
#include "index/dedup.h"

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "data/column_mapping.h"
#include "data/generator/generator.h"
#include "data/importer.h"
#include "data/name_frequency_table.h"
#include "data/population_table.h"
#include "data/region_table.h"
#include "data/row_reader.h"
#include "tests/test_records.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::StatusIs;
using ::testing::HasSubstr;

// A generated registry of 6,000 persons, 10 % of them registered twice, imported.
class DedupTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(padan::testing::MakeTempDir());
    regions_ = RegionTable::LoadEmbedded()->release();
    names_ = NameNormalizer::LoadEmbedded()->release();
    addresses_ = AddressNormalizer::LoadEmbedded()->release();
    std::unique_ptr<PopulationTable> population = *PopulationTable::LoadEmbedded();
    std::unique_ptr<NameFrequencyTable> frequencies = *NameFrequencyTable::LoadEmbedded();
    std::unique_ptr<gen::Generator> generator =
        *gen::Generator::Create(*regions_, *population, *frequencies);
    gen::GeneratorOptions options;
    options.persons = 6000;
    options.seed = 11;
    options.dup_rate = 0.1;
    options.out_dir = *dir_;
    ASSERT_THAT(generator->Run(options).status(), IsOk());

    registry_ = new Registry(*names_, *addresses_);
    std::unique_ptr<RowReader> reader = *OpenRowReader(*dir_ + "/dtks.csv");
    ImportOptions import;
    import.rejects_path = *dir_ + "/rejects.csv";
    ASSERT_THAT(ImportRows(*reader, ColumnMapping(), *regions_, import,
                           [](const Household& household, const Person& person) {
                             return registry_->Add(household, person);
                           })
                    .status(),
                IsOk());
    ASSERT_THAT(registry_->FinishBulkLoad(), IsOk());
    model_ = new FellegiSunterModel(*FellegiSunterModel::LoadDefault());
  }
  static void TearDownTestSuite() {
    delete model_;
    delete registry_;
    delete addresses_;
    delete names_;
    delete regions_;
    delete dir_;
  }

  static DedupOptions Options(std::string out) {
    DedupOptions options;
    options.threads = 2;
    options.out = std::move(out);
    options.truth = *dir_ + "/truth.csv";
    return options;
  }

  static std::string* dir_;
  static const RegionTable* regions_;
  static const NameNormalizer* names_;
  static const AddressNormalizer* addresses_;
  static Registry* registry_;
  static const FellegiSunterModel* model_;
};
std::string* DedupTest::dir_ = nullptr;
const RegionTable* DedupTest::regions_ = nullptr;
const NameNormalizer* DedupTest::names_ = nullptr;
const AddressNormalizer* DedupTest::addresses_ = nullptr;
Registry* DedupTest::registry_ = nullptr;
const FellegiSunterModel* DedupTest::model_ = nullptr;

TEST_F(DedupTest, ClustersMatchTheGeneratorsTruth) {
  absl::StatusOr<DedupSummary> summary =
      Deduplicate(*registry_, *model_, Options(""), BatchControl());
  ASSERT_THAT(summary, IsOk());
  EXPECT_EQ(summary->persons, registry_->store().live_person_count());
  ASSERT_TRUE(summary->evaluated);
  const PairwiseEvaluation& e = summary->evaluation;
  // About 600 true pairs: missing or inventing a few dozen of them fails.
  EXPECT_GT(e.true_pairs, 400u);
  EXPECT_GE(e.precision(), 0.95) << e.true_positives << " of " << e.predicted_pairs;
  EXPECT_GE(e.recall(), 0.95) << e.true_positives << " of " << e.true_pairs;
  EXPECT_EQ(summary->persons_without_truth, 0u);
  // The size histograms count every person once.
  uint64_t persons = 0;
  for (size_t s = 1; s < summary->cluster_sizes.size(); ++s) {
    persons += s * summary->cluster_sizes[s];
  }
  EXPECT_EQ(persons, summary->persons);
  EXPECT_EQ(summary->clustered_persons, persons - summary->cluster_sizes[1]);
  EXPECT_GT(summary->household_duplicates, 0u);
}

TEST_F(DedupTest, SmallerBlocksFindFewerPairs) {
  // The cap on a key's persons is what bounds the work: at 3 most pairs are never scored.
  DedupOptions options = Options("");
  absl::StatusOr<DedupSummary> full = Deduplicate(*registry_, *model_, options, BatchControl());
  options.max_block_size.fill(3);
  absl::StatusOr<DedupSummary> capped = Deduplicate(*registry_, *model_, options, BatchControl());
  ASSERT_THAT(full, IsOk());
  ASSERT_THAT(capped, IsOk());
  EXPECT_LT(capped->candidate_pairs * 2, full->candidate_pairs);
  EXPECT_GT(capped->kinds[0].keys_over_cap, 0u);
  EXPECT_LE(capped->evaluation.recall(), full->evaluation.recall());
}

TEST_F(DedupTest, WritesOneRowPerClusteredPersonAndTheHouseholds) {
  const std::string out = *dir_ + "/dedup.csv";
  absl::StatusOr<DedupSummary> summary =
      Deduplicate(*registry_, *model_, Options(out), BatchControl());
  ASSERT_THAT(summary, IsOk());
  EXPECT_EQ(summary->households_out, *dir_ + "/dedup.households.csv");
  std::vector<std::map<std::string, std::string>> rows = padan::testing::ReadRows(out);
  ASSERT_EQ(rows.size(), summary->clustered_persons);
  std::map<std::string, std::vector<const std::map<std::string, std::string>*>> clusters;
  for (const auto& row : rows) clusters[row.at("cluster_id")].push_back(&row);
  EXPECT_EQ(clusters.size(), summary->clusters);
  for (const auto& [id, members] : clusters) {
    ASSERT_EQ(std::to_string(members.size()), members[0]->at("cluster_size")) << id;
    int representatives = 0;
    for (const auto* member : members) {
      representatives += member->at("is_representative") == "1";
      EXPECT_EQ(member->at("representative"), members[0]->at("representative"));
      // Every person of a cluster has a link inside it, with its evidence.
      EXPECT_FALSE(member->at("linked_to").empty());
      EXPECT_THAT(member->at("evidence"), HasSubstr("nama="));
      const double confidence = std::stod(member->at("confidence"));
      EXPECT_GT(confidence, 0.5);
      EXPECT_LE(confidence, 1.0);
    }
    EXPECT_EQ(representatives, 1) << id;
  }
  std::vector<std::map<std::string, std::string>> households =
      padan::testing::ReadRows(*dir_ + "/dedup.households.csv");
  ASSERT_EQ(households.size(), summary->household_duplicates);
  for (const auto& row : households) {
    EXPECT_NE(row.at("id_keluarga_a"), row.at("id_keluarga_b"));
    const int shared = std::stoi(row.at("shared_persons"));
    EXPECT_GE(2 * shared, std::min(std::stoi(row.at("members_a")), std::stoi(row.at("members_b"))));
  }
}

TEST_F(DedupTest, NdjsonOutputHasTheSameRows) {
  const std::string out = *dir_ + "/dedup.ndjson";
  absl::StatusOr<DedupSummary> summary =
      Deduplicate(*registry_, *model_, Options(out), BatchControl());
  ASSERT_THAT(summary, IsOk());
  std::unique_ptr<RowReader> reader = *OpenRowReader(out);
  Row row;
  uint64_t lines = 0;
  while (*reader->Next(&row)) {
    EXPECT_TRUE(row.error.empty()) << row.error;
    ++lines;
  }
  EXPECT_EQ(lines, summary->clustered_persons);
  EXPECT_THAT(padan::testing::ReadFile(*dir_ + "/dedup.households.ndjson"),
              HasSubstr("\"shared_persons\":"));
}

TEST_F(DedupTest, ScopeKeepsOutEveryoneElse) {
  // The province of the first person: a part of the registry only.
  const RecordStore& store = registry_->store();
  const KodeWilayah province = store.kode_wilayah(store.household_of(PersonId(0))) / 100'000'000;
  DedupOptions options = Options(*dir_ + "/scoped.csv");
  options.scope = *Scope::FromCode(province);
  absl::StatusOr<DedupSummary> summary = Deduplicate(*registry_, *model_, options, BatchControl());
  ASSERT_THAT(summary, IsOk());
  EXPECT_GT(summary->persons, 0u);
  EXPECT_LT(summary->persons, store.live_person_count());
  for (const auto& row : padan::testing::ReadRows(*dir_ + "/scoped.csv")) {
    EXPECT_EQ(row.at("kode_wilayah").substr(0, 2), std::to_string(province));
  }
}

TEST_F(DedupTest, CancelStopsTheRun) {
  std::atomic<bool> cancel{true};
  BatchControl control;
  control.cancel = &cancel;
  EXPECT_THAT(Deduplicate(*registry_, *model_, Options(""), control).status(),
              StatusIs(absl::StatusCode::kCancelled));
}

TEST_F(DedupTest, ReportsProgressOfEveryPhase) {
  std::vector<std::string> phases;
  BatchControl control;
  control.progress = [&](std::string_view phase, uint64_t done, uint64_t total) {
    EXPECT_LE(done, total);
    if (phases.empty() || phases.back() != phase) phases.emplace_back(phase);
  };
  ASSERT_THAT(Deduplicate(*registry_, *model_, Options(*dir_ + "/p.csv"), control), IsOk());
  EXPECT_THAT(phases, ::testing::IsSupersetOf({"keys", "pairs", "scoring", "clusters", "output"}));
}

TEST_F(DedupTest, BadTruthAndOutputAreRefusedWithAMessage) {
  DedupOptions options = Options("");
  options.truth = *dir_ + "/no_cluster.csv";
  padan::testing::WriteFile(options.truth, "id_art,kluster\nA,1\n");
  EXPECT_THAT(Deduplicate(*registry_, *model_, options, BatchControl()).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  options.truth = *dir_ + "/ragged.csv";
  padan::testing::WriteFile(options.truth, "id_art,cluster_id\nA,1\nB,2,3\n");
  absl::Status ragged = Deduplicate(*registry_, *model_, options, BatchControl()).status();
  EXPECT_THAT(ragged, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ragged.message(), HasSubstr("line 3"));
  options.truth = *dir_ + "/missing.csv";
  EXPECT_THAT(Deduplicate(*registry_, *model_, options, BatchControl()).status(),
              StatusIs(absl::StatusCode::kNotFound));
  options.truth.clear();
  options.out = *dir_ + "/dedup.txt";
  EXPECT_THAT(Deduplicate(*registry_, *model_, options, BatchControl()).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  options.out = *dir_ + "/no/such/dir/dedup.csv";
  EXPECT_FALSE(Deduplicate(*registry_, *model_, options, BatchControl()).ok());
}

Household MakeHousehold(std::string id, KodeWilayah region) {
  Household household;
  household.id_keluarga = std::move(id);
  household.kode_wilayah = region;
  household.alamat = "Jl. Mawar No. 5";
  return household;
}

TEST(DedupNikTest, ANikMistypedInTheBirthPartDoesNotSplitAPerson) {
  std::unique_ptr<NameNormalizer> names = *NameNormalizer::LoadEmbedded();
  std::unique_ptr<AddressNormalizer> addresses = *AddressNormalizer::LoadEmbedded();
  Registry registry(*names, *addresses);
  using padan::testing::MakeTestPerson;
  // Two women born the same day in neighbouring kecamatan, NIKs in sequence: two people.
  ASSERT_THAT(registry.Add(MakeHousehold("K1", 3216062004),
                           MakeTestPerson("P1", "DWI DIRA", "2001-06-11", Sex::kPerempuan,
                                          "3216065106010001", Hubungan::kAnak, "SUMARNI")),
              IsOk());
  ASSERT_THAT(registry.Add(MakeHousehold("K2", 3216072002),
                           MakeTestPerson("P2", "Dwi Iriana", "2001-06-11", Sex::kPerempuan,
                                          "3216075106010001", Hubungan::kAnak, "KARSIH")),
              IsOk());
  // One man registered twice, the second time with his birth date's digits in the NIK
  // mistyped: the second NIK disagrees with his birth date, so it is no identity of its own.
  ASSERT_THAT(
      registry.Add(MakeHousehold("K3", 3201011001),
                   MakeTestPerson("P3", "BUDI SANTOSO", "1980-05-17", Sex::kLakiLaki,
                                  "3201011705800003", Hubungan::kKepalaKeluarga, "SITI AMINAH")),
      IsOk());
  Person typo = MakeTestPerson("P4", "Budi Santoso", "1980-05-17", Sex::kLakiLaki,
                               "3201011703800003", Hubungan::kKepalaKeluarga, "Siti Aminah");
  typo.flags |= kPersonNikDobConflict;
  ASSERT_THAT(registry.Add(MakeHousehold("K4", 3201011002), typo), IsOk());
  ASSERT_THAT(registry.FinishBulkLoad(), IsOk());

  const std::string out = padan::testing::MakeTempDir() + "/nik.csv";
  DedupOptions options;
  options.out = out;
  absl::StatusOr<DedupSummary> summary =
      Deduplicate(registry, *FellegiSunterModel::LoadDefault(), options, BatchControl());
  ASSERT_THAT(summary, IsOk());
  std::map<std::string, std::string> cluster_of;
  for (const auto& row : padan::testing::ReadRows(out))
    cluster_of[row.at("id_art")] = row.at("cluster_id");
  EXPECT_EQ(cluster_of.count("P1") + cluster_of.count("P2"), 0u);
  ASSERT_EQ(cluster_of.count("P3") + cluster_of.count("P4"), 2u);
  EXPECT_EQ(cluster_of["P3"], cluster_of["P4"]);
}

TEST(DedupPathsTest, HouseholdsFileSitsBesideTheResults) {
  EXPECT_EQ(HouseholdsPath("/tmp/x/dedup.csv"), "/tmp/x/dedup.households.csv");
  EXPECT_EQ(HouseholdsPath("out.jsonl"), "out.households.jsonl");
  EXPECT_EQ(HouseholdsPath("/tmp/a.b/dedup"), "/tmp/a.b/dedup.households");
}

}  // namespace
}  // namespace padan
