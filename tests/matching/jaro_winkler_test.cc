#include "matching/jaro_winkler.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

#include "data/generator/random.h"
#include "matching/code_points.h"

namespace padan {
namespace {

// Textbook values are quoted to three decimals.
constexpr double kTextbookTolerance = 0.0005;

// Jaro as Winkler's strcmp95.c computes it, character by character over code points: the
// reference for the bitmask path. Also says whether Jaro exceeds 0.7, decided exactly on the
// counts (in floating point a score of exactly 0.7 can round either way).
double ReferenceJaro(std::string_view a, std::string_view b, bool* above_boost_threshold) {
  *above_boost_threshold = false;
  CodePoints x(a);
  CodePoints y(b);
  if (x.size() == 0 && y.size() == 0) return 1.0;
  if (x.size() == 0 || y.size() == 0) return 0.0;
  const int window = std::max(static_cast<int>(std::max(x.size(), y.size()) / 2) - 1, 0);
  std::vector<bool> used_x(x.size());
  std::vector<bool> used_y(y.size());
  int m = 0;
  for (int i = 0; i < static_cast<int>(x.size()); ++i) {
    const int end = std::min(static_cast<int>(y.size()), i + window + 1);
    for (int j = std::max(0, i - window); j < end; ++j) {
      if (!used_y[j] && x[i] == y[j]) {
        used_x[i] = used_y[j] = true;
        ++m;
        break;
      }
    }
  }
  if (m == 0) return 0.0;
  int mismatched = 0;
  size_t j = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    if (!used_x[i]) continue;
    while (!used_y[j]) ++j;
    mismatched += x[i] != y[j++];
  }
  const int t = mismatched / 2;
  const int64_t la = static_cast<int64_t>(x.size());
  const int64_t lb = static_cast<int64_t>(y.size());
  *above_boost_threshold =
      10 * (int64_t{m} * m * (la + lb) + int64_t{m - t} * la * lb) > 7 * (3 * la * lb * m);
  return (static_cast<double>(m) / static_cast<double>(la) +
          static_cast<double>(m) / static_cast<double>(lb) + static_cast<double>(m - t) / m) /
         3.0;
}

double ReferenceJaro(std::string_view a, std::string_view b) {
  bool above_boost_threshold;
  return ReferenceJaro(a, b, &above_boost_threshold);
}

double ReferenceJaroWinkler(std::string_view a, std::string_view b) {
  bool above_boost_threshold;
  const double jaro = ReferenceJaro(a, b, &above_boost_threshold);
  if (!above_boost_threshold) return jaro;
  CodePoints x(a);
  CodePoints y(b);
  size_t prefix = 0;
  while (prefix < 4 && prefix < x.size() && prefix < y.size() && x[prefix] == y[prefix]) {
    ++prefix;
  }
  return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro);
}

struct Pair {
  std::string a;
  std::string b;
};

// Names-like random pairs: unrelated and near, ASCII and not, short and beyond 64 code points.
std::vector<Pair> RandomPairs() {
  static constexpr std::string_view kAscii[] = {"a", "i", "n", "s", "t", "m", "h", "u", "r"};
  static constexpr std::string_view kOther[] = {"a", "i", "\u00E4", "\u00E9", "n", "\u0308"};
  gen::Rng rng(19890101);
  auto text = [&](size_t length, bool ascii) {
    std::string s;
    for (size_t i = 0; i < length; ++i) {
      s += ascii ? kAscii[rng.Uniform(std::size(kAscii))] : kOther[rng.Uniform(std::size(kOther))];
    }
    return s;
  };
  std::vector<Pair> pairs;
  for (int i = 0; i < 3000; ++i) {
    const bool ascii = rng.Bernoulli(0.7);
    const size_t length = rng.Bernoulli(0.15) ? 60 + rng.Uniform(40) : 1 + rng.Uniform(16);
    std::string a = text(length, ascii);
    std::string b;
    if (rng.Bernoulli(0.5)) {
      b = text(1 + rng.Uniform(length + 3), ascii);
    } else {
      // Swap two nearby bytes and change one: a transposition and a substitution.
      b = a;
      const size_t pos = rng.Uniform(b.size());
      std::swap(b[pos], b[std::min(b.size() - 1, pos + 1 + rng.Uniform(3))]);
      b[rng.Uniform(b.size())] = 'x';
    }
    pairs.push_back({std::move(a), std::move(b)});
  }
  return pairs;
}

