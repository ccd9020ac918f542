#include "server/jobs/job_runner.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>

#include "absl/strings/str_format.h"

#include "data/absl_strings.h"
#include "data/file_io.h"
#include "data/status_macros.h"

namespace padan {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kJobFile = "job.json";
constexpr std::string_view kInputDir = "input";
constexpr std::string_view kResultDir = "result";
constexpr std::string_view kUploadDir = "uploads";

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "j" + 16 hex digits: unguessable, so a job id is no handle for another key to probe.
std::string NewJobId() {
  thread_local std::mt19937_64 random(std::random_device{}() ^ static_cast<uint64_t>(NowMs())
                                                                   << 20);
  return absl::StrFormat("j%016x", random());
}

absl::Status MakeDir(const std::string& path) {
  if (::mkdir(path.c_str(), 0750) != 0 && errno != EEXIST) {
    return ErrnoToStatus(errno, "create directory", path);
  }
  return absl::OkStatus();
}

// Writes `content` to `path` so that a crash leaves the old or the new file, never a torn one.
absl::Status WriteFileAtomically(const std::string& path, std::string_view content) {
  const std::string temporary = path + ".tmp";
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return ErrnoToStatus(errno, "create", temporary);
  size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int error = errno;
      ::close(fd);
      return ErrnoToStatus(error, "write", temporary);
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    int error = errno;
    ::close(fd);
    return ErrnoToStatus(error, "sync", temporary);
  }
  ::close(fd);
  if (::rename(temporary.c_str(), path.c_str()) != 0) return ErrnoToStatus(errno, "rename", path);
  return absl::OkStatus();
}

}  // namespace

struct JobRunner::Entry {
  JobRecord record;  // guarded by the runner's mu_
  std::atomic<bool> cancel{false};
  bool shutdown = false;  // cancelled because the server stops; guarded by mu_
  Clock::time_point phase_start = Clock::now();
};

JobRunner::JobRunner(JobRunnerOptions options, ServingBackend& backend,
                     std::vector<std::unique_ptr<JobType>> types)
    : options_(std::move(options)), backend_(backend), types_(std::move(types)) {}

absl::StatusOr<std::unique_ptr<JobRunner>> JobRunner::Open(
    JobRunnerOptions options, ServingBackend& backend,
    std::vector<std::unique_ptr<JobType>> types) {
  if (options.workers == 0) return absl::InvalidArgumentError("jobs: workers must be at least 1");
  PADAN_RETURN_IF_ERROR(MakeDir(options.dir));
  std::unique_ptr<JobRunner> runner(new JobRunner(std::move(options), backend, std::move(types)));
  const std::string uploads = StrCat(runner->options_.dir, "/", kUploadDir);
  std::error_code ignored;
  fs::remove_all(uploads, ignored);  // bodies of requests that never completed
  PADAN_RETURN_IF_ERROR(MakeDir(uploads));

  std::vector<JobRecord> queued;
  std::error_code error;
  for (const fs::directory_entry& dir : fs::directory_iterator(runner->options_.dir, error)) {
    if (!dir.is_directory() || dir.path().filename() == kUploadDir) continue;
    const std::string path = StrCat(dir.path().string(), "/", kJobFile);
    absl::StatusOr<std::string> text = ReadWholeFile(path);
    if (!text.ok()) continue;  // a job folder whose creation did not finish
    absl::StatusOr<JobRecord> record = JobRecord::FromJson(*text);
    if (!record.ok()) {
      std::fprintf(stderr, "padan serve: skipping %s: %s\n", path.c_str(),
                   std::string(record.status().message()).c_str());
      continue;
    }
    if (record->state == JobState::kRunning) {
      record->state = JobState::kFailed;
      record->error = "interrupted: the server stopped while the job was running; submit it again";
      record->finished_ms = NowMs();
      PADAN_RETURN_IF_ERROR(runner->Persist(*record));
    }
    if (record->state == JobState::kQueued) queued.push_back(*record);
    auto entry = std::make_unique<Entry>();
    entry->record = *std::move(record);
    runner->jobs_.emplace(entry->record.id, std::move(entry));
  }
  if (error) return ErrnoToStatus(error.value(), "list", runner->options_.dir);
  std::sort(queued.begin(), queued.end(),
            [](const JobRecord& a, const JobRecord& b) { return a.created_ms < b.created_ms; });
  for (const JobRecord& record : queued) runner->queue_.push_back(record.id);
  runner->RemoveExpired();

  for (size_t i = 0; i < runner->options_.workers; ++i) {
    runner->workers_.emplace_back([raw = runner.get()] { raw->Work(); });
  }
  if (runner->options_.keep_finished_hours > 0) {
    runner->sweeper_ = std::thread([raw = runner.get()] { raw->Sweep(); });
  }
  return runner;
}

