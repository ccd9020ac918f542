#include "matching/address_normalizer.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/container/flat_hash_set.h"

#include "data/absl_strings.h"
#include "data/embedded_files.h"
#include "data/internal/reference_csv.h"
#include "data/status_macros.h"
#include "matching/unicode_fold.h"

namespace padan {
namespace {

using Token = NormalizedAddress::Scratch::Token;

constexpr std::string_view kAbbreviationsFile = "wilayah/address_abbreviations.csv";

// The canonical words the parser looks for; the table leads every written form to them.
constexpr std::string_view kRt = "rt";
constexpr std::string_view kRw = "rw";
constexpr std::string_view kNomor = "nomor";
constexpr std::string_view kKavling = "kavling";
constexpr std::string_view kBlok = "blok";
// Words that start a street, after which a lone final number is the house number.
constexpr std::array<std::string_view, 3> kStreets = {"jalan", "gang", "lorong"};
// Words after which a number is a distance, not a house number ("Jl. Raya Km 12").
constexpr std::array<std::string_view, 2> kDistances = {"km", "kilometer"};

// RT and RW are numbered within a desa and a RW; nowhere do they reach four digits.
constexpr int kMaxRtRw = 999;
// A blok letter part is one to three letters ("C", "AA", "BLK" is a keyword already).
constexpr size_t kMaxBlokLetters = 3;
// Letters written against a house number: "12a", "12ab".
constexpr size_t kMaxNumberSuffix = 2;
// Roman numerals of dusun, gang and lingkungan numbers: i … xxxix.
constexpr int kMaxRoman = 39;

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsWordText(std::string_view s) {
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

std::string_view StripZeros(std::string_view digits) {
  size_t i = 0;
  while (i + 1 < digits.size() && digits[i] == '0') ++i;
  return digits.substr(i);
}

// The value of a run of digits, or -1 above kMaxRtRw.
int SmallValue(std::string_view digits) {
  digits = StripZeros(digits);
  if (digits.size() > 3) return -1;
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value <= kMaxRtRw ? value : -1;
}

// The value of a Roman numeral written with i, v, x in canonical form, or 0.
int RomanValue(std::string_view word) {
  if (word.empty() || word.size() > 6) return 0;
  int value = 0;
  for (size_t i = 0; i < word.size(); ++i) {
    auto digit = [](char c) { return c == 'i' ? 1 : c == 'v' ? 5 : c == 'x' ? 10 : 0; };
    const int d = digit(word[i]);
    if (d == 0) return 0;
    const int next = i + 1 < word.size() ? digit(word[i + 1]) : 0;
    value += d < next ? -d : d;
  }
  if (value <= 0 || value > kMaxRoman) return 0;
  // Only the canonical spelling counts, so that words such as "vix" or "iiii" stay words.
  static constexpr std::array<std::string_view, 10> kOnes = {"",  "i",  "ii",  "iii",  "iv",
                                                             "v", "vi", "vii", "viii", "ix"};
  std::string canonical(static_cast<size_t>(value / 10), 'x');
  canonical.append(kOnes[static_cast<size_t>(value % 10)]);
  return canonical == word ? value : 0;
}

bool IsWord(const Token& t, std::string_view word) { return !t.number && t.text == word; }

template <size_t N>
bool IsOneOf(const Token& t, const std::array<std::string_view, N>& words) {
  return !t.number && std::find(words.begin(), words.end(), t.text) != words.end();
}

void PutToken(std::string_view text, std::vector<std::string>* v, size_t* count) {
  if (*count < v->size()) {
    (*v)[*count].assign(text);
  } else {
    v->emplace_back(text);
  }
  ++*count;
}

bool IsAllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit);
}

}  // namespace

absl::StatusOr<std::unique_ptr<AddressNormalizer>> AddressNormalizer::LoadEmbedded() {
  PADAN_ASSIGN_OR_RETURN(std::string_view csv, EmbeddedFile(kAbbreviationsFile));
  return FromCsv(csv);
}

