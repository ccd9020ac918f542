// `padan serve`: the HTTP API over a data folder. Listens at once (so /healthz answers and
// /readyz says 503 while loading), opens the folder, then serves until SIGTERM or SIGINT, when it
// drains in-flight requests and closes the folder (syncing the log).
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "data/absl_strings.h"
#include "data/file_io.h"
#include "index/data_folder.h"
#include "server/api_keys.h"
#include "server/api_service.h"
#include "server/audit_log.h"
#include "server/cli/command_line.h"
#include "server/cli/commands.h"
#include "server/free_memory.h"
#include "server/http_server.h"
#include "server/jobs/job_runner.h"
#include "server/server_config.h"
#include "server/serving_backend.h"

namespace padan::cli {
namespace {

// Random bytes of the audit salt, written once per data folder so that the NIK hashes in the
// audit log stay comparable across restarts.
constexpr size_t kSaltBytes = 16;

class DataFolderBackend final : public ServingBackend {
 public:
  explicit DataFolderBackend(std::unique_ptr<DataFolder> folder) : folder_(std::move(folder)) {}
  const QueryEngine& engine() const override { return folder_->engine(); }
  const RegionTable& regions() const override { return folder_->regions(); }
  const Database& database() const override { return folder_->database(); }
  const FellegiSunterModel& model() const override { return folder_->model(); }
  const NameNormalizer& names() const override { return folder_->names(); }
  const AddressNormalizer& addresses() const override { return folder_->addresses(); }
  absl::Status Write(absl::Span<const Mutation> mutations,
                     const Database::Precondition& precondition) override {
    return folder_->Write(mutations, precondition);
  }
  ServingStats Stats() const override {
    DataFolderStats folder = folder_->Stats();
    ServingStats stats;
    stats.persons = folder.persons;
    stats.households = folder.households;
    stats.memory = folder.memory;
    stats.log_bytes = folder.log_bytes;
    stats.last_sequence = folder.last_sequence;
    stats.recovery = folder.recovery;
    stats.model_version = folder.model_version;
    stats.text_index_state = folder.text_index_state;
    stats.text_index_documents = folder.text_index_documents;
    stats.text_index_disk_bytes = folder.text_index_disk_bytes;
    return stats;
  }
  DataFolder& folder() { return *folder_; }

 private:
  std::unique_ptr<DataFolder> folder_;
};

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "padan serve: %s\n", std::string(status.message()).c_str());
  return kExitFailure;
}

absl::StatusOr<std::string> ReadOrCreateSalt(const std::string& path) {
  absl::StatusOr<std::string> existing = ReadWholeFile(path);
  if (existing.ok() && !existing->empty()) return *existing;
  std::random_device random;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string salt;
  for (size_t i = 0; i < kSaltBytes; ++i) {
    unsigned byte = random() & 0xFF;
    salt.push_back(kHex[byte >> 4]);
    salt.push_back(kHex[byte & 0xF]);
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoToStatus(errno, "create", path);
  bool ok = ::write(fd, salt.data(), salt.size()) == static_cast<ssize_t>(salt.size());
  ::fsync(fd);
  ::close(fd);
  if (!ok) return absl::DataLossError(StrCat("could not write ", path));
  return salt;
}

// Coordinates the main thread, the signal thread and the loading thread.
struct Lifecycle {
  std::mutex mu;
  std::condition_variable cv;
  bool stop_requested = false;  // SIGTERM / SIGINT
  bool load_failed = false;
};

}  // namespace

