// Verivali summary counts: outcomes of persons and households per kab/kota, kecamatan and desa,
// and in total, as the report and the summary files show them.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/types/span.h"

#include "data/region_table.h"
#include "matching/verivali_input.h"
#include "matching/verivali_outcomes.h"

namespace padan {

// Counts by outcome; kBaru counts field records (persons) and field households.
struct OutcomeCounts {
  std::array<int64_t, kVerivaliOutcomeCount> persons{};
  std::array<int64_t, kVerivaliOutcomeCount> households{};

  int64_t person(VerivaliOutcome o) const { return persons[static_cast<size_t>(o)]; }
  int64_t household(VerivaliOutcome o) const { return households[static_cast<size_t>(o)]; }
  // Pre-list persons (every outcome but baru).
  int64_t listed_persons() const;
  int64_t listed_households() const;
};

struct RegionCounts {
  KodeWilayah code = 0;  // 0: region unknown
  std::string nama;      // the region's name in the newest edition that has it; "" if unknown
  OutcomeCounts counts;
};

struct VerivaliSummary {
  std::string prelist_path;
  std::string field_path;
  int64_t prelist_persons = 0;
  int64_t prelist_households = 0;
  int64_t field_persons = 0;
  int64_t field_households = 0;
  OutcomeCounts total;
  // By code; a person counts where the pre-list puts their household, a baru record where the
  // field found it.
  std::vector<RegionCounts> kab_kota;
  std::vector<RegionCounts> kecamatan;
  std::vector<RegionCounts> desa;
  std::map<std::string, int64_t> changed_fields;  // field name → persons with that change
  int64_t candidate_pairs = 0;          // pre-list × field pairs scored
  // pre-list × pre-list pairs scored (ganda): those with a person left unassigned
  int64_t prelist_candidate_pairs = 0;
  int64_t matched_pairs = 0;  // candidate pairs at or above the match threshold
  double match_threshold = 0;
  std::string model_version;
  std::vector<std::pair<std::string, double>> phase_seconds;  // wall, in order of the run
  std::vector<std::pair<std::string, double>> phase_cpu_seconds;  // CPU of all threads
  double seconds = 0;
  std::string out_dir;
  std::vector<std::string> files;  // written, relative to out_dir
};

// Fills the counts of `summary` (total, per region, changed fields) from the verdicts.
void CountVerdicts(const VerivaliRecords& prelist, const VerivaliRecords& field,
                   absl::Span<const KodeWilayah> prelist_desa,
                   absl::Span<const KodeWilayah> field_desa, const VerivaliVerdicts& verdicts,
                   const RegionTable& regions, VerivaliSummary* summary);

}  // namespace padan
