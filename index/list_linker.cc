#include "index/list_linker.h"

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"

#include "data/absl_strings.h"
#include "data/csv_writer.h"
#include "data/importer.h"
#include "data/json_writer.h"
#include "data/pii_masking.h"
#include "data/row_reader.h"
#include "data/status_macros.h"
#include "index/batch_matcher.h"

namespace padan {
namespace {

// Rows matched per batch: enough to keep every thread busy, little memory.
constexpr size_t kBatchRows = 4096;
// The best candidate and the runner-up, whose weight says how clear the choice was.
constexpr size_t kCandidates = 2;

// One input row waiting for its batch: the columns to copy, and a query or why there is none.
struct PendingRow {
  int64_t line = 0;
  std::vector<std::string> fields;
  bool valid = false;
  std::string invalid_reason;  // "field: reason" when the row could not be read as a person
  size_t query = 0;            // index into the batch's queries when valid
};

// The link outcome of one row, as both output formats write it.
struct LinkOutcome {
  std::string decision;  // match, possible_match, non_match, no_candidate, invalid
  const MatchCandidate* best = nullptr;
  const MatchCandidate* runner_up = nullptr;
  std::string detail;  // the explanation, or why the row is invalid
};

void Count(std::string_view decision, LinkSummary* summary) {
  ++summary->rows;
  if (decision == "match") ++summary->match;
  if (decision == "possible_match") ++summary->possible;
  if (decision == "non_match") ++summary->non_match;
  if (decision == "no_candidate") ++summary->no_candidate;
  if (decision == "invalid") ++summary->invalid;
}

const std::vector<std::string_view>& OutputColumns() {
  static const auto* columns = new std::vector<std::string_view>{
      "padan_decision",     "padan_probability",      "padan_weight",
      "padan_id_art",       "padan_id_keluarga",      "padan_nik",
      "padan_nama",         "padan_tanggal_lahir",    "padan_kode_wilayah",
      "padan_runner_up_id", "padan_runner_up_weight", "padan_explanation"};
  return *columns;
}

// Writes outcomes as CSV (input columns, then OutputColumns) or NDJSON (line, input object,
// outcome), by the output file's extension.
class LinkWriter {
 public:
  // `columns` are the input's, and must outlive the writer: an NDJSON reader adds keys as it
  // meets them, which the NDJSON output follows; CSV output keeps the header's columns.
  static absl::StatusOr<std::unique_ptr<LinkWriter>> Open(const std::string& path,
                                                          const std::vector<std::string>* columns,
                                                          bool mask_pii) {
    std::unique_ptr<LinkWriter> writer(new LinkWriter());
    writer->ndjson_ = path.ends_with(".ndjson") || path.ends_with(".jsonl");
    writer->columns_ = columns;
    writer->mask_pii_ = mask_pii;
    writer->csv_columns_ = columns->size();
    PADAN_ASSIGN_OR_RETURN(writer->csv_, CsvWriter::Open(path));
    if (!writer->ndjson_) {
      writer->csv_->Field("line");
      for (const std::string& column : *columns) writer->csv_->Field(column);
      for (std::string_view column : OutputColumns()) writer->csv_->Field(column);
      PADAN_RETURN_IF_ERROR(writer->csv_->EndRow());
    }
    return writer;
  }

  absl::Status Write(const PendingRow& row, const LinkOutcome& outcome) {
    if (ndjson_) return WriteJson(row, outcome);
    csv_->Field(row.line);
    for (size_t i = 0; i < csv_columns_; ++i) {
      csv_->Field(i < row.fields.size() ? std::string_view(row.fields[i]) : "");
    }
    csv_->Field(outcome.decision);
    if (outcome.best != nullptr) {
      const PersonView& record = outcome.best->record;
      csv_->Field(absl::StrFormat("%.4f", outcome.best->score.match_probability));
      csv_->Field(absl::StrFormat("%.2f", outcome.best->score.match_weight));
      csv_->Field(record.person.id_art);
      csv_->Field(record.household.id_keluarga);
      csv_->Field(NikOf(record.person));
      csv_->Field(record.person.nama);
      csv_->Field(record.person.tanggal_lahir.ToString());
      csv_->Field(record.household.kode_wilayah == 0
                      ? std::string()
                      : absl::StrFormat("%d", record.household.kode_wilayah));
    } else {
      for (int i = 0; i < 8; ++i) csv_->Field("");
    }
    if (outcome.runner_up != nullptr) {
      csv_->Field(outcome.runner_up->record.person.id_art);
      csv_->Field(absl::StrFormat("%.2f", outcome.runner_up->score.match_weight));
    } else {
      csv_->Field("");
      csv_->Field("");
    }
    csv_->Field(outcome.detail);
    return csv_->EndRow();
  }

