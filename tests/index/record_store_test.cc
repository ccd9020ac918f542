#include "index/record_store.h"

#include <cstdint>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "data/field_error.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Household MakeHousehold(std::string id_keluarga) {
  Household h;
  h.id_keluarga = std::move(id_keluarga);
  h.no_kk = "3201012304150003";
  h.no_kk_value = 3201012304150003;
  h.alamat = "JL. MERDEKA NO. 12";
  h.dusun = "KRAJAN";
  h.rt = "001";
  h.rw = "003";
  h.kode_wilayah = 3201012001;
  h.desil = 2;
  h.program = static_cast<ProgramSet>(Program::kPkh) | static_cast<ProgramSet>(Program::kBpnt);
  h.status = HouseholdStatus::kAktif;
  h.updated_at = Date::FromYmd(2024, 11, 30);
  return h;
}

Person MakePerson(std::string id_art) {
  Person p;
  p.id_art = std::move(id_art);
  p.nik = "3201015705800001";
  p.nik_value = 3201015705800001;
  p.nama = "SITI AMINAH";
  p.jenis_kelamin = Sex::kPerempuan;
  p.tempat_lahir = "BOGOR";
  p.tanggal_lahir = Date::FromYmd(1980, 5, 17);
  p.hubungan = Hubungan::kIstriSuami;
  p.nama_ibu_kandung = "NURHAYATI";
  p.status_kawin = StatusKawin::kKawin;
  p.pekerjaan = "MENGURUS RUMAH TANGGA";
  p.pendidikan = "SD/SEDERAJAT";
  p.status_hidup = StatusHidup::kHidup;
  return p;
}

// Every field of both records, so a round-trip failure names the field.
void ExpectSamePerson(const Person& got, const Person& want) {
  EXPECT_EQ(got.id_art, want.id_art);
  EXPECT_EQ(got.id_keluarga, want.id_keluarga);
  EXPECT_EQ(got.nik, want.nik);
  EXPECT_EQ(got.nik_value, want.nik_value);
  EXPECT_EQ(got.nama, want.nama);
  EXPECT_EQ(got.jenis_kelamin, want.jenis_kelamin);
  EXPECT_EQ(got.tempat_lahir, want.tempat_lahir);
  EXPECT_TRUE(got.tanggal_lahir == want.tanggal_lahir)
      << got.tanggal_lahir.ToString() << " vs " << want.tanggal_lahir.ToString();
  EXPECT_EQ(got.tanggal_lahir.precision(), want.tanggal_lahir.precision());
  EXPECT_EQ(got.tanggal_lahir_text, want.tanggal_lahir_text);
  EXPECT_EQ(got.hubungan, want.hubungan);
  EXPECT_EQ(got.nama_ibu_kandung, want.nama_ibu_kandung);
  EXPECT_EQ(got.status_kawin, want.status_kawin);
  EXPECT_EQ(got.pekerjaan, want.pekerjaan);
  EXPECT_EQ(got.pendidikan, want.pendidikan);
  EXPECT_EQ(got.disabilitas, want.disabilitas);
  EXPECT_EQ(got.status_hidup, want.status_hidup);
  EXPECT_EQ(got.flags, want.flags);
}

void ExpectSameHousehold(const Household& got, const Household& want) {
  EXPECT_EQ(got.id_keluarga, want.id_keluarga);
  EXPECT_EQ(got.no_kk, want.no_kk);
  EXPECT_EQ(got.no_kk_value, want.no_kk_value);
  EXPECT_EQ(got.alamat, want.alamat);
  EXPECT_EQ(got.dusun, want.dusun);
  EXPECT_EQ(got.rt, want.rt);
  EXPECT_EQ(got.rw, want.rw);
  EXPECT_EQ(got.kode_wilayah, want.kode_wilayah);
  EXPECT_EQ(got.desil, want.desil);
  EXPECT_EQ(got.program, want.program);
  EXPECT_EQ(got.status, want.status);
  EXPECT_TRUE(got.updated_at == want.updated_at) << got.updated_at.ToString();
  EXPECT_EQ(got.flags, want.flags);
}

