// `padan verivali` end to end: a small generated pre-list and its field results (PAPI CSV and
// CAPI NDJSON) checked against the generator's truth, the output files, and bad input files
// that must fail with their line, never crash.
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "tests/server/run_padan.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::ReadFile;
using ::padan::testing::RunPadan;
using ::padan::testing::RunResult;
using ::padan::testing::WriteFile;
using ::testing::HasSubstr;

// The share of outcomes right (outcome and matched record) a run prints on its "all" line.
double ShareRight(const std::string& output) {
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    long long total = 0;
    double outcome_right = 0, right = 0;
    if (std::sscanf(line.c_str(), "all %lld %lf%% %lf%%", &total, &outcome_right, &right) == 3) {
      return right / 100;
    }
  }
  return -1;
}

class VerivaliCommandTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(padan::testing::MakeTempDir());
    RunResult gen = RunPadan("gen --persons 20000 --seed 5 --dup-rate 0.1 --prelist "
                             "--prelist-share 0.5 --threads 2 --out " + *dir_);
    ASSERT_EQ(gen.exit_code, 0) << gen.output;
  }
  // The generated files are tens of megabytes: leave nothing behind.
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  static RunResult Verivali(const std::string& field, const std::string& out) {
    return RunPadan("verivali --threads 2 --prelist " + *dir_ + "/prelist.csv --field " + *dir_ +
                    "/" + field + " --out " + *dir_ + "/" + out + " --truth " + *dir_ +
                    "/prelist_truth.csv");
  }

  static std::string* dir_;
};
std::string* VerivaliCommandTest::dir_ = nullptr;

// A pipeline that called everyone ditemukan would be right for about 71 % of the pre-list; one
// that lost movers, deaths or duplicates would fall well below this floor.
constexpr double kAccuracyFloor = 0.97;

TEST_F(VerivaliCommandTest, PapiOutcomesMatchTheTruthAndEveryFileIsWritten) {
  RunResult run = Verivali("field_papi.csv", "papi");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_GE(ShareRight(run.output), kAccuracyFloor) << run.output;
  for (const char* file :
       {"persons.csv", "persons.ndjson", "households.csv", "baru.csv", "summary_kab_kota.csv",
        "summary_kecamatan.csv", "summary_desa.csv", "summary.json", "laporan.html"}) {
    EXPECT_TRUE(std::filesystem::exists(*dir_ + "/papi/" + file)) << file;
  }
  const std::string persons = ReadFile(*dir_ + "/papi/persons.csv");
  EXPECT_THAT(persons, HasSubstr("ditemukan_berubah"));
  EXPECT_THAT(persons, HasSubstr(" → "));
  const std::string report = ReadFile(*dir_ + "/papi/laporan.html");
  EXPECT_THAT(report, HasSubstr("Laporan Hasil Verifikasi dan Validasi"));
  EXPECT_THAT(report, HasSubstr("<svg"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("http://cdn")));
}

TEST_F(VerivaliCommandTest, CapiGivesTheSameQuality) {
  RunResult run = Verivali("field_capi.ndjson", "capi");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_GE(ShareRight(run.output), kAccuracyFloor) << run.output;
}

TEST_F(VerivaliCommandTest, BadFilesFailWithTheirLine) {
  const std::string bad = *dir_ + "/bad";
  std::filesystem::create_directories(bad);
  const std::string papi = ReadFile(*dir_ + "/field_papi.csv");
  // A ragged row: the third line loses its last fields.
  std::istringstream lines(papi);
  std::string header, first, second, rest;
  std::getline(lines, header);
  std::getline(lines, first);
  std::getline(lines, second);
  WriteFile(bad + "/ragged.csv", header + "\n" + first + "\n" + second.substr(0, 20) + "\n");
  RunResult ragged = RunPadan("verivali --prelist " + *dir_ + "/prelist.csv --field " + bad +
                              "/ragged.csv --out " + bad + "/out1");
  EXPECT_EQ(ragged.exit_code, 1) << ragged.output;
  EXPECT_THAT(ragged.output, HasSubstr("ragged.csv: line 3"));

  WriteFile(bad + "/no_name.csv", "ID DTKS,Kode Wilayah\n1,3201011001\n");
  RunResult missing = RunPadan("verivali --prelist " + bad + "/no_name.csv --field " + *dir_ +
                               "/field_papi.csv --out " + bad + "/out2");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.output, HasSubstr("line 1: required column missing: nama"));

  WriteFile(bad + "/latin1.csv", header + "\n" + first + "\n" +
                                     "3201011001,DESA,9,JOS\xC9,JL,001,001,,1,JOS\xC9,,1,"
                                     "01/01/1980,45,1,2,1\n");
  RunResult encoding = RunPadan("verivali --prelist " + *dir_ + "/prelist.csv --field " + bad +
                                "/latin1.csv --out " + bad + "/out3");
  EXPECT_EQ(encoding.exit_code, 1);
  EXPECT_THAT(encoding.output, HasSubstr("latin1.csv: line 3"));

  RunResult usage = RunPadan("verivali --prelist x.csv");
  EXPECT_EQ(usage.exit_code, 2);
  RunResult nofile = RunPadan("verivali --prelist " + bad + "/none.csv --field " + bad +
                              "/none.csv --out " + bad + "/out4");
  EXPECT_EQ(nofile.exit_code, 1);
}

}  // namespace
}  // namespace padan
