// The service over real HTTP on loopback, against SQLite and PostgreSQL: the
// NZ journey, the authorisation matrix, the OpenAPI document against the
// routes, and the HTTP contract (errors, limits, ETags, pages).
#include "netvet/server.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <httplib.h>
#include <zlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "netvet/kb.h"
#include "netvet/policy.h"
#include "netvet/store.h"
#include "engine_adapter.h"
#include "netvet/assess.h"
#include "netvet/io.h"
#include "netvet/report.h"
#include "store_testing.h"

namespace netvet {
namespace {

using json = nlohmann::json;

std::string slurp(const std::string& rel) {
  std::ifstream in(std::string(NETVET_SOURCE_DIR) + "/" + rel);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The words only the SECRET content holds: none may reach an uncleared reader.
constexpr const char* kSecretFinding = "GCSB-HOLDS-THIS-SECRET-FINDING";
constexpr const char* kSecretNote = "GCSB-HOLDS-THIS-SECRET-NOTE";

struct Reply {
  int status = 0;
  json body;
  std::string text;
  httplib::Headers headers;
};

class ServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void start(ServerOptions options = {}) {
    NETVET_FRESH_DB(GetParam(), u);
    url = u;
    auto s = Store::open(url, StoreOptions{4, {}});
    ASSERT_TRUE(s) << s.error().to_string();
    store = std::move(*s);
    Diagnostics diags;
    kb = load_kb(std::string(NETVET_SOURCE_DIR) + "/kb", {}, diags, &validate_rule);
    ASSERT_TRUE(kb) << diags.format();
    options.port = 0;
    options.today = [] { return *Date::parse("2018-12-10"); };
    server = std::make_unique<Server>(*store, *kb, options);
    port = server->bind();
    ASSERT_GT(port, 0) << server->error();
    thread = std::thread([this] { server->run(); });
  }
  void TearDown() override {
    if (server) server->stop();
    if (thread.joinable()) thread.join();
  }

  std::string token(const std::string& name, Role role, const std::string& tenant, Classification c) {
    auto issued = store->add_user({name, role, tenant, c, ""}, "test");
    EXPECT_TRUE(issued) << issued.error().to_string();
    return issued ? issued->token : "";
  }

  Reply call(const std::string& method, const std::string& path, const std::string& tok, const json& body = nullptr,
             httplib::Headers extra = {}) {
    httplib::Client cli("127.0.0.1", port);
    cli.set_read_timeout(30, 0);
    httplib::Headers h = std::move(extra);
    if (!tok.empty()) h.emplace("Authorization", "Bearer " + tok);
    std::string payload = body.is_null() ? "" : body.dump();
    httplib::Result r = method == "GET"    ? cli.Get(path.c_str(), h)
                        : method == "POST" ? cli.Post(path.c_str(), h, payload, "application/json")
                                           : cli.Put(path.c_str(), h, payload, "application/json");
    Reply out;
    if (!r) {
      ADD_FAILURE() << method << " " << path << ": no response (" << httplib::to_string(r.error()) << ")";
      return out;
    }
    out.status = r->status;
    out.text = r->body;
    out.headers = r->headers;
    if (!r->body.empty()) out.body = json::parse(r->body, nullptr, false);
    return out;
  }

  // Waits (bounded) until the notification's assessment `n` (1-based) is done.
  json wait_assessed(int64_t id, const std::string& tok, size_t n) {
    for (int i = 0; i < 300; ++i) {
      Reply r = call("GET", "/api/v1/notifications/" + std::to_string(id), tok);
      const json& as = r.body["assessments"];
      if (as.size() >= n && as[n - 1]["status"] != "queued" && as[n - 1]["status"] != "running") return r.body;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "assessment " << n << " of notification " << id << " did not finish in 15 s";
    return {};
  }

  json nz_submission() {
    return {{"title", "5G RAN (Huawei) with MEC edge user plane"},
            {"jurisdiction", "NZ"},
            {"date", "2018-11-28"},
            {"network", slurp("examples/nz-spark-5g-2018/network.yaml")},
            {"proposal", slurp("examples/nz-spark-5g-2018/proposal.yaml")}};
  }

  std::string url;
  std::unique_ptr<Store> store;
  std::unique_ptr<KnowledgeBase> kb;
  std::unique_ptr<Server> server;
  std::thread thread;
  int port = 0;
};

// A revised proposal: the same build on a vendor the NZ pack does not treat as
// high-risk, with the edge user plane's links protected.
std::string mitigated_proposal() {
  std::string p = slurp("examples/nz-spark-5g-2018/proposal.yaml");
  for (size_t at; (at = p.find("vendor: Huawei")) != std::string::npos;) p.replace(at, 14, "vendor: Nokia");
  return p;
}

TEST_P(ServiceTest, TheNewZealandJourney) {
  start();
  if (IsSkipped() || HasFatalFailure()) return;
  std::string op = token("spark-ops", Role::kOperator, "spark", Classification::kUnclassified);
  std::string assessor = token("gcsb-assessor", Role::kAssessor, "gcsb", Classification::kSecret);
  std::string approver = token("gcsb-approver", Role::kApprover, "gcsb", Classification::kTopSecret);
  std::string auditor = token("igis-auditor", Role::kAuditor, "igis", Classification::kTopSecret);

  // The operator notifies; the engine assesses it as a job.
  Reply created = call("POST", "/api/v1/notifications", op, nz_submission());
  ASSERT_EQ(created.status, 201) << created.text;
  int64_t id = created.body["id"];
  EXPECT_EQ(created.body["state"], "notified");
  EXPECT_EQ(created.headers.find("Location")->second, "/api/v1/notifications/" + std::to_string(id));
  json view = wait_assessed(id, assessor, 1);
  EXPECT_EQ(view["state"], "under-assessment");
  ASSERT_EQ(view["assessments"][0]["status"], "done") << view.dump(2);
  ASSERT_FALSE(view["findings"].empty());
  int64_t engine_finding = view["findings"][0]["id"];
  int64_t first_assessment = view["assessments"][0]["id"];

  // An assessor adds what only the agency knows, at SECRET.
  Reply secret = call("POST", "/api/v1/notifications/" + std::to_string(id) + "/findings", assessor,
                      {{"title", "Vendor assessment"},
                       {"message", kSecretFinding},
                       {"classification", "SECRET"},
                       {"severity", "critical"}});
  ASSERT_EQ(secret.status, 201) << secret.text;
  int64_t secret_id = secret.body["id"];

  // The approver decides significant risk, for reasons public and secret.
  Reply decided = call("POST", "/api/v1/notifications/" + std::to_string(id) + "/decision", approver,
                       {{"outcome", "significant-risk"},
                        {"reason", kSecretNote},
                        {"classification", "SECRET"},
                        {"reasons", {engine_finding, secret_id}}});
  ASSERT_EQ(decided.status, 200) << decided.text;
  EXPECT_EQ(decided.body["state"], "decided");

  // The operator learns the decision and how much was withheld, not the secret.
  Reply seen = call("GET", "/api/v1/notifications/" + std::to_string(id), op);
  ASSERT_EQ(seen.status, 200) << seen.text;
  EXPECT_EQ(seen.body["decision"]["outcome"], "significant-risk");
  EXPECT_EQ(seen.body["decision"]["note"], nullptr);
  EXPECT_EQ(seen.body["decision"]["note_withheld"], "SECRET");
  EXPECT_EQ(seen.body["decision"]["reasons"], json({std::to_string(engine_finding), "withheld:SECRET"}));
  ASSERT_EQ(seen.body["withheld"].size(), 1u);
  EXPECT_EQ(seen.body["withheld"][0]["classification"], "SECRET");
  EXPECT_EQ(seen.body["withheld"][0]["count"], 1);
  for (const auto& f : seen.body["findings"]) EXPECT_EQ(f["classification"], "UNCLASSIFIED");
  EXPECT_EQ(seen.text.find(kSecretFinding), std::string::npos);
  EXPECT_EQ(seen.text.find(kSecretNote), std::string::npos);
  EXPECT_EQ(seen.text.find("Vendor assessment"), std::string::npos);
  Reply report = call("GET", "/api/v1/assessments/" + std::to_string(first_assessment), op);
  ASSERT_EQ(report.status, 200) << report.text;
  EXPECT_EQ(report.body["clearance"], "UNCLASSIFIED");
  EXPECT_EQ(call("GET", "/api/v1/findings/" + std::to_string(secret_id), op).status, 404);
  // The assessor, cleared, sees it all (and that read is audited).
  Reply cleared = call("GET", "/api/v1/notifications/" + std::to_string(id), assessor);
  EXPECT_NE(cleared.text.find(kSecretFinding), std::string::npos);
  EXPECT_NE(cleared.text.find(kSecretNote), std::string::npos);

  // The operator submits a mitigation plan with its cost and schedule (netvet
  // plan's JSON); it is re-assessed, then accepted. A plan made at a classified
  // level, or one that is not netvet plan's output, is refused.
  json costed = {{"netvet", 1}, {"status", "optimal"}, {"currency", "NZD"}, {"cost", {{"total", 445000.0}}},
                 {"schedule", {{{"year", 2018}, {"sites", 1}, {"actions", 5}, {"cost", 300000.0}},
                               {{"year", 2019}, {"sites", 2}, {"actions", 2}, {"cost", 145000.0}}}},
                 {"findings_to_clear", {{{"rule", "nz.ticsa.5g-hrv-access"}, {"components", 5}}}},
                 {"actions", json::array({1, 2, 3, 4, 5, 6, 7})}, {"verified", true}};
  std::string plans = "/api/v1/notifications/" + std::to_string(id) + "/plans";
  json marked = costed;
  marked["marking"] = "SECRET";
  EXPECT_EQ(call("POST", plans, op, {{"proposal", mitigated_proposal()}, {"plan", marked}}).status, 400);
  EXPECT_EQ(call("POST", plans, op, {{"proposal", mitigated_proposal()}, {"plan", "{\"cost\": 1}"}}).status, 400);
  Reply plan = call("POST", plans, op, {{"proposal", mitigated_proposal()}, {"plan", costed.dump()}, {"reason", "Nokia RAN instead"}});
  ASSERT_EQ(plan.status, 201) << plan.text;
  EXPECT_EQ(plan.body["state"], "mitigation");
  EXPECT_EQ(plan.body["plan_version"], 2);
  const json& summary = plan.body["proposals"][1]["plan"];
  EXPECT_EQ(summary["currency"], "NZD");
  EXPECT_EQ(summary["total"], 445000.0);
  EXPECT_EQ(summary["actions"], 7);
  ASSERT_EQ(summary["schedule"].size(), 2u);
  EXPECT_EQ(summary["schedule"][1]["year"], 2019);
  EXPECT_EQ(summary["schedule"][1]["cost"], 145000.0);
  EXPECT_EQ(summary["findings_to_clear"][0]["rule"], "nz.ticsa.5g-hrv-access");
  EXPECT_TRUE(plan.body["proposals"][0]["plan"].is_null());
  view = wait_assessed(id, approver, 2);
  ASSERT_EQ(view["assessments"][1]["status"], "done") << view.dump(2);
  Reply second = call("GET", "/api/v1/assessments/" + view["assessments"][1]["id"].dump(), approver);
  ASSERT_EQ(second.status, 200);
  Reply first_full = call("GET", "/api/v1/assessments/" + std::to_string(first_assessment), approver);
  EXPECT_EQ(first_full.body["determination"]["outcome"], "significant-risk");
  EXPECT_EQ(second.body["determination"]["outcome"], "no-significant-risk") << second.text;
  ASSERT_TRUE(store->set_finding_status(secret_id, "mitigated", "Nokia RAN", "", *store->user_by_token(approver)));
  Reply accepted = call("POST", "/api/v1/notifications/" + std::to_string(id) + "/accept", approver,
                        {{"reason", "The revised proposal removes the risk"}});
  ASSERT_EQ(accepted.status, 200) << accepted.text;
  Reply final_view = call("GET", "/api/v1/notifications/" + std::to_string(id), op);
  EXPECT_EQ(final_view.body["state"], "accepted");
  EXPECT_EQ(final_view.body["decision"]["kind"], "acceptance");
  EXPECT_EQ(final_view.text.find(kSecretFinding), std::string::npos);

  // Every step and every classified read is in the audit log, which verifies.
  Reply log = call("GET", "/api/v1/audit?limit=200", auditor);
  ASSERT_EQ(log.status, 200);
  EXPECT_EQ(log.text.find(kSecretFinding), std::string::npos);  // the log holds hashes of classified text
  EXPECT_EQ(log.text.find(kSecretNote), std::string::npos);
  std::multiset<std::string> actions;
  for (const auto& e : log.body["items"]) actions.insert(e["action"].get<std::string>() + " " + e["actor"].get<std::string>());
  EXPECT_EQ(actions.count("notification.create spark-ops"), 1u);
  EXPECT_EQ(actions.count("transition.decide gcsb-approver"), 1u);
  EXPECT_EQ(actions.count("transition.accept gcsb-approver"), 1u);
  EXPECT_EQ(actions.count("plan.submit spark-ops"), 1u);
  EXPECT_GE(actions.count("read gcsb-assessor"), 1u);
  EXPECT_EQ(actions.count("read spark-ops"), 0u);  // nothing classified was shown to the operator
  EXPECT_TRUE(store->verify_audit().ok);
}

// Every endpoint x role x tenant x clearance: who gets in, and how each one
// who may not is refused. The expectations are written out here, apart from
// the server's own checks.
TEST_P(ServiceTest, AuthorisationMatrix) {
  start();
  if (IsSkipped() || HasFatalFailure()) return;
  const std::vector<std::pair<std::string, Classification>> levels = {{"U", Classification::kUnclassified},
                                                                        {"S", Classification::kSecret},
                                                                        {"TS", Classification::kTopSecret}};
  struct Caller {
    Role role;
    std::string tenant;
    Classification clearance;
    std::string token;
  };
  std::vector<Caller> callers;
  for (Role r : kAllRoles)
    for (std::string tenant : {"spark", "vodafone"})
      for (const auto& [tag, c] : levels)
        callers.push_back({r, tenant, c, token(std::string(role_name(r)) + "-" + tenant + "-" + tag, r, tenant, c)});
  std::string op = callers[0].token;  // operator, spark, UNCLASSIFIED
  std::string assessor = token("a", Role::kAssessor, "gcsb", Classification::kTopSecret);

  Reply created = call("POST", "/api/v1/notifications", op, nz_submission());
  ASSERT_EQ(created.status, 201) << created.text;
  std::string n = std::to_string(created.body["id"].get<int64_t>());
  json view = wait_assessed(created.body["id"], assessor, 1);
  ASSERT_EQ(view["assessments"][0]["status"], "done") << view.dump(2);
  ASSERT_FALSE(view["findings"].empty()) << view.dump(2);
  std::string a = view["assessments"][0]["id"].dump();
  std::string public_finding = view["findings"][0]["id"].dump();
  Reply secret = call("POST", "/api/v1/notifications/" + n + "/findings", assessor,
                      {{"title", "t"}, {"message", kSecretFinding}, {"classification", "SECRET"}});
  ASSERT_EQ(secret.status, 201);
  std::string s = secret.body["id"].dump();

  using R = Role;
  const std::vector<R> readers = {R::kOperator, R::kAssessor, R::kApprover, R::kReviewer};
  struct Case {
    std::string method, path;
    json body;
    std::vector<R> roles;
    bool tenant_scoped;          // an operator of another tenant gets 404
    Classification needs;        // below it: denied
    int below_status;            // ... with this status
  };
  const Classification U = Classification::kUnclassified, S = Classification::kSecret;
  json notif_body = nz_submission();
  std::vector<Case> cases = {
      {"GET", "/api/v1/me", nullptr, {R::kOperator, R::kAssessor, R::kApprover, R::kReviewer, R::kAuditor, R::kAdmin}, false, U, 0},
      {"GET", "/api/v1/notifications", nullptr, readers, false, U, 0},
      {"POST", "/api/v1/notifications", notif_body, {R::kOperator}, false, U, 0},
      {"GET", "/api/v1/notifications/" + n, nullptr, readers, true, U, 0},
      {"POST", "/api/v1/notifications/" + n + "/notify", json::object(), {R::kOperator}, true, U, 0},
      {"POST", "/api/v1/notifications/" + n + "/findings",
       {{"title", "t"}, {"message", "m"}, {"classification", "SECRET"}}, {R::kAssessor}, false, S, 403},
      {"POST", "/api/v1/notifications/" + n + "/overlays",
       {{"overlay", std::string("netvet-kb-overlay: 1\nclassification: SECRET\njurisdiction: NZ\n"
                                "vendor_assessments:\n  - {vendor: nokia, risk: high, since: 2018-01-01, reason: ") +
                        kSecretFinding + "}\n"}},
       {R::kAssessor}, false, S, 403},
      {"PUT", "/api/v1/notifications/" + n + "/due-date", {{"due_date", "2018-12-01"}}, {R::kAssessor, R::kApprover}, false, U, 0},
      {"POST", "/api/v1/notifications/" + n + "/decision",
       {{"outcome", "significant-risk"}, {"reason", "r"}}, {R::kApprover}, false, U, 0},
      {"POST", "/api/v1/notifications/" + n + "/plans", {{"proposal", mitigated_proposal()}}, {R::kOperator}, true, U, 0},
      {"POST", "/api/v1/notifications/" + n + "/review-request", {{"reason", "r"}}, {R::kOperator}, true, U, 0},
      {"POST", "/api/v1/notifications/" + n + "/review", {{"outcome", "upheld"}, {"reason", "r"}}, {R::kReviewer}, false, U, 0},
      {"POST", "/api/v1/notifications/" + n + "/direction", {{"reason", "r"}}, {R::kApprover}, false, U, 0},
      {"POST", "/api/v1/notifications/" + n + "/accept", {{"reason", "r"}}, {R::kApprover}, false, U, 0},
      {"GET", "/api/v1/findings/" + public_finding, nullptr, readers, true, U, 0},
      {"GET", "/api/v1/findings/" + s, nullptr, readers, true, S, 404},
      {"POST", "/api/v1/findings/" + s + "/status", {{"status", "accepted"}}, {R::kAssessor, R::kApprover}, false, S, 404},
      {"GET", "/api/v1/assessments/" + a, nullptr, readers, true, U, 0},
      {"GET", "/api/v1/audit", nullptr, {R::kAuditor}, false, U, 0},
      {"GET", "/api/v1/users", nullptr, {R::kAdmin}, false, U, 0},
      {"POST", "/api/v1/users", {{"name", "new"}, {"role", "operator"}, {"tenant", "x"}}, {R::kAdmin}, false, U, 0},
  };
  int denials = 0;
  for (const Case& k : cases) {
    // Without a token: 401, with a JSON error saying how to get one.
    Reply anon = call(k.method, k.path, "", k.body);
    EXPECT_EQ(anon.status, 401) << k.method << " " << k.path;
    EXPECT_EQ(anon.body["error"]["code"], "unauthorized");
    for (const Caller& c : callers) {
      std::string who = std::string(role_name(c.role)) + "/" + c.tenant + "/" +
                        std::string(classification_name(c.clearance)) + " " + k.method + " " + k.path;
      Classification effective = c.role == R::kOperator ? U : c.clearance;
      int expect = 0;  // 0: allowed
      if (std::find(k.roles.begin(), k.roles.end(), c.role) == k.roles.end()) expect = 403;
      else if (k.tenant_scoped && c.role == R::kOperator && c.tenant != "spark") expect = 404;
      else if (effective < k.needs) expect = k.below_status;
      json body = k.body;
      if (k.path == "/api/v1/users" && k.method == "POST") body["name"] = "new-" + who;
      Reply r = call(k.method, k.path, c.token, body);
      if (expect) {
        ++denials;
        EXPECT_EQ(r.status, expect) << who << ": " << r.text;
        EXPECT_EQ(r.body["error"]["status"], expect) << who;
        EXPECT_FALSE(r.body["error"]["message"].get<std::string>().empty()) << who;
      } else {
        EXPECT_TRUE(r.status != 401 && r.status != 403 && r.status != 404) << who << ": " << r.status << " " << r.text;
        EXPECT_LT(r.status, 500) << who << ": " << r.text;
      }
      if (effective < S) {
        EXPECT_EQ(r.text.find(kSecretFinding), std::string::npos) << who;
      }
    }
  }
  EXPECT_GT(denials, 400);
}

TEST_P(ServiceTest, OpenApiDescribesExactlyTheRoutes) {
  start();
  if (IsSkipped() || HasFatalFailure()) return;
  Reply doc = call("GET", "/api/v1/openapi.json", "");
  ASSERT_EQ(doc.status, 200);
  EXPECT_EQ(doc.body["openapi"], "3.0.3");
  std::set<std::pair<std::string, std::string>> documented, served;
  for (const auto& [path, ops] : doc.body["paths"].items())
    for (const auto& [method, op] : ops.items()) {
      std::string m = method;
      std::transform(m.begin(), m.end(), m.begin(), ::toupper);
      documented.insert({m, path});
      EXPECT_TRUE(op.contains("responses")) << m << " " << path;
    }
  for (const auto& r : Server::routes()) served.insert({r.method, r.path});
  EXPECT_EQ(documented, served);
  // And each documented operation is answered by a route, not the 404 for unknown endpoints.
  for (const auto& [m, path] : documented) {
    std::string p = path;
    if (auto at = p.find("{id}"); at != std::string::npos) p.replace(at, 4, "1");
    Reply r = call(m, p, "", m == "GET" ? json(nullptr) : json::object());
    EXPECT_EQ(r.text.find("no such endpoint"), std::string::npos) << m << " " << p << ": " << r.text;
  }
  Reply unknown = call("GET", "/api/v1/nothing-here", "");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(unknown.body["error"]["message"].get<std::string>().find("openapi.json"), std::string::npos);
}

// The graph view: the notified network with the proposal applied, as access
// edges between node indexes, untrusted and critical components as the engine
// discloses them at the reader's clearance, attack paths from an untrusted
// component; another tenant's operator gets 404 as elsewhere.
TEST_P(ServiceTest, GraphOfAProposalVersion) {
  start();
  if (IsSkipped() || HasFatalFailure()) return;
  std::string op = token("spark-ops", Role::kOperator, "spark", Classification::kUnclassified);
  std::string other = token("vodafone-ops", Role::kOperator, "vodafone", Classification::kUnclassified);
  Reply created = call("POST", "/api/v1/notifications", op, nz_submission());
  ASSERT_EQ(created.status, 201) << created.text;
  std::string path = "/api/v1/notifications/" + std::to_string(created.body["id"].get<int64_t>()) + "/graph";
  Reply g = call("GET", path, op);
  ASSERT_EQ(g.status, 200) << g.text;
  EXPECT_EQ(g.body["version"], 1);
  // Nodes by column: id, site index, function index, vendor index, flags (state + 4 untrusted + 8 critical).
  const json& nodes = g.body["nodes"];
  const size_t n = nodes["id"].size();
  EXPECT_EQ(n, 31u);  // the network's 21 and the proposal's 10 (metrics.components)
  size_t added = 0, untrusted = 0, critical = 0;
  for (size_t i = 0; i < n; ++i) {
    int flags = nodes["flags"][i].get<int>();
    added += (flags & 3) == 1;
    untrusted += (flags & 4) != 0;
    critical += (flags & 8) != 0;
    EXPECT_LT(nodes["site"][i].get<int>(), static_cast<int>(g.body["sites"].size()));
    EXPECT_LT(nodes["vendor"][i].get<size_t>(), g.body["vendors"].size());
  }
  EXPECT_EQ(nodes["id"][0], "akl-001-enb");
  EXPECT_EQ(g.body["sites"][nodes["site"][0].get<size_t>()]["id"], "AKL-001");
  EXPECT_EQ(g.body["functions"][nodes["function"][0].get<size_t>()][0], "enb");
  EXPECT_EQ(g.body["vendors"][nodes["vendor"][0].get<size_t>()], "Huawei");
  EXPECT_EQ(added, 10u);
  EXPECT_EQ(untrusted, 16u);  // the report's metrics.vendor_risk.high at UNCLASSIFIED
  EXPECT_EQ(critical, 10u);   // metrics.exposure.critical
  EXPECT_EQ(g.body["marking"], "UNCLASSIFIED");
  EXPECT_EQ(g.body["blast"].size(), untrusted);
  ASSERT_FALSE(g.body["paths"].empty());
  for (const auto& p : g.body["paths"]) EXPECT_TRUE(nodes["flags"][p.front().get<size_t>()].get<int>() & 4);
  // Edges: one flat array of from, to, interface index.
  const json& edges = g.body["edges"];
  ASSERT_FALSE(edges.empty());
  ASSERT_EQ(edges.size() % 3, 0u);
  for (size_t e = 0; e < edges.size(); e += 3) {
    EXPECT_LT(edges[e].get<size_t>(), n);
    EXPECT_LT(edges[e + 1].get<size_t>(), n);
    EXPECT_LT(edges[e + 2].get<size_t>(), g.body["interfaces"].size());
  }
  EXPECT_EQ(g.body["sites"].size(), 13u);
  EXPECT_TRUE(g.body["sensitive"].is_array());
  EXPECT_EQ(call("GET", path, other).status, 404);
  EXPECT_EQ(call("GET", path + "?version=2", op).status, 404);
  // A network notified without a proposal (the engine then gives no per-component state).
  json plain = nz_submission();
  plain.erase("proposal");
  Reply alone = call("POST", "/api/v1/notifications", op, plain);
  ASSERT_EQ(alone.status, 201) << alone.text;
  Reply g2 = call("GET", "/api/v1/notifications/" + std::to_string(alone.body["id"].get<int64_t>()) + "/graph", op);
  ASSERT_EQ(g2.status, 200) << g2.text;
  EXPECT_EQ(g2.body["nodes"]["id"].size(), 21u);
  for (const auto& flags : g2.body["nodes"]["flags"]) EXPECT_EQ(flags.get<int>() & 3, 0);  // existing
}

// A NetBox export uploaded as the network is imported on the server: its
// planned devices become the proposal and an unmapped role is a warning.
TEST_P(ServiceTest, NetBoxUploadIsImportedWithItsWarnings) {
  start();
  if (IsSkipped() || HasFatalFailure()) return;
  std::string op = token("spark-ops", Role::kOperator, "spark", Classification::kUnclassified);
  json sub = {{"title", "From NetBox"}, {"jurisdiction", "NZ"}, {"date", "2018-11-28"}, {"format", "netbox"},
              {"network", slurp("tests/cases/import/netbox-planned-and-unmapped/inventory.json")}};
  Reply r = call("POST", "/api/v1/notifications", op, sub);
  ASSERT_EQ(r.status, 201) << r.text;
  EXPECT_EQ(r.body["import"]["format"], "netbox");
  std::string warnings = r.body["import"]["warnings"].dump();
  EXPECT_NE(warnings.find("mystery-box"), std::string::npos) << warnings;
  EXPECT_NE(warnings.find("2 planned or staged"), std::string::npos) << warnings;
  Reply g = call("GET", "/api/v1/notifications/" + std::to_string(r.body["id"].get<int64_t>()) + "/graph", op);
  ASSERT_EQ(g.status, 200) << g.text;
  EXPECT_EQ(g.body["nodes"]["id"].size(), 6u);  // 4 live and the 2 planned ones the proposal adds
  sub["format"] = "sbom";
  Reply bad = call("POST", "/api/v1/notifications", op, sub);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body["error"]["message"].get<std::string>().find("netbox or cyclonedx"), std::string::npos);
}

// The web UI's files at /, index.html for the UI's own addresses (a reload of
// /notifications/7), and the API's JSON errors untouched beside them.
TEST_P(ServiceTest, ServesTheWebUiBesideTheApi) {
  auto root = std::filesystem::temp_directory_path() / ("netvet-web-" + std::to_string(::getpid()));
  // The folder must exist at the start; its files are read per request (a rebuild
  // needs no restart), so they are written after it.
  std::filesystem::create_directories(root / "assets");
  ServerOptions o;
  o.web_root = root.string();
  start(o);
  if (IsSkipped() || HasFatalFailure()) {
    std::filesystem::remove_all(root);
    return;
  }
  std::ofstream(root / "index.html") << "<!doctype html><title>netvet</title>";
  std::ofstream(root / "assets" / "app-1234.js") << "console.log(1)";
  Reply index = call("GET", "/", "");
  EXPECT_EQ(index.status, 200);
  EXPECT_NE(index.text.find("<title>netvet</title>"), std::string::npos);
  EXPECT_EQ(index.headers.find("Content-Security-Policy")->second.rfind("default-src 'self'", 0), 0u);
  Reply asset = call("GET", "/assets/app-1234.js", "");
  EXPECT_EQ(asset.status, 200);
  EXPECT_EQ(asset.text, "console.log(1)");
  EXPECT_NE(asset.headers.find("Cache-Control")->second.find("immutable"), std::string::npos);
  Reply client_route = call("GET", "/notifications/7", "");
  EXPECT_EQ(client_route.status, 200);
  EXPECT_EQ(client_route.text, index.text);
  Reply api = call("GET", "/api/v1/nothing-here", "");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.body["error"]["code"], "not_found");
  EXPECT_EQ(call("GET", "/api/v1/me", "").status, 401);

