// End-to-end tests of the batch job routes: a real server with a job runner over TestBackend,
// called over sockets — submit with a multipart upload, poll, fetch the streamed result,
// cancel and delete, scope and PII on every job route, and every refusal.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "server/jobs/job_runner.h"
#include "tests/server/http_server_fixture.h"
#include "tests/server/run_padan.h"
#include "tests/test_util.h"

namespace padan {
namespace {

using ::padan::testing::ClientResponse;
using ::padan::testing::HttpServerTest;
using ::padan::testing::Json;
using ::padan::testing::kKabKota;
using ::padan::testing::kLayanan;
using ::padan::testing::kProvinsi;
using ::padan::testing::kPusat;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kBoundary[] = "padanBoundary7MA4YWxk";

// Budi (Kab. Bogor, 3201) exactly, Agus (Jakarta Selatan, 3171) exactly, Budi with a typo and
// no NIK.
constexpr char kList[] =
    "Nama,Nomor NIK,Tanggal Lahir\r\n"
    "Budi Santoso,3201011705800003,17-05-1980\r\n"
    "Agus Salim,3171012003700001,20-03-1970\r\n"
    "Budi Santosa,,17-05-1980\r\n";

struct Part {
  std::string name;
  std::string filename;
  std::string content_type;
  std::string content;
};

std::string MultipartBody(const std::vector<Part>& parts) {
  std::string body;
  for (const Part& part : parts) {
    body += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" +
            part.name + "\"";
    if (!part.filename.empty()) body += "; filename=\"" + part.filename + "\"";
    body += "\r\n";
    if (!part.content_type.empty()) body += "Content-Type: " + part.content_type + "\r\n";
    body += "\r\n" + part.content + "\r\n";
  }
  return body + "--" + kBoundary + "--\r\n";
}

std::vector<std::pair<std::string, std::string>> MultipartHeaders() {
  return {{"Content-Type", std::string("multipart/form-data; boundary=") + kBoundary}};
}

class JobHandlersTest : public HttpServerTest {
 protected:
  void SetUp() override {
    HttpServerTest::SetUp();
    StartJobs();
  }
  void TearDown() override {
    HttpServerTest::TearDown();
    if (jobs_ != nullptr) jobs_->Shutdown();
    std::filesystem::remove_all(jobs_dir_);
  }

  void StartJobs() {
    static int runs = 0;
    jobs_dir_ = ::testing::TempDir() + "/padan_job_http_" + std::to_string(getpid()) + "_" +
                std::to_string(++runs);
    std::filesystem::remove_all(jobs_dir_);
    JobRunnerOptions options;
    options.dir = jobs_dir_;
    options.nice = 0;
    absl::StatusOr<std::unique_ptr<JobRunner>> runner =
        JobRunner::Open(options, *backend_, ServerJobTypes());
    ASSERT_TRUE(runner.ok()) << runner.status();
    jobs_ = *std::move(runner);
    service_->SetJobs(jobs_.get());
  }

  ClientResponse SubmitLink(std::string_view key, std::string params = "{}",
                            std::string list = kList) {
    return Call("POST", "/v1/jobs", key,
                MultipartBody(
                    {{"job", "", "application/json", R"({"type":"link","params":)" + params + "}"},
                     {"input", "daftar.csv", "text/csv", std::move(list)}}),
                MultipartHeaders());
  }

  std::string IdOf(const ClientResponse& response) {
    std::string_view id;
    if (Json(parser_, response.body)["id"].get(id)) return "";
    return std::string(id);
  }

  // Polls GET /v1/jobs/{id} until the job is finished; returns the last status body.
  std::string WaitFinished(const std::string& id, std::string_view key) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      ClientResponse status = Call("GET", "/v1/jobs/" + id, key);
      EXPECT_EQ(status.status, 200) << status.body;
      std::string_view state;
      if (Json(parser_, status.body)["state"].get(state)) return status.body;
      if (state == "done" || state == "failed" || state == "cancelled") return status.body;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "job " << id << " did not finish";
    return "";
  }

