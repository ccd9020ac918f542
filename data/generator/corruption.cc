#include "data/generator/corruption.h"

#include <array>

namespace padan::gen {
namespace {

constexpr std::array<std::string_view, kCorruptionCount> kNames = {
    "typo_insert",    "typo_delete",        "typo_substitute",     "typo_transpose",
    "old_spelling",   "muhammad_variant",   "abdul_variant",       "title_added",
    "title_dropped",  "bin_binti",          "token_dropped",       "token_initial",
    "tokens_swapped", "dob_day_month_swap", "dob_year_off_by_one", "nik_one_digit",
    "nik_transposed", "nik_missing",        "nik_short",           "moved_desa",
    "no_kk_missing",
};

}  // namespace

std::string_view CorruptionName(Corruption corruption) {
  return kNames[static_cast<size_t>(corruption)];
}

std::optional<Corruption> ParseCorruption(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Corruption>(i);
  }
  return std::nullopt;
}

std::string CorruptionSetNames(CorruptionSet set) {
  std::string out;
  for (int i = 0; i < kCorruptionCount; ++i) {
    if ((set & (CorruptionSet{1} << i)) == 0) continue;
    if (!out.empty()) out.push_back(';');
    out.append(kNames[static_cast<size_t>(i)]);
  }
  return out;
}

}  // namespace padan::gen
