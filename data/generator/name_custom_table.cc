#include "data/generator/name_custom_table.h"

#include <array>
#include <charconv>

#include "absl/strings/str_split.h"

#include "data/absl_strings.h"
#include "data/embedded_files.h"
#include "data/status_macros.h"

namespace padan::gen {
namespace {

constexpr std::array<std::string_view, kNameCustomCount> kCustomNames = {
    "umum",     "jawa",    "sunda",    "bali",          "batak",  "islam",
    "tionghoa", "kristen", "minahasa", "nusa_tenggara", "maluku", "papua",
};

constexpr std::array<std::string_view, kNameRoleCount> kRoleNames = {
    "first",  "last",     "given",         "lead",   "abd_tail", "prefix", "stem",
    "suffix", "old_form", "marker",        "order1", "order2",   "order3", "order4",
    "caste",  "surname",  "surname_islam", "clan",   "syllable",
};

// Our own reference files hold no quoted fields, so a plain split is exact for them.
std::vector<std::string_view> SplitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  for (absl::string_view f : absl::StrSplit(ToAbsl(line), ',')) fields.push_back(FromAbsl(f));
  return fields;
}

// Calls `row(fields, line_number)` for each data line after the header; stops at an error.
template <typename RowFn>
absl::Status ForEachRow(std::string_view csv, std::string_view file, size_t columns, RowFn row) {
  int line_number = 0;
  bool header = true;
  for (absl::string_view raw : absl::StrSplit(ToAbsl(csv), '\n')) {
    ++line_number;
    std::string_view line = FromAbsl(raw);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (header) {
      header = false;
      continue;
    }
    std::vector<std::string_view> fields = SplitFields(line);
    if (fields.size() != columns) {
      return absl::InvalidArgumentError(StrCat(file, " line ", line_number, ": expected ", columns,
                                               " fields, got ", fields.size()));
    }
    PADAN_RETURN_IF_ERROR(row(fields, line_number));
  }
  return absl::OkStatus();
}

absl::StatusOr<double> ParseWeight(std::string_view text, std::string_view file, int line) {
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || !(value > 0)) {
    return absl::InvalidArgumentError(
        StrCat(file, " line ", line, ": weight '", text, "' must be a positive number"));
  }
  return value;
}

}  // namespace

std::string_view NameCustomName(NameCustom custom) {
  return kCustomNames[static_cast<size_t>(custom)];
}

std::optional<NameCustom> ParseNameCustom(std::string_view name) {
  for (size_t i = 0; i < kCustomNames.size(); ++i) {
    if (kCustomNames[i] == name) return static_cast<NameCustom>(i);
  }
  return std::nullopt;
}

std::optional<NameRole> ParseNameRole(std::string_view name) {
  for (size_t i = 0; i < kRoleNames.size(); ++i) {
    if (kRoleNames[i] == name) return static_cast<NameRole>(i);
  }
  return std::nullopt;
}

Religion ReligionOfCustom(NameCustom custom) {
  switch (custom) {
    case NameCustom::kJawa:
    case NameCustom::kSunda:
    case NameCustom::kIslam:
      return Religion::kIslam;
    case NameCustom::kBali:
      return Religion::kHindu;
    case NameCustom::kBatak:
    case NameCustom::kKristen:
    case NameCustom::kMinahasa:
    case NameCustom::kNusaTenggara:
    case NameCustom::kMaluku:
    case NameCustom::kPapua:
      return Religion::kKristen;
    case NameCustom::kUmum:
    case NameCustom::kTionghoa:
      return Religion::kOther;
  }
  return Religion::kOther;
}

bool CustomHasFamilyName(NameCustom custom) {
  switch (custom) {
    case NameCustom::kBatak:
    case NameCustom::kTionghoa:
    case NameCustom::kMinahasa:
    case NameCustom::kNusaTenggara:
    case NameCustom::kMaluku:
    case NameCustom::kPapua:
      return true;
    default:
      return false;
  }
}

size_t NameCustomTable::PoolIndex(NameCustom custom, NameRole role, Sex sex) {
  size_t sex_index = sex == Sex::kPerempuan ? 1 : 0;
  return (static_cast<size_t>(custom) * kNameRoleCount + static_cast<size_t>(role)) * 2 + sex_index;
}

const TokenPool& NameCustomTable::Pool(NameCustom custom, NameRole role, Sex sex) const {
  return pools_[PoolIndex(custom, role, sex)];
}

