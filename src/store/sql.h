// The one thing the store needs from a database: run SQL with parameters and
// read rows as text, inside transactions. SQLite and PostgreSQL each implement
// it in one file; every table, query and rule of the store is written once
// above it (store.cc), so both backends behave the same and one test suite
// covers both.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "netvet/common.h"

namespace netvet::store {

enum class Dialect : uint8_t { kSqlite, kPostgres };

// A bound parameter: NULL, an integer or text.
using Value = std::variant<std::nullptr_t, int64_t, std::string>;
// A result row: each column as text (NULL is nullopt).
using Row = std::vector<std::optional<std::string>>;

// Why a statement failed matters to the caller only in one case: another
// writer got there first (SQLite busy, PostgreSQL serialization or deadlock),
// and the whole transaction should be tried again.
struct SqlError {
  bool retry = false;
  std::string message;
};

class Sql {
 public:
  virtual ~Sql() = default;
  virtual Dialect dialect() const = 0;
  // Runs SQL text that may hold several statements and no parameters.
  virtual Status exec_script(std::string_view sql) = 0;
  // Runs one statement with `?` placeholders; returns its rows. On failure
  // returns nullopt and fills `error`.
  virtual std::optional<std::vector<Row>> query(std::string_view sql, const std::vector<Value>& params,
                                                SqlError& error) = 0;
  // A write transaction. SQLite takes the write lock at begin (BEGIN IMMEDIATE),
  // so two writers never deadlock half-way.
  virtual Status begin() = 0;
  virtual Status commit() = 0;
  virtual void rollback() = 0;
};

// The schema's migrations, oldest first, in a dialect (for a test that builds
// a database as an older netvet left it).
std::vector<std::string> migrations(Dialect d);

std::unique_ptr<Sql> open_sqlite(const std::string& path, Status& status);
std::unique_ptr<Sql> open_postgres(const std::string& conninfo, Status& status);

}  // namespace netvet::store
