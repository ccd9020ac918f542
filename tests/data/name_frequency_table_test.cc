#include "data/name_frequency_table.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "data/embedded_files.h"
#include "data/internal/reference_csv.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::StatusIs;
using ::testing::HasSubstr;

std::string Message(const absl::Status& status) { return std::string(status.message()); }

constexpr std::string_view kHeader = "token,female_count,male_count,total\n";

TEST(NameFrequencyTableTest, LoadsTheEmbeddedTable) {
  absl::StatusOr<std::unique_ptr<NameFrequencyTable>> table = NameFrequencyTable::LoadEmbedded();
  ASSERT_THAT(table, IsOk());
  const NameFrequencyTable& t = **table;
  // data/reference/names/README.md
  EXPECT_EQ(t.tokens().size(), 225659u);
  EXPECT_EQ(t.total_female(), 943114u);
  EXPECT_EQ(t.total_male(), 1040175u);
  EXPECT_EQ(t.tokens().front().token, "muhammad");
  EXPECT_EQ(t.tokens().front().total(), 75276u);

  const NameTokenFrequency* siti = t.Find("siti");
  ASSERT_NE(siti, nullptr);
  EXPECT_EQ(siti->token, "siti");
  EXPECT_EQ(siti->female, 14816u);
  EXPECT_EQ(siti->male, 13u);
  EXPECT_EQ(t.Find("zzulfa")->total(), 1u);
  EXPECT_EQ(t.Find("qqqqqq"), nullptr);
  EXPECT_EQ(t.Find(""), nullptr);
  EXPECT_EQ(t.Find("m"), nullptr);  // the source has no 1-2 letter tokens
  EXPECT_GT(t.MemoryUsage(), 1u << 20);
}

TEST(NameFrequencyTableTest, FindFoldsUpperCase) {
  absl::StatusOr<std::unique_ptr<NameFrequencyTable>> table = NameFrequencyTable::LoadEmbedded();
  ASSERT_THAT(table, IsOk());
  EXPECT_EQ((*table)->Find("SITI"), (*table)->Find("siti"));
  EXPECT_EQ((*table)->Find("Muhammad"), (*table)->Find("muhammad"));
  EXPECT_EQ((*table)->Find(std::string(200, 'A')), nullptr);
}

TEST(NameFrequencyTableTest, EmbeddedTokensAreMostFrequentFirst) {
  absl::StatusOr<std::unique_ptr<NameFrequencyTable>> table = NameFrequencyTable::LoadEmbedded();
  ASSERT_THAT(table, IsOk());
  const std::vector<NameTokenFrequency>& tokens = (*table)->tokens();
  EXPECT_TRUE(std::is_sorted(tokens.begin(), tokens.end(),
                             [](const NameTokenFrequency& a, const NameTokenFrequency& b) {
                               return a.total() > b.total();
                             }));
  for (const NameTokenFrequency& row : tokens) {
    ASSERT_EQ((*table)->Find(row.token), &row);
  }
}

TEST(NameFrequencyTableTest, FromCsvSortsByFrequencyThenToken) {
  const std::string csv = std::string(kHeader) +
                          "budi,0,5,5\n"
                          "siti,9,0,9\n"
                          "agus,1,4,5\n";
  absl::StatusOr<std::unique_ptr<NameFrequencyTable>> table = NameFrequencyTable::FromCsv(csv);
  ASSERT_THAT(table, IsOk());
  const std::vector<NameTokenFrequency>& tokens = (*table)->tokens();
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[0].token, "siti");
  EXPECT_EQ(tokens[1].token, "agus");
  EXPECT_EQ(tokens[2].token, "budi");
  EXPECT_EQ((*table)->Find("budi")->male, 5u);
  EXPECT_EQ((*table)->total_female(), 10u);
  EXPECT_EQ((*table)->total_male(), 9u);
}

