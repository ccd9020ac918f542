#include "data/internal/reference_csv.h"

#include <bit>
#include <cstring>

#include "data/absl_strings.h"

namespace padan::internal {
namespace {

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kLows = 0x7F7F7F7F7F7F7F7FULL;

// 0x80 in every byte of `x` that is zero, 0 elsewhere (exact, unlike the borrow trick).
uint64_t ZeroBytes(uint64_t x) { return ~(((x & kLows) + kLows) | x | kLows); }

// 0x80 in every byte of the 8 at `p` that is ',', '\n' or '"'.
uint64_t SpecialBytes(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, sizeof(word));
  return ZeroBytes(word ^ (kOnes * ',')) | ZeroBytes(word ^ (kOnes * '\n')) |
         ZeroBytes(word ^ (kOnes * '"'));
}

// The byte offset of the lowest (in memory order) marked byte. REQUIRES: marks != 0.
int FirstMarked(uint64_t marks) {
  if constexpr (std::endian::native == std::endian::little) {
    return std::countr_zero(marks) >> 3;
  } else {
    return std::countl_zero(marks) >> 3;
  }
}

// Clears the lowest (in memory order) marked byte.
uint64_t ClearFirst(uint64_t marks) {
  if constexpr (std::endian::native == std::endian::little) {
    return marks & (marks - 1);
  } else {
    return marks & ~(0x8000000000000000ULL >> std::countl_zero(marks));
  }
}

}  // namespace

bool ReferenceCsvReader::Next() {
  fields_.clear();
  if (!status_.ok()) return false;
  const char* const text_end = text_.data() + text_.size();
  while (pos_ < text_.size()) {
    line_ = next_line_;
    // Nearly every record of the reference tables is one unquoted line: split it in the same
    // pass that finds its end, eight bytes at a time.
    const char* const begin = text_.data() + pos_;
    const char* field = begin;
    const char* p = begin;
    const char* line_end = nullptr;
    while (line_end == nullptr && p < text_end) {
      const char* block = p;
      uint64_t marks = 0;
      if (text_end - p >= 8) {
        marks = SpecialBytes(p);
        p += 8;
      } else {
        // The text's last few bytes, one at a time.
        for (int i = 0; i < text_end - p; ++i) {
          if (p[i] == ',' || p[i] == '\n' || p[i] == '"') {
            marks |= std::endian::native == std::endian::little ? 0x80ULL << (8 * i)
                                                                : 0x8000000000000000ULL >> (8 * i);
          }
        }
        p = text_end;
      }
      for (; marks != 0; marks = ClearFirst(marks)) {
        const char* special = block + FirstMarked(marks);
        if (*special == ',') {
          fields_.emplace_back(field, static_cast<size_t>(special - field));
          field = special + 1;
        } else if (*special == '\n') {
          line_end = special;
          break;
        } else {
          fields_.clear();
          return ParseQuotedRecord();
        }
      }
    }
    if (line_end == nullptr) line_end = text_end;
    const char* content_end = line_end;
    if (content_end > field && content_end[-1] == '\r') --content_end;
    pos_ = static_cast<size_t>(line_end - text_.data()) + 1;
    ++next_line_;
    if (fields_.empty() && content_end == begin) continue;  // a blank line
    fields_.emplace_back(field, static_cast<size_t>(content_end - field));
    return true;
  }
  return false;
}

