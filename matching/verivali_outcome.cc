#include "matching/verivali_outcome.h"

#include <string>

#include "absl/strings/ascii.h"

namespace padan {
namespace {

// Letters and digits only, lower case: "Meninggal Dunia" and "meninggal_dunia" are one key.
std::string KeyOf(std::string_view text) {
  std::string key;
  for (char c : text) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      key.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    }
  }
  return key;
}

}  // namespace

std::string_view VerivaliOutcomeName(VerivaliOutcome outcome) {
  switch (outcome) {
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

std::optional<VerivaliOutcome> VerivaliOutcomeFromName(std::string_view name) {
  for (VerivaliOutcome outcome : kAllVerivaliOutcomes) {
    if (VerivaliOutcomeName(outcome) == name) return outcome;
  }
  return std::nullopt;
}

std::string_view VerivaliOutcomeLabel(VerivaliOutcome outcome) {
  switch (outcome) {
    case VerivaliOutcome::kDitemukan:
      return "Ditemukan";
    case VerivaliOutcome::kDitemukanBerubah:
      return "Ditemukan berubah";
    case VerivaliOutcome::kPindah:
      return "Pindah";
    case VerivaliOutcome::kMeninggal:
      return "Meninggal";
    case VerivaliOutcome::kTidakDitemukan:
      return "Tidak ditemukan";
    case VerivaliOutcome::kGanda:
      return "Ganda";
    case VerivaliOutcome::kBaru:
      return "Baru";
  }
  return "";
}

std::optional<StatusArt> ParseStatusArt(std::string_view text) {
  const std::string key = KeyOf(text);
  if (key == "1" || key == "tinggal" || key == "ada" || key == "tinggaldiruta" || key == "hidup" ||
      key == "tinggalbersamaart") {
    return StatusArt::kTinggal;
  }
  if (key == "2" || key == "meninggal" || key == "meninggaldunia" || key == "wafat" ||
      key == "mati") {
    return StatusArt::kMeninggal;
  }
  if (key == "3" || key == "pindah" || key == "pindahalamat" || key == "keluarruta") {
    return StatusArt::kPindah;
  }
  return std::nullopt;
}

}  // namespace padan
