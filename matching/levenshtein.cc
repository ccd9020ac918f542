#include "matching/levenshtein.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

#include "absl/container/inlined_vector.h"

#include "matching/code_points.h"

namespace padan {
namespace {

// Patterns of up to this many code points fit one machine word of the bit-parallel algorithm,
// and up to half as many a 32-bit word.
constexpr size_t kWordBits = 64;
constexpr size_t kHalfWordBits = 32;

// Myers/Hyyrö over a pattern that fits a word. Each step turns the vertical delta vectors of
// column j (VP: +1, VN: -1 between consecutive rows) into those of column j + 1, tracking the
// last row, which is the distance of the pattern to text[0..j]. The last-row value can fall by
// at most one per remaining column, so once it exceeds max by more than the columns left the
// answer is known to exceed max.
// REQUIRES: 1 <= pattern.size() <= bits of Mask; pattern.size() <= text.size(); max >= 0.
template <typename Mask, typename CharT>
int BitParallelDistance(std::span<const CharT> pattern, std::span<const CharT> text, int max) {
  const PositionMasks<CharT, Mask> positions(pattern);
  const Mask last = static_cast<Mask>(Mask{1} << (pattern.size() - 1));
  Mask vp = static_cast<Mask>(~Mask{0});
  Mask vn = 0;
  int score = static_cast<int>(pattern.size());
  int columns_left = static_cast<int>(text.size());
  for (CharT c : text) {
    const Mask x = positions.Get(c) | vn;
    const Mask d0 = static_cast<Mask>((((x & vp) + vp) ^ vp) | x);
    const Mask hp = static_cast<Mask>(vn | ~(d0 | vp));
    const Mask hn = vp & d0;
    score += (hp & last) != 0;
    score -= (hn & last) != 0;
    --columns_left;
    if (score - columns_left > max) return max + 1;
    // Row 0 of the DP grows by one per column (D[0][j] = j): shift in a +1.
    const Mask hp_shifted = static_cast<Mask>((hp << 1) | 1);
    vn = hp_shifted & d0;
    vp = static_cast<Mask>((hn << 1) | ~(d0 | hp_shifted));
  }
  return score <= max ? score : max + 1;
}

// The row-by-row DP, restricted to Ukkonen's band of diagonals |i - j| <= max: a cell outside
// it is at least its diagonal's offset, more than max, so its value never matters. Values are
// capped at max + 1. A row whose every cell exceeds max ends the computation, because the
// minimum of a row never decreases from one row to the next.
// REQUIRES: shorter.size() <= longer.size() <= shorter.size() + max; max >= 0.
template <typename CharT>
int RowDistance(std::span<const CharT> shorter, std::span<const CharT> longer, int max) {
  const int m = static_cast<int>(shorter.size());
  const int n = static_cast<int>(longer.size());
  const int cap = max + 1;
  absl::InlinedVector<int, 2 * kWordBits> row(static_cast<size_t>(m) + 1);
  for (int i = 0; i <= m; ++i) row[static_cast<size_t>(i)] = std::min(i, cap);
  for (int j = 1; j <= n; ++j) {
    const int lo = std::max(1, j - max);
    const int hi = std::min(m, j + max);
    // Column lo - 1 of this row: the border when lo = 1, else just outside the band.
    int left = lo == 1 ? std::min(j, cap) : cap;
    int diag = row[static_cast<size_t>(lo - 1)];
    row[static_cast<size_t>(lo - 1)] = left;
    int row_min = left;
    const CharT c = longer[static_cast<size_t>(j - 1)];
    for (int i = lo; i <= hi; ++i) {
      const int up = row[static_cast<size_t>(i)];
      const int cost = shorter[static_cast<size_t>(i - 1)] != c;
      const int value = std::min({diag + cost, up + 1, left + 1, cap});
      diag = up;
      row[static_cast<size_t>(i)] = value;
      left = value;
      row_min = std::min(row_min, value);
    }
    if (row_min > max) return cap;
  }
  return row[static_cast<size_t>(m)];
}

// The distance when at most max, else max + 1.
// REQUIRES: max >= 0.
template <typename CharT>
int LevenshteinImpl(std::span<const CharT> a, std::span<const CharT> b, int max) {
  if (a.size() > b.size()) std::swap(a, b);
  // The distance never exceeds the longer length; clamping keeps max + 1 from overflowing.
  const bool cutoff = static_cast<size_t>(max) < b.size();
  if (!cutoff) max = static_cast<int>(b.size());
  // Each edit changes the length by at most one. Checked first: it is free, and it is what
  // rejects most unrelated names.
  if (b.size() - a.size() > static_cast<size_t>(max)) return max + 1;
  // A common prefix or suffix is matched at no cost in some optimal alignment.
  const size_t prefix = CommonPrefixLength(a, b);
  a = a.subspan(prefix);
  b = b.subspan(prefix);
  const size_t suffix = CommonSuffixLength(a, b);
  a = a.first(a.size() - suffix);
  b = b.first(b.size() - suffix);
  if (a.empty()) return static_cast<int>(b.size());
  if (cutoff && MissingCharacterBound(a, b) > max) return max + 1;
  // Most names fit a 32-bit word.
  if (a.size() <= kHalfWordBits) return BitParallelDistance<uint32_t>(a, b, max);
  if (a.size() <= kWordBits) return BitParallelDistance<uint64_t>(a, b, max);
  return RowDistance(a, b, max);
}

}  // namespace

int Levenshtein(std::string_view a, std::string_view b) {
  return VisitCodePoints(
      a, b, [](auto x, auto y) { return LevenshteinImpl(x, y, std::numeric_limits<int>::max()); });
}

int LevenshteinWithin(std::string_view a, std::string_view b, int max) {
  if (max < 0) return max + 1;
  return VisitCodePoints(a, b, [max](auto x, auto y) { return LevenshteinImpl(x, y, max); });
}

}  // namespace padan
