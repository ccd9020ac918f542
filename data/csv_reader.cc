#include "data/csv_reader.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cstring>
#include <string_view>
#include <utility>

#include "absl/memory/memory.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"

#include "data/absl_strings.h"
#include "data/status_macros.h"
#include "data/utf8.h"

namespace padan {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
// UTF-16 byte-order marks: Excel's "Unicode Text" export starts with FF FE.
constexpr std::string_view kUtf16LeBom = "\xFF\xFE";
constexpr std::string_view kUtf16BeBom = "\xFE\xFF";

unsigned char Byte(char c) { return static_cast<unsigned char>(c); }

bool IsLineEnd(char c) { return c == '\n' || c == '\r'; }

// Physical line breaks inside [begin, end): LF, CRLF and a lone CR each count once.
// REQUIRES: `end` is dereferenceable (it points at the closing quote).
int64_t CountLineBreaks(const char* begin, const char* end) {
  int64_t breaks = 0;
  for (const char* c = begin; c < end; ++c) {
    if (*c == '\n' || (*c == '\r' && c[1] != '\n')) ++breaks;
  }
  return breaks;
}

// Index of the first '\r' or '\n' in `text`, or npos.
size_t FindLineEnd(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsLineEnd(text[i])) return i;
  }
  return std::string_view::npos;
}

}  // namespace

absl::StatusOr<std::unique_ptr<CsvReader>> CsvReader::Create(std::unique_ptr<RowInput> input,
                                                             const RowReaderOptions& options) {
  PADAN_RETURN_IF_ERROR(ValidateRowReaderOptions(options));
  std::unique_ptr<CsvReader> reader = absl::WrapUnique(new CsvReader(std::move(input), options));
  PADAN_RETURN_IF_ERROR(reader->ReadHeader());
  return reader;
}

CsvReader::CsvReader(std::unique_ptr<RowInput> input, const RowReaderOptions& options)
    : input_(std::move(input)), options_(options) {}

void CsvReader::SetDelimiter(char delimiter) {
  delimiter_ = delimiter;
  ends_field_.fill(false);
  ends_field_[Byte(delimiter)] = true;
  ends_field_[Byte('\r')] = true;
  ends_field_[Byte('\n')] = true;
}

absl::Status CsvReader::ReadHeader() {
  while (input_->window().size() < kUtf8Bom.size() && !input_->eof()) {
    PADAN_RETURN_IF_ERROR(input_->ReadMore().status());
  }
  std::string_view window = input_->window();
  if (window.starts_with(kUtf8Bom)) {
    input_->Consume(kUtf8Bom.size());
  } else if (window.starts_with(kUtf16LeBom) || window.starts_with(kUtf16BeBom)) {
    return absl::InvalidArgumentError(
        "file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as CSV UTF-8");
  }
  if (options_.delimiter == 0) {
    PADAN_RETURN_IF_ERROR(DetectDelimiter());
  } else {
    SetDelimiter(options_.delimiter);
  }

  Record record;
  PADAN_ASSIGN_OR_RETURN(bool found, ReadRecord(&record));
  if (!found) return absl::InvalidArgumentError("file has no header line");
  if (!record.error.empty()) {
    return absl::InvalidArgumentError(
        StrCat("header (line ", line_, ") is malformed: ", record.error));
  }
  window = input_->window();
  transcoded_.clear();
  if (!IsAscii(window.substr(0, record.length))) {
    std::string error = CheckEncoding(window);
    if (!error.empty()) {
      return absl::InvalidArgumentError(StrCat("header (line ", line_, "): ", error));
    }
  }
  bool any_name = false;
  columns_.reserve(spans_.size());
  for (const FieldSpan& span : spans_) {
    std::string_view name = FromAbsl(absl::StripAsciiWhitespace(ToAbsl(Resolve(window, span))));
    any_name = any_name || !name.empty();
    columns_.emplace_back(name);
  }
  if (!any_name) {
    return absl::InvalidArgumentError(
        StrCat("file has no header line (line ", line_, " has no column names)"));
  }
  line_ += record.lines;
  input_->Consume(record.length);
  return absl::OkStatus();
}