// The same text with each ASCII byte c replaced by the code point U+0100 + c (two UTF-8 bytes):
// the comparators then take their code point path, whose counts must be the same.
std::string Widen(std::string_view ascii) {
  std::string wide;
  for (char ch : ascii) {
    const auto c = static_cast<unsigned char>(ch);
    const unsigned code_point = 0x100 + c;
    wide.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    wide.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
  return wide;
}

// ASCII pairs of 1 to 40 bytes over the whole ASCII range (NUL and DEL included), or over
// characters that coincide in their low five or six bits (' ', '`', '@', digits, letters of both
// cases, '{'): half unrelated, half a copy with a long shared prefix and a few edits, so that
// the lengths cross 8, 16 and 32 and the shared prefixes reach 16 and beyond.
std::vector<Pair> AsciiPairs() {
  static constexpr std::string_view kColliding = " `@0PpAa{[;Kk1Qq";
  gen::Rng rng(20240611);
  std::vector<Pair> pairs;
  for (int i = 0; i < 4000; ++i) {
    const bool full_range = rng.Bernoulli(0.5);
    auto draw = [&]() {
      return full_range ? static_cast<char>(rng.Uniform(128))
                        : kColliding[rng.Uniform(kColliding.size())];
    };
    std::string a;
    const size_t length = 1 + rng.Uniform(40);
    for (size_t k = 0; k < length; ++k) a.push_back(draw());
    std::string b;
    if (rng.Bernoulli(0.5)) {
      const size_t other = 1 + rng.Uniform(40);
      for (size_t k = 0; k < other; ++k) b.push_back(draw());
    } else {
      b = a;
      const int edits = static_cast<int>(1 + rng.Uniform(3));
      for (int e = 0; e < edits; ++e) {
        const size_t pos = rng.Uniform(b.size());
        switch (rng.Uniform(4)) {
          case 0:
            b[pos] = draw();
            break;
          case 1:
            b.insert(b.begin() + static_cast<std::ptrdiff_t>(pos), draw());
            break;
          case 2:
            if (b.size() > 1) b.erase(pos, 1);
            break;
          default:
            if (pos + 1 < b.size()) std::swap(b[pos], b[pos + 1]);
            break;
        }
      }
    }
    pairs.push_back({std::move(a), std::move(b)});
  }
  return pairs;
}

TEST(JaroWinklerTest, TextbookValues) {
  EXPECT_NEAR(Jaro("MARTHA", "MARHTA"), 0.944, kTextbookTolerance);
  EXPECT_NEAR(JaroWinkler("MARTHA", "MARHTA"), 0.961, kTextbookTolerance);
  EXPECT_NEAR(Jaro("DWAYNE", "DUANE"), 0.822, kTextbookTolerance);
  EXPECT_NEAR(JaroWinkler("DWAYNE", "DUANE"), 0.840, kTextbookTolerance);
  EXPECT_NEAR(Jaro("DIXON", "DICKSONX"), 0.767, kTextbookTolerance);
  EXPECT_NEAR(JaroWinkler("DIXON", "DICKSONX"), 0.813, kTextbookTolerance);
}

TEST(JaroWinklerTest, IdenticalAndDisjoint) {
  EXPECT_EQ(JaroWinkler("aminah", "aminah"), 1.0);
  EXPECT_EQ(Jaro("aminah", "aminah"), 1.0);
  EXPECT_EQ(JaroWinkler("abc", "xyz"), 0.0);
}

TEST(JaroWinklerTest, EmptyStrings) {
  EXPECT_EQ(JaroWinkler("", ""), 1.0);
  EXPECT_EQ(Jaro("", ""), 1.0);
  EXPECT_EQ(JaroWinkler("", "siti"), 0.0);
  EXPECT_EQ(JaroWinkler("siti", ""), 0.0);
}

TEST(JaroWinklerTest, NoPrefixBoostAtOrBelowPointSeven) {
  // "abcd" vs "abzz" scores (2/4 + 2/4 + 1) / 3 = 0.667 and keeps it despite the shared prefix.
  EXPECT_NEAR(JaroWinkler("abcd", "abzz"), Jaro("abcd", "abzz"), 1e-15);
  EXPECT_NEAR(Jaro("abcd", "abzz"), 2.0 / 3.0, 1e-12);
}

TEST(JaroWinklerTest, ExactlyPointSevenIsNotBoosted) {
  // (1/1 + 1/10 + 1) / 3 = 0.7 exactly, which rounds to just above 0.7 when computed as the
  // textbook sum of three quotients.
  EXPECT_NEAR(JaroWinkler("u", "uaaaaaaaaa"), 0.7, 1e-12);
  EXPECT_NEAR(JaroWinkler("uaaaaaaaaa", "u"), 0.7, 1e-12);
}

TEST(JaroWinklerTest, PrefixParameters) {
  const double jaro = Jaro("MARTHA", "MARHTA");
  EXPECT_NEAR(JaroWinkler("MARTHA", "MARHTA", 0.1, 2), jaro + 0.2 * (1 - jaro), 1e-12);
  EXPECT_NEAR(JaroWinkler("MARTHA", "MARHTA", 0.25, 4), jaro + 0.75 * (1 - jaro), 1e-12);
  EXPECT_NEAR(JaroWinkler("MARTHA", "MARHTA", 0.1, 0), jaro, 1e-12);
}

TEST(JaroWinklerTest, ComparesCodePoints) {
  // One substitution in eight characters, prefix of four.
  const double expected = ReferenceJaroWinkler("Muhammad", "Muhammäd");
  EXPECT_NEAR(JaroWinkler("Muhammad", "Muhammäd"), expected, 1e-12);
  EXPECT_NEAR(Jaro("Muhammad", "Muhammäd"), (7.0 / 8 + 7.0 / 8 + 1) / 3, 1e-12);
  // Decomposed: nine code points against eight.
  EXPECT_NEAR(Jaro("Muhammad", "Muhamma\u0308d"), (8.0 / 8 + 8.0 / 9 + 1) / 3, 1e-12);
}

TEST(JaroWinklerTest, MatchesReferenceOnRandomPairs) {
  for (const Pair& pair : RandomPairs()) {
    EXPECT_NEAR(Jaro(pair.a, pair.b), ReferenceJaro(pair.a, pair.b), 1e-12)
        << pair.a << " / " << pair.b;
    EXPECT_NEAR(JaroWinkler(pair.a, pair.b), ReferenceJaroWinkler(pair.a, pair.b), 1e-12)
        << pair.a << " / " << pair.b;
  }
}

TEST(JaroWinklerTest, Symmetric) {
  for (const Pair& pair : RandomPairs()) {
    EXPECT_EQ(Jaro(pair.a, pair.b), Jaro(pair.b, pair.a)) << pair.a << " / " << pair.b;
    EXPECT_EQ(JaroWinkler(pair.a, pair.b), JaroWinkler(pair.b, pair.a))
        << pair.a << " / " << pair.b;
  }
}

TEST(JaroWinklerTest, AtLeastAgreesWithFullForm) {
  for (const Pair& pair : RandomPairs()) {
    const double full = JaroWinkler(pair.a, pair.b);
    for (double threshold : {0.0, 0.5, 0.7, 0.8, 0.88, 0.94, 1.0}) {
      EXPECT_EQ(JaroWinklerAtLeast(pair.a, pair.b, threshold), full >= threshold ? full : 0.0)
          << pair.a << " / " << pair.b << " threshold " << threshold;
    }
  }
}

TEST(JaroWinklerTest, AtLeastRejectsOnLengthsAlone) {
  // A five-letter name against a nine-letter one: Jaro <= (1 + 5/9 + 1) / 3 = 0.852, and the
  // full prefix bonus lifts that to at most 0.911.
  EXPECT_EQ(JaroWinklerAtLeast("agung", "agungsari", 0.94), 0.0);
  EXPECT_GT(JaroWinklerAtLeast("agung", "agungsari", 0.88), 0.88);
}

TEST(JaroWinklerTest, AtLeastKeepsExactThreshold) {
  const double score = JaroWinkler("MARTHA", "MARHTA");
  EXPECT_EQ(JaroWinklerAtLeast("MARTHA", "MARHTA", score), score);
}

TEST(JaroWinklerTest, QueryAgreesWithPairwise) {
  for (const Pair& pair : RandomPairs()) {
    const JaroWinklerQuery query(pair.a);
    EXPECT_EQ(query.Score(pair.b), JaroWinkler(pair.a, pair.b)) << pair.a << " / " << pair.b;
    for (double threshold : {0.7, 0.88, 0.94}) {
      EXPECT_EQ(query.ScoreAtLeast(pair.b, threshold),
                JaroWinklerAtLeast(pair.a, pair.b, threshold))
          << pair.a << " / " << pair.b << " threshold " << threshold;
    }
  }
}

TEST(JaroWinklerTest, AsciiPathAgreesExactlyWithCodePointPath) {
  // ASCII text goes through vector comparisons of bytes and skips the shared prefix; the widened
  // text through the code point tables without either. The counts, hence the doubles, must agree.
  for (const Pair& pair : AsciiPairs()) {
    const std::string wide_a = Widen(pair.a);
    const std::string wide_b = Widen(pair.b);
    EXPECT_EQ(Jaro(pair.a, pair.b), Jaro(wide_a, wide_b)) << pair.a << " / " << pair.b;
    EXPECT_EQ(JaroWinkler(pair.a, pair.b), JaroWinkler(wide_a, wide_b))
        << pair.a << " / " << pair.b;
    EXPECT_EQ(JaroWinkler(pair.a, pair.b, 0.05, 20), JaroWinkler(wide_a, wide_b, 0.05, 20))
        << pair.a << " / " << pair.b;
    EXPECT_EQ(JaroWinklerAtLeast(pair.a, pair.b, 0.88), JaroWinklerAtLeast(wide_a, wide_b, 0.88))
        << pair.a << " / " << pair.b;
    EXPECT_NEAR(JaroWinkler(pair.a, pair.b), ReferenceJaroWinkler(pair.a, pair.b), 1e-12)
        << pair.a << " / " << pair.b;
    EXPECT_EQ(JaroWinklerQuery(pair.a).Score(pair.b), JaroWinkler(pair.a, pair.b))
        << pair.a << " / " << pair.b;
  }
}

TEST(JaroWinklerTest, SharedPrefixesAtEveryLength) {
  // Every length up to 40 against itself and against a copy with one byte changed at every
  // position, so that the shared prefix takes every value, below and beyond the 16 bytes that
  // are skipped at most.
  for (size_t length = 1; length <= 40; ++length) {
    std::string name;
    for (size_t k = 0; k < length; ++k) name.push_back("siti nurhaliza binti ahmad"[k % 26]);
    EXPECT_EQ(JaroWinkler(name, name), 1.0) << name;
    EXPECT_EQ(JaroWinklerQuery(name).Score(name), 1.0) << name;
    for (size_t pos = 0; pos < length; ++pos) {
      for (const char replacement : {'`', '@', '{', 'S', '7', ' '}) {
        std::string variant = name;
        variant[pos] = replacement;
        for (const std::string& other : {variant, variant + "x", variant.substr(0, length - 1)}) {
          EXPECT_EQ(JaroWinkler(name, other), JaroWinkler(Widen(name), Widen(other)))
              << name << " / " << other;
          EXPECT_NEAR(JaroWinkler(name, other), ReferenceJaroWinkler(name, other), 1e-12)
              << name << " / " << other;
        }
      }
    }
  }
}

TEST(JaroWinklerTest, QueryTextbookValuesAndEdgeCases) {
  const JaroWinklerQuery martha("MARTHA");
  EXPECT_NEAR(martha.Score("MARHTA"), 0.961, kTextbookTolerance);
  EXPECT_EQ(martha.Score("MARTHA"), 1.0);
  EXPECT_EQ(martha.Score(""), 0.0);
  EXPECT_EQ(JaroWinklerQuery("").Score(""), 1.0);
  EXPECT_EQ(JaroWinklerQuery("").Score("x"), 0.0);
  // Non-ASCII and long candidates take the pairwise path.
  EXPECT_EQ(JaroWinklerQuery("Muhammad").Score("Muhammäd"), JaroWinkler("Muhammad", "Muhammäd"));
  const std::string long_name(80, 'a');
  EXPECT_EQ(JaroWinklerQuery("aaaa").Score(long_name), JaroWinkler("aaaa", long_name));
  // Custom prefix parameters carry through.
  EXPECT_EQ(JaroWinklerQuery("MARTHA", 0.2, 2).Score("MARHTA"),
            JaroWinkler("MARTHA", "MARHTA", 0.2, 2));
}

}  // namespace
}  // namespace padan
