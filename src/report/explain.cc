// The words both people-facing writers use: see explain.h.
#include "explain.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace netvet::report {
namespace {

using ojson = nlohmann::ordered_json;

std::string str(const ojson& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float()) return fmt::format("{:.4g}", v.get<double>());
  return v.dump();
}

std::string num(const ojson& ev, const char* key) {
  return ev.is_object() && ev.contains(key) ? str(ev[key]) : std::string();
}

// "a, b, c and 4 more"
std::string listing(const std::vector<std::string>& items, size_t max) {
  std::string out;
  const size_t n = std::min(items.size(), max);
  for (size_t i = 0; i < n; ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > n) out += fmt::format(" and {} more", items.size() - n);
  return out;
}

std::string plural(size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// The work before the change: a proposal is decided before it proceeds.
std::string before(const Assessment& a) {
  return a.proposal_file.empty() ? "now" : "before the proposal proceeds";
}

}  // namespace

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out.append(sep);
    out += items[i];
  }
  return out;
}

std::vector<PathView> paths(const Finding& f) {
  std::vector<PathView> out;
  const ojson& ev = f.evidence;
  if (!ev.is_object()) return out;
  if (ev.contains("paths") && ev["paths"].is_array()) {
    for (const auto& p : ev["paths"]) {
      if (!p.is_object() || !p.contains("hops") || !p["hops"].is_array()) continue;
      PathView v;
      v.target = p.contains("target") ? str(p["target"]) : std::string();
      for (const auto& h : p["hops"]) {
        if (!h.is_object()) continue;
        Hop hop{num(h, "from"), num(h, "to"), num(h, "interface"), {}};
        if (h.contains("protection") && h["protection"].is_array())
          for (const auto& x : h["protection"]) hop.protection.push_back(str(x));
        v.hops.push_back(std::move(hop));
      }
      if (!v.hops.empty()) out.push_back(std::move(v));
    }
    return out;
  }
  if (ev.contains("path") && ev["path"].is_array() && ev["path"].size() > 1) {
    PathView v;
    const auto& p = ev["path"];
    for (size_t i = 0; i + 1 < p.size(); ++i) v.hops.push_back({str(p[i]), str(p[i + 1]), "", {}});
    v.target = str(p.back());
    out.push_back(std::move(v));
  }
  return out;
}

std::string hop_chain(const std::vector<Hop>& hops) {
  if (hops.empty()) return {};
  std::string out = hops.front().from;
  for (const auto& h : hops) {
    std::string label = h.interface;
    for (const auto& p : h.protection) label += (label.empty() ? "" : " ") + p;
    out += label.empty() ? " -> " : " -[" + label + "]-> ";
    out += h.to;
  }
  return out;
}

std::string component_function(const Assessment& a, std::string_view id) {
  if (!a.network) return {};
  auto c = a.network->find_component(id);
  return c ? std::string(function_name(a.network->components.function[*c])) : std::string();
}

std::vector<std::string> component_names(const Assessment& a, const Finding& f) {
  std::vector<std::string> out;
  out.reserve(f.components.size());
  for (ComponentIdx c : f.components)
    out.push_back(a.network && c < a.network->components.size() ? std::string(a.network->component_id(c))
                                                                 : "#" + std::to_string(c));
  return out;
}

std::vector<Group> group_findings(const Assessment& a) {
  std::vector<Group> groups = {{"Binding violations", {}}, {"Binding obligations and warnings", {}}, {"Advisory", {}}};
  for (const auto& f : a.findings) groups[!f.binding ? 2 : f.violation ? 0 : 1].items.push_back(&f);
  std::vector<Group> out;
  for (auto& g : groups) {
    if (g.items.empty()) continue;
    std::stable_sort(g.items.begin(), g.items.end(),
                     [](const Finding* x, const Finding* y) { return x->severity > y->severity; });
    out.push_back(std::move(g));
  }
  return out;
}

std::string first_sentence(std::string_view m) {
  // A sentence ends at ". " before a capital letter (not "Co., Ltd. (5)" or "41.2%").
  for (size_t i = 0; i + 2 < m.size(); ++i)
    if (m[i] == '.' && m[i + 1] == ' ' && std::isupper(static_cast<unsigned char>(m[i + 2])))
      return std::string(m.substr(0, i + 1));
  return std::string(m);
}

