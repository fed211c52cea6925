// The store, written once over the Sql connection (sql.h) for both backends.
// Each public method is one transaction; every change appends its audit entry
// in that same transaction. A transaction another writer beat is retried.
#include "netvet/store.h"

#include <openssl/evp.h>
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <map>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "sql.h"

namespace netvet {
namespace {

using store::Dialect;
using store::Row;
using store::Sql;
using store::SqlError;
using store::Value;

// Thrown inside a transaction body only; tx() turns it into a Status.
struct TxFailure : std::runtime_error {
  TxFailure(Status s, bool retry) : std::runtime_error(s.message()), status(std::move(s)), retry(retry) {}
  Status status;
  bool retry;
};
[[noreturn]] void fail(Status s) { throw TxFailure(std::move(s), false); }

// OpenSSL's SHA-256, not libsodium's: it uses the CPU's SHA instructions, 8x
// faster on a 26 MB network (0.03 s against 0.23 s), which every submission hashes.
std::string sha256_hex(std::string_view bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), out, &len, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("sha256 failed");
  char hex[2 * EVP_MAX_MD_SIZE + 1];
  sodium_bin2hex(hex, sizeof hex, out, len);
  return hex;
}

std::string new_token() {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  char hex[2 * sizeof raw + 1];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  return std::string("nvt_") + hex;
}

// Schema versions, oldest first; never edit one that has shipped, add the next.
// {ID} is the dialect's auto-increment primary key.
const char* const kMigrations[] = {
    R"(
CREATE TABLE users (id {ID}, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL, tenant TEXT NOT NULL,
  clearance TEXT NOT NULL, password_hash TEXT, created_at BIGINT NOT NULL);
CREATE TABLE tokens (hash TEXT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users(id), created_at BIGINT NOT NULL);
CREATE TABLE notifications (id {ID}, tenant TEXT NOT NULL, title TEXT NOT NULL, state TEXT NOT NULL,
  jurisdiction TEXT NOT NULL, date TEXT NOT NULL, due_date TEXT, decision TEXT, network TEXT NOT NULL,
  network_format TEXT NOT NULL, created_by TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE INDEX notifications_tenant ON notifications(tenant, id);
CREATE TABLE proposals (notification_id BIGINT NOT NULL REFERENCES notifications(id), version INTEGER NOT NULL,
  text TEXT NOT NULL, format TEXT NOT NULL, submitted_by TEXT NOT NULL, at BIGINT NOT NULL,
  PRIMARY KEY (notification_id, version));
CREATE TABLE transitions (id {ID}, notification_id BIGINT NOT NULL REFERENCES notifications(id),
  from_state TEXT NOT NULL, to_state TEXT NOT NULL, action TEXT NOT NULL, reason TEXT NOT NULL,
  actor TEXT NOT NULL, at BIGINT NOT NULL);
CREATE INDEX transitions_notification ON transitions(notification_id, id);
CREATE TABLE assessments (id {ID}, notification_id BIGINT NOT NULL REFERENCES notifications(id),
  version INTEGER NOT NULL, status TEXT NOT NULL, outcome TEXT, error TEXT, claimed_by TEXT,
  claimed_at BIGINT, created_at BIGINT NOT NULL, finished_at BIGINT);
CREATE INDEX assessments_queue ON assessments(status, id);
CREATE INDEX assessments_notification ON assessments(notification_id, id);
CREATE TABLE renderings (assessment_id BIGINT NOT NULL REFERENCES assessments(id), clearance TEXT NOT NULL,
  body TEXT NOT NULL, PRIMARY KEY (assessment_id, clearance));
CREATE TABLE findings (id {ID}, notification_id BIGINT NOT NULL REFERENCES notifications(id),
  assessment_id BIGINT, source TEXT NOT NULL, ref TEXT NOT NULL, rule TEXT NOT NULL, severity TEXT NOT NULL,
  binding INTEGER NOT NULL, classification TEXT NOT NULL, title TEXT NOT NULL, message TEXT NOT NULL,
  evidence TEXT NOT NULL, status TEXT NOT NULL, status_reason TEXT NOT NULL, expires TEXT NOT NULL,
  created_by TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE INDEX findings_notification ON findings(notification_id, id);
CREATE TABLE finding_events (id {ID}, finding_id BIGINT NOT NULL REFERENCES findings(id), status TEXT NOT NULL,
  reason TEXT NOT NULL, expires TEXT NOT NULL, actor TEXT NOT NULL, at BIGINT NOT NULL);
CREATE TABLE decisions (id {ID}, notification_id BIGINT NOT NULL REFERENCES notifications(id),
  kind TEXT NOT NULL, outcome TEXT NOT NULL, reasons TEXT NOT NULL, note TEXT NOT NULL,
  note_classification TEXT NOT NULL, actor TEXT NOT NULL, at BIGINT NOT NULL);
CREATE TABLE audit (seq BIGINT PRIMARY KEY, at BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
  subject TEXT NOT NULL, detail TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL);
)",
    // The notified network moves out of the notification's row: SQLite reads a
    // row's columns in order, so every list page walked each network's overflow
    // pages (26 MB for a 10^5-component one) to reach the columns after it.
    R"(
CREATE TABLE networks (notification_id BIGINT PRIMARY KEY REFERENCES notifications(id), text TEXT NOT NULL,
  format TEXT NOT NULL);
INSERT INTO networks (notification_id, text, format) SELECT id, network, network_format FROM notifications;
ALTER TABLE notifications DROP COLUMN network;
ALTER TABLE notifications DROP COLUMN network_format;
)",
    R"(
CREATE TABLE overlays (id {ID}, notification_id BIGINT NOT NULL REFERENCES notifications(id),
  classification TEXT NOT NULL, text TEXT NOT NULL, uploaded_by TEXT NOT NULL, at BIGINT NOT NULL);
CREATE INDEX overlays_notification ON overlays(notification_id, id);
)",
    // A plan version's cost and schedule, as the operator's `netvet plan` gave them.
    R"(
ALTER TABLE proposals ADD COLUMN plan TEXT NOT NULL DEFAULT '';
)",
};

