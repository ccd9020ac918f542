#include "matching/trustworthy_niks.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "data/date.h"

namespace padan {
namespace {

MatchRecord Born(uint64_t nik, std::string_view dob, Sex sex) {
  MatchRecord record;
  record.nik = nik;
  record.tanggal_lahir = *Date::Parse(dob);
  record.jenis_kelamin = sex;
  return record;
}

RecordFacts Facts(uint64_t nik, bool consistent) {
  RecordFacts facts;
  facts.nik = nik;
  facts.nik_consistent = consistent;
  return facts;
}

class TrustworthyNiksTest : public ::testing::Test {
 protected:
  TrustworthyNiksTest() : model_(*FellegiSunterModel::LoadDefault()), niks_(model_) {
    for (size_t f = 0; f < model_.field_count(); ++f) {
      if (model_.spec().fields[f].kind == FieldKind::kNik) nik_field_ = f;
    }
  }
  std::string_view NikLevelName(const ComparisonVector& comparison) const {
    const FieldSpec& field = model_.spec().fields[nik_field_];
    const uint8_t level = comparison.levels[nik_field_];
    return level < field.levels.size() ? std::string_view(field.levels[level].name) : "else";
  }

  FellegiSunterModel model_;
  TrustworthyNiks niks_;
  size_t nik_field_ = 0;
};

TEST_F(TrustworthyNiksTest, NeighboursInSequenceAreTheSameBirthPartNotATypo) {
  // Born the same day in one kecamatan, numbered 0001 and 0002.
  const uint64_t first = 3216065106010001;
  const uint64_t second = 3216065106010002;
  MatchRecord a = Born(first, "2001-06-11", Sex::kPerempuan);
  MatchRecord b = Born(second, "2001-06-11", Sex::kPerempuan);
  ComparisonVector comparison = Compare(model_.spec(), a, b);
  ASSERT_EQ(NikLevelName(comparison), "one_substitution");
  EXPECT_TRUE(niks_.Adjust(Facts(first, true), Facts(second, true), &comparison));
  EXPECT_EQ(NikLevelName(comparison), "same_birth_part");

  ScoredPair score = model_.Score(a, b, nullptr);
  const double before = score.match_weight;
  niks_.Adjust(model_, Facts(first, true), Facts(second, true), &score);
  EXPECT_LT(score.match_weight, before);
  EXPECT_DOUBLE_EQ(score.match_weight,
                   model_.MatchWeight(comparison, a, b, nullptr));
  bool explained = false;
  for (const FieldWeight& field : score.explanation) {
    if (field.field == "nik") explained = field.level == "same_birth_part";
  }
  EXPECT_TRUE(explained);
}

TEST_F(TrustworthyNiksTest, ANikThatMayBeMistypedStaysATypo) {
  const uint64_t first = 3216065106010001;
  const uint64_t second = 3216065106010002;
  MatchRecord a = Born(first, "2001-06-11", Sex::kPerempuan);
  MatchRecord b = Born(second, "2001-06-11", Sex::kPerempuan);
  for (const auto& [fa, fb] : {std::pair(Facts(first, true), Facts(second, false)),
                               std::pair(Facts(first, false), Facts(second, true)),
                               std::pair(Facts(0, false), Facts(second, true))}) {
    ComparisonVector comparison = Compare(model_.spec(), a, b);
    EXPECT_FALSE(niks_.Adjust(fa, fb, &comparison));
    EXPECT_EQ(NikLevelName(comparison), "one_substitution");
  }
  // Equal NIKs are left alone whatever the facts.
  ComparisonVector same = Compare(model_.spec(), a, a);
  EXPECT_FALSE(niks_.Adjust(Facts(first, true), Facts(first, true), &same));
  EXPECT_EQ(NikLevelName(same), "exact");
}

}  // namespace
}  // namespace padan
