#include "matching/name_normalizer.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/container/flat_hash_set.h"

#include "data/absl_strings.h"
#include "data/embedded_files.h"
#include "data/internal/reference_csv.h"
#include "data/status_macros.h"
#include "data/utf8.h"
#include "matching/phonetic_key.h"
#include "matching/unicode_fold.h"

namespace padan {
namespace {

constexpr std::string_view kTokenNormalizationFile = "names/name_token_normalization.csv";
constexpr std::string_view kTitlePositionsFile = "names/title_positions.csv";
constexpr std::string_view kAbbreviationsFile = "names/name_abbreviations.csv";
constexpr std::string_view kLowInformationFile = "names/low_information_tokens.csv";
constexpr std::string_view kOldSpellingFile = "names/old_spelling.csv";

// Words that introduce the father's name. Grammar rather than vocabulary, so they live here and
// not in a table: bin (son of), binti and its short forms bt, bte, bint (daughter of). "B." is
// left out: in Indonesian registries a lone B is far more often an initial (Agus B. Santoso).
constexpr std::array<std::string_view, 5> kPatronymicMarkers = {"bin", "binti", "bt", "bte",
                                                                "bint"};

// The kinds of name_token_normalization.csv, by what the normaliser does with their rows.
constexpr std::array<std::string_view, 4> kTitleKinds = {"degree", "religious_title", "honorific",
                                                         "rank"};
constexpr std::array<std::string_view, 2> kExpansionKinds = {"abbreviation", "noble_title"};
// Organisation-name vocabulary (README: "apply them only to institution names").
constexpr std::array<std::string_view, 3> kIgnoredKinds = {"company", "role", "institution"};

// The kinds of low_information_tokens.csv.
constexpr std::array<std::string_view, 5> kLowInformationKinds = {
    "balinese_birth_order", "balinese_gender_prefix", "javanese_noble", "batak_gender_marker",
    "buton_muna_prefix"};

// Rewrites to a fixed point need at most one step per letter pushed plus one for the letter a
// two-letter result changes; anything beyond this bound would mean a cyclic table, which
// Create() rejects.
constexpr int kMaxFoldSteps = 4;
// Longest run-together degree looked up for a dotted spelling; the table's longest single-token
// degree ("sponkrad") has 8 letters.
constexpr size_t kMaxJoinedTitle = 32;

template <size_t N>
bool Contains(const std::array<std::string_view, N>& set, std::string_view value) {
  return std::find(set.begin(), set.end(), value) != set.end();
}

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

// Lower-case a-z words separated by single spaces.
bool IsTokenText(std::string_view s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ' ') {
      if (s[i - 1] == ' ') return false;
    } else if (!IsLower(s[i])) {
      return false;
    }
  }
  return true;
}

size_t CountTokens(std::string_view text) {
  return text.empty() ? 0 : 1 + static_cast<size_t>(std::count(text.begin(), text.end(), ' '));
}

// Sets (*v)[*count] to `text`, reusing the string already there, and advances *count.
void PutToken(std::string_view text, std::vector<std::string>* v, size_t* count) {
  if (*count < v->size()) {
    (*v)[*count].assign(text);
  } else {
    v->emplace_back(text);
  }
  ++*count;
}

// Appends each space-separated token of `text`.
void PutTokens(std::string_view text, std::vector<std::string>* v, size_t* count) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t space = text.find(' ', start);
    if (space == std::string_view::npos) space = text.size();
    if (space > start) PutToken(text.substr(start, space - start), v, count);
    start = space + 1;
  }
}

bool IsPatronymicMarker(std::string_view token) { return Contains(kPatronymicMarkers, token); }

// Abdul compounds written as one word ("Abdulhamid", "Abdurrahman", where the l of the Arabic
// article is assimilated to a following sun letter, written doubled or not) are split into
// "abdul" and the name, so that they meet "Abdul Hamid" and "Abdul Rahman". Compounds with
// Allah (Abdullah, Abdulloh) are one name and stay whole. Morphology rather than vocabulary,
// hence code.
constexpr std::string_view kAbdul = "abdul";
constexpr std::string_view kSunLetters = "tdrzsln";
// The name after abdul- must be a name, not a stray ending ("Abdulah" = Abdullah).
constexpr size_t kMinAbdulTail = 3;

