#include "matching/fellegi_sunter_model.h"

#include <cmath>
#include <random>

#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "matching/em_trainer.h"
#include "matching/phonetic_key.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::StatusIs;
using ::testing::HasSubstr;

MatchName Name(std::string_view text) {
  MatchName name;
  name.canonical = std::string(text);
  std::vector<std::string> keys;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ' ') {
      if (i > start) {
        name.token_spans.emplace_back(start, i - start);
        keys.push_back(PhoneticKey(text.substr(start, i - start)));
      }
      start = i + 1;
    }
  }
  std::sort(keys.begin(), keys.end());
  for (const std::string& key : keys) {
    if (!name.phonetic_sorted.empty()) name.phonetic_sorted += ' ';
    name.phonetic_sorted += key;
  }
  return name;
}

MatchRecord Record(std::string_view nama, std::string_view dob, uint64_t nik, KodeWilayah region) {
  MatchRecord record;
  record.nama = Name(nama);
  record.tanggal_lahir = *Date::Parse(dob);
  record.nik = nik;
  record.kode_wilayah = region;
  record.jenis_kelamin = Sex::kPerempuan;
  return record;
}

FellegiSunterModel DefaultModel() { return FellegiSunterModel(*ComparisonSpec::Default()); }

size_t FieldIndex(const FellegiSunterModel& model, std::string_view name) {
  for (size_t f = 0; f < model.field_count(); ++f) {
    if (model.spec().fields[f].name == name) return f;
  }
  return model.field_count();
}

TEST(ComparisonSpecTest, DefaultSpecLoadsWithEveryField) {
  absl::StatusOr<ComparisonSpec> spec = ComparisonSpec::Default();
  ASSERT_THAT(spec, IsOk());
  EXPECT_EQ(spec->fields.size(), 7u);
  EXPECT_EQ(spec->fields[0].name, "nama");
  EXPECT_EQ(spec->fields[0].levels[1].name, "jaro_winkler_0.94");
  EXPECT_TRUE(spec->fields[0].term_frequency);
  absl::StatusOr<ComparisonSpec> again = ComparisonSpec::FromJson(spec->ToJson());
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->Fingerprint(), spec->Fingerprint());
}

TEST(ComparisonSpecTest, ErrorsNameTheProblem) {
  auto error = [](std::string_view json) {
    absl::StatusOr<ComparisonSpec> spec = ComparisonSpec::FromJson(json);
    EXPECT_THAT(spec, StatusIs(absl::StatusCode::kInvalidArgument)) << json;
    return std::string(spec.status().message());
  };
  EXPECT_THAT(error("{}"), HasSubstr("fields"));
  EXPECT_THAT(error(R"({"fields":[{"field":"umur","levels":[{"test":"exact"}]}]})"),
              HasSubstr("unknown field 'umur'"));
  EXPECT_THAT(error(R"({"fields":[{"field":"nama","levels":[{"test":"same_year"}]}]})"),
              HasSubstr("does not apply to nama"));
  EXPECT_THAT(error(R"({"fields":[{"field":"nama","levels":[{"test":"jaro_winkler"}]}]})"),
              HasSubstr("needs a threshold"));
  EXPECT_THAT(error(R"({"fields":[{"field":"nik","levels":[{"test":"exact","threshold":1}]}]})"),
              HasSubstr("takes no threshold"));
  EXPECT_THAT(error(R"({"fields":[{"field":"nik","levels":[]}]})"), HasSubstr("at least one"));
  EXPECT_THAT(error(R"({"fields":[{"field":"nik","levels":[{"test":"exact"}]},)"
                    R"({"field":"nik","levels":[{"test":"exact"}]}]})"),
              HasSubstr("twice"));
  EXPECT_THAT(error(R"({"fields":[{"field":"nik","term_frequency":true,)"
                    R"("levels":[{"test":"exact"}]}]})"),
              HasSubstr("name fields only"));
}

