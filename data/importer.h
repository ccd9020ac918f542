// Import: streams the rows of a DTKS file through the column mapping and the record parser
// into a sink (the record store), writing every refused row to a rejects file and counting
// what it found. Rows are never lost silently: read = accepted + rejected.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"

#include "data/column_mapping.h"
#include "data/record.h"
#include "data/region_table.h"
#include "data/row_reader.h"

namespace padan {

// What an import did. Flag counts are over accepted rows.
struct ImportSummary {
  int64_t rows_read = 0;
  int64_t accepted = 0;
  int64_t rejected = 0;

  int64_t nik_missing = 0;
  int64_t nik_invalid = 0;
  int64_t no_kk_missing = 0;
  int64_t no_kk_invalid = 0;
  int64_t region_unknown = 0;
  int64_t region_ambiguous = 0;
  int64_t dob_missing = 0;
  int64_t dob_invalid = 0;
  int64_t sex_invalid = 0;
  int64_t hubungan_invalid = 0;
  int64_t status_kawin_invalid = 0;
  int64_t nik_dob_conflict = 0;
  int64_t nik_sex_conflict = 0;
  int64_t duplicate_id = 0;  // rows refused because their id_art was already imported

  // Refused rows by reason ("malformed row", "id_art", "nama", "duplicate id_art").
  std::map<std::string, int64_t> rejects_by_reason;
  std::vector<std::string> unused_columns;  // input columns no field took
  std::string rejects_path;                 // "" when no rejects file was written
  double seconds = 0;

  // A report for people, one item a line.
  std::string ToText() const;
  // The same as one JSON object.
  std::string ToJson() const;
};

struct ImportOptions {
  // Where refused rows go, as CSV: line, field, reason, then the row's own columns. Empty:
  // count them only.
  std::string rejects_path;
  // Called every few thousand rows with (bytes read, bytes total, rows read), for progress bars.
  std::function<void(uint64_t, uint64_t, int64_t)> progress;
  // Called for every refused row (after the rejects file has it) with the field and reason,
  // for callers that answer for every input row (padan link).
  std::function<void(const Row&, std::string_view field, std::string_view reason)> on_reject;
  // Fields a CSV header must provide a column for (through the mapping or a known header):
  // without one every row would be refused, so the import stops at once naming the field and
  // the header's columns (NDJSON keys appear row by row and are not checked).
  std::vector<ImportField> required_fields;
};

// Receives each accepted row. Returns kAlreadyExists for an id_art it already has (the row is
// refused as a duplicate id) and kInvalidArgument for a row beyond its limits (refused, naming
// the field when the status carries one); any other error stops the import and is returned.
using ImportSink = absl::FunctionRef<absl::Status(const Household&, const Person&)>;

// As ImportSink, with the input row the records came from (its fields stay valid for the call
// only), for callers that copy the input columns to their output (padan link).
using ImportRowSink = absl::FunctionRef<absl::Status(const Row&, const Household&, const Person&)>;

// Reads every row of `reader`. Returns the summary, or an error for failures that stop the
// import as a whole (unreadable input, a mapping naming columns the input lacks, an unwritable
// rejects file, a sink error). `regions` must cover the input's region codes.
absl::StatusOr<ImportSummary> ImportRows(RowReader& reader, const ColumnMapping& mapping,
                                         const RegionTable& regions, const ImportOptions& options,
                                         ImportSink sink);
absl::StatusOr<ImportSummary> ImportRows(RowReader& reader, const ColumnMapping& mapping,
                                         const RegionTable& regions, const ImportOptions& options,
                                         ImportRowSink sink);

}  // namespace padan
