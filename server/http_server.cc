#include "server/http_server.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "data/absl_strings.h"
#include "server/api_error.h"

namespace padan {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kServerName = "padan";
// Sent, and the socket closed, when max_connections are already open. Written directly to the
// fresh socket: it fits any socket buffer, so the write never blocks the acceptor.
const std::string& TooManyConnectionsResponse() {
  static const std::string* response = [] {
    constexpr std::string_view kBody =
        "{\"error\":{\"code\":\"unavailable\",\"message\":\"too many open connections; retry "
        "later\"}}";
    return new std::string(StrCat(
        "HTTP/1.1 503 Service Unavailable\r\nServer: padan\r\nContent-Type: application/json\r\n"
        "Retry-After: 1\r\nConnection: close\r\nContent-Length: ",
        kBody.size(), "\r\n\r\n", kBody));
  }();
  return *response;
}

std::string_view View(beast::string_view text) { return {text.data(), text.size()}; }

HttpMethod MethodOf(http::verb verb) {
  switch (verb) {
    case http::verb::get:
      return HttpMethod::kGet;
    case http::verb::head:
      return HttpMethod::kHead;
    case http::verb::post:
      return HttpMethod::kPost;
    case http::verb::put:
      return HttpMethod::kPut;
    case http::verb::delete_:
      return HttpMethod::kDelete;
    default:
      return HttpMethod::kOther;
  }
}

std::string ApiKeyOf(const http::request_header<>& request) {
  if (auto it = request.find("X-API-Key"); it != request.end())
    return std::string(View(it->value()));
  if (auto it = request.find(http::field::authorization); it != request.end()) {
    std::string_view value = View(it->value());
    constexpr std::string_view kBearer = "Bearer ";
    if (value.substr(0, kBearer.size()) == kBearer)
      return std::string(value.substr(kBearer.size()));
  }
  return "";
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(const HttpServerOptions& options, ApiService& service)
      : options_(options),
        service_(service),
        contexts_(MakeContexts(options.threads)),
        acceptor_(*contexts_.front()),
        workers_(static_cast<size_t>(std::max(options.worker_threads, 1))) {}

  absl::Status Listen();
  void Run();
  void Shutdown();
  uint16_t port() const { return port_; }

  ApiService& service() { return service_; }
  net::thread_pool& workers() { return workers_; }
  const ServerLimits& limits() const { return service_.limits(); }
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }

  class Session;
  void Register(Session* session);
  void Unregister(Session* session);

 private:
  using Context = std::unique_ptr<net::io_context>;
  static std::vector<Context> MakeContexts(int threads);

  void Accept();
  void OnAccept(beast::error_code error, tcp::socket socket);

  HttpServerOptions options_;
  ApiService& service_;
  // Declared before the io_contexts and the workers: sessions still queued in them when they
  // are destroyed unregister themselves from here.
  std::mutex sessions_mu_;
  std::condition_variable sessions_cv_;
  absl::flat_hash_set<Session*> sessions_;  // guarded by sessions_mu_
  // One io_context per I/O thread, each serving the connections it was given at accept. A
  // connection's handlers thus always run on one thread, one at a time, without a strand; and
  // no thread wakes another to run a handler, which on 2 cores cost a quarter of a NIK
  // lookup's time when the threads shared one io_context.
  std::vector<Context> contexts_;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running_;
  tcp::acceptor acceptor_;   // on contexts_[0]
  size_t next_context_ = 0;  // where the next connection goes; touched by the acceptor only
  uint16_t port_ = 0;
  std::vector<std::thread> threads_;
  // Runs offloaded routes. Destroyed before the io_contexts: a request it never ran holds a
  // session, whose socket belongs to one of them.
  net::thread_pool workers_;
  std::atomic<bool> stopping_{false};
  std::once_flag shutdown_once_;
};

