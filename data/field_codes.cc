#include "data/field_codes.h"

#include <array>
#include <string>

namespace padan {
namespace {

// Lower-case ASCII letters and digits only: "Laki - Laki" and "LAKI-LAKI" both become
// "lakilaki". Text longer than the buffer is no known label.
constexpr size_t kMaxLabel = 48;

struct Key {
  std::array<char, kMaxLabel> bytes{};
  size_t size = 0;
  bool overflow = false;
  std::string_view view() const { return {bytes.data(), size}; }
};

Key KeyOf(std::string_view text) {
  Key key;
  for (char c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (key.size == kMaxLabel) {
        key.overflow = true;
        break;
      }
      key.bytes[key.size++] = c;
    }
  }
  return key;
}

template <typename T>
struct Label {
  std::string_view key;
  T value;
};

template <typename T, size_t N>
std::optional<T> Lookup(std::string_view text, const std::array<Label<T>, N>& table) {
  Key key = KeyOf(text);
  if (key.size == 0 || key.overflow) return std::nullopt;
  for (const Label<T>& label : table) {
    if (label.key == key.view()) return label.value;
  }
  return std::nullopt;
}

constexpr std::array<Label<Sex>, 17> kSexLabels = {{
    {"l", Sex::kLakiLaki},        {"lk", Sex::kLakiLaki},       {"laki", Sex::kLakiLaki},
    {"lakilaki", Sex::kLakiLaki}, {"pria", Sex::kLakiLaki},     {"1", Sex::kLakiLaki},
    {"m", Sex::kLakiLaki},        {"male", Sex::kLakiLaki},     {"p", Sex::kPerempuan},
    {"pr", Sex::kPerempuan},      {"perempuan", Sex::kPerempuan}, {"wanita", Sex::kPerempuan},
    {"w", Sex::kPerempuan},       {"2", Sex::kPerempuan},       {"f", Sex::kPerempuan},
    {"female", Sex::kPerempuan},  {"prempuan", Sex::kPerempuan},
}};

constexpr std::array<Label<Hubungan>, 32> kHubunganLabels = {{
    {"kepalakeluarga", Hubungan::kKepalaKeluarga},
    {"kepalarumahtangga", Hubungan::kKepalaKeluarga},
    {"krt", Hubungan::kKepalaKeluarga},
    {"kk", Hubungan::kKepalaKeluarga},
    {"kepala", Hubungan::kKepalaKeluarga},
    {"istrisuami", Hubungan::kIstriSuami},
    {"suamiistri", Hubungan::kIstriSuami},
    {"istri", Hubungan::kIstriSuami},
    {"isteri", Hubungan::kIstriSuami},
    {"suami", Hubungan::kIstriSuami},
    {"anak", Hubungan::kAnak},
    {"anakkandung", Hubungan::kAnak},
    {"anaktiri", Hubungan::kAnak},
    {"anakangkat", Hubungan::kAnak},
    {"menantu", Hubungan::kMenantu},
    {"cucu", Hubungan::kCucu},
    {"orangtua", Hubungan::kOrangTua},
    {"ortu", Hubungan::kOrangTua},
    {"orangtuamertua", Hubungan::kOrangTua},
    {"ayah", Hubungan::kOrangTua},
    {"ibu", Hubungan::kOrangTua},
    {"mertua", Hubungan::kMertua},
    {"famililain", Hubungan::kFamiliLain},
    {"famili", Hubungan::kFamiliLain},
    {"keluargalain", Hubungan::kFamiliLain},
    {"saudara", Hubungan::kFamiliLain},
    {"pembantu", Hubungan::kPembantu},
    {"pembanturumahtangga", Hubungan::kPembantu},
    {"pembanturuta", Hubungan::kPembantu},
    {"lainnya", Hubungan::kLainnya},
    {"lain", Hubungan::kLainnya},
    {"lainlain", Hubungan::kLainnya},
}};

// Numeric codes: index = code.
constexpr std::array<Hubungan, 9> kDtksHubunganCodes = {
    Hubungan::kUnknown,  Hubungan::kKepalaKeluarga, Hubungan::kIstriSuami,
    Hubungan::kAnak,     Hubungan::kMenantu,        Hubungan::kCucu,
    Hubungan::kOrangTua, Hubungan::kPembantu,       Hubungan::kLainnya};
constexpr std::array<Hubungan, 12> kShdkHubunganCodes = {
    Hubungan::kUnknown,    Hubungan::kKepalaKeluarga, Hubungan::kIstriSuami, Hubungan::kIstriSuami,
    Hubungan::kAnak,       Hubungan::kMenantu,        Hubungan::kCucu,       Hubungan::kOrangTua,
    Hubungan::kMertua,     Hubungan::kFamiliLain,     Hubungan::kPembantu,   Hubungan::kLainnya};

constexpr std::array<Label<StatusKawin>, 16> kStatusKawinLabels = {{
    {"belumkawin", StatusKawin::kBelumKawin},
    {"bk", StatusKawin::kBelumKawin},
    {"tidakkawin", StatusKawin::kBelumKawin},
    {"lajang", StatusKawin::kBelumKawin},
    {"1", StatusKawin::kBelumKawin},
    {"kawin", StatusKawin::kKawin},
    {"menikah", StatusKawin::kKawin},
    {"kawintercatat", StatusKawin::kKawin},
    {"kawinbelumtercatat", StatusKawin::kKawin},
    {"kawintidaktercatat", StatusKawin::kKawin},
    {"2", StatusKawin::kKawin},
    {"ceraihidup", StatusKawin::kCeraiHidup},
    {"ch", StatusKawin::kCeraiHidup},
    {"3", StatusKawin::kCeraiHidup},
    {"ceraimati", StatusKawin::kCeraiMati},
    {"4", StatusKawin::kCeraiMati},
}};

constexpr std::array<Label<StatusHidup>, 10> kStatusHidupLabels = {{
    {"hidup", StatusHidup::kHidup},
    {"masihhidup", StatusHidup::kHidup},
    {"ada", StatusHidup::kHidup},
    {"1", StatusHidup::kHidup},
    {"meninggal", StatusHidup::kMeninggal},
    {"meninggaldunia", StatusHidup::kMeninggal},
    {"mati", StatusHidup::kMeninggal},
    {"wafat", StatusHidup::kMeninggal},
    {"almarhum", StatusHidup::kMeninggal},
    {"2", StatusHidup::kMeninggal},
}};

constexpr std::array<Label<HouseholdStatus>, 6> kHouseholdStatusLabels = {{
    {"aktif", HouseholdStatus::kAktif},
    {"1", HouseholdStatus::kAktif},
    {"nonaktif", HouseholdStatus::kNonaktif},
    {"tidakaktif", HouseholdStatus::kNonaktif},
    {"0", HouseholdStatus::kNonaktif},
    {"2", HouseholdStatus::kNonaktif},
}};

constexpr std::array<Label<Program>, 16> kProgramLabels = {{
    {"pkh", Program::kPkh},
    {"bpnt", Program::kBpnt},
    {"sembako", Program::kBpnt},
    {"bpntsembako", Program::kBpnt},
    {"bansossembako", Program::kBpnt},
    {"pbijk", Program::kPbiJk},
    {"pbi", Program::kPbiJk},
    {"pbijkn", Program::kPbiJk},
    {"pip", Program::kPip},
    {"kip", Program::kPip},
    {"kipkuliah", Program::kKipKuliah},
    {"bst", Program::kBst},
    {"listrik", Program::kListrik},
    {"subsidilistrik", Program::kListrik},
    {"bantuanlistrik", Program::kListrik},
    {"pln", Program::kListrik},
}};

}  // namespace

