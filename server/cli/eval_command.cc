// `padan eval`: trains the Fellegi-Sunter model on a file of records, scores the pairs a simple
// blocking finds, and measures precision, recall and F1 against ground truth.
#include <cstdio>
#include <fstream>
#include <memory>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

#include "data/absl_strings.h"
#include "data/column_mapping.h"
#include "data/file_io.h"
#include "data/importer.h"
#include "data/region_table.h"
#include "data/row_reader.h"
#include "data/status_macros.h"
#include "matching/candidate_pairs.h"
#include "matching/em_trainer.h"
#include "matching/evaluation.h"
#include "matching/fellegi_sunter_model.h"
#include "matching/match_record_builder.h"
#include "server/cli/command_line.h"
#include "server/cli/commands.h"
#include "server/cli/progress.h"

namespace padan::cli {
namespace {

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "padan eval: %s\n", std::string(status.message()).c_str());
  return kExitFailure;
}

// Reads id → truth label from a CSV with an id column, a cluster column and, optionally, a
// ';'-separated corruptions column (the generator's truth.csv).
absl::StatusOr<absl::flat_hash_map<std::string, TruthLabel>> ReadTruth(
    const std::string& path, const std::string& id_column, const std::string& cluster_column) {
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<RowReader> reader, OpenRowReader(path));
  const std::vector<std::string>& columns = reader->columns();
  int id = -1;
  int cluster = -1;
  int corruptions = -1;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == id_column) id = static_cast<int>(i);
    if (columns[i] == cluster_column) cluster = static_cast<int>(i);
    if (columns[i] == "corruptions") corruptions = static_cast<int>(i);
  }
  if (id < 0 || cluster < 0) {
    return absl::InvalidArgumentError(StrCat(path, ": needs columns '", id_column, "' and '",
                                             cluster_column, "' (see --truth-id-column)"));
  }
  absl::flat_hash_map<std::string, TruthLabel> truth;
  Row row;
  while (true) {
    PADAN_ASSIGN_OR_RETURN(bool more, reader->Next(&row));
    if (!more) break;
    if (!row.error.empty()) {
      return absl::InvalidArgumentError(StrCat(path, " line ", row.line, ": ", row.error));
    }
    TruthLabel label;
    label.cluster = std::string(row.fields[static_cast<size_t>(cluster)]);
    if (corruptions >= 0) {
      for (absl::string_view kind : absl::StrSplit(
               ToAbsl(row.fields[static_cast<size_t>(corruptions)]), ';', absl::SkipEmpty())) {
        label.corruptions.emplace_back(kind);
      }
    }
    truth[std::string(row.fields[static_cast<size_t>(id)])] = std::move(label);
  }
  return truth;
}

}  // namespace