absl::Status CsvReader::DetectDelimiter() {
  constexpr char kCandidates[] = {',', ';', '\t'};  // in order of preference on a tie
  int counts[3] = {0, 0, 0};
  for (;;) {
    std::string_view window = input_->window();
    const size_t limit = std::min(window.size(), options_.max_row_bytes);
    size_t i = 0;
    while (i < limit && IsLineEnd(window[i])) ++i;  // blank lines before the header
    counts[0] = counts[1] = counts[2] = 0;
    bool in_quotes = false;
    bool field_start = true;
    bool line_complete = false;
    for (; i < limit; ++i) {
      const char c = window[i];
      if (in_quotes) {
        if (c == '"') {
          if (i + 1 < limit && window[i + 1] == '"') {
            ++i;
          } else {
            in_quotes = false;
          }
        }
        continue;
      }
      if (c == '"' && field_start) {
        in_quotes = true;
        field_start = false;
        continue;
      }
      if (IsLineEnd(c)) {
        line_complete = true;
        break;
      }
      field_start = false;
      for (int k = 0; k < 3; ++k) {
        if (c == kCandidates[k]) {
          ++counts[k];
          field_start = true;
        }
      }
    }
    if (line_complete || input_->eof() || window.size() >= options_.max_row_bytes) break;
    PADAN_RETURN_IF_ERROR(input_->ReadMore().status());
  }
  int best = 0;
  for (int k = 1; k < 3; ++k) {
    if (counts[k] > counts[best]) best = k;
  }
  SetDelimiter(kCandidates[best]);
  return absl::OkStatus();
}

const char* CsvReader::FindFieldEnd(const char* p, const char* end) const {
#if defined(__SSE2__)
  // Sixteen bytes per step: most DTKS fields end within the first block, and the compare-and-
  // mask needs no branch per byte.
  const __m128i delimiter = _mm_set1_epi8(delimiter_);
  const __m128i cr = _mm_set1_epi8('\r');
  const __m128i lf = _mm_set1_epi8('\n');
  while (end - p >= 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hits =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, delimiter), _mm_cmpeq_epi8(block, cr)),
                     _mm_cmpeq_epi8(block, lf));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hits));
    if (mask != 0) return p + __builtin_ctz(mask);
    p += 16;
  }
#endif
  while (p < end && !ends_field_[Byte(*p)]) ++p;
  return p;
}

CsvReader::Record CsvReader::ParseRecord(std::string_view window, bool eof, bool quotes_literal) {
  spans_.clear();
  scratch_.clear();
  Record record;
  const size_t max_bytes = options_.max_row_bytes;
  const char* const base = window.data();
  const char* const end = base + std::min(window.size(), max_bytes);
  // Running into `end` means: the input ends there, or more input may complete the record, or
  // the record has reached max_row_bytes.
  const bool input_ends = eof && window.size() <= max_bytes;
  auto cut = [&](bool quote_open) {
    if (input_ends) {
      record.outcome = Outcome::kUnterminatedQuote;
    } else if (!eof && window.size() <= max_bytes) {
      // At exactly max_bytes, only reading on tells whether the input ends here.
      record.outcome = Outcome::kNeedMore;
    } else {
      record.outcome = Outcome::kTooLong;
    }
    record.quote_open = quote_open;
    record.open_field = spans_.size();
    return record;
  };

  const char* p = base;
  for (;;) {
    const char* const field = p;
    if (p < end && *p == '"' && !quotes_literal) {
      const char* const content = p + 1;
      const char* q = content;
      bool doubled = false;
      for (;;) {
        q = static_cast<const char*>(std::memchr(q, '"', static_cast<size_t>(end - q)));
        if (q == nullptr) return cut(/*quote_open=*/true);
        if (q + 1 == end) {
          // Only the end of the input says whether this quote closes or starts a "" pair.
          if (!input_ends) return cut(/*quote_open=*/true);
          break;
        }
        if (q[1] != '"') break;
        doubled = true;
        q += 2;
      }
      record.lines += CountLineBreaks(content, q);
      p = q + 1;
      const char* const tail = p;  // text after the closing quote, kept literally
      p = FindFieldEnd(p, end);
      if (doubled || p != tail) {
        const size_t offset = scratch_.size();
        for (const char* c = content; c < q; ++c) {
          scratch_.push_back(*c);
          if (*c == '"') ++c;  // every quote inside [content, q) is the first of a pair
        }
        scratch_.append(tail, static_cast<size_t>(p - tail));
        spans_.push_back({offset, scratch_.size() - offset, Source::kScratch});
      } else {
        spans_.push_back({static_cast<size_t>(content - base), static_cast<size_t>(q - content),
                          Source::kWindow});
      }
    } else {
      p = FindFieldEnd(p, end);
      spans_.push_back(
          {static_cast<size_t>(field - base), static_cast<size_t>(p - field), Source::kWindow});
    }

    if (p == end) {
      if (!input_ends) return cut(/*quote_open=*/false);
      record.length = static_cast<size_t>(p - base);  // the last line, without a line end
      return record;
    }
    if (*p == delimiter_) {
      ++p;
      continue;
    }
    record.blank = p == base;
    if (*p == '\r') {
      if (p + 1 == end) {
        // A CR at the window's end may be the first half of a CRLF.
        if (!input_ends) return cut(/*quote_open=*/false);
        ++p;
      } else {
        p += p[1] == '\n' ? 2 : 1;
      }
    } else {
      ++p;
    }
    record.length = static_cast<size_t>(p - base);
    return record;
  }
}