  std::unique_ptr<JobRunner> jobs_;
  std::string jobs_dir_;
};

TEST_F(JobHandlersTest, LinkJobFromUploadToStreamedResult) {
  ClientResponse submitted = SubmitLink(kPusat);
  ASSERT_EQ(submitted.status, 202) << submitted.body;
  const std::string id = IdOf(submitted);
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(submitted.Header("location"), "/v1/jobs/" + id);
  EXPECT_THAT(submitted.body, HasSubstr(R"("type":"link")"));

  std::string status = WaitFinished(id, kPusat);
  EXPECT_THAT(status, HasSubstr(R"("state":"done")"));
  EXPECT_THAT(status, HasSubstr(R"("rows":3)"));
  EXPECT_THAT(status, HasSubstr(R"("match":)"));
  EXPECT_THAT(status, HasSubstr(R"("fraction":1)"));
  EXPECT_THAT(status, HasSubstr("/v1/jobs/" + id + "/result?file=hasil.csv"));

  ClientResponse result = Call("GET", "/v1/jobs/" + id + "/result", kPusat);
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_THAT(result.Header("content-type"), HasSubstr("text/csv"));
  EXPECT_THAT(result.Header("content-disposition"), HasSubstr(id + "-hasil.csv"));
  EXPECT_THAT(result.body, HasSubstr("padan_decision"));
  EXPECT_THAT(result.body, HasSubstr("Budi Santoso,3201011705800003,17-05-1980,match"));
  EXPECT_THAT(result.body, HasSubstr(",P1,"));  // the typo row found Budi too
  EXPECT_THAT(result.body, HasSubstr(",P3,"));
  EXPECT_EQ(Call("GET", "/v1/jobs/" + id + "/result?file=hasil.csv", kPusat).body, result.body);
  ClientResponse other_file = Call("GET", "/v1/jobs/" + id + "/result?file=job.json", kPusat);
  EXPECT_EQ(other_file.status, 404);
  EXPECT_EQ(ErrorField(other_file), "file");

  // The audit log names the job on submission and on every read of it.
  audit_->Flush();  // the server keeps using the log: flushed, not closed
  std::string audit = padan::testing::ReadFile(audit_path_);
  EXPECT_THAT(audit, HasSubstr("\"route\":\"/v1/jobs\""));
  EXPECT_THAT(audit, HasSubstr("job:" + id));

  EXPECT_THAT(Call("GET", "/metrics").body, HasSubstr("padan_jobs{state=\"done\"} 1"));

  // Deleting a finished job removes it and its files.
  EXPECT_EQ(Call("DELETE", "/v1/jobs/" + id, kPusat).status, 204);
  EXPECT_EQ(Call("GET", "/v1/jobs/" + id, kPusat).status, 404);
  EXPECT_FALSE(std::filesystem::exists(jobs_dir_ + "/" + id));
}

TEST_F(JobHandlersTest, NdjsonResultAndAJsonBodyWithoutUploadIsRefusedForLink) {
  ClientResponse submitted = SubmitLink(kPusat, R"({"format":"ndjson"})");
  ASSERT_EQ(submitted.status, 202) << submitted.body;
  const std::string id = IdOf(submitted);
  EXPECT_THAT(WaitFinished(id, kPusat), HasSubstr(R"("state":"done")"));
  ClientResponse result = Call("GET", "/v1/jobs/" + id + "/result", kPusat);
  EXPECT_THAT(result.Header("content-type"), HasSubstr("ndjson"));
  EXPECT_THAT(result.body, HasSubstr(R"("decision":"match")"));

  ClientResponse no_upload = Call("POST", "/v1/jobs", kPusat, R"({"type":"link"})",
                                  {{"Content-Type", "application/json"}});
  EXPECT_EQ(no_upload.status, 400);
  EXPECT_EQ(ErrorField(no_upload), "input");
}

TEST_F(JobHandlersTest, JobsObeyTheKeysScopeAndPiiRight) {
  // Kab. Bogor's key: its job links only inside 3201, with NIKs masked (no PII right).
  ClientResponse bogor = SubmitLink(kKabKota);
  ASSERT_EQ(bogor.status, 202) << bogor.body;
  const std::string bogor_id = IdOf(bogor);
  EXPECT_THAT(bogor.body, HasSubstr(R"("wilayah":"3201")"));
  EXPECT_THAT(WaitFinished(bogor_id, kKabKota), HasSubstr(R"("state":"done")"));
  std::string result = Call("GET", "/v1/jobs/" + bogor_id + "/result", kKabKota).body;
  EXPECT_THAT(result, HasSubstr(",P1,"));
  EXPECT_THAT(result, Not(HasSubstr(",P3,")));                      // Jakarta is outside its scope
  EXPECT_THAT(result, HasSubstr("320101******0003"));               // the matched NIK, masked
  EXPECT_THAT(result, HasSubstr("Budi Santoso,3201011705800003"));  // its own input, as sent

  // Keys over the region see it; a key elsewhere does not even learn that it exists.
  EXPECT_EQ(Call("GET", "/v1/jobs/" + bogor_id, kProvinsi).status, 200);
  EXPECT_EQ(Call("GET", "/v1/jobs/" + bogor_id, kPusat).status, 200);

  // A job run with the PII right is hidden from keys without it, whatever their region.
  ClientResponse jabar = SubmitLink(kProvinsi);
  ASSERT_EQ(jabar.status, 202) << jabar.body;
  const std::string jabar_id = IdOf(jabar);
  WaitFinished(jabar_id, kProvinsi);
  for (const char* outsider : {kKabKota, kLayanan}) {
    ClientResponse hidden = Call("GET", "/v1/jobs/" + jabar_id, outsider);
    EXPECT_EQ(hidden.status, 404);
    EXPECT_EQ(Call("GET", "/v1/jobs/" + jabar_id + "/result", outsider).status, 404);
    EXPECT_EQ(Call("DELETE", "/v1/jobs/" + jabar_id, outsider).status, 404);
  }
  EXPECT_EQ(Call("GET", "/v1/jobs/" + jabar_id, kPusat).status, 200);

  // Asking for a region outside the key's own is refused.
  ClientResponse outside = SubmitLink(kKabKota, R"({"wilayah":"3171"})");
  EXPECT_EQ(outside.status, 403);
  EXPECT_EQ(ErrorField(outside), "wilayah");
}

TEST_F(JobHandlersTest, ListingShowsTheJobsAKeyMaySeeNewestFirst) {
  const std::string bogor_id = IdOf(SubmitLink(kKabKota));
  WaitFinished(bogor_id, kKabKota);
  const std::string jabar_id = IdOf(SubmitLink(kProvinsi));  // with the PII right
  WaitFinished(jabar_id, kProvinsi);
  ASSERT_FALSE(bogor_id.empty() || jabar_id.empty());
  auto listed = [&](std::string_view key, std::string query = "") {
    ClientResponse response = Call("GET", "/v1/jobs" + query, key);
    EXPECT_EQ(response.status, 200) << response.body;
    std::vector<std::string> ids;
    simdjson::dom::array jobs;
    if (Json(parser_, response.body)["jobs"].get(jobs)) return ids;
    for (simdjson::dom::element job : jobs) ids.emplace_back(std::string_view(job["id"]));
    return ids;
  };
  EXPECT_THAT(listed(kPusat), ElementsAre(jabar_id, bogor_id));
  EXPECT_THAT(listed(kProvinsi), ElementsAre(jabar_id, bogor_id));
  // Without the PII right, not the job run with it, whatever the region.
  EXPECT_THAT(listed(kKabKota), ElementsAre(bogor_id));
  EXPECT_THAT(listed(kLayanan), ElementsAre(bogor_id));
  EXPECT_THAT(listed(kPusat, "?state=done"), ElementsAre(jabar_id, bogor_id));
  EXPECT_THAT(listed(kPusat, "?state=queued"), IsEmpty());

  ClientResponse first = Call("GET", "/v1/jobs?limit=1", kPusat);
  EXPECT_THAT(first.body, HasSubstr(R"("more":true)"));
  EXPECT_THAT(listed(kPusat, "?limit=1"), ElementsAre(jabar_id));
  EXPECT_EQ(ErrorField(Call("GET", "/v1/jobs?state=finished", kPusat)), "state");
  EXPECT_EQ(ErrorField(Call("GET", "/v1/jobs?limit=0", kPusat)), "limit");
  EXPECT_EQ(ErrorField(Call("GET", "/v1/jobs?owner=me", kPusat)), "owner");
  EXPECT_EQ(Call("GET", "/v1/jobs").status, 401);
}

TEST_F(JobHandlersTest, EveryRefusalNamesWhatIsWrong) {
  auto submit = [&](const std::string& job, std::vector<Part> extra = {}) {
    std::vector<Part> parts = {{"job", "", "application/json", job}};
    for (Part& part : extra) parts.push_back(std::move(part));
    return Call("POST", "/v1/jobs", kPusat, MultipartBody(parts), MultipartHeaders());
  };
  const Part input{"input", "daftar.csv", "text/csv", kList};
  struct Case {
    ClientResponse response;
    int status;
    std::string field;
  };
  std::vector<Case> cases = {
      {submit(R"({"type":"sensus"})", {input}), 400, "type"},
      {submit(R"({"params":{}})", {input}), 400, "type"},
      {submit(R"({"type":"link","params":{"format":"xlsx"}})", {input}), 400, "params.format"},
      {submit(R"({"type":"link","params":{"colour":"red"}})", {input}), 400, "params.colour"},
      {submit(R"({"type":"link","params":[]})", {input}), 400, "params"},
      {submit(R"({"type":"link","priority":1})", {input}), 400, "priority"},
      {submit("{not json", {input}), 400, "job"},
      {submit(R"({"type":"link"})"), 400, "input"},
      {submit(R"({"type":"link"})", {input, {"extra", "x.csv", "", "a"}}), 400, "extra"},
      {Call("POST", "/v1/jobs", kPusat, MultipartBody({input}), MultipartHeaders()), 400, "job"},
      {Call("POST", "/v1/jobs", kPusat, "nama\nBudi\n", {{"Content-Type", "text/csv"}}), 400,
       "Content-Type"},
      {Call("POST", "/v1/jobs", kPusat, "--wrong\r\n", MultipartHeaders()), 400, "body"},
      {Call("GET", "/v1/jobs/jnothing", kPusat), 404, "id"},
      {Call("GET", "/v1/jobs/jnothing/result", kPusat), 404, "id"},
      {Call("DELETE", "/v1/jobs/jnothing", kPusat), 404, "id"},
      {Call("GET", "/v1/jobs/jnothing?verbose=1", kPusat), 400, "verbose"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(cases[i].response.status, cases[i].status) << i << ": " << cases[i].response.body;
    EXPECT_EQ(ErrorField(cases[i].response), cases[i].field) << i << ": " << cases[i].response.body;
  }
  EXPECT_EQ(Call("POST", "/v1/jobs", "", MultipartBody({input}), MultipartHeaders()).status, 401);
  // Nothing of the refused submissions stays on disk.
  size_t leftovers = 0;
  for (const auto& entry : std::filesystem::directory_iterator(jobs_dir_ + "/uploads")) {
    (void)entry;
    ++leftovers;
  }
  EXPECT_EQ(leftovers, 0u);
}

TEST_F(JobHandlersTest, ABadInputFileFailsTheJobWithItsLineAndAnOversizedUploadIs413) {
  // A list without a name column: the job fails, saying which line and what is missing.
  ClientResponse no_name = SubmitLink(kPusat, "{}", "KOLOM_A,KOLOM_B\r\n1,2\r\n");
  ASSERT_EQ(no_name.status, 202) << no_name.body;
  std::string status = WaitFinished(IdOf(no_name), kPusat);
  EXPECT_THAT(status, HasSubstr(R"("state":"failed")"));
  EXPECT_THAT(status, HasSubstr("line 1: no column for nama (the header has: KOLOM_A, KOLOM_B)"));
  EXPECT_EQ(Call("GET", "/v1/jobs/" + IdOf(no_name) + "/result", kPusat).status, 409);

  // Ragged rows and a quote left open do not fail the job: each such row comes out as
  // "invalid" with the reason, and every other row is linked.
  ClientResponse ragged =
      SubmitLink(kPusat, "{}", "Nama,Nomor NIK\r\nBudi Santoso,3201011705800003,x,y\r\n\"open");
  ASSERT_EQ(ragged.status, 202) << ragged.body;
  EXPECT_THAT(WaitFinished(IdOf(ragged), kPusat), HasSubstr(R"("invalid":2)"));

  ServerLimits limits;
  limits.max_job_upload_bytes = 2048;
  StartServer(limits);
  service_->SetJobs(jobs_.get());
  ClientResponse big = SubmitLink(kPusat, "{}", kList + std::string(4096, '\n'));
  EXPECT_EQ(big.status, 413);
}

TEST_F(JobHandlersTest, VerivaliJobTakesBothUploadsAndWritesTheReport) {
  const std::string dir = padan::testing::MakeTempDir();
  padan::testing::RunResult gen = padan::testing::RunPadan(
      "gen --persons 3000 --seed 5 --prelist --prelist-share 0.5 --out " + dir);
  ASSERT_EQ(gen.exit_code, 0) << gen.output;
  ClientResponse submitted = Call(
      "POST", "/v1/jobs", kPusat,
      MultipartBody(
          {{"job", "", "application/json", R"({"type":"verivali"})"},
           {"prelist", "prelist.csv", "text/csv", padan::testing::ReadFile(dir + "/prelist.csv")},
           {"field", "field_capi.ndjson", "application/x-ndjson",
            padan::testing::ReadFile(dir + "/field_capi.ndjson")}}),
      MultipartHeaders());
  ASSERT_EQ(submitted.status, 202) << submitted.body;
  const std::string id = IdOf(submitted);
  std::string status = WaitFinished(id, kPusat);
  ASSERT_THAT(status, HasSubstr(R"("state":"done")"));
  EXPECT_THAT(status, HasSubstr("laporan.html"));
  ClientResponse persons = Call("GET", "/v1/jobs/" + id + "/result", kPusat);
  EXPECT_EQ(persons.status, 200);
  EXPECT_THAT(persons.body, HasSubstr("ditemukan"));
  ClientResponse report = Call("GET", "/v1/jobs/" + id + "/result?file=laporan.html", kPusat);
  EXPECT_EQ(report.status, 200);
  EXPECT_THAT(report.Header("content-type"), HasSubstr("text/html"));
  EXPECT_THAT(report.body, HasSubstr("lang=\"id\""));

  // Both files are needed.
  ClientResponse one =
      Call("POST", "/v1/jobs", kPusat,
           MultipartBody({{"job", "", "application/json", R"({"type":"verivali"})"},
                          {"prelist", "prelist.csv", "text/csv", "a\n"}}),
           MultipartHeaders());
  EXPECT_EQ(one.status, 400);
  EXPECT_EQ(ErrorField(one), "field");
}

TEST_F(JobHandlersTest, DedupJobClustersTheRegistryInTheKeysRegionAndNeedsThePiiRight) {
  // A second registration of Budi Santoso (Kab. Bogor): same NIK and birth date, name typo.
  ClientResponse put =
      Call("PUT", "/v1/households/K9", kPusat,
           R"({"id_keluarga":"K9","no_kk":"3201011203150099","kode_wilayah":"3201011001",)"
           R"("anggota":[{"id_art":"P9","nik":"3201011705800003","nama":"Budi Santosa",)"
           R"("jenis_kelamin":"L","tanggal_lahir":"1980-05-17","hubungan":"Kepala Keluarga",)"
           R"("nama_ibu_kandung":"Sumarni"}]})");
  ASSERT_EQ(put.status, 201) << put.body;

  auto submit = [&](std::string_view key, std::string params) {
    return Call("POST", "/v1/jobs", key, R"({"type":"dedup","params":)" + params + "}",
                {{"Content-Type", "application/json"}});
  };
  ClientResponse national = submit(kPusat, "{}");
  ASSERT_EQ(national.status, 202) << national.body;
  std::string status = WaitFinished(IdOf(national), kPusat);
  EXPECT_THAT(status, HasSubstr(R"("state":"done")"));
  EXPECT_THAT(status, HasSubstr(R"("clusters":1)"));
  std::string result = Call("GET", "/v1/jobs/" + IdOf(national) + "/result", kPusat).body;
  EXPECT_THAT(result, HasSubstr("P1"));
  EXPECT_THAT(result, HasSubstr("P9"));
  EXPECT_THAT(result, Not(HasSubstr("P3")));
  // The private copy of the registry is gone with the run.
  EXPECT_FALSE(std::filesystem::exists(jobs_dir_ + "/" + IdOf(national) + "/registry-copy"));

  // Jakarta only: Budi's cluster is not in it.
  ClientResponse jakarta = submit(kPusat, R"({"wilayah":"3171","format":"ndjson"})");
  ASSERT_EQ(jakarta.status, 202) << jakarta.body;
  EXPECT_THAT(WaitFinished(IdOf(jakarta), kPusat), HasSubstr(R"("clusters":0)"));

  // Results are registry records with NIKs: a key without the PII right may not run it.
  ClientResponse masked = submit(kKabKota, "{}");
  EXPECT_EQ(masked.status, 403);
  EXPECT_EQ(ErrorField(masked), "type");
  ClientResponse bad = submit(kPusat, R"({"all_records":"ya"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(ErrorField(bad), "params.all_records");
}

}  // namespace
}  // namespace padan
