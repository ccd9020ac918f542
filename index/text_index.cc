#include "index/text_index.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <utility>

#include <xapian.h>

#include "data/absl_strings.h"
#include "data/field_error.h"
#include "data/status_macros.h"
#include "index/internal/xapian_guard.h"
#include "matching/phonetic_key.h"

namespace padan {
namespace {

// How much a match in each field counts, relative to the name (BM25 weights are multiplied by
// these). The name is who the person is; the mother's name is asked for at registration and
// told apart from the person's own by the field; address and dusun words narrow a place
// down; the birthplace is shared by a whole kabupaten. A match by sound, by a registered
// equivalent or by a spelling correction is less certain than the word itself.
constexpr double kNameWeight = 1.0;
constexpr double kMotherWeight = 0.4;
constexpr double kAddressWeight = 0.6;
constexpr double kPlaceWeight = 0.5;
constexpr double kPhoneticWeight = 0.5;
constexpr double kSynonymWeight = 0.8;
constexpr double kSpellingWeight = 0.7;

// Spelling suggestions within this edit distance; words of up to kShortWordBytes bytes get 1,
// since two edits turn a 4-letter name into hundreds of others.
constexpr unsigned kMaxEditDistance = 2;
constexpr size_t kShortWordBytes = 4;
// Synonyms looked at per word; the database holds a handful per key.
constexpr size_t kMaxSynonyms = 16;
// Terms looked at when a 13-15 digit run is matched through the 16-digit terms that start
// with it (at most 1,000 can; the serials of one birth date in one kecamatan).
constexpr size_t kMaxNikExpansion = 1000;
// Opening a reader and a search retry after DatabaseModifiedError (the writer committed twice
// while they read); after this many attempts they give up with kAborted. With commits at most every
// TextIndexerOptions::commit_interval once caught up, a retry is rare and one is enough.
constexpr int kMaxAttempts = 5;
// Idle readers kept open; more concurrent searches open more, closed when returned.
constexpr size_t kMaxIdleReaders = 16;
// Birth years a 4-digit query number may be (as TextAnalyzer indexes them).
constexpr int kMinYear = 1850;
constexpr int kMaxYear = 2150;

bool IsIndexedNikLength(size_t length) {
  return length == TextAnalyzer::kNikDigits ||
         std::find(std::begin(TextAnalyzer::kNikPrefixLengths),
                   std::end(TextAnalyzer::kNikPrefixLengths),
                   length) != std::end(TextAnalyzer::kNikPrefixLengths);
}

Xapian::Query Scaled(Xapian::Query query, double factor) {
  if (factor == 1.0) return query;
  return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, query, factor);
}

Xapian::Query Combine(Xapian::Query::op op, const std::vector<Xapian::Query>& parts) {
  if (parts.size() == 1) return parts[0];
  return Xapian::Query(op, parts.begin(), parts.end());
}

// Builds the Xapian query of one search from the parsed words, looking terms, synonyms and
// spellings up in `db`. Every method may throw Xapian::Error: it runs inside RunXapian.
class QueryBuilder {
 public:
  QueryBuilder(const Xapian::Database& db, const QueryWords& words, bool spelling)
      : db_(db), words_(words), spelling_(spelling) {}