absl::StatusOr<bool> CsvReader::ReadRecord(Record* record) {
  for (;;) {
    std::string_view window = input_->window();
    if (window.empty()) {
      if (input_->eof()) return false;
      PADAN_RETURN_IF_ERROR(input_->ReadMore().status());
      continue;
    }
    Record parsed = ParseRecord(window, input_->eof(), /*quotes_literal=*/false);
    switch (parsed.outcome) {
      case Outcome::kNeedMore:
        PADAN_RETURN_IF_ERROR(input_->ReadMore().status());
        continue;
      case Outcome::kRow:
        if (parsed.blank) {
          input_->Consume(parsed.length);
          ++line_;
          continue;
        }
        *record = std::move(parsed);
        return true;
      case Outcome::kTooLong:
      case Outcome::kUnterminatedQuote:
        return ResyncAfterBadRecord(parsed, record);
    }
  }
}

absl::StatusOr<bool> CsvReader::ResyncAfterBadRecord(const Record& bad, Record* record) {
  std::string error;
  if (bad.outcome == Outcome::kUnterminatedQuote) {
    error = StrCat("quoted field in ", ColumnLabel(bad.open_field),
                   " is not closed before the end of the input; the quote was read as text and "
                   "the row cut at the end of its first line");
  } else if (bad.quote_open) {
    error = StrCat("quoted field in ", ColumnLabel(bad.open_field),
                   " is still open after max_row_bytes (", options_.max_row_bytes,
                   " bytes); the quote was read as text and the row cut at the end of its "
                   "first line");
  } else {
    error = StrCat("row is longer than max_row_bytes (", options_.max_row_bytes, " bytes)");
  }

  for (;;) {
    std::string_view window = input_->window();
    const size_t limit = std::min(window.size(), options_.max_row_bytes);
    const size_t line_end = FindLineEnd(window.substr(0, limit));
    if (line_end == std::string_view::npos && window.size() <= options_.max_row_bytes &&
        !input_->eof()) {
      PADAN_RETURN_IF_ERROR(input_->ReadMore().status());
      continue;
    }
    if (line_end == std::string_view::npos && !(input_->eof() && limit == window.size())) {
      // No line end within max_row_bytes: no fields to give; drop the rest of the line.
      spans_.clear();
      PADAN_RETURN_IF_ERROR(SkipPastLineEnd());
      *record = Record();
      record->length = 0;
      record->error = std::move(error);
      return true;
    }
    size_t length = window.size();  // the line runs to the end of the input
    if (line_end != std::string_view::npos) {
      length = line_end + 1;
      if (window[line_end] == '\r') {
        if (line_end + 1 == window.size() && !input_->eof()) {
          PADAN_RETURN_IF_ERROR(input_->ReadMore().status());
          continue;
        }
        if (line_end + 1 < window.size() && window[line_end + 1] == '\n') ++length;
      }
    }
    const size_t content = line_end == std::string_view::npos ? window.size() : line_end;
    *record = ParseRecord(window.substr(0, content), /*eof=*/true, /*quotes_literal=*/true);
    record->length = length;
    record->lines = 1;
    record->blank = false;
    record->error = std::move(error);
    return true;
  }
}

