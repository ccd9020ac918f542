// The batch job routes: submit (inputs uploaded as multipart/form-data, streamed to disk),
// status with progress, the result file streamed from disk, and cancel / delete. A job belongs
// to the key that submitted it; keys whose region covers the job's (and that hold the PII right
// if the job was run with it) may see it too; to any other key it does not exist (404), so ids
// cannot be probed.
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/time/time.h"
#include <simdjson.h>

#include "data/absl_strings.h"
#include "data/field_error.h"
#include "data/file_io.h"
#include "data/json_writer.h"
#include "data/status_macros.h"
#include "server/api_error.h"
#include "server/api_service.h"
#include "server/handlers.h"
#include "server/jobs/job_runner.h"
#include "server/jobs/multipart_splitter.h"
#include "server/request_context.h"

namespace padan {
namespace {

// The "job" part or a JSON body: {type, params} — small.
constexpr size_t kMaxSpecBytes = 64 * 1024;
// job + the inputs of any type, with room for a caller's harmless extras to be refused by name.
constexpr size_t kMaxParts = 8;
// GET /v1/jobs lists this many by default, and at most kMaxJobListLimit.
constexpr size_t kDefaultJobListLimit = 100;
constexpr size_t kMaxJobListLimit = 1000;

absl::StatusOr<JobRunner*> Jobs(const RequestContext& context) {
  JobRunner* jobs = context.service.jobs();
  if (jobs == nullptr) return absl::UnavailableError("batch jobs are not served yet; retry later");
  return jobs;
}

std::string IsoTime(int64_t unix_ms) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::FromUnixMillis(unix_ms),
                          absl::UTCTimeZone());
}

void TimeMember(JsonWriter& json, std::string_view key, int64_t unix_ms) {
  json.Key(key);
  if (unix_ms == 0) {
    json.Null();
  } else {
    json.String(IsoTime(unix_ms));
  }
}

std::string StatusJson(const JobStatus& status) {
  const JobRecord& job = status.record;
  JsonWriter json;
  json.BeginObject()
      .Member("id", job.id)
      .Member("type", job.type)
      .Member("state", JobStateName(job.state))
      .Member("wilayah", job.scope == 0 ? std::string() : FormatKodeWilayah(job.scope))
      .Key("params")
      .Raw(job.params_json.empty() ? "{}" : job.params_json);
  TimeMember(json, "created_at", job.created_ms);
  TimeMember(json, "started_at", job.started_ms);
  TimeMember(json, "finished_at", job.finished_ms);
  json.Key("progress")
      .BeginObject()
      .Member("phase", job.phase)
      .Member("done", job.done)
      .Member("total", job.total);
  json.Key("fraction");
  if (job.state == JobState::kDone) {
    json.Double(1.0);
  } else if (job.total > 0) {
    json.Double(std::min(1.0, static_cast<double>(job.done) / static_cast<double>(job.total)));
  } else {
    json.Null();
  }
  json.Member("rate_per_second", status.rate).Key("eta_seconds");
  if (status.eta_seconds >= 0) {
    json.Double(status.eta_seconds);
  } else {
    json.Null();
  }
  json.EndObject().Member("cancel_requested", status.cancel_requested);
  if (!job.error.empty()) json.Member("error", job.error);
  json.Key("results").BeginArray();
  for (const JobResultFile& file : job.results) {
    json.BeginObject()
        .Member("name", file.name)
        .Member("content_type", file.content_type)
        .Member("bytes", file.bytes)
        .Member("url", StrCat("/v1/jobs/", job.id, "/result?file=", file.name))
        .EndObject();
  }
  json.EndArray().Key("summary").Raw(job.summary_json.empty() ? "{}" : job.summary_json);
  json.EndObject();
  return json.Release();
}

// Whether `key` may see `job`: its own, or another key's whose region it covers and, for
// results made with the PII right, holding that right too.
bool MaySee(const ApiKey& key, const JobRecord& job) {
  if (job.key_id == key.id) return true;
  absl::StatusOr<Scope> job_scope = Scope::FromCode(job.scope);
  return job_scope.ok() && key.scope.Covers(*job_scope) && (key.pii || !job.pii);
}