// Adds and checks that the store gives back the person as added, through GetPerson and
// through the column accessors.
PersonId AddAndCheck(RecordStore& store, const Household& h, Person p) {
  absl::StatusOr<PersonId> id = store.Add(h, p);
  EXPECT_THAT(id, IsOk());
  if (!id.ok()) return PersonId();
  p.id_keluarga = h.id_keluarga;
  ExpectSamePerson(store.GetPerson(*id), p);
  EXPECT_EQ(store.id_art(*id), p.id_art);
  EXPECT_EQ(store.nama(*id), p.nama);
  EXPECT_EQ(store.nama_ibu_kandung(*id), p.nama_ibu_kandung);
  EXPECT_EQ(store.tempat_lahir(*id), p.tempat_lahir);
  EXPECT_EQ(store.nik_value(*id), p.nik_value);
  EXPECT_TRUE(store.tanggal_lahir(*id) == p.tanggal_lahir);
  EXPECT_EQ(store.jenis_kelamin(*id), p.jenis_kelamin);
  EXPECT_EQ(store.hubungan(*id), p.hubungan);
  EXPECT_EQ(store.person_flags(*id), p.flags);
  EXPECT_EQ(store.id_keluarga(store.household_of(*id)), h.id_keluarga);
  return *id;
}

// index/ids.h is the store's id vocabulary; its few promises are checked here.
TEST(DenseIdTest, InvalidByDefaultOrderedAndHashable) {
  EXPECT_FALSE(PersonId().valid());
  EXPECT_EQ(PersonId(), PersonId::Invalid());
  EXPECT_TRUE(PersonId(0).valid());
  EXPECT_LT(PersonId(1), PersonId(2));
  EXPECT_EQ(HouseholdId(7), HouseholdId(7));
  absl::flat_hash_set<PersonId> set = {PersonId(1), PersonId(2), PersonId(1)};
  EXPECT_EQ(set.size(), 2u);
  EXPECT_EQ(::testing::PrintToString(PersonId(42)), "PersonId(42)");
  EXPECT_EQ(::testing::PrintToString(HouseholdId()), "HouseholdId(invalid)");
  static_assert(!std::is_convertible_v<PersonId, HouseholdId>);
  static_assert(!std::is_convertible_v<uint32_t, PersonId>);
}

TEST(RecordStoreTest, RoundTripsEveryPersonField) {
  RecordStore store;
  Person p = MakePerson("ART-0001");
  p.nama = "Ñoman Śiti Nur'aini binti H. Abdul 王";  // non-ASCII UTF-8 kept byte for byte
  p.nama_ibu_kandung = "Hj. Ümi Kalsum";
  p.tempat_lahir = "Tanjung Pinang";
  p.disabilitas = "TUNA DAKSA";
  p.flags = kPersonNikDobConflict | kPersonSexInvalid;
  PersonId id = AddAndCheck(store, MakeHousehold("KEL-1"), p);
  EXPECT_EQ(id, PersonId(0));
  EXPECT_EQ(store.person_count(), 1u);
  EXPECT_EQ(store.household_count(), 1u);
}

TEST(RecordStoreTest, RoundTripsEmptyFields) {
  RecordStore store;
  Person p;
  p.id_art = "X";
  Household h;
  h.id_keluarga = "K";
  PersonId id = AddAndCheck(store, h, p);
  ExpectSameHousehold(store.GetHousehold(store.household_of(id)), h);
  EXPECT_TRUE(store.tanggal_lahir(id).missing());
}

TEST(RecordStoreTest, RoundTripsInvalidNikAndDateText) {
  RecordStore store;
  Household h = MakeHousehold("K");
  struct Case {
    std::string nik;
    uint64_t nik_value;
  };
  const std::vector<Case> cases = {
      {"3201015705800001", 3201015705800001},  // canonical: only the number is kept
      {"0000000000000001", 1},                 // leading zeros are part of the canonical text
      {"3.20101E+15", 0},                      // spreadsheet damage
      {"32010157058", 0},                      // too short
      {"320101570580000X", 0},
      {"0000000000000000", 0},                  // 16 digits whose value is 0
      {" 3201015705800001", 3201015705800001},  // value parsed, text as given
      {"", 3201015705800001},                   // value without text
      {"3201015705800002", 3201015705800001},   // text and value disagree
      {"", 0},
  };
  int n = 0;
  for (const Case& c : cases) {
    Person p = MakePerson(absl::StrFormat("ART-%d", n++));
    p.nik = c.nik;
    p.nik_value = c.nik_value;
    p.flags = c.nik_value == 0 ? kPersonNikInvalid : 0;
    AddAndCheck(store, h, p);
  }
  Person bad_date = MakePerson("ART-DATE");
  bad_date.tanggal_lahir = Date();
  bad_date.tanggal_lahir_text = "31-02-1980";
  bad_date.flags = kPersonDobInvalid;
  AddAndCheck(store, h, bad_date);
  Person partial = MakePerson("ART-PARTIAL");
  partial.tanggal_lahir = Date::FromYear(1975);
  AddAndCheck(store, h, partial);
  Person month = MakePerson("ART-MONTH");
  month.tanggal_lahir = Date::FromYearMonth(1850, 1);
  AddAndCheck(store, h, month);
}

