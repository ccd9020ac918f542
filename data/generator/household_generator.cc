#include "data/generator/household_generator.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace padan::gen {
namespace {

// Figures below shape DTKS families (the poorer ~40% of households): BPS Susenas puts the mean
// household size near 3.8 and DTKS families near 3.5; about 15% of households are headed by
// women, mostly widows. The exact shares are the editor's estimates, tuned so the generated
// totals land there (docs/generator.md lists the measured values).
constexpr double kFemaleHeadShare = 0.16;
constexpr double kDaysPerYear = 365.2425;
constexpr double kMinFatherAge = 17.0;

// Age of heads in 5-year bins from 18: [18,25) then [25,30), [30,35)...[90,96).
constexpr std::array<double, 15> kMaleHeadAge = {3, 7, 10,  12,  12,  12,  11, 10,
                                                 8, 6, 4.5, 2.5, 1.2, 0.5, 0.2};
constexpr std::array<double, 15> kFemaleHeadAge = {1,  2,  4, 6, 8, 9,   10, 11,
                                                   11, 10, 8, 5, 3, 1.5, 0.5};
constexpr std::array<int, 16> kHeadAgeBinStart = {18, 25, 30, 35, 40, 45, 50, 55,
                                                  60, 65, 70, 75, 80, 85, 90, 96};

// Balinese and other birth-order names of adults: first-born are the most common.
constexpr std::array<double, 4> kAdultBirthOrder = {0.4, 0.3, 0.18, 0.12};

constexpr std::array<std::string_view, 21> kOccupations = {
    "Belum/Tidak Bekerja",
    "Mengurus Rumah Tangga",
    "Pelajar/Mahasiswa",
    "Pensiunan",
    "Petani/Pekebun",
    "Buruh Harian Lepas",
    "Buruh Tani/Perkebunan",
    "Nelayan/Perikanan",
    "Wiraswasta",
    "Karyawan Swasta",
    "Pedagang",
    "Sopir",
    "Tukang Batu",
    "Tukang Kayu",
    "Peternak",
    "Pegawai Negeri Sipil",
    "Guru",
    "Penjahit",
    "Pembantu Rumah Tangga",
    "Perangkat Desa",
    "Buruh Nelayan/Perikanan",
};
enum Job : uint8_t {
  kNone,
  kHousework,
  kStudent,
  kRetired,
  kFarmer,
  kDayLabourer,
  kFarmLabourer,
  kFisher,
  kSelfEmployed,
  kPrivateEmployee,
  kTrader,
  kDriver,
  kMason,
  kCarpenter,
  kHerder,
  kCivilServant,
  kTeacher,
  kTailor,
  kDomesticWorker,
  kVillageOfficial,
  kFishLabourer,
};
// Men's occupations in rural desa and in kelurahan/kota, weights by Job value.
constexpr std::array<double, 21> kRuralMenJobs = {0, 0, 0, 0, 30, 20, 12, 4, 9, 5, 6,
                                                  3, 4, 2, 2, 1,  1,  0,  0, 1, 2};
constexpr std::array<double, 21> kUrbanMenJobs = {0, 0, 0, 0, 3, 26, 2, 1, 20, 20, 12,
                                                  6, 5, 2, 0, 2, 1,  1, 0, 0,  1};
constexpr std::array<double, 21> kWomenJobs = {0, 0, 0, 0, 18, 20, 12, 0, 14, 12, 16,
                                               0, 0, 0, 1, 1,  3,  3,  1, 0,  0};

int32_t BirthDaysForAge(double age_years, int32_t at_days, Rng& rng) {
  // Uniform within the year of age, so ages are whole years at the snapshot.
  double days = (age_years + rng.UniformDouble()) * kDaysPerYear;
  return at_days - static_cast<int32_t>(days);
}

int YearOf(int32_t days) {
  int y = 0, m = 0, d = 0;
  CivilFromDays(days, &y, &m, &d);
  return y;
}

// Many elderly people never knew their birth date; offices then wrote 1 July, 31 December or
// 1 January of the year.
int32_t MaybeConventionalDate(int32_t birth_days, int age, Rng& rng) {
  if (age < 50 || !rng.Bernoulli(0.2)) return birth_days;
  int year = YearOf(birth_days);
  double r = rng.UniformDouble();
  if (r < 0.5) return DaysFromCivil(year, 7, 1);
  if (r < 0.75) return DaysFromCivil(year, 12, 31);
  return DaysFromCivil(year, 1, 1);
}

int SampleHeadAge(Sex sex, Rng& rng) {
  const auto& weights = sex == Sex::kPerempuan ? kFemaleHeadAge : kMaleHeadAge;
  size_t bin = rng.Weighted(weights);
  return rng.UniformInt(kHeadAgeBinStart[bin], kHeadAgeBinStart[bin + 1] - 1);
}

// Children still living at home by age: married children mostly leave.
double StaysHome(int age) {
  if (age < 18) return 0.98;
  if (age < 25) return 0.75;
  if (age < 30) return 0.45;
  if (age < 35) return 0.25;
  return 0.1;
}

// Completed fertility by the mother's birth cohort (BPS: TFR 5.6 in 1970, 2.2 by 2020).
double TargetChildren(int mother_birth_year) {
  if (mother_birth_year < 1950) return 5.0;
  if (mother_birth_year < 1960) return 4.2;
  if (mother_birth_year < 1975) return 3.1;
  if (mother_birth_year < 1990) return 2.6;
  return 2.3;
}

Sex Other(Sex sex) { return sex == Sex::kLakiLaki ? Sex::kPerempuan : Sex::kLakiLaki; }

std::string_view LastToken(std::string_view name) {
  size_t space = name.rfind(' ');
  return space == std::string_view::npos ? name : name.substr(space + 1);
}

}  // namespace

