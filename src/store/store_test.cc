// The store's behaviour, run against SQLite and PostgreSQL alike.
#include "netvet/store.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <thread>

#include "store_testing.h"

namespace netvet {
namespace {

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void open_store() {
    NETVET_FRESH_DB(GetParam(), u);
    url = u;
    StoreOptions options{4, [this] { return clock; }};
    options.password_ops = crypto_pwhash_OPSLIMIT_MIN;
    options.password_mem = crypto_pwhash_MEMLIMIT_MIN;
    auto s = Store::open(url, options);
    ASSERT_TRUE(s) << s.error().to_string();
    store = std::move(*s);
    operator_ = add("spark-ops", Role::kOperator, "spark", Classification::kUnclassified);
    approver = add("gcsb-approver", Role::kApprover, "gcsb", Classification::kTopSecret);
    assessor = add("gcsb-assessor", Role::kAssessor, "gcsb", Classification::kSecret);
  }
  User add(const std::string& name, Role role, const std::string& tenant, Classification c) {
    auto issued = store->add_user({name, role, tenant, c, ""}, "test");
    EXPECT_TRUE(issued) << issued.error().to_string();
    return issued->user;
  }
  Notification notify() {
    Submission s{"spark", "5G RAN", "NZ", "2018-11-28", "netvet: 1", "yaml", "netvet: 1\nproposal: x", "yaml"};
    auto n = store->submit(s, operator_);
    EXPECT_TRUE(n) << n.error().to_string();
    return *n;
  }
  // Claims the queued job and finishes it with one SECRET-free engine result.
  void run_job(const std::string& outcome) {
    auto job = store->claim_job("w1");
    ASSERT_TRUE(job);
    EngineResult r;
    r.outcome = outcome;
    FindingRecord f;
    f.ref = "F1";
    f.rule = "nz.rule";
    f.severity = "high";
    f.title = "Huawei in the RAN";
    f.message = "m";
    r.findings.push_back(f);
    r.renderings[Classification::kUnclassified] = R"({"clearance":"UNCLASSIFIED"})";
    ASSERT_TRUE(store->finish_job(job->assessment_id, r));
  }

  std::string url;
  int64_t clock = 1543363200;  // 2018-11-28
  std::unique_ptr<Store> store;
  User operator_, approver, assessor;
};

TEST_P(StoreTest, UsersAreFoundByTheirTokenWhichIsStoredOnlyAsItsHash) {
  open_store();
  if (IsSkipped() || HasFatalFailure()) return;
  auto issued = store->add_user({"bob", Role::kAuditor, "gcsb", Classification::kSecret, ""}, "test");
  ASSERT_TRUE(issued);
  EXPECT_EQ(issued->token.rfind("nvt_", 0), 0u);
  auto found = store->user_by_token(issued->token);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->name, "bob");
  EXPECT_EQ(found->role, Role::kAuditor);
  EXPECT_EQ(found->tenant, "gcsb");
  EXPECT_EQ(found->clearance, Classification::kSecret);
  EXPECT_FALSE(store->user_by_token(issued->token + "x"));
  for (const auto& h : netvet::testing::raw_column(url, "SELECT hash FROM tokens")) EXPECT_NE(h, issued->token);
  EXPECT_EQ(netvet::testing::raw_column(url, "SELECT hash FROM tokens").size(), 4u);
  EXPECT_FALSE(store->user_by_token(""));
  // The same name twice is refused.
  EXPECT_FALSE(store->add_user({"bob", Role::kAdmin, "gcsb", Classification::kSecret, ""}, "test"));
}

TEST_P(StoreTest, PasswordsAreArgon2idAndLoginIssuesAToken) {
  open_store();
  if (IsSkipped() || HasFatalFailure()) return;
  ASSERT_TRUE(store->add_user({"carol", Role::kReviewer, "cciw", Classification::kTopSecret, "correct horse"}, "t"));
  // Stored as an argon2id string, never as the password.
  auto stored = netvet::testing::raw_column(url, "SELECT password_hash FROM users WHERE name = 'carol'");
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].rfind("$argon2id$", 0), 0u) << stored[0];
  auto ok = store->login("carol", "correct horse");
  ASSERT_TRUE(ok) << ok.error().to_string();
  EXPECT_EQ(store->user_by_token(ok->token)->name, "carol");
  EXPECT_FALSE(store->login("carol", "wrong"));
  EXPECT_FALSE(store->login("nobody", "correct horse"));
  EXPECT_FALSE(store->login("spark-ops", ""));  // a token-only user has no password
}

