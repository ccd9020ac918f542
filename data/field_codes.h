// Reading and writing the coded DTKS fields (jenis kelamin, hubungan, status kawin, status
// hidup, programmes) in every form the registry's files use: codes, labels, abbreviations.
#pragma once

#include <optional>
#include <string_view>

#include "data/record.h"

namespace padan {

// Which numbering a numeric hubungan code follows.
enum class HubunganCodes : uint8_t {
  // DTKS/BDT: 1 kepala keluarga, 2 istri/suami, 3 anak, 4 menantu, 5 cucu, 6 orang tua/mertua,
  // 7 pembantu, 8 lainnya.
  kDtks,
  // Dukcapil SHDK: 1 kepala keluarga, 2 suami, 3 istri, 4 anak, 5 menantu, 6 cucu, 7 orang tua,
  // 8 mertua, 9 famili lain, 10 pembantu, 11 lainnya.
  kShdk,
};

// Each parser ignores case, surrounding space and punctuation; returns nullopt for text it
// does not know (the caller flags it) and for empty text (the caller treats it as missing).
std::optional<Sex> ParseSex(std::string_view text);  // L/P, Laki-laki/Perempuan, 1/2, LK/PR...
std::optional<Hubungan> ParseHubungan(std::string_view text,
                                      HubunganCodes codes = HubunganCodes::kDtks);
std::optional<StatusKawin> ParseStatusKawin(std::string_view text);
std::optional<StatusHidup> ParseStatusHidup(std::string_view text);
std::optional<HouseholdStatus> ParseHouseholdStatus(std::string_view text);
// A list such as "PKH, BPNT" or "PKH;PBI-JK"; nullopt when any item is unknown.
std::optional<ProgramSet> ParseProgramSet(std::string_view text);

// Canonical labels, as padan writes them in CSV and JSON ("L", "Kepala Keluarga", ...).
std::string_view SexCode(Sex sex);  // "L", "P" or ""
std::string_view HubunganLabel(Hubungan hubungan);
std::string_view StatusKawinLabel(StatusKawin status);
std::string_view StatusHidupLabel(StatusHidup status);
std::string_view HouseholdStatusLabel(HouseholdStatus status);
std::string ProgramSetLabel(ProgramSet programs);  // "PKH;BPNT"

}  // namespace padan