  // JavaScript and JSON are gzipped by the server when the client takes gzip,
  // never brotli (cpp-httplib's own choice, at its slowest quality): the body
  // inflates to the file as it is, and a client offering only brotli gets it plain.
  std::string script;
  for (int i = 0; i < 500; ++i) script += "console.log(" + std::to_string(i) + ");\n";
  std::ofstream(root / "assets" / "big-1234.js") << script;
  httplib::Client raw("127.0.0.1", port);
  raw.set_decompress(false);
  auto gunzip = [](const std::string& gz) {
    z_stream z{};
    EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
    std::string out(1 << 20, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
    z.avail_in = static_cast<uInt>(gz.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
    out.resize(z.total_out);
    inflateEnd(&z);
    return out;
  };
  for (const char* path : {"/assets/big-1234.js", "/api/v1/openapi.json"}) {
    auto gz = raw.Get(path, {{"Accept-Encoding", "gzip, deflate, br, zstd"}});
    ASSERT_TRUE(gz);
    EXPECT_EQ(gz->get_header_value("Content-Encoding"), "gzip") << path;
    EXPECT_NE(gz->get_header_value("Content-Type").find("charset=utf-8"), std::string::npos) << path;
    auto br = raw.Get(path, {{"Accept-Encoding", "br"}});
    ASSERT_TRUE(br);
    EXPECT_FALSE(br->has_header("Content-Encoding")) << path;
    EXPECT_EQ(gunzip(gz->body), br->body) << path;
    if (std::string(path).rfind("/assets/", 0) == 0) EXPECT_EQ(br->body, script);
  }
  std::filesystem::remove_all(root);
}

TEST_P(ServiceTest, HealthErrorsLimitsEtagsAndPages) {
  ServerOptions o;
  o.max_body = 256 * 1024;
  o.rate_per_minute = 20;
  start(o);
  if (IsSkipped() || HasFatalFailure()) return;
  Reply health = call("GET", "/api/v1/health", "");
  ASSERT_EQ(health.status, 200);
  EXPECT_EQ(health.body["status"], "ok");
  EXPECT_EQ(health.body["backend"], GetParam());

  std::string op = token("op", Role::kOperator, "spark", Classification::kUnclassified);
  // Bad input names what is wrong and where.
  json bad = nz_submission();
  bad["network"] = "netvet: 1\ncomponents:\n  - {id: x, function: gnb\n";
  Reply r = call("POST", "/api/v1/notifications", op, bad);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body["error"]["message"].get<std::string>().find("network:"), std::string::npos) << r.text;
  EXPECT_EQ(call("POST", "/api/v1/notifications", op, {{"title", "t"}}).body["error"]["message"],
            "\"jurisdiction\" is required in the request body");
  httplib::Client cli("127.0.0.1", port);
  auto notjson = cli.Post("/api/v1/notifications", {{"Authorization", "Bearer " + op}}, "{oops", "application/json");
  ASSERT_TRUE(notjson);
  EXPECT_EQ(notjson->status, 400);
  EXPECT_NE(notjson->body.find("not JSON"), std::string::npos);
  // Too large: 413, as JSON.
  json huge = nz_submission();
  huge["title"] = std::string(300 * 1024, 'x');
  Reply big = call("POST", "/api/v1/notifications", op, huge);
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.body["error"]["code"], "too_large");

