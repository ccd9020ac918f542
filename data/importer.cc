#include "data/importer.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_format.h"

#include "data/absl_strings.h"
#include "data/csv_writer.h"
#include "data/field_error.h"
#include "data/json_string.h"
#include "data/record_parser.h"
#include "data/status_macros.h"

namespace padan {
namespace {

// How often the progress callback runs.
constexpr int64_t kProgressEveryRows = 1 << 14;

// The rejects file is written to a side file first and given its header at the end, because
// an NDJSON input's columns are known only once every row has been read.
class RejectsFile {
 public:
  static absl::StatusOr<std::unique_ptr<RejectsFile>> Open(const std::string& path) {
    auto file = std::unique_ptr<RejectsFile>(new RejectsFile(path));
    PADAN_ASSIGN_OR_RETURN(file->body_, CsvWriter::Open(file->body_path_));
    return file;
  }

  absl::Status Add(const Row& row, std::string_view field, std::string_view reason) {
    body_->Field(static_cast<int64_t>(row.line));
    body_->Field(field);
    body_->Field(reason);
    for (std::string_view value : row.fields) body_->Field(value);
    return body_->EndRow();
  }

  // Writes header + body to the final path and removes the side file.
  absl::Status Finish(const std::vector<std::string>& columns) {
    PADAN_RETURN_IF_ERROR(body_->Close());
    PADAN_ASSIGN_OR_RETURN(std::unique_ptr<CsvWriter> out, CsvWriter::Open(path_));
    out->Field("line");
    out->Field("field");
    out->Field("reason");
    for (const std::string& column : columns) out->Field(column);
    PADAN_RETURN_IF_ERROR(out->EndRow());
    PADAN_RETURN_IF_ERROR(out->Close());
    std::ofstream append(path_, std::ios::binary | std::ios::app);
    std::ifstream body(body_path_, std::ios::binary);
    char buffer[1 << 16];
    while (body.read(buffer, sizeof(buffer)) || body.gcount() > 0) {
      append.write(buffer, body.gcount());
    }
    append.close();
    if (!append) return absl::InternalError(StrCat("cannot write rejects file ", path_));
    std::error_code ignored;
    std::filesystem::remove(body_path_, ignored);
    return absl::OkStatus();
  }

