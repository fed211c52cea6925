// The cost model reader (docs/plan.md "Cost model"): YAML with file:line:col
// errors for every problem, not just the first.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "netvet/plan.h"
#include "yaml_input.h"

namespace netvet {
namespace {

using plan_internal::loc_of;

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

namespace {

// Reads one section: the top level, or a jurisdiction's (which may not name
// vendors, jurisdictions or calibration: those are the file's).
class CostReader {
 public:
  CostReader(const std::string& file, Diagnostics& diags) : file_(file), diags_(diags) {}

  void section(const YAML::Node& root, CostModel& m, CostModel::Override* o, bool top) {
    for (auto it = root.begin(); it != root.end(); ++it) {
      const std::string key = it->first.as<std::string>();
      const YAML::Node v = it->second;
      if (top && key == "netvet-costs") {
        has_version_ = true;
        if (!v.IsScalar() || v.as<std::string>() != "1") diags_.error(loc_of(file_, v), "netvet-costs must be 1");
      } else if (key == "currency") {
        (o ? o->currency : m.currency) = v.as<std::string>();
      } else if (key == "basis") {
        (o ? o->basis : m.basis) = v.as<std::string>();
      } else if (key == "site_visit" || key == "protect_link") {
        // (A conditional of optional<double>& and double& would assign a temporary.)
        if (auto n = number(v, key)) {
          if (o)
            (key == "site_visit" ? o->site_visit : o->protect_link) = *n;
          else
            (key == "site_visit" ? m.site_visit : m.protect_link) = *n;
        }
      } else if (top && key == "move_margin_km") {
        if (auto n = number(v, "move_margin_km")) m.move_margin_km = *n;
      } else if (top && key == "vendors") {
        if (!v.IsMap()) {
          diags_.error(loc_of(file_, v), "vendors must map vendor ids to cost classes");
          continue;
        }
        for (auto e = v.begin(); e != v.end(); ++e)
          m.vendor_class[e->first.as<std::string>()] = e->second.as<std::string>();
      } else if (key == "replace") {
        if (!v.IsMap()) {
          diags_.error(loc_of(file_, v), "replace must map function/domain to {class: cost}");
          continue;
        }
        for (auto e = v.begin(); e != v.end(); ++e) {
          if (!check_key(e->first)) continue;
          if (!e->second.IsMap()) {
            diags_.error(loc_of(file_, e->second), "expected {vendor class: cost}");
            continue;
          }
          auto& row = (o ? o->replace : m.replace)[e->first.as<std::string>()];
          for (auto c = e->second.begin(); c != e->second.end(); ++c)
            if (auto n = number(c->second, "a replacement cost")) row[c->first.as<std::string>()] = *n;
        }
      } else if (key == "remove" || key == "move") {
        if (!v.IsMap()) {
          diags_.error(loc_of(file_, v), key + " must map function/domain to a cost");
          continue;
        }
        auto& dst = key == "remove" ? (o ? o->remove : m.remove) : (o ? o->move : m.move);
        for (auto e = v.begin(); e != v.end(); ++e)
          if (check_key(e->first))
            if (auto n = number(e->second, key + " cost")) dst[e->first.as<std::string>()] = *n;
      } else if (top && key == "jurisdictions") {
        if (!v.IsMap()) {
          diags_.error(loc_of(file_, v), "jurisdictions must map a jurisdiction code to its currency and tables");
          continue;
        }
        for (auto j = v.begin(); j != v.end(); ++j) {
          if (!j->second.IsMap()) {
            diags_.error(loc_of(file_, j->second), "expected {currency, basis, replace, ...}");
            continue;
          }
          section(j->second, m, &m.jurisdictions[j->first.as<std::string>()], false);
        }
      } else if (top && key == "calibration") {
        calibration(v, m);
      } else {
        const std::vector<std::string_view> allowed =
            top ? std::vector<std::string_view>{"netvet-costs", "currency", "basis", "site_visit", "protect_link",
                                                "vendors", "replace", "remove", "move", "move_margin_km",
                                                "jurisdictions", "calibration"}
                : std::vector<std::string_view>{"currency", "basis", "site_visit", "protect_link", "replace",
                                                "remove", "move"};
        std::string msg = fmt::format("unknown key \"{}\"", key);
        if (auto d = did_you_mean(key, allowed)) msg += fmt::format(" (did you mean \"{}\"?)", *d);
        diags_.error(loc_of(file_, it->first), msg);
      }
    }
  }

