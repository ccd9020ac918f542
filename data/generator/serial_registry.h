// SerialRegistry: hands out the 4-digit serials of NIKs and No KKs the way Dukcapil does,
// one counter per 12-digit prefix (kecamatan + DDMMYY), so that distinct people never share a
// NIK and families never share a card number.
#pragma once

#include <cstdint>

#include "absl/container/flat_hash_map.h"

#include "data/region_table.h"

namespace padan::gen {

// The 12-digit prefix of a NIK: kecamatan, then DDMMYY with 40 added to the day for women.
uint64_t NikPrefix(KodeWilayah kecamatan, int32_t birth_days, bool female);
// The 12-digit prefix of a No KK: kecamatan, then the issue date as DDMMYY.
uint64_t NoKkPrefix(KodeWilayah kecamatan, int32_t issue_days);

// Not thread-safe: the generator's commit thread owns it, which is what makes serials
// independent of the number of worker threads. About 16 bytes per prefix in use.
class SerialRegistry {
 public:
  static constexpr int kMaxSerial = 9999;

  // The next free number with this prefix (prefix * 10^4 + serial, serials from 0001), or 0
  // when all 9999 serials of the prefix are taken.
  uint64_t Next(uint64_t prefix);
  size_t prefixes() const { return next_.size(); }
  void Reserve(size_t prefixes) { next_.reserve(prefixes); }

 private:
  absl::flat_hash_map<uint64_t, uint16_t> next_;
};

}  // namespace padan::gen
