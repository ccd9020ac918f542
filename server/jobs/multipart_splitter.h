// SplitMultipart: turns an uploaded multipart/form-data body (RFC 7578), already streamed to a
// file, into one file per part — so a job's inputs of any size reach the disk without ever being
// held in memory, and `curl -F job=... -F input=@list.csv` is all a caller needs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace padan {

struct MultipartPart {
  std::string name;          // form field name (Content-Disposition name=)
  std::string filename;      // as the client sent it; "" for a plain field
  std::string content_type;  // "" when the part has none
  std::string path;          // where its content was written
  uint64_t bytes = 0;
};

// The boundary parameter of a multipart/form-data Content-Type, or nullopt when the type is not
// multipart/form-data or names no boundary.
std::optional<std::string> MultipartBoundary(std::string_view content_type);

// Splits `body_path` into `out_dir`/part-<n> files, in order. Memory stays bounded whatever the
// parts' sizes. kInvalidArgument (field "body") for a malformed body: no opening boundary,
// headers of a part too long or without a name, more than `max_parts` parts, a missing closing
// boundary. `out_dir` must exist; the caller removes it on error.
absl::StatusOr<std::vector<MultipartPart>> SplitMultipart(const std::string& body_path,
                                                          std::string_view boundary,
                                                          const std::string& out_dir,
                                                          size_t max_parts);

}  // namespace padan
