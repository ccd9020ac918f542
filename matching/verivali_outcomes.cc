#include "matching/verivali_outcomes.h"

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

  // Duplicates of unassigned persons: an assigned partner stands for the person; among
  // partners none of whom was found, the earliest registration does.
  std::vector<int32_t> assigned_partner(n, -1);
  std::vector<float> assigned_weight(n, 0);
  std::vector<int32_t> earliest_partner(n, -1);
  auto consider = [&](uint32_t self, uint32_t other, float weight) {
    if (assignment.field_of_prelist[self] >= 0) return;
    if (assignment.field_of_prelist[other] >= 0) {
      if (assigned_partner[self] < 0 || weight > assigned_weight[self]) {
        assigned_partner[self] = static_cast<int32_t>(other);
        assigned_weight[self] = weight;
      }
      return;
    }
    const std::string& other_id = prelist.persons[other].id_art;
    if (!EarlierId(other_id, prelist.persons[self].id_art)) return;
    int32_t& best = earliest_partner[self];
    if (best < 0 || EarlierId(other_id, prelist.persons[best].id_art)) {
      best = static_cast<int32_t>(other);
    }
  };
  for (const DuplicateCandidate& d : duplicates) {
    consider(d.a, d.b, d.weight);
    consider(d.b, d.a, d.weight);
  }
  for (size_t p = 0; p < n; ++p) {
    if (assignment.field_of_prelist[p] >= 0) continue;
    PersonVerdict& v = out.persons[p];
    if (assigned_partner[p] >= 0) {
      v.outcome = VerivaliOutcome::kGanda;
      v.ganda_of = assigned_partner[p];
      v.weight = assigned_weight[p];
    } else if (earliest_partner[p] >= 0) {
      v.outcome = VerivaliOutcome::kGanda;
      v.ganda_of = earliest_partner[p];
    }
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