std::string dialect_sql(std::string sql, Dialect d) {
  const std::string id = d == Dialect::kSqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY";
  for (size_t at; (at = sql.find("{ID}")) != std::string::npos;) sql.replace(at, 4, id);
  return sql;
}

int64_t to_int(const std::optional<std::string>& s) { return s ? std::stoll(*s) : 0; }
std::string to_str(const std::optional<std::string>& s) { return s ? *s : std::string(); }
Classification to_class(const std::optional<std::string>& s) {
  return parse_classification(to_str(s)).value_or(Classification::kTopSecret);  // unknown: the safe side
}
std::string cls(Classification c) { return std::string(classification_name(c)); }

// One leased connection, with the helpers the transaction bodies use.
class Conn {
 public:
  explicit Conn(Sql& sql) : sql_(sql) {}
  Dialect dialect() const { return sql_.dialect(); }
  std::vector<Row> q(std::string_view text, const std::vector<Value>& params = {}) {
    SqlError err;
    auto rows = sql_.query(text, params, err);
    if (!rows) throw TxFailure(Status::io(err.message), err.retry);
    return std::move(*rows);
  }
  std::optional<Row> one(std::string_view text, const std::vector<Value>& params = {}) {
    auto rows = q(text, params);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
  }
  Sql& sql() { return sql_; }

 private:
  Sql& sql_;
};

User user_from(const Row& r) {  // id, name, role, tenant, clearance
  return User{to_int(r[0]), to_str(r[1]), parse_role(to_str(r[2])).value_or(Role::kOperator), to_str(r[3]),
              to_class(r[4])};
}
constexpr const char* kUserCols = "id, name, role, tenant, clearance";

constexpr const char* kNotificationCols =
    "id, tenant, title, state, jurisdiction, date, due_date, decision, created_by, created_at, updated_at";
Notification notification_from(const Row& r) {
  Notification n;
  n.id = to_int(r[0]);
  n.tenant = to_str(r[1]);
  n.title = to_str(r[2]);
  n.state = parse_state(to_str(r[3])).value_or(State::kDraft);
  n.jurisdiction = to_str(r[4]);
  n.date = to_str(r[5]);
  n.due_date = to_str(r[6]);
  n.decision = to_str(r[7]);
  n.created_by = to_str(r[8]);
  n.created_at = to_int(r[9]);
  n.updated_at = to_int(r[10]);
  return n;
}

constexpr const char* kFindingCols =
    "id, notification_id, assessment_id, source, ref, rule, severity, binding, classification, title, message, "
    "evidence, status, status_reason, expires, created_by, created_at";
FindingRecord finding_from(const Row& r) {
  FindingRecord f;
  f.id = to_int(r[0]);
  f.notification_id = to_int(r[1]);
  f.assessment_id = to_int(r[2]);
  f.source = to_str(r[3]);
  f.ref = to_str(r[4]);
  f.rule = to_str(r[5]);
  f.severity = to_str(r[6]);
  f.binding = to_int(r[7]) != 0;
  f.classification = to_class(r[8]);
  f.title = to_str(r[9]);
  f.message = to_str(r[10]);
  f.evidence_json = to_str(r[11]);
  f.status = to_str(r[12]);
  f.status_reason = to_str(r[13]);
  f.expires = to_str(r[14]);
  f.created_by = to_str(r[15]);
  f.created_at = to_int(r[16]);
  return f;
}

constexpr const char* kAssessmentCols = "id, notification_id, version, status, outcome, error, created_at, finished_at";
AssessmentRecord assessment_from(const Row& r) {
  return AssessmentRecord{to_int(r[0]), to_int(r[1]), static_cast<int>(to_int(r[2])), to_str(r[3]),
                          to_str(r[4]),  to_str(r[5]), to_int(r[6]),                  to_int(r[7])};
}

// A running job whose worker has not finished within this long is taken again
// (the worker died: kill -9, a lost machine).
constexpr int64_t kJobLeaseSeconds = 600;

class SqlStore final : public Store {
 public:
  SqlStore(std::vector<std::unique_ptr<Sql>> conns, StoreOptions options)
      : conns_(std::move(conns)), options_(std::move(options)) {
    for (auto& c : conns_) free_.push_back(c.get());
    dialect_ = conns_.front()->dialect();
  }

  std::string backend() const override { return dialect_ == Dialect::kSqlite ? "sqlite" : "postgresql"; }