TEST(ComparisonVectorTest, LevelsFollowTheSpecOrder) {
  FellegiSunterModel model = DefaultModel();
  const ComparisonSpec& spec = model.spec();
  MatchRecord a = Record("siti aminah", "1980-05-17", 3201015705800001, 3201011001);
  MatchRecord b = a;
  ComparisonVector same = Compare(spec, a, b);
  EXPECT_EQ(same.levels[FieldIndex(model, "nama")], 0);  // exact
  EXPECT_EQ(same.levels[FieldIndex(model, "nik")], 0);   // exact
  EXPECT_EQ(same.levels[FieldIndex(model, "nama_ibu_kandung")], kMissingLevel);

  b.nama = Name("siti aminnah");
  b.nik = 3201015705800007;
  b.kode_wilayah = 3201011002;
  ComparisonVector near = Compare(spec, a, b);
  EXPECT_EQ(spec.fields[0].levels[near.levels[0]].name, "jaro_winkler_0.94");
  EXPECT_EQ(
      spec.fields[FieldIndex(model, "nik")].levels[near.levels[FieldIndex(model, "nik")]].name,
      "one_substitution");
  EXPECT_EQ(spec.fields[FieldIndex(model, "kode_wilayah")]
                .levels[near.levels[FieldIndex(model, "kode_wilayah")]]
                .name,
            "same_kecamatan");

  b.nama = Name("aminah siti");
  EXPECT_EQ(spec.fields[0].levels[Compare(spec, a, b).levels[0]].name, "token_set_0.85");
  b.nama = Name("s aminah");
  EXPECT_EQ(spec.fields[0].levels[Compare(spec, a, b).levels[0]].name, "initials");
  b.nama = Name("budi santoso");
  EXPECT_EQ(Compare(spec, a, b).levels[0], spec.fields[0].else_level());
  b.nama = MatchName();
  EXPECT_EQ(Compare(spec, a, b).levels[0], kMissingLevel);
}

TEST(FellegiSunterModelTest, WeightIsPriorPlusLevelWeights) {
  FellegiSunterModel model = DefaultModel();
  size_t nik = FieldIndex(model, "nik");
  model.set_m(nik, 0, 0.9);
  model.set_u(nik, 0, 0.0009);
  model.set_lambda(0.01);
  MatchRecord a = Record("siti aminah", "1980-05-17", 3201015705800001, 3201011001);
  model.set_u_given(nik, 0, 0.09);
  ScoredPair scored = model.Score(a, a, nullptr);
  double expected = model.PriorWeight();
  for (size_t f = 0; f < model.field_count(); ++f) {
    if (scored.comparison.levels[f] != kMissingLevel) {
      expected += model.LevelWeight(f, scored.comparison.levels[f], scored.comparison);
    }
  }
  EXPECT_NEAR(scored.match_weight, expected, 1e-9);
  EXPECT_NEAR(model.LevelWeight(nik, 0), std::log2(1000.0), 1e-9);
  // The dates agree, so the NIK's u is the one given equal dates.
  EXPECT_NEAR(model.LevelWeight(nik, 0, scored.comparison), std::log2(10.0), 1e-9);
  EXPECT_NEAR(scored.explanation[nik].weight, std::log2(10.0), 1e-9);
  EXPECT_NEAR(scored.match_probability,
              FellegiSunterModel::ProbabilityFromWeight(scored.match_weight), 1e-12);
  ASSERT_EQ(scored.explanation.size(), model.field_count());
  EXPECT_EQ(scored.explanation[nik].field, "nik");
  EXPECT_EQ(scored.explanation[nik].level, "exact");
  EXPECT_EQ(scored.explanation[FieldIndex(model, "nama_ibu_kandung")].level, "missing");
  EXPECT_EQ(scored.explanation[FieldIndex(model, "nama_ibu_kandung")].weight, 0);
}

TEST(FellegiSunterModelTest, DecisionFollowsThresholds) {
  FellegiSunterModel model = DefaultModel();
  model.set_thresholds(5, -1);
  EXPECT_EQ(model.Decide(5), Decision::kMatch);
  EXPECT_EQ(model.Decide(4.9), Decision::kPossibleMatch);
  EXPECT_EQ(model.Decide(-1), Decision::kPossibleMatch);
  EXPECT_EQ(model.Decide(-1.1), Decision::kNonMatch);
  EXPECT_NEAR(FellegiSunterModel::ProbabilityFromWeight(0), 0.5, 1e-12);
}

TEST(FellegiSunterModelTest, RareNamesWeighMoreThanCommonOnes) {
  FellegiSunterModel model = DefaultModel();
  std::vector<MatchRecord> records;
  // A registry where one name is very common and the rest are rare.
  for (int i = 0; i < 200; ++i) records.push_back(Record("siti aminah", "1980-05-17", 0, 0));
  records.push_back(Record("rahmawati kusumaningrum", "1980-05-17", 0, 0));
  for (int i = 0; i < 100; ++i) {
    records.push_back(
        Record(absl::StrFormat("nama%c%c", 'a' + i % 26, 'a' + i / 26), "1990", 0, 0));
  }
  FrequencyTables tables = BuildFrequencyTables(records);
  double common = model.Score(records[0], records[1], &tables).match_weight;
  double rare = model.Score(records[200], records[200], &tables).match_weight;
  EXPECT_GT(rare, common + 4);
  ScoredPair scored = model.Score(records[0], records[1], &tables);
  EXPECT_LT(scored.explanation[0].tf_adjustment, 0);
}

