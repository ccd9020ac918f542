// `padan dedup`: national deduplication of a data folder's registry — every person against
// every other through the blocking keys, clustered into persons (index/dedup.h), with the
// results per person and the household duplicates written as CSV or NDJSON, and, given the
// generator's truth, pairwise precision, recall and F1.
#include <chrono>
#include <cstdio>
#include <memory>
#include <vector>
#include <string>

#include "absl/strings/str_format.h"

#include "data/absl_strings.h"
#include "data/batch_control.h"
#include "index/data_folder.h"
#include "index/dedup.h"
#include "server/cli/command_line.h"
#include "server/cli/commands.h"
#include "server/cli/progress.h"

namespace padan::cli {
namespace {

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "padan dedup: %s\n", std::string(status.message()).c_str());
  return kExitFailure;
}

int Usage(absl::string_view message) {
  std::fprintf(stderr, "padan dedup: %s\n", std::string(message).c_str());
  return kExitUsage;
}

// "1: 900000  2: 99616 ... 10+: 0": clusters by size, the last bucket open.
std::string SizesText(const std::vector<uint64_t>& sizes) {
  std::string text;
  for (size_t s = 1; s < sizes.size(); ++s) {
    absl::StrAppendFormat(&text, "  %d%s: %d", s, s + 1 == sizes.size() ? "+" : "", sizes[s]);
  }
  return text;
}

void PrintSummary(const DedupSummary& summary, double seconds) {
  std::printf("persons             %12llu\n", static_cast<unsigned long long>(summary.persons));
  std::printf("candidate pairs     %12llu\n",
              static_cast<unsigned long long>(summary.candidate_pairs));
  for (size_t kind = 0; kind < kDedupKeyKindCount; ++kind) {
    const DedupSummary::KindCounts& counts = summary.kinds[kind];
    std::printf("  %-12s pairs %12llu  keys %10llu  over cap %8llu (%llu persons)\n",
                std::string(DedupKeyKindName(kind)).c_str(),
                static_cast<unsigned long long>(counts.pairs),
                static_cast<unsigned long long>(counts.keys),
                static_cast<unsigned long long>(counts.keys_over_cap),
                static_cast<unsigned long long>(counts.persons_over_cap));
  }
  std::printf("scored on all fields%12llu\n", static_cast<unsigned long long>(summary.scored_pairs));
  std::printf("completion pairs    %12llu\n",
              static_cast<unsigned long long>(summary.completion_pairs));
  std::printf("match links         %12llu\n", static_cast<unsigned long long>(summary.match_links));
  std::printf("clusters (2+)       %12llu\n", static_cast<unsigned long long>(summary.clusters));
  std::printf("persons in clusters %12llu\n",
              static_cast<unsigned long long>(summary.clustered_persons));
  std::printf("duplicates          %12llu  (persons in clusters - clusters)\n",
              static_cast<unsigned long long>(summary.clustered_persons - summary.clusters));
  std::printf("refused joins       %12llu  (components split: %llu)\n",
              static_cast<unsigned long long>(summary.refused_joins),
              static_cast<unsigned long long>(summary.components_split));
  std::printf("household dups      %12llu\n",
              static_cast<unsigned long long>(summary.household_duplicates));
  std::printf("cluster sizes      %s\n", SizesText(summary.cluster_sizes).c_str());
  if (summary.evaluated) {
    const PairwiseEvaluation& e = summary.evaluation;
    std::printf("truth cluster sizes%s\n", SizesText(summary.truth_cluster_sizes).c_str());
    std::printf(
        "pairwise vs truth   precision %.4f  recall %.4f  F1 %.4f  (true pairs %llu, "
        "predicted %llu, right %llu; %llu persons not in the truth)\n",
        e.precision(), e.recall(), e.f1(), static_cast<unsigned long long>(e.true_pairs),
        static_cast<unsigned long long>(e.predicted_pairs),
        static_cast<unsigned long long>(e.true_positives),
        static_cast<unsigned long long>(summary.persons_without_truth));
  }
  std::printf(
      "time                %12.1f s  (keys %.1f, pairs %.1f, clusters %.1f, output %.1f; %zu "
      "threads)\n",
      seconds, summary.keys_seconds, summary.pairs_seconds, summary.cluster_seconds,
      summary.output_seconds, summary.threads);
}

}  // namespace