// The job `id` if this key may see it; kNotFound otherwise, exactly as for an unknown id.
absl::StatusOr<JobStatus> VisibleJob(RequestContext& context, JobRunner& jobs,
                                     std::string_view id) {
  absl::StatusOr<JobStatus> status = jobs.Get(id);
  const std::string not_found = StrCat("no job ", id);
  if (!status.ok() || !MaySee(*context.key, status->record)) {
    return FieldError(absl::StatusCode::kNotFound, "id", not_found);
  }
  const JobRecord& job = status->record;
  context.audit.ids.push_back(StrCat("job:", job.id));
  return status;
}

// The extension that tells the readers the format: the uploaded file's own, else its type's.
std::string InputExtension(const MultipartPart& part) {
  std::string lower = absl::AsciiStrToLower(ToAbsl(part.filename));
  for (std::string_view extension : {".csv", ".tsv", ".txt", ".ndjson", ".jsonl", ".json"}) {
    if (lower.ends_with(extension)) return std::string(extension);
  }
  std::string type = absl::AsciiStrToLower(ToAbsl(part.content_type));
  if (type.find("ndjson") != std::string::npos || type.find("jsonl") != std::string::npos ||
      type.find("json") != std::string::npos) {
    return ".ndjson";
  }
  return ".csv";
}

absl::StatusOr<std::string> ReadSpec(const std::string& path) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) return ErrnoToStatus(errno, "read", "the job spec");
  if (static_cast<size_t>(info.st_size) > kMaxSpecBytes) {
    return FieldError(absl::StatusCode::kInvalidArgument, "job",
                      StrCat("the job description exceeds ", kMaxSpecBytes, " bytes"));
  }
  return ReadWholeFile(path);
}

struct JobSpec {
  std::string type;
  std::string params_json = "{}";
  std::string wilayah;
};

absl::StatusOr<JobSpec> ParseSpec(std::string_view text) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(text.data(), text.size()).get(root); error) {
    return InvalidField("job", StrCat("is not valid JSON (", simdjson::error_message(error), ")"));
  }
  simdjson::dom::object object;
  if (root.get(object)) return InvalidField("job", "must be a JSON object {type, params}");
  JobSpec spec;
  for (auto [key, value] : object) {
    if (key == "type") {
      std::string_view type;
      if (value.get(type)) return InvalidField("type", "must be a string");
      spec.type = std::string(type);
    } else if (key == "params") {
      if (!value.is_object()) return InvalidField("params", "must be a JSON object");
      spec.params_json = simdjson::minify(value);
      std::string_view wilayah;
      simdjson::dom::element wilayah_value;
      if (!value["wilayah"].get(wilayah_value)) {
        if (wilayah_value.get(wilayah)) return InvalidField("params.wilayah", "must be a string");
        spec.wilayah = std::string(wilayah);
      }
    } else {
      return InvalidField(std::string(key), "is not a field of a job; expected type and params");
    }
  }
  if (spec.type.empty()) return InvalidField("type", "is required");
  return spec;
}

}  // namespace