std::optional<Sex> ParseSex(std::string_view text) { return Lookup(text, kSexLabels); }

std::optional<Hubungan> ParseHubungan(std::string_view text, HubunganCodes codes) {
  Key key = KeyOf(text);
  if (key.size == 0 || key.overflow) return std::nullopt;
  if (key.size <= 2 && key.view()[0] >= '0' && key.view()[0] <= '9') {
    int code = key.view()[0] - '0';
    if (key.size == 2) {
      if (key.view()[1] < '0' || key.view()[1] > '9') return std::nullopt;
      code = code * 10 + (key.view()[1] - '0');
    }
    if (codes == HubunganCodes::kDtks) {
      if (code >= 1 && code < static_cast<int>(kDtksHubunganCodes.size())) {
        return kDtksHubunganCodes[code];
      }
    } else if (code >= 1 && code < static_cast<int>(kShdkHubunganCodes.size())) {
      return kShdkHubunganCodes[code];
    }
    return std::nullopt;
  }
  return Lookup(text, kHubunganLabels);
}

std::optional<StatusKawin> ParseStatusKawin(std::string_view text) {
  return Lookup(text, kStatusKawinLabels);
}

std::optional<StatusHidup> ParseStatusHidup(std::string_view text) {
  return Lookup(text, kStatusHidupLabels);
}

