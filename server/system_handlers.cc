// Handlers of the operational routes: health, readiness, metrics, statistics, the page and the
// OpenAPI document, and the 501 placeholder of the batch-job routes.
#include <string>

#include "data/absl_strings.h"
#include "data/json_writer.h"
#include "server/api_service.h"
#include "server/handlers.h"
#include "server/jobs/job_runner.h"
#include "server/web_files.h"

namespace padan {

HttpResponse JsonResponse(std::string body, int status) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

absl::StatusOr<HttpResponse> HandleHealthz(RequestContext&) {
  return JsonResponse("{\"status\":\"ok\"}");
}

absl::StatusOr<HttpResponse> HandleReadyz(RequestContext& context) {
  const ApiService& service = context.service;
  if (service.draining()) return JsonResponse("{\"status\":\"draining\"}", 503);
  if (service.backend() == nullptr) return JsonResponse("{\"status\":\"loading\"}", 503);
  return JsonResponse("{\"status\":\"ready\"}");
}

absl::StatusOr<HttpResponse> HandleMetrics(RequestContext& context) {
  const ApiService& service = context.service;
  HttpResponse response;
  response.content_type = "text/plain; version=0.0.4; charset=utf-8";
  std::string& out = response.body;
  service.metrics().Render(&out);
  AppendPrometheusSample(&out, "padan_ready", "gauge", "1 once the registry is loaded.",
                         service.ready() ? 1 : 0);
  if (service.audit_log() != nullptr) {
    AppendPrometheusSample(&out, "padan_audit_lines_total", "counter",
                           "Lines written to the audit log.",
                           static_cast<double>(service.audit_log()->lines_written()));
  }
  if (const JobRunner* jobs = service.jobs(); jobs != nullptr) {
    JobRunner::Counts counts = jobs->CountByState();
    StrAppend(&out,
              "# HELP padan_jobs Batch jobs kept by the server, by state.\n"
              "# TYPE padan_jobs gauge\n");
    std::pair<std::string_view, uint64_t> states[] = {{"queued", counts.queued},
                                                      {"running", counts.running},
                                                      {"done", counts.done},
                                                      {"failed", counts.failed},
                                                      {"cancelled", counts.cancelled}};
    for (const auto& [state, count] : states) {
      StrAppend(&out, "padan_jobs{state=\"", state, "\"} ", count, "\n");
    }
  }
  ServingBackend* backend = service.backend();
  if (backend == nullptr) return response;
  ServingStats stats = backend->Stats();
  AppendPrometheusSample(&out, "padan_persons", "gauge", "Live person records.",
                         static_cast<double>(stats.persons));
  AppendPrometheusSample(&out, "padan_households", "gauge", "Live household records.",
                         static_cast<double>(stats.households));
  StrAppend(&out,
            "# HELP padan_index_memory_bytes Resident bytes of each in-memory index.\n"
            "# TYPE padan_index_memory_bytes gauge\n");
  const Registry::MemoryBreakdown& memory = stats.memory;
  std::pair<std::string_view, size_t> parts[] = {{"store", memory.store},
                                                 {"nik_index", memory.nik_index},
                                                 {"no_kk_index", memory.no_kk_index},
                                                 {"blocking_index", memory.blocking_index},
                                                 {"frequencies", memory.frequencies},
                                                 {"name_cache", memory.name_cache}};
  for (const auto& [name, bytes] : parts) {
    StrAppend(&out, "padan_index_memory_bytes{index=\"", name, "\"} ", bytes, "\n");
  }
  AppendPrometheusSample(&out, "padan_wal_bytes", "gauge",
                         "Bytes in the current write-ahead log segment.",
                         static_cast<double>(stats.log_bytes));
  AppendPrometheusSample(&out, "padan_wal_last_sequence", "gauge",
                         "Sequence number of the last durable write.",
                         static_cast<double>(stats.last_sequence));
  AppendPrometheusSample(&out, "padan_text_index_documents", "gauge",
                         "Documents in the Xapian text index.",
                         static_cast<double>(stats.text_index_documents));
  AppendPrometheusSample(&out, "padan_text_index_disk_bytes", "gauge",
                         "Bytes of the Xapian text index on disk.",
                         static_cast<double>(stats.text_index_disk_bytes));
  return response;
}

absl::StatusOr<HttpResponse> HandleStats(RequestContext& context) {
  if (absl::Status s = context.OnlyQueryParams({}); !s.ok()) return s;
  ServingStats stats = context.backend->Stats();
  JsonWriter json;
  json.BeginObject();
  json.Member("persons", stats.persons).Member("households", stats.households);
  json.Key("memory_bytes").BeginObject();
  json.Member("store", uint64_t{stats.memory.store});
  json.Member("nik_index", uint64_t{stats.memory.nik_index});
  json.Member("no_kk_index", uint64_t{stats.memory.no_kk_index});
  json.Member("blocking_index", uint64_t{stats.memory.blocking_index});
  json.Member("frequencies", uint64_t{stats.memory.frequencies});
  json.Member("name_cache", uint64_t{stats.memory.name_cache});
  json.Member("total", uint64_t{stats.memory.total()});
  json.EndObject();
  json.Member("bytes_per_person", stats.persons == 0 ? 0.0
                                                     : static_cast<double>(stats.memory.total()) /
                                                           static_cast<double>(stats.persons));
  json.Key("snapshot").BeginObject();
  json.Member("path", stats.recovery.snapshot_path);
  json.Member("sequence", stats.recovery.snapshot_sequence);
  json.Member("log_entries_replayed", stats.recovery.log_entries_replayed);
  json.Member("torn_tail_bytes", stats.recovery.torn_tail_bytes);
  json.Member("load_seconds", stats.recovery.seconds);
  json.EndObject();
  json.Member("log_bytes", stats.log_bytes);
  json.Member("last_sequence", stats.last_sequence);
  json.Member("model_version", stats.model_version);
  json.Key("text_index").BeginObject();
  json.Member("state", stats.text_index_state);
  json.Member("documents", stats.text_index_documents);
  json.Member("disk_bytes", stats.text_index_disk_bytes);
  json.EndObject();
  json.EndObject();
  return JsonResponse(json.Release());
}

absl::StatusOr<HttpResponse> HandleSearchPage(RequestContext&) {
  std::optional<std::string_view> page = WebFile("index.html");
  if (!page.has_value()) return absl::InternalError("index.html is not embedded");
  HttpResponse response;
  response.content_type = "text/html; charset=utf-8";
  response.body = std::string(*page);
  // The page runs only its own script and talks only to this server.
  response.headers.emplace_back("Content-Security-Policy",
                                "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                                "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return response;
}

absl::StatusOr<HttpResponse> HandleOpenApi(RequestContext&) {
  std::optional<std::string_view> document = WebFile("openapi.json");
  if (!document.has_value()) return absl::InternalError("openapi.json is not embedded");
  return JsonResponse(std::string(*document));
}

}  // namespace padan