TEST(FellegiSunterModelTest, JsonRoundTripsExactly) {
  FellegiSunterModel model = DefaultModel();
  model.set_m(0, 0, 0.123456789012345);
  model.set_u(3, 1, 1.5e-7);
  model.set_lambda(2.5e-6);
  model.set_thresholds(7.5, 1.25);
  model.set_version("fs1-test");
  absl::StatusOr<FellegiSunterModel> loaded = FellegiSunterModel::FromJson(model.ToJson());
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->m(0, 0), 0.123456789012345);
  EXPECT_EQ(loaded->u(3, 1), 1.5e-7);
  EXPECT_EQ(loaded->lambda(), 2.5e-6);
  EXPECT_EQ(loaded->match_threshold(), 7.5);
  EXPECT_EQ(loaded->possible_threshold(), 1.25);
  EXPECT_EQ(loaded->version(), "fs1-test");
  EXPECT_EQ(loaded->spec().Fingerprint(), model.spec().Fingerprint());

  std::string path = padan::testing::MakeTempDir() + "/model.json";
  ASSERT_THAT(model.Save(path), IsOk());
  absl::StatusOr<FellegiSunterModel> from_file = FellegiSunterModel::Load(path);
  ASSERT_THAT(from_file, IsOk());
  EXPECT_EQ(from_file->ToJson(), model.ToJson());
}