// One connection: reads a request head, then its body within the route's limit, hands the
// request to the service, writes the response, and loops while keep-alive holds. All of its
// I/O runs on its io_context's one thread; an offloaded request runs on a worker meanwhile,
// with no I/O pending, and hands its response back to that thread.
class HttpServer::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Impl& server) : stream_(std::move(socket)), server_(server) {
    boost::system::error_code ignored;
    tcp::endpoint remote = stream_.socket().remote_endpoint(ignored);
    remote_ = remote.address().to_string(ignored);
    server_.Register(this);
    server_.service().metrics().ConnectionOpened();
  }
  ~Session() {
    server_.service().metrics().ConnectionClosed();
    server_.Unregister(this);
  }

  void Start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::ReadHeader, shared_from_this()));
  }

  // Called on shutdown: a connection waiting for its next request is closed now; one with a
  // request in flight finishes it first (and then closes, as stopping() says).
  void CloseIfIdle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) {
        beast::error_code ignored;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        self->stream_.close();
      }
    });
  }

 private:
  void ReadHeader() {
    if (server_.stopping()) return Close();
    idle_ = true;
    upload_parser_.reset();
    upload_path_.clear();
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(server_.limits().max_header_bytes));
    // No body limit while the head is read: Beast checks Content-Length against it as soon as
    // the head is complete, before the route — and so its own limit — is known. OnHeader
    // answers 413 from Content-Length and sets the route's limit for the body. (Not
    // boost::none: this Beast compares the length with the optional, and none loses.)
    parser_->body_limit(std::numeric_limits<uint64_t>::max());
    stream_.expires_after(std::chrono::milliseconds(server_.limits().header_timeout_ms));
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code error, size_t) {
    idle_ = false;
    if (error) return OnReadError(error);
    const auto& head = parser_->get();
    HttpMethod method = MethodOf(head.method());
    ApiService::BodyPlan plan = server_.service().PlanBody(method, View(head.target()));
    const size_t limit = plan.limit;
    boost::optional<uint64_t> length = parser_->content_length();
    if (length.has_value() && *length > limit) {
      return WriteTransportError(
          413, "payload_too_large",
          StrCat("body of ", *length, " bytes exceeds ", limit, " bytes for this route"));
    }
    parser_->body_limit(limit);
    upload_path_ = std::move(plan.upload_path);
    offload_ = plan.offload;
    if (!upload_path_.empty()) {
      // The body goes straight to a file: a job's input of gigabytes never sits in memory.
      upload_parser_.emplace(std::move(*parser_));
      beast::error_code open_error;
      upload_parser_->get().body().open(upload_path_.c_str(), beast::file_mode::write, open_error);
      if (open_error) {
        upload_parser_.reset();
        upload_path_.clear();
        return WriteTransportError(500, "internal",
                                   StrCat("cannot store the upload: ", open_error.message()));
      }
      upload_parser_->body_limit(limit);
    }
    stream_.expires_after(std::chrono::milliseconds(server_.limits().body_timeout_ms));
    auto expect = head.find(http::field::expect);
    if (expect != head.end() && beast::iequals(expect->value(), "100-continue") &&
        !(upload_parser_ ? upload_parser_->is_done() : parser_->is_done())) {
      continue_.emplace(http::status::continue_, head.version());
      http::async_write(stream_, *continue_,
                        beast::bind_front_handler(&Session::OnContinueSent, shared_from_this()));
      return;
    }
    ReadBody();
  }

  void OnContinueSent(beast::error_code error, size_t) {
    if (error) return Close();
    ReadBody();
  }

  void ReadBody() {
    if (upload_parser_) {
      if (upload_parser_->is_done()) return Dispatch();
      http::async_read(stream_, buffer_, *upload_parser_,
                       beast::bind_front_handler(&Session::OnBody, shared_from_this()));
      return;
    }
    if (parser_->is_done()) return Dispatch();
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnBody, shared_from_this()));
  }

  void OnBody(beast::error_code error, size_t) {
    if (error) return OnReadError(error);
    Dispatch();
  }

  void OnReadError(beast::error_code error) {
    bool header_done = upload_parser_ || parser_->is_header_done();
    DiscardUpload();
    if (error == http::error::end_of_stream || error == net::error::operation_aborted ||
        error == net::error::connection_reset || error == net::error::eof) {
      return Close();
    }
    if (error == beast::error::timeout) {
      server_.service().metrics().ConnectionTimedOut();
      return Close();  // a slow client gets no answer: answering would wait on it again
    }
    if (error == http::error::header_limit) {
      return WriteTransportError(
          431, "header_too_large",
          StrCat("request head exceeds ", server_.limits().max_header_bytes, " bytes"));
    }
    if (error == http::error::body_limit) {
      return WriteTransportError(413, "payload_too_large", "body exceeds this route's limit");
    }
    if (error == http::error::partial_message && !header_done) return Close();
    WriteTransportError(400, "bad_request", StrCat("malformed HTTP request: ", error.message()));
  }

  // An upload that will not reach a handler leaves no file behind.
  void DiscardUpload() {
    if (upload_path_.empty()) return;
    upload_parser_.reset();  // closes the file
    ::unlink(upload_path_.c_str());
    upload_path_.clear();
  }

  void Dispatch() {
    HttpRequest request;
    unsigned version;
    bool client_keep_alive;
    if (upload_parser_) {
      http::request<http::file_body> message = upload_parser_->release();
      message.body().close();
      upload_parser_.reset();
      request = RequestOf(message);
      request.body_file = std::move(upload_path_);
      upload_path_.clear();
      version = message.version();
      client_keep_alive = message.keep_alive();
    } else {
      http::request<http::string_body> message = parser_->release();
      request = RequestOf(message);
      request.body = std::move(message.body());
      version = message.version();
      client_keep_alive = message.keep_alive();
    }
    if (!offload_) {
      HttpResponse response = Handle(request);
      const bool keep_alive = client_keep_alive && !response.close;  // before the move below
      return Write(std::move(response), version, keep_alive);
    }
    server_.service().metrics().OffloadStarted();
    net::post(server_.workers(), [self = shared_from_this(), request = std::move(request), version,
                                  client_keep_alive]() mutable {
      HttpResponse response = self->Handle(request);
      self->server_.service().metrics().OffloadFinished();
      net::post(self->stream_.get_executor(),
                [self, response = std::move(response), version, client_keep_alive]() mutable {
                  bool keep_alive = client_keep_alive && !response.close;
                  self->Write(std::move(response), version, keep_alive);
                });
    });
  }

  // Runs on the I/O thread or a worker: touches no session state but the request.
  HttpResponse Handle(HttpRequest& request) {
    HttpResponse response = server_.service().Handle(request);
    // The handler moved away what it keeps of an upload.
    if (!request.body_file.empty()) ::unlink(request.body_file.c_str());
    return response;
  }

  HttpRequest RequestOf(const http::request_header<>& message) const {
    HttpRequest request;
    request.method = MethodOf(message.method());
    request.target = std::string(View(message.target()));
    request.api_key = ApiKeyOf(message);
    if (auto it = message.find(http::field::content_type); it != message.end()) {
      request.content_type = std::string(View(it->value()));
    }
    if (auto it = message.find("X-Request-Id"); it != message.end()) {
      request.request_id = std::string(View(it->value()));
    }
    request.remote_address = remote_;
    return request;
  }

  void WriteTransportError(int status, std::string_view code, std::string_view message) {
    server_.service().RecordTransportError(status);
    HttpResponse response = ErrorResponse(status, code, message);
    Write(std::move(response), 11, /*keep_alive=*/false);
  }

  void Write(HttpResponse response, unsigned version, bool keep_alive) {
    keep_alive = keep_alive && !server_.stopping();
    if (!response.body_file.empty()) return WriteFile(std::move(response), version, keep_alive);
    response_.emplace(static_cast<http::status>(response.status), version);
    response_->set(http::field::server, beast::string_view(kServerName.data(), kServerName.size()));
    if (!response.body.empty() || response.status != 204) {
      response_->set(http::field::content_type, response.content_type);
    }
    for (const auto& [name, value] : response.headers) response_->set(name, value);
    response_->body() = std::move(response.body);
    response_->keep_alive(keep_alive);
    response_->prepare_payload();
    stream_.expires_after(std::chrono::milliseconds(server_.limits().write_timeout_ms));
    http::async_write(stream_, *response_,
                      beast::bind_front_handler(&Session::OnWrite, shared_from_this(), keep_alive));
  }

  // A job result: sent from disk as it is read, whatever its size.
  void WriteFile(HttpResponse response, unsigned version, bool keep_alive) {
    file_response_.emplace(static_cast<http::status>(response.status), version);
    beast::error_code error;
    file_response_->body().open(response.body_file.c_str(), beast::file_mode::scan, error);
    if (error) {
      file_response_.reset();
      return Write(
          ErrorResponse(500, "internal", StrCat("cannot read the result file: ", error.message())),
          version, keep_alive);
    }
    file_response_->set(http::field::server,
                        beast::string_view(kServerName.data(), kServerName.size()));
    file_response_->set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) file_response_->set(name, value);
    file_response_->keep_alive(keep_alive);
    file_response_->prepare_payload();
    file_serializer_.emplace(*file_response_);
    WriteFileSome(keep_alive);
  }

  // Large results go at the client's pace: the write timeout bounds each stall, re-armed per
  // piece, so a slow reader is served and a reader that stops is cut off.
  void WriteFileSome(bool keep_alive) {
    stream_.expires_after(std::chrono::milliseconds(server_.limits().write_timeout_ms));
    http::async_write_some(
        stream_, *file_serializer_,
        [self = shared_from_this(), keep_alive](beast::error_code error, size_t bytes) {
          if (!error && !self->file_serializer_->is_done()) return self->WriteFileSome(keep_alive);
          self->file_serializer_.reset();
          self->OnWrite(keep_alive, error, bytes);
        });
  }

  void OnWrite(bool keep_alive, beast::error_code error, size_t) {
    if (error == beast::error::timeout) server_.service().metrics().ConnectionTimedOut();
    file_response_.reset();
    if (error || !keep_alive) return Close();
    response_.reset();
    ReadHeader();
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  Impl& server_;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  std::optional<http::response<http::string_body>> response_;
  // A body streamed to disk instead of parser_ (job uploads), and where it goes.
  std::optional<http::request_parser<http::file_body>> upload_parser_;
  std::string upload_path_;
  std::optional<http::response<http::file_body>> file_response_;
  std::optional<http::response_serializer<http::file_body>> file_serializer_;
  bool idle_ = false;     // waiting for the next request head
  bool offload_ = false;  // the request being read runs on a worker
};

