// End-to-end tests of the HTTP API: a real server on a free loopback port over a small
// in-memory registry, called over sockets. Every route, every error status, scope on every
// route, PII masking, the audit log, the transport limits and graceful shutdown.
#include "server/http_server.h"

#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include <simdjson.h>

#include "data/field_error.h"
#include "server/api_keys.h"
#include "server/api_service.h"
#include "server/audit_log.h"
#include "server/sha256.h"
#include "tests/server/http_server_fixture.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::ClientConnection;
using ::padan::testing::ClientResponse;
using ::padan::testing::HttpServerTest;
using ::padan::testing::Json;
using ::padan::testing::kKabKota;
using ::padan::testing::kLayanan;
using ::padan::testing::kLimited;
using ::padan::testing::kProvinsi;
using ::padan::testing::kPusat;
using ::padan::testing::RequestText;
using ::testing::HasSubstr;
using ::testing::Not;

// --- operational routes ------------------------------------------------------------------

TEST_F(HttpServerTest, HealthAndReadiness) {
  EXPECT_EQ(Call("GET", "/healthz").status, 200);
  EXPECT_EQ(Call("GET", "/readyz").status, 200);
  StartServer(ServerLimits(), /*ready=*/false);
  EXPECT_EQ(Call("GET", "/healthz").status, 200);
  ClientResponse loading = Call("GET", "/readyz");
  EXPECT_EQ(loading.status, 503);
  EXPECT_THAT(loading.body, HasSubstr("loading"));
  ClientResponse data = Call("GET", "/v1/persons/P1", kPusat);
  EXPECT_EQ(data.status, 503);
  EXPECT_EQ(data.Header("retry-after"), "5");
  service_->SetBackend(backend_.get());
  EXPECT_EQ(Call("GET", "/readyz").status, 200);
}

TEST_F(HttpServerTest, EveryResponseCarriesARequestId) {
  EXPECT_FALSE(Call("GET", "/healthz").Header("x-request-id").empty());
  EXPECT_FALSE(Call("GET", "/nowhere").Header("x-request-id").empty());
  EXPECT_FALSE(Call("GET", "/v1/persons/P1").Header("x-request-id").empty());
  ClientResponse traced = Call("GET", "/healthz", "", "", {{"X-Request-Id", "trace-42"}});
  EXPECT_EQ(traced.Header("x-request-id"), "trace-42");
}