std::string remediation(const Assessment& a, const Finding& f) {
  // A plan made for this assessment knows the cheapest work; the kind only knows what kind of work.
  if (auto it = a.remedies.find(f.id); it != a.remedies.end()) return it->second;
  const ojson& ev = f.evidence;
  const auto comps = component_names(a, f);
  const std::string which = comps.empty() ? std::string("the equipment listed")
                                          : (comps.size() == 1 ? comps[0] : plural(comps.size(), "", "components") +
                                                                                " (" + listing(comps, 4) + ")");
  if (f.kind == "notify") {
    std::string who = num(ev, "authority");
    return fmt::format("Notify {} {}; the notification describes the change and this assessment.",
                       who.empty() ? "the authority" : who, before(a));
  }
  if (f.kind == "deadline") {
    const std::string by = num(ev, "by");
    auto days = [](const std::string& n) { return n + (n == "1" ? " day" : " days"); };
    if (ev.contains("days_overdue"))
      return fmt::format("Replace or remove {}: the deadline of {} has passed ({} overdue).", which, by,
                         days(num(ev, "days_overdue")));
    return fmt::format("Replace or remove {} by {} ({} left).", which, by, days(num(ev, "days_left")));
  }
  if (f.kind == "isolation") {
    std::string out = fmt::format("Replace or remove the high-risk equipment that reaches them, {}, or make every way "
                                  "in a protected boundary (encrypt and integrity-protect a link on each path shown)",
                                  which);
    auto ps = paths(f);
    if (!ps.empty() && !ps.front().hops.empty()) {
      const Hop& h = ps.front().hops.front();
      out += fmt::format(", e.g. {} -- {}{}", h.from, h.to, h.interface.empty() ? "" : " (" + h.interface + ")");
    }
    return out + ", " + before(a) + ".";
  }
  if (f.kind == "share_cap") {
    std::string region = num(ev, "region");
    return fmt::format("Bring the high-risk share of {}{} from {}% to at most {}% by replacing equipment, {}.",
                       num(ev, "measure").empty() ? "the network" : num(ev, "measure"),
                       region.empty() ? "" : " in " + region, num(ev, "share_percent"), num(ev, "max_percent"),
                       before(a));
  }
  if (f.kind == "exclusion_zone")
    return fmt::format("Move {} beyond {} km of {}, or replace {} with equipment the rule allows, {}.", which,
                       num(ev, "radius_km"), num(ev, "location").empty() ? "the sensitive location" : num(ev, "location"),
                       comps.size() == 1 ? "it" : "them", before(a));
  if (f.kind == "procurement")
    return fmt::format("Do not add {}: choose equipment the rule does not select.", which);
  if (f.kind == "diversity") {
    if (ev.contains("min_vendors"))
      return fmt::format("Use at least {} vendors{}.", num(ev, "min_vendors"),
                         num(ev, "region").empty() ? "" : " in " + num(ev, "region"));
    return fmt::format("Bring {}'s share down to at most {}%.", num(ev, "vendor"), num(ev, "max_vendor_percent"));
  }
  if (f.kind == "exclude") return fmt::format("Replace or remove {}, {}.", which, before(a));
  return {};
}

std::string no_findings_text(const Assessment& a) {
  if (a.withheld.empty()) return "No findings.";
  int total = 0;
  std::vector<std::string> levels;
  for (const auto& w : a.withheld) {
    total += w.count;
    levels.push_back(fmt::format("{} at {}", w.count, classification_name(w.classification)));
  }
  return fmt::format("No findings visible at {}; {} withheld ({}).", classification_name(a.clearance),
                     plural(total, "finding is", "findings are"), join(levels, ", "));
}

std::string basis_text(const Assessment& a, const RiskBasisNote& b) {
  std::string out = b.reason;
  if (b.reading)
    out += fmt::format(" (netvet's reading of the jurisdiction's criteria, not a designation by {})",
                       b.authority.empty() ? a.jurisdiction : b.authority);
  return out;
}

Summary summarize(const Assessment& a) {
  Summary s;
  const std::string& o = a.determination.outcome;
  const std::string subject = a.proposal_file.empty() ? "The network" : "The proposal";
  const std::string where = fmt::format("under {} rules on {}", a.jurisdiction, a.date.to_string());
  std::string p;
  if (o == "significant-risk") {
    s.outcome_label = "Significant risk";
    p = fmt::format("{} raises a significant network security risk {}.", subject, where);
  } else if (o == "risk-mitigable") {
    s.outcome_label = "Risk that can be mitigated";
    p = fmt::format("{} breaks binding rules {}, none severe enough to be a significant risk: it can proceed once "
                    "they are cleared.",
                    subject, where);
  } else if (o == "insufficient-information") {
    s.outcome_label = "Insufficient information";
    p = fmt::format("{} cannot be decided {}: equipment in scope of a binding rule could not be judged.", subject,
                    where);
  } else {
    s.outcome_label = "No significant risk";
    p = fmt::format("{} raises no significant network security risk {}.", subject, where);
  }
  // Why: the deciding findings, what is wrong in each, and the way in.
  std::vector<const Finding*> reasons, obligations;
  for (const auto& id : a.determination.reasons)
    for (const auto& f : a.findings)
      if (f.id == id) reasons.push_back(&f);
  for (const auto& f : a.findings)
    if (f.binding && !f.violation) obligations.push_back(&f);
  for (const Finding* f : reasons) {
    std::string why = first_sentence(f->message);
    auto ps = paths(*f);
    // The message may already show the way in (isolation says it): not twice.
    if (!ps.empty() && why.find(hop_chain(ps.front().hops)) == std::string::npos)
      why += " The way in: " + hop_chain(ps.front().hops) + ".";
    p += " " + why;
  }
  int withheld = 0;
  for (const auto& w : a.withheld) withheld += w.count;
  if (withheld > 0)
    p += fmt::format(" {} withheld above this report's clearance also {} in the decision.",
                     plural(withheld, "finding", "findings"), withheld == 1 ? "counts" : "count");
  // What to do by when.
  std::vector<std::string> todo;
  for (const Finding* f : reasons)
    if (auto r = remediation(a, *f); !r.empty()) todo.push_back(r);
  for (const Finding* f : obligations)
    if (auto r = remediation(a, *f); !r.empty() && std::find(todo.begin(), todo.end(), r) == todo.end())
      todo.push_back(r);
  if (!todo.empty()) p += (reasons.empty() ? " To do: " : " To clear it: ") + join(todo, " ");
  s.paragraph = p;
  return s;
}

}  // namespace netvet::report
