// SQLite backend of the store's SQL connection: WAL (readers never wait for
// the writer), a busy timeout instead of immediate failure, and foreign keys on.
#include <sqlite3.h>

#include "sql.h"

namespace netvet::store {
namespace {

class SqliteSql final : public Sql {
 public:
  explicit SqliteSql(sqlite3* db) : db_(db) {}
  ~SqliteSql() override { sqlite3_close_v2(db_); }

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
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
      return fail(error, nullptr);
    }
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1);
      if (auto* n = std::get_if<int64_t>(&params[i])) {
        sqlite3_bind_int64(stmt, idx, *n);
      } else if (auto* s = std::get_if<std::string>(&params[i])) {
        sqlite3_bind_text(stmt, idx, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
      } else {
        sqlite3_bind_null(stmt, idx);
      }
    }
    std::vector<Row> rows;
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return fail(error, stmt);
      int n = sqlite3_column_count(stmt);
      Row row(static_cast<size_t>(n));
      for (int c = 0; c < n; ++c) {
        if (sqlite3_column_type(stmt, c) == SQLITE_NULL) continue;
        auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        row[static_cast<size_t>(c)] = std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt, c)));
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
    return rows;
  }

  Status begin() override { return exec_script("BEGIN IMMEDIATE"); }
  Status commit() override { return exec_script("COMMIT"); }
  void rollback() override { (void)exec_script("ROLLBACK"); }

 private:
  std::optional<std::vector<Row>> fail(SqlError& error, sqlite3_stmt* stmt) {
    int code = sqlite3_extended_errcode(db_) & 0xff;
    error.retry = code == SQLITE_BUSY || code == SQLITE_LOCKED;
    error.message = std::string("sqlite: ") + sqlite3_errmsg(db_);
    if (stmt) sqlite3_finalize(stmt);
    return std::nullopt;
  }
  sqlite3* db_;
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
