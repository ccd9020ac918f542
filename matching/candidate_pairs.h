// Candidate pairs for batch evaluation and training runs over records held in memory: the
// simple blocking `padan eval` uses (the serving indexes of the index layer replace it for
// queries). Keys: NIK exact and one typo away, each name token's phonetic key × birth year, the
// whole name's sorted phonetic keys, birth date × kecamatan. Each key pairs at most a capped
// number of records, so a common key ("siti" born 1980) cannot explode the candidate set.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/types/span.h"

#include "matching/match_record.h"

namespace padan {

struct CandidatePairOptions {
  // Records per key beyond which the key pairs no further records.
  size_t max_block_size = 200;
};

// Pairs (i < j) of indexes into `records`, sorted, each once.
std::vector<std::pair<uint32_t, uint32_t>> CandidatePairs(absl::Span<const MatchRecord> records,
                                                          const CandidatePairOptions& options);

}  // namespace padan