absl::StatusOr<HttpResponse> HandleSubmitJob(RequestContext& context) {
  PADAN_ASSIGN_OR_RETURN(JobRunner * jobs, Jobs(context));
  PADAN_RETURN_IF_ERROR(context.OnlyQueryParams({}));
  const HttpRequest& request = context.request;
  // Bodies reach here on disk; a caller of ApiService without the transport (tests) may pass
  // the body in memory, which is written out so both take one path.
  std::string body_file = request.body_file;
  std::string written_body;
  if (body_file.empty()) {
    written_body = jobs->NewUploadPath();
    PADAN_RETURN_IF_ERROR(WriteWholeFile(written_body, request.body));
    body_file = written_body;
  }
  const std::string parts_dir = body_file + ".parts";
  struct Cleanup {
    std::string written_body, parts_dir;
    ~Cleanup() {
      std::error_code ignored;
      if (!written_body.empty()) std::filesystem::remove(written_body, ignored);
      std::filesystem::remove_all(parts_dir, ignored);
    }
  } cleanup{written_body, parts_dir};

  std::vector<MultipartPart> parts;
  std::string spec_text;
  std::optional<std::string> boundary = MultipartBoundary(request.content_type);
  if (boundary.has_value()) {
    std::error_code error;
    std::filesystem::create_directory(parts_dir, error);
    if (error) return ErrnoToStatus(error.value(), "create", parts_dir);
    PADAN_ASSIGN_OR_RETURN(parts, SplitMultipart(body_file, *boundary, parts_dir, kMaxParts));
    auto job_part = std::find_if(parts.begin(), parts.end(),
                                 [](const MultipartPart& part) { return part.name == "job"; });
    if (job_part == parts.end()) {
      return InvalidField("job", "is missing: send the part job={\"type\":...,\"params\":{...}}");
    }
    PADAN_ASSIGN_OR_RETURN(spec_text, ReadSpec(job_part->path));
  } else if (request.content_type.empty() ||
             absl::StartsWithIgnoreCase(ToAbsl(request.content_type), "application/json")) {
    PADAN_ASSIGN_OR_RETURN(spec_text, ReadSpec(body_file));
  } else {
    return InvalidField("Content-Type",
                        "must be multipart/form-data (a job with its input files) or "
                        "application/json (a job without inputs)");
  }
  PADAN_ASSIGN_OR_RETURN(JobSpec spec, ParseSpec(spec_text));
  const JobType* type = jobs->FindType(spec.type);
  if (type == nullptr) {
    std::string names;
    for (std::string_view name : jobs->TypeNames())
      StrAppend(&names, names.empty() ? "" : ", ", name);
    return InvalidField("type", StrCat("must be one of ", names));
  }
  if (type->needs_pii() && !context.key->pii) {
    return FieldError(absl::StatusCode::kPermissionDenied, "type",
                      StrCat(spec.type,
                             " jobs need a key with the PII right: their results are "
                             "registry records that masking would make useless"));
  }
  PADAN_ASSIGN_OR_RETURN(std::string params, type->CheckParams(spec.params_json));
  PADAN_ASSIGN_OR_RETURN(Scope scope, context.ReadScope(spec.wilayah));

  JobSubmission submission;
  submission.type = spec.type;
  submission.params_json = std::move(params);
  submission.key_id = context.key->id;
  submission.scope = scope.code();
  submission.pii = context.key->pii;
  std::vector<std::string_view> wanted = type->inputs();
  for (const MultipartPart& part : parts) {
    if (part.name == "job") continue;
    if (std::find(wanted.begin(), wanted.end(), part.name) == wanted.end()) {
      return InvalidField(part.name, StrCat("is not an input of ", spec.type, " jobs"));
    }
    submission.inputs.push_back({part.name, part.path, InputExtension(part)});
  }
  for (std::string_view name : wanted) {
    bool present =
        std::any_of(submission.inputs.begin(), submission.inputs.end(),
                    [&](const JobSubmission::Input& input) { return input.name == name; });
    if (!present) {
      return InvalidField(name, StrCat("is missing: upload it as the multipart part ", name, " (",
                                       spec.type, " jobs need it)"));
    }
  }
  PADAN_ASSIGN_OR_RETURN(JobRecord record, jobs->Submit(std::move(submission)));
  context.audit.ids.push_back(StrCat("job:", record.id));
  context.audit.query.emplace_back("type", record.type);
  PADAN_ASSIGN_OR_RETURN(JobStatus status, jobs->Get(record.id));
  HttpResponse response = JsonResponse(StatusJson(status), 202);
  response.headers.emplace_back("Location", StrCat("/v1/jobs/", record.id));
  return response;
}

absl::StatusOr<HttpResponse> HandleGetJob(RequestContext& context) {
  PADAN_ASSIGN_OR_RETURN(JobRunner * jobs, Jobs(context));
  PADAN_RETURN_IF_ERROR(context.OnlyQueryParams({}));
  PADAN_ASSIGN_OR_RETURN(JobStatus status, VisibleJob(context, *jobs, context.Param("id")));
  return JsonResponse(StatusJson(status));
}

