#include "data/field_error.h"

#include "absl/strings/cord.h"
#include "data/absl_strings.h"

namespace padan {
namespace {

// Type URL of the payload that names the offending field.
constexpr std::string_view kFieldPayloadUrl = "type.padan/field";

}  // namespace

absl::Status InvalidField(std::string_view field, std::string_view message) {
  absl::Status status(absl::StatusCode::kInvalidArgument, StrCat(field, ": ", message));
  status.SetPayload(ToAbsl(kFieldPayloadUrl), absl::Cord(ToAbsl(field)));
  return status;
}

std::optional<std::string> FieldOf(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(ToAbsl(kFieldPayloadUrl));
  if (!payload.has_value()) return std::nullopt;
  return std::string(*payload);
}

}  // namespace padan