void HttpServer::Impl::Register(Session* session) {
  std::lock_guard lock(sessions_mu_);
  sessions_.insert(session);
}

void HttpServer::Impl::Unregister(Session* session) {
  std::lock_guard lock(sessions_mu_);
  sessions_.erase(session);
  sessions_cv_.notify_all();
}

absl::Status HttpServer::Impl::Listen() {
  beast::error_code error;
  net::ip::address address = net::ip::make_address(options_.bind, error);
  if (error)
    return absl::InvalidArgumentError(StrCat("--bind ", options_.bind, ": ", error.message()));
  tcp::endpoint endpoint(address, options_.port);
  auto fail = [&](std::string_view what) {
    return absl::UnavailableError(
        StrCat(what, " ", options_.bind, ":", options_.port, ": ", error.message()));
  };
  acceptor_.open(endpoint.protocol(), error);
  if (error) return fail("open");
  acceptor_.set_option(net::socket_base::reuse_address(true), error);
  if (error) return fail("set SO_REUSEADDR on");
  acceptor_.bind(endpoint, error);
  if (error) return fail("bind");
  acceptor_.listen(net::socket_base::max_listen_connections, error);
  if (error) return fail("listen on");
  port_ = acceptor_.local_endpoint(error).port();
  return absl::OkStatus();
}

