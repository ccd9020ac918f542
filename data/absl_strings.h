// Bridges std::string_view to Debian 12's abseil, which is built with its own absl::string_view
// class (ABSL_OPTION_USE_STD_STRING_VIEW 0), so absl::StrCat and friends do not accept a
// std::string_view. padan's code uses std::string_view everywhere and calls these instead.
#pragma once

#include <string>
#include <string_view>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace padan {

inline absl::string_view ToAbsl(std::string_view s) { return {s.data(), s.size()}; }
inline std::string_view FromAbsl(absl::string_view s) { return {s.data(), s.size()}; }

namespace internal {
template <typename T>
decltype(auto) AlphaNumArg(const T& value) {
  if constexpr (std::is_same_v<T, std::string_view>) {
    return ToAbsl(value);
  } else {
    return (value);
  }
}
}  // namespace internal

// absl::StrCat / absl::StrAppend that also take std::string_view arguments.
template <typename... Args>
std::string StrCat(const Args&... args) {
  return absl::StrCat(internal::AlphaNumArg(args)...);
}
template <typename... Args>
void StrAppend(std::string* out, const Args&... args) {
  absl::StrAppend(out, internal::AlphaNumArg(args)...);
}

}  // namespace padan
