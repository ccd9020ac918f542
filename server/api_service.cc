#include "server/api_service.h"

#include <chrono>
#include <cstdio>
#include <random>

#include "data/absl_strings.h"
#include "data/field_error.h"
#include "data/utf8.h"
#include "server/api_error.h"
#include "server/jobs/job_runner.h"
#include "server/request_context.h"

namespace padan {
namespace {

// A client may pass its own X-Request-Id (for tracing across services) when it is this tame.
constexpr size_t kMaxClientRequestId = 64;

bool IsTameRequestId(std::string_view id) {
  if (id.empty() || id.size() > kMaxClientRequestId) return false;
  for (char c : id) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

absl::Status PercentDecode(std::string_view text, bool plus_is_space, std::string* out) {
  out->clear();
  out->reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) {
        return absl::InvalidArgumentError("truncated %-escape in the request target");
      }
      int high = HexValue(text[i + 1]);
      int low = HexValue(text[i + 2]);
      if (high < 0 || low < 0)
        return absl::InvalidArgumentError("bad %-escape in the request target");
      out->push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  if (!IsValidUtf8(*out)) return absl::InvalidArgumentError("request target is not valid UTF-8");
  return absl::OkStatus();
}

}  // namespace

absl::Status ParseTarget(std::string_view target, std::string* path,
                         std::vector<std::pair<std::string, std::string>>* query) {
  size_t question = target.find('?');
  absl::Status status = PercentDecode(target.substr(0, question), false, path);
  if (!status.ok()) return status;
  if (question == std::string_view::npos) return absl::OkStatus();
  std::string_view rest = target.substr(question + 1);
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    size_t equals = pair.find('=');
    std::string name;
    std::string value;
    status = PercentDecode(pair.substr(0, equals), true, &name);
    if (!status.ok()) return status;
    if (equals != std::string_view::npos) {
      status = PercentDecode(pair.substr(equals + 1), true, &value);
      if (!status.ok()) return InvalidField(name, FromAbsl(status.message()));
    }
    query->emplace_back(std::move(name), std::move(value));
  }
  return absl::OkStatus();
}

ApiService::ApiService(const ServerLimits& limits, const ApiKeys* keys, AuditLog* audit)
    : limits_(limits), keys_(keys), audit_(audit) {
  RegisterRoutes(router_);
  for (Route& route : router_.routes()) {
    route.metrics_index =
        metrics_.AddRoute(std::string(HttpMethodName(route.method)), route.pattern);
  }
  // Request ids are unique across restarts: a random prefix per process, a counter after it.
  std::random_device random;
  char prefix[16];
  std::snprintf(prefix, sizeof(prefix), "%08x", random());
  request_id_prefix_ = prefix;
}

size_t ApiService::LimitOf(BodyKind kind) const {
  switch (kind) {
    case BodyKind::kNone:
      return 0;
    case BodyKind::kJson:
      return limits_.max_body_bytes;
    case BodyKind::kBatch:
      return limits_.max_batch_body_bytes;
    case BodyKind::kIngest:
      return limits_.max_ingest_body_bytes;
    case BodyKind::kUpload:
      // Only streamed to disk while jobs are served; before that the route answers 503 and
      // its body must not fill memory.
      return jobs() != nullptr ? limits_.max_job_upload_bytes : limits_.max_body_bytes;
  }
  return 0;
}

ApiService::BodyPlan ApiService::PlanBody(HttpMethod method, std::string_view target) {
  BodyPlan plan;
  plan.limit = limits_.max_body_bytes;
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  if (!ParseTarget(target, &path, &query).ok()) return plan;
  RouteMatch match = router_.Find(method, path);
  if (match.route == nullptr) return plan;
  plan.limit = LimitOf(match.route->options.body);
  plan.offload = match.route->options.offload;
  JobRunner* runner = jobs();
  if (match.route->options.body == BodyKind::kUpload && runner != nullptr) {
    plan.upload_path = runner->NewUploadPath();
  }
  return plan;
}

