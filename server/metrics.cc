#include "server/metrics.h"

#include <cstdio>

#include "data/absl_strings.h"

namespace padan {
namespace {

std::string FormatNumber(double value) {
  char buffer[32];
  int n = std::snprintf(buffer, sizeof(buffer), "%.9g", value);
  return std::string(buffer, static_cast<size_t>(n));
}

}  // namespace

Metrics::Metrics() { AddRoute("", "unmatched"); }

size_t Metrics::AddRoute(std::string method, std::string pattern) {
  auto counters = std::make_unique<RouteCounters>();
  counters->method = std::move(method);
  counters->pattern = std::move(pattern);
  routes_.push_back(std::move(counters));
  return routes_.size() - 1;
}

void Metrics::Record(size_t route, int status, double seconds) {
  RouteCounters& counters = *routes_[route < routes_.size() ? route : 0];
  size_t slot = kStatuses.size();
  for (size_t i = 0; i < kStatuses.size(); ++i) {
    if (kStatuses[i] == status) {
      slot = i;
      break;
    }
  }
  counters.by_status[slot].fetch_add(1, std::memory_order_relaxed);
  size_t bucket = 0;
  while (bucket < kLatencyBuckets.size() && seconds > kLatencyBuckets[bucket]) ++bucket;
  counters.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  counters.sum_microseconds.fetch_add(static_cast<uint64_t>(seconds * 1e6),
                                      std::memory_order_relaxed);
}

void AppendPrometheusSample(std::string* out, std::string_view name, std::string_view type,
                            std::string_view help, double value) {
  StrAppend(out, "# HELP ", name, " ", help, "\n# TYPE ", name, " ", type, "\n", name, " ",
            FormatNumber(value), "\n");
}

void Metrics::Render(std::string* out) const {
  StrAppend(out,
            "# HELP padan_http_requests_total HTTP requests answered, by route and status.\n"
            "# TYPE padan_http_requests_total counter\n");
  for (const auto& route : routes_) {
    for (size_t i = 0; i <= kStatuses.size(); ++i) {
      uint64_t count = route->by_status[i].load(std::memory_order_relaxed);
      if (count == 0) continue;
      std::string status = i < kStatuses.size() ? StrCat(kStatuses[i]) : "other";
      StrAppend(out, "padan_http_requests_total{method=\"", route->method, "\",route=\"",
                route->pattern, "\",status=\"", status, "\"} ", count, "\n");
    }
  }
  StrAppend(out,
            "# HELP padan_http_request_duration_seconds Time from a complete request to its "
            "response, by route.\n"
            "# TYPE padan_http_request_duration_seconds histogram\n");
  for (const auto& route : routes_) {
    uint64_t total = 0;
    for (const auto& bucket : route->buckets) total += bucket.load(std::memory_order_relaxed);
    if (total == 0) continue;
    std::string labels = StrCat("method=\"", route->method, "\",route=\"", route->pattern, "\"");
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
      cumulative += route->buckets[i].load(std::memory_order_relaxed);
      StrAppend(out, "padan_http_request_duration_seconds_bucket{", labels, ",le=\"",
                FormatNumber(kLatencyBuckets[i]), "\"} ", cumulative, "\n");
    }
    StrAppend(out, "padan_http_request_duration_seconds_bucket{", labels, ",le=\"+Inf\"} ", total,
              "\n");
    StrAppend(
        out, "padan_http_request_duration_seconds_sum{", labels, "} ",
        FormatNumber(static_cast<double>(route->sum_microseconds.load(std::memory_order_relaxed)) /
                     1e6),
        "\n");
    StrAppend(out, "padan_http_request_duration_seconds_count{", labels, "} ", total, "\n");
  }
  AppendPrometheusSample(out, "padan_http_open_connections", "gauge", "Open HTTP connections.",
                         static_cast<double>(open_connections()));
  AppendPrometheusSample(out, "padan_http_offloaded_requests", "gauge",
                         "Requests of the long routes waiting for or running on a worker thread.",
                         static_cast<double>(offloaded()));
  AppendPrometheusSample(out, "padan_http_rejected_connections_total", "counter",
                         "Connections refused because max_connections were open.",
                         static_cast<double>(rejected_connections_.load()));
  AppendPrometheusSample(out, "padan_http_timed_out_connections_total", "counter",
                         "Connections closed because a read or write timed out.",
                         static_cast<double>(timed_out_connections_.load()));
}

}  // namespace padan
