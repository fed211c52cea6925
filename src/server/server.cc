// The HTTP API: one table of routes (method, path, handler), each handler a
// thin step from a request to the store and back to JSON rendered at the
// caller's clearance. Who may do what is decided here (roles, tenants,
// clearances); which step may follow which, by the store and workflow.h.
#include "netvet/server.h"

#include <httplib.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <list>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "engine_adapter.h"
#include "json_text.h"
#include "netvet/assess.h"
#include "netvet/policy.h"

namespace netvet {
namespace {

using json = nlohmann::ordered_json;
using server::append_json_string;

// A refusal a person can act on: the HTTP status, a stable code, and a message
// that says what to do instead.
struct ApiError {
  int status;
  std::string code;
  std::string message;
};
[[noreturn]] void refuse(int status, std::string code, std::string message) {
  throw ApiError{status, std::move(code), std::move(message)};
}

std::string roles_text(const std::vector<Role>& roles) {
  std::string out;
  for (size_t i = 0; i < roles.size(); ++i) {
    if (i) out += i + 1 == roles.size() ? " or " : ", ";
    out += role_name(roles[i]);
  }
  return out;
}

void require_role(const User& u, const std::vector<Role>& roles, std::string_view what) {
  if (std::find(roles.begin(), roles.end(), u.role) == roles.end())
    refuse(403, "forbidden",
           "a user with role " + std::string(role_name(u.role)) + " may not " + std::string(what) + "; this needs " +
               roles_text(roles));
}

// An operator never receives classified content: the agency's reasons are its
// own, whatever clearance an operator's account records.
Classification effective_clearance(const User& u) {
  return u.role == Role::kOperator ? Classification::kUnclassified : u.clearance;
}

// Who may read notifications at all; operators only their own tenant's.
const std::vector<Role> kReaders = {Role::kOperator, Role::kAssessor, Role::kApprover, Role::kReviewer};

[[noreturn]] void refuse_status(const Status& s) {
  switch (s.code()) {
    case Code::kNotFound: refuse(404, "not_found", s.to_string());
    case Code::kFailedPrecondition: refuse(409, "conflict", s.to_string());
    case Code::kBadInput: refuse(400, "bad_request", s.to_string());
    default: refuse(500, "internal", s.to_string());
  }
}

template <typename T>
T must(Expected<T> e) {
  if (!e) refuse_status(e.error());
  return std::move(*e);
}

int64_t to_id(const std::string& s) {
  try {
    return std::stoll(s);
  } catch (...) {
    refuse(400, "bad_request", "\"" + s + "\" is not an id (a whole number)");
  }
}

std::string cls(Classification c) { return std::string(classification_name(c)); }

// OpenSSL's SHA-256 (the CPU's SHA instructions): a graph view at 10^5
// components is megabytes, and libsodium's is 8x slower.
std::string etag_of(const std::string& body) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(body.data(), body.size(), out, &len, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("sha256 failed");
  char hex[2 * 16 + 1];
  sodium_bin2hex(hex, sizeof hex, out, 16);
  return std::string("\"") + hex + "\"";
}


// Per-token rate limit: a bucket of `per_minute` requests refilled continuously.
class RateLimiter {
 public:
  explicit RateLimiter(int per_minute) : capacity_(std::max(1, per_minute)) {}
  // 0 when allowed, else seconds to wait.
  int take(int64_t user) {
    auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mu_);
    auto [it, fresh] = buckets_.try_emplace(user, Bucket{static_cast<double>(capacity_), now});
    Bucket& b = it->second;
    double rate = capacity_ / 60.0;
    b.tokens = std::min<double>(capacity_, b.tokens + rate * std::chrono::duration<double>(now - b.at).count());
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return static_cast<int>((1 - b.tokens) / rate) + 1;
  }

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point at;
  };
  int capacity_;
  std::mutex mu_;
  std::map<int64_t, Bucket> buckets_;
};

struct Call {
  const httplib::Request& req;
  httplib::Response& res;
  User user;
  nlohmann::json body;  // parsed request body (POST/PUT); unordered parses faster

  int64_t id() const { return to_id(req.matches[1]); }
  std::string str(const char* key, bool required = false) const {
    if (!body.contains(key) || body[key].is_null()) {
      if (required) refuse(400, "bad_request", std::string("\"") + key + "\" is required in the request body");
      return "";
    }
    if (!body[key].is_string()) refuse(400, "bad_request", std::string("\"") + key + "\" must be a string");
    return body[key].get<std::string>();
  }
  Classification classification(const char* key) const {
    std::string s = str(key);
    if (s.empty()) return Classification::kUnclassified;
    auto c = parse_classification(s);
    if (!c)
      refuse(400, "bad_request",
             std::string("\"") + key + "\": unknown classification \"" + s +
                 "\" (expected UNCLASSIFIED, RESTRICTED, CONFIDENTIAL, SECRET or TOP-SECRET)");
    return *c;
  }
};

// Whether the request's Accept-Encoding takes gzip (and does not refuse it with q=0).
bool accepts_gzip(const httplib::Request& req) {
  std::string s = req.get_header_value("Accept-Encoding");
  s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
  for (size_t at = 0; at <= s.size();) {
    size_t end = std::min(s.find(',', at), s.size());
    std::string item = s.substr(at, end - at);
    if (item == "gzip") return true;
    if (item.rfind("gzip;q=", 0) == 0) return std::strtod(item.c_str() + 7, nullptr) > 0;
    at = end + 1;
  }
  return false;
}