TEST_P(StoreTest, TheWorkflowRunsInOrderAndRefusesStepsOutOfOrder) {
  open_store();
  if (IsSkipped() || HasFatalFailure()) return;
  Notification n = notify();
  EXPECT_EQ(n.state, State::kNotified);
  // Deciding before the engine has picked it up is out of order.
  DecisionRecord d{0, n.id, "decision", "significant-risk", {}, "HRV in the RAN", Classification::kSecret, "", 0};
  auto early = store->decide(d, Action::kDecide, approver);
  ASSERT_FALSE(early);
  EXPECT_NE(early.error().message().find("it is notified"), std::string::npos) << early.error().message();

  run_job("significant-risk");
  EXPECT_EQ(store->notification(n.id)->state, State::kUnderAssessment);
  auto findings = store->findings(n.id);
  ASSERT_EQ(findings.size(), 1u);
  d.reasons = {findings[0].id};
  auto decided = store->decide(d, Action::kDecide, approver);
  ASSERT_TRUE(decided) << decided.error().to_string();
  EXPECT_EQ(decided->state, State::kDecided);
  EXPECT_EQ(decided->decision, "significant-risk");

  auto v = store->submit_plan(n.id, "netvet: 1\nproposal: y", "yaml", R"({"currency":"NZD"})", "", operator_);
  ASSERT_TRUE(v) << v.error().to_string();
  EXPECT_EQ(*v, 2);
  run_job("no-significant-risk");
  EXPECT_EQ(store->notification(n.id)->state, State::kMitigation);
  EXPECT_EQ(store->assessments(n.id).size(), 2u);
  ASSERT_EQ(store->proposals(n.id).size(), 2u);
  EXPECT_EQ(store->proposals(n.id)[0].plan, "");  // the notified proposal has no plan
  EXPECT_EQ(store->proposals(n.id)[1].plan, R"({"currency":"NZD"})");
  auto net = store->network(n.id);
  ASSERT_TRUE(net) << net.error().to_string();
  EXPECT_EQ(net->second, "yaml");
  EXPECT_FALSE(net->first.empty());
  EXPECT_FALSE(store->network(n.id + 1000));

  DecisionRecord accept{0, n.id, "acceptance", "no-significant-risk", {}, "mitigated", Classification::kUnclassified,
                        "", 0};
  ASSERT_TRUE(store->decide(accept, Action::kAccept, approver));
  EXPECT_EQ(store->notification(n.id)->state, State::kAccepted);
  // Accepted is final: no plan, no review.
  EXPECT_FALSE(store->submit_plan(n.id, "x", "yaml", "", "", operator_));
  EXPECT_FALSE(store->transition(n.id, Action::kRequestReview, "unfair", operator_));

  std::vector<std::string> path;
  for (auto& t : store->history(n.id)) path.push_back(t.to);
  EXPECT_EQ(path, (std::vector<std::string>{"draft", "notified", "under-assessment", "decided", "mitigation",
                                            "accepted"}));
  EXPECT_EQ(store->decisions(n.id).size(), 2u);
}

TEST_P(StoreTest, ReasonsAreRequiredWhereTheWorkflowSaysAndMustNameOwnFindings) {
  open_store();
  if (IsSkipped() || HasFatalFailure()) return;
  Notification n = notify();
  run_job("significant-risk");
  DecisionRecord d{0, n.id, "decision", "significant-risk", {}, "", Classification::kUnclassified, "", 0};
  EXPECT_FALSE(store->decide(d, Action::kDecide, approver));  // no reason
  d.note = "why";
  d.reasons = {999999};
  EXPECT_FALSE(store->decide(d, Action::kDecide, approver));  // not its finding
  EXPECT_EQ(store->notification(n.id)->state, State::kUnderAssessment);  // nothing half-done
  d.reasons = {};
  ASSERT_TRUE(store->decide(d, Action::kDecide, approver));
  EXPECT_FALSE(store->transition(n.id, Action::kRequestReview, "", operator_));
  ASSERT_TRUE(store->transition(n.id, Action::kRequestReview, "we disagree", operator_));
  EXPECT_EQ(store->notification(n.id)->state, State::kReferred);
}

TEST_P(StoreTest, TwoWorkersNeverClaimTheSameJob) {
  open_store();
  if (IsSkipped() || HasFatalFailure()) return;
  notify();
  notify();
  auto a = store->claim_job("w1");
  auto b = store->claim_job("w2");
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->assessment_id, b->assessment_id);
  EXPECT_FALSE(store->claim_job("w3"));
  // A worker that vanished: after the lease its job is taken again.
  clock += 601;
  auto again = store->claim_job("w3");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->assessment_id, a->assessment_id);
}

