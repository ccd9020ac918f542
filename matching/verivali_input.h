// Reading the two sides of a verivali run: the pre-list (a SIKS-NG export) and the field
// results (PAPI data-entry CSV or CAPI NDJSON), as persons grouped into households. Verivali
// answers for every listed person, so a row the importer would refuse stops the run with its
// file and line instead of being skipped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

#include "data/batch_control.h"
#include "data/column_mapping.h"
#include "data/importer.h"
#include "data/record.h"
#include "data/region_table.h"
#include "matching/verivali_outcome.h"

namespace padan {

enum class VerivaliSide : uint8_t { kPrelist, kField };

// One side's records. Persons in file order; households in order of first appearance.
struct VerivaliRecords {
  std::vector<Person> persons;
  std::vector<uint32_t> household_of;  // per person: index into households
  std::vector<Household> households;
  // Per person: the form's status_art (field side); kTinggal when the file has none, or
  // kMeninggal when its status_hidup says so.
  std::vector<StatusArt> status_art;
  ImportSummary import;
};

// Reads `path` through `mapping`. Field side: when the mapping names no id_art and the file
// has no id column, a record is named by the numbers on its form, "<kode_desa>-<no_urut_ruta>-
// <no_art>", and its household "<kode_desa>-<no_urut_ruta>" (falling back on "L<line>").
// Errors (kInvalidArgument unless reading fails) name the file and, for a bad row, its line:
// a required column missing (id_art on the pre-list, nama, a region), a malformed row (ragged,
// invalid UTF-8, bad JSON), an empty name or id, a repeated id, an unknown status_art, no rows.
// Reports progress as (`phase`, bytes read, bytes total); kCancelled when `control` says so.
absl::StatusOr<VerivaliRecords> ReadVerivaliRecords(const std::string& path,
                                                    const ColumnMapping& mapping,
                                                    VerivaliSide side, const RegionTable& regions,
                                                    const BatchControl& control,
                                                    std::string_view phase);

}  // namespace padan
