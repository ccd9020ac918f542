// RateLimiter: a token bucket per API key, so one caller cannot starve the others; a refused
// request is answered 429 with Retry-After.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace padan {

// Thread-safe. Buckets are created on first use and live as long as the limiter (one per key:
// the set of keys is fixed by the keys file).
class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // Takes one token from `key`'s bucket (rate tokens per second, at most `burst` banked).
  // Returns 0 when allowed, else the whole seconds to wait before a token is available (≥ 1).
  // rate == 0 means unlimited.
  int Acquire(std::string_view key, double rate, double burst, Clock::time_point now = Clock::now())
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point updated;
  };
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace padan
