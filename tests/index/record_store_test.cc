#include "index/record_store.h"

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <random>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "data/field_error.h"
#include "data/status_macros.h"
#include "index/crc32c.h"
#include "index/snapshot_file.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ContainsRegex;
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
  add_case("flags").person.flags = uint16_t{1} << 15;  // reserved (kReservedPersonFlag)
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

// --- Versions: ReplaceHousehold, DeleteHousehold, tombstones --------------------------------

std::vector<std::string> IdArts(const RecordStore& store, const std::vector<PersonId>& ids) {
  std::vector<std::string> arts;
  for (PersonId id : ids) arts.emplace_back(store.id_art(id));
  return arts;
}

std::vector<PersonId> LivePersons(const RecordStore& store) {
  std::vector<PersonId> ids;
  store.ForEachLivePerson([&](PersonId id) { ids.push_back(id); });
  return ids;
}

// A household K-<n> imported with the given members through Add.
void Import(RecordStore& store, const std::string& id_keluarga,
            const std::vector<std::string>& id_arts) {
  for (const std::string& id_art : id_arts) {
    ASSERT_THAT(store.Add(MakeHousehold(id_keluarga), MakePerson(id_art)), IsOk()) << id_art;
  }
}

TEST(RecordStoreTest, ReplaceAddsNewVersionsAndTombstonesTheOldOnes) {
  RecordStore store;
  Import(store, "KEL-1", {"A", "B"});
  const HouseholdId old_household = *store.FindHousehold("KEL-1");
  const PersonId old_a = *store.FindPerson("A");
  const PersonId old_b = *store.FindPerson("B");

  Household h = MakeHousehold("KEL-1");
  h.alamat = "JL. BARU NO. 1";
  h.desil = 5;
  Person a = MakePerson("A");
  a.nama = "SITI AMINAH BINTI UMAR";
  a.id_keluarga = "IGNORED";
  Person c = MakePerson("C");
  c.nama = "UMAR";
  absl::StatusOr<HouseholdChange> change = store.ReplaceHousehold(h, {a, c});
  ASSERT_THAT(change, IsOk());

  EXPECT_NE(change->household, old_household);
  EXPECT_EQ(change->removed_household, old_household);
  EXPECT_THAT(change->removed, ElementsAre(old_a, old_b));
  ASSERT_EQ(change->added.size(), 2u);
  EXPECT_THAT(IdArts(store, change->added), ElementsAre("A", "C"));
  for (PersonId id : change->added) EXPECT_GT(id.value, old_b.value);

  EXPECT_EQ(store.FindHousehold("KEL-1"), change->household);
  EXPECT_EQ(store.FindPerson("A"), change->added[0]);
  EXPECT_EQ(store.FindPerson("B"), std::nullopt);
  EXPECT_EQ(store.FindPerson("C"), change->added[1]);
  EXPECT_FALSE(store.is_live(old_household));
  EXPECT_FALSE(store.is_live(old_a));
  EXPECT_FALSE(store.is_live(old_b));
  EXPECT_TRUE(store.is_live(change->household));
  EXPECT_EQ(store.person_count(), 4u);
  EXPECT_EQ(store.live_person_count(), 2u);
  EXPECT_EQ(store.household_count(), 2u);
  EXPECT_EQ(store.live_household_count(), 1u);

  a.id_keluarga = "KEL-1";
  ExpectSamePerson(store.GetPerson(change->added[0]), a);
  ExpectSameHousehold(store.GetHousehold(change->household), h);
  EXPECT_EQ(store.household_of(change->added[1]), change->household);
  EXPECT_THAT(store.Members(change->household), ElementsAre(change->added[0], change->added[1]));
  // The old versions stay readable, as they were, for audit.
  EXPECT_EQ(store.GetPerson(old_a).nama, "SITI AMINAH");
  EXPECT_EQ(store.GetPerson(old_a).flags, 0);
  EXPECT_EQ(store.person_flags(old_a), 0);
  EXPECT_EQ(store.GetHousehold(old_household).alamat, "JL. MERDEKA NO. 12");
  EXPECT_EQ(store.household_of(old_a), old_household);
  EXPECT_THAT(store.Members(old_household), ElementsAre(old_a, old_b));
}

TEST(RecordStoreTest, ReplaceOfAnUnknownHouseholdCreatesIt) {
  RecordStore store;
  Import(store, "KEL-1", {"A"});
  absl::StatusOr<HouseholdChange> change =
      store.ReplaceHousehold(MakeHousehold("KEL-2"), {MakePerson("B"), MakePerson("C")});
  ASSERT_THAT(change, IsOk());
  EXPECT_EQ(change->removed_household, std::nullopt);
  EXPECT_TRUE(change->removed.empty());
  EXPECT_THAT(IdArts(store, change->added), ElementsAre("B", "C"));
  EXPECT_EQ(store.live_household_count(), 2u);
  EXPECT_EQ(store.live_person_count(), 3u);
  EXPECT_THAT(store.Members(*store.FindHousehold("KEL-1")), ElementsAre(*store.FindPerson("A")));
}

