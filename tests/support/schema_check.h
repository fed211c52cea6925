// Test helper: validates JSON files against a JSON Schema with Debian's
// python3-jsonschema (local $ref files resolved from the schema's folder).
// validate_json returns nullopt when the module is missing so tests can skip.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace netvet {
namespace {

inline std::string slurp_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// ---------------------------------------------------------------------------
// JSON Schema validation through Debian's python3-jsonschema (skips without it).

const char* kValidator = R"PY(
import json, os, sys
try:
    import jsonschema
except ImportError:
    print("NO_JSONSCHEMA"); sys.exit(0)
schema_path = sys.argv[1]
schema = json.load(open(schema_path))
store = {}
d = os.path.dirname(schema_path)
for f in os.listdir(d):
    if f.endswith(".json"):
        try:
            s = json.load(open(os.path.join(d, f)))
        except Exception:
            continue
        store[f] = s
        if isinstance(s, dict):
            for k in ("$id", "id"):  # draft-04 schemas (SARIF) say "id"
                if isinstance(s.get(k), str):
                    store[s[k]] = s
                    store[s[k].rstrip("#")] = s
cls = jsonschema.validators.validator_for(schema)
resolver = jsonschema.RefResolver(base_uri=schema.get("$id", schema.get("id", "")), referrer=schema, store=store)
v = cls(schema, resolver=resolver)
for path in sys.argv[2:]:
    try:
        doc = json.load(open(path))
        errs = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
        print(("OK " if not errs else "FAIL ") + path + ("" if not errs else ": " + errs[0].message[:200]))
    except Exception as e:
        print("FAIL " + path + ": " + str(e)[:200])
)PY";

// Returns path -> "" (valid) or the first error; nullopt when python3-jsonschema is missing.
std::optional<std::map<std::string, std::string>> validate_json(const std::string& schema,
                                                                const std::vector<std::string>& files) {
  if (!std::filesystem::exists("/usr/bin/python3")) return std::nullopt;
  auto dir = std::filesystem::temp_directory_path() / ("netvet-schema-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "v.py") << kValidator;
  std::string cmd = "/usr/bin/python3 " + (dir / "v.py").string() + " '" + schema + "'";
  for (const auto& f : files) cmd += " '" + f + "'";
  cmd += " > " + (dir / "out.txt").string() + " 2>&1";
  int rc = std::system(cmd.c_str());
  std::string out = slurp_file((dir / "out.txt").string());
  std::filesystem::remove_all(dir);
  if (out.find("NO_JSONSCHEMA") != std::string::npos) return std::nullopt;
  EXPECT_EQ(rc, 0) << out;
  std::map<std::string, std::string> res;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("OK ", 0) == 0) res[line.substr(3)] = "";
    if (line.rfind("FAIL ", 0) == 0) {
      auto rest = line.substr(5);
      auto colon = rest.find(": ");
      res[rest.substr(0, colon)] = colon == std::string::npos ? "invalid" : rest.substr(colon + 2);
    }
  }
  return res;
}

}  // namespace
}  // namespace netvet
