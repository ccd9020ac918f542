// The verivali report: one self-contained HTML page in Bahasa Indonesia (inline CSS and SVG
// charts, no external assets, printable) that a Dinsos officer reads — outcomes in total, per
// kab/kota, kecamatan and desa, and the fields the field corrected. Drawn from the summary
// alone, so the CLI and the server's job runner make the same page.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"

#include "matching/verivali_summary.h"

namespace padan {

inline constexpr std::string_view kVerivaliReportHtml = "laporan.html";

// Every text from the data (region names, file names) is escaped. Pure function.
std::string VerivaliReportHtml(const VerivaliSummary& summary);

// Writes VerivaliReportHtml(summary) to `path`. kUnavailable naming the file on failure.
absl::Status WriteVerivaliReport(const VerivaliSummary& summary, const std::string& path);

}  // namespace padan