  absl::Status Close() { return csv_->Close(); }

 private:
  LinkWriter() = default;

  absl::Status WriteJson(const PendingRow& row, const LinkOutcome& outcome) {
    JsonWriter json;
    json.BeginObject().Member("line", row.line).Key("input").BeginObject();
    for (size_t i = 0; i < row.fields.size() && i < columns_->size(); ++i) {
      json.Member((*columns_)[i], row.fields[i]);
    }
    json.EndObject().Member("decision", outcome.decision);
    if (outcome.best != nullptr) {
      const PersonView& record = outcome.best->record;
      json.Member("match_probability", outcome.best->score.match_probability)
          .Member("match_weight", outcome.best->score.match_weight)
          .Key("match")
          .BeginObject()
          .Member("id_art", record.person.id_art)
          .Member("id_keluarga", record.household.id_keluarga)
          .Member("nik", NikOf(record.person))
          .Member("nama", record.person.nama)
          .Member("tanggal_lahir", record.person.tanggal_lahir.ToString())
          .Member("kode_wilayah", record.household.kode_wilayah)
          .EndObject()
          .Key("explanation")
          .BeginArray();
      for (const FieldWeight& field : outcome.best->score.explanation) {
        json.BeginObject()
            .Member("field", field.field)
            .Member("level", field.level)
            .Member("weight", field.weight)
            .EndObject();
      }
      json.EndArray();
    }
    if (outcome.runner_up != nullptr) {
      json.Key("runner_up")
          .BeginObject()
          .Member("id_art", outcome.runner_up->record.person.id_art)
          .Member("match_weight", outcome.runner_up->score.match_weight)
          .EndObject();
    }
    if (outcome.decision == "invalid") json.Member("reason", outcome.detail);
    json.EndObject();
    // The CSV writer's buffer serves as the file: one JSON document per line.
    std::string line = json.Release();
    return csv_->RawLine(line);
  }

  std::string NikOf(const Person& person) const {
    return mask_pii_ ? MaskNik(person.nik) : person.nik;
  }

