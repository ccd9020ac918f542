// ProgressBar: a one-line progress display with rate and ETA on stderr, shown only when stderr
// is a terminal so that logs and CI output stay clean.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

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
  // Clears the line.
  void Finish();

 private:
  std::string unit_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace padan::cli
