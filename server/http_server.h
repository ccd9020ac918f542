// HttpServer: the HTTP/1.1 transport of the API — an asynchronous Boost.Beast server with
// keep-alive, N I/O threads each with its own connections, worker threads for the routes that
// may take long (RouteOptions::offload), the connection-level limits (header size 431, body size
// 413, timeouts, maximum connections) and graceful shutdown. It hands each complete request to the
// ApiService. Boost stays in http_server.cc: this header is Boost-free.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

#include "server/api_service.h"

namespace padan {

struct HttpServerOptions {
  std::string bind = "127.0.0.1";
  uint16_t port = 0;       // 0: any free port (tests); port() says which
  int threads = 1;         // I/O threads: each runs its own share of the connections
  int worker_threads = 1;  // run the offloaded routes (RouteOptions::offload)
};

// Thread-safe: Shutdown may be called from any thread (a signal-waiting thread), once or more.
// The service must outlive the server.
class HttpServer {
 public:
  // Binds, listens and starts the I/O threads. kUnavailable when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options,
                                                           ApiService& service);
  ~HttpServer();  // Shutdown()

  uint16_t port() const;

  // Stops accepting, answers 503 on /readyz, closes idle keep-alive connections, lets requests
  // in flight finish and be answered (with Connection: close) for up to
  // limits.shutdown_grace_ms, then stops the I/O threads. Returns when they have exited.
  void Shutdown();

 private:
  class Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace padan
