// Test databases for the store and server tests: a fresh SQLite file, and a
// fresh PostgreSQL schema when NETVET_TEST_PG names a server
// (postgresql://...; scripts/test-postgres.sh starts one). Without it the
// PostgreSQL variants skip and say so; CI sets it, so there they run.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "sql.h"

namespace netvet::testing {

inline std::string fresh_sqlite_path() {
  static std::atomic<int> n{0};
  auto dir = std::filesystem::temp_directory_path() /
             ("netvet-store-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return (dir / "netvet.db").string();
}

// A URL whose connections all use a new, empty schema; "" when no server is configured.
inline std::string fresh_postgres_url() {
  const char* base = std::getenv("NETVET_TEST_PG");
  if (!base || !*base) return "";
  static std::atomic<int> n{0};
  std::string schema = "t" + std::to_string(::getpid()) + "_" + std::to_string(n++);
  Status st;
  auto sql = store::open_postgres(base, st);
  if (!sql) return "";
  if (!sql->exec_script("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema)) return "";
  std::string url = base;
  url += (url.find('?') == std::string::npos ? "?" : "&");
  url += "options=-csearch_path%3D" + schema;
  return url;
}

// A fresh database of the named backend, or skips the test with the reason.
#define NETVET_FRESH_DB(backend, url_var)                                                              \
  std::string url_var = (backend) == "sqlite" ? ::netvet::testing::fresh_sqlite_path()                 \
                                              : ::netvet::testing::fresh_postgres_url();               \
  if (url_var.empty())                                                                                 \
    GTEST_SKIP() << "no PostgreSQL: set NETVET_TEST_PG=postgresql://... (scripts/test-postgres.sh start " \
                    "prints one); CI does"

// Runs raw SQL against a test database (to tamper with it, as an attacker would).
inline void raw_sql(const std::string& url, const std::string& text) {
  Status st;
  auto sql = url.rfind("postgres", 0) == 0 ? store::open_postgres(url, st) : store::open_sqlite(url, st);
  ASSERT_TRUE(sql) << st.to_string();
  ASSERT_TRUE(sql->exec_script(text)) << text;
}

// The first column of every row a query returns.
inline std::vector<std::string> raw_column(const std::string& url, const std::string& text) {
  Status st;
  auto sql = url.rfind("postgres", 0) == 0 ? store::open_postgres(url, st) : store::open_sqlite(url, st);
  std::vector<std::string> out;
  if (!sql) return out;
  store::SqlError err;
  if (auto rows = sql->query(text, {}, err))
    for (auto& r : *rows) out.push_back(r[0].value_or(""));
  return out;
}

inline std::string backend_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace netvet::testing
