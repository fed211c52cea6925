// The vetting service's memory: tenants and users, notifications and their
// proposal versions, assessments (which double as the engine's job queue),
// findings with their classification and history, decisions, and an
// append-only hash-chained audit log. One Store over SQLite (a file path, the
// embedded default, WAL) or PostgreSQL (a postgresql:// URL, where several
// servers share the job queue with FOR UPDATE SKIP LOCKED).
//
// Every change is one transaction that also appends its audit entry, so an
// acknowledged change and its audit record are both there or both absent.
// The store checks the workflow's state preconditions (workflow.h); who may
// ask for a change is the server's business. Methods returning Status or
// Expected report database failures there; those returning plain lists throw
// std::runtime_error when the database fails (never an empty list instead).
//
//   auto store = netvet::Store::open("netvet.db");
//   auto issued = (*store)->add_user({"alice", Role::kAssessor, "gcsb", Classification::kSecret}, "admin-cli");
//   std::cout << issued->token;   // shown once; only its hash is kept
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "netvet/common.h"
#include "netvet/workflow.h"

namespace netvet {

struct User {
  int64_t id = 0;
  std::string name;
  Role role = Role::kOperator;
  std::string tenant;
  Classification clearance = Classification::kUnclassified;
};

struct NewUser {
  std::string name;
  Role role = Role::kOperator;
  std::string tenant;
  Classification clearance = Classification::kUnclassified;
  std::string password;  // empty: token only
};

struct IssuedToken {
  User user;
  std::string token;  // in clear: shown once, stored as its sha256
};

struct Notification {
  int64_t id = 0;
  std::string tenant, title, jurisdiction, date;  // date: the day the rules are read on
  State state = State::kDraft;
  std::string due_date;  // YYYY-MM-DD the agency must respond by, or empty
  std::string decision;  // latest decision outcome, or empty
  std::string created_by;
  int64_t created_at = 0, updated_at = 0;
};

struct Submission {
  std::string tenant, title, jurisdiction, date;
  std::string network, network_format;    // format: "yaml" | "json"
  std::string proposal, proposal_format;  // proposal may be empty (assess the network as is)
  bool draft = false;                     // true: stays a draft until notified
};

struct ProposalVersion {
  int version = 0;  // 1: as notified; 2...: mitigation plans
  std::string text, format, submitted_by;
  int64_t at = 0;
  std::string plan;  // its cost and schedule (JSON, from the operator's `netvet plan`); empty: none given
};

struct AssessmentRecord {
  int64_t id = 0, notification_id = 0;
  int version = 0;             // the proposal version assessed
  std::string status;          // queued | running | done | failed
  std::string outcome, error;  // outcome at TOP-SECRET (never sent as is to a reader)
  int64_t created_at = 0, finished_at = 0;
};

// A finding as the agency holds it: from the engine (source "engine", ref is the
// engine's finding id) or added by an assessor (source "assessor").
struct FindingRecord {
  int64_t id = 0, notification_id = 0, assessment_id = 0;  // assessment 0: an assessor's
  std::string source, ref, rule, severity, title, message;
  bool binding = true;
  Classification classification = Classification::kUnclassified;
  std::string evidence_json = "{}";
  std::string status = "open";  // open | accepted | waived | mitigated
  std::string status_reason, expires, created_by;
  int64_t created_at = 0;
};

struct FindingEvent {
  int64_t finding_id = 0;
  std::string status, reason, expires, actor;
  int64_t at = 0;
};

struct DecisionRecord {
  int64_t id = 0, notification_id = 0;
  std::string kind;     // decision | acceptance | review | direction
  std::string outcome;  // workflow.h's outcomes
  std::vector<int64_t> reasons;  // finding ids
  std::string note;
  Classification note_classification = Classification::kUnclassified;
  std::string actor;
  int64_t at = 0;
};

struct TransitionRecord {
  std::string from, to, action, reason, actor;
  int64_t at = 0;
};

// What the engine's job produced for one assessment.
struct EngineResult {
  std::string outcome;  // at TOP-SECRET
  std::vector<FindingRecord> findings;
  std::map<Classification, std::string> renderings;  // the assessment JSON at each clearance
};

// A KB overlay an assessor uploaded for one notification (docs/formats/policy-pack.md,
// "Overlays"): its text is as classified as it says it is.
struct OverlayRecord {
  int64_t id = 0, notification_id = 0;
  Classification classification = Classification::kUnclassified;
  std::string text, uploaded_by;
  int64_t at = 0;
};

struct Job {
  int64_t assessment_id = 0, notification_id = 0;
  int version = 0;
  std::string jurisdiction, date, network, network_format, proposal, proposal_format;
  std::vector<std::string> overlays;  // the notification's overlays, oldest first
};

struct AuditEntry {
  int64_t seq = 0, at = 0;
  std::string actor, action, subject, detail, prev, hash;
};

struct AuditCheck {
  bool ok = true;
  int64_t entries = 0;
  int64_t bad_seq = 0;  // first entry that does not verify
  std::string problem;
};

// The newest audit entry, kept outside the database (`netvet audit head`): a
// chain verifies after its newest entries are deleted, or after it is
// rewritten from some entry on, but no longer holds the entry an anchor names.
// Written "SEQ:HASH".
struct AuditHead {
  int64_t seq = 0;  // 0: the log is empty
  std::string hash;
  std::string to_string() const { return std::to_string(seq) + ":" + hash; }
  static std::optional<AuditHead> parse(std::string_view text);
};

struct Page {
  int64_t after = 0;  // ids greater than this
  int limit = 50;
};

struct StoreOptions {
  int connections = 4;
  std::function<int64_t()> now;  // unix seconds; default: the system clock
  // argon2id cost for new passwords: 0 uses libsodium's "interactive" limits
  // (2 passes, 64 MiB). Tests pass libsodium's minimum to stay fast.
  unsigned long long password_ops = 0;
  size_t password_mem = 0;
};

class Store {
 public:
  // `url`: postgresql://... or postgres://... (libpq), else a SQLite file path.
  // Creates or migrates the schema.
  static Expected<std::unique_ptr<Store>> open(const std::string& url, StoreOptions options = {});
  virtual ~Store() = default;
  virtual std::string backend() const = 0;  // "sqlite" | "postgresql"

