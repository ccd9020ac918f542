#include "server/request_context.h"

#include <charconv>

#include "data/absl_strings.h"
#include "data/field_error.h"
#include "data/region_table.h"
#include "server/api_error.h"

namespace padan {

std::string_view RequestContext::Param(std::string_view name) const {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return {};
}

std::optional<std::string_view> RequestContext::Query(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

absl::StatusOr<size_t> RequestContext::QueryCount(std::string_view name, size_t fallback,
                                                  size_t min, size_t max) const {
  std::optional<std::string_view> text = Query(name);
  if (!text.has_value()) return fallback;
  size_t value = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value < min || value > max) {
    return InvalidField(name, StrCat("must be an integer ", min, "-", max));
  }
  return value;
}

absl::Status RequestContext::OnlyQueryParams(
    std::initializer_list<std::string_view> allowed) const {
  for (size_t i = 0; i < query.size(); ++i) {
    const std::string& name = query[i].first;
    bool known = false;
    for (std::string_view candidate : allowed) known = known || candidate == name;
    if (!known) return InvalidField(name, "unknown query parameter");
    for (size_t j = 0; j < i; ++j) {
      if (query[j].first == name) return InvalidField(name, "given more than once");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Scope> RequestContext::ReadScope(std::string_view wilayah) const {
  Scope key_scope = key != nullptr ? key->scope : Scope::National();
  if (wilayah.empty()) return key_scope;
  absl::StatusOr<KodeWilayah> code = ParseKodeWilayah(wilayah);
  if (!code.ok()) return InvalidField("wilayah", "must be a region code of 2, 4, 6 or 10 digits");
  absl::StatusOr<Scope> requested = Scope::FromCode(*code);
  if (!requested.ok()) {
    return InvalidField("wilayah", "must be a region code of 2, 4, 6 or 10 digits");
  }
  if (key_scope.Covers(*requested)) return *requested;
  // A region inside the requested one may still be the key's: search the key's part of it.
  if (requested->Covers(key_scope)) return key_scope;
  return FieldError(absl::StatusCode::kPermissionDenied, "wilayah",
                    StrCat("outside this key's region ", FormatKodeWilayah(key_scope.code())));
}

}  // namespace padan