// Sets a JSON or JavaScript body, gzipped (zlib's fastest level) when the
// client takes it. cpp-httplib would otherwise compress these types itself,
// preferring brotli at its slowest quality (11): 92 s for the access graph of
// a 10^5-component network (24 MB), 2 s for the UI's bundle on every first
// visit, against 0.14 s and 5 ms here. httplib matches the types it
// compresses exactly, so the charset parameter keeps it from compressing again.
void set_body(const httplib::Request& req, httplib::Response& res, std::string body, const std::string& type) {
  const std::string content_type = type + "; charset=utf-8";
  res.headers.erase("Content-Type");  // a static file's, typed by httplib (a multimap: set_header adds)
  res.set_header("Vary", "Accept-Encoding");
  if (body.size() < 1024 || !accepts_gzip(req)) return res.set_content(std::move(body), content_type);
  z_stream z{};
  std::string out;
  if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return res.set_content(std::move(body), content_type);
  out.resize(deflateBound(&z, body.size()));
  z.next_in = reinterpret_cast<Bytef*>(body.data());
  z.avail_in = static_cast<uInt>(body.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return res.set_content(std::move(body), content_type);
  res.set_header("Content-Encoding", "gzip");
  res.set_content(std::move(out), content_type);
}

// A rendered JSON body with its ETag: 304 and no body when the client already holds it.
void send_tagged(Call& c, int status, const std::string& text) {
  std::string tag = etag_of(text);
  c.res.set_header("ETag", tag);
  if (c.req.get_header_value("If-None-Match") == tag) {
    c.res.status = 304;
    return;
  }
  c.res.status = status;
  set_body(c.req, c.res, text, "application/json");
}

using Handler = void (*)(struct Api&, Call&);
struct RouteDef {
  const char* method;
  const char* path;  // OpenAPI form
  bool auth;
  Handler handler;
};


struct Api {
  Store& store;
  const KnowledgeBase& kb;
  ServerOptions options;
  RateLimiter limiter;
  std::mutex job_mu;
  std::condition_variable job_cv;
  std::atomic<bool> stopping{false};
  // Submissions this server read to check them, by notification id, until its
  // engine job takes them: a job here then skips reading the network again
  // (at 10^5 components, a quarter of the job). Bounded: a job another server
  // takes (PostgreSQL) leaves its entry here until newer ones push it out.
  std::mutex parsed_mu;
  std::condition_variable parsed_cv;
  std::map<int64_t, server::ParsedInputs> parsed;
  int submitting = 0;  // submissions between their commit and keep_parsed
  static constexpr size_t kParsedKept = 4;

  // Brackets a submission, so that a job claimed the moment it commits waits
  // for what it read instead of reading the network again.
  struct Submitting {
    Api& a;
    explicit Submitting(Api& api) : a(api) {
      std::lock_guard lock(a.parsed_mu);
      ++a.submitting;
    }
    ~Submitting() {
      {
        std::lock_guard lock(a.parsed_mu);
        --a.submitting;
      }
      a.parsed_cv.notify_all();
    }
  };
  void keep_parsed(int64_t notification_id, server::ParsedInputs inputs) {
    if (options.engine_workers <= 0) return;  // no job of this server will ask
    std::lock_guard lock(parsed_mu);
    parsed[notification_id] = std::move(inputs);
    while (parsed.size() > kParsedKept) parsed.erase(parsed.begin());
  }
  std::optional<server::ParsedInputs> take_parsed(const Job& job) {
    if (job.version != 1) return std::nullopt;  // kept for the notified version only
    std::unique_lock lock(parsed_mu);
    parsed_cv.wait_for(lock, std::chrono::seconds(2),
                       [&] { return submitting == 0 || parsed.count(job.notification_id) > 0; });
    auto it = parsed.find(job.notification_id);
    if (it == parsed.end()) return std::nullopt;
    server::ParsedInputs out = std::move(it->second);
    parsed.erase(it);
    return out;
  }

  // Rendered access-graph views, newest first (a 10^5-component network's is
  // 25 MB and took ~0.6 s of CPU to make: reading the network, the engine, the
  // text). Keyed by notification, version, clearance and overlays.
  struct GraphViews {
    static constexpr size_t kKept = 4;
    std::mutex mu;
    std::list<std::pair<std::string, std::shared_ptr<const server::GraphJson>>> views;
    std::shared_ptr<const server::GraphJson> get(const std::string& key) {
      std::lock_guard lock(mu);
      for (auto it = views.begin(); it != views.end(); ++it)
        if (it->first == key) {
          views.splice(views.begin(), views, it);
          return views.front().second;
        }
      return nullptr;
    }
    std::shared_ptr<const server::GraphJson> put(const std::string& key, std::shared_ptr<const server::GraphJson> v) {
      std::lock_guard lock(mu);
      views.emplace_front(key, v);
      if (views.size() > kKept) views.pop_back();
      return v;
    }
  } graphs;

  Date today() const {
    if (options.today) return options.today();
    auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()).time_since_epoch().count();
    return Date{static_cast<int32_t>(days)};
  }
  void wake_workers() { job_cv.notify_all(); }

  void send(Call& c, int status, const json& body, bool etag = false) {
    std::string text = body.dump();
    text += "\n";
    if (etag) return send_tagged(c, status, text);
    c.res.status = status;
    set_body(c.req, c.res, std::move(text), "application/json");
  }

  Notification visible_notification(const Call& c, int64_t id) {
    auto n = store.notification(id);
    // Another tenant's notification does not exist for an operator.
    if (!n || (c.user.role == Role::kOperator && n->tenant != c.user.tenant))
      refuse(404, "not_found", "no notification " + std::to_string(id) + " that you may see");
    return std::move(*n);
  }

  // The findings a view shows: the assessor's, and the engine's from the latest
  // finished assessment (earlier assessments' findings stay in their reports).
  // `assessments` is read once per view and before the findings: a view that
  // says an assessment is done then always holds its findings (they commit together).
  std::vector<FindingRecord> current_findings(int64_t nid, const std::vector<AssessmentRecord>& assessments) {
    int64_t latest = 0;
    for (const auto& a : assessments)
      if (a.status == "done") latest = a.id;
    std::vector<FindingRecord> out;
    for (auto& f : store.findings(nid))
      if (f.source == "assessor" || f.assessment_id == latest) out.push_back(std::move(f));
    return out;
  }

  static json finding_json(const FindingRecord& f) {
    json j = json::object();
    j["id"] = f.id;
    j["source"] = f.source;
    if (!f.ref.empty()) j["engine_id"] = f.ref;
    if (f.assessment_id) j["assessment"] = f.assessment_id;
    j["rule"] = f.rule;
    j["severity"] = f.severity;
    j["binding"] = f.binding;
    j["classification"] = cls(f.classification);
    j["title"] = f.title;
    j["message"] = f.message;
    j["detail"] = json::parse(f.evidence_json.empty() ? "{}" : f.evidence_json);
    j["status"] = f.status;
    if (!f.status_reason.empty()) j["status_reason"] = f.status_reason;
    if (!f.expires.empty()) j["expires"] = f.expires;
    j["created_by"] = f.created_by;
    return j;
  }

  // A notification at the caller's clearance, through the engine's disclosure
  // layer: findings above it are left out and counted, decision reasons naming
  // them become "withheld:LEVEL", notes above it are withheld. Sets `classified`
  // when the view holds anything above UNCLASSIFIED (the read is then audited).
  json notification_view(const Notification& n, Classification clearance, bool& classified) {
    std::vector<AssessmentRecord> assessment_records = store.assessments(n.id);
    std::vector<FindingRecord> records = current_findings(n.id, assessment_records);
    std::vector<Finding> as_findings;
    std::map<std::string, const FindingRecord*> by_id;
    for (const auto& r : records) {
      Finding f;
      f.id = std::to_string(r.id);
      f.classification = r.classification;
      as_findings.push_back(std::move(f));
      by_id[std::to_string(r.id)] = &r;
    }
    Disclosure shown = disclose(as_findings, {}, clearance);

    json j = json::object();
    j["id"] = n.id;
    j["tenant"] = n.tenant;
    j["title"] = n.title;
    j["state"] = state_name(n.state);
    j["jurisdiction"] = n.jurisdiction;
    j["date"] = n.date;
    j["due_date"] = n.due_date.empty() ? json() : json(n.due_date);
    j["overdue"] = !n.due_date.empty() && n.due_date < today().to_string() &&
                   (n.state == State::kNotified || n.state == State::kUnderAssessment ||
                    n.state == State::kMitigation || n.state == State::kReferred);
    j["clearance"] = cls(clearance);
    j["created_by"] = n.created_by;
    j["created_at"] = n.created_at;
    j["updated_at"] = n.updated_at;

    json decisions = json::array();
    for (const auto& d : store.decisions(n.id)) {
      std::vector<Finding> reason_findings;
      std::vector<std::string> reason_ids;
      for (int64_t r : d.reasons) {
        reason_ids.push_back(std::to_string(r));
        Finding f;
        f.id = std::to_string(r);
        auto it = by_id.find(f.id);
        // A reason no longer current (an older assessment's) keeps its stored level.
        if (it != by_id.end()) {
          f.classification = it->second->classification;
        } else {
          auto rec = store.finding(r);
          f.classification = rec ? rec->classification : Classification::kTopSecret;
        }
        reason_findings.push_back(std::move(f));
      }
      Disclosure dd = disclose(reason_findings, reason_ids, clearance);
      json o = json::object();
      o["kind"] = d.kind;
      o["outcome"] = d.outcome;
      o["reasons"] = dd.reasons;
      if (d.note_classification <= clearance) {
        o["note"] = d.note;
        o["note_classification"] = cls(d.note_classification);
        if (d.note_classification > Classification::kUnclassified) classified = true;
      } else {
        o["note"] = nullptr;
        o["note_withheld"] = cls(d.note_classification);
      }
      o["by"] = d.actor;
      o["at"] = d.at;
      decisions.push_back(std::move(o));
    }
    j["decision"] = decisions.empty() ? json() : decisions.back();
    j["decisions"] = std::move(decisions);

    json findings = json::array();
    for (const auto& f : shown.visible) {
      const FindingRecord& r = *by_id[f.id];
      if (r.classification > Classification::kUnclassified) classified = true;
      findings.push_back(finding_json(r));
    }
    j["findings"] = std::move(findings);
    json withheld = json::array();
    for (const auto& w : shown.withheld) withheld.push_back({{"classification", cls(w.classification)}, {"count", w.count}});
    j["withheld"] = std::move(withheld);

    json assessments = json::array();
    for (const auto& a : assessment_records) {
      json o = {{"id", a.id}, {"version", a.version}, {"status", a.status},
                {"href", "/api/v1/assessments/" + std::to_string(a.id)}};
      if (a.status == "failed") o["error"] = a.error;
      assessments.push_back(std::move(o));
    }
    j["assessments"] = std::move(assessments);
    // Overlays by their level only (never their text): those above the
    // clearance are counted, as findings are.
    json overlays = json::array();
    std::map<Classification, int> overlays_withheld;
    for (const auto& o : store.overlays(n.id)) {
      if (o.classification > clearance) {
        ++overlays_withheld[o.classification];
        continue;
      }
      if (o.classification > Classification::kUnclassified) classified = true;
      overlays.push_back({{"id", o.id}, {"classification", cls(o.classification)}, {"uploaded_by", o.uploaded_by},
                          {"at", o.at}});
    }
    j["overlays"] = std::move(overlays);
    json ow = json::array();
    for (const auto& [level, count] : overlays_withheld) ow.push_back({{"classification", cls(level)}, {"count", count}});
    j["overlays_withheld"] = std::move(ow);
    json proposals = json::array();
    for (const auto& p : store.proposals(n.id))
      proposals.push_back({{"version", p.version}, {"submitted_by", p.submitted_by}, {"at", p.at},
                           {"plan", p.plan.empty() ? json(nullptr) : json::parse(p.plan)}});
    j["proposals"] = std::move(proposals);
    json history = json::array();
    for (const auto& t : store.history(n.id))
      history.push_back(
          {{"action", t.action}, {"from", t.from}, {"to", t.to}, {"reason", t.reason}, {"by", t.actor}, {"at", t.at}});
    j["history"] = std::move(history);
    return j;
  }

  void audit_read(const Call& c, const std::string& subject, Classification clearance) {
    (void)store.audit(c.user.name, "read", subject, json{{"clearance", cls(clearance)}}.dump());
  }

  void decide(Call& c, Action action, const std::string& kind, std::string outcome) {
    const Transition& t = transition_for(action);
    require_role(c.user, t.roles, std::string(action_name(action)));
    Notification n = visible_notification(c, c.id());
    DecisionRecord d;
    d.notification_id = n.id;
    d.kind = kind;
    d.outcome = std::move(outcome);
    d.note = c.str("reason", true);
    d.note_classification = c.classification("classification");
    if (d.note_classification > effective_clearance(c.user))
      refuse(403, "forbidden", "you may not write at " + cls(d.note_classification) + " above your clearance " +
                                   cls(effective_clearance(c.user)));
    if (c.body.contains("reasons")) {
      if (!c.body["reasons"].is_array()) refuse(400, "bad_request", "\"reasons\" must be a list of finding ids");
      for (const auto& r : c.body["reasons"]) {
        if (!r.is_number_integer()) refuse(400, "bad_request", "\"reasons\" must be a list of finding ids");
        auto f = store.finding(r.get<int64_t>());
        if (!f || f->classification > effective_clearance(c.user))
          refuse(400, "bad_request", "reason " + std::to_string(r.get<int64_t>()) + " is not a finding you may see");
        d.reasons.push_back(r.get<int64_t>());
      }
    }
    must(store.decide(d, action, c.user));
    bool classified = false;
    send(c, 200, notification_view(*store.notification(n.id), effective_clearance(c.user), classified));
  }
};