int RunEval(const Args& args) {
  CommandLine command_line(
      "eval",
      "Trains the Fellegi-Sunter model on the records of --input (u from random pairs, m by EM\n"
      "over agreement patterns), scores the candidate pairs of a simple blocking, and prints\n"
      "precision, recall and F1 against the truth by threshold, the best threshold, the match\n"
      "weight histograms of true and false pairs and the recall per corruption type. The\n"
      "truth is the generator's truth.csv, or any CSV with an id and a cluster column (the\n"
      "input itself, with --truth-id-column and --truth-cluster-column).");
  command_line.AddOption("input", "FILE", "records to match (CSV/NDJSON, as padan import)",
                         /*required=*/true);
  command_line.AddOption("truth", "FILE", "ground truth CSV", /*required=*/true);
  command_line.AddOption("truth-id-column", "NAME", "id column of the truth (default id_art)");
  command_line.AddOption("truth-cluster-column", "NAME",
                         "cluster column of the truth (default cluster_id)");
  command_line.AddOption("mapping", "FILE", "column mapping of --input (see padan import)");
  command_line.AddOption("spec", "FILE", "comparison spec JSON (default: the embedded one)");
  command_line.AddOption("model-out", "FILE",
                         "save the trained model here, its match threshold set to the best one");
  command_line.AddOption("report", "FILE", "write an HTML report with SVG charts here");
  command_line.AddOption("max-block", "N", "records per blocking key at most (default 200)");
  command_line.AddOption("random-pairs", "N", "random pairs for u (default 2,000,000)");
  command_line.AddOption("seed", "S", "random seed of training (default 1)");
  command_line.AddOption("show-errors", "N",
                         "explain the N highest-weighted false pairs and N lowest-weighted "
                         "true pairs (default 0, at most 50)");
  if (absl::Status status = command_line.Parse(args); !status.ok()) {
    std::fprintf(stderr, "padan eval: %s\n", std::string(status.message()).c_str());
    return kExitUsage;
  }
  if (command_line.help_requested()) {
    std::fputs(command_line.HelpText().c_str(), stdout);
    return kExitOk;
  }
  absl::StatusOr<int64_t> max_block = command_line.GetInt("max-block", 200, 2, 100'000);
  absl::StatusOr<int64_t> random_pairs =
      command_line.GetInt("random-pairs", 2'000'000, 1'000, 1'000'000'000);
  absl::StatusOr<int64_t> seed = command_line.GetInt("seed", 1, 0, INT64_MAX);
  absl::StatusOr<int64_t> show_errors =
      command_line.GetInt("show-errors", 0, 0, static_cast<int64_t>(kWorstPairsKept));
  for (const absl::Status& status :
       {max_block.status(), random_pairs.status(), seed.status(), show_errors.status()}) {
    if (!status.ok()) {
      std::fprintf(stderr, "padan eval: %s\n", std::string(status.message()).c_str());
      return kExitUsage;
    }
  }

  ColumnMapping mapping;
  if (command_line.Has("mapping")) {
    absl::StatusOr<ColumnMapping> loaded = ColumnMapping::FromFile(command_line.Get("mapping"));
    if (!loaded.ok()) return Fail(loaded.status());
    mapping = *std::move(loaded);
  }
  absl::StatusOr<ComparisonSpec> spec = ComparisonSpec::Default();
  if (command_line.Has("spec")) {
    absl::StatusOr<std::string> json = ReadWholeFile(command_line.Get("spec"));
    if (!json.ok()) return Fail(json.status());
    spec = ComparisonSpec::FromJson(*json);
  }
  if (!spec.ok()) return Fail(spec.status());

  auto regions = RegionTable::LoadEmbedded();
  if (!regions.ok()) return Fail(regions.status());
  auto names = NameNormalizer::LoadEmbedded();
  if (!names.ok()) return Fail(names.status());
  auto addresses = AddressNormalizer::LoadEmbedded();
  if (!addresses.ok()) return Fail(addresses.status());
  absl::StatusOr<absl::flat_hash_map<std::string, TruthLabel>> truth =
      ReadTruth(command_line.Get("truth"), command_line.Get("truth-id-column", "id_art"),
                command_line.Get("truth-cluster-column", "cluster_id"));
  if (!truth.ok()) return Fail(truth.status());

  // Records and their truth, in input order.
  std::vector<MatchRecord> records;
  std::vector<TruthLabel> labels;
  std::vector<std::string> ids;
  absl::flat_hash_map<std::string, bool> seen_ids;
  MatchRecordBuilder builder(**names, **addresses);
  absl::StatusOr<std::unique_ptr<RowReader>> reader =
      OpenRowReader(command_line.Get("input"), mapping.reader);
  if (!reader.ok()) return Fail(reader.status());
  ProgressBar progress("rows");
  ImportOptions import_options;
  import_options.progress = [&](uint64_t done, uint64_t total, int64_t rows) {
    progress.Update(done, total, rows);
  };
  absl::StatusOr<ImportSummary> summary =
      ImportRows(**reader, mapping, **regions, import_options,
                 [&](const Household& household, const Person& person) -> absl::Status {
                   if (!seen_ids.emplace(person.id_art, true).second) {
                     return absl::AlreadyExistsError("id_art " + person.id_art + " seen before");
                   }
                   records.push_back(builder.Build(person, household));
                   ids.push_back(person.id_art);
                   auto it = truth->find(person.id_art);
                   labels.push_back(it == truth->end() ? TruthLabel() : it->second);
                   return absl::OkStatus();
                 });
  progress.Finish();
  if (!summary.ok()) return Fail(summary.status());
  std::fprintf(stderr, "padan eval: %lld records read (%lld rejected)\n",
               static_cast<long long>(records.size()), static_cast<long long>(summary->rejected));

  FellegiSunterModel model(*std::move(spec));
  TrainingOptions training;
  training.random_pairs = static_cast<size_t>(*random_pairs);
  training.seed = static_cast<uint64_t>(*seed);
  absl::StatusOr<TrainingReport> trained = TrainModel(records, training, &model);
  if (!trained.ok()) return Fail(trained.status());
  FrequencyTables frequencies = BuildFrequencyTables(records);
  CandidatePairOptions blocking;
  blocking.max_block_size = static_cast<size_t>(*max_block);
  std::vector<std::pair<uint32_t, uint32_t>> pairs = CandidatePairs(records, blocking);
  EvaluationReport report = Evaluate(records, labels, pairs, model, &frequencies);

  std::printf("padan eval %s (model %s)\n%s", command_line.Get("input").c_str(),
              model.version().c_str(), report.ToText().c_str());
  auto explain = [&](const char* title,
                     const std::vector<EvaluationReport::ScoredIndexPair>& worst) {
    std::printf("\n%s\n", title);
    for (size_t n = 0; n < worst.size() && n < static_cast<size_t>(*show_errors); ++n) {
      const auto& pair = worst[n];
      ScoredPair scored = model.Score(records[pair.i], records[pair.j], &frequencies);
      std::printf("%8.2f  %s [%s] ~ %s [%s]\n         ", scored.match_weight, ids[pair.i].c_str(),
                  records[pair.i].nama.canonical.c_str(), ids[pair.j].c_str(),
                  records[pair.j].nama.canonical.c_str());
      for (const FieldWeight& field : scored.explanation) {
        if (field.level == "missing") continue;
        std::printf(" %.*s=%.*s(%+.1f)", static_cast<int>(field.field.size()), field.field.data(),
                    static_cast<int>(field.level.size()), field.level.data(), field.weight);
      }
      std::printf("\n");
    }
  };
  if (*show_errors > 0) {
    explain("highest-weighted false pairs", report.worst_false_pairs);
    explain("lowest-weighted true pairs", report.worst_true_pairs);
  }
  if (command_line.Has("report")) {
    std::ofstream out(command_line.Get("report"), std::ios::binary | std::ios::trunc);
    out << report.ToHtml();
    if (!out) return Fail(absl::InternalError("cannot write " + command_line.Get("report")));
    std::printf("report written to %s\n", command_line.Get("report").c_str());
  }
  if (command_line.Has("model-out")) {
    model.set_thresholds(report.best.threshold,
                         std::min(model.possible_threshold(), report.best.threshold));
    absl::Status saved = model.Save(command_line.Get("model-out"));
    if (!saved.ok()) return Fail(saved);
    std::printf("model written to %s\n", command_line.Get("model-out").c_str());
  }
  return kExitOk;
}

}  // namespace padan::cli
