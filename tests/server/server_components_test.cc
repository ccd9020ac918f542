// Unit tests of the server's building blocks, without sockets: JSON writing, masking, request
// targets, routing, API keys, config, rate limiting and request-body validation.
#include <chrono>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "data/field_error.h"
#include "server/api_error.h"
#include "server/api_keys.h"
#include "server/api_service.h"
#include "server/audit_log.h"
#include "server/rate_limiter.h"
#include "server/record_json.h"
#include "server/request_json.h"
#include "server/router.h"
#include "server/server_config.h"
#include "server/sha256.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::IsOk;
using ::padan::testing::StatusIs;
using ::testing::HasSubstr;

TEST(RecordJsonTest, MasksNikBirthDigitsAndMotherName) {
  EXPECT_EQ(MaskNik("3201011705800003"), "320101******0003");
  EXPECT_EQ(MaskNik("12345"), "****");
  EXPECT_EQ(MaskNik(""), "");
  EXPECT_EQ(MaskName("Sumarni"), "S***");
  EXPECT_EQ(MaskName("Ñoñi"), "Ñ***");
  EXPECT_EQ(MaskName(""), "");
}

TEST(AuditTimestampTest, MatchesAbslFormattingToTheMillisecond) {
  EXPECT_EQ(AuditTimestamp(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(AuditTimestamp(1'795'959'907'123), "2026-11-29T13:45:07.123Z");
  EXPECT_EQ(AuditTimestamp(-1), "1969-12-31T23:59:59.999Z");
  // Steps of 7 ms across many seconds, days and a leap day: the per-second cache must follow.
  const int64_t start = absl::ToUnixMillis(
      absl::FromCivil(absl::CivilSecond(2028, 2, 28, 23, 59, 50), absl::UTCTimeZone()));
  for (int64_t t = start; t < start + 2 * 86'400'000; t += 7'777) {
    EXPECT_EQ(AuditTimestamp(t), absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::FromUnixMillis(t),
                                                  absl::UTCTimeZone()))
        << t;
  }
}

TEST(Sha256Test, KnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ParseTargetTest, DecodesPathAndQuery) {
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  ASSERT_THAT(ParseTarget("/v1/search?q=budi+santoso&wilayah=32%30&flag", &path, &query), IsOk());
  EXPECT_EQ(path, "/v1/search");
  ASSERT_EQ(query.size(), 3u);
  EXPECT_EQ(query[0].second, "budi santoso");
  EXPECT_EQ(query[1].second, "320");
  EXPECT_EQ(query[2].first, "flag");
  EXPECT_THAT(ParseTarget("/v1/search?q=%zz", &path, &query),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseTarget("/v1/search?q=%e2%82", &path, &query),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseTarget("/v1/search?q=%4", &path, &query),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(RouterTest, ParamsExactSegmentsWinAndMethodMismatch) {
  Router router;
  RegisterRoutes(router);
  RouteMatch person = router.Find(HttpMethod::kGet, "/v1/persons/P1");
  ASSERT_NE(person.route, nullptr);
  EXPECT_EQ(person.route->pattern, "/v1/persons/:id_art");
  EXPECT_EQ(person.params[0].second, "P1");
  RouteMatch batch = router.Find(HttpMethod::kPost, "/v1/match/batch");
  ASSERT_NE(batch.route, nullptr);
  EXPECT_EQ(batch.route->pattern, "/v1/match/batch");
  RouteMatch wrong = router.Find(HttpMethod::kPost, "/v1/persons/P1");
  EXPECT_EQ(wrong.route, nullptr);
  EXPECT_TRUE(wrong.path_known);
  EXPECT_EQ(router.Find(HttpMethod::kGet, "/v1/persons/").route, nullptr);
  EXPECT_EQ(router.Find(HttpMethod::kHead, "/healthz").route->pattern, "/healthz");
}

TEST(ApiKeysTest, ParsesRolesAndRefusesBadFiles) {
  std::string hash = Sha256Hex("k");
  absl::StatusOr<ApiKeys> keys = ApiKeys::Parse(R"({"keys":[{"id":"a","sha256":")" + hash +
                                                R"(","role":"kabkota","wilayah":"3201"}]})");
  ASSERT_THAT(keys, IsOk());
  const ApiKey* key = keys->Find("k");
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->role, Role::kKabKota);
  EXPECT_EQ(key->scope.code(), 3201u);
  EXPECT_FALSE(key->pii);
  EXPECT_TRUE(key->can_write);
  EXPECT_EQ(keys->Find("other"), nullptr);
  EXPECT_EQ(keys->Find(""), nullptr);

  auto error = [&](const std::string& item) {
    absl::StatusOr<ApiKeys> parsed = ApiKeys::Parse(R"({"keys":[)" + item + "]}");
    return parsed.ok() ? std::string("ok") : std::string(parsed.status().message());
  };
  EXPECT_THAT(error(R"({"id":"a","sha256":"xyz","role":"pusat"})"), HasSubstr("sha256"));
  EXPECT_THAT(error(R"({"id":"a","sha256":")" + hash + R"(","role":"raja"})"), HasSubstr("role"));
  EXPECT_THAT(error(R"({"id":"a","sha256":")" + hash + R"(","role":"provinsi","wilayah":"3201"})"),
              HasSubstr("wilayah"));
  EXPECT_THAT(error(R"({"id":"a","sha256":")" + hash + R"(","role":"pusat","colour":1})"),
              HasSubstr("colour"));
  EXPECT_THAT(error(R"({"sha256":")" + hash + R"(","role":"pusat"})"), HasSubstr("id"));
}

