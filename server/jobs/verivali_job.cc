// The `verivali` job: RunVerivali (the engine of `padan verivali`) over an uploaded pre-list and
// field results, with the HTML report. It reads nothing of the registry: both files are the
// caller's, so the key's region decides only who may see the job.
#include <algorithm>
#include <memory>

#include "data/absl_strings.h"
#include "data/column_mapping.h"
#include "data/json_writer.h"
#include "data/status_macros.h"
#include "matching/verivali.h"
#include "server/jobs/job_params.h"
#include "server/jobs/job_type.h"
#include "server/report/verivali_report.h"

namespace padan {
namespace {

constexpr std::string_view kParams[] = {"wilayah", "prelist_mapping", "field_mapping"};
constexpr std::string_view kReport = "laporan.html";

int Rank(std::string_view file) {
  if (file == "persons.csv") return 0;
  if (file == kReport) return 1;
  return 2;
}

std::string ContentType(std::string_view file) {
  if (file.ends_with(".csv")) return "text/csv; charset=utf-8";
  if (file.ends_with(".ndjson")) return "application/x-ndjson";
  if (file.ends_with(".html")) return "text/html; charset=utf-8";
  return "application/json";
}

absl::StatusOr<ColumnMapping> MappingParam(const JobParams& params, std::string_view name) {
  PADAN_ASSIGN_OR_RETURN(std::optional<std::string> json, params.Object(name));
  if (!json.has_value()) return ColumnMapping();
  absl::StatusOr<ColumnMapping> mapping = ColumnMapping::FromJson(*json);
  if (!mapping.ok()) {
    return absl::InvalidArgumentError(StrCat("params.", name, ": ", mapping.status().message()));
  }
  return mapping;
}

class VerivaliJob final : public JobType {
 public:
  std::string_view name() const override { return "verivali"; }
  std::vector<std::string_view> inputs() const override { return {"prelist", "field"}; }

  absl::StatusOr<std::string> CheckParams(std::string_view params_json) const override {
    PADAN_ASSIGN_OR_RETURN(JobParams params, JobParams::Parse(params_json, kParams));
    PADAN_RETURN_IF_ERROR(MappingParam(params, "prelist_mapping").status());
    PADAN_RETURN_IF_ERROR(MappingParam(params, "field_mapping").status());
    return std::string(params_json);
  }

  absl::StatusOr<JobOutput> Run(const JobRun& run) const override {
    PADAN_ASSIGN_OR_RETURN(JobParams params, JobParams::Parse(run.job.params_json, kParams));
    VerivaliOptions options;
    PADAN_ASSIGN_OR_RETURN(options.prelist_mapping, MappingParam(params, "prelist_mapping"));
    PADAN_ASSIGN_OR_RETURN(options.field_mapping, MappingParam(params, "field_mapping"));
    options.prelist_path = StrCat(run.input_dir, "/", run.job.inputs.at(0));
    options.field_path = StrCat(run.input_dir, "/", run.job.inputs.at(1));
    options.out_dir = run.result_dir;
    options.threads = run.threads;
    PADAN_ASSIGN_OR_RETURN(VerivaliResult result,
                           RunVerivali(options, run.backend.regions(), run.control));
    PADAN_RETURN_IF_ERROR(
        WriteVerivaliReport(result.summary, StrCat(run.result_dir, "/", kReport)));

    // The main result first (the per-person outcomes), then the report, then the rest.
    std::vector<std::string> files = result.summary.files;
    files.push_back(std::string(kReport));
    std::stable_sort(files.begin(), files.end(),
                     [](const std::string& a, const std::string& b) { return Rank(a) < Rank(b); });
    JobOutput output;
    for (const std::string& file : files) output.results.push_back({file, ContentType(file), 0});
    JsonWriter json;
    json.BeginObject()
        .Member("prelist_persons", result.summary.prelist_persons)
        .Member("field_persons", result.summary.field_persons)
        .Key("persons")
        .BeginObject();
    for (VerivaliOutcome outcome : kAllVerivaliOutcomes) {
      json.Member(VerivaliOutcomeName(outcome), result.summary.total.person(outcome));
    }
    json.EndObject().Key("households").BeginObject();
    for (VerivaliOutcome outcome : kAllVerivaliOutcomes) {
      json.Member(VerivaliOutcomeName(outcome), result.summary.total.household(outcome));
    }
    json.EndObject().Member("seconds", result.summary.seconds).EndObject();
    output.summary_json = json.Release();
    return output;
  }
};

}  // namespace

std::unique_ptr<JobType> MakeVerivaliJobType() { return std::make_unique<VerivaliJob>(); }

}  // namespace padan
