#include "data/generator/title_table.h"

#include <array>
#include <charconv>

#include "absl/strings/str_split.h"

#include "data/absl_strings.h"
#include "data/embedded_files.h"
#include "data/status_macros.h"

namespace padan::gen {
namespace {

// Enough for the table's ~20 rows; draws filter by person, so a fixed-size buffer suffices.
constexpr size_t kMaxTitles = 64;

absl::Status BadRow(int line, std::string_view why) {
  return absl::InvalidArgumentError(StrCat("titles.csv line ", line, ": ", why));
}

}  // namespace

absl::StatusOr<std::unique_ptr<TitleTable>> TitleTable::LoadEmbedded() {
  PADAN_ASSIGN_OR_RETURN(std::string_view csv, EmbeddedFile("names/titles.csv"));
  return FromCsv(csv);
}

absl::StatusOr<std::unique_ptr<TitleTable>> TitleTable::FromCsv(std::string_view csv) {
  std::unique_ptr<TitleTable> table(new TitleTable());
  int line_number = 0;
  for (absl::string_view raw : absl::StrSplit(ToAbsl(csv), '\n')) {
    ++line_number;
    std::string_view line = FromAbsl(raw);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_number == 1 || line.empty()) continue;
    std::vector<std::string_view> f;
    for (absl::string_view field : absl::StrSplit(ToAbsl(line), ',')) f.push_back(FromAbsl(field));
    if (f.size() != 6) return BadRow(line_number, "expected 6 fields");
    Title title;
    title.text = std::string(f[0]);
    if (title.text.empty()) return BadRow(line_number, "empty title");
    if (f[1] != "prefix" && f[1] != "suffix") {
      return BadRow(line_number, "position must be prefix or suffix");
    }
    title.prefix = f[1] == "prefix";
    if (f[2] == "L") {
      title.sex = Sex::kLakiLaki;
    } else if (f[2] == "P") {
      title.sex = Sex::kPerempuan;
    } else if (f[2] != "U") {
      return BadRow(line_number, "gender must be L, P or U");
    }
    auto [p1, e1] = std::from_chars(f[3].data(), f[3].data() + f[3].size(), title.min_age);
    auto [p2, e2] = std::from_chars(f[5].data(), f[5].data() + f[5].size(), title.weight);
    if (e1 != std::errc() || e2 != std::errc() || !(title.weight > 0)) {
      return BadRow(line_number, "min_age and weight must be numbers, weight > 0");
    }
    if (f[4] == "islam") {
      title.islam_only = true;
    } else if (f[4] == "kristen") {
      title.kristen_only = true;
    } else if (!f[4].empty()) {
      return BadRow(line_number, "religion must be islam, kristen or empty");
    }
    table->titles_.push_back(std::move(title));
  }
  if (table->titles_.size() > kMaxTitles) {
    return absl::InvalidArgumentError(StrCat("titles.csv has more than ", kMaxTitles, " rows"));
  }
  return table;
}

uint8_t TitleTable::Draw(Sex sex, int age, Religion religion, Rng& rng) const {
  std::array<double, kMaxTitles> weights{};
  bool any = false;
  for (size_t i = 0; i < titles_.size(); ++i) {
    const Title& t = titles_[i];
    bool fits = (t.sex == Sex::kUnknown || t.sex == sex) && age >= t.min_age &&
                (!t.islam_only || religion == Religion::kIslam) &&
                (!t.kristen_only || religion == Religion::kKristen);
    weights[i] = fits ? t.weight : 0.0;
    any = any || fits;
  }
  if (!any) return kNone;
  return static_cast<uint8_t>(
      rng.Weighted(std::span<const double>(weights.data(), titles_.size())) + 1);
}

}  // namespace padan::gen