TEST(RecordStoreTest, ReplaceMovesAListedMemberOutOfAnotherHousehold) {
  // Moving the head, a middle member or the tail of KEL-1 leaves its other members, in order.
  const std::vector<std::string> members = {"A", "B", "C"};
  for (size_t moved = 0; moved < members.size(); ++moved) {
    RecordStore store;
    Import(store, "KEL-1", members);
    Import(store, "KEL-2", {"D"});
    const HouseholdId kel1 = *store.FindHousehold("KEL-1");
    const PersonId old_d = *store.FindPerson("D");
    const PersonId old_moved = *store.FindPerson(members[moved]);
    absl::StatusOr<HouseholdChange> change = store.ReplaceHousehold(
        MakeHousehold("KEL-2"), {MakePerson("D"), MakePerson(members[moved])});
    ASSERT_THAT(change, IsOk());
    EXPECT_THAT(change->removed, ElementsAre(old_d, old_moved)) << moved;
    EXPECT_FALSE(store.is_live(old_moved));
    EXPECT_EQ(store.household_of(*store.FindPerson(members[moved])), change->household);

    // KEL-1 keeps its version and its other members.
    EXPECT_EQ(store.FindHousehold("KEL-1"), kel1);
    EXPECT_TRUE(store.is_live(kel1));
    std::vector<std::string> rest = members;
    rest.erase(rest.begin() + static_cast<ptrdiff_t>(moved));
    EXPECT_EQ(IdArts(store, store.Members(kel1)), rest) << moved;
    EXPECT_EQ(store.live_person_count(), 4u);

    // KEL-1 still grows at its tail.
    ASSERT_THAT(store.Add(MakeHousehold("KEL-1"), MakePerson("E")), IsOk());
    rest.push_back("E");
    EXPECT_EQ(IdArts(store, store.Members(kel1)), rest) << moved;
  }
}

TEST(RecordStoreTest, MovingTheOnlyMemberLeavesAnEmptyLiveHousehold) {
  RecordStore store;
  Import(store, "KEL-1", {"A"});
  const HouseholdId kel1 = *store.FindHousehold("KEL-1");
  ASSERT_THAT(store.ReplaceHousehold(MakeHousehold("KEL-2"), {MakePerson("A")}), IsOk());
  EXPECT_TRUE(store.is_live(kel1));
  EXPECT_TRUE(store.Members(kel1).empty());
  ASSERT_THAT(store.Add(MakeHousehold("KEL-1"), MakePerson("B")), IsOk());
  EXPECT_THAT(IdArts(store, store.Members(kel1)), ElementsAre("B"));
}

TEST(RecordStoreTest, ReplaceWithNoMembersKeepsAnEmptyHousehold) {
  RecordStore store;
  Import(store, "KEL-1", {"A", "B"});
  absl::StatusOr<HouseholdChange> change = store.ReplaceHousehold(MakeHousehold("KEL-1"), {});
  ASSERT_THAT(change, IsOk());
  EXPECT_EQ(change->removed.size(), 2u);
  EXPECT_TRUE(change->added.empty());
  EXPECT_TRUE(store.Members(change->household).empty());
  EXPECT_EQ(store.FindHousehold("KEL-1"), change->household);
  EXPECT_EQ(store.live_person_count(), 0u);
  EXPECT_EQ(store.live_household_count(), 1u);
  // An Add row for it joins the empty live version.
  PersonId c = *store.Add(MakeHousehold("KEL-1"), MakePerson("C"));
  EXPECT_EQ(store.household_of(c), change->household);
  EXPECT_THAT(store.Members(change->household), ElementsAre(c));
}

