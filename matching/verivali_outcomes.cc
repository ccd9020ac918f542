#include "matching/verivali_outcomes.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"

#include "matching/parallel_for.h"

namespace padan {

bool EarlierId(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

VerivaliVerdicts DecideVerdicts(const VerivaliRecords& prelist, const VerivaliRecords& field,
                                absl::Span<const KodeWilayah> prelist_desa,
                                absl::Span<const KodeWilayah> field_desa,
                                const Assignment& assignment,
                                absl::Span<const DuplicateCandidate> duplicates,
                                const PersonDiffer& differ, size_t threads) {
  VerivaliVerdicts out;
  const size_t n = prelist.persons.size();
  out.persons.resize(n);
  ParallelFor(n, threads, [&](size_t begin, size_t end) {
    for (size_t p = begin; p < end; ++p) {
      const int32_t f = assignment.field_of_prelist[p];
      if (f < 0) continue;
      PersonVerdict& v = out.persons[p];
      v.field = f;
      v.weight = assignment.weight_of_prelist[p];
      v.changes = differ.Diff(prelist.persons[p], field.persons[f]);
      if (field.status_art[f] == StatusArt::kMeninggal) {
        v.outcome = VerivaliOutcome::kMeninggal;
      } else if (field.status_art[f] == StatusArt::kPindah ||
                 RegionStage(prelist_desa[p], field_desa[f]) != AssignmentStage::kDesa) {
        v.outcome = VerivaliOutcome::kPindah;
      } else if (!v.changes.empty()) {
        v.outcome = VerivaliOutcome::kDitemukanBerubah;
      } else {
        v.outcome = VerivaliOutcome::kDitemukan;
      }
    }
  });

  // Duplicates of unassigned persons: an assigned partner stands for the person. Between two
  // listings neither of which was found, the copy is the one the field disproved (its household
  // was visited, the other was not), else the one whose household is the more completely
  // repeated in the other's (a re-registered family, perhaps with members left out), else the
  // later registration.
  std::vector<bool> household_found(prelist.households.size(), false);
  for (size_t p = 0; p < n; ++p) {
    if (assignment.field_of_prelist[p] >= 0) household_found[prelist.household_of[p]] = true;
  }
  // Members of household x with a listed duplicate in household y, per (x, y).
  absl::flat_hash_map<std::pair<uint32_t, uint32_t>, uint32_t> repeated;
  {
    std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> members;  // (x, y, person of x)
    for (const DuplicateCandidate& d : duplicates) {
      const uint32_t ha = prelist.household_of[d.a];
      const uint32_t hb = prelist.household_of[d.b];
      members.emplace_back(ha, hb, d.a);
      members.emplace_back(hb, ha, d.b);
    }
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
    for (const auto& [x, y, person] : members) ++repeated[{x, y}];
  }
  std::vector<uint32_t> household_size(prelist.households.size(), 0);
  for (size_t p = 0; p < n; ++p) ++household_size[prelist.household_of[p]];
  auto is_copy_of = [&](uint32_t self, uint32_t other) -> bool {
    const uint32_t hs = prelist.household_of[self];
    const uint32_t ho = prelist.household_of[other];
    if (household_found[hs] != household_found[ho]) return household_found[hs];
    if (hs != ho) {
      const double self_share = static_cast<double>(repeated[{hs, ho}]) / household_size[hs];
      const double other_share = static_cast<double>(repeated[{ho, hs}]) / household_size[ho];
      if (self_share != other_share) return self_share > other_share;
    }
    return EarlierId(prelist.persons[other].id_art, prelist.persons[self].id_art);
  };

  std::vector<int32_t> partner(n, -1);
  std::vector<float> partner_weight(n, 0);
  std::vector<bool> partner_assigned(n, false);
  auto consider = [&](uint32_t self, uint32_t other, float weight) {
    if (assignment.field_of_prelist[self] >= 0) return;
    const bool assigned = assignment.field_of_prelist[other] >= 0;
    if (!assigned && !is_copy_of(self, other)) return;
    // An assigned partner beats an unassigned one; then the higher weight.
    const bool had_assigned = partner_assigned[self];
    if (partner[self] >= 0 && (had_assigned > assigned ||
                               (had_assigned == assigned && partner_weight[self] >= weight))) {
      return;
    }
    partner[self] = static_cast<int32_t>(other);
    partner_weight[self] = weight;
    partner_assigned[self] = assigned;
  };
  for (const DuplicateCandidate& d : duplicates) {
    consider(d.a, d.b, d.weight);
    consider(d.b, d.a, d.weight);
  }
  for (size_t p = 0; p < n; ++p) {
    if (assignment.field_of_prelist[p] >= 0 || partner[p] < 0) continue;
    PersonVerdict& v = out.persons[p];
    v.outcome = VerivaliOutcome::kGanda;
    v.ganda_of = partner[p];
    v.weight = partner_weight[p];
  }

  // Field side.
  out.field_baru.assign(field.persons.size(), false);
  std::vector<uint32_t> assigned_members(field.households.size(), 0);
  std::vector<uint32_t> baru_members(field.households.size(), 0);
  for (size_t f = 0; f < field.persons.size(); ++f) {
    if (assignment.prelist_of_field[f] >= 0) {
      ++assigned_members[field.household_of[f]];
    } else {
      out.field_baru[f] = true;
      ++baru_members[field.household_of[f]];
    }
  }
  out.field_household_baru.resize(field.households.size());
  for (size_t h = 0; h < field.households.size(); ++h) {
    out.field_household_baru[h] = assigned_members[h] == 0;
  }

  // Households.
  out.households.resize(prelist.households.size());
  std::vector<bool> all_moved(prelist.households.size(), true);
  for (size_t p = 0; p < n; ++p) {
    HouseholdVerdict& h = out.households[prelist.household_of[p]];
    const PersonVerdict& v = out.persons[p];
    ++h.members;
    ++h.member_outcomes[static_cast<size_t>(v.outcome)];
    if (v.field >= 0 && RegionStage(prelist_desa[p], field_desa[v.field]) == AssignmentStage::kDesa) {
      all_moved[prelist.household_of[p]] = false;
    }
  }
  for (size_t i = 0; i < out.households.size(); ++i) {
    HouseholdVerdict& h = out.households[i];
    h.field_household = assignment.field_household_of_prelist_household[i];
    if (h.field_household >= 0) h.new_members = baru_members[h.field_household];
    auto count = [&](VerivaliOutcome o) { return h.member_outcomes[static_cast<size_t>(o)]; };
    const uint32_t found = count(VerivaliOutcome::kDitemukan) +
                           count(VerivaliOutcome::kDitemukanBerubah) +
                           count(VerivaliOutcome::kPindah) + count(VerivaliOutcome::kMeninggal);
    if (count(VerivaliOutcome::kGanda) == h.members) {
      h.outcome = VerivaliOutcome::kGanda;
    } else if (found == 0) {
      h.outcome = VerivaliOutcome::kTidakDitemukan;
    } else if (count(VerivaliOutcome::kMeninggal) == h.members) {
      h.outcome = VerivaliOutcome::kMeninggal;
    } else if (all_moved[i]) {
      h.outcome = VerivaliOutcome::kPindah;
    } else if (count(VerivaliOutcome::kDitemukan) + count(VerivaliOutcome::kGanda) == h.members &&
               h.new_members == 0) {
      h.outcome = VerivaliOutcome::kDitemukan;
    } else {
      h.outcome = VerivaliOutcome::kDitemukanBerubah;
    }
  }
  return out;
}

}  // namespace padan