  // Users and tokens.
  virtual Expected<IssuedToken> add_user(const NewUser& u, const std::string& actor) = 0;
  virtual Expected<IssuedToken> issue_token(const std::string& name, const std::string& actor) = 0;
  virtual std::optional<User> user_by_token(const std::string& token) = 0;
  // Checks the password (argon2id) and issues a new token.
  virtual Expected<IssuedToken> login(const std::string& name, const std::string& password) = 0;
  virtual std::vector<User> users() = 0;

  // Notifications.
  virtual Expected<Notification> submit(const Submission& s, const User& actor) = 0;
  virtual Expected<Notification> notification(int64_t id) = 0;
  // tenant empty: all tenants; overdue_on set: only those due before that day and still open.
  virtual std::vector<Notification> notifications(const std::string& tenant, const Page& page,
                                                  std::optional<Date> overdue_on = std::nullopt) = 0;
  virtual std::vector<ProposalVersion> proposals(int64_t notification_id) = 0;
  // The network as notified (the text and "yaml" | "json"), for the access graph view.
  virtual Expected<std::pair<std::string, std::string>> network(int64_t notification_id) = 0;
  virtual std::vector<TransitionRecord> history(int64_t notification_id) = 0;
  virtual Status set_due_date(int64_t notification_id, const std::string& date, const User& actor) = 0;

  // Workflow. Each checks the state precondition in the same transaction.
  virtual Expected<Notification> transition(int64_t notification_id, Action a, const std::string& reason,
                                            const User& actor) = 0;
  virtual Expected<Notification> decide(const DecisionRecord& d, Action a, const User& actor) = 0;
  // `plan`: the version's cost and schedule (JSON), or empty.
  virtual Expected<int> submit_plan(int64_t notification_id, const std::string& text, const std::string& format,
                                    const std::string& plan, const std::string& reason, const User& actor) = 0;
  virtual std::vector<DecisionRecord> decisions(int64_t notification_id) = 0;

  // The engine's job queue: queued assessments. claim_job takes the oldest one
  // no other worker holds (SKIP LOCKED on PostgreSQL) and marks it running.
  virtual std::optional<Job> claim_job(const std::string& worker) = 0;
  virtual Status finish_job(int64_t assessment_id, const EngineResult& result) = 0;
  virtual Status fail_job(int64_t assessment_id, const std::string& error) = 0;
  virtual Expected<AssessmentRecord> assessment(int64_t id) = 0;
  virtual std::vector<AssessmentRecord> assessments(int64_t notification_id) = 0;
  virtual Expected<std::string> rendering(int64_t assessment_id, Classification clearance) = 0;

  // Overlays: adding one queues a re-assessment of the latest proposal version
  // with every overlay of the notification (refused for a draft, or once accepted or directed).
  virtual Expected<OverlayRecord> add_overlay(int64_t notification_id, Classification classification,
                                              const std::string& text, const User& actor) = 0;
  virtual std::vector<OverlayRecord> overlays(int64_t notification_id) = 0;

  // Findings.
  virtual Expected<FindingRecord> add_finding(const FindingRecord& f, const User& actor) = 0;
  virtual std::vector<FindingRecord> findings(int64_t notification_id) = 0;
  virtual Expected<FindingRecord> finding(int64_t id) = 0;
  // status: accepted | waived (reason and expiry required) | mitigated | open.
  virtual Expected<FindingRecord> set_finding_status(int64_t id, const std::string& status, const std::string& reason,
                                                     const std::string& expires, const User& actor) = 0;
  virtual std::vector<FindingEvent> finding_history(int64_t finding_id) = 0;

  // Audit.
  virtual Status audit(const std::string& actor, const std::string& action, const std::string& subject,
                       const std::string& detail) = 0;
  virtual std::vector<AuditEntry> audit_log(const Page& page) = 0;
  virtual AuditHead audit_head() = 0;
  // Recomputes the chain; each anchor must name an entry the chain holds with
  // that hash (entries after it are newer, and fine).
  virtual AuditCheck verify_audit(const std::vector<AuditHead>& anchors = {}) = 0;
};

// The hash of an audit entry: sha256 over prev and every field, so editing,
// inserting or deleting an entry breaks the chain from that entry on.
std::string audit_hash(const AuditEntry& e);

}  // namespace netvet
