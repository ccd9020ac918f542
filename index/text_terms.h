// The term scheme of padan's Xapian text index (DESIGN.md §5): which terms a person's document
// holds, under which prefixes, and how a free-text query is cut into the words looked up in
// it. Kept apart from Xapian so that the indexer and the searcher share one definition of
// every term and the scheme can be tested without a database.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"

#include "index/text_document.h"
#include "matching/address_normalizer.h"
#include "matching/name_normalizer.h"

namespace padan {

// Term prefixes. Name tokens are unprefixed (they are the field searched first and the only
// positional one); every other field has an upper-case prefix, Xapian's convention, so a
// prefixed term can never equal a name token (those are lower case or non-ASCII).
namespace text_terms {
inline constexpr std::string_view kId = "Q";          // + id_art: unique, for replace/delete
inline constexpr std::string_view kPhonetic = "XP";   // + PhoneticKey of a name token
inline constexpr std::string_view kMother = "XI";     // + token of nama_ibu_kandung
inline constexpr std::string_view kAddress = "XA";    // + word of alamat
inline constexpr std::string_view kDusun = "XD";      // + word of dusun
inline constexpr std::string_view kPlace = "XT";      // + word of tempat_lahir
inline constexpr std::string_view kNik = "XN";        // + NIK digits (prefixes and whole)
inline constexpr std::string_view kNoKk = "XK";       // + No KK digits (prefixes and whole)
inline constexpr std::string_view kRegion = "XW";     // + kode_wilayah of the desa and ancestors
inline constexpr std::string_view kBirthYear = "XY";  // + year of birth
}  // namespace text_terms

// The terms of one person's document, as TextAnalyzer::Analyze makes them. Reused between
// documents: Clear() keeps the buffers.
struct DocumentTerms {
  std::string id_term;  // text_terms::kId + id_art
  // Name tokens (name proper, then patronymic) in written order; token i is at position i + 1,
  // with a gap of one position before the patronymic.
  std::vector<std::string> name_terms;
  std::vector<uint32_t> name_positions;
  // Weighted terms without positions, wdf 1 per occurrence (a repeated term is listed again).
  std::vector<std::string> terms;
  // Filter terms (region, NIK and No KK prefixes, birth year): wdf 0, no effect on ranking or
  // document length.
  std::vector<std::string> boolean_terms;
  // Words for Xapian's spelling dictionary: the letter words of every text field (name,
  // mother's name, address, dusun, birthplace) of at least TextAnalyzer::kMinSpellingBytes
  // bytes, so that a misspelt query word of any field gets a suggestion.
  std::vector<std::string> spellings;
  // Synonym entries (key, synonym) observed in this document: a compound name written as two
  // words ("nur hayati") makes the joined word ("nurhayati") a key whose synonym is the pair.
  std::vector<std::pair<std::string, std::string>> synonyms;

  // Working space, kept here so that it is reused between documents.
  NormalizedName name_scratch;
  NormalizedName word_scratch;
  NormalizedAddress address_scratch;

  void Clear();
};

// A free-text query cut into words, before any database lookup.
struct QueryWords {
  struct Word {
    // The word normalised as a name token (old spelling folded, abbreviations expanded, titles
    // removed): the form looked up in every text field.
    std::string token;
    std::string phonetic;  // PhoneticKey(token); may be empty
    // The word read as an address word, where that differs from `token` ("jl" → "jalan",
    // "iii" → "3"); looked up in the address, dusun and place fields only.
    std::vector<std::string> address_forms;
    // Part of the name proper (not the patronymic after bin/binti): consecutive such words
    // make the phrase that lifts persons whose name has them in that order.
    bool in_name = true;
  };
  std::vector<Word> words;
  // Runs of digits, in order, leading zeros kept: NIK or No KK (or a part of one) from
  // TextAnalyzer::kMinNikDigits digits on, otherwise a house or dusun number or a year.
  std::vector<std::string> digit_runs;