std::vector<HttpServer::Impl::Context> HttpServer::Impl::MakeContexts(int threads) {
  std::vector<Context> contexts;
  for (int i = 0; i < std::max(threads, 1); ++i) {
    // Hint 1: one thread runs it (workers post to it, so it keeps its locks).
    contexts.push_back(std::make_unique<net::io_context>(1));
  }
  return contexts;
}

void HttpServer::Impl::Run() {
  Accept();
  threads_.reserve(contexts_.size());
  for (const Context& context : contexts_) {
    // A context without connections yet must not return from run().
    keep_running_.push_back(net::make_work_guard(*context));
    threads_.emplace_back([&context = *context] { context.run(); });
  }
}

void HttpServer::Impl::Accept() {
  // Connections go round-robin to the I/O threads: each is served where it was accepted into.
  net::io_context& context = *contexts_[next_context_];
  next_context_ = (next_context_ + 1) % contexts_.size();
  acceptor_.async_accept(context, beast::bind_front_handler(&Impl::OnAccept, this));
}

void HttpServer::Impl::OnAccept(beast::error_code error, tcp::socket socket) {
  if (error == net::error::operation_aborted || !acceptor_.is_open()) return;
  if (!error) {
    if (static_cast<size_t>(service_.metrics().open_connections()) >= limits().max_connections) {
      service_.metrics().ConnectionRejected();
      beast::error_code ignored;
      net::write(socket, net::buffer(TooManyConnectionsResponse()), ignored);
      socket.shutdown(tcp::socket::shutdown_both, ignored);
      socket.close(ignored);
    } else {
      // A response goes out as soon as it is written: with Nagle's algorithm, the response to
      // a pipelined request (or a file's second piece) would wait for the client's delayed ACK
      // of the one before, 40 ms on Linux.
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      std::make_shared<Session>(std::move(socket), *this)->Start();
    }
  }
  Accept();
}

