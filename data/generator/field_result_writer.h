// FieldResultWriter: the verivali field results in the two forms they reach the ministry: a
// PAPI data-entry CSV (one row per member, codes as on the paper form) and CAPI NDJSON (one
// household object per line with an "anggota" array). Both carry only what an enumerator
// writes: no pre-list ids and no outcome.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "data/generator/prelist_generator.h"
#include "data/generator/region_sampler.h"

namespace padan::gen {

inline constexpr std::string_view kPapiHeader =
    "kode_desa,nama_desa,no_urut_ruta,nama_krt,alamat,rt,rw,no_kk,no_art,nama_art,nik,"
    "jenis_kelamin,tanggal_lahir,umur,hubungan_krt,status_kawin,status_art";

// The id of a field record in prelist_truth.csv: "<kode_desa>-<no_urut_ruta>-<no_art>", the
// three numbers an enumerator's form carries ("3201012001-7-2").
std::string FieldRecordId(KodeWilayah desa, int no_urut_ruta, int no_art);

// PAPI and CAPI codes (DTKS questionnaire numbering).
int HubunganCode(Hubungan hubungan);      // 1 kepala .. 8 lainnya
int StatusKawinCode(StatusKawin status);  // 1 belum kawin .. 4 cerai mati

// Holds a reference to the sampler, which must outlive it. Stateless; thread-safe.
class FieldResultWriter {
 public:
  explicit FieldResultWriter(const RegionSampler& regions);

  // Appends the household's PAPI rows: one per member, numbered from 1 in order. The NIKs and
  // the No KK written are members[i].person.nik and no_kk (0: left empty); `no_urut_ruta` is
  // the household's number within its desa.
  void AppendPapi(const FieldHousehold& household, int no_urut_ruta, std::string* out) const;
  // Appends the household as one CAPI JSON line.
  void AppendCapi(const FieldHousehold& household, int no_urut_ruta, std::string* out) const;

 private:
  const RegionSampler& regions_;
};

}  // namespace padan::gen
