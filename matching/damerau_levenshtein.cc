#include "matching/damerau_levenshtein.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <span>
#include <type_traits>
#include <vector>

#include "absl/container/flat_hash_map.h"

#include "matching/code_points.h"

namespace padan {
namespace {

// Up to this many code points per string the DP matrix is a stack array of bytes.
constexpr size_t kStackChars = 64;

// The last row (1-based; 0 = none yet) in which each character occurred in `a`: Lowrance and
// Wagner's DA array. A direct table for ASCII bytes, a hash map for code points.
class AsciiLastRow {
 public:
  int Get(uint8_t c) const { return rows_[c]; }
  void Set(uint8_t c, int row) { rows_[c] = row; }

 private:
  std::array<int, 128> rows_ = {};
};

class CodePointLastRow {
 public:
  int Get(char32_t c) const {
    auto it = rows_.find(c);
    return it == rows_.end() ? 0 : it->second;
  }
  void Set(char32_t c, int row) { rows_[c] = row; }

 private:
  absl::flat_hash_map<char32_t, int> rows_;
};

template <typename CharT>
using LastRow = std::conditional_t<std::is_same_v<CharT, uint8_t>, AsciiLastRow, CodePointLastRow>;

// Lowrance-Wagner over the band |i - j| <= max, values capped at max + 1. `d` is the
// (|a| + 1) x (|b| + 1) matrix, row-major, followed by one spare cell; every cell holds the cap on
// entry. Cells outside the band keep it, so every cell the recurrence reads is defined and none
// needs a bounds test. The inner loop has no data-dependent branch: between unrelated names
// each test (equal characters, a transposition in reach) is a coin toss, and mispredicting it
// cost more than the rest of the cell.
// REQUIRES: |a| - |b| and |b| - |a| are <= max; max + 1 fits Cell.
template <typename CharT, typename Cell>
int DamerauLevenshteinMatrix(std::span<const CharT> a, std::span<const CharT> b, int max, Cell* d) {
  const int la = static_cast<int>(a.size());
  const int lb = static_cast<int>(b.size());
  const ptrdiff_t stride = lb + 1;
  const int cap = max + 1;
  // The spare cell stands in for cell (k - 1, l - 1) when there is no k or no l: it holds the
  // cap, which prices the transposition out of reach.
  const ptrdiff_t spare = (la + 1) * stride;
  for (int j = 0; j <= std::min(lb, max); ++j) d[j] = static_cast<Cell>(j);
  LastRow<CharT> last_row;
  for (int i = 1; i <= la; ++i) {
    const int lo = std::max(1, i - max);
    const int hi = std::min(lb, i + max);
    Cell* row = d + i * stride;
    const Cell* above = row - stride;
    if (lo == 1) row[0] = static_cast<Cell>(std::min(i, cap));
    // The row's left neighbour and the diagonal travel in registers: reloading a cell just
    // stored would put a store-to-load forwarding delay on the critical path of every cell.
    int left = row[lo - 1];
    int diag = above[lo - 1];
    int row_min = left;
    const CharT ai = a[static_cast<size_t>(i - 1)];
    // The last column of this row, so far, whose character equals a[i]. Columns left of the
    // band are not seen; a transposition reaching back there costs more than max anyway.
    int last_column = 0;
    for (int j = lo; j <= hi; ++j) {
      const CharT bj = b[static_cast<size_t>(j - 1)];
      const int k = last_row.Get(bj);  // 0: b[j] not yet in a
      const int l = last_column;       // 0: a[i] not yet in this row of b
      const bool equal = ai == bj;
      last_column = equal ? j : last_column;
      const int up = above[j];
      int value = std::min({diag + !equal, left + 1, up + 1, cap});
      // Transpose a[k] and a[i] into b[l] and b[j], deleting the i - k - 1 characters of a and
      // inserting the j - l - 1 of b between them: (i - k - 1) + 1 + (j - l - 1).
      // Selected with a mask: as a conditional, the compiler makes it a branch.
      const ptrdiff_t reachable = -static_cast<ptrdiff_t>((k > 0) & (l > 0));
      const ptrdiff_t from = spare ^ ((spare ^ ((k - 1) * stride + (l - 1))) & reachable);
      value = std::min(value, d[from] + (i - k) + (j - l) - 1);
      row[j] = static_cast<Cell>(value);
      row_min = std::min(row_min, value);
      left = value;
      diag = up;
    }
    if (row_min > max) return cap;
    last_row.Set(ai, i);
  }
  return d[la * stride + lb];
}

// The distance when at most max, else max + 1.
// REQUIRES: max >= 0.
template <typename CharT>
int DamerauLevenshteinImpl(std::span<const CharT> a, std::span<const CharT> b, int max) {
  const size_t longer = std::max(a.size(), b.size());
  // The distance never exceeds the longer length; clamping keeps max + 1 from overflowing.
  const bool cutoff = static_cast<size_t>(max) < longer;
  if (!cutoff) max = static_cast<int>(longer);
  if (longer - std::min(a.size(), b.size()) > static_cast<size_t>(max)) return max + 1;
  // A common prefix or suffix is matched at no cost in some optimal trace: a transposition
  // reaching into it would cost more than matching its equal characters in place.
  const size_t prefix = CommonPrefixLength(a, b);
  a = a.subspan(prefix);
  b = b.subspan(prefix);
  const size_t suffix = CommonSuffixLength(a, b);
  a = a.first(a.size() - suffix);
  b = b.first(b.size() - suffix);
  if (a.empty() || b.empty()) return static_cast<int>(std::max(a.size(), b.size()));
  if (cutoff && MissingCharacterBound(a, b) > max) return max + 1;
  // The matrix and its spare cell, all at the cap.
  const size_t cells = (a.size() + 1) * (b.size() + 1) + 1;
  if (std::max(a.size(), b.size()) <= kStackChars) {
    // Cells hold at most max + 1 <= 65.
    uint8_t matrix[(kStackChars + 1) * (kStackChars + 1) + 1];
    std::memset(matrix, max + 1, cells);
    return DamerauLevenshteinMatrix(a, b, max, matrix);
  }
  std::vector<int> matrix(cells, max + 1);
  return DamerauLevenshteinMatrix(a, b, max, matrix.data());
}

}  // namespace

int DamerauLevenshtein(std::string_view a, std::string_view b) {
  return VisitCodePoints(a, b, [](auto x, auto y) {
    return DamerauLevenshteinImpl(x, y, std::numeric_limits<int>::max());
  });
}

int DamerauLevenshteinWithin(std::string_view a, std::string_view b, int max) {
  if (max < 0) return max + 1;
  return VisitCodePoints(a, b, [max](auto x, auto y) { return DamerauLevenshteinImpl(x, y, max); });
}

}  // namespace padan