  bool has_version() const { return has_version_; }

 private:
  void calibration(const YAML::Node& v, CostModel& m) {
    if (!v.IsSequence()) {
      diags_.error(loc_of(file_, v), "calibration must be a list of public totals");
      return;
    }
    const std::vector<std::string_view> keys = {"jurisdiction", "amount",   "currency", "what",
                                               "per",          "per_unit", "source",   "url"};
    for (const YAML::Node& n : v) {
      if (!n.IsMap()) {
        diags_.error(loc_of(file_, n), "expected {jurisdiction, amount, currency, what, source, url}");
        continue;
      }
      CostModel::Calibration c;
      for (auto k = n.begin(); k != n.end(); ++k) {
        const std::string key = k->first.as<std::string>();
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
          std::string msg = fmt::format("unknown key \"{}\"", key);
          if (auto d = did_you_mean(key, keys)) msg += fmt::format(" (did you mean \"{}\"?)", *d);
          diags_.error(loc_of(file_, k->first), msg);
        }
      }
      for (const char* required : {"jurisdiction", "amount", "currency", "what", "source", "url"})
        if (!n[required]) diags_.error(loc_of(file_, n), fmt::format("a calibration needs `{}`", required));
      c.jurisdiction = n["jurisdiction"].as<std::string>("");
      if (n["amount"])
        if (auto a = number(n["amount"], "amount")) c.amount = *a;
      if (n["per"])
        if (auto p = number(n["per"], "per")) c.per = *p;
      c.currency = n["currency"].as<std::string>("");
      c.what = n["what"].as<std::string>("");
      c.per_unit = n["per_unit"].as<std::string>("");
      c.source = n["source"].as<std::string>("");
      c.url = n["url"].as<std::string>("");
      m.calibration.push_back(std::move(c));
    }
  }

  std::optional<double> number(const YAML::Node& n, std::string_view what) {
    try {
      double v = n.as<double>();
      if (v < 0 || !std::isfinite(v)) {
        diags_.error(loc_of(file_, n), fmt::format("{} must be a non-negative number", what));
        return std::nullopt;
      }
      return v;
    } catch (const YAML::Exception&) {
      diags_.error(loc_of(file_, n), fmt::format("{} must be a number", what));
      return std::nullopt;
    }
  }

  bool check_key(const YAML::Node& k) {
    std::string s = k.as<std::string>();
    if (known_key(s)) return true;
    std::string msg = fmt::format("unknown function or domain \"{}\"", s);
    if (auto d = did_you_mean(s, key_names())) msg += fmt::format(" (did you mean \"{}\"?)", *d);
    diags_.error(loc_of(file_, k), msg + "; use a function, a domain or \"*\"");
    return false;
  }

  const std::string& file_;
  Diagnostics& diags_;
  bool has_version_ = false;
};

}  // namespace

CostModel CostModel::for_jurisdiction(std::string_view code) const {
  CostModel m = *this;
  m.jurisdictions.clear();
  auto it = jurisdictions.find(std::string(code));
  if (it == jurisdictions.end()) return m;
  const Override& o = it->second;
  if (!o.currency.empty()) m.currency = o.currency;
  if (!o.basis.empty()) m.basis = o.basis;
  if (o.site_visit) m.site_visit = *o.site_visit;
  if (o.protect_link) m.protect_link = *o.protect_link;
  for (const auto& [k, row] : o.replace) m.replace[k] = row;
  for (const auto& [k, c] : o.remove) m.remove[k] = c;
  for (const auto& [k, c] : o.move) m.move[k] = c;
  return m;
}

Expected<CostModel> parse_cost_model(std::string_view yaml, const std::string& file, Diagnostics& diags) {
  auto doc = plan_internal::load_yaml(yaml, file, diags);
  if (!doc) return diags.to_status();
  const YAML::Node& root = *doc;
  CostModel m;
  m.file = file;
  if (!root.IsMap()) {
    diags.error({file, 1, 1, {}}, "expected a map with netvet-costs: 1");
    return diags.to_status();
  }
  CostReader reader(file, diags);
  try {
    reader.section(root, m, nullptr, true);
  } catch (const YAML::Exception& e) {  // a list or map where a name should be
    diags.error(plan_internal::loc_of(file, e.mark),
                "expected a name or number here: " + e.msg);
  }
  if (!reader.has_version()) diags.error({file, 1, 1, {}}, "missing netvet-costs: 1");
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
