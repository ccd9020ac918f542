#include "data/generator/prelist_generator.h"

#include <algorithm>
#include <array>

#include "data/generator/corruptor.h"

namespace padan::gen {
namespace {

// Outcome shares of verivali rounds (the editor's estimates from published Dinsos verivali
// summaries: most listed people are found, a few percent each died, moved or cannot be found).
constexpr double kHouseholdNotFoundShare = 0.04;
constexpr double kHouseholdMovedShare = 0.035;
constexpr double kMemberNotFoundShare = 0.01;
constexpr double kMemberMovedOutShare = 0.05;  // adult children and relatives
constexpr double kChangedShare = 0.12;
constexpr double kMovedChangedShare = 0.1;
constexpr double kFillMissingNikShare = 0.85;
constexpr double kBirthShare = 0.06;               // per married woman of 18-42
constexpr double kNewSpouseShare = 0.03;           // per unmarried child of 20-35
constexpr double kNewHouseholdShare = 0.05;        // per listed household
constexpr double kNewPersonWithoutNikShare = 0.5;  // babies only

double DeathShare(int age) {
  if (age < 60) return 0.004;
  if (age < 75) return 0.04;
  return 0.1;
}

bool IsDuplicateRecord(const GenHousehold& h, const GenPerson& p) {
  return h.duplicate || p.original.valid();
}

}  // namespace

std::string_view VerivaliOutcomeName(VerivaliOutcome outcome) {
  switch (outcome) {
    case VerivaliOutcome::kNone:
      return "";
    case VerivaliOutcome::kDitemukan:
      return "ditemukan";
    case VerivaliOutcome::kDitemukanBerubah:
      return "ditemukan_berubah";
    case VerivaliOutcome::kPindah:
      return "pindah";
    case VerivaliOutcome::kMeninggal:
      return "meninggal";
    case VerivaliOutcome::kTidakDitemukan:
      return "tidak_ditemukan";
    case VerivaliOutcome::kGanda:
      return "ganda";
    case VerivaliOutcome::kBaru:
      return "baru";
  }
  return "";
}

std::string ChangedFieldNames(uint8_t changed) {
  static constexpr std::array<std::string_view, 6> kNames = {
      "nama", "nik", "tanggal_lahir", "jenis_kelamin", "hubungan", "status_kawin"};
  std::string out;
  for (size_t i = 0; i < kNames.size(); ++i) {
    if ((changed & (1u << i)) == 0) continue;
    if (!out.empty()) out.push_back(';');
    out.append(kNames[i]);
  }
  return out;
}

PrelistGenerator::PrelistGenerator(const HouseholdGenerator& households)
    : households_(households) {}

FieldPerson PrelistGenerator::FoundPerson(const GenHousehold& household, int32_t household_index,
                                          int32_t member) const {
  FieldPerson f;
  f.person = household.members[member];
  // Enumerators write names from the family card, without titles.
  f.person.title = 0;
  f.registry = PersonRef{household_index, member};
  f.nik = Has(f.person.corruptions, Corruption::kNikMissing) ? FieldNik::kEmpty
                                                             : FieldNik::kRegistryPerson;
  return f;
}

uint8_t PrelistGenerator::ChangeFields(const GenPerson& registry, FieldPerson* field,
                                       Rng& rng) const {
  uint8_t changed = 0;
  GenPerson& p = field->person;
  const int age = AgeAt(registry.birth_days, EnumerationDays());
  int wanted = rng.Bernoulli(0.8) ? 1 : 2;
  for (int attempt = 0; attempt < 6 && wanted > 0; ++attempt) {
    double r = rng.UniformDouble();
    if (r < 0.5 && (changed & kChangedNama) == 0) {
      // The field writes the name as on the family card; the registry had it another way.
      bool done = false;
      double k = rng.UniformDouble();
      if (k < 0.35) {
        done = TypoSubstitute(&p.nama, rng);
      } else if (k < 0.5) {
        done = TypoDelete(&p.nama, rng);
      } else if (k < 0.6) {
        done = MuhammadVariant(&p.nama, rng) || AbdulVariant(&p.nama, rng);
      } else if (k < 0.7) {
        done = OldSpelling(&p.nama, ReligionOfCustom(p.custom) == Religion::kKristen, rng);
      } else if (k < 0.85) {
        done = TokenInitial(&p.nama, rng) || TypoInsert(&p.nama, rng);
      } else {
        done = TypoTranspose(&p.nama, rng);
      }
      if (done) {
        changed |= kChangedNama;
        --wanted;
      }
    } else if (r < 0.85 && (changed & kChangedTanggalLahir) == 0) {
      if (DobDayMonthSwap(&p.birth_days) || DobYearOffByOne(&p.birth_days, rng)) {
        changed |= kChangedTanggalLahir;
        --wanted;
      }
    } else if ((changed & kChangedStatusKawin) == 0) {
      if (p.status_kawin == StatusKawin::kBelumKawin && age >= 18) {
        p.status_kawin = StatusKawin::kKawin;
      } else if (p.status_kawin == StatusKawin::kKawin && age >= 45) {
        p.status_kawin = StatusKawin::kCeraiMati;
      } else {
        continue;
      }
      changed |= kChangedStatusKawin;
      --wanted;
    }
  }
  return changed;
}

void PrelistGenerator::AddNewHousehold(uint32_t near_desa, Rng& rng,
                                       std::vector<FieldHousehold>* field) const {
  const RegionSampler& regions = households_.regions();
  uint32_t desa = regions.SampleDesaNear(near_desa, Nearness::kSameKecamatan, rng);
  GenHousehold g = households_.Generate(desa, rng);
  FieldHousehold fh;
  fh.desa = desa;
  fh.address = g.address;
  fh.address_style = g.address_style;
  fh.new_no_kk = true;
  fh.kk_issue_days = g.kk_issue_days;
  fh.order_key = rng.Next();
  for (GenPerson& p : g.members) {
    FieldPerson f;
    f.person = std::move(p);
    f.person.title = 0;
    f.baru = true;
    bool baby = AgeAt(f.person.birth_days, EnumerationDays()) < 1;
    f.nik = baby && rng.Bernoulli(kNewPersonWithoutNikShare) ? FieldNik::kEmpty : FieldNik::kNew;
    fh.members.push_back(std::move(f));
  }
  field->push_back(std::move(fh));
}

void PrelistGenerator::Generate(const std::vector<GenHousehold>& households,
                                const std::vector<bool>& in_area, Rng& rng,
                                std::vector<std::vector<PrelistResult>>* results,
                                std::vector<FieldHousehold>* field) const {
  const RegionSampler& regions = households_.regions();
  const int32_t today = EnumerationDays();
  results->assign(households.size(), {});
  auto area_of = [&](const GenHousehold& h) {
    return static_cast<bool>(in_area[regions.desa()[h.desa].kab_kota]);
  };
  for (int32_t i = 0; i < static_cast<int32_t>(households.size()); ++i) {
    const GenHousehold& h = households[i];
    if (!area_of(h)) continue;
    std::vector<PrelistResult>& res = (*results)[i];
    res.assign(h.members.size(), {});
    // Records that repeat a person: the field finds the person once, under the original.
    std::vector<int32_t> real;
    for (int32_t m = 0; m < static_cast<int32_t>(h.members.size()); ++m) {
      const GenPerson& p = h.members[m];
      if (!IsDuplicateRecord(h, p)) {
        real.push_back(m);
        continue;
      }
      const GenHousehold& original = households[p.original.household];
      if (area_of(original)) {
        res[m].outcome = VerivaliOutcome::kGanda;
        res[m].ganda_of = p.original;
      } else {
        res[m].outcome = VerivaliOutcome::kTidakDitemukan;
      }
    }
    if (real.empty()) continue;

    double r = rng.UniformDouble();
    if (r < kHouseholdNotFoundShare) {
      for (int32_t m : real) res[m].outcome = VerivaliOutcome::kTidakDitemukan;
      continue;
    }
    const int32_t fh_index = static_cast<int32_t>(field->size());
    FieldHousehold fh;
    fh.registry_household = i;
    fh.order_key = rng.Next();
    if (r < kHouseholdNotFoundShare + kHouseholdMovedShare) {
      // The whole family moved within the kecamatan or kab/kota; found at the new address.
      Nearness nearness = rng.Bernoulli(0.6) ? Nearness::kSameKecamatan : Nearness::kSameKabKota;
      fh.desa = regions.SampleDesaNear(h.desa, nearness, rng);
      const DesaInfo& d = regions.desa()[fh.desa];
      fh.address = AddressGenerator::Generate(h.custom, d.is_kelurahan,
                                              regions.kab_kota()[d.kab_kota].is_kota, rng);
      fh.address_style = static_cast<uint8_t>(rng.Uniform(AddressGenerator::kStyles));
      fh.new_no_kk = rng.Bernoulli(0.7) || Has(h.corruptions, Corruption::kNoKkMissing);
      fh.kk_issue_days =
          SnapshotDays() +
          static_cast<int32_t>(rng.Uniform(static_cast<uint64_t>(today - SnapshotDays())));
      for (int32_t m : real) {
        FieldPerson f = FoundPerson(h, i, m);
        uint8_t changed = 0;
        if (f.nik == FieldNik::kEmpty && rng.Bernoulli(kFillMissingNikShare)) {
          f.nik = FieldNik::kRegistryPerson;
          changed |= kChangedNik;
        } else if (Has(f.person.corruptions, Corruption::kNikShort)) {
          changed |= kChangedNik;
        }
        if (rng.Bernoulli(kMovedChangedShare)) changed |= ChangeFields(h.members[m], &f, rng);
        res[m].outcome = VerivaliOutcome::kPindah;
        res[m].changed = changed;
        res[m].field_household = fh_index;
        res[m].field_member = static_cast<int32_t>(fh.members.size());
        fh.members.push_back(std::move(f));
      }
      field->push_back(std::move(fh));
      continue;
    }

    // Found at the listed address.
    fh.desa = h.desa;
    fh.address = h.address;
    fh.address_style = static_cast<uint8_t>(rng.Uniform(AddressGenerator::kStyles));
    // A family whose card number the registry lacks shows the card: a number new to the data.
    fh.new_no_kk = Has(h.corruptions, Corruption::kNoKkMissing);
    fh.kk_issue_days = h.kk_issue_days;
    std::vector<FieldPerson> members;
    std::vector<int32_t> member_of;  // registry member index per field member, -1 for new
    bool head_died = false;
    for (int32_t m : real) {
      const GenPerson& p = h.members[m];
      const int age = AgeAt(p.birth_days, today);
      PrelistResult& out = res[m];
      double x = rng.UniformDouble();
      FieldPerson f = FoundPerson(h, i, m);
      if (x < DeathShare(age)) {
        f.status = StatusArt::kMeninggal;
        out.outcome = VerivaliOutcome::kMeninggal;
        if (m == 0) head_died = true;
      } else if ((p.hubungan == Hubungan::kAnak || p.hubungan == Hubungan::kFamiliLain) &&
                 age >= 18 && age <= 40 && rng.Bernoulli(kMemberMovedOutShare)) {
        f.status = StatusArt::kPindah;
        out.outcome = VerivaliOutcome::kPindah;
      } else if (m != 0 && rng.Bernoulli(kMemberNotFoundShare)) {
        out.outcome = VerivaliOutcome::kTidakDitemukan;
        continue;
      } else {
        uint8_t changed = 0;
        if (f.nik == FieldNik::kEmpty && rng.Bernoulli(kFillMissingNikShare)) {
          f.nik = FieldNik::kRegistryPerson;
          changed |= kChangedNik;
        } else if (Has(f.person.corruptions, Corruption::kNikShort)) {
          changed |= kChangedNik;
        }
        if (rng.Bernoulli(kChangedShare)) changed |= ChangeFields(p, &f, rng);
        out.changed = changed;
        out.outcome =
            changed != 0 ? VerivaliOutcome::kDitemukanBerubah : VerivaliOutcome::kDitemukan;
      }
      member_of.push_back(m);
      members.push_back(std::move(f));
    }
    // When the head died, the spouse heads the family now: first on the form.
    if (head_died) {
      for (size_t k = 0; k < members.size(); ++k) {
        FieldPerson& f = members[k];
        if (f.person.hubungan != Hubungan::kIstriSuami || f.status != StatusArt::kTinggal) continue;
        f.person.hubungan = Hubungan::kKepalaKeluarga;
        f.person.status_kawin = StatusKawin::kCeraiMati;
        PrelistResult& out = res[member_of[k]];
        out.changed |= kChangedHubungan | kChangedStatusKawin;
        out.outcome = VerivaliOutcome::kDitemukanBerubah;
        std::rotate(members.begin(), members.begin() + static_cast<std::ptrdiff_t>(k),
                    members.begin() + static_cast<std::ptrdiff_t>(k) + 1);
        std::rotate(member_of.begin(), member_of.begin() + static_cast<std::ptrdiff_t>(k),
                    member_of.begin() + static_cast<std::ptrdiff_t>(k) + 1);
        break;
      }
    }
    // New members: a child married in, and babies born since the registry was updated.
    const size_t listed = members.size();
    for (size_t k = 0; k < listed; ++k) {
      if (members[k].status != StatusArt::kTinggal || member_of[k] < 0) continue;
      const GenPerson& p = h.members[member_of[k]];
      const int age = AgeAt(p.birth_days, today);
      if (p.hubungan == Hubungan::kAnak && p.status_kawin == StatusKawin::kBelumKawin &&
          age >= 20 && age <= 35 && rng.Bernoulli(kNewSpouseShare)) {
        FieldPerson spouse;
        spouse.person = households_.Spouse(h, p, Hubungan::kMenantu, rng);
        spouse.person.title = 0;
        spouse.nik = FieldNik::kNew;
        spouse.baru = true;
        members[k].person.status_kawin = StatusKawin::kKawin;
        PrelistResult& out = res[member_of[k]];
        out.changed |= kChangedStatusKawin;
        out.outcome = VerivaliOutcome::kDitemukanBerubah;
        members.push_back(std::move(spouse));
        member_of.push_back(-1);
        continue;
      }
      if (p.sex == Sex::kPerempuan && p.status_kawin == StatusKawin::kKawin && age >= 18 &&
          age <= 42 && rng.Bernoulli(kBirthShare)) {
        // Born in the two years the registry lags behind, up to the interview.
        int32_t from = SnapshotDays() - 730;
        int32_t birth =
            from + static_cast<int32_t>(rng.Uniform(static_cast<uint64_t>(today - from)));
        int father = member_of[k] == 1 && h.members[0].sex == Sex::kLakiLaki ? 0 : -1;
        FieldPerson baby;
        baby.person = households_.Baby(h, member_of[k], father, birth, rng);
        baby.person.hubungan =
            p.hubungan == Hubungan::kKepalaKeluarga || p.hubungan == Hubungan::kIstriSuami
                ? Hubungan::kAnak
                : Hubungan::kCucu;
        baby.nik = rng.Bernoulli(kNewPersonWithoutNikShare) ? FieldNik::kEmpty : FieldNik::kNew;
        baby.baru = true;
        members.push_back(std::move(baby));
        member_of.push_back(-1);
      }
    }
    for (size_t k = 0; k < members.size(); ++k) {
      if (member_of[k] < 0) continue;
      res[member_of[k]].field_household = fh_index;
      res[member_of[k]].field_member = static_cast<int32_t>(k);
    }
    fh.members = std::move(members);
    field->push_back(std::move(fh));
    if (rng.Bernoulli(kNewHouseholdShare)) AddNewHousehold(h.desa, rng, field);
  }
}

}  // namespace padan::gen
