// QueryEngine: the one API the server and the CLI call to read the registry — free-text
// search, scored matching of a (partial) person, the duplicate check of a new household
// registration, NIK lookup, and records by id. Every call takes a region scope and never
// returns a record outside it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

#include "data/nik.h"
#include "data/record.h"
#include "data/region_table.h"
#include "index/database.h"
#include "index/ids.h"
#include "index/registry.h"
#include "index/text_index.h"
#include "matching/fellegi_sunter_model.h"

namespace padan {

// A region-code prefix: 0 is the whole country, else a 2-, 4-, 6- or 10-digit Kemendagri code.
class Scope {
 public:
  Scope() = default;
  // kInvalidArgument (field "wilayah") for a code that is not 2, 4, 6 or 10 digits.
  static absl::StatusOr<Scope> FromCode(KodeWilayah code);
  static Scope National() { return Scope(); }
  KodeWilayah code() const { return code_; }
  bool Contains(KodeWilayah region) const;
  // Whether the scope covers all of `other` (a kab/kota key may work inside its kab/kota).
  bool Covers(const Scope& other) const;

 private:
  KodeWilayah code_ = 0;
  RegionLevel level_ = RegionLevel::kNone;
};

// A person with their household, as returned to callers.
struct PersonView {
  PersonId id;
  Person person;
  Household household;
};

struct HouseholdView {
  HouseholdId id;
  Household household;
  std::vector<Person> members;
};

struct MatchCandidate {
  PersonView record;
  ScoredPair score;
};

struct MatchResult {
  std::vector<MatchCandidate> candidates;  // best first
  uint64_t candidates_considered = 0;      // from the indexes, before scoring and scope
  std::string model_version;
};

// The query of Match: a partial person with the household fields that help (region, No KK,
// address); absent fields are empty.
struct MatchQuery {
  Person person;
  Household household;
};

struct SearchHit {
  PersonView record;
  double score = 0;        // higher is better; comparable within one response
  std::string matched_by;  // "nik", "nik_near", "text", "name"
};

struct SearchResult {
  std::vector<SearchHit> hits;
  uint64_t total = 0;                        // hits available (an estimate for text search)
  std::string suggestion;                    // spelling-corrected query, when a word was unknown
  std::vector<std::string> unmatched_words;  // query words that matched nothing, left out
  // No person matched every word: these hits match some of them.
  bool relaxed = false;
  // False while the text index is behind the latest writes (they show within about a second).
  bool complete = true;
  // How the query was answered: "text_index", or "memory" when the text index is absent or
  // still being built (fallback_reason says which).
  std::string engine;
  std::string fallback_reason;  // "" when the engine is the one that suits the query
};

struct NikLookupResult {
  std::string nik;  // the digits read
  bool valid = false;
  std::vector<IdProblem> problems;
  std::optional<NikParts> decoded;  // when 16 digits
  std::string kecamatan_name;       // from the region tables, when known
  std::vector<PersonView> exact;
  struct Near {
    PersonView record;
    uint64_t nik = 0;
    NikLevel level = NikLevel::kConflict;
  };
  std::vector<Near> near;
};

struct HouseholdDuplicate {
  HouseholdView household;
  // "same_no_kk", "members_match" (two or more members match), "head_matches_same_desa".
  std::vector<std::string> reasons;
  int matching_members = 0;
};

struct DedupResult {
  std::vector<HouseholdDuplicate> households;
  // Per member of the new registration, in order: the registry persons that match or may.
  std::vector<std::vector<MatchCandidate>> members;
};

// Thread-safe: every method takes the database's read view for its whole duration, so it sees
// one consistent state. The registry, model and region table must outlive the engine.
class QueryEngine {
 public:
  struct Options {
    size_t max_scored_candidates = 200;  // scored, of those sharing most blocking keys
    // Of those, compared on the name too: the best on birth date, sex, NIK, region and No KK
    // (never fewer than twice the results asked for).
    size_t max_name_compared = 32;
    // Free-text search; without it (or while it builds) Search uses the in-memory indexes.
    const TextIndex* text_index = nullptr;
  };
  QueryEngine(const Database& database, const FellegiSunterModel& model, const RegionTable& regions,
              Options options);
  QueryEngine(const Database& database, const FellegiSunterModel& model, const RegionTable& regions)
      : QueryEngine(database, model, regions, Options()) {}

  // Free text — names, address words, a NIK or part of it, mixed — ranked; typo- and
  // spelling-tolerant through the text index when attached and built. kInvalidArgument
  // naming the field: q empty or beyond the text index's limits; limit 1-100; offset ≤ 10,000.
  absl::StatusOr<SearchResult> Search(std::string_view text, const Scope& scope, size_t limit,
                                      size_t offset) const;
  // Candidates that match or may, best first, at most `limit`. kInvalidArgument (naming the
  // field) when the query has neither a name nor a valid NIK.
  absl::StatusOr<MatchResult> Match(const MatchQuery& query, const Scope& scope,
                                    size_t limit) const;
  absl::StatusOr<DedupResult> DedupCheck(const Household& household,
                                         absl::Span<const Person> members,
                                         const Scope& scope) const;
  absl::StatusOr<NikLookupResult> NikLookup(std::string_view nik, const Scope& scope) const;
  // kNotFound when absent or outside the scope (the caller cannot tell which: scope hides).
  absl::StatusOr<PersonView> GetPerson(std::string_view id_art, const Scope& scope) const;
  absl::StatusOr<HouseholdView> GetHousehold(std::string_view id_keluarga,
                                             const Scope& scope) const;

  // What a write checks of the records it would replace, read from their fixed cells without
  // decoding them (the checks run under the log's lock, once per household written):
  // a live household's region and updated_at; a live person's current household's id and
  // region. nullopt when there is no such live record. Not scope-filtered.
  struct HouseholdState {
    uint64_t kode_wilayah = 0;
    Date updated_at;
  };
  std::optional<HouseholdState> LiveHousehold(std::string_view id_keluarga) const;
  struct PersonHome {
    std::string id_keluarga;
    uint64_t kode_wilayah = 0;
  };
  std::optional<PersonHome> LivePersonHome(std::string_view id_art) const;

 private:
  // Search over the NIK and blocking indexes: a whole NIK or a prefix, or a name.
  SearchResult SearchMemory(std::string_view query, const Scope& scope, size_t limit, size_t offset,
                            std::string fallback_reason) const;
  MatchResult MatchLocked(const Registry& registry, const MatchQuery& query, const Scope& scope,
                          size_t limit) const;
  PersonView View(const Registry& registry, PersonId id) const;

  const Database& database_;
  const FellegiSunterModel& model_;
  const RegionTable& regions_;
  Options options_;
};

}  // namespace padan
