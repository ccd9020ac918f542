// CsvWriter: writes RFC 4180 CSV (comma, CRLF-free "\n" line ends, quotes only where needed)
// through a large buffer, for rejects files, batch-job results and generated data.
#pragma once

#include <cstdio>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace padan {

// Appends `field` to `out`, quoted when it holds the delimiter, a quote, CR, LF or leading or
// trailing spaces (which spreadsheet programs would otherwise trim).
void AppendCsvField(std::string_view field, std::string* out, char delimiter = ',');

// Owns its file. Not thread-safe. Close() (or the destructor, ignoring errors) flushes.
class CsvWriter {
 public:
  // Creates or truncates `path`. kPermissionDenied / kNotFound / kInternal on failure.
  static absl::StatusOr<std::unique_ptr<CsvWriter>> Open(const std::string& path,
                                                         char delimiter = ',');
  ~CsvWriter();
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  // Appends one field to the current row.
  void Field(std::string_view value);
  void Field(int64_t value);
  // Ends the current row. Returns an error when a flush to disk failed.
  absl::Status EndRow();
  // Writes `line` and a line end as they are, for line-oriented output that shares the
  // buffered file (NDJSON results). REQUIRES: no row is started.
  absl::Status RawLine(std::string_view line);
  // Writes a whole row.
  absl::Status Row(std::initializer_list<std::string_view> fields);
  // Flushes and closes; reports write errors (disk full...).
  absl::Status Close();

  uint64_t rows_written() const { return rows_; }

 private:
  CsvWriter(std::FILE* file, std::string path, char delimiter);
  absl::Status Flush();

  std::FILE* file_;
  std::string path_;
  char delimiter_;
  std::string buffer_;
  bool row_started_ = false;
  uint64_t rows_ = 0;
};

}  // namespace padan
