#include "index/text_terms.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "data/absl_strings.h"
#include "data/field_error.h"
#include "matching/phonetic_key.h"
#include "matching/unicode_fold.h"

namespace padan {
namespace {

// Leads of Indonesian compound given names that registries write either joined or as two words
// (data/reference/names/name_customs.csv role `lead`, plus the number names Dwi, Tri, Eka that
// start compounds such as Dwiyanto / Dwi Yanto). Muhammad and Abdul are not here: the name
// normaliser already splits Abdul compounds, and Muhammad is not written joined.
constexpr std::array<std::string_view, 7> kCompoundLeads = {"nur", "nurul", "sri", "siti",
                                                            "dwi", "tri",   "eka"};

// See TextAnalyzer::NameEquivalents(). "Nurul" is "nur al" (light of the ...) and the two are
// written for one another ("Nurul Hidayah" / "Nur Hidayah"); Puteri and Putera are the older
// spellings of Putri and Putra. Phonetic keys keep each pair apart (the extra vowel).
constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kNameEquivalents = {{
    {"nur", "nurul"},
    {"putri", "puteri"},
    {"putra", "putera"},
}};

// Years outside this range are typing errors, not birth years.
constexpr int kMinBirthYear = 1850;
constexpr int kMaxBirthYear = 2150;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit);
}

bool AllLetters(std::string_view s) {
  // After folding, bytes >= 0x80 belong to letters or digits of other scripts (UnicodeFold's
  // contract); treat them as letters.
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80;
  });
}

void AddTerm(std::string_view prefix, std::string_view word, std::vector<std::string>* out) {
  if (word.empty() || prefix.size() + word.size() > TextAnalyzer::kMaxTermBytes) return;
  out->push_back(StrCat(prefix, word));
}

void AddSpelling(std::string_view word, std::vector<std::string>* out) {
  if (word.size() >= TextAnalyzer::kMinSpellingBytes &&
      word.size() <= TextAnalyzer::kMaxTermBytes && AllLetters(word)) {
    out->emplace_back(word);
  }
}

// Boolean terms for the digits of a NIK or No KK: each indexed prefix shorter than the run,
// and the whole run.
void AddIdNumberTerms(std::string_view prefix, std::string_view digits,
                      std::vector<std::string>* out) {
  if (digits.size() < TextAnalyzer::kMinNikDigits || !AllDigits(digits)) return;
  for (size_t length : TextAnalyzer::kNikPrefixLengths) {
    if (length < digits.size()) AddTerm(prefix, digits.substr(0, length), out);
  }
  AddTerm(prefix, digits, out);
}

}  // namespace

void DocumentTerms::Clear() {
  id_term.clear();
  name_terms.clear();
  name_positions.clear();
  terms.clear();
  boolean_terms.clear();
  spellings.clear();
  synonyms.clear();
}

TextAnalyzer::TextAnalyzer(const NameNormalizer& names, const AddressNormalizer& addresses)
    : names_(names), addresses_(addresses) {}

bool TextAnalyzer::IsCompoundLead(std::string_view token) {
  return std::find(kCompoundLeads.begin(), kCompoundLeads.end(), token) != kCompoundLeads.end();
}

std::span<const std::pair<std::string_view, std::string_view>> TextAnalyzer::NameEquivalents() {
  return kNameEquivalents;
}

void TextAnalyzer::FoldWord(std::string_view word, NormalizedName* scratch,
                            std::vector<std::string>* out) const {
  if (AllDigits(word)) {
    out->emplace_back(word);
    return;
  }
  names_.Normalize(word, scratch);
  for (std::string& token : scratch->tokens) out->push_back(std::move(token));
}

void TextAnalyzer::AddressWords(std::string_view raw, DocumentTerms* scratch,
                                std::vector<std::string>* out) const {
  if (raw.empty()) return;
  addresses_.Normalize(raw, &scratch->address_scratch);
  for (const std::string& word : scratch->address_scratch.tokens) {
    FoldWord(word, &scratch->word_scratch, out);
  }
}

