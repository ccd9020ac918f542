// SiksNgWriter: renders generated records as rows of the SIKS-NG DTKS export (UTF-8 CSV,
// RFC 4180 quoting) and of the generator's truth file, with names, dates and birthplaces typed
// the way registry officers type them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "data/generator/generated_household.h"
#include "data/generator/region_sampler.h"
#include "data/generator/title_table.h"

namespace padan::gen {

// The export's header line, without the line end.
inline constexpr std::string_view kSiksNgHeader =
    "ID DTKS,ID Keluarga,Provinsi,Kabupaten/Kota,Kecamatan,Desa/Kelurahan,Alamat,Dusun,RT,RW,"
    "Nomor KK,Nomor NIK,Nama,Tanggal Lahir,Tempat Lahir,Jenis Kelamin,Nama Ibu Kandung,"
    "Hubungan Keluarga,Status Kawin,Pekerjaan,Status Hidup";
inline constexpr std::string_view kTruthHeader = "id_art,cluster_id,id_keluarga,kind,corruptions";

// A name as written: tokens in `name_case`, one-letter tokens and the usual abbreviations
// (Moch., Moh., Muh., Abd., St.) with a full stop, and the title before or after it
// ("H. AHMAD FAUZI", "Siti N. Aisyah, S.Pd.").
std::string RenderName(std::string_view nama, NameCase name_case, uint8_t title,
                       const TitleTable& titles);
// Appends `value` in decimal, zero-padded to `width` digits (wider values are written whole).
void AppendZeroPadded(uint64_t value, int width, std::string* out);
std::string ZeroPadded(uint64_t value, int width);
// "17-05-1980" with `separator` '-' or '/'.
std::string FormatDateDmy(int32_t days, char separator = '-');
// "1980-05-17".
std::string FormatDateIso(int32_t days);

// Holds references to the tables, which must outlive it. Stateless; thread-safe.
class SiksNgWriter {
 public:
  SiksNgWriter(const RegionSampler& regions, const TitleTable& titles);

  // The household's columns, Provinsi to Nomor KK, each followed by a comma; `no_kk` is the
  // text to write (empty when missing). Rendered once per household.
  std::string HouseholdColumns(const GenHousehold& household, std::string_view no_kk) const;

  // Appends one export row (with "\n") for `person`, a member of the household whose
  // HouseholdColumns() are `household_columns`. `nik` is the text to write (empty when missing).
  void AppendRow(const GenPerson& person, std::string_view id_art, std::string_view id_keluarga,
                 std::string_view household_columns, std::string_view nik, std::string* out) const;

  // The Tempat Lahir text: the kab/kota name without "Kabupaten"/"Kota", upper or mixed case.
  std::string Birthplace(const GenPerson& person) const;

  // Appends one truth row (with "\n").
  static void AppendTruthRow(std::string_view id_art, std::string_view cluster_id,
                             std::string_view id_keluarga, bool duplicate,
                             CorruptionSet corruptions, std::string* out);

 private:
  const RegionSampler& regions_;
  const TitleTable& titles_;
};

}  // namespace padan::gen