absl::StatusOr<HttpResponse> HandleListJobs(RequestContext& context) {
  PADAN_ASSIGN_OR_RETURN(JobRunner * jobs, Jobs(context));
  PADAN_RETURN_IF_ERROR(context.OnlyQueryParams({"state", "limit"}));
  std::optional<JobState> wanted;
  if (std::optional<std::string_view> state = context.Query("state"); state.has_value()) {
    for (JobState candidate : {JobState::kQueued, JobState::kRunning, JobState::kDone,
                               JobState::kFailed, JobState::kCancelled}) {
      if (JobStateName(candidate) == *state) wanted = candidate;
    }
    if (!wanted.has_value()) {
      return InvalidField("state", "must be queued, running, done, failed or cancelled");
    }
    context.audit.query.emplace_back("state", std::string(*state));
  }
  PADAN_ASSIGN_OR_RETURN(const size_t limit,
                         context.QueryCount("limit", kDefaultJobListLimit, 1, kMaxJobListLimit));
  JsonWriter json;
  json.BeginObject();
  json.Key("jobs").BeginArray();
  size_t listed = 0;
  bool more = false;
  for (const JobStatus& status : jobs->List()) {
    if (!MaySee(*context.key, status.record)) continue;
    if (wanted.has_value() && status.record.state != *wanted) continue;
    if (listed == limit) {
      more = true;
      break;
    }
    json.Raw(StatusJson(status));
    context.audit.ids.push_back(StrCat("job:", status.record.id));
    ++listed;
  }
  json.EndArray();
  json.Member("more", more);
  json.EndObject();
  return JsonResponse(json.Release());
}

absl::StatusOr<HttpResponse> HandleJobResult(RequestContext& context) {
  PADAN_ASSIGN_OR_RETURN(JobRunner * jobs, Jobs(context));
  PADAN_RETURN_IF_ERROR(context.OnlyQueryParams({"file"}));
  PADAN_ASSIGN_OR_RETURN(JobStatus status, VisibleJob(context, *jobs, context.Param("id")));
  const JobRecord& job = status.record;
  if (job.state != JobState::kDone) {
    return FieldError(absl::StatusCode::kAborted, "id",
                      StrCat("job ", job.id, " is ", JobStateName(job.state),
                             job.error.empty() ? "" : StrCat(": ", job.error),
                             "; results exist once it is done"));
  }
  const JobResultFile* file = job.results.empty() ? nullptr : &job.results.front();
  if (std::optional<std::string_view> name = context.Query("file"); name.has_value()) {
    file = nullptr;
    for (const JobResultFile& candidate : job.results) {
      if (candidate.name == *name) file = &candidate;
    }
    if (file == nullptr) {
      return FieldError(absl::StatusCode::kNotFound, "file",
                        StrCat("job ", job.id, " has no result file ", *name));
    }
  }
  if (file == nullptr) return FieldError(absl::StatusCode::kNotFound, "file", "no result file");
  PADAN_ASSIGN_OR_RETURN(std::string path, jobs->ResultPath(job.id, file->name));
  HttpResponse response;
  response.content_type = file->content_type;
  response.body_file = std::move(path);
  response.headers.emplace_back("Content-Disposition",
                                StrCat("attachment; filename=\"", job.id, "-", file->name, "\""));
  return response;
}

absl::StatusOr<HttpResponse> HandleDeleteJob(RequestContext& context) {
  PADAN_ASSIGN_OR_RETURN(JobRunner * jobs, Jobs(context));
  PADAN_RETURN_IF_ERROR(context.OnlyQueryParams({}));
  PADAN_ASSIGN_OR_RETURN(JobStatus status, VisibleJob(context, *jobs, context.Param("id")));
  if (IsFinished(status.record.state)) {
    // A finished job is removed with its files: results hold personal data, and disks fill.
    PADAN_RETURN_IF_ERROR(jobs->Delete(status.record.id));
    HttpResponse response;
    response.status = 204;
    return response;
  }
  PADAN_ASSIGN_OR_RETURN(JobStatus cancelled, jobs->Cancel(status.record.id));
  return JsonResponse(StatusJson(cancelled));
}

}  // namespace padan