void JobRunner::Sweep() {
  const auto interval = std::chrono::milliseconds(std::max<int64_t>(options_.sweep_interval_ms, 1));
  while (true) {
    {
      std::unique_lock lock(mu_);
      if (sweep_cv_.wait_for(lock, interval, [&] { return stopping_; })) return;
    }
    RemoveExpired();
  }
}

JobRunner::~JobRunner() { Shutdown(); }

const JobType* JobRunner::FindType(std::string_view name) const {
  for (const std::unique_ptr<JobType>& type : types_) {
    if (type->name() == name) return type.get();
  }
  return nullptr;
}

std::vector<std::string_view> JobRunner::TypeNames() const {
  std::vector<std::string_view> names;
  for (const std::unique_ptr<JobType>& type : types_) names.push_back(type->name());
  return names;
}

std::string JobRunner::NewUploadPath() {
  return StrCat(options_.dir, "/", kUploadDir, "/", NewJobId(), "-",
                upload_serial_.fetch_add(1, std::memory_order_relaxed), ".body");
}

std::string JobRunner::JobDir(std::string_view id) const { return StrCat(options_.dir, "/", id); }

absl::Status JobRunner::Persist(const JobRecord& record) const {
  return WriteFileAtomically(StrCat(JobDir(record.id), "/", kJobFile), record.ToJson());
}

void JobRunner::RemoveExpired() {
  if (options_.keep_finished_hours <= 0) return;
  const int64_t now_ms = options_.clock_ms ? options_.clock_ms() : NowMs();
  const int64_t cutoff_ms = now_ms - options_.keep_finished_hours * 3'600'000;
  std::vector<std::string> expired;
  {
    std::lock_guard lock(mu_);
    for (auto it = jobs_.begin(); it != jobs_.end();) {
      const JobRecord& record = it->second->record;
      if (IsFinished(record.state) && record.finished_ms < cutoff_ms) {
        expired.push_back(record.id);
        jobs_.erase(it++);
      } else {
        ++it;
      }
    }
  }
  // Outside the lock: the folders may be large. A result being streamed stays readable from
  // its open file.
  for (const std::string& id : expired) {
    std::error_code error;
    fs::remove_all(JobDir(id), error);
    if (error) {
      std::fprintf(stderr, "padan serve: cannot remove the expired job %s: %s\n", id.c_str(),
                   error.message().c_str());
    }
  }
}

absl::StatusOr<JobRecord> JobRunner::Submit(JobSubmission submission) {
  const JobType* type = FindType(submission.type);
  if (type == nullptr)
    return absl::InvalidArgumentError(StrCat("unknown job type ", submission.type));
  {
    std::lock_guard lock(mu_);
    if (stopping_) return absl::UnavailableError("the server is shutting down");
    if (queue_.size() >= options_.max_queued) {
      return absl::ResourceExhaustedError(
          StrCat(queue_.size(), " jobs are already waiting; submit again later"));
    }
  }
  JobRecord record;
  record.id = NewJobId();
  record.type = submission.type;
  record.key_id = std::move(submission.key_id);
  record.scope = submission.scope;
  record.pii = submission.pii;
  record.params_json = std::move(submission.params_json);
  record.created_ms = NowMs();
  record.summary_json = "{}";

  const std::string dir = JobDir(record.id);
  PADAN_RETURN_IF_ERROR(MakeDir(dir));
  PADAN_RETURN_IF_ERROR(MakeDir(StrCat(dir, "/", kInputDir)));
  PADAN_RETURN_IF_ERROR(MakeDir(StrCat(dir, "/", kResultDir)));
  auto abandon = [&](absl::Status status) {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    return status;
  };
  for (std::string_view wanted : type->inputs()) {
    auto input = std::find_if(submission.inputs.begin(), submission.inputs.end(),
                              [&](const JobSubmission::Input& in) { return in.name == wanted; });
    if (input == submission.inputs.end()) {
      return abandon(absl::InvalidArgumentError(StrCat("missing input ", wanted)));
    }
    std::string file = StrCat(wanted, input->extension);
    if (::rename(input->path.c_str(), StrCat(dir, "/", kInputDir, "/", file).c_str()) != 0) {
      return abandon(ErrnoToStatus(errno, "move upload", input->path));
    }
    record.inputs.push_back(std::move(file));
  }
  if (absl::Status status = Persist(record); !status.ok()) return abandon(status);

  std::lock_guard lock(mu_);
  auto entry = std::make_unique<Entry>();
  entry->record = record;
  jobs_.emplace(record.id, std::move(entry));
  queue_.push_back(record.id);
  cv_.notify_one();
  return record;
}