// The name inside an Abdul compound, or empty when `token` is not one.
std::string_view AbdulCompoundTail(std::string_view token) {
  std::string_view tail;
  if (token.substr(0, kAbdul.size()) == kAbdul) {
    tail = token.substr(kAbdul.size());
    if (tail.substr(0, 3) == "lah" || tail.substr(0, 3) == "loh") return {};
  } else if (token.size() > 5 && token.substr(0, 4) == "abdu" &&
             kSunLetters.find(token[4]) != std::string_view::npos) {
    tail = token.substr(token[5] == token[4] ? 5 : 4);
  }
  return tail.size() >= kMinAbdulTail ? tail : std::string_view();
}

}  // namespace

std::vector<std::string_view> NormalizedName::InformativeTokens() const {
  std::vector<std::string_view> out;
  out.reserve(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (!is_low_information(i)) out.push_back(tokens[i]);
  }
  if (out.empty()) out.assign(tokens.begin(), tokens.end());
  return out;
}

// Reads the five tables into a NameNormalizer, checking every row.
class NameNormalizer::Builder {
 public:
  explicit Builder(NameNormalizer* n) : n_(*n) {}

  absl::Status LoadOldSpelling(std::string_view csv) {
    internal::ReferenceCsvReader reader(csv, kOldSpellingFile);
    PADAN_RETURN_IF_ERROR(reader.ReadHeader({"old", "modern", "example"}));
    std::vector<std::pair<std::string_view, int64_t>> results;
    while (reader.Next()) {
      PADAN_RETURN_IF_ERROR(reader.ExpectFieldCount(3));
      const std::string_view old = reader.field(0);
      const std::string_view modern = reader.field(1);
      if (old.size() != 2 || !IsLower(old[0]) || !IsLower(old[1])) {
        return reader.Error(StrCat("old spelling '", old, "' is not two letters a-z"));
      }
      if (modern.empty() || modern.size() > 2 || !IsTokenText(modern)) {
        return reader.Error(StrCat("modern spelling '", modern, "' is not one or two letters a-z"));
      }
      uint8_t& slot = n_.old_spelling_[old[0] - 'a'][old[1] - 'a'];
      if (slot != 0) return reader.Error(StrCat("duplicate rule for '", old, "'"));
      n_.old_spelling_result_.emplace_back(modern);
      slot = static_cast<uint8_t>(n_.old_spelling_result_.size());
      results.emplace_back(modern, reader.line());
    }
    PADAN_RETURN_IF_ERROR(reader.status());
    // A result that holds a rule again would make the fold depend on the order of rewriting.
    for (const auto& [modern, line] : results) {
      if (modern.size() == 2 && n_.old_spelling_[modern[0] - 'a'][modern[1] - 'a'] != 0) {
        return internal::ReferenceError(
            kOldSpellingFile, line,
            StrCat("modern spelling '", modern, "' is itself an old spelling"));
      }
    }
    return absl::OkStatus();
  }

  absl::Status LoadTitlePositions(std::string_view csv) {
    internal::ReferenceCsvReader reader(csv, kTitlePositionsFile);
    PADAN_RETURN_IF_ERROR(reader.ReadHeader({"kind", "token", "position", "deceased"}));
    while (reader.Next()) {
      PADAN_RETURN_IF_ERROR(reader.ExpectFieldCount(4));
      const std::string_view kind = reader.field(0);
      const std::string_view token = reader.field(1);
      const std::string_view position = reader.field(2);
      const std::string_view deceased = reader.field(3);
      if (!Contains(kTitleKinds, kind)) {
        return reader.Error(
            StrCat("kind '", kind, "' is not one of degree, religious_title, honorific, rank"));
      }
      Position p;
      p.line = reader.line();
      if (position == "prefix") {
        p.place = Entry::kPrefix;
      } else if (position == "suffix") {
        p.place = Entry::kSuffix;
      } else if (position == "any") {
        p.place = Entry::kAnywhere;
      } else {
        return reader.Error(StrCat("position '", position, "' is not prefix, suffix or any"));
      }
      if (deceased != "" && deceased != "yes") {
        return reader.Error(StrCat("deceased '", deceased, "' is not yes or empty"));
      }
      p.deceased = deceased == "yes";
      if (token.empty()) {
        if (p.deceased) return reader.Error("deceased is only for a token row");
        if (!kind_default_.emplace(std::string(kind), p).second) {
          return reader.Error(StrCat("duplicate default position for kind ", kind));
        }
        continue;
      }
      if (!IsTokenText(token)) {
        return reader.Error(StrCat("token '", token, "' is not lower-case a-z words"));
      }
      if (!token_position_.emplace(StrCat(kind, ":", token), p).second) {
        return reader.Error(StrCat("duplicate row for ", kind, " '", token, "'"));
      }
    }
    PADAN_RETURN_IF_ERROR(reader.status());
    for (std::string_view kind : kTitleKinds) {
      if (!kind_default_.contains(std::string(kind))) {
        return internal::ReferenceError(kTitlePositionsFile, 1,
                                        StrCat("no default position for kind ", kind));
      }
    }
    return absl::OkStatus();
  }

