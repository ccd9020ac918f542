// NdjsonReader: the RowReader for newline-delimited JSON (one object per line), the format of
// CAPI field results, of POST /v1/ingest bodies and of padan's own exports.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

#include "data/row_reader.h"

namespace padan {

// Reads one JSON object per line and turns it into rows of text fields by column.
//
// Mapping: each key becomes a column, appended to columns() the first time it is seen. Strings
// are unescaped; numbers keep their JSON text exactly ("3201010101010001" and "1.50" stay those
// digits, never a double); true/false become "true"/"false"; null becomes "" with present set.
// Nested objects are flattened with "." ({"alamat":{"rt":"001"}} gives column "alamat.rt").
// Arrays are joined with ';' (["PKH","BPNT"] gives "PKH;BPNT"); an object or array inside such
// an array is kept as its JSON text. A key that repeats within one object: the last wins.
//
// Households with members: when a line's top-level object holds an array of objects under
// options.ndjson_members_key (e.g. {"no_kk":..., "anggota":[{...},{...}]}), the line yields one
// row per element, each with the parent's fields plus the element's (the element wins on a
// clash); an empty array yields the parent alone as one row. Every row of such a line reports
// the same Row::line.
//
// Malformed lines come back as a row with Row::error set and no fields, and reading goes on
// with the next line: invalid JSON, a value that is not an object, trailing text, invalid UTF-8
// (with TextEncoding::kUtf8; other encodings are transcoded before parsing), a members array
// holding a non-object, too many distinct keys, or a line longer than max_row_bytes (skipped up
// to the next newline). Blank lines are skipped but counted in Row::line.
//
// Cost: each line is copied once into a padded buffer and parsed with simdjson's On-Demand
// API; strings are unescaped into the parser's buffer. Memory is bounded by max_row_bytes +
// read_chunk_bytes plus the parser's buffers for the longest line.
// Thread-compatible: one reader (and so one parser) per input, used from one thread at a time.
class NdjsonReader final : public RowReader {
 public:
  // Returns kInvalidArgument for bad options (see ValidateRowReaderOptions) or when the input
  // is a JSON array rather than NDJSON; kResourceExhausted when the parser cannot allocate;
  // and the I/O errors of RowInput::ReadMore().
  static absl::StatusOr<std::unique_ptr<NdjsonReader>> Create(std::unique_ptr<RowInput> input,
                                                              const RowReaderOptions& options);
  ~NdjsonReader() override;

  const std::vector<std::string>& columns() const override { return columns_; }
  absl::StatusOr<bool> Next(Row* row) override;
  uint64_t bytes_read() const override { return input_->offset(); }
  uint64_t bytes_total() const override { return input_->size(); }

  // Most distinct keys a reader accepts. DTKS and CAPI exports have well under a hundred; the
  // bound stops a file with generated keys from growing columns() without limit.
  static constexpr size_t kMaxColumns = 10000;
  // Deepest nesting accepted. CAPI records nest a few levels; the bound keeps the recursive
  // flattening shallow on any thread's stack.
  static constexpr size_t kMaxDepth = 64;

 private:
  struct Json;  // the simdjson parser, kept out of this header

  // One value of the current line. Text is in the line's padded copy or the parser's string
  // buffer (`data`), or in scratch_ (joined arrays), which may move while the line is parsed.
  struct Entry {
    size_t column;
    size_t group;  // 0: the top-level object; k: the k-th element of the members array
    const char* data;
    size_t offset;  // into scratch_ when data is null
    size_t size;
  };

  NdjsonReader(std::unique_ptr<RowInput> input, const RowReaderOptions& options);

  // Finds the next line. Returns false at the end of the input; sets *too_long instead of
  // *line when no newline comes within max_row_bytes.
  absl::StatusOr<bool> NextLine(std::string_view* line, size_t* length, bool* too_long);
  absl::Status SkipPastNewline();
  // Parses `line` into entries_; returns an error text or "".
  std::string ParseLine(std::string_view line);
  // The column named `name`, added when new; false when kMaxColumns is reached.
  bool ColumnFor(std::string_view name, size_t* column);
  // Fills `row` with the next row of the current line.
  void EmitRow(Row* row);
  void EmitError(int64_t line, std::string error, Row* row);

  std::unique_ptr<RowInput> input_;
  RowReaderOptions options_;
  std::unique_ptr<Json> json_;
  std::vector<std::string> columns_;
  absl::flat_hash_map<std::string, size_t> column_index_;
  int64_t line_ = 1;  // physical line of the next line to read

  std::string utf8_line_;  // the current line transcoded, for non-UTF-8 encodings
  std::string padded_;     // the current line plus simdjson's padding
  std::string scratch_;    // joined array values of the current line
  std::vector<Entry> entries_;
  size_t member_count_ = 0;  // elements of the current line's members array
  size_t next_group_ = 0;    // group of the next row to emit
  size_t rows_left_ = 0;     // rows of the current line not yet emitted
  int64_t rows_line_ = 0;    // Row::line of those rows
};

}  // namespace padan
