#include "matching/levenshtein.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "data/generator/random.h"
#include "matching/code_points.h"

namespace padan {
namespace {

// The textbook Wagner-Fischer DP over code points: the reference every path must agree with.
int ReferenceLevenshtein(std::string_view a, std::string_view b) {
  CodePoints x(a);
  CodePoints y(b);
  std::vector<int> row(y.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (size_t i = 1; i <= x.size(); ++i) {
    int diag = row[0];
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= y.size(); ++j) {
      const int up = row[j];
      row[j] = std::min({diag + (x[i - 1] != y[j - 1]), up + 1, row[j - 1] + 1});
      diag = up;
    }
  }
  return row[y.size()];
}

// Random text over a small alphabet mixing ASCII, two-byte letters and a combining mark, so
// that random pairs share characters and both the ASCII and the code point paths run.
std::string RandomText(gen::Rng& rng, size_t length, bool ascii) {
  static constexpr std::string_view kAscii[] = {"a", "i", "n", "s", "t", "m", "h", "u"};
  static constexpr std::string_view kOther[] = {"a", "i", "\u00E4", "\u00E9", "\u0308", "n"};
  std::string text;
  for (size_t i = 0; i < length; ++i) {
    text += ascii ? kAscii[rng.Uniform(std::size(kAscii))] : kOther[rng.Uniform(std::size(kOther))];
  }
  return text;
}

// `text` with up to `edits` random single-character edits, on bytes of ASCII text.
std::string Mutate(gen::Rng& rng, std::string text, int edits) {
  for (int e = 0; e < edits; ++e) {
    const size_t pos = rng.Uniform(text.size() + 1);
    switch (rng.Uniform(3)) {
      case 0:
        text.insert(pos, 1, "aimnx"[rng.Uniform(5)]);
        break;
      case 1:
        if (pos < text.size()) text.erase(pos, 1);
        break;
      default:
        if (pos < text.size()) text[pos] = "aimnx"[rng.Uniform(5)];
        break;
    }
  }
  return text;
}

struct Pair {
  std::string a;
  std::string b;
};

// A few thousand pairs: unrelated and near (1-3 edits), short and longer than a machine word,
// ASCII and not.
std::vector<Pair> RandomPairs() {
  gen::Rng rng(20240611);
  std::vector<Pair> pairs;
  for (int i = 0; i < 3000; ++i) {
    const bool ascii = rng.Bernoulli(0.7);
    const size_t length = rng.Bernoulli(0.2) ? 60 + rng.Uniform(40) : rng.Uniform(20);
    std::string a = RandomText(rng, length, ascii);
    std::string b = rng.Bernoulli(0.5) ? RandomText(rng, length + rng.Uniform(4), ascii)
                                       : Mutate(rng, a, 1 + static_cast<int>(rng.Uniform(3)));
    pairs.push_back({std::move(a), std::move(b)});
  }
  return pairs;
}

TEST(LevenshteinTest, TextbookValues) {
  EXPECT_EQ(Levenshtein("kitten", "sitting"), 3);
  EXPECT_EQ(Levenshtein("flaw", "lawn"), 2);
  EXPECT_EQ(Levenshtein("", "abc"), 3);
  EXPECT_EQ(Levenshtein("abc", ""), 3);
  EXPECT_EQ(Levenshtein("", ""), 0);
  EXPECT_EQ(Levenshtein("aminah", "aminah"), 0);
  EXPECT_EQ(Levenshtein("saturday", "sunday"), 3);
}

TEST(LevenshteinTest, TranspositionCostsTwo) { EXPECT_EQ(Levenshtein("aminah", "aminha"), 2); }

TEST(LevenshteinTest, CountsCodePointsNotBytes) {
  EXPECT_EQ(Levenshtein("Muhammad", "Muhammäd"), 1);
  EXPECT_EQ(Levenshtein("ä", "a"), 1);
  EXPECT_EQ(Levenshtein("\U0001F600", ""), 1);
  // Decomposed "ä" is "a" plus a combining mark: one insertion away from "a".
  EXPECT_EQ(Levenshtein("Muhammad", "Muhamma\u0308d"), 1);
  EXPECT_EQ(Levenshtein("Muhamm\u00E4d", "Muhamma\u0308d"), 2);
}

TEST(LevenshteinTest, IllFormedBytesCompareAsThemselves) {
  EXPECT_EQ(Levenshtein("ab\xFF", "ab\xFE"), 1);
  EXPECT_EQ(Levenshtein("ab\xFF", "ab\xFF"), 0);
}

TEST(LevenshteinTest, WithinReturnsDistanceOrMaxPlusOne) {
  EXPECT_EQ(LevenshteinWithin("kitten", "sitting", 3), 3);
  EXPECT_EQ(LevenshteinWithin("kitten", "sitting", 2), 3);
  EXPECT_EQ(LevenshteinWithin("kitten", "sitting", 1), 2);
  EXPECT_EQ(LevenshteinWithin("kitten", "sitting", 0), 1);
  EXPECT_EQ(LevenshteinWithin("kitten", "kitten", 0), 0);
  // Rejected on length alone.
  EXPECT_EQ(LevenshteinWithin("ani", "anisahwati", 2), 3);
  // A limit beyond any possible distance is no limit.
  EXPECT_EQ(LevenshteinWithin("abc", "xyz", 1000000), 3);
  EXPECT_EQ(LevenshteinWithin("abc", "xyz", std::numeric_limits<int>::max()), 3);
  // Every distance exceeds a negative limit.
  EXPECT_EQ(LevenshteinWithin("abc", "abc", -1), 0);
  EXPECT_EQ(LevenshteinWithin("abc", "abc", -5), -4);
}

TEST(LevenshteinTest, LongStringsUseTheRowDp) {
  const std::string a(100, 'a');
  std::string b = a;
  b[10] = 'b';
  b[90] = 'c';
  b.insert(50, "d");
  EXPECT_EQ(Levenshtein(a, b), 3);
  EXPECT_EQ(LevenshteinWithin(a, b, 2), 3);
  EXPECT_EQ(LevenshteinWithin(a, b, 3), 3);
  EXPECT_EQ(Levenshtein(std::string(70, 'x'), std::string(80, 'y')), 80);
}

TEST(LevenshteinTest, WordSizedPatternAgainstLongText) {
  // The shorter string fits a word; the text does not.
  const std::string pattern(64, 'a');
  const std::string text = std::string(64, 'a') + std::string(36, 'b');
  EXPECT_EQ(Levenshtein(pattern, text), 36);
  EXPECT_EQ(Levenshtein("x" + std::string(63, 'a'), text), 37);
}

TEST(LevenshteinTest, BitParallelAndRowDpAgreeWithReference) {
  for (const Pair& pair : RandomPairs()) {
    EXPECT_EQ(Levenshtein(pair.a, pair.b), ReferenceLevenshtein(pair.a, pair.b))
        << pair.a << " / " << pair.b;
  }
}

TEST(LevenshteinTest, WithinAgreesWithFullDistance) {
  for (const Pair& pair : RandomPairs()) {
    const int full = Levenshtein(pair.a, pair.b);
    for (int max : {0, 1, 2, 3, 5, 8}) {
      EXPECT_EQ(LevenshteinWithin(pair.a, pair.b, max), std::min(full, max + 1))
          << pair.a << " / " << pair.b << " max " << max;
    }
  }
}

TEST(LevenshteinTest, Symmetric) {
  for (const Pair& pair : RandomPairs()) {
    EXPECT_EQ(Levenshtein(pair.a, pair.b), Levenshtein(pair.b, pair.a));
    EXPECT_EQ(LevenshteinWithin(pair.a, pair.b, 2), LevenshteinWithin(pair.b, pair.a, 2));
  }
}

}  // namespace
}  // namespace padan