TEST_P(StoreTest, WaiversNeedAReasonAndAnExpiryAndHistoryIsKept) {
  open_store();
  if (IsSkipped() || HasFatalFailure()) return;
  Notification n = notify();
  FindingRecord f;
  f.notification_id = n.id;
  f.rule = "gcsb.assessment";
  f.severity = "high";
  f.classification = Classification::kSecret;
  f.title = "t";
  f.message = "m";
  auto added = store->add_finding(f, assessor);
  ASSERT_TRUE(added) << added.error().to_string();
  EXPECT_EQ(added->source, "assessor");
  EXPECT_EQ(added->classification, Classification::kSecret);
  EXPECT_FALSE(store->set_finding_status(added->id, "waived", "", "2019-01-01", approver));
  EXPECT_FALSE(store->set_finding_status(added->id, "waived", "ok", "soon", approver));
  EXPECT_FALSE(store->set_finding_status(added->id, "forgotten", "", "", approver));
  ASSERT_TRUE(store->set_finding_status(added->id, "waived", "temporary", "2019-06-30", approver));
  ASSERT_TRUE(store->set_finding_status(added->id, "mitigated", "IPsec added", "", approver));
  auto h = store->finding_history(added->id);
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].status, "waived");
  EXPECT_EQ(h[0].expires, "2019-06-30");
  EXPECT_EQ(h[1].status, "mitigated");
  EXPECT_EQ(store->finding(added->id)->status, "mitigated");
}

TEST_P(StoreTest, OverdueListsOpenNotificationsPastTheirDueDate) {
  open_store();
  if (IsSkipped() || HasFatalFailure()) return;
  Notification a = notify(), b = notify(), c = notify();
  ASSERT_TRUE(store->set_due_date(a.id, "2018-12-01", approver));
  ASSERT_TRUE(store->set_due_date(b.id, "2019-02-01", approver));
  auto overdue = store->notifications("", {}, Date::parse("2019-01-01"));
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0].id, a.id);
  EXPECT_EQ(store->notifications("", {}, Date::parse("2019-03-01")).size(), 2u);
  (void)c;
  // Pages and tenants.
  EXPECT_EQ(store->notifications("", {0, 2}).size(), 2u);
  EXPECT_EQ(store->notifications("", {b.id, 50}).size(), 1u);
  EXPECT_EQ(store->notifications("other", {}).size(), 0u);
}

TEST_P(StoreTest, TheAuditChainVerifiesAndAnyEditBreaksIt) {
  open_store();
  if (IsSkipped() || HasFatalFailure()) return;
  Notification n = notify();
  run_job("significant-risk");
  ASSERT_TRUE(store->audit("gcsb-assessor", "read", "notification/1", "{}"));
  auto check = store->verify_audit();
  EXPECT_TRUE(check.ok) << check.problem;
  EXPECT_GT(check.entries, 5);
  auto log = store->audit_log({0, 1000});
  ASSERT_EQ(static_cast<int64_t>(log.size()), check.entries);
  EXPECT_EQ(log[0].prev, "");
  EXPECT_EQ(log[1].prev, log[0].hash);
  (void)n;

  store.reset();
  netvet::testing::raw_sql(url, "UPDATE audit SET detail = '{\"role\":\"admin\"}' WHERE seq = 2");
  store = Store::open(url).value();
  check = store->verify_audit();
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.bad_seq, 2);
  EXPECT_NE(check.problem.find("edited"), std::string::npos) << check.problem;
}

TEST_P(StoreTest, DeletingOrRechainingAnAuditEntryIsDetected) {
  open_store();
  if (IsSkipped() || HasFatalFailure()) return;
  notify();
  store.reset();
  netvet::testing::raw_sql(url, "DELETE FROM audit WHERE seq = 3");
  store = Store::open(url).value();
  auto check = store->verify_audit();
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.bad_seq, 4);

  // Renumbering after the deletion breaks the prev link instead.
  store.reset();
  netvet::testing::raw_sql(url, "UPDATE audit SET seq = seq - 1 WHERE seq > 3");
  store = Store::open(url).value();
  check = store->verify_audit();
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.bad_seq, 3);
}

