#include "server/cli/progress.h"

#include <unistd.h>

#include <cstdio>

#include "absl/strings/str_format.h"

namespace padan::cli {
namespace {

// Redraw interval: often enough to look alive, rare enough to cost nothing.
constexpr auto kRedrawInterval = std::chrono::milliseconds(200);
constexpr int kBarWidth = 30;

// "[=======       ]" for `fraction` (0 to 1).
std::string Bar(double fraction) {
  std::string bar(static_cast<size_t>(fraction * kBarWidth), '=');
  bar.resize(kBarWidth, ' ');
  return "[" + bar + "]";
}

// Seconds left when `fraction` took `seconds`.
double Eta(double fraction, double seconds) {
  return fraction > 0 ? seconds * (1 - fraction) / fraction : 0;
}

}  // namespace

ProgressBar::ProgressBar(std::string unit)
    : unit_(std::move(unit)),
      enabled_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::Update(uint64_t done, uint64_t total, int64_t items) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  drawn_ = true;
  double seconds = std::chrono::duration<double>(now - start_).count();
  double rate = seconds > 0 ? static_cast<double>(items) / seconds : 0;
  std::string line;
  if (total > 0) {
    double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
    line = absl::StrFormat("\r%s %3.0f%%  %d %s  %.0f %s/s  ETA %.0fs ", Bar(fraction),
                           fraction * 100, items, unit_, rate, unit_, Eta(fraction, seconds));
  } else {
    line = absl::StrFormat("\r%d %s  %.0f %s/s ", items, unit_, rate, unit_);
  }
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

namespace {

// 1234 → "1.2k", 5600000 → "5.6M": compact enough for one terminal line.
std::string Compact(double value) {
  if (value >= 1e9) return absl::StrFormat("%.1fG", value / 1e9);
  if (value >= 1e6) return absl::StrFormat("%.1fM", value / 1e6);
  if (value >= 1e4) return absl::StrFormat("%.1fk", value / 1e3);
  return absl::StrFormat("%.0f", value);
}

}  // namespace

void ProgressBar::Report(std::string_view phase, uint64_t done, uint64_t total) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (phase != phase_) {  // a new phase restarts the rate and ETA
    phase_ = std::string(phase);
    phase_start_ = now;
  } else if (drawn_ && now - last_draw_ < kRedrawInterval) {
    return;
  }
  last_draw_ = now;
  drawn_ = true;
  double seconds = std::chrono::duration<double>(now - phase_start_).count();
  double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  std::string line;
  if (total > 0) {
    double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
    line =
        absl::StrFormat("\r\033[K%s %s %3.0f%%  %s/%s  %s/s  ETA %.0fs", phase_, Bar(fraction),
                        fraction * 100, Compact(static_cast<double>(done)),
                        Compact(static_cast<double>(total)), Compact(rate), Eta(fraction, seconds));
  } else {
    line = absl::StrFormat("\r\033[K%s  %s  %s/s", phase_, Compact(static_cast<double>(done)),
                           Compact(rate));
  }
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

BatchControl ProgressBar::Control() {
  BatchControl control;
  control.progress = [this](std::string_view phase, uint64_t done, uint64_t total) {
    Report(phase, done, total);
  };
  return control;
}

void ProgressBar::Finish() {
  if (!enabled_ || !drawn_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace padan::cli
