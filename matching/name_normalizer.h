// NameNormalizer: turns a person's name as typed into the registry ("Drs. H. Moch. Sjamsul
// Arifin, M.Si.", "NI LUH PUTU ARIANI", "Hj. Siti Aminah binti H. Abdullah") into the canonical
// tokens every comparison, blocking key and index term is built from (DESIGN.md §4), driven by
// the reviewed tables of data/reference/names/ rather than by code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace padan {

// One normalised name. Value type; NameNormalizer::Normalize(raw, &name) reuses its buffers, so
// a caller that normalises many names through one NormalizedName allocates only while the
// buffers grow. Holds no view into the raw text (the record store keeps that).
struct NormalizedName {
  // The name proper (without titles and patronymic): lower-case tokens, ASCII after folding
  // (letters of non-Latin scripts stay UTF-8), in written order.
  std::vector<std::string> tokens;
  // `tokens` joined by single spaces: "muhammad syamsul arifin". Empty for an empty name.
  std::string canonical;
  // PhoneticKey() of each token: phonetic_keys[i] belongs to tokens[i]. A key may be empty
  // (the initial "h" has none: a final h is silent).
  std::vector<std::string> phonetic_keys;
  // The father's name written after bin/binti/bt/bte/bint, normalised like the name proper
  // (his titles dropped); empty when the name has none.
  std::vector<std::string> patronymic;
  // Titles and degrees removed from the name, as canonical token text in written order
  // ("drs", "h", "m si"). Includes degrees written after the patronymic.
  std::vector<std::string> titles;
  // Bit i set when tokens[i] is low-information: a Balinese birth-order name, I/Ni/Luh, a
  // Javanese or other noble title kept in the name (data/reference/names/README.md §6).
  uint32_t low_information_mask = 0;
  // "Alm.", "almarhum", "almarhumah", "mendiang" was written with the name: a hint that the
  // person is deceased (status_hidup), not proof.
  bool deceased_marker = false;
  // The raw text was longer than NameNormalizer::kMaxInputBytes or held more than kMaxTokens
  // tokens; the excess was ignored.
  bool truncated = false;

  bool has_title() const { return !titles.empty(); }
  size_t size() const { return tokens.size(); }
  bool empty() const { return tokens.empty(); }
  // REQUIRES: i < size().
  bool is_low_information(size_t i) const { return (low_information_mask >> i) & 1u; }
  // The tokens that identify the person: those that are not low-information, or every token
  // when all of them are (a person registered as "Ketut" or "I Made" still has a name to
  // match). Views into `tokens`, valid until the next Normalize() into this object.
  std::vector<std::string_view> InformativeTokens() const;

  // Working space of NameNormalizer::Normalize(), kept here so that it is reused between calls
  // without shared state; holds nothing of the result.
  struct Scratch {
    std::string folded;            // the raw text after UnicodeFold (non-ASCII input only)
    std::string text;              // folded tokens joined by single spaces
    std::vector<uint32_t> starts;  // token i is text[starts[i], ends[i])
    std::vector<uint32_t> ends;
    std::vector<std::string> end_titles;  // titles stripped from the end, last first
  };
  Scratch scratch;
};

// Normalises person names. The pipeline, each step driven by a table of
// data/reference/names/ (README.md there documents every row):
//  1. UnicodeFold (NFKC, case fold, marks stripped).
//  2. Tokens: apostrophes and backquotes inside words are removed (Ma'ruf → maruf); every
//     other punctuation character, space or control is a token boundary (Abd.Rahman → abd
//     rahman, S.Pd. → s pd, Siti-Aminah → siti aminah); digits are dropped, because no
//     Indonesian name holds one and they only appear as list numbers or typing slips.
//  3. Old spelling folded in every token, to a fixed point (old_spelling.csv: oe→u, dj→j,
//     tj→c, sj→sy, nj→ny, ch→kh; Pandji → panji → panyi, so that "Pandji" and "Panji" agree).
//     Table keys are folded the same way, so "Hadji" is the title haji and "Moech." Muhammad.
//  4. Patronymic: from the first bin/binti/bt/bte/bint that is not the first token and has a
//     token after it, the rest is the father's name (normalised by steps 5-6, his titles
//     dropped); a marker with nothing after it is dropped.
//  5. Titles and degrees (name_token_normalization.csv kinds degree, religious_title,
//     honorific, rank; where each may stand: title_positions.csv) are removed repeatedly from
//     the front and from the end, longest multi-token match first, but never the last token of
//     the name: "Haji" alone stays a name. A one-letter title (H. = Haji) is therefore only
//     removed first and before another token; anywhere else a letter is an initial.
//     Replacing titles ("H.M." = Haji Muhammad) leave their replacement. A degree the table
//     lists only run together (spkg) is also found written with a dot inside (Sp.KG) when
//     its first part is longer than one letter.
//  6. Expansions (name_token_normalization.csv replace rows of kinds abbreviation and
//     noble_title; name_abbreviations.csv): moh, moch, muh, mhd, mochammad... → muhammad,
//     abd → abdul, md → made. A key that is a single letter (m → muhammad), and every
//     name_abbreviations.csv row of position "first" (st → siti), applies only to the first
//     token and only when another token follows. Abdul compounds written as one word are
//     split: Abdulhamid → abdul hamid, Abdurrahman → abdul rahman (not Abdullah).
//  7. Low-information tokens (low_information_tokens.csv, and the keep rows of
//     name_token_normalization.csv) stay in the name and are marked; single-letter keys (i, r,
//     "r a") only as the first token.
//  8. PhoneticKey of every token.
// Rows of kinds company, role and institution are for organisation names and are not applied.
//
// Canonical output is a fixed point: normalising `canonical` again gives `canonical`, with no
// exception for the position-dependent rules: a leading h, m or st is left in the canonical
// form only when nothing follows it, which still holds the second time (the property test
// checks generated names; a 300,000-name run with added titles, markers and initials found no
// counterexample).
//
// Immutable after construction; Normalize() is thread-safe. About 0.5 µs per typical ASCII
// name (bench/matching/normalizer_bench.cc); the tables take about 90 KB.
class NameNormalizer {
 public:
  // Longer raw text is cut (at a code point boundary): no registry name comes near it, and it
  // bounds the work and the output for garbage input.
  static constexpr size_t kMaxInputBytes = 512;
  // At most this many tokens are read, titles included; low_information_mask has a bit each.
  static constexpr size_t kMaxTokens = 32;

