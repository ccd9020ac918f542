// HtmlEscape: text made safe to place in HTML content or a quoted attribute — the one escaper
// of the HTML reports (padan eval --report, the verivali laporan.html). Names and addresses
// come from users.
#pragma once

#include <string>
#include <string_view>

namespace padan {

// Replaces < > & " ' with their character references; everything else is kept.
std::string HtmlEscape(std::string_view text);

}  // namespace padan
