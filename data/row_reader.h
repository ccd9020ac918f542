// RowReader: streams the rows of a tabular input file (CSV or NDJSON) as text fields by column,
// so the importer and the batch jobs read every input format through one interface.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace padan {

// One row. Views point into the reader's buffers and stay valid until the next Next() call.
struct Row {
  // By column index; columns the row lacks are "". CSV: at least columns().size() entries, more
  // when a ragged row has extra fields. NDJSON: columns().size() entries as of this row.
  std::vector<std::string_view> fields;
  // Same length as `fields`. NDJSON: whether the key was in the object. CSV: whether the row
  // had that field (false only for the padding of a short, ragged row).
  std::vector<bool> present;
  int64_t line = 0;  // 1-based physical line where the row starts
  // Non-empty when the row is malformed (ragged CSV row, invalid UTF-8, JSON syntax error...):
  // the caller rejects the row with this reason and goes on with the next one. The text says
  // what is wrong and in which column; it does not repeat `line`, so report both.
  std::string error;
};

enum class TextEncoding : uint8_t {
  kUtf8,         // the default; invalid sequences make the row malformed
  kWindows1252,  // transcoded to UTF-8 (spreadsheets saved as "CSV" on Windows)
  kLatin1,       // ISO-8859-1, transcoded to UTF-8
};

struct RowReaderOptions {
  // CSV delimiter; 0 detects ',', ';' or '\t' from the header line (the one occurring most
  // often outside quotes; ties prefer ',' then ';'; none at all means one column and ',').
  // Must not be '"', '\r' or '\n'.
  char delimiter = 0;
  TextEncoding encoding = TextEncoding::kUtf8;
  // A row longer than this, its line end included (e.g. an unterminated quote swallowing the
  // file), is malformed; the reader resumes after the physical line where the row started.
  size_t max_row_bytes = 1 << 20;
  // Bytes per read(). 0 reads files in 1 MiB chunks and parses in-memory text in place; tests
  // and fuzzers set it small (for in-memory text too) to make rows straddle chunk boundaries.
  // Memory stays within max_row_bytes + read_chunk_bytes whatever the input's size.
  size_t read_chunk_bytes = 0;
  // NDJSON: an array under this key (e.g. a CAPI household's "anggota") yields one row per
  // element, each with the parent object's scalar fields too. Empty disables it.
  std::string ndjson_members_key = "anggota";
};

// Returns kInvalidArgument naming the option when `options` cannot work: a delimiter that is
// '"', '\r' or '\n', or max_row_bytes == 0. The readers' factories check this themselves.
absl::Status ValidateRowReaderOptions(const RowReaderOptions& options);

// Not thread-safe; one reader per input.
class RowReader {
 public:
  virtual ~RowReader() = default;

  // Column names: the CSV header, or for NDJSON the keys seen so far (new keys are appended
  // as they appear, so the vector may grow after Next()). Names may repeat (a CSV header with
  // a duplicated name keeps both); a lookup by name should take the first.
  virtual const std::vector<std::string>& columns() const = 0;

  // Reads the next row into `row`. Returns false at the end of input. A malformed row is
  // returned with row->error set; only I/O failures are errors (kUnavailable / kDataLoss).
  virtual absl::StatusOr<bool> Next(Row* row) = 0;

  // Bytes consumed so far and the input's size (0 when unknown), for progress reports.
  virtual uint64_t bytes_read() const = 0;
  virtual uint64_t bytes_total() const = 0;
};

// Opens `path` as CSV or NDJSON: by extension (.csv/.tsv/.txt vs .ndjson/.jsonl/.json, any
// case), else by its first non-space byte after a byte-order mark ('{' means NDJSON). Reads the
// CSV header immediately; returns kNotFound / kPermissionDenied for a file that cannot be
// opened and kInvalidArgument for a directory, bad options, a missing or empty header, a UTF-16
// file or a JSON array given as NDJSON.
absl::StatusOr<std::unique_ptr<RowReader>> OpenRowReader(const std::string& path,
                                                         const RowReaderOptions& options = {});

// Readers over text in memory, for tests and request bodies. The reader owns `text`.
absl::StatusOr<std::unique_ptr<RowReader>> CsvReaderFromString(
    std::string text, const RowReaderOptions& options = {});
absl::StatusOr<std::unique_ptr<RowReader>> NdjsonReaderFromString(
    std::string text, const RowReaderOptions& options = {});

// RowInput: the bytes under a CSV or NDJSON reader, seen as a window that slides over a file
// read in chunks, or over a string in memory. A reader parses window(), Consume()s each row it
// has parsed and calls ReadMore() when a row runs past the window's end. The buffer never grows
// beyond max_window_bytes, so memory is bounded whatever the input's size.
// Thread-compatible; owned by one reader.
class RowInput {
 public:
  // Opens `path` for reading in `chunk_bytes` reads. Returns kNotFound, kPermissionDenied,
  // kInvalidArgument (a directory) or kUnavailable (other open failures).
  // REQUIRES: 0 < chunk_bytes < max_window_bytes.
  static absl::StatusOr<std::unique_ptr<RowInput>> OpenFile(const std::string& path,
                                                            size_t chunk_bytes,
                                                            size_t max_window_bytes);
  // Reads `text`. chunk_bytes == 0 makes the whole text the window at once (no copy); otherwise
  // the text is fed through the buffer in chunks exactly as a file would be.
  // REQUIRES: chunk_bytes == 0 or chunk_bytes < max_window_bytes.
  static std::unique_ptr<RowInput> FromString(std::string text, size_t chunk_bytes,
                                              size_t max_window_bytes);

  ~RowInput();
  RowInput(const RowInput&) = delete;
  RowInput& operator=(const RowInput&) = delete;

  // The unconsumed bytes read so far. Valid until the next ReadMore().
  std::string_view window() const { return {buffer_ + begin_, end_ - begin_}; }
  // True once the window reaches the end of the input.
  bool eof() const { return eof_; }
  // Drops `n` bytes from the front of the window. REQUIRES: n <= window().size().
  void Consume(size_t n);
  // Appends at least one byte to the window, first moving the window to the buffer's start
  // (invalidating views into it). Returns false, and sets eof(), at the end of the input.
  // Returns kUnavailable / kDataLoss when reading fails, kInternal when the window already
  // holds max_window_bytes (a reader bug: rows are cut at max_row_bytes before that).
  absl::StatusOr<bool> ReadMore();

  // Input offset of window().data(): the bytes consumed so far.
  uint64_t offset() const { return offset_; }
  // The input's size, or 0 when unknown (a pipe).
  uint64_t size() const { return size_; }

 private:
  RowInput() = default;

  // Reads up to `n` bytes into `out`; 0 at the end of input.
  absl::StatusOr<size_t> ReadSome(char* out, size_t n);

  std::string path_;               // for error messages
  int fd_ = -1;                    // the file, or -1 when reading text_
  std::string text_;               // in-memory input
  size_t text_pos_ = 0;            // next byte of text_ to feed through the buffer
  std::unique_ptr<char[]> owned_;  // the buffer for chunked input
  const char* buffer_ = nullptr;   // owned_.get(), or text_.data() when read in place
  size_t capacity_ = 0;            // allocated bytes of owned_
  size_t begin_ = 0;               // window start within buffer_
  size_t end_ = 0;                 // window end within buffer_
  size_t chunk_bytes_ = 0;
  size_t max_window_bytes_ = 0;
  uint64_t offset_ = 0;
  uint64_t size_ = 0;
  bool eof_ = false;
};

}  // namespace padan
