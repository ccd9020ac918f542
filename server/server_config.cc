#include "server/server_config.h"

#include <limits>

#include <simdjson.h>

#include "data/absl_strings.h"
#include "data/file_io.h"

namespace padan {
namespace {

absl::Status ConfigError(std::string_view field, std::string_view message) {
  return absl::InvalidArgumentError(StrCat("config: ", field, ": ", message));
}

absl::Status ReadString(simdjson::dom::element value, std::string_view field, std::string* out) {
  std::string_view text;
  if (value.get(text)) return ConfigError(field, "must be a string");
  *out = std::string(text);
  return absl::OkStatus();
}

template <typename T>
absl::Status ReadInt(simdjson::dom::element value, std::string_view field, int64_t min, int64_t max,
                     T* out) {
  int64_t number;
  if (value.get(number) || number < min || number > max) {
    return ConfigError(field, StrCat("must be an integer in [", min, ", ", max, "]"));
  }
  *out = static_cast<T>(number);
  return absl::OkStatus();
}

absl::Status ReadLimits(simdjson::dom::element element, ServerLimits* limits) {
  simdjson::dom::object object;
  if (element.get(object)) return ConfigError("limits", "must be an object");
  constexpr int64_t kGiB = int64_t{1} << 30;
  constexpr int64_t kHour = 3'600'000;
  for (auto field : object) {
    std::string_view name = field.key;
    std::string qualified = StrCat("limits.", name);
    absl::Status status;
    if (name == "max_header_bytes") {
      status = ReadInt(field.value, qualified, 1024, 1 << 20, &limits->max_header_bytes);
    } else if (name == "max_body_bytes") {
      status = ReadInt(field.value, qualified, 1024, kGiB, &limits->max_body_bytes);
    } else if (name == "max_batch_body_bytes") {
      status = ReadInt(field.value, qualified, 1024, kGiB, &limits->max_batch_body_bytes);
    } else if (name == "max_ingest_body_bytes") {
      status = ReadInt(field.value, qualified, 1024, 16 * kGiB, &limits->max_ingest_body_bytes);
    } else if (name == "max_job_upload_bytes") {
      status = ReadInt(field.value, qualified, 1024, 1024 * kGiB, &limits->max_job_upload_bytes);
    } else if (name == "max_batch_records") {
      status = ReadInt(field.value, qualified, 1, 100'000, &limits->max_batch_records);
    } else if (name == "header_timeout_ms") {
      status = ReadInt(field.value, qualified, 10, kHour, &limits->header_timeout_ms);
    } else if (name == "body_timeout_ms") {
      status = ReadInt(field.value, qualified, 10, kHour, &limits->body_timeout_ms);
    } else if (name == "write_timeout_ms") {
      status = ReadInt(field.value, qualified, 10, kHour, &limits->write_timeout_ms);
    } else if (name == "max_connections") {
      status = ReadInt(field.value, qualified, 1, 1'000'000, &limits->max_connections);
    } else if (name == "shutdown_grace_ms") {
      status = ReadInt(field.value, qualified, 0, kHour, &limits->shutdown_grace_ms);
    } else {
      return ConfigError(qualified, "unknown field");
    }
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status ReadJobs(simdjson::dom::element element, JobsConfig* jobs) {
  simdjson::dom::object object;
  if (element.get(object)) return ConfigError("jobs", "must be an object");
  for (auto field : object) {
    std::string_view name = field.key;
    std::string qualified = StrCat("jobs.", name);
    absl::Status status;
    if (name == "workers") {
      status = ReadInt(field.value, qualified, 1, 64, &jobs->workers);
    } else if (name == "max_queued") {
      status = ReadInt(field.value, qualified, 1, 10'000, &jobs->max_queued);
    } else if (name == "threads_per_job") {
      status = ReadInt(field.value, qualified, 0, 1024, &jobs->threads_per_job);
    } else if (name == "nice") {
      status = ReadInt(field.value, qualified, 0, 19, &jobs->nice);
    } else if (name == "keep_finished_hours") {
      status = ReadInt(field.value, qualified, 0, 10 * 365 * 24, &jobs->keep_finished_hours);
    } else {
      return ConfigError(qualified, "unknown field");
    }
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ServerConfig> ServerConfig::Parse(std::string_view json, ServerConfig defaults) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(json.data(), json.size()).get(root); error) {
    return absl::InvalidArgumentError(StrCat("config: not JSON: ", simdjson::error_message(error)));
  }
  simdjson::dom::object object;
  if (root.get(object)) return ConfigError("", "must be a JSON object");
  ServerConfig config = std::move(defaults);
  for (auto field : object) {
    std::string_view name = field.key;
    absl::Status status;
    if (name == "bind") {
      status = ReadString(field.value, name, &config.bind);
    } else if (name == "port") {
      status = ReadInt(field.value, name, 0, 65535, &config.port);
    } else if (name == "threads") {
      status = ReadInt(field.value, name, 0, 1024, &config.threads);
    } else if (name == "keys") {
      status = ReadString(field.value, name, &config.keys_file);
    } else if (name == "audit_log") {
      status = ReadString(field.value, name, &config.audit_log);
    } else if (name == "audit_salt") {
      status = ReadString(field.value, name, &config.audit_salt);
    } else if (name == "limits") {
      status = ReadLimits(field.value, &config.limits);
    } else if (name == "jobs") {
      status = ReadJobs(field.value, &config.jobs);
    } else {
      return ConfigError(name, "unknown field");
    }
    if (!status.ok()) return status;
  }
  return config;
}

absl::StatusOr<ServerConfig> ServerConfig::Parse(std::string_view json) {
  return Parse(json, ServerConfig());
}

absl::StatusOr<ServerConfig> ServerConfig::Load(const std::string& path, ServerConfig defaults) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  absl::StatusOr<ServerConfig> config = Parse(*text, std::move(defaults));
  if (!config.ok())
    return absl::InvalidArgumentError(StrCat(path, ": ", FromAbsl(config.status().message())));
  return config;
}

}  // namespace padan
