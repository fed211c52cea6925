// PostgreSQL backend of the store's SQL connection, through libpq. Parameters
// go as text (the server infers their types from the statement), `?`
// placeholders become $1, $2, ... Transactions are READ COMMITTED; the store
// serialises what must be serial (audit appends) with an advisory lock.
#include <libpq-fe.h>

#include <string>

#include "sql.h"

namespace netvet::store {
namespace {

// `?` -> `$n`. The store's SQL never has a `?` inside a string literal.
std::string number_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  for (char c : sql) {
    if (c == '?') {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

class PostgresSql final : public Sql {
 public:
  explicit PostgresSql(PGconn* conn) : conn_(conn) {}
  ~PostgresSql() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::kPostgres; }

  Status exec_script(std::string_view sql) override {
    std::string text(sql);
    PGresult* r = PQexec(conn_, text.c_str());
    auto st = PQresultStatus(r);
    Status s;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) s = Status::io(std::string("postgresql: ") + PQerrorMessage(conn_));
    PQclear(r);
    return s;
  }

  std::optional<std::vector<Row>> query(std::string_view sql, const std::vector<Value>& params,
                                        SqlError& error) override {
    std::string text = number_placeholders(sql);
    std::vector<std::string> storage(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      if (auto* n = std::get_if<int64_t>(&params[i])) {
        storage[i] = std::to_string(*n);
        values[i] = storage[i].c_str();
      } else if (auto* s = std::get_if<std::string>(&params[i])) {
        values[i] = s->c_str();
      }
    }
    PGresult* r = PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr, values.data(),
                               nullptr, nullptr, 0);
    auto st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
      std::string code = state ? state : "";
      // 40001 serialization failure, 40P01 deadlock: the transaction may be retried.
      error.retry = code == "40001" || code == "40P01";
      error.message = std::string("postgresql: ") + PQerrorMessage(conn_);
      PQclear(r);
      return std::nullopt;
    }
    std::vector<Row> rows;
    int nrows = PQntuples(r), ncols = PQnfields(r);
    rows.reserve(static_cast<size_t>(nrows));
    for (int i = 0; i < nrows; ++i) {
      Row row(static_cast<size_t>(ncols));
      for (int c = 0; c < ncols; ++c) {
        if (!PQgetisnull(r, i, c))
          row[static_cast<size_t>(c)] = std::string(PQgetvalue(r, i, c), static_cast<size_t>(PQgetlength(r, i, c)));
      }
      rows.push_back(std::move(row));
    }
    PQclear(r);
    return rows;
  }

  Status begin() override { return exec_script("BEGIN"); }
  Status commit() override { return exec_script("COMMIT"); }
  void rollback() override { (void)exec_script("ROLLBACK"); }

 private:
  PGconn* conn_;
};

}  // namespace

std::unique_ptr<Sql> open_postgres(const std::string& conninfo, Status& status) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    status = Status::io(std::string("cannot connect to PostgreSQL: ") + PQerrorMessage(conn));
    PQfinish(conn);
    return nullptr;
  }
  auto sql = std::make_unique<PostgresSql>(conn);
  status = sql->exec_script("SET client_min_messages = warning");
  if (!status) return nullptr;
  return sql;
}

}  // namespace netvet::store
