#include "server/api_error.h"

#include <optional>
#include <string>

#include "data/field_error.h"
#include "data/json_writer.h"

namespace padan {

int HttpStatusOf(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return 409;
    case absl::StatusCode::kFailedPrecondition:
      return 422;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnimplemented:
      return 501;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    default:
      return 500;
  }
}

std::string_view ErrorCodeName(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
      return "invalid_argument";
    case absl::StatusCode::kOutOfRange:
      return "out_of_range";
    case absl::StatusCode::kUnauthenticated:
      return "unauthenticated";
    case absl::StatusCode::kPermissionDenied:
      return "permission_denied";
    case absl::StatusCode::kNotFound:
      return "not_found";
    case absl::StatusCode::kAlreadyExists:
      return "already_exists";
    case absl::StatusCode::kAborted:
      return "conflict";
    case absl::StatusCode::kFailedPrecondition:
      return "unprocessable";
    case absl::StatusCode::kResourceExhausted:
      return "rate_limited";
    case absl::StatusCode::kUnimplemented:
      return "not_implemented";
    case absl::StatusCode::kUnavailable:
      return "unavailable";
    case absl::StatusCode::kDeadlineExceeded:
      return "deadline_exceeded";
    default:
      return "internal";
  }
}

HttpResponse ErrorResponse(int http_status, std::string_view code, std::string_view message,
                           std::string_view field) {
  JsonWriter json;
  json.BeginObject().Key("error").BeginObject();
  json.Member("code", code).Member("message", message);
  if (!field.empty()) json.Member("field", field);
  json.EndObject().EndObject();
  HttpResponse response;
  response.status = http_status;
  response.body = json.Release();
  return response;
}

HttpResponse ErrorResponse(const absl::Status& status) {
  int http_status = HttpStatusOf(status.code());
  std::optional<std::string> field = FieldOf(status);
  // Our own bugs and I/O failures are not explained to the caller; the server log has them.
  std::string_view message =
      http_status == 500 ? std::string_view("internal error; see the server log")
                         : std::string_view(status.message().data(), status.message().size());
  return ErrorResponse(http_status, ErrorCodeName(status.code()), message,
                       field.has_value() ? std::string_view(*field) : std::string_view());
}

absl::Status AsUnprocessable(const absl::Status& status) {
  absl::Status result(absl::StatusCode::kFailedPrecondition, status.message());
  status.ForEachPayload(
      [&](absl::string_view url, const absl::Cord& payload) { result.SetPayload(url, payload); });
  return result;
}

absl::Status FieldError(absl::StatusCode code, std::string_view field, std::string_view message) {
  absl::Status invalid = InvalidField(field, message);
  absl::Status result(code, invalid.message());
  invalid.ForEachPayload(
      [&](absl::string_view url, const absl::Cord& payload) { result.SetPayload(url, payload); });
  return result;
}

}  // namespace padan
