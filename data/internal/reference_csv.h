// ReferenceCsvReader: splits the small, trusted CSV tables of data/reference/ (held in memory,
// usually embedded in the binary) into records of fields, fast enough to load every table at
// start-up. Input files from users go through data/row_reader.h instead.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace padan::internal {

// Reads RFC 4180 CSV text (',' delimiter, '"' quoting with "" escapes, LF or CRLF line ends)
// record by record. Blank lines are skipped. The reader does not own the text. A field is a
// view into the text (quoted or not: the quotes are left out), except a field with "" escapes,
// which is unescaped into the reader's scratch buffer and valid until the next call to Next().
// Thread-compatible: one reader per thread.
class ReferenceCsvReader {
 public:
  // `source` names the table in error messages ("wilayah/wilayah_2025.csv").
  ReferenceCsvReader(std::string_view text, std::string_view source)
      : text_(text), source_(source) {}

  // Moves to the next record. Returns false at the end of the text, and on a malformed record
  // (unterminated quote, text after a closing quote), in which case status() says why.
  bool Next();

  size_t size() const { return fields_.size(); }
  // REQUIRES: i < size().
  std::string_view field(size_t i) const { return fields_[i]; }
  std::span<const std::string_view> fields() const { return fields_; }
  // The 1-based line on which the current record starts.
  int64_t line() const { return line_; }
  // OK unless Next() stopped on a malformed record.
  const absl::Status& status() const { return status_; }

  // kInvalidArgument "<source> line <n>: <message>" about the current record.
  absl::Status Error(std::string_view message) const;
  // Reads the first record and checks that it is exactly `columns`; kInvalidArgument naming
  // the expected and found header otherwise (also for an empty text).
  absl::Status ReadHeader(std::initializer_list<std::string_view> columns);
  // kInvalidArgument naming the line unless the current record has exactly `count` fields.
  absl::Status ExpectFieldCount(size_t count) const;

 private:
  bool ParseQuotedRecord();

  std::string_view text_;
  std::string_view source_;
  size_t pos_ = 0;
  int64_t next_line_ = 1;  // the line at pos_
  int64_t line_ = 0;
  std::vector<std::string_view> fields_;
  std::string scratch_;  // unescaped fields of a record with "" escapes
  absl::Status status_;
};

// kInvalidArgument "<source> line <line>: <message>", the form of every reference-table error.
absl::Status ReferenceError(std::string_view source, int64_t line, std::string_view message);

// Parses a field of decimal digits (no sign, no spaces) that fits in `*value`. Returns false
// for an empty field, any other character or overflow.
bool ParseDecimal(std::string_view text, uint64_t* value);

}  // namespace padan::internal