int RunServe(const Args& args) {
  CommandLine command_line(
      "serve",
      "Serves the v1 HTTP API (DESIGN §6) over a data folder made by `padan import --data`:\n"
      "search, match, NIK lookup, records, duplicate check and writes, with API keys, region\n"
      "scope, PII masking and an audit log. /readyz answers 503 until the folder is loaded.\n"
      "SIGTERM or SIGINT drains requests in flight and closes the folder.");
  command_line.AddOption("data", "DIR", "the data folder to serve", /*required=*/true);
  command_line.AddOption("port", "P", "TCP port (default 8080; 0 picks a free one)");
  command_line.AddOption("bind", "ADDR", "address to listen on (default 127.0.0.1)");
  command_line.AddOption("threads", "N", "I/O threads (default: one per core)");
  command_line.AddOption("config", "FILE",
                         "JSON config: bind, port, threads, keys, audit_log, audit_salt, limits "
                         "(see README, Server)");
  command_line.AddOption("keys", "FILE", "API keys file (JSON, SHA-256 of each key)");
  command_line.AddOption("audit-log", "FILE", "append-only audit log (default DIR/audit.ndjson)");
  command_line.AddFlag("no-text-index", "search with the in-memory indexes only (no Xapian)");
  if (absl::Status status = command_line.Parse(args); !status.ok()) {
    std::fprintf(stderr, "padan serve: %s\n\n%s", std::string(status.message()).c_str(),
                 command_line.HelpText().c_str());
    return kExitUsage;
  }
  if (command_line.help_requested()) {
    std::printf("%s", command_line.HelpText().c_str());
    return kExitOk;
  }

  ServerConfig config;
  config.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (command_line.Has("config")) {
    absl::StatusOr<ServerConfig> loaded = ServerConfig::Load(command_line.Get("config"), config);
    if (!loaded.ok()) return Fail(loaded.status());
    config = *std::move(loaded);
  }
  absl::StatusOr<int64_t> port = command_line.GetInt("port", config.port, 0, 65535);
  absl::StatusOr<int64_t> threads = command_line.GetInt("threads", config.threads, 1, 1024);
  if (!port.ok() || !threads.ok()) {
    std::fprintf(stderr, "padan serve: %s\n",
                 std::string((port.ok() ? threads.status() : port.status()).message()).c_str());
    return kExitUsage;
  }
  config.port = static_cast<uint16_t>(*port);
  config.threads = static_cast<int>(*threads);
  config.bind = command_line.Get("bind", config.bind);
  config.keys_file = command_line.Get("keys", config.keys_file);
  std::string dir = command_line.Get("data");
  config.audit_log = command_line.Get("audit-log", config.audit_log);
  if (config.audit_log.empty()) config.audit_log = dir + "/audit.ndjson";
  if (config.keys_file.empty()) {
    std::fprintf(stderr,
                 "padan serve: give the API keys with --keys FILE or \"keys\" in --config\n");
    return kExitUsage;
  }
  struct stat info;
  if (::stat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    std::fprintf(stderr,
                 "padan serve: --data %s is no data folder (make one with padan import --data)\n",
                 dir.c_str());
    return kExitFailure;
  }

  // Signals are taken by one thread with sigwait; every thread started after this (the audit
  // flusher, the I/O threads, the loader) inherits the blocked mask, so a signal never interrupts a
  // handler mid-request.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  absl::StatusOr<ApiKeys> keys = ApiKeys::Load(config.keys_file);
  if (!keys.ok()) return Fail(keys.status());
  if (config.audit_salt.empty()) {
    absl::StatusOr<std::string> salt = ReadOrCreateSalt(dir + "/audit.salt");
    if (!salt.ok()) return Fail(salt.status());
    config.audit_salt = *salt;
  }
  absl::StatusOr<std::unique_ptr<AuditLog>> audit =
      AuditLog::Open(config.audit_log, config.audit_salt);
  if (!audit.ok()) return Fail(audit.status());

  ApiService service(config.limits, &*keys, audit->get());
  HttpServerOptions options;
  options.bind = config.bind;
  options.port = config.port;
  options.threads = config.threads;
  options.worker_threads = config.threads;
  absl::StatusOr<std::unique_ptr<HttpServer>> server = HttpServer::Start(options, service);
  if (!server.ok()) return Fail(server.status());
  std::fprintf(stderr,
               "padan serve: listening on http://%s:%u (%d I/O threads, %d worker threads, %zu "
               "keys)\n",
               config.bind.c_str(), (*server)->port(), config.threads, options.worker_threads,
               keys->size());

  Lifecycle lifecycle;
  std::thread signal_thread([&] {
    int signal = 0;
    sigwait(&signals, &signal);
    std::lock_guard lock(lifecycle.mu);
    lifecycle.stop_requested = true;
    lifecycle.cv.notify_all();
  });

  std::unique_ptr<DataFolderBackend> backend;
  std::unique_ptr<JobRunner> jobs;
  std::thread loader([&] {
    auto start = std::chrono::steady_clock::now();
    DataFolderOptions folder_options;
    folder_options.dir = dir;
    folder_options.text_index = !command_line.Flag("no-text-index");
    absl::StatusOr<std::unique_ptr<DataFolder>> folder = DataFolder::Open(folder_options);
    if (!folder.ok()) {
      std::fprintf(stderr, "padan serve: %s\n", std::string(folder.status().message()).c_str());
      std::lock_guard lock(lifecycle.mu);
      lifecycle.load_failed = true;
      lifecycle.cv.notify_all();
      return;
    }
    backend = std::make_unique<DataFolderBackend>(*std::move(folder));
    JobRunnerOptions job_options;
    job_options.dir = dir + "/jobs";
    job_options.workers = config.jobs.workers;
    job_options.max_queued = config.jobs.max_queued;
    job_options.threads_per_job = config.jobs.threads_per_job;
    job_options.nice = config.jobs.nice;
    job_options.keep_finished_hours = config.jobs.keep_finished_hours;
    absl::StatusOr<std::unique_ptr<JobRunner>> runner =
        JobRunner::Open(job_options, *backend, ServerJobTypes());
    if (runner.ok()) {
      jobs = *std::move(runner);
      service.SetJobs(jobs.get());
    } else {
      // The registry still serves; only batch jobs answer 503.
      std::fprintf(stderr, "padan serve: batch jobs are off: %s\n",
                   std::string(runner.status().message()).c_str());
    }
    ServingStats stats = backend->Stats();
    ReleaseFreeMemory();
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    service.SetBackend(backend.get());
    std::fprintf(stderr,
                 "padan serve: ready: %llu persons in %llu households loaded in %.1f s "
                 "(%llu log entries replayed; text index %s)\n",
                 static_cast<unsigned long long>(stats.persons),
                 static_cast<unsigned long long>(stats.households), seconds,
                 static_cast<unsigned long long>(stats.recovery.log_entries_replayed),
                 stats.text_index_state.c_str());
  });

  bool failed;
  {
    std::unique_lock lock(lifecycle.mu);
    lifecycle.cv.wait(lock, [&] { return lifecycle.stop_requested || lifecycle.load_failed; });
    failed = lifecycle.load_failed && !lifecycle.stop_requested;
  }
  if (!failed) std::fprintf(stderr, "padan serve: shutting down: draining requests in flight\n");
  auto stop_start = std::chrono::steady_clock::now();
  auto seconds_since = [](std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  (*server)->Shutdown();
  std::fprintf(stderr, "padan serve: HTTP stopped in %.1f s\n", seconds_since(stop_start));
  loader.join();  // an interrupted load still runs to its end: the folder must close cleanly
  if (failed) pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  if (jobs != nullptr) {
    auto jobs_start = std::chrono::steady_clock::now();
    jobs->Shutdown();
    std::fprintf(stderr, "padan serve: batch jobs stopped in %.1f s\n", seconds_since(jobs_start));
  }
  if (backend != nullptr) {
    auto close_start = std::chrono::steady_clock::now();
    backend->folder().Close();
    std::fprintf(stderr,
                 "padan serve: data folder closed (log synced, text index committed) in %.1f s\n",
                 seconds_since(close_start));
  }
  std::fprintf(stderr, "padan serve: stopped\n");
  return failed ? kExitFailure : kExitOk;
}

}  // namespace padan::cli