TEST(ServerConfigTest, ParsesLimitsAndRefusesUnknownFields) {
  absl::StatusOr<ServerConfig> config = ServerConfig::Parse(
      R"({"port": 9000, "keys": "k.json", "limits": {"max_body_bytes": 2048}})");
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->port, 9000);
  EXPECT_EQ(config->limits.max_body_bytes, 2048u);
  EXPECT_EQ(config->limits.max_header_bytes, ServerLimits().max_header_bytes);
  EXPECT_THAT(ServerConfig::Parse(R"({"prot": 1})").status().message(), HasSubstr("prot"));
  EXPECT_THAT(ServerConfig::Parse(R"({"limits": {"max_body_bytes": -1}})").status().message(),
              HasSubstr("limits.max_body_bytes"));
  EXPECT_THAT(ServerConfig::Parse(R"({"port": "80"})"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ServerConfigTest, ParsesTheJobRunnerAndTheUploadLimit) {
  absl::StatusOr<ServerConfig> config = ServerConfig::Parse(
      R"({"limits": {"max_job_upload_bytes": 1048576},
          "jobs": {"workers": 2, "max_queued": 4, "threads_per_job": 1, "nice": 0,
                   "keep_finished_hours": 0}})");
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->limits.max_job_upload_bytes, 1048576u);
  EXPECT_EQ(config->jobs.workers, 2u);
  EXPECT_EQ(config->jobs.max_queued, 4u);
  EXPECT_EQ(config->jobs.threads_per_job, 1u);
  EXPECT_EQ(config->jobs.nice, 0);
  EXPECT_EQ(config->jobs.keep_finished_hours, 0);
  EXPECT_EQ(ServerConfig::Parse("{}")->jobs.keep_finished_hours, 7 * 24);
  EXPECT_THAT(ServerConfig::Parse(R"({"jobs": {"keep_finished_hours": -1}})").status().message(),
              HasSubstr("jobs.keep_finished_hours"));
  EXPECT_THAT(ServerConfig::Parse(R"({"jobs": {"workers": 0}})").status().message(),
              HasSubstr("jobs.workers"));
  EXPECT_THAT(ServerConfig::Parse(R"({"jobs": {"nice": 20}})").status().message(),
              HasSubstr("jobs.nice"));
  EXPECT_THAT(ServerConfig::Parse(R"({"jobs": {"priority": 1}})").status().message(),
              HasSubstr("jobs.priority"));
  EXPECT_THAT(ServerConfig::Parse(R"({"jobs": []})").status().message(), HasSubstr("jobs"));
}

TEST(RateLimiterTest, TokenBucketRefills) {
  RateLimiter limiter;
  auto t0 = RateLimiter::Clock::now();
  EXPECT_EQ(limiter.Acquire("k", 2, 2, t0), 0);
  EXPECT_EQ(limiter.Acquire("k", 2, 2, t0), 0);
  EXPECT_EQ(limiter.Acquire("k", 2, 2, t0), 1);
  EXPECT_EQ(limiter.Acquire("other", 2, 2, t0), 0);
  EXPECT_EQ(limiter.Acquire("k", 2, 2, t0 + std::chrono::milliseconds(500)), 0);
  EXPECT_EQ(limiter.Acquire("k", 0, 0, t0), 0);  // unlimited
}

