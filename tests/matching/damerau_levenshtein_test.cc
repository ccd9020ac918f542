#include "matching/damerau_levenshtein.h"

#include <algorithm>
#include <deque>
#include <limits>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "gtest/gtest.h"

#include "data/generator/random.h"
#include "matching/code_points.h"
#include "matching/levenshtein.h"

namespace padan {
namespace {

// Optimal string alignment, the restricted variant, for contrast.
int OptimalStringAlignment(std::string_view a, std::string_view b) {
  std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] =
          std::min({d[i - 1][j - 1] + (a[i - 1] != b[j - 1]), d[i - 1][j] + 1, d[i][j - 1] + 1});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// The distances from `source` to every string over `alphabet` of at most `max_length`
// characters, by breadth-first search over single insertions, deletions, substitutions and
// adjacent swaps: the definition of the unrestricted distance, computed the slow way.
absl::flat_hash_map<std::string, int> EditGraphDistances(const std::string& source,
                                                         std::string_view alphabet,
                                                         size_t max_length) {
  absl::flat_hash_map<std::string, int> distance = {{source, 0}};
  std::deque<std::string> queue = {source};
  while (!queue.empty()) {
    const std::string s = queue.front();
    queue.pop_front();
    const int next = distance[s] + 1;
    std::vector<std::string> neighbours;
    for (size_t i = 0; i <= s.size(); ++i) {
      if (s.size() < max_length) {
        for (char c : alphabet) neighbours.push_back(s.substr(0, i) + c + s.substr(i));
      }
      if (i < s.size()) {
        neighbours.push_back(s.substr(0, i) + s.substr(i + 1));
        for (char c : alphabet) {
          std::string t = s;
          t[i] = c;
          neighbours.push_back(t);
        }
      }
      if (i + 1 < s.size()) {
        std::string t = s;
        std::swap(t[i], t[i + 1]);
        neighbours.push_back(t);
      }
    }
    for (std::string& t : neighbours) {
      if (distance.emplace(t, next).second) queue.push_back(std::move(t));
    }
  }
  return distance;
}

std::vector<std::string> AllStrings(std::string_view alphabet, size_t max_length) {
  std::vector<std::string> out = {""};
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i].size() == max_length) continue;
    for (char c : alphabet) out.push_back(out[i] + c);
  }
  return out;
}

struct Pair {
  std::string a;
  std::string b;
};

std::vector<Pair> RandomPairs() {
  static constexpr std::string_view kLetters[] = {"a", "i", "n", "s", "h", "m", "\u00E4", "\u00E9"};
  gen::Rng rng(17081945);
  auto text = [&](size_t length, bool ascii) {
    std::string s;
    for (size_t i = 0; i < length; ++i) {
      s += kLetters[rng.Uniform(ascii ? 6 : std::size(kLetters))];
    }
    return s;
  };
  std::vector<Pair> pairs;
  for (int i = 0; i < 2000; ++i) {
    const bool ascii = rng.Bernoulli(0.7);
    const size_t length = rng.Bernoulli(0.15) ? 60 + rng.Uniform(30) : rng.Uniform(16);
    std::string a = text(length, ascii);
    std::string b = a;
    if (rng.Bernoulli(0.5) || b.size() < 3) {
      b = text(length + rng.Uniform(3), ascii);
    } else {
      // Swap characters a few positions apart, then drop one: transpositions with gaps.
      const size_t pos = rng.Uniform(b.size() - 2);
      std::swap(b[pos], b[pos + 1 + rng.Uniform(2)]);
      b.erase(rng.Uniform(b.size()), 1);
    }
    pairs.push_back({std::move(a), std::move(b)});
  }
  return pairs;
}

TEST(DamerauLevenshteinTest, TextbookValues) {
  // CA -> AC -> ABC: the transposed pair is edited again, which OSA forbids.
  EXPECT_EQ(DamerauLevenshtein("CA", "ABC"), 2);
  EXPECT_EQ(OptimalStringAlignment("CA", "ABC"), 3);
  EXPECT_EQ(DamerauLevenshtein("kitten", "sitting"), 3);
  EXPECT_EQ(DamerauLevenshtein("", "abc"), 3);
  EXPECT_EQ(DamerauLevenshtein("abc", ""), 3);
  EXPECT_EQ(DamerauLevenshtein("", ""), 0);
}