TEST(RecordStoreTest, RoundTripsEveryEnumValue) {
  RecordStore store;
  Household h = MakeHousehold("K");
  int n = 0;
  for (int sex = 0; sex <= static_cast<int>(Sex::kPerempuan); ++sex) {
    for (int hub = 0; hub <= static_cast<int>(Hubungan::kLainnya); ++hub) {
      for (int kawin = 0; kawin <= static_cast<int>(StatusKawin::kCeraiMati); ++kawin) {
        for (int hidup = 0; hidup <= static_cast<int>(StatusHidup::kMeninggal); ++hidup) {
          Person p = MakePerson(absl::StrFormat("ART-%d", n));
          p.jenis_kelamin = static_cast<Sex>(sex);
          p.hubungan = static_cast<Hubungan>(hub);
          p.status_kawin = static_cast<StatusKawin>(kawin);
          p.status_hidup = static_cast<StatusHidup>(hidup);
          p.flags = static_cast<uint16_t>(n & 0x1FF);
          p.nik_value = 9'999'999'999'999'999 - n;  // the largest values fill the NIK bits
          p.nik = absl::StrFormat("%016d", p.nik_value);
          AddAndCheck(store, h, p);
          ++n;
        }
      }
    }
  }
  EXPECT_EQ(store.person_count(), 3u * 11 * 5 * 2);
}

TEST(RecordStoreTest, RoundTripsEveryHouseholdField) {
  RecordStore store;
  std::vector<Household> households;
  Household a = MakeHousehold("KEL-A");
  households.push_back(a);
  Household b = MakeHousehold("KEL-B");
  b.no_kk = "32O1O12304150003";  // letter O for zero: kept as text
  b.no_kk_value = 0;
  b.alamat = "Gg. Kenari RT 02/RW 05, Dsn. Wetan — blok Ç";
  b.dusun = "";
  b.rt = "2";
  b.rw = "";
  b.kode_wilayah = 9'999'999'999;
  b.desil = 10;
  b.program = 0x7F;
  b.status = HouseholdStatus::kNonaktif;
  b.updated_at = Date::FromYear(2025);
  b.flags = kHouseholdNoKkInvalid | kHouseholdRegionAmbiguous | kHouseholdRegionUnknown;
  households.push_back(b);
  Household c = MakeHousehold("KEL-C");
  c.kode_wilayah = 32;  // only the provinsi known
  c.desil = 255;        // stored as given: the store does not judge values
  c.updated_at = Date();
  households.push_back(c);
  int n = 0;
  for (const Household& h : households) {
    PersonId id = AddAndCheck(store, h, MakePerson(absl::StrFormat("ART-%d", n++)));
    HouseholdId hid = store.household_of(id);
    ExpectSameHousehold(store.GetHousehold(hid), h);
    EXPECT_EQ(store.id_keluarga(hid), h.id_keluarga);
    EXPECT_EQ(store.no_kk_value(hid), h.no_kk_value);
    EXPECT_EQ(store.kode_wilayah(hid), h.kode_wilayah);
    EXPECT_EQ(store.household_flags(hid), h.flags);
  }
}

