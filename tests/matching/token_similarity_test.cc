#include "matching/token_similarity.h"

#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "data/absl_strings.h"
#include "data/embedded_files.h"
#include "data/generator/alias_table.h"
#include "data/generator/random.h"
#include "matching/code_points.h"
#include "matching/jaro_winkler.h"

namespace padan {
namespace {

using ::testing::ElementsAre;

double Similarity(std::string_view a, std::string_view b) {
  return TokenSetSimilarity(SplitNameTokens(a), SplitNameTokens(b));
}

double Containment(std::string_view a, std::string_view b) {
  return TokenContainment(SplitNameTokens(a), SplitNameTokens(b));
}

// TokenSetSimilarity from its definition, trying every pairing: each token of the longer name
// is either paired with a distinct token of the shorter name or left alone.
double BruteForceSimilarity(const NameTokens& a, const NameTokens& b) {
  const NameTokens& rows = a.size() >= b.size() ? a : b;
  const NameTokens& columns = a.size() >= b.size() ? b : a;
  double total = 0;
  for (std::string_view t : a) total += static_cast<double>(CodePointCount(t));
  for (std::string_view t : b) total += static_cast<double>(CodePointCount(t));
  // Assign each row a column index or "none" (= columns.size()), all combinations.
  std::vector<size_t> choice(rows.size(), 0);
  double best = 0;
  for (;;) {
    std::vector<bool> used(columns.size());
    bool valid = true;
    double sum = 0;
    for (size_t i = 0; i < rows.size() && valid; ++i) {
      if (choice[i] == columns.size()) continue;
      if (used[choice[i]]) valid = false;
      used[choice[i]] = true;
      const double s = JaroWinkler(rows[i], columns[choice[i]]);
      if (s >= kTokenSimilarityFloor) {
        sum +=
            s * static_cast<double>(CodePointCount(rows[i]) + CodePointCount(columns[choice[i]]));
      }
    }
    if (valid) best = std::max(best, sum);
    size_t i = 0;
    while (i < rows.size() && ++choice[i] > columns.size()) choice[i++] = 0;
    if (i == rows.size()) break;
  }
  return best / total;
}

TEST(TokenSimilarityTest, SplitsAtSpacesAndAfterDots) {
  EXPECT_THAT(SplitNameTokens("  Siti   Aminah "), ElementsAre("Siti", "Aminah"));
  EXPECT_THAT(SplitNameTokens("S.Aminah"), ElementsAre("S.", "Aminah"));
  EXPECT_THAT(SplitNameTokens("S. Aminah"), ElementsAre("S.", "Aminah"));
  EXPECT_THAT(SplitNameTokens("Muhammäd\tYusuf"), ElementsAre("Muhammäd", "Yusuf"));
  EXPECT_TRUE(SplitNameTokens(" \t ").empty());
}

TEST(TokenSimilarityTest, OrderDoesNotMatter) {
  EXPECT_EQ(Similarity("Siti Aminah", "Aminah Siti"), 1.0);
  EXPECT_EQ(Containment("Siti Aminah", "Aminah Siti"), 1.0);
  EXPECT_EQ(Similarity("siti nur aminah", "aminah siti nur"), 1.0);
}

TEST(TokenSimilarityTest, ExtraTokenLowersSimilarityButNotContainment) {
  // Paired: siti (4 + 4) and aminah (6 + 6) of 4 + 3 + 6 + 4 + 6 = 23 code points.
  EXPECT_NEAR(Similarity("Siti Nur Aminah", "Siti Aminah"), 20.0 / 23.0, 1e-12);
  EXPECT_EQ(Containment("Siti Nur Aminah", "Siti Aminah"), 1.0);
  EXPECT_EQ(Containment("Siti Aminah", "Siti Nur Aminah"), 1.0);
}

TEST(TokenSimilarityTest, TyposInTokensScorePartially) {
  const double score = Similarity("Siti Aminah", "Aminha Siti");
  EXPECT_GT(score, 0.9);
  EXPECT_LT(score, 1.0);
  EXPECT_NEAR(score, (8 + 12 * JaroWinkler("Aminah", "Aminha")) / 20, 1e-12);
}

TEST(TokenSimilarityTest, TokensBelowTheFloorCountForNothing) {
  EXPECT_EQ(Similarity("Siti Aminah", "Budi Santoso"), 0.0);
  EXPECT_EQ(Containment("Siti Aminah", "Budi Santoso"), 0.0);
  // Without the floor, unrelated tokens earn partial credit.
  EXPECT_GT(
      TokenSetSimilarity(SplitNameTokens("Siti Aminah"), SplitNameTokens("Budi Santoso"), 0.0),
      0.0);
}

TEST(TokenSimilarityTest, FloorSitsBelowOneLetterTyposOfShortTokens) {
  EXPECT_GE(JaroWinkler("siti", "xiti"), kTokenSimilarityFloor);
  EXPECT_GE(JaroWinkler("siti", "sito"), kTokenSimilarityFloor);
  EXPECT_NEAR(JaroWinkler("siti", "xiti"), 0.833, 0.0005);
  EXPECT_NEAR(JaroWinkler("siti", "sito"), 0.883, 0.0005);
}

// Frequency-weighted tokens from the embedded name table, the population the floor is set on.
class TokenSampler {
 public:
  TokenSampler() {
    absl::StatusOr<std::string_view> csv = EmbeddedFile("names/name_tokens_gender_freq.csv");
    if (!csv.ok()) return;
    std::vector<double> weights;
    for (absl::string_view line : absl::StrSplit(ToAbsl(*csv), '\n')) {
      // token,female_count,male_count,total
      const std::vector<absl::string_view> fields = absl::StrSplit(line, ',');
      double total = 0;
      if (fields.size() != 4 || !absl::SimpleAtod(fields[3], &total)) continue;  // the header
      tokens_.emplace_back(FromAbsl(fields[0]));
      weights.push_back(total);
    }
    table_ = gen::AliasTable(weights);
  }
  bool ok() const { return !table_.empty(); }
  const std::string& Draw(gen::Rng& rng) const { return tokens_[table_.Sample(rng)]; }