TEST_F(HttpServerTest, MetricsArePrometheusText) {
  Call("GET", "/v1/persons/P1", kPusat);
  Call("GET", "/v1/persons/nobody", kPusat);
  ClientResponse metrics = Call("GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_THAT(metrics.Header("content-type"), HasSubstr("text/plain; version=0.0.4"));
  EXPECT_THAT(metrics.body, HasSubstr("padan_http_requests_total{method=\"GET\",route=\"/v1/"
                                      "persons/:id_art\",status=\"200\"} 1"));
  EXPECT_THAT(metrics.body, HasSubstr("status=\"404\"} 1"));
  EXPECT_THAT(metrics.body, HasSubstr("padan_http_request_duration_seconds_bucket{method=\"GET\","
                                      "route=\"/v1/persons/:id_art\",le=\"+Inf\"} 2"));
  EXPECT_THAT(metrics.body, HasSubstr("padan_persons 4"));
  EXPECT_THAT(metrics.body, HasSubstr("padan_index_memory_bytes{index=\"nik_index\"}"));
  EXPECT_THAT(metrics.body, HasSubstr("padan_http_open_connections"));
  EXPECT_THAT(metrics.body, HasSubstr("padan_wal_bytes"));
}

TEST_F(HttpServerTest, StatsNeedAKey) {
  EXPECT_EQ(Call("GET", "/v1/stats").status, 401);
  ClientResponse stats = Call("GET", "/v1/stats", kLayanan);
  ASSERT_EQ(stats.status, 200);
  simdjson::dom::element root = Json(parser_, stats.body);
  EXPECT_EQ(uint64_t(root["persons"]), 4u);
  EXPECT_EQ(uint64_t(root["households"]), 3u);
  EXPECT_EQ(std::string_view(root["model_version"]), "test-model");
  EXPECT_GT(uint64_t(root["memory_bytes"]["total"]), 0u);
}

TEST_F(HttpServerTest, PageAndOpenApiDocument) {
  ClientResponse page = Call("GET", "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_THAT(page.Header("content-type"), HasSubstr("text/html"));
  EXPECT_THAT(page.body, HasSubstr("lang=\"id\""));
  ClientResponse document = Call("GET", "/openapi.json");
  ASSERT_EQ(document.status, 200);
  simdjson::dom::element root = Json(parser_, document.body);
  EXPECT_EQ(std::string_view(root["openapi"]).substr(0, 2), "3.");
  // Every route of the router is documented, with its method.
  for (const Route& route : service_->router().routes()) {
    std::string path;
    for (const std::string& segment : route.segments) {
      path.push_back('/');
      if (!segment.empty() && segment[0] == ':') {
        path.push_back('{');
        path.append(segment, 1);
        path.push_back('}');
      } else {
        path.append(segment);
      }
    }
    std::string method(HttpMethodName(route.method));
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    simdjson::dom::element operation;
    EXPECT_FALSE(root["paths"][path][method].get(operation)) << method << " " << path;
  }
}

TEST_F(HttpServerTest, HeadAnswersWithoutBody) {
  ClientConnection connection(server_->port());
  connection.Send(RequestText("HEAD", "/healthz", {}));
  std::optional<ClientResponse> response = connection.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(response->body.empty());
}

// --- authentication and routing errors ----------------------------------------------------

TEST_F(HttpServerTest, MissingOrUnknownKeyIs401) {
  ClientResponse missing = Call("GET", "/v1/persons/P1");
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(ErrorCode(missing), "unauthenticated");
  EXPECT_FALSE(missing.Header("www-authenticate").empty());
  EXPECT_EQ(Call("GET", "/v1/persons/P1", "wrong-secret").status, 401);
  ClientResponse bearer =
      Call("GET", "/v1/persons/P1", "", "", {{"Authorization", std::string("Bearer ") + kPusat}});
  EXPECT_EQ(bearer.status, 200);
}

TEST_F(HttpServerTest, UnknownRouteIs404AndWrongMethodIs405) {
  EXPECT_EQ(Call("GET", "/v1/nothing", kPusat).status, 404);
  ClientResponse wrong = Call("POST", "/v1/persons/P1", kPusat, "{}");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(ErrorCode(wrong), "method_not_allowed");
}

TEST_F(HttpServerTest, JobsAre503WhileNoJobRunnerIsServing) {
  // The registry serves, the job runner is not up (its folder could not be opened).
  ClientResponse jobs = Call("POST", "/v1/jobs", kPusat, R"({"type":"link"})");
  EXPECT_EQ(jobs.status, 503);
  EXPECT_EQ(ErrorCode(jobs), "unavailable");
  EXPECT_EQ(Call("GET", "/v1/jobs/j1", kPusat).status, 503);
  EXPECT_EQ(Call("GET", "/v1/jobs/j1/result", kPusat).status, 503);
  EXPECT_EQ(Call("DELETE", "/v1/jobs/j1", kPusat).status, 503);
  EXPECT_EQ(Call("GET", "/v1/jobs/j1").status, 401);
}

TEST_F(HttpServerTest, RateLimitAnswers429WithRetryAfter) {
  EXPECT_EQ(Call("GET", "/v1/persons/P1", kLimited).status, 200);
  EXPECT_EQ(Call("GET", "/v1/persons/P1", kLimited).status, 200);
  ClientResponse limited = Call("GET", "/v1/persons/P1", kLimited);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(ErrorCode(limited), "rate_limited");
  EXPECT_EQ(limited.Header("retry-after"), "1");
  // Other keys are not affected.
  EXPECT_EQ(Call("GET", "/v1/persons/P1", kPusat).status, 200);
}

// --- reads, scope and masking -------------------------------------------------------------

TEST_F(HttpServerTest, GetPersonWithHouseholdAndMasking) {
  ClientResponse full = Call("GET", "/v1/persons/P1", kPusat);
  ASSERT_EQ(full.status, 200);
  simdjson::dom::element root = Json(parser_, full.body);
  EXPECT_EQ(std::string_view(root["nama"]), "Budi Santoso");
  EXPECT_EQ(std::string_view(root["nik"]), "3201011705800003");
  EXPECT_EQ(std::string_view(root["nama_ibu_kandung"]), "Sumarni");
  EXPECT_EQ(std::string_view(root["keluarga"]["kode_wilayah"]), "3201011001");

  ClientResponse masked = Call("GET", "/v1/persons/P1", kKabKota);
  ASSERT_EQ(masked.status, 200);
  root = Json(parser_, masked.body);
  EXPECT_EQ(std::string_view(root["nik"]), "320101******0003");
  EXPECT_EQ(std::string_view(root["nama_ibu_kandung"]), "S***");
  EXPECT_TRUE(bool(root["masked"]));
  EXPECT_THAT(masked.body, Not(HasSubstr("Sumarni")));
  EXPECT_THAT(masked.body, Not(HasSubstr("1705800003")));

  // The provinsi key was given the PII right explicitly.
  EXPECT_THAT(Call("GET", "/v1/persons/P1", kProvinsi).body, HasSubstr("3201011705800003"));
}

TEST_F(HttpServerTest, GetPersonOutsideScopeIsNotFound) {
  EXPECT_EQ(Call("GET", "/v1/persons/P3", kPusat).status, 200);
  EXPECT_EQ(Call("GET", "/v1/persons/P3", kKabKota).status, 404);
  EXPECT_EQ(Call("GET", "/v1/persons/P3", kProvinsi).status, 404);
  EXPECT_EQ(Call("GET", "/v1/persons/nobody", kPusat).status, 404);
  ClientResponse extra = Call("GET", "/v1/persons/P1?x=1", kPusat);
  EXPECT_EQ(extra.status, 400);
  EXPECT_EQ(ErrorField(extra), "x");
}

TEST_F(HttpServerTest, GetHouseholdWithMembersAndScope) {
  ClientResponse household = Call("GET", "/v1/households/K1", kKabKota);
  ASSERT_EQ(household.status, 200);
  simdjson::dom::element root = Json(parser_, household.body);
  simdjson::dom::array members = root["anggota"];
  EXPECT_EQ(members.size(), 2u);
  EXPECT_THAT(household.body, Not(HasSubstr("Painem")));
  EXPECT_EQ(Call("GET", "/v1/households/K2", kKabKota).status, 404);
  EXPECT_EQ(Call("GET", "/v1/households/K2", kLayanan).status, 200);
}

TEST_F(HttpServerTest, NikLookupExactNearAndScope) {
  ClientResponse exact = Call("GET", "/v1/nik/3201011705800003", kPusat);
  ASSERT_EQ(exact.status, 200);
  simdjson::dom::element root = Json(parser_, exact.body);
  EXPECT_TRUE(bool(root["valid"]));
  EXPECT_EQ(std::string_view(root["decoded"]["jenis_kelamin"]), "L");
  EXPECT_EQ(simdjson::dom::array(root["exact"]).size(), 1u);

  // One digit wrong: no exact hit, a near one.
  ClientResponse near = Call("GET", "/v1/nik/3201011705800004", kPusat);
  ASSERT_EQ(near.status, 200);
  root = Json(parser_, near.body);
  EXPECT_EQ(simdjson::dom::array(root["exact"]).size(), 0u);
  ASSERT_GE(simdjson::dom::array(root["near"]).size(), 1u);
  EXPECT_EQ(std::string_view(root["near"].at(0)["level"]), "one_substitution");

  // Masked for layanan, invisible to another kab/kota.
  ClientResponse masked = Call("GET", "/v1/nik/3201011705800004", kLayanan);
  EXPECT_THAT(masked.body, HasSubstr("320101******0003"));
  ClientResponse other = Call("GET", "/v1/nik/3171012003700001", kKabKota);
  ASSERT_EQ(other.status, 200);
  EXPECT_THAT(other.body, Not(HasSubstr("Agus")));
  ClientResponse outside = Call("GET", "/v1/nik/3171012003700001?wilayah=3171", kKabKota);
  EXPECT_EQ(outside.status, 403);
  EXPECT_EQ(ErrorField(outside), "wilayah");

  ClientResponse invalid = Call("GET", "/v1/nik/12345", kPusat);
  ASSERT_EQ(invalid.status, 200);
  EXPECT_THAT(invalid.body, HasSubstr("wrong_length"));
  EXPECT_EQ(Call("GET", "/v1/nik/" + std::string(40, '1'), kPusat).status, 400);
}

TEST_F(HttpServerTest, SearchRankedScopedAndValidated) {
  ClientResponse budi = Call("GET", "/v1/search?q=budi+santoso", kPusat);
  ASSERT_EQ(budi.status, 200) << budi.body;
  simdjson::dom::element root = Json(parser_, budi.body);
  ASSERT_GE(simdjson::dom::array(root["hits"]).size(), 1u);
  EXPECT_EQ(std::string_view(root["hits"].at(0)["record"]["id_art"]), "P1");

  ClientResponse agus = Call("GET", "/v1/search?q=agus%20salim", kKabKota);
  ASSERT_EQ(agus.status, 200);
  EXPECT_THAT(agus.body, Not(HasSubstr("P3")));
  EXPECT_THAT(Call("GET", "/v1/search?q=agus%20salim", kPusat).body, HasSubstr("P3"));
  EXPECT_THAT(Call("GET", "/v1/search?q=agus%20salim&wilayah=3201", kPusat).body,
              Not(HasSubstr("P3")));
  EXPECT_EQ(Call("GET", "/v1/search?q=agus&wilayah=3171", kKabKota).status, 403);

  EXPECT_EQ(ErrorField(Call("GET", "/v1/search", kPusat)), "q");
  EXPECT_EQ(ErrorField(Call("GET", "/v1/search?q=budi&limit=0", kPusat)), "limit");
  EXPECT_EQ(ErrorField(Call("GET", "/v1/search?q=budi&limit=abc", kPusat)), "limit");
  EXPECT_EQ(ErrorField(Call("GET", "/v1/search?q=budi&offset=-1", kPusat)), "offset");
  EXPECT_EQ(ErrorField(Call("GET", "/v1/search?q=budi&colour=red", kPusat)), "colour");
  EXPECT_EQ(ErrorField(Call("GET", "/v1/search?q=budi&wilayah=320", kPusat)), "wilayah");
  EXPECT_EQ(Call("GET", "/v1/search?q=%ff%fe", kPusat).status, 400);  // not UTF-8
  EXPECT_EQ(Call("GET", "/v1/search?q=%zz", kPusat).status, 400);
}

// --- matching -------------------------------------------------------------------------------

TEST_F(HttpServerTest, MatchScoresWithExplanation) {
  std::string query = R"({"nama":"Budi Santosa","tanggal_lahir":"1980-05-17","jenis_kelamin":"L",)"
                      R"("kode_wilayah":"3201011001","limit":5})";
  ClientResponse match = Call("POST", "/v1/match", kPusat, query);
  ASSERT_EQ(match.status, 200) << match.body;
  simdjson::dom::element root = Json(parser_, match.body);
  simdjson::dom::element best = root["candidates"].at(0);
  EXPECT_EQ(std::string_view(best["record"]["id_art"]), "P1");
  EXPECT_NE(std::string_view(best["score"]["decision"]), "non_match");
  EXPECT_GT(simdjson::dom::array(best["score"]["explanation"]).size(), 3u);
  EXPECT_EQ(std::string_view(root["model_version"]), "test-model");

  // Outside the kab/kota key's scope, the same query finds nothing.
  std::string agus = R"({"nama":"Agus Salim","tanggal_lahir":"1970-03-20"})";
  EXPECT_THAT(Call("POST", "/v1/match", kPusat, agus).body, HasSubstr("P3"));
  EXPECT_THAT(Call("POST", "/v1/match", kKabKota, agus).body, Not(HasSubstr("P3")));
  EXPECT_EQ(Call("POST", "/v1/match", kKabKota, R"({"nama":"Agus Salim","wilayah":"3171"})").status,
            403);
  // Masked for a key without the PII right.
  EXPECT_THAT(Call("POST", "/v1/match", kLayanan, query).body, HasSubstr("320101******0003"));
}

TEST_F(HttpServerTest, MatchRejectsBadBodiesNamingTheField) {
  struct Case {
    std::string body;
    std::string field;
  };
  std::vector<Case> cases = {
      {R"({"nama": "Budi", "nik": "32010117058000"})", "nik"},
      {R"({"nama": "Budi", "nik": 3201011705800003})", "nik"},
      {R"({"nama": "Budi", "tanggal_lahir": "17-05-1980"})", "tanggal_lahir"},
      {R"({"nama": "Budi", "tanggal_lahir": "1980-02-30"})", "tanggal_lahir"},
      {R"({"nama": "Budi", "jenis_kelamin": "X"})", "jenis_kelamin"},
      {R"({"nama": "Budi", "limit": 1000})", "limit"},
      {R"({"nama": "Budi", "limit": "5"})", "limit"},
      {R"({"nama": "Budi", "kode_wilayah": "32010"})", "kode_wilayah"},
      {R"({"nama": "Budi", "colour": "red"})", "colour"},
      {R"({"tanggal_lahir": "1980-05-17"})", "nama"},
      {R"({"nama": ["Budi"]})", "nama"},
      {R"({"nama": "Budi")", "body"},
      {R"([1, 2])", "body"},
      {"{\"nama\": \"Bud\xff\"}", "body"},
      {"", "body"},
  };
  for (const Case& c : cases) {
    ClientResponse response = Call("POST", "/v1/match", kPusat, c.body);
    EXPECT_EQ(response.status, 400) << c.body;
    EXPECT_EQ(ErrorCode(response), "invalid_argument") << c.body;
    EXPECT_EQ(ErrorField(response), c.field) << c.body;
  }
}

TEST_F(HttpServerTest, MatchBatchAnswersInOrder) {
  std::string body = R"({"records":[{"nama":"Agus Salim","tanggal_lahir":"1970-03-20"},)"
                     R"({"nama":"Budi Santoso","nik":"3201011705800003"}],"limit":3})";
  ClientResponse batch = Call("POST", "/v1/match/batch", kPusat, body);
  ASSERT_EQ(batch.status, 200) << batch.body;
  simdjson::dom::element root = Json(parser_, batch.body);
  simdjson::dom::array results = root["results"];
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(std::string_view(results.at(0)["candidates"].at(0)["record"]["id_art"]), "P3");
  EXPECT_EQ(std::string_view(results.at(1)["candidates"].at(0)["record"]["id_art"]), "P1");
  EXPECT_THAT(Call("POST", "/v1/match/batch", kKabKota, body).body, Not(HasSubstr("\"P3\"")));

  EXPECT_EQ(ErrorField(Call("POST", "/v1/match/batch", kPusat, R"({"records":[]})")), "records");
  EXPECT_EQ(ErrorField(Call("POST", "/v1/match/batch", kPusat, R"({"records":[{"nik":"1"}]})")),
            "records[0].nik");
  std::string too_many = R"({"records":[)";
  for (int i = 0; i < 1001; ++i) too_many += std::string(i ? "," : "") + R"({"nama":"A"})";
  too_many += "]}";
  EXPECT_EQ(ErrorField(Call("POST", "/v1/match/batch", kPusat, too_many)), "records");
}

TEST_F(HttpServerTest, ABatchBodyAboveTheJsonLimitButWithinItsOwnIsRead) {
  // 900 records padded to ~100 bytes each: over max_body_bytes (64 KiB), within the 2 MiB of
  // the batch route. The transport must not apply the general limit before it knows the route.
  std::string body = R"({"records":[)";
  for (int i = 0; i < 900; ++i) {
    body +=
        std::string(i ? "," : "") +
        R"({"nama":"Budi Santoso","nik":"3201011705800003","alamat":"Jalan Raya Bogor Nomor 12"})";
  }
  body += R"(],"limit":1})";
  ASSERT_GT(body.size(), ServerLimits().max_body_bytes);
  ClientResponse batch = Call("POST", "/v1/match/batch", kPusat, body);
  ASSERT_EQ(batch.status, 200) << batch.body.substr(0, 200);
  EXPECT_EQ(Json(parser_, batch.body)["results"].get_array().size(), 900u);
}

TEST_F(HttpServerTest, DedupCheckFindsTheHouseholdInScope) {
  std::string registration =
      R"({"no_kk":"3201011203150007","kode_wilayah":"3201011001","anggota":[)"
      R"({"nama":"Budi Santoso","tanggal_lahir":"1980-05-17","jenis_kelamin":"L"},)"
      R"({"nama":"Siti Aminah","tanggal_lahir":"1985-08-14","jenis_kelamin":"P"}]})";
  ClientResponse check = Call("POST", "/v1/dedup/check", kKabKota, registration);
  ASSERT_EQ(check.status, 200) << check.body;
  simdjson::dom::element root = Json(parser_, check.body);
  ASSERT_GE(simdjson::dom::array(root["households"]).size(), 1u);
  EXPECT_EQ(std::string_view(root["households"].at(0)["household"]["id_keluarga"]), "K1");
  EXPECT_EQ(simdjson::dom::array(root["members"]).size(), 2u);

  std::string agus =
      R"({"no_kk":"3171011203150001","anggota":[{"nama":"Agus Salim","tanggal_lahir":"1970-03-20"}]})";
  EXPECT_THAT(Call("POST", "/v1/dedup/check", kPusat, agus).body, HasSubstr("K2"));
  EXPECT_THAT(Call("POST", "/v1/dedup/check", kKabKota, agus).body, Not(HasSubstr("K2")));
  EXPECT_EQ(ErrorField(Call("POST", "/v1/dedup/check", kPusat, R"({"anggota":[]})")), "anggota");
  EXPECT_EQ(ErrorField(
                Call("POST", "/v1/dedup/check", kPusat, R"({"anggota":[{"nama":"A","nik":"x"}]})")),
            "anggota[0].nik");
}

// --- writes ----------------------------------------------------------------------------------

std::string HouseholdBody(std::string id, std::string wilayah, std::string updated_at,
                          std::string member_id = "P9", std::string nama = "Dewi Lestari") {
  return R"({"id_keluarga":")" + id + R"(","no_kk":"3201011203150099","kode_wilayah":")" + wilayah +
         R"(","alamat":"Jl. Melati 1","rt":"001","rw":"002","desil":2,)"
         R"("program":["PKH","BPNT"],"status":"aktif","updated_at":")" +
         updated_at + R"(","anggota":[{"id_art":")" + member_id +
         R"(","nik":"3201014101950001","nama":")" + nama +
         R"(","jenis_kelamin":"P","tanggal_lahir":"1995-01-01","hubungan":"Kepala Keluarga",)"
         R"("nama_ibu_kandung":"Sari"}]})";
}

