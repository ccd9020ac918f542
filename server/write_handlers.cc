// Handlers of the durable writes: upsert and delete of a household with its members, and NDJSON
// ingest of many. A key writes only inside its scope (403), a stale update is refused (409),
// and every write is durable (fsynced) before the response.
#include <optional>

#include "absl/container/flat_hash_map.h"

#include "data/absl_strings.h"
#include "data/field_error.h"
#include "data/json_writer.h"
#include "data/status_macros.h"
#include "server/api_error.h"
#include "server/handlers.h"
#include "server/request_json.h"

namespace padan {
namespace {

absl::Status OutOfScope(std::string_view field, std::string_view what, const ApiKey& key) {
  return FieldError(absl::StatusCode::kPermissionDenied, field,
                    StrCat(what, " is outside this key's region ",
                           key.scope.code() == 0 ? std::string("(national)")
                                                 : FormatKodeWilayah(key.scope.code())));
}

// The households the earlier lines of one ingest body write: id_keluarga -> the last of them.
using EarlierLines = absl::flat_hash_map<std::string, const Mutation*>;

// The household `id` as the write finds it, after the earlier lines of its body; nullopt when
// there is none (never written, or deleted).
std::optional<QueryEngine::HouseholdState> FindCurrent(const QueryEngine& engine,
                                                       const std::string& id,
                                                       const EarlierLines& earlier) {
  if (auto line = earlier.find(ToAbsl(id)); line != earlier.end()) {
    const Mutation& written = *line->second;
    if (written.kind == Mutation::Kind::kDeleteHousehold) return std::nullopt;
    return QueryEngine::HouseholdState{written.household.kode_wilayah,
                                       written.household.updated_at};
  }
  return engine.LiveHousehold(id);
}

// Checks that `key` may apply `mutation` after the lines before it (`earlier`): the
// household's old and new region and the current households of its members are all inside
// the key's scope; an upsert is not older than the version it replaces. `prefix` qualifies
// field names (ingest line numbers). Sets *created. Run as the write's precondition, so that
// what it checks still holds when the write is applied.
//
// Members are looked up in the registry as it was before the body: an earlier line that moved
// a person passed this check itself, so it can only have moved them into the key's scope.
absl::Status CheckWrite(const QueryEngine& engine, const ApiKey& key, const Mutation& mutation,
                        const EarlierLines& earlier, std::string_view prefix, bool* created) {
  auto field = [&](std::string_view name) { return StrCat(prefix, name); };
  const std::string& id = mutation.target();
  const std::optional<QueryEngine::HouseholdState> existing = FindCurrent(engine, id, earlier);
  *created = !existing.has_value();
  if (existing.has_value() && !key.scope.Contains(existing->kode_wilayah)) {
    return OutOfScope(field("id_keluarga"), StrCat("household ", id), key);
  }
  if (mutation.kind == Mutation::Kind::kDeleteHousehold) {
    if (!existing.has_value()) {
      return FieldError(absl::StatusCode::kNotFound, field("id_keluarga"),
                        StrCat("no household ", id));
    }
    return absl::OkStatus();
  }
  if (!key.scope.Contains(mutation.household.kode_wilayah)) {
    return OutOfScope(field("kode_wilayah"), FormatKodeWilayah(mutation.household.kode_wilayah),
                      key);
  }
  const Date stored = existing.has_value() ? existing->updated_at : Date();
  const Date& incoming = mutation.household.updated_at;
  if (!stored.missing() && !incoming.missing() && incoming.days() < stored.days()) {
    return FieldError(absl::StatusCode::kAborted, field("updated_at"),
                      StrCat("the stored household was updated ", stored.ToString(),
                             ", after this version (", incoming.ToString(), ")"));
  }
  for (size_t i = 0; i < mutation.members.size(); ++i) {
    const Person& member = mutation.members[i];
    std::optional<QueryEngine::PersonHome> current = engine.LivePersonHome(member.id_art);
    if (current.has_value() && current->id_keluarga != id &&
        !key.scope.Contains(current->kode_wilayah)) {
      return OutOfScope(field(StrCat("anggota[", i, "].id_art")),
                        StrCat("person ", member.id_art, "'s current household"), key);
    }
  }
  return absl::OkStatus();
}

// A refusal by the registry of a well-formed write is 422, not 400; a missing household 404.
absl::Status MapWriteError(const absl::Status& status) {
  if (status.code() == absl::StatusCode::kInvalidArgument) return AsUnprocessable(status);
  // The store is full (its 32-bit ids or arena offsets): no retry by this caller will help soon.
  if (status.code() == absl::StatusCode::kResourceExhausted) {
    return absl::UnavailableError(status.message());
  }
  return status;
}

// Writes one household mutation if CheckWrite allows it when it is applied.
absl::Status WriteChecked(RequestContext& context, const Mutation& mutation, bool* created) {
  const QueryEngine& engine = context.backend->engine();
  const ApiKey& key = *context.key;
  absl::Status status = context.backend->Write({&mutation, 1}, [&] {
    return CheckWrite(engine, key, mutation, EarlierLines(), "", created);
  });
  return status.ok() ? status : MapWriteError(status);
}

}  // namespace

absl::StatusOr<HttpResponse> HandlePutHousehold(RequestContext& context) {
  if (absl::Status s = context.OnlyQueryParams({}); !s.ok()) return s;
  std::string_view id = context.Param("id_keluarga");
  context.audit.query.emplace_back("id_keluarga", std::string(id));
  absl::StatusOr<HouseholdBody> body =
      ParseHouseholdBody(context.request.body, IdRule::kRequired, context.backend->regions());
  if (!body.ok()) return body.status();
  if (body->household.id_keluarga != id) {
    return InvalidField("id_keluarga", "must equal the id in the path");
  }
  Mutation mutation;
  mutation.kind = Mutation::Kind::kUpsertHousehold;
  mutation.household = std::move(body->household);
  mutation.members = std::move(body->members);
  bool created = false;
  if (absl::Status s = WriteChecked(context, mutation, &created); !s.ok()) return s;
  context.audit.ids.push_back(mutation.household.id_keluarga);
  for (const Person& member : mutation.members) context.audit.ids.push_back(member.id_art);
  JsonWriter json;
  json.BeginObject();
  json.Member("id_keluarga", mutation.household.id_keluarga);
  json.Member("anggota", static_cast<uint64_t>(mutation.members.size()));
  json.Member("created", created);
  json.EndObject();
  return JsonResponse(json.Release(), created ? 201 : 200);
}

absl::StatusOr<HttpResponse> HandleDeleteHousehold(RequestContext& context) {
  if (absl::Status s = context.OnlyQueryParams({}); !s.ok()) return s;
  Mutation mutation;
  mutation.kind = Mutation::Kind::kDeleteHousehold;
  mutation.id_keluarga = std::string(context.Param("id_keluarga"));
  context.audit.query.emplace_back("id_keluarga", mutation.id_keluarga);
  bool created = false;
  if (absl::Status s = WriteChecked(context, mutation, &created); !s.ok()) return s;
  context.audit.ids.push_back(mutation.id_keluarga);
  HttpResponse response;
  response.status = 204;
  response.body.clear();
  return response;
}

absl::StatusOr<HttpResponse> HandleIngest(RequestContext& context) {
  if (absl::Status s = context.OnlyQueryParams({}); !s.ok()) return s;
  std::string_view body = context.request.body;
  std::vector<Mutation> mutations;
  std::vector<size_t> line_numbers;  // of each mutation (blank lines are skipped)
  size_t line_number = 0;
  uint64_t upserts = 0;
  uint64_t deletes = 0;
  while (!body.empty()) {
    ++line_number;
    size_t end = body.find('\n');
    std::string_view line = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view() : body.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    absl::StatusOr<Mutation> mutation = ParseIngestLine(line, context.backend->regions());
    if (!mutation.ok()) {
      std::string field = StrCat("line[", line_number, "]");
      std::optional<std::string> inner = FieldOf(mutation.status());
      if (inner.has_value()) StrAppend(&field, ".", *inner);
      return InvalidField(
          field, StrCat("line ", line_number, ": ", FromAbsl(mutation.status().message())));
    }
    (mutation->kind == Mutation::Kind::kDeleteHousehold ? deletes : upserts) += 1;
    mutations.push_back(*std::move(mutation));
    line_numbers.push_back(line_number);
  }
  if (mutations.empty()) return InvalidField("body", "holds no NDJSON lines");
  // One write: the whole file is applied atomically and durably, or not at all. Each line is
  // checked after the ones before it.
  const QueryEngine& engine = context.backend->engine();
  const ApiKey& key = *context.key;
  absl::Status status = context.backend->Write(mutations, [&]() -> absl::Status {
    EarlierLines earlier;
    for (size_t i = 0; i < mutations.size(); ++i) {
      bool created = false;
      PADAN_RETURN_IF_ERROR(CheckWrite(engine, key, mutations[i], earlier,
                                       StrCat("line[", line_numbers[i], "]."), &created));
      earlier[ToAbsl(mutations[i].target())] = &mutations[i];
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return MapWriteError(status);
  for (const Mutation& mutation : mutations) context.audit.ids.push_back(mutation.target());
  JsonWriter json;
  json.BeginObject();
  json.Member("lines", static_cast<uint64_t>(line_number));
  json.Member("upserted", upserts).Member("deleted", deletes);
  json.EndObject();
  return JsonResponse(json.Release());
}

}  // namespace padan
