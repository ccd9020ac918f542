// Errors about one named field of a record or request: the field's name travels with the status
// as a payload, so the server can name it in its JSON error body and the importer in its rejects.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace padan {

// Returns kInvalidArgument with `message`, carrying `field` (a DTKS field name such as "nik").
absl::Status InvalidField(std::string_view field, std::string_view message);

// Returns the field name carried by a status made by InvalidField, if any.
std::optional<std::string> FieldOf(const absl::Status& status);

}  // namespace padan