absl::Status CsvReader::SkipPastLineEnd() {
  for (;;) {
    std::string_view window = input_->window();
    const size_t line_end = FindLineEnd(window);
    if (line_end != std::string_view::npos) {
      if (window[line_end] == '\r' && line_end + 1 == window.size() && !input_->eof()) {
        input_->Consume(line_end);  // keep the CR to see whether an LF follows
        PADAN_RETURN_IF_ERROR(input_->ReadMore().status());
        continue;
      }
      size_t length = line_end + 1;
      if (window[line_end] == '\r' && length < window.size() && window[length] == '\n') {
        ++length;
      }
      input_->Consume(length);
      return absl::OkStatus();
    }
    input_->Consume(window.size());
    if (input_->eof()) return absl::OkStatus();
    PADAN_RETURN_IF_ERROR(input_->ReadMore().status());
  }
}

absl::StatusOr<bool> CsvReader::Next(Row* row) {
  Record record;
  PADAN_ASSIGN_OR_RETURN(bool found, ReadRecord(&record));
  if (!found) return false;
  const std::string_view window = input_->window();
  row->line = line_;
  line_ += record.lines;
  row->error = std::move(record.error);

  const size_t count = spans_.size();
  if (row->error.empty() && count != columns_.size()) {
    row->error = absl::StrFormat("has %d fields, header has %d", count, columns_.size());
  }
  transcoded_.clear();
  if (count > 0 && !IsAscii(window.substr(0, record.length))) {
    std::string error = CheckEncoding(window);
    if (!error.empty()) {
      if (!row->error.empty()) row->error += "; ";
      row->error += error;
    }
  }

  const size_t width = std::max(count, columns_.size());
  row->fields.resize(width);
  for (size_t i = 0; i < count; ++i) row->fields[i] = Resolve(window, spans_[i]);
  std::fill(row->fields.begin() + static_cast<ptrdiff_t>(count), row->fields.end(),
            std::string_view());
  row->present.assign(count, true);
  row->present.resize(width, false);
  input_->Consume(record.length);
  return true;
}

std::string CsvReader::CheckEncoding(std::string_view window) {
  for (size_t i = 0; i < spans_.size(); ++i) {
    const std::string_view field = Resolve(window, spans_[i]);
    if (IsAscii(field)) continue;
    switch (options_.encoding) {
      case TextEncoding::kUtf8: {
        size_t offset = 0;
        if (!IsValidUtf8(field, &offset)) {
          return absl::StrFormat(
              "invalid UTF-8 in %s at byte %d of the field (0x%02X); if the file is not UTF-8, "
              "give its encoding",
              ColumnLabel(i), offset + 1, static_cast<unsigned>(Byte(field[offset])));
        }
        break;
      }
      case TextEncoding::kWindows1252:
      case TextEncoding::kLatin1: {
        const size_t offset = transcoded_.size();
        if (options_.encoding == TextEncoding::kWindows1252) {
          AppendWindows1252AsUtf8(field, &transcoded_);
        } else {
          AppendLatin1AsUtf8(field, &transcoded_);
        }
        spans_[i] = {offset, transcoded_.size() - offset, Source::kTranscoded};
        break;
      }
    }
  }
  return "";
}

std::string_view CsvReader::Resolve(std::string_view window, const FieldSpan& span) const {
  switch (span.source) {
    case Source::kWindow:
      return {window.data() + span.offset, span.size};
    case Source::kScratch:
      return {scratch_.data() + span.offset, span.size};
    case Source::kTranscoded:
      return {transcoded_.data() + span.offset, span.size};
  }
  return {};
}

std::string CsvReader::ColumnLabel(size_t field) const {
  if (field < columns_.size()) {
    return StrCat("column '", columns_[field], "' (field ", field + 1, ")");
  }
  return StrCat("field ", field + 1);
}

}  // namespace padan