TEST(RecordStoreTest, AddJoinsTheLiveVersionAfterAReplace) {
  RecordStore store;
  Import(store, "KEL-1", {"A"});
  HouseholdChange change = *store.ReplaceHousehold(MakeHousehold("KEL-1"), {MakePerson("A")});
  PersonId b = *store.Add(MakeHousehold("KEL-1"), MakePerson("B"));
  EXPECT_EQ(store.household_of(b), change.household);
  EXPECT_THAT(IdArts(store, store.Members(change.household)), ElementsAre("A", "B"));
  EXPECT_THAT(store.Add(MakeHousehold("KEL-1"), MakePerson("A")),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST(RecordStoreTest, DeleteTombstonesTheHouseholdAndItsMembers) {
  RecordStore store;
  Import(store, "KEL-1", {"A", "B"});
  Import(store, "KEL-2", {"C"});
  const HouseholdId kel1 = *store.FindHousehold("KEL-1");
  const PersonId a = *store.FindPerson("A");
  const PersonId b = *store.FindPerson("B");
  absl::StatusOr<HouseholdChange> change = store.DeleteHousehold("KEL-1");
  ASSERT_THAT(change, IsOk());
  EXPECT_EQ(change->household, kel1);
  EXPECT_EQ(change->removed_household, kel1);
  EXPECT_THAT(change->removed, ElementsAre(a, b));
  EXPECT_TRUE(change->added.empty());
  EXPECT_EQ(store.FindHousehold("KEL-1"), std::nullopt);
  EXPECT_EQ(store.FindPerson("A"), std::nullopt);
  EXPECT_EQ(store.FindPerson("B"), std::nullopt);
  EXPECT_FALSE(store.is_live(kel1));
  EXPECT_FALSE(store.is_live(a));
  // What was deleted stays visible through the old ids.
  EXPECT_EQ(store.household_of(a), kel1);
  EXPECT_EQ(store.household_of(b), kel1);
  EXPECT_THAT(store.Members(kel1), ElementsAre(a, b));
  EXPECT_EQ(store.GetPerson(b).id_keluarga, "KEL-1");
  EXPECT_EQ(store.live_person_count(), 1u);
  EXPECT_EQ(store.live_household_count(), 1u);
  EXPECT_EQ(store.person_count(), 3u);

  EXPECT_THAT(store.DeleteHousehold("KEL-1"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store.DeleteHousehold("KEL-9"), StatusIs(absl::StatusCode::kNotFound));
  // The keys are free again: an import row creates a new version.
  PersonId again = *store.Add(MakeHousehold("KEL-1"), MakePerson("A"));
  EXPECT_NE(store.household_of(again), kel1);
  EXPECT_EQ(store.FindPerson("A"), again);
  EXPECT_THAT(store.Members(store.household_of(again)), ElementsAre(again));
}

TEST(RecordStoreTest, ValidateNamesTheFieldAndNothingChanges) {
  struct Case {
    std::string field;
    std::string in_message;
    Household household;
    std::vector<Person> members;
  };
  const std::string too_long(RecordStore::kMaxFieldBytes + 1, 'X');
  std::vector<Case> cases;
  auto add_case = [&](std::string field, std::string in_message) -> Case& {
    cases.push_back({std::move(field),
                     std::move(in_message),
                     MakeHousehold("KEL-1"),
                     {MakePerson("A"), MakePerson("NEW")}});
    return cases.back();
  };
  add_case("id_keluarga", "must not be empty").household.id_keluarga = "";
  add_case("alamat", "4097 bytes").household.alamat = too_long;
  add_case("kode_wilayah", "10 digits").household.kode_wilayah = 10'000'000'000;
  add_case("status", "not defined").household.status = static_cast<HouseholdStatus>(2);
  add_case("id_art", "member 1").members[1].id_art = "";
  add_case("nama", "member 1, id_art 'NEW'").members[1].nama = too_long;
  add_case("hubungan", "member 0, id_art 'A'").members[0].hubungan = static_cast<Hubungan>(11);
  add_case("flags", "bit 15").members[1].flags = RecordStore::kReservedPersonFlag;
  add_case("nik", "16 digits").members[0].nik_value = 10'000'000'000'000'000;
  add_case("id_art", "listed twice").members[1].id_art = "A";

  RecordStore store;
  Import(store, "KEL-1", {"A", "B"});
  Import(store, "KEL-2", {"NEW"});
  const size_t memory = store.MemoryUsage();
  const HouseholdId kel1 = *store.FindHousehold("KEL-1");
  for (const Case& c : cases) {
    absl::Status valid = store.ValidateHousehold(c.household, c.members);
    EXPECT_THAT(valid, StatusIs(absl::StatusCode::kInvalidArgument)) << c.field;
    EXPECT_EQ(FieldOf(valid), c.field);
    EXPECT_THAT(valid.message(), HasSubstr(c.in_message));
    absl::StatusOr<HouseholdChange> change = store.ReplaceHousehold(c.household, c.members);
    EXPECT_EQ(change.status(), valid);
  }
  EXPECT_EQ(store.person_count(), 3u);
  EXPECT_EQ(store.live_person_count(), 3u);
  EXPECT_EQ(store.household_count(), 2u);
  EXPECT_EQ(store.FindHousehold("KEL-1"), kel1);
  EXPECT_THAT(IdArts(store, store.Members(kel1)), ElementsAre("A", "B"));
  EXPECT_EQ(store.household_of(*store.FindPerson("NEW")), *store.FindHousehold("KEL-2"));
  EXPECT_EQ(store.MemoryUsage(), memory);
  EXPECT_THAT(store.ValidateHousehold(MakeHousehold("KEL-1"), {MakePerson("A")}), IsOk());
  EXPECT_THAT(store.ValidateHousehold(MakeHousehold("KEL-1"), {}), IsOk());
}

TEST(RecordStoreTest, ForEachLivePersonSkipsTombstonesInIdOrder) {
  RecordStore store;
  Import(store, "KEL-1", {"A", "B"});
  Import(store, "KEL-2", {"C", "D"});
  Import(store, "KEL-3", {"E"});
  ASSERT_THAT(store.ReplaceHousehold(MakeHousehold("KEL-3"), {MakePerson("E"), MakePerson("B")}),
              IsOk());
  ASSERT_THAT(store.DeleteHousehold("KEL-2"), IsOk());
  EXPECT_THAT(IdArts(store, LivePersons(store)), ElementsAre("A", "E", "B"));
  EXPECT_THAT(LivePersons(store), ElementsAre(PersonId(0), PersonId(5), PersonId(6)));
  EXPECT_EQ(store.live_person_count(), 3u);
}

TEST(RecordStoreTest, MotherNamesSurviveTheirSourceMovingAway) {
  RecordStore store;
  Household h = MakeHousehold("KEL-1");
  Person ibu = MakePerson("IBU");
  ibu.nama = "SRI WAHYUNI";
  Person anak = MakePerson("ANAK");
  anak.nama_ibu_kandung = "SRI WAHYUNI";  // stored as a reference to IBU's nama
  Person cucu = MakePerson("CUCU");
  cucu.nama_ibu_kandung = "SRI WAHYUNI";
  for (const Person& p : {ibu, anak, cucu}) ASSERT_THAT(store.Add(h, p), IsOk());
  ASSERT_THAT(store.ReplaceHousehold(MakeHousehold("KEL-2"), {ibu}), IsOk());
  EXPECT_EQ(store.nama_ibu_kandung(*store.FindPerson("ANAK")), "SRI WAHYUNI");
  EXPECT_EQ(store.GetPerson(*store.FindPerson("CUCU")).nama_ibu_kandung, "SRI WAHYUNI");
  // A later member of KEL-1 finds no mother among the live members, and stores her name.
  Person baru = MakePerson("BARU");
  baru.nama_ibu_kandung = "SRI WAHYUNI";
  EXPECT_EQ(store.GetPerson(*store.Add(h, baru)).nama_ibu_kandung, "SRI WAHYUNI");
}

// --- Snapshots -----------------------------------------------------------------------------

// A store saved to a file in `dir`, by default a fresh folder; returns the file's path.
std::string SaveToFile(const RecordStore& store, std::string dir = "") {
  if (dir.empty()) dir = padan::testing::MakeTempDir();
  const std::string path = dir + "/store.snp";
  absl::StatusOr<std::unique_ptr<SnapshotWriter>> writer = SnapshotWriter::Create(path);
  EXPECT_THAT(writer, IsOk());
  if (!writer.ok()) return path;
  EXPECT_THAT(store.Save(**writer), IsOk());
  EXPECT_THAT((*writer)->Finish(), IsOk());
  return path;
}

absl::StatusOr<std::unique_ptr<RecordStore>> LoadFromFile(const std::string& path) {
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<SnapshotReader> reader, SnapshotReader::Open(path));
  return RecordStore::Load(*reader);
}

std::unique_ptr<RecordStore> RoundTrip(const RecordStore& store) {
  absl::StatusOr<std::unique_ptr<RecordStore>> loaded = LoadFromFile(SaveToFile(store));
  EXPECT_THAT(loaded, IsOk());
  return loaded.ok() ? *std::move(loaded) : std::make_unique<RecordStore>();
}

// Every live record of `want` is in `got` with the same content and the same members, and
// `got` holds nothing else and no tombstones.
void ExpectSameLiveRecords(const RecordStore& got, const RecordStore& want) {
  EXPECT_EQ(got.person_count(), want.live_person_count());
  EXPECT_EQ(got.live_person_count(), want.live_person_count());
  EXPECT_EQ(got.household_count(), want.live_household_count());
  EXPECT_EQ(got.live_household_count(), want.live_household_count());
  want.ForEachLivePerson([&](PersonId id) {
    const Person p = want.GetPerson(id);
    std::optional<PersonId> loaded = got.FindPerson(p.id_art);
    ASSERT_TRUE(loaded.has_value()) << p.id_art;
    ExpectSamePerson(got.GetPerson(*loaded), p);
    EXPECT_EQ(got.nama_ibu_kandung(*loaded), p.nama_ibu_kandung);
  });
  for (uint32_t i = 0; i < want.household_count(); ++i) {
    const HouseholdId id(i);
    if (!want.is_live(id)) continue;
    const Household h = want.GetHousehold(id);
    std::optional<HouseholdId> loaded = got.FindHousehold(h.id_keluarga);
    ASSERT_TRUE(loaded.has_value()) << h.id_keluarga;
    ExpectSameHousehold(got.GetHousehold(*loaded), h);
    EXPECT_EQ(IdArts(got, got.Members(*loaded)), IdArts(want, want.Members(id)));
  }
}

TEST(RecordStoreTest, SnapshotOfAnEmptyStore) {
  RecordStore store;
  std::unique_ptr<RecordStore> loaded = RoundTrip(store);
  EXPECT_EQ(loaded->person_count(), 0u);
  EXPECT_EQ(loaded->household_count(), 0u);
  AddAndCheck(*loaded, MakeHousehold("KEL-1"), MakePerson("A"));
}

TEST(RecordStoreTest, SnapshotOfOneRecord) {
  RecordStore store;
  Import(store, "KEL-1", {"A"});
  std::unique_ptr<RecordStore> loaded = RoundTrip(store);
  ExpectSameLiveRecords(*loaded, store);
  EXPECT_EQ(loaded->FindPerson("A"), PersonId(0));
}

TEST(RecordStoreTest, SnapshotOfOnlyTombstones) {
  RecordStore store;
  Import(store, "KEL-1", {"A", "B"});
  ASSERT_THAT(store.DeleteHousehold("KEL-1"), IsOk());
  std::unique_ptr<RecordStore> loaded = RoundTrip(store);
  EXPECT_EQ(loaded->person_count(), 0u);
  EXPECT_EQ(loaded->household_count(), 0u);
  EXPECT_EQ(loaded->FindPerson("A"), std::nullopt);
}

// Rows shaped like DTKS exports, fixed seed: unicode and empty text, invalid NIK / No KK text,
// unparseable and partial dates, every enum value, shared mother names, households of 0-7.
class RowMaker {
 public:
  explicit RowMaker(uint64_t seed) : rng_(seed) {}

  Household NextHousehold(const std::string& id_keluarga) {
    Household h = MakeHousehold(id_keluarga);
    h.alamat = Pick({"JL. MERDEKA NO. 12", "Gg. Kenari — blok Ç", "", "DSN. WETAN RT 02/RW 05"}) +
               std::to_string(Uniform(1000));
    h.dusun = Pick({"KRAJAN", "", "WETAN", "SUKAMAJU"});
    h.rt = absl::StrFormat("%03d", Uniform(20));
    h.rw = Uniform(5) == 0 ? "" : absl::StrFormat("%02d", Uniform(10));
    if (Uniform(10) == 0) {
      h.no_kk = "32O1O12304150003";
      h.no_kk_value = 0;
      h.flags = kHouseholdNoKkInvalid;
    } else {
      h.no_kk_value = 3201010000000000 + Uniform(1'000'000);
      h.no_kk = absl::StrFormat("%016d", h.no_kk_value);
      h.flags = static_cast<uint8_t>(Uniform(32));
    }
    h.kode_wilayah = Uniform(10) == 0 ? 32 : 3201012001 + Uniform(1000);
    h.desil = static_cast<uint8_t>(Uniform(11));
    h.program = static_cast<ProgramSet>(Uniform(128));
    h.status = static_cast<HouseholdStatus>(Uniform(2));
    h.updated_at = Uniform(5) == 0 ? Date() : Date::FromYmd(2020 + Uniform(5), 1 + Uniform(12), 1);
    return h;
  }

  std::vector<Person> NextMembers(const std::string& prefix) {
    std::vector<Person> members;
    const size_t size = Uniform(8);
    std::string mother;
    for (size_t i = 0; i < size; ++i) {
      Person p = MakePerson(absl::StrFormat("%s-%d", prefix, serial_++));
      p.nama = Pick({"SITI AMINAH", "Ñoman Śiti 王", "BUDI", "", "MUHAMMAD RIZKI"}) + " " +
               std::to_string(Uniform(100));
      p.nama_ibu_kandung = i > 0 && Uniform(2) == 0 ? mother : Pick({"NURHAYATI", "", "Hj. Ümi"});
      if (i == 1) mother = p.nama;
      switch (Uniform(5)) {
        case 0:
          p.nik = absl::StrFormat("BAD%d", Uniform(100));
          p.nik_value = 0;
          break;
        case 1:
          p.nik = "";
          p.nik_value = 0;
          break;
        default:
          p.nik_value = 3201015705800000 + Uniform(100000);
          p.nik = absl::StrFormat("%016d", p.nik_value);
      }
      switch (Uniform(6)) {
        case 0:
          p.tanggal_lahir = Date();
          p.tanggal_lahir_text = "31-02-1980";
          break;
        case 1:
          p.tanggal_lahir = Date::FromYear(1950 + Uniform(60));
          break;
        case 2:
          p.tanggal_lahir = Date();
          break;
        default:
          p.tanggal_lahir = Date::FromYmd(1950 + Uniform(60), 1 + Uniform(12), 1 + Uniform(28));
      }
      p.tempat_lahir = Pick({"BOGOR", "KAB. BOGOR", "", "Tanjung Pinang"});
      p.jenis_kelamin = static_cast<Sex>(Uniform(3));
      p.hubungan = static_cast<Hubungan>(Uniform(11));
      p.status_kawin = static_cast<StatusKawin>(Uniform(5));
      p.status_hidup = static_cast<StatusHidup>(Uniform(2));
      p.pekerjaan = Pick({"PETANI", "", "BURUH HARIAN LEPAS"});
      p.pendidikan = Pick({"SD/SEDERAJAT", "", "SLTA"});
      p.disabilitas = Uniform(10) == 0 ? "TUNA DAKSA" : "";
      p.flags = static_cast<uint16_t>(Uniform(512));
      members.push_back(std::move(p));
    }
    return members;
  }

  uint64_t Uniform(uint64_t n) { return rng_() % n; }

 private:
  std::string Pick(std::initializer_list<const char*> options) {
    return *(options.begin() + Uniform(options.size()));
  }

  std::mt19937_64 rng_;
  int serial_ = 0;
};

// Imports `households` households, then replaces, deletes and moves some, so that the store
// holds tombstones of every kind.
void FillWithHistory(RecordStore& store, int households, uint64_t seed) {
  RowMaker maker(seed);
  for (int k = 0; k < households; ++k) {
    const std::string key = absl::StrFormat("KEL-%d", k);
    const Household h = maker.NextHousehold(key);
    for (const Person& p : maker.NextMembers(key)) ASSERT_THAT(store.Add(h, p), IsOk());
  }
  for (int k = 0; k < households; k += 7) {  // rewritten households, with new members
    const std::string key = absl::StrFormat("KEL-%d", k);
    std::vector<Person> members = maker.NextMembers(key + "-v2");
    std::optional<HouseholdId> old = store.FindHousehold(key);
    if (old && !store.Members(*old).empty() && maker.Uniform(2) == 0) {
      members.push_back(store.GetPerson(store.Members(*old)[0]));  // a member who stays
    }
    ASSERT_THAT(store.ReplaceHousehold(maker.NextHousehold(key), members), IsOk());
  }
  for (int k = 3; k < households; k += 11) {
    if (store.FindHousehold(absl::StrFormat("KEL-%d", k))) {
      ASSERT_THAT(store.DeleteHousehold(absl::StrFormat("KEL-%d", k)), IsOk());
    }
  }
  for (int k = 5; k + 1 < households; k += 13) {  // a member moves to the next household
    std::optional<HouseholdId> from = store.FindHousehold(absl::StrFormat("KEL-%d", k));
    std::optional<HouseholdId> to = store.FindHousehold(absl::StrFormat("KEL-%d", k + 1));
    if (!from || !to || store.Members(*from).empty()) continue;
    std::vector<Person> members;
    for (PersonId id : store.Members(*to)) members.push_back(store.GetPerson(id));
    members.push_back(store.GetPerson(store.Members(*from).back()));
    ASSERT_THAT(store.ReplaceHousehold(store.GetHousehold(*to), members), IsOk());
  }
}

TEST(RecordStoreTest, SnapshotKeepsEveryLiveRecordAndDropsTombstones) {
  RecordStore store;
  FillWithHistory(store, 1500, 1);
  ASSERT_LT(store.live_person_count(), store.person_count());
  std::unique_ptr<RecordStore> loaded = RoundTrip(store);
  ExpectSameLiveRecords(*loaded, store);
  // Live records keep their relative order: the new ids are their ranks.
  std::vector<std::string> want_order = IdArts(store, LivePersons(store));
  EXPECT_EQ(IdArts(*loaded, LivePersons(*loaded)), want_order);
}

TEST(RecordStoreTest, SnapshotEveryEnumValue) {
  RecordStore store;
  int n = 0;
  for (int sex = 0; sex <= static_cast<int>(Sex::kPerempuan); ++sex) {
    for (int hub = 0; hub <= static_cast<int>(Hubungan::kLainnya); ++hub) {
      for (int kawin = 0; kawin <= static_cast<int>(StatusKawin::kCeraiMati); ++kawin) {
        for (int hidup = 0; hidup <= 1; ++hidup) {
          Person p = MakePerson(absl::StrFormat("ART-%d", n));
          p.jenis_kelamin = static_cast<Sex>(sex);
          p.hubungan = static_cast<Hubungan>(hub);
          p.status_kawin = static_cast<StatusKawin>(kawin);
          p.status_hidup = static_cast<StatusHidup>(hidup);
          p.nik_value = 9'999'999'999'999'999 - n;
          p.nik = absl::StrFormat("%016d", p.nik_value);
          Household h = MakeHousehold(absl::StrFormat("KEL-%d", n / 4));
          h.status = static_cast<HouseholdStatus>(n % 2);
          h.kode_wilayah = 9'999'999'999;
          h.program = 0x7F;
          ASSERT_THAT(store.Add(h, p), IsOk());
          ++n;
        }
      }
    }
  }
  ExpectSameLiveRecords(*RoundTrip(store), store);
}

TEST(RecordStoreTest, SnapshotOfALoadedStoreIsTheSameFile) {
  RecordStore store;
  FillWithHistory(store, 800, 2);
  const std::string dir = padan::testing::MakeTempDir();
  const std::string first = padan::testing::ReadFile(SaveToFile(store, dir));
  std::unique_ptr<RecordStore> loaded = *LoadFromFile(dir + "/store.snp");
  const std::string second = padan::testing::ReadFile(SaveToFile(*loaded, dir));
  EXPECT_GT(first.size(), 1000u);
  EXPECT_TRUE(first == second);
}

TEST(RecordStoreTest, LoadedStoreTakesFurtherWrites) {
  RecordStore store;
  FillWithHistory(store, 300, 3);
  std::unique_ptr<RecordStore> loaded = RoundTrip(store);
  const std::string key = "KEL-1";
  ASSERT_TRUE(loaded->FindHousehold(key).has_value());
  const std::vector<PersonId> before = loaded->Members(*loaded->FindHousehold(key));
  Person p = MakePerson("NEW-1");
  p.nama_ibu_kandung = before.empty() ? "" : std::string(loaded->nama(before[0]));
  PersonId added = AddAndCheck(*loaded, MakeHousehold(key), p);
  EXPECT_EQ(added, PersonId(static_cast<uint32_t>(store.live_person_count())));
  EXPECT_EQ(loaded->Members(*loaded->FindHousehold(key)).back(), added);
  ASSERT_THAT(loaded->ReplaceHousehold(MakeHousehold("KEL-2"), {MakePerson("NEW-1")}), IsOk());
  ASSERT_THAT(loaded->DeleteHousehold(key), IsOk());
  ExpectSameLiveRecords(*RoundTrip(*loaded), *loaded);
}

TEST(RecordStoreTest, SnapshotAcrossBlockBoundariesWithTombstones) {
  RecordStore store;
  constexpr int kPersons = 140'000;
  for (int i = 0; i < kPersons; ++i) {
    ASSERT_THAT(store.Add(MakeHousehold(absl::StrFormat("KEL-%d", i / 2)), VaryingPerson(i)),
                IsOk());
  }
  // Delete every 10th household around the first block boundary, so new ids shift across it.
  for (int k = 32000; k < 34000; k += 10) {
    ASSERT_THAT(store.DeleteHousehold(absl::StrFormat("KEL-%d", k)), IsOk());
  }
  std::unique_ptr<RecordStore> loaded = RoundTrip(store);
  ExpectSameLiveRecords(*loaded, store);
}

// The sections of a snapshot file and where their fields lie, to damage them in tests.
struct SectionInFile {
  std::string name;
  size_t trailer = 0;  // offset of its u64 length and u32 CRC
  size_t payload = 0;
  size_t size = 0;
};

uint64_t GetLittleEndian(const std::string& bytes, size_t offset, int width) {
  uint64_t value = 0;
  for (int i = 0; i < width; ++i) {
    value |= uint64_t{static_cast<uint8_t>(bytes[offset + i])} << (8 * i);
  }
  return value;
}

void PutLittleEndian(uint64_t value, int width, std::string* bytes, size_t offset) {
  for (int i = 0; i < width; ++i) (*bytes)[offset + i] = static_cast<char>(value >> (8 * i));
}

std::vector<SectionInFile> SectionsOf(const std::string& file) {
  std::vector<SectionInFile> sections;
  const uint64_t count = GetLittleEndian(file, 12, 4);
  size_t pos = 16;
  for (uint64_t i = 0; i < count; ++i) {
    SectionInFile s;
    const uint64_t name_size = GetLittleEndian(file, pos, 4);
    s.name = file.substr(pos + 4, name_size);
    s.trailer = pos + 4 + name_size;
    s.size = GetLittleEndian(file, s.trailer, 8);
    s.payload = s.trailer + 12;
    pos = s.payload + s.size;
    sections.push_back(s);
  }
  return sections;
}

// `file` with the payload of `section` replaced and its length and CRC made to match, so
// that the damage gets past the file's checksums to the store's own checks.
std::string WithPayload(const std::string& file, const SectionInFile& section,
                        const std::string& payload) {
  std::string out =
      file.substr(0, section.payload) + payload + file.substr(section.payload + section.size);
  PutLittleEndian(payload.size(), 8, &out, section.trailer);
  PutLittleEndian(crc32c::Value(payload), 4, &out, section.trailer + 8);
  return out;
}

absl::Status LoadBytes(const std::string& dir, const std::string& bytes) {
  const std::string path = dir + "/damaged.snp";
  // A fresh file each time: rewriting a truncated one makes ext4 flush it on close.
  std::filesystem::remove(path);
  padan::testing::WriteFile(path, bytes);
  absl::StatusOr<std::unique_ptr<RecordStore>> loaded = LoadFromFile(path);
  return loaded.status();
}

// A small store with tombstones, mother references and invalid texts, saved.
std::string SmallSnapshot() {
  RecordStore store;
  FillWithHistory(store, 40, 4);
  return padan::testing::ReadFile(SaveToFile(store));
}

TEST(RecordStoreTest, CorruptSnapshotFilesAreDataLoss) {
  const std::string good = SmallSnapshot();
  const std::string dir = padan::testing::MakeTempDir();
  ASSERT_THAT(LoadBytes(dir, good), IsOk());
  const std::vector<SectionInFile> sections = SectionsOf(good);
  std::vector<std::string> names;
  for (const SectionInFile& s : sections) names.push_back(s.name);
  EXPECT_THAT(names,
              ElementsAre("store.meta", "store.dictionaries", "store.households", "store.persons"));

  for (const SectionInFile& s : sections) {
    // A flipped byte anywhere in the payload fails its checksum, naming the section.
    for (size_t i : {s.payload, s.payload + s.size / 2, s.payload + s.size - 1}) {
      std::string bad = good;
      bad[i] ^= 0x20;
      absl::Status status = LoadBytes(dir, bad);
      EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss)) << s.name;
      EXPECT_THAT(status.message(), HasSubstr(s.name));
    }
    // A missing section.
    std::string missing =
        good.substr(0, s.trailer - 4 - s.name.size()) + good.substr(s.payload + s.size);
    PutLittleEndian(sections.size() - 1, 4, &missing, 12);
    absl::Status status = LoadBytes(dir, missing);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss)) << s.name;
    EXPECT_THAT(status.message(), HasSubstr(s.name));
  }
  for (size_t cut : {size_t{0}, size_t{10}, size_t{17}, good.size() / 3, good.size() / 2,
                     good.size() - 5, good.size() - 1}) {
    EXPECT_THAT(LoadBytes(dir, good.substr(0, cut)), StatusIs(absl::StatusCode::kDataLoss)) << cut;
  }
  std::string magic = good;
  magic[3] = 'X';
  EXPECT_THAT(LoadBytes(dir, magic), StatusIs(absl::StatusCode::kDataLoss));
  std::string future = good;
  PutLittleEndian(kSnapshotFormatVersion + 1, 4, &future, 8);
  EXPECT_THAT(LoadBytes(dir, future).message(), HasSubstr("newer"));
}

