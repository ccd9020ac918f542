// RequestContext: what a handler gets — the request, its path and query parameters, the caller's
// key and scope, the data, the limits — and what it leaves for the dispatcher (audit details).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

#include "index/query_engine.h"
#include "server/api_keys.h"
#include "server/audit_log.h"
#include "server/http_message.h"
#include "server/server_config.h"
#include "server/serving_backend.h"

namespace padan {

class ApiService;

// Lives for one request, on the stack of the dispatcher. Not thread-safe.
struct RequestContext {
  const HttpRequest& request;
  std::string path;  // percent-decoded, without the query string
  std::vector<std::pair<std::string_view, std::string_view>> params;  // views into `path`
  std::vector<std::pair<std::string, std::string>> query;             // decoded, in order
  const ApiKey* key = nullptr;                                        // null on public routes
  ServingBackend* backend = nullptr;  // non-null on routes that need data
  const ServerLimits& limits;
  const ApiService& service;
  AuditEntry audit;  // the handler adds the query it ran and the ids it returned

  // The path parameter `name`. REQUIRES: the route pattern has it.
  std::string_view Param(std::string_view name) const;
  // The query parameter `name`, when present.
  std::optional<std::string_view> Query(std::string_view name) const;
  // kInvalidArgument naming the first query parameter not in `allowed` (strict validation).
  absl::Status OnlyQueryParams(std::initializer_list<std::string_view> allowed) const;
  // The query parameter `name` as a whole number from `min` to `max`, `fallback` when absent;
  // kInvalidArgument naming it otherwise.
  absl::StatusOr<size_t> QueryCount(std::string_view name, size_t fallback, size_t min,
                                    size_t max) const;

  // The key's scope narrowed to `wilayah` (a region code text, may be empty): kInvalidArgument
  // for a malformed code, kPermissionDenied (field "wilayah") when it is outside the key's scope.
  absl::StatusOr<Scope> ReadScope(std::string_view wilayah) const;
  bool pii() const { return key != nullptr && key->pii; }
};

}  // namespace padan
