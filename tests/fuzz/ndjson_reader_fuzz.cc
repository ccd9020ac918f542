// libFuzzer target for NdjsonReader: any bytes, read with options drawn from the input's first
// bytes, must parse without crashing, hanging or touching memory out of bounds, and must give
// the same rows whether the text is parsed in place or fed through the buffer in small chunks.
//
// Not built by CMake yet (it needs clang). Build and run from the repository root:
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -I. \
//     tests/fuzz/ndjson_reader_fuzz.cc data/csv_reader.cc data/ndjson_reader.cc \
//     data/row_reader.cc data/utf8.cc -o ndjson_reader_fuzz \
//     -lsimdjson -labsl_status -labsl_statusor -labsl_strings -labsl_str_format_internal \
//     -labsl_raw_hash_set -labsl_hash -labsl_city -labsl_low_level_hash -labsl_cord \
//     -labsl_cordz_info -labsl_cord_internal -labsl_cordz_functions -labsl_cordz_handle \
//     -labsl_exponential_biased -labsl_synchronization -labsl_graphcycles_internal \
//     -labsl_stacktrace -labsl_symbolize -labsl_debugging_internal -labsl_demangle_internal \
//     -labsl_malloc_internal -labsl_time -labsl_time_zone -labsl_int128 -labsl_throw_delegate \
//     -labsl_raw_logging_internal -labsl_base -labsl_spinlock_wait -labsl_strings_internal \
//     -labsl_log_severity
//   mkdir -p /tmp/ndjson_corpus && ./ndjson_reader_fuzz -max_len=4096 /tmp/ndjson_corpus

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "data/row_reader.h"
#include "data/utf8.h"

namespace {

// Header bytes that choose the options; the rest of the input is the NDJSON text.
constexpr size_t kOptionBytes = 3;
const char* const kMembersKeys[] = {"anggota", "a", ""};
// Rows read per input at most: a line yields at most one row per byte (members array elements
// take at least "{}," each), so more means a hang.
constexpr size_t kMaxRowsPerByte = 1;

struct OwnedRow {
  std::vector<std::string> fields;
  std::vector<bool> present;
  int64_t line;
  std::string error;
  bool operator==(const OwnedRow&) const = default;
};

// Reads every row, checking the reader's invariants; aborts when one breaks.
std::vector<OwnedRow> ReadAll(std::string text, const padan::RowReaderOptions& options,
                              bool* header_ok) {
  std::vector<OwnedRow> rows;
  const size_t max_rows = text.size() * kMaxRowsPerByte + 1;
  absl::StatusOr<std::unique_ptr<padan::RowReader>> reader =
      padan::NdjsonReaderFromString(std::move(text), options);
  *header_ok = reader.ok();
  if (!reader.ok()) {
    if (reader.status().code() != absl::StatusCode::kInvalidArgument) std::abort();
    return rows;
  }
  padan::Row row;
  int64_t last_line = 0;
  for (;;) {
    absl::StatusOr<bool> next = (*reader)->Next(&row);
    if (!next.ok()) std::abort();  // in-memory input has no I/O errors
    if (!*next) break;
    if (rows.size() >= max_rows) std::abort();
    if (row.line < last_line) std::abort();  // the rows of a members array share a line
    last_line = row.line;
    if (row.fields.size() != row.present.size()) std::abort();
    if (row.fields.size() != (*reader)->columns().size()) std::abort();
    OwnedRow owned{{}, row.present, row.line, row.error};
    for (std::string_view field : row.fields) {
      // A clean row, or any row once transcoded, holds only valid UTF-8.
      if ((row.error.empty() || options.encoding != padan::TextEncoding::kUtf8) &&
          !padan::IsValidUtf8(field)) {
        std::abort();
      }
      owned.fields.emplace_back(field);  // touches every byte of the view
    }
    rows.push_back(std::move(owned));
  }
  if ((*reader)->bytes_read() != (*reader)->bytes_total()) std::abort();
  return rows;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < kOptionBytes) return 0;
  padan::RowReaderOptions options;
  options.ndjson_members_key = kMembersKeys[data[0] % 3];
  options.encoding = static_cast<padan::TextEncoding>((data[0] / 8) % 3);
  options.max_row_bytes = data[1] == 0 ? (1 << 20) : data[1];
  const size_t chunk_bytes = 1 + data[2] % 16;
  const std::string text(reinterpret_cast<const char*>(data) + kOptionBytes, size - kOptionBytes);

  bool in_place_ok = false;
  const std::vector<OwnedRow> in_place = ReadAll(text, options, &in_place_ok);
  options.read_chunk_bytes = chunk_bytes;
  bool chunked_ok = false;
  const std::vector<OwnedRow> chunked = ReadAll(text, options, &chunked_ok);
  if (in_place_ok != chunked_ok || in_place != chunked) std::abort();
  return 0;
}
