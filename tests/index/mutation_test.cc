#include "index/mutation.h"

#include <cstdint>
#include <random>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "data/date.h"
#include "data/record.h"
#include "tests/index/household_map_state.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::Fingerprint;
using ::padan::testing::IsOk;
using ::padan::testing::MakeUpsert;
using ::padan::testing::StatusIs;

constexpr uint64_t kSeed = 20240617;

// A mutation with every field set to a value other than its default.
Mutation FullMutation() {
  Mutation m;
  m.kind = Mutation::Kind::kUpsertHousehold;
  m.id_keluarga = "unused-for-upsert";
  Household& h = m.household;
  h.id_keluarga = "3201010001000123";
  h.no_kk = "3201011203040005";
  h.no_kk_value = 3201011203040005;
  h.alamat = "JL. RAYA PARUNG KM 5, GG. H. MUKHTAR";
  h.dusun = "KAMPUNG BARU";
  h.rt = "003";
  h.rw = "011";
  h.kode_wilayah = 3201010001;
  h.desil = 10;
  h.program = static_cast<ProgramSet>(Program::kPkh) | static_cast<ProgramSet>(Program::kListrik);
  h.status = HouseholdStatus::kNonaktif;
  h.updated_at = Date::FromYmd(2024, 2, 29);
  h.flags = kHouseholdNoKkInvalid | kHouseholdConflictingRows;
  Person p;
  p.id_art = "3201010001000123-01";
  p.id_keluarga = h.id_keluarga;
  p.nik = "3201014508800003";
  p.nik_value = 3201014508800003;
  p.nama = "Siti Nur'aini";
  p.jenis_kelamin = Sex::kPerempuan;
  p.tempat_lahir = "Bogor";
  p.tanggal_lahir = Date::FromYearMonth(1980, 8);
  p.tanggal_lahir_text = "08/1980";
  p.hubungan = Hubungan::kLainnya;
  p.nama_ibu_kandung = "Sri";
  p.status_kawin = StatusKawin::kCeraiMati;
  p.pekerjaan = "PEDAGANG";
  p.pendidikan = "SMA";
  p.disabilitas = "TUNA NETRA";
  p.status_hidup = StatusHidup::kMeninggal;
  p.flags = kPersonNikDobConflict | kPersonNikMissing;
  m.members.push_back(p);
  p.id_art = "3201010001000123-02";
  p.tanggal_lahir = Date::FromYear(1850);
  p.flags = 0;
  p.nama = std::string("Nama\0dengan nol", 15);  // any bytes survive
  m.members.push_back(p);
  return m;
}

std::string Canonical(const Mutation& m) {
  return StrCat(static_cast<int>(m.kind), "|", m.id_keluarga, "|",
                Fingerprint(m.household, m.members));
}

TEST(MutationTest, RoundTripsEveryField) {
  const Mutation original = FullMutation();
  const std::string bytes = original.Encode();
  absl::StatusOr<Mutation> decoded = Mutation::Decode(bytes);
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->Encode(), bytes);
  EXPECT_EQ(Canonical(*decoded), Canonical(original));
  const Person& p = decoded->members[0];
  EXPECT_EQ(p.nama, "Siti Nur'aini");
  EXPECT_EQ(p.tanggal_lahir, Date::FromYearMonth(1980, 8));
  EXPECT_EQ(p.status_hidup, StatusHidup::kMeninggal);
  EXPECT_EQ(p.flags, kPersonNikDobConflict | kPersonNikMissing);
  EXPECT_EQ(decoded->members[1].nama.size(), 15u);
  EXPECT_EQ(decoded->household.no_kk_value, 3201011203040005u);
  EXPECT_EQ(decoded->household.status, HouseholdStatus::kNonaktif);
  EXPECT_EQ(decoded->id_keluarga, "unused-for-upsert");
}

