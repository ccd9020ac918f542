// MatchRecord: one person as the matcher sees them — normalised names with their tokens and
// phonetic keys, the comparable fields of the person and their household. Built once per record
// (MatchRecordBuilder) and compared many times, so everything a comparison needs is precomputed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "absl/container/inlined_vector.h"

#include "data/date.h"
#include "data/record.h"
#include "data/region_table.h"

namespace padan {

// A normalised name. Tokens are stored as offsets into `canonical`, so the struct copies safely.
struct MatchName {
  std::string canonical;  // canonical tokens joined by one space; "" when there is no name
  // Phonetic keys of the tokens, sorted and joined by spaces: equal for two names whose tokens
  // sound alike in any order.
  std::string phonetic_sorted;
  // Bit i: token i carries little identity (Balinese birth-order names, I/Ni, noble titles).
  uint32_t low_information_mask = 0;
  absl::InlinedVector<std::pair<uint16_t, uint16_t>, 6> token_spans;  // offset, length

  bool empty() const { return canonical.empty(); }
  size_t token_count() const { return token_spans.size(); }
  std::string_view token(size_t i) const {
    return std::string_view(canonical).substr(token_spans[i].first, token_spans[i].second);
  }
  absl::InlinedVector<std::string_view, 6> tokens() const {
    absl::InlinedVector<std::string_view, 6> out;
    for (size_t i = 0; i < token_spans.size(); ++i) out.push_back(token(i));
    return out;
  }
};

// The comparable view of one person record. Value type.
struct MatchRecord {
  MatchName nama;
  MatchName nama_ibu_kandung;
  std::string tempat_lahir;  // lower case, "kabupaten"/"kota"/"kab." prefixes dropped
  Date tanggal_lahir;
  Sex jenis_kelamin = Sex::kUnknown;
  uint64_t nik = 0;  // 0 when missing or not 16 digits
  uint64_t no_kk = 0;
  KodeWilayah kode_wilayah = 0;
  std::string alamat;  // canonical address tokens joined by spaces (RT/RW/number removed)
};

}  // namespace padan