absl::StatusOr<std::unique_ptr<AddressNormalizer>> AddressNormalizer::FromCsv(
    std::string_view abbreviations_csv) {
  std::unique_ptr<AddressNormalizer> n(new AddressNormalizer());
  internal::ReferenceCsvReader reader(abbreviations_csv, kAbbreviationsFile);
  PADAN_RETURN_IF_ERROR(reader.ReadHeader({"token", "replacement", "action"}));
  std::vector<std::pair<std::string_view, int64_t>> replacements;
  while (reader.Next()) {
    PADAN_RETURN_IF_ERROR(reader.ExpectFieldCount(3));
    const std::string_view token = reader.field(0);
    const std::string_view replacement = reader.field(1);
    const std::string_view action = reader.field(2);
    if (!IsWordText(token) || std::count(token.begin(), token.end(), ' ') > 1) {
      return reader.Error(StrCat("token '", token, "' is not one or two lower-case a-z words"));
    }
    if (action == "replace") {
      if (!IsWordText(replacement) || replacement == token) {
        return reader.Error("a replace row needs a different replacement of lower-case a-z words");
      }
    } else if (action == "drop") {
      if (!replacement.empty()) return reader.Error("a drop row has no replacement");
    } else {
      return reader.Error(StrCat("action '", action, "' is not replace or drop"));
    }
    n->text_.emplace_back(token);
    const std::string_view key = n->text_.back();
    n->text_.emplace_back(replacement);
    const std::string_view value = n->text_.back();
    if (!n->replacements_.emplace(key, value).second) {
      return reader.Error(StrCat("duplicate token '", token, "'"));
    }
    replacements.emplace_back(value, reader.line());
  }
  PADAN_RETURN_IF_ERROR(reader.status());
  // One pass must reach the canonical word: a replacement that is replaced again means the
  // table points two ways (the source's jalan → jl next to jln → jl).
  for (const auto& [value, line] : replacements) {
    size_t start = 0;
    while (start < value.size()) {
      const size_t space = std::min(value.find(' ', start), value.size());
      const std::string_view word = value.substr(start, space - start);
      if (n->replacements_.contains(word)) {
        return internal::ReferenceError(kAbbreviationsFile, line,
                                        StrCat("replacement word '", word, "' is itself replaced"));
      }
      start = space + 1;
    }
  }
  return n;
}

void AddressNormalizer::Tokenize(std::string_view source, NormalizedAddress* out) const {
  std::vector<Token>& tokens = out->scratch.raw;
  tokens.clear();
  enum class Class { kNone, kLetter, kDigit };
  Class current = Class::kNone;
  size_t start = 0;
  char separator = ' ';
  bool glued = false;
  auto close = [&](size_t end) {
    if (current == Class::kNone) return;
    tokens.push_back({source.substr(start, end - start), current == Class::kDigit, glued,
                      glued ? '\0' : separator});
    current = Class::kNone;
    separator = ' ';
  };
  for (size_t i = 0; i < source.size(); ++i) {
    const char c = source[i];
    Class cls = Class::kNone;
    if (IsLower(c) || static_cast<unsigned char>(c) >= 0x80) {
      cls = Class::kLetter;
    } else if (IsDigit(c)) {
      cls = Class::kDigit;
    }
    if (cls == Class::kNone) {
      close(i);
      if (c == '/' || c == '-') separator = c;
      continue;
    }
    if (cls == current) continue;
    const bool switching = current != Class::kNone;
    close(i);
    if (tokens.size() == kMaxTokens) {
      out->truncated = true;
      return;
    }
    glued = switching;
    current = cls;
    start = i;
  }
  close(source.size());
}

void AddressNormalizer::Expand(NormalizedAddress* out) const {
  NormalizedAddress::Scratch& s = out->scratch;
  s.expanded.clear();
  auto emit = [&s](std::string_view words, const Token& first) {
    size_t start = 0;
    bool is_first = true;
    while (start < words.size()) {
      const size_t space = std::min(words.find(' ', start), words.size());
      Token t;
      t.text = words.substr(start, space - start);
      t.glued = is_first && first.glued;
      t.separator = is_first ? first.separator : ' ';
      s.expanded.push_back(t);
      is_first = false;
      start = space + 1;
    }
  };
  const std::vector<Token>& raw = s.raw;
  for (size_t i = 0; i < raw.size(); ++i) {
    const Token& t = raw[i];
    if (t.number) {
      s.expanded.push_back(t);
      continue;
    }
    if (i + 1 < raw.size() && !raw[i + 1].number && !raw[i + 1].glued) {
      s.key.assign(t.text);
      s.key.push_back(' ');
      s.key.append(raw[i + 1].text);
      if (auto it = replacements_.find(s.key); it != replacements_.end()) {
        emit(it->second, t);
        ++i;
        continue;
      }
    }
    if (auto it = replacements_.find(t.text); it != replacements_.end()) {
      emit(it->second, t);
    } else {
      s.expanded.push_back(t);
    }
  }
}

