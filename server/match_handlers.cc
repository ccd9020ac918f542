// Handlers of scored matching: one partial person, a batch of them, and the duplicate check of
// a new household registration. Results are filtered by the key's scope and masked.
#include "data/absl_strings.h"
#include "data/field_codes.h"
#include "server/api_error.h"
#include "server/handlers.h"
#include "data/json_writer.h"
#include "server/record_json.h"
#include "server/request_json.h"

namespace padan {
namespace {

// The query as the audit log keeps it: the identifying fields (NIK and No KK hashed by the log).
void AuditMatchQuery(const MatchRequest& request, std::string_view prefix, AuditEntry* audit) {
  const Person& person = request.query.person;
  auto add = [&](std::string_view name, std::string_view value) {
    if (!value.empty()) audit->query.emplace_back(StrCat(prefix, name), std::string(value));
  };
  add("nik", person.nik);
  add("nama", person.nama);
  add("tanggal_lahir", person.tanggal_lahir.ToString());
  if (request.query.household.kode_wilayah != 0) {
    add("kode_wilayah", FormatKodeWilayah(request.query.household.kode_wilayah));
  }
  add("no_kk", request.query.household.no_kk);
  add("wilayah", request.wilayah);
}

}  // namespace

absl::StatusOr<HttpResponse> HandleMatch(RequestContext& context) {
  if (absl::Status s = context.OnlyQueryParams({}); !s.ok()) return s;
  absl::StatusOr<MatchRequest> request = ParseMatchRequest(context.request.body);
  if (!request.ok()) return request.status();
  AuditMatchQuery(*request, "", &context.audit);
  absl::StatusOr<Scope> scope = context.ReadScope(request->wilayah);
  if (!scope.ok()) return scope.status();
  absl::StatusOr<MatchResult> result =
      context.backend->engine().Match(request->query, *scope, request->limit);
  if (!result.ok()) return result.status();
  for (const MatchCandidate& candidate : result->candidates) {
    context.audit.ids.push_back(candidate.record.person.id_art);
  }
  JsonWriter json;
  WriteMatchResult(json, *result, context.pii());
  return JsonResponse(json.Release());
}

absl::StatusOr<HttpResponse> HandleMatchBatch(RequestContext& context) {
  if (absl::Status s = context.OnlyQueryParams({}); !s.ok()) return s;
  absl::StatusOr<std::vector<MatchRequest>> requests =
      ParseMatchBatch(context.request.body, context.limits.max_batch_records);
  if (!requests.ok()) return requests.status();
  absl::StatusOr<Scope> scope = context.ReadScope(requests->front().wilayah);
  if (!scope.ok()) return scope.status();
  context.audit.query.emplace_back("records", StrCat(requests->size()));
  const QueryEngine& engine = context.backend->engine();
  bool pii = context.pii();
  JsonWriter json;
  json.BeginObject().Key("results").BeginArray();
  for (size_t i = 0; i < requests->size(); ++i) {
    const MatchRequest& request = (*requests)[i];
    AuditMatchQuery(request, StrCat("records[", i, "].").c_str(), &context.audit);
    absl::StatusOr<MatchResult> result = engine.Match(request.query, *scope, request.limit);
    if (!result.ok()) {
      // One unusable record does not fail the other 999: its slot carries the error.
      HttpResponse error = ErrorResponse(result.status());
      json.Raw(error.body);
      continue;
    }
    for (const MatchCandidate& candidate : result->candidates) {
      context.audit.ids.push_back(candidate.record.person.id_art);
    }
    WriteMatchResult(json, *result, pii);
  }
  json.EndArray().EndObject();
  return JsonResponse(json.Release());
}

absl::StatusOr<HttpResponse> HandleDedupCheck(RequestContext& context) {
  if (absl::Status s = context.OnlyQueryParams({}); !s.ok()) return s;
  absl::StatusOr<HouseholdBody> body =
      ParseHouseholdBody(context.request.body, IdRule::kOptional, context.backend->regions());
  if (!body.ok()) return body.status();
  if (!body->household.no_kk.empty()) {
    context.audit.query.emplace_back("no_kk", body->household.no_kk);
  }
  for (const Person& member : body->members) {
    if (!member.nik.empty()) context.audit.query.emplace_back("nik", member.nik);
    context.audit.query.emplace_back("nama", member.nama);
  }
  absl::StatusOr<DedupResult> result =
      context.backend->engine().DedupCheck(body->household, body->members, context.key->scope);
  if (!result.ok()) return result.status();
  bool pii = context.pii();
  JsonWriter json;
  json.BeginObject();
  json.Key("households").BeginArray();
  for (const HouseholdDuplicate& duplicate : result->households) {
    json.BeginObject();
    json.Key("household");
    WriteHouseholdView(json, duplicate.household, pii);
    json.Key("reasons").BeginArray();
    for (const std::string& reason : duplicate.reasons) json.String(reason);
    json.EndArray();
    json.Member("matching_members", duplicate.matching_members);
    json.EndObject();
    context.audit.ids.push_back(duplicate.household.household.id_keluarga);
  }
  json.EndArray();
  json.Key("members").BeginArray();
  for (const std::vector<MatchCandidate>& candidates : result->members) {
    json.BeginArray();
    for (const MatchCandidate& candidate : candidates) {
      WriteMatchCandidate(json, candidate, pii);
      context.audit.ids.push_back(candidate.record.person.id_art);
    }
    json.EndArray();
  }
  json.EndArray();
  json.EndObject();
  return JsonResponse(json.Release());
}

}  // namespace padan
