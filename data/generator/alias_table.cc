#include "data/generator/alias_table.h"

#include <cmath>

namespace padan::gen {

AliasTable::AliasTable(std::span<const double> weights) {
  const size_t n = weights.size();
  double total = 0;
  for (double w : weights) total += w;
  if (n == 0 || !(total > 0)) return;
  prob_.assign(n, 0);
  alias_.assign(n, 0);
  // Scaled so that the mean column holds exactly 1.
  std::vector<double> scaled(n);
  std::vector<uint32_t> small;
  std::vector<uint32_t> large;
  for (size_t i = 0; i < n; ++i) {
    scaled[i] = weights[i] * static_cast<double>(n) / total;
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<uint32_t>(i));
  }
  constexpr double kScale = 4294967296.0;  // 2^32
  auto threshold = [&](double p) -> uint32_t {
    double t = std::floor(p * kScale);
    return t >= kScale ? 0xFFFFFFFFu : static_cast<uint32_t>(t);
  };
  while (!small.empty() && !large.empty()) {
    uint32_t s = small.back();
    small.pop_back();
    uint32_t l = large.back();
    prob_[s] = threshold(scaled[s]);
    alias_[s] = l;
    scaled[l] -= 1.0 - scaled[s];
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // What is left holds (up to rounding) exactly 1: always take the column itself.
  for (uint32_t i : large) {
    prob_[i] = 0xFFFFFFFFu;
    alias_[i] = i;
  }
  for (uint32_t i : small) {
    prob_[i] = 0xFFFFFFFFu;
    alias_[i] = i;
  }
}

}  // namespace padan::gen