  // REQUIRES: LoadOldSpelling() and LoadTitlePositions() succeeded.
  absl::Status LoadTokenNormalization(std::string_view csv) {
    internal::ReferenceCsvReader reader(csv, kTokenNormalizationFile);
    PADAN_RETURN_IF_ERROR(reader.ReadHeader({"token", "replacement", "action", "kind"}));
    absl::flat_hash_set<std::string> used_positions;
    while (reader.Next()) {
      PADAN_RETURN_IF_ERROR(reader.ExpectFieldCount(4));
      const std::string_view token = reader.field(0);
      const std::string_view replacement = reader.field(1);
      const std::string_view action = reader.field(2);
      const std::string_view kind = reader.field(3);
      if (!IsTokenText(token)) {
        return reader.Error(StrCat("token '", token, "' is not lower-case a-z words"));
      }
      if (action != "drop" && action != "replace" && action != "keep") {
        return reader.Error(StrCat("action '", action, "' is not drop, replace or keep"));
      }
      if ((action == "replace") == replacement.empty() ||
          (!replacement.empty() && !IsTokenText(replacement))) {
        return reader.Error(
            "a replace row needs a replacement of lower-case a-z words, and "
            "only a replace row has one");
      }
      const Origin origin{kTokenNormalizationFile, reader.line()};
      if (Contains(kIgnoredKinds, kind)) continue;
      if (Contains(kTitleKinds, kind)) {
        if (action == "keep") return reader.Error("a title is dropped or replaced, not kept");
        Position p = kind_default_.at(std::string(kind));
        const std::string position_key = StrCat(kind, ":", token);
        if (auto it = token_position_.find(position_key); it != token_position_.end()) {
          p = it->second;
          used_positions.insert(position_key);
        }
        Entry title;
        title.title_place = p.place;
        title.title_is_degree = kind == "degree";
        title.deceased = p.deceased;
        if (!replacement.empty()) title.title_replacement = Own(Fold(replacement));
        PADAN_RETURN_IF_ERROR(SetTitle(Fold(token), title, origin));
      } else if (Contains(kExpansionKinds, kind)) {
        if (action == "drop") {
          return reader.Error(StrCat("kind ", kind, " is replaced or kept, not dropped"));
        }
        if (action == "keep") {
          PADAN_RETURN_IF_ERROR(SetLowInformation(Fold(token), origin));
        } else {
          PADAN_RETURN_IF_ERROR(
              SetExpansion(Fold(token), Fold(replacement), /*first_only=*/false, origin));
        }
      } else {
        return reader.Error(StrCat("unknown kind '", kind, "'"));
      }
    }
    PADAN_RETURN_IF_ERROR(reader.status());
    for (const auto& [key, position] : token_position_) {
      if (!used_positions.contains(key)) {
        return internal::ReferenceError(
            kTitlePositionsFile, position.line,
            StrCat("'", key, "' is not a title of that kind in ", kTokenNormalizationFile));
      }
    }
    return absl::OkStatus();
  }