struct HouseholdGenerator::Context {
  const DesaInfo& desa;
  const KabKotaInfo& kab;
  uint32_t desa_index;
  bool urban;
  int32_t today;
};

HouseholdGenerator::HouseholdGenerator(const RegionSampler& regions, const NameGenerator& names,
                                       const TitleTable& titles)
    : regions_(regions), names_(names), titles_(titles) {}

std::span<const std::string_view> HouseholdGenerator::Occupations() { return kOccupations; }

uint8_t HouseholdGenerator::Occupation(Sex sex, int age, bool urban, Rng& rng) const {
  if (age < 5) return kNone;
  if (age < 18) return rng.Bernoulli(0.92) ? kStudent : kNone;
  if (age < 23 && rng.Bernoulli(0.35)) return kStudent;
  if (age < 23 && rng.Bernoulli(0.35)) return kNone;
  if (age >= 65) {
    double r = rng.UniformDouble();
    if (r < 0.4) return kNone;
    if (r < 0.45) return kRetired;
    if (sex == Sex::kPerempuan && r < 0.75) return kHousework;
  }
  if (sex == Sex::kPerempuan) {
    double r = rng.UniformDouble();
    if (r < 0.55) return kHousework;
    if (r < 0.63) return kNone;
    return static_cast<uint8_t>(rng.Weighted(kWomenJobs));
  }
  if (rng.Bernoulli(0.06)) return kNone;
  return static_cast<uint8_t>(rng.Weighted(urban ? kUrbanMenJobs : kRuralMenJobs));
}

