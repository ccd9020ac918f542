#include "matching/candidate_pairs.h"

#include <algorithm>
#include <string>

#include "absl/container/flat_hash_map.h"

#include "data/absl_strings.h"
#include "data/region_table.h"
#include "matching/nik_comparison.h"
#include "matching/phonetic_key.h"

namespace padan {
namespace {

// Distinct key spaces share one map, so every key starts with its kind.
enum KeyKind : char {
  kTokenYearKey = 't',
  kNameKey = 'p',
  kDobDesaKey = 'd',
};

}  // namespace

std::vector<std::pair<uint32_t, uint32_t>> CandidatePairs(absl::Span<const MatchRecord> records,
                                                          const CandidatePairOptions& options) {
  absl::flat_hash_map<std::string, std::vector<uint32_t>> blocks;
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> by_nik;
  auto add = [&](std::string key, uint32_t id) {
    std::vector<uint32_t>& block = blocks[key];
    // One more than the cap marks the key as too common: it then pairs nothing new.
    if (block.size() <= options.max_block_size) block.push_back(id);
  };
  for (uint32_t i = 0; i < records.size(); ++i) {
    const MatchRecord& r = records[i];
    if (r.nik != 0) by_nik[r.nik].push_back(i);
    if (!r.nama.empty()) {
      add(StrCat(std::string(1, kNameKey), r.nama.phonetic_sorted), i);
      if (!r.tanggal_lahir.missing()) {
        for (size_t t = 0; t < r.nama.token_count(); ++t) {
          if (r.nama.low_information_mask & (1u << t)) continue;
          add(StrCat(std::string(1, kTokenYearKey), PhoneticKey(r.nama.token(t)), "|",
                     r.tanggal_lahir.year()),
              i);
        }
      }
    }
    if (r.tanggal_lahir.precision() == DatePrecision::kDay && r.kode_wilayah != 0) {
      add(StrCat(std::string(1, kDobDesaKey), r.tanggal_lahir.days(), "|",
                 AncestorCode(r.kode_wilayah, RegionLevel::kKecamatan)),
          i);
    }
  }
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  auto pair_block = [&](const std::vector<uint32_t>& block) {
    size_t n = std::min(block.size(), options.max_block_size);
    for (size_t a = 0; a < n; ++a) {
      for (size_t b = a + 1; b < n; ++b) {
        // A name repeating a token ("ahmad ahmad") files its record twice under one key.
        if (block[a] == block[b]) continue;
        pairs.emplace_back(std::min(block[a], block[b]), std::max(block[a], block[b]));
      }
    }
  };
  for (const auto& [k, block] : blocks) {
    if (block.size() <= options.max_block_size) pair_block(block);
  }
  for (const auto& [nik, block] : by_nik) {
    pair_block(block);
    // A NIK one typo away: probe its near variants in the exact map, no extra memory.
    ForEachNearNik(nik, [&](uint64_t near) {
      auto it = by_nik.find(near);
      if (it == by_nik.end() || near < nik) return;  // each near pair once
      for (uint32_t a : block) {
        for (uint32_t b : it->second) pairs.emplace_back(std::min(a, b), std::max(a, b));
      }
    });
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

}  // namespace padan