void AddressNormalizer::Parse(NormalizedAddress* out) const {
  const std::vector<Token>& t = out->scratch.expanded;
  const size_t n = t.size();
  auto number_at = [&](size_t i) { return i < n && t[i].number; };
  auto word_at = [&](size_t i, std::string_view w) { return i < n && IsWord(t[i], w); };
  auto short_word_at = [&](size_t i, size_t max) {
    return i < n && !t[i].number && t[i].text.size() <= max && IsLower(t[i].text[0]);
  };
  bool have_rt = false;
  bool have_rw = false;
  auto set_rt = [&](const Token& v) {
    if (!have_rt) out->rt = std::max(SmallValue(v.text), 0);
    have_rt = true;
  };
  auto set_rw = [&](const Token& v) {
    if (!have_rw) out->rw = std::max(SmallValue(v.text), 0);
    have_rw = true;
  };
  // Reads a house number from token i: digits (or a short word glued to digits: "a12"),
  // letters written against them ("12a"), and "/digits" or "-digits" ("12/3", "Kav. 52-53").
  // Only the first house number written is kept. Returns the index after it.
  std::string discarded;
  auto take_number = [&](size_t i, std::string* value) {
    std::string* dst = value->empty() ? value : &discarded;
    dst->clear();
    if (!t[i].number) dst->append(t[i++].text);
    dst->append(StripZeros(t[i++].text));
    if (i < n && t[i].glued && short_word_at(i, kMaxNumberSuffix)) dst->append(t[i++].text);
    if (number_at(i) && (t[i].separator == '/' || t[i].separator == '-')) {  // 12/3, 52-53
      dst->push_back(t[i].separator);
      dst->append(StripZeros(t[i++].text));
    }
    return i;
  };
  auto number_follows = [&](size_t i) {
    return number_at(i) ||
           (short_word_at(i, kMaxNumberSuffix) && number_at(i + 1) && t[i + 1].glued);
  };

  size_t count = 0;
  // The index in out->tokens of the last number written in digits (not a Roman numeral).
  size_t last_digits = std::string::npos;
  std::string kavling;
  char roman[4];
  auto emit = [&](const Token& token) {
    if (token.number) {
      last_digits = count;
      PutToken(StripZeros(token.text), &out->tokens, &count);
    } else if (const int r = RomanValue(token.text); r > 0) {
      const int len = r >= 10 ? 2 : 1;
      roman[0] = static_cast<char>('0' + (len == 2 ? r / 10 : r));
      roman[1] = static_cast<char>('0' + r % 10);
      PutToken(std::string_view(roman, static_cast<size_t>(len)), &out->tokens, &count);
    } else {
      PutToken(token.text, &out->tokens, &count);
    }
  };

  size_t i = 0;
  while (i < n) {
    const Token& tok = t[i];
    if (IsWord(tok, kRt)) {
      if (word_at(i + 1, kRw)) {  // RT/RW 001/002, RT RW 01 02
        size_t j = i + 2;
        if (number_at(j)) {
          set_rt(t[j++]);
          if (number_at(j)) set_rw(t[j++]);
        }
        i = j;
      } else if (number_at(i + 1)) {  // RT 001 (RW 002 comes as its own word), RT 01/02
        set_rt(t[i + 1]);
        i += 2;
        if (number_at(i) && (t[i].separator == '/' || t[i].separator == '-')) set_rw(t[i++]);
      } else {
        ++i;  // a keyword without its number says nothing
      }
      continue;
    }
    if (IsWord(tok, kRw)) {
      if (number_at(i + 1)) {
        set_rw(t[i + 1]);
        i += 2;
      } else {
        ++i;
      }
      continue;
    }
    if (IsWord(tok, kNomor) || IsWord(tok, kKavling)) {
      if (number_follows(i + 1)) {
        i = take_number(i + 1, IsWord(tok, kNomor) ? &out->number : &kavling);
      } else {
        ++i;
      }
      continue;
    }
    if (IsWord(tok, kBlok)) {
      size_t j = i + 1;
      std::string* dst = out->blok.empty() ? &out->blok : &discarded;
      dst->clear();
      if (short_word_at(j, kMaxBlokLetters) && number_at(j + 1) &&
          (t[j + 1].glued || t[j + 1].separator == '-')) {  // Blok C2, Blok C-2
        dst->append(t[j].text);
        dst->append(StripZeros(t[j + 1].text));
        j += 2;
      } else if (number_at(j)) {  // Blok 5, Blok 5a
        dst->append(StripZeros(t[j++].text));
        if (j < n && t[j].glued && short_word_at(j, kMaxBlokLetters)) dst->append(t[j++].text);
      } else if (short_word_at(j, kMaxBlokLetters) && !word_at(j, kRt) && !word_at(j, kRw)) {
        dst->append(t[j++].text);  // Blok C
      } else {
        ++i;
        continue;
      }
      if (number_at(j) && t[j].separator == '/') j = take_number(j, &out->number);  // C2/5
      i = j;
      continue;
    }
    // "C2/5" without the word blok.
    if (out->blok.empty() && short_word_at(i, kMaxBlokLetters) && number_at(i + 1) &&
        t[i + 1].glued && number_at(i + 2) && t[i + 2].separator == '/') {
      out->blok.append(tok.text);
      out->blok.append(StripZeros(t[i + 1].text));
      i = take_number(i + 2, &out->number);
      continue;
    }
    // "003/005" after the street: RT/RW without the words.
    if (!have_rt && tok.number && tok.text.size() <= 3 && number_at(i + 1) &&
        t[i + 1].separator == '/' && t[i + 1].text.size() <= 3) {
      set_rt(tok);
      set_rw(t[i + 1]);
      i += 2;
      continue;
    }
    // "Gg. Mawar II/3": a house number after "/" that follows a word.
    if (!tok.number && number_at(i + 1) && t[i + 1].separator == '/') {
      emit(tok);
      i = take_number(i + 1, &out->number);
      continue;
    }
    emit(tok);
    ++i;
  }
  if (out->number.empty() && !kavling.empty()) out->number = kavling;
  // "Jl.Merdeka 12": a number that ends an address starting with a street, after at least one
  // word of the street's name.
  if (out->number.empty() && count >= 3 && last_digits == count - 1) {
    const std::string& before = out->tokens[count - 2];
    const bool street =
        std::find(kStreets.begin(), kStreets.end(), out->tokens[0]) != kStreets.end();
    const bool distance =
        std::find(kDistances.begin(), kDistances.end(), before) != kDistances.end();
    if (street && !distance && !IsAllDigits(before)) {
      out->number = out->tokens[count - 1];
      --count;
    }
  }
  out->tokens.resize(count);
}

