// BlockGenerator: one block of the synthetic registry: an exact number of original persons in
// households spread by population, their data-quality problems, the duplicate registrations
// of some of them, and (with a verivali area) what the field finds. A block depends only on
// (seed, block index), so blocks can be made on any thread in any order.
#pragma once

#include <cstdint>
#include <vector>

#include "data/generator/duplicate_generator.h"
#include "data/generator/generated_household.h"
#include "data/generator/household_generator.h"
#include "data/generator/prelist_generator.h"

namespace padan::gen {

struct Block {
  uint64_t index = 0;
  int64_t persons = 0;  // original persons
  // Originals first, in generation order (host households among them), then re-registrations.
  std::vector<GenHousehold> households;
  std::vector<uint32_t> order;  // the order in which households are written
  // With a verivali area: the truth of every listed record (parallel to households and
  // members; empty for households outside the area) and the field households found.
  std::vector<std::vector<PrelistResult>> prelist;
  std::vector<FieldHousehold> field;
};

struct BlockOptions {
  uint64_t seed = 1;
  double dup_rate = 0;
  // Kab/kota (RegionSampler index) in the verivali area; nullptr: no pre-list.
  const std::vector<bool>* prelist_area = nullptr;
};

// Holds references to the generators, which must outlive it. Immutable; Generate() may run on
// many threads at once.
class BlockGenerator {
 public:
  // Registry data-quality problems of original records (BPK's 2020 audit found millions of
  // invalid NIKs and KK numbers in DTKS): NIK missing (far more often for babies, who get one
  // with their birth certificate), NIK with a digit lost, family card number missing.
  static constexpr double kNikMissingShare = 0.005;
  static constexpr double kNikMissingShareUnderTwo = 0.05;
  static constexpr double kNikShortShare = 0.004;
  static constexpr double kNoKkMissingShare = 0.005;

  BlockGenerator(const HouseholdGenerator& households, const DuplicateGenerator& duplicates,
                 const PrelistGenerator& prelist);

  // Block `index` holding exactly `persons` original persons (the last household is cut to
  // fit) and about dup_rate * persons duplicate records.
  Block Generate(uint64_t index, int64_t persons, const BlockOptions& options) const;

 private:
  const HouseholdGenerator& households_;
  const DuplicateGenerator& duplicates_;
  const PrelistGenerator& prelist_;
};

}  // namespace padan::gen
