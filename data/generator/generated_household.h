// The generator's in-memory records: a household and its members as generated, before ids,
// NIK serials and No KK serials are assigned and the rows are rendered. Kept apart from the
// store's Person/Household because they carry ground truth (which person a duplicate repeats,
// what was corrupted) and the parts renderings need (name tokens, address parts).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/date.h"
#include "data/generator/address_generator.h"
#include "data/generator/corruption.h"
#include "data/generator/name_custom_table.h"
#include "data/record.h"
#include "data/region_table.h"

namespace padan::gen {

// The registry snapshot date the generated data describes: ages and ID dates are relative to it.
inline constexpr int kSnapshotYear = 2025;
inline constexpr int kSnapshotMonth = 6;
inline constexpr int kSnapshotDay = 30;
inline int32_t SnapshotDays() { return DaysFromCivil(kSnapshotYear, kSnapshotMonth, kSnapshotDay); }
// Whole years of age at the snapshot for a birth date in days.
int AgeAt(int32_t birth_days, int32_t at_days);

// A reference to a person of the same block: household index and member index.
struct PersonRef {
  int32_t household = -1;
  int32_t member = -1;
  bool valid() const { return household >= 0; }
};

// Letter case in which a record's names were typed.
enum class NameCase : uint8_t { kUpper, kTitle };

// One generated person (ART). Value type.
struct GenPerson {
  std::string nama;        // lower-case tokens separated by single spaces
  std::string nama_ibu;    // mother's name, same form
  int32_t birth_days = 0;  // tanggal lahir, days since 1970-01-01
  Sex sex = Sex::kLakiLaki;
  Hubungan hubungan = Hubungan::kKepalaKeluarga;
  StatusKawin status_kawin = StatusKawin::kBelumKawin;
  NameCustom custom = NameCustom::kJawa;
  uint8_t title = 0;        // TitleTable id; 0 none
  uint8_t pekerjaan = 0;    // index into Occupations()
  uint8_t birth_order = 1;  // among the mother's children; Balinese names follow it
  NameCase name_case = NameCase::kUpper;
  bool birthplace_upper = true;
  KodeWilayah nik_kecamatan = 0;  // 6-digit kecamatan where the NIK was issued
  uint32_t birthplace = 0;        // kab/kota index (RegionSampler) of tempat lahir
  int8_t father = -1;  // member index of the father in this household, -1 when not a member
  CorruptionSet corruptions = 0;
  // Duplicates only: the original person this record repeats.
  PersonRef original;
  // Set when the NIK is assigned (commit): the person's true NIK (0 for duplicates, which
  // take it from `original`).
  uint64_t nik = 0;
};

// One generated household (keluarga). Value type.
struct GenHousehold {
  uint32_t desa = 0;  // RegionSampler desa index
  Address address;
  uint8_t address_style = 0;
  NameCustom custom = NameCustom::kJawa;
  int32_t kk_issue_days = 0;  // when its family card was issued
  // Duplicates only: the household this one re-registers (-1 for originals and for a
  // household that only hosts a duplicate person), and whether it got a new card number.
  int32_t original = -1;
  bool new_no_kk = false;
  bool duplicate = false;         // a re-registration: every member is a duplicate record
  CorruptionSet corruptions = 0;  // household-level: kMovedDesa, kNoKkMissing
  std::vector<GenPerson> members;
  // Set at commit.
  uint64_t no_kk = 0;
};

}  // namespace padan::gen