  // Pages and ETags.
  int64_t last = 0;
  for (int i = 0; i < 3; ++i) {
    Reply r = call("POST", "/api/v1/notifications", op, nz_submission());
    ASSERT_EQ(r.status, 201);
    last = r.body["id"];
  }
  wait_assessed(last, op, 1);  // jobs finishing would change the pages between two reads
  Reply page1 = call("GET", "/api/v1/notifications?limit=2", op);
  ASSERT_EQ(page1.status, 200);
  ASSERT_EQ(page1.body["items"].size(), 2u);
  Reply page2 = call("GET", page1.body["next"], op);
  ASSERT_EQ(page2.body["items"].size(), 1u);
  EXPECT_TRUE(page2.body["next"].is_null());
  std::string tag = page1.headers.find("ETag")->second;
  EXPECT_EQ(call("GET", "/api/v1/notifications?limit=2", op, nullptr, {{"If-None-Match", tag}}).status, 304);
  EXPECT_EQ(call("GET", "/api/v1/notifications?limit=0", op).status, 400);

  // Rate limit: 20 a minute for this token, then 429 with Retry-After; others unaffected.
  int limited = 0;
  for (int i = 0; i < 25; ++i) {
    Reply x = call("GET", "/api/v1/me", op);
    if (x.status == 429) {
      ++limited;
      EXPECT_TRUE(x.headers.count("Retry-After"));
      EXPECT_EQ(x.body["error"]["code"], "rate_limited");
    }
  }
  EXPECT_GT(limited, 0);
  std::string other = token("other", Role::kOperator, "spark", Classification::kUnclassified);
  EXPECT_EQ(call("GET", "/api/v1/me", other).status, 200);
}

// The list page is written without a JSON tree (it is the most requested
// page): it must still be exactly the JSON a tree would give, whatever the
// text holds, and say what the notification's own view says.
TEST_P(ServiceTest, ListPagesAreExactJsonWhateverTheTitleHolds) {
  start();
  if (IsSkipped() || HasFatalFailure()) return;
  std::string op = token("op", Role::kOperator, "spark", Classification::kUnclassified);
  std::string as = token("as", Role::kAssessor, "gcsb", Classification::kSecret);
  json sub = nz_submission();
  sub["title"] = "a \"quoted\" \\path\\ on\ntwo lines\t\r\b\f\x01\x1f </script>";
  Reply made = call("POST", "/api/v1/notifications", op, sub);
  ASSERT_EQ(made.status, 201) << made.text;
  int64_t id = made.body["id"];
  json plain = nz_submission();
  plain["draft"] = true;
  plain["title"] = "Māori 中文 ✓ \"quoted\"\n";
  ASSERT_EQ(call("POST", "/api/v1/notifications", op, plain).status, 201);
  wait_assessed(id, op, 1);
  ASSERT_EQ(call("PUT", "/api/v1/notifications/" + std::to_string(id) + "/due-date", as, {{"due_date", "2018-12-01"}})
                .status,
            200);
  for (const std::string& tok : {op, as}) {
    Reply page = call("GET", "/api/v1/notifications?limit=1", tok);
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(nlohmann::ordered_json::parse(page.text).dump() + "\n", page.text);
    ASSERT_EQ(page.body["items"].size(), 1u);
    const json& item = page.body["items"][0];
    json view = call("GET", "/api/v1/notifications/" + std::to_string(id), tok).body;
    for (const char* key : {"id", "tenant", "title", "state", "jurisdiction", "date", "due_date", "overdue",
                            "updated_at"})
      EXPECT_EQ(item[key], view[key]) << key;
    EXPECT_EQ(item["title"], sub["title"]);
    EXPECT_EQ(item["overdue"], true);
    EXPECT_TRUE(item["decision"].is_null());
    EXPECT_EQ(item["href"], "/api/v1/notifications/" + std::to_string(id));
    EXPECT_EQ(page.body["next"], "/api/v1/notifications?after=" + std::to_string(id) + "&limit=1");
    Reply rest = call("GET", page.body["next"], tok);
    ASSERT_EQ(rest.body["items"].size(), 1u);
    EXPECT_TRUE(rest.body["items"][0]["due_date"].is_null());
    EXPECT_EQ(rest.body["items"][0]["state"], "draft");
    EXPECT_EQ(rest.body["items"][0]["title"], plain["title"]);
    EXPECT_EQ(nlohmann::ordered_json::parse(rest.text).dump() + "\n", rest.text);
    EXPECT_TRUE(rest.body["next"].is_null());
  }
  Reply overdue = call("GET", "/api/v1/notifications?overdue=true&limit=1", op);
  ASSERT_EQ(overdue.body["items"].size(), 1u);
  EXPECT_EQ(overdue.body["items"][0]["id"], id);
  EXPECT_TRUE(overdue.body["next"].is_null());
}

TEST_P(ServiceTest, ReviewAndDirectionFollowASignificantRiskDecision) {
  start();
  if (IsSkipped() || HasFatalFailure()) return;
  std::string op = token("op", Role::kOperator, "spark", Classification::kUnclassified);
  std::string approver = token("ap", Role::kApprover, "gcsb", Classification::kTopSecret);
  std::string reviewer = token("cciw", Role::kReviewer, "cciw", Classification::kTopSecret);
  Reply created = call("POST", "/api/v1/notifications", op, nz_submission());
  int64_t id = created.body["id"];
  std::string base = "/api/v1/notifications/" + std::to_string(id);
  wait_assessed(id, approver, 1);
  EXPECT_EQ(call("POST", base + "/review", reviewer, {{"outcome", "upheld"}, {"reason", "r"}}).status, 409);
  ASSERT_EQ(call("POST", base + "/decision", approver, {{"outcome", "significant-risk"}, {"reason", "HRV in RAN"}}).status, 200);
  Reply no_reason = call("POST", base + "/review-request", op, json::object());
  EXPECT_EQ(no_reason.status, 400);
  ASSERT_EQ(call("POST", base + "/review-request", op, {{"reason", "we disagree"}}).status, 200);
  ASSERT_EQ(call("POST", base + "/review", reviewer, {{"outcome", "upheld"}, {"reason", "the risk is real"}}).status, 200);
  Reply directed = call("POST", base + "/direction", approver, {{"reason", "do not implement the proposal"}});
  ASSERT_EQ(directed.status, 200) << directed.text;
  EXPECT_EQ(directed.body["state"], "directed");
  std::vector<std::string> kinds;
  for (const auto& d : directed.body["decisions"]) kinds.push_back(d["kind"]);
  EXPECT_EQ(kinds, (std::vector<std::string>{"decision", "review", "direction"}));
  // The same notification uploaded as files (multipart/form-data).
  httplib::Client cli("127.0.0.1", port);
  httplib::MultipartFormDataItems parts = {
      {"meta", R"({"title": "5G as files", "jurisdiction": "NZ", "date": "2018-11-28"})", "", "application/json"},
      {"network", slurp("examples/nz-spark-5g-2018/network.yaml"), "network.yaml", "application/yaml"},
      {"proposal", slurp("examples/nz-spark-5g-2018/proposal.yaml"), "proposal.yaml", "application/yaml"}};
  auto uploaded = cli.Post("/api/v1/notifications", {{"Authorization", "Bearer " + op}}, parts);
  ASSERT_TRUE(uploaded);
  ASSERT_EQ(uploaded->status, 201) << uploaded->body;
  json up = wait_assessed(json::parse(uploaded->body)["id"], approver, 1);
  EXPECT_EQ(up["title"], "5G as files");
  EXPECT_EQ(up["findings"].size(), wait_assessed(id, approver, 1)["findings"].size());  // as the JSON upload
  // Overdue: due before "today" (2018-12-10) and still waiting for the agency.
  Reply other = call("POST", "/api/v1/notifications", op, nz_submission());
  std::string other_path = "/api/v1/notifications/" + other.body["id"].dump();
  ASSERT_EQ(call("PUT", other_path + "/due-date", approver, {{"due_date", "2018-12-01"}}).status, 200);
  Reply overdue = call("GET", "/api/v1/notifications?overdue=true", approver);
  ASSERT_EQ(overdue.body["items"].size(), 1u);
  EXPECT_EQ(overdue.body["items"][0]["id"], other.body["id"]);
  EXPECT_EQ(overdue.body["items"][0]["overdue"], true);
}

// The job renders each clearance from as few engine runs as it can; each
// rendering must be byte for byte what the engine gives at that clearance, with
// and without classified content in the KB.
// Overlays uploaded per notification, as a property over random overlays:
// whatever level each has and whatever it names (a rule, or a vendor rating),
// no reader below it receives any of its words in any response (the view, every
// assessment, every finding, the graph, the list), while readers at or above
// it do see it applied. Operators, whatever their account says, see none.
TEST_P(ServiceTest, OverlaysPerNotificationNeverReachAReaderBelowThem) {
  start();
  if (IsSkipped() || HasFatalFailure()) return;
  using C = Classification;
  const std::vector<C> levels = {C::kUnclassified, C::kRestricted, C::kConfidential, C::kSecret, C::kTopSecret};
  struct Reader {
    std::string name, token;
    C clearance;  // effective
  };
  std::vector<Reader> readers = {
      {"operator", token("op", Role::kOperator, "spark", C::kTopSecret), C::kUnclassified}};
  for (C level : levels) {
    std::string l(classification_name(level));
    readers.push_back({"assessor/" + l, token("as-" + l, Role::kAssessor, "gcsb", level), level});
    readers.push_back({"approver/" + l, token("ap-" + l, Role::kApprover, "gcsb", level), level});
  }
  const std::string& op = readers[0].token;
  const std::string& top = readers.back().token;  // approver, TOP-SECRET
  Reply made = call("POST", "/api/v1/notifications", op, nz_submission());
  ASSERT_EQ(made.status, 201) << made.text;
  std::string n = std::to_string(made.body["id"].get<int64_t>());
  wait_assessed(made.body["id"], op, 1);

  const std::vector<std::string> components = {"akl-001-enb", "hlz-001-enb", "wlg-001-enb", "dud-001-enb",
                                               "agg-akl", "core-mme-1"};
  const std::vector<std::string> vendors = {"ericsson", "nokia", "cisco"};
  std::mt19937 rng(20181128);
  struct Uploaded {
    C level;
    std::string marker;
  };
  std::vector<Uploaded> uploaded;
  for (int trial = 0; trial < 8; ++trial) {
    C level = levels[1 + rng() % 4];
    std::string l(classification_name(level));
    std::string marker = "OVLMARK" + std::to_string(trial) + "Q";
    std::string yaml = "netvet-kb-overlay: 1\nclassification: " + l + "\njurisdiction: NZ\n";
    if (rng() % 2 == 0) {
      yaml += "rules:\n  - id: nz.test.overlay-" + std::to_string(trial) + "\n    title: " + marker +
              " title\n    kind: exclude\n    where: {id: " + components[rng() % components.size()] +
              "}\n    effective_from: 2018-01-01\n    severity: " + (rng() % 2 ? "critical" : "medium") +
              "\n    binding: true\n    citation:\n      instrument: " + marker +
              " instrument\n      section: s1\n      url: https://example.invalid/" + marker +
              "\n      fact: test data\n";
    } else {
      yaml += "vendor_assessments:\n  - {vendor: " + vendors[rng() % vendors.size()] +
              ", risk: high, since: 2018-01-01, reason: " + marker + " reason}\n";
    }
    // An assessor below the overlay's level may not upload it; one at it may.
    size_t below = 1 + 2 * (static_cast<size_t>(level) - 1);  // assessor one level down
    Reply refused = call("POST", "/api/v1/notifications/" + n + "/overlays", readers[below].token, {{"overlay", yaml}});
    EXPECT_EQ(refused.status, 403) << l << " by " << readers[below].name << ": " << refused.text;
    Reply ok = call("POST", "/api/v1/notifications/" + n + "/overlays", readers[below + 2].token, {{"overlay", yaml}});
    ASSERT_EQ(ok.status, 201) << yaml << ok.text;
    EXPECT_EQ(ok.body["classification"], l);
    EXPECT_EQ(ok.text.find(marker), std::string::npos);
    uploaded.push_back({level, marker});
    json view = wait_assessed(made.body["id"], top, static_cast<size_t>(trial) + 2);
    ASSERT_EQ(view["assessments"].back()["status"], "done") << view.dump(2);
  }
  // A rule overlay shows in the TOP-SECRET report; so each overlay was applied.
  json view = call("GET", "/api/v1/notifications/" + n, top).body;
  std::string latest = view["assessments"].back()["id"].dump();
  std::string top_report = call("GET", "/api/v1/assessments/" + latest, top).text;
  EXPECT_NE(top_report.find("nz.test.overlay-"), std::string::npos) << "no overlay rule applied";

  for (const Reader& r : readers) {
    std::vector<std::string> texts;
    Reply v = call("GET", "/api/v1/notifications/" + n, r.token);
    ASSERT_EQ(v.status, 200) << r.name;
    texts.push_back(v.text);
    for (const auto& a : v.body["assessments"]) texts.push_back(call("GET", a["href"], r.token).text);
    for (const auto& f : v.body["findings"])
      texts.push_back(call("GET", "/api/v1/findings/" + f["id"].dump(), r.token).text);
    texts.push_back(call("GET", "/api/v1/notifications/" + n + "/graph", r.token).text);
    texts.push_back(call("GET", "/api/v1/notifications", r.token).text);
    size_t visible = 0;
    for (const auto& u : uploaded) {
      if (u.level <= r.clearance) {
        ++visible;
        continue;
      }
      for (const auto& t : texts) EXPECT_EQ(t.find(u.marker), std::string::npos) << r.name << " got " << u.marker;
    }
    EXPECT_EQ(v.body["overlays"].size(), visible) << r.name;
    int withheld = 0;
    for (const auto& w : v.body["overlays_withheld"]) withheld += w["count"].get<int>();
    EXPECT_EQ(static_cast<size_t>(withheld) + visible, uploaded.size()) << r.name;
  }
  // Bad overlays are refused, naming where: another jurisdiction, broken YAML.
  const std::string& top_assessor = readers[readers.size() - 2].token;
  Reply other = call("POST", "/api/v1/notifications/" + n + "/overlays", top_assessor,
                     {{"overlay", "netvet-kb-overlay: 1\nclassification: SECRET\njurisdiction: UK\n"}});
  EXPECT_EQ(other.status, 400) << other.text;
  Reply broken =
      call("POST", "/api/v1/notifications/" + n + "/overlays", top_assessor, {{"overlay", "netvet-kb-overlay: [1\n"}});
  EXPECT_EQ(broken.status, 400);
  EXPECT_NE(broken.text.find("overlay"), std::string::npos) << broken.text;
}

TEST(EngineJob, EveryClearanceRendersExactlyAsTheEngineDoes) {
  for (std::string overlay : {"", "tests/cases/assess/disclosure-secret/overlay.yaml"}) {
    Diagnostics diags;
    std::vector<std::string> overlays;
    if (!overlay.empty()) overlays.push_back(std::string(NETVET_SOURCE_DIR) + "/" + overlay);
    auto kb = load_kb(std::string(NETVET_SOURCE_DIR) + "/kb", overlays, diags, &validate_rule);
    ASSERT_TRUE(kb) << diags.format();
    Job job;
    job.jurisdiction = "NZ";
    job.date = "2018-11-28";
    job.network = slurp("examples/nz-spark-5g-2018/network.yaml");
    job.proposal = slurp("examples/nz-spark-5g-2018/proposal.yaml");
    auto result = server::run_engine(*kb, job);
    ASSERT_TRUE(result) << result.error().to_string();
    auto net = parse_network_yaml(job.network, "network", diags);
    auto prop = parse_proposal_yaml(job.proposal, "proposal", diags);
    ASSERT_TRUE(net && prop);
    bool saw_secret = false;
    for (Classification level : {Classification::kUnclassified, Classification::kRestricted,
                                 Classification::kConfidential, Classification::kSecret,
                                 Classification::kTopSecret}) {
      AssessInput in{*net, &*prop, *kb, {}};
      in.options.jurisdiction = "NZ";
      in.options.date = *Date::parse("2018-11-28");
      in.options.clearance = level;
      auto a = assess(in);
      ASSERT_TRUE(a);
      EXPECT_EQ(result->renderings[level], write_assessment_json(*a))
          << "overlay '" << overlay << "' at " << classification_name(level);
      if (result->renderings[level].find("ZULU-OVERLAY-TITLE") != std::string::npos) {
        EXPECT_GE(level, Classification::kSecret);
        saw_secret = true;
      }
    }
    EXPECT_EQ(saw_secret, !overlay.empty());
    // The job given the network and proposal the server already read (as it
    // checked the submission) renders the same bytes.
    auto read = server::read_inputs(job.network, job.proposal, size_t{1} << 30);
    ASSERT_TRUE(read) << read.error().to_string();
    auto again = server::run_engine(*kb, job, &*read);
    ASSERT_TRUE(again) << again.error().to_string();
    EXPECT_EQ(again->renderings, result->renderings);
    bool secret_finding = false;
    for (const auto& f : result->findings) secret_finding |= f.classification == Classification::kSecret;
    EXPECT_EQ(secret_finding, !overlay.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ServiceTest, ::testing::Values("sqlite", "postgresql"),
                         netvet::testing::backend_name);

}  // namespace
}  // namespace netvet
