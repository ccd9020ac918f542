// AuditLog: the append-only NDJSON record of every request that returns registry records (DESIGN
// §6): when, which key, which route, the query (NIKs hashed), which ids came back, the status.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace padan {

// `time` as the audit log writes it: UTC to the millisecond, "2026-11-29T13:45:07.123Z".
std::string AuditTimestamp(int64_t unix_millis);

// One audited request. The query is a flat list of name → value; values named "nik" or
// "no_kk" and any 16-digit run elsewhere are hashed before they are written.
struct AuditEntry {
  std::string request_id;
  std::string key_id;
  std::string method;
  std::string route;  // the route pattern, e.g. "/v1/nik/:nik"
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::string> ids;  // id_art / id_keluarga returned, in order
  int status = 0;
};

// Thread-safe. Write formats the line and appends it to a buffer; a background thread writes the
// buffer to the file (opened O_APPEND) every kFlushInterval, in order, so a request never waits
// on the disk or on another request's write(2). A full buffer is written by the caller itself
// (back-pressure rather than unbounded memory). Lines reach the file within kFlushInterval; a
// kill -9 can lose that much, a clean shutdown (the destructor flushes) loses nothing.
class AuditLog {
 public:
  static constexpr std::chrono::milliseconds kFlushInterval{50};
  static constexpr size_t kMaxBufferBytes = 1 << 20;

  // Opens (creating) `path` for appending. `salt` keys the NIK hashes, so a stolen log cannot be
  // reversed by hashing every possible NIK without also knowing the salt.
  static absl::StatusOr<std::unique_ptr<AuditLog>> Open(const std::string& path, std::string salt);
  ~AuditLog();  // flushes

  void Write(const AuditEntry& entry) ABSL_LOCKS_EXCLUDED(mu_);
  // Writes every line accepted so far to the file before returning.
  void Flush() ABSL_LOCKS_EXCLUDED(mu_, file_mu_);
  // The hash written in place of a NIK: "sha256:" + the first 16 hex digits of
  // SHA-256(salt + digits).
  std::string HashNik(std::string_view nik) const;

  uint64_t lines_written() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  AuditLog(int fd, std::string salt);
  std::string HashSixteenDigitRuns(std::string_view text) const;
  void FlushLoop();
  void WriteToFile(const std::string& bytes) ABSL_EXCLUSIVE_LOCKS_REQUIRED(file_mu_);

  const int fd_;
  const std::string salt_;
  mutable absl::Mutex mu_;
  std::string buffer_ ABSL_GUARDED_BY(mu_);
  uint64_t lines_ ABSL_GUARDED_BY(mu_) = 0;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  // Held while writing, so buffers reach the file in the order they were filled.
  absl::Mutex file_mu_ ABSL_ACQUIRED_AFTER(mu_);
  std::thread flusher_;
};

}  // namespace padan
