// ProgressBar: a one-line progress display with rate and ETA on stderr, shown only when stderr
// is a terminal so that logs and CI output stay clean.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "data/batch_control.h"

namespace padan::cli {

// Not thread-safe; call from the thread doing the work.
class ProgressBar {
 public:
  // `unit` names what is counted ("rows", "persons").
  explicit ProgressBar(std::string unit);
  ~ProgressBar();

  // Redraws at most a few times a second. `done`/`total` drive the bar and ETA (total 0 =
  // unknown); `items` is the count shown with its rate.
  void Update(uint64_t done, uint64_t total, int64_t items);
  // For batch runs: "phase  [====  ] 42%  1.2M/2.9M  310k/s  ETA 6s", counts with k/M/G.
  void Report(std::string_view phase, uint64_t done, uint64_t total);
  // A BatchControl whose progress draws this bar (no cancel flag). The bar must outlive it.
  BatchControl Control();
  // Clears the line.
  void Finish();

 private:
  std::string unit_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  std::string phase_;  // of Report
  std::chrono::steady_clock::time_point phase_start_;
};

}  // namespace padan::cli
