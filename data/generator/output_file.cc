#include "data/generator/output_file.h"

#include <cerrno>
#include <cstring>

#include "data/absl_strings.h"
#include "data/file_io.h"

namespace padan::gen {
namespace {

// Large sequential writes: one 8 MiB write per flush keeps a 2.5 GB file fast to produce.
constexpr size_t kBufferBytes = 8 << 20;


}  // namespace

absl::StatusOr<std::unique_ptr<OutputFile>> OutputFile::Open(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return ErrnoToStatus(errno, "cannot create", path);
  return std::unique_ptr<OutputFile>(new OutputFile(file, path));
}

OutputFile::OutputFile(std::FILE* file, std::string path) : file_(file), path_(std::move(path)) {
  buffer_.reserve(kBufferBytes);
}

OutputFile::~OutputFile() { Close().IgnoreError(); }

absl::Status OutputFile::Append(std::string_view bytes) {
  if (!status_.ok()) return status_;
  bytes_ += bytes.size();
  if (buffer_.size() + bytes.size() > kBufferBytes) {
    absl::Status flushed = Flush();
    if (!flushed.ok()) return flushed;
    if (bytes.size() >= kBufferBytes) {
      if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
        status_ = ErrnoToStatus(errno, "cannot write", path_);
      }
      return status_;
    }
  }
  buffer_.append(bytes);
  return absl::OkStatus();
}

absl::Status OutputFile::Flush() {
  if (!status_.ok() || buffer_.empty()) return status_;
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
    status_ = ErrnoToStatus(errno, "cannot write", path_);
  }
  buffer_.clear();
  return status_;
}

absl::Status OutputFile::Close() {
  if (file_ == nullptr) return status_;
  absl::Status flushed = Flush();
  if (std::fclose(file_) != 0 && status_.ok()) status_ = ErrnoToStatus(errno, "cannot close", path_);
  file_ = nullptr;
  return flushed.ok() ? status_ : flushed;
}

}  // namespace padan::gen
