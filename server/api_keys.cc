#include "server/api_keys.h"

#include "re2/re2.h"
#include <simdjson.h>

#include "data/absl_strings.h"
#include "data/file_io.h"
#include "data/region_table.h"
#include "server/sha256.h"

namespace padan {
namespace {

absl::Status KeyError(size_t index, std::string_view field, std::string_view message) {
  return absl::InvalidArgumentError(StrCat("keys[", index, "].", field, ": ", message));
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kPusat:
      return "pusat";
    case Role::kProvinsi:
      return "provinsi";
    case Role::kKabKota:
      return "kabkota";
    case Role::kLayanan:
      return "layanan";
  }
  return "";
}

absl::StatusOr<ApiKeys> ApiKeys::Parse(std::string_view json) {
  static const RE2 kHexHash("[0-9a-f]{64}");
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(json.data(), json.size()).get(root); error) {
    return absl::InvalidArgumentError(
        StrCat("keys file is not JSON: ", simdjson::error_message(error)));
  }
  simdjson::dom::object top;
  simdjson::dom::array list;
  if (root.get(top) || top["keys"].get(list)) {
    return absl::InvalidArgumentError("keys file: expected {\"keys\": [...]}");
  }
  for (auto field : top) {
    if (field.key != "keys") {
      return absl::InvalidArgumentError(StrCat("keys file: unknown field '", field.key, "'"));
    }
  }
  ApiKeys keys;
  size_t index = 0;
  for (simdjson::dom::element item : list) {
    simdjson::dom::object object;
    if (item.get(object)) return KeyError(index, "", "must be an object");
    auto key = std::make_unique<ApiKey>();
    std::string hash;
    std::string_view role_text;
    std::string_view wilayah;
    bool has_pii = false;
    for (auto field : object) {
      std::string_view name = field.key;
      simdjson::dom::element value = field.value;
      if (name == "id") {
        std::string_view id;
        if (value.get(id) || id.empty()) return KeyError(index, name, "must be a non-empty string");
        key->id = std::string(id);
      } else if (name == "sha256") {
        std::string_view text;
        if (value.get(text) || !RE2::FullMatch(text, kHexHash)) {
          return KeyError(index, name, "must be 64 lowercase hex digits (sha256sum of the key)");
        }
        hash = std::string(text);
      } else if (name == "role") {
        if (value.get(role_text)) return KeyError(index, name, "must be a string");
      } else if (name == "wilayah") {
        if (value.get(wilayah)) return KeyError(index, name, "must be a string of digits");
      } else if (name == "pii") {
        if (value.get(key->pii)) return KeyError(index, name, "must be true or false");
        has_pii = true;
      } else if (name == "rate_per_second" || name == "burst") {
        double number;
        if (value.get(number) || number < 0) {
          return KeyError(index, name, "must be a number >= 0");
        }
        (name == "burst" ? key->burst : key->rate_per_second) = number;
      } else {
        return KeyError(index, name, "unknown field");
      }
    }
    if (key->id.empty()) return KeyError(index, "id", "is required");
    if (hash.empty()) return KeyError(index, "sha256", "is required");
    size_t wilayah_digits = wilayah.size();
    if (role_text == "pusat") {
      key->role = Role::kPusat;
      if (wilayah_digits != 0) return KeyError(index, "wilayah", "must be empty for role pusat");
    } else if (role_text == "provinsi") {
      key->role = Role::kProvinsi;
      if (wilayah_digits != 2) return KeyError(index, "wilayah", "must be 2 digits for provinsi");
    } else if (role_text == "kabkota") {
      key->role = Role::kKabKota;
      if (wilayah_digits != 4) return KeyError(index, "wilayah", "must be 4 digits for kabkota");
    } else if (role_text == "layanan") {
      key->role = Role::kLayanan;
    } else {
      return KeyError(index, "role", "must be pusat, provinsi, kabkota or layanan");
    }
    if (!wilayah.empty()) {
      absl::StatusOr<KodeWilayah> code = ParseKodeWilayah(wilayah);
      if (!code.ok()) return KeyError(index, "wilayah", FromAbsl(code.status().message()));
      absl::StatusOr<Scope> scope = Scope::FromCode(*code);
      if (!scope.ok()) return KeyError(index, "wilayah", FromAbsl(scope.status().message()));
      key->scope = *scope;
    }
    if (!has_pii) key->pii = key->role == Role::kPusat;
    key->can_write = key->role != Role::kLayanan;
    if (key->burst == 0) key->burst = key->rate_per_second;
    if (keys.by_hash_.contains(hash)) return KeyError(index, "sha256", "duplicate key");
    keys.by_hash_[hash] = key.get();
    keys.keys_.push_back(std::move(key));
    ++index;
  }
  return keys;
}

absl::StatusOr<ApiKeys> ApiKeys::Load(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  absl::StatusOr<ApiKeys> keys = Parse(*text);
  if (!keys.ok())
    return absl::InvalidArgumentError(StrCat(path, ": ", FromAbsl(keys.status().message())));
  return keys;
}

const ApiKey* ApiKeys::Find(std::string_view presented) const {
  if (presented.empty()) return nullptr;
  auto it = by_hash_.find(Sha256Hex(presented));
  return it == by_hash_.end() ? nullptr : it->second;
}

}  // namespace padan