  size_t size() const { return words.size() + digit_runs.size(); }
  bool empty() const { return words.empty() && digit_runs.empty(); }
};

// Turns documents and queries into terms of the scheme above with the normalisers the matcher
// uses (NameNormalizer, AddressNormalizer; both fold with UnicodeFold), so that a query word
// and an indexed word meet when the matcher would call them equal.
//  - Name and patronymic tokens: unprefixed and positional; their PhoneticKey under kPhonetic.
//  - Mother's name tokens under kMother.
//  - Address, dusun, birthplace: AddressNormalizer words (Jl. → jalan, Dsn. → dusun, III → 3;
//    RT, RW, house number and blok taken out), each letter word then normalised as a one-word
//    name (old spelling folded: "Djalan Soekarno" → jalan sukarno), so that a word typed in a
//    query, which goes through the name normaliser, finds it.
//  - NIK and No KK: the first 6 (kecamatan), 8 (+ day), 10 (+ month) and 12 (+ year) digits and
//    the whole run, as boolean terms; runs of other lengths keep every prefix shorter than the run.
//  - kode_wilayah: boolean terms for the code and each ancestor (2, 4, 6, 10 digits).
// Immutable; thread-safe for concurrent const use. Holds references to the normalisers, which
// must outlive it.
class TextAnalyzer {
 public:
  // Xapian's glass backend refuses terms over 245 bytes; longer ones (garbage input) are
  // skipped, and an id_art that would make one is refused.
  static constexpr size_t kMaxTermBytes = 240;
  static constexpr size_t kMaxIdBytes = kMaxTermBytes - 1;
  // Shorter words are not added to the spelling dictionary: Xapian suggests a word within an
  // edit distance of 1-2, and every two-letter word is that close to hundreds of names.
  static constexpr size_t kMinSpellingBytes = 3;
  // A query run of this many digits or more is a NIK or No KK (or a prefix of one): the
  // 6-digit kecamatan code is the shortest prefix that is indexed.
  static constexpr size_t kMinNikDigits = 6;
  // The NIK/No KK prefix lengths indexed, besides the whole run: kecamatan, + day, + month,
  // + year of the date part (DESIGN.md §9).
  static constexpr size_t kNikPrefixLengths[] = {6, 8, 10, 12};
  static constexpr size_t kNikDigits = 16;
  // The tail of a compound name (the part after a lead such as "nur") needs this many bytes.
  static constexpr size_t kMinCompoundTail = 3;

  TextAnalyzer(const NameNormalizer& names, const AddressNormalizer& addresses);

  // Fills `*out` (cleared first) with the terms of `doc`. Returns kInvalidArgument, naming
  // id_art, when id_art is empty or longer than kMaxIdBytes. Any other text is indexed as far
  // as it normalises to something; nothing else fails.
  absl::Status Analyze(const TextDocument& doc, DocumentTerms* out) const;

  // Cuts `text` into words and digit runs. A whitespace-separated chunk made only of digits and
  // the separators . - / with at least kMinNikDigits digits is one digit run ("3201-0117"); in
  // any other chunk digits are split from letters. Letter words are normalised together as one
  // name (titles dropped: "H. Moch. Ali" → muhammad ali). Never fails; `out` is cleared first.
  void ParseQuery(std::string_view text, QueryWords* out) const;

  // True when `token` is the lead of compound names written either joined or as two words
  // (nur, nurul, sri, siti, dwi, tri, eka: "Nurhayati" / "Nur Hayati").
  static bool IsCompoundLead(std::string_view token);
  // Name words that neither normalisation nor the phonetic key brings together but that
  // registries use for one another (nur / nurul, putri / puteri, putra / putera): the indexer
  // registers each pair as synonyms, both ways.
  static std::span<const std::pair<std::string_view, std::string_view>> NameEquivalents();

  // The words of one address-like field (alamat, dusun, tempat_lahir) as indexed: appends to
  // `*out`. Public so that tests can check query and index agree.
  void AddressWords(std::string_view raw, DocumentTerms* scratch,
                    std::vector<std::string>* out) const;

 private:
  // Appends the one-word name normalisation of `word` (letters) or `word` itself (digits).
  void FoldWord(std::string_view word, NormalizedName* scratch,
                std::vector<std::string>* out) const;

  const NameNormalizer& names_;
  const AddressNormalizer& addresses_;
};

}  // namespace padan