TEST(RecordStoreTest, DuplicateIdArtIsAlreadyExistsAndAddsNothing) {
  RecordStore store;
  ASSERT_THAT(store.Add(MakeHousehold("KEL-1"), MakePerson("3201010101000001")), IsOk());
  const size_t memory = store.MemoryUsage();
  Person again = MakePerson("3201010101000001");
  again.tempat_lahir = "SURABAYA";
  absl::StatusOr<PersonId> id = store.Add(MakeHousehold("KEL-2"), again);
  EXPECT_THAT(id, StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(id.status().message(), HasSubstr("3201010101000001"));
  EXPECT_EQ(store.person_count(), 1u);
  EXPECT_EQ(store.household_count(), 1u);
  EXPECT_EQ(store.FindHousehold("KEL-2"), std::nullopt);
  EXPECT_EQ(store.MemoryUsage(), memory);
  EXPECT_EQ(store.GetPerson(PersonId(0)).tempat_lahir, "BOGOR");
}

TEST(RecordStoreTest, EmptyIdsAreInvalidArgument) {
  RecordStore store;
  absl::StatusOr<PersonId> no_art = store.Add(MakeHousehold("KEL-1"), MakePerson(""));
  EXPECT_THAT(no_art, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FieldOf(no_art.status()), "id_art");
  absl::StatusOr<PersonId> no_kel = store.Add(MakeHousehold(""), MakePerson("ART-1"));
  EXPECT_THAT(no_kel, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FieldOf(no_kel.status()), "id_keluarga");
  EXPECT_EQ(store.person_count(), 0u);
  EXPECT_EQ(store.household_count(), 0u);
  EXPECT_EQ(store.FindPerson("ART-1"), std::nullopt);
}

TEST(RecordStoreTest, RejectsWhatItCannotStoreAndAddsNothing) {
  RecordStore store;
  const std::string longest(RecordStore::kMaxFieldBytes, 'A');
  Person fits = MakePerson("ART-LONG");
  fits.nama = longest;
  fits.nama_ibu_kandung = longest;
  Household long_household = MakeHousehold("KEL-LONG");
  long_household.alamat = longest;
  AddAndCheck(store, long_household, fits);

  struct Case {
    std::string field;
    Person person;
    Household household;
  };
  std::vector<Case> cases;
  auto add_case = [&](std::string field) -> Case& {
    cases.push_back({std::move(field), MakePerson("ART-NEW"), MakeHousehold("KEL-NEW")});
    return cases.back();
  };
  add_case("nama").person.nama = longest + "A";
  add_case("pekerjaan").person.pekerjaan = longest + "A";
  add_case("alamat").household.alamat = longest + "A";
  add_case("hubungan").person.hubungan = static_cast<Hubungan>(11);
  add_case("jenis_kelamin").person.jenis_kelamin = static_cast<Sex>(3);
  add_case("status_kawin").person.status_kawin = static_cast<StatusKawin>(5);
  add_case("status_hidup").person.status_hidup = static_cast<StatusHidup>(2);
  add_case("status").household.status = static_cast<HouseholdStatus>(2);
  add_case("nik").person.nik_value = 10'000'000'000'000'000;
  add_case("kode_wilayah").household.kode_wilayah = 10'000'000'000;
  add_case("flags").person.flags = uint16_t{1} << 15;  // reserved for the deleted mark
  for (const Case& c : cases) {
    absl::StatusOr<PersonId> id = store.Add(c.household, c.person);
    EXPECT_THAT(id, StatusIs(absl::StatusCode::kInvalidArgument)) << c.field;
    EXPECT_EQ(FieldOf(id.status()), c.field);
  }
  EXPECT_EQ(store.person_count(), 1u);
  EXPECT_EQ(store.household_count(), 1u);
  EXPECT_EQ(store.FindPerson("ART-NEW"), std::nullopt);
  EXPECT_EQ(store.FindHousehold("KEL-NEW"), std::nullopt);
}

TEST(RecordStoreTest, CreatesEachHouseholdOnceAndKeepsMembersInInsertionOrder) {
  RecordStore store;
  // Rows of three households interleaved, as when an export is sorted by something else.
  const std::vector<std::string> order = {"A", "B", "A", "C", "B", "A", "A", "C", "B"};
  std::vector<PersonId> ids;
  for (size_t i = 0; i < order.size(); ++i) {
    absl::StatusOr<PersonId> id =
        store.Add(MakeHousehold("KEL-" + order[i]), MakePerson(absl::StrFormat("ART-%d", i)));
    ASSERT_THAT(id, IsOk());
    ids.push_back(*id);
  }
  EXPECT_EQ(store.household_count(), 3u);
  std::optional<HouseholdId> a = store.FindHousehold("KEL-A");
  std::optional<HouseholdId> b = store.FindHousehold("KEL-B");
  std::optional<HouseholdId> c = store.FindHousehold("KEL-C");
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(*a, HouseholdId(0));
  EXPECT_EQ(*b, HouseholdId(1));
  EXPECT_EQ(*c, HouseholdId(2));
  EXPECT_THAT(store.Members(*a), ElementsAre(ids[0], ids[2], ids[5], ids[6]));
  EXPECT_THAT(store.Members(*b), ElementsAre(ids[1], ids[4], ids[8]));
  EXPECT_THAT(store.Members(*c), ElementsAre(ids[3], ids[7]));
  for (size_t i = 0; i < order.size(); ++i) {
    EXPECT_EQ(store.id_keluarga(store.household_of(ids[i])), "KEL-" + order[i]);
  }
}

TEST(RecordStoreTest, SingleMemberHousehold) {
  RecordStore store;
  PersonId id = *store.Add(MakeHousehold("KEL"), MakePerson("ART"));
  EXPECT_THAT(store.Members(store.household_of(id)), ElementsAre(id));
}

TEST(RecordStoreTest, PersonIdKeluargaIsIgnored) {
  RecordStore store;
  Person p = MakePerson("ART-1");
  p.id_keluarga = "SOMETHING-ELSE";
  PersonId id = *store.Add(MakeHousehold("KEL-1"), p);
  EXPECT_EQ(store.GetPerson(id).id_keluarga, "KEL-1");
  EXPECT_EQ(store.FindHousehold("SOMETHING-ELSE"), std::nullopt);
}

TEST(RecordStoreTest, LaterRowsFlagConflictsAndFirstRowWins) {
  const Household first = MakeHousehold("KEL-1");
  struct Case {
    std::string name;
    Household row;
  };
  std::vector<Case> conflicts;
  auto with = [&](std::string name) -> Household& {
    conflicts.push_back({std::move(name), first});
    return conflicts.back().row;
  };
  with("no_kk text").no_kk = "3201012304150004";
  with("no_kk value").no_kk_value = 3201012304150004;
  with("no_kk missing").no_kk = "";
  with("alamat").alamat = "JL. MERDEKA NO. 13";
  with("kode_wilayah").kode_wilayah = 3201012002;
  with("rt").rt = "002";
  with("rw").rw = "03";
  for (const Case& c : conflicts) {
    RecordStore store;
    ASSERT_THAT(store.Add(first, MakePerson("ART-1")), IsOk());
    ASSERT_THAT(store.Add(first, MakePerson("ART-2")), IsOk());
    HouseholdId id = *store.FindHousehold("KEL-1");
    EXPECT_EQ(store.household_flags(id) & kHouseholdConflictingRows, 0) << c.name;
    ASSERT_THAT(store.Add(c.row, MakePerson("ART-3")), IsOk());
    EXPECT_NE(store.household_flags(id) & kHouseholdConflictingRows, 0) << c.name;
    // A later agreeing row does not clear it.
    ASSERT_THAT(store.Add(first, MakePerson("ART-4")), IsOk());
    Household stored = store.GetHousehold(id);
    EXPECT_NE(stored.flags & kHouseholdConflictingRows, 0) << c.name;
    stored.flags = first.flags;
    ExpectSameHousehold(stored, first);
    EXPECT_EQ(store.household_count(), 1u);
  }
}

TEST(RecordStoreTest, DifferencesOutsideTheComparedFieldsAreNotConflicts) {
  RecordStore store;
  Household first = MakeHousehold("KEL-1");
  first.no_kk = "ABC";  // invalid no_kk text is compared as text
  first.no_kk_value = 0;
  ASSERT_THAT(store.Add(first, MakePerson("ART-1")), IsOk());
  Household later = first;
  later.dusun = "WETAN";
  later.desil = 9;
  later.program = 0;
  later.status = HouseholdStatus::kNonaktif;
  later.updated_at = Date::FromYmd(2025, 1, 1);
  ASSERT_THAT(store.Add(later, MakePerson("ART-2")), IsOk());
  HouseholdId id = *store.FindHousehold("KEL-1");
  EXPECT_EQ(store.household_flags(id), 0);
  ExpectSameHousehold(store.GetHousehold(id), first);
}

TEST(RecordStoreTest, FindsEveryIdAmongManyAndMissesOthers) {
  // Many ids that share long prefixes and differ in one digit, so hashes land in the same
  // groups of a growing table and every probe must compare the real text.
  RecordStore store;
  constexpr int kPersons = 20000;
  for (int i = 0; i < kPersons; ++i) {
    ASSERT_THAT(store.Add(MakeHousehold(absl::StrFormat("32010120010%05d", i / 4)),
                          MakePerson(absl::StrFormat("32010157058%05d", i))),
                IsOk());
  }
  for (int i = 0; i < kPersons; ++i) {
    std::optional<PersonId> id = store.FindPerson(absl::StrFormat("32010157058%05d", i));
    ASSERT_TRUE(id.has_value()) << i;
    EXPECT_EQ(*id, PersonId(i));
    std::optional<HouseholdId> hid = store.FindHousehold(absl::StrFormat("32010120010%05d", i / 4));
    ASSERT_TRUE(hid.has_value()) << i;
    EXPECT_EQ(*hid, HouseholdId(i / 4));
  }
  for (int i = kPersons; i < kPersons + 1000; ++i) {
    EXPECT_EQ(store.FindPerson(absl::StrFormat("32010157058%05d", i)), std::nullopt);
  }
  EXPECT_EQ(store.FindPerson("3201015705800001 "), std::nullopt);
  EXPECT_EQ(store.FindPerson("320101570580000"), std::nullopt);  // a prefix
  EXPECT_EQ(store.FindPerson(""), std::nullopt);
  EXPECT_EQ(store.FindHousehold("3201012001099999"), std::nullopt);
}

TEST(RecordStoreTest, FindsIdsInATinyTable) {
  // Three entries: a table this small probes every slot, so lookups rely on comparing text.
  RecordStore store;
  ASSERT_THAT(store.Add(MakeHousehold("K"), MakePerson("a")), IsOk());
  ASSERT_THAT(store.Add(MakeHousehold("K"), MakePerson("b")), IsOk());
  ASSERT_THAT(store.Add(MakeHousehold("L"), MakePerson("ab")), IsOk());
  EXPECT_EQ(store.FindPerson("a"), PersonId(0));
  EXPECT_EQ(store.FindPerson("b"), PersonId(1));
  EXPECT_EQ(store.FindPerson("ab"), PersonId(2));
  EXPECT_EQ(store.FindPerson("ba"), std::nullopt);
  EXPECT_EQ(store.FindPerson("c"), std::nullopt);
  EXPECT_EQ(store.FindHousehold("L"), HouseholdId(1));
  EXPECT_EQ(store.FindHousehold("M"), std::nullopt);
}

TEST(RecordStoreTest, SharesMotherNamesWithinAHousehold) {
  RecordStore store;
  Household h = MakeHousehold("KEL-1");
  Household other = MakeHousehold("KEL-2");
  Person kepala = MakePerson("ART-1");
  kepala.nama = "BUDI SANTOSO";
  kepala.nama_ibu_kandung = "SRI WAHYUNI";
  Person istri = MakePerson("ART-2");
  istri.nama = "SITI AMINAH";
  istri.nama_ibu_kandung = "NURHAYATI";
  std::vector<Person> rows = {kepala, istri};
  // Children name their mother as she is written in the household, or spell her differently;
  // a grandchild names a child; an unrelated row of another household sits in between.
  for (int i = 0; i < 6; ++i) {
    Person child = MakePerson(absl::StrFormat("ART-C%d", i));
    child.nama = absl::StrFormat("ANAK KE %d", i);
    child.nama_ibu_kandung = i % 3 == 2 ? "SITI AMINA" : "SITI AMINAH";
    rows.push_back(child);
  }
  Person grandchild = MakePerson("ART-G");
  grandchild.nama_ibu_kandung = "ANAK KE 1";
  rows.push_back(grandchild);
  Person short_name = MakePerson("ART-S");
  short_name.nama_ibu_kandung = "A";
  rows.push_back(short_name);
  for (size_t i = 0; i < rows.size(); ++i) {
    AddAndCheck(store, h, rows[i]);
    if (i % 2 == 0) {
      Person unrelated = MakePerson(absl::StrFormat("ART-X%d", i));
      unrelated.nama_ibu_kandung = "SITI AMINAH";
      AddAndCheck(store, other, unrelated);
    }
  }
  for (PersonId id : store.Members(*store.FindHousehold("KEL-1"))) {
    Person p = store.GetPerson(id);
    EXPECT_EQ(store.nama_ibu_kandung(id), p.nama_ibu_kandung);
  }
  const Person stored = store.GetPerson(*store.FindPerson("ART-C5"));
  EXPECT_EQ(stored.nama_ibu_kandung, "SITI AMINA");
}

TEST(RecordStoreTest, SharedMotherNamesTakeLessText) {
  constexpr int kHouseholds = 20000;
  auto person_text_bytes = [](bool children_name_the_mother) {
    RecordStore store;
    for (int k = 0; k < kHouseholds; ++k) {
      Household h = MakeHousehold(absl::StrFormat("KEL-%d", k));
      Person istri = MakePerson(absl::StrFormat("ART-%d-0", k));
      istri.nama = absl::StrFormat("DEWI KARTIKA SARI %d", k);
      EXPECT_THAT(store.Add(h, istri), IsOk());
      for (int c = 1; c <= 3; ++c) {
        Person child = MakePerson(absl::StrFormat("ART-%d-%d", k, c));
        child.nama_ibu_kandung = children_name_the_mother
                                     ? istri.nama
                                     : absl::StrFormat("DEWI KARTIKA SARI %d", k * 4 + c);
        EXPECT_THAT(store.Add(h, child), IsOk());
      }
    }
    return store.Memory().person_text;
  };
  // 60,000 children whose ~22-byte mother name becomes a 2-byte reference: over 1 MiB less,
  // which shows even though the arena is counted in whole 1 MiB chunks.
  EXPECT_LT(person_text_bytes(true), person_text_bytes(false));
}

TEST(RecordStoreTest, DictionaryCodingSharesRepeatedStrings) {
  RecordStore store;
  auto add = [&](int i, const std::string& tempat) {
    Person p = MakePerson(absl::StrFormat("ART-%d", i));
    p.tempat_lahir = tempat;
    p.pekerjaan = i % 2 == 0 ? "PETANI" : "BURUH HARIAN LEPAS";
    p.pendidikan = "SD/SEDERAJAT";
    p.disabilitas = i % 7 == 0 ? "TUNA RUNGU" : "";
    EXPECT_THAT(store.Add(MakeHousehold(absl::StrFormat("KEL-%d", i / 4)), p), IsOk());
  };
  for (int i = 0; i < 100; ++i) add(i, i % 3 == 0 ? "BOGOR" : "KAB. BOGOR");
  const size_t dictionaries = store.Memory().dictionaries;
  for (int i = 100; i < 20000; ++i) add(i, i % 3 == 0 ? "BOGOR" : "KAB. BOGOR");
  EXPECT_EQ(store.Memory().dictionaries, dictionaries);
  EXPECT_EQ(store.tempat_lahir(PersonId(0)), "BOGOR");
  EXPECT_EQ(store.tempat_lahir(PersonId(19999)), "KAB. BOGOR");
  EXPECT_EQ(store.tempat_lahir(PersonId(0)).data(), store.tempat_lahir(PersonId(3)).data());
  EXPECT_EQ(store.GetPerson(PersonId(19999)).pekerjaan, "BURUH HARIAN LEPAS");
  EXPECT_EQ(store.GetPerson(PersonId(19992)).disabilitas, "TUNA RUNGU");
}

// Persons whose text lengths vary, so blob offsets are irregular across blocks and chunks.
Person VaryingPerson(int i) {
  Person p = MakePerson(absl::StrFormat("%016d", 3201010000000000 + i * 7));
  p.nama = std::string(1 + i % 97, static_cast<char>('A' + i % 26));
  p.nama_ibu_kandung = i % 5 == 0 ? "" : absl::StrFormat("IBU %d", i);
  if (i % 11 == 0) {
    p.nik = absl::StrFormat("BAD%d", i);
    p.nik_value = 0;
  } else {
    p.nik_value = 3201015705800000 + i;
    p.nik = absl::StrFormat("%016d", p.nik_value);
  }
  p.tempat_lahir = absl::StrFormat("TEMPAT %d", i % 3000);
  p.tanggal_lahir = Date::FromDays(-30000 + i % 40000);
  p.hubungan = static_cast<Hubungan>(i % 11);
  p.flags = static_cast<uint16_t>(i % 512);
  return p;
}

TEST(RecordStoreTest, CrossesThe65536RecordBlockBoundary) {
  RecordStore store;
  constexpr int kPersons = 70000;
  for (int i = 0; i < kPersons; ++i) {
    ASSERT_THAT(store.Add(MakeHousehold(absl::StrFormat("KEL-%d", i / 3)), VaryingPerson(i)),
                IsOk())
        << i;
  }
  ASSERT_EQ(store.person_count(), static_cast<size_t>(kPersons));
  for (int i = 0; i < kPersons; ++i) {
    const PersonId id(i);
    ASSERT_EQ(store.id_art(id), VaryingPerson(i).id_art) << i;
    ASSERT_EQ(store.FindPerson(VaryingPerson(i).id_art), id) << i;
  }
  for (int i : {0, 1, 65534, 65535, 65536, 65537, 69999}) {
    Person want = VaryingPerson(i);
    want.id_keluarga = absl::StrFormat("KEL-%d", i / 3);
    ExpectSamePerson(store.GetPerson(PersonId(i)), want);
  }
  // Households cross no block here, but their members straddle the persons' boundary.
  const HouseholdId straddling = *store.FindHousehold(absl::StrFormat("KEL-%d", 65535 / 3));
  EXPECT_THAT(store.Members(straddling),
              ElementsAre(PersonId(65535 - 65535 % 3), PersonId(65535 - 65535 % 3 + 1),
                          PersonId(65535 - 65535 % 3 + 2)));
}

TEST(RecordStoreTest, HouseholdsCrossTheirBlockBoundary) {
  RecordStore store;
  constexpr int kHouseholds = 66000;
  for (int i = 0; i < kHouseholds; ++i) {
    Household h = MakeHousehold(absl::StrFormat("KEL-%d", i));
    h.alamat = std::string(i % 50, 'J');
    h.kode_wilayah = 1100000000 + i;
    ASSERT_THAT(store.Add(h, MakePerson(absl::StrFormat("ART-%d", i))), IsOk());
  }
  for (int i : {0, 65535, 65536, 65999}) {
    const HouseholdId id(i);
    EXPECT_EQ(store.FindHousehold(absl::StrFormat("KEL-%d", i)), id);
    EXPECT_EQ(store.id_keluarga(id), absl::StrFormat("KEL-%d", i));
    EXPECT_EQ(store.GetHousehold(id).alamat, std::string(i % 50, 'J'));
    EXPECT_EQ(store.kode_wilayah(id), 1100000000u + i);
    EXPECT_THAT(store.Members(id), ElementsAre(PersonId(i)));
  }
}

TEST(RecordStoreTest, MemoryUsageGrowsSensibly) {
  RecordStore store;
  EXPECT_LT(store.MemoryUsage(), 4096u);  // an empty store holds next to nothing
  size_t previous = store.MemoryUsage();
  size_t text_bytes = 0;
  RecordStore::MemoryBreakdown at_block_end;
  for (int i = 0; i < 70000; ++i) {
    Person p = VaryingPerson(i);
    text_bytes += p.id_art.size() + p.nama.size();
    ASSERT_THAT(store.Add(MakeHousehold(absl::StrFormat("KEL-%d", i / 4)), p), IsOk());
    const size_t now = store.MemoryUsage();
    ASSERT_GE(now, previous) << i;
    previous = now;
    if (i == 65535) at_block_end = store.Memory();
    if (i == 65536) {
      // The 65,537th person opens a second block of person columns and nothing else.
      EXPECT_GT(store.Memory().person_columns, at_block_end.person_columns);
      EXPECT_EQ(store.Memory().household_columns, at_block_end.household_columns);
    }
  }
  const RecordStore::MemoryBreakdown m = store.Memory();
  EXPECT_GE(m.person_text, text_bytes);
  EXPECT_GT(m.household_text, 0u);
  EXPECT_GT(m.dictionaries, 0u);
  EXPECT_GE(m.id_maps, (70000u + 17500u) * 5);  // a 4-byte slot and a control byte each
  EXPECT_EQ(m.total(), store.MemoryUsage());
  // Two blocks of person columns (4 MB), one of household columns (2 MB), 1 MiB text chunks
  // and ~80-byte names here: about 200 B/person at this small size, not kilobytes.
  EXPECT_LT(m.total(), 70000u * 300);
}

TEST(RecordStoreTest, ReserveKeepsLookupsWorking) {
  RecordStore store;
  store.Reserve(1000, 250);
  ASSERT_THAT(store.Add(MakeHousehold("K"), MakePerson("A")), IsOk());
  const size_t id_maps = store.Memory().id_maps;
  for (int i = 0; i < 999; ++i) {
    ASSERT_THAT(store.Add(MakeHousehold(absl::StrFormat("K%d", i / 4)),
                          MakePerson(absl::StrFormat("B%d", i))),
                IsOk());
  }
  EXPECT_EQ(store.Memory().id_maps, id_maps);  // no rehash while within the reservation
  store.Reserve(100000, 25000);                // rehashes every id through its text
  EXPECT_EQ(store.FindPerson("A"), PersonId(0));
  EXPECT_EQ(store.FindPerson("B998"), PersonId(999));
  EXPECT_EQ(store.FindHousehold("K249"), HouseholdId(250));
}

TEST(RecordStoreTest, ConstMethodsRunConcurrently) {
  RecordStore store;
  constexpr int kPersons = 5000;
  for (int i = 0; i < kPersons; ++i) {
    ASSERT_THAT(store.Add(MakeHousehold(absl::StrFormat("KEL-%d", i / 4)), VaryingPerson(i)),
                IsOk());
  }
  std::vector<std::thread> readers;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&store, &mismatches, t] {
      for (int i = t; i < kPersons; i += 2) {
        const Person want = VaryingPerson(i);
        std::optional<PersonId> id = store.FindPerson(want.id_art);
        if (!id || store.GetPerson(*id).nama != want.nama ||
            store.Members(store.household_of(*id)).empty()) {
          ++mismatches[t];
        }
      }
    });
  }
  for (std::thread& reader : readers) reader.join();
  EXPECT_THAT(mismatches, ElementsAre(0, 0, 0, 0));
}

}  // namespace
}  // namespace padan
