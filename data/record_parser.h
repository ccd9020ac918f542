// RecordParser: turns one input row into a Household and a Person through a resolved column
// mapping — parsing, validating and flagging every field — or says why the row is rejected.
#pragma once

#include <array>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "data/column_mapping.h"
#include "data/record.h"
#include "data/region_table.h"
#include "data/row_reader.h"

namespace padan {

// Keeps scratch buffers and a region-name cache between rows, so parsing a row allocates
// nothing once the buffers have grown. Not thread-safe: one parser per input stream.
// `regions` must outlive the parser.
class RecordParser {
 public:
  RecordParser(const RegionTable& regions, HubunganCodes hubungan_codes);

  // Fills `household` and `person` (reusing their buffers) from `row`. Values that cannot be
  // trusted are kept as text and flagged (PersonFlag, HouseholdFlag); only a row that cannot
  // be a person record is refused, with InvalidField naming the field: no id_art, no nama.
  // The household key id_keluarga is the family id when the row has one, else the No KK
  // (valid or not, as written), else the person's own id_art (a household of one).
  absl::Status Parse(const ResolvedMapping& mapping, const Row& row, Household* household,
                     Person* person);

 private:
  void ParseRegion(const ResolvedMapping& mapping, const Row& row, Household* household);

  const RegionTable& regions_;
  HubunganCodes hubungan_codes_;
  std::string scratch_;
  std::array<std::string, 4> region_names_;
  std::string region_key_;
  // Region names already resolved, and their result. There are at most ~90,000 desa, so the
  // cache stays small while sparing almost every row the name resolution; it is cleared if it
  // ever holds kMaxCachedRegions keys (a file of garbage names).
  struct ResolvedRegion {
    uint64_t code = 0;
    uint8_t flags = 0;
  };
  static constexpr size_t kMaxCachedRegions = 1 << 18;
  absl::flat_hash_map<std::string, ResolvedRegion> region_cache_;
};

}  // namespace padan