void HttpServer::Impl::Shutdown() {
  std::call_once(shutdown_once_, [this] {
    service_.SetDraining();
    stopping_.store(true, std::memory_order_release);
    net::post(acceptor_.get_executor(), [this] {
      beast::error_code ignored;
      acceptor_.close(ignored);
    });
    auto deadline = Clock::now() + std::chrono::milliseconds(limits().shutdown_grace_ms);
    std::vector<std::shared_ptr<Session>> open;
    {
      std::lock_guard lock(sessions_mu_);
      for (Session* session : sessions_) {
        // A session in the set is not yet destroyed (its destructor waits for the lock); one
        // whose last reference is gone yields an empty pointer here.
        if (std::shared_ptr<Session> alive = session->weak_from_this().lock()) {
          open.push_back(std::move(alive));
        }
      }
    }
    // Outside the lock: dropping the last reference runs the destructor, which takes it.
    for (const std::shared_ptr<Session>& session : open) session->CloseIfIdle();
    open.clear();
    {
      std::unique_lock lock(sessions_mu_);
      sessions_cv_.wait_until(lock, deadline, [this] { return sessions_.empty(); });
    }
    for (const Context& context : contexts_) context->stop();
    for (std::thread& thread : threads_) thread.join();
    // A request still running on a worker after the grace period is let finish; its response
    // goes nowhere (the I/O threads have stopped).
    workers_.stop();
    workers_.join();
  });
}

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options,
                                                              ApiService& service) {
  auto impl = std::make_unique<Impl>(options, service);
  if (absl::Status status = impl->Listen(); !status.ok()) return status;
  impl->Run();
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() { Shutdown(); }
uint16_t HttpServer::port() const { return impl_->port(); }
void HttpServer::Shutdown() { impl_->Shutdown(); }

}  // namespace padan