TEST(DamerauLevenshteinTest, AdjacentTranspositionCostsOne) {
  EXPECT_EQ(DamerauLevenshtein("aminah", "aminha"), 1);
  EXPECT_EQ(DamerauLevenshtein("ab", "ba"), 1);
  EXPECT_EQ(Levenshtein("aminah", "aminha"), 2);
}

TEST(DamerauLevenshteinTest, TranspositionAcrossInsertedCharacters) {
  // a...b -> b x a: swap, then insert between; OSA pays one more.
  EXPECT_EQ(DamerauLevenshtein("ab", "bxa"), 2);
  EXPECT_EQ(OptimalStringAlignment("ab", "bxa"), 3);
}

TEST(DamerauLevenshteinTest, ComparesCodePoints) {
  EXPECT_EQ(DamerauLevenshtein("Muhammad", "Muhammäd"), 1);
  EXPECT_EQ(DamerauLevenshtein("äb", "bä"), 1);
  EXPECT_EQ(DamerauLevenshtein("\u00E9\u00E4", "\u00E4x\u00E9"), 2);
}

TEST(DamerauLevenshteinTest, EqualsShortestEditPathOnAllSmallStrings) {
  constexpr std::string_view kAlphabet = "abc";
  // An optimal edit script can delete first and insert last, so paths between strings of up to
  // four letters need not pass through longer ones; five leaves a margin.
  const std::vector<std::string> strings = AllStrings(kAlphabet, 4);
  for (const std::string& a : strings) {
    const absl::flat_hash_map<std::string, int> distance = EditGraphDistances(a, kAlphabet, 5);
    for (const std::string& b : strings) {
      ASSERT_EQ(DamerauLevenshtein(a, b), distance.at(b)) << a << " / " << b;
    }
  }
}

TEST(DamerauLevenshteinTest, WithinAgreesWithFullDistance) {
  for (const Pair& pair : RandomPairs()) {
    const int full = DamerauLevenshtein(pair.a, pair.b);
    for (int max : {0, 1, 2, 3, 5}) {
      EXPECT_EQ(DamerauLevenshteinWithin(pair.a, pair.b, max), std::min(full, max + 1))
          << pair.a << " / " << pair.b << " max " << max;
    }
  }
  EXPECT_EQ(DamerauLevenshteinWithin("abc", "xyz", std::numeric_limits<int>::max()), 3);
  EXPECT_EQ(DamerauLevenshteinWithin("abc", "abc", -1), 0);
}

TEST(DamerauLevenshteinTest, SymmetricAndAtMostLevenshtein) {
  for (const Pair& pair : RandomPairs()) {
    const int distance = DamerauLevenshtein(pair.a, pair.b);
    EXPECT_EQ(distance, DamerauLevenshtein(pair.b, pair.a)) << pair.a << " / " << pair.b;
    EXPECT_LE(distance, Levenshtein(pair.a, pair.b)) << pair.a << " / " << pair.b;
    // The reference OSA works on bytes, so compare it on ASCII pairs only.
    if (BothAscii(pair.a, pair.b)) {
      EXPECT_LE(distance, OptimalStringAlignment(pair.a, pair.b)) << pair.a << " / " << pair.b;
    }
  }
}

TEST(DamerauLevenshteinTest, LongStringsUseTheHeapMatrix) {
  std::string a;
  for (int i = 0; i < 90; ++i) a += static_cast<char>('a' + i % 26);
  std::string b = a;
  std::swap(b[10], b[11]);
  std::swap(b[70], b[71]);
  EXPECT_EQ(DamerauLevenshtein(a, b), 2);
  EXPECT_EQ(DamerauLevenshteinWithin(a, b, 1), 2);
  EXPECT_EQ(DamerauLevenshteinWithin(a, b, 2), 2);
}

}  // namespace
}  // namespace padan
