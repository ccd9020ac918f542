// JSON string literals: the one escaper of the project, for the server's responses, the import
// summary and the generator's CAPI files.
#pragma once

#include <string>
#include <string_view>

namespace padan {

// Appends `text` as a quoted, escaped JSON string. Invalid UTF-8 is written as U+FFFD, so the
// output is always valid JSON.
void AppendJsonString(std::string_view text, std::string* out);

// Whether `text` goes into a JSON string as it is: ASCII without control characters, '"' or
// '\\'. Eight bytes at a time.
bool IsPlainJsonText(std::string_view text);

// `text` as a quoted, escaped JSON string.
std::string JsonString(std::string_view text);

}  // namespace padan
