// ApiKeys: the API keys the server accepts, read from a keys file that stores only their
// SHA-256, each with a role, a region scope, a PII right and a rate limit (DESIGN §6 "Access").
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

#include "index/query_engine.h"

namespace padan {

// pusat: the ministry, national. provinsi / kabkota: a Dinsos, its province / kab-kota.
// layanan: a service calling the match API: read-only, any scope.
enum class Role : uint8_t { kPusat, kProvinsi, kKabKota, kLayanan };
std::string_view RoleName(Role role);

// One key's rights. Value type.
struct ApiKey {
  std::string id;  // shown in the audit log and metrics; never the secret
  Role role = Role::kLayanan;
  Scope scope;       // every read is filtered by it; writes outside it are refused
  bool pii = false;  // sees full NIK and nama_ibu_kandung
  bool can_write = false;
  double rate_per_second = 0;  // 0: unlimited
  double burst = 0;
};

// Immutable after Load; thread-safe for concurrent Find.
class ApiKeys {
 public:
  // The keys file (JSON):
  //   {"keys": [{"id": "dinsos-bogor", "sha256": "<64 hex>", "role": "kabkota",
  //              "wilayah": "3201", "pii": false, "rate_per_second": 50, "burst": 100}]}
  // `wilayah` must fit the role: "" for pusat, 2 digits for provinsi, 4 for kabkota; layanan any.
  // `pii` defaults to true for pusat and false otherwise; layanan never writes.
  // kInvalidArgument naming the key and field for anything else (unknown fields included).
  static absl::StatusOr<ApiKeys> Parse(std::string_view json);
  static absl::StatusOr<ApiKeys> Load(const std::string& path);

  // The key whose hash equals SHA-256(presented), or null.
  const ApiKey* Find(std::string_view presented) const;
  size_t size() const { return keys_.size(); }

 private:
  std::vector<std::unique_ptr<ApiKey>> keys_;
  absl::flat_hash_map<std::string, const ApiKey*> by_hash_;
};

}  // namespace padan
