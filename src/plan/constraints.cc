// The what-must-change-together reader (docs/plan.md "What must change
// together"): YAML with file:line:col errors for every problem, not just the first.
#include <yaml-cpp/yaml.h>

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "netvet/plan.h"
#include "yaml_input.h"

namespace netvet {
namespace {

using plan_internal::loc_of;

std::string hint(std::string_view s, const std::vector<std::string_view>& names) {
  auto d = did_you_mean(s, names);
  return d ? fmt::format(" (did you mean \"{}\"?)", *d) : "";
}

void check_keys(const YAML::Node& n, const std::vector<std::string_view>& keys, const std::string& file,
                Diagnostics& diags) {
  for (auto k = n.begin(); k != n.end(); ++k) {
    const std::string key = k->first.as<std::string>();
    if (std::find(keys.begin(), keys.end(), key) == keys.end())
      diags.error(loc_of(file, k->first), fmt::format("unknown key \"{}\"{}", key, hint(key, keys)));
  }
}

// A list of names (or one name), each parsed by `parse`.
template <typename T, typename Parse>
std::vector<T> names(const YAML::Node& n, std::string_view what, Parse parse, const std::vector<std::string_view>& all,
                     const std::string& file, Diagnostics& diags) {
  std::vector<T> out;
  if (!n) return out;
  std::vector<YAML::Node> items;
  if (n.IsScalar()) {
    items.push_back(n);
  } else if (n.IsSequence()) {
    for (const YAML::Node& x : n) items.push_back(x);
  } else {
    diags.error(loc_of(file, n), fmt::format("expected a {} or a list of them", what));
    return out;
  }
  for (const YAML::Node& x : items) {
    const std::string name = x.IsScalar() ? x.as<std::string>() : "";
    if (auto v = parse(name))
      out.push_back(*v);
    else
      diags.error(loc_of(file, x), fmt::format("unknown {} \"{}\"{}", what, name, hint(name, all)));
  }
  return out;
}

ChangeConstraint::Ends read_ends(const YAML::Node& n, const std::string& file, Diagnostics& diags) {
  ChangeConstraint::Ends e;
  if (!n) return e;
  if (!n.IsMap()) {
    diags.error(loc_of(file, n), "expected {function: [...], generation: [...]}");
    return e;
  }
  check_keys(n, {"function", "generation"}, file, diags);
  e.functions = names<Function>(n["function"], "function", parse_function, function_names(), file, diags);
  e.generations = names<Generation>(n["generation"], "generation", parse_generation, generation_names(), file, diags);
  return e;
}

// `waived_for`: [{jurisdiction, why, citation: {instrument, section, url}}], each field required.
std::vector<ChangeConstraint::Waiver> read_waivers(const YAML::Node& n, const std::string& file, Diagnostics& diags) {
  std::vector<ChangeConstraint::Waiver> out;
  if (!n) return out;
  if (!n.IsSequence()) {
    diags.error(loc_of(file, n), "waived_for must be a list of {jurisdiction, why, citation}");
    return out;
  }
  auto text = [&](const YAML::Node& m, const char* key, const SourceLoc& at) {
    const YAML::Node v = m[key];
    if (!v || !v.IsScalar() || v.as<std::string>().empty()) {
      diags.error(v ? loc_of(file, v) : at, fmt::format("a waiver needs `{}`", key));
      return std::string();
    }
    return v.as<std::string>();
  };
  for (const YAML::Node& w : n) {
    if (!w.IsMap()) {
      diags.error(loc_of(file, w), "expected a waiver {jurisdiction, why, citation}");
      continue;
    }
    check_keys(w, {"jurisdiction", "why", "citation"}, file, diags);
    ChangeConstraint::Waiver x;
    x.loc = loc_of(file, w);
    x.jurisdiction = text(w, "jurisdiction", x.loc);
    x.why = text(w, "why", x.loc);
    const YAML::Node c = w["citation"];
    if (!c || !c.IsMap()) {
      diags.error(c ? loc_of(file, c) : x.loc, "a waiver needs citation: {instrument, section, url}");
    } else {
      check_keys(c, {"instrument", "section", "url"}, file, diags);
      const SourceLoc at = loc_of(file, c);
      x.citation.instrument = text(c, "instrument", at);
      x.citation.section = text(c, "section", at);
      x.citation.url = text(c, "url", at);
    }
    out.push_back(std::move(x));
  }
  return out;
}

void read_constraints(const YAML::Node& list, const std::string& file, ChangeConstraints& out, Diagnostics& diags) {
  const std::vector<std::string_view> keys = {"id", "kind", "via", "a", "b", "why", "waived_for"};
  const std::vector<std::string_view> kinds = {"manager", "together"};
  std::set<std::string> ids;
  for (const YAML::Node& n : list) {
    if (!n.IsMap()) {
      diags.error(loc_of(file, n), "expected a constraint {id, kind, via, a, b, why}");
      continue;
    }
    check_keys(n, keys, file, diags);
    ChangeConstraint c;
    c.loc = loc_of(file, n);
    for (const char* required : {"id", "kind", "via", "why"}) {
      const YAML::Node s = n[required];
      if (!s || (std::string_view(required) != "via" && (!s.IsScalar() || s.as<std::string>().empty())))
        diags.error(s ? loc_of(file, s) : c.loc, fmt::format("a constraint needs `{}`", required));
    }
    c.id = n["id"] && n["id"].IsScalar() ? n["id"].as<std::string>() : "";
    if (!c.id.empty() && !ids.insert(c.id).second) diags.error(loc_of(file, n["id"]), "duplicate id \"" + c.id + "\"");
    c.why = n["why"] && n["why"].IsScalar() ? n["why"].as<std::string>() : "";
    if (const YAML::Node k = n["kind"]; k && k.IsScalar()) {
      const std::string kind = k.as<std::string>();
      if (kind == "manager")
        c.kind = ChangeConstraint::Kind::kManager;
      else if (kind == "together")
        c.kind = ChangeConstraint::Kind::kTogether;
      else if (!kind.empty())
        diags.error(loc_of(file, k), fmt::format("kind must be manager or together, not \"{}\"{}", kind, hint(kind, kinds)));
    }
    if (const YAML::Node via = n["via"]; via && via.IsScalar() && via.as<std::string>() == "parent") {
      c.parent = true;
    } else if (via) {
      auto all = interface_names();
      all.push_back("parent");
      c.via = names<Interface>(via, "interface", parse_interface, all, file, diags);
      if (c.via.empty() && !diags.has_errors())
        diags.error(loc_of(file, via), "via: name link interfaces, or parent");
    }
    if (c.kind == ChangeConstraint::Kind::kManager && c.parent)
      diags.error(loc_of(file, n["via"]), "a manager constraint is over links (e.g. via: [mgmt]), not parent");
    c.a = read_ends(n["a"], file, diags);
    c.b = read_ends(n["b"], file, diags);
    c.waived_for = read_waivers(n["waived_for"], file, diags);
    if (!c.waived_for.empty() && c.kind != ChangeConstraint::Kind::kManager)
      diags.error(loc_of(file, n["waived_for"]), "waived_for applies to manager constraints only");
    if (c.kind == ChangeConstraint::Kind::kManager && c.a.functions.empty())
      diags.error(n["a"] ? loc_of(file, n["a"]) : c.loc, "a manager constraint needs a: {function: [...]} (the managers)");
    out.constraints.push_back(std::move(c));
  }
}

}  // namespace

Expected<ChangeConstraints> parse_change_constraints(std::string_view yaml, const std::string& file,
                                                     Diagnostics& diags) {
  auto doc = plan_internal::load_yaml(yaml, file, diags);
  if (!doc) return diags.to_status();
  const YAML::Node& root = *doc;
  ChangeConstraints out;
  out.file = file;
  if (!root.IsMap() || !root["netvet-constraints"] || !root["netvet-constraints"].IsScalar() ||
      root["netvet-constraints"].as<std::string>() != "1") {
    diags.error(root.IsMap() ? loc_of(file, root) : SourceLoc{file, 1, 1, {}},
                "expected a map with netvet-constraints: 1");
    return diags.to_status();
  }
  try {
    check_keys(root, {"netvet-constraints", "constraints"}, file, diags);
    const YAML::Node list = root["constraints"];
    if (!list || !list.IsSequence())
      diags.error(loc_of(file, list ? list : root), "constraints must be a list");
    else
      read_constraints(list, file, out, diags);
  } catch (const YAML::Exception& e) {  // a list or map where a name should be
    diags.error(loc_of(file, e.mark), "expected a name here: " + e.msg);
  }
  if (diags.has_errors()) return diags.to_status();
  return out;
}

}  // namespace netvet
