// The cost model reader (docs/plan.md "Cost model"): YAML with file:line:col
// errors for every problem, not just the first.
#include <yaml-cpp/yaml.h>

#include <cmath>

#include <fmt/format.h>

#include "netvet/plan.h"

namespace netvet {
namespace {

SourceLoc loc_of(const std::string& file, const YAML::Node& n) {
  const YAML::Mark m = n.Mark();
  return {file, static_cast<uint32_t>(m.line + 1), static_cast<uint32_t>(m.column + 1), {}};
}

// Per-component lookups go from the most specific key to the least.
template <typename Map>
auto lookup(const Map& m, Function f) -> const typename Map::mapped_type* {
  for (std::string_view key : {function_name(f), domain_name(function_domain(f)), std::string_view("*")}) {
    auto it = m.find(std::string(key));
    if (it != m.end()) return &it->second;
  }
  return nullptr;
}

bool known_key(std::string_view k) {
  return k == "*" || parse_function(k).has_value() || parse_domain(k).has_value();
}

std::vector<std::string_view> key_names() {
  std::vector<std::string_view> v = function_names();
  for (auto d : domain_names()) v.push_back(d);
  return v;
}

}  // namespace

std::string_view action_kind_name(ActionKind k) {
  switch (k) {
    case ActionKind::kReplace: return "replace";
    case ActionKind::kRemove: return "remove";
    case ActionKind::kMove: return "move";
    case ActionKind::kProtect: return "protect";
  }
  return "?";
}

std::optional<double> CostModel::replace_cost(Function f, std::string_view vendor_class) const {
  // The most specific key that prices this class wins.
  for (std::string_view key : {function_name(f), domain_name(function_domain(f)), std::string_view("*")}) {
    auto it = replace.find(std::string(key));
    if (it == replace.end()) continue;
    auto c = it->second.find(std::string(vendor_class));
    if (c != it->second.end()) return c->second;
  }
  return std::nullopt;
}

std::optional<double> CostModel::remove_cost(Function f) const {
  const double* c = lookup(remove, f);
  return c ? std::optional<double>(*c) : std::nullopt;
}

std::optional<double> CostModel::move_cost(Function f) const {
  const double* c = lookup(move, f);
  return c ? std::optional<double>(*c) : std::nullopt;
}

Expected<CostModel> parse_cost_model(std::string_view yaml, const std::string& file, Diagnostics& diags) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::ParserException& e) {
    diags.error({file, static_cast<uint32_t>(e.mark.line + 1), static_cast<uint32_t>(e.mark.column + 1), {}}, e.msg);
    return diags.to_status();
  }
  CostModel m;
  m.file = file;
  if (!root.IsMap()) {
    diags.error({file, 1, 1, {}}, "expected a map with netvet-costs: 1");
    return diags.to_status();
  }
  auto number = [&](const YAML::Node& n, std::string_view what) -> std::optional<double> {
    try {
      double v = n.as<double>();
      if (v < 0 || !std::isfinite(v)) {
        diags.error(loc_of(file, n), fmt::format("{} must be a non-negative number", what));
        return std::nullopt;
      }
      return v;
    } catch (const YAML::Exception&) {
      diags.error(loc_of(file, n), fmt::format("{} must be a number", what));
      return std::nullopt;
    }
  };
  auto check_key = [&](const YAML::Node& k) {
    std::string s = k.as<std::string>();
    if (known_key(s)) return true;
    std::string msg = fmt::format("unknown function or domain \"{}\"", s);
    if (auto d = did_you_mean(s, key_names())) msg += fmt::format(" (did you mean \"{}\"?)", *d);
    diags.error(loc_of(file, k), msg + "; use a function, a domain or \"*\"");
    return false;
  };
  const std::vector<std::string_view> allowed = {"netvet-costs", "currency", "basis",   "site_visit",
                                                 "protect_link", "vendors",  "replace", "remove",
                                                 "move",         "move_margin_km"};
  bool has_version = false;
  for (auto it = root.begin(); it != root.end(); ++it) {
    const std::string key = it->first.as<std::string>();
    const YAML::Node v = it->second;
    if (key == "netvet-costs") {
      has_version = true;
      if (!v.IsScalar() || v.as<std::string>() != "1") diags.error(loc_of(file, v), "netvet-costs must be 1");
    } else if (key == "currency") {
      m.currency = v.as<std::string>();
    } else if (key == "basis") {
      m.basis = v.as<std::string>();
    } else if (key == "site_visit") {
      if (auto n = number(v, "site_visit")) m.site_visit = *n;
    } else if (key == "protect_link") {
      if (auto n = number(v, "protect_link")) m.protect_link = *n;
    } else if (key == "move_margin_km") {
      if (auto n = number(v, "move_margin_km")) m.move_margin_km = *n;
    } else if (key == "vendors") {
      if (!v.IsMap()) {
        diags.error(loc_of(file, v), "vendors must map vendor ids to cost classes");
        continue;
      }
      for (auto e = v.begin(); e != v.end(); ++e) m.vendor_class[e->first.as<std::string>()] = e->second.as<std::string>();
    } else if (key == "replace") {
      if (!v.IsMap()) {
        diags.error(loc_of(file, v), "replace must map function/domain to {class: cost}");
        continue;
      }
      for (auto e = v.begin(); e != v.end(); ++e) {
        if (!check_key(e->first)) continue;
        if (!e->second.IsMap()) {
          diags.error(loc_of(file, e->second), "expected {vendor class: cost}");
          continue;
        }
        auto& row = m.replace[e->first.as<std::string>()];
        for (auto c = e->second.begin(); c != e->second.end(); ++c)
          if (auto n = number(c->second, "a replacement cost")) row[c->first.as<std::string>()] = *n;
      }
    } else if (key == "remove" || key == "move") {
      if (!v.IsMap()) {
        diags.error(loc_of(file, v), key + " must map function/domain to a cost");
        continue;
      }
      auto& dst = key == "remove" ? m.remove : m.move;
      for (auto e = v.begin(); e != v.end(); ++e)
        if (check_key(e->first))
          if (auto n = number(e->second, key + " cost")) dst[e->first.as<std::string>()] = *n;
    } else {
      std::string msg = fmt::format("unknown key \"{}\"", key);
      if (auto d = did_you_mean(key, allowed)) msg += fmt::format(" (did you mean \"{}\"?)", *d);
      diags.error(loc_of(file, it->first), msg);
    }
  }
  if (!has_version) diags.error({file, 1, 1, {}}, "missing netvet-costs: 1");
  // Every class a replacement cost names should be some vendor's class, or it prices nothing.
  for (const auto& [vendor, cls] : m.vendor_class) {
    bool priced = false;
    for (const auto& [k, row] : m.replace) priced = priced || row.count(cls);
    if (!priced) diags.warning({file, 0, 0, {}}, fmt::format("vendor class \"{}\" ({}) has no replacement cost", cls, vendor));
  }
  if (diags.has_errors()) return diags.to_status();
  return m;
}

}  // namespace netvet
