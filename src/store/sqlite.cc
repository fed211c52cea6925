// SQLite backend of the store's SQL connection: WAL (readers never wait for
// the writer), a busy timeout instead of immediate failure, and foreign keys on.
// Each connection keeps its statements prepared: the store runs a few dozen
// fixed SQL texts, and parsing one again costs as much as a short query.
#include <sqlite3.h>

#include <unordered_map>

#include "sql.h"

namespace netvet::store {
namespace {

class SqliteSql final : public Sql {
 public:
  explicit SqliteSql(sqlite3* db) : db_(db) {}
  ~SqliteSql() override {
    for (auto& [text, stmt] : prepared_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  Status exec_script(std::string_view sql) override {
    std::string text(sql);
    char* err = nullptr;
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string message = err ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      return Status::io("sqlite: " + message);
    }
    return {};
  }

  std::optional<std::vector<Row>> query(std::string_view sql, const std::vector<Value>& params,
                                        SqlError& error) override {
    sqlite3_stmt* stmt = prepare(sql);
    if (!stmt) return fail(error);
    // Reset however this ends (a row that fails to copy throws), so the cached
    // statement never keeps a read snapshot open.
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1);
      if (auto* n = std::get_if<int64_t>(&params[i])) {
        sqlite3_bind_int64(stmt, idx, *n);
      } else if (auto* s = std::get_if<std::string>(&params[i])) {
        // STATIC: params outlive the statement's run, and a network can be tens of MB.
        sqlite3_bind_text(stmt, idx, s->data(), static_cast<int>(s->size()), SQLITE_STATIC);
      } else {
        sqlite3_bind_null(stmt, idx);
      }
    }
    std::vector<Row> rows;
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return fail(error);
      int n = sqlite3_column_count(stmt);
      Row row(static_cast<size_t>(n));
      for (int c = 0; c < n; ++c) {
        if (sqlite3_column_type(stmt, c) == SQLITE_NULL) continue;
        auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        row[static_cast<size_t>(c)] = std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt, c)));
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  Status begin() override { return exec_script("BEGIN IMMEDIATE"); }
  Status commit() override { return exec_script("COMMIT"); }
  void rollback() override { (void)exec_script("ROLLBACK"); }

 private:
  // The connection's statement for this text, prepared once (never shared
  // between connections: a connection is leased to one thread at a time).
  sqlite3_stmt* prepare(std::string_view sql) {
    auto it = prepared_.find(std::string(sql));
    if (it != prepared_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                           nullptr) != SQLITE_OK) {
      sqlite3_finalize(stmt);
      return nullptr;
    }
    prepared_.emplace(std::string(sql), stmt);
    return stmt;
  }
  std::optional<std::vector<Row>> fail(SqlError& error) {
    int code = sqlite3_extended_errcode(db_) & 0xff;
    error.retry = code == SQLITE_BUSY || code == SQLITE_LOCKED;
    error.message = std::string("sqlite: ") + sqlite3_errmsg(db_);
    return std::nullopt;
  }
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> prepared_;
};

}  // namespace

std::unique_ptr<Sql> open_sqlite(const std::string& path, Status& status) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    status = Status::io("cannot open SQLite database " + path + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
    sqlite3_close_v2(db);
    return nullptr;
  }
  sqlite3_busy_timeout(db, 10000);
  auto sql = std::make_unique<SqliteSql>(db);
  // synchronous=FULL: an acknowledged write survives a power cut, not only a crash.
  status = sql->exec_script("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
  if (!status) return nullptr;
  return sql;
}

}  // namespace netvet::store