 private:
  explicit RejectsFile(std::string path) : path_(std::move(path)), body_path_(path_ + ".part") {}
  std::string path_;
  std::string body_path_;
  std::unique_ptr<CsvWriter> body_;
};

void CountFlags(const Household& household, const Person& person, ImportSummary* summary) {
  uint16_t p = person.flags;
  summary->nik_missing += (p & kPersonNikMissing) != 0;
  summary->nik_invalid += (p & kPersonNikInvalid) != 0;
  summary->dob_missing += (p & kPersonDobMissing) != 0;
  summary->dob_invalid += (p & kPersonDobInvalid) != 0;
  summary->sex_invalid += (p & kPersonSexInvalid) != 0;
  summary->hubungan_invalid += (p & kPersonHubunganInvalid) != 0;
  summary->status_kawin_invalid += (p & kPersonStatusKawinInvalid) != 0;
  summary->nik_dob_conflict += (p & kPersonNikDobConflict) != 0;
  summary->nik_sex_conflict += (p & kPersonNikSexConflict) != 0;
  uint8_t h = household.flags;
  summary->no_kk_missing += (h & kHouseholdNoKkMissing) != 0;
  summary->no_kk_invalid += (h & kHouseholdNoKkInvalid) != 0;
  summary->region_unknown += (h & kHouseholdRegionUnknown) != 0;
  summary->region_ambiguous += (h & kHouseholdRegionAmbiguous) != 0;
}

// The (label, value) rows both renderings share.
std::vector<std::pair<std::string_view, int64_t>> FlagRows(const ImportSummary& s) {
  return {{"nik_missing", s.nik_missing},
          {"nik_invalid", s.nik_invalid},
          {"no_kk_missing", s.no_kk_missing},
          {"no_kk_invalid", s.no_kk_invalid},
          {"region_unknown", s.region_unknown},
          {"region_ambiguous", s.region_ambiguous},
          {"dob_missing", s.dob_missing},
          {"dob_invalid", s.dob_invalid},
          {"sex_invalid", s.sex_invalid},
          {"hubungan_invalid", s.hubungan_invalid},
          {"status_kawin_invalid", s.status_kawin_invalid},
          {"nik_dob_conflict", s.nik_dob_conflict},
          {"nik_sex_conflict", s.nik_sex_conflict},
          {"duplicate_id", s.duplicate_id}};
}

}  // namespace

std::string ImportSummary::ToText() const {
  std::string text;
  absl::StrAppendFormat(&text, "rows read        %12d\n", rows_read);
  absl::StrAppendFormat(&text, "accepted         %12d\n", accepted);
  absl::StrAppendFormat(&text, "rejected         %12d%s\n", rejected,
                        rejected > 0 && !rejects_path.empty()
                            ? absl::StrFormat("   (see %s)", rejects_path)
                            : std::string());
  for (const auto& [reason, count] : rejects_by_reason) {
    absl::StrAppendFormat(&text, "  %-15s %12d\n", reason, count);
  }
  text += "flags (accepted rows):\n";
  for (const auto& [label, value] : FlagRows(*this)) {
    absl::StrAppendFormat(&text, "  %-20s %8d\n", label, value);
  }
  if (!unused_columns.empty()) {
    text += "ignored columns: ";
    for (size_t i = 0; i < unused_columns.size(); ++i) {
      if (i > 0) text += ", ";
      text += unused_columns[i];
    }
    text += "\n";
  }
  absl::StrAppendFormat(&text, "time             %12.2f s (%.0f rows/s)\n", seconds,
                        seconds > 0 ? static_cast<double>(rows_read) / seconds : 0.0);
  return text;
}

std::string ImportSummary::ToJson() const {
  std::string json = absl::StrFormat(R"({"rows_read":%d,"accepted":%d,"rejected":%d,"flags":{)",
                                     rows_read, accepted, rejected);
  bool first = true;
  for (const auto& [label, value] : FlagRows(*this)) {
    absl::StrAppendFormat(&json, "%s\"%s\":%d", first ? "" : ",", label, value);
    first = false;
  }
  json += R"(},"rejects_by_reason":{)";
  first = true;
  for (const auto& [reason, count] : rejects_by_reason) {
    absl::StrAppendFormat(&json, "%s%s:%d", first ? "" : ",", JsonString(reason), count);
    first = false;
  }
  json += R"(},"unused_columns":[)";
  for (size_t i = 0; i < unused_columns.size(); ++i) {
    StrAppend(&json, i > 0 ? "," : "", JsonString(unused_columns[i]));
  }
  absl::StrAppendFormat(&json, R"(],"rejects_path":%s,"seconds":%.3f})", JsonString(rejects_path),
                        seconds);
  return json;
}

absl::StatusOr<ImportSummary> ImportRows(RowReader& reader, const ColumnMapping& mapping,
                                         const RegionTable& regions, const ImportOptions& options,
                                         ImportSink sink) {
  return ImportRows(reader, mapping, regions, options,
                    [&](const Row&, const Household& household, const Person& person) {
                      return sink(household, person);
                    });
}

absl::StatusOr<ImportSummary> ImportRows(RowReader& reader, const ColumnMapping& mapping,
                                         const RegionTable& regions, const ImportOptions& options,
                                         ImportRowSink sink) {
  auto start = std::chrono::steady_clock::now();
  ImportSummary summary;
  std::unique_ptr<RejectsFile> rejects;
  if (!options.rejects_path.empty()) {
    PADAN_ASSIGN_OR_RETURN(rejects, RejectsFile::Open(options.rejects_path));
    summary.rejects_path = options.rejects_path;
  }
  // A CSV header is known before the first row; NDJSON keys appear row by row, so there a
  // mapped column may legitimately be missing until some row has it.
  size_t resolved_columns = reader.columns().size();
  bool columns_known = !reader.columns().empty();
  PADAN_ASSIGN_OR_RETURN(ResolvedMapping resolved,
                         ResolvedMapping::Resolve(mapping, reader.columns(), !columns_known));
  if (columns_known) {
    for (ImportField field : options.required_fields) {
      if (resolved.Has(field)) continue;
      std::string header;
      for (const std::string& column : reader.columns()) {
        StrAppend(&header, header.empty() ? "" : ", ", column);
      }
      return absl::InvalidArgumentError(StrCat("line 1: no column for ", ImportFieldName(field),
                                               " (the header has: ", header,
                                               "); name it in a column mapping"));
    }
  }

  RecordParser parser(regions, mapping.hubungan_codes);
  Household household;
  Person person;
  Row row;
  auto reject = [&](std::string_view field, std::string_view reason) -> absl::Status {
    ++summary.rejected;
    ++summary.rejects_by_reason[std::string(field)];
    if (rejects != nullptr) PADAN_RETURN_IF_ERROR(rejects->Add(row, field, reason));
    if (options.on_reject) options.on_reject(row, field, reason);
    return absl::OkStatus();
  };

  while (true) {
    PADAN_ASSIGN_OR_RETURN(bool more, reader.Next(&row));
    if (!more) break;
    ++summary.rows_read;
    if (options.progress && summary.rows_read % kProgressEveryRows == 0) {
      options.progress(reader.bytes_read(), reader.bytes_total(), summary.rows_read);
    }
    if (reader.columns().size() != resolved_columns) {
      resolved_columns = reader.columns().size();
      PADAN_ASSIGN_OR_RETURN(resolved, ResolvedMapping::Resolve(mapping, reader.columns(), true));
    }
    if (!row.error.empty()) {
      PADAN_RETURN_IF_ERROR(reject("malformed row", row.error));
      continue;
    }
    absl::Status parsed = parser.Parse(resolved, row, &household, &person);
    if (!parsed.ok()) {
      PADAN_RETURN_IF_ERROR(reject(FieldOf(parsed).value_or("row"), FromAbsl(parsed.message())));
      continue;
    }
    absl::Status added = sink(row, household, person);
    if (absl::IsAlreadyExists(added)) {
      ++summary.duplicate_id;
      PADAN_RETURN_IF_ERROR(reject("duplicate id_art", FromAbsl(added.message())));
      continue;
    }
    if (absl::IsInvalidArgument(added)) {  // the sink's own limits, e.g. an over-long field
      PADAN_RETURN_IF_ERROR(reject(FieldOf(added).value_or("row"), FromAbsl(added.message())));
      continue;
    }
    PADAN_RETURN_IF_ERROR(added);
    ++summary.accepted;
    CountFlags(household, person, &summary);
  }
  summary.unused_columns = resolved.unused_columns();
  if (rejects != nullptr) PADAN_RETURN_IF_ERROR(rejects->Finish(reader.columns()));
  if (options.progress) {
    options.progress(reader.bytes_read(), reader.bytes_total(), summary.rows_read);
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace padan