void HouseholdGenerator::PlaceBirth(const Context& ctx, GenPerson& p, bool born_here,
                                    Rng& rng) const {
  const uint32_t home_kab = ctx.desa.kab_kota;
  const KodeWilayah home_kec = regions_.kecamatan()[ctx.desa.kecamatan].code;
  p.birthplace_upper = rng.Bernoulli(0.65);
  if (born_here ? rng.Bernoulli(0.93) : rng.Bernoulli(0.8)) {
    p.birthplace = home_kab;
    // Most NIKs were issued where the family lives; some in another kecamatan of the kab/kota
    // where the person lived when the e-KTP was made.
    p.nik_kecamatan =
        rng.Bernoulli(0.9) ? home_kec : regions_.SampleKecamatanInKabKota(home_kab, rng);
    return;
  }
  // Born elsewhere: in the same provinsi or anywhere, by population.
  if (rng.Bernoulli(0.5)) {
    const auto& kabs = regions_.kab_kota();
    KodeWilayah provinsi = kabs[home_kab].code / 100;
    uint32_t first = home_kab;
    while (first > 0 && kabs[first - 1].code / 100 == provinsi) --first;
    uint32_t last = home_kab;
    while (last + 1 < kabs.size() && kabs[last + 1].code / 100 == provinsi) ++last;
    p.birthplace = first + static_cast<uint32_t>(rng.Uniform(last - first + 1));
  } else {
    p.birthplace = regions_.SampleKabKota(rng);
  }
  p.nik_kecamatan =
      rng.Bernoulli(0.65) ? home_kec : regions_.SampleKecamatanInKabKota(p.birthplace, rng);
}

std::string HouseholdGenerator::MotherName(NameCustom custom, int child_birth_year,
                                           Rng& rng) const {
  int year = child_birth_year - rng.UniformInt(18, 38);
  std::string_view family = names_.DrawFamilyName(custom, rng);
  return names_.Generate(
      {custom, Sex::kPerempuan, year, 1 + static_cast<int>(rng.Weighted(kAdultBirthOrder)), family},
      rng);
}

GenPerson HouseholdGenerator::MakePerson(const Context& ctx, Sex sex, int32_t birth_days,
                                         Hubungan hubungan, NameCustom custom,
                                         std::string_view family_name, int birth_order,
                                         Rng& rng) const {
  GenPerson p;
  p.sex = sex;
  p.hubungan = hubungan;
  p.custom = custom;
  int age = AgeAt(birth_days, ctx.today);
  p.birth_days = MaybeConventionalDate(birth_days, age, rng);
  p.birth_order = static_cast<uint8_t>(std::clamp(birth_order, 1, 12));
  p.nama = names_.Generate({custom, sex, YearOf(p.birth_days), birth_order, family_name}, rng);
  p.name_case = rng.Bernoulli(0.88) ? NameCase::kUpper : NameCase::kTitle;
  p.pekerjaan = Occupation(sex, age, ctx.urban, rng);
  // Religious titles come with age; degrees are rare among DTKS families.
  double title_share = 0;
  if (age >= 40 && ReligionOfCustom(custom) == Religion::kIslam) {
    title_share = 0.06;
  } else if (age >= 23) {
    title_share = 0.02;
  }
  if (title_share > 0 && rng.Bernoulli(title_share)) {
    p.title = titles_.Draw(sex, age, ReligionOfCustom(custom), rng);
  }
  return p;
}

