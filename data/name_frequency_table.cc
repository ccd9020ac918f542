#include "data/name_frequency_table.h"

#include <algorithm>
#include <array>

#include "absl/strings/ascii.h"

#include "data/absl_strings.h"
#include "data/embedded_files.h"
#include "data/internal/reference_csv.h"
#include "data/status_macros.h"

namespace padan {
namespace {

using internal::ParseDecimal;
using internal::ReferenceCsvReader;
using internal::ReferenceError;

constexpr std::string_view kEmbeddedPath = "names/name_tokens_gender_freq.csv";
// Find() folds upper-case queries up to this length on the stack; the longest token in the
// embedded table has 25 letters.
constexpr size_t kMaxFoldedToken = 64;

bool IsLowerAsciiWord(std::string_view token) {
  if (token.empty()) return false;
  for (char c : token) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

bool ParseCount(std::string_view text, uint32_t* value) {
  uint64_t parsed = 0;
  if (!ParseDecimal(text, &parsed) || parsed > UINT32_MAX) return false;
  *value = static_cast<uint32_t>(parsed);
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<NameFrequencyTable>> NameFrequencyTable::LoadEmbedded() {
  PADAN_ASSIGN_OR_RETURN(std::string_view csv, EmbeddedFile(kEmbeddedPath));
  return Load(csv, kEmbeddedPath, /*csv_is_static=*/true);
}

absl::StatusOr<std::unique_ptr<NameFrequencyTable>> NameFrequencyTable::FromCsv(
    std::string_view csv) {
  return Load(csv, "name frequency table", /*csv_is_static=*/false);
}

absl::StatusOr<std::unique_ptr<NameFrequencyTable>> NameFrequencyTable::Load(
    std::string_view csv, std::string_view source, bool csv_is_static) {
  std::unique_ptr<NameFrequencyTable> table(new NameFrequencyTable());
  // Tokens are views into the text: the embedded bytes live as long as the process, other
  // text is copied once. A token is a-z only, so the reader never unescapes it elsewhere.
  std::string_view text = csv;
  if (!csv_is_static) {
    table->text_.assign(csv.data(), csv.size());
    text = table->text_;
  }
  ReferenceCsvReader reader(text, source);
  PADAN_RETURN_IF_ERROR(reader.ReadHeader({"token", "female_count", "male_count", "total"}));
  const size_t rows = static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  table->tokens_.reserve(rows);
  table->index_.reserve(rows);
  std::vector<uint32_t> lines;  // of tokens_[i], for the duplicate message
  lines.reserve(rows);
  while (reader.Next()) {
    PADAN_RETURN_IF_ERROR(reader.ExpectFieldCount(4));
    const std::string_view token = reader.field(0);
    if (!IsLowerAsciiWord(token)) {
      return reader.Error(StrCat("token '", token, "' is not a lower-case a-z word"));
    }
    NameTokenFrequency row{token, 0, 0};
    uint32_t total = 0;
    if (!ParseCount(reader.field(1), &row.female) || !ParseCount(reader.field(2), &row.male) ||
        !ParseCount(reader.field(3), &total)) {
      return reader.Error(
          StrCat("female_count, male_count and total must be whole numbers "
                 "below 2^32, found '",
                 reader.field(1), "', '", reader.field(2), "', '", reader.field(3), "'"));
    }
    if (static_cast<uint64_t>(row.female) + row.male != total) {
      return reader.Error(StrCat("total ", total, " is not female_count + male_count (", row.female,
                                 " + ", row.male, ")"));
    }
    const uint32_t index = static_cast<uint32_t>(table->tokens_.size());
    auto [it, inserted] = table->index_.emplace(token, index);
    if (!inserted) {
      return reader.Error(
          StrCat("duplicate token '", token, "' (also on line ", lines[it->second], ")"));
    }
    table->tokens_.push_back(row);
    lines.push_back(static_cast<uint32_t>(reader.line()));
    table->total_female_ += row.female;
    table->total_male_ += row.male;
  }
  PADAN_RETURN_IF_ERROR(reader.status());

  // Most frequent first, ties by token, so that draws by rank are reproducible. The embedded
  // file is already in this order.
  auto before = [](const NameTokenFrequency& a, const NameTokenFrequency& b) {
    if (a.total() != b.total()) return a.total() > b.total();
    return a.token < b.token;
  };
  std::vector<NameTokenFrequency>& tokens = table->tokens_;
  if (!std::is_sorted(tokens.begin(), tokens.end(), before)) {
    std::sort(tokens.begin(), tokens.end(), before);
    for (uint32_t i = 0; i < tokens.size(); ++i) table->index_[tokens[i].token] = i;
  }
  return table;
}

const NameTokenFrequency* NameFrequencyTable::Find(std::string_view token) const {
  std::array<char, kMaxFoldedToken> folded;
  bool has_upper = false;
  for (char c : token) has_upper = has_upper || absl::ascii_isupper(static_cast<unsigned char>(c));
  if (has_upper && token.size() <= folded.size()) {
    for (size_t i = 0; i < token.size(); ++i) {
      folded[i] = absl::ascii_tolower(static_cast<unsigned char>(token[i]));
    }
    token = std::string_view(folded.data(), token.size());
  }
  auto it = index_.find(token);
  return it == index_.end() ? nullptr : &tokens_[it->second];
}

size_t NameFrequencyTable::MemoryUsage() const {
  return text_.capacity() + tokens_.capacity() * sizeof(NameTokenFrequency) +
         index_.capacity() * (sizeof(decltype(index_)::value_type) + 1);
}

}  // namespace padan
