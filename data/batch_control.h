// BatchControl: what a long batch run (dedup, link, verivali) is told by whoever runs it — the
// CLI's progress bar or the server's job runner — and how it can be told to stop.
//
// The same engine call serves both: the CLI passes a progress bar and no cancel flag, a job
// passes its progress counters and its cancel flag. A run checks Cancelled() between units of
// work (a batch of rows, a partition) and returns absl::CancelledError when it is set, leaving
// its partial output for the caller to delete.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string_view>

namespace padan {

struct BatchControl {
  // Called from the thread running the batch, often (every batch of rows is fine); the callee
  // rate-limits any drawing. `phase` names the current step ("membaca", "pasangan", "klaster"
  // or plain English like "pairs", "clusters"): it is shown to the user as is. `done`/`total`
  // count the phase's units (total 0 = unknown).
  std::function<void(std::string_view phase, uint64_t done, uint64_t total)> progress;
  // Set by another thread to ask the run to stop; may be null.
  const std::atomic<bool>* cancel = nullptr;

  bool Cancelled() const { return cancel != nullptr && cancel->load(std::memory_order_relaxed); }
  void Report(std::string_view phase, uint64_t done, uint64_t total) const {
    if (progress) progress(phase, done, total);
  }
};

}  // namespace padan