  void Build() {
    struct Group {
      std::optional<Xapian::Query> query;
      std::string display;    // the word, or its correction
      bool consumed = false;  // merged into the previous group
    };
    std::vector<Group> groups(words_.words.size());
    std::vector<std::string> phrase;  // name words that are name terms, in order
    for (size_t i = 0; i < words_.words.size(); ++i) {
      const QueryWords::Word& word = words_.words[i];
      Group& group = groups[i];
      group.display = word.token;
      std::vector<Xapian::Query> alternatives;
      bool named = false;  // the name field holds the word
      const bool known = AddFields(word.token, word.address_forms, 1.0, &alternatives, &named);
      AddPhonetic(word.phonetic, kPhoneticWeight, &alternatives);
      AddSynonyms(word.token, &alternatives);
      if (spelling_ && !known && word.token.size() >= TextAnalyzer::kMinSpellingBytes) {
        const std::string suggestion = db_.get_spelling_suggestion(
            word.token, word.token.size() <= kShortWordBytes ? 1 : kMaxEditDistance);
        if (!suggestion.empty() && suggestion != word.token) {
          AddFields(suggestion, {}, kSpellingWeight, &alternatives);
          const std::string key = PhoneticKey(suggestion);
          if (key != word.phonetic) {
            AddPhonetic(key, kSpellingWeight * kPhoneticWeight, &alternatives);
          }
          group.display = suggestion;
          corrected_ = true;
        }
      }
      if (named && word.in_name) phrase.push_back(word.token);
      if (!alternatives.empty()) group.query = Combine(Xapian::Query::OP_OR, alternatives);
    }

    // Two query words written as one elsewhere ("nur hayati" / "nurhayati").
    for (size_t i = 0; i + 1 < words_.words.size(); ++i) {
      const QueryWords::Word& lead = words_.words[i];
      const QueryWords::Word& tail = words_.words[i + 1];
      if (!lead.in_name || !tail.in_name || !TextAnalyzer::IsCompoundLead(lead.token) ||
          groups[i].consumed) {
        continue;
      }
      const std::string joined = StrCat(lead.token, tail.token);
      if (joined.size() > TextAnalyzer::kMaxTermBytes || !db_.term_exists(joined)) continue;
      std::vector<Xapian::Query> both;
      if (groups[i].query) both.push_back(*groups[i].query);
      if (groups[i + 1].query) both.push_back(*groups[i + 1].query);
      Xapian::Query joined_query = Scaled(Xapian::Query(joined), kSynonymWeight);
      groups[i].query = both.empty()
                            ? joined_query
                            : Xapian::Query(Xapian::Query::OP_OR,
                                            Combine(Xapian::Query::OP_AND, both), joined_query);
      groups[i + 1].consumed = true;
    }

    for (size_t i = 0; i < groups.size(); ++i) {
      if (groups[i].consumed) continue;
      if (groups[i].query) {
        parts_.push_back(*groups[i].query);
      } else {
        unmatched_.push_back(words_.words[i].token);
      }
      StrAppend(&corrected_query_, corrected_query_.empty() ? "" : " ", groups[i].display);
    }
    for (const std::string& digits : words_.digit_runs) {
      std::vector<Xapian::Query> alternatives;
      AddDigits(digits, &alternatives);
      if (alternatives.empty()) {
        unmatched_.push_back(digits);
      } else {
        parts_.push_back(Combine(Xapian::Query::OP_OR, alternatives));
      }
      StrAppend(&corrected_query_, corrected_query_.empty() ? "" : " ", digits);
    }
    if (phrase.size() >= 2) {
      // In order, with at most one other word between (a middle name the query left out).
      phrase_ = Xapian::Query(Xapian::Query::OP_PHRASE, phrase.begin(), phrase.end(),
                              static_cast<Xapian::termcount>(phrase.size() + 1));
    }
  }

  bool empty() const { return parts_.empty(); }
  size_t groups() const { return parts_.size(); }
  // Every group must match (`all`) or any (`!all`); the phrase lifts those that have it.
  Xapian::Query Query(bool all) const {
    Xapian::Query query = Combine(all ? Xapian::Query::OP_AND : Xapian::Query::OP_OR, parts_);
    if (phrase_) query = Xapian::Query(Xapian::Query::OP_AND_MAYBE, query, *phrase_);
    return query;
  }
  std::string corrected_query() const { return corrected_ ? corrected_query_ : std::string(); }
  std::vector<std::string>& unmatched() { return unmatched_; }

 private:
  void AddIfExists(const std::string& term, double factor, std::vector<Xapian::Query>* out,
                   bool* found = nullptr) {
    if (term.size() > TextAnalyzer::kMaxTermBytes || !db_.term_exists(term)) return;
    out->push_back(Scaled(Xapian::Query(term), factor));
    if (found != nullptr) *found = true;
  }

  // The token in every text field, address forms in the address-like ones. Returns whether any
  // field holds the token (or one of its forms) itself.
  bool AddFields(const std::string& token, const std::vector<std::string>& forms, double factor,
                 std::vector<Xapian::Query>* out, bool* named = nullptr) {
    bool found = false;
    AddIfExists(token, factor * kNameWeight, out, &found);
    if (named != nullptr) *named = found;
    AddIfExists(StrCat(text_terms::kMother, token), factor * kMotherWeight, out, &found);
    auto address_like = [&](const std::string& word) {
      AddIfExists(StrCat(text_terms::kAddress, word), factor * kAddressWeight, out, &found);
      AddIfExists(StrCat(text_terms::kDusun, word), factor * kAddressWeight, out, &found);
      AddIfExists(StrCat(text_terms::kPlace, word), factor * kPlaceWeight, out, &found);
    };
    address_like(token);
    for (const std::string& form : forms) address_like(form);
    return found;
  }

  void AddPhonetic(const std::string& key, double factor, std::vector<Xapian::Query>* out) {
    if (!key.empty()) AddIfExists(StrCat(text_terms::kPhonetic, key), factor, out);
  }