TEST_F(HttpServerTest, AHouseholdWithALegacyNikOfAnotherLengthIsWrittenBackAsRead) {
  // Imports keep a NIK or No KK of 15 digits (flagged invalid); a write of the household as it
  // was read must not be refused for them, or the client would have to drop the member's NIK
  // to change the address.
  std::string body =
      R"({"id_keluarga":"K30","no_kk":"320101120315009","kode_wilayah":"3201011001",)"
      R"("updated_at":"2024-07-01","anggota":[{"id_art":"P30","nik":"320101410195001",)"
      R"("nama":"Dewi Lestari","tanggal_lahir":"1995-01-01"}]})";
  ClientResponse created = Call("PUT", "/v1/households/K30", kPusat, body);
  ASSERT_EQ(created.status, 201) << created.body;
  ClientResponse read = Call("GET", "/v1/persons/P30", kPusat);
  ASSERT_EQ(read.status, 200);
  EXPECT_THAT(read.body, HasSubstr(R"("nik":"320101410195001")"));
  EXPECT_THAT(read.body, HasSubstr(R"("nik_valid":false)"));
  EXPECT_THAT(read.body, HasSubstr(R"("no_kk":"320101120315009")"));
  ClientResponse ingested = Call("POST", "/v1/ingest", kPusat, body + "\n");
  EXPECT_EQ(ingested.status, 200) << ingested.body;
  // Not digits: refused, naming the field.
  std::string letters = R"({"id_keluarga":"K31","kode_wilayah":"3201011001","anggota":[)"
                        R"({"id_art":"P31","nik":"32010141O1950001","nama":"Sari"}]})";
  EXPECT_EQ(ErrorField(Call("PUT", "/v1/households/K31", kPusat, letters)), "anggota[0].nik");
  // A query still needs the whole 16 digits: it is looked up.
  EXPECT_EQ(ErrorField(Call("POST", "/v1/match", kPusat,
                            R"({"nama":"Dewi Lestari","nik":"320101410195001"})")),
            "nik");
}