GenHousehold HouseholdGenerator::Generate(uint32_t desa, Rng& rng) const {
  GenHousehold h;
  h.desa = desa;
  const DesaInfo& d = regions_.desa()[desa];
  const KabKotaInfo& kab = regions_.kab_kota()[d.kab_kota];
  const Context ctx{d, kab, desa, d.is_kelurahan || kab.is_kota, SnapshotDays()};
  h.custom = kab.customs->Draw(rng);
  h.address = AddressGenerator::Generate(h.custom, d.is_kelurahan, kab.is_kota, rng);
  h.address_style = static_cast<uint8_t>(rng.Uniform(AddressGenerator::kStyles));
  auto& m = h.members;
  m.reserve(6);

  // Head.
  const Sex head_sex = rng.Bernoulli(kFemaleHeadShare) ? Sex::kPerempuan : Sex::kLakiLaki;
  const int head_age = SampleHeadAge(head_sex, rng);
  const std::string_view head_family = names_.DrawFamilyName(h.custom, rng);
  GenPerson head = MakePerson(ctx, head_sex, BirthDaysForAge(head_age, ctx.today, rng),
                              Hubungan::kKepalaKeluarga, h.custom, head_family,
                              1 + static_cast<int>(rng.Weighted(kAdultBirthOrder)), rng);
  PlaceBirth(ctx, head, /*born_here=*/false, rng);
  bool married = false;
  if (head_sex == Sex::kLakiLaki) {
    double p_married = head_age < 25 ? 0.75 : head_age < 60 ? 0.92 : head_age < 70 ? 0.82 : 0.62;
    married = rng.Bernoulli(p_married);
    if (married) {
      head.status_kawin = StatusKawin::kKawin;
    } else if (head_age < 35) {
      head.status_kawin = rng.Bernoulli(0.7) ? StatusKawin::kBelumKawin : StatusKawin::kCeraiHidup;
    } else {
      head.status_kawin = rng.Bernoulli(0.65) ? StatusKawin::kCeraiMati : StatusKawin::kCeraiHidup;
    }
  } else {
    // Women head households as widows, divorcees, young single women, or while the husband
    // works away (still "Kawin", no husband in the household).
    double r = rng.UniformDouble();
    if (head_age < 30 && r < 0.35) {
      head.status_kawin = StatusKawin::kBelumKawin;
    } else if (r < 0.1) {
      head.status_kawin = StatusKawin::kKawin;
    } else {
      head.status_kawin = rng.Bernoulli(head_age >= 45 ? 0.75 : 0.35) ? StatusKawin::kCeraiMati
                                                                      : StatusKawin::kCeraiHidup;
    }
  }
  head.nama_ibu = MotherName(h.custom, YearOf(head.birth_days), rng);
  m.push_back(std::move(head));

  // Spouse.
  int mother = -1;  // member index of the children's mother
  int father = -1;
  int mother_age = 0;
  if (m[0].sex == Sex::kLakiLaki) father = 0;
  if (married) {
    int gap = static_cast<int>(std::lround(std::clamp(rng.Normal(4.5, 4.0), -6.0, 20.0)));
    int age = std::max(16, head_age - gap);
    NameCustom custom = rng.Bernoulli(0.9) ? h.custom : kab.customs->Draw(rng);
    GenPerson spouse = MakePerson(ctx, Sex::kPerempuan, BirthDaysForAge(age, ctx.today, rng),
                                  Hubungan::kIstriSuami, custom, names_.DrawFamilyName(custom, rng),
                                  1 + static_cast<int>(rng.Weighted(kAdultBirthOrder)), rng);
    spouse.status_kawin = StatusKawin::kKawin;
    PlaceBirth(ctx, spouse, /*born_here=*/false, rng);
    spouse.nama_ibu = MotherName(custom, YearOf(spouse.birth_days), rng);
    m.push_back(std::move(spouse));
    mother = 1;
    mother_age = age;
  } else if (m[0].sex == Sex::kPerempuan) {
    mother = 0;
    mother_age = head_age;
  } else {
    mother_age = std::max(16, head_age - static_cast<int>(std::lround(rng.Normal(4.5, 4.0))));
  }

  // Children, born to the mother from her late teens, 2-5 years apart.
  const bool never_married = m[0].status_kawin == StatusKawin::kBelumKawin;
  if (!never_married && !rng.Bernoulli(0.06)) {
    // The mother's name for children whose mother is not in the household (a widower's late
    // wife, a divorced man's former wife).
    std::string absent_mother;
    if (mother < 0) absent_mother = MotherName(h.custom, YearOf(m[0].birth_days) + 25, rng);
    const int32_t mother_birth =
        mother >= 0 ? m[mother].birth_days : BirthDaysForAge(mother_age, ctx.today, rng);
    const int mother_year = YearOf(mother_birth);
    int target = static_cast<int>(
        std::lround(std::clamp(rng.Normal(TargetChildren(mother_year), 1.3), 1.0, 9.0)));
    // Children carry the father's surname; a widow's children carry her late husband's.
    std::string_view child_family = head_family;
    if (m[0].sex == Sex::kPerempuan) child_family = names_.DrawFamilyName(h.custom, rng);
    // Some Islamic families give the father's name as the children's last name.
    std::string father_last;
    if (h.custom == NameCustom::kIslam && father == 0 && rng.Bernoulli(0.2)) {
      father_last = std::string(LastToken(m[0].nama));
      child_family = father_last;
    }
    double birth_age = std::clamp(rng.Normal(22.0, 3.0), 16.0, 35.0);
    for (int order = 1; order <= target && birth_age < 45.0; ++order) {
      int32_t birth = mother_birth + static_cast<int32_t>(birth_age * kDaysPerYear) +
                      static_cast<int32_t>(rng.Uniform(300));
      birth_age += 2.0 + rng.UniformDouble() * 3.5;
      if (birth > ctx.today) break;
      // A father, when the head is one, was a grown man at each birth.
      if (m[0].sex == Sex::kLakiLaki &&
          birth - m[0].birth_days < static_cast<int32_t>(kMinFatherAge * kDaysPerYear)) {
        continue;
      }
      int age = AgeAt(birth, ctx.today);
      if (!rng.Bernoulli(StaysHome(age))) continue;
      if (static_cast<int>(m.size()) >= kMaxMembers) break;
      Sex sex = rng.Bernoulli(0.51) ? Sex::kLakiLaki : Sex::kPerempuan;
      GenPerson child =
          MakePerson(ctx, sex, birth, Hubungan::kAnak, h.custom, child_family, order, rng);
      PlaceBirth(ctx, child, /*born_here=*/true, rng);
      child.nama_ibu = mother >= 0 ? m[mother].nama : absent_mother;
      child.father = static_cast<int8_t>(father);
      if (age >= 17 && rng.Bernoulli(age < 25 ? 0.1 : 0.35)) {
        child.status_kawin = rng.Bernoulli(0.8) ? StatusKawin::kKawin : StatusKawin::kCeraiHidup;
      }
      m.push_back(std::move(child));
    }
  }

  // A married child living in with spouse and children (menantu, cucu).
  int married_child = -1;
  for (size_t i = 1; i < m.size(); ++i) {
    if (m[i].hubungan == Hubungan::kAnak && AgeAt(m[i].birth_days, ctx.today) >= 20) {
      married_child = static_cast<int>(i);
      break;
    }
  }
  if (married_child > 0 && static_cast<int>(m.size()) + 1 < kMaxMembers && rng.Bernoulli(0.3)) {
    GenPerson& child = m[married_child];
    child.status_kawin = StatusKawin::kKawin;
    GenPerson in_law = Spouse(h, child, Hubungan::kMenantu, rng);
    int in_law_index = static_cast<int>(m.size());
    m.push_back(std::move(in_law));
    const GenPerson& wife =
        m[married_child].sex == Sex::kPerempuan ? m[married_child] : m[in_law_index];
    int wife_index = m[married_child].sex == Sex::kPerempuan ? married_child : in_law_index;
    int husband_index = wife_index == married_child ? in_law_index : married_child;
    int wife_age = AgeAt(wife.birth_days, ctx.today);
    int grandchildren =
        wife_age < 21 ? 0 : static_cast<int>(rng.Uniform(std::min(4, wife_age / 8)));
    for (int k = 0; k < grandchildren && static_cast<int>(m.size()) < kMaxMembers; ++k) {
      int max_age = std::max(0, wife_age - 19);
      int age = static_cast<int>(rng.Uniform(static_cast<uint64_t>(std::min(max_age, 15)) + 1));
      GenPerson baby =
          Baby(h, wife_index, husband_index, BirthDaysForAge(age, ctx.today, rng), rng);
      baby.hubungan = Hubungan::kCucu;
      m.push_back(std::move(baby));
    }
  } else if (head_age >= 45 && static_cast<int>(m.size()) < kMaxMembers && rng.Bernoulli(0.05)) {
    // Grandchildren left with their grandparents while the parents work elsewhere.
    std::string absent_daughter =
        names_.Generate({h.custom, Sex::kPerempuan, YearOf(m[0].birth_days) + 25, 1, ""}, rng);
    int count = 1 + static_cast<int>(rng.Uniform(2));
    for (int k = 0; k < count && static_cast<int>(m.size()) < kMaxMembers; ++k) {
      int age = static_cast<int>(rng.Uniform(static_cast<uint64_t>(std::min(16, head_age - 38))));
      Sex sex = rng.Bernoulli(0.51) ? Sex::kLakiLaki : Sex::kPerempuan;
      GenPerson grandchild =
          MakePerson(ctx, sex, BirthDaysForAge(age, ctx.today, rng), Hubungan::kCucu, h.custom,
                     names_.DrawFamilyName(h.custom, rng), k + 1, rng);
      PlaceBirth(ctx, grandchild, /*born_here=*/true, rng);
      grandchild.nama_ibu = absent_daughter;
      m.push_back(std::move(grandchild));
    }
  }

  // A widowed parent of the head or of the spouse.
  auto add_parent = [&](int child_index, Hubungan hubungan) {
    const GenPerson& child = m[child_index];
    int child_age = AgeAt(child.birth_days, ctx.today);
    int age = std::min(
        98, child_age + std::max(17, static_cast<int>(std::lround(rng.Normal(28.0, 5.0)))));
    if (age > 98 || static_cast<int>(m.size()) >= kMaxMembers) return;
    Sex sex = rng.Bernoulli(0.72) ? Sex::kPerempuan : Sex::kLakiLaki;
    // A man carries the surname he gave the child; a mother her own.
    std::string_view family = sex == Sex::kLakiLaki ? LastToken(child.nama) : "";
    if (sex == Sex::kPerempuan || !CustomHasFamilyName(child.custom)) {
      family = names_.DrawFamilyName(child.custom, rng);
    }
    std::string family_copy(family);
    GenPerson parent =
        MakePerson(ctx, sex, BirthDaysForAge(age, ctx.today, rng), hubungan, child.custom,
                   family_copy, 1 + static_cast<int>(rng.Weighted(kAdultBirthOrder)), rng);
    parent.status_kawin = StatusKawin::kCeraiMati;
    PlaceBirth(ctx, parent, /*born_here=*/false, rng);
    parent.nama_ibu = MotherName(child.custom, YearOf(parent.birth_days), rng);
    // The parent is the child's mother: keep the child's record consistent with it.
    if (sex == Sex::kPerempuan) m[child_index].nama_ibu = parent.nama;
    m.push_back(std::move(parent));
  };
  if (head_age >= 22 && head_age <= 60 && rng.Bernoulli(head_age <= 45 ? 0.09 : 0.06)) {
    add_parent(0, Hubungan::kOrangTua);
  } else if (married && head_age <= 60 && rng.Bernoulli(0.04)) {
    add_parent(1, Hubungan::kMertua);
  }

  // Other relatives (nephews, nieces, siblings), and rarely a domestic worker or other person.
  if (static_cast<int>(m.size()) < kMaxMembers && rng.Bernoulli(0.04)) {
    int age = rng.UniformInt(5, std::max(6, std::min(75, head_age + 10)));
    Sex sex = rng.Bernoulli(0.5) ? Sex::kLakiLaki : Sex::kPerempuan;
    GenPerson relative =
        MakePerson(ctx, sex, BirthDaysForAge(age, ctx.today, rng), Hubungan::kFamiliLain, h.custom,
                   names_.DrawFamilyName(h.custom, rng), 1, rng);
    PlaceBirth(ctx, relative, /*born_here=*/false, rng);
    relative.nama_ibu = MotherName(h.custom, YearOf(relative.birth_days), rng);
    if (age >= 20 && rng.Bernoulli(0.4)) relative.status_kawin = StatusKawin::kCeraiMati;
    m.push_back(std::move(relative));
  }
  if (static_cast<int>(m.size()) < kMaxMembers && rng.Bernoulli(0.005)) {
    bool helper = rng.Bernoulli(0.4);
    int age = rng.UniformInt(17, 60);
    Sex sex = helper || rng.Bernoulli(0.5) ? Sex::kPerempuan : Sex::kLakiLaki;
    NameCustom custom = kab.customs->Draw(rng);
    GenPerson other = MakePerson(ctx, sex, BirthDaysForAge(age, ctx.today, rng),
                                 helper ? Hubungan::kPembantu : Hubungan::kLainnya, custom,
                                 names_.DrawFamilyName(custom, rng), 1, rng);
    PlaceBirth(ctx, other, /*born_here=*/false, rng);
    other.nama_ibu = MotherName(custom, YearOf(other.birth_days), rng);
    if (helper) other.pekerjaan = kDomesticWorker;
    m.push_back(std::move(other));
  }

  // The family card: issued since the 16-digit era (2004) after the head's marriage or
  // majority, reissued at most changes, so mostly recent.
  int32_t earliest = std::max(DaysFromCivil(2004, 1, 1),
                              m[0].birth_days + static_cast<int32_t>(18 * kDaysPerYear));
  if (earliest >= ctx.today) earliest = ctx.today - 30;
  h.kk_issue_days = earliest + static_cast<int32_t>(rng.Uniform(ctx.today - earliest));
  return h;
}

