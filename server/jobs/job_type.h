// JobType: one kind of batch job the server runs (link, dedup, verivali) — which uploaded inputs
// it needs, how its parameters are checked, and how it runs over the engine calls the CLI uses.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

#include "data/batch_control.h"
#include "server/jobs/job.h"
#include "server/serving_backend.h"

namespace padan {

// What a run gets. The input files are <input_dir>/<job.inputs[i]>; results go to result_dir.
struct JobRun {
  const JobRecord& job;
  std::string input_dir;
  std::string result_dir;
  ServingBackend& backend;
  size_t threads = 0;  // 0: one per core
  const BatchControl& control;
};

struct JobOutput {
  std::vector<JobResultFile> results;  // files in result_dir; the first is the main result
  std::string summary_json = "{}";     // counts for GET /v1/jobs/{id}, a JSON object
};

class JobType {
 public:
  virtual ~JobType() = default;
  virtual std::string_view name() const = 0;
  // The multipart field names of the files it needs ("input"; "prelist", "field").
  virtual std::vector<std::string_view> inputs() const = 0;
  // Checks the request's params (a JSON object; "{}" when absent): kInvalidArgument naming
  // "params.<field>". Returns the params to store. Every type accepts "wilayah", which the
  // handler reads to narrow the job's scope.
  virtual absl::StatusOr<std::string> CheckParams(std::string_view params_json) const = 0;
  // Whether only keys with the PII right may submit it: its results hold registry NIKs and
  // names that cannot be masked without making them useless (dedup clusters).
  virtual bool needs_pii() const { return false; }
  // kCancelled when run.control asks; other errors make the job fail with their message.
  virtual absl::StatusOr<JobOutput> Run(const JobRun& run) const = 0;
};

// The job types the server offers.
std::vector<std::unique_ptr<JobType>> ServerJobTypes();

}  // namespace padan
