// Mix64: the one fixed 64-bit mixing function of the indexes (murmur3's finaliser, fmix64). It
// is a bijection that spreads every input bit over the whole word, and the same in every
// process, so what it feeds may be persisted (blocking keys in snapshots) or compared across
// runs (the training sample).
#pragma once

#include <cstdint>

namespace padan {

constexpr uint64_t Mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

}  // namespace padan