TEST(RecordStoreTest, DeferredPersonIdsAreIndexedAfterwardsAndARepeatedOneIsDataLoss) {
  RecordStore store;
  Import(store, "KEL-1", {"ART-Q1", "ART-Q2"});
  Import(store, "KEL-2", {"ART-Q3"});
  const std::string good = padan::testing::ReadFile(SaveToFile(store));
  const std::string dir = padan::testing::MakeTempDir();
  const std::string path = dir + "/store.snp";
  auto load_deferred = [&](const std::string& bytes) {
    std::filesystem::remove(path);
    padan::testing::WriteFile(path, bytes);
    absl::StatusOr<std::unique_ptr<SnapshotReader>> reader = SnapshotReader::Open(path);
    EXPECT_THAT(reader, IsOk());
    return RecordStore::Load(**reader, RecordStore::LoadIds::kDeferPersonIds);
  };

  absl::StatusOr<std::unique_ptr<RecordStore>> loaded = load_deferred(good);
  ASSERT_THAT(loaded, IsOk());
  EXPECT_FALSE((*loaded)->FindPerson("ART-Q3").has_value());  // not yet
  ASSERT_THAT((*loaded)->IndexPersonIds(), IsOk());
  ExpectSameLiveRecords(**loaded, store);
  EXPECT_EQ((*loaded)->FindPerson("ART-Q3"), PersonId(2));

  // The third person's id_art made the first's, behind a valid checksum.
  const SectionInFile persons = SectionsOf(good)[3];
  std::string payload = good.substr(persons.payload, persons.size);
  const size_t at = payload.find("ART-Q3");
  ASSERT_NE(at, std::string::npos);
  payload[at + 5] = '1';
  const std::string repeated = WithPayload(good, persons, payload);
  EXPECT_THAT(LoadBytes(dir, repeated),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("repeats the id_art")));
  loaded = load_deferred(repeated);
  ASSERT_THAT(loaded, IsOk());
  EXPECT_THAT(
      (*loaded)->IndexPersonIds(),
      StatusIs(absl::StatusCode::kDataLoss,
               AllOf(HasSubstr("store.persons"), HasSubstr("record 2 repeats the id_art"))));
}

