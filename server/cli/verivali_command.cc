// `padan verivali`: checks a pre-list against field results (PAPI CSV or CAPI NDJSON) and
// writes the outcome of every listed person and household, the new field records, the
// summaries per region and the HTML report. A thin shell over RunVerivali (matching/verivali.h).
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/str_format.h"

#include "data/absl_strings.h"
#include "data/batch_control.h"
#include "data/column_mapping.h"
#include "data/region_table.h"
#include "matching/verivali.h"
#include "server/cli/command_line.h"
#include "server/cli/commands.h"
#include "server/cli/progress.h"
#include "server/report/verivali_report.h"

namespace padan::cli {
namespace {

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "padan verivali: %s\n", std::string(status.message()).c_str());
  return kExitFailure;
}

std::string Percent(int64_t part, int64_t whole) {
  return whole == 0 ? std::string("-") : absl::StrFormat("%.2f%%", 100.0 * part / whole);
}

void PrintTruth(const VerivaliTruthCheck& truth) {
  std::printf("\nagainst the truth          total   outcome right   outcome + record right\n");
  for (VerivaliOutcome o : kAllVerivaliOutcomes) {
    const TruthTally& t = truth.by_outcome[static_cast<size_t>(o)];
    std::printf("%-20s %12lld %15s %24s\n", std::string(VerivaliOutcomeName(o)).c_str(),
                static_cast<long long>(t.total), Percent(t.outcome_right, t.total).c_str(),
                Percent(t.right, t.total).c_str());
  }
  const TruthTally all = truth.Overall();
  std::printf("%-20s %12lld %15s %24s\n", "all", static_cast<long long>(all.total),
              Percent(all.outcome_right, all.total).c_str(), Percent(all.right, all.total).c_str());
  std::printf("field records called baru that the truth matches: %lld\n",
              static_cast<long long>(truth.extra_baru));
  if (truth.unknown_ids > 0) {
    std::printf("truth rows naming records neither file has: %lld\n",
                static_cast<long long>(truth.unknown_ids));
  }
}

}  // namespace

