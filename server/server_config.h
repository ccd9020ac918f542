// ServerConfig: what `padan serve` is told by its --config file and command line — where to
// listen, which keys file and audit log, and the limits that protect the server from its callers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace padan {

// Every limit is named after what it bounds; defaults suit a registry server behind a ministry
// network. Value type.
struct ServerLimits {
  size_t max_header_bytes = 8 * 1024;  // 431 beyond: no legitimate client sends more
  size_t max_body_bytes = 64 * 1024;   // one JSON record or query; 413 beyond
  // POST /v1/match/batch: 1,000 records of about 1 KiB each.
  size_t max_batch_body_bytes = 2 * 1024 * 1024;
  size_t max_ingest_body_bytes = 64 * 1024 * 1024;  // POST /v1/ingest, NDJSON
  size_t max_batch_records = 1000;                  // DESIGN §6
  // POST /v1/jobs: a list or field results to process, streamed to disk, never held in memory.
  size_t max_job_upload_bytes = size_t{4} << 30;
  // The next request head must arrive within this, whole: slow-loris connections and
  // keep-alive connections idle for longer are closed.
  int64_t header_timeout_ms = 10'000;
  int64_t body_timeout_ms = 60'000;
  int64_t write_timeout_ms = 30'000;
  size_t max_connections = 4096;
  int64_t shutdown_grace_ms = 10'000;  // in-flight requests get this long to finish
};

// The batch job runner (server/jobs/job_runner.h).
struct JobsConfig {
  size_t workers = 1;                    // jobs running at once
  size_t max_queued = 16;                // jobs waiting; 429 beyond
  size_t threads_per_job = 0;            // 0: one per core
  int nice = 10;                         // job threads yield the CPU to request threads
  int64_t keep_finished_hours = 7 * 24;  // then a finished job is removed; 0: until DELETE
};

struct ServerConfig {
  std::string bind = "127.0.0.1";
  uint16_t port = 8080;
  int threads = 0;         // 0: one per core
  std::string keys_file;   // required to serve /v1
  std::string audit_log;   // default: <data>/audit.ndjson
  std::string audit_salt;  // keys the NIK hashes in the audit log
  ServerLimits limits;
  JobsConfig jobs;

  // Reads a JSON config file: {"bind", "port", "threads", "keys", "audit_log", "audit_salt",
  // "limits": {<any ServerLimits field>}, "jobs": {<any JobsConfig field>}}. Fields absent keep
  // their defaults; unknown fields, wrong types and out-of-range values are kInvalidArgument naming
  // the field.
  static absl::StatusOr<ServerConfig> Parse(std::string_view json, ServerConfig defaults);
  static absl::StatusOr<ServerConfig> Load(const std::string& path, ServerConfig defaults);
  static absl::StatusOr<ServerConfig> Parse(std::string_view json);
};

}  // namespace padan
