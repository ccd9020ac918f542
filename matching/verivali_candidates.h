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
  // A key holding more records than this on either side pairs none of them: a name token as
  // common as "siti" born in one year in one kab/kota says too little to be worth the pairs.
  size_t max_block_side = 64;
};

struct VerivaliCandidates {
  // (pre-list index, field index), sorted, each once.
  std::vector<std::pair<uint32_t, uint32_t>> cross;
  // (i, j) with i < j, both pre-list indexes, sorted, each once.
  std::vector<std::pair<uint32_t, uint32_t>> prelist;
};

// Keys: NIK exact (anywhere), and within the kab/kota: each informative name token's phonetic
// key × birth year, the name's sorted phonetic keys, birth date × kecamatan. Field records whose
// NIK meets no pre-list NIK are also paired with the pre-list records one NIK typo away.
// Pure function; deterministic.
VerivaliCandidates FindVerivaliCandidates(absl::Span<const MatchRecord> prelist,
                                          absl::Span<const MatchRecord> field,
                                          const VerivaliBlockingOptions& options);

}  // namespace padan
