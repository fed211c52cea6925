// Shared by the rule kinds: param readers and checkers, and the wording helpers.
#include "kinds/kinds.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <unordered_map>

namespace netvet::policy {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<double> to_number(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (!s.empty() && s.back() == '%') s.remove_suffix(1);  // "35%" reads as 35
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::optional<bool> to_bool(std::string_view s) {
  if (iequals(s, "true") || iequals(s, "yes") || s == "1") return true;
  if (iequals(s, "false") || iequals(s, "no") || s == "0") return false;
  return std::nullopt;
}

std::string_view type_name(ParamType t) {
  switch (t) {
    case ParamType::kNumber:
      return "a number";
    case ParamType::kString:
      return "a string";
    case ParamType::kList:
      return "a list of strings";
    case ParamType::kSelector:
      return "a selector (a map of field: values)";
    case ParamType::kBool:
      return "true or false";
    case ParamType::kDate:
      return "a date (YYYY-MM-DD)";
  }
  return "a value";
}

}  // namespace

const ParamValue* find_param(const RuleSpec& rule, std::string_view name) {
  auto it = rule.params.find(std::string(name));
  return it == rule.params.end() ? nullptr : &it->second;
}

std::optional<double> param_number(const RuleSpec& rule, std::string_view name) {
  const ParamValue* p = find_param(rule, name);
  if (!p) return std::nullopt;
  if (auto* d = std::get_if<double>(p)) return std::isfinite(*d) ? std::optional<double>(*d) : std::nullopt;
  if (auto* s = std::get_if<std::string>(p)) return to_number(*s);
  return std::nullopt;
}

std::optional<std::string> param_string(const RuleSpec& rule, std::string_view name) {
  const ParamValue* p = find_param(rule, name);
  if (!p) return std::nullopt;
  if (auto* s = std::get_if<std::string>(p)) return *s;
  return std::nullopt;
}

std::optional<std::vector<std::string>> param_list(const RuleSpec& rule, std::string_view name) {
  const ParamValue* p = find_param(rule, name);
  if (!p) return std::nullopt;
  if (auto* l = std::get_if<std::vector<std::string>>(p)) return *l;
  if (auto* s = std::get_if<std::string>(p)) return std::vector<std::string>{*s};
  return std::nullopt;
}

const Selector* param_selector(const RuleSpec& rule, std::string_view name) {
  const ParamValue* p = find_param(rule, name);
  return p ? std::get_if<Selector>(p) : nullptr;
}

std::optional<bool> param_bool(const RuleSpec& rule, std::string_view name) {
  const ParamValue* p = find_param(rule, name);
  if (!p) return std::nullopt;
  if (auto* s = std::get_if<std::string>(p)) return to_bool(*s);
  if (auto* d = std::get_if<double>(p)) {
    if (*d == 0) return false;
    if (*d == 1) return true;
  }
  return std::nullopt;
}

std::optional<Date> param_date(const RuleSpec& rule, std::string_view name) {
  auto s = param_string(rule, name);
  return s ? Date::parse(*s) : std::nullopt;
}

SourceLoc param_loc(const RuleSpec& rule, std::string_view name) {
  auto it = rule.param_locs.find(std::string(name));
  return it == rule.param_locs.end() ? rule.loc : it->second;
}

void check_params(const RuleSpec& rule, const std::vector<ParamSpec>& specs, Diagnostics& diags) {
  std::vector<std::string_view> names;
  for (const auto& s : specs) names.push_back(s.name);
  for (const auto& [name, value] : rule.params) {
    if (std::find(names.begin(), names.end(), name) != names.end()) continue;
    std::string msg = "unknown param \"" + name + "\" for rule kind " + rule.kind;
    if (auto dym = did_you_mean(name, names)) {
      msg += " (did you mean \"" + *dym + "\"?)";
    } else if (names.empty()) {
      msg += " (it takes no params)";
    } else {
      msg += " (expected one of:";
      for (auto n : names) msg += " " + std::string(n);
      msg += ")";
    }
    diags.error(param_loc(rule, name), msg);
  }
  for (const auto& spec : specs) {
    const ParamValue* p = find_param(rule, spec.name);
    const SourceLoc loc = param_loc(rule, spec.name);
    const std::string what = "param \"" + std::string(spec.name) + "\" of rule " + rule.id;
    if (!p) {
      if (spec.required) diags.error(rule.loc, "missing " + what + " (" + std::string(type_name(spec.type)) + ")");
      continue;
    }
    auto bad_type = [&] { diags.error(loc, what + " must be " + std::string(type_name(spec.type))); };
    auto check_choice = [&](const std::string& v) {
      if (spec.choices.empty()) return;
      if (std::any_of(spec.choices.begin(), spec.choices.end(), [&](std::string_view c) { return iequals(c, v); })) {
        return;
      }
      std::string msg = what + ": unknown value \"" + v + "\"";
      if (auto dym = did_you_mean(v, spec.choices)) {
        msg += " (did you mean \"" + *dym + "\"?)";
      } else {
        msg += " (expected one of:";
        for (auto c : spec.choices) msg += " " + std::string(c);
        msg += ")";
      }
      diags.error(loc, msg);
    };
    switch (spec.type) {
      case ParamType::kNumber: {
        auto v = param_number(rule, spec.name);
        if (!v) {
          bad_type();
        } else if (*v < spec.min || *v > spec.max) {
          diags.error(
              loc, what + " is " + fmt_number(*v) + ", outside " + fmt_number(spec.min) + ".." + fmt_number(spec.max));
        }
        break;
      }
      case ParamType::kString: {
        auto v = param_string(rule, spec.name);
        if (!v) {
          bad_type();
        } else {
          check_choice(*v);
        }
        break;
      }
      case ParamType::kList: {
        auto v = param_list(rule, spec.name);
        if (!v) {
          bad_type();
        } else {
          for (const auto& item : *v) check_choice(item);
        }
        break;
      }
      case ParamType::kSelector: {
        const Selector* s = param_selector(rule, spec.name);
        if (!s) {
          bad_type();
        } else {
          validate_selector(*s, loc, diags);
        }
        break;
      }
      case ParamType::kBool:
        if (!param_bool(rule, spec.name)) bad_type();
        break;
      case ParamType::kDate: {
        auto s = param_string(rule, spec.name);
        if (!s) {
          bad_type();
        } else if (!Date::parse(*s)) {
          diags.error(loc, what + ": \"" + *s + "\" is not a date (expected YYYY-MM-DD)");
        }
        break;
      }
    }
  }
}

std::string plural(uint64_t n, std::string_view one, std::string_view many) {
  std::string out = std::to_string(n) + " ";
  if (n == 1) return out + std::string(one);
  return out + (many.empty() ? std::string(one) + "s" : std::string(many));
}

std::string fmt_number(double value) {
  char buf[64];
  if (std::abs(value) >= 1e15 || value == std::floor(value)) {
    std::snprintf(buf, sizeof buf, "%.0f", value);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f", value);
    std::string s = buf;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }
  return buf;
}

std::string percent(double value) {
  // One decimal is what caps are argued over ("35%" vs "35.4%"); drop it when whole.
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f", value);
  std::string s = buf;
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s + "%";
}

std::string vendor_display(const EvalContext& ctx, ComponentIdx c) {
  uint32_t v = c < ctx.vendors.vendor.size() ? ctx.vendors.vendor[c] : kNone;
  if (v != kNone && v < ctx.kb.vendors.size()) {
    const Vendor& kv = ctx.kb.vendors[v];
    return kv.name.empty() ? kv.id : kv.name;
  }
  std::string_view raw = ctx.net.str(ctx.net.components.vendor[c]);
  return raw.empty() ? "unspecified vendor" : std::string(raw);
}

nlohmann::ordered_json vendor_counts(const EvalContext& ctx, std::span<const ComponentIdx> comps) {
  std::map<std::string, uint64_t> counts;
  for (ComponentIdx c : comps) ++counts[vendor_display(ctx, c)];
  std::vector<std::pair<std::string, uint64_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  auto out = nlohmann::ordered_json::object();
  for (const auto& [name, n] : sorted) out[name] = n;
  return out;
}

std::string join_and(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

namespace {

// How an operator's engineer names a part of the network.
std::string_view domain_words(Domain d) {
  switch (d) {
    case Domain::kRan:
      return "the radio access network";
    case Domain::kFixedAccess:
      return "the full-fibre access network";
    case Domain::kTransport:
      return "transport";
    case Domain::kCore5g:
      return "the 5G core";
    case Domain::kCore4g:
      return "the 4G core";
    case Domain::kManagement:
      return "network management";
    case Domain::kLawfulIntercept:
      return "lawful interception";
    case Domain::kShared:
      return "shared services";
    case Domain::kVirtualisation:
      return "the virtualisation layer";
    case Domain::kCustomer:
      return "customer equipment";
    case Domain::kSurveillance:
      return "video surveillance";
  }
  return "the network";
}

}  // namespace

void Placement::add(const Network& net, ComponentIdx c) {
  const Domain d = function_domain(net.components.function[c]);
  ++domains[static_cast<size_t>(d)];
  if (d != Domain::kRan) return;
  const Generation g = net.components.generation[c];
  ran_5g += g == Generation::k5gNsa || g == Generation::k5gSa;
  ran_4g += g == Generation::k4g;
}

std::string Placement::words() const {
  std::vector<std::pair<size_t, uint64_t>> sorted;
  for (size_t d = 0; d < domains.size(); ++d)
    if (domains[d]) sorted.emplace_back(d, domains[d]);
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<std::string> names;
  for (size_t i = 0; i < sorted.size() && i < 2; ++i) {
    const auto d = static_cast<Domain>(sorted[i].first);
    const uint64_t ran = domains[static_cast<size_t>(Domain::kRan)];
    // The UK caps 5G access, not 4G: say which radio access network when all of it is one generation.
    if (d == Domain::kRan && (ran_5g == ran || ran_4g == ran)) {
      names.push_back(ran_5g == ran ? "the 5G radio access network" : "the 4G radio access network");
    } else {
      names.emplace_back(domain_words(d));
    }
  }
  if (sorted.size() > 2) names.push_back(plural(sorted.size() - 2, "other part") + " of the network");
  return names.empty() ? std::string("the network") : join_and(names);
}

void Equipment::add(const EvalContext& ctx, std::span<const ComponentIdx> comps) {
  for (ComponentIdx c : comps) {
    ++vendors_[vendor_display(ctx, c)];
    placement_.add(ctx.net, c);
    ids_.push_back(ctx.net.component_id(c));
  }
}

std::string Equipment::vendors(bool possessive) const {
  std::vector<std::pair<std::string, uint64_t>> sorted(vendors_.begin(), vendors_.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<std::string> names;
  for (size_t i = 0; i < sorted.size() && i < 2; ++i) names.push_back(sorted[i].first);
  // "A, B and 1 other vendor's equipment": the possessive keeps "equipment" after the list.
  if (sorted.size() > 2)
    names.push_back(possessive ? plural(sorted.size() - 2, "other vendor's", "other vendors'")
                               : plural(sorted.size() - 2, "other"));
  return join_and(names);
}

std::string Equipment::list(bool counted) const {
  // The first ids in id order, as findings list their components (evaluate.cc
  // sorts them); a partial sort, since a share cap can name 10^5 components.
  constexpr size_t kNamed = 4;
  std::vector<std::string_view> first(std::min(kNamed, ids_.size()));
  std::partial_sort_copy(ids_.begin(), ids_.end(), first.begin(), first.end());
  std::vector<std::string> names(first.begin(), first.end());
  if (ids_.size() > kNamed) names.push_back(std::to_string(ids_.size() - kNamed) + " more");
  std::string out = join_and(names);
  if (counted) out += " (" + plural(ids_.size(), "component") + ")";
  return out;
}

StrId component_region(const Network& net, ComponentIdx c) {
  SiteIdx s = net.components.site[c];
  return s == kNone ? 0 : net.sites.region[s];
}

Groups group_by(const EvalContext& ctx, bool per_region) {
  Groups g;
  const size_t n = ctx.net.components.size();
  g.of.assign(n, 0);
  if (!per_region) {
    g.names.push_back("");
    return g;
  }
  // Regions in name order, so findings come out in a stable, readable order.
  std::map<std::string_view, uint32_t> by_name;
  for (size_t c = 0; c < n; ++c) by_name.emplace(ctx.net.str(component_region(ctx.net, c)), 0);
  for (auto& [name, idx] : by_name) {
    idx = static_cast<uint32_t>(g.names.size());
    g.names.emplace_back(name);
  }
  std::unordered_map<StrId, uint32_t> by_id;
  for (size_t c = 0; c < n; ++c) {
    StrId r = component_region(ctx.net, static_cast<ComponentIdx>(c));
    auto it = by_id.find(r);
    if (it == by_id.end()) it = by_id.emplace(r, by_name[ctx.net.str(r)]).first;
    g.of[c] = it->second;
  }
  return g;
}

Touched touched_by_proposal(const ComponentSet& matched, const EvalContext& ctx) {
  Touched t;
  for (ComponentIdx c : matched.members()) {
    if (ctx.state[c] == ComponentState::kAdded) {
      ++t.added;
    } else if (ctx.state[c] == ComponentState::kChanged) {
      ++t.changed;
    } else {
      continue;
    }
    t.components.push_back(c);
  }
  return t;
}

bool plan_clear_each(std::span<const Finding> findings, bool move_clears, std::vector<PlanNeed>& out) {
  for (const Finding& f : findings) {
    for (ComponentIdx c : f.components) out.push_back(plan_need::Clear{c, move_clears});
  }
  return true;
}

Finding make_finding(const RuleSpec& rule, std::string_view kind) {
  Finding f;
  f.rule = rule.id;
  f.kind = std::string(kind);
  f.severity = rule.severity;
  f.binding = rule.binding && !rule.unconfirmed;
  f.classification = rule.classification;
  f.title = rule.title;
  f.citation = rule.citation;
  f.unconfirmed = rule.unconfirmed;
  return f;
}

}  // namespace netvet::policy
