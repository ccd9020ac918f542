#include "data/embedded_files.h"

#include <utility>

#include "data/absl_strings.h"

namespace padan {
namespace internal {
// Defined in the file that cmake/EmbedFiles.cmake generates.
extern const std::pair<std::string_view, std::string_view> kEmbeddedFiles[];
extern const size_t kEmbeddedFileCount;
}  // namespace internal

absl::StatusOr<std::string_view> EmbeddedFile(std::string_view path) {
  for (size_t i = 0; i < internal::kEmbeddedFileCount; ++i) {
    if (internal::kEmbeddedFiles[i].first == path) return internal::kEmbeddedFiles[i].second;
  }
  return absl::NotFoundError(StrCat("no embedded reference file '", path, "'"));
}

std::vector<std::string_view> EmbeddedFilePaths() {
  std::vector<std::string_view> paths;
  for (size_t i = 0; i < internal::kEmbeddedFileCount; ++i) {
    paths.push_back(internal::kEmbeddedFiles[i].first);
  }
  return paths;
}

}  // namespace padan