  absl::Status LoadAbbreviations(std::string_view csv) {
    internal::ReferenceCsvReader reader(csv, kAbbreviationsFile);
    PADAN_RETURN_IF_ERROR(reader.ReadHeader({"token", "replacement", "position"}));
    while (reader.Next()) {
      PADAN_RETURN_IF_ERROR(reader.ExpectFieldCount(3));
      const std::string_view token = reader.field(0);
      const std::string_view replacement = reader.field(1);
      const std::string_view position = reader.field(2);
      if (!IsTokenText(token) || !IsTokenText(replacement)) {
        return reader.Error("token and replacement must be lower-case a-z words");
      }
      if (position != "first" && position != "any") {
        return reader.Error(StrCat("position '", position, "' is not first or any"));
      }
      PADAN_RETURN_IF_ERROR(SetExpansion(Fold(token), Fold(replacement), position == "first",
                                         {kAbbreviationsFile, reader.line()}));
    }
    return reader.status();
  }

  absl::Status LoadLowInformation(std::string_view csv) {
    internal::ReferenceCsvReader reader(csv, kLowInformationFile);
    PADAN_RETURN_IF_ERROR(reader.ReadHeader({"token", "kind"}));
    absl::flat_hash_set<std::string> seen;
    while (reader.Next()) {
      PADAN_RETURN_IF_ERROR(reader.ExpectFieldCount(2));
      const std::string_view token = reader.field(0);
      const std::string_view kind = reader.field(1);
      if (!IsTokenText(token)) {
        return reader.Error(StrCat("token '", token, "' is not lower-case a-z words"));
      }
      if (!Contains(kLowInformationKinds, kind)) {
        return reader.Error(StrCat("unknown kind '", kind, "'"));
      }
      if (!seen.insert(std::string(token)).second) {
        return reader.Error(StrCat("duplicate token '", token, "'"));
      }
      PADAN_RETURN_IF_ERROR(SetLowInformation(Fold(token), {kLowInformationFile, reader.line()}));
    }
    return reader.status();
  }

  // Checks the rules against each other and indexes the multi-token keys.
  absl::Status Finish() {
    std::vector<std::pair<std::string_view, uint8_t>> from_here;  // first token, key length
    std::vector<std::pair<std::string_view, uint8_t>> to_here;    // last token, key length
    for (const auto& [key, entry] : n_.entries_) {
      const size_t tokens = CountTokens(key);
      if (tokens > 255) return absl::InvalidArgumentError(StrCat("key too long: ", key));
      const auto length = static_cast<uint8_t>(tokens);
      if ((entry.title_place & Entry::kPrefix) != 0 || entry.low_information) {
        from_here.emplace_back(key.substr(0, key.find(' ')), length);
      }
      if ((entry.title_place & Entry::kSuffix) != 0) {
        to_here.emplace_back(key.substr(key.rfind(' ') + 1), length);
      }
      // Expanding once must give the canonical form, or normalising is not idempotent.
      for (std::string_view result : {entry.expansion, entry.title_replacement}) {
        size_t start = 0;
        while (start < result.size()) {
          size_t space = std::min(result.find(' ', start), result.size());
          const std::string_view token = result.substr(start, space - start);
          if (const Entry* e = n_.Find(token); e != nullptr && !e->expansion.empty()) {
            const std::string message =
                StrCat("'", key, "' expands to '", token, "', which is expanded again to '",
                       e->expansion, "'");
            return Conflict(origins_.at(std::string(key)), message);
          }
          start = space + 1;
        }
      }
    }
    for (const auto& [token, length] : from_here) {
      Entry& e = At(std::string(token));
      e.longest_from_here = std::max(e.longest_from_here, length);
    }
    for (const auto& [token, length] : to_here) {
      Entry& e = At(std::string(token));
      e.longest_to_here = std::max(e.longest_to_here, length);
    }
    return absl::OkStatus();
  }

 private:
  struct Position {
    uint8_t place = Entry::kNowhere;
    bool deceased = false;
    int64_t line = 0;
  };
  struct Origin {
    std::string_view file;
    int64_t line = 0;
  };

  // A table key or replacement in the normaliser's spelling: old spellings folded per token.
  std::string Fold(std::string_view text) const {
    std::string out;
    size_t token_start = 0;
    for (char c : text) {
      if (c == ' ') {
        out.push_back(' ');
        token_start = out.size();
        continue;
      }
      out.push_back(c);
      n_.FoldTail(&out, token_start);
    }
    return out;
  }

  std::string_view Own(std::string text) {
    n_.text_.push_back(std::move(text));
    return n_.text_.back();
  }

