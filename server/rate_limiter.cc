#include "server/rate_limiter.h"

#include <algorithm>
#include <cmath>

#include "data/absl_strings.h"

namespace padan {

int RateLimiter::Acquire(std::string_view key, double rate, double burst, Clock::time_point now) {
  if (rate <= 0) return 0;
  double capacity = std::max(burst, 1.0);
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = buckets_.try_emplace(ToAbsl(key));
  Bucket& bucket = it->second;
  if (inserted) {
    bucket.tokens = capacity;
  } else {
    double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
    bucket.tokens = std::min(capacity, bucket.tokens + std::max(elapsed, 0.0) * rate);
  }
  bucket.updated = now;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1 - bucket.tokens) / rate)));
}

}  // namespace padan
