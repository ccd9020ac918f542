// HttpServerTest: a real server on a free loopback port over TestBackend, with one API key per
// role, an audit log, and helpers to call it — shared by the HTTP end-to-end tests.
// Header-only: the test targets compile only *_test.cc files.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include <simdjson.h>

#include "server/api_keys.h"
#include "server/api_service.h"
#include "server/audit_log.h"
#include "server/http_server.h"
#include "server/sha256.h"
#include "tests/server/http_test_client.h"
#include "tests/server/test_backend.h"

namespace padan::testing {

using ::padan::testing::ClientConnection;
using ::padan::testing::ClientResponse;
using ::padan::testing::RequestText;

constexpr char kPusat[] = "secret-pusat";
constexpr char kProvinsi[] = "secret-provinsi-32";
constexpr char kKabKota[] = "secret-kabkota-3201";
constexpr char kLayanan[] = "secret-layanan";
constexpr char kLimited[] = "secret-limited";

inline std::string KeysJson() {
  auto key = [](std::string id, std::string secret, std::string role, std::string wilayah,
                std::string extra) {
    return "{\"id\":\"" + id + "\",\"sha256\":\"" + Sha256Hex(secret) + "\",\"role\":\"" + role +
           "\",\"wilayah\":\"" + wilayah + "\"" + extra + "}";
  };
  return "{\"keys\":[" + key("pusat", kPusat, "pusat", "", "") + "," +
         key("jabar", kProvinsi, "provinsi", "32", ",\"pii\":true") + "," +
         key("bogor", kKabKota, "kabkota", "3201", "") + "," +
         key("bansos", kLayanan, "layanan", "", "") + "," +
         key("limited", kLimited, "pusat", "", ",\"rate_per_second\":1,\"burst\":2") + "]}";
}

// Parses a JSON body; the test fails on invalid JSON.
inline simdjson::dom::element Json(simdjson::dom::parser& parser, const std::string& body) {
  simdjson::dom::element element;
  EXPECT_FALSE(parser.parse(body).get(element)) << body;
  return element;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(ServerLimits()); }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
    audit_.reset();
    if (!audit_path_.empty()) std::filesystem::remove(audit_path_);
  }

  void StartServer(const ServerLimits& limits, bool ready = true) {
    if (server_ != nullptr) server_->Shutdown();
    server_.reset();
    service_.reset();
    audit_.reset();
    if (!audit_path_.empty()) std::filesystem::remove(audit_path_);  // the restarted server's
    if (backend_ == nullptr) backend_ = std::make_unique<padan::testing::TestBackend>();
    keys_ = std::make_unique<ApiKeys>(*ApiKeys::Parse(KeysJson()));
    // Not MakeTempDir(): that would empty the directory the backend's database lives in.
    static int servers_started = 0;
    audit_path_ = ::testing::TempDir() + "/padan_audit_" + std::to_string(getpid()) + "_" +
                  std::to_string(++servers_started) + ".ndjson";
    // The log is opened for appending, and a process id comes round again among the suite's
    // processes: what an earlier process with this id left must not count as this test's lines.
    std::filesystem::remove(audit_path_);
    audit_ = *AuditLog::Open(audit_path_, "test-salt");
    service_ = std::make_unique<ApiService>(limits, keys_.get(), audit_.get());
    if (ready) service_->SetBackend(backend_.get());
    HttpServerOptions options;
    options.port = 0;
    options.threads = io_threads_;
    options.worker_threads = 2;
    absl::StatusOr<std::unique_ptr<HttpServer>> server = HttpServer::Start(options, *service_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  ClientResponse Call(std::string_view method, std::string_view target, std::string_view key = "",
                      std::string_view body = "",
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
    ClientConnection connection(server_->port());
    EXPECT_TRUE(connection.connected());
    if (!key.empty()) headers.emplace_back("X-API-Key", std::string(key));
    connection.Send(RequestText(method, target, headers, body));
    std::optional<ClientResponse> response = connection.Read();
    EXPECT_TRUE(response.has_value()) << method << " " << target;
    return response.value_or(ClientResponse());
  }

  std::string ErrorField(const ClientResponse& response) {
    simdjson::dom::element root = Json(parser_, response.body);
    std::string_view field;
    if (root["error"]["field"].get(field)) return "";
    return std::string(field);
  }
  std::string ErrorCode(const ClientResponse& response) {
    simdjson::dom::element root = Json(parser_, response.body);
    std::string_view code;
    if (root["error"]["code"].get(code)) return "";
    return std::string(code);
  }

  int io_threads_ = 2;  // for the next StartServer
  std::unique_ptr<padan::testing::TestBackend> backend_;
  std::unique_ptr<ApiKeys> keys_;
  std::unique_ptr<AuditLog> audit_;
  std::string audit_path_;
  std::unique_ptr<ApiService> service_;
  std::unique_ptr<HttpServer> server_;
  simdjson::dom::parser parser_;
};

}  // namespace padan::testing
