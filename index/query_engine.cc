#include "index/query_engine.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/ascii.h"

#include "data/absl_strings.h"
#include "data/field_error.h"
#include "index/blocking_keys.h"
#include "matching/comparison_vector.h"
#include "matching/jaro_winkler.h"
#include "matching/match_record_builder.h"
#include "matching/nik_comparison.h"
#include "matching/token_similarity.h"

namespace padan {
namespace {

constexpr size_t kMaxSearchLimit = 100;
// Below this many digits a number in a query is no NIK prefix worth searching.
constexpr size_t kMinNikPrefixDigits = 6;
constexpr size_t kNikDigits = 16;
// Candidates scored on every field after the first, partial scoring, at most: a few per result
// asked for, and never fewer than this, so that the mother's name or the address can still
// reorder close candidates (fewer are read when their first-stage weights show they cannot).
constexpr size_t kFinalistsPerResult = 4;
constexpr size_t kMinFinalists = 32;
// Levels per field whose weights Match tabulates once per query; a field with more (no spec
// has them) is weighed by the model at each use.
constexpr size_t kMaxLevels = 16;

bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsWholeNik(std::string_view query) {
  std::string digits;
  for (char c : query) {
    if (c != ' ' && c != '.' && c != '-') digits.push_back(c);
  }
  return digits.size() == kNikDigits && AllDigits(digits);
}

const Registry& RegistryOf(const Database::ReadView& view) {
  return static_cast<const Registry&>(view.state());
}

// Whether comparing a field reads a text Match's first stage leaves out (mother's name,
// birthplace, address): the levels of the other fields carry over to the whole comparison.
bool ReadsDecodedText(FieldKind kind) {
  switch (kind) {
    case FieldKind::kNamaIbuKandung:
    case FieldKind::kTempatLahir:
    case FieldKind::kAlamat:
    case FieldKind::kKodeWilayah:  // the address refines the same-desa level
      return true;
    case FieldKind::kNama:
    case FieldKind::kTanggalLahir:
    case FieldKind::kJenisKelamin:
    case FieldKind::kNik:
    case FieldKind::kNoKk:
      return false;
  }
  return true;
}

// Whether the query holds the text a field that ReadsDecodedText compares: when it does not,
// the field compares the same whatever the candidate's text.
bool QueryHasText(FieldKind kind, const MatchRecord& query) {
  switch (kind) {
    case FieldKind::kNamaIbuKandung:
      return !query.nama_ibu_kandung.empty();
    case FieldKind::kTempatLahir:
      return !query.tempat_lahir.empty();
    case FieldKind::kAlamat:
    case FieldKind::kKodeWilayah:
      return !query.alamat.empty();
    case FieldKind::kNama:
    case FieldKind::kTanggalLahir:
    case FieldKind::kJenisKelamin:
    case FieldKind::kNik:
    case FieldKind::kNoKk:
      return false;
  }
  return true;
}

// The most field `f` can add to a pair's weight: its best level's log2(m/u) with either u, and
// the largest term-frequency adjustment when the field has one; never below 0 (missing).
double MostWeight(const FellegiSunterModel& model, size_t f) {
  const FieldSpec& field = model.spec().fields[f];
  double best = 0;
  for (size_t level = 0; level < field.level_count(); ++level) {
    best = std::max(best, model.LevelWeight(f, level));
    if (field.u_given_index >= 0) {
      best = std::max(best, std::log2(model.m(f, level) / model.u_given(f, level)));
    }
  }
  return best + (field.term_frequency ? FellegiSunterModel::kMaxTfAdjustment : 0);
}

// Collects candidate ids once each, in the order found.
class CandidateSet {
 public:
  // Sized for `expected` ids, so that a query does not grow its tables step by step.
  explicit CandidateSet(size_t expected) {
    seen_.reserve(expected);
    ids_.reserve(expected);
  }
  void Add(PersonId id) {
    if (seen_.insert(id.value).second) ids_.push_back(id);
  }
  const std::vector<PersonId>& ids() const { return ids_; }

