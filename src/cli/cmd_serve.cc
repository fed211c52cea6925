// `netvet serve`: the vetting service (docs/service.md). Opens the store
// (SQLite file or PostgreSQL URL), loads the knowledge base once, and serves
// the API until SIGINT or SIGTERM.
#include <signal.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "commands.h"
#include "netvet/kb.h"
#include "netvet/policy.h"
#include "netvet/server.h"
#include "netvet/store.h"

namespace netvet::cli {
namespace {

struct ServeArgs {
  std::string db = "netvet.db";
  std::vector<std::string> overlays;
  ServerOptions server;
  int connections = 8;
};

int serve(const Globals& g, ServeArgs& a) {
  Diagnostics diags;
  auto kb = load_kb(g.kb_dir, a.overlays, diags, &netvet::validate_rule);
  if (!kb || diags.has_errors()) {
    std::cerr << diags.format() << "netvet serve: error: cannot load the knowledge base " << g.kb_dir << "\n";
    return kExitBadInput;
  }
  auto store = Store::open(a.db, StoreOptions{a.connections, {}});
  if (!store) {
    std::cerr << "netvet serve: error: " << store.error().to_string() << "\n";
    return kExitBadInput;
  }
  if ((a.server.tls_cert.empty()) != (a.server.tls_key.empty())) {
    std::cerr << "netvet serve: error: HTTPS needs both --tls-cert and --tls-key\n";
    return kExitBadInput;
  }
  // Signals go to one waiting thread, which stops the server cleanly.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  Server server(**store, *kb, a.server);
  int port = server.bind();
  if (port == 0) {
    std::cerr << "netvet serve: error: " << server.error() << "\n";
    return kExitBadInput;
  }
  std::string scheme = a.server.tls_cert.empty() ? "http" : "https";
  std::cerr << "netvet serve: listening on " << scheme << "://" << a.server.host << ":" << port << " ("
            << (*store)->backend() << ", KB " << kb->version << ", " << a.server.engine_workers
            << " engine worker(s)); API at /api/v1, described by /api/v1/openapi.json" << std::endl;
  if (!a.server.web_root.empty())
    std::cerr << "netvet serve: web UI at " << scheme << "://" << a.server.host << ":" << port << "/ from "
              << a.server.web_root
              << (std::filesystem::exists(a.server.web_root + "/index.html") ? "" : " (not built: make build, then restart)")
              << std::endl;
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&set, &sig);
    server.stop();
  });
  server.run();
  // run() returns after stop(); if it returned on its own, release the waiter.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  return kExitOk;
}

}  // namespace

void register_serve(CLI::App& app, Globals& g, int& exit_code) {
  auto a = std::make_shared<ServeArgs>();
  auto* sub = app.add_subcommand("serve", "Run the vetting service: notification, assessment, decision, mitigation, "
                                          "review over HTTP (docs/service.md)");
  sub->add_option("--db", a->db, "SQLite file (created if absent) or postgresql://user@host/db")->capture_default_str();
  sub->add_option("--host", a->server.host, "Address to listen on")->capture_default_str();
  sub->add_option("--port", a->server.port, "Port (0: any free port, printed at start)")->capture_default_str();
  sub->add_option("--tls-cert", a->server.tls_cert, "PEM certificate: serve HTTPS (with --tls-key)")
      ->check(CLI::ExistingFile);
  sub->add_option("--tls-key", a->server.tls_key, "PEM private key for --tls-cert")->check(CLI::ExistingFile);
  sub->add_option("--kb-overlay", a->overlays, "Classified overlay file(s) the agency holds (repeatable)")
      ->check(CLI::ExistingFile);
  sub->add_option("--workers", a->server.engine_workers,
                  "Engine workers taking assessment jobs (0: none; another server takes them)")
      ->capture_default_str();
  sub->add_option("--threads", a->server.http_threads, "HTTP worker threads")->capture_default_str();
  sub->add_option("--max-body", a->server.max_body, "Largest request body in bytes (larger: 413)")
      ->capture_default_str();
  sub->add_option("--rate", a->server.rate_per_minute, "Requests a minute per API token (over it: 429)")
      ->capture_default_str();
  a->server.web_root = installed_share_path("web");
  sub->add_option("--web-root", a->server.web_root,
                  "Folder of the built web UI, served at / (default: share/netvet/web beside the binary, which make build links to web/dist; empty: API only)")
      ->capture_default_str();
  sub->add_option("--name", a->server.worker_name, "This server's name in the job queue")->capture_default_str();
  sub->callback([&g, &exit_code, a] { exit_code = serve(g, *a); });
}

}  // namespace netvet::cli
