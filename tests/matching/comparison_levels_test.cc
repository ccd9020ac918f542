// Table-driven: pairs of raw values and the comparison level the default spec must give them
// (tests/testdata/comparison_levels.csv), run through the real normalisers.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "data/absl_strings.h"
#include "data/nik.h"
#include "gtest/gtest.h"
#include "matching/comparison_vector.h"
#include "matching/match_record_builder.h"

namespace padan {
namespace {

struct Case {
  std::string field, a, b, level, note;
};

std::vector<Case> ReadCases() {
  std::ifstream in(std::string(PADAN_TESTDATA_DIR) + "/comparison_levels.csv");
  std::vector<Case> cases;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> parts = absl::StrSplit(ToAbsl(line), ',');
    if (parts.size() != 5) {
      ADD_FAILURE() << "malformed line: " << line;
      continue;
    }
    cases.push_back({parts[0], parts[1], parts[2], parts[3], parts[4]});
  }
  return cases;
}

void SetField(const std::string& field, const std::string& value, MatchRecordBuilder& builder,
              MatchRecord* record) {
  if (field == "nama") {
    builder.BuildName(value, &record->nama);
  } else if (field == "nama_ibu_kandung") {
    builder.BuildName(value, &record->nama_ibu_kandung);
  } else if (field == "tanggal_lahir") {
    record->tanggal_lahir = Date::Parse(value).value_or(Date());
  } else if (field == "nik") {
    record->nik = Nik::Parse(value).value;
  } else if (field == "kode_wilayah") {
    record->kode_wilayah = ParseKodeWilayah(value).value_or(0);
  } else if (field == "tempat_lahir") {
    record->tempat_lahir = NormalizeBirthplace(value);
  }
}

TEST(ComparisonLevelsTest, TableOfPairs) {
  auto names = NameNormalizer::LoadEmbedded();
  auto addresses = AddressNormalizer::LoadEmbedded();
  auto spec = ComparisonSpec::Default();
  ASSERT_TRUE(names.ok() && addresses.ok() && spec.ok());
  MatchRecordBuilder builder(**names, **addresses);
  std::vector<Case> cases = ReadCases();
  ASSERT_GE(cases.size(), 30u);
  for (const Case& c : cases) {
    const FieldSpec* field = nullptr;
    for (const FieldSpec& candidate : spec->fields) {
      if (candidate.name == c.field) field = &candidate;
    }
    ASSERT_NE(field, nullptr) << c.field;
    MatchRecord a;
    MatchRecord b;
    SetField(c.field, c.a, builder, &a);
    SetField(c.field, c.b, builder, &b);
    uint8_t level = CompareField(*field, a, b);
    std::string name = level == kMissingLevel        ? "missing"
                       : level == field->else_level() ? "else"
                                                      : field->levels[level].name;
    EXPECT_EQ(name, c.level) << c.field << ": '" << c.a << "' vs '" << c.b << "' (" << c.note
                             << ")";
    // Comparisons are symmetric.
    EXPECT_EQ(CompareField(*field, b, a), level) << c.field << ": " << c.a << " / " << c.b;
  }
}

}  // namespace
}  // namespace padan