 private:
  absl::flat_hash_set<uint32_t> seen_;
  std::vector<PersonId> ids_;
};

}  // namespace

absl::StatusOr<Scope> Scope::FromCode(KodeWilayah code) {
  Scope scope;
  if (code == 0) return scope;
  RegionLevel level = LevelOfCode(code);
  if (level == RegionLevel::kNone) {
    return InvalidField("wilayah", "must be a 2, 4, 6 or 10 digit Kemendagri region code");
  }
  scope.code_ = code;
  scope.level_ = level;
  return scope;
}

bool Scope::Contains(KodeWilayah region) const {
  if (code_ == 0) return true;
  return AncestorCode(region, level_) == code_;
}

bool Scope::Covers(const Scope& other) const {
  if (code_ == 0) return true;
  if (other.code_ == 0) return false;
  return other.level_ >= level_ && AncestorCode(other.code_, level_) == code_;
}

QueryEngine::QueryEngine(const Database& database, const FellegiSunterModel& model,
                         const RegionTable& regions, Options options)
    : database_(database), model_(model), regions_(regions), options_(options) {}

PersonView QueryEngine::View(const Registry& registry, PersonId id) const {
  PersonView view;
  view.id = id;
  view.person = registry.store().GetPerson(id);
  view.household = registry.store().GetHousehold(registry.store().household_of(id));
  return view;
}

MatchResult QueryEngine::MatchLocked(const Registry& registry, const MatchQuery& query,
                                     const Scope& scope, size_t limit) const {
  const RecordStore& store = registry.store();
  MatchRecordBuilder builder(registry.names(), registry.addresses());
  MatchRecord wanted = builder.Build(query.person, query.household);

  // NIK and No KK hits are a handful; the blocking index adds up to its cap.
  constexpr size_t kNumberHitsEstimate = 16;
  CandidateSet candidates(options_.max_scored_candidates + kNumberHitsEstimate);
  if (wanted.nik != 0) {
    registry.nik_index().Find(wanted.nik, [&](PersonId id) { candidates.Add(id); });
    registry.nik_index().FindNear(wanted.nik, [&](PersonId id, uint64_t) { candidates.Add(id); });
  }
  if (wanted.no_kk != 0) {
    registry.no_kk_index().Find(wanted.no_kk, [&](HouseholdId household) {
      for (PersonId member : store.Members(household)) candidates.Add(member);
    });
  }
  // The query's keys include the variants its likely mistakes would have (birth year one off,
  // day and month swapped), so that a registration with the year wrong is still a candidate.
  BlockingKeys keys;
  BlockingQueryKeysOf(wanted, &keys);
  std::vector<PersonId> ranked;
  BlockingIndex::Limits limits = DefaultBlockingLimits();
  limits.max_candidates = options_.max_scored_candidates;
  registry.blocking_index().Candidates(keys, limits, &ranked);
  for (PersonId id : ranked) candidates.Add(id);

  MatchResult result;
  result.candidates_considered = candidates.ids().size();
  result.model_version = model_.version();
  // Three stages, each on fewer candidates than the one before, so that the costly comparisons
  // are made only where they can matter:
  //  0. every candidate is weighed on the fields its columns hold ready, which compare in a few
  //     nanoseconds: birth date, sex, NIK, region and No KK;
  //  1. the best of those by that weight (ties kept in the indexes' order, NIK and No KK hits
  //     first, then the blocking keys' ranking, which is by name) are compared on the name too,
  //     from the registry's name cache: no normalising;
  //  2. the best of those are read whole (mother's name, birthplace, address normalised) and
  //     scored on every field, with the explanation.
  const ComparisonSpec& spec = model_.spec();
  // log2(m/u) per field and level, with u and with u_given: the model computes them per call.
  std::array<std::array<double, kMaxLevels>, kMaxFields> weight_u{};
  std::array<std::array<double, kMaxLevels>, kMaxFields> weight_given{};
  for (size_t f = 0; f < spec.fields.size(); ++f) {
    for (size_t level = 0; level < spec.fields[f].level_count() && level < kMaxLevels; ++level) {
      weight_u[f][level] = model_.LevelWeight(f, level);
      weight_given[f][level] = spec.fields[f].u_given_index >= 0
                                   ? std::log2(model_.m(f, level) / model_.u_given(f, level))
                                   : weight_u[f][level];
    }
  }
  struct Ranked {
    PersonId id;
    uint32_t order = 0;  // among the candidates, as the indexes gave them
    double match_weight = 0;
    ComparisonVector comparison;
  };
  std::vector<Ranked> ranked_candidates;
  ranked_candidates.reserve(candidates.ids().size());
  MatchRecord partial;
  // The candidates lie scattered over the store: their cells are asked for all at once.
  for (PersonId id : candidates.ids()) store.PrefetchPerson(id);
  for (PersonId id : candidates.ids()) store.PrefetchHousehold(store.household_of(id));
  for (PersonId id : candidates.ids()) {
    if (!store.is_live(id)) continue;
    const HouseholdId household = store.household_of(id);
    partial.kode_wilayah = store.kode_wilayah(household);
    if (!scope.Contains(partial.kode_wilayah)) continue;
    partial.no_kk = store.no_kk_value(household);
    partial.tanggal_lahir = store.tanggal_lahir(id);
    partial.jenis_kelamin = store.jenis_kelamin(id);
    partial.nik = store.nik_value(id);
    Ranked ranked{id, static_cast<uint32_t>(ranked_candidates.size()), 0, {}};
    ranked.comparison.size = static_cast<uint8_t>(spec.fields.size());
    for (size_t f = 0; f < spec.fields.size(); ++f) {
      // The name waits for stage 1; the texts stage 2 reads compare as missing (partial holds
      // none), the region without the address.
      ranked.comparison.levels[f] = spec.fields[f].kind == FieldKind::kNama
                                        ? kMissingLevel
                                        : CompareField(spec.fields[f], wanted, partial);
    }
    for (size_t f = 0; f < spec.fields.size(); ++f) {
      const uint8_t level = ranked.comparison.levels[f];
      if (level == kMissingLevel) continue;
      const int given = spec.fields[f].u_given_index;
      if (level >= kMaxLevels) {
        ranked.match_weight += model_.LevelWeight(f, level, ranked.comparison);
      } else if (given >= 0 && ranked.comparison.levels[static_cast<size_t>(given)] == 0) {
        ranked.match_weight += weight_given[f][level];
      } else {
        ranked.match_weight += weight_u[f][level];
      }
    }
    ranked_candidates.push_back(ranked);
  }
  const size_t name_compared =
      std::min(ranked_candidates.size(),
               std::max(options_.max_name_compared, limit > SIZE_MAX / 2 ? SIZE_MAX : 2 * limit));
  std::partial_sort(ranked_candidates.begin(),
                    ranked_candidates.begin() + static_cast<ptrdiff_t>(name_compared),
                    ranked_candidates.end(), [](const Ranked& a, const Ranked& b) {
                      if (a.match_weight != b.match_weight) return a.match_weight > b.match_weight;
                      return a.order < b.order;
                    });
  ranked_candidates.resize(name_compared);
  const MatchNameCache& name_cache = registry.name_cache();
  // A name's entry is three dependent loads (number, offset, bytes). The first needs only the
  // candidate's id, so it is started for all of them at once (a few dozen independent misses,
  // overlapping); the other two are started a place or two ahead while a name is compared, each
  // reading what the step before brought in. Started all at once, each later step waited out
  // the misses of the one before it; started only three places ahead, the entry numbers were
  // still missing when needed (a sixth of the stage's time on the load of the number).
  const size_t stage1 = ranked_candidates.size();
  auto prefetch_name = [&](size_t i) {
    if (i + 2 < stage1) name_cache.PrefetchEntryOffset(ranked_candidates[i + 2].id);
    if (i + 1 < stage1) name_cache.PrefetchEntry(ranked_candidates[i + 1].id);
  };
  for (size_t i = 0; i < stage1; ++i) name_cache.PrefetchEntryNumber(ranked_candidates[i].id);
  for (size_t i = 0; i < std::min<size_t>(stage1, 2); ++i) {
    name_cache.PrefetchEntryOffset(ranked_candidates[i].id);
  }
  if (stage1 > 0) name_cache.PrefetchEntry(ranked_candidates[0].id);
  for (size_t i = 0; i < stage1; ++i) {
    prefetch_name(i);
    Ranked& ranked = ranked_candidates[i];
    const PersonId id = ranked.id;
    const HouseholdId household = store.household_of(id);
    partial.kode_wilayah = store.kode_wilayah(household);
    partial.no_kk = store.no_kk_value(household);
    partial.tanggal_lahir = store.tanggal_lahir(id);
    partial.jenis_kelamin = store.jenis_kelamin(id);
    partial.nik = store.nik_value(id);
    if (name_cache.Has(id)) {
      name_cache.Get(id, &partial.nama);
    } else {
      builder.BuildName(store.nama(id), &partial.nama);
    }
    for (size_t f = 0; f < spec.fields.size(); ++f) {
      if (spec.fields[f].kind == FieldKind::kNama) {
        ranked.comparison.levels[f] = CompareField(spec.fields[f], wanted, partial);
      }
    }
    ranked.match_weight =
        model_.MatchWeight(ranked.comparison, wanted, partial, &registry.frequencies());
  }
  auto ranks_before = [](const auto& a, const auto& b) {
    if (a.match_weight != b.match_weight) return a.match_weight > b.match_weight;
    return a.id < b.id;
  };
  const size_t finalist_count =
      std::min(ranked_candidates.size(), std::max(limit * kFinalistsPerResult, kMinFinalists));
  std::partial_sort(ranked_candidates.begin(),
                    ranked_candidates.begin() + static_cast<ptrdiff_t>(finalist_count),
                    ranked_candidates.end(), ranks_before);
  struct Finalist {
    PersonId id;
    ScoredPair score;
  };
  std::vector<Finalist> finalists;
  finalists.reserve(finalist_count);
  // Reading a candidate whole changes only the fields that read its texts: its whole weight is
  // at most its first-stage weight plus, per such field the query has text for, that field's
  // best weight less what the first stage gave it.
  std::array<double, kMaxFields> most_weight{};
  for (size_t f = 0; f < spec.fields.size(); ++f) {
    if (ReadsDecodedText(spec.fields[f].kind) && QueryHasText(spec.fields[f].kind, wanted)) {
      most_weight[f] = MostWeight(model_, f);
    } else {
      most_weight[f] = -1;  // compares the same whole: nothing to gain
    }
  }
  // The most `candidate`'s whole weight can be, given `comparison`: its levels with the fields
  // `read` (bit per field) compared on the decoded texts.
  auto most_whole_weight = [&](const Ranked& candidate, const ComparisonVector& comparison,
                               uint32_t read) {
    double weight = candidate.match_weight;
    for (size_t f = 0; f < spec.fields.size(); ++f) {
      if (most_weight[f] < 0) continue;
      const double tf = spec.fields[f].term_frequency ? FellegiSunterModel::kMaxTfAdjustment : 0;
      const uint8_t before = candidate.comparison.levels[f];
      if (before != kMissingLevel) weight -= model_.LevelWeight(f, before, comparison) - tf;
      if ((read >> f & 1) == 0) {
        weight += most_weight[f];
      } else if (comparison.levels[f] != kMissingLevel) {
        weight += model_.LevelWeight(f, comparison.levels[f], comparison) + tf;
      }
    }
    return weight;
  };
  // The texts a finalist is read for, cheapest first, so that one whose first texts already
  // disagree is dropped before its mother's name is normalised.
  enum class Text { kTempatLahir, kAlamat, kNamaIbuKandung };
  auto compares = [](Text text, FieldKind kind) {
    switch (text) {
      case Text::kTempatLahir:
        return kind == FieldKind::kTempatLahir;
      case Text::kAlamat:
        return kind == FieldKind::kAlamat || kind == FieldKind::kKodeWilayah;
      case Text::kNamaIbuKandung:
        return kind == FieldKind::kNamaIbuKandung;
    }
    return false;
  };
  // The finalists' texts lie scattered over the store and are found through their offset
  // cells: as for the names, both loads are started a finalist or two ahead of the reading.
  auto prefetch_offsets = [&](size_t i) {
    const PersonId id = ranked_candidates[i].id;
    store.PrefetchPersonTextOffset(id);
    store.PrefetchHouseholdTextOffset(store.household_of(id));
  };
  auto prefetch_texts = [&](size_t i) {
    const PersonId id = ranked_candidates[i].id;
    store.PrefetchPersonText(id);
    store.PrefetchHouseholdText(store.household_of(id));
  };
  for (size_t i = 0; i < std::min<size_t>(finalist_count, 2); ++i) prefetch_offsets(i);
  if (finalist_count > 0) prefetch_texts(0);
  NormalizedAddress address;
  // The `limit` best whole weights so far, least on top.
  std::priority_queue<double, std::vector<double>, std::greater<>> best_whole;
  MatchRecord whole;
  for (size_t i = 0; i < finalist_count; ++i) {
    if (i + 2 < finalist_count) prefetch_offsets(i + 2);
    if (i + 1 < finalist_count) prefetch_texts(i + 1);
    const Ranked& finalist = ranked_candidates[i];
    const PersonId id = finalist.id;
    // Once `limit` are read, a candidate is read on only while it can enter them and be at
    // least a possible match: every match and possible match that can rank is scored whole,
    // while certain non-matches only fill the places left.
    const bool bounded = best_whole.size() >= limit;
    const double bar =
        bounded ? std::max(best_whole.top(), model_.possible_threshold()) : -HUGE_VAL;
    ComparisonVector comparison = finalist.comparison;
    uint32_t read = 0;
    if (most_whole_weight(finalist, comparison, read) < bar) continue;
    const HouseholdId household = store.household_of(id);
    bool dropped = false;
    for (Text text : {Text::kTempatLahir, Text::kAlamat, Text::kNamaIbuKandung}) {
      switch (text) {
        case Text::kTempatLahir:
          whole.tempat_lahir = NormalizeBirthplace(store.tempat_lahir(id));
          break;
        case Text::kAlamat:
          registry.addresses().Normalize(store.alamat(household), &address);
          whole.alamat = address.canonical;
          break;
        case Text::kNamaIbuKandung:
          builder.BuildName(store.nama_ibu_kandung(id), &whole.nama_ibu_kandung);
          break;
      }
      whole.kode_wilayah = store.kode_wilayah(household);
      whole.no_kk = store.no_kk_value(household);
      whole.tanggal_lahir = store.tanggal_lahir(id);
      whole.jenis_kelamin = store.jenis_kelamin(id);
      whole.nik = store.nik_value(id);
      for (size_t f = 0; f < spec.fields.size(); ++f) {
        if (!compares(text, spec.fields[f].kind)) continue;
        comparison.levels[f] = CompareField(spec.fields[f], wanted, whole);
        read |= uint32_t{1} << f;
      }
      if (most_whole_weight(finalist, comparison, read) < bar) {
        dropped = true;
        break;
      }
    }
    if (dropped) continue;
    // The name is only needed now, for its term-frequency adjustment and the explanation.
    if (name_cache.Has(id)) {
      name_cache.Get(id, &whole.nama);
    } else {
      builder.BuildName(store.nama(id), &whole.nama);
    }
    finalists.push_back(
        {id, model_.ScoreComparison(comparison, wanted, whole, &registry.frequencies())});
    best_whole.push(finalists.back().score.match_weight);
    if (best_whole.size() > limit) best_whole.pop();
  }
  auto better = [](const Finalist& a, const Finalist& b) {
    if (a.score.match_weight != b.score.match_weight) {
      return a.score.match_weight > b.score.match_weight;
    }
    return a.id < b.id;
  };
  const size_t keep = std::min(limit, finalists.size());
  std::partial_sort(finalists.begin(), finalists.begin() + static_cast<ptrdiff_t>(keep),
                    finalists.end(), better);
  for (size_t i = 0; i < keep; ++i) {
    result.candidates.push_back({View(registry, finalists[i].id), std::move(finalists[i].score)});
  }
  return result;
}

absl::StatusOr<MatchResult> QueryEngine::Match(const MatchQuery& query, const Scope& scope,
                                               size_t limit) const {
  if (query.person.nama.empty() && query.person.nik_value == 0) {
    return InvalidField("nama", "a match needs a name or a valid 16-digit NIK");
  }
  Database::ReadView view = database_.Read();
  return MatchLocked(RegistryOf(view), query, scope, limit);
}

absl::StatusOr<SearchResult> QueryEngine::Search(std::string_view text, const Scope& scope,
                                                 size_t limit, size_t offset) const {
  std::string_view query = FromAbsl(absl::StripAsciiWhitespace(ToAbsl(text)));
  if (query.empty()) return InvalidField("q", "is empty; give a name, address or NIK");
  if (limit == 0 || limit > kMaxSearchLimit) {
    return InvalidField("limit", StrCat("must be from 1 to ", kMaxSearchLimit));
  }
  if (offset > TextIndex::kMaxOffset) {
    return InvalidField("offset", StrCat("must be at most ", TextIndex::kMaxOffset));
  }
  // A whole NIK is answered from the NIK index, which also finds the near ones.
  if (options_.text_index == nullptr || IsWholeNik(query)) {
    return SearchMemory(query, scope, limit, offset,
                        options_.text_index == nullptr ? "the text index is off" : "");
  }
  if (!options_.text_index->ready()) {
    return SearchMemory(query, scope, limit, offset,
                        "the text index is still being built; results come from the name "
                        "and NIK indexes");
  }
  TextSearchRequest request;
  request.query = query;
  request.scope = scope.code();
  request.limit = limit;
  request.offset = offset;
  absl::StatusOr<TextSearchResult> found = options_.text_index->Search(request);
  if (found.status().code() == absl::StatusCode::kInvalidArgument) return found.status();
  if (!found.ok()) {
    return SearchMemory(query, scope, limit, offset,
                        StrCat("the text index failed (", found.status().message(), ")"));
  }
  // The text search ran without the database's lock; its hits are read under it, and a
  // person written since is shown as it is now (or left out when deleted or moved away).
  Database::ReadView view = database_.Read();
  const Registry& registry = RegistryOf(view);
  const RecordStore& store = registry.store();
  SearchResult result;
  result.engine = "text_index";
  result.total = found->estimated_total;
  result.suggestion = std::move(found->corrected_query);
  result.unmatched_words = std::move(found->unmatched_words);
  result.relaxed = found->relaxed;
  result.complete = found->complete;
  for (const TextHit& hit : found->hits) {
    std::optional<PersonId> id = store.FindPerson(hit.id_art);
    if (!id.has_value() || !store.is_live(*id) ||
        !scope.Contains(store.kode_wilayah(store.household_of(*id)))) {
      continue;
    }
    result.hits.push_back({View(registry, *id), hit.weight, "text"});
  }
  return result;
}

SearchResult QueryEngine::SearchMemory(std::string_view query, const Scope& scope, size_t limit,
                                       size_t offset, std::string fallback_reason) const {
  Database::ReadView view = database_.Read();
  const Registry& registry = RegistryOf(view);
  const RecordStore& store = registry.store();
  SearchResult result;
  result.engine = "memory";
  result.fallback_reason = std::move(fallback_reason);

  std::vector<SearchHit> hits;
  auto in_scope = [&](PersonId id) {
    return store.is_live(id) && scope.Contains(store.kode_wilayah(store.household_of(id)));
  };
  std::string digits;
  for (char c : query) {
    if (c != ' ' && c != '.' && c != '-') digits.push_back(c);
  }
  if (AllDigits(digits) && digits.size() >= kMinNikPrefixDigits) {
    if (digits.size() == kNikDigits) {
      uint64_t nik = Nik::Parse(digits).value;
      registry.nik_index().Find(nik, [&](PersonId id) {
        if (in_scope(id)) hits.push_back({View(registry, id), 2.0, "nik"});
      });
      registry.nik_index().FindNear(nik, [&](PersonId id, uint64_t) {
        if (in_scope(id)) hits.push_back({View(registry, id), 1.0, "nik_near"});
      });
    } else {
      // A NIK prefix: the NIK column is scanned, a few milliseconds per ten million persons.
      uint64_t scale = 1;
      for (size_t i = digits.size(); i < kNikDigits; ++i) scale *= 10;
      uint64_t prefix = 0;
      for (char c : digits) prefix = prefix * 10 + static_cast<uint64_t>(c - '0');
      for (uint32_t i = 0; i < store.person_count(); ++i) {
        PersonId id(i);
        uint64_t nik = store.nik_value(id);
        if (nik != 0 && nik / scale == prefix && in_scope(id)) {
          hits.push_back({View(registry, id), 1.0, "nik"});
          if (hits.size() >= offset + limit) break;
        }
      }
    }
  } else {
    // A name: candidates from the name-sound keys, ranked by similarity to the query.
    MatchRecordBuilder builder(registry.names(), registry.addresses());
    MatchRecord wanted;
    builder.BuildName(query, &wanted.nama);
    if (!wanted.nama.empty()) {
      BlockingKeys keys;
      BlockingKeysOf(wanted, &keys);
      std::vector<PersonId> ranked;
      BlockingIndex::Limits limits = DefaultBlockingLimits();
      limits.max_candidates = options_.max_scored_candidates;
      registry.blocking_index().Candidates(keys, limits, &ranked);
      std::vector<std::pair<double, PersonId>> scored;
      MatchName name;
      absl::InlinedVector<std::string_view, 6> wanted_tokens = wanted.nama.tokens();
      for (PersonId id : ranked) {
        if (!in_scope(id)) continue;
        builder.BuildName(store.nama(id), &name);
        absl::InlinedVector<std::string_view, 6> tokens = name.tokens();
        double similarity = std::max(JaroWinkler(wanted.nama.canonical, name.canonical),
                                     TokenContainment(wanted_tokens, tokens));
        scored.emplace_back(similarity, id);
      }
      std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
      });
      for (const auto& [similarity, id] : scored) {
        hits.push_back({PersonView{id, {}, {}}, similarity, "name"});
      }
    }
  }
  result.total = hits.size();
  for (size_t i = offset; i < hits.size() && result.hits.size() < limit; ++i) {
    if (hits[i].record.person.id_art.empty()) hits[i].record = View(registry, hits[i].record.id);
    result.hits.push_back(std::move(hits[i]));
  }
  return result;
}