void parse_body(Call& c, size_t max) {
  if (c.req.body.size() > max) refuse(413, "too_large", "request body over " + std::to_string(max) + " bytes");
  if (c.req.body.empty() || c.req.is_multipart_form_data()) {
    c.body = nlohmann::json::object();
    return;
  }
  try {
    c.body = nlohmann::json::parse(c.req.body);
  } catch (const nlohmann::json::parse_error& e) {
    refuse(400, "bad_request", std::string("the request body is not JSON: ") + e.what());
  }
  if (!c.body.is_object()) refuse(400, "bad_request", "the request body must be a JSON object");
}

// ---- handlers ---------------------------------------------------------------

void health(Api& a, Call& c) {
  a.send(c, 200,
         {{"status", "ok"}, {"backend", a.store.backend()}, {"engine", kEngineVersion}, {"kb_version", a.kb.version}});
}

void openapi(Api& a, Call& c) {
  c.res.status = 200;
  set_body(c.req, c.res, Server::openapi_json(), "application/json");
  (void)a;
}

void login(Api& a, Call& c) {
  auto issued = a.store.login(c.str("name", true), c.str("password", true));
  if (!issued) refuse(401, "unauthorized", "unknown user or wrong password");
  a.send(c, 201, {{"token", issued->token}, {"user", issued->user.name}, {"role", role_name(issued->user.role)}});
}