TEST(ApiErrorTest, MapsStatusToHttpAndNamesField) {
  HttpResponse response = ErrorResponse(InvalidField("nik", "must be 16 digits"));
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(
      response.body,
      R"({"error":{"code":"invalid_argument","message":"nik: must be 16 digits","field":"nik"}})");
  EXPECT_EQ(ErrorResponse(absl::NotFoundError("x")).status, 404);
  EXPECT_EQ(ErrorResponse(absl::PermissionDeniedError("x")).status, 403);
  EXPECT_EQ(ErrorResponse(absl::AbortedError("x")).status, 409);
  EXPECT_EQ(ErrorResponse(AsUnprocessable(InvalidField("a", "b"))).status, 422);
  HttpResponse internal = ErrorResponse(absl::InternalError("secret detail"));
  EXPECT_EQ(internal.status, 500);
  EXPECT_THAT(internal.body, ::testing::Not(HasSubstr("secret")));
}

TEST(RequestJsonTest, MatchRequestFieldsAndDefaults) {
  absl::StatusOr<MatchRequest> request = ParseMatchRequest(
      R"({"nama":"Budi","nik":"3201011705800003","tanggal_lahir":"1980-05","jenis_kelamin":"L",)"
      R"("kode_wilayah":"3201","no_kk":"3201011203150007","wilayah":"32"})");
  ASSERT_THAT(request, IsOk());
  EXPECT_EQ(request->limit, kDefaultMatchLimit);
  EXPECT_EQ(request->query.person.nik_value, 3201011705800003u);
  EXPECT_EQ(request->query.person.tanggal_lahir.precision(), DatePrecision::kMonth);
  EXPECT_EQ(request->query.household.kode_wilayah, 3201u);
  EXPECT_EQ(request->wilayah, "32");
}

TEST(RequestJsonTest, HouseholdBodyRequiresIdsForWrites) {
  static const RegionTable* regions = RegionTable::LoadEmbedded()->release();
  std::string body =
      R"({"id_keluarga":"K1","kode_wilayah":"3201011001","status":"nonaktif","anggota":[)"
      R"({"id_art":"P1","nama":"A","hubungan":"1","status_hidup":"Meninggal"}]})";
  absl::StatusOr<HouseholdBody> household = ParseHouseholdBody(body, IdRule::kRequired, *regions);
  ASSERT_THAT(household, IsOk());
  EXPECT_EQ(household->household.status, HouseholdStatus::kNonaktif);
  EXPECT_EQ(household->members[0].hubungan, Hubungan::kKepalaKeluarga);
  EXPECT_EQ(household->members[0].status_hidup, StatusHidup::kMeninggal);
  EXPECT_EQ(household->members[0].id_keluarga, "K1");
  EXPECT_EQ(FieldOf(ParseHouseholdBody(R"({"anggota":[{"nama":"A"}]})", IdRule::kRequired, *regions)
                        .status()),
            "anggota[0].id_art");
  EXPECT_THAT(ParseHouseholdBody(R"({"anggota":[{"nama":"A"}]})", IdRule::kOptional, *regions),
              IsOk());
  absl::StatusOr<Mutation> deletion =
      ParseIngestLine(R"({"op":"delete","id_keluarga":"K1"})", *regions);
  ASSERT_THAT(deletion, IsOk());
  EXPECT_EQ(deletion->kind, Mutation::Kind::kDeleteHousehold);
  EXPECT_EQ(FieldOf(ParseIngestLine(R"({"op":"merge"})", *regions).status()), "op");
}

// Found by tests/fuzz/request_json_fuzz.cc: ten digits that match the pattern but are no region
// code crashed the parser (it dereferenced ParseKodeWilayah's error).
TEST(RequestJsonTest, RegionCodeStartingWithZeroIsAnErrorNotACrash) {
  static const RegionTable* regions = RegionTable::LoadEmbedded()->release();
  absl::StatusOr<HouseholdBody> household = ParseHouseholdBody(
      R"({"id_keluarga":"K1","kode_wilayah":"0689890558","anggota":[{"id_art":"P1","nama":"A"}]})",
      IdRule::kRequired, *regions);
  EXPECT_EQ(FieldOf(household.status()), "kode_wilayah");
  EXPECT_EQ(FieldOf(ParseMatchRequest(R"({"nama":"A","kode_wilayah":"06"})").status()),
            "kode_wilayah");
}

}  // namespace
}  // namespace padan
