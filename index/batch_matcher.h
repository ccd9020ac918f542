// BatchMatcher: QueryEngine::Match over many queries on several threads, results in the order
// of the queries — for the batch jobs that link a whole list to the registry (padan link).
#pragma once

#include <cstddef>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

#include "index/query_engine.h"

namespace padan {

class BatchMatcher {
 public:
  // `threads` ≥ 1 (0 means one per core). The engine must outlive the matcher.
  BatchMatcher(const QueryEngine& engine, size_t threads);

  // results[i] is engine.Match(queries[i], scope, limit). Threads take queries one at a time
  // from a shared counter, so a slow query (a common name) holds up no other thread's share.
  std::vector<absl::StatusOr<MatchResult>> MatchAll(absl::Span<const MatchQuery> queries,
                                                    const Scope& scope, size_t limit) const;

  size_t threads() const { return threads_; }

 private:
  const QueryEngine& engine_;
  size_t threads_;
};

}  // namespace padan
