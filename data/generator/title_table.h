// TitleTable: the religious titles and academic degrees written with names in the registry
// (H., Hj., Drs., S.Pd. ...), from data/reference/names/titles.csv, with who can carry each.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

#include "data/generator/name_custom_table.h"
#include "data/generator/random.h"
#include "data/record.h"

namespace padan::gen {

struct Title {
  std::string text;         // as written: "H.", "S.Pd."
  bool prefix = false;      // before the name ("H. Ahmad") rather than after ("Ahmad, S.Pd.")
  Sex sex = Sex::kUnknown;  // kUnknown: either
  int min_age = 0;
  bool islam_only = false;
  bool kristen_only = false;
  double weight = 0;
};

// Immutable after construction; thread-safe for concurrent const use.
class TitleTable {
 public:
  // Title ids are 1-based; 0 means "no title".
  static constexpr uint8_t kNone = 0;

  static absl::StatusOr<std::unique_ptr<TitleTable>> LoadEmbedded();
  // Columns title,position,gender,min_age,religion,weight. kInvalidArgument on a bad row.
  static absl::StatusOr<std::unique_ptr<TitleTable>> FromCsv(std::string_view csv);

  // REQUIRES: 1 <= id <= size().
  const Title& Get(uint8_t id) const { return titles_[id - 1]; }
  size_t size() const { return titles_.size(); }

  // A title a person of this sex, age and religion could carry, drawn by weight; kNone when
  // none fits.
  uint8_t Draw(Sex sex, int age, Religion religion, Rng& rng) const;

 private:
  TitleTable() = default;
  std::vector<Title> titles_;
};

}  // namespace padan::gen
