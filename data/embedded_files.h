// The reference tables under data/reference/ compiled into the binary (cmake/EmbedFiles.cmake),
// so the padan executable needs no install step and tests need no paths.
#pragma once

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace padan {

// Returns the bytes of the embedded file at `path` relative to data/reference/, e.g.
// "wilayah/wilayah_2025.csv". The view is valid for the life of the process.
// Returns kNotFound when no such file was embedded.
absl::StatusOr<std::string_view> EmbeddedFile(std::string_view path);

// Lists the embedded paths, for --help texts and diagnostics.
std::vector<std::string_view> EmbeddedFilePaths();

}  // namespace padan