  // The CSV text of each table (columns as in data/reference/names/README.md).
  struct Tables {
    std::string_view token_normalization;  // name_token_normalization.csv
    std::string_view title_positions;      // title_positions.csv
    std::string_view abbreviations;        // name_abbreviations.csv
    std::string_view low_information;      // low_information_tokens.csv
    std::string_view old_spelling;         // old_spelling.csv
  };

  // Loads the tables embedded in the binary (data/reference/names/).
  static absl::StatusOr<std::unique_ptr<NameNormalizer>> LoadEmbedded();
  // Builds a normaliser from table text, which need not outlive it. Returns kInvalidArgument
  // naming the table and line of a malformed row: wrong header or field count, a token that is
  // not lower-case a-z words separated by single spaces, an unknown action, kind or position,
  // a title kind without a default position, a title_positions row whose token is not a title
  // of that kind, an old-spelling rule that is not two letters or whose result contains a rule,
  // an expansion whose result is itself expanded, two rows that fold to one key with different
  // meanings.
  static absl::StatusOr<std::unique_ptr<NameNormalizer>> Create(const Tables& tables);

  // Normalises `raw` (any bytes; see UnicodeFold for invalid UTF-8) into `*out`, replacing
  // its previous content and reusing its buffers.
  void Normalize(std::string_view raw, NormalizedName* out) const;
  NormalizedName Normalize(std::string_view raw) const;

  // Heap bytes held by the tables.
  size_t MemoryUsage() const;

 private:
  // What one key (a folded token, or tokens joined by single spaces) means.
  struct Entry {
    enum Place : uint8_t { kNowhere = 0, kPrefix = 1, kSuffix = 2, kAnywhere = 3 };
    uint8_t title_place = kNowhere;  // where the key is a title (Place bits)
    bool title_is_degree = false;    // kind degree: belongs to the person even after bin X
    bool deceased = false;
    bool low_information = false;
    bool expansion_first_only = false;  // expansion applies to a leading token only
    // Longest key (in tokens) that starts with this token among prefix titles and
    // low-information keys, and that ends with it among suffix titles; 0 when none.
    uint8_t longest_from_here = 0;
    uint8_t longest_to_here = 0;
    std::string_view title_replacement;  // "muhammad" for hm: the title leaves a name token
    std::string_view expansion;          // replacement tokens of an abbreviation
  };
  class Builder;

  NameNormalizer() = default;

  const Entry* Find(std::string_view key) const;
  // The name inside an Abdul compound written as one word ("rahman" of "abdurrahman"), or
  // empty when `token` is none or the name would be a title.
  std::string_view SplitAbdulCompound(std::string_view token) const;
  // Folds the old spellings of the token at the end of `text`, from `token_start`, after its
  // last letter was appended.
  void FoldTail(std::string* text, size_t token_start) const;
  void Tokenize(std::string_view source, bool lower_case, NormalizedName* out) const;
  // Removes titles from tokens [*begin, *end) of the scratch text. Returns the replacement of
  // a leading replacing title, or empty.
  std::string_view StripTitles(const NormalizedName::Scratch& s, uint32_t* begin, uint32_t* end,
                               bool is_person, NormalizedName* out) const;
  // Appends the expanded tokens [begin, end) to `*tokens` from index `*count`.
  void Expand(const NormalizedName::Scratch& s, uint32_t begin, uint32_t end,
              std::string_view leading, std::vector<std::string>* tokens, size_t* count) const;
  void MarkLowInformation(NormalizedName* out) const;

  absl::flat_hash_map<std::string_view, Entry> entries_;
  std::deque<std::string> text_;  // owns the keys and replacements the entries view
  // old_spelling_[a][b] is 1 + the index into old_spelling_result_ of the rule for the letters
  // 'a'+a, 'a'+b; 0 when no rule.
  uint8_t old_spelling_[26][26] = {};
  std::vector<std::string> old_spelling_result_;
};

}  // namespace padan