TEST(NameFrequencyTableTest, FromCsvNamesTheLineOfAMalformedRow) {
  struct Case {
    std::string row;  // line 3
    std::string message;
  };
  const std::vector<Case> cases = {
      {"budi,0,5\n", "expected 4 fields, found 3"},
      {"Budi,0,5,5\n", "token 'Budi' is not a lower-case a-z word"},
      {"budi santoso,0,5,5\n", "token 'budi santoso'"},
      {",0,5,5\n", "token ''"},
      {"budi,0,x,5\n", "female_count, male_count and total must be whole numbers"},
      {"budi,0,4294967296,4294967296\n",
       "female_count, male_count and total must be whole numbers"},
      {"budi,1,5,5\n", "total 5 is not female_count + male_count (1 + 5)"},
      {"siti,9,0,9\n", "duplicate token 'siti' (also on line 2)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.row);
    const std::string csv = std::string(kHeader) + "siti,9,0,9\n" + c.row;
    absl::Status status = NameFrequencyTable::FromCsv(csv).status();
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_THAT(Message(status), HasSubstr("line 3: " + c.message));
  }
  EXPECT_THAT(Message(NameFrequencyTable::FromCsv("token,count\nsiti,9\n").status()),
              HasSubstr("line 1: expected the header"));
}

// name_token_normalization.csv is the data of the name normalizer (DESIGN.md §4), which a later
// issue adds; until then its rules are checked here, beside the other names table. The
// decisions behind them are in data/reference/names/README.md ("Review").
struct NormalizationRow {
  std::string token, replacement, action, kind;
  int64_t line;
};

std::vector<NormalizationRow> NormalizationRows() {
  std::vector<NormalizationRow> rows;
  absl::StatusOr<std::string_view> csv = EmbeddedFile("names/name_token_normalization.csv");
  EXPECT_THAT(csv, IsOk());
  if (!csv.ok()) return rows;
  internal::ReferenceCsvReader reader(*csv, "names/name_token_normalization.csv");
  EXPECT_THAT(reader.ReadHeader({"token", "replacement", "action", "kind"}), IsOk());
  while (reader.Next()) {
    EXPECT_THAT(reader.ExpectFieldCount(4), IsOk());
    if (reader.size() != 4) continue;
    rows.push_back({std::string(reader.field(0)), std::string(reader.field(1)),
                    std::string(reader.field(2)), std::string(reader.field(3)), reader.line()});
  }
  EXPECT_THAT(reader.status(), IsOk());
  return rows;
}

bool IsTokenText(std::string_view s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ' || s.find("  ") != std::string_view::npos) {
    return false;
  }
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == ' '; });
}

TEST(NameTokenNormalizationDataTest, RowsAreWellFormed) {
  const std::vector<NormalizationRow> rows = NormalizationRows();
  ASSERT_EQ(rows.size(), 580u);
  const std::set<std::string> kinds = {"degree",      "religious_title", "honorific", "rank",
                                       "noble_title", "abbreviation",    "company",   "role",
                                       "institution"};
  std::set<std::string> tokens;
  for (const NormalizationRow& row : rows) {
    SCOPED_TRACE(::testing::Message() << "line " << row.line << ": " << row.token);
    EXPECT_TRUE(IsTokenText(row.token));
    EXPECT_TRUE(tokens.insert(row.token).second) << "duplicate token";
    EXPECT_TRUE(kinds.count(row.kind)) << row.kind;
    if (row.action == "replace") {
      EXPECT_TRUE(IsTokenText(row.replacement));
      EXPECT_NE(row.replacement, row.token);
    } else {
      EXPECT_TRUE(row.action == "drop" || row.action == "keep") << row.action;
      EXPECT_EQ(row.replacement, "");
    }
  }
}

TEST(NameTokenNormalizationDataTest, OnlyDocumentedSingleLettersAreDroppedOrReplaced) {
  // A single letter is an initial of a real name token, except a leading H. (Haji, dropped)
  // and M. (Muhammad, replaced); see the README's "Review".
  for (const NormalizationRow& row : NormalizationRows()) {
    if (row.token.size() != 1) continue;
    if (row.token == "h") {
      EXPECT_EQ(row.action, "drop");
    } else if (row.token == "m") {
      EXPECT_EQ(row.action, "replace");
      EXPECT_EQ(row.replacement, "muhammad");
    } else {
      ADD_FAILURE() << "undocumented single-letter row '" << row.token << "' on line " << row.line;
    }
  }
}

