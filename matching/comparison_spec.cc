#include "matching/comparison_spec.h"

#include <array>
#include <set>

#include "absl/strings/str_format.h"
#include "simdjson.h"

#include "data/absl_strings.h"
#include "data/embedded_files.h"
#include "data/status_macros.h"

namespace padan {
namespace {

struct FieldInfo {
  FieldKind kind;
  std::string_view name;
  // The tests that make sense for this field.
  std::vector<LevelTest> tests;
};

const std::vector<FieldInfo>& Fields() {
  using T = LevelTest;
  static const auto* fields = new std::vector<FieldInfo>{
      {FieldKind::kNama,
       "nama",
       {T::kExact, T::kJaroWinkler, T::kTokenSet, T::kTokenContainment, T::kPhonetic, T::kInitials,
        T::kTokenOverlap}},
      {FieldKind::kNamaIbuKandung,
       "nama_ibu_kandung",
       {T::kExact, T::kJaroWinkler, T::kTokenSet, T::kTokenContainment, T::kPhonetic, T::kInitials,
        T::kTokenOverlap}},
      {FieldKind::kTanggalLahir,
       "tanggal_lahir",
       {T::kExact, T::kDayMonthSwap, T::kYearOffByOne, T::kSameYear}},
      {FieldKind::kJenisKelamin, "jenis_kelamin", {T::kExact}},
      {FieldKind::kNik,
       "nik",
       {T::kExact, T::kOneSubstitution, T::kAdjacentTransposition, T::kSameBirthPart}},
      {FieldKind::kKodeWilayah,
       "kode_wilayah",
       {T::kSameNoKk, T::kJaccard, T::kExact, T::kSameKecamatan, T::kSameKabKota,
        T::kSameProvinsi}},
      {FieldKind::kTempatLahir, "tempat_lahir", {T::kExact, T::kJaroWinkler, T::kPhonetic}},
      {FieldKind::kAlamat, "alamat", {T::kExact, T::kJaccard, T::kJaroWinkler}},
      {FieldKind::kNoKk, "no_kk", {T::kExact}},
  };
  return *fields;
}

constexpr std::array<std::pair<LevelTest, std::string_view>, 18> kTestNames = {{
    {LevelTest::kExact, "exact"},
    {LevelTest::kJaroWinkler, "jaro_winkler"},
    {LevelTest::kTokenSet, "token_set"},
    {LevelTest::kTokenContainment, "token_containment"},
    {LevelTest::kPhonetic, "phonetic"},
    {LevelTest::kInitials, "initials"},
    {LevelTest::kTokenOverlap, "token_overlap"},
    {LevelTest::kDayMonthSwap, "day_month_swap"},
    {LevelTest::kYearOffByOne, "year_off_by_one"},
    {LevelTest::kSameYear, "same_year"},
    {LevelTest::kOneSubstitution, "one_substitution"},
    {LevelTest::kAdjacentTransposition, "adjacent_transposition"},
    {LevelTest::kSameBirthPart, "same_birth_part"},
    {LevelTest::kSameKecamatan, "same_kecamatan"},
    {LevelTest::kSameKabKota, "same_kab_kota"},
    {LevelTest::kSameProvinsi, "same_provinsi"},
    {LevelTest::kJaccard, "jaccard"},
    {LevelTest::kSameNoKk, "same_no_kk"},
}};

bool TakesThreshold(LevelTest test) {
  return test == LevelTest::kJaroWinkler || test == LevelTest::kTokenSet ||
         test == LevelTest::kTokenContainment || test == LevelTest::kJaccard ||
         test == LevelTest::kTokenOverlap;
}

absl::Status SpecError(std::string_view where, std::string_view message) {
  return absl::InvalidArgumentError(StrCat("comparison spec ", where, ": ", message));
}

absl::StatusOr<LevelSpec> ParseLevel(const FieldInfo& field, std::string_view where,
                                     simdjson::dom::element element) {
  simdjson::dom::object object;
  if (element.get_object().get(object) != simdjson::SUCCESS) {
    return SpecError(where, "must be an object with a \"test\"");
  }
  LevelSpec level;
  bool has_test = false;
  bool has_threshold = false;
  for (auto [key, value] : object) {
    if (key == "test") {
      std::string_view name;
      if (value.get_string().get(name) != simdjson::SUCCESS) {
        return SpecError(StrCat(where, ".test"), "must be a string");
      }
      bool known = false;
      for (const auto& [test, test_name] : kTestNames) {
        if (test_name == name) {
          level.test = test;
          known = true;
        }
      }
      if (!known) return SpecError(StrCat(where, ".test"), StrCat("unknown test '", name, "'"));
      has_test = true;
    } else if (key == "threshold") {
      if (value.get_double().get(level.threshold) != simdjson::SUCCESS ||
          !(level.threshold >= 0 && level.threshold <= 1)) {
        return SpecError(StrCat(where, ".threshold"), "must be a number from 0 to 1");
      }
      has_threshold = true;
    } else if (key == "name") {
      std::string_view name;
      if (value.get_string().get(name) != simdjson::SUCCESS) {
        return SpecError(StrCat(where, ".name"), "must be a string");
      }
      level.name = std::string(name);
    } else {
      return SpecError(StrCat(where, ".", key), "unknown key; use test, threshold or name");
    }
  }
  if (!has_test) return SpecError(where, "needs a \"test\"");
  bool applies = false;
  for (LevelTest test : field.tests) applies |= test == level.test;
  if (!applies) {
    return SpecError(
        where, StrCat("test '", LevelTestName(level.test), "' does not apply to ", field.name));
  }
  if (TakesThreshold(level.test) != has_threshold) {
    return SpecError(where,
                     TakesThreshold(level.test) ? "needs a threshold" : "takes no threshold");
  }
  if (level.name.empty()) {
    level.name = has_threshold
                     ? absl::StrFormat("%s_%g", LevelTestName(level.test), level.threshold)
                     : std::string(LevelTestName(level.test));
  }
  return level;
}

}  // namespace

std::string_view FieldKindName(FieldKind kind) {
  for (const FieldInfo& field : Fields()) {
    if (field.kind == kind) return field.name;
  }
  return "unknown";
}

std::string_view LevelTestName(LevelTest test) {
  for (const auto& [value, name] : kTestNames) {
    if (value == test) return name;
  }
  return "unknown";
}

absl::StatusOr<ComparisonSpec> ComparisonSpec::FromJson(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json.data(), json.size());
  simdjson::dom::element root;
  if (auto error = parser.parse(padded).get(root); error != simdjson::SUCCESS) {
    return absl::InvalidArgumentError(
        StrCat("comparison spec is not valid JSON: ", simdjson::error_message(error)));
  }
  simdjson::dom::array fields;
  if (root["fields"].get_array().get(fields) != simdjson::SUCCESS) {
    return SpecError("fields", "must be an array of field objects");
  }
  ComparisonSpec spec;
  std::set<FieldKind> seen;
  size_t index = 0;
  for (simdjson::dom::element element : fields) {
    std::string where = StrCat("fields[", index++, "]");
    simdjson::dom::object object;
    if (element.get_object().get(object) != simdjson::SUCCESS) {
      return SpecError(where, "must be an object");
    }
    std::string_view name;
    if (object["field"].get_string().get(name) != simdjson::SUCCESS) {
      return SpecError(StrCat(where, ".field"), "must name a field");
    }
    const FieldInfo* info = nullptr;
    for (const FieldInfo& candidate : Fields()) {
      if (candidate.name == name) info = &candidate;
    }
    if (info == nullptr)
      return SpecError(StrCat(where, ".field"), StrCat("unknown field '", name, "'"));
    if (!seen.insert(info->kind).second) {
      return SpecError(StrCat(where, ".field"), StrCat("field '", name, "' appears twice"));
    }
    FieldSpec field;
    field.kind = info->kind;
    field.name = std::string(name);
    for (auto [key, value] : object) {
      if (key == "field") continue;
      if (key == "term_frequency") {
        if (value.get_bool().get(field.term_frequency) != simdjson::SUCCESS) {
          return SpecError(StrCat(where, ".term_frequency"), "must be true or false");
        }
      } else if (key == "u_given") {
        std::string_view given;
        if (value.get_string().get(given) != simdjson::SUCCESS || given != "tanggal_lahir") {
          return SpecError(StrCat(where, ".u_given"),
                           "must be \"tanggal_lahir\" (the only field u can be given)");
        }
        field.u_given = std::string(given);
      } else if (key == "levels") {
        simdjson::dom::array levels;
        if (value.get_array().get(levels) != simdjson::SUCCESS) {
          return SpecError(StrCat(where, ".levels"), "must be an array");
        }
        size_t level_index = 0;
        for (simdjson::dom::element level : levels) {
          PADAN_ASSIGN_OR_RETURN(
              LevelSpec parsed,
              ParseLevel(*info, StrCat(where, ".levels[", level_index++, "]"), level));
          field.levels.push_back(std::move(parsed));
        }
      } else {
        return SpecError(StrCat(where, ".", key),
                         "unknown key; use field, levels, term_frequency or u_given");
      }
    }
    if (field.levels.empty())
      return SpecError(StrCat(where, ".levels"), "needs at least one level");
    std::set<std::string> level_names;
    for (const LevelSpec& level : field.levels) {
      if (!level_names.insert(level.name).second || level.name == "else" ||
          level.name == "missing") {
        return SpecError(StrCat(where, ".levels"),
                         StrCat("level name '", level.name, "' is reserved or used twice"));
      }
    }
    if (field.term_frequency && field.kind != FieldKind::kNama &&
        field.kind != FieldKind::kNamaIbuKandung) {
      return SpecError(StrCat(where, ".term_frequency"), "applies to name fields only");
    }
    spec.fields.push_back(std::move(field));
  }
  if (spec.fields.empty()) return SpecError("fields", "needs at least one field");
  for (FieldSpec& field : spec.fields) {
    if (field.u_given.empty()) continue;
    for (size_t g = 0; g < spec.fields.size(); ++g) {
      if (spec.fields[g].name == field.u_given) field.u_given_index = static_cast<int>(g);
    }
    if (field.u_given_index < 0 ||
        spec.fields[static_cast<size_t>(field.u_given_index)].levels[0].test !=
            LevelTest::kExact) {
      return SpecError(StrCat("field ", field.name, ".u_given"),
                       StrCat("needs field '", field.u_given,
                              "' in the spec with exact as its first level"));
    }
  }
  return spec;
}