json user_json(const User& u) {
  return {{"name", u.name}, {"role", role_name(u.role)}, {"tenant", u.tenant}, {"clearance", cls(u.clearance)}};
}

void me(Api& a, Call& c) { a.send(c, 200, user_json(c.user)); }

// One notification of a list page, written straight to text: the list is the
// service's most requested page, and building it as a JSON tree first cost
// more than the query (two thirds of its CPU, in allocations).
void append_summary(std::string& out, const Notification& n, const std::string& today) {
  bool open = n.state == State::kNotified || n.state == State::kUnderAssessment || n.state == State::kMitigation ||
              n.state == State::kReferred;
  auto field = [&](const char* key) {
    out += out.back() == '{' ? "\"" : ",\"";
    out += key;
    out += "\":";
  };
  auto text_or_null = [&](const char* key, const std::string& v) {
    field(key);
    if (v.empty()) out += "null";
    else append_json_string(out, v);
  };
  out += '{';
  field("id");
  out += std::to_string(n.id);
  field("tenant");
  append_json_string(out, n.tenant);
  field("title");
  append_json_string(out, n.title);
  field("state");
  append_json_string(out, state_name(n.state));
  text_or_null("decision", n.decision);
  field("jurisdiction");
  append_json_string(out, n.jurisdiction);
  field("date");
  append_json_string(out, n.date);
  text_or_null("due_date", n.due_date);
  field("overdue");
  out += open && !n.due_date.empty() && n.due_date < today ? "true" : "false";
  field("updated_at");
  out += std::to_string(n.updated_at);
  field("href");
  append_json_string(out, "/api/v1/notifications/" + std::to_string(n.id));
  out += '}';
}

Page page_of(const Call& c) {
  Page p;
  if (c.req.has_param("after")) p.after = to_id(c.req.get_param_value("after"));
  if (c.req.has_param("limit")) {
    int64_t l = to_id(c.req.get_param_value("limit"));
    if (l < 1 || l > 200) refuse(400, "bad_request", "limit must be between 1 and 200");
    p.limit = static_cast<int>(l);
  }
  return p;
}

void list_notifications(Api& a, Call& c) {
  require_role(c.user, kReaders, "list notifications");
  Page p = page_of(c);
  std::optional<Date> overdue;
  if (c.req.has_param("overdue")) {
    std::string v = c.req.get_param_value("overdue");
    overdue = v == "true" ? a.today() : Date::parse(v).value_or(Date{-1});
    if (overdue->days < 0) refuse(400, "bad_request", "overdue must be true or a date YYYY-MM-DD");
  }
  Page ask = p;
  ask.limit = p.limit + 1;  // one more tells whether there is a next page
  auto rows = a.store.notifications(c.user.role == Role::kOperator ? c.user.tenant : "", ask, overdue);
  bool more = static_cast<int>(rows.size()) > p.limit;
  if (more) rows.pop_back();
  std::string today = a.today().to_string();
  std::string body = "{\"items\":[";
  body.reserve(256 * (rows.size() + 1));
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i) body += ',';
    append_summary(body, rows[i], today);
  }
  body += "],\"next\":";
  if (more)
    append_json_string(body, "/api/v1/notifications?after=" + std::to_string(rows.back().id) + "&limit=" +
                                 std::to_string(p.limit) +
                                 (c.req.has_param("overdue") ? "&overdue=" + c.req.get_param_value("overdue") : ""));
  else
    body += "null";
  body += "}\n";
  send_tagged(c, 200, body);
}

// A network or proposal in the request: native JSON as an object, or native
// YAML (or JSON) as a string.
std::string native_text(const Call& c, const char* key, bool required) {
  if (!c.body.contains(key) || c.body[key].is_null()) {
    if (required) refuse(400, "bad_request", std::string("\"") + key + "\" is required: the native network (YAML text or a JSON object)");
    return "";
  }
  const auto& v = c.body[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object()) return v.dump();
  refuse(400, "bad_request", std::string("\"") + key + "\" must be native YAML text or a native JSON object");
}

// A large network uploads best as a file: multipart/form-data with a "meta" part
// (the JSON fields) and "network" / "proposal" parts holding the native files
// as they are, so the server never parses a national network as request JSON.
void read_multipart(Call& c) {
  if (c.req.has_file("meta")) {
    try {
      c.body = nlohmann::json::parse(c.req.get_file_value("meta").content);
    } catch (const nlohmann::json::parse_error& e) {
      refuse(400, "bad_request", std::string("the \"meta\" part is not JSON: ") + e.what());
    }
    if (!c.body.is_object()) refuse(400, "bad_request", "the \"meta\" part must be a JSON object");
  }
  for (const char* part : {"network", "proposal"})
    if (c.req.has_file(part)) c.body[part] = c.req.get_file_value(part).content;
}