// A record with quotes may span lines. The first pass finds its end and checks the quoting,
// so the second can reserve the scratch buffer once and hand out views into it.
bool ReferenceCsvReader::ParseQuotedRecord() {
  size_t end = pos_;
  int64_t lines = 0;
  bool in_quotes = false;
  while (end < text_.size()) {
    char c = text_[end];
    if (in_quotes) {
      if (c == '"') {
        if (end + 1 < text_.size() && text_[end + 1] == '"') {
          ++end;
        } else {
          in_quotes = false;
          // A closing quote ends the field: a comma, the line end (LF or CRLF) or the text's
          // end must follow.
          size_t next = end + 1;
          if (next < text_.size() && text_[next] == '\r' &&
              (next + 1 == text_.size() || text_[next + 1] == '\n')) {
            ++next;
          }
          if (next < text_.size() && text_[next] != ',' && text_[next] != '\n') {
            status_ = Error("text after a closing quote");
            return false;
          }
        }
      } else if (c == '\n') {
        ++lines;
      }
    } else if (c == '"') {
      in_quotes = true;
    } else if (c == '\n') {
      break;
    }
    ++end;
  }
  if (in_quotes) {
    status_ = Error("quote not closed before the end of the table");
    return false;
  }

  // A record's last byte before its '\n' may be the '\r' of a CRLF; it is never inside quotes,
  // since a quoted field ends with '"'.
  size_t content_end = end;
  if (content_end > pos_ && text_[content_end - 1] == '\r') --content_end;
  scratch_.clear();
  scratch_.reserve(content_end - pos_);
  size_t i = pos_;
  while (true) {
    if (i < content_end && text_[i] == '"') {
      const size_t begin = ++i;
      bool escaped = false;
      while (true) {  // the first pass guarantees the closing quote
        if (text_[i] == '"') {
          if (i + 1 < content_end && text_[i + 1] == '"') {
            escaped = true;
            i += 2;
            continue;
          }
          break;
        }
        ++i;
      }
      if (!escaped) {
        fields_.push_back(text_.substr(begin, i - begin));
      } else {
        // Only a field with "" escapes needs new bytes.
        const size_t field_start = scratch_.size();
        for (size_t k = begin; k < i; ++k) {
          scratch_.push_back(text_[k]);
          if (text_[k] == '"') ++k;
        }
        fields_.push_back(
            std::string_view(scratch_.data() + field_start, scratch_.size() - field_start));
      }
      ++i;  // the closing quote
    } else {
      const size_t begin = i;
      while (i < content_end && text_[i] != ',') ++i;
      fields_.push_back(text_.substr(begin, i - begin));
    }
    if (i >= content_end) break;
    ++i;  // the comma
  }
  pos_ = end + 1;
  next_line_ += lines + 1;
  return true;
}

absl::Status ReferenceError(std::string_view source, int64_t line, std::string_view message) {
  return absl::InvalidArgumentError(StrCat(source, " line ", line, ": ", message));
}

absl::Status ReferenceCsvReader::Error(std::string_view message) const {
  return ReferenceError(source_, line_, message);
}

absl::Status ReferenceCsvReader::ReadHeader(std::initializer_list<std::string_view> columns) {
  std::string expected;
  for (std::string_view column : columns) {
    if (!expected.empty()) expected.push_back(',');
    StrAppend(&expected, column);
  }
  if (!Next()) {
    if (!status_.ok()) return status_;
    return absl::InvalidArgumentError(
        StrCat(source_, " is empty; expected the header line '", expected, "'"));
  }
  bool same = fields_.size() == columns.size();
  for (size_t i = 0; same && i < fields_.size(); ++i) {
    same = fields_[i] == columns.begin()[i];
  }
  if (same) return absl::OkStatus();
  std::string found;
  for (std::string_view field : fields_) {
    if (!found.empty()) found.push_back(',');
    StrAppend(&found, field);
  }
  return Error(StrCat("expected the header '", expected, "', found '", found, "'"));
}

absl::Status ReferenceCsvReader::ExpectFieldCount(size_t count) const {
  if (fields_.size() == count) return absl::OkStatus();
  return Error(StrCat("expected ", count, " fields, found ", fields_.size()));
}

bool ParseDecimal(std::string_view text, uint64_t* value) {
  // Up to 19 digits always fit in 64 bits; only longer text needs the overflow check.
  constexpr size_t kSafeDigits = 19;
  if (text.empty()) return false;
  uint64_t result = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return false;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (i >= kSafeDigits && result > (UINT64_MAX - digit) / 10) return false;
    result = result * 10 + digit;
  }
  *value = result;
  return true;
}

}  // namespace padan::internal