JobStatus JobRunner::StatusOf(const Entry& entry) const {
  JobStatus status;
  status.record = entry.record;
  status.cancel_requested = entry.cancel.load(std::memory_order_relaxed);
  if (entry.record.state == JobState::kDone && entry.record.finished_ms > entry.record.started_ms) {
    // The last phase's average over the run: what a caller compares runs by.
    status.rate = static_cast<double>(entry.record.done) * 1000.0 /
                  static_cast<double>(entry.record.finished_ms - entry.record.started_ms);
  }
  if (entry.record.state == JobState::kRunning) {
    double seconds = std::chrono::duration<double>(Clock::now() - entry.phase_start).count();
    if (seconds > 0) status.rate = static_cast<double>(entry.record.done) / seconds;
    if (status.rate > 0 && entry.record.total >= entry.record.done && entry.record.total > 0) {
      status.eta_seconds =
          static_cast<double>(entry.record.total - entry.record.done) / status.rate;
    }
  }
  return status;
}

absl::StatusOr<JobStatus> JobRunner::Get(std::string_view id) const {
  std::lock_guard lock(mu_);
  auto it = jobs_.find(ToAbsl(id));
  if (it == jobs_.end()) return absl::NotFoundError(StrCat("no job ", id));
  return StatusOf(*it->second);
}

std::vector<JobStatus> JobRunner::List() const {
  std::vector<JobStatus> all;
  {
    std::lock_guard lock(mu_);
    all.reserve(jobs_.size());
    for (const auto& [id, entry] : jobs_) all.push_back(StatusOf(*entry));
  }
  std::sort(all.begin(), all.end(), [](const JobStatus& a, const JobStatus& b) {
    if (a.record.created_ms != b.record.created_ms) {
      return a.record.created_ms > b.record.created_ms;
    }
    return a.record.id > b.record.id;
  });
  return all;
}

absl::StatusOr<JobStatus> JobRunner::Cancel(std::string_view id) {
  std::lock_guard lock(mu_);
  auto it = jobs_.find(ToAbsl(id));
  if (it == jobs_.end()) return absl::NotFoundError(StrCat("no job ", id));
  Entry& entry = *it->second;
  if (IsFinished(entry.record.state)) {
    return absl::FailedPreconditionError(
        StrCat("job ", id, " is already ", JobStateName(entry.record.state)));
  }
  entry.cancel.store(true, std::memory_order_relaxed);
  if (entry.record.state == JobState::kQueued) {
    queue_.erase(std::remove(queue_.begin(), queue_.end(), entry.record.id), queue_.end());
    entry.record.state = JobState::kCancelled;
    entry.record.error = "cancelled before it started";
    entry.record.finished_ms = NowMs();
    PADAN_RETURN_IF_ERROR(Persist(entry.record));
  }
  return StatusOf(entry);
}

absl::Status JobRunner::Delete(std::string_view id) {
  std::lock_guard lock(mu_);
  auto it = jobs_.find(ToAbsl(id));
  if (it == jobs_.end()) return absl::NotFoundError(StrCat("no job ", id));
  if (!IsFinished(it->second->record.state)) {
    return absl::FailedPreconditionError(
        StrCat("job ", id, " is ", JobStateName(it->second->record.state), "; cancel it first"));
  }
  std::error_code error;
  fs::remove_all(JobDir(id), error);
  if (error) return ErrnoToStatus(error.value(), "remove", JobDir(id));
  jobs_.erase(it);
  return absl::OkStatus();
}

absl::StatusOr<std::string> JobRunner::ResultPath(std::string_view id,
                                                  std::string_view name) const {
  std::lock_guard lock(mu_);
  auto it = jobs_.find(ToAbsl(id));
  if (it == jobs_.end()) return absl::NotFoundError(StrCat("no job ", id));
  for (const JobResultFile& file : it->second->record.results) {
    if (file.name == name) return StrCat(JobDir(id), "/", kResultDir, "/", file.name);
  }
  return absl::NotFoundError(StrCat("job ", id, " has no result file ", name));
}