absl::StatusOr<DedupResult> QueryEngine::DedupCheck(const Household& household,
                                                    absl::Span<const Person> members,
                                                    const Scope& scope) const {
  if (members.empty()) return InvalidField("members", "a registration needs its members");
  Database::ReadView view = database_.Read();
  const Registry& registry = RegistryOf(view);
  const RecordStore& store = registry.store();
  DedupResult result;

  absl::flat_hash_map<uint32_t, HouseholdDuplicate> households;
  auto household_entry = [&](HouseholdId id) -> HouseholdDuplicate& {
    HouseholdDuplicate& entry = households[id.value];
    if (!entry.household.id.valid()) {
      entry.household.id = id;
      entry.household.household = store.GetHousehold(id);
      for (PersonId member : store.Members(id)) {
        entry.household.members.push_back(store.GetPerson(member));
      }
    }
    return entry;
  };
  uint64_t no_kk = household.no_kk_value;
  if (no_kk == 0 && !household.no_kk.empty()) no_kk = NoKk::Parse(household.no_kk).value;
  if (no_kk != 0) {
    registry.no_kk_index().Find(no_kk, [&](HouseholdId id) {
      if (!store.is_live(id) || !scope.Contains(store.kode_wilayah(id))) return;
      household_entry(id).reasons.push_back("same_no_kk");
    });
  }
  absl::flat_hash_map<uint32_t, int> matching_members;
  for (const Person& member : members) {
    MatchQuery query{member, household};
    MatchResult matched = MatchLocked(registry, query, scope, /*limit=*/10);
    std::vector<MatchCandidate> kept;
    bool counted_household = false;
    for (MatchCandidate& candidate : matched.candidates) {
      if (candidate.score.decision == Decision::kNonMatch) continue;
      HouseholdId home = store.household_of(candidate.record.id);
      if (candidate.score.decision == Decision::kMatch && !counted_household) {
        ++matching_members[home.value];
        counted_household = true;
        bool is_head = member.hubungan == Hubungan::kKepalaKeluarga;
        if (is_head && store.kode_wilayah(home) == household.kode_wilayah &&
            household.kode_wilayah != 0) {
          household_entry(home).reasons.push_back("head_matches_same_desa");
        }
      }
      kept.push_back(std::move(candidate));
    }
    result.members.push_back(std::move(kept));
  }
  for (const auto& [home, count] : matching_members) {
    if (count < 2) continue;
    HouseholdDuplicate& entry = household_entry(HouseholdId(home));
    entry.reasons.push_back("members_match");
  }
  for (auto& [home, entry] : households) {
    auto it = matching_members.find(home);
    entry.matching_members = it == matching_members.end() ? 0 : it->second;
    result.households.push_back(std::move(entry));
  }
  std::sort(result.households.begin(), result.households.end(),
            [](const HouseholdDuplicate& a, const HouseholdDuplicate& b) {
              if (a.reasons.size() != b.reasons.size()) return a.reasons.size() > b.reasons.size();
              return a.household.id < b.household.id;
            });
  return result;
}