void create_notification(Api& a, Call& c) {
  require_role(c.user, transition_for(Action::kNotify).roles, "notify a proposal");
  if (c.req.is_multipart_form_data()) read_multipart(c);
  Submission s;
  s.tenant = c.user.tenant;
  s.title = c.str("title", true);
  s.jurisdiction = c.str("jurisdiction", true);
  if (!a.kb.jurisdiction(s.jurisdiction))
    refuse(400, "bad_request", "unknown jurisdiction \"" + s.jurisdiction + "\" (netvet kb list shows them)");
  s.date = c.str("date");
  if (s.date.empty()) s.date = a.today().to_string();
  if (!Date::parse(s.date)) refuse(400, "bad_request", "\"date\" must be YYYY-MM-DD, got \"" + s.date + "\"");
  s.network = native_text(c, "network", true);
  s.proposal = native_text(c, "proposal", false);
  // A NetBox export or CycloneDX BOM is imported here, as `netvet import` would.
  std::string format = c.str("format");
  json imported;
  if (!format.empty() && format != "native") {
    auto inv = server::import_inventory(format, s.network, "network", a.options.max_body);
    if (!inv) refuse(400, "bad_input", inv.error().to_string());
    if (!inv->proposal.empty() && !s.proposal.empty())
      refuse(400, "bad_request",
             "the NetBox export has planned or staged devices, which become the proposal: send no separate proposal");
    s.network = std::move(inv->network);
    if (!inv->proposal.empty()) s.proposal = std::move(inv->proposal);
    imported = {{"format", format}, {"warnings", inv->warnings}};
  }
  s.network_format = server::native_format(s.network);
  s.proposal_format = server::native_format(s.proposal);
  if (c.body.contains("draft")) {
    if (!c.body["draft"].is_boolean()) refuse(400, "bad_request", "\"draft\" must be true or false");
    s.draft = c.body["draft"].get<bool>();
  }
  auto inputs = server::read_inputs(s.network, s.proposal, a.options.max_body);
  if (!inputs) refuse(400, "bad_input", inputs.error().to_string());
  Notification n;
  {
    Api::Submitting bracket(a);
    n = must(a.store.submit(s, c.user));
    if (!s.draft) a.keep_parsed(n.id, std::move(*inputs));
  }
  a.wake_workers();
  c.res.set_header("Location", "/api/v1/notifications/" + std::to_string(n.id));
  bool classified = false;
  json view = a.notification_view(n, effective_clearance(c.user), classified);
  if (!imported.is_null()) view["import"] = std::move(imported);
  a.send(c, 201, view);
}

void get_notification(Api& a, Call& c) {
  require_role(c.user, kReaders, "read notifications");
  Notification n = a.visible_notification(c, c.id());
  Classification clearance = effective_clearance(c.user);
  bool classified = false;
  json view = a.notification_view(n, clearance, classified);
  if (classified) a.audit_read(c, "notification/" + std::to_string(n.id), clearance);
  a.send(c, 200, view, true);
}

void notify(Api& a, Call& c) {
  require_role(c.user, transition_for(Action::kNotify).roles, "notify a proposal");
  Notification n = a.visible_notification(c, c.id());
  n = must(a.store.transition(n.id, Action::kNotify, c.str("reason"), c.user));
  a.wake_workers();
  bool classified = false;
  a.send(c, 200, a.notification_view(n, effective_clearance(c.user), classified));
}

void decision(Api& a, Call& c) {
  std::string outcome = c.str("outcome", true);
  if (std::find(std::begin(kDecisionOutcomes), std::end(kDecisionOutcomes), outcome) == std::end(kDecisionOutcomes))
    refuse(400, "bad_request", "\"outcome\" must be no-significant-risk, conditions or significant-risk");
  a.decide(c, Action::kDecide, "decision", outcome);
}

void accept(Api& a, Call& c) { a.decide(c, Action::kAccept, "acceptance", "accepted"); }

void review(Api& a, Call& c) {
  std::string outcome = c.str("outcome", true);
  if (outcome != kReviewOutcomes[0] && outcome != kReviewOutcomes[1])
    refuse(400, "bad_request", "\"outcome\" must be upheld or overturned");
  a.decide(c, Action::kReviewDecide, "review", outcome);
}

void direction(Api& a, Call& c) { a.decide(c, Action::kDirect, "direction", "direction"); }

void request_review(Api& a, Call& c) {
  require_role(c.user, transition_for(Action::kRequestReview).roles, "request a review");
  Notification n = a.visible_notification(c, c.id());
  if (n.decision == "no-significant-risk")
    refuse(409, "conflict", "the decision was no-significant-risk: there is nothing to review");
  n = must(a.store.transition(n.id, Action::kRequestReview, c.str("reason", true), c.user));
  bool classified = false;
  a.send(c, 200, a.notification_view(n, effective_clearance(c.user), classified));
}

// What the comparison of plan versions shows from the `netvet plan --format
// json` output an operator may send with a plan (`plan`, an object or its
// text): the currency, cost, schedule by year, what it sets out to clear and
// whether the planner verified it. Only an UNCLASSIFIED plan: an operator has
// nothing classified to plan with, and the summary is shown to every reader.
std::string plan_summary(Call& c) {
  if (!c.body.contains("plan") || c.body["plan"].is_null()) return "";
  const auto& given = c.body["plan"];
  json p = json::parse(given.is_string() ? given.get<std::string>() : given.dump(), nullptr, false);
  if (p.is_discarded()) refuse(400, "bad_input", "\"plan\" is not JSON: send the output of netvet plan --format json");
  auto number = [](const json& v) { return v.is_number() ? v : json(nullptr); };
  if (!p.is_object() || !p.contains("cost") || !p["cost"].is_object() || !p["cost"].contains("total") ||
      !p["cost"]["total"].is_number() || !p.contains("schedule") || !p["schedule"].is_array())
    refuse(400, "bad_input",
           "\"plan\" must be the output of netvet plan --format json (with \"cost\": {\"total\"} and \"schedule\")");
  for (const char* k : {"marking", "clearance"})
    if (p.contains(k) && p[k] != "UNCLASSIFIED")
      refuse(400, "bad_input", std::string("\"plan\" is marked ") + p[k].dump() +
                                   ": attach a plan made at UNCLASSIFIED (netvet plan without classified overlays)");
  if (p.contains("withheld") && !p["withheld"].empty())
    refuse(400, "bad_input", "\"plan\" withholds findings: attach a plan made at UNCLASSIFIED");
  json schedule = json::array();
  for (const auto& y : p["schedule"]) {
    if (!y.is_object() || !y.contains("year") || !y["year"].is_number_integer())
      refuse(400, "bad_input", "\"plan\": each schedule entry needs a \"year\"");
    schedule.push_back({{"year", y["year"]}, {"cost", number(y.value("cost", json()))},
                        {"actions", number(y.value("actions", json()))}, {"sites", number(y.value("sites", json()))}});
  }
  json to_clear = json::array();
  for (const auto& f : p.value("findings_to_clear", json::array()))
    if (f.is_object() && f.contains("rule") && f["rule"].is_string())
      to_clear.push_back({{"rule", f["rule"]}, {"components", number(f.value("components", json()))}});
  auto text = [&](const char* k) { return p.contains(k) && p[k].is_string() ? p[k] : json(nullptr); };
  json out = {{"currency", text("currency")},
              {"total", p["cost"]["total"]},
              {"status", text("status")},
              {"verified", p.contains("verified") && p["verified"].is_boolean() ? p["verified"] : json(nullptr)},
              {"schedule", std::move(schedule)},
              {"findings_to_clear", std::move(to_clear)},
              {"actions", p.contains("actions") && p["actions"].is_array() ? json(p["actions"].size()) : json(nullptr)}};
  return out.dump();
}