  Status migrate() {
    return tx([&](Conn& c) {
      if (dialect_ == Dialect::kPostgres) c.q("SELECT pg_advisory_xact_lock(7201)");  // servers starting together
      c.q("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      auto row = c.one("SELECT max(version) FROM schema_version");
      int64_t have = row ? to_int((*row)[0]) : 0;
      int64_t known = static_cast<int64_t>(std::size(kMigrations));
      if (have > known)
        fail(Status::failed_precondition("the database has schema version " + std::to_string(have) +
                                         ", newer than this netvet knows (" + std::to_string(known) +
                                         "): upgrade netvet"));
      for (int64_t v = have; v < known; ++v) {
        if (Status s = c.sql().exec_script(dialect_sql(kMigrations[v], dialect_)); !s) fail(s);
        c.q("INSERT INTO schema_version (version) VALUES (?)", {v + 1});
      }
    });
  }

  // ---- users --------------------------------------------------------------

  Expected<IssuedToken> add_user(const NewUser& u, const std::string& actor) override {
    if (u.name.empty() || u.tenant.empty()) return Status::bad_input("a user needs a name and a tenant");
    std::string pw_hash;
    if (!u.password.empty()) {
      char out[crypto_pwhash_STRBYTES];
      auto ops = options_.password_ops ? options_.password_ops : crypto_pwhash_OPSLIMIT_INTERACTIVE;
      auto mem = options_.password_mem ? options_.password_mem : crypto_pwhash_MEMLIMIT_INTERACTIVE;
      if (crypto_pwhash_str(out, u.password.data(), u.password.size(), ops, mem) != 0)
        return Status::internal("argon2id: out of memory hashing the password");
      pw_hash = out;
    }
    IssuedToken issued;
    Status s = tx([&](Conn& c) {
      if (c.one("SELECT id FROM users WHERE name = ?", {u.name}))
        fail(Status::failed_precondition("a user named \"" + u.name + "\" already exists"));
      auto row = c.one("INSERT INTO users (name, role, tenant, clearance, password_hash, created_at) "
                       "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                       {u.name, std::string(role_name(u.role)), u.tenant, cls(u.clearance),
                        pw_hash.empty() ? Value(nullptr) : Value(pw_hash), now()});
      issued.user = User{to_int((*row)[0]), u.name, u.role, u.tenant, u.clearance};
      issued.token = insert_token(c, issued.user.id);
      append_audit(c, actor, "user.add", "user/" + u.name,
                   nlohmann::json{{"role", role_name(u.role)}, {"tenant", u.tenant}, {"clearance", cls(u.clearance)}}
                       .dump());
    });
    if (!s) return s;
    return issued;
  }

  Expected<IssuedToken> issue_token(const std::string& name, const std::string& actor) override {
    IssuedToken issued;
    Status s = tx([&](Conn& c) {
      auto row = c.one(std::string("SELECT ") + kUserCols + " FROM users WHERE name = ?", {name});
      if (!row) fail(Status::not_found("no user named \"" + name + "\""));
      issued.user = user_from(*row);
      issued.token = insert_token(c, issued.user.id);
      append_audit(c, actor, "token.issue", "user/" + name, "{}");
    });
    if (!s) return s;
    return issued;
  }

  std::optional<User> user_by_token(const std::string& token) override {
    std::optional<User> user;
    Status s = read([&](Conn& c) {
      auto row = c.one("SELECT u.id, u.name, u.role, u.tenant, u.clearance FROM tokens t JOIN users u "
                       "ON u.id = t.user_id WHERE t.hash = ?",
                       {sha256_hex(token)});
      if (row) user = user_from(*row);
    });
    if (!s) return std::nullopt;
    return user;
  }

