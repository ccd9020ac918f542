#include "data/generator/block_generator.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace padan::gen {
namespace {

// Mean DTKS household size, to turn a per-person duplicate share into a per-household share of
// host households.
constexpr double kMeanHouseholdSize = 3.5;
constexpr double kMaxHostShare = 0.9;

}  // namespace

BlockGenerator::BlockGenerator(const HouseholdGenerator& households,
                               const DuplicateGenerator& duplicates,
                               const PrelistGenerator& prelist)
    : households_(households), duplicates_(duplicates), prelist_(prelist) {}

Block BlockGenerator::Generate(uint64_t index, int64_t persons, const BlockOptions& options) const {
  Block block;
  block.index = index;
  block.persons = persons;
  Rng rng(options.seed, RngStream::kHouseholds, index);
  const RegionSampler& regions = households_.regions();
  const int32_t today = SnapshotDays();
  const double host_share =
      std::min(kMaxHostShare,
               options.dup_rate * DuplicateGenerator::kSinglePersonShare * kMeanHouseholdSize);

  // Originals, some of them placed near an earlier household so as to host a duplicate of one
  // of its members.
  std::vector<HostPlan> plans;
  int64_t made = 0;
  auto& hh = block.households;
  hh.reserve(static_cast<size_t>(persons / 2) + 1);
  while (made < persons) {
    uint32_t desa = 0;
    int32_t source = -1;
    if (!hh.empty() && host_share > 0 && rng.Bernoulli(host_share)) {
      source = static_cast<int32_t>(rng.Uniform(hh.size()));
      double r = rng.UniformDouble();
      Nearness nearness = r < 0.3   ? Nearness::kSameDesa
                          : r < 0.8 ? Nearness::kSameKecamatan
                                    : Nearness::kSameKabKota;
      desa = regions.SampleDesaNear(hh[source].desa, nearness, rng);
    } else {
      desa = regions.SampleDesa(rng);
    }
    GenHousehold h = households_.Generate(desa, rng);
    if (made + static_cast<int64_t>(h.members.size()) > persons) {
      h.members.resize(static_cast<size_t>(persons - made));
    }
    made += static_cast<int64_t>(h.members.size());
    if (source >= 0) plans.push_back({source, static_cast<int32_t>(hh.size())});
    if (rng.Bernoulli(kNoKkMissingShare)) h.corruptions |= Bit(Corruption::kNoKkMissing);
    for (GenPerson& p : h.members) {
      double missing = AgeAt(p.birth_days, today) < 2 ? kNikMissingShareUnderTwo : kNikMissingShare;
      double r = rng.UniformDouble();
      if (r < missing) {
        p.corruptions |= Bit(Corruption::kNikMissing);
      } else if (r < missing + kNikShortShare) {
        p.corruptions |= Bit(Corruption::kNikShort);
      }
    }
    hh.push_back(std::move(h));
  }

  if (options.dup_rate > 0) {
    Rng dup_rng(options.seed, RngStream::kDuplicates, index);
    double expected = options.dup_rate * static_cast<double>(persons);
    int64_t target = static_cast<int64_t>(std::floor(expected));
    if (dup_rng.UniformDouble() < expected - std::floor(expected)) ++target;
    duplicates_.AddDuplicates(&hh, plans, target, dup_rng);
  }

  // Households are written in random order, so a duplicate is not next to its original.
  block.order.resize(hh.size());
  std::iota(block.order.begin(), block.order.end(), 0u);
  for (size_t i = block.order.size(); i > 1; --i) {
    std::swap(block.order[i - 1], block.order[rng.Uniform(i)]);
  }

  if (options.prelist_area != nullptr) {
    Rng prelist_rng(options.seed, RngStream::kPrelist, index);
    prelist_.Generate(hh, *options.prelist_area, prelist_rng, &block.prelist, &block.field);
  }
  return block;
}

}  // namespace padan::gen