HttpResponse ApiService::Handle(const HttpRequest& request) {
  auto start = std::chrono::steady_clock::now();
  size_t route = metrics_.unmatched_route();
  HttpResponse response = Dispatch(request, &route);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.Record(route, response.status, seconds);
  return response;
}

HttpResponse ApiService::Dispatch(const HttpRequest& request, size_t* route_index) {
  std::string request_id = IsTameRequestId(request.request_id)
                               ? request.request_id
                               : StrCat(request_id_prefix_, "-",
                                        next_request_id_.fetch_add(1, std::memory_order_relaxed));
  auto finish = [&](HttpResponse response) {
    response.headers.emplace_back("X-Request-Id", request_id);
    return response;
  };

  RequestContext context{request, {}, {}, {}, nullptr, nullptr, limits_, *this, {}};
  if (absl::Status status = ParseTarget(request.target, &context.path, &context.query);
      !status.ok()) {
    return finish(ErrorResponse(status));
  }
  RouteMatch match = router_.Find(request.method, context.path);
  if (match.route == nullptr) {
    if (match.path_known) {
      return finish(ErrorResponse(
          405, "method_not_allowed",
          StrCat(HttpMethodName(request.method), " is not allowed on ", context.path)));
    }
    return finish(ErrorResponse(404, "not_found", StrCat("no route ", context.path)));
  }
  const Route& route = *match.route;
  *route_index = route.metrics_index;
  context.params = std::move(match.params);

  if (route.options.access != Access::kPublic) {
    context.key = keys_ != nullptr ? keys_->Find(request.api_key) : nullptr;
    if (context.key == nullptr) {
      HttpResponse response =
          ErrorResponse(401, "unauthenticated",
                        request.api_key.empty() ? "an API key is required (header X-API-Key)"
                                                : "unknown API key");
      response.headers.emplace_back("WWW-Authenticate", "ApiKey header=\"X-API-Key\"");
      return finish(std::move(response));
    }
    if (route.options.access == Access::kWrite && !context.key->can_write) {
      return finish(ErrorResponse(403, "permission_denied",
                                  StrCat("role ", RoleName(context.key->role), " may not write")));
    }
    int retry_after =
        rate_limiter_.Acquire(context.key->id, context.key->rate_per_second, context.key->burst);
    if (retry_after > 0) {
      HttpResponse response = ErrorResponse(
          429, "rate_limited",
          StrCat("rate limit of ", context.key->rate_per_second, " requests per second exceeded"));
      response.headers.emplace_back("Retry-After", StrCat(retry_after));
      return finish(std::move(response));
    }
  }
  if (request.body.size() > LimitOf(route.options.body)) {
    return finish(ErrorResponse(
        413, "payload_too_large",
        StrCat("body exceeds ", LimitOf(route.options.body), " bytes for this route")));
  }
  if (route.options.needs_data) {
    context.backend = backend();
    if (context.backend == nullptr) {
      HttpResponse response = ErrorResponse(503, "unavailable", "the registry is still loading");
      response.headers.emplace_back("Retry-After", "5");
      return finish(std::move(response));
    }
  }

  absl::StatusOr<HttpResponse> result = route.handler(context);
  HttpResponse response;
  if (result.ok()) {
    response = *std::move(result);
  } else {
    if (HttpStatusOf(result.status().code()) == 500) {
      std::fprintf(stderr, "padan serve: %s %s [%s]: %s\n",
                   std::string(HttpMethodName(request.method)).c_str(), context.path.c_str(),
                   request_id.c_str(), std::string(result.status().message()).c_str());
    }
    response = ErrorResponse(result.status());
  }
  if (request.method == HttpMethod::kHead) response.body.clear();
  if (route.options.audited && audit_ != nullptr && context.key != nullptr) {
    context.audit.request_id = request_id;
    context.audit.key_id = context.key->id;
    context.audit.method = std::string(HttpMethodName(request.method));
    context.audit.route = route.pattern;
    context.audit.status = response.status;
    audit_->Write(context.audit);
  }
  return finish(std::move(response));
}

}  // namespace padan
