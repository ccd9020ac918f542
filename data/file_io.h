// Small file helpers shared by every layer: reading a whole (small) file and turning an errno
// into the absl status code it means.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace padan {

// "<action> <path>: <strerror>", with the code that fits: kNotFound (ENOENT),
// kPermissionDenied (EACCES, EPERM), kResourceExhausted (ENOSPC, a full disk), else kInternal.
absl::Status ErrnoToStatus(int error, std::string_view action, std::string_view path);

// The whole content of `path` (mapping files, models, specs: small files). kNotFound /
// kPermissionDenied / kInternal as ErrnoToStatus.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

// Writes `content` to `path`, replacing it (no fsync: for scratch files).
absl::Status WriteWholeFile(const std::string& path, std::string_view content);

}  // namespace padan
