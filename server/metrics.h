// Metrics: request counters and latency histograms per route and status, connection gauges, in
// the Prometheus text exposition format (version 0.0.4) that /metrics serves.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace padan {

// Thread-safe and lock-free on the request path: every counter is a relaxed atomic in an array
// sized when the routes are known. Routes are indexes handed out by AddRoute before serving.
class Metrics {
 public:
  // Latency bucket upper bounds in seconds; the budgets (p99 ≤ 5 ms) sit between buckets.
  static constexpr std::array<double, 13> kLatencyBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5};
  // The statuses counted one by one; any other lands in "other".
  static constexpr std::array<int, 18> kStatuses = {200, 201, 204, 400, 401, 403, 404, 405, 408,
                                                    409, 413, 422, 429, 431, 500, 501, 503, 504};

  Metrics();

  // Registers a route label (its pattern, e.g. "/v1/nik/:nik"); returns its index.
  // REQUIRES: called before any Record, from one thread.
  size_t AddRoute(std::string method, std::string pattern);
  // The index used for requests that matched no route (and transport-level errors).
  size_t unmatched_route() const { return 0; }

  void Record(size_t route, int status, double seconds);
  void ConnectionOpened() { open_connections_.fetch_add(1, std::memory_order_relaxed); }
  void ConnectionClosed() { open_connections_.fetch_sub(1, std::memory_order_relaxed); }
  void ConnectionRejected() { rejected_connections_.fetch_add(1, std::memory_order_relaxed); }
  void ConnectionTimedOut() { timed_out_connections_.fetch_add(1, std::memory_order_relaxed); }
  int64_t open_connections() const { return open_connections_.load(std::memory_order_relaxed); }
  // A request handed to the worker threads (RouteOptions::offload), and its end there: how
  // many wait for or run on a worker says whether the long routes keep up.
  void OffloadStarted() { offloaded_.fetch_add(1, std::memory_order_relaxed); }
  void OffloadFinished() { offloaded_.fetch_sub(1, std::memory_order_relaxed); }
  int64_t offloaded() const { return offloaded_.load(std::memory_order_relaxed); }

  // Appends the request and connection families to `out`.
  void Render(std::string* out) const;

 private:
  struct RouteCounters {
    std::string method;
    std::string pattern;
    std::array<std::atomic<uint64_t>, kStatuses.size() + 1> by_status{};
    std::array<std::atomic<uint64_t>, kLatencyBuckets.size() + 1> buckets{};
    std::atomic<uint64_t> sum_microseconds{0};
  };
  std::vector<std::unique_ptr<RouteCounters>> routes_;
  std::atomic<int64_t> open_connections_{0};
  std::atomic<int64_t> offloaded_{0};
  std::atomic<uint64_t> rejected_connections_{0};
  std::atomic<uint64_t> timed_out_connections_{0};
};

// Appends one "# HELP"/"# TYPE" header and sample of a gauge or counter without labels.
void AppendPrometheusSample(std::string* out, std::string_view name, std::string_view type,
                            std::string_view help, double value);

}  // namespace padan