void submit_plan(Api& a, Call& c) {
  require_role(c.user, transition_for(Action::kSubmitPlan).roles, "submit a mitigation plan");
  Notification n = a.visible_notification(c, c.id());
  if (n.decision == "no-significant-risk")
    refuse(409, "conflict", "the decision was no-significant-risk: there is nothing to mitigate");
  std::string text = native_text(c, "proposal", true);
  if (Status st = server::check_inputs("", text, a.options.max_body); !st)
    refuse(400, "bad_input", st.to_string());
  std::string plan = plan_summary(c);
  int version = must(a.store.submit_plan(n.id, text, server::native_format(text), plan, c.str("reason"), c.user));
  a.wake_workers();
  bool classified = false;
  json view = a.notification_view(*a.store.notification(n.id), effective_clearance(c.user), classified);
  view["plan_version"] = version;
  a.send(c, 201, view);
}

void due_date(Api& a, Call& c) {
  require_role(c.user, {Role::kAssessor, Role::kApprover}, "set a response date");
  Notification n = a.visible_notification(c, c.id());
  std::string date = c.str("due_date");
  if (!date.empty() && !Date::parse(date)) refuse(400, "bad_request", "\"due_date\" must be YYYY-MM-DD or null");
  if (Status st = a.store.set_due_date(n.id, date, c.user); !st) refuse_status(st);
  bool classified = false;
  a.send(c, 200, a.notification_view(*a.store.notification(n.id), effective_clearance(c.user), classified));
}

// The access graph of one proposal version at the caller's clearance, for the
// UI's graph view. Which equipment is untrusted may rest on a classified
// overlay: the engine discloses it only to a cleared reader, and such a read is
// audited like any other classified read.
void get_graph(Api& a, Call& c) {
  require_role(c.user, kReaders, "read notifications");
  Notification n = a.visible_notification(c, c.id());
  auto versions = a.store.proposals(n.id);
  int version = versions.empty() ? 1 : versions.back().version;
  if (c.req.has_param("version")) version = static_cast<int>(to_id(c.req.get_param_value("version")));
  std::string proposal;
  bool found = versions.empty() && version == 1;
  for (const auto& p : versions)
    if (p.version == version) {
      proposal = p.text;
      found = true;
    }
  if (!found) refuse(404, "not_found", "notification " + std::to_string(n.id) + " has no version " + std::to_string(version));
  Classification clearance = effective_clearance(c.user);
  server::GraphQuery q{{}, proposal, n.jurisdiction, n.date, {}, clearance, version};
  std::string overlays;
  for (const auto& o : a.store.overlays(n.id)) {
    q.overlays.push_back(o.text);
    overlays += etag_of(o.text);
  }
  // The view is fixed by these (a notification's network and versions never
  // change; overlays are only added), so a view once rendered is kept.
  std::string key = std::to_string(n.id) + "/" + std::to_string(version) + "/" + cls(clearance) + "/" + etag_of(overlays);
  auto graph = a.graphs.get(key);
  if (!graph) {
    q.network = must(a.store.network(n.id)).first;
    auto made = server::access_graph_json(a.kb, q);
    if (!made) refuse_status(made.error());
    graph = a.graphs.put(key, std::make_shared<const server::GraphJson>(std::move(*made)));
  }
  if (graph->marking > Classification::kUnclassified)
    a.audit_read(c, "notification/" + std::to_string(n.id) + "/graph", clearance);
  send_tagged(c, 200, graph->body);
}

void add_finding(Api& a, Call& c) {
  require_role(c.user, {Role::kAssessor}, "add findings");
  Notification n = a.visible_notification(c, c.id());
  FindingRecord f;
  f.notification_id = n.id;
  f.classification = c.classification("classification");
  if (f.classification > effective_clearance(c.user))
    refuse(403, "forbidden", "you may not write a finding at " + cls(f.classification) + ", above your clearance " +
                                 cls(effective_clearance(c.user)));
  f.title = c.str("title", true);
  f.message = c.str("message", true);
  f.rule = c.str("rule");
  if (f.rule.empty()) f.rule = "assessor";
  f.severity = c.str("severity");
  if (f.severity.empty()) f.severity = "high";
  if (f.severity != "info" && f.severity != "low" && f.severity != "medium" && f.severity != "high" &&
      f.severity != "critical")
    refuse(400, "bad_request", "\"severity\" must be info, low, medium, high or critical");
  f.binding = !c.body.contains("binding") || c.body["binding"].get<bool>();
  if (c.body.contains("evidence")) f.evidence_json = c.body["evidence"].dump();
  FindingRecord added = must(a.store.add_finding(f, c.user));
  a.send(c, 201, Api::finding_json(added));
}

// An overlay only the agency holds, for this notification alone: the
// assessor's clearance must reach the overlay's own classification, and the
// notification is assessed again with it (every reader then gets what their
// clearance allows of its findings, through the engine's disclosure).
void add_overlay(Api& a, Call& c) {
  require_role(c.user, {Role::kAssessor}, "upload KB overlays");
  Notification n = a.visible_notification(c, c.id());
  std::string text = c.str("overlay", true);
  std::vector<std::string> earlier;
  for (auto& o : a.store.overlays(n.id)) earlier.push_back(std::move(o.text));
  auto level = server::check_overlay(a.kb, earlier, text, n.jurisdiction);
  if (!level) refuse(400, "bad_input", level.error().to_string());
  if (*level > effective_clearance(c.user))
    refuse(403, "forbidden", "the overlay is " + cls(*level) + ", above your clearance " +
                                 cls(effective_clearance(c.user)));
  OverlayRecord o = must(a.store.add_overlay(n.id, *level, text, c.user));
  a.wake_workers();
  a.send(c, 201, {{"id", o.id}, {"notification", n.id}, {"classification", cls(o.classification)},
                  {"uploaded_by", o.uploaded_by}, {"at", o.at}});
}

FindingRecord visible_finding(Api& a, const Call& c, int64_t id) {
  auto f = a.store.finding(id);
  if (!f || f->classification > effective_clearance(c.user))
    refuse(404, "not_found", "no finding " + std::to_string(id) + " that you may see");
  a.visible_notification(c, f->notification_id);
  return std::move(*f);
}