TEST_F(HttpServerTest, PutCreatesThenReplacesAndIsVisibleAtOnce) {
  ClientResponse created =
      Call("PUT", "/v1/households/K9", kKabKota, HouseholdBody("K9", "3201011001", "2024-07-01"));
  ASSERT_EQ(created.status, 201) << created.body;
  ClientResponse person = Call("GET", "/v1/persons/P9", kPusat);
  ASSERT_EQ(person.status, 200);
  EXPECT_THAT(person.body, HasSubstr("Dewi Lestari"));
  EXPECT_THAT(person.body, HasSubstr("\"program\":[\"PKH\",\"BPNT\"]"));
  EXPECT_THAT(Call("GET", "/v1/nik/3201014101950001", kPusat).body, HasSubstr("P9"));

  ClientResponse replaced = Call("PUT", "/v1/households/K9", kKabKota,
                                 HouseholdBody("K9", "3201011001", "2024-08-01", "P9", "Dewi L"));
  EXPECT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_THAT(Call("GET", "/v1/persons/P9", kPusat).body, HasSubstr("\"Dewi L\""));
}

TEST_F(HttpServerTest, PutRefusesOutOfScopeStaleAndInvalid) {
  // Another kab/kota's region, or moving another kab/kota's household: 403.
  ClientResponse outside =
      Call("PUT", "/v1/households/K8", kKabKota, HouseholdBody("K8", "3171011001", "2024-07-01"));
  EXPECT_EQ(outside.status, 403);
  EXPECT_EQ(ErrorField(outside), "kode_wilayah");
  ClientResponse takeover = Call("PUT", "/v1/households/K2", kKabKota,
                                 HouseholdBody("K2", "3201011001", "2024-07-01", "P3"));
  EXPECT_EQ(takeover.status, 403);
  EXPECT_EQ(ErrorField(takeover), "id_keluarga");
  ClientResponse steal = Call("PUT", "/v1/households/K7", kKabKota,
                              HouseholdBody("K7", "3201011001", "2024-07-01", "P3"));
  EXPECT_EQ(steal.status, 403);
  EXPECT_EQ(ErrorField(steal), "anggota[0].id_art");
  // layanan keys never write.
  EXPECT_EQ(
      Call("PUT", "/v1/households/K8", kLayanan, HouseholdBody("K8", "3201011001", "2024-07-01"))
          .status,
      403);
  // Older than the stored version: 409.
  ClientResponse stale =
      Call("PUT", "/v1/households/K1", kPusat, HouseholdBody("K1", "3201011001", "2020-01-01"));
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(ErrorField(stale), "updated_at");
  // Malformed.
  EXPECT_EQ(ErrorField(Call("PUT", "/v1/households/K8", kPusat,
                            HouseholdBody("K9", "3201011001", "2024-07-01"))),
            "id_keluarga");
  EXPECT_EQ(ErrorField(Call("PUT", "/v1/households/K8", kPusat,
                            HouseholdBody("K8", "320101", "2024-07-01"))),
            "kode_wilayah");
  EXPECT_EQ(ErrorField(Call(
                "PUT", "/v1/households/K8", kPusat,
                R"({"id_keluarga":"K8","kode_wilayah":"3201011001","anggota":[{"nama":"X"}]})")),
            "anggota[0].id_art");
  EXPECT_EQ(ErrorField(Call(
                "PUT", "/v1/households/K8", kPusat,
                R"({"id_keluarga":"K8","kode_wilayah":"3201011001","desil":11,"anggota":[]})")),
            "desil");
}