  void AddSynonyms(const std::string& token, std::vector<Xapian::Query>* out) {
    size_t seen = 0;
    for (Xapian::TermIterator it = db_.synonyms_begin(token);
         it != db_.synonyms_end(token) && seen < kMaxSynonyms; ++it, ++seen) {
      const std::string synonym = *it;
      if (synonym.find(' ') == std::string::npos) {
        AddIfExists(synonym, kSynonymWeight * kNameWeight, out);
        AddIfExists(StrCat(text_terms::kMother, synonym), kSynonymWeight * kMotherWeight, out);
        continue;
      }
      // A compound written as two words: the two name tokens next to each other.
      std::vector<std::string> parts;
      for (size_t start = 0; start <= synonym.size();) {
        size_t end = synonym.find(' ', start);
        if (end == std::string::npos) end = synonym.size();
        if (end > start) parts.push_back(synonym.substr(start, end - start));
        start = end + 1;
      }
      if (parts.size() < 2 || !std::all_of(parts.begin(), parts.end(), [&](const auto& part) {
            return db_.term_exists(part);
          })) {
        continue;
      }
      out->push_back(Scaled(Xapian::Query(Xapian::Query::OP_PHRASE, parts.begin(), parts.end(),
                                          static_cast<Xapian::termcount>(parts.size())),
                            kSynonymWeight));
    }
  }

  // NIK or No KK terms for a run of kMinNikDigits to kNikDigits digits (see TextIndex).
  void AddIdNumber(std::string_view prefix, const std::string& digits,
                   std::vector<Xapian::Query>* out) {
    const std::string term = StrCat(prefix, digits);
    AddIfExists(term, 1.0, out);
    if (IsIndexedNikLength(digits.size())) return;
    size_t next = TextAnalyzer::kNikDigits;
    for (size_t length : TextAnalyzer::kNikPrefixLengths) {
      if (length > digits.size()) {
        next = length;
        break;
      }
    }
    if (next == digits.size() + 1) {
      for (char c = '0'; c <= '9'; ++c) AddIfExists(term + c, 1.0, out);
      return;
    }
    size_t visited = 0;
    for (Xapian::TermIterator it = db_.allterms_begin(term);
         it != db_.allterms_end(term) && visited < kMaxNikExpansion; ++it, ++visited) {
      const std::string candidate = *it;
      if (candidate.size() == prefix.size() + next) out->push_back(Xapian::Query(candidate));
    }
  }

  void AddDigits(const std::string& digits, std::vector<Xapian::Query>* out) {
    if (digits.size() >= TextAnalyzer::kMinNikDigits) {
      if (digits.size() > TextAnalyzer::kNikDigits) return;
      AddIdNumber(text_terms::kNik, digits, out);
      AddIdNumber(text_terms::kNoKk, digits, out);
      return;
    }
    // A house, RT or dusun number as the address normaliser writes it (no leading zeros), or
    // a birth year.
    const size_t first = std::min(digits.find_first_not_of('0'), digits.size() - 1);
    const std::string number = digits.substr(first);
    AddIfExists(StrCat(text_terms::kAddress, number), kAddressWeight, out);
    AddIfExists(StrCat(text_terms::kDusun, number), kAddressWeight, out);
    if (digits.size() == 4) {
      const int year = (digits[0] - '0') * 1000 + (digits[1] - '0') * 100 + (digits[2] - '0') * 10 +
                       (digits[3] - '0');
      if (year >= kMinYear && year <= kMaxYear) {
        AddIfExists(StrCat(text_terms::kBirthYear, digits), 1.0, out);
      }
    }
  }

  const Xapian::Database& db_;
  const QueryWords& words_;
  const bool spelling_;
  std::vector<Xapian::Query> parts_;
  std::optional<Xapian::Query> phrase_;
  bool corrected_ = false;
  std::string corrected_query_;
  std::vector<std::string> unmatched_;
};

void Collect(Xapian::Enquire& enquire, const TextSearchRequest& request, TextSearchResult* result) {
  const Xapian::MSet mset = enquire.get_mset(
      static_cast<Xapian::doccount>(request.offset), static_cast<Xapian::doccount>(request.limit),
      static_cast<Xapian::doccount>(
          std::max(request.offset + request.limit, TextIndex::kCheckAtLeast)));
  result->estimated_total = mset.get_matches_estimated();
  result->hits.clear();
  result->hits.reserve(mset.size());
  for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
    TextHit& hit = result->hits.emplace_back();
    hit.id_art = it.get_document().get_data();
    hit.weight = it.get_weight();
    hit.percent = it.get_percent();
  }
}

}  // namespace

struct TextIndex::Reader {
  Xapian::Database db;
  uint64_t generation = 0;  // the indexer's generation when `db` was last (re)opened
};

TextIndex::TextIndex(std::string dir, const TextAnalyzer& analyzer, const TextIndexer* indexer)
    : dir_(std::move(dir)), analyzer_(analyzer), indexer_(indexer) {}