absl::StatusOr<NikLookupResult> QueryEngine::NikLookup(std::string_view nik,
                                                       const Scope& scope) const {
  IdParse parse = Nik::Parse(nik, &regions_);
  NikLookupResult result;
  result.nik = parse.digits;
  result.valid = parse.valid();
  result.problems = parse.problems;
  if (parse.value == 0) return result;
  Nik value(parse.value);
  result.decoded = value.Decode();
  if (const Region* kecamatan = regions_.FindAnyEdition(result.decoded->kecamatan)) {
    result.kecamatan_name = std::string(kecamatan->nama);
  }
  Database::ReadView view = database_.Read();
  const Registry& registry = RegistryOf(view);
  const RecordStore& store = registry.store();
  auto visible = [&](PersonId id) {
    return store.is_live(id) && scope.Contains(store.kode_wilayah(store.household_of(id)));
  };
  // The hits lie scattered over the store: they are collected first, so that reading them
  // whole waits on memory a few times for all of them rather than about ten times for each.
  absl::InlinedVector<PersonId, 4> exact;
  absl::InlinedVector<std::pair<PersonId, uint64_t>, 16> near;
  registry.nik_index().Find(parse.value, [&](PersonId id) { exact.push_back(id); });
  registry.nik_index().FindNear(
      parse.value, [&](PersonId id, uint64_t stored) { near.emplace_back(id, stored); });
  for (int step = 0; step < RecordStore::kPrefetchWholeSteps; ++step) {
    for (PersonId id : exact) store.PrefetchWhole(id, step);
    for (const auto& [id, stored] : near) store.PrefetchWhole(id, step);
  }
  for (PersonId id : exact) {
    if (visible(id)) result.exact.push_back(View(registry, id));
  }
  for (const auto& [id, stored] : near) {
    if (!visible(id)) continue;
    result.near.push_back({View(registry, id), stored, CompareNik(parse.value, stored)});
  }
  return result;
}

