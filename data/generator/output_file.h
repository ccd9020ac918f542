// OutputFile: a file written through a large buffer, for the generator's multi-gigabyte
// outputs; reports write errors (disk full) as a Status instead of losing them.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace padan::gen {

// Owns its file. Not thread-safe. Close() flushes; the destructor closes and drops errors.
class OutputFile {
 public:
  // Creates or truncates `path`. kPermissionDenied, kNotFound or kInternal on failure.
  static absl::StatusOr<std::unique_ptr<OutputFile>> Open(const std::string& path);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Appends bytes; flushes when the buffer is full. Returns the first write error, then
  // keeps returning it.
  absl::Status Append(std::string_view bytes);
  absl::Status Close();

  const std::string& path() const { return path_; }
  uint64_t bytes_written() const { return bytes_; }

 private:
  OutputFile(std::FILE* file, std::string path);
  absl::Status Flush();

  std::FILE* file_;
  std::string path_;
  std::string buffer_;
  uint64_t bytes_ = 0;
  absl::Status status_;
};

}  // namespace padan::gen
