// The one place where an absl::Status becomes an HTTP status and a JSON error body
// ({"error":{"code":..,"message":..,"field":..}}), as DESIGN §6 specifies. Domain code never
// sees HTTP codes; handlers return a Status and this maps it.
#pragma once

#include <string_view>

#include "absl/status/status.h"

#include "server/http_message.h"

namespace padan {

// kInvalidArgument 400, kUnauthenticated 401, kPermissionDenied 403, kNotFound 404,
// kAlreadyExists/kAborted 409, kFailedPrecondition 422 (well-formed but cannot be applied),
// kResourceExhausted 429, kUnavailable 503, kUnimplemented 501, anything else 500.
int HttpStatusOf(absl::StatusCode code);

// The error body's "code": "invalid_argument", "not_found", ... (absl's names in snake_case).
std::string_view ErrorCodeName(absl::StatusCode code);

// A response for `status` (REQUIRES: !status.ok()), naming the field when the status carries one
// (data/field_error.h). Internal errors are logged by the caller; their message is kept generic.
HttpResponse ErrorResponse(const absl::Status& status);

// A response with an explicit HTTP status and code, for errors found by the transport layer
// (413 payload_too_large, 431 header_too_large, 405 method_not_allowed, 400 malformed HTTP...).
HttpResponse ErrorResponse(int http_status, std::string_view code, std::string_view message,
                           std::string_view field = "");

// kFailedPrecondition carrying the same message and field as `status`: a request that parsed
// but that the registry refused (answered 422, not 400).
absl::Status AsUnprocessable(const absl::Status& status);

// A status of any code that names `field` in the JSON error body (as InvalidField does for
// kInvalidArgument): e.g. kPermissionDenied for a "wilayah" outside the key's scope.
absl::Status FieldError(absl::StatusCode code, std::string_view field, std::string_view message);

}  // namespace padan