TEST_F(HttpServerTest, RegistryRefusalIs422AndIoErrorIs500) {
  backend_->FailNextWrite(InvalidField("anggota[0].nama", "refused by the registry"));
  ClientResponse refused =
      Call("PUT", "/v1/households/K9", kPusat, HouseholdBody("K9", "3201011001", "2024-07-01"));
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(ErrorCode(refused), "unprocessable");
  EXPECT_EQ(ErrorField(refused), "anggota[0].nama");
  backend_->FailNextWrite(absl::DataLossError("fsync failed on /secret/path"));
  ClientResponse failed =
      Call("PUT", "/v1/households/K9", kPusat, HouseholdBody("K9", "3201011001", "2024-07-01"));
  EXPECT_EQ(failed.status, 500);
  EXPECT_THAT(failed.body, Not(HasSubstr("/secret/path")));
  EXPECT_EQ(Call("GET", "/v1/persons/P9", kPusat).status, 404);  // neither was applied
}

TEST_F(HttpServerTest, DeleteHonoursScope) {
  EXPECT_EQ(Call("DELETE", "/v1/households/K2", kKabKota).status, 403);
  EXPECT_EQ(Call("DELETE", "/v1/households/K2", kLayanan).status, 403);
  EXPECT_EQ(Call("DELETE", "/v1/households/K3", kKabKota).status, 204);
  EXPECT_EQ(Call("GET", "/v1/households/K3", kPusat).status, 404);
  EXPECT_EQ(Call("DELETE", "/v1/households/K3", kKabKota).status, 404);
}

