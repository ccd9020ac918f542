#include "matching/fellegi_sunter_model.h"

#include <cmath>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_format.h"
#include "simdjson.h"

#include "data/absl_strings.h"
#include "data/embedded_files.h"
#include "data/file_io.h"
#include "data/status_macros.h"

namespace padan {
namespace {

absl::Status ModelError(std::string_view message) {
  return absl::InvalidArgumentError(StrCat("model file: ", message));
}

std::string_view LevelName(const FieldSpec& field, size_t level) {
  if (level == kMissingLevel) return "missing";
  if (level == field.else_level()) return "else";
  return field.levels[level].name;
}

// The level whose u is a field's baseline for term-frequency adjustment: its exact level.
bool AdjustsLevel(const FieldSpec& field, size_t level) {
  return field.term_frequency && level < field.levels.size() &&
         field.levels[level].test != LevelTest::kInitials;
}

}  // namespace

std::string_view DecisionName(Decision decision) {
  switch (decision) {
    case Decision::kMatch:
      return "match";
    case Decision::kPossibleMatch:
      return "possible_match";
    case Decision::kNonMatch:
      return "non_match";
  }
  return "non_match";
}

FellegiSunterModel::FellegiSunterModel(ComparisonSpec spec) : spec_(std::move(spec)) {
  for (const FieldSpec& field : spec_.fields) {
    double uniform = 1.0 / static_cast<double>(field.level_count());
    m_.emplace_back(field.level_count(), uniform);
    u_.emplace_back(field.level_count(), uniform);
    u_given_.emplace_back(field.u_given.empty() ? 0 : field.level_count(), uniform);
  }
}

double FellegiSunterModel::LevelWeight(size_t field, size_t level) const {
  return std::log2(m_[field][level] / u_[field][level]);
}

double FellegiSunterModel::U(size_t field, size_t level, const ComparisonVector& comparison) const {
  int given = spec_.fields[field].u_given_index;
  if (given >= 0 && comparison.levels[static_cast<size_t>(given)] == 0) {
    return u_given_[field][level];
  }
  return u_[field][level];
}

double FellegiSunterModel::LevelWeight(size_t field, size_t level,
                                       const ComparisonVector& comparison) const {
  return std::log2(m_[field][level] / U(field, level, comparison));
}

double FellegiSunterModel::PriorWeight() const { return std::log2(lambda_ / (1.0 - lambda_)); }

double FellegiSunterModel::ProbabilityFromWeight(double match_weight) {
  return 1.0 / (1.0 + std::exp2(-match_weight));
}

Decision FellegiSunterModel::Decide(double match_weight) const {
  if (match_weight >= match_threshold_) return Decision::kMatch;
  if (match_weight >= possible_threshold_) return Decision::kPossibleMatch;
  return Decision::kNonMatch;
}

double FellegiSunterModel::TfAdjustment(size_t field, size_t level, const MatchRecord& a,
                                        const MatchRecord& b,
                                        const FrequencyTables* frequencies) const {
  const FieldSpec& spec = spec_.fields[field];
  if (frequencies == nullptr || !AdjustsLevel(spec, level)) return 0;
  const TermFrequencies& table =
      spec.kind == FieldKind::kNama ? frequencies->nama : frequencies->nama_ibu_kandung;
  if (table.names() == 0 || table.mean_name_probability() <= 0) return 0;
  const MatchName& x = spec.kind == FieldKind::kNama ? a.nama : a.nama_ibu_kandung;
  const MatchName& y = spec.kind == FieldKind::kNama ? b.nama : b.nama_ibu_kandung;
  // The commoner of the two names: a fuzzy agreement is no rarer than its commoner side.
  double probability = std::max(table.NameProbability(x), table.NameProbability(y));
  double adjustment = std::log2(table.mean_name_probability() / probability);
  return std::clamp(adjustment, -kMaxTfAdjustment, kMaxTfAdjustment);
}

double FellegiSunterModel::MatchWeight(const ComparisonVector& comparison, const MatchRecord& a,
                                       const MatchRecord& b,
                                       const FrequencyTables* frequencies) const {
  double weight = PriorWeight();
  for (size_t f = 0; f < comparison.size; ++f) {
    uint8_t level = comparison.levels[f];
    if (level == kMissingLevel) continue;
    weight += LevelWeight(f, level, comparison) + TfAdjustment(f, level, a, b, frequencies);
  }
  return weight;
}

ScoredPair FellegiSunterModel::Score(const MatchRecord& a, const MatchRecord& b,
                                     const FrequencyTables* frequencies) const {
  return ScoreComparison(Compare(spec_, a, b), a, b, frequencies);
}

ScoredPair FellegiSunterModel::ScoreComparison(const ComparisonVector& comparison,
                                               const MatchRecord& a, const MatchRecord& b,
                                               const FrequencyTables* frequencies) const {
  ScoredPair scored;
  scored.comparison = comparison;
  double weight = PriorWeight();
  for (size_t f = 0; f < spec_.fields.size(); ++f) {
    uint8_t level = scored.comparison.levels[f];
    FieldWeight explanation;
    explanation.field = spec_.fields[f].name;
    explanation.level = LevelName(spec_.fields[f], level);
    if (level != kMissingLevel) {
      explanation.tf_adjustment = TfAdjustment(f, level, a, b, frequencies);
      explanation.weight = LevelWeight(f, level, scored.comparison) + explanation.tf_adjustment;
    }
    weight += explanation.weight;
    scored.explanation.push_back(explanation);
  }
  scored.match_weight = weight;
  scored.match_probability = ProbabilityFromWeight(weight);
  scored.decision = Decide(weight);
  return scored;
}

std::string FellegiSunterModel::ToJson() const {
  std::string json = absl::StrFormat(
      "{\n  \"format\": \"%s\",\n  \"format_version\": %d,\n  \"model_version\": \"%s\",\n"
      "  \"spec_fingerprint\": \"%s\",\n  \"lambda\": %.17g,\n"
      "  \"thresholds\": {\"match\": %.17g, \"possible\": %.17g},\n  \"spec\": %s,\n"
      "  \"fields\": [",
      kFormat, kFormatVersion, version_, spec_.Fingerprint(), lambda_, match_threshold_,
      possible_threshold_, spec_.ToJson());
  for (size_t f = 0; f < spec_.fields.size(); ++f) {
    const FieldSpec& field = spec_.fields[f];
    absl::StrAppendFormat(&json, "%s\n    {\"field\": \"%s\", \"levels\": [", f > 0 ? "," : "",
                          field.name);
    for (size_t l = 0; l < field.level_count(); ++l) {
      absl::StrAppendFormat(&json, "%s\n      {\"level\": \"%s\", \"m\": %.17g, \"u\": %.17g",
                            l > 0 ? "," : "", LevelName(field, l), m_[f][l], u_[f][l]);
      if (!u_given_[f].empty())
        absl::StrAppendFormat(&json, ", \"u_given\": %.17g", u_given_[f][l]);
      json += "}";
    }
    json += "]}";
  }
  absl::StrAppendFormat(&json, "\n  ],\n  \"training\": %s\n}\n", training_json_);
  return json;
}

absl::StatusOr<FellegiSunterModel> FellegiSunterModel::FromJson(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json.data(), json.size());
  simdjson::dom::element root;
  if (auto error = parser.parse(padded).get(root); error != simdjson::SUCCESS) {
    return ModelError(StrCat("not valid JSON: ", simdjson::error_message(error)));
  }
  std::string_view format;
  if (root["format"].get_string().get(format) != simdjson::SUCCESS || format != kFormat) {
    return ModelError(StrCat("\"format\" must be \"", kFormat, "\""));
  }
  int64_t format_version = 0;
  if (root["format_version"].get_int64().get(format_version) != simdjson::SUCCESS ||
      format_version != kFormatVersion) {
    return ModelError(StrCat("\"format_version\" must be ", kFormatVersion,
                             "; this padan cannot read other versions"));
  }
  simdjson::dom::element spec_element;
  if (root["spec"].get(spec_element) != simdjson::SUCCESS) return ModelError("no \"spec\"");
  absl::StatusOr<ComparisonSpec> spec = ComparisonSpec::FromJson(simdjson::to_string(spec_element));
  if (!spec.ok()) return ModelError(FromAbsl(spec.status().message()));
  FellegiSunterModel model(*std::move(spec));

