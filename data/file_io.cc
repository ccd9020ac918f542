#include "data/file_io.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "data/absl_strings.h"

namespace padan {

absl::Status ErrnoToStatus(int error, std::string_view action, std::string_view path) {
  std::string message = StrCat(action, " ", path, ": ", std::strerror(error));
  if (error == ENOENT) return absl::NotFoundError(message);
  if (error == EACCES || error == EPERM) return absl::PermissionDeniedError(message);
  if (error == ENOSPC) return absl::ResourceExhaustedError(message);
  return absl::InternalError(message);
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return ErrnoToStatus(errno, "cannot open", path);
  std::string content;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) content.append(buffer, n);
  bool failed = std::ferror(file) != 0;
  int error = errno;
  std::fclose(file);
  if (failed) return ErrnoToStatus(error, "cannot read", path);
  return content;
}

absl::Status WriteWholeFile(const std::string& path, std::string_view content) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return ErrnoToStatus(errno, "cannot create", path);
  bool ok = std::fwrite(content.data(), 1, content.size(), file) == content.size();
  int error = errno;
  ok = std::fclose(file) == 0 && ok;
  if (!ok) return ErrnoToStatus(error != 0 ? error : EIO, "cannot write", path);
  return absl::OkStatus();
}

}  // namespace padan
