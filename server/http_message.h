// HttpRequest and HttpResponse: the server's own, Boost-free view of one HTTP exchange. The
// Beast layer (http_server.cc) converts to and from these, so routing, handlers and their tests
// never include Boost.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace padan {

enum class HttpMethod : uint8_t { kGet, kHead, kPost, kPut, kDelete, kOther };

std::string_view HttpMethodName(HttpMethod method);

// One request, owned. Value type.
struct HttpRequest {
  HttpMethod method = HttpMethod::kGet;
  std::string target;   // as received: path and query string
  std::string api_key;  // from X-API-Key, or Authorization: Bearer; "" when absent
  std::string content_type;
  std::string request_id;  // X-Request-Id sent by the client, if any
  std::string body;
  // Set instead of `body` on routes whose body is streamed to disk (job uploads): the file the
  // transport wrote. The transport removes it after the handler returns, so a handler that
  // keeps it moves it away.
  std::string body_file;
  std::string remote_address;
};

// One response, owned. Value type.
struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // When set, the body is this file's content, sent from disk as it is read (job results of
  // any size); `body` is ignored.
  std::string body_file;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  // Close the connection after this response (malformed input, shutdown).
  bool close = false;
};

}  // namespace padan