void get_finding(Api& a, Call& c) {
  require_role(c.user, kReaders, "read findings");
  FindingRecord f = visible_finding(a, c, c.id());
  json j = Api::finding_json(f);
  json history = json::array();
  for (const auto& e : a.store.finding_history(f.id))
    history.push_back({{"status", e.status}, {"reason", e.reason}, {"expires", e.expires}, {"by", e.actor}, {"at", e.at}});
  j["history"] = std::move(history);
  if (f.classification > Classification::kUnclassified)
    a.audit_read(c, "finding/" + std::to_string(f.id), effective_clearance(c.user));
  a.send(c, 200, j, true);
}

void finding_status(Api& a, Call& c) {
  require_role(c.user, {Role::kAssessor, Role::kApprover}, "accept, waive or mark findings mitigated");
  FindingRecord f = visible_finding(a, c, c.id());
  auto updated = a.store.set_finding_status(f.id, c.str("status", true), c.str("reason"), c.str("expires"), c.user);
  a.send(c, 200, Api::finding_json(must(std::move(updated))));
}

void get_assessment(Api& a, Call& c) {
  require_role(c.user, kReaders, "read assessments");
  auto rec = a.store.assessment(c.id());
  if (!rec) refuse(404, "not_found", "no assessment " + c.req.matches[1].str());
  a.visible_notification(c, rec->notification_id);
  if (rec->status != "done")
    refuse(409, "not_ready",
           "assessment " + std::to_string(rec->id) + " is " + rec->status +
               (rec->status == "failed" ? ": " + rec->error : ": try again in a moment"));
  Classification clearance = effective_clearance(c.user);
  std::string body = must(a.store.rendering(rec->id, clearance));
  bool classified = false;
  if (clearance > Classification::kUnclassified)
    for (const auto& f : a.store.findings(rec->notification_id))
      if (f.assessment_id == rec->id && f.classification > Classification::kUnclassified &&
          f.classification <= clearance)
        classified = true;
  if (classified) a.audit_read(c, "assessment/" + std::to_string(rec->id), clearance);
  send_tagged(c, 200, body);
}

void audit_log(Api& a, Call& c) {
  require_role(c.user, {Role::kAuditor}, "read the audit log");
  Page p = page_of(c);
  json items = json::array();
  auto entries = a.store.audit_log(p);
  for (const auto& e : entries)
    items.push_back({{"seq", e.seq}, {"at", e.at}, {"actor", e.actor}, {"action", e.action}, {"subject", e.subject},
                     {"detail", json::parse(e.detail)}, {"hash", e.hash}});
  json body = {{"items", std::move(items)}};
  body["next"] = static_cast<int>(entries.size()) == p.limit
                     ? json("/api/v1/audit?after=" + std::to_string(entries.back().seq) + "&limit=" +
                            std::to_string(p.limit))
                     : json();
  a.send(c, 200, body);
}

void list_users(Api& a, Call& c) {
  require_role(c.user, {Role::kAdmin}, "list users");
  json items = json::array();
  for (const auto& u : a.store.users()) items.push_back(user_json(u));
  a.send(c, 200, {{"items", std::move(items)}});
}

void add_user(Api& a, Call& c) {
  require_role(c.user, {Role::kAdmin}, "add users");
  auto role = parse_role(c.str("role", true));
  if (!role) refuse(400, "bad_request", "\"role\" must be operator, assessor, approver, reviewer, auditor or admin");
  NewUser u{c.str("name", true), *role, c.str("tenant", true), c.classification("clearance"), c.str("password")};
  IssuedToken issued = must(a.store.add_user(u, c.user.name));
  json j = user_json(issued.user);
  j["token"] = issued.token;
  a.send(c, 201, j);
}

const RouteDef kRoutes[] = {
    {"GET", "/api/v1/health", false, health},
    {"GET", "/api/v1/openapi.json", false, openapi},
    {"POST", "/api/v1/sessions", false, login},
    {"GET", "/api/v1/me", true, me},
    {"GET", "/api/v1/notifications", true, list_notifications},
    {"POST", "/api/v1/notifications", true, create_notification},
    {"GET", "/api/v1/notifications/{id}", true, get_notification},
    {"POST", "/api/v1/notifications/{id}/notify", true, notify},
    {"POST", "/api/v1/notifications/{id}/decision", true, decision},
    {"POST", "/api/v1/notifications/{id}/plans", true, submit_plan},
    {"POST", "/api/v1/notifications/{id}/accept", true, accept},
    {"POST", "/api/v1/notifications/{id}/review-request", true, request_review},
    {"POST", "/api/v1/notifications/{id}/review", true, review},
    {"POST", "/api/v1/notifications/{id}/direction", true, direction},
    {"PUT", "/api/v1/notifications/{id}/due-date", true, due_date},
    {"POST", "/api/v1/notifications/{id}/findings", true, add_finding},
    {"GET", "/api/v1/notifications/{id}/graph", true, get_graph},
    {"POST", "/api/v1/notifications/{id}/overlays", true, add_overlay},
    {"GET", "/api/v1/findings/{id}", true, get_finding},
    {"POST", "/api/v1/findings/{id}/status", true, finding_status},
    {"GET", "/api/v1/assessments/{id}", true, get_assessment},
    {"GET", "/api/v1/audit", true, audit_log},
    {"GET", "/api/v1/users", true, list_users},
    {"POST", "/api/v1/users", true, add_user},
};

std::string path_regex(const std::string& path) {
  return std::regex_replace(path, std::regex(R"(\{id\})"), R"(([^/]+))");
}

void send_error(httplib::Response& res, int status, const std::string& code, const std::string& message) {
  json body = {{"error", {{"status", status}, {"code", code}, {"message", message}}}};
  res.status = status;
  res.set_content(body.dump(2) + "\n", "application/json");
}

