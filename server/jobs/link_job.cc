// The `link` job: LinkList (the engine of `padan link`) over an uploaded list, scoped to the
// key's region and with matched NIKs masked for keys without the PII right.
#include <memory>

#include "data/absl_strings.h"
#include "data/column_mapping.h"
#include "data/json_writer.h"
#include "data/status_macros.h"
#include "index/list_linker.h"
#include "server/jobs/job_params.h"
#include "server/jobs/job_type.h"

namespace padan {
namespace {

constexpr std::string_view kParams[] = {"wilayah", "format", "mapping"};

class LinkJob final : public JobType {
 public:
  std::string_view name() const override { return "link"; }
  std::vector<std::string_view> inputs() const override { return {"input"}; }

  absl::StatusOr<std::string> CheckParams(std::string_view params_json) const override {
    PADAN_ASSIGN_OR_RETURN(JobParams params, JobParams::Parse(params_json, kParams));
    PADAN_RETURN_IF_ERROR(params.Choice("format", {"csv", "ndjson"}, "csv").status());
    PADAN_ASSIGN_OR_RETURN(std::optional<std::string> mapping, params.Object("mapping"));
    if (mapping.has_value()) {
      absl::StatusOr<ColumnMapping> parsed = ColumnMapping::FromJson(*mapping);
      if (!parsed.ok()) {
        return absl::InvalidArgumentError(StrCat("params.mapping: ", parsed.status().message()));
      }
    }
    return std::string(params_json);
  }

  absl::StatusOr<JobOutput> Run(const JobRun& run) const override {
    PADAN_ASSIGN_OR_RETURN(JobParams params, JobParams::Parse(run.job.params_json, kParams));
    PADAN_ASSIGN_OR_RETURN(std::string format, params.Choice("format", {"csv", "ndjson"}, "csv"));
    PADAN_ASSIGN_OR_RETURN(std::optional<std::string> mapping_json, params.Object("mapping"));
    LinkOptions options;
    if (mapping_json.has_value()) {
      PADAN_ASSIGN_OR_RETURN(options.mapping, ColumnMapping::FromJson(*mapping_json));
    }
    PADAN_ASSIGN_OR_RETURN(options.scope, Scope::FromCode(run.job.scope));
    const std::string result_name = StrCat("hasil.", format);
    options.input = StrCat(run.input_dir, "/", run.job.inputs.at(0));
    options.output = StrCat(run.result_dir, "/", result_name);
    options.threads = run.threads;
    options.mask_pii = !run.job.pii;
    PADAN_ASSIGN_OR_RETURN(
        LinkSummary summary,
        LinkList(run.backend.engine(), run.backend.regions(), std::move(options), run.control));
    JobOutput output;
    output.results.push_back(
        {result_name, format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson", 0});
    JsonWriter json;
    json.BeginObject()
        .Member("rows", summary.rows)
        .Member("match", summary.match)
        .Member("possible_match", summary.possible)
        .Member("non_match", summary.non_match)
        .Member("no_candidate", summary.no_candidate)
        .Member("invalid", summary.invalid)
        .Member("seconds", summary.seconds)
        .EndObject();
    output.summary_json = json.Release();
    return output;
  }
};

}  // namespace

std::unique_ptr<JobType> MakeLinkJobType() { return std::make_unique<LinkJob>(); }

}  // namespace padan
