#include "data/generator/region_sampler.h"

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"

#include "data/absl_strings.h"

namespace padan::gen {
namespace {

// "Kabupaten Administrasi Kepulauan Seribu" -> "Kepulauan Seribu", "Kota Bogor" -> "Bogor".
std::string BareName(std::string_view nama) {
  for (std::string_view prefix : {"Kabupaten ", "Kota "}) {
    if (nama.substr(0, prefix.size()) == prefix) {
      nama.remove_prefix(prefix.size());
      break;
    }
  }
  constexpr std::string_view kAdministrasi = "Administrasi ";
  if (nama.substr(0, kAdministrasi.size()) == kAdministrasi)
    nama.remove_prefix(kAdministrasi.size());
  return std::string(nama);
}

}  // namespace

absl::StatusOr<std::unique_ptr<RegionSampler>> RegionSampler::Create(
    const RegionTable& regions, const PopulationTable& population, const NameCustomTable& customs) {
  std::unique_ptr<RegionSampler> sampler(new RegionSampler());
  std::vector<double> weights;
  for (const Region* kab : regions.AtLevel(RegionLevel::kKabKota)) {
    KabKotaInfo info;
    info.code = kab->code;
    info.nama = kab->nama;
    info.bare_name = BareName(kab->nama);
    info.is_kota = kab->is_kota;
    const RegionPopulation* pop = population.Find(kab->code);
    if (pop == nullptr || pop->total <= 0) {
      return absl::FailedPreconditionError(
          StrCat("no population for kab/kota ", FormatKodeWilayah(kab->code, true)));
    }
    info.population = pop->total;
    info.customs = customs.MixFor(kab->code);
    if (info.customs == nullptr) {
      return absl::FailedPreconditionError(
          StrCat("no naming customs for kab/kota ", FormatKodeWilayah(kab->code, true)));
    }
    const Region* provinsi = regions.Find(kab->parent);
    uint32_t kab_index = static_cast<uint32_t>(sampler->kab_kota_.size());
    info.desa_begin = static_cast<uint32_t>(sampler->desa_.size());
    info.kecamatan_begin = static_cast<uint32_t>(sampler->kecamatan_.size());
    for (const Region* kec : regions.Children(kab->code)) {
      KecamatanInfo kec_info;
      kec_info.code = kec->code;
      kec_info.kab_kota = kab_index;
      kec_info.desa_begin = static_cast<uint32_t>(sampler->desa_.size());
      uint32_t kec_index = static_cast<uint32_t>(sampler->kecamatan_.size());
      std::span<const Region* const> children = regions.Children(kec->code);
      absl::flat_hash_map<std::string, int> name_count;
      for (const Region* desa : children) {
        ++name_count[absl::AsciiStrToLower(ToAbsl(desa->nama))];
      }
      for (const Region* desa : children) {
        if (name_count[absl::AsciiStrToLower(ToAbsl(desa->nama))] > 1) {
          ++sampler->skipped_ambiguous_;
          continue;
        }
        DesaInfo d;
        d.code = desa->code;
        d.kecamatan = kec_index;
        d.kab_kota = kab_index;
        d.provinsi_nama = provinsi == nullptr ? std::string_view() : provinsi->nama;
        d.kecamatan_nama = kec->nama;
        d.nama = desa->nama;
        d.is_kelurahan = desa->is_kelurahan;
        sampler->desa_index_[d.code] = static_cast<uint32_t>(sampler->desa_.size());
        sampler->desa_.push_back(d);
      }
      kec_info.desa_end = static_cast<uint32_t>(sampler->desa_.size());
      sampler->kecamatan_.push_back(kec_info);
    }
    info.desa_end = static_cast<uint32_t>(sampler->desa_.size());
    info.kecamatan_end = static_cast<uint32_t>(sampler->kecamatan_.size());
    // A kab/kota without a desa cannot hold households; weight 0 keeps the indexes aligned.
    weights.push_back(info.desa_end > info.desa_begin ? static_cast<double>(info.population) : 0);
    sampler->kab_kota_.push_back(std::move(info));
  }
  if (sampler->desa_.empty()) {
    return absl::FailedPreconditionError("the region table has no desa");
  }
  sampler->kab_kota_alias_ = AliasTable(weights);
  return sampler;
}

uint32_t RegionSampler::SampleKabKota(Rng& rng) const { return kab_kota_alias_.Sample(rng); }

uint32_t RegionSampler::SampleDesaInKabKota(uint32_t kab_kota, Rng& rng) const {
  const KabKotaInfo& kab = kab_kota_[kab_kota];
  return kab.desa_begin + static_cast<uint32_t>(rng.Uniform(kab.desa_end - kab.desa_begin));
}

uint32_t RegionSampler::SampleDesa(Rng& rng) const {
  return SampleDesaInKabKota(SampleKabKota(rng), rng);
}

uint32_t RegionSampler::SampleDesaNear(uint32_t desa, Nearness nearness, Rng& rng) const {
  uint32_t begin = 0;
  uint32_t end = 0;
  switch (nearness) {
    case Nearness::kSameDesa:
      return desa;
    case Nearness::kSameKecamatan: {
      const KecamatanInfo& kec = kecamatan_[desa_[desa].kecamatan];
      begin = kec.desa_begin;
      end = kec.desa_end;
      break;
    }
    case Nearness::kSameKabKota: {
      const KabKotaInfo& kab = kab_kota_[desa_[desa].kab_kota];
      begin = kab.desa_begin;
      end = kab.desa_end;
      break;
    }
    case Nearness::kAnywhere:
      begin = 0;
      end = static_cast<uint32_t>(desa_.size());
      break;
  }
  if (end - begin <= 1) return desa;
  // Draw among the others: skip over `desa` itself.
  uint32_t pick = begin + static_cast<uint32_t>(rng.Uniform(end - begin - 1));
  return pick >= desa ? pick + 1 : pick;
}

KodeWilayah RegionSampler::SampleKecamatanInKabKota(uint32_t kab_kota, Rng& rng) const {
  const KabKotaInfo& kab = kab_kota_[kab_kota];
  return kecamatan_[kab.kecamatan_begin + rng.Uniform(kab.kecamatan_end - kab.kecamatan_begin)]
      .code;
}

std::optional<uint32_t> RegionSampler::FindDesa(KodeWilayah code) const {
  auto it = desa_index_.find(code);
  if (it == desa_index_.end()) return std::nullopt;
  return it->second;
}

}  // namespace padan::gen