int RunDedup(const Args& args) {
  CommandLine command_line(
      "dedup",
      "Deduplicates the registry of a data folder (padan import --data): every person is\n"
      "compared with the persons sharing a blocking key or the NIK, pairs are scored with the\n"
      "folder's Fellegi-Sunter model, and matches are clustered into persons, keeping apart two\n"
      "trustworthy NIKs and pairs the model is sure differ. Writes one row per person in a\n"
      "cluster of two or more (cluster, representative, confidence, strongest evidence) to\n"
      "--out, and the household duplicates to the same name with .households before the\n"
      "extension. With --truth (the generator's truth.csv) prints pairwise precision, recall\n"
      "and F1.");
  command_line.AddOption("data", "DIR", "the data folder to deduplicate", /*required=*/true);
  command_line.AddOption("out", "FILE", "where results go: .csv, or .ndjson/.jsonl",
                         /*required=*/true);
  command_line.AddOption("scope", "KODE", "only persons in this region (2, 4, 6 or 10 digits)");
  command_line.AddOption("threads", "N", "threads (default: one per core)");
  command_line.AddOption("truth", "FILE", "ground truth CSV with id_art and cluster_id columns");
  command_line.AddOption("max-block", "N",
                         "pair the persons of a key only when it has at most N of them "
                         "(default 200)");
  command_line.AddOption("one-key-block", "N",
                         "pair persons sharing a single key only when it has at most N persons "
                         "(default 8)");
  command_line.AddFlag("all", "write every person, also those found in no cluster");
  if (absl::Status status = command_line.Parse(args); !status.ok()) {
    return Usage(status.message());
  }
  if (command_line.help_requested()) {
    std::fputs(command_line.HelpText().c_str(), stdout);
    return kExitOk;
  }
  absl::StatusOr<int64_t> scope_code = command_line.GetInt("scope", 0, 0, 9'999'999'999);
  if (!scope_code.ok()) return Usage(scope_code.status().message());
  absl::StatusOr<int64_t> threads = command_line.GetInt("threads", 0, 0, 256);
  if (!threads.ok()) return Usage(threads.status().message());
  absl::StatusOr<int64_t> max_block = command_line.GetInt("max-block", 0, 2, 1'000'000);
  if (!max_block.ok()) return Usage(max_block.status().message());
  absl::StatusOr<int64_t> one_key_block =
      command_line.GetInt("one-key-block", kDefaultMaxBlockForOneSharedKey, 2, 1'000'000);
  if (!one_key_block.ok()) return Usage(one_key_block.status().message());
  absl::StatusOr<Scope> scope = Scope::FromCode(static_cast<KodeWilayah>(*scope_code));
  if (!scope.ok()) return Usage(ToAbsl(StrCat("--scope ", scope.status().message())));

  DedupOptions options;
  options.scope = *scope;
  options.threads = static_cast<size_t>(*threads);
  options.out = command_line.Get("out");
  options.truth = command_line.Get("truth");
  options.all_records = command_line.Flag("all");
  if (*max_block != 0) options.max_block_size.fill(static_cast<uint32_t>(*max_block));
  options.max_block_for_one_shared_key = static_cast<uint32_t>(*one_key_block);
  if (!options.out.ends_with(".csv") && !options.out.ends_with(".ndjson") &&
      !options.out.ends_with(".jsonl")) {
    return Usage("--out must end in .csv, .ndjson or .jsonl");
  }

  const auto start = std::chrono::steady_clock::now();
  DataFolderOptions folder_options;
  folder_options.dir = command_line.Get("data");
  folder_options.text_index = false;  // dedup uses the in-memory indexes only
  folder_options.background_snapshots = false;
  absl::StatusOr<std::unique_ptr<DataFolder>> folder = DataFolder::Open(folder_options);
  if (!folder.ok()) return Fail(folder.status());

  ProgressBar progress("persons");
  absl::StatusOr<DedupSummary> summary;
  {
    Database::ReadView view = (*folder)->database().Read();
    summary = Deduplicate(static_cast<const Registry&>(view.state()), (*folder)->model(), options,
                          progress.Control());
  }
  progress.Finish();
  if (!summary.ok()) return Fail(summary.status());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("padan dedup %s → %s, %s\n", folder_options.dir.c_str(), summary->out.c_str(),
              summary->households_out.c_str());
  PrintSummary(*summary, seconds);
  return kExitOk;
}

}  // namespace padan::cli