GenPerson HouseholdGenerator::Spouse(const GenHousehold& household, const GenPerson& partner,
                                     Hubungan hubungan, Rng& rng) const {
  const DesaInfo& d = regions_.desa()[household.desa];
  const KabKotaInfo& kab = regions_.kab_kota()[d.kab_kota];
  const Context ctx{d, kab, household.desa, d.is_kelurahan || kab.is_kota, SnapshotDays()};
  int partner_age = AgeAt(partner.birth_days, ctx.today);
  int gap = static_cast<int>(std::lround(std::clamp(rng.Normal(4.0, 3.0), -3.0, 12.0)));
  int age = partner.sex == Sex::kLakiLaki ? partner_age - gap : partner_age + gap;
  age = std::max(17, age);
  NameCustom custom = rng.Bernoulli(0.85) ? partner.custom : kab.customs->Draw(rng);
  GenPerson spouse = MakePerson(ctx, Other(partner.sex), BirthDaysForAge(age, ctx.today, rng),
                                hubungan, custom, names_.DrawFamilyName(custom, rng),
                                1 + static_cast<int>(rng.Weighted(kAdultBirthOrder)), rng);
  spouse.status_kawin = StatusKawin::kKawin;
  PlaceBirth(ctx, spouse, /*born_here=*/false, rng);
  spouse.nama_ibu = MotherName(custom, YearOf(spouse.birth_days), rng);
  return spouse;
}

