#include "data/json_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "data/json_string.h"

namespace padan {

std::string JsonWriter::Release() {
  out_.resize(used_);
  used_ = 0;
  need_comma_ = false;
  return std::move(out_);
}

void JsonWriter::Grow(size_t bytes) { out_.resize(std::max(out_.size() * 2, used_ + bytes)); }

void JsonWriter::Put(std::string_view text) {
  if (text.empty()) return;
  std::memcpy(Room(text.size()), text.data(), text.size());
  used_ += text.size();
}

void JsonWriter::PutString(std::string_view text) {
  if (!IsPlainJsonText(text)) {
    std::string escaped;
    AppendJsonString(text, &escaped);
    return Put(escaped);
  }
  char* quoted = Room(text.size() + 2);
  quoted[0] = '"';
  if (!text.empty()) std::memcpy(quoted + 1, text.data(), text.size());
  quoted[text.size() + 1] = '"';
  used_ += text.size() + 2;
}

JsonWriter& JsonWriter::BeginObject() {
  Separate();
  Put('{');
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  Put('}');
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  Separate();
  Put('[');
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  Put(']');
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  Separate();
  PutString(key);
  Put(':');
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view value) {
  Separate();
  PutString(value);
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t value) {
  Separate();
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  Put(std::string_view(buffer, static_cast<size_t>(end - buffer)));
  return *this;
}

JsonWriter& JsonWriter::Uint(uint64_t value) {
  Separate();
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  Put(std::string_view(buffer, static_cast<size_t>(end - buffer)));
  return *this;
}

JsonWriter& JsonWriter::Double(double value) {
  Separate();
  if (!std::isfinite(value)) {
    Put("null");
    return *this;
  }
  char buffer[32];
  // Six significant digits are plenty for weights and probabilities and keep responses short.
  // to_chars writes what "%.6g" would, without printf's format parsing and locale: a match
  // response holds some fifty numbers, and snprintf was 4 % of its time.
  std::to_chars_result written =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::general, 6);
  Put(std::string_view(buffer, static_cast<size_t>(written.ptr - buffer)));
  return *this;
}

JsonWriter& JsonWriter::Bool(bool value) {
  Separate();
  Put(value ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::Null() {
  Separate();
  Put("null");
  return *this;
}

JsonWriter& JsonWriter::Raw(std::string_view json) {
  Separate();
  Put(json);
  return *this;
}

}  // namespace padan
