// The route table of the v1 API (DESIGN §6), one line per route: method, path, handler, policy.
#include "server/handlers.h"
#include "server/router.h"

namespace padan {
namespace {

constexpr RouteOptions kPublic{.access = Access::kPublic};
// Reads of registry records: key required, scope-filtered, audited, 503 until loaded.
constexpr RouteOptions kReadRecords{.access = Access::kRead, .audited = true, .needs_data = true};
// Full-text search: a query of common names reads long posting lists (up to a second at 10 M).
constexpr RouteOptions kSearch{
    .access = Access::kRead, .audited = true, .needs_data = true, .offload = true};
// Single matches (about 0.5 ms at 10 M) run on the I/O thread: the hand-over to a worker and
// back would cost more than the stall it avoids.
constexpr RouteOptions kQueryJson{
    .access = Access::kRead, .body = BodyKind::kJson, .audited = true, .needs_data = true};
// A household's duplicate check matches every member.
constexpr RouteOptions kDedupJson{.access = Access::kRead,
                                  .body = BodyKind::kJson,
                                  .audited = true,
                                  .needs_data = true,
                                  .offload = true};
constexpr RouteOptions kQueryBatch{.access = Access::kRead,
                                   .body = BodyKind::kBatch,
                                   .audited = true,
                                   .needs_data = true,
                                   .offload = true};
// Writes wait for the log's fsync.
constexpr RouteOptions kWriteJson{.access = Access::kWrite,
                                  .body = BodyKind::kJson,
                                  .audited = true,
                                  .needs_data = true,
                                  .offload = true};
constexpr RouteOptions kWriteNone{
    .access = Access::kWrite, .audited = true, .needs_data = true, .offload = true};
constexpr RouteOptions kWriteNdjson{.access = Access::kWrite,
                                    .body = BodyKind::kIngest,
                                    .audited = true,
                                    .needs_data = true,
                                    .offload = true};
constexpr RouteOptions kStats{.access = Access::kRead, .needs_data = true};
// Batch jobs: inputs uploaded with the submission and streamed to disk; results hold records.
constexpr RouteOptions kJobSubmit{.access = Access::kRead,
                                  .body = BodyKind::kUpload,
                                  .audited = true,
                                  .needs_data = true,
                                  .offload = true};
constexpr RouteOptions kJobs{.access = Access::kRead, .audited = true, .needs_data = true};

}  // namespace

void RegisterRoutes(Router& router) {
  using enum HttpMethod;
  router.Add(kGet, "/healthz", &HandleHealthz, kPublic);
  router.Add(kGet, "/readyz", &HandleReadyz, kPublic);
  router.Add(kGet, "/metrics", &HandleMetrics, kPublic);
  router.Add(kGet, "/", &HandleSearchPage, kPublic);
  router.Add(kGet, "/openapi.json", &HandleOpenApi, kPublic);
  router.Add(kGet, "/v1/stats", &HandleStats, kStats);
  router.Add(kGet, "/v1/persons/:id_art", &HandleGetPerson, kReadRecords);
  router.Add(kGet, "/v1/households/:id_keluarga", &HandleGetHousehold, kReadRecords);
  router.Add(kGet, "/v1/nik/:nik", &HandleNikLookup, kReadRecords);
  router.Add(kGet, "/v1/search", &HandleSearch, kSearch);
  router.Add(kPost, "/v1/match", &HandleMatch, kQueryJson);
  router.Add(kPost, "/v1/match/batch", &HandleMatchBatch, kQueryBatch);
  router.Add(kPost, "/v1/dedup/check", &HandleDedupCheck, kDedupJson);
  router.Add(kPut, "/v1/households/:id_keluarga", &HandlePutHousehold, kWriteJson);
  router.Add(kDelete, "/v1/households/:id_keluarga", &HandleDeleteHousehold, kWriteNone);
  router.Add(kPost, "/v1/ingest", &HandleIngest, kWriteNdjson);
  router.Add(kPost, "/v1/jobs", &HandleSubmitJob, kJobSubmit);
  router.Add(kGet, "/v1/jobs", &HandleListJobs, kJobs);
  router.Add(kGet, "/v1/jobs/:id", &HandleGetJob, kJobs);
  router.Add(kGet, "/v1/jobs/:id/result", &HandleJobResult, kJobs);
  router.Add(kDelete, "/v1/jobs/:id", &HandleDeleteJob, kJobs);
}

}  // namespace padan
