// Blocking keys (DESIGN.md §4, candidate generation): the short, exact-match keys under which a
// person is filed so that a query finds its true match among a few hundred candidates instead
// of the whole registry. Each key combines fields so that the mistakes a duplicate registration
// makes break only some of a record's keys; the candidate set is the union of the postings of
// the keys a query shares with the index (BlockingIndex).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/container/inlined_vector.h"

#include "matching/match_record.h"

namespace padan {

// The kinds of key; the kind sits in a key's top byte so the kinds never collide and each has a
// posting cap of its own (BlockingIndex::Limits).
enum class BlockingKeyKind : uint8_t {
  kTokenYear = 0,   // phonetic key of one name token × birth year
  kToken = 1,       // phonetic key of one name token alone: useful only when the token is rare
  kNameSound = 2,   // the name's informative phonetic keys, sorted, joined: the whole name
  kDobRegion = 3,   // full birth date × kab/kota
  kDobInitial = 4,  // full birth date × sex × first sound of a name token
  kTokenDob = 5,    // phonetic key of one name token × full birth date
};
inline constexpr size_t kBlockingKeyKindCount = 6;

// A key: kind in bits 56-63, a fixed 56-bit hash of the key material below. The hash is the
// same in every process and on every run (FNV-1a, then a murmur3 finaliser), so keys may be
// compared across processes; nothing persists them.
using BlockingKey = uint64_t;
inline constexpr int kBlockingKindShift = 56;
inline BlockingKeyKind KindOf(BlockingKey key) {
  return static_cast<BlockingKeyKind>(key >> kBlockingKindShift);
}
// "token_year", "dob_region"... for reports.
std::string_view BlockingKeyKindName(BlockingKeyKind kind);

// A record's keys; inline for typical names (about 10 keys, 20 for a query).
using BlockingKeys = absl::InlinedVector<BlockingKey, 24>;

// Replaces `out` with the keys `record` is filed under, each once. Thread-safe.
// Name tokens used: the informative ones (MatchName::low_information_mask), or all when none
// is; initials (one-letter tokens) only when nothing longer is left.
void BlockingKeysOf(const MatchRecord& record, BlockingKeys* out);

// The phonetic keys of the name tokens the keys are made of — the informative tokens of two
// letters or more, else all of them, else initials — distinct, in name order: for callers that
// derive keys of their own from the same sounds (batch dedup).
absl::InlinedVector<std::string, 6> BlockingNameSounds(const MatchName& name);

// Replaces `out` with the keys to look up for `record` as a query: its own keys plus the
// variants its likely mistakes would have produced — the birth year one off and the day and
// month swapped (DESIGN.md §4's DOB levels) — so that a record registered with the year wrong
// still meets its keys. Costs lookups, no index memory. Thread-safe.
void BlockingQueryKeysOf(const MatchRecord& record, BlockingKeys* out);

}  // namespace padan
