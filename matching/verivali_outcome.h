// Verivali outcomes (DESIGN.md §4): what the field found of each pre-list person and household,
// and how a field form records a member's presence (status_art).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace padan {

enum class VerivaliOutcome : uint8_t {
  kDitemukan,         // found as listed
  kDitemukanBerubah,  // found, with fields the field corrected
  kPindah,            // found in another desa, or reported by the family as moved away
  kMeninggal,         // reported dead by the family
  kTidakDitemukan,    // not found
  kGanda,             // a second pre-list record of a person listed elsewhere in the pre-list
  kBaru,              // a field record that matches no pre-list record
};
inline constexpr size_t kVerivaliOutcomeCount = static_cast<size_t>(VerivaliOutcome::kBaru) + 1;

inline constexpr std::array<VerivaliOutcome, kVerivaliOutcomeCount> kAllVerivaliOutcomes = {
    VerivaliOutcome::kDitemukan,      VerivaliOutcome::kDitemukanBerubah,
    VerivaliOutcome::kPindah,         VerivaliOutcome::kMeninggal,
    VerivaliOutcome::kTidakDitemukan, VerivaliOutcome::kGanda,
    VerivaliOutcome::kBaru};

// "ditemukan", "ditemukan_berubah", ...: the names used in CSV, JSON and the truth file.
std::string_view VerivaliOutcomeName(VerivaliOutcome outcome);
std::optional<VerivaliOutcome> VerivaliOutcomeFromName(std::string_view name);
// A label for people: "Ditemukan berubah", "Tidak ditemukan".
std::string_view VerivaliOutcomeLabel(VerivaliOutcome outcome);

// A member's presence as a field form records it (PAPI/CAPI `status_art`).
enum class StatusArt : uint8_t {
  kTinggal = 1,    // lives in the household
  kMeninggal = 2,  // died
  kPindah = 3,     // moved away
};

// Codes 1/2/3 or the labels ("tinggal", "ada", "meninggal", "pindah", ...), any case.
// nullopt for empty or unknown text.
std::optional<StatusArt> ParseStatusArt(std::string_view text);

}  // namespace padan
