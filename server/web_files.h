// The files under server/web/ (the officers' search page, the OpenAPI document), compiled into
// the binary by cmake/EmbedFiles.cmake so `padan serve` needs no install step.
#pragma once

#include <optional>
#include <string_view>

namespace padan {

// The bytes of server/web/<name>, or nullopt. Valid for the life of the process.
std::optional<std::string_view> WebFile(std::string_view name);

}  // namespace padan
