// UnionFind: disjoint sets over record indexes 0..n-1 (union by size, path halving), the
// merge step of batch dedup (DESIGN.md §4, §8).
#pragma once

#include <cstddef>
#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

namespace padan {

// 8 bytes per element. Not thread-safe: Find compresses paths, so even lookups write.
class UnionFind {
 public:
  explicit UnionFind(size_t size) : parent_(size), size_(size, 1) {
    std::iota(parent_.begin(), parent_.end(), uint32_t{0});
  }

  size_t size() const { return parent_.size(); }

  uint32_t Find(uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }

  // Joins the sets of `a` and `b`; returns the root of the joined set (the larger set's root,
  // so that callers keeping per-root data move the smaller side's).
  uint32_t Union(uint32_t a, uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a == b) return a;
    if (size_[a] < size_[b]) std::swap(a, b);
    parent_[b] = a;
    size_[a] += size_[b];
    return a;
  }

  // Elements in the set of `x`.
  uint32_t SetSize(uint32_t x) { return size_[Find(x)]; }

 private:
  std::vector<uint32_t> parent_;
  std::vector<uint32_t> size_;  // valid at roots
};

}  // namespace padan
