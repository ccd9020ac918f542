// Job: one batch run (dedup, link, verivali) submitted over HTTP — who asked, what, in which
// region scope, where it stands, and what it produced. Stored as <jobs>/<id>/job.json so that a
// restarted server still knows every job: finished results stay, interrupted runs say why.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

#include "data/region_table.h"

namespace padan {

enum class JobState : uint8_t { kQueued, kRunning, kDone, kFailed, kCancelled };

std::string_view JobStateName(JobState state);
bool IsFinished(JobState state);

// A file a job produced, in its result folder.
struct JobResultFile {
  std::string name;  // "hasil.csv", "laporan.html": no path
  std::string content_type;
  uint64_t bytes = 0;
};

struct JobRecord {
  std::string id;
  std::string type;  // "dedup", "link", "verivali"
  // The submitting key: its id, its scope narrowed by the request's wilayah, and its PII right,
  // which the run obeys (scope filter, masked NIKs) and which decide who may see the job.
  std::string key_id;
  KodeWilayah scope = 0;
  bool pii = false;
  std::string params_json;          // the type's validated parameters, a JSON object
  std::vector<std::string> inputs;  // uploaded input names, files in <job>/input/
  JobState state = JobState::kQueued;
  std::string error;       // why it failed or was cancelled
  int64_t created_ms = 0;  // Unix time in milliseconds
  int64_t started_ms = 0;
  int64_t finished_ms = 0;
  // The last progress written (while running, the live figures are the runner's).
  std::string phase;
  uint64_t done = 0;
  uint64_t total = 0;
  std::vector<JobResultFile> results;  // the first is the main result
  std::string summary_json;            // type-specific counts, a JSON object ("{}" if none)

  std::string ToJson() const;
  // kDataLoss naming the field for a job file that is not what ToJson writes.
  static absl::StatusOr<JobRecord> FromJson(std::string_view json);
};

}  // namespace padan