TEST_F(HttpServerTest, IngestAppliesNdjsonAtomically) {
  std::string body = HouseholdBody("K20", "3201011001", "2024-07-01", "P20") + "\n" +
                     HouseholdBody("K21", "3201021001", "2024-07-01", "P21") + "\n" +
                     R"({"op":"delete","id_keluarga":"K3"})" + "\n";
  ClientResponse ingest =
      Call("POST", "/v1/ingest", kKabKota, body, {{"Content-Type", "application/x-ndjson"}});
  ASSERT_EQ(ingest.status, 200) << ingest.body;
  EXPECT_THAT(ingest.body, HasSubstr("\"upserted\":2"));
  EXPECT_THAT(ingest.body, HasSubstr("\"deleted\":1"));
  EXPECT_EQ(Call("GET", "/v1/persons/P21", kPusat).status, 200);
  EXPECT_EQ(Call("GET", "/v1/households/K3", kPusat).status, 404);

  // A bad line refuses the whole body, naming the line; nothing is applied.
  std::string bad = HouseholdBody("K22", "3201011001", "2024-07-01", "P22") + "\n" +
                    R"({"op":"upsert","id_keluarga":"K23","kode_wilayah":"x","anggota":[]})";
  ClientResponse refused = Call("POST", "/v1/ingest", kPusat, bad);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(ErrorField(refused), "line[2].kode_wilayah");
  EXPECT_EQ(Call("GET", "/v1/persons/P22", kPusat).status, 404);
  // Out of scope on any line: 403, nothing applied.
  std::string mixed = HouseholdBody("K24", "3201011001", "2024-07-01", "P24") + "\n" +
                      HouseholdBody("K25", "3171011001", "2024-07-01", "P25");
  ClientResponse forbidden = Call("POST", "/v1/ingest", kKabKota, mixed);
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_EQ(ErrorField(forbidden), "line[2].kode_wilayah");
  EXPECT_EQ(Call("GET", "/v1/persons/P24", kPusat).status, 404);
  EXPECT_EQ(Call("POST", "/v1/ingest", kPusat, "\n\n").status, 400);
}

TEST_F(HttpServerTest, IngestDeletingAHouseholdTwiceIsRefusedAndWritingGoesOn) {
  // Each line is checked against the registry as the lines before it leave it: the second
  // delete finds nothing. Checked against the state before the body, both passed, and the
  // second failed only when applied, which stopped the database for every later write.
  std::string twice = std::string(R"({"op":"delete","id_keluarga":"K3"})") + "\n" +
                      R"({"op":"delete","id_keluarga":"K3"})" + "\n";
  ClientResponse refused = Call("POST", "/v1/ingest", kPusat, twice);
  EXPECT_EQ(refused.status, 404) << refused.body;
  EXPECT_EQ(ErrorField(refused), "line[2].id_keluarga");
  EXPECT_EQ(Call("GET", "/v1/households/K3", kPusat).status, 200);  // nothing applied
  ClientResponse later = Call("PUT", "/v1/households/K26", kPusat,
                              HouseholdBody("K26", "3201011001", "2024-07-01", "P26"));
  EXPECT_EQ(later.status, 201) << later.body;
}

