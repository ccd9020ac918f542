// Router: the table of routes — method, path pattern with named `:params`, handler and the
// per-route policy (access, body limit, audit) that the dispatcher applies before the handler.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

#include "server/http_message.h"

namespace padan {

struct RequestContext;
using Handler = absl::StatusOr<HttpResponse> (*)(RequestContext& context);

// Who may call a route.
enum class Access : uint8_t {
  kPublic,  // no key: health, metrics, the page, the OpenAPI document
  kRead,    // any valid key; results filtered by its scope
  kWrite,   // a key with write rights; refused (403) outside its scope
};

// Which body limit of ServerLimits applies.
// kUpload bodies are streamed to a file (HttpRequest::body_file), never held in memory.
enum class BodyKind : uint8_t { kNone, kJson, kBatch, kIngest, kUpload };

struct RouteOptions {
  Access access = Access::kRead;
  BodyKind body = BodyKind::kNone;
  bool audited = false;     // returns registry records: one audit line per request
  bool needs_data = false;  // 503 until the data folder is loaded
  // Runs on the server's worker threads, not on the I/O thread that read it: a request that
  // may take long (a search of common names, a batch, a write waiting for its fsync, a job
  // upload) must not stall the other connections of that I/O thread.
  bool offload = false;
};

struct Route {
  HttpMethod method;
  std::string pattern;  // "/v1/nik/:nik"
  Handler handler;
  RouteOptions options;
  size_t metrics_index = 0;
  std::vector<std::string> segments;  // pattern split on '/'
};

// A matched route with its path parameters (views into the request path).
struct RouteMatch {
  const Route* route = nullptr;
  std::vector<std::pair<std::string_view, std::string_view>> params;
  bool path_known = false;  // some route has this path with another method (405, not 404)
};

// Built once at start-up, then read-only: thread-safe for concurrent Find.
class Router {
 public:
  // Adds a route; `pattern` segments starting with ':' match any one non-empty segment.
  void Add(HttpMethod method, std::string pattern, Handler handler, RouteOptions options);

  // `path` is the decoded path without the query string. Exact segments win over parameters.
  RouteMatch Find(HttpMethod method, std::string_view path) const;

  std::vector<Route>& routes() { return routes_; }
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// Registers every route of the v1 API (server/routes.cc): the one table of DESIGN §6.
void RegisterRoutes(Router& router);

}  // namespace padan