  bool ndjson_ = false;
  bool mask_pii_ = false;
  const std::vector<std::string>* columns_ = nullptr;
  size_t csv_columns_ = 0;
  std::unique_ptr<CsvWriter> csv_;
};

}  // namespace

absl::StatusOr<LinkSummary> LinkList(const QueryEngine& engine, const RegionTable& regions,
                                     LinkOptions options, const BatchControl& control) {
  ColumnMapping& mapping = options.mapping;
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<RowReader> reader,
                         OpenRowReader(options.input, mapping.reader));
  // A list row needs no id to be matched, and many lists have none: rows are named by their
  // line ("L12") unless the mapping says otherwise (the output keeps the list's own columns).
  const size_t id_index = static_cast<size_t>(ImportField::kIdArt);
  if (!mapping.fields[id_index].has_value()) {
    FieldSource by_line;
    by_line.generate_from_line = true;
    mapping.fields[id_index] = by_line;
  }
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<LinkWriter> writer,
                         LinkWriter::Open(options.output, &reader->columns(), options.mask_pii));

  const auto start = std::chrono::steady_clock::now();
  BatchMatcher matcher(engine, options.threads);
  std::vector<PendingRow> pending;  // the batch being read
  std::vector<MatchQuery> queries;
  LinkSummary summary;
  // One batch is matched on the matcher's threads while this thread reads the next and writes
  // the one before: reading and writing would otherwise leave the cores idle between batches.
  struct InFlight {
    std::vector<PendingRow> pending;
    std::vector<MatchQuery> queries;
    std::future<std::vector<absl::StatusOr<MatchResult>>> results;
  };
  std::optional<InFlight> in_flight;
  auto write = [&](const std::vector<PendingRow>& rows,
                   const std::vector<absl::StatusOr<MatchResult>>& results) -> absl::Status {
    for (const PendingRow& row : rows) {
      LinkOutcome outcome;
      if (!row.valid) {
        outcome.decision = "invalid";
        outcome.detail = row.invalid_reason;
      } else if (!results[row.query].ok()) {
        outcome.decision = "invalid";
        outcome.detail = std::string(results[row.query].status().message());
      } else if (results[row.query]->candidates.empty()) {
        outcome.decision = "no_candidate";
      } else {
        const std::vector<MatchCandidate>& candidates = results[row.query]->candidates;
        outcome.best = &candidates[0];
        outcome.runner_up = candidates.size() > 1 ? &candidates[1] : nullptr;
        outcome.decision = std::string(DecisionName(outcome.best->score.decision));
        outcome.detail = ExplanationText(outcome.best->score);
      }
      Count(outcome.decision, &summary);
      PADAN_RETURN_IF_ERROR(writer->Write(row, outcome));
    }
    return absl::OkStatus();
  };
  // Starts matching the batch just read, then writes the one matched before it.
  auto flush = [&]() -> absl::Status {
    // The batch in flight is waited for before it is touched: its task reads its queries.
    bool have_previous = in_flight.has_value();
    std::vector<absl::StatusOr<MatchResult>> previous_results;
    std::vector<PendingRow> previous_rows;
    if (have_previous) {
      previous_results = in_flight->results.get();
      previous_rows = std::move(in_flight->pending);
      in_flight.reset();
    }
    if (control.Cancelled()) return absl::CancelledError("the link was cancelled");
    if (!pending.empty()) {
      in_flight.emplace();
      in_flight->pending = std::move(pending);
      in_flight->queries = std::move(queries);
      pending.clear();
      queries.clear();
      in_flight->results =
          std::async(std::launch::async, [&matcher, &options, &flight = *in_flight] {
            return matcher.MatchAll(flight.queries, options.scope, kCandidates);
          });
    }
    if (have_previous) PADAN_RETURN_IF_ERROR(write(previous_rows, previous_results));
    // Per batch, not only every few import-progress rows: linking is slow per row, and a job's
    // caller should see it move.
    control.Report("input bytes", reader->bytes_read(), reader->bytes_total());
    return absl::OkStatus();
  };
  // On any early return, the batch in flight finishes before what it refers to goes away.
  struct Drain {
    std::optional<InFlight>& flight;
    ~Drain() {
      if (flight.has_value() && flight->results.valid()) flight->results.wait();
    }
  } drain{in_flight};
  auto keep = [](const Row& row, PendingRow* out) {
    out->line = row.line;
    out->fields.assign(row.fields.begin(), row.fields.end());
  };

  ImportOptions import_options;
  import_options.required_fields = {ImportField::kNama};
  import_options.on_reject = [&](const Row& row, std::string_view field, std::string_view reason) {
    PendingRow& kept = pending.emplace_back();
    keep(row, &kept);
    kept.invalid_reason = StrCat(field, ": ", reason);
  };
  PADAN_RETURN_IF_ERROR(ImportRows(*reader, mapping, regions, import_options,
                                   [&](const Row& row, const Household& household,
                                       const Person& person) -> absl::Status {
                                     PendingRow& kept = pending.emplace_back();
                                     keep(row, &kept);
                                     kept.valid = true;
                                     kept.query = queries.size();
                                     queries.push_back(MatchQuery{person, household});
                                     if (queries.size() >= kBatchRows) return flush();
                                     return absl::OkStatus();
                                   })
                            .status());
  PADAN_RETURN_IF_ERROR(flush());  // starts the last batch, writes the one before
  PADAN_RETURN_IF_ERROR(flush());  // writes the last batch
  PADAN_RETURN_IF_ERROR(writer->Close());
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  summary.threads = matcher.threads();
  return summary;
}

}  // namespace padan