TEST(FellegiSunterModelTest, RejectsDamagedModelFiles) {
  std::string json = DefaultModel().ToJson();
  auto replaced = [&](std::string_view from, std::string_view to) {
    std::string copy = json;
    size_t at = copy.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    copy.replace(at, from.size(), to);
    return FellegiSunterModel::FromJson(copy);
  };
  EXPECT_THAT(replaced("\"format_version\": 1", "\"format_version\": 99"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(replaced("padan-fellegi-sunter", "other"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(replaced("\"level\": \"exact\"", "\"level\": \"exakt\""),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(replaced("\"lambda\": ", "\"lambda\": -"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FellegiSunterModel::FromJson("{"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FellegiSunterModel::Load("/nonexistent/model.json"),
              StatusIs(absl::StatusCode::kNotFound));
}

// EM recovers m and λ on agreement patterns simulated from known parameters.
TEST(EmTrainerTest, RecoversKnownParametersFromSimulatedPatterns) {
  absl::StatusOr<ComparisonSpec> spec = ComparisonSpec::FromJson(R"({"fields":[
    {"field":"nik","levels":[{"test":"exact"},{"test":"one_substitution"}]},
    {"field":"tanggal_lahir","levels":[{"test":"exact"},{"test":"same_year"}]},
    {"field":"jenis_kelamin","levels":[{"test":"exact"}]},
    {"field":"kode_wilayah","levels":[{"test":"exact"},{"test":"same_kecamatan"}]}]})");
  ASSERT_THAT(spec, IsOk());
  const std::vector<std::vector<double>> m = {
      {0.85, 0.10, 0.05}, {0.75, 0.20, 0.05}, {0.97, 0.03}, {0.60, 0.30, 0.10}};
  const std::vector<std::vector<double>> u = {
      {0.001, 0.01, 0.989}, {0.002, 0.05, 0.948}, {0.5, 0.5}, {0.05, 0.15, 0.80}};
  const double lambda = 0.2;
  std::mt19937_64 rng(42);
  absl::flat_hash_map<ComparisonVector, uint64_t> counts;
  for (int n = 0; n < 200000; ++n) {
    bool match = std::bernoulli_distribution(lambda)(rng);
    ComparisonVector v;
    v.size = 4;
    for (size_t f = 0; f < 4; ++f) {
      const std::vector<double>& p = match ? m[f] : u[f];
      v.levels[f] = static_cast<uint8_t>(std::discrete_distribution<int>(p.begin(), p.end())(rng));
    }
    ++counts[v];
  }
  std::vector<std::pair<ComparisonVector, uint64_t>> patterns(counts.begin(), counts.end());
  FellegiSunterModel model(*spec);
  for (size_t f = 0; f < 4; ++f) {
    for (size_t l = 0; l < u[f].size(); ++l) {
      model.set_u(f, l, u[f][l]);
      model.set_m(f, l, 1.0 / static_cast<double>(u[f].size()));
    }
  }
  TrainingOptions options;
  EmSessionReport report = RunEm(patterns, {true, true, true, true}, 0.5, options, &model);
  EXPECT_TRUE(report.converged);
  EXPECT_EQ(report.patterns, patterns.size());
  EXPECT_NEAR(report.lambda, lambda, 0.01);
  for (size_t f = 0; f < 4; ++f) {
    for (size_t l = 0; l < m[f].size(); ++l) {
      EXPECT_NEAR(model.m(f, l), m[f][l], 0.02) << "field " << f << " level " << l;
    }
  }
}

TEST(EmTrainerTest, TrainModelNeedsRecords) {
  FellegiSunterModel model = DefaultModel();
  std::vector<MatchRecord> one = {Record("siti", "1980", 0, 0)};
  EXPECT_THAT(TrainModel(one, TrainingOptions(), &model),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(EmTrainerTest, TrainsADeterministicModelOnDuplicatedRecords) {
  std::vector<MatchRecord> records;
  std::mt19937_64 rng(7);
  const std::vector<std::string> first = {"siti", "budi",  "agus", "dewi", "rina",
                                          "joko", "wahyu", "ani",  "eko",  "sri"};
  const std::vector<std::string> second = {"aminah",    "santoso", "wijaya",  "lestari",
                                           "rahmawati", "susanto", "hidayat", "utami"};
  for (int i = 0; i < 3000; ++i) {
    std::string name = first[rng() % first.size()] + " " + second[rng() % second.size()];
    std::string dob =
        absl::StrFormat("%04d-%02d-%02d", 1950 + rng() % 60, 1 + rng() % 12, 1 + rng() % 28);
    uint64_t nik = 3201010000000000 + rng() % 1000000000;
    MatchRecord record = Record(name, dob, nik, 3201011000 + rng() % 20);
    records.push_back(record);
    if (i % 5 == 0) {  // a duplicate with a NIK typo
      record.nik += 1;
      records.push_back(record);
    }
  }
  TrainingOptions options;
  options.random_pairs = 200000;
  FellegiSunterModel model = DefaultModel();
  absl::StatusOr<TrainingReport> report = TrainModel(records, options, &model);
  ASSERT_THAT(report, IsOk());
  EXPECT_FALSE(report->sessions.empty());
  // Agreement on the name is evidence for, disagreement against.
  EXPECT_GT(model.LevelWeight(0, 0), 0);
  EXPECT_LT(model.LevelWeight(0, model.spec().fields[0].else_level()), 0);
  EXPECT_GT(model.lambda(), 0);
  EXPECT_LT(model.lambda(), 0.01);
  FellegiSunterModel again = DefaultModel();
  ASSERT_THAT(TrainModel(records, options, &again), IsOk());
  EXPECT_EQ(again.ToJson(), model.ToJson());
}

// A registry with no duplicates gives EM nothing to learn m from; without a prior the few
// blocked pairs (here none that match) would set them. With the shipped model as prior an
// identical record still scores as a match, and λ is at least 1 / records.
TEST(EmTrainerTest, ARegistryWithoutDuplicatesKeepsThePriorsM) {
  std::vector<MatchRecord> records;
  std::mt19937_64 rng(11);
  const std::vector<std::string> first = {"siti", "budi", "agus", "dewi", "rina", "joko"};
  const std::vector<std::string> second = {"aminah", "santoso", "wijaya", "lestari", "utami"};
  for (int i = 0; i < 2000; ++i) {
    std::string name = first[rng() % first.size()] + " " + second[rng() % second.size()];
    std::string dob =
        absl::StrFormat("%04d-%02d-%02d", 1950 + rng() % 60, 1 + rng() % 12, 1 + rng() % 28);
    records.push_back(
        Record(name, dob, 3201010000000000 + rng() % 1000000000, 3201011000 + rng() % 20));
  }
  absl::StatusOr<FellegiSunterModel> prior = FellegiSunterModel::LoadDefault();
  ASSERT_THAT(prior, IsOk());
  TrainingOptions options;
  options.random_pairs = 100000;
  options.prior = &*prior;
  FellegiSunterModel model = *prior;
  ASSERT_THAT(TrainModel(records, options, &model), IsOk());
  EXPECT_GE(model.lambda(), 1.0 / 2000);
  const size_t nik = 3;  // the default spec's NIK field
  ASSERT_EQ(model.spec().fields[nik].name, "nik");
  EXPECT_NEAR(model.m(nik, 0), prior->m(nik, 0), 0.05);
  ScoredPair same = model.Score(records[0], records[0], nullptr);
  EXPECT_EQ(same.decision, Decision::kMatch) << same.match_weight;
}

}  // namespace
}  // namespace padan