  Expected<IssuedToken> login(const std::string& name, const std::string& password) override {
    std::string stored;
    Status s = read([&](Conn& c) {
      auto row = c.one("SELECT password_hash FROM users WHERE name = ?", {name});
      if (row) stored = to_str((*row)[0]);
    });
    if (!s) return s;
    // The same answer for an unknown user and a wrong password: no user enumeration.
    if (stored.empty() || crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) != 0)
      return Status::failed_precondition("unknown user or wrong password");
    return issue_token(name, name);
  }

  std::vector<User> users() override {
    std::vector<User> out;
    read_or_throw([&](Conn& c) {
      for (auto& r : c.q(std::string("SELECT ") + kUserCols + " FROM users ORDER BY id")) out.push_back(user_from(r));
    });
    return out;
  }

  // ---- notifications ------------------------------------------------------

  Expected<Notification> submit(const Submission& sub, const User& actor) override {
    int64_t id = 0;
    Status s = tx([&](Conn& c) {
      int64_t t = now();
      auto row = c.one("INSERT INTO notifications (tenant, title, state, jurisdiction, date, created_by, created_at, "
                       "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                       {sub.tenant, sub.title, std::string(state_name(State::kDraft)), sub.jurisdiction, sub.date,
                        actor.name, t, t});
      id = to_int((*row)[0]);
      c.q("INSERT INTO networks (notification_id, text, format) VALUES (?, ?, ?)",
          {id, sub.network, sub.network_format});
      c.q("INSERT INTO proposals (notification_id, version, text, format, submitted_by, at) VALUES (?, 1, ?, ?, ?, ?)",
          {id, sub.proposal, sub.proposal_format, actor.name, t});
      record_transition(c, id, State::kDraft, State::kDraft, "create", "", actor.name);
      append_audit(c, actor.name, "notification.create", subject(id),
                   nlohmann::json{{"tenant", sub.tenant},
                                  {"title", sub.title},
                                  {"network_sha256", sha256_hex(sub.network)},
                                  {"proposal_sha256", sha256_hex(sub.proposal)}}
                       .dump());
      if (!sub.draft) notify(c, id, actor.name);
    });
    if (!s) return s;
    return notification(id);
  }

  Expected<Notification> notification(int64_t id) override {
    std::optional<Notification> n;
    Status s = read([&](Conn& c) { n = load_notification(c, id); });
    if (!s) return s;
    if (!n) return Status::not_found("no notification " + std::to_string(id));
    return *n;
  }

  std::vector<Notification> notifications(const std::string& tenant, const Page& page,
                                          std::optional<Date> overdue_on) override {
    std::vector<Notification> out;
    read_or_throw([&](Conn& c) {
      std::string sql = std::string("SELECT ") + kNotificationCols + " FROM notifications WHERE id > ?";
      std::vector<Value> params{page.after};
      if (!tenant.empty()) {
        sql += " AND tenant = ?";
        params.emplace_back(tenant);
      }
      if (overdue_on) {
        // Still waiting for the agency (not decided, accepted or directed) past its due date.
        sql += " AND due_date IS NOT NULL AND due_date < ? AND state IN ('notified', 'under-assessment', "
               "'mitigation', 'referred')";
        params.emplace_back(overdue_on->to_string());
      }
      sql += " ORDER BY id LIMIT ?";
      params.emplace_back(int64_t{page.limit});
      for (auto& r : c.q(sql, params)) out.push_back(notification_from(r));
    });
    return out;
  }

  std::vector<ProposalVersion> proposals(int64_t id) override {
    std::vector<ProposalVersion> out;
    read_or_throw([&](Conn& c) {
      for (auto& r : c.q("SELECT version, text, format, submitted_by, at, plan FROM proposals WHERE notification_id = ? "
                         "ORDER BY version",
                         {id}))
        out.push_back({static_cast<int>(to_int(r[0])), to_str(r[1]), to_str(r[2]), to_str(r[3]), to_int(r[4]), to_str(r[5])});
    });
    return out;
  }

  Expected<std::pair<std::string, std::string>> network(int64_t id) override {
    std::optional<std::pair<std::string, std::string>> out;
    Status s = read([&](Conn& c) {
      if (auto r = c.one("SELECT text, format FROM networks WHERE notification_id = ?", {id}))
        out.emplace(to_str((*r)[0]), to_str((*r)[1]));
    });
    if (!s) return s;
    if (!out) return Status::not_found("no notification " + std::to_string(id));
    return *out;
  }

  std::vector<TransitionRecord> history(int64_t id) override {
    std::vector<TransitionRecord> out;
    read_or_throw([&](Conn& c) {
      for (auto& r : c.q("SELECT from_state, to_state, action, reason, actor, at FROM transitions "
                         "WHERE notification_id = ? ORDER BY id",
                         {id}))
        out.push_back({to_str(r[0]), to_str(r[1]), to_str(r[2]), to_str(r[3]), to_str(r[4]), to_int(r[5])});
    });
    return out;
  }

  Status set_due_date(int64_t id, const std::string& date, const User& actor) override {
    return tx([&](Conn& c) {
      require_notification(c, id);
      c.q("UPDATE notifications SET due_date = ?, updated_at = ? WHERE id = ?",
          {date.empty() ? Value(nullptr) : Value(date), now(), id});
      append_audit(c, actor.name, "notification.due-date", subject(id), nlohmann::json{{"due_date", date}}.dump());
    });
  }

  // ---- workflow -----------------------------------------------------------

  Expected<Notification> transition(int64_t id, Action a, const std::string& reason, const User& actor) override {
    Status s = tx([&](Conn& c) {
      if (a == Action::kNotify) {
        require_state(c, id, transition_for(a));
        notify(c, id, actor.name);
      } else {
        move(c, id, transition_for(a), reason, actor.name);
      }
    });
    if (!s) return s;
    return notification(id);
  }

  Expected<Notification> decide(const DecisionRecord& d, Action a, const User& actor) override {
    Status s = tx([&](Conn& c) {
      const Transition& t = transition_for(a);
      // The transition history is shown to everyone who may read the notification,
      // so it carries the note only when the note is UNCLASSIFIED.
      std::string reason = d.note_classification == Classification::kUnclassified
                               ? d.note
                               : "(" + cls(d.note_classification) + " note, in the " + d.kind + ")";
      move(c, d.notification_id, t, reason, actor.name);
      for (int64_t f : d.reasons) {
        auto row = c.one("SELECT notification_id FROM findings WHERE id = ?", {f});
        if (!row || to_int((*row)[0]) != d.notification_id)
          fail(Status::bad_input("reason " + std::to_string(f) + " is not a finding of notification " +
                                 std::to_string(d.notification_id)));
      }
      nlohmann::json reasons = d.reasons;
      c.q("INSERT INTO decisions (notification_id, kind, outcome, reasons, note, note_classification, actor, at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          {d.notification_id, d.kind, d.outcome, reasons.dump(), d.note, cls(d.note_classification), actor.name,
           now()});
      if (a == Action::kDecide)
        c.q("UPDATE notifications SET decision = ? WHERE id = ?", {d.outcome, d.notification_id});
      append_audit(c, actor.name, "decision." + d.kind, subject(d.notification_id),
                   nlohmann::json{{"outcome", d.outcome},
                                  {"reasons", reasons},
                                  {"note_sha256", sha256_hex(d.note)},
                                  {"note_classification", cls(d.note_classification)}}
                       .dump());
    });
    if (!s) return s;
    return notification(d.notification_id);
  }

  Expected<int> submit_plan(int64_t id, const std::string& text, const std::string& format, const std::string& plan,
                            const std::string& reason, const User& actor) override {
    int version = 0;
    Status s = tx([&](Conn& c) {
      move(c, id, transition_for(Action::kSubmitPlan), reason, actor.name);
      auto row = c.one("SELECT max(version) FROM proposals WHERE notification_id = ?", {id});
      version = static_cast<int>(to_int((*row)[0])) + 1;
      c.q("INSERT INTO proposals (notification_id, version, text, format, submitted_by, at, plan) VALUES (?, ?, ?, ?, ?, ?, ?)",
          {id, int64_t{version}, text, format, actor.name, now(), plan});
      enqueue(c, id, version);
      nlohmann::json detail = {{"version", version}, {"sha256", sha256_hex(text)}};
      if (!plan.empty()) detail["plan_sha256"] = sha256_hex(plan);
      append_audit(c, actor.name, "plan.submit", subject(id), detail.dump());
    });
    if (!s) return s;
    return version;
  }

  std::vector<DecisionRecord> decisions(int64_t id) override {
    std::vector<DecisionRecord> out;
    read_or_throw([&](Conn& c) {
      for (auto& r : c.q("SELECT id, notification_id, kind, outcome, reasons, note, note_classification, actor, at "
                         "FROM decisions WHERE notification_id = ? ORDER BY id",
                         {id})) {
        DecisionRecord d;
        d.id = to_int(r[0]);
        d.notification_id = to_int(r[1]);
        d.kind = to_str(r[2]);
        d.outcome = to_str(r[3]);
        d.reasons = nlohmann::json::parse(to_str(r[4])).get<std::vector<int64_t>>();
        d.note = to_str(r[5]);
        d.note_classification = to_class(r[6]);
        d.actor = to_str(r[7]);
        d.at = to_int(r[8]);
        out.push_back(std::move(d));
      }
    });
    return out;
  }

  // ---- jobs ---------------------------------------------------------------

  std::optional<Job> claim_job(const std::string& worker) override {
    std::optional<Job> job;
    Status s = tx([&](Conn& c) {
      int64_t t = now();
      std::string sql =
          "SELECT id FROM assessments WHERE status = 'queued' OR (status = 'running' AND claimed_at < ?) "
          "ORDER BY id LIMIT 1";
      if (dialect_ == Dialect::kPostgres) sql += " FOR UPDATE SKIP LOCKED";
      auto row = c.one(sql, {t - kJobLeaseSeconds});
      if (!row) return;
      int64_t aid = to_int((*row)[0]);
      c.q("UPDATE assessments SET status = 'running', claimed_by = ?, claimed_at = ? WHERE id = ?", {worker, t, aid});
      auto j = c.one("SELECT a.id, a.notification_id, a.version, n.jurisdiction, n.date, w.text, w.format, "
                     "p.text, p.format, n.state FROM assessments a JOIN notifications n ON n.id = a.notification_id "
                     "JOIN networks w ON w.notification_id = a.notification_id "
                     "JOIN proposals p ON p.notification_id = a.notification_id AND p.version = a.version "
                     "WHERE a.id = ?",
                     {aid});
      Job out{to_int((*j)[0]), to_int((*j)[1]), static_cast<int>(to_int((*j)[2])),
              to_str((*j)[3]), to_str((*j)[4]), to_str((*j)[5]),
              to_str((*j)[6]), to_str((*j)[7]), to_str((*j)[8]), {}};
      for (auto& o : c.q("SELECT text FROM overlays WHERE notification_id = ? ORDER BY id", {out.notification_id}))
        out.overlays.push_back(to_str(o[0]));
      if (to_str((*j)[9]) == state_name(State::kNotified))
        move(c, out.notification_id, transition_for(Action::kStartAssessment), "", "engine");
      append_audit(c, "engine", "assessment.start", "assessment/" + std::to_string(aid),
                   nlohmann::json{{"worker", worker}}.dump());
      job = std::move(out);
    });
    if (!s) return std::nullopt;
    return job;
  }

  Status finish_job(int64_t aid, const EngineResult& result) override {
    return tx([&](Conn& c) {
      auto row = c.one("SELECT notification_id, status FROM assessments WHERE id = ?", {aid});
      if (!row) fail(Status::not_found("no assessment " + std::to_string(aid)));
      if (to_str((*row)[1]) != "running") fail(Status::failed_precondition("assessment is not running"));
      int64_t nid = to_int((*row)[0]);
      int64_t t = now();
      for (const auto& f : result.findings) {
        FindingRecord copy = f;
        copy.notification_id = nid;
        copy.assessment_id = aid;
        copy.source = "engine";
        copy.created_by = "engine";
        insert_finding(c, copy, t);
      }
      for (const auto& [level, body] : result.renderings)
        c.q("INSERT INTO renderings (assessment_id, clearance, body) VALUES (?, ?, ?)", {aid, cls(level), body});
      c.q("UPDATE assessments SET status = 'done', outcome = ?, finished_at = ? WHERE id = ?", {result.outcome, t, aid});
      c.q("UPDATE notifications SET updated_at = ? WHERE id = ?", {t, nid});
      append_audit(c, "engine", "assessment.done", "assessment/" + std::to_string(aid),
                   nlohmann::json{{"findings", result.findings.size()},
                                  {"sha256", sha256_hex(result.renderings.empty()
                                                            ? std::string()
                                                            : result.renderings.rbegin()->second)}}
                       .dump());
    });
  }

  Status fail_job(int64_t aid, const std::string& error) override {
    return tx([&](Conn& c) {
      c.q("UPDATE assessments SET status = 'failed', error = ?, finished_at = ? WHERE id = ? AND status = 'running'",
          {error, now(), aid});
      append_audit(c, "engine", "assessment.failed", "assessment/" + std::to_string(aid),
                   nlohmann::json{{"error", error}}.dump());
    });
  }

  Expected<AssessmentRecord> assessment(int64_t id) override {
    std::optional<AssessmentRecord> a;
    Status s = read([&](Conn& c) {
      if (auto r = c.one(std::string("SELECT ") + kAssessmentCols + " FROM assessments WHERE id = ?", {id}))
        a = assessment_from(*r);
    });
    if (!s) return s;
    if (!a) return Status::not_found("no assessment " + std::to_string(id));
    return *a;
  }

  std::vector<AssessmentRecord> assessments(int64_t nid) override {
    std::vector<AssessmentRecord> out;
    read_or_throw([&](Conn& c) {
      for (auto& r : c.q(std::string("SELECT ") + kAssessmentCols + " FROM assessments WHERE notification_id = ? "
                                                                     "ORDER BY id",
                         {nid}))
        out.push_back(assessment_from(r));
    });
    return out;
  }

  Expected<std::string> rendering(int64_t aid, Classification clearance) override {
    std::optional<std::string> body;
    Status s = read([&](Conn& c) {
      if (auto r = c.one("SELECT body FROM renderings WHERE assessment_id = ? AND clearance = ?", {aid, cls(clearance)}))
        body = to_str((*r)[0]);
    });
    if (!s) return s;
    if (!body) return Status::not_found("assessment " + std::to_string(aid) + " has no report (yet)");
    return *body;
  }

  // ---- overlays -----------------------------------------------------------

  Expected<OverlayRecord> add_overlay(int64_t nid, Classification classification, const std::string& text,
                                      const User& actor) override {
    int64_t id = 0;
    Status s = tx([&](Conn& c) {
      Notification n = require_notification(c, nid);
      if (n.state == State::kDraft || n.state == State::kAccepted || n.state == State::kDirected)
        fail(Status::failed_precondition("notification " + std::to_string(nid) + " is " +
                                         std::string(state_name(n.state)) +
                                         ": an overlay is taken while the agency assesses (after notify, before "
                                         "acceptance or direction)"));
      int64_t t = now();
      auto row = c.one("INSERT INTO overlays (notification_id, classification, text, uploaded_by, at) "
                       "VALUES (?, ?, ?, ?, ?) RETURNING id",
                       {nid, cls(classification), text, actor.name, t});
      id = to_int((*row)[0]);
      auto latest = c.one("SELECT max(version) FROM proposals WHERE notification_id = ?", {nid});
      enqueue(c, nid, static_cast<int>(to_int((*latest)[0])));
      c.q("UPDATE notifications SET updated_at = ? WHERE id = ?", {t, nid});
      // The overlay may be classified: the log keeps its level and hash only.
      append_audit(c, actor.name, "overlay.add", subject(nid),
                   nlohmann::json{{"overlay", id}, {"classification", cls(classification)},
                                  {"sha256", sha256_hex(text)}}
                       .dump());
    });
    if (!s) return s;
    for (auto& o : overlays(nid))
      if (o.id == id) return o;
    return Status::internal("overlay " + std::to_string(id) + " vanished");
  }

  std::vector<OverlayRecord> overlays(int64_t nid) override {
    std::vector<OverlayRecord> out;
    read_or_throw([&](Conn& c) {
      for (auto& r : c.q("SELECT id, notification_id, classification, text, uploaded_by, at FROM overlays "
                         "WHERE notification_id = ? ORDER BY id",
                         {nid}))
        out.push_back({to_int(r[0]), to_int(r[1]), to_class(r[2]), to_str(r[3]), to_str(r[4]), to_int(r[5])});
    });
    return out;
  }

  // ---- findings -----------------------------------------------------------

  Expected<FindingRecord> add_finding(const FindingRecord& f, const User& actor) override {
    int64_t id = 0;
    Status s = tx([&](Conn& c) {
      require_notification(c, f.notification_id);
      FindingRecord copy = f;
      copy.source = "assessor";
      copy.assessment_id = 0;
      copy.created_by = actor.name;
      id = insert_finding(c, copy, now());
      append_audit(c, actor.name, "finding.add", "finding/" + std::to_string(id),
                   nlohmann::json{{"notification", f.notification_id},
                                  {"classification", cls(f.classification)},
                                  {"sha256", sha256_hex(f.title + "\n" + f.message + "\n" + f.evidence_json)}}
                       .dump());
    });
    if (!s) return s;
    return finding(id);
  }

  std::vector<FindingRecord> findings(int64_t nid) override {
    std::vector<FindingRecord> out;
    read_or_throw([&](Conn& c) {
      for (auto& r : c.q(std::string("SELECT ") + kFindingCols + " FROM findings WHERE notification_id = ? ORDER BY id",
                         {nid}))
        out.push_back(finding_from(r));
    });
    return out;
  }

  Expected<FindingRecord> finding(int64_t id) override {
    std::optional<FindingRecord> f;
    Status s = read([&](Conn& c) {
      if (auto r = c.one(std::string("SELECT ") + kFindingCols + " FROM findings WHERE id = ?", {id}))
        f = finding_from(*r);
    });
    if (!s) return s;
    if (!f) return Status::not_found("no finding " + std::to_string(id));
    return *f;
  }

  Expected<FindingRecord> set_finding_status(int64_t id, const std::string& status, const std::string& reason,
                                             const std::string& expires, const User& actor) override {
    if (status != "open" && status != "accepted" && status != "waived" && status != "mitigated")
      return Status::bad_input("status must be open, accepted, waived or mitigated, not \"" + status + "\"");
    if (status == "waived" && (reason.empty() || !Date::parse(expires)))
      return Status::bad_input("a waiver needs a reason and an expiry date (YYYY-MM-DD)");
    Status s = tx([&](Conn& c) {
      if (!c.one("SELECT id FROM findings WHERE id = ?", {id})) fail(Status::not_found("no finding " + std::to_string(id)));
      int64_t t = now();
      c.q("UPDATE findings SET status = ?, status_reason = ?, expires = ? WHERE id = ?", {status, reason, expires, id});
      c.q("INSERT INTO finding_events (finding_id, status, reason, expires, actor, at) VALUES (?, ?, ?, ?, ?, ?)",
          {id, status, reason, expires, actor.name, t});
      // The reason may be as classified as its finding: the log keeps its hash only.
      append_audit(c, actor.name, "finding." + status, "finding/" + std::to_string(id),
                   nlohmann::json{{"reason_sha256", sha256_hex(reason)}, {"expires", expires}}.dump());
    });
    if (!s) return s;
    return finding(id);
  }

  std::vector<FindingEvent> finding_history(int64_t id) override {
    std::vector<FindingEvent> out;
    read_or_throw([&](Conn& c) {
      for (auto& r : c.q("SELECT finding_id, status, reason, expires, actor, at FROM finding_events "
                         "WHERE finding_id = ? ORDER BY id",
                         {id}))
        out.push_back({to_int(r[0]), to_str(r[1]), to_str(r[2]), to_str(r[3]), to_str(r[4]), to_int(r[5])});
    });
    return out;
  }

  // ---- audit --------------------------------------------------------------

  Status audit(const std::string& actor, const std::string& action, const std::string& subject,
               const std::string& detail) override {
    return tx([&](Conn& c) { append_audit(c, actor, action, subject, detail); });
  }

  std::vector<AuditEntry> audit_log(const Page& page) override {
    std::vector<AuditEntry> out;
    read_or_throw([&](Conn& c) {
      for (auto& r : c.q("SELECT seq, at, actor, action, subject, detail, prev, hash FROM audit WHERE seq > ? "
                         "ORDER BY seq LIMIT ?",
                         {page.after, int64_t{page.limit}}))
        out.push_back(audit_from(r));
    });
    return out;
  }

  AuditHead audit_head() override {
    AuditHead head;
    read_or_throw([&](Conn& c) {
      if (auto last = c.one("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"))
        head = AuditHead{to_int((*last)[0]), to_str((*last)[1])};
    });
    return head;
  }

  AuditCheck verify_audit(const std::vector<AuditHead>& anchors) override {
    AuditCheck check;
    std::map<int64_t, std::string> anchored;  // seq -> the hash the chain holds there
    for (const auto& a : anchors) anchored[a.seq];
    Status s = read([&](Conn& c) {
      std::string prev;
      int64_t expect = 1;
      // In pages, so a long log is checked in bounded memory.
      for (int64_t after = 0;;) {
        auto rows = c.q("SELECT seq, at, actor, action, subject, detail, prev, hash FROM audit WHERE seq > ? "
                        "ORDER BY seq LIMIT 1000",
                        {after});
        if (rows.empty()) break;
        for (auto& r : rows) {
          AuditEntry e = audit_from(r);
          after = e.seq;
          auto bad = [&](std::string why) {
            check.ok = false;
            check.bad_seq = e.seq;
            check.problem = std::move(why);
          };
          if (e.seq != expect) {
            bad("entry " + std::to_string(expect) + " is missing (next is " + std::to_string(e.seq) + ")");
            return;
          }
          if (e.prev != prev) {
            bad("entry " + std::to_string(e.seq) + " does not follow the entry before it (prev hash differs)");
            return;
          }
          if (audit_hash(e) != e.hash) {
            bad("entry " + std::to_string(e.seq) + " was edited (its hash does not match its content)");
            return;
          }
          prev = e.hash;
          ++expect;
          ++check.entries;
          if (auto it = anchored.find(e.seq); it != anchored.end()) it->second = e.hash;
        }
      }
    });
    if (!s) {
      check.ok = false;
      check.problem = s.to_string();
    }
    if (!check.ok) return check;
    // The chain verifies: does it still hold what was anchored outside it?
    for (const auto& a : anchors) {
      if (a.seq == 0) continue;
      if (a.seq > check.entries) {
        check.ok = false;
        check.bad_seq = check.entries + 1;
        check.problem = "the log ends at entry " + std::to_string(check.entries) + ", but the anchor " +
                        a.to_string() + " names entry " + std::to_string(a.seq) + ": entries " +
                        std::to_string(check.entries + 1) + " to " + std::to_string(a.seq) + " were deleted";
        return check;
      }
      if (anchored[a.seq] != a.hash) {
        check.ok = false;
        check.bad_seq = a.seq;
        check.problem = "entry " + std::to_string(a.seq) + " is not the one anchored (" + a.to_string() +
                        "): the chain was rewritten from this entry or an earlier one";
        return check;
      }
    }
    return check;
  }

 private:
  int64_t now() const {
    if (options_.now) return options_.now();
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  static std::string subject(int64_t nid) { return "notification/" + std::to_string(nid); }

  static AuditEntry audit_from(const Row& r) {
    return AuditEntry{to_int(r[0]), to_int(r[1]), to_str(r[2]), to_str(r[3]),
                      to_str(r[4]), to_str(r[5]), to_str(r[6]), to_str(r[7])};
  }

  // Appends under a lock (PostgreSQL: an advisory lock held to commit; SQLite:
  // the write transaction's own lock), so entries form one chain.
  void append_audit(Conn& c, const std::string& actor, const std::string& action, const std::string& subject,
                    const std::string& detail) {
    if (dialect_ == Dialect::kPostgres) c.q("SELECT pg_advisory_xact_lock(7202)");
    auto last = c.one("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
    AuditEntry e{last ? to_int((*last)[0]) + 1 : 1, now(), actor, action, subject, detail,
                 last ? to_str((*last)[1]) : std::string(), ""};
    e.hash = audit_hash(e);
    c.q("INSERT INTO audit (seq, at, actor, action, subject, detail, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {e.seq, e.at, e.actor, e.action, e.subject, e.detail, e.prev, e.hash});
  }

  std::string insert_token(Conn& c, int64_t user_id) {
    std::string token = new_token();
    c.q("INSERT INTO tokens (hash, user_id, created_at) VALUES (?, ?, ?)", {sha256_hex(token), user_id, now()});
    return token;
  }

  std::optional<Notification> load_notification(Conn& c, int64_t id) {
    auto r = c.one(std::string("SELECT ") + kNotificationCols + " FROM notifications WHERE id = ?", {id});
    if (!r) return std::nullopt;
    return notification_from(*r);
  }

  Notification require_notification(Conn& c, int64_t id) {
    auto n = load_notification(c, id);
    if (!n) fail(Status::not_found("no notification " + std::to_string(id)));
    return *n;
  }

  Notification require_state(Conn& c, int64_t id, const Transition& t) {
    Notification n = require_notification(c, id);
    if (!starts_from(t, n.state)) {
      std::string allowed;
      for (State s : t.from) allowed += (allowed.empty() ? "" : " or ") + std::string(state_name(s));
      fail(Status::failed_precondition("cannot " + std::string(action_name(t.action)) + " notification " +
                                       std::to_string(id) + ": it is " + std::string(state_name(n.state)) +
                                       ", and this step needs it to be " + allowed));
    }
    return n;
  }

  // Applies a transition whose precondition holds now, inside this transaction.
  void move(Conn& c, int64_t id, const Transition& t, const std::string& reason, const std::string& actor) {
    Notification n = require_state(c, id, t);
    if (t.reason_required && reason.empty())
      fail(Status::bad_input(std::string(action_name(t.action)) + " needs a reason (\"reason\" in the request)"));
    c.q("UPDATE notifications SET state = ?, updated_at = ? WHERE id = ?", {std::string(state_name(t.to)), now(), id});
    record_transition(c, id, n.state, t.to, std::string(action_name(t.action)), reason, actor);
    append_audit(c, actor, "transition." + std::string(action_name(t.action)), subject(id),
                 nlohmann::json{{"from", state_name(n.state)}, {"to", state_name(t.to)}, {"reason", reason}}.dump());
  }

  void notify(Conn& c, int64_t id, const std::string& actor) {
    move(c, id, transition_for(Action::kNotify), "", actor);
    enqueue(c, id, 1);
  }

  void enqueue(Conn& c, int64_t id, int version) {
    c.q("INSERT INTO assessments (notification_id, version, status, created_at) VALUES (?, ?, 'queued', ?)",
        {id, int64_t{version}, now()});
  }

  void record_transition(Conn& c, int64_t id, State from, State to, const std::string& action,
                         const std::string& reason, const std::string& actor) {
    c.q("INSERT INTO transitions (notification_id, from_state, to_state, action, reason, actor, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        {id, std::string(state_name(from)), std::string(state_name(to)), action, reason, actor, now()});
  }

  int64_t insert_finding(Conn& c, const FindingRecord& f, int64_t t) {
    auto row = c.one("INSERT INTO findings (notification_id, assessment_id, source, ref, rule, severity, binding, "
                     "classification, title, message, evidence, status, status_reason, expires, created_by, "
                     "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', '', '', ?, ?) RETURNING id",
                     {f.notification_id, f.assessment_id ? Value(f.assessment_id) : Value(nullptr), f.source, f.ref,
                      f.rule, f.severity, int64_t{f.binding ? 1 : 0}, cls(f.classification), f.title, f.message,
                      f.evidence_json, f.created_by, t});
    return to_int((*row)[0]);
  }

  // ---- transactions and the connection pool -------------------------------

  Sql* lease() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !free_.empty(); });
    Sql* s = free_.back();
    free_.pop_back();
    return s;
  }
  void release(Sql* s) {
    {
      std::lock_guard lock(mu_);
      free_.push_back(s);
    }
    cv_.notify_one();
  }

  template <typename Body>
  Status tx(Body&& body) {
    Sql* sql = lease();
    Status result;
    for (int attempt = 0;; ++attempt) {
      if (Status s = sql->begin(); !s) {
        result = s;
        break;
      }
      try {
        Conn c(*sql);
        body(c);
        if (Status s = sql->commit(); !s) {
          sql->rollback();
          if (attempt < 20) continue;  // commit-time busy
          result = s;
        }
        break;
      } catch (const TxFailure& f) {
        sql->rollback();
        if (f.retry && attempt < 20) {
          std::this_thread::sleep_for(std::chrono::milliseconds(5 * (attempt + 1)));
          continue;
        }
        result = f.status;
        break;
      } catch (const std::exception& e) {
        // Anything else (a malformed row, out of memory) still ends the
        // transaction and returns the connection to the pool.
        sql->rollback();
        result = Status::internal(std::string("store: ") + e.what());
        break;
      }
    }
    release(sql);
    return result;
  }

  // Reads need no transaction on either backend (one statement, or a
  // consistent-enough sequence of them for a view).
  // A read that fails is tried again (a connection the server dropped is
  // reopened by libpq's next statement only after an error); one that keeps
  // failing is an internal error the caller hears about, never an empty answer.
  template <typename Body>
  Status read(Body&& body) {
    Sql* sql = lease();
    Status result;
    for (int attempt = 0; attempt < 3; ++attempt) {
      try {
        Conn c(*sql);
        body(c);
        result = {};
        break;
      } catch (const TxFailure& f) {
        result = f.status;
      } catch (const std::exception& e) {
        result = Status::internal(std::string("store: ") + e.what());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10 * (attempt + 1)));
    }
    release(sql);
    return result;
  }

  // For the list reads, whose callers take a vector: a failure throws instead
  // of looking like "nothing there".
  template <typename Body>
  void read_or_throw(Body&& body) {
    if (Status s = read(std::forward<Body>(body)); !s) throw std::runtime_error(s.to_string());
  }

  std::vector<std::unique_ptr<Sql>> conns_;
  StoreOptions options_;
  Dialect dialect_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Sql*> free_;
};

}  // namespace

