// `netvet admin` (users and tokens) and `netvet audit` (verify and read the
// audit log): what an administrator runs on the server's machine, straight
// against the store, before and beside `netvet serve`.
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "commands.h"
#include "netvet/store.h"

namespace netvet::cli {
namespace {

constexpr const char* kDbHelp =
    "The service's database: a SQLite file (default ./netvet.db) or postgresql://user@host/db";

std::unique_ptr<Store> open_or_report(const std::string& db, const std::string& who) {
  auto store = Store::open(db, StoreOptions{1, {}});
  if (!store) {
    std::cerr << "netvet " << who << ": error: " << store.error().to_string() << "\n";
    return nullptr;
  }
  return std::move(*store);
}

struct UserArgs {
  std::string db = "netvet.db", name, role, tenant, clearance = "UNCLASSIFIED";
  bool password_stdin = false;
};

int add_user(const UserArgs& a) {
  auto role = parse_role(a.role);
  if (!role) {
    std::cerr << "netvet admin user add: error: --role: unknown role \"" << a.role
              << "\" (expected operator, assessor, approver, reviewer, auditor or admin)\n";
    return kExitBadInput;
  }
  auto clearance = parse_classification(a.clearance);
  if (!clearance) {
    std::cerr << "netvet admin user add: error: --clearance: unknown level \"" << a.clearance
              << "\" (expected UNCLASSIFIED, RESTRICTED, CONFIDENTIAL, SECRET or TOP-SECRET)\n";
    return kExitBadInput;
  }
  NewUser u{a.name, *role, a.tenant, *clearance, ""};
  if (a.password_stdin && !std::getline(std::cin, u.password)) {
    std::cerr << "netvet admin user add: error: --password-stdin: no password on stdin\n";
    return kExitBadInput;
  }
  auto store = open_or_report(a.db, "admin user add");
  if (!store) return kExitBadInput;
  auto issued = store->add_user(u, "admin-cli");
  if (!issued) {
    std::cerr << "netvet admin user add: error: " << issued.error().to_string() << "\n";
    return kExitBadInput;
  }
  std::cerr << "netvet: user " << u.name << " (" << role_name(u.role) << ", tenant " << u.tenant << ", "
            << classification_name(u.clearance) << ") added; its API token follows. It is shown only now.\n";
  std::cout << issued->token << "\n";
  return kExitOk;
}

}  // namespace

void register_admin(CLI::App& app, Globals&, int& exit_code) {
  auto* admin = app.add_subcommand("admin", "Manage the service's users and API tokens (netvet serve)");
  admin->require_subcommand(1);
  auto* user = admin->add_subcommand("user", "Users: add, list");
  user->require_subcommand(1);

  auto args = std::make_shared<UserArgs>();
  auto* add = user->add_subcommand("add", "Add a user and print its API token (once)");
  add->add_option("--db", args->db, kDbHelp)->capture_default_str();
  add->add_option("--name", args->name, "Login name, unique")->required();
  add->add_option("--role", args->role, "operator, assessor, approver, reviewer, auditor or admin")->required();
  add->add_option("--tenant", args->tenant, "Organisation: an operator sees only its own tenant's notifications")
      ->required();
  add->add_option("--clearance", args->clearance, "UNCLASSIFIED ... TOP-SECRET: the most this user may read")
      ->capture_default_str();
  add->add_flag("--password-stdin", args->password_stdin,
                "Also set a password (argon2id), read from the first line of stdin, for POST /api/v1/sessions");
  add->callback([&exit_code, args] { exit_code = add_user(*args); });

  auto list_db = std::make_shared<std::string>("netvet.db");
  auto* list = user->add_subcommand("list", "List users: name, role, tenant, clearance");
  list->add_option("--db", *list_db, kDbHelp)->capture_default_str();
  list->callback([&exit_code, list_db] {
    auto store = open_or_report(*list_db, "admin user list");
    if (!store) {
      exit_code = kExitBadInput;
      return;
    }
    for (const auto& u : store->users())
      std::cout << u.name << "\t" << role_name(u.role) << "\t" << u.tenant << "\t" << classification_name(u.clearance)
                << "\n";
    exit_code = kExitOk;
  });

  auto token_args = std::make_shared<UserArgs>();
  auto* token = admin->add_subcommand("token", "Issue another API token for an existing user (printed once)");
  token->add_option("--db", token_args->db, kDbHelp)->capture_default_str();
  token->add_option("--name", token_args->name, "The user")->required();
  token->callback([&exit_code, token_args] {
    auto store = open_or_report(token_args->db, "admin token");
    if (!store) {
      exit_code = kExitBadInput;
      return;
    }
    auto issued = store->issue_token(token_args->name, "admin-cli");
    if (!issued) {
      std::cerr << "netvet admin token: error: " << issued.error().to_string() << "\n";
      exit_code = kExitBadInput;
      return;
    }
    std::cout << issued->token << "\n";
    exit_code = kExitOk;
  });
}

void register_audit(CLI::App& app, Globals&, int& exit_code) {
  auto* audit = app.add_subcommand("audit", "Check and read the service's hash-chained audit log");
  audit->require_subcommand(1);
  auto db = std::make_shared<std::string>("netvet.db");
  auto heads = std::make_shared<std::vector<std::string>>();
  auto anchor_files = std::make_shared<std::vector<std::string>>();
  auto* verify = audit->add_subcommand(
      "verify", "Recompute the hash chain; exit 0 when intact, 1 naming the first entry that was edited or removed");
  verify->add_option("--db", *db, kDbHelp)->capture_default_str();
  verify->add_option("--expect-head", *heads,
                     "A head printed earlier by `netvet audit head` (SEQ:HASH): the log must still hold that entry, "
                     "so deleting the newest entries is detected (repeatable)");
  verify->add_option("--anchors", *anchor_files,
                     "A file of heads, one SEQ:HASH a line (e.g. `netvet audit head >> FILE` from cron), each checked "
                     "as --expect-head")
      ->check(CLI::ExistingFile);
  verify->footer(R"(
The chain alone cannot show that its newest entries were deleted (what is left
still verifies). Keep the head outside the database and check against it:
  netvet audit head --db netvet.db >> /elsewhere/netvet-anchors     # e.g. hourly
  netvet audit verify --db netvet.db --anchors /elsewhere/netvet-anchors)");
  verify->callback([&exit_code, db, heads, anchor_files] {
    std::vector<AuditHead> anchors;
    std::vector<std::pair<std::string, std::string>> texts;  // where, text
    for (const auto& h : *heads) texts.emplace_back("--expect-head", h);
    for (const auto& f : *anchor_files) {
      std::ifstream in(f);
      std::string line;
      for (int n = 1; std::getline(in, line); ++n)
        if (line.find_first_not_of(" \t\r") != std::string::npos) texts.emplace_back(f + ":" + std::to_string(n), line);
    }
    for (const auto& [where, text] : texts) {
      auto h = AuditHead::parse(text);
      if (!h) {
        std::cerr << "netvet audit verify: error: " << where << ": \"" << text
                  << "\" is not a head SEQ:HASH (as `netvet audit head` prints it)\n";
        exit_code = kExitBadInput;
        return;
      }
      anchors.push_back(*h);
    }
    auto store = open_or_report(*db, "audit verify");
    if (!store) {
      exit_code = kExitBadInput;
      return;
    }
    auto check = store->verify_audit(anchors);
    if (check.ok) {
      std::cout << "audit log intact: " << check.entries << " entries\n";
      exit_code = kExitOk;
    } else {
      std::cout << "audit log BROKEN at entry " << check.bad_seq << ": " << check.problem << " (" << check.entries
                << " entries before it verify)\n";
      exit_code = kExitRisk;
    }
  });
  auto head_db = std::make_shared<std::string>("netvet.db");
  auto* head = audit->add_subcommand(
      "head", "Print the newest entry as SEQ:HASH, to keep outside the database for `audit verify --expect-head`");
  head->add_option("--db", *head_db, kDbHelp)->capture_default_str();
  head->callback([&exit_code, head_db] {
    auto store = open_or_report(*head_db, "audit head");
    if (!store) {
      exit_code = kExitBadInput;
      return;
    }
    std::cout << store->audit_head().to_string() << "\n";
    exit_code = kExitOk;
  });
  auto log_db = std::make_shared<std::string>("netvet.db");
  auto* log = audit->add_subcommand("log", "Print the audit log, one entry a line: seq, time, actor, action, subject, detail");
  log->add_option("--db", *log_db, kDbHelp)->capture_default_str();
  log->callback([&exit_code, log_db] {
    auto store = open_or_report(*log_db, "audit log");
    if (!store) {
      exit_code = kExitBadInput;
      return;
    }
    for (Page p{0, 1000};;) {
      auto entries = store->audit_log(p);
      if (entries.empty()) break;
      for (const auto& e : entries) {
        std::cout << e.seq << "\t" << e.at << "\t" << e.actor << "\t" << e.action << "\t" << e.subject << "\t"
                  << e.detail << "\n";
        p.after = e.seq;
      }
    }
    exit_code = kExitOk;
  });
}

}  // namespace netvet::cli