int RunVerivali(const Args& args) {
  CommandLine command_line(
      "verivali",
      "Checks a pre-list (SIKS-NG export) against field results (PAPI data-entry CSV or CAPI\n"
      "NDJSON with an 'anggota' array). Households and persons are assigned one to one inside\n"
      "the desa first, then across the kecamatan and the kab/kota for those who moved. Every\n"
      "listed person gets an outcome: ditemukan, ditemukan_berubah (with the fields changed,\n"
      "old and new), pindah, meninggal, tidak_ditemukan or ganda; field records matching no\n"
      "listed person are baru. Writes into --out: persons.csv, persons.ndjson, households.csv,\n"
      "baru.csv, summary_kab_kota.csv, summary_kecamatan.csv, summary_desa.csv, summary.json\n"
      "and laporan.html (the report for Dinsos, in Bahasa Indonesia, printable).\n"
      "A malformed input row stops the run with its file and line.");
  command_line.AddOption("prelist", "FILE", "the pre-list (CSV or NDJSON)", /*required=*/true);
  command_line.AddOption("field", "FILE", "the field results: PAPI CSV or CAPI NDJSON",
                         /*required=*/true);
  command_line.AddOption("out", "DIR", "folder for the results (created when missing)",
                         /*required=*/true);
  command_line.AddOption("prelist-mapping", "FILE", "JSON column mapping for the pre-list");
  command_line.AddOption("field-mapping", "FILE", "JSON column mapping for the field results");
  command_line.AddOption("model", "FILE",
                         "a trained model (padan eval --model-out); default: the shipped one");
  command_line.AddOption("threads", "N", "worker threads (default: one per core)");
  command_line.AddOption("truth", "FILE",
                         "ground truth (padan gen's prelist_truth.csv): print the share of "
                         "outcomes right per outcome");
  if (absl::Status status = command_line.Parse(args); !status.ok()) {
    std::fprintf(stderr, "padan verivali: %s\n", std::string(status.message()).c_str());
    return kExitUsage;
  }
  if (command_line.help_requested()) {
    std::fputs(command_line.HelpText().c_str(), stdout);
    return kExitOk;
  }
  absl::StatusOr<int64_t> threads = command_line.GetInt("threads", 0, 0, 256);
  if (!threads.ok()) {
    std::fprintf(stderr, "padan verivali: %s\n", std::string(threads.status().message()).c_str());
    return kExitUsage;
  }

  VerivaliOptions options;
  options.prelist_path = command_line.Get("prelist");
  options.field_path = command_line.Get("field");
  options.out_dir = command_line.Get("out");
  options.threads = static_cast<size_t>(*threads);
  options.model_path = command_line.Get("model");
  options.truth_path = command_line.Get("truth");
  for (auto [flag, mapping] : {std::pair{"prelist-mapping", &options.prelist_mapping},
                               std::pair{"field-mapping", &options.field_mapping}}) {
    if (!command_line.Has(flag)) continue;
    absl::StatusOr<ColumnMapping> loaded = ColumnMapping::FromFile(command_line.Get(flag));
    if (!loaded.ok()) return Fail(loaded.status());
    *mapping = *std::move(loaded);
  }
  absl::StatusOr<std::unique_ptr<RegionTable>> regions = RegionTable::LoadEmbedded();
  if (!regions.ok()) return Fail(regions.status());

  // One bar per phase: reading counts bytes, scoring counts pairs.
  std::unique_ptr<ProgressBar> progress;
  std::string current_phase;
  BatchControl control;
  control.progress = [&](std::string_view phase, uint64_t done, uint64_t total) {
    if (phase != current_phase) {
      if (progress) progress->Finish();
      current_phase = std::string(phase);
      std::fprintf(stderr, "padan verivali: %s\n", current_phase.c_str());
      progress = std::make_unique<ProgressBar>(phase.starts_with("membaca") ? "bytes" : "pairs");
    }
    progress->Update(done, total, static_cast<int64_t>(done));
  };
  absl::StatusOr<VerivaliResult> result = padan::RunVerivali(options, **regions, control);
  if (progress) progress->Finish();
  if (!result.ok()) return Fail(result.status());
  VerivaliSummary& summary = result->summary;
  const std::string report_path =
      (std::filesystem::path(options.out_dir) / std::string(kVerivaliReportHtml)).string();
  if (absl::Status status = WriteVerivaliReport(summary, report_path); !status.ok()) {
    return Fail(status);
  }

  const OutcomeCounts& total = summary.total;
  std::printf("padan verivali %s × %s → %s\n", options.prelist_path.c_str(),
              options.field_path.c_str(), options.out_dir.c_str());
  std::printf("pre-list        %10lld persons in %lld households\n",
              static_cast<long long>(summary.prelist_persons),
              static_cast<long long>(summary.prelist_households));
  std::printf("field           %10lld persons in %lld households\n",
              static_cast<long long>(summary.field_persons),
              static_cast<long long>(summary.field_households));
  std::printf("%-20s %10s %10s\n", "outcome", "persons", "households");
  for (VerivaliOutcome o : kAllVerivaliOutcomes) {
    std::printf("%-20s %10lld %10lld\n", std::string(VerivaliOutcomeName(o)).c_str(),
                static_cast<long long>(total.person(o)), static_cast<long long>(total.household(o)));
  }
  std::printf("candidate pairs %10lld (%lld at or above the match weight %.2f), %lld within the "
              "pre-list\n",
              static_cast<long long>(summary.candidate_pairs),
              static_cast<long long>(summary.matched_pairs), summary.match_threshold,
              static_cast<long long>(summary.prelist_candidate_pairs));
  std::string phases;
  double cpu = 0;
  for (size_t i = 0; i < summary.phase_seconds.size(); ++i) {
    const double phase_cpu = summary.phase_cpu_seconds[i].second;
    cpu += phase_cpu;
    phases += absl::StrFormat("%s%s %.2f s (CPU %.2f s)", phases.empty() ? "" : ", ",
                              summary.phase_seconds[i].first, summary.phase_seconds[i].second,
                              phase_cpu);
  }
  std::printf("time            %10.2f s, CPU %.2f s: %s\n", summary.seconds, cpu, phases.c_str());
  if (result->truth.has_value()) PrintTruth(*result->truth);
  return kExitOk;
}

}  // namespace padan::cli