  Entry& At(std::string key) {
    if (auto it = n_.entries_.find(key); it != n_.entries_.end()) return it->second;
    return n_.entries_[Own(std::move(key))];
  }

  absl::Status Conflict(const Origin& origin, std::string_view message) const {
    return internal::ReferenceError(origin.file, origin.line, message);
  }

  // Records where `key` was first given a meaning, and fails when a second row gives the same
  // role a different meaning (two spellings that fold to one key, or a duplicate).
  absl::Status Claim(const std::string& key, std::string_view role, bool same,
                     const Origin& origin) {
    const std::string claim = StrCat(role, ":", key);
    auto [it, inserted] = claims_.emplace(claim, origin);
    if (!inserted && !same) {
      return Conflict(origin, StrCat("'", key, "' already has another ", role, " (",
                                     it->second.file, " line ", it->second.line, ")"));
    }
    origins_.emplace(key, origin);
    return absl::OkStatus();
  }

  absl::Status SetTitle(std::string key, const Entry& title, const Origin& origin) {
    Entry& e = At(key);
    const bool same = e.title_place == title.title_place &&
                      e.title_is_degree == title.title_is_degree && e.deceased == title.deceased &&
                      e.title_replacement == title.title_replacement;
    PADAN_RETURN_IF_ERROR(Claim(key, "title", same, origin));
    e.title_place = title.title_place;
    e.title_is_degree = title.title_is_degree;
    e.deceased = title.deceased;
    e.title_replacement = title.title_replacement;
    return absl::OkStatus();
  }

  absl::Status SetExpansion(std::string key, std::string replacement, bool first_only,
                            const Origin& origin) {
    // Rows such as abdoel → abdul only spell out the old-spelling fold.
    if (key == replacement) return absl::OkStatus();
    if (key.find(' ') != std::string::npos) {
      return Conflict(origin, StrCat("'", key, "': only titles may span several tokens"));
    }
    // A single letter is an initial anywhere but first (README, "Review").
    first_only = first_only || key.size() == 1;
    Entry& e = At(key);
    const bool same = e.expansion == replacement && e.expansion_first_only == first_only;
    PADAN_RETURN_IF_ERROR(Claim(key, "expansion", same, origin));
    e.expansion = Own(std::move(replacement));
    e.expansion_first_only = first_only;
    return absl::OkStatus();
  }

  absl::Status SetLowInformation(std::string key, const Origin& origin) {
    Entry& e = At(key);
    origins_.emplace(key, origin);
    e.low_information = true;
    return absl::OkStatus();
  }

  NameNormalizer& n_;
  absl::flat_hash_map<std::string, Position> kind_default_;
  absl::flat_hash_map<std::string, Position> token_position_;  // "kind:token"
  absl::flat_hash_map<std::string, Origin> claims_;            // "role:key"
  absl::flat_hash_map<std::string, Origin> origins_;           // key → first row
};

absl::StatusOr<std::unique_ptr<NameNormalizer>> NameNormalizer::LoadEmbedded() {
  Tables tables;
  PADAN_ASSIGN_OR_RETURN(tables.token_normalization, EmbeddedFile(kTokenNormalizationFile));
  PADAN_ASSIGN_OR_RETURN(tables.title_positions, EmbeddedFile(kTitlePositionsFile));
  PADAN_ASSIGN_OR_RETURN(tables.abbreviations, EmbeddedFile(kAbbreviationsFile));
  PADAN_ASSIGN_OR_RETURN(tables.low_information, EmbeddedFile(kLowInformationFile));
  PADAN_ASSIGN_OR_RETURN(tables.old_spelling, EmbeddedFile(kOldSpellingFile));
  return Create(tables);
}

absl::StatusOr<std::unique_ptr<NameNormalizer>> NameNormalizer::Create(const Tables& tables) {
  std::unique_ptr<NameNormalizer> n(new NameNormalizer());
  Builder builder(n.get());
  PADAN_RETURN_IF_ERROR(builder.LoadOldSpelling(tables.old_spelling));
  PADAN_RETURN_IF_ERROR(builder.LoadTitlePositions(tables.title_positions));
  PADAN_RETURN_IF_ERROR(builder.LoadTokenNormalization(tables.token_normalization));
  PADAN_RETURN_IF_ERROR(builder.LoadAbbreviations(tables.abbreviations));
  PADAN_RETURN_IF_ERROR(builder.LoadLowInformation(tables.low_information));
  PADAN_RETURN_IF_ERROR(builder.Finish());
  return n;
}

