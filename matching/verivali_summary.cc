#include "matching/verivali_summary.h"

#include "absl/container/btree_map.h"

namespace padan {
namespace {

size_t Index(VerivaliOutcome o) { return static_cast<size_t>(o); }

// Counts by region code at one level, sorted by code.
class RegionCounter {
 public:
  explicit RegionCounter(RegionLevel level) : level_(level) {}

  OutcomeCounts& At(KodeWilayah desa) {
    KodeWilayah code = desa == 0 ? 0 : AncestorCode(desa, level_);
    return counts_[code];
  }

  std::vector<RegionCounts> Finish(const RegionTable& regions) const {
    std::vector<RegionCounts> out;
    out.reserve(counts_.size());
    for (const auto& [code, counts] : counts_) {
      RegionCounts& r = out.emplace_back();
      r.code = code;
      r.counts = counts;
      if (const Region* region = code == 0 ? nullptr : regions.FindAnyEdition(code)) {
        r.nama = std::string(region->nama);
      }
    }
    return out;
  }

 private:
  RegionLevel level_;
  absl::btree_map<KodeWilayah, OutcomeCounts> counts_;
};

}  // namespace

int64_t OutcomeCounts::listed_persons() const {
  int64_t n = 0;
  for (VerivaliOutcome o : kAllVerivaliOutcomes) {
    if (o != VerivaliOutcome::kBaru) n += person(o);
  }
  return n;
}

int64_t OutcomeCounts::listed_households() const {
  int64_t n = 0;
  for (VerivaliOutcome o : kAllVerivaliOutcomes) {
    if (o != VerivaliOutcome::kBaru) n += household(o);
  }
  return n;
}

void CountVerdicts(const VerivaliRecords& prelist, const VerivaliRecords& field,
                   absl::Span<const KodeWilayah> prelist_desa,
                   absl::Span<const KodeWilayah> field_desa, const VerivaliVerdicts& verdicts,
                   const RegionTable& regions, VerivaliSummary* summary) {
  summary->prelist_persons = static_cast<int64_t>(prelist.persons.size());
  summary->prelist_households = static_cast<int64_t>(prelist.households.size());
  summary->field_persons = static_cast<int64_t>(field.persons.size());
  summary->field_households = static_cast<int64_t>(field.households.size());
  RegionCounter kab_kota(RegionLevel::kKabKota);
  RegionCounter kecamatan(RegionLevel::kKecamatan);
  RegionCounter desa(RegionLevel::kDesa);
  auto count = [&](KodeWilayah code, auto add) {
    add(summary->total);
    add(kab_kota.At(code));
    add(kecamatan.At(code));
    add(desa.At(code));
  };
  for (size_t p = 0; p < prelist.persons.size(); ++p) {
    const PersonVerdict& v = verdicts.persons[p];
    count(prelist_desa[p], [&](OutcomeCounts& c) { ++c.persons[Index(v.outcome)]; });
    for (const FieldChange& change : v.changes) ++summary->changed_fields[std::string(change.field)];
  }
  std::vector<KodeWilayah> household_desa(prelist.households.size(), 0);
  for (size_t p = 0; p < prelist.persons.size(); ++p) {
    household_desa[prelist.household_of[p]] = prelist_desa[p];
  }
  for (size_t h = 0; h < prelist.households.size(); ++h) {
    const VerivaliOutcome o = verdicts.households[h].outcome;
    count(household_desa[h], [&](OutcomeCounts& c) { ++c.households[Index(o)]; });
  }
  const size_t baru = Index(VerivaliOutcome::kBaru);
  std::vector<KodeWilayah> field_household_desa(field.households.size(), 0);
  for (size_t f = 0; f < field.persons.size(); ++f) {
    field_household_desa[field.household_of[f]] = field_desa[f];
    if (verdicts.field_baru[f]) count(field_desa[f], [&](OutcomeCounts& c) { ++c.persons[baru]; });
  }
  for (size_t h = 0; h < field.households.size(); ++h) {
    if (verdicts.field_household_baru[h]) {
      count(field_household_desa[h], [&](OutcomeCounts& c) { ++c.households[baru]; });
    }
  }
  summary->kab_kota = kab_kota.Finish(regions);
  summary->kecamatan = kecamatan.Finish(regions);
  summary->desa = desa.Finish(regions);
}

}  // namespace padan
