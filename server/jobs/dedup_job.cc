// The `dedup` job: Deduplicate (the engine of `padan dedup`) over the registry the server
// holds, inside the key's region. It runs on a private copy of the registry (CopyRegistry), so
// that writes and reads of the live one never wait on a run of minutes.
#include <filesystem>
#include <memory>

#include "data/absl_strings.h"
#include "data/json_writer.h"
#include "data/status_macros.h"
#include "index/dedup.h"
#include "index/registry.h"
#include "index/registry_copy.h"
#include "server/jobs/job_params.h"
#include "server/jobs/job_type.h"

namespace padan {
namespace {

constexpr std::string_view kParams[] = {"wilayah", "format", "all_records"};

class DedupJob final : public JobType {
 public:
  std::string_view name() const override { return "dedup"; }
  std::vector<std::string_view> inputs() const override { return {}; }
  bool needs_pii() const override { return true; }

  absl::StatusOr<std::string> CheckParams(std::string_view params_json) const override {
    PADAN_ASSIGN_OR_RETURN(JobParams params, JobParams::Parse(params_json, kParams));
    PADAN_RETURN_IF_ERROR(params.Choice("format", {"csv", "ndjson"}, "csv").status());
    PADAN_RETURN_IF_ERROR(params.Bool("all_records", false).status());
    return std::string(params_json);
  }

  absl::StatusOr<JobOutput> Run(const JobRun& run) const override {
    PADAN_ASSIGN_OR_RETURN(JobParams params, JobParams::Parse(run.job.params_json, kParams));
    PADAN_ASSIGN_OR_RETURN(std::string format, params.Choice("format", {"csv", "ndjson"}, "csv"));
    DedupOptions options;
    PADAN_ASSIGN_OR_RETURN(options.all_records, params.Bool("all_records", false));
    PADAN_ASSIGN_OR_RETURN(options.scope, Scope::FromCode(run.job.scope));
    options.threads = run.threads;
    const std::string result_name = StrCat("hasil.", format);
    options.out = StrCat(run.result_dir, "/", result_name);

    // The copy lives next to the results and goes when the run ends, however it ends.
    const std::string copy_dir = StrCat(run.result_dir, "/../registry-copy");
    struct RemoveCopy {
      std::string dir;
      ~RemoveCopy() {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
      }
    } remove_copy{copy_dir};
    std::error_code ignored;
    std::filesystem::remove_all(copy_dir, ignored);
    run.control.Report("copying the registry", 0, 1);
    PADAN_ASSIGN_OR_RETURN(std::unique_ptr<Database> copy,
                           CopyRegistry(run.backend.database(), run.backend.names(),
                                        run.backend.addresses(), copy_dir));
    if (run.control.Cancelled()) return absl::CancelledError("the dedup was cancelled");
    absl::StatusOr<DedupSummary> summary;
    {
      Database::ReadView view = copy->Read();
      summary = Deduplicate(static_cast<const Registry&>(view.state()), run.backend.model(),
                            options, run.control);
    }
    if (!summary.ok()) return summary.status();

    const std::string content_type =
        format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson";
    JobOutput output;
    output.results.push_back({result_name, content_type, 0});
    const std::string households = HouseholdsPath(result_name);
    if (std::filesystem::exists(StrCat(run.result_dir, "/", households))) {
      output.results.push_back({households, content_type, 0});
    }
    JsonWriter json;
    json.BeginObject()
        .Member("persons", summary->persons)
        .Member("candidate_pairs", summary->candidate_pairs)
        .Member("match_links", summary->match_links)
        .Member("clusters", summary->clusters)
        .Member("clustered_persons", summary->clustered_persons)
        .Member("components_split", summary->components_split)
        .Member("household_duplicates", summary->household_duplicates)
        .Key("cluster_sizes")
        .BeginArray();
    for (uint64_t count : summary->cluster_sizes) json.Uint(count);
    json.EndArray().EndObject();
    output.summary_json = json.Release();
    return output;
  }
};

}  // namespace

std::unique_ptr<JobType> MakeDedupJobType() { return std::make_unique<DedupJob>(); }

}  // namespace padan
