#include "matching/trustworthy_niks.h"

#include <algorithm>
#include <string_view>
#include <vector>

namespace padan {
namespace {

bool Trustworthy(const RecordFacts& facts) { return facts.nik != 0 && facts.nik_consistent; }

}  // namespace

TrustworthyNiks::TrustworthyNiks(const FellegiSunterModel& model) {
  const std::vector<FieldSpec>& fields = model.spec().fields;
  for (size_t f = 0; f < fields.size(); ++f) {
    if (fields[f].kind != FieldKind::kNik) continue;
    field_ = static_cast<int>(f);
    replacement_ = static_cast<uint8_t>(fields[f].else_level());
    for (size_t level = 0; level < fields[f].levels.size(); ++level) {
      const LevelTest test = fields[f].levels[level].test;
      if (test == LevelTest::kOneSubstitution || test == LevelTest::kAdjacentTransposition) {
        typo_levels_.push_back(static_cast<uint8_t>(level));
      }
      if (test == LevelTest::kSameBirthPart) replacement_ = static_cast<uint8_t>(level);
    }
  }
}

bool TrustworthyNiks::Adjust(const RecordFacts& a, const RecordFacts& b,
                             ComparisonVector* comparison) const {
  if (field_ < 0 || !Trustworthy(a) || !Trustworthy(b)) return false;
  uint8_t& level = comparison->levels[static_cast<size_t>(field_)];
  if (std::find(typo_levels_.begin(), typo_levels_.end(), level) == typo_levels_.end()) {
    return false;
  }
  level = replacement_;
  return true;
}

void TrustworthyNiks::Adjust(const FellegiSunterModel& model, const RecordFacts& a,
                             const RecordFacts& b, ScoredPair* score) const {
  if (!Adjust(a, b, &score->comparison)) return;
  const size_t f = static_cast<size_t>(field_);
  const FieldSpec& field = model.spec().fields[f];
  for (FieldWeight& weight : score->explanation) {
    if (weight.field != field.name) continue;
    const double adjusted = model.LevelWeight(f, replacement_, score->comparison);
    score->match_weight += adjusted - weight.weight;
    weight.weight = adjusted;
    weight.level = replacement_ < field.levels.size() ? std::string_view(field.levels[replacement_].name)
                                                      : std::string_view("else");
  }
  score->match_probability = FellegiSunterModel::ProbabilityFromWeight(score->match_weight);
  score->decision = model.Decide(score->match_weight);
}

}  // namespace padan