TEST_F(HttpServerTest, IngestChecksEachLineAfterTheOnesBeforeIt) {
  // An older version of a household after a newer one in the same body is stale (409).
  std::string body = HouseholdBody("K27", "3201011001", "2024-07-01", "P27") + "\n" +
                     HouseholdBody("K27", "3201011001", "2024-06-01", "P27") + "\n";
  ClientResponse stale = Call("POST", "/v1/ingest", kPusat, body);
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(ErrorField(stale), "line[2].updated_at");
  EXPECT_EQ(Call("GET", "/v1/households/K27", kPusat).status, 404);
}

// --- audit ---------------------------------------------------------------------------------

TEST_F(HttpServerTest, AuditLogRecordsLookupsWithHashedNik) {
  Call("GET", "/v1/nik/3201011705800003", kKabKota);
  Call("POST", "/v1/match", kLayanan, R"({"nama":"Budi Santoso","nik":"3201011705800003"})");
  Call("GET", "/v1/persons/P3", kKabKota);  // out of scope: audited with status 404
  Call("GET", "/healthz");                  // not a lookup: not audited
  audit_->Flush();
  std::string log = padan::testing::ReadFile(audit_path_);
  EXPECT_THAT(log, Not(HasSubstr("3201011705800003")));
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < log.size()) {
    size_t end = log.find('\n', start);
    lines.push_back(log.substr(start, end - start));
    start = end + 1;
  }
  ASSERT_EQ(lines.size(), 3u) << log;
  simdjson::dom::element first = Json(parser_, lines[0]);
  EXPECT_EQ(std::string_view(first["key_id"]), "bogor");
  EXPECT_EQ(std::string_view(first["route"]), "/v1/nik/:nik");
  EXPECT_EQ(std::string_view(first["query"]["nik"]), audit_->HashNik("3201011705800003"));
  EXPECT_EQ(std::string_view(first["ids"].at(0)), "P1");
  EXPECT_EQ(int64_t(first["status"]), 200);
  EXPECT_FALSE(std::string_view(first["time"]).empty());
  simdjson::dom::element second = Json(parser_, lines[1]);
  EXPECT_EQ(std::string_view(second["route"]), "/v1/match");
  EXPECT_EQ(std::string_view(second["query"]["nama"]), "Budi Santoso");
  simdjson::dom::element third = Json(parser_, lines[2]);
  EXPECT_EQ(int64_t(third["status"]), 404);
  EXPECT_EQ(simdjson::dom::array(third["ids"]).size(), 0u);
}

// --- transport limits ------------------------------------------------------------------------

TEST_F(HttpServerTest, OversizedBodyIs413BeforeItIsRead) {
  ServerLimits limits;
  limits.max_body_bytes = 1024;
  StartServer(limits);
  ClientConnection connection(server_->port());
  // Announce a large body but send none of it: the answer comes from the head alone.
  connection.Send("POST /v1/match HTTP/1.1\r\nHost: t\r\nX-API-Key: " + std::string(kPusat) +
                  "\r\nContent-Length: 1000000\r\n\r\n");
  std::optional<ClientResponse> response = connection.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 413);
  EXPECT_TRUE(connection.WaitForClose());
  // Chunked bodies are cut at the limit too.
  ClientConnection chunked(server_->port());
  std::string chunk(2000, 'a');
  chunked.Send("POST /v1/match HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n" +
               chunk + "\r\n0\r\n\r\n");
  response = chunked.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 413);
  // The batch route has its own, larger limit.
  EXPECT_EQ(service_->PlanBody(HttpMethod::kPost, "/v1/match/batch").limit,
            limits.max_batch_body_bytes);
}

TEST_F(HttpServerTest, OversizedHeaderIs431) {
  ClientConnection connection(server_->port());
  connection.Send("GET /healthz HTTP/1.1\r\nHost: t\r\nX-Filler: " + std::string(20000, 'x') +
                  "\r\n\r\n");
  std::optional<ClientResponse> response = connection.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 431);
  EXPECT_TRUE(connection.WaitForClose());
}

TEST_F(HttpServerTest, MalformedHttpIs400AndCloses) {
  for (std::string garbage : {"HELLO\r\n\r\n", "GET /healthz HTTP/9.9\r\n\r\n",
                              "GET /healthz HTTP/1.1\r\nBad Header\r\n\r\n",
                              "POST /v1/match HTTP/1.1\r\nContent-Length: abc\r\n\r\n"}) {
    ClientConnection connection(server_->port());
    connection.Send(garbage);
    std::optional<ClientResponse> response = connection.Read();
    ASSERT_TRUE(response.has_value()) << garbage;
    EXPECT_EQ(response->status, 400) << garbage;
    EXPECT_TRUE(connection.WaitForClose()) << garbage;
  }
  // The server is still serving.
  EXPECT_EQ(Call("GET", "/healthz").status, 200);
}