std::vector<std::string> store::migrations(Dialect d) {
  std::vector<std::string> out;
  for (const char* m : kMigrations) out.push_back(dialect_sql(m, d));
  return out;
}

namespace {

bool is_postgres_url(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

}  // namespace

std::optional<AuditHead> AuditHead::parse(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  AuditHead h;
  for (char ch : text.substr(0, colon)) {
    if (ch < '0' || ch > '9' || h.seq > (INT64_MAX - 9) / 10) return std::nullopt;
    h.seq = h.seq * 10 + (ch - '0');
  }
  h.hash = std::string(text.substr(colon + 1));
  bool hex = h.hash.size() == 64 && std::all_of(h.hash.begin(), h.hash.end(), [](char ch) {
               return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
             });
  if (!hex && !(h.seq == 0 && h.hash.empty())) return std::nullopt;
  return h;
}

std::string audit_hash(const AuditEntry& e) {
  nlohmann::json j = {e.prev, e.seq, e.at, e.actor, e.action, e.subject, e.detail};
  return sha256_hex(j.dump());
}

Expected<std::unique_ptr<Store>> Store::open(const std::string& url, StoreOptions options) {
  if (sodium_init() < 0) return Status::internal("libsodium failed to initialise");
  int n = std::max(1, options.connections);
  std::vector<std::unique_ptr<Sql>> conns;
  for (int i = 0; i < n; ++i) {
    Status s;
    auto c = is_postgres_url(url) ? store::open_postgres(url, s) : store::open_sqlite(url, s);
    if (!c) return s;
    conns.push_back(std::move(c));
  }
  auto store = std::make_unique<SqlStore>(std::move(conns), std::move(options));
  if (Status s = store->migrate(); !s) return s.with_context("migrating " + url);
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace netvet
