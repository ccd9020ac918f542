// Clustering of batch dedup (DESIGN.md §4): scored pairs of records → clusters, each one
// person. Pairs at or above the match threshold are joined, strongest first, as union-find
// does, except that a join is refused when it would put in one cluster
//   - two different valid NIKs each consistent with its own record's birth date and sex
//     (two people who each carry a trustworthy identity) — unless the two are one typo apart
//     (one digit, or two neighbours swapped), which a mistyped NIK often is; or
//   - two records whose own pair was scored below the possible threshold (its weakest link:
//     the model is sure they are different people).
// A component of the match graph that a refusal leaves in several pieces is "split". Each
// cluster gets a representative and a confidence. Pure function over plain buffers, so that
// the merge step can run wherever the scored pairs are gathered (DESIGN.md §8).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "absl/types/span.h"

namespace padan {

// A scored pair of records, by index into the records being clustered.
struct ScoredLink {
  uint32_t a = 0;
  uint32_t b = 0;
  float weight = 0;  // Fellegi-Sunter match weight (log2 Bayes factor)
};

// What the split rule and the choice of representative read of one record.
struct RecordFacts {
  uint64_t nik = 0;             // a valid NIK, 0 when missing or invalid
  bool nik_consistent = false;  // the NIK's DDMMYY and sex agree with the record's own
  uint8_t completeness = 0;     // how many of the record's fields are filled
};

struct ClusteringOptions {
  double match_threshold = 0;     // links at or above join
  double possible_threshold = 0;  // links below keep their two records apart
};

inline constexpr uint32_t kNoLink = std::numeric_limits<uint32_t>::max();

struct Clustering {
  // Per record: its cluster, numbered densely in the order of each cluster's first record.
  std::vector<uint32_t> cluster_of;
  // Per cluster: the record that stands for it — a trustworthy NIK (valid, consistent with its
  // own birth date and sex) first, then the most complete record, then the earliest one.
  std::vector<uint32_t> representative;
  std::vector<uint32_t> size;
  // Per cluster: for a cluster of two or more, the probability of its weakest joining link
  // (the cluster holds together only as well as that link); for a single record, one minus
  // the probability of its strongest link to any other record (1 when it has none).
  std::vector<double> confidence;
  // Per record: index into the links of its strongest link inside its cluster, or, for a
  // record alone, its strongest link of all; kNoLink when it has none.
  std::vector<uint32_t> strongest_link;
  uint64_t joins = 0;             // links that joined two clusters
  uint64_t refused_joins = 0;     // links at or above the match threshold left unjoined
  uint64_t components_split = 0;  // components of the match graph left in several clusters
};

// Clusters `record_count` records. Links may come in any order and name a pair more than once;
// ties in weight are broken by the records' indexes, so the result depends on the links alone.
// REQUIRES: every link's records < record_count; facts.size() == record_count.
Clustering ClusterRecords(size_t record_count, absl::Span<const ScoredLink> links,
                          absl::Span<const RecordFacts> facts, const ClusteringOptions& options);

}  // namespace padan