TEST(NameTokenNormalizationDataTest, NobleTitlesStayInTheName) {
  std::map<std::string, NormalizationRow> by_token;
  for (NormalizationRow& row : NormalizationRows()) by_token[row.token] = row;
  for (const char* title : {"raden", "ra", "rr", "r a", "r r", "tengku", "teuku", "andi", "gusti",
                            "anak agung", "cokorda", "ida bagus", "daeng", "ngurah"}) {
    SCOPED_TRACE(title);
    ASSERT_TRUE(by_token.count(title));
    EXPECT_EQ(by_token[title].action, "keep");
    EXPECT_EQ(by_token[title].kind, "noble_title");
  }
  for (const auto& [abbreviation, title] : std::vector<std::pair<const char*, const char*>>{
           {"rd", "raden"}, {"gst", "gusti"}, {"dg", "daeng"}, {"ngr", "ngurah"}}) {
    SCOPED_TRACE(abbreviation);
    ASSERT_TRUE(by_token.count(abbreviation));
    EXPECT_EQ(by_token[abbreviation].action, "replace");
    EXPECT_EQ(by_token[abbreviation].replacement, title);
  }
  EXPECT_FALSE(by_token.count("r"));
  EXPECT_FALSE(by_token.count("t"));
}

TEST(NameTokenNormalizationDataTest, HasTheCommonTitlesDegreesAndSpellings) {
  std::map<std::string, NormalizationRow> by_token;
  for (NormalizationRow& row : NormalizationRows()) by_token[row.token] = row;
  for (const char* dropped :
       {"h",        "hj",       "haji",   "hajjah", "kh",     "drs",    "dra",   "ir",
        "dr",       "prof",     "s pd",   "s h",    "s e",    "s kom",  "m si",  "a md",
        "amd keb",  "a md keb", "s kep",  "s tr",   "ners",   "s sos",  "s ip",  "s ag",
        "s th",     "s hut",    "s farm", "apt",    "m pd i", "ustadz", "ustad", "ustazah",
        "almarhum", "alm",      "almh",   "tn",     "ny",     "nn",     "sdr",   "sdri"}) {
    SCOPED_TRACE(dropped);
    ASSERT_TRUE(by_token.count(dropped));
    EXPECT_EQ(by_token[dropped].action, "drop");
  }
  for (const char* muhammad : {"m", "moh", "moch", "muh", "mhd", "mochamad", "mohammad", "muhamad",
                               "mohamad", "mohammed", "hm"}) {
    SCOPED_TRACE(muhammad);
    ASSERT_TRUE(by_token.count(muhammad));
    EXPECT_EQ(by_token[muhammad].replacement, "muhammad");
  }
  ASSERT_TRUE(by_token.count("abd"));
  EXPECT_EQ(by_token["abd"].replacement, "abdul");
}

TEST(NameTokenNormalizationDataTest, DropsNoCommonNameToken) {
  // A dropped token that is also a frequent name token would delete real names ("may" did).
  absl::StatusOr<std::unique_ptr<NameFrequencyTable>> names = NameFrequencyTable::LoadEmbedded();
  ASSERT_THAT(names, IsOk());
  // Degree and title spellings that occur as tokens in the frequency source itself, where
  // they are leftovers of titles written into name fields.
  const std::set<std::string> known = {"haji", "spd", "drs"};
  for (const NormalizationRow& row : NormalizationRows()) {
    if (row.action != "drop" || known.count(row.token)) continue;
    const NameTokenFrequency* f = (*names)->Find(row.token);
    EXPECT_TRUE(f == nullptr || f->total() < 20)
        << row.token << " is dropped but occurs " << f->total() << " times as a name token";
  }
}

}  // namespace
}  // namespace padan