const CustomMix* NameCustomTable::MixFor(KodeWilayah kab_kota) const {
  if (auto it = mixes_.find(kab_kota); it != mixes_.end()) return &it->second;
  if (auto it = mixes_.find(kab_kota / 100); it != mixes_.end()) return &it->second;
  return nullptr;
}

absl::StatusOr<std::unique_ptr<NameCustomTable>> NameCustomTable::LoadEmbedded() {
  PADAN_ASSIGN_OR_RETURN(std::string_view customs, EmbeddedFile("names/name_customs.csv"));
  PADAN_ASSIGN_OR_RETURN(std::string_view regions, EmbeddedFile("names/custom_by_region.csv"));
  return FromCsv(customs, regions);
}

absl::StatusOr<std::unique_ptr<NameCustomTable>> NameCustomTable::FromCsv(
    std::string_view customs_csv, std::string_view regions_csv) {
  std::unique_ptr<NameCustomTable> table(new NameCustomTable());
  table->pools_.resize(static_cast<size_t>(kNameCustomCount) * kNameRoleCount * 2);
  constexpr std::string_view kCustomsFile = "name_customs.csv";
  PADAN_RETURN_IF_ERROR(ForEachRow(
      customs_csv, kCustomsFile, 5,
      [&](const std::vector<std::string_view>& f, int line) -> absl::Status {
        std::optional<NameCustom> custom = ParseNameCustom(f[0]);
        std::optional<NameRole> role = ParseNameRole(f[1]);
        if (!custom || !role) {
          return absl::InvalidArgumentError(StrCat(
              kCustomsFile, " line ", line, ": unknown custom or role '", f[0], ",", f[1], "'"));
        }
        std::string_view gender = f[2];
        if (gender != "L" && gender != "P" && gender != "U") {
          return absl::InvalidArgumentError(
              StrCat(kCustomsFile, " line ", line, ": gender must be L, P or U"));
        }
        if (f[3].empty()) {
          return absl::InvalidArgumentError(StrCat(kCustomsFile, " line ", line, ": no token"));
        }
        PADAN_ASSIGN_OR_RETURN(double weight, ParseWeight(f[4], kCustomsFile, line));
        std::string_view token = table->text_.emplace_back(f[3]);
        for (Sex sex : {Sex::kLakiLaki, Sex::kPerempuan}) {
          bool fits = gender == "U" || (gender == "L") == (sex == Sex::kLakiLaki);
          if (!fits) continue;
          TokenPool& pool = table->pools_[PoolIndex(*custom, *role, sex)];
          pool.tokens_.push_back(token);
          pool.weights_.push_back(weight);
        }
        if (*role == NameRole::kOldForm) table->old_forms_.insert(token);
        if (*role == NameRole::kSurnameIslam) table->islamic_surnames_.insert(token);
        return absl::OkStatus();
      }));
  for (TokenPool& pool : table->pools_) {
    pool.alias_ = AliasTable(pool.weights_);
  }

  constexpr std::string_view kRegionsFile = "custom_by_region.csv";
  absl::flat_hash_map<KodeWilayah, std::vector<double>> weights;
  PADAN_RETURN_IF_ERROR(ForEachRow(
      regions_csv, kRegionsFile, 4,
      [&](const std::vector<std::string_view>& f, int line) -> absl::Status {
        KodeWilayah code = 0;
        auto [ptr, ec] = std::from_chars(f[0].data(), f[0].data() + f[0].size(), code);
        RegionLevel level = LevelOfCode(code);
        if (ec != std::errc() || ptr != f[0].data() + f[0].size() ||
            (level != RegionLevel::kProvinsi && level != RegionLevel::kKabKota)) {
          return absl::InvalidArgumentError(StrCat(
              kRegionsFile, " line ", line, ": kode_wilayah must be a provinsi or kab/kota code"));
        }
        std::optional<NameCustom> custom = ParseNameCustom(f[2]);
        if (!custom || *custom == NameCustom::kUmum) {
          return absl::InvalidArgumentError(
              StrCat(kRegionsFile, " line ", line, ": unknown custom '", f[2], "'"));
        }
        PADAN_ASSIGN_OR_RETURN(double weight, ParseWeight(f[3], kRegionsFile, line));
        CustomMix& mix = table->mixes_[code];
        mix.customs.push_back(*custom);
        weights[code].push_back(weight);
        return absl::OkStatus();
      }));
  for (auto& [code, mix] : table->mixes_) mix.alias = AliasTable(weights[code]);
  return table;
}

}  // namespace padan::gen
