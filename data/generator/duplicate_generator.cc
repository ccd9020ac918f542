#include "data/generator/duplicate_generator.h"

#include <algorithm>
#include <numeric>

namespace padan::gen {
namespace {

int AgeOf(const GenPerson& p) { return AgeAt(p.birth_days, SnapshotDays()); }

}  // namespace

DuplicateGenerator::DuplicateGenerator(const HouseholdGenerator& households,
                                       const Corruptor& corruptor)
    : households_(households), corruptor_(corruptor) {}

GenPerson DuplicateGenerator::Duplicate(const GenHousehold& household, int32_t household_index,
                                        int32_t member, Rng& rng) const {
  GenPerson dup = household.members[member];
  dup.original = PersonRef{household_index, member};
  dup.nik = 0;
  corruptor_.CorruptPerson(&dup, household, rng);
  // Another officer typed the record: letter case and birthplace spelling are theirs.
  if (rng.Bernoulli(0.25)) {
    dup.name_case = dup.name_case == NameCase::kUpper ? NameCase::kTitle : NameCase::kUpper;
  }
  dup.birthplace_upper = rng.Bernoulli(0.65);
  dup.father = -1;
  return dup;
}

GenHousehold DuplicateGenerator::Reregister(const std::vector<GenHousehold>& households,
                                            int32_t index, const std::vector<int32_t>& members,
                                            Rng& rng) const {
  const GenHousehold& original = households[index];
  const RegionSampler& regions = households_.regions();
  GenHousehold dup;
  dup.duplicate = true;
  dup.original = index;
  dup.custom = original.custom;
  dup.desa = original.desa;
  dup.address = original.address;
  dup.address_style = rng.Bernoulli(0.6)
                          ? static_cast<uint8_t>(rng.Uniform(AddressGenerator::kStyles))
                          : original.address_style;
  if (rng.Bernoulli(kMovedShare)) {
    double r = rng.UniformDouble();
    Nearness nearness = r < 0.6   ? Nearness::kSameKecamatan
                        : r < 0.9 ? Nearness::kSameKabKota
                                  : Nearness::kAnywhere;
    dup.desa = regions.SampleDesaNear(original.desa, nearness, rng);
    const DesaInfo& d = regions.desa()[dup.desa];
    dup.address = AddressGenerator::Generate(dup.custom, d.is_kelurahan,
                                             regions.kab_kota()[d.kab_kota].is_kota, rng);
    if (dup.desa != original.desa) dup.corruptions |= Bit(Corruption::kMovedDesa);
  }
  const bool moved = Has(dup.corruptions, Corruption::kMovedDesa);
  dup.new_no_kk = rng.Bernoulli(moved ? 0.8 : 0.3);
  if (dup.new_no_kk) {
    // A later card: issued between the original card and the snapshot.
    int32_t from = original.kk_issue_days;
    int32_t span = std::max<int32_t>(1, SnapshotDays() - from);
    dup.kk_issue_days = from + static_cast<int32_t>(rng.Uniform(static_cast<uint64_t>(span)));
  } else {
    dup.kk_issue_days = original.kk_issue_days;
    dup.corruptions |= original.corruptions & Bit(Corruption::kNoKkMissing);
  }
  for (int32_t m : members) {
    GenPerson person = Duplicate(original, index, m, rng);
    person.corruptions |= dup.corruptions & Bit(Corruption::kMovedDesa);
    dup.members.push_back(std::move(person));
  }
  if (dup.members[0].hubungan != Hubungan::kKepalaKeluarga) {
    // Registered as a household of their own: the first of them heads it.
    dup.members[0].hubungan = Hubungan::kKepalaKeluarga;
    for (size_t i = 1; i < dup.members.size(); ++i) {
      if (dup.members[i].hubungan == Hubungan::kKepalaKeluarga) {
        dup.members[i].hubungan = Hubungan::kFamiliLain;
      }
    }
  }
  return dup;
}

void DuplicateGenerator::AddDuplicates(std::vector<GenHousehold>* households,
                                       const std::vector<HostPlan>& plans, int64_t target,
                                       Rng& rng) const {
  std::vector<GenHousehold>& hh = *households;
  const int32_t originals = static_cast<int32_t>(hh.size());
  // Which original persons already have their duplicate.
  std::vector<std::vector<bool>> repeated(hh.size());
  for (int32_t i = 0; i < originals; ++i) repeated[i].assign(hh[i].members.size(), false);
  int64_t made = 0;

  // One person listed in a second household.
  const int64_t single_target =
      static_cast<int64_t>(static_cast<double>(target) * kSinglePersonShare + 0.5);
  for (const HostPlan& plan : plans) {
    if (made >= single_target) break;
    GenHousehold& source = hh[plan.source];
    GenHousehold& host = hh[plan.host];
    if (static_cast<int>(host.members.size()) >= HouseholdGenerator::kMaxMembers) continue;
    // Adults other than the head are the ones found in two families.
    std::vector<int32_t> candidates;
    for (int32_t m = 1; m < static_cast<int32_t>(source.members.size()); ++m) {
      const GenPerson& p = source.members[m];
      if (!repeated[plan.source][m] && !p.original.valid() && AgeOf(p) >= 15) {
        candidates.push_back(m);
      }
    }
    if (candidates.empty()) continue;
    int32_t m = candidates[rng.Uniform(candidates.size())];
    GenPerson dup = Duplicate(source, plan.source, m, rng);
    const int age = AgeOf(source.members[m]);
    const int head_age = AgeOf(host.members[0]);
    const bool host_has_spouse =
        host.members.size() > 1 && host.members[1].hubungan == Hubungan::kIstriSuami;
    if (age >= 50 && head_age + 15 <= age) {
      dup.hubungan =
          host_has_spouse && rng.Bernoulli(0.4) ? Hubungan::kMertua : Hubungan::kOrangTua;
    } else if (age >= 17 && age <= 45 && head_age >= age + 15) {
      dup.hubungan = Hubungan::kMenantu;
      dup.status_kawin = StatusKawin::kKawin;
    } else {
      dup.hubungan = Hubungan::kFamiliLain;
    }
    if (host.desa != source.desa) dup.corruptions |= Bit(Corruption::kMovedDesa);
    host.members.push_back(std::move(dup));
    repeated[plan.source][m] = true;
    ++made;
  }

  // Re-registered households, in random order; a second round takes whoever is left when the
  // rate is so high that the first round left out too many.
  std::vector<int32_t> order(static_cast<size_t>(originals));
  std::iota(order.begin(), order.end(), 0);
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.Uniform(i)]);
  for (int round = 0; round < 2 && made < target; ++round) {
    for (int32_t index : order) {
      if (made >= target) break;
      const GenHousehold& original = hh[index];
      std::vector<int32_t> members;
      for (int32_t m = 0; m < static_cast<int32_t>(original.members.size()); ++m) {
        if (repeated[index][m] || original.members[m].original.valid()) continue;
        if (made + static_cast<int64_t>(members.size()) >= target) break;
        bool keep = round == 1 || m == 0 || !rng.Bernoulli(kMemberOmittedShare);
        if (keep) members.push_back(m);
      }
      if (members.empty()) continue;
      if (round == 0 && members[0] != 0) continue;  // first round: the head comes along
      for (int32_t m : members) repeated[index][m] = true;
      made += static_cast<int64_t>(members.size());
      hh.push_back(Reregister(hh, index, members, rng));
    }
  }
}

}  // namespace padan::gen