// The chain alone cannot show that its newest entries were deleted; a head
// kept outside the database can, and so can it a chain rewritten from an
// entry on (here: the tail deleted and new entries appended to what is left).
TEST_P(StoreTest, AnAnchoredHeadDetectsTheTailDeletedOrRewritten) {
  open_store();
  if (IsSkipped() || HasFatalFailure()) return;
  notify();
  AuditHead head = store->audit_head();
  ASSERT_GT(head.seq, 3);
  EXPECT_EQ(AuditHead::parse(head.to_string())->hash, head.hash);
  EXPECT_TRUE(store->verify_audit({head}).ok);
  notify();  // newer entries than the anchor are fine
  AuditHead later = store->audit_head();
  auto check = store->verify_audit({head, later});
  EXPECT_TRUE(check.ok) << check.problem;

  store.reset();
  netvet::testing::raw_sql(url, "DELETE FROM audit WHERE seq > " + std::to_string(head.seq - 2));
  store = Store::open(url).value();
  EXPECT_TRUE(store->verify_audit().ok) << "without an anchor the shortened chain still verifies";
  check = store->verify_audit({head});
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.bad_seq, head.seq - 1);
  EXPECT_NE(check.problem.find("were deleted"), std::string::npos) << check.problem;

  // Appending to what is left brings the count back, not the anchored entry.
  ASSERT_TRUE(store->audit("mallory", "read", "notification/1", "{}"));
  ASSERT_TRUE(store->audit("mallory", "read", "notification/1", "{}"));
  ASSERT_TRUE(store->verify_audit().ok);
  check = store->verify_audit({head});
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.bad_seq, head.seq);
  EXPECT_NE(check.problem.find("rewritten"), std::string::npos) << check.problem;

  // Heads are read back strictly.
  EXPECT_FALSE(AuditHead::parse("12"));
  EXPECT_FALSE(AuditHead::parse("x:" + head.hash));
  EXPECT_FALSE(AuditHead::parse("12:" + head.hash.substr(1)));
  EXPECT_TRUE(AuditHead::parse("0:"));
}

TEST_P(StoreTest, ConcurrentWritersKeepOneUnbrokenChain) {
  open_store();
  if (IsSkipped() || HasFatalFailure()) return;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) notify();
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(store->notifications("", {0, 100}).size(), 40u);
  auto check = store->verify_audit();
  EXPECT_TRUE(check.ok) << check.problem;
}

// A database an older netvet wrote (schema 1, the network inside the
// notification's row) is migrated with its networks kept, and the job queue
// and the list read them from where they now live.
TEST_P(StoreTest, ASchemaOneDatabaseKeepsItsNetworksWhenMigrated) {
  NETVET_FRESH_DB(GetParam(), u);
  store::Dialect d = GetParam() == "sqlite" ? store::Dialect::kSqlite : store::Dialect::kPostgres;
  netvet::testing::raw_sql(u, "CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version "
                              "VALUES (1);" + store::migrations(d).at(0));
  netvet::testing::raw_sql(
      u, "INSERT INTO notifications (tenant, title, state, jurisdiction, date, network, network_format, created_by, "
         "created_at, updated_at) VALUES ('spark', 'old', 'notified', 'NZ', '2018-11-28', 'netvet: 1 # old', "
         "'yaml', 'op', 1, 1);"
         "INSERT INTO proposals (notification_id, version, text, format, submitted_by, at) "
         "VALUES (1, 1, '', 'yaml', 'op', 1);"
         "INSERT INTO assessments (notification_id, version, status, created_at) VALUES (1, 1, 'queued', 1);");
  auto s = Store::open(u);
  ASSERT_TRUE(s) << s.error().to_string();
  auto net = (*s)->network(1);
  ASSERT_TRUE(net) << net.error().to_string();
  EXPECT_EQ(net->first, "netvet: 1 # old");
  EXPECT_EQ(net->second, "yaml");
  auto list = (*s)->notifications("spark", Page{});
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].title, "old");
  auto job = (*s)->claim_job("w");
  ASSERT_TRUE(job);
  EXPECT_EQ(job->network, "netvet: 1 # old");
  EXPECT_EQ(netvet::testing::raw_column(u, "SELECT max(version) FROM schema_version"),
            std::vector<std::string>{std::to_string(store::migrations(d).size())});
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgresql"),
                         netvet::testing::backend_name);

TEST(Workflow, EveryActionHasOneTransitionAndOnlyTheEngineStartsAssessments) {
  for (const auto& t : transitions()) EXPECT_EQ(&transition_for(t.action), &t);
  EXPECT_TRUE(transition_for(Action::kStartAssessment).roles.empty());
  EXPECT_TRUE(may(transition_for(Action::kDecide), Role::kApprover));
  EXPECT_FALSE(may(transition_for(Action::kDecide), Role::kOperator));
  for (Role r : kAllRoles) EXPECT_EQ(parse_role(role_name(r)), r);
  EXPECT_FALSE(parse_role("minister"));
}

}  // namespace
}  // namespace netvet