  std::string_view text;
  if (root["model_version"].get_string().get(text) != simdjson::SUCCESS) {
    return ModelError("\"model_version\" must be a string");
  }
  model.version_ = std::string(text);
  if (root["lambda"].get_double().get(model.lambda_) != simdjson::SUCCESS ||
      !(model.lambda_ > 0 && model.lambda_ < 1)) {
    return ModelError("\"lambda\" must be a number strictly between 0 and 1");
  }
  if (root["thresholds"]["match"].get_double().get(model.match_threshold_) != simdjson::SUCCESS ||
      root["thresholds"]["possible"].get_double().get(model.possible_threshold_) !=
          simdjson::SUCCESS ||
      model.possible_threshold_ > model.match_threshold_) {
    return ModelError("\"thresholds\" needs numbers \"match\" >= \"possible\"");
  }
  simdjson::dom::array fields;
  if (root["fields"].get_array().get(fields) != simdjson::SUCCESS ||
      fields.size() != model.spec_.fields.size()) {
    return ModelError("\"fields\" must list every field of the spec");
  }
  size_t f = 0;
  for (simdjson::dom::element field : fields) {
    const FieldSpec& spec_field = model.spec_.fields[f];
    std::string_view name;
    if (field["field"].get_string().get(name) != simdjson::SUCCESS || name != spec_field.name) {
      return ModelError(StrCat("fields[", f, "] must be field '", spec_field.name, "'"));
    }
    simdjson::dom::array levels;
    if (field["levels"].get_array().get(levels) != simdjson::SUCCESS ||
        levels.size() != spec_field.level_count()) {
      return ModelError(StrCat("field '", name, "' must list ", spec_field.level_count(),
                               " levels (the spec's, then else)"));
    }
    size_t l = 0;
    for (simdjson::dom::element level : levels) {
      std::string_view level_name;
      double m = 0;
      double u = 0;
      if (level["level"].get_string().get(level_name) != simdjson::SUCCESS ||
          level_name != LevelName(spec_field, l) ||
          level["m"].get_double().get(m) != simdjson::SUCCESS ||
          level["u"].get_double().get(u) != simdjson::SUCCESS || !(m > 0 && m <= 1) ||
          !(u > 0 && u <= 1)) {
        return ModelError(StrCat("field '", name, "' level ", l, " must be '",
                                 LevelName(spec_field, l), "' with m and u in (0, 1]"));
      }
      model.m_[f][l] = m;
      model.u_[f][l] = u;
      if (!spec_field.u_given.empty()) {
        double given = 0;
        if (level["u_given"].get_double().get(given) != simdjson::SUCCESS ||
            !(given > 0 && given <= 1)) {
          return ModelError(StrCat("field '", name, "' level ", l,
                                   " needs u_given in (0, 1] (the spec gives u a condition)"));
        }
        model.u_given_[f][l] = given;
      }
      ++l;
    }
    ++f;
  }
  simdjson::dom::element training;
  if (root["training"].get(training) == simdjson::SUCCESS) {
    model.training_json_ = simdjson::to_string(training);
  }
  return model;
}