absl::Status TextAnalyzer::Analyze(const TextDocument& doc, DocumentTerms* out) const {
  out->Clear();
  if (doc.id_art.empty() || doc.id_art.size() > kMaxIdBytes) {
    return InvalidField("id_art", StrCat("must be 1 to ", kMaxIdBytes,
                                         " bytes for the text index, got ", doc.id_art.size()));
  }
  out->id_term = StrCat(text_terms::kId, doc.id_art);

  // The name: positional tokens, their phonetic keys, compound synonyms, spellings.
  NormalizedName& name = out->name_scratch;
  names_.Normalize(doc.nama, &name);
  uint32_t position = 0;
  auto add_name_tokens = [&](const std::vector<std::string>& tokens) {
    for (const std::string& token : tokens) {
      ++position;
      if (token.empty() || token.size() > kMaxTermBytes) continue;
      out->name_terms.push_back(token);
      out->name_positions.push_back(position);
      AddTerm(text_terms::kPhonetic, PhoneticKey(token), &out->terms);
      AddSpelling(token, &out->spellings);
    }
  };
  auto add_compounds = [&](const std::vector<std::string>& tokens) {
    for (size_t i = 0; i + 1 < tokens.size(); ++i) {
      const std::string& tail = tokens[i + 1];
      if (IsCompoundLead(tokens[i]) && tail.size() >= kMinCompoundTail && AllLetters(tail) &&
          tokens[i].size() + tail.size() <= kMaxTermBytes) {
        out->synonyms.emplace_back(StrCat(tokens[i], tail), StrCat(tokens[i], " ", tail));
      }
    }
  };
  add_name_tokens(name.tokens);
  add_compounds(name.tokens);
  ++position;  // the patronymic is not adjacent to the name proper
  add_name_tokens(name.patronymic);

  names_.Normalize(doc.nama_ibu_kandung, &name);
  for (const std::vector<std::string>* tokens : {&name.tokens, &name.patronymic}) {
    for (const std::string& token : *tokens) {
      AddTerm(text_terms::kMother, token, &out->terms);
      AddSpelling(token, &out->spellings);
    }
  }
  add_compounds(name.tokens);

  // Address-like fields.
  std::vector<std::string> words;
  auto add_words = [&](std::string_view raw, std::string_view prefix) {
    words.clear();
    AddressWords(raw, out, &words);
    for (const std::string& word : words) {
      AddTerm(prefix, word, &out->terms);
      AddSpelling(word, &out->spellings);
    }
  };
  add_words(doc.alamat, text_terms::kAddress);
  add_words(doc.dusun, text_terms::kDusun);
  add_words(doc.tempat_lahir, text_terms::kPlace);

  // Filters.
  AddIdNumberTerms(text_terms::kNik, doc.nik, &out->boolean_terms);
  AddIdNumberTerms(text_terms::kNoKk, doc.no_kk, &out->boolean_terms);
  for (RegionLevel level : {RegionLevel::kProvinsi, RegionLevel::kKabKota, RegionLevel::kKecamatan,
                            RegionLevel::kDesa}) {
    const KodeWilayah code = AncestorCode(doc.kode_wilayah, level);
    if (code != 0) out->boolean_terms.push_back(StrCat(text_terms::kRegion, code));
  }
  if (doc.birth_year >= kMinBirthYear && doc.birth_year <= kMaxBirthYear) {
    out->boolean_terms.push_back(StrCat(text_terms::kBirthYear, doc.birth_year));
  }
  return absl::OkStatus();
}

void TextAnalyzer::ParseQuery(std::string_view text, QueryWords* out) const {
  out->words.clear();
  out->digit_runs.clear();
  const std::string folded = UnicodeFold(text);
  std::string letters;  // the letter words, digits blanked, for the name normaliser
  size_t i = 0;
  while (i < folded.size()) {
    while (i < folded.size() && folded[i] == ' ') ++i;
    size_t end = folded.find(' ', i);
    if (end == std::string::npos) end = folded.size();
    const std::string_view chunk = std::string_view(folded).substr(i, end - i);
    i = end;
    if (chunk.empty()) continue;
    size_t digits = 0;
    bool id_like = true;
    for (char c : chunk) {
      if (IsDigit(c)) {
        ++digits;
      } else if (c != '.' && c != '-' && c != '/') {
        id_like = false;
      }
    }
    if (id_like && digits >= kMinNikDigits) {
      std::string& run = out->digit_runs.emplace_back();
      for (char c : chunk) {
        if (IsDigit(c)) run.push_back(c);
      }
      continue;
    }
    // Split digits from letters: each maximal digit run is a run of its own.
    for (size_t j = 0; j < chunk.size();) {
      if (IsDigit(chunk[j])) {
        size_t k = j;
        while (k < chunk.size() && IsDigit(chunk[k])) ++k;
        out->digit_runs.emplace_back(chunk.substr(j, k - j));
        letters.push_back(' ');
        j = k;
      } else {
        letters.push_back(chunk[j]);
        ++j;
      }
    }
    letters.push_back(' ');
  }

  NormalizedName name = names_.Normalize(letters);
  DocumentTerms scratch;
  auto add_words = [&](const std::vector<std::string>& tokens, bool in_name) {
    for (const std::string& token : tokens) {
      if (token.empty() || token.size() > kMaxTermBytes) continue;
      QueryWords::Word& word = out->words.emplace_back();
      word.token = token;
      word.phonetic = PhoneticKey(token);
      word.in_name = in_name;
      std::vector<std::string> forms;
      AddressWords(token, &scratch, &forms);
      for (std::string& form : forms) {
        if (form != token && std::find(word.address_forms.begin(), word.address_forms.end(),
                                       form) == word.address_forms.end()) {
          word.address_forms.push_back(std::move(form));
        }
      }
    }
  };
  add_words(name.tokens, true);
  add_words(name.patronymic, false);
}

}  // namespace padan
