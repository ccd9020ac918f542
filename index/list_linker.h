// LinkList: links every row of a list (a directorate's beneficiary list, any header set through
// the import mapping) to its best match in the registry, keeping the input columns and adding
// the decision, probability, matched record, runner-up and explanation. `padan link` and the
// server's `link` job are thin shells over it.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

#include "data/batch_control.h"
#include "data/column_mapping.h"
#include "data/region_table.h"
#include "index/query_engine.h"

namespace padan {

struct LinkOptions {
  std::string input;  // CSV or NDJSON
  // Results: CSV (input columns, then the padan_* columns), or NDJSON when the path ends in
  // .ndjson/.jsonl.
  std::string output;
  ColumnMapping mapping;  // default: SIKS-NG headers; rows without an id are named by line
  Scope scope;            // only records inside it are linked to
  size_t threads = 0;     // 0: one per core
  // For callers without the PII right: the matched records' NIKs come out masked (MaskNik).
  // The input's own columns are the caller's and stay as given.
  bool mask_pii = false;
};

// Row counts by decision; rows = the sum of the others.
struct LinkSummary {
  int64_t rows = 0;
  int64_t match = 0;
  int64_t possible = 0;
  int64_t non_match = 0;
  int64_t no_candidate = 0;
  int64_t invalid = 0;  // rows that are no person record (a bad NIK, no name...), with reason
  double seconds = 0;
  size_t threads = 0;
};

// Progress is reported as input bytes read (phase "input bytes"). Errors: the input or output
// cannot be opened or read (a malformed file names its line), kCancelled when control asks.
// Rows that are no person record are not errors: they come out with decision "invalid".
absl::StatusOr<LinkSummary> LinkList(const QueryEngine& engine, const RegionTable& regions,
                                     LinkOptions options, const BatchControl& control);

// The decision names of LinkSummary, as the output writes them.
inline constexpr std::string_view kLinkDecisions[] = {"match", "possible_match", "non_match",
                                                      "no_candidate", "invalid"};

}  // namespace padan
