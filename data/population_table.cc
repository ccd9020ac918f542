#include "data/population_table.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "data/absl_strings.h"
#include "data/embedded_files.h"
#include "data/internal/reference_csv.h"
#include "data/status_macros.h"

namespace padan {
namespace {

using internal::ParseDecimal;
using internal::ReferenceCsvReader;
using internal::ReferenceError;

constexpr std::string_view kEmbeddedPath = "wilayah/wilayah_penduduk_2024s2.csv";

// A row waiting to be ordered, with its line for error messages.
struct PendingRow {
  RegionPopulation population;
  int64_t line;
};

bool ParseCount(std::string_view text, int64_t* value) {
  uint64_t parsed = 0;
  if (!ParseDecimal(text, &parsed) ||
      parsed > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return false;
  }
  *value = static_cast<int64_t>(parsed);
  return true;
}

// Orders `rows` by code and moves them to `out`; kInvalidArgument naming the second line of a
// code given twice.
absl::Status Finish(std::string_view source, std::vector<PendingRow>& rows,
                    std::vector<RegionPopulation>* out) {
  std::stable_sort(rows.begin(), rows.end(), [](const PendingRow& a, const PendingRow& b) {
    return a.population.code < b.population.code;
  });
  out->reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i > 0 && rows[i].population.code == rows[i - 1].population.code) {
      return ReferenceError(
          source, rows[i].line,
          StrCat("duplicate kode ", FormatKodeWilayah(rows[i].population.code, true),
                 " (also on line ", rows[i - 1].line, ")"));
    }
    out->push_back(rows[i].population);
  }
  return absl::OkStatus();
}

const RegionPopulation* FindIn(const std::vector<RegionPopulation>& rows, KodeWilayah code) {
  auto it = std::lower_bound(
      rows.begin(), rows.end(), code,
      [](const RegionPopulation& row, KodeWilayah wanted) { return row.code < wanted; });
  return it != rows.end() && it->code == code ? &*it : nullptr;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PopulationTable>> PopulationTable::LoadEmbedded() {
  PADAN_ASSIGN_OR_RETURN(std::string_view csv, EmbeddedFile(kEmbeddedPath));
  return Load(csv, kEmbeddedPath);
}

absl::StatusOr<std::unique_ptr<PopulationTable>> PopulationTable::FromCsv(std::string_view csv) {
  return Load(csv, "population table");
}

absl::StatusOr<std::unique_ptr<PopulationTable>> PopulationTable::Load(std::string_view csv,
                                                                       std::string_view source) {
  ReferenceCsvReader reader(csv, source);
  PADAN_RETURN_IF_ERROR(reader.ReadHeader({"kode", "nama", "pria", "wanita", "total"}));
  std::vector<PendingRow> provinsi;
  std::vector<PendingRow> kab_kota;
  int64_t national_line = 0;
  int64_t national_total = 0;
  while (reader.Next()) {
    PADAN_RETURN_IF_ERROR(reader.ExpectFieldCount(5));
    RegionPopulation row;
    const std::string_view kode = reader.field(0);
    if (!ParseCount(reader.field(2), &row.pria) || !ParseCount(reader.field(3), &row.wanita) ||
        !ParseCount(reader.field(4), &row.total)) {
      return reader.Error(StrCat("pria, wanita and total must be whole numbers, found '",
                                 reader.field(2), "', '", reader.field(3), "', '", reader.field(4),
                                 "'"));
    }
    if (row.pria > std::numeric_limits<int64_t>::max() - row.wanita ||
        row.pria + row.wanita != row.total) {
      return reader.Error(
          StrCat("total ", row.total, " is not pria + wanita (", row.pria, " + ", row.wanita, ")"));
    }
    if (kode == "0") {  // the national row
      if (national_line != 0) {
        return reader.Error(
            StrCat("second national row (kode 0; first on line ", national_line, ")"));
      }
      national_line = reader.line();
      national_total = row.total;
      continue;
    }
    absl::StatusOr<KodeWilayah> code = ParseKodeWilayah(kode);
    const RegionLevel level = code.ok() ? LevelOfCode(*code) : RegionLevel::kNone;
    if (level != RegionLevel::kProvinsi && level != RegionLevel::kKabKota) {
      return reader.Error(
          StrCat("kode '", kode, "' is neither 0 nor a provinsi or kab/kota code (32, 32.01)"));
    }
    row.code = *code;
    (level == RegionLevel::kProvinsi ? provinsi : kab_kota)
        .push_back(PendingRow{row, reader.line()});
  }
  PADAN_RETURN_IF_ERROR(reader.status());

  std::unique_ptr<PopulationTable> table(new PopulationTable());
  PADAN_RETURN_IF_ERROR(Finish(source, provinsi, &table->provinsi_));
  PADAN_RETURN_IF_ERROR(Finish(source, kab_kota, &table->kab_kota_));
  if (national_line != 0) {
    table->national_total_ = national_total;
  } else {
    for (const RegionPopulation& p : table->provinsi_) table->national_total_ += p.total;
  }
  return table;
}

const RegionPopulation* PopulationTable::Find(KodeWilayah code) const {
  switch (LevelOfCode(code)) {
    case RegionLevel::kProvinsi:
      return FindIn(provinsi_, code);
    case RegionLevel::kKabKota:
      return FindIn(kab_kota_, code);
    default:
      return nullptr;
  }
}

}  // namespace padan
