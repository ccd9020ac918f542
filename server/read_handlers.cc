// Handlers of the record reads: a person, a household, a NIK, free-text search. Each filters by
// the key's scope (the engine never returns a record outside it) and masks PII for keys
// without the right.

#include "data/absl_strings.h"
#include "data/field_codes.h"
#include "data/field_error.h"
#include "data/json_writer.h"
#include "matching/nik_comparison.h"
#include "server/handlers.h"
#include "server/record_json.h"

namespace padan {
namespace {

// Longer ids and NIK texts are certainly typos or attacks; refuse before looking up.
constexpr size_t kMaxIdBytes = 128;
constexpr size_t kMaxNikText = 32;
constexpr size_t kDefaultSearchLimit = 20;
constexpr size_t kMaxSearchLimit = 100;
// Deep pages of a ranked search are never read by a person and cost the most.
constexpr size_t kMaxSearchOffset = 10'000;
constexpr size_t kMaxQueryBytes = 256;

}  // namespace

absl::StatusOr<HttpResponse> HandleGetPerson(RequestContext& context) {
  if (absl::Status s = context.OnlyQueryParams({}); !s.ok()) return s;
  std::string_view id_art = context.Param("id_art");
  context.audit.query.emplace_back("id_art", std::string(id_art));
  if (id_art.size() > kMaxIdBytes) return InvalidField("id_art", "is too long");
  absl::StatusOr<PersonView> person =
      context.backend->engine().GetPerson(id_art, context.key->scope);
  if (!person.ok()) return person.status();
  context.audit.ids.push_back(person->person.id_art);
  JsonWriter json;
  WritePersonView(json, *person, context.pii());
  return JsonResponse(json.Release());
}

absl::StatusOr<HttpResponse> HandleGetHousehold(RequestContext& context) {
  if (absl::Status s = context.OnlyQueryParams({}); !s.ok()) return s;
  std::string_view id = context.Param("id_keluarga");
  context.audit.query.emplace_back("id_keluarga", std::string(id));
  if (id.size() > kMaxIdBytes) return InvalidField("id_keluarga", "is too long");
  absl::StatusOr<HouseholdView> household =
      context.backend->engine().GetHousehold(id, context.key->scope);
  if (!household.ok()) return household.status();
  context.audit.ids.push_back(household->household.id_keluarga);
  for (const Person& member : household->members) context.audit.ids.push_back(member.id_art);
  JsonWriter json;
  WriteHouseholdView(json, *household, context.pii());
  return JsonResponse(json.Release());
}

absl::StatusOr<HttpResponse> HandleNikLookup(RequestContext& context) {
  if (absl::Status s = context.OnlyQueryParams({"wilayah"}); !s.ok()) return s;
  std::string_view nik = context.Param("nik");
  context.audit.query.emplace_back("nik", std::string(nik));
  if (nik.size() > kMaxNikText) return InvalidField("nik", "is too long for a NIK");
  absl::StatusOr<Scope> scope = context.ReadScope(context.Query("wilayah").value_or(""));
  if (!scope.ok()) return scope.status();
  absl::StatusOr<NikLookupResult> result = context.backend->engine().NikLookup(nik, *scope);
  if (!result.ok()) return result.status();
  bool pii = context.pii();
  JsonWriter json;
  json.BeginObject();
  json.Member("nik", result->nik);
  json.Member("valid", result->valid);
  json.Key("problems").BeginArray();
  for (IdProblem problem : result->problems) {
    json.BeginObject();
    json.Member("code", IdProblemName(problem)).Member("message", IdProblemMessage(problem));
    json.EndObject();
  }
  json.EndArray();
  if (result->decoded.has_value()) {
    const NikParts& parts = *result->decoded;
    json.Key("decoded").BeginObject();
    json.Member("kecamatan", FormatKodeWilayah(parts.kecamatan));
    json.Member("kecamatan_nama", result->kecamatan_name);
    json.Member("hari", parts.day).Member("bulan", parts.month);
    json.Member("tahun_2digit", parts.year_2digit);
    json.Member("jenis_kelamin", SexCode(parts.sex));
    json.Member("serial", parts.serial);
    json.EndObject();
  } else {
    json.Key("decoded").Null();
  }
  json.Key("exact").BeginArray();
  for (const PersonView& view : result->exact) {
    WritePersonView(json, view, pii);
    context.audit.ids.push_back(view.person.id_art);
  }
  json.EndArray();
  json.Key("near").BeginArray();
  for (const NikLookupResult::Near& near : result->near) {
    json.BeginObject();
    json.Member("level", NikLevelName(near.level));
    json.Key("record");
    WritePersonView(json, near.record, pii);
    json.EndObject();
    context.audit.ids.push_back(near.record.person.id_art);
  }
  json.EndArray();
  json.EndObject();
  return JsonResponse(json.Release());
}

absl::StatusOr<HttpResponse> HandleSearch(RequestContext& context) {
  if (absl::Status s = context.OnlyQueryParams({"q", "wilayah", "limit", "offset"}); !s.ok()) {
    return s;
  }
  std::optional<std::string_view> q = context.Query("q");
  if (!q.has_value() || q->empty()) return InvalidField("q", "is required");
  if (q->size() > kMaxQueryBytes) {
    return InvalidField("q", StrCat("is longer than ", kMaxQueryBytes, " bytes"));
  }
  context.audit.query.emplace_back("q", std::string(*q));
  std::string_view wilayah = context.Query("wilayah").value_or("");
  if (!wilayah.empty()) context.audit.query.emplace_back("wilayah", std::string(wilayah));
  absl::StatusOr<size_t> limit =
      context.QueryCount("limit", kDefaultSearchLimit, 1, kMaxSearchLimit);
  if (!limit.ok()) return limit.status();
  absl::StatusOr<size_t> offset = context.QueryCount("offset", 0, 0, kMaxSearchOffset);
  if (!offset.ok()) return offset.status();
  absl::StatusOr<Scope> scope = context.ReadScope(wilayah);
  if (!scope.ok()) return scope.status();
  absl::StatusOr<SearchResult> result =
      context.backend->engine().Search(*q, *scope, *limit, *offset);
  if (!result.ok()) return result.status();
  bool pii = context.pii();
  JsonWriter json;
  json.BeginObject();
  json.Member("total", result->total);
  json.Member("engine", result->engine);
  if (!result->fallback_reason.empty()) json.Member("fallback_reason", result->fallback_reason);
  if (!result->suggestion.empty()) json.Member("suggestion", result->suggestion);
  // The page tells the officer which words were dropped and that the hits match only some.
  json.Key("unmatched_words").BeginArray();
  for (const std::string& word : result->unmatched_words) json.String(word);
  json.EndArray();
  json.Member("relaxed", result->relaxed);
  json.Member("complete", result->complete);
  json.Key("hits").BeginArray();
  for (const SearchHit& hit : result->hits) {
    json.BeginObject();
    json.Member("score", hit.score).Member("matched_by", hit.matched_by);
    json.Key("record");
    WritePersonView(json, hit.record, pii);
    json.EndObject();
    context.audit.ids.push_back(hit.record.person.id_art);
  }
  json.EndArray();
  json.EndObject();
  return JsonResponse(json.Release());
}

}  // namespace padan
