// The DTKS record model (DESIGN.md §3): a household (keluarga) and its members (anggota
// keluarga), as owning value types. Field names follow the SIKS-NG export.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "data/date.h"

namespace padan {

enum class Sex : uint8_t { kUnknown = 0, kLakiLaki = 1, kPerempuan = 2 };

// Relationship to the head of the family (hubungan dengan kepala keluarga).
enum class Hubungan : uint8_t {
  kUnknown = 0,
  kKepalaKeluarga,
  kIstriSuami,
  kAnak,
  kMenantu,
  kCucu,
  kOrangTua,
  kMertua,
  kFamiliLain,
  kPembantu,
  kLainnya,
};

enum class StatusKawin : uint8_t {
  kUnknown = 0,
  kBelumKawin,
  kKawin,
  kCeraiHidup,
  kCeraiMati,
};

enum class StatusHidup : uint8_t { kHidup = 0, kMeninggal = 1 };

enum class HouseholdStatus : uint8_t { kAktif = 0, kNonaktif = 1 };

// Social-assistance programmes a household receives, as bits of ProgramSet.
enum class Program : uint8_t {
  kPkh = 1 << 0,
  kBpnt = 1 << 1,  // BPNT / Sembako
  kPbiJk = 1 << 2,
  kPip = 1 << 3,
  kKipKuliah = 1 << 4,
  kBst = 1 << 5,
  kListrik = 1 << 6,
};
using ProgramSet = uint8_t;

// Data-quality findings kept with a person record and counted by the importer. The record is
// kept in every case; the flag says which of its values could not be trusted.
enum PersonFlag : uint16_t {
  kPersonNikMissing = 1 << 0,
  kPersonNikInvalid = 1 << 1,      // text kept; see Nik::Parse for the problems
  kPersonDobMissing = 1 << 2,
  kPersonDobInvalid = 1 << 3,      // unparseable text kept
  kPersonSexInvalid = 1 << 4,      // unknown code; jenis_kelamin left unknown
  kPersonHubunganInvalid = 1 << 5,
  kPersonStatusKawinInvalid = 1 << 6,
  kPersonNikSexConflict = 1 << 7,  // the NIK's +40 day disagrees with jenis_kelamin
  kPersonNikDobConflict = 1 << 8,  // the NIK's DDMMYY disagrees with tanggal_lahir
};

enum HouseholdFlag : uint8_t {
  kHouseholdNoKkMissing = 1 << 0,
  kHouseholdNoKkInvalid = 1 << 1,     // text kept
  kHouseholdRegionUnknown = 1 << 2,   // kode_wilayah resolved only partly or not at all
  kHouseholdRegionAmbiguous = 1 << 3, // two desa share the name; the first was taken
  kHouseholdConflictingRows = 1 << 4, // members' rows disagree on household fields
};

// A household (keluarga). Owning value type.
struct Household {
  std::string id_keluarga;
  std::string no_kk;          // 16 digits when valid, else the text as given
  uint64_t no_kk_value = 0;   // the number when no_kk is 16 digits, else 0
  std::string alamat;
  std::string dusun;
  std::string rt;
  std::string rw;
  uint64_t kode_wilayah = 0;  // 10-digit desa code, or a shorter prefix when only that is known
  uint8_t desil = 0;          // 1-10, 0 unknown
  ProgramSet program = 0;
  HouseholdStatus status = HouseholdStatus::kAktif;
  Date updated_at;
  uint8_t flags = 0;  // HouseholdFlag bits
};

// A household member (anggota keluarga, ART). Owning value type.
struct Person {
  std::string id_art;
  std::string id_keluarga;
  std::string nik;            // 16 digits when valid, else the text as given
  uint64_t nik_value = 0;     // the number when nik is 16 digits, else 0
  std::string nama;
  Sex jenis_kelamin = Sex::kUnknown;
  std::string tempat_lahir;
  Date tanggal_lahir;
  std::string tanggal_lahir_text;  // the text as given when it could not be parsed
  Hubungan hubungan = Hubungan::kUnknown;
  std::string nama_ibu_kandung;
  StatusKawin status_kawin = StatusKawin::kUnknown;
  std::string pekerjaan;
  std::string pendidikan;
  std::string disabilitas;
  StatusHidup status_hidup = StatusHidup::kHidup;
  uint16_t flags = 0;  // PersonFlag bits
};

}  // namespace padan
