#include "data/ndjson_reader.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/memory/memory.h"
#include "absl/strings/str_format.h"
#include "simdjson.h"

#include "data/absl_strings.h"
#include "data/status_macros.h"
#include "data/utf8.h"

namespace padan {
namespace {

namespace ondemand = simdjson::ondemand;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
// The parser's first allocation; it grows to the longest line.
constexpr size_t kInitialParserCapacity = 4 << 10;
// Error messages quote at most this much of a bad token.
constexpr size_t kMaxQuotedBytes = 32;

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view TrimJsonSpace(std::string_view s) {
  while (!s.empty() && IsJsonSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsJsonSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// RFC 8259 number grammar. simdjson's raw tokens are not validated until read as numbers, and
// padan keeps the text rather than a double.
bool IsJsonNumber(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  if (i < n && s[i] == '-') ++i;
  if (i == n) return false;
  if (s[i] == '0') {
    ++i;
  } else if (IsDigit(s[i])) {
    while (i < n && IsDigit(s[i])) ++i;
  } else {
    return false;
  }
  if (i < n && s[i] == '.') {
    const size_t start = ++i;
    while (i < n && IsDigit(s[i])) ++i;
    if (i == start) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    const size_t start = i;
    while (i < n && IsDigit(s[i])) ++i;
    if (i == start) return false;
  }
  return i == n;
}

const char* TypeName(ondemand::json_type type) {
  switch (type) {
    case ondemand::json_type::array:
      return "an array";
    case ondemand::json_type::object:
      return "an object";
    case ondemand::json_type::number:
      return "a number";
    case ondemand::json_type::string:
      return "a string";
    case ondemand::json_type::boolean:
      return "a boolean";
    case ondemand::json_type::null:
      return "null";
  }
  return "an unknown value";
}

std::string JsonError(simdjson::error_code error) {
  return StrCat("invalid JSON: ", simdjson::error_message(error));
}

}  // namespace

// Walks one line's document and records its values as NdjsonReader entries. Errors come back
// as text for Row::error; the walk stops at the first.
struct NdjsonReader::Json {
  explicit Json(NdjsonReader* reader) : reader(reader) {}

  std::string ParseDocument(std::string_view line);
  // Walks an object whose keys are flattened under path[0, prefix_size) ("" for a line's object
  // and a member, "alamat." for a nested one).
  std::string WalkObject(ondemand::object object, size_t group, size_t prefix_size, size_t depth);
  std::string WalkValue(ondemand::value value, size_t group, size_t depth, bool top_level);
  std::string WalkMembers(ondemand::value value, size_t depth);
  std::string JoinArray(ondemand::value value, size_t group, size_t depth);
  // Reads a scalar into *text (a view into the padded line or the parser's string buffer).
  std::string ReadScalar(ondemand::value value, ondemand::json_type type, std::string_view* text);
  // Reads and validates a nested object or array inside a joined array, appending its JSON
  // text to scratch_.
  std::string AppendRawContainer(ondemand::value value, ondemand::json_type type, size_t depth);
  std::string SkipValue(ondemand::value value, size_t depth);
  std::string AddEntry(size_t group, const char* data, size_t offset, size_t size);
  // "invalid JSON: bad number '01' in 'nik'", quoting at most kMaxQuotedBytes of the token.
  std::string BadToken(std::string_view what, std::string_view token) const;

  NdjsonReader* reader;
  ondemand::parser parser;
  ondemand::document doc;
  std::string path;  // flattened key of the value being read
};

std::string NdjsonReader::Json::ParseDocument(std::string_view line) {
  std::string& padded = reader->padded_;
  padded.assign(line);
  padded.append(simdjson::SIMDJSON_PADDING, ' ');
  if (simdjson::error_code error =
          parser.iterate(padded.data(), line.size(), padded.size()).get(doc)) {
    return JsonError(error);
  }
  ondemand::json_type type;
  if (simdjson::error_code error = doc.type().get(type)) return JsonError(error);
  if (type != ondemand::json_type::object) {
    return StrCat("not a JSON object (the line holds ", TypeName(type), ")");
  }
  ondemand::object object;
  if (simdjson::error_code error = doc.get_object().get(object)) return JsonError(error);
  path.clear();
  std::string error = WalkObject(object, 0, 0, 1);
  if (!error.empty()) return error;
  const char* trailing = nullptr;
  if (doc.current_location().get(trailing) == simdjson::SUCCESS) {
    return "invalid JSON: text after the end of the object";
  }
  return "";
}

std::string NdjsonReader::Json::WalkObject(ondemand::object object, size_t group,
                                           size_t prefix_size, size_t depth) {
  if (depth > kMaxDepth) return StrCat("objects nest deeper than ", kMaxDepth, " levels");
  for (auto field_or : object) {
    ondemand::field field;
    if (simdjson::error_code error = std::move(field_or).get(field)) return JsonError(error);
    std::string_view key;
    if (simdjson::error_code error = field.unescaped_key().get(key)) return JsonError(error);
    path.resize(prefix_size);
    path.append(key);
    std::string error = WalkValue(field.value(), group, depth, group == 0 && prefix_size == 0);
    if (!error.empty()) return error;
  }
  return "";
}

std::string NdjsonReader::Json::WalkValue(ondemand::value value, size_t group, size_t depth,
                                          bool top_level) {
  ondemand::json_type type;
  if (simdjson::error_code error = value.type().get(type)) return JsonError(error);
  switch (type) {
    case ondemand::json_type::object: {
      ondemand::object nested;
      if (simdjson::error_code error = value.get_object().get(nested)) return JsonError(error);
      path.push_back('.');
      return WalkObject(nested, group, path.size(), depth + 1);
    }
    case ondemand::json_type::array:
      if (top_level && !reader->options_.ndjson_members_key.empty() &&
          path == reader->options_.ndjson_members_key) {
        return WalkMembers(value, depth + 1);
      }
      return JoinArray(value, group, depth + 1);
    default: {
      std::string_view text;
      std::string error = ReadScalar(value, type, &text);
      if (!error.empty()) return error;
      return AddEntry(group, text.data(), 0, text.size());
    }
  }
}

std::string NdjsonReader::Json::WalkMembers(ondemand::value value, size_t depth) {
  if (depth > kMaxDepth) return StrCat("arrays nest deeper than ", kMaxDepth, " levels");
  ondemand::array array;
  if (simdjson::error_code error = value.get_array().get(array)) return JsonError(error);
  const std::string key = path;
  size_t index = 0;
  for (auto element_or : array) {
    ++index;
    ondemand::value element;
    if (simdjson::error_code error = std::move(element_or).get(element)) return JsonError(error);
    ondemand::json_type type;
    if (simdjson::error_code error = element.type().get(type)) return JsonError(error);
    if (type != ondemand::json_type::object) {
      return absl::StrFormat("element %d of '%s' is %s, not an object", index, key, TypeName(type));
    }
    ondemand::object object;
    if (simdjson::error_code error = element.get_object().get(object)) return JsonError(error);
    const size_t group = ++reader->member_count_;
    std::string error = WalkObject(object, group, 0, depth + 1);
    if (!error.empty()) return error;
  }
  return "";
}

std::string NdjsonReader::Json::JoinArray(ondemand::value value, size_t group, size_t depth) {
  if (depth > kMaxDepth) return StrCat("arrays nest deeper than ", kMaxDepth, " levels");
  ondemand::array array;
  if (simdjson::error_code error = value.get_array().get(array)) return JsonError(error);
  std::string& scratch = reader->scratch_;
  const size_t offset = scratch.size();
  bool first = true;
  for (auto element_or : array) {
    ondemand::value element;
    if (simdjson::error_code error = std::move(element_or).get(element)) return JsonError(error);
    ondemand::json_type type;
    if (simdjson::error_code error = element.type().get(type)) return JsonError(error);
    if (!first) scratch.push_back(';');
    first = false;
    std::string error;
    if (type == ondemand::json_type::object || type == ondemand::json_type::array) {
      error = AppendRawContainer(element, type, depth + 1);
    } else {
      std::string_view text;
      error = ReadScalar(element, type, &text);
      scratch.append(text);
    }
    if (!error.empty()) return error;
  }
  return AddEntry(group, nullptr, offset, scratch.size() - offset);
}

std::string NdjsonReader::Json::ReadScalar(ondemand::value value, ondemand::json_type type,
                                           std::string_view* text) {
  switch (type) {
    case ondemand::json_type::string:
      if (simdjson::error_code error = value.get_string().get(*text)) return JsonError(error);
      return "";
    case ondemand::json_type::number: {
      const std::string_view raw = TrimJsonSpace(value.raw_json_token());
      if (!IsJsonNumber(raw)) return BadToken("number", raw);
      *text = raw;
      return "";
    }
    case ondemand::json_type::boolean: {
      bool b = false;
      if (value.get_bool().get(b) != simdjson::SUCCESS) {
        return BadToken("literal", value.raw_json_token());
      }
      *text = b ? "true" : "false";
      return "";
    }
    case ondemand::json_type::null: {
      bool is_null = false;
      if (value.is_null().get(is_null) != simdjson::SUCCESS || !is_null) {
        return BadToken("literal", value.raw_json_token());
      }
      *text = std::string_view();
      return "";
    }
    case ondemand::json_type::object:
    case ondemand::json_type::array:
      break;
  }
  return "internal error: ReadScalar called on a container";
}

std::string NdjsonReader::Json::AppendRawContainer(ondemand::value value, ondemand::json_type type,
                                                   size_t depth) {
  const char* begin = value.raw_json_token().data();
  std::string error = SkipValue(value, depth);
  if (!error.empty()) return error;
  // The walk stopped at the token after the container: a ',' or ']' of the enclosing array.
  const char* end = nullptr;
  if (doc.current_location().get(end) != simdjson::SUCCESS || end < begin) {
    return StrCat("invalid JSON: ", TypeName(type), " in '", path, "' is not closed");
  }
  reader->scratch_.append(TrimJsonSpace(std::string_view(begin, static_cast<size_t>(end - begin))));
  return "";
}

std::string NdjsonReader::Json::SkipValue(ondemand::value value, size_t depth) {
  if (depth > kMaxDepth) return StrCat("values nest deeper than ", kMaxDepth, " levels");
  ondemand::json_type type;
  if (simdjson::error_code error = value.type().get(type)) return JsonError(error);
  switch (type) {
    case ondemand::json_type::object: {
      ondemand::object object;
      if (simdjson::error_code error = value.get_object().get(object)) return JsonError(error);
      for (auto field_or : object) {
        ondemand::field field;
        if (simdjson::error_code error = std::move(field_or).get(field)) return JsonError(error);
        std::string_view key;
        if (simdjson::error_code error = field.unescaped_key().get(key)) return JsonError(error);
        std::string error = SkipValue(field.value(), depth + 1);
        if (!error.empty()) return error;
      }
      return "";
    }
    case ondemand::json_type::array: {
      ondemand::array array;
      if (simdjson::error_code error = value.get_array().get(array)) return JsonError(error);
      for (auto element_or : array) {
        ondemand::value element;
        if (simdjson::error_code error = std::move(element_or).get(element)) {
          return JsonError(error);
        }
        std::string error = SkipValue(element, depth + 1);
        if (!error.empty()) return error;
      }
      return "";
    }
    default: {
      std::string_view ignored;
      return ReadScalar(value, type, &ignored);
    }
  }
}

std::string NdjsonReader::Json::BadToken(std::string_view what, std::string_view token) const {
  token = TrimJsonSpace(token);
  if (token.size() > kMaxQuotedBytes) {
    size_t cut = kMaxQuotedBytes;
    // Cut before a continuation byte so that the message stays valid UTF-8.
    while (cut > 0 && (static_cast<unsigned char>(token[cut]) & 0xC0) == 0x80) --cut;
    return absl::StrFormat("invalid JSON: bad %s '%s...' in '%s'", what, token.substr(0, cut),
                           path);
  }
  return absl::StrFormat("invalid JSON: bad %s '%s' in '%s'", what, token, path);
}

std::string NdjsonReader::Json::AddEntry(size_t group, const char* data, size_t offset,
                                         size_t size) {
  size_t column = 0;
  if (!reader->ColumnFor(path, &column)) {
    return StrCat("more than ", kMaxColumns, " distinct keys");
  }
  reader->entries_.push_back({column, group, data, offset, size});
  return "";
}

absl::StatusOr<std::unique_ptr<NdjsonReader>> NdjsonReader::Create(
    std::unique_ptr<RowInput> input, const RowReaderOptions& options) {
  PADAN_RETURN_IF_ERROR(ValidateRowReaderOptions(options));
  std::unique_ptr<NdjsonReader> reader =
      absl::WrapUnique(new NdjsonReader(std::move(input), options));
  if (reader->json_->parser.allocate(kInitialParserCapacity, kMaxDepth + 1) != simdjson::SUCCESS) {
    return absl::ResourceExhaustedError("cannot allocate the JSON parser");
  }
  // A JSON array (often pretty-printed over many lines) would otherwise give an error row per
  // line; say what the input is instead. Look past a BOM and whitespace.
  RowInput& in = *reader->input_;
  for (;;) {
    std::string_view window = in.window();
    if (window.size() >= kUtf8Bom.size() || in.eof()) {
      // Within max_row_bytes, so that the answer does not depend on how much has been read.
      const size_t limit = std::min(window.size(), options.max_row_bytes);
      size_t i = window.starts_with(kUtf8Bom) ? kUtf8Bom.size() : 0;
      while (i < limit && IsJsonSpace(window[i])) ++i;
      if (i < limit) {
        if (window[i] == '[') {
          return absl::InvalidArgumentError(
              "input is a JSON array, not NDJSON; write one JSON object per line");
        }
        break;
      }
      if (in.eof() || window.size() >= options.max_row_bytes) break;
    }
    PADAN_RETURN_IF_ERROR(in.ReadMore().status());
  }
  return reader;
}

NdjsonReader::NdjsonReader(std::unique_ptr<RowInput> input, const RowReaderOptions& options)
    : input_(std::move(input)), options_(options), json_(std::make_unique<Json>(this)) {}

NdjsonReader::~NdjsonReader() = default;

absl::StatusOr<bool> NdjsonReader::NextLine(std::string_view* line, size_t* length,
                                            bool* too_long) {
  for (;;) {
    const std::string_view window = input_->window();
    if (window.empty()) {
      if (input_->eof()) return false;
      PADAN_RETURN_IF_ERROR(input_->ReadMore().status());
      continue;
    }
    const size_t limit = std::min(window.size(), options_.max_row_bytes);
    const void* newline = std::memchr(window.data(), '\n', limit);
    if (newline != nullptr) {
      const size_t size = static_cast<size_t>(static_cast<const char*>(newline) - window.data());
      *line = window.substr(0, size);
      *length = size + 1;
      return true;
    }
    if (limit == window.size() && input_->eof()) {
      *line = window;  // the last line, without a newline
      *length = window.size();
      return true;
    }
    if (window.size() <= options_.max_row_bytes) {  // so !eof: only more input can tell
      PADAN_RETURN_IF_ERROR(input_->ReadMore().status());
      continue;
    }
    *too_long = true;
    return true;
  }
}

absl::Status NdjsonReader::SkipPastNewline() {
  for (;;) {
    const std::string_view window = input_->window();
    const void* newline = std::memchr(window.data(), '\n', window.size());
    if (newline != nullptr) {
      input_->Consume(static_cast<size_t>(static_cast<const char*>(newline) - window.data()) + 1);
      return absl::OkStatus();
    }
    input_->Consume(window.size());
    if (input_->eof()) return absl::OkStatus();
    PADAN_RETURN_IF_ERROR(input_->ReadMore().status());
  }
}

absl::StatusOr<bool> NdjsonReader::Next(Row* row) {
  for (;;) {
    if (rows_left_ > 0) {
      EmitRow(row);
      return true;
    }
    const bool first_line = input_->offset() == 0;
    std::string_view line;
    size_t length = 0;
    bool too_long = false;
    PADAN_ASSIGN_OR_RETURN(bool found, NextLine(&line, &length, &too_long));
    if (!found) return false;
    const int64_t line_number = line_++;
    if (too_long) {
      PADAN_RETURN_IF_ERROR(SkipPastNewline());
      EmitError(line_number,
                StrCat("line is longer than max_row_bytes (", options_.max_row_bytes, " bytes)"),
                row);
      return true;
    }
    if (first_line && line.starts_with(kUtf8Bom)) line.remove_prefix(kUtf8Bom.size());
    if (TrimJsonSpace(line).empty()) {
      input_->Consume(length);
      continue;
    }
    std::string error = ParseLine(line);
    input_->Consume(length);
    if (!error.empty()) {
      EmitError(line_number, std::move(error), row);
      return true;
    }
    rows_line_ = line_number;
    rows_left_ = std::max<size_t>(member_count_, 1);
    next_group_ = member_count_ > 0 ? 1 : 0;
  }
}

std::string NdjsonReader::ParseLine(std::string_view line) {
  entries_.clear();
  scratch_.clear();
  member_count_ = 0;
  if (!IsAscii(line)) {
    switch (options_.encoding) {
      case TextEncoding::kUtf8: {
        size_t offset = 0;
        if (!IsValidUtf8(line, &offset)) {
          return absl::StrFormat(
              "invalid UTF-8 at byte %d of the line (0x%02X); if the file is not UTF-8, give its "
              "encoding",
              offset + 1, static_cast<unsigned>(static_cast<unsigned char>(line[offset])));
        }
        break;
      }
      case TextEncoding::kWindows1252:
        utf8_line_.clear();
        AppendWindows1252AsUtf8(line, &utf8_line_);
        line = utf8_line_;
        break;
      case TextEncoding::kLatin1:
        utf8_line_.clear();
        AppendLatin1AsUtf8(line, &utf8_line_);
        line = utf8_line_;
        break;
    }
  }
  const size_t columns_before = columns_.size();
  std::string error = json_->ParseDocument(line);
  if (!error.empty()) {
    // A bad line must not leave its keys behind as columns.
    for (size_t i = columns_before; i < columns_.size(); ++i) {
      column_index_.erase(ToAbsl(columns_[i]));
    }
    columns_.resize(columns_before);
    entries_.clear();
    member_count_ = 0;
  }
  return error;
}

bool NdjsonReader::ColumnFor(std::string_view name, size_t* column) {
  auto it = column_index_.find(ToAbsl(name));
  if (it != column_index_.end()) {
    *column = it->second;
    return true;
  }
  if (columns_.size() >= kMaxColumns) return false;
  *column = columns_.size();
  columns_.emplace_back(name);
  column_index_.emplace(columns_.back(), *column);
  return true;
}

void NdjsonReader::EmitRow(Row* row) {
  const size_t width = columns_.size();
  row->line = rows_line_;
  row->error.clear();
  row->fields.assign(width, std::string_view());
  row->present.assign(width, false);
  // The parent's values first, so that the element's win on a clash.
  for (size_t pass = 0; pass < 2; ++pass) {
    const size_t group = pass == 0 ? 0 : next_group_;
    if (pass == 1 && group == 0) break;
    for (const Entry& entry : entries_) {
      if (entry.group != group) continue;
      const char* data = entry.data != nullptr ? entry.data : scratch_.data() + entry.offset;
      row->fields[entry.column] = std::string_view(data, entry.size);
      row->present[entry.column] = true;
    }
  }
  ++next_group_;
  --rows_left_;
}

void NdjsonReader::EmitError(int64_t line, std::string error, Row* row) {
  const size_t width = columns_.size();
  row->line = line;
  row->error = std::move(error);
  row->fields.assign(width, std::string_view());
  row->present.assign(width, false);
}

}  // namespace padan
