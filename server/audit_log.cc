#include "server/audit_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>

#include "absl/time/clock.h"
#include "absl/time/time.h"

#include "data/absl_strings.h"
#include "data/file_io.h"
#include "data/json_writer.h"
#include "server/sha256.h"

namespace padan {
namespace {

// A NIK or No KK is 16 digits (data/nik.h); any such run in free text is treated as one.
constexpr size_t kIdDigits = 16;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string AuditTimestamp(int64_t unix_millis) {
  // Requests of one second share everything up to the milliseconds: the date and time are
  // formatted once per second and thread (absl::FormatTime per line was 1.5 % of a NIK lookup).
  thread_local int64_t cached_second = INT64_MIN;
  thread_local std::string cached;  // "2026-11-29T13:45:07."
  int64_t second = unix_millis / 1000;
  int64_t millis = unix_millis % 1000;
  if (millis < 0) {
    millis += 1000;
    --second;
  }
  if (second != cached_second) {
    cached =
        absl::FormatTime("%Y-%m-%dT%H:%M:%S.", absl::FromUnixSeconds(second), absl::UTCTimeZone());
    cached_second = second;
  }
  std::string out = cached;
  out.push_back(static_cast<char>('0' + millis / 100));
  out.push_back(static_cast<char>('0' + millis / 10 % 10));
  out.push_back(static_cast<char>('0' + millis % 10));
  out.push_back('Z');
  return out;
}

absl::StatusOr<std::unique_ptr<AuditLog>> AuditLog::Open(const std::string& path,
                                                         std::string salt) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) return ErrnoToStatus(errno, "open audit log", path);
  return std::unique_ptr<AuditLog>(new AuditLog(fd, std::move(salt)));
}

AuditLog::AuditLog(int fd, std::string salt) : fd_(fd), salt_(std::move(salt)) {
  flusher_ = std::thread([this] { FlushLoop(); });
}

AuditLog::~AuditLog() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  flusher_.join();
  Flush();
  ::close(fd_);
}

void AuditLog::FlushLoop() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(&stop_), absl::FromChrono(kFlushInterval));
      if (stop_) return;
    }
    Flush();
  }
}

void AuditLog::Flush() {
  absl::MutexLock file_lock(&file_mu_);
  std::string bytes;
  {
    absl::MutexLock lock(&mu_);
    bytes.swap(buffer_);
  }
  WriteToFile(bytes);
}

void AuditLog::WriteToFile(const std::string& bytes) {
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::write(fd_, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      // A failing disk shows in /metrics: padan_audit_lines_total keeps rising while the file
      // does not grow; the server's operators alert on the file, not on this process.
      std::fprintf(stderr, "padan serve: audit log write failed: %s\n", std::strerror(errno));
      return;
    }
    written += static_cast<size_t>(n);
  }
}

std::string AuditLog::HashNik(std::string_view nik) const {
  return StrCat("sha256:", Sha256Hex(StrCat(salt_, nik)).substr(0, 16));
}

std::string AuditLog::HashSixteenDigitRuns(std::string_view text) const {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (!IsDigit(text[i])) {
      out.push_back(text[i++]);
      continue;
    }
    size_t end = i;
    while (end < text.size() && IsDigit(text[end])) ++end;
    std::string_view run = text.substr(i, end - i);
    if (run.size() >= kIdDigits - 2) {
      // Near-complete NIKs (a digit dropped or added) identify a person as well as whole ones.
      out += HashNik(run);
    } else {
      out.append(run);
    }
    i = end;
  }
  return out;
}

void AuditLog::Write(const AuditEntry& entry) {
  JsonWriter json;
  json.BeginObject();
  json.Member("time", AuditTimestamp(absl::ToUnixMillis(absl::Now())));
  json.Member("request_id", entry.request_id);
  json.Member("key_id", entry.key_id);
  json.Member("method", entry.method);
  json.Member("route", entry.route);
  json.Key("query").BeginObject();
  for (const auto& [name, value] : entry.query) {
    json.Member(name, HashSixteenDigitRuns(value));
  }
  json.EndObject();
  json.Key("ids").BeginArray();
  for (const std::string& id : entry.ids) json.String(id);
  json.EndArray();
  json.Member("status", entry.status);
  json.EndObject();
  std::string line = json.Release();
  line.push_back('\n');
  bool full;
  {
    absl::MutexLock lock(&mu_);
    buffer_.append(line);
    ++lines_;
    full = buffer_.size() >= kMaxBufferBytes;
  }
  if (full) Flush();
}

uint64_t AuditLog::lines_written() const {
  absl::MutexLock lock(&mu_);
  return lines_;
}

}  // namespace padan
