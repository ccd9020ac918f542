// AuditLog: the append-only NDJSON record of every request that returns registry records (DESIGN
// §6): when, which key, which route, the query (NIKs hashed), which ids came back, the status.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace padan {

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

// Thread-safe. Each entry is one write(2) of one line to a file opened O_APPEND, so lines from
// concurrent requests never interleave and a crash loses at most the line being written.
class AuditLog {
 public:
  // Opens (creating) `path` for appending. `salt` keys the NIK hashes, so a stolen log cannot be
  // reversed by hashing every possible NIK without also knowing the salt.
  static absl::StatusOr<std::unique_ptr<AuditLog>> Open(const std::string& path, std::string salt);
  ~AuditLog();

  void Write(const AuditEntry& entry) ABSL_LOCKS_EXCLUDED(mu_);
  // The hash written in place of a NIK: "sha256:" + the first 16 hex digits of
  // SHA-256(salt + digits).
  std::string HashNik(std::string_view nik) const;

  uint64_t lines_written() const;

 private:
  AuditLog(int fd, std::string salt) : fd_(fd), salt_(std::move(salt)) {}
  std::string HashSixteenDigitRuns(std::string_view text) const;

  int fd_;
  std::string salt_;
  mutable absl::Mutex mu_;
  uint64_t lines_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace padan
