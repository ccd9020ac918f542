// Candidate pairs for verivali: which pre-list and field records are worth scoring, and which
// pairs of pre-list records might be one person listed twice. Blocking is scoped to the
// kab/kota, the widest area verivali looks for a mover in, so common keys stay small.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/types/span.h"

#include "matching/match_record.h"

namespace padan {

struct VerivaliBlockingOptions {
  // A key holding more records than this on either side pairs none of them: such a key says
  // too little to be worth the pairs.
  size_t max_block_side = 64;
  // The same for a name part × birth year across the kab/kota and a birth date across the
  // kecamatan, which pair movers and listed copies whose NIK and whole name both changed: only
  // rare values are worth it there ("siti" born in 1980 in one kab/kota is thousands of
  // people, and so is 1 July 1950 in a kecamatan).
  size_t max_wide_block_side = 8;
  size_t threads = 0;  // 0: one per core
};

struct VerivaliCandidates {
  // (pre-list index, field index), sorted, each once.
  std::vector<std::pair<uint32_t, uint32_t>> cross;
  // (i, j) with i < j, both pre-list indexes, sorted, each once.
  std::vector<std::pair<uint32_t, uint32_t>> prelist;
};

// Keys: NIK exact (anywhere); within the desa the name's sorted phonetic keys, and each
// informative name token's phonetic key × birth year; birth date within the kecamatan; the
// name's sorted phonetic keys × birth year, each informative token's key × birth year, and the
// mother's name, within the kab/kota; the No KK with each name part. Field records whose NIK meets no
// pre-list NIK are also paired with the pre-list records one NIK typo away.
// Pure function; deterministic whatever the number of threads.
VerivaliCandidates FindVerivaliCandidates(absl::Span<const MatchRecord> prelist,
                                          absl::Span<const MatchRecord> field,
                                          const VerivaliBlockingOptions& options);

}  // namespace padan
