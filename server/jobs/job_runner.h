// JobRunner: the server's batch jobs — a bounded queue and a small pool of worker threads apart
// from the request threads (and below them in CPU priority, so search and match latency hold
// while a national dedup runs), with every job's state kept on disk in <dir>/<id>/job.json.
//
// Restart behaviour: finished jobs and their results stay; a job that was running when the
// server stopped is marked failed with the reason; queued jobs are queued again (their inputs
// are on disk).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

#include "server/jobs/job.h"
#include "server/jobs/job_type.h"
#include "server/serving_backend.h"

namespace padan {

struct JobRunnerOptions {
  std::string dir;             // holds one folder per job, and uploads/
  size_t workers = 1;          // jobs running at once
  size_t max_queued = 16;      // jobs waiting; beyond, Submit is kResourceExhausted
  size_t threads_per_job = 0;  // threads a job's engine call uses; 0: one per core
  // Added to the nice value of the job threads (Linux: per thread), so the kernel gives request
  // threads the CPU first when both want it.
  int nice = 10;
  // A finished job (done, failed, cancelled) and its files are removed this long after it
  // finished: at start-up and every sweep_interval_ms while the server runs (results hold
  // personal data: a quiet server must not keep them forever). 0 keeps them until DELETE.
  int64_t keep_finished_hours = 7 * 24;
  int64_t sweep_interval_ms = 10 * 60 * 1000;
  // The wall clock expiry is measured by, in ms since the epoch; empty: the system clock.
  // (Tests move it forward.)
  std::function<int64_t()> clock_ms;
};

struct JobSubmission {
  std::string type;
  std::string params_json;  // checked by the type's CheckParams
  std::string key_id;
  KodeWilayah scope = 0;
  bool pii = false;
  // Uploaded inputs: the type's input name, the file (moved into the job's folder), and the
  // extension to keep (".csv", ".ndjson") so that readers know the format.
  struct Input {
    std::string name;
    std::string path;
    std::string extension;
  };
  std::vector<Input> inputs;
};

// A job as GET /v1/jobs/{id} shows it: the record with live progress.
struct JobStatus {
  JobRecord record;
  bool cancel_requested = false;
  double rate = 0;          // phase units per second, since the phase began
  double eta_seconds = -1;  // -1 when unknown
};

class JobRunner {
 public:
  // Creates `options.dir` if needed, loads the jobs found there (see the restart behaviour
  // above), clears leftover uploads and starts the workers. `backend` and the types outlive
  // the runner.
  static absl::StatusOr<std::unique_ptr<JobRunner>> Open(
      JobRunnerOptions options, ServingBackend& backend,
      std::vector<std::unique_ptr<JobType>> types);
  ~JobRunner();

  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  const JobType* FindType(std::string_view name) const;
  std::vector<std::string_view> TypeNames() const;
  // A fresh path under <dir>/uploads for a request body streamed to disk.
  std::string NewUploadPath();

  // Queues a job; its inputs are moved into its folder. kInvalidArgument for an unknown type or
  // a missing input, kResourceExhausted when the queue is full, kUnavailable after Shutdown.
  absl::StatusOr<JobRecord> Submit(JobSubmission submission);
  // kNotFound for an unknown id.
  absl::StatusOr<JobStatus> Get(std::string_view id) const;
  // Every job, the newest first.
  std::vector<JobStatus> List() const;
  // A queued job is cancelled at once; a running one is asked to stop (it ends "cancelled" at
  // its next check). kFailedPrecondition for a finished job.
  absl::StatusOr<JobStatus> Cancel(std::string_view id);
  // Removes a finished job and its files. kFailedPrecondition while it is queued or running.
  absl::Status Delete(std::string_view id);
  // The path of a result file of a finished job; kNotFound for a name it did not produce.
  absl::StatusOr<std::string> ResultPath(std::string_view id, std::string_view name) const;

  // Stops taking jobs, asks running jobs to stop and waits for them: they end "failed", saying
  // the server shut down. Queued jobs stay queued on disk for the next start.
  void Shutdown();

  struct Counts {
    uint64_t queued = 0, running = 0, done = 0, failed = 0, cancelled = 0;
  };
  Counts CountByState() const;

 private:
  struct Entry;
  JobRunner(JobRunnerOptions options, ServingBackend& backend,
            std::vector<std::unique_ptr<JobType>> types);
  void Work();
  // Calls RemoveExpired every options_.sweep_interval_ms until Shutdown.
  void Sweep();
  void RunOne(Entry& entry);
  absl::Status Persist(const JobRecord& record) const;
  std::string JobDir(std::string_view id) const;
  JobStatus StatusOf(const Entry& entry) const;  // REQUIRES: mu_ held
  // Removes the finished jobs older than options_.keep_finished_hours, with their folders.
  void RemoveExpired();

  JobRunnerOptions options_;
  ServingBackend& backend_;
  std::vector<std::unique_ptr<JobType>> types_;
  std::atomic<uint64_t> upload_serial_{0};

  mutable std::mutex mu_;
  std::condition_variable cv_;
  absl::flat_hash_map<std::string, std::unique_ptr<Entry>> jobs_;  // guarded by mu_
  std::deque<std::string> queue_;                                  // guarded by mu_
  bool stopping_ = false;                                          // guarded by mu_
  std::vector<std::thread> workers_;
  std::thread sweeper_;  // while keep_finished_hours > 0
  // The sweeper's own: on cv_ it could take a notify_one meant for a worker (a submission's),
  // and that job would wait for the next one.
  std::condition_variable sweep_cv_;
};

}  // namespace padan
