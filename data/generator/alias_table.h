// AliasTable: constant-time draws from a fixed discrete distribution (Vose's alias method),
// for the generator's long weighted tables: kab/kota by population, name tokens by frequency.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "data/generator/random.h"

namespace padan::gen {

// Built once from non-negative weights; Sample() is O(1). Immutable after construction, so
// concurrent Sample() calls with separate Rngs are safe. 8 bytes per entry.
class AliasTable {
 public:
  AliasTable() = default;
  // REQUIRES: weights are finite and >= 0. An all-zero or empty table is empty().
  explicit AliasTable(std::span<const double> weights);

  bool empty() const { return prob_.empty(); }
  size_t size() const { return prob_.size(); }

  // An index with probability weights[i] / sum(weights). REQUIRES: !empty().
  uint32_t Sample(Rng& rng) const {
    uint64_t r = rng.Next();
    // size() < 2^32, so the product fits in 64 bits.
    uint32_t column = static_cast<uint32_t>(((r >> 32) * prob_.size()) >> 32);
    // The low 32 bits decide between the column and its alias.
    return static_cast<uint32_t>(r & 0xFFFFFFFFu) < prob_[column] ? column : alias_[column];
  }

 private:
  std::vector<uint32_t> prob_;  // threshold in units of 2^-32
  std::vector<uint32_t> alias_;
};

}  // namespace padan::gen