TEST(RecordStoreTest, CorruptContentBehindValidChecksumsIsDataLoss) {
  const std::string good = SmallSnapshot();
  const std::string dir = padan::testing::MakeTempDir();
  const std::vector<SectionInFile> sections = SectionsOf(good);
  const SectionInFile& meta = sections[0];

  // The store's own layout version.
  std::string payload = good.substr(meta.payload, meta.size);
  PutLittleEndian(2, 4, &payload, 0);
  absl::Status version = LoadBytes(dir, WithPayload(good, meta, payload));
  EXPECT_THAT(version, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(version.message(), HasSubstr("store.meta"));
  EXPECT_THAT(version.message(), HasSubstr("layout version 2"));

  // Counts that do not match the records: one more or fewer person or household.
  for (int field : {8, 16}) {
    for (int delta : {-1, 1}) {
      payload = good.substr(meta.payload, meta.size);
      PutLittleEndian(GetLittleEndian(payload, field, 8) + delta, 8, &payload, field);
      absl::Status status = LoadBytes(dir, WithPayload(good, meta, payload));
      EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss)) << field << " " << delta;
      EXPECT_THAT(status.message(), HasSubstr(field == 8 ? "store.households" : "store.persons"));
    }
  }

  // Single-byte changes of every record section, behind a valid checksum: the load either
  // fails with kDataLoss naming the section, or succeeds when the byte was free text (a letter
  // of a name); it never crashes or reads out of bounds (run under ASan). Every byte of each
  // section's first 256 (its counts and headers), then every 5th: each load maps and populates
  // whole huge pages, so the exhaustive walk took a minute.
  int failures = 0;
  for (const SectionInFile& s : sections) {
    for (size_t i = 0; i < s.size; i += i < 256 ? 1 : 5) {
      for (uint8_t mask : {0x01, 0x80}) {
        payload = good.substr(s.payload, s.size);
        payload[i] = static_cast<char>(payload[i] ^ mask);
        absl::Status status = LoadBytes(dir, WithPayload(good, s, payload));
        if (status.ok()) continue;
        ++failures;
        ASSERT_THAT(status, StatusIs(absl::StatusCode::kDataLoss)) << s.name << " " << i;
        // A count in store.meta is found wrong in the section it counts.
        ASSERT_THAT(
            std::string(status.message()),
            ContainsRegex(s.name == "store.meta" ? "store\\.(meta|households|persons)" : s.name))
            << i;
      }
    }
    // A payload cut short at several places.
    for (size_t cut : {size_t{0}, s.size / 4, s.size / 2, s.size - 1}) {
      if (s.size == 0) break;
      absl::Status status = LoadBytes(dir, WithPayload(good, s, good.substr(s.payload, cut)));
      EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss)) << s.name << " cut " << cut;
      EXPECT_THAT(status.message(), HasSubstr(s.name));
    }
  }
  EXPECT_GT(failures, 1000);
}

}  // namespace
}  // namespace padan