// The web UI: web_root's files at /, and index.html for any other non-API GET
// so that the UI's own addresses (/notifications/7) survive a reload. The
// policy keeps the page from loading anything from another origin (the UI is
// built to work on an air-gapped network).
void serve_web_ui(httplib::Server& http, const std::string& root) {
  auto harden = [](const httplib::Request& req, httplib::Response& res) {
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                   "frame-ancestors 'none'");
    res.set_header("X-Content-Type-Options", "nosniff");
    // Vite names built assets by content hash: those never change; index.html may.
    res.set_header("Cache-Control",
                   req.path.rfind("/assets/", 0) == 0 ? "public, max-age=31536000, immutable" : "no-cache");
  };
  http.set_mount_point("/", root);
  http.set_file_request_handler([harden](const httplib::Request& req, httplib::Response& res) {
    harden(req, res);
    // httplib types .js as text/javascript, which it compresses whatever the
    // parameters: served as application/javascript (as valid), it is left alone.
    if (res.get_header_value("Content-Type").find("javascript") != std::string::npos)
      set_body(req, res, std::move(res.body), "application/javascript");
  });
  http.Get(R"(/(?!api/).*)", [root, harden](const httplib::Request& req, httplib::Response& res) {
    std::ifstream in(root + "/index.html", std::ios::binary);
    if (!in) {
      send_error(res, 404, "not_found",
                 "the web UI is not built (" + root + "/index.html is missing: make build builds it); the API is "
                 "at /api/v1");
      return;
    }
    std::string page((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    harden(req, res);
    res.set_content(page, "text/html; charset=utf-8");
  });
}

}  // namespace

struct Server::Impl {
  Api api;
  std::unique_ptr<httplib::Server> http;
  std::string error;
  std::vector<std::thread> workers;

  Impl(Store& store, const KnowledgeBase& kb, ServerOptions options)
      : api{store, kb, options, RateLimiter(options.rate_per_minute), {}, {}, {}, {}, {}, {}, 0, {}} {
    if (!options.tls_cert.empty() || !options.tls_key.empty()) {
      auto ssl = std::make_unique<httplib::SSLServer>(options.tls_cert.c_str(), options.tls_key.c_str());
      if (!ssl->is_valid()) error = "cannot use --tls-cert " + options.tls_cert + " / --tls-key " + options.tls_key +
                                    ": not a readable PEM certificate and matching key";
      http = std::move(ssl);
    } else {
      http = std::make_unique<httplib::Server>();
    }
    int threads = std::max(1, options.http_threads);
    http->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
    http->set_payload_max_length(options.max_body);
    // Headers and body go out in separate writes: without TCP_NODELAY, Nagle and
    // delayed ACKs hold each response ~40 ms.
    http->set_tcp_nodelay(true);
    http->set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;
      if (res.status == 404)
        send_error(res, 404, "not_found", "no such endpoint: " + req.method + " " + req.path +
                                              " (GET /api/v1/openapi.json lists them)");
      else if (res.status == 413)
        send_error(res, 413, "too_large",
                   "the request body is larger than this server accepts (--max-body; a body sent as a form, "
                   "without Content-Type: application/json, is limited to 8 KiB)");
      else
        send_error(res, res.status, "error", "HTTP " + std::to_string(res.status));
    });
    for (const RouteDef& r : kRoutes) {
      auto handler = [this, &r](const httplib::Request& req, httplib::Response& res) { handle(r, req, res); };
      std::string pattern = path_regex(r.path);
      std::string m = r.method;
      if (m == "GET") http->Get(pattern, handler);
      else if (m == "POST") http->Post(pattern, handler);
      else if (m == "PUT") http->Put(pattern, handler);
    }
    if (!options.web_root.empty()) serve_web_ui(*http, options.web_root);
  }

  void handle(const RouteDef& r, const httplib::Request& req, httplib::Response& res) {
    try {
      Call c{req, res, {}, nlohmann::json::object()};
      if (r.auth) {
        std::string auth = req.get_header_value("Authorization");
        if (auth.rfind("Bearer ", 0) != 0)
          refuse(401, "unauthorized",
                 "send an API token as \"Authorization: Bearer nvt_...\" (netvet admin user add prints one; "
                 "POST /api/v1/sessions exchanges a password for one)");
        auto user = api.store.user_by_token(auth.substr(7));
        if (!user) refuse(401, "unauthorized", "the API token is not valid (ask an administrator for a new one)");
        c.user = std::move(*user);
        if (int wait = api.limiter.take(c.user.id); wait > 0) {
          res.set_header("Retry-After", std::to_string(wait));
          refuse(429, "rate_limited",
                 "more than " + std::to_string(api.options.rate_per_minute) +
                     " requests a minute with this token: retry after " + std::to_string(wait) + " s");
        }
      }
      if (req.method == "POST" || req.method == "PUT") parse_body(c, api.options.max_body);
      r.handler(api, c);
    } catch (const ApiError& e) {
      send_error(res, e.status, e.code, e.message);
    } catch (const std::exception& e) {
      send_error(res, 500, "internal", std::string("internal error: ") + e.what());
    }
  }

  void work(int n) {
    std::string name = api.options.worker_name + "/" + std::to_string(n);
    while (!api.stopping) {
      auto job = api.store.claim_job(name);
      if (!job) {
        std::unique_lock lock(api.job_mu);
        // Woken by a submission here; other servers' submissions are seen by polling.
        api.job_cv.wait_for(lock, std::chrono::milliseconds(200));
        continue;
      }
      Status done;
      try {
        auto parsed = api.take_parsed(*job);
        auto result = server::run_engine(api.kb, *job, parsed ? &*parsed : nullptr);
        done = result ? api.store.finish_job(job->assessment_id, *result)
                      : api.store.fail_job(job->assessment_id, result.error().to_string());
      } catch (const std::exception& e) {
        done = api.store.fail_job(job->assessment_id, std::string("internal error: ") + e.what());
      }
      (void)done;
    }
  }
};

Server::Server(Store& store, const KnowledgeBase& kb, ServerOptions options)
    : impl_(std::make_unique<Impl>(store, kb, std::move(options))) {}

Server::~Server() { stop(); }

int Server::bind() {
  if (!impl_->error.empty()) return 0;
  const auto& o = impl_->api.options;
  int port = o.port == 0 ? impl_->http->bind_to_any_port(o.host) : (impl_->http->bind_to_port(o.host, o.port) ? o.port : -1);
  if (port <= 0) {
    impl_->error = "cannot listen on " + o.host + ":" + std::to_string(o.port) + " (in use, or not allowed)";
    return 0;
  }
  return port;
}

const std::string& Server::error() const { return impl_->error; }

void Server::run() {
  for (int i = 0; i < impl_->api.options.engine_workers; ++i) impl_->workers.emplace_back([this, i] { impl_->work(i); });
  impl_->http->listen_after_bind();
}

void Server::stop() {
  impl_->api.stopping = true;
  impl_->api.job_cv.notify_all();
  impl_->http->stop();
  for (auto& w : impl_->workers)
    if (w.joinable()) w.join();
  impl_->workers.clear();
}

std::vector<Route> Server::routes() {
  std::vector<Route> out;
  for (const auto& r : kRoutes) out.push_back({r.method, r.path});
  return out;
}

}  // namespace netvet
