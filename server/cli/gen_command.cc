// `padan gen`: writes synthetic DTKS data with ground truth (data/generator/generator.h).
#include <chrono>
#include <cstdio>
#include <string>

#include "absl/strings/str_format.h"

#include "data/absl_strings.h"
#include "data/generator/generator.h"
#include "data/name_frequency_table.h"
#include "data/population_table.h"
#include "data/region_table.h"
#include "server/cli/command_line.h"
#include "server/cli/commands.h"

namespace padan::cli {
namespace {

// Progress is printed every this many percent of the persons.
constexpr int kProgressStepPercent = 10;

int UsageError(std::string_view message) {
  std::fprintf(stderr, "padan gen: %.*s\n", static_cast<int>(message.size()), message.data());
  return kExitUsage;
}

int Failure(const absl::Status& status) {
  std::fprintf(stderr, "padan gen: %s\n", std::string(status.message()).c_str());
  return kExitFailure;
}

}  // namespace

int RunGen(const Args& args) {
  CommandLine cl("gen",
                 "Writes synthetic DTKS data in the SIKS-NG export format with ground truth:\n"
                 "DIR/dtks.csv (the export), DIR/truth.csv (cluster id and corruptions per row),\n"
                 "DIR/gen.json (parameters and counts); with --prelist also the verivali pair\n"
                 "DIR/prelist.csv, DIR/field_papi.csv, DIR/field_capi.ndjson and\n"
                 "DIR/prelist_truth.csv. The same options give byte-identical files.");
  cl.AddOption("persons", "N", "original persons to write, exactly N (1 to 2,000,000,000)");
  cl.AddOption("seed", "S", "random seed, 0 to 2^63-1 (default 1)");
  cl.AddOption("out", "DIR", "output directory, created when missing", /*required=*/true);
  cl.AddOption("dup-rate", "R",
               "share of original persons registered a second time with realistic "
               "corruptions, 0 to 1 (default 0)");
  cl.AddFlag("prelist", "also write a verivali pre-list and its field results with truth");
  cl.AddOption("prelist-share", "F",
               "share of the population whose kab/kota are in the pre-list, above 0 up to 1 "
               "(default 0.1)");
  cl.AddOption("threads", "T",
               "worker threads, 1 to 256; the output does not depend on it "
               "(default: one per core)");
  cl.AddFlag("demo",
             "the demo data set: 200,000 persons, fixed seed, --dup-rate 0.1, "
             "--prelist (no other data option may be given)");
  if (absl::Status s = cl.Parse(args); !s.ok()) return UsageError(FromAbsl(s.message()));
  if (cl.help_requested()) {
    std::fputs(cl.HelpText().c_str(), stdout);
    return kExitOk;
  }

  gen::GeneratorOptions options;
  if (cl.Flag("demo")) {
    for (const char* name : {"persons", "seed", "dup-rate", "prelist", "prelist-share"}) {
      if (cl.Has(name)) {
        return UsageError(StrCat("--demo fixes the data options; drop --", name));
      }
    }
    options = gen::DemoOptions(cl.Get("out"));
  } else {
    if (!cl.Has("persons"))
      return UsageError("missing required option --persons; see padan gen --help");
    absl::StatusOr<int64_t> persons = cl.GetInt("persons", 0, 1, gen::Generator::kMaxPersons);
    absl::StatusOr<int64_t> seed = cl.GetInt("seed", 1, 0, INT64_MAX);
    absl::StatusOr<double> dup_rate = cl.GetDouble("dup-rate", 0, 0, 1);
    absl::StatusOr<double> share = cl.GetDouble("prelist-share", 0.1, 0, 1);
    for (const absl::Status& s :
         {persons.status(), seed.status(), dup_rate.status(), share.status()}) {
      if (!s.ok()) return UsageError(FromAbsl(s.message()));
    }
    if (*share <= 0) return UsageError("--prelist-share must be above 0");
    if (cl.Has("prelist-share") && !cl.Flag("prelist")) {
      return UsageError("--prelist-share needs --prelist");
    }
    options.persons = *persons;
    options.seed = static_cast<uint64_t>(*seed);
    options.dup_rate = *dup_rate;
    options.prelist = cl.Flag("prelist");
    options.prelist_share = *share;
    options.out_dir = cl.Get("out");
  }
  absl::StatusOr<int64_t> threads = cl.GetInt("threads", 0, 1, 256);
  if (!threads.ok()) return UsageError(FromAbsl(threads.status().message()));
  options.threads = static_cast<int>(*threads);
  if (absl::Status s = gen::Generator::ValidateOptions(options); !s.ok()) {
    return UsageError(FromAbsl(s.message()));
  }

  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::unique_ptr<RegionTable>> regions = RegionTable::LoadEmbedded();
  if (!regions.ok()) return Failure(regions.status());
  absl::StatusOr<std::unique_ptr<PopulationTable>> population = PopulationTable::LoadEmbedded();
  if (!population.ok()) return Failure(population.status());
  absl::StatusOr<std::unique_ptr<NameFrequencyTable>> names = NameFrequencyTable::LoadEmbedded();
  if (!names.ok()) return Failure(names.status());
  absl::StatusOr<std::unique_ptr<gen::Generator>> generator =
      gen::Generator::Create(**regions, **population, **names);
  if (!generator.ok()) return Failure(generator.status());

  int last_percent = 0;
  auto progress = [&](int64_t done, int64_t total) {
    int percent = static_cast<int>(done * 100 / total);
    if (percent / kProgressStepPercent > last_percent / kProgressStepPercent && percent < 100) {
      std::fprintf(stderr, "padan gen: %d%% (%lld of %lld persons)\n", percent,
                   static_cast<long long>(done), static_cast<long long>(total));
    }
    last_percent = percent;
  };
  absl::StatusOr<gen::GeneratorReport> report = (*generator)->Run(options, progress);
  if (!report.ok()) return Failure(report.status());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr,
               "padan gen: wrote %lld persons in %lld households and %lld duplicate records to "
               "%s in %.1f s\n",
               static_cast<long long>(report->persons), static_cast<long long>(report->households),
               static_cast<long long>(report->duplicate_records), options.out_dir.c_str(), seconds);
  if (options.prelist) {
    std::fprintf(stderr, "padan gen: pre-list of %lld persons, %lld field households\n",
                 static_cast<long long>(report->prelist_persons),
                 static_cast<long long>(report->field_households));
  }
  return kExitOk;
}

}  // namespace padan::cli
