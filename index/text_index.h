// TextIndex: free-text search over the Xapian text index (DESIGN.md §5, GET /v1/search):
// names, addresses, places, NIK and No KK prefixes, typo-tolerant, ranked BM25, filterable by
// region. TextIndexer (index/text_indexer.h) builds the database; this reads it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

#include "data/region_table.h"
#include "index/text_indexer.h"
#include "index/text_terms.h"

namespace padan {

struct TextSearchRequest {
  std::string_view query;  // free text: names, address words, NIK or a part of it, mixed
  KodeWilayah scope = 0;   // only persons in this region (2, 4, 6 or 10 digits); 0 national
  size_t offset = 0;       // hits to skip, for paging
  size_t limit = 20;       // hits to return
  // Ask Xapian for a spelling suggestion for each word no field holds, and match it too. The
  // suggestion is about half the cost of a search with typos (bench/index/text_index_bench.cc);
  // without it such a word is matched by sound only and corrected_query stays empty.
  bool spelling = true;
};

struct TextHit {
  std::string id_art;
  double weight = 0;  // Xapian's BM25 weight; 0 for a match on filter terms only (NIK, year)
  int percent = 0;    // the weight as a percentage of the best possible (Xapian's get_percent)
};

struct TextSearchResult {
  std::vector<TextHit> hits;  // best first
  // Xapian's estimate of how many persons match; exact when below about
  // TextIndex::kCheckAtLeast.
  uint64_t estimated_total = 0;
  // The query with each unknown word (one no text field holds) replaced by Xapian's spelling
  // suggestion, as normalised words ("siti aminah 3201"); empty when no word was corrected.
  // The hits already include the suggestion's matches, ranked below exact ones.
  std::string corrected_query;
  // Words that matched nothing, not even by sound or spelling, and were left out of the search.
  std::vector<std::string> unmatched_words;
  // No person matched every word, so these hits match some of them (ranked by how many and how
  // rare): the search was relaxed from "all words" to "any word".
  bool relaxed = false;
  // The index holds every document enqueued before the search began. False while the
  // indexer is behind (the caller may add results from its in-memory indexes).
  bool complete = true;
  // The initial load is committed (TextIndexer::ready()).
  bool ready = true;
};

// Searches the glass database in a folder. Each search takes a Xapian::Database from a small
// pool (one per concurrent search: a Xapian::Database must not be used by two threads at once,
// STYLE.md §2.6), reopens it when the indexer has committed since it was last used, and
// returns it. Thread-safe: Search may run from any number of threads. The analyzer and
// indexer must outlive it. Cost: see bench/index/text_index_bench.cc (search latency by size).
//
// How a query is matched: the words are normalised as TextAnalyzer::ParseQuery says, and each
// becomes a group of alternatives, all of which must match (Xapian OP_AND) unless no person
// matches them all (then any, `relaxed`):
//  - the normalised word as a name token, mother's name token, address, dusun or birthplace
//    word (each field weighted by how much it says about who the person is);
//  - its phonetic key (lower weight): "Ahmat" finds Ahmad, "Yusup" Yusuf;
//  - its synonyms from the database: the other word of a name equivalence (nurul for nur), or
//    the two words a compound is written as elsewhere ("nurhayati" finds "Nur Hayati"); two
//    query words that are written joined elsewhere also match the joined word;
//  - when no field holds the word itself, Xapian's spelling suggestion (edit distance 1 for
//    words of up to 4 letters, else 2), with its own alternatives at a lower weight;
//  - a run of 6 or more digits: NIK or No KK terms; the first 6, 8, 10, 12 or all 16 digits
//    are terms, and a run of another length is matched through the terms of the next indexed
//    length that start with it. A shorter number is an address number or a birth year.
// Consecutive name words also form a phrase (in order, at most one word between) that lifts,
// without requiring, persons whose name has them so. The region scope is a boolean filter.
class TextIndex {
 public:
  static constexpr size_t kMaxQueryBytes = 1024;
  static constexpr size_t kMaxQueryWords = 16;
  static constexpr size_t kMaxLimit = 1000;
  // Deep paging costs as much as returning every skipped hit; search results are for people.
  static constexpr size_t kMaxOffset = 10'000;
  // Xapian counts matches exactly up to this many (it checks at least this many documents),
  // and estimates beyond.
  static constexpr size_t kCheckAtLeast = 1000;

  // Opens the database in `dir` for reading and checks that it opens. `indexer`, when not null,
  // is the writer of `dir`: searches then report its progress and reopen only when it has
  // committed. Without one (a read-only replica), every search reopens (a cheap check of the
  // revision) and reports complete. Errors: kNotFound when there is no database in `dir`,
  // kDataLoss when it is damaged.
  static absl::StatusOr<std::unique_ptr<TextIndex>> Open(const std::string& dir,
                                                         const TextAnalyzer& analyzer,
                                                         const TextIndexer* indexer);
  ~TextIndex();
  TextIndex(const TextIndex&) = delete;
  TextIndex& operator=(const TextIndex&) = delete;

  // Searches. Errors: kInvalidArgument naming the field (q: empty, longer than kMaxQueryBytes,
  // no word to search for, more than kMaxQueryWords words; wilayah: not a 2, 4, 6 or 10-digit
  // code; limit: 0 or over kMaxLimit; offset: over kMaxOffset); kDataLoss when the database
  // turns out damaged; kAborted when the writer committed twice during each of several
  // attempts (a reader can only read the last two commits; retry later); kInternal for other
  // Xapian failures. Never throws.
  absl::StatusOr<TextSearchResult> Search(const TextSearchRequest& request) const
      ABSL_LOCKS_EXCLUDED(pool_mu_);

  // The indexer's readiness; true without an indexer.
  bool ready() const;

 private:
  struct Reader;  // a Xapian::Database and the generation it has seen (text_index.cc)

  TextIndex(std::string dir, const TextAnalyzer& analyzer, const TextIndexer* indexer);

  absl::StatusOr<std::unique_ptr<Reader>> Checkout() const ABSL_LOCKS_EXCLUDED(pool_mu_);
  void Return(std::unique_ptr<Reader> reader) const ABSL_LOCKS_EXCLUDED(pool_mu_);

  const std::string dir_;
  const TextAnalyzer& analyzer_;
  const TextIndexer* const indexer_;
  mutable absl::Mutex pool_mu_;
  mutable std::vector<std::unique_ptr<Reader>> idle_ ABSL_GUARDED_BY(pool_mu_);
};

}  // namespace padan
