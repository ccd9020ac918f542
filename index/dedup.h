// Deduplicate: national deduplication of the registry (DESIGN.md §4 clustering, §7 budget,
// §8 pipeline) — every person against every other through the blocking keys, on all cores,
// then clustered into persons. The pipeline is three steps over plain buffers:
//   partition  each person's blocking keys (and its NIK) as (key, person) entries, spread over
//              partitions by key;
//   score      inside a partition, every pair of persons sharing a key whose posting is short
//              enough to pair (DedupOptions::max_block_size per kind) — and, in a longer
//              posting, a second key too — each pair once: from the smallest key the two share. A first score on the fields the store's columns hold
//              (name, birth date, sex, NIK, No KK, region) drops the pairs that cannot reach the
//              match threshold whatever the other fields say; the rest are scored on every field;
//   merge      union-find with the split rules of matching/clustering.h, after the components of
//              the match graph with 3 to kCompleteScoringMaxSize persons have had every pair
//              inside them scored, so that a chain A~B~C whose ends the model keeps apart is
//              cut at its weakest link.
// Then the outputs: one row per person in a cluster of two or more (all persons with
// all_records), and the household duplicates.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

#include "data/batch_control.h"
#include "index/blocking_keys.h"
#include "index/query_engine.h"
#include "index/registry.h"
#include "matching/cluster_evaluation.h"
#include "matching/fellegi_sunter_model.h"

namespace padan {

// Key kinds a dedup run pairs on: the blocking index's kinds, plus three of its own — the NIK
// itself, and two that leave the birth year out, for a duplicate registered with the year one
// off (the blocking index's queries try the neighbouring years instead, which a run over
// every person cannot afford): a name sound × birth day and month, and birth day and month ×
// sex × kab/kota. Day and month are an unordered pair when both could be a month, as in
// the blocking keys.
inline constexpr size_t kDedupNikKind = kBlockingKeyKindCount;
inline constexpr size_t kDedupTokenDayKind = kBlockingKeyKindCount + 1;
inline constexpr size_t kDedupDayRegionKind = kBlockingKeyKindCount + 2;
inline constexpr size_t kDedupKeyKindCount = kBlockingKeyKindCount + 3;
// "token_year"... and "nik", "token_day", "day_region".
std::string_view DedupKeyKindName(size_t kind);

// The caps measured on generated data (README, "Deduplication").
std::array<uint32_t, kDedupKeyKindCount> DefaultDedupBlockSizes();
inline constexpr uint32_t kDefaultMaxBlockForOneSharedKey = 8;

struct DedupOptions {
  Scope scope;          // persons outside take no part
  size_t threads = 0;   // 0: one per core
  // Result files: `out` ends in .csv, or .ndjson/.jsonl for NDJSON; the household duplicates
  // go to `out` with ".households" before the extension. Empty: no files (summary only).
  std::string out;
  bool all_records = false;  // also write persons found in no cluster
  // The generator's truth.csv (id_art, cluster_id columns), or empty. When given, the summary
  // holds pairwise precision, recall and F1 over the persons the truth names.
  std::string truth;
  // A key filed under more persons than this (per kind) pairs none of them: its n² pairs would
  // cost more than they find ("siti" born in 1980). DefaultDedupBlockSizes() holds the
  // measured values.
  std::array<uint32_t, kDedupKeyKindCount> max_block_size = DefaultDedupBlockSizes();
  // Two persons who share a single key are paired only when its posting holds at most this
  // many persons; sharing two keys or more, whenever they meet. Most persons of a long
  // posting ("siti" born in 1985) share nothing else, and a duplicate shares several keys
  // unless most of its fields were mistyped.
  uint32_t max_block_for_one_shared_key = kDefaultMaxBlockForOneSharedKey;
};

// Components of the match graph up to this many persons have every inner pair scored.
inline constexpr size_t kCompleteScoringMaxSize = 64;
// Cluster sizes counted one by one below this; larger ones together.
inline constexpr size_t kClusterSizeBuckets = 10;

struct DedupSummary {
  uint64_t persons = 0;  // live persons in scope
  struct KindCounts {
    uint64_t keys = 0;        // distinct keys filed under two or more persons
    uint64_t keys_over_cap = 0;
    uint64_t persons_over_cap = 0;  // entries in keys over the cap
    uint64_t pairs = 0;       // pairs this kind was the first to produce
  };
  std::array<KindCounts, kDedupKeyKindCount> kinds{};
  uint64_t candidate_pairs = 0;  // distinct pairs scored on the columns
  uint64_t scored_pairs = 0;     // of those, scored on every field
  uint64_t completion_pairs = 0; // scored to complete small components
  uint64_t match_links = 0;      // at or above the match threshold
  uint64_t clusters = 0;         // of two or more persons
  uint64_t clustered_persons = 0;
  uint64_t refused_joins = 0;
  uint64_t components_split = 0;
  uint64_t household_duplicates = 0;
  // cluster_sizes[s]: clusters of s persons (s < kClusterSizeBuckets), the last bucket for
  // kClusterSizeBuckets and more; [0] unused, [1] the persons found in no cluster.
  std::vector<uint64_t> cluster_sizes;
  // With DedupOptions::truth.
  bool evaluated = false;
  PairwiseEvaluation evaluation;
  std::vector<uint64_t> truth_cluster_sizes;
  uint64_t persons_without_truth = 0;
  // Wall seconds per step.
  double keys_seconds = 0;
  double pairs_seconds = 0;
  double cluster_seconds = 0;
  double output_seconds = 0;
  size_t threads = 0;
  std::string out;
  std::string households_out;
};

// Runs the whole dedup of `registry` (REQUIRES: bulk-loaded or loaded; no writer runs
// meanwhile — take the database's read view for the duration). Reports the phases "keys",
// "postings", "pairs", "scoring", "components", "clusters" and "output" through `control`; kCancelled when control asks, leaving any
// partial output files for the caller to delete. Errors: kInvalidArgument for a truth file
// without its columns or with a malformed row (naming the line), an output path with another
// extension; the I/O errors of the files.
absl::StatusOr<DedupSummary> Deduplicate(const Registry& registry, const FellegiSunterModel& model,
                                         const DedupOptions& options, const BatchControl& control);

// "<out without extension>.households<extension>".
std::string HouseholdsPath(const std::string& out);

}  // namespace padan
