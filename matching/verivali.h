// RunVerivali: the whole verivali batch run (DESIGN.md §4) — read the pre-list and the field
// results, pair and score them with the Fellegi-Sunter model, assign one to one (desa, then
// kecamatan, then kab/kota), decide every person's and household's outcome, count them per
// region, and write the result files. The CLI (`padan verivali`) and the server's job runner
// call it alike; the HTML report (server/report/verivali_report.h) is drawn from its summary.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "absl/status/statusor.h"

#include "data/batch_control.h"
#include "data/column_mapping.h"
#include "data/region_table.h"
#include "matching/verivali_candidates.h"
#include "matching/verivali_summary.h"
#include "matching/verivali_truth.h"

namespace padan {

struct VerivaliOptions {
  std::string prelist_path;  // SIKS-NG export (CSV/NDJSON)
  std::string field_path;    // PAPI CSV or CAPI NDJSON
  std::string out_dir;       // created when missing
  ColumnMapping prelist_mapping;
  ColumnMapping field_mapping;
  size_t threads = 0;       // 0: one per core
  std::string model_path;   // a trained model file; empty: the model shipped in the binary
  VerivaliBlockingOptions blocking;
  std::string truth_path;   // optional: ground truth to check the outcomes against
};

// The summary file RunVerivali writes into out_dir last; the others are listed in
// VerivaliSummary::files (verivali_output.h names them).
inline constexpr std::string_view kVerivaliSummaryJson = "summary.json";

struct VerivaliResult {
  VerivaliSummary summary;
  std::optional<VerivaliTruthCheck> truth;  // when options.truth_path was given
};

// Returns the summary of a finished run. Errors: kInvalidArgument for bad input (naming the
// file and line), kNotFound / kPermissionDenied for files that cannot be opened, kUnavailable
// when writing fails, kCancelled when `control` asked to stop (files already written are left
// for the caller to delete). Reports progress by phase: "membaca pre-list", "membaca hasil
// lapangan", "menyiapkan", "memasangkan", "menilai", "menetapkan", "menulis".
absl::StatusOr<VerivaliResult> RunVerivali(const VerivaliOptions& options,
                                           const RegionTable& regions,
                                           const BatchControl& control);

}  // namespace padan
