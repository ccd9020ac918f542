#include "matching/verivali_assignment.h"

#include <algorithm>
#include <tuple>

namespace padan {

AssignmentStage RegionStage(KodeWilayah a, KodeWilayah b) {
  if (a == 0 || b == 0) return AssignmentStage::kNone;
  if (a == b && LevelOfCode(a) == RegionLevel::kDesa) return AssignmentStage::kDesa;
  auto same = [&](RegionLevel level) {
    KodeWilayah x = AncestorCode(a, level);
    return x != 0 && x == AncestorCode(b, level);
  };
  if (same(RegionLevel::kKecamatan)) return AssignmentStage::kKecamatan;
  if (same(RegionLevel::kKabKota)) return AssignmentStage::kKabKota;
  return AssignmentStage::kNone;
}

Assignment AssignOneToOne(const AssignmentInput& in) {
  Assignment out;
  const size_t prelist_count = in.prelist_desa.size();
  out.field_of_prelist.assign(prelist_count, -1);
  out.prelist_of_field.assign(in.field_desa.size(), -1);
  out.weight_of_prelist.assign(prelist_count, 0);
  out.stage_of_prelist.assign(prelist_count, AssignmentStage::kNone);
  out.field_household_of_prelist_household.assign(in.prelist_households, -1);

  // Households: the summed weight of the members' pairs, taken one to one inside the household
  // pair (two siblings of one family card can score as a match, and must not count twice), by
  // the step the households' regions allow. A household that moved as a whole is found through
  // its members.
  struct HouseholdPair {
    uint32_t prelist = 0;
    uint32_t field = 0;
    double weight = 0;
    double closeness = 0;
    AssignmentStage stage = AssignmentStage::kNone;
  };
  std::vector<HouseholdPair> households;
  {
    std::vector<uint32_t> by_household(in.pairs.size());
    for (uint32_t i = 0; i < by_household.size(); ++i) by_household[i] = i;
    auto key = [&](uint32_t i) {
      const ScoredCandidate& c = in.pairs[i];
      return std::make_tuple(in.prelist_household[c.prelist], in.field_household[c.field],
                             -c.weight, -c.closeness, c.prelist, c.field);
    };
    std::sort(by_household.begin(), by_household.end(),
              [&](uint32_t a, uint32_t b) { return key(a) < key(b); });
    std::vector<uint32_t> used_prelist;
    std::vector<uint32_t> used_field;
    for (size_t i = 0; i < by_household.size();) {
      HouseholdPair h;
      h.prelist = in.prelist_household[in.pairs[by_household[i]].prelist];
      h.field = in.field_household[in.pairs[by_household[i]].field];
      used_prelist.clear();
      used_field.clear();
      for (; i < by_household.size(); ++i) {
        const ScoredCandidate& c = in.pairs[by_household[i]];
        if (in.prelist_household[c.prelist] != h.prelist ||
            in.field_household[c.field] != h.field) {
          break;
        }
        if (std::find(used_prelist.begin(), used_prelist.end(), c.prelist) != used_prelist.end() ||
            std::find(used_field.begin(), used_field.end(), c.field) != used_field.end()) {
          continue;
        }
        used_prelist.push_back(c.prelist);
        used_field.push_back(c.field);
        h.weight += c.weight;
        h.closeness += c.closeness;
      }
      households.push_back(h);
    }
  }
  // A household's region is its members': every member of one household shares it.
  std::vector<KodeWilayah> prelist_region(in.prelist_households, 0);
  std::vector<KodeWilayah> field_region(in.field_households, 0);
  for (size_t p = 0; p < prelist_count; ++p) prelist_region[in.prelist_household[p]] = in.prelist_desa[p];
  for (size_t f = 0; f < in.field_desa.size(); ++f) field_region[in.field_household[f]] = in.field_desa[f];
  for (HouseholdPair& h : households) h.stage = RegionStage(prelist_region[h.prelist], field_region[h.field]);
  std::sort(households.begin(), households.end(), [](const HouseholdPair& a, const HouseholdPair& b) {
    if (a.stage != b.stage) return a.stage < b.stage;
    if (a.weight != b.weight) return a.weight > b.weight;
    if (a.closeness != b.closeness) return a.closeness > b.closeness;
    return std::tie(a.prelist, a.field) < std::tie(b.prelist, b.field);
  });
  std::vector<int32_t> prelist_household_of_field(in.field_households, -1);
  for (const HouseholdPair& h : households) {
    if (h.stage == AssignmentStage::kNone) break;
    if (out.field_household_of_prelist_household[h.prelist] >= 0) continue;
    if (prelist_household_of_field[h.field] >= 0) continue;
    out.field_household_of_prelist_household[h.prelist] = static_cast<int32_t>(h.field);
    prelist_household_of_field[h.field] = static_cast<int32_t>(h.prelist);
  }

  // Persons: inside assigned households first, then by region step.
  std::vector<std::pair<AssignmentStage, const ScoredCandidate*>> order;
  order.reserve(in.pairs.size());
  for (const ScoredCandidate& c : in.pairs) {
    AssignmentStage stage = RegionStage(in.prelist_desa[c.prelist], in.field_desa[c.field]);
    if (stage == AssignmentStage::kNone) continue;
    if (out.field_household_of_prelist_household[in.prelist_household[c.prelist]] ==
        static_cast<int32_t>(in.field_household[c.field])) {
      stage = AssignmentStage::kHousehold;
    }
    order.emplace_back(stage, &c);
  }
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    if (a.second->weight != b.second->weight) return a.second->weight > b.second->weight;
    if (a.second->closeness != b.second->closeness) {
      return a.second->closeness > b.second->closeness;
    }
    return std::tie(a.second->prelist, a.second->field) <
           std::tie(b.second->prelist, b.second->field);
  });
  for (const auto& [stage, c] : order) {
    if (out.field_of_prelist[c->prelist] >= 0 || out.prelist_of_field[c->field] >= 0) continue;
    out.field_of_prelist[c->prelist] = static_cast<int32_t>(c->field);
    out.prelist_of_field[c->field] = static_cast<int32_t>(c->prelist);
    out.weight_of_prelist[c->prelist] = c->weight;
    out.stage_of_prelist[c->prelist] = stage;
  }
  return out;
}

}  // namespace padan