void AddressNormalizer::Normalize(std::string_view raw, NormalizedAddress* out) const {
  out->rt = 0;
  out->rw = 0;
  out->number.clear();
  out->blok.clear();
  out->truncated = false;
  if (raw.size() > kMaxInputBytes) {
    size_t cut = kMaxInputBytes;
    while (cut > 0 && (static_cast<unsigned char>(raw[cut]) & 0xC0) == 0x80) --cut;
    raw = raw.substr(0, cut);
    out->truncated = true;
  }
  NormalizedAddress::Scratch& s = out->scratch;
  s.folded.clear();
  AppendUnicodeFold(raw, &s.folded);
  // Apostrophes do not split a word (Jum'at); tokens are views, so they go before tokenising.
  s.folded.erase(std::remove_if(s.folded.begin(), s.folded.end(),
                                [](char c) { return c == '\'' || c == '`'; }),
                 s.folded.end());
  Tokenize(s.folded, out);
  Expand(out);
  Parse(out);
  out->canonical.clear();
  for (size_t i = 0; i < out->tokens.size(); ++i) {
    if (i > 0) out->canonical.push_back(' ');
    out->canonical.append(out->tokens[i]);
  }
}

NormalizedAddress AddressNormalizer::Normalize(std::string_view raw) const {
  NormalizedAddress out;
  Normalize(raw, &out);
  return out;
}

}  // namespace padan
