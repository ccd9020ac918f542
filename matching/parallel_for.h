// ParallelFor: splits [0, n) into contiguous chunks run on up to `threads` threads, for the
// batch steps that do the same pure work on every record or pair.
#pragma once

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace padan {

// Calls fn(begin, end) on disjoint chunks covering [0, n), the first on the calling thread,
// and returns when all are done. `threads` 0 means one per core. `fn` must be safe to run
// concurrently on disjoint ranges.
template <typename Fn>
void ParallelFor(size_t n, size_t threads, Fn fn) {
  if (threads == 0) threads = std::max<size_t>(1, std::thread::hardware_concurrency());
  // Chunks below this size cost more to start than they save.
  constexpr size_t kMinChunk = 1024;
  threads = std::min(threads, std::max<size_t>(1, n / kMinChunk));
  if (threads <= 1) {
    fn(size_t{0}, n);
    return;
  }
  const size_t chunk = (n + threads - 1) / threads;
  std::vector<std::thread> workers;
  for (size_t t = 1; t < threads; ++t) {
    const size_t begin = std::min(n, t * chunk);
    const size_t end = std::min(n, begin + chunk);
    workers.emplace_back([&fn, begin, end] { fn(begin, end); });
  }
  fn(size_t{0}, std::min(n, chunk));
  for (std::thread& worker : workers) worker.join();
}

}  // namespace padan