TextIndex::~TextIndex() = default;

absl::StatusOr<std::unique_ptr<TextIndex>> TextIndex::Open(const std::string& dir,
                                                           const TextAnalyzer& analyzer,
                                                           const TextIndexer* indexer) {
  std::unique_ptr<TextIndex> index(new TextIndex(dir, analyzer, indexer));
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<Reader> reader, index->Checkout());
  index->Return(std::move(reader));
  return index;
}

bool TextIndex::ready() const { return indexer_ == nullptr || indexer_->ready(); }

absl::StatusOr<std::unique_ptr<TextIndex::Reader>> TextIndex::Checkout() const {
  {
    absl::MutexLock lock(&pool_mu_);
    if (!idle_.empty()) {
      std::unique_ptr<Reader> reader = std::move(idle_.back());
      idle_.pop_back();
      return reader;
    }
  }
  auto reader = std::make_unique<Reader>();
  // Opening reads the newest revision's tables; a commit finishing meanwhile can discard that
  // revision (DatabaseModifiedError), as it can under a search: open again, as Search retries.
  // (Seen as a search failing now and then while the indexer committed often.)
  PADAN_RETURN_IF_ERROR(
      internal::RunXapianRetrying(StrCat("opening text index ", dir_), kMaxAttempts, [&](int) {
        // Read before opening: the database opened is at least as new as this generation.
        reader->generation = indexer_ == nullptr ? 0 : indexer_->progress().generation;
        reader->db = Xapian::Database(dir_, Xapian::DB_BACKEND_GLASS);
      }));
  return reader;
}

void TextIndex::Return(std::unique_ptr<Reader> reader) const {
  absl::MutexLock lock(&pool_mu_);
  if (idle_.size() < kMaxIdleReaders) idle_.push_back(std::move(reader));
}

absl::StatusOr<TextSearchResult> TextIndex::Search(const TextSearchRequest& request) const {
  if (request.query.size() > kMaxQueryBytes) {
    return InvalidField("q", StrCat("is longer than ", kMaxQueryBytes, " bytes"));
  }
  if (request.scope != 0 && LevelOfCode(request.scope) == RegionLevel::kNone) {
    return InvalidField("wilayah",
                        StrCat("must be a 2, 4, 6 or 10-digit region code, got ", request.scope));
  }
  if (request.limit == 0 || request.limit > kMaxLimit) {
    return InvalidField("limit", StrCat("must be 1 to ", kMaxLimit, ", got ", request.limit));
  }
  if (request.offset > kMaxOffset) {
    return InvalidField("offset", StrCat("must be at most ", kMaxOffset, ", got ", request.offset));
  }
  QueryWords words;
  analyzer_.ParseQuery(request.query, &words);
  if (words.empty()) return InvalidField("q", "has no word or number to search for");
  if (words.size() > kMaxQueryWords) {
    return InvalidField("q", StrCat("has more than ", kMaxQueryWords, " words"));
  }

  TextIndexProgress progress;
  progress.ready = true;
  if (indexer_ != nullptr) progress = indexer_->progress();
  PADAN_ASSIGN_OR_RETURN(std::unique_ptr<Reader> reader, Checkout());

  TextSearchResult result;
  const absl::Status status =
      internal::RunXapianRetrying("searching the text index", kMaxAttempts, [&](int attempt) {
        const bool reopen =
            indexer_ == nullptr || reader->generation != progress.generation || attempt > 0;
        result = TextSearchResult();
        if (reopen) {
          reader->db.reopen();
          reader->generation = progress.generation;
        }
        QueryBuilder builder(reader->db, words, request.spelling);
        builder.Build();
        result.corrected_query = builder.corrected_query();
        result.unmatched_words = std::move(builder.unmatched());
        if (builder.empty()) return;
        Xapian::Enquire enquire(reader->db);
        Xapian::Query scope;
        if (request.scope != 0) scope = Xapian::Query(StrCat(text_terms::kRegion, request.scope));
        auto set_query = [&](bool all) {
          Xapian::Query query = builder.Query(all);
          if (request.scope != 0) {
            query = Xapian::Query(Xapian::Query::OP_FILTER, query, scope);
          }
          enquire.set_query(query);
        };
        set_query(true);
        Collect(enquire, request, &result);
        if (result.estimated_total == 0 && builder.groups() >= 2) {
          set_query(false);
          Collect(enquire, request, &result);
          result.relaxed = true;
        }
      });
  // A reader that failed otherwise may be broken (a damaged file): drop it.
  if (status.ok() || internal::IsRetryable(status)) Return(std::move(reader));
  if (!status.ok()) return status;
  result.complete = progress.complete();
  result.ready = progress.ready;
  return result;
}

}  // namespace padan