absl::Status FellegiSunterModel::Save(const std::string& path) const {
  std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return absl::PermissionDeniedError(StrCat("cannot write model file ", temporary));
    out << ToJson();
    out.close();
    if (!out) return absl::InternalError(StrCat("cannot write model file ", temporary));
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) return absl::InternalError(StrCat("cannot rename ", temporary, ": ", error.message()));
  return absl::OkStatus();
}

absl::StatusOr<FellegiSunterModel> FellegiSunterModel::Load(const std::string& path) {
  PADAN_ASSIGN_OR_RETURN(std::string json, ReadWholeFile(path));
  absl::StatusOr<FellegiSunterModel> model = FromJson(json);
  if (!model.ok()) {
    return absl::InvalidArgumentError(StrCat(path, ": ", model.status().message()));
  }
  return model;
}

absl::StatusOr<FellegiSunterModel> FellegiSunterModel::LoadDefault() {
  PADAN_ASSIGN_OR_RETURN(std::string_view json, EmbeddedFile("matching/default_model.json"));
  absl::StatusOr<FellegiSunterModel> model = FromJson(json);
  if (!model.ok()) {
    return absl::InternalError(
        StrCat("the embedded matching/default_model.json: ", model.status().message()));
  }
  return model;
}

std::string ExplanationText(const ScoredPair& score) {
  std::string text;
  for (const FieldWeight& field : score.explanation) {
    if (field.level == "missing") continue;
    absl::StrAppendFormat(&text, "%s%s=%s(%+.2f)", text.empty() ? "" : " ", ToAbsl(field.field),
                          ToAbsl(field.level), field.weight);
  }
  return text;
}

}  // namespace padan
