// End-to-end properties of `padan gen` output: determinism, exact counts, NIKs consistent with
// their persons, households and ages that make sense, duplicates that carry what the truth
// says, and a verivali truth that accounts for every record.
#include "data/generator/generator.h"

#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"

#include "data/absl_strings.h"
#include "data/date.h"
#include "data/field_codes.h"
#include "data/nik.h"
#include "tests/test_util.h"

namespace padan::gen {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::ReadFile;
using ::padan::testing::StatusIs;

using Row = std::vector<std::string>;

// RFC 4180: quoted fields may hold commas and doubled quotes (no line breaks in our data).
std::vector<Row> ParseCsv(const std::string& text) {
  std::vector<Row> rows;
  for (absl::string_view raw : absl::StrSplit(ToAbsl(text), '\n', absl::SkipEmpty())) {
    std::string_view line = FromAbsl(raw);
    Row row;
    std::string field;
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if (quoted) {
        if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.push_back(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.push_back(std::move(field));
        field.clear();
      } else {
        field.push_back(c);
      }
    }
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

// Columns of dtks.csv.
enum Col {
  kIdArt,
  kIdKeluarga,
  kProvinsi,
  kKabKota,
  kKecamatan,
  kDesa,
  kAlamat,
  kDusun,
  kRt,
  kRw,
  kNoKk,
  kNik,
  kNama,
  kTanggalLahir,
  kTempatLahir,
  kJenisKelamin,
  kNamaIbu,
  kHubungan,
  kStatusKawin,
  kPekerjaan,
  kStatusHidup,
  kColumns,
};

struct TruthRow {
  std::string cluster;
  std::string id_keluarga;
  bool duplicate = false;
  std::set<std::string> corruptions;
};

Date Dob(const Row& row) { return *Date::Parse(row[kTanggalLahir], DateFormat::kDmy); }
Sex SexOf(const Row& row) {
  return row[kJenisKelamin] == "Perempuan" ? Sex::kPerempuan : Sex::kLakiLaki;
}
int AgeOf(const Row& row) { return AgeAt(Dob(row).days(), SnapshotDays()); }

class GeneratorTest : public ::testing::Test {
 protected:
  static constexpr int64_t kPersons = 6000;

  static void SetUpTestSuite() {
    regions_ = RegionTable::LoadEmbedded()->release();
    population_ = PopulationTable::LoadEmbedded()->release();
    names_ = NameFrequencyTable::LoadEmbedded()->release();
    generator_ = Generator::Create(*regions_, *population_, *names_)->release();
    // One directory per process: ctest runs each test in its own process, maybe in parallel.
    dir_ = new std::string(std::filesystem::path(::testing::TempDir()) /
                           ("padan_generator_test_" + std::to_string(getpid())));
    std::filesystem::remove_all(*dir_);
    GeneratorOptions options;
    options.persons = kPersons;
    options.seed = 7;
    options.dup_rate = 0.2;
    options.prelist = true;
    options.prelist_share = 0.3;
    options.threads = 2;
    options.out_dir = *dir_;
    absl::StatusOr<GeneratorReport> report = generator_->Run(options);
    ASSERT_THAT(report, IsOk());
    report_ = new GeneratorReport(*report);
    dtks_ = new std::vector<Row>(ParseCsv(ReadFile(*dir_ + "/dtks.csv")));
    truth_ = new std::vector<Row>(ParseCsv(ReadFile(*dir_ + "/truth.csv")));
    by_id_ = new std::map<std::string, const Row*>();
    for (size_t i = 1; i < dtks_->size(); ++i) (*by_id_)[(*dtks_)[i][kIdArt]] = &(*dtks_)[i];
    truth_by_id_ = new std::map<std::string, TruthRow>();
    for (size_t i = 1; i < truth_->size(); ++i) {
      const Row& t = (*truth_)[i];
      TruthRow row{t[1], t[2], t[3] == "duplicate", {}};
      for (absl::string_view c : absl::StrSplit(t[4], ';', absl::SkipEmpty())) {
        row.corruptions.insert(std::string(c));
      }
      (*truth_by_id_)[t[0]] = row;
    }
  }

  static void TearDownTestSuite() {
    delete truth_by_id_;
    delete by_id_;
    delete truth_;
    delete dtks_;
    delete report_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete generator_;
    delete names_;
    delete population_;
    delete regions_;
  }

  static bool Has(const TruthRow& t, std::string_view corruption) {
    return t.corruptions.contains(std::string(corruption));
  }

  static absl::StatusOr<GeneratorReport> RunInto(const std::string& dir, int64_t persons,
                                                 uint64_t seed, int threads) {
    GeneratorOptions options;
    options.persons = persons;
    options.seed = seed;
    options.dup_rate = 0.15;
    options.prelist = true;
    options.prelist_share = 0.4;
    options.threads = threads;
    options.out_dir = dir;
    return generator_->Run(options);
  }

  static inline RegionTable* regions_ = nullptr;
  static inline PopulationTable* population_ = nullptr;
  static inline NameFrequencyTable* names_ = nullptr;
  static inline Generator* generator_ = nullptr;
  static inline std::string* dir_ = nullptr;
  static inline GeneratorReport* report_ = nullptr;
  static inline std::vector<Row>* dtks_ = nullptr;
  static inline std::vector<Row>* truth_ = nullptr;
  static inline std::map<std::string, const Row*>* by_id_ = nullptr;
  static inline std::map<std::string, TruthRow>* truth_by_id_ = nullptr;
};

constexpr std::array<const char*, 7> kFiles = {
    "dtks.csv",       "truth.csv",         "gen.json",         "prelist.csv",
    "field_papi.csv", "field_capi.ndjson", "prelist_truth.csv"};

TEST_F(GeneratorTest, SameSeedGivesIdenticalFilesWhateverTheThreads) {
  const std::string dir = padan::testing::MakeTempDir();
  ASSERT_THAT(RunInto(dir + "/a", 9000, 3, 1), IsOk());
  ASSERT_THAT(RunInto(dir + "/b", 9000, 3, 3), IsOk());
  for (const char* file : kFiles) {
    std::string a = ReadFile(dir + "/a/" + file);
    EXPECT_FALSE(a.empty()) << file;
    EXPECT_TRUE(a == ReadFile(dir + "/b/" + file)) << file << " differs";
  }
}

TEST_F(GeneratorTest, DifferentSeedGivesDifferentData) {
  const std::string dir = padan::testing::MakeTempDir();
  ASSERT_THAT(RunInto(dir + "/a", 2000, 3, 2), IsOk());
  ASSERT_THAT(RunInto(dir + "/b", 2000, 4, 2), IsOk());
  std::vector<Row> a = ParseCsv(ReadFile(dir + "/a/dtks.csv"));
  std::vector<Row> b = ParseCsv(ReadFile(dir + "/b/dtks.csv"));
  ASSERT_GT(a.size(), 1u);
  ASSERT_GT(b.size(), 1u);
  EXPECT_NE(a[1][kIdArt], b[1][kIdArt]);
  EXPECT_NE(a[1][kNama] + a[1][kDesa], b[1][kNama] + b[1][kDesa]);
}

TEST_F(GeneratorTest, WritesExactlyTheRequestedPersons) {
  int64_t originals = 0;
  for (const auto& [id, t] : *truth_by_id_) originals += t.duplicate ? 0 : 1;
  EXPECT_EQ(originals, kPersons);
  EXPECT_EQ(report_->persons, kPersons);
  // About dup_rate * persons duplicates.
  EXPECT_NEAR(static_cast<double>(report_->duplicate_records), 0.2 * kPersons, 0.02 * kPersons);

  const std::string dir = padan::testing::MakeTempDir();
  for (int64_t persons : {1, 4095, 4097}) {
    GeneratorOptions options;
    options.persons = persons;
    options.out_dir = dir + "/" + std::to_string(persons);
    ASSERT_THAT(generator_->Run(options), IsOk());
    std::vector<Row> rows = ParseCsv(ReadFile(options.out_dir + "/dtks.csv"));
    EXPECT_EQ(static_cast<int64_t>(rows.size()) - 1, persons);
  }
}

TEST_F(GeneratorTest, EveryRowHasOneTruthRowAndClustersPointAtOriginals) {
  ASSERT_EQ(dtks_->size(), truth_->size());
  EXPECT_EQ((*dtks_)[0].size(), static_cast<size_t>(kColumns));
  EXPECT_EQ(by_id_->size(), dtks_->size() - 1) << "id_art not unique";
  for (size_t i = 1; i < dtks_->size(); ++i) {
    const Row& row = (*dtks_)[i];
    ASSERT_EQ(row.size(), static_cast<size_t>(kColumns)) << i;
    ASSERT_EQ((*truth_)[i][0], row[kIdArt]);
    const TruthRow& t = truth_by_id_->at(row[kIdArt]);
    EXPECT_EQ(t.id_keluarga, row[kIdKeluarga]);
    if (t.duplicate) {
      ASSERT_TRUE(truth_by_id_->contains(t.cluster)) << t.cluster;
      EXPECT_FALSE(truth_by_id_->at(t.cluster).duplicate);
      EXPECT_NE(t.cluster, row[kIdArt]);
    } else {
      EXPECT_EQ(t.cluster, row[kIdArt]);
    }
    for (const std::string& c : t.corruptions) EXPECT_TRUE(ParseCorruption(c).has_value()) << c;
  }
}

TEST_F(GeneratorTest, OriginalNiksDecodeToTheirPerson) {
  std::set<std::string> niks;
  int checked = 0;
  for (size_t i = 1; i < dtks_->size(); ++i) {
    const Row& row = (*dtks_)[i];
    const TruthRow& t = truth_by_id_->at(row[kIdArt]);
    if (t.duplicate) continue;
    const std::string& nik = row[kNik];
    if (Has(t, "nik_missing")) {
      EXPECT_EQ(nik, "");
      continue;
    }
    if (Has(t, "nik_short")) {
      EXPECT_EQ(nik.size(), 15u);
      continue;
    }
    IdParse parse = Nik::Parse(nik, regions_);
    ASSERT_TRUE(parse.valid()) << nik;
    Nik value(parse.value);
    EXPECT_TRUE(value.ConsistentWith(Dob(row), SexOf(row))) << nik << " " << row[kTanggalLahir];
    EXPECT_TRUE(regions_->KnownKecamatan(value.Decode().kecamatan)) << nik;
    EXPECT_TRUE(niks.insert(nik).second) << "NIK " << nik << " given twice";
    ++checked;
    if (!row[kNoKk].empty()) {
      EXPECT_TRUE(NoKk::Parse(row[kNoKk], regions_).valid()) << row[kNoKk];
    }
  }
  EXPECT_GT(checked, kPersons * 95 / 100);
}

TEST_F(GeneratorTest, HouseholdsHaveOneHeadFirstAndConsecutiveRows) {
  std::set<std::string> finished;
  std::string current;
  int heads = 0;
  for (size_t i = 1; i <= dtks_->size(); ++i) {
    const bool end = i == dtks_->size();
    if (end || (*dtks_)[i][kIdKeluarga] != current) {
      if (!current.empty()) {
        EXPECT_EQ(heads, 1) << current;
        EXPECT_TRUE(finished.insert(current).second) << current << " rows not consecutive";
      }
      if (end) break;
      current = (*dtks_)[i][kIdKeluarga];
      heads = 0;
      EXPECT_EQ((*dtks_)[i][kHubungan], "Kepala Keluarga");
    }
    heads += (*dtks_)[i][kHubungan] == "Kepala Keluarga";
  }
}

TEST_F(GeneratorTest, AgesFitRelationships) {
  std::map<std::string, std::vector<const Row*>> households;
  for (size_t i = 1; i < dtks_->size(); ++i) {
    households[(*dtks_)[i][kIdKeluarga]].push_back(&(*dtks_)[i]);
  }
  for (const auto& [id, rows] : households) {
    if (truth_by_id_->at((*rows[0])[kIdArt]).duplicate) continue;  // dates may be corrupted
    const Row& head = *rows[0];
    const int head_age = AgeOf(head);
    for (const Row* r : rows) {
      if (truth_by_id_->at((*r)[kIdArt]).duplicate) continue;
      const std::string& h = (*r)[kHubungan];
      const int age = AgeOf(*r);
      EXPECT_GE(age, 0);
      EXPECT_LE(age, 100);
      if (h == "Anak") {
        EXPECT_GE(head_age - age, 14) << (*r)[kNama];
      }
      if (h == "Cucu") {
        EXPECT_GE(head_age - age, 30) << (*r)[kNama];
      }
      if (h == "Orang Tua") {
        EXPECT_GE(age - head_age, 15) << (*r)[kNama];
      }
      if (h == "Istri/Suami") {
        EXPECT_NE((*r)[kJenisKelamin], head[kJenisKelamin]);
      }
      if (h == "Kepala Keluarga") {
        EXPECT_GE(age, 16);
      }
    }
  }
}

TEST_F(GeneratorTest, DuplicatesCarryWhatTheTruthSays) {
  int duplicates = 0;
  int with_corruption = 0;
  for (size_t i = 1; i < dtks_->size(); ++i) {
    const Row& dup = (*dtks_)[i];
    const TruthRow& t = truth_by_id_->at(dup[kIdArt]);
    if (!t.duplicate) continue;
    ++duplicates;
    const Row& original = *by_id_->at(t.cluster);
    const TruthRow& ot = truth_by_id_->at(t.cluster);
    bool person_level = false;
    for (const std::string& c : t.corruptions) {
      person_level |=
          c != "moved_desa" && c != "nik_missing" && c != "nik_short" && c != "no_kk_missing";
    }
    with_corruption += person_level;
    EXPECT_NE(dup[kIdKeluarga], original[kIdKeluarga]);
    // Region: moved_desa exactly when the desa differs.
    const bool same_desa = dup[kDesa] == original[kDesa] &&
                           dup[kKecamatan] == original[kKecamatan] &&
                           dup[kKabKota] == original[kKabKota];
    EXPECT_EQ(Has(t, "moved_desa"), !same_desa) << dup[kIdArt];
    // Date of birth.
    Date a = Dob(dup), b = Dob(original);
    if (Has(t, "dob_day_month_swap") && !Has(t, "dob_year_off_by_one")) {
      EXPECT_EQ(a.day(), b.month());
      EXPECT_EQ(a.month(), b.day());
    } else if (Has(t, "dob_year_off_by_one") && !Has(t, "dob_day_month_swap")) {
      EXPECT_EQ(std::abs(a.year() - b.year()), 1);
    } else if (!Has(t, "dob_day_month_swap")) {
      EXPECT_EQ(a, b) << dup[kIdArt];
    }
    // NIK.
    const std::string& n = dup[kNik];
    const std::string& o = original[kNik];
    if (Has(ot, "nik_missing") || Has(t, "nik_missing")) {
      EXPECT_EQ(n, "");
    } else if (Has(ot, "nik_short")) {
      EXPECT_EQ(n.size(), 15u);
    } else if (Has(t, "nik_one_digit")) {
      ASSERT_EQ(n.size(), 16u);
      int diffs = 0;
      for (size_t k = 0; k < 16; ++k) diffs += n[k] != o[k];
      EXPECT_EQ(diffs, 1);
    } else if (Has(t, "nik_transposed")) {
      ASSERT_EQ(n.size(), 16u);
      EXPECT_NE(n, o);
      std::string sa = n, sb = o;
      std::sort(sa.begin(), sa.end());
      std::sort(sb.begin(), sb.end());
      EXPECT_EQ(sa, sb);
    } else {
      EXPECT_EQ(n, o);
    }
    // A record with no name corruption spells the name as the original (case aside).
    if (!person_level) {
      std::string x = dup[kNama], y = original[kNama];
      std::transform(x.begin(), x.end(), x.begin(), ::toupper);
      std::transform(y.begin(), y.end(), y.begin(), ::toupper);
      EXPECT_EQ(x, y);
    }
  }
  EXPECT_GT(duplicates, 0);
  EXPECT_GT(with_corruption, duplicates * 8 / 10);
}

TEST_F(GeneratorTest, RegionNamesResolveToOneDesa) {
  for (size_t i = 1; i < dtks_->size(); i += 7) {
    const Row& row = (*dtks_)[i];
    RegionResolution r =
        regions_->ResolveNames(row[kProvinsi], row[kKabKota], row[kKecamatan], row[kDesa]);
    EXPECT_EQ(r.level, RegionLevel::kDesa) << row[kDesa] << ", " << row[kKecamatan];
    EXPECT_FALSE(r.ambiguous) << row[kDesa];
    EXPECT_EQ(row[kRt].size(), 3u);
    EXPECT_EQ(row[kRw].size(), 3u);
    EXPECT_TRUE(ParseHubungan(row[kHubungan]).has_value()) << row[kHubungan];
    EXPECT_TRUE(ParseStatusKawin(row[kStatusKawin]).has_value()) << row[kStatusKawin];
    EXPECT_EQ(row[kStatusHidup], "Hidup");
  }
}

TEST_F(GeneratorTest, PrelistTruthAccountsForEveryRecord) {
  const std::string dtks = ReadFile(*dir_ + "/dtks.csv");
  std::vector<Row> prelist = ParseCsv(ReadFile(*dir_ + "/prelist.csv"));
  std::vector<Row> papi = ParseCsv(ReadFile(*dir_ + "/field_papi.csv"));
  std::vector<Row> truth = ParseCsv(ReadFile(*dir_ + "/prelist_truth.csv"));
  ASSERT_GT(prelist.size(), 1u);
  ASSERT_GT(papi.size(), 1u);
  ASSERT_EQ(truth[0], (Row{"side", "record_id", "outcome", "matched_id", "changed_fields"}));

  std::set<std::string> listed;
  for (size_t i = 1; i < prelist.size(); ++i) {
    listed.insert(prelist[i][kIdArt]);
    EXPECT_TRUE(by_id_->contains(prelist[i][kIdArt]));
  }
  // Field records, by "<kode_desa>-<no_urut_ruta>-<no_art>".
  std::map<std::string, const Row*> field;
  for (size_t i = 1; i < papi.size(); ++i) {
    field[papi[i][0] + "-" + papi[i][2] + "-" + papi[i][8]] = &papi[i];
  }
  EXPECT_EQ(field.size(), papi.size() - 1);
  std::map<std::string, int> field_claims;
  std::set<std::string> outcomes_seen;
  int prelist_lines = 0;
  for (size_t i = 1; i < truth.size(); ++i) {
    const Row& t = truth[i];
    ASSERT_EQ(t.size(), 5u);
    outcomes_seen.insert(t[2]);
    if (t[0] == "field") {
      EXPECT_EQ(t[2], "baru");
      EXPECT_TRUE(field.contains(t[1])) << t[1];
      ++field_claims[t[1]];
      continue;
    }
    ASSERT_EQ(t[0], "prelist");
    ++prelist_lines;
    EXPECT_TRUE(listed.contains(t[1])) << t[1];
    const std::string& outcome = t[2];
    if (outcome == "ganda") {
      EXPECT_TRUE(listed.contains(t[3])) << t[3];
      EXPECT_EQ(truth_by_id_->at(t[1]).cluster, truth_by_id_->at(t[3]).cluster);
    } else if (outcome == "tidak_ditemukan") {
      EXPECT_EQ(t[3], "");
    } else {
      ASSERT_TRUE(field.contains(t[3])) << outcome << " " << t[3];
      ++field_claims[t[3]];
      const Row& f = *field.at(t[3]);
      const Row& p = *by_id_->at(t[1]);
      if (outcome == "meninggal") {
        EXPECT_EQ(f[16], "2");
      }
      if (outcome == "ditemukan") {
        EXPECT_EQ(t[4], "");
        EXPECT_EQ(*Date::Parse(f[12], DateFormat::kDmy), Dob(p));
        EXPECT_EQ(f[11], p[kJenisKelamin] == "Perempuan" ? "2" : "1");
        std::string nik = f[10];
        if (!nik.empty() && nik[0] == '\'') nik.erase(0, 1);
        if (!p[kNik].empty()) {
          EXPECT_EQ(nik, p[kNik]);
        }
      }
      if (outcome == "ditemukan_berubah") {
        EXPECT_NE(t[4], "");
      }
    }
  }
  EXPECT_EQ(prelist_lines, static_cast<int>(prelist.size()) - 1);
  EXPECT_EQ(listed.size(), prelist.size() - 1);
  // Every field record is either one listed person's or new.
  for (const auto& [id, row] : field) EXPECT_EQ(field_claims[id], 1) << id;
  for (const char* outcome :
       {"ditemukan", "ditemukan_berubah", "pindah", "tidak_ditemukan", "ganda", "baru"}) {
    EXPECT_TRUE(outcomes_seen.contains(outcome)) << outcome;
  }
  // The pre-list rows are the registry's rows.
  std::string prelist_text = ReadFile(*dir_ + "/prelist.csv");
  size_t start = prelist_text.find('\n') + 1;
  for (size_t end = prelist_text.find('\n', start); end != std::string::npos;
       start = end + 1, end = prelist_text.find('\n', start)) {
    EXPECT_NE(dtks.find(prelist_text.substr(start, end - start + 1)), std::string::npos);
  }
  // CAPI holds the same households and members as PAPI.
  std::string capi = ReadFile(*dir_ + "/field_capi.ndjson");
  size_t lines = std::count(capi.begin(), capi.end(), '\n');
  EXPECT_EQ(static_cast<int64_t>(lines), report_->field_households);
  size_t members = 0;
  for (size_t pos = capi.find("\"no_art\":"); pos != std::string::npos;
       pos = capi.find("\"no_art\":", pos + 1)) {
    ++members;
  }
  EXPECT_EQ(members, papi.size() - 1);
}

TEST_F(GeneratorTest, GenJsonHasTheCounts) {
  std::string json = ReadFile(*dir_ + "/gen.json");
  EXPECT_NE(json.find("\"version\": \"padan-gen/1\""), std::string::npos);
  EXPECT_NE(json.find(StrCat("\"persons\": ", kPersons)), std::string::npos);
  EXPECT_NE(json.find(StrCat("\"duplicate_records\": ", report_->duplicate_records)),
            std::string::npos);
  EXPECT_NE(json.find("\"duplicates_by_corruption\": {\"typo_insert\""), std::string::npos);
}

TEST_F(GeneratorTest, RejectsBadOptions) {
  GeneratorOptions options;
  options.out_dir = "/tmp/x";
  options.persons = 0;
  EXPECT_THAT(Generator::ValidateOptions(options), StatusIs(absl::StatusCode::kInvalidArgument));
  options.persons = 10;
  options.dup_rate = 1.5;
  EXPECT_THAT(Generator::ValidateOptions(options), StatusIs(absl::StatusCode::kInvalidArgument));
  options.dup_rate = 0.5;
  options.prelist_share = 0;
  EXPECT_THAT(Generator::ValidateOptions(options), StatusIs(absl::StatusCode::kInvalidArgument));
  options.prelist_share = 0.5;
  options.out_dir = "";
  EXPECT_THAT(Generator::ValidateOptions(options), StatusIs(absl::StatusCode::kInvalidArgument));
  options.out_dir = "/proc/padan-cannot-write-here";
  EXPECT_FALSE(generator_->Run(options).ok());
}

}  // namespace
}  // namespace padan::gen
