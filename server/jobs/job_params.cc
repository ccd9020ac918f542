#include "server/jobs/job_params.h"

#include <simdjson.h>

#include "data/absl_strings.h"
#include "data/field_error.h"

namespace padan {

absl::StatusOr<JobParams> JobParams::Parse(std::string_view json,
                                           absl::Span<const std::string_view> allowed) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(json.data(), json.size()).get(root); error) {
    return InvalidField("params",
                        StrCat("is not valid JSON (", simdjson::error_message(error), ")"));
  }
  simdjson::dom::object object;
  if (root.get(object)) return InvalidField("params", "must be a JSON object");
  JobParams params;
  for (auto [key, value] : object) {
    std::string name(key);
    bool known = false;
    for (std::string_view field : allowed) known = known || field == name;
    if (!known) return InvalidField(StrCat("params.", name), "is not a parameter of this job type");
    Field& field = params.fields_.emplace_back();
    field.name = name;
    field.json = simdjson::minify(value);
    field.is_object = value.is_object();
    field.is_bool = !value.get(field.boolean);
    std::string_view text;
    if (!value.get(text)) {
      field.is_string = true;
      field.text = std::string(text);
    }
  }
  return params;
}

const JobParams::Field* JobParams::Find(std::string_view name) const {
  for (const Field& field : fields_) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

absl::StatusOr<std::optional<std::string>> JobParams::String(std::string_view name) const {
  const Field* field = Find(name);
  if (field == nullptr) return std::optional<std::string>();
  if (!field->is_string) return InvalidField(StrCat("params.", name), "must be a string");
  return std::optional<std::string>(field->text);
}

absl::StatusOr<std::string> JobParams::Choice(std::string_view name,
                                              std::initializer_list<std::string_view> choices,
                                              std::string_view fallback) const {
  absl::StatusOr<std::optional<std::string>> value = String(name);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return std::string(fallback);
  std::string listed;
  for (std::string_view choice : choices) {
    if (**value == choice) return **value;
    StrAppend(&listed, listed.empty() ? "" : ", ", choice);
  }
  return InvalidField(StrCat("params.", name), StrCat("must be one of ", listed));
}

absl::StatusOr<bool> JobParams::Bool(std::string_view name, bool fallback) const {
  const Field* field = Find(name);
  if (field == nullptr) return fallback;
  if (!field->is_bool) return InvalidField(StrCat("params.", name), "must be true or false");
  return field->boolean;
}

absl::StatusOr<std::optional<std::string>> JobParams::Object(std::string_view name) const {
  const Field* field = Find(name);
  if (field == nullptr) return std::optional<std::string>();
  if (!field->is_object) return InvalidField(StrCat("params.", name), "must be a JSON object");
  return std::optional<std::string>(field->json);
}

}  // namespace padan
