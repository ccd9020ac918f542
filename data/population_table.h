// PopulationTable: Dukcapil population per provinsi and kab/kota (semester II 2024), used to
// spread generated households like the real population.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

#include "data/region_table.h"

namespace padan {

struct RegionPopulation {
  KodeWilayah code = 0;  // 2-digit provinsi or 4-digit kab/kota
  int64_t pria = 0;
  int64_t wanita = 0;
  int64_t total = 0;
};

// The population of every provinsi and kab/kota, owning its rows (about 25 KB).
// Immutable after construction; thread-safe for concurrent const use.
class PopulationTable {
 public:
  // Loads wilayah/wilayah_penduduk_2024s2.csv from the tables embedded in the binary.
  static absl::StatusOr<std::unique_ptr<PopulationTable>> LoadEmbedded();
  // CSV with columns kode,nama,pria,wanita,total (dotted or plain codes of provinsi and
  // kab/kota; kode 0 = the national row, optional: without it the national total is the sum
  // of the provinces). Returns kInvalidArgument naming the 1-based line of a malformed row:
  // wrong column count, a code of another level, a count that is not a whole number, a total
  // other than pria + wanita, a code given twice.
  static absl::StatusOr<std::unique_ptr<PopulationTable>> FromCsv(std::string_view csv);

  // The row for a 2-digit provinsi or 4-digit kab/kota code (3201 for "32.01"), or nullptr.
  const RegionPopulation* Find(KodeWilayah code) const;
  // Every provinsi row, ordered by code.
  const std::vector<RegionPopulation>& Provinsi() const { return provinsi_; }
  // Every kab/kota row, ordered by code.
  const std::vector<RegionPopulation>& KabKota() const { return kab_kota_; }
  int64_t national_total() const { return national_total_; }

 private:
  PopulationTable() = default;
  static absl::StatusOr<std::unique_ptr<PopulationTable>> Load(std::string_view csv,
                                                               std::string_view source);

  std::vector<RegionPopulation> provinsi_;
  std::vector<RegionPopulation> kab_kota_;
  int64_t national_total_ = 0;
};

}  // namespace padan