TEST(MutationTest, RoundTripsDeleteAndDefaults) {
  Mutation m;
  m.kind = Mutation::Kind::kDeleteHousehold;
  m.id_keluarga = "3201010001000999";
  absl::StatusOr<Mutation> decoded = Mutation::Decode(m.Encode());
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->kind, Mutation::Kind::kDeleteHousehold);
  EXPECT_EQ(decoded->id_keluarga, "3201010001000999");
  EXPECT_TRUE(decoded->members.empty());
  EXPECT_TRUE(decoded->household.updated_at.missing());
}

TEST(MutationTest, TypicalHouseholdIsCompact) {
  // Four members with realistic values: the log entry should stay well under a kilobyte.
  EXPECT_LT(MakeUpsert("3201010001000123", 4).Encode().size(), 1000u);
}

TEST(MutationTest, RejectsEmptyInputAndUnknownVersion) {
  EXPECT_THAT(Mutation::Decode(""), StatusIs(absl::StatusCode::kDataLoss));
  std::string bytes = FullMutation().Encode();
  bytes[0] = 2;
  absl::StatusOr<Mutation> decoded = Mutation::Decode(bytes);
  EXPECT_THAT(decoded, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(std::string(decoded.status().message()), ::testing::HasSubstr("version 2"));
}

// Expects Decode to refuse the encoding of `m`, which holds a value out of range, naming `field`.
void ExpectRefused(const Mutation& m, const std::string& field) {
  absl::StatusOr<Mutation> decoded = Mutation::Decode(m.Encode());
  EXPECT_THAT(decoded, StatusIs(absl::StatusCode::kDataLoss)) << field;
  EXPECT_THAT(std::string(decoded.status().message()), ::testing::HasSubstr(field));
}

TEST(MutationTest, RejectsValuesOutOfRange) {
  Mutation m = FullMutation();
  m.kind = static_cast<Mutation::Kind>(3);
  ExpectRefused(m, "kind");
  m = FullMutation();
  m.kind = static_cast<Mutation::Kind>(0);
  ExpectRefused(m, "kind");
  m = FullMutation();
  m.household.desil = 11;
  ExpectRefused(m, "household.desil");
  m = FullMutation();
  m.household.status = static_cast<HouseholdStatus>(2);
  ExpectRefused(m, "household.status");
  m = FullMutation();
  m.household.flags = 0x20;
  ExpectRefused(m, "household.flags");
  m = FullMutation();
  m.household.program = 0x80;
  ExpectRefused(m, "household.program");
  m = FullMutation();
  m.household.no_kk_value = 10'000'000'000'000'000;
  ExpectRefused(m, "household.no_kk_value");
  m = FullMutation();
  m.household.kode_wilayah = 10'000'000'000;
  ExpectRefused(m, "household.kode_wilayah");
  m = FullMutation();
  m.members[1].jenis_kelamin = static_cast<Sex>(3);
  ExpectRefused(m, "member.jenis_kelamin");
  m = FullMutation();
  m.members[0].hubungan = static_cast<Hubungan>(11);
  ExpectRefused(m, "member.hubungan");
  m = FullMutation();
  m.members[0].status_kawin = static_cast<StatusKawin>(5);
  ExpectRefused(m, "member.status_kawin");
  m = FullMutation();
  m.members[0].status_hidup = static_cast<StatusHidup>(2);
  ExpectRefused(m, "member.status_hidup");
  m = FullMutation();
  m.members[0].flags = 0x200;
  ExpectRefused(m, "member.flags");
  m = FullMutation();
  m.members[0].nik_value = UINT64_MAX;
  ExpectRefused(m, "member.nik_value");
  m = FullMutation();
  m.members[0].tanggal_lahir = Date::FromDays(DaysFromCivil(2101, 1, 1));
  ExpectRefused(m, "member.tanggal_lahir");
}

TEST(MutationTest, RejectsTrailingBytesAndImpossibleLengths) {
  std::string bytes = FullMutation().Encode();
  EXPECT_THAT(Mutation::Decode(bytes + "x"), StatusIs(absl::StatusCode::kDataLoss));
  // Version, kind, then the id_keluarga length as a ten-byte varint of 2^63.
  std::string huge = {1, 1};
  huge += std::string(9, '\x80');
  huge += '\x01';
  EXPECT_THAT(Mutation::Decode(huge), StatusIs(absl::StatusCode::kDataLoss));
  // An eleven-byte varint.
  std::string too_long = {1, 1};
  too_long += std::string(10, '\xff');
  too_long += '\x01';
  EXPECT_THAT(Mutation::Decode(too_long), StatusIs(absl::StatusCode::kDataLoss));
}

std::string Varint(uint64_t value) {
  std::string out;
  for (; value >= 0x80; value >>= 7) out.push_back(static_cast<char>((value & 0x7f) | 0x80));
  out.push_back(static_cast<char>(value));
  return out;
}

TEST(MutationTest, RejectsNonCanonicalDates) {
  // With updated_at missing, no flags and no members the encoding ends in three zero bytes:
  // updated_at, flags, member count. Put date codes Pack() never makes in updated_at's place.
  Mutation m;
  m.household.id_keluarga = "3201010001000123";
  const std::string bytes = m.Encode();
  ASSERT_EQ(bytes.substr(bytes.size() - 3), std::string(3, '\0'));
  const std::string prefix = bytes.substr(0, bytes.size() - 3);
  const uint32_t january_2 = Date::FromYmd(1990, 1, 2).Pack();
  const uint32_t year_only_on_january_2 = (january_2 & ~uint32_t{3}) | 1u;
  const uint32_t missing_with_days = january_2 & ~uint32_t{3};
  for (uint32_t code : {year_only_on_january_2, missing_with_days}) {
    absl::StatusOr<Mutation> decoded =
        Mutation::Decode(prefix + Varint(code) + std::string(2, '\0'));
    EXPECT_THAT(decoded, StatusIs(absl::StatusCode::kDataLoss)) << code;
    EXPECT_THAT(std::string(decoded.status().message()),
                ::testing::HasSubstr("household.updated_at"));
  }
  // The same place with a canonical code decodes.
  EXPECT_THAT(Mutation::Decode(prefix + Varint(january_2) + std::string(2, '\0')), IsOk());
}

TEST(MutationTest, EveryTruncationIsDataLoss) {
  const std::string bytes = FullMutation().Encode();
  for (size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_THAT(Mutation::Decode(std::string_view(bytes).substr(0, size)),
                StatusIs(absl::StatusCode::kDataLoss))
        << size;
  }
}

TEST(MutationTest, FuzzByteFlipsDecodeCanonicallyOrFail) {
  // Whatever Decode accepts must re-encode to the same bytes: one encoding per mutation.
  const std::string bytes = FullMutation().Encode();
  std::mt19937_64 rng(kSeed);
  for (int round = 0; round < 20000; ++round) {
    std::string edited = bytes;
    const int flips = 1 + static_cast<int>(rng() % 3);
    for (int f = 0; f < flips; ++f) {
      edited[rng() % edited.size()] = static_cast<char>(rng());
    }
    absl::StatusOr<Mutation> decoded = Mutation::Decode(edited);
    if (decoded.ok()) {
      EXPECT_EQ(decoded->Encode(), edited);
    } else {
      EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss);
    }
  }
}

TEST(MutationTest, FuzzRandomBytesNeverCrash) {
  std::mt19937_64 rng(kSeed + 1);
  int accepted = 0;
  for (int round = 0; round < 50000; ++round) {
    std::string input(rng() % 200, '\0');
    for (char& c : input) c = static_cast<char>(rng());
    // Start most inputs with a valid version and kind so that decoding gets further.
    if (input.size() >= 2 && round % 4 != 0) {
      input[0] = 1;
      input[1] = static_cast<char>(1 + rng() % 2);
    }
    absl::StatusOr<Mutation> decoded = Mutation::Decode(input);
    if (decoded.ok()) {
      ++accepted;
      EXPECT_EQ(decoded->Encode(), input);
    } else {
      EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss);
    }
  }
  EXPECT_LT(accepted, 50000);
}

}  // namespace
}  // namespace padan