GenPerson HouseholdGenerator::Baby(const GenHousehold& household, int mother, int father,
                                   int32_t birth_days, Rng& rng) const {
  const DesaInfo& d = regions_.desa()[household.desa];
  const KabKotaInfo& kab = regions_.kab_kota()[d.kab_kota];
  const int32_t today = std::max(SnapshotDays(), birth_days);
  const Context ctx{d, kab, household.desa, d.is_kelurahan || kab.is_kota, today};
  const GenPerson& mom = household.members[mother];
  NameCustom custom = father >= 0 ? household.members[father].custom : mom.custom;
  std::string_view family;
  if (father >= 0 && CustomHasFamilyName(custom)) {
    family = LastToken(household.members[father].nama);
  }
  std::string family_copy(family);
  int order = 1;
  for (const GenPerson& p : household.members) {
    if (p.nama_ibu == mom.nama) ++order;
  }
  Sex sex = rng.Bernoulli(0.51) ? Sex::kLakiLaki : Sex::kPerempuan;
  GenPerson baby =
      MakePerson(ctx, sex, birth_days, Hubungan::kAnak, custom, family_copy, order, rng);
  PlaceBirth(ctx, baby, /*born_here=*/true, rng);
  baby.nama_ibu = mom.nama;
  baby.father = static_cast<int8_t>(father);
  return baby;
}

}  // namespace padan::gen
