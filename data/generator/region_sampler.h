// RegionSampler: where generated households live. Kab/kota are drawn in proportion to their
// population (Dukcapil semester II 2024), desa uniformly within the kab/kota, from the 2025
// edition of the region table.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

#include "data/generator/alias_table.h"
#include "data/generator/name_custom_table.h"
#include "data/generator/random.h"
#include "data/population_table.h"
#include "data/region_table.h"

namespace padan::gen {

// One desa/kelurahan a household can be placed in, with its ancestors' names as the SIKS-NG
// export writes them (2025 edition). Views point into the RegionTable.
struct DesaInfo {
  KodeWilayah code = 0;    // 10 digits
  uint32_t kecamatan = 0;  // index into RegionSampler::kecamatan()
  uint32_t kab_kota = 0;   // index into RegionSampler::kab_kota()
  std::string_view provinsi_nama;
  std::string_view kecamatan_nama;
  std::string_view nama;
  bool is_kelurahan = false;
};

struct KecamatanInfo {
  KodeWilayah code = 0;  // 6 digits
  uint32_t kab_kota = 0;
  uint32_t desa_begin = 0;  // eligible desa [desa_begin, desa_end) in RegionSampler::desa()
  uint32_t desa_end = 0;
};

struct KabKotaInfo {
  KodeWilayah code = 0;   // 4 digits
  std::string_view nama;  // "Kabupaten Bogor"
  std::string bare_name;  // "Bogor": how a birthplace is written
  bool is_kota = false;
  int64_t population = 0;
  uint32_t desa_begin = 0;
  uint32_t desa_end = 0;
  uint32_t kecamatan_begin = 0;  // [kecamatan_begin, kecamatan_end) in kecamatan()
  uint32_t kecamatan_end = 0;
  const CustomMix* customs = nullptr;  // naming customs of its families
};

// How far from a given desa a related household is placed.
enum class Nearness : uint8_t { kSameDesa, kSameKecamatan, kSameKabKota, kAnywhere };

// Immutable after construction; thread-safe for concurrent const use with separate Rngs.
// Holds views into `regions`, which must outlive it. About 10 MB.
class RegionSampler {
 public:
  // Desa whose name repeats within their kecamatan are left out (32 desa, 16 names in the 2025
  // edition): a SIKS-NG export names regions and could not tell them apart. Returns
  // kFailedPrecondition when a kab/kota has no population row or no naming-custom mix.
  static absl::StatusOr<std::unique_ptr<RegionSampler>> Create(const RegionTable& regions,
                                                               const PopulationTable& population,
                                                               const NameCustomTable& customs);

  // A desa for a new household: kab/kota by population, desa uniform within it.
  uint32_t SampleDesa(Rng& rng) const;
  // A kab/kota by population.
  uint32_t SampleKabKota(Rng& rng) const;
  // A desa at `nearness` from `desa`; another desa than `desa` when one exists, except for
  // kSameDesa.
  uint32_t SampleDesaNear(uint32_t desa, Nearness nearness, Rng& rng) const;
  // Any desa of a kab/kota.
  uint32_t SampleDesaInKabKota(uint32_t kab_kota, Rng& rng) const;
  // Any kecamatan code of a kab/kota (for a NIK issued elsewhere in it).
  KodeWilayah SampleKecamatanInKabKota(uint32_t kab_kota, Rng& rng) const;

  const std::vector<DesaInfo>& desa() const { return desa_; }
  const std::vector<KecamatanInfo>& kecamatan() const { return kecamatan_; }
  const std::vector<KabKotaInfo>& kab_kota() const { return kab_kota_; }
  // The index of an eligible desa, or nullopt.
  std::optional<uint32_t> FindDesa(KodeWilayah code) const;
  // The number of desa left out because their name repeats within the kecamatan.
  size_t skipped_ambiguous() const { return skipped_ambiguous_; }

 private:
  RegionSampler() = default;

  std::vector<DesaInfo> desa_;
  std::vector<KecamatanInfo> kecamatan_;
  std::vector<KabKotaInfo> kab_kota_;
  absl::flat_hash_map<KodeWilayah, uint32_t> desa_index_;
  AliasTable kab_kota_alias_;
  size_t skipped_ambiguous_ = 0;
};

}  // namespace padan::gen
