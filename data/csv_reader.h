// CsvReader: the RowReader for delimited text (RFC 4180 CSV and the looser files that
// spreadsheets and regional offices export: ';' or tab delimiters, a BOM, CRLF, stray quotes).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

#include "data/row_reader.h"

namespace padan {

// Reads delimited text with a header line, one row per Next(), streaming through a RowInput.
//
// Format: fields are separated by the delimiter (given, or detected from the header); a field
// starting with '"' is quoted and may hold delimiters, doubled quotes ("") and line breaks,
// kept as written. Rows end at LF, CRLF or a lone CR; the last row may lack a line end. Empty
// lines are skipped but counted in Row::line. Leniency where real files are sloppy: a quote
// inside an unquoted field is literal (`5" disk`), and text after a closing quote is appended
// literally (`"Jl. Mawar" 5` gives `Jl. Mawar 5`).
//
// Header: the first non-empty line, after a UTF-8 byte-order mark if any. Names are trimmed of
// surrounding whitespace; duplicated names are kept (lookups should take the first).
//
// Malformed rows are returned with Row::error set and the reader goes on: a row whose field
// count differs from the header's; invalid UTF-8 (with TextEncoding::kUtf8; the other
// encodings are transcoded, so no byte is invalid); a quoted field still open at the end of
// the input or after max_row_bytes. For the last case the reader cannot know where the row was
// meant to end, so it takes the opening quote as literal, returns the row's first physical line
// as its fields, and resumes at the next line. A physical line longer than max_row_bytes comes
// back with no fields (all "" and not present) and is skipped.
//
// Cost: unquoted, unchanged fields are views into the read buffer; only quoted fields that
// needed unescaping and transcoded fields are copied, into per-row scratch buffers. Memory is
// bounded by max_row_bytes + read_chunk_bytes for the buffer, plus the scratch and per-field
// bookkeeping of the largest row.
// Thread-compatible: one reader per input, used from one thread at a time.
class CsvReader final : public RowReader {
 public:
  // Reads the header from `input`. Returns kInvalidArgument for bad options (see
  // ValidateRowReaderOptions), when the input has no header line (empty, blank lines only, or
  // only empty names), when the header is malformed, or when the input is UTF-16; and the I/O
  // errors of RowInput::ReadMore().
  static absl::StatusOr<std::unique_ptr<CsvReader>> Create(std::unique_ptr<RowInput> input,
                                                           const RowReaderOptions& options);

  const std::vector<std::string>& columns() const override { return columns_; }
  absl::StatusOr<bool> Next(Row* row) override;
  uint64_t bytes_read() const override { return input_->offset(); }
  uint64_t bytes_total() const override { return input_->size(); }

  // The delimiter in use (detected or given).
  char delimiter() const { return delimiter_; }

 private:
  // Where a parsed field's bytes are.
  enum class Source : uint8_t { kWindow, kScratch, kTranscoded };
  struct FieldSpan {
    size_t offset;  // into the window (from the row's start), scratch_ or transcoded_
    size_t size;
    Source source;
  };
  enum class Outcome : uint8_t { kRow, kNeedMore, kTooLong, kUnterminatedQuote };
  // The result of parsing one record from the front of the window.
  struct Record {
    Outcome outcome = Outcome::kRow;
    size_t length = 0;      // bytes, line end included
    int64_t lines = 1;      // physical lines the record spans
    bool blank = false;     // an empty line
    size_t open_field = 0;  // kTooLong / kUnterminatedQuote: the field whose quote is open
    bool quote_open = false;
    std::string error;  // set for rows cut short by ResyncAfterBadRecord
  };

  CsvReader(std::unique_ptr<RowInput> input, const RowReaderOptions& options);

  // Skips a byte-order mark and detects the delimiter, then reads the header.
  absl::Status ReadHeader();
  // Detects the delimiter from the first record of the window.
  absl::Status DetectDelimiter();
  void SetDelimiter(char delimiter);

  // Returns the first delimiter, CR or LF in [p, end), or `end`.
  const char* FindFieldEnd(const char* p, const char* end) const;
  // Parses one record from the front of `window` into spans_. `eof` says nothing follows the
  // window. With `quotes_literal`, a leading quote is an ordinary byte.
  Record ParseRecord(std::string_view window, bool eof, bool quotes_literal);
  // Reads the next non-blank record into spans_, handling rows that straddle the window's end
  // and rows cut short. Returns false at the end of the input.
  absl::StatusOr<bool> ReadRecord(Record* record);
  // After a record that ran past max_row_bytes or the end of input with a quote open: takes
  // the first physical line as the record, with the quote read literally.
  absl::StatusOr<bool> ResyncAfterBadRecord(const Record& bad, Record* record);
  // Consumes input up to and including the next line end (used when a line is longer than
  // the window can hold).
  absl::Status SkipPastLineEnd();

  // Transcodes or validates the fields of a non-ASCII row; returns an error text or "".
  std::string CheckEncoding(std::string_view window);
  std::string_view Resolve(std::string_view window, const FieldSpan& span) const;
  // "column 'nama' (field 5)", for error messages.
  std::string ColumnLabel(size_t field) const;

  std::unique_ptr<RowInput> input_;
  RowReaderOptions options_;
  char delimiter_ = ',';
  // Bytes that end an unquoted field: the delimiter, '\r' and '\n'.
  std::array<bool, 256> ends_field_{};
  std::vector<std::string> columns_;
  int64_t line_ = 1;  // physical line where the next record starts
  std::vector<FieldSpan> spans_;
  std::string scratch_;     // unescaped quoted fields of the current row
  std::string transcoded_;  // transcoded fields of the current row
};

}  // namespace padan