std::string_view NameNormalizer::SplitAbdulCompound(std::string_view token) const {
  const std::string_view tail = AbdulCompoundTail(token);
  if (tail.empty()) return tail;
  // A tail that is a title would be stripped when the canonical form is normalised again.
  const Entry* e = Find(tail);
  return e != nullptr && e->title_place != Entry::kNowhere ? std::string_view() : tail;
}

const NameNormalizer::Entry* NameNormalizer::Find(std::string_view key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

void NameNormalizer::FoldTail(std::string* text, size_t token_start) const {
  std::string& t = *text;
  auto rule = [this](char a, char b) -> int {
    if (!IsLower(a) || !IsLower(b)) return 0;
    return old_spelling_[a - 'a'][b - 'a'];
  };
  // The text before the last letter is already a fixed point, so only the pair the new letter
  // ends, or the pair a two-letter result starts, can hold a rule.
  for (int step = 0; step < kMaxFoldSteps; ++step) {
    const size_t n = t.size();
    if (n - token_start >= 2) {
      if (int r = rule(t[n - 2], t[n - 1]); r != 0) {
        t.replace(n - 2, 2, old_spelling_result_[r - 1]);
        continue;
      }
    }
    if (n - token_start >= 3) {
      if (int r = rule(t[n - 3], t[n - 2]); r != 0) {
        t.replace(n - 3, 2, old_spelling_result_[r - 1]);
        continue;
      }
    }
    break;
  }
}

void NameNormalizer::Tokenize(std::string_view source, bool lower_case, NormalizedName* out) const {
  NormalizedName::Scratch& s = out->scratch;
  s.text.clear();
  s.starts.clear();
  s.ends.clear();
  bool in_token = false;
  size_t token_start = 0;
  for (char c : source) {
    if (lower_case && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool letter = IsLower(c) || static_cast<unsigned char>(c) >= 0x80;
    if (letter) {
      if (!in_token) {
        if (s.starts.size() == kMaxTokens) {
          out->truncated = true;
          break;
        }
        if (!s.text.empty()) s.text.push_back(' ');
        token_start = s.text.size();
        s.starts.push_back(static_cast<uint32_t>(token_start));
        in_token = true;
      }
      s.text.push_back(c);
      if (IsLower(c)) FoldTail(&s.text, token_start);
    } else if (c == '\'' || c == '`' || (c >= '0' && c <= '9')) {
      // Apostrophes join (Ma'ruf); digits are dropped without splitting the word.
    } else if (in_token) {
      s.ends.push_back(static_cast<uint32_t>(s.text.size()));
      in_token = false;
    }
  }
  if (in_token) s.ends.push_back(static_cast<uint32_t>(s.text.size()));
}

std::string_view NameNormalizer::StripTitles(const NormalizedName::Scratch& s, uint32_t* begin,
                                             uint32_t* end, bool is_person,
                                             NormalizedName* out) const {
  auto span = [&s](uint32_t first, uint32_t last) {  // tokens [first, last)
    return std::string_view(s.text).substr(s.starts[first], s.ends[last - 1] - s.starts[first]);
  };
  std::string_view leading;
  // From the front, keeping at least one token.
  while (*end - *begin >= 2) {
    const Entry* first = Find(span(*begin, *begin + 1));
    if (first == nullptr || first->longest_from_here == 0) break;
    const uint32_t longest = std::min<uint32_t>(first->longest_from_here, *end - *begin - 1);
    const Entry* match = nullptr;
    uint32_t length = longest;
    for (; length >= 1; --length) {
      const Entry* e = length == 1 ? first : Find(span(*begin, *begin + length));
      if (e != nullptr && (e->title_place & Entry::kPrefix) != 0) {
        match = e;
        break;
      }
    }
    if (match == nullptr) break;
    if (is_person) {
      out->titles.emplace_back(span(*begin, *begin + length));
      out->deceased_marker = out->deceased_marker || match->deceased;
    }
    *begin += length;
    if (!match->title_replacement.empty()) {
      // The replacement is the first name token; what follows is no longer at the front.
      leading = match->title_replacement;
      break;
    }
  }
  // From the end, keeping at least one token (the leading replacement counts).
  const uint32_t keep = leading.empty() ? 1 : 0;
  NormalizedName::Scratch& mutable_scratch = out->scratch;
  mutable_scratch.end_titles.clear();
  char joined[kMaxJoinedTitle];
  while (*end - *begin > keep) {
    const Entry* last = Find(span(*end - 1, *end));
    const Entry* match = nullptr;
    uint32_t length = 0;
    std::string_view text;
    if (last != nullptr && last->longest_to_here > 0) {
      for (length = std::min<uint32_t>(last->longest_to_here, *end - *begin - keep); length >= 1;
           --length) {
        const Entry* e = length == 1 ? last : Find(span(*end - length, *end));
        if (e != nullptr && (e->title_place & Entry::kSuffix) != 0) {
          match = e;
          text = span(*end - length, *end);
          break;
        }
      }
    }
    // A degree the table lists only run together ("spkg") written with a dot inside ("Sp.KG"),
    // when the first part is not a single letter (which would be an initial).
    if (match == nullptr && *end - *begin >= 2 + keep) {
      const std::string_view a = span(*end - 2, *end - 1);
      const std::string_view b = span(*end - 1, *end);
      if (a.size() >= 2 && a.size() + b.size() <= sizeof(joined)) {
        std::copy(a.begin(), a.end(), joined);
        std::copy(b.begin(), b.end(), joined + a.size());
        text = std::string_view(joined, a.size() + b.size());
        const Entry* e = Find(text);
        if (e != nullptr && (e->title_place & Entry::kSuffix) != 0) {
          match = e;
          length = 2;
        }
      }
    }
    if (match == nullptr) break;
    // After bin X, a degree is still the person's (Ahmad bin Umar, S.Pd.); an honorific such
    // as "alm." there is the father's.
    if (is_person || match->title_is_degree) {
      mutable_scratch.end_titles.emplace_back(text);
      if (is_person) out->deceased_marker = out->deceased_marker || match->deceased;
    }
    *end -= length;
  }
  // Stripped last-first; recorded in written order.
  const std::vector<std::string>& stripped = mutable_scratch.end_titles;
  for (auto it = stripped.rbegin(); it != stripped.rend(); ++it) out->titles.push_back(*it);
  return leading;
}

void NameNormalizer::Expand(const NormalizedName::Scratch& s, uint32_t begin, uint32_t end,
                            std::string_view leading, std::vector<std::string>* tokens,
                            size_t* count) const {
  const size_t part_tokens = (end - begin) + CountTokens(leading);
  PutTokens(leading, tokens, count);
  for (uint32_t i = begin; i < end; ++i) {
    const std::string_view token =
        std::string_view(s.text).substr(s.starts[i], s.ends[i] - s.starts[i]);
    const Entry* e = Find(token);
    const bool first = i == begin && leading.empty();
    if (e != nullptr && !e->expansion.empty() &&
        (!e->expansion_first_only || (first && part_tokens >= 2))) {
      PutTokens(e->expansion, tokens, count);
    } else if (!SplitAbdulCompound(token).empty()) {
      // Split all the way down (Abdulabdulrahman), so that the output is a fixed point.
      std::string_view tail = token;
      for (std::string_view next = SplitAbdulCompound(tail); !next.empty();
           next = SplitAbdulCompound(tail)) {
        PutToken(kAbdul, tokens, count);
        tail = next;
      }
      // The tail is a token of its own now, and may be an abbreviation (Abdulmoch).
      const Entry* t = Find(tail);
      if (t != nullptr && !t->expansion.empty() && !t->expansion_first_only) {
        PutTokens(t->expansion, tokens, count);
      } else {
        PutToken(tail, tokens, count);
      }
    } else {
      PutToken(token, tokens, count);
    }
  }
}

void NameNormalizer::MarkLowInformation(NormalizedName* out) const {
  const std::vector<std::string>& tokens = out->tokens;
  const std::string& canonical = out->canonical;
  // Token i starts at offsets[i] in canonical.
  uint32_t offsets[kMaxTokens + 1];
  const size_t n = std::min(tokens.size(), kMaxTokens);
  uint32_t offset = 0;
  for (size_t i = 0; i < n; ++i) {
    offsets[i] = offset;
    offset += static_cast<uint32_t>(tokens[i].size()) + 1;
  }
  offsets[n] = offset;
  size_t p = 0;
  while (p < n) {
    const Entry* first = Find(tokens[p]);
    size_t matched = 0;
    if (first != nullptr && first->longest_from_here > 0) {
      for (size_t length = std::min<size_t>(first->longest_from_here, n - p); length >= 1;
           --length) {
        const Entry* e = length == 1 ? first
                                     : Find(std::string_view(canonical).substr(
                                           offsets[p], offsets[p + length] - offsets[p] - 1));
        // A key starting with a single letter (I, R., R.A.) marks only the first token; a
        // letter elsewhere is an initial.
        if (e != nullptr && e->low_information && (p == 0 || tokens[p].size() > 1)) {
          matched = length;
          break;
        }
      }
    }
    for (size_t i = p; i < p + matched; ++i) out->low_information_mask |= uint32_t{1} << i;
    p += std::max<size_t>(matched, 1);
  }
}

void NameNormalizer::Normalize(std::string_view raw, NormalizedName* out) const {
  out->titles.clear();
  out->low_information_mask = 0;
  out->deceased_marker = false;
  out->truncated = false;
  if (raw.size() > kMaxInputBytes) {
    size_t cut = kMaxInputBytes;
    while (cut > 0 && (static_cast<unsigned char>(raw[cut]) & 0xC0) == 0x80) --cut;
    raw = raw.substr(0, cut);
    out->truncated = true;
  }
  NormalizedName::Scratch& s = out->scratch;
  if (IsAscii(raw)) {
    Tokenize(raw, /*lower_case=*/true, out);
  } else {
    s.folded.clear();
    AppendUnicodeFold(raw, &s.folded);
    Tokenize(s.folded, /*lower_case=*/false, out);
  }
  const auto n = static_cast<uint32_t>(s.starts.size());

  // The father's name follows the first marker that has a name before and after it; a marker
  // with nothing after it is a truncated entry and is dropped.
  uint32_t person_end = n;
  uint32_t father_begin = n;
  for (uint32_t i = 1; i < n; ++i) {
    if (IsPatronymicMarker(std::string_view(s.text).substr(s.starts[i], s.ends[i] - s.starts[i]))) {
      person_end = i;
      father_begin = i + 1;
      break;
    }
  }

  uint32_t begin = 0;
  uint32_t end = person_end;
  const std::string_view leading = StripTitles(s, &begin, &end, /*is_person=*/true, out);
  size_t count = 0;
  Expand(s, begin, end, leading, &out->tokens, &count);
  if (count > kMaxTokens) {  // expansions and compound splits can add tokens
    count = kMaxTokens;
    out->truncated = true;
  }
  out->tokens.resize(count);

  size_t father_count = 0;
  if (father_begin < n) {
    uint32_t father_first = father_begin;
    uint32_t father_end = n;
    const std::string_view father_leading =
        StripTitles(s, &father_first, &father_end, /*is_person=*/false, out);
    Expand(s, father_first, father_end, father_leading, &out->patronymic, &father_count);
  }
  out->patronymic.resize(father_count);

  out->canonical.clear();
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) out->canonical.push_back(' ');
    out->canonical.append(out->tokens[i]);
  }
  MarkLowInformation(out);
  out->phonetic_keys.resize(count);
  for (size_t i = 0; i < count; ++i) AppendPhoneticKey(out->tokens[i], &out->phonetic_keys[i]);
}

NormalizedName NameNormalizer::Normalize(std::string_view raw) const {
  NormalizedName out;
  Normalize(raw, &out);
  return out;
}

size_t NameNormalizer::MemoryUsage() const {
  size_t bytes = entries_.capacity() * (sizeof(std::string_view) + sizeof(Entry) + 1);
  for (const std::string& t : text_) bytes += sizeof(std::string) + t.capacity();
  for (const std::string& r : old_spelling_result_) bytes += sizeof(std::string) + r.capacity();
  return bytes;
}

}  // namespace padan