absl::StatusOr<PersonView> QueryEngine::GetPerson(std::string_view id_art,
                                                  const Scope& scope) const {
  Database::ReadView view = database_.Read();
  const Registry& registry = RegistryOf(view);
  const RecordStore& store = registry.store();
  std::optional<PersonId> id = store.FindPerson(id_art);
  if (!id.has_value() || !store.is_live(*id) ||
      !scope.Contains(store.kode_wilayah(store.household_of(*id)))) {
    return absl::NotFoundError(StrCat("no person with id_art ", id_art));
  }
  return View(registry, *id);
}

absl::StatusOr<HouseholdView> QueryEngine::GetHousehold(std::string_view id_keluarga,
                                                        const Scope& scope) const {
  Database::ReadView view = database_.Read();
  const RecordStore& store = RegistryOf(view).store();
  std::optional<HouseholdId> id = store.FindHousehold(id_keluarga);
  if (!id.has_value() || !store.is_live(*id) || !scope.Contains(store.kode_wilayah(*id))) {
    return absl::NotFoundError(StrCat("no household with id_keluarga ", id_keluarga));
  }
  HouseholdView result;
  result.id = *id;
  result.household = store.GetHousehold(*id);
  for (PersonId member : store.Members(*id)) result.members.push_back(store.GetPerson(member));
  return result;
}

std::optional<QueryEngine::HouseholdState> QueryEngine::LiveHousehold(
    std::string_view id_keluarga) const {
  Database::ReadView view = database_.Read();
  const RecordStore& store = RegistryOf(view).store();
  std::optional<HouseholdId> id = store.FindHousehold(id_keluarga);
  if (!id.has_value() || !store.is_live(*id)) return std::nullopt;
  return HouseholdState{store.kode_wilayah(*id), store.updated_at(*id)};
}

std::optional<QueryEngine::PersonHome> QueryEngine::LivePersonHome(std::string_view id_art) const {
  Database::ReadView view = database_.Read();
  const RecordStore& store = RegistryOf(view).store();
  std::optional<PersonId> id = store.FindPerson(id_art);
  if (!id.has_value() || !store.is_live(*id)) return std::nullopt;
  const HouseholdId household = store.household_of(*id);
  return PersonHome{std::string(store.id_keluarga(household)), store.kode_wilayah(household)};
}

}  // namespace padan
