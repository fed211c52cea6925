// Private to plan/: reading the planner's YAML inputs (the cost model, the
// vendor portfolios) with file:line:column on every problem.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>

#include "netvet/common.h"

namespace netvet::plan_internal {

inline SourceLoc loc_of(const std::string& file, const YAML::Mark& m) {
  return {file, static_cast<uint32_t>(m.line + 1), static_cast<uint32_t>(m.column + 1), {}};
}
inline SourceLoc loc_of(const std::string& file, const YAML::Node& n) { return loc_of(file, n.Mark()); }

// The document, or nullopt with the parser's error at its location.
inline std::optional<YAML::Node> load_yaml(std::string_view text, const std::string& file, Diagnostics& diags) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::ParserException& e) {
    diags.error(loc_of(file, e.mark), e.msg);
    return std::nullopt;
  }
}

}  // namespace netvet::plan_internal
