// `netvet serve`: the vetting workflow over HTTP (JSON under /api/v1,
// described by /api/v1/openapi.json). Every response is rendered at the
// caller's clearance; the engine runs on each notification and plan version as
// a job taken from the store's queue, so several servers on one PostgreSQL
// share the work. docs/service.md describes the API and the workflow.
//
//   netvet::Server server(*store, *kb, {.port = 8080});
//   int port = server.bind();   // 0 on failure
//   server.run();               // until stop()
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "netvet/common.h"
#include "netvet/kb.h"
#include "netvet/store.h"

namespace netvet {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                      // 0: any free port (tests)
  std::string tls_cert, tls_key;        // both set: HTTPS
  size_t max_body = size_t{64} << 20;   // bytes; larger requests get 413
  int rate_per_minute = 6000;           // per token; bursts up to this many
  int http_threads = 8;
  int engine_workers = 1;               // 0: this server takes no jobs (another one does)
  std::string worker_name = "serve";    // names this server's jobs in the store
  std::function<Date()> today;          // default: the system clock (UTC)
  std::string web_root;                 // the built web UI (index.html) served at /; empty: API only
};

// One API route, as the server registers it and as openapi.json must describe it.
struct Route {
  std::string method;  // GET | POST | PUT
  std::string path;    // OpenAPI form, e.g. /api/v1/notifications/{id}
};

class Server {
 public:
  Server(Store& store, const KnowledgeBase& kb, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the socket; returns the port, or 0 (with error()) on failure.
  int bind();
  const std::string& error() const;
  // Serves until stop(); starts the engine workers.
  void run();
  void stop();

  static std::vector<Route> routes();
  static const std::string& openapi_json();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace netvet