std::optional<HouseholdStatus> ParseHouseholdStatus(std::string_view text) {
  return Lookup(text, kHouseholdStatusLabels);
}

std::optional<ProgramSet> ParseProgramSet(std::string_view text) {
  ProgramSet set = 0;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ',' || text[i] == ';' || text[i] == '|') {
      std::string_view item = text.substr(start, i - start);
      start = i + 1;
      if (KeyOf(item).size == 0) continue;
      std::optional<Program> program = Lookup(item, kProgramLabels);
      if (!program.has_value()) return std::nullopt;
      set |= static_cast<ProgramSet>(*program);
    }
  }
  return set;
}

std::string_view SexCode(Sex sex) {
  switch (sex) {
    case Sex::kLakiLaki:
      return "L";
    case Sex::kPerempuan:
      return "P";
    case Sex::kUnknown:
      return "";
  }
  return "";
}

std::string_view HubunganLabel(Hubungan hubungan) {
  switch (hubungan) {
    case Hubungan::kUnknown:
      return "";
    case Hubungan::kKepalaKeluarga:
      return "Kepala Keluarga";
    case Hubungan::kIstriSuami:
      return "Istri/Suami";
    case Hubungan::kAnak:
      return "Anak";
    case Hubungan::kMenantu:
      return "Menantu";
    case Hubungan::kCucu:
      return "Cucu";
    case Hubungan::kOrangTua:
      return "Orang Tua";
    case Hubungan::kMertua:
      return "Mertua";
    case Hubungan::kFamiliLain:
      return "Famili Lain";
    case Hubungan::kPembantu:
      return "Pembantu";
    case Hubungan::kLainnya:
      return "Lainnya";
  }
  return "";
}

std::string_view StatusKawinLabel(StatusKawin status) {
  switch (status) {
    case StatusKawin::kUnknown:
      return "";
    case StatusKawin::kBelumKawin:
      return "Belum Kawin";
    case StatusKawin::kKawin:
      return "Kawin";
    case StatusKawin::kCeraiHidup:
      return "Cerai Hidup";
    case StatusKawin::kCeraiMati:
      return "Cerai Mati";
  }
  return "";
}

std::string_view StatusHidupLabel(StatusHidup status) {
  return status == StatusHidup::kMeninggal ? "Meninggal" : "Hidup";
}

std::string_view HouseholdStatusLabel(HouseholdStatus status) {
  return status == HouseholdStatus::kNonaktif ? "Nonaktif" : "Aktif";
}

std::string ProgramSetLabel(ProgramSet programs) {
  static constexpr std::array<std::pair<Program, std::string_view>, 7> kNames = {{
      {Program::kPkh, "PKH"},
      {Program::kBpnt, "BPNT"},
      {Program::kPbiJk, "PBI-JK"},
      {Program::kPip, "PIP"},
      {Program::kKipKuliah, "KIP-Kuliah"},
      {Program::kBst, "BST"},
      {Program::kListrik, "Listrik"},
  }};
  std::string out;
  for (const auto& [program, name] : kNames) {
    if ((programs & static_cast<ProgramSet>(program)) == 0) continue;
    if (!out.empty()) out.push_back(';');
    out.append(name);
  }
  return out;
}

}  // namespace padan