absl::StatusOr<ComparisonSpec> ComparisonSpec::Default() {
  PADAN_ASSIGN_OR_RETURN(std::string_view json, EmbeddedFile("matching/comparison_spec.json"));
  return FromJson(json);
}

std::string ComparisonSpec::ToJson() const {
  std::string json = "{\"fields\":[";
  for (size_t f = 0; f < fields.size(); ++f) {
    const FieldSpec& field = fields[f];
    absl::StrAppendFormat(&json, "%s{\"field\":\"%s\",\"term_frequency\":%s,", f > 0 ? "," : "",
                          field.name, field.term_frequency ? "true" : "false");
    if (!field.u_given.empty()) {
      absl::StrAppendFormat(&json, "\"u_given\":\"%s\",", field.u_given);
    }
    json += "\"levels\":[";
    for (size_t l = 0; l < field.levels.size(); ++l) {
      const LevelSpec& level = field.levels[l];
      absl::StrAppendFormat(&json, "%s{\"test\":\"%s\"", l > 0 ? "," : "",
                            LevelTestName(level.test));
      if (TakesThreshold(level.test))
        absl::StrAppendFormat(&json, ",\"threshold\":%.17g", level.threshold);
      absl::StrAppendFormat(&json, ",\"name\":\"%s\"}", level.name);
    }
    json += "]}";
  }
  json += "]}";
  return json;
}

std::string ComparisonSpec::Fingerprint() const {
  // FNV-1a over the canonical JSON: the same spec gives the same fingerprint everywhere.
  uint64_t hash = 14695981039346656037ULL;
  for (char c : ToJson()) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return absl::StrFormat("%016x", hash);
}

}  // namespace padan
