// JsonWriter: builds a JSON document by appending values in order, escaping every string, so no
// response is ever assembled by concatenating raw text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "data/json_string.h"

namespace padan {

// Appends to an internal buffer; the caller is responsible for a well-formed nesting
// (BeginObject/EndObject pairs, Key before each member value). Commas are inserted
// automatically. Not thread-safe; one per response.
class JsonWriter {
 public:
  JsonWriter() = default;

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  // Invalid UTF-8 in `value` is written as U+FFFD, so the output is always valid JSON.
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Uint(uint64_t value);
  // Non-finite numbers become null (JSON has no NaN).
  JsonWriter& Double(double value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // Appends already-serialised JSON as one value. REQUIRES: `json` is valid JSON.
  JsonWriter& Raw(std::string_view json);

  // Key + value shorthands.
  JsonWriter& Member(std::string_view key, std::string_view value) {
    return Key(key).String(value);
  }
  JsonWriter& Member(std::string_view key, const char* value) { return Key(key).String(value); }
  JsonWriter& Member(std::string_view key, int64_t value) { return Key(key).Int(value); }
  JsonWriter& Member(std::string_view key, uint64_t value) { return Key(key).Uint(value); }
  JsonWriter& Member(std::string_view key, int value) { return Key(key).Int(value); }
  JsonWriter& Member(std::string_view key, double value) { return Key(key).Double(value); }
  JsonWriter& Member(std::string_view key, bool value) { return Key(key).Bool(value); }

  const std::string& str() const { return out_; }
  std::string Release() { return std::move(out_); }

 private:
  void Separate();

  std::string out_;
  bool need_comma_ = false;
};

}  // namespace padan