 private:
  std::vector<std::string> tokens_;
  gen::AliasTable table_;
};

TEST(TokenSimilarityTest, FloorSeparatesKeyingErrorsFromOtherNames) {
  const TokenSampler sampler;
  ASSERT_TRUE(sampler.ok());
  gen::Rng rng(20240612);
  constexpr int kDraws = 5000;
  int different = 0;
  int different_below = 0;
  int variants_at_or_above = 0;
  for (int i = 0; i < kDraws; ++i) {
    const std::string& a = sampler.Draw(rng);
    const std::string& b = sampler.Draw(rng);
    if (a != b) {
      ++different;
      different_below += JaroWinkler(a, b) < kTokenSimilarityFloor;
    }
    // One keying error: substitution, insertion, deletion or adjacent swap.
    std::string variant = a;
    const size_t pos = rng.Uniform(variant.size());
    const char letter = static_cast<char>('a' + rng.Uniform(26));
    switch (rng.Uniform(4)) {
      case 0:
        variant[pos] = letter;
        break;
      case 1:
        variant.insert(pos, 1, letter);
        break;
      case 2:
        variant.erase(pos, 1);
        break;
      default:
        if (pos + 1 < variant.size()) std::swap(variant[pos], variant[pos + 1]);
        break;
    }
    variants_at_or_above += JaroWinkler(a, variant) >= kTokenSimilarityFloor;
  }
  EXPECT_GT(different_below, different * 98 / 100);
  EXPECT_GT(variants_at_or_above, kDraws * 95 / 100);
}

TEST(TokenSimilarityTest, EmptyNames) {
  const std::vector<std::string_view> none;
  const std::vector<std::string_view> siti = {"siti"};
  EXPECT_EQ(TokenSetSimilarity(none, none), 1.0);
  EXPECT_EQ(TokenSetSimilarity(none, siti), 0.0);
  EXPECT_EQ(TokenContainment(none, none), 1.0);
  EXPECT_EQ(TokenContainment(siti, none), 0.0);
  // Empty tokens are not tokens.
  const std::vector<std::string_view> blank = {"", ""};
  EXPECT_EQ(TokenContainment(blank, siti), 0.0);
  EXPECT_EQ(TokenSetSimilarity({"", "siti"}, siti), 1.0);
}

TEST(TokenSimilarityTest, BestPairingIsExact) {
  // The heaviest single pair is ahmadi-rahmadi (0.952 x 13 = 12.4 > ahmadi-ahmadi, 1 x 12), and
  // taking it first leaves rahma-ahmadi (9.0); pairing ahmadi-ahmadi and rahma-rahmadi (11.3)
  // is better overall, and is what the exact pairing finds.
  EXPECT_NEAR(Similarity("ahmadi rahma", "rahmadi ahmadi"),
              (12 + 12 * JaroWinkler("rahma", "rahmadi")) / 24, 1e-12);
  gen::Rng rng(5);
  static constexpr std::string_view kTokens[] = {"siti",  "sitti", "nur",    "nurul", "aminah",
                                                 "amina", "ahmad", "ahmadi", "sri",   "sari",
                                                 "dewi",  "dewa",  "putri",  "putra"};
  for (int trial = 0; trial < 500; ++trial) {
    NameTokens a;
    NameTokens b;
    const size_t na = 1 + rng.Uniform(5);
    const size_t nb = 1 + rng.Uniform(5);
    for (size_t i = 0; i < na; ++i) a.push_back(kTokens[rng.Uniform(std::size(kTokens))]);
    for (size_t i = 0; i < nb; ++i) b.push_back(kTokens[rng.Uniform(std::size(kTokens))]);
    EXPECT_NEAR(TokenSetSimilarity(a, b), BruteForceSimilarity(a, b), 1e-12);
    EXPECT_EQ(TokenSetSimilarity(a, b), TokenSetSimilarity(b, a));
    EXPECT_EQ(TokenContainment(a, b), TokenContainment(b, a));
  }
}

TEST(TokenSimilarityTest, ManyTokensFallBackToGreedy) {
  const std::string name = "a1 b2 c3 d4 e5 f6 g7 h8 i9 j10";
  const std::string reversed = "j10 i9 h8 g7 f6 e5 d4 c3 b2 a1";
  EXPECT_EQ(Similarity(name, reversed), 1.0);
  EXPECT_EQ(Containment(name, reversed), 1.0);
}

TEST(TokenSimilarityTest, ReadsAtMostMaxNameTokens) {
  std::vector<std::string> words;
  for (size_t i = 0; i < kMaxNameTokens + 4; ++i) words.push_back(StrCat("w", i));
  std::vector<std::string_view> a(words.begin(), words.end());
  std::vector<std::string_view> b(words.begin(), words.begin() + kMaxNameTokens);
  // The four extra tokens of `a` are never read.
  EXPECT_EQ(TokenSetSimilarity(a, b), 1.0);
}

}  // namespace
}  // namespace padan
