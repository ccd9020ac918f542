// ApiService: the transport-independent dispatcher of the v1 API. It turns one HttpRequest into
// one HttpResponse, running what every route shares exactly once — request id, routing (404 /
// 405), readiness (503), API key (401), write rights (403), rate limit (429), body limit (413),
// timing and metrics, the audit line — around the route's thin handler.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>

#include "server/api_keys.h"
#include "server/audit_log.h"
#include "server/http_message.h"
#include "server/metrics.h"
#include "server/rate_limiter.h"
#include "server/router.h"
#include "server/server_config.h"
#include "server/serving_backend.h"

namespace padan {

class JobRunner;

// Thread-safe: Handle runs on every I/O thread at once. The backend is published once (SetBackend)
// when the data has loaded; until then data routes answer 503. The keys, audit log and backend
// must outlive the service.
class ApiService {
 public:
  // `audit` may be null (no audit log: tests of other concerns).
  ApiService(const ServerLimits& limits, const ApiKeys* keys, AuditLog* audit);

  void SetBackend(ServingBackend* backend) { backend_.store(backend, std::memory_order_release); }
  // The batch job runner, published with (before) the backend; null: job routes answer 503.
  void SetJobs(JobRunner* jobs) { jobs_.store(jobs, std::memory_order_release); }
  JobRunner* jobs() const { return jobs_.load(std::memory_order_acquire); }
  ServingBackend* backend() const { return backend_.load(std::memory_order_acquire); }
  bool ready() const { return backend() != nullptr && !draining(); }
  // Once draining, /readyz answers 503 so load balancers stop sending; requests still run.
  void SetDraining() { draining_.store(true, std::memory_order_relaxed); }
  bool draining() const { return draining_.load(std::memory_order_relaxed); }

  HttpResponse Handle(const HttpRequest& request);

  // How the transport reads the body of a request to `target` and where it runs it, decided
  // once when its head has arrived: the route's limit (enforced while reading, to answer 413 before
  // the body arrives; the general limit when no route matches), and for an upload route while jobs
  // are served a fresh file to stream it to ("" otherwise: the body is read into memory).
  struct BodyPlan {
    size_t limit = 0;
    std::string upload_path;
    bool offload = false;  // the route's RouteOptions::offload
  };
  BodyPlan PlanBody(HttpMethod method, std::string_view target);

  const ServerLimits& limits() const { return limits_; }
  Metrics& metrics() { return metrics_; }
  const Metrics& metrics() const { return metrics_; }
  const AuditLog* audit_log() const { return audit_; }
  const Router& router() const { return router_; }

  // Counts a response the transport wrote itself (malformed HTTP, header too large...).
  void RecordTransportError(int status) { metrics_.Record(metrics_.unmatched_route(), status, 0); }

 private:
  HttpResponse Dispatch(const HttpRequest& request, size_t* route);
  size_t LimitOf(BodyKind kind) const;

  ServerLimits limits_;
  const ApiKeys* keys_;
  AuditLog* audit_;
  Router router_;
  Metrics metrics_;
  RateLimiter rate_limiter_;
  std::atomic<ServingBackend*> backend_{nullptr};
  std::atomic<JobRunner*> jobs_{nullptr};
  std::atomic<bool> draining_{false};
  std::atomic<uint64_t> next_request_id_{1};
  std::string request_id_prefix_;
};

// Splits a request target into its percent-decoded path and query parameters ('+' is a space in
// the query). kInvalidArgument for a bad %-escape or a result that is not UTF-8.
absl::Status ParseTarget(std::string_view target, std::string* path,
                         std::vector<std::pair<std::string, std::string>>* query);

}  // namespace padan
