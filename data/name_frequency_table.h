// NameFrequencyTable: how often each name token occurs among women and men, from the
// name_tokens_gender_freq table; feeds the generator's name draws and, later, the matcher's
// term-frequency weights.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace padan {

struct NameTokenFrequency {
  std::string_view token;  // lower case a-z
  uint32_t female = 0;
  uint32_t male = 0;
  uint32_t total() const { return female + male; }
};

// The token counts of one table, owning the token text unless it is the embedded table (about
// 11 MB for the embedded 225,659 tokens, loaded in about 25 ms; BM_NameFrequencyTable_*).
// Immutable after construction; thread-safe for concurrent const use.
class NameFrequencyTable {
 public:
  // Loads names/name_tokens_gender_freq.csv from the tables embedded in the binary.
  static absl::StatusOr<std::unique_ptr<NameFrequencyTable>> LoadEmbedded();
  // CSV with columns token,female_count,male_count,total. Returns kInvalidArgument naming the
  // 1-based line of a malformed row: wrong column count, a token that is not a lower-case a-z
  // word, a count that is not a whole number below 2^32, a total other than the sum, a token
  // given twice.
  static absl::StatusOr<std::unique_ptr<NameFrequencyTable>> FromCsv(std::string_view csv);

  // The row of `token` (lower case; ASCII upper case is folded), or nullptr.
  const NameTokenFrequency* Find(std::string_view token) const;
  // Every row, most frequent first.
  const std::vector<NameTokenFrequency>& tokens() const { return tokens_; }
  uint64_t total_female() const { return total_female_; }
  uint64_t total_male() const { return total_male_; }

  // Heap bytes held.
  size_t MemoryUsage() const;

 private:
  NameFrequencyTable() = default;
  // `csv_is_static`: the text outlives the table (embedded), so tokens may point into it.
  static absl::StatusOr<std::unique_ptr<NameFrequencyTable>> Load(std::string_view csv,
                                                                  std::string_view source,
                                                                  bool csv_is_static);

  std::string text_;  // a copy of the CSV text the tokens point into; empty when embedded
  std::vector<NameTokenFrequency> tokens_;
  absl::flat_hash_map<std::string_view, uint32_t> index_;
  uint64_t total_female_ = 0;
  uint64_t total_male_ = 0;
};

}  // namespace padan
