#include "matching/token_similarity.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

#include "matching/code_points.h"
#include "matching/jaro_winkler.h"

namespace padan {
namespace {

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// weight[i][j] for token i of the row side and token j of the column side.
using WeightMatrix = std::array<std::array<double, kMaxNameTokens>, kMaxNameTokens>;

// The largest sum of weights over one-to-one pairings of `rows` row tokens with `columns`
// column tokens. REQUIRES: columns <= rows <= kMaxNameTokens; weights >= 0.
double BestPairing(const WeightMatrix& weight, size_t rows, size_t columns) {
  if (columns <= kMaxExactTokens) {
    // best[mask] = the best sum of a pairing of the rows seen so far that uses exactly the
    // columns in `mask`. Each row either stays unpaired or takes a free column.
    std::array<double, size_t{1} << kMaxExactTokens> best;
    const size_t masks = size_t{1} << columns;
    std::fill_n(best.begin(), masks, 0.0);
    for (size_t i = 0; i < rows; ++i) {
      // Descending masks read each source before this row can have updated it (0/1 knapsack).
      // States left at 0 are unreachable but harmless: weights are >= 0, so one stands for a
      // real pairing that uses fewer columns.
      for (size_t mask = masks; mask-- > 0;) {
        for (size_t j = 0; j < columns; ++j) {
          const size_t bit = size_t{1} << j;
          if ((mask & bit) != 0) continue;
          best[mask | bit] = std::max(best[mask | bit], best[mask] + weight[i][j]);
        }
      }
    }
    return *std::max_element(best.begin(), best.begin() + static_cast<std::ptrdiff_t>(masks));
  }
  // Greedy: the heaviest remaining pair first.
  uint32_t used_rows = 0;
  uint32_t used_columns = 0;
  double total = 0;
  for (;;) {
    double heaviest = 0;
    size_t best_row = 0;
    size_t best_column = 0;
    for (size_t i = 0; i < rows; ++i) {
      if ((used_rows >> i) & 1) continue;
      for (size_t j = 0; j < columns; ++j) {
        if (((used_columns >> j) & 1) == 0 && weight[i][j] > heaviest) {
          heaviest = weight[i][j];
          best_row = i;
          best_column = j;
        }
      }
    }
    if (heaviest <= 0) return total;
    total += heaviest;
    used_rows |= uint32_t{1} << best_row;
    used_columns |= uint32_t{1} << best_column;
  }
}

// The two names' non-empty tokens (the first kMaxNameTokens of each), their lengths and the
// thresholded Jaro-Winkler similarity of every pair: what both measures start from. Only the
// first rows x columns entries of the arrays are set. The rows are the name with more tokens,
// as BestPairing wants; on a tie, the lexicographically smaller token list, so that swapping
// the arguments gives bit-identical scores (floating-point sums depend on their order).
struct TokenPairs {
  size_t rows = 0;
  size_t columns = 0;
  std::array<double, kMaxNameTokens> row_length;
  std::array<double, kMaxNameTokens> column_length;
  double row_total = 0;
  double column_total = 0;
  WeightMatrix similarity;

  TokenPairs(absl::Span<const std::string_view> a, absl::Span<const std::string_view> b,
             double min_token_similarity) {
    std::array<std::string_view, kMaxNameTokens> row_tokens;
    std::array<std::string_view, kMaxNameTokens> column_tokens;
    rows = Collect(a, row_tokens);
    columns = Collect(b, column_tokens);
    if (columns > rows ||
        (columns == rows &&
         std::lexicographical_compare(column_tokens.begin(), column_tokens.begin() + columns,
                                      row_tokens.begin(), row_tokens.begin() + rows))) {
      std::swap(rows, columns);
      std::swap(row_tokens, column_tokens);
    }
    for (size_t i = 0; i < rows; ++i) {
      row_length[i] = static_cast<double>(CodePointCount(row_tokens[i]));
      row_total += row_length[i];
    }
    for (size_t j = 0; j < columns; ++j) {
      column_length[j] = static_cast<double>(CodePointCount(column_tokens[j]));
      column_total += column_length[j];
    }
    for (size_t i = 0; i < rows; ++i) {
      for (size_t j = 0; j < columns; ++j) {
        similarity[i][j] =
            JaroWinklerAtLeast(row_tokens[i], column_tokens[j], min_token_similarity);
      }
    }
  }

  // The score when a name has no tokens: 1 when neither has any, else 0.
  std::optional<double> EmptyNameScore() const {
    if (rows > 0 && columns > 0) return std::nullopt;
    return rows == 0 && columns == 0 ? 1.0 : 0.0;
  }

 private:
  static size_t Collect(absl::Span<const std::string_view> tokens,
                        std::array<std::string_view, kMaxNameTokens>& kept) {
    size_t n = 0;
    for (std::string_view token : tokens) {
      if (token.empty()) continue;
      if (n == kMaxNameTokens) break;
      kept[n++] = token;
    }
    return n;
  }
};

}  // namespace

NameTokens SplitNameTokens(std::string_view name) {
  NameTokens tokens;
  size_t start = 0;
  for (size_t i = 0; i <= name.size(); ++i) {
    const bool end = i == name.size();
    if (end || IsAsciiSpace(name[i])) {
      if (i > start) tokens.push_back(name.substr(start, i - start));
      start = i + 1;
    } else if (name[i] == '.') {
      tokens.push_back(name.substr(start, i + 1 - start));
      start = i + 1;
    }
  }
  return tokens;
}

double TokenSetSimilarity(absl::Span<const std::string_view> a,
                          absl::Span<const std::string_view> b, double min_token_similarity) {
  const TokenPairs pairs(a, b, min_token_similarity);
  if (std::optional<double> empty = pairs.EmptyNameScore()) return *empty;
  WeightMatrix weight;
  for (size_t i = 0; i < pairs.rows; ++i) {
    for (size_t j = 0; j < pairs.columns; ++j) {
      weight[i][j] = pairs.similarity[i][j] * (pairs.row_length[i] + pairs.column_length[j]);
    }
  }
  // Rounding must not push a perfect pairing past 1.
  const double total = pairs.row_total + pairs.column_total;
  return std::min(BestPairing(weight, pairs.rows, pairs.columns) / total, 1.0);
}

double TokenContainment(absl::Span<const std::string_view> a, absl::Span<const std::string_view> b,
                        double min_token_similarity) {
  const TokenPairs pairs(a, b, min_token_similarity);
  if (std::optional<double> empty = pairs.EmptyNameScore()) return *empty;
  WeightMatrix row_weight;
  WeightMatrix column_weight;
  for (size_t i = 0; i < pairs.rows; ++i) {
    for (size_t j = 0; j < pairs.columns; ++j) {
      row_weight[i][j] = pairs.similarity[i][j] * pairs.row_length[i];
      column_weight[i][j] = pairs.similarity[i][j] * pairs.column_length[j];
    }
  }
  const double row_cover = BestPairing(row_weight, pairs.rows, pairs.columns) / pairs.row_total;
  const double column_cover =
      BestPairing(column_weight, pairs.rows, pairs.columns) / pairs.column_total;
  return std::min(std::max(row_cover, column_cover), 1.0);
}

}  // namespace padan
