// JsonWriter: builds a JSON document by appending values in order, escaping every string, so no
// response is ever assembled by concatenating raw text.
#pragma once

#include <cstddef>
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
  JsonWriter() { out_.resize(kInitialCapacity); }

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

  // The JSON written so far.
  std::string_view str() const { return {out_.data(), used_}; }
  // The JSON written so far; the writer is then empty.
  std::string Release();

 private:
  // Room for a typical response or log line from the start: a 2 KB NIK response grown from
  // empty would be copied seven times on the way.
  static constexpr size_t kInitialCapacity = 1024;

  // The JSON is written into out_'s own bytes through a cursor, with one bounds check per
  // value, rather than by std::string appends: a response is some hundred short strings and
  // keys, and each append was a call into the library with its own checks (half the time of
  // writing a NIK response).
  char* Room(size_t bytes) {
    if (out_.size() - used_ < bytes) Grow(bytes);
    return out_.data() + used_;
  }
  void Grow(size_t bytes);
  void Put(char c) {
    *Room(1) = c;
    ++used_;
  }
  void Put(std::string_view text);
  // `text` quoted and escaped.
  void PutString(std::string_view text);
  void Separate() {
    if (need_comma_) Put(',');
    need_comma_ = true;
  }

  std::string out_;  // bytes [0, used_) are the JSON; the rest is room
  size_t used_ = 0;
  bool need_comma_ = false;
};

}  // namespace padan
