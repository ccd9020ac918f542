#include "index/batch_matcher.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace padan {

BatchMatcher::BatchMatcher(const QueryEngine& engine, size_t threads)
    : engine_(engine),
      threads_(threads > 0 ? threads : std::max<size_t>(1, std::thread::hardware_concurrency())) {}

std::vector<absl::StatusOr<MatchResult>> BatchMatcher::MatchAll(
    absl::Span<const MatchQuery> queries, const Scope& scope, size_t limit) const {
  std::vector<absl::StatusOr<MatchResult>> results(queries.size(), MatchResult());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next.fetch_add(1, std::memory_order_relaxed); i < queries.size();
         i = next.fetch_add(1, std::memory_order_relaxed)) {
      results[i] = engine_.Match(queries[i], scope, limit);
    }
  };
  const size_t helpers =
      std::min(threads_, queries.size()) > 0 ? std::min(threads_, queries.size()) - 1 : 0;
  std::vector<std::thread> pool;
  pool.reserve(helpers);
  for (size_t t = 0; t < helpers; ++t) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();
  return results;
}

}  // namespace padan