TEST_F(HttpServerTest, SlowClientIsCutOff) {
  ServerLimits limits;
  limits.header_timeout_ms = 200;
  StartServer(limits);
  ClientConnection slow(server_->port());
  slow.Send("GET /healthz HTTP/1.1\r\nHo");  // and never the rest
  EXPECT_TRUE(slow.WaitForClose());
  // An idle keep-alive connection is closed the same way; a prompt one is served.
  ClientConnection idle(server_->port());
  idle.Send(RequestText("GET", "/healthz", {}));
  ASSERT_TRUE(idle.Read().has_value());
  EXPECT_TRUE(idle.WaitForClose());
  EXPECT_EQ(Call("GET", "/healthz").status, 200);
  // Beast's timer closes the socket before the read's handler runs and counts the timeout, so
  // the client can see the close first: wait for the count.
  std::string metrics;
  for (int i = 0; i < 200; ++i) {
    metrics = Call("GET", "/metrics").body;
    if (metrics.find("padan_http_timed_out_connections_total 2") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_THAT(metrics, HasSubstr("padan_http_timed_out_connections_total 2"));
}

TEST_F(HttpServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  ClientConnection connection(server_->port());
  for (int i = 0; i < 20; ++i) {
    connection.Send(RequestText("GET", "/v1/persons/P1", {{"X-API-Key", kPusat}}));
    std::optional<ClientResponse> response = connection.Read();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 200);
  }
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  ClientConnection connection(server_->port());
  std::string key = kPusat;
  connection.Send(RequestText("GET", "/v1/persons/P1", {{"X-API-Key", key}}) +
                  RequestText("GET", "/v1/persons/P3", {{"X-API-Key", key}}) +
                  RequestText("GET", "/v1/persons/nobody", {{"X-API-Key", key}}));
  std::optional<ClientResponse> first = connection.Read();
  std::optional<ClientResponse> second = connection.Read();
  std::optional<ClientResponse> third = connection.Read();
  ASSERT_TRUE(first.has_value() && second.has_value() && third.has_value());
  EXPECT_THAT(first->body, HasSubstr("\"P1\""));
  EXPECT_THAT(second->body, HasSubstr("\"P3\""));
  EXPECT_EQ(third->status, 404);
}

TEST_F(HttpServerTest, ConnectionsBeyondTheMaximumAreRefused) {
  ServerLimits limits;
  limits.max_connections = 2;
  StartServer(limits);
  ClientConnection first(server_->port());
  ClientConnection second(server_->port());
  for (ClientConnection* connection : {&first, &second}) {
    connection->Send(RequestText("GET", "/healthz", {}));
    ASSERT_TRUE(connection->Read().has_value());  // both accepted and open
  }
  ClientConnection third(server_->port());
  std::optional<ClientResponse> refused = third.Read();
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 503);
  EXPECT_TRUE(third.WaitForClose());
}

TEST_F(HttpServerTest, GracefulShutdownFinishesRequestsInFlight) {
  ClientConnection idle(server_->port());
  idle.Send(RequestText("GET", "/healthz", {}));
  ASSERT_TRUE(idle.Read().has_value());
  // A request in flight: its head has been read (the server said 100 Continue), its body has
  // not arrived yet.
  std::string body = R"({"nama":"Budi Santoso","tanggal_lahir":"1980-05-17"})";
  ClientConnection busy(server_->port());
  busy.Send("POST /v1/match HTTP/1.1\r\nHost: t\r\nX-API-Key: " + std::string(kPusat) +
            "\r\nExpect: 100-continue\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\n\r\n");
  std::optional<ClientResponse> interim = busy.Read();
  ASSERT_TRUE(interim.has_value());
  ASSERT_EQ(interim->status, 100);

  std::thread shutdown([&] { server_->Shutdown(); });
  // The idle connection is closed at once; the busy one is answered, then closed.
  EXPECT_TRUE(idle.WaitForClose());
  busy.Send(body);
  std::optional<ClientResponse> response = busy.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_THAT(response->body, HasSubstr("P1"));
  EXPECT_EQ(response->Header("connection"), "close");
  EXPECT_TRUE(busy.WaitForClose());
  shutdown.join();
  EXPECT_TRUE(service_->draining());
  // Nothing listens any more.
  ClientConnection late(server_->port());
  EXPECT_FALSE(late.connected() && late.Read().has_value());
  server_.reset();
}

TEST_F(HttpServerTest, ALongRequestDoesNotStallTheOtherConnectionsOfItsIoThread) {
  io_threads_ = 1;  // every connection on one I/O thread
  StartServer(ServerLimits());
  backend_->HoldWrites();
  ClientResponse deleted;
  std::thread writer([&] { deleted = Call("DELETE", "/v1/households/K3", kPusat); });
  ASSERT_TRUE(backend_->WaitForWritesEntered(1));
  // The delete waits inside the registry's write; lookups on other connections are answered.
  ClientResponse lookup = Call("GET", "/v1/nik/3201011705800003", kPusat);
  EXPECT_EQ(lookup.status, 200);
  EXPECT_EQ(Call("GET", "/healthz").status, 200);
  // /metrics counts it as running on a worker.
  EXPECT_THAT(Call("GET", "/metrics").body, HasSubstr("\npadan_http_offloaded_requests 1\n"));
  backend_->ReleaseWrites();
  writer.join();
  // The lookups were answered while the write was held, not after its hold ran out.
  EXPECT_EQ(backend_->held_writes_timed_out(), 0);
  EXPECT_EQ(deleted.status, 204) << deleted.body;
  EXPECT_THAT(Call("GET", "/metrics").body, HasSubstr("\npadan_http_offloaded_requests 0\n"));
  EXPECT_EQ(Call("GET", "/v1/households/K3", kPusat).status, 404);
}

TEST_F(HttpServerTest, GracefulShutdownAnswersARequestRunningOnAWorker) {
  backend_->HoldWrites();
  ClientConnection busy(server_->port());
  busy.Send(RequestText("DELETE", "/v1/households/K3", {{"X-API-Key", std::string(kPusat)}}));
  ASSERT_TRUE(backend_->WaitForWritesEntered(1));
  std::thread shutdown([&] { server_->Shutdown(); });
  // Shutdown waits for the request; once the write goes through it is answered and closed.
  while (!service_->draining()) std::this_thread::yield();
  backend_->ReleaseWrites();
  std::optional<ClientResponse> response = busy.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 204) << response->body;
  EXPECT_EQ(response->Header("connection"), "close");
  EXPECT_TRUE(busy.WaitForClose());
  shutdown.join();
  server_.reset();
}

}  // namespace
}  // namespace padan
