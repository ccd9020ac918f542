// The result files of a verivali run: per-person outcomes (CSV and NDJSON), per-household
// outcomes, the field records that match nobody (baru), the summaries per kab/kota, kecamatan
// and desa (CSV) and the whole summary as JSON.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"

#include "matching/verivali_input.h"
#include "matching/verivali_outcomes.h"
#include "matching/verivali_summary.h"
#include "matching/verivali_truth.h"

namespace padan {

// Writes persons.csv, persons.ndjson, households.csv and baru.csv into `dir`, appending their
// names to `files`. kUnavailable naming the file when writing fails.
absl::Status WriteVerivaliRecords(const std::string& dir, const VerivaliRecords& prelist,
                                  const VerivaliRecords& field,
                                  absl::Span<const KodeWilayah> prelist_desa,
                                  absl::Span<const KodeWilayah> field_desa,
                                  const VerivaliVerdicts& verdicts, std::vector<std::string>* files);

// Writes summary_kab_kota.csv, summary_kecamatan.csv, summary_desa.csv into `dir`, appending
// their names to `files`.
absl::Status WriteVerivaliSummaries(const std::string& dir, const VerivaliSummary& summary,
                                    std::vector<std::string>* files);

// The summary (and the truth check, when there is one) as one JSON object.
std::string VerivaliSummaryJson(const VerivaliSummary& summary,
                                const VerivaliTruthCheck* truth);

// "nama: SITI → SITI AMINAH; tanggal_lahir: 1980-01-02 → 1980-02-01".
std::string ChangesText(absl::Span<const FieldChange> changes);

}  // namespace padan
