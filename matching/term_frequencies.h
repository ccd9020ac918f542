// TermFrequencies: how common each name token is among the records being matched, so that
// agreeing on a rare name ("Rahmawati Kusumaningrum") weighs more than agreeing on a common one
// ("Siti Aminah") — the term-frequency adjustment of DESIGN.md §4, from the data's own tokens.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"

#include "matching/match_record.h"

namespace padan {

// Built by Add() over every record's name, then read-only. Thread-safe for concurrent const
// use once built. Memory: one hash entry per distinct token (~40 bytes).
class TermFrequencies {
 public:
  // Counts each distinct token of `name` once.
  void Add(const MatchName& name);
  // Undoes Add(name) for a record that left the registry.
  void Remove(const MatchName& name);
  // Adds every count of `other` (tables built in parallel over parts of the records).
  void Merge(const TermFrequencies& other);

  // Records counted (names, not tokens).
  uint64_t names() const { return names_; }
  // P(a random record's name contains `token`), with add-one smoothing so unseen tokens get a
  // small but non-zero probability.
  double TokenProbability(std::string_view token) const;
  // The chance that a random record's name has all of `name`'s tokens: the product of their
  // probabilities (tokens treated as independent), never below 1 / (names + 1).
  double NameProbability(const MatchName& name) const;

  // The mean NameProbability over the records counted: how common a typical name is. The
  // adjustment of a name is log2(mean / NameProbability(name)), zero on average, so that it
  // shifts weight between common and rare names without shifting the model as a whole.
  double mean_name_probability() const { return mean_name_probability_; }
  void set_mean_name_probability(double mean) { mean_name_probability_ = mean; }

  size_t distinct_tokens() const { return counts_.size(); }
  size_t MemoryUsage() const;

  // The table as bytes, for the registry's snapshot (matching/ knows no snapshot files; the
  // index layer stores these bytes in a checksummed section of its own). Little-endian:
  // u32 format version, u64 names, f64 mean name probability, u64 distinct tokens, then per
  // token u32 length, bytes, u32 count; tokens in byte order, so equal tables give equal bytes.
  std::string Serialize() const;
  // The table Serialize wrote. kDataLoss saying what is wrong for bytes that do not decode (an
  // unknown version, a length past the end, an empty, over-long or repeated token, a count
  // above the names counted, bytes left over); never reads outside `bytes`.
  static absl::StatusOr<TermFrequencies> Deserialize(std::string_view bytes);

  friend bool operator==(const TermFrequencies&, const TermFrequencies&) = default;

 private:
  absl::flat_hash_map<std::string, uint32_t> counts_;
  uint64_t names_ = 0;
  double mean_name_probability_ = 0;
};

// The frequency tables of the name fields a model adjusts.
struct FrequencyTables {
  TermFrequencies nama;
  TermFrequencies nama_ibu_kandung;
};

// Counts the names of `records` and sets each table's mean name probability.
FrequencyTables BuildFrequencyTables(absl::Span<const MatchRecord> records);

}  // namespace padan