JobRunner::Counts JobRunner::CountByState() const {
  std::lock_guard lock(mu_);
  Counts counts;
  for (const auto& [id, entry] : jobs_) {
    switch (entry->record.state) {
      case JobState::kQueued:
        ++counts.queued;
        break;
      case JobState::kRunning:
        ++counts.running;
        break;
      case JobState::kDone:
        ++counts.done;
        break;
      case JobState::kFailed:
        ++counts.failed;
        break;
      case JobState::kCancelled:
        ++counts.cancelled;
        break;
    }
  }
  return counts;
}

void JobRunner::Work() {
  // Below the request threads: a job takes the CPU they leave. Threads the job's engine call
  // starts inherit this value.
  if (options_.nice != 0) {
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), options_.nice);
  }
  while (true) {
    Entry* entry = nullptr;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      auto it = jobs_.find(queue_.front());
      queue_.pop_front();
      if (it == jobs_.end()) continue;
      entry = it->second.get();
      entry->record.state = JobState::kRunning;
      entry->record.started_ms = NowMs();
      entry->phase_start = Clock::now();
      if (absl::Status status = Persist(entry->record); !status.ok()) {
        std::fprintf(stderr, "padan serve: job %s: %s\n", entry->record.id.c_str(),
                     std::string(status.message()).c_str());
      }
    }
    RunOne(*entry);
  }
}

void JobRunner::RunOne(Entry& entry) {
  JobRecord job;
  {
    std::lock_guard lock(mu_);
    job = entry.record;
  }
  const std::string dir = JobDir(job.id);
  const std::string result_dir = StrCat(dir, "/", kResultDir);
  BatchControl control;
  control.cancel = &entry.cancel;
  control.progress = [this, &entry](std::string_view phase, uint64_t done, uint64_t total) {
    std::lock_guard lock(mu_);
    if (phase != entry.record.phase) {
      entry.record.phase = std::string(phase);
      entry.phase_start = Clock::now();
    }
    entry.record.done = done;
    entry.record.total = total;
  };
  const JobType* type = FindType(job.type);
  absl::StatusOr<JobOutput> output =
      type == nullptr
          ? absl::StatusOr<JobOutput>(absl::InternalError(StrCat("unknown job type ", job.type)))
          : type->Run(JobRun{job, StrCat(dir, "/", kInputDir), result_dir, backend_,
                             options_.threads_per_job, control});

  std::lock_guard lock(mu_);
  JobRecord& record = entry.record;
  record.finished_ms = NowMs();
  if (output.ok() && !entry.cancel.load()) {
    record.state = JobState::kDone;
    record.results = std::move(output->results);
    for (JobResultFile& file : record.results) {
      struct stat info;
      if (::stat(StrCat(result_dir, "/", file.name).c_str(), &info) == 0) {
        file.bytes = static_cast<uint64_t>(info.st_size);
      }
    }
    record.summary_json = std::move(output->summary_json);
  } else {
    // Partial results are no results: a caller must never take half a file for the answer.
    std::error_code ignored;
    fs::remove_all(result_dir, ignored);
    fs::create_directory(result_dir, ignored);
    if (entry.shutdown) {
      record.state = JobState::kFailed;
      record.error = "interrupted: the server shut down while the job was running; submit it again";
    } else if (entry.cancel.load() || output.status().code() == absl::StatusCode::kCancelled) {
      record.state = JobState::kCancelled;
      record.error = "cancelled while running";
    } else {
      record.state = JobState::kFailed;
      record.error = std::string(output.status().message());
    }
  }
  if (absl::Status status = Persist(record); !status.ok()) {
    std::fprintf(stderr, "padan serve: job %s: %s\n", record.id.c_str(),
                 std::string(status.message()).c_str());
  }
}

void JobRunner::Shutdown() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
    for (auto& [id, entry] : jobs_) {
      if (entry->record.state == JobState::kRunning) {
        entry->shutdown = true;
        entry->cancel.store(true);
      }
    }
    cv_.notify_all();
    sweep_cv_.notify_all();
  }
  for (std::thread& worker : workers_) worker.join();
  workers_.clear();
  if (sweeper_.joinable()) sweeper_.join();
}

}  // namespace padan
