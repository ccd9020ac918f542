// JobParams: strict reading of a job's "params" object — only the fields a job type names,
// each of the right type, errors naming "params.<field>".
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace padan {

class JobParams {
 public:
  // kInvalidArgument ("params") when `json` is not a JSON object, or names a field outside
  // `allowed` ("params.<field>").
  static absl::StatusOr<JobParams> Parse(std::string_view json,
                                         absl::Span<const std::string_view> allowed);

  // A string field; kInvalidArgument when present with another type.
  absl::StatusOr<std::optional<std::string>> String(std::string_view name) const;
  // A string field that must be one of `choices`; `fallback` when absent.
  absl::StatusOr<std::string> Choice(std::string_view name,
                                     std::initializer_list<std::string_view> choices,
                                     std::string_view fallback) const;
  // A boolean field; `fallback` when absent.
  absl::StatusOr<bool> Bool(std::string_view name, bool fallback) const;
  // An object field as minified JSON; kInvalidArgument when present with another type.
  absl::StatusOr<std::optional<std::string>> Object(std::string_view name) const;

 private:
  struct Field {
    std::string name;
    std::string json;  // minified value
    bool is_string = false;
    bool is_object = false;
    bool is_bool = false;
    bool boolean = false;
    std::string text;  // the string value when is_string
  };
  const Field* Find(std::string_view name) const;
  std::vector<Field> fields_;
};

}  // namespace padan
