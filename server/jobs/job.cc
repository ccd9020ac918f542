#include "server/jobs/job.h"

#include <simdjson.h>

#include "data/absl_strings.h"
#include "data/json_writer.h"

namespace padan {
namespace {

using simdjson::dom::element;

absl::Status Corrupt(std::string_view field, std::string_view why) {
  return absl::DataLossError(StrCat("job file: ", field, " ", why));
}

std::optional<JobState> ParseState(std::string_view name) {
  for (JobState state : {JobState::kQueued, JobState::kRunning, JobState::kDone, JobState::kFailed,
                         JobState::kCancelled}) {
    if (JobStateName(state) == name) return state;
  }
  return std::nullopt;
}

// Minified JSON of an object member, or "{}" when absent.
absl::StatusOr<std::string> RawObject(element value, std::string_view field) {
  if (!value.is_object()) return Corrupt(field, "is not an object");
  return simdjson::minify(value);
}

}  // namespace

std::string_view JobStateName(JobState state) {
  switch (state) {
    case JobState::kQueued:
      return "queued";
    case JobState::kRunning:
      return "running";
    case JobState::kDone:
      return "done";
    case JobState::kFailed:
      return "failed";
    case JobState::kCancelled:
      return "cancelled";
  }
  return "failed";
}

bool IsFinished(JobState state) {
  return state == JobState::kDone || state == JobState::kFailed || state == JobState::kCancelled;
}

std::string JobRecord::ToJson() const {
  JsonWriter json;
  json.BeginObject()
      .Member("id", id)
      .Member("type", type)
      .Member("key_id", key_id)
      .Member("scope", static_cast<int64_t>(scope))
      .Member("pii", pii)
      .Key("params")
      .Raw(params_json.empty() ? "{}" : params_json)
      .Key("inputs")
      .BeginArray();
  for (const std::string& input : inputs) json.String(input);
  json.EndArray()
      .Member("state", JobStateName(state))
      .Member("error", error)
      .Member("created_ms", created_ms)
      .Member("started_ms", started_ms)
      .Member("finished_ms", finished_ms)
      .Member("phase", phase)
      .Member("done", done)
      .Member("total", total)
      .Key("results")
      .BeginArray();
  for (const JobResultFile& file : results) {
    json.BeginObject()
        .Member("name", file.name)
        .Member("content_type", file.content_type)
        .Member("bytes", file.bytes)
        .EndObject();
  }
  json.EndArray().Key("summary").Raw(summary_json.empty() ? "{}" : summary_json).EndObject();
  return json.Release();
}

absl::StatusOr<JobRecord> JobRecord::FromJson(std::string_view text) {
  simdjson::dom::parser parser;
  element root;
  if (auto error = parser.parse(text.data(), text.size()).get(root); error) {
    return Corrupt("document", StrCat("is not JSON: ", simdjson::error_message(error)));
  }
  JobRecord job;
  auto text_of = [&](std::string_view field, std::string* out) -> absl::Status {
    std::string_view value;
    if (root[field].get(value)) return Corrupt(field, "is missing or not a string");
    *out = std::string(value);
    return absl::OkStatus();
  };
  auto int_of = [&](std::string_view field, int64_t* out) -> absl::Status {
    if (root[field].get(*out)) return Corrupt(field, "is missing or not an integer");
    return absl::OkStatus();
  };
  auto uint_of = [&](std::string_view field, uint64_t* out) -> absl::Status {
    if (root[field].get(*out)) return Corrupt(field, "is missing or not a count");
    return absl::OkStatus();
  };
  std::string state;
  int64_t scope = 0;
  for (absl::Status status :
       {text_of("id", &job.id), text_of("type", &job.type), text_of("key_id", &job.key_id),
        int_of("scope", &scope), text_of("state", &state), text_of("error", &job.error),
        int_of("created_ms", &job.created_ms), int_of("started_ms", &job.started_ms),
        int_of("finished_ms", &job.finished_ms), text_of("phase", &job.phase),
        uint_of("done", &job.done), uint_of("total", &job.total)}) {
    if (!status.ok()) return status;
  }
  job.scope = static_cast<KodeWilayah>(scope);
  std::optional<JobState> parsed_state = ParseState(state);
  if (!parsed_state.has_value()) return Corrupt("state", StrCat("is unknown: ", state));
  job.state = *parsed_state;
  if (root["pii"].get(job.pii)) return Corrupt("pii", "is missing or not a boolean");
  element params;
  if (root["params"].get(params)) return Corrupt("params", "is missing");
  absl::StatusOr<std::string> raw_params = RawObject(params, "params");
  if (!raw_params.ok()) return raw_params.status();
  job.params_json = *std::move(raw_params);
  element summary;
  if (root["summary"].get(summary)) return Corrupt("summary", "is missing");
  absl::StatusOr<std::string> raw_summary = RawObject(summary, "summary");
  if (!raw_summary.ok()) return raw_summary.status();
  job.summary_json = *std::move(raw_summary);
  simdjson::dom::array inputs;
  if (root["inputs"].get(inputs)) return Corrupt("inputs", "is missing or not an array");
  for (element input : inputs) {
    std::string_view name;
    if (input.get(name)) return Corrupt("inputs", "holds a non-string");
    job.inputs.emplace_back(name);
  }
  simdjson::dom::array results;
  if (root["results"].get(results)) return Corrupt("results", "is missing or not an array");
  for (element result : results) {
    JobResultFile& file = job.results.emplace_back();
    std::string_view name;
    std::string_view content_type;
    if (result["name"].get(name) || result["content_type"].get(content_type) ||
        result["bytes"].get(file.bytes)) {
      return Corrupt("results", "holds a malformed file entry");
    }
    file.name = std::string(name);
    file.content_type = std::string(content_type);
  }
  return job;
}

}  // namespace padan
