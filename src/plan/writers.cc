// Text and JSON renderings of a plan. Deterministic: the same plan gives the
// same bytes (solver statistics such as seconds are left out of both).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "netvet/plan.h"

namespace netvet {
namespace {

// Whole currency units with thousands separators: "1,234,500".
std::string money(double v) {
  long long n = std::llround(v);
  bool neg = n < 0;
  std::string digits = std::to_string(neg ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (neg ? "-" : "") + out;
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? std::string(sep) : "") + v[i];
  return s;
}

// "2023-06": the month work is done in.
std::string month_label(int year, int month) { return fmt::format("{}-{:02}", year, month); }

// Text lists this many actions; JSON always lists all of them.
constexpr size_t kTextActions = 200;

// "a", "a and b", "a, b and 2 more": at most `named` ids.
std::string id_list(const std::vector<std::string>& ids, size_t named = 3) {
  std::string out;
  const size_t shown = std::min(named, ids.size());
  for (size_t i = 0; i < shown; ++i) {
    if (i) out += i + 1 == shown && ids.size() == shown ? " and " : ", ";
    out += ids[i];
  }
  if (ids.size() > shown) out += " and " + std::to_string(ids.size() - shown) + " more";
  return out;
}

}  // namespace

void attach_remedies(Assessment& a, const Plan& plan) {
  if (plan.status != PlanStatus::kOptimal && plan.status != PlanStatus::kFeasible) return;
  for (const Finding& f : a.findings) {
    if (!f.binding || !f.violation) continue;
    std::set<std::string> ids;
    for (ComponentIdx c : f.components)
      if (a.network && c < a.network->components.size()) ids.emplace(a.network->component_id(c));
    // The same work in the same month, worded once: "replace a and b with ericsson in 2024-03".
    // The actions on the finding's components, and what must change with them.
    std::vector<const PlannedAction*> todo;
    std::set<const PlannedAction*> chosen;
    for (const PlannedAction& act : plan.actions) {
      if (std::find(act.rules.begin(), act.rules.end(), f.rule) == act.rules.end()) continue;
      if (act.kind != ActionKind::kProtect && !ids.count(act.component_id)) continue;
      if (chosen.insert(&act).second) todo.push_back(&act);
    }
    while (!todo.empty()) {
      const PlannedAction* act = todo.back();
      todo.pop_back();
      for (const auto& tie : act->together)
        for (const PlannedAction& other : plan.actions)
          if (other.component_id == tie.component && other.year == act->year && other.month == act->month && chosen.insert(&other).second)
            todo.push_back(&other);
    }
    std::map<std::tuple<std::string, ActionKind, std::string>, std::vector<std::string>> work;
    double cost = 0;
    for (const PlannedAction& act : plan.actions)
      if (chosen.count(&act)) {
        work[{month_label(act.year, act.month), act.kind, act.to_vendor}].push_back(act.component_id);
        cost += act.cost;
      }
    if (work.empty()) continue;
    std::vector<std::string> parts;
    for (const auto& [key, targets] : work) {
      const auto& [month, kind, vendor] = key;
      switch (kind) {
        case ActionKind::kReplace:
          parts.push_back(fmt::format("replace {} with {} in {}", id_list(targets), vendor, month));
          break;
        case ActionKind::kRemove:
          parts.push_back(fmt::format("remove {} in {}", id_list(targets), month));
          break;
        case ActionKind::kMove:
          parts.push_back(fmt::format("move {} beyond the zone in {}", id_list(targets), month));
          break;
        case ActionKind::kProtect:
          parts.push_back(fmt::format("protect the link{} {} in {}", targets.size() == 1 ? "" : "s",
                                      id_list(targets), month));
          break;
      }
    }
    std::string text = join(parts, "; ");
    text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
    a.remedies[f.id] = fmt::format("{} ({} {}, the cheapest plan's work for this finding, site visits aside).", text,
                                   plan.currency, money(cost));
  }
}

// "akl-001-enb (nsa-anchor), noc-ems-5g (element-manager)": the partners an
// action changes with, by constraint; a long list is counted, not spelled out.
static std::string together_text(const std::vector<PlannedAction::Tie>& together) {
  std::map<std::string, std::vector<std::string>> by_constraint;
  for (const auto& t : together) by_constraint[t.constraint].push_back(t.component);
  std::vector<std::string> parts;
  for (const auto& [id, comps] : by_constraint)
    parts.push_back(comps.size() > 3 ? fmt::format("{} components ({})", comps.size(), id)
                                     : fmt::format("{} ({})", join(comps, ", "), id));
  return join(parts, ", ");
}

std::string write_plan_text(const Plan& p) {
  std::string s;
  const std::string& cur = p.currency;
  s += fmt::format("netvet plan: {} on {}", p.jurisdiction, p.date.to_string());
  if (p.until) s += fmt::format(" until {}", p.until->to_string());
  s += fmt::format(" (KB {})\n", p.kb_version);
  if (p.marking != Classification::kUnclassified)
    s += fmt::format("Classification: {}\n", classification_name(p.marking));
  for (const Withheld& w : p.withheld)
    s += fmt::format("Withheld: {} {} KB entr{} above the reader's clearance, not planned for\n", w.count,
                     classification_name(w.classification), w.count == 1 ? "y" : "ies");
  const bool has_plan = p.status == PlanStatus::kOptimal || p.status == PlanStatus::kFeasible ||
                        p.status == PlanStatus::kPartial;
  s += fmt::format("Status: {}", plan_status_name(p.status));
  if (p.status == PlanStatus::kPartial)
    s += fmt::format(" (best within the budget: clears {:.0f}% of the risk, findings weighted by severity and "
                     "the subscribers behind them)",
                     p.risk_total > 0 ? 100 * p.risk_cleared / p.risk_total : 0);
  if (has_plan) {
    s += fmt::format(", total cost {} {}", cur, money(p.cost.total));
    if (p.status == PlanStatus::kFeasible && p.lower_bound > 0)
      s += fmt::format(" (LP lower bound {} {}, gap {:.2f}%)", cur, money(p.lower_bound), 100 * p.gap);
  }
  s += "\n";
  if (p.budget) s += fmt::format("Budget: {} {}\n", cur, money(*p.budget));
  if (p.capacity) s += fmt::format("Capacity: {} site{} per month\n", *p.capacity, *p.capacity == 1 ? "" : "s");
  if (!p.cost_basis.empty()) s += fmt::format("Cost basis: {}\n", p.cost_basis);

  if (!p.cleared.empty()) {
    s += "\nBinding findings to clear:\n";
    size_t w = 0;
    for (const auto& [rule, n] : p.cleared) w = std::max(w, rule.size());
    for (const auto& [rule, n] : p.cleared)
      s += fmt::format("  {:<{}}  {} component{}\n", rule, w, n, n == 1 ? "" : "s");
  }
  if (p.status == PlanStatus::kInfeasible) {
    s += "\nNo plan exists:\n";
    for (const auto& why : p.infeasible) s += fmt::format("  - {}\n", why);
  }
  if (p.status == PlanStatus::kPartial) {
    s += "\nNot everything fits:\n";
    for (const auto& why : p.infeasible) s += fmt::format("  - {}\n", why);
    s += "\nLeft by this plan:\n";
    for (const auto& r : p.remaining) s += fmt::format("  - {}\n", r);
  }
  if (!p.actions.empty()) {
    s += fmt::format("\nActions ({}):\n", p.actions.size());
    size_t wid = 0;
    for (const auto& a : p.actions) wid = std::max(wid, a.component_id.size());
    wid = std::min<size_t>(wid, 60);
    for (size_t i = 0; i < p.actions.size() && i < kTextActions; ++i) {
      const PlannedAction& a = p.actions[i];
      std::string what;
      switch (a.kind) {
        case ActionKind::kReplace: what = fmt::format("{} -> {}", a.from_vendor, a.to_vendor); break;
        case ActionKind::kRemove: what = fmt::format("decommission ({})", a.from_vendor); break;
        case ActionKind::kMove: what = fmt::format("to {} ({:.4f}, {:.4f})", a.to_site, a.to_lat, a.to_lon); break;
        case ActionKind::kProtect: what = "encrypt + integrity + monitor"; break;
      }
      std::string where = a.site.empty() ? "" : " at " + a.site;
      s += fmt::format("  {}  {:<8} {:<{}}  {}{}  {} {}", month_label(a.year, a.month), action_kind_name(a.kind),
                       a.component_id, wid, what,
                       where, cur, money(a.cost));
      if (!a.rules.empty()) s += fmt::format("  [{}]", join(a.rules, ", "));
      if (!a.together.empty()) s += "  with " + together_text(a.together);
      s += "\n";
      if (!a.to_manager.empty())
        s += fmt::format("{:>{}}managed by {} instead of {} from then on\n", "", 20, a.to_manager, a.from_manager);
      if (!a.note.empty()) s += fmt::format("{:>{}}{}\n", "", 20, a.note);
    }
    if (p.actions.size() > kTextActions)
      s += fmt::format("  ... and {} more (--format json lists every action)\n", p.actions.size() - kTextActions);
  }
  // What shows each replacement vendor makes what it replaces, once per entry.
  std::map<std::pair<std::string, std::string>, const PortfolioEntry*> supplies;
  for (const auto& a : p.actions)
    if (a.supply) supplies.emplace(std::make_pair(a.to_vendor, a.supply->product), &*a.supply);
  if (!supplies.empty()) {
    s += "\nReplacement vendors (portfolio evidence):\n";
    for (const auto& [key, e] : supplies)
      s += fmt::format("  {}: {} ({}) {}\n", key.first, e->product, portfolio_evidence_name(e->evidence), e->url);
  }
  if (!p.monthly.empty()) {
    s += "\nSchedule (work done in the month, in service from the first day of the next):\n"
         "  month    sites  actions  cost\n";
    for (const auto& m : p.monthly)
      s += fmt::format("  {}  {:>5}  {:>7}  {} {}\n", month_label(m.year, m.month), m.sites, m.actions, cur,
                       money(m.cost));
  }
  if (has_plan) {
    s += "\nCost breakdown:\n";
    s += fmt::format("  replace      {} {}\n", cur, money(p.cost.replace));
    s += fmt::format("  remove       {} {}\n", cur, money(p.cost.remove));
    s += fmt::format("  move         {} {}\n", cur, money(p.cost.move));
    s += fmt::format("  protect      {} {}\n", cur, money(p.cost.protect));
    s += fmt::format("  site visits  {} {} ({} visit{})\n", cur, money(p.cost.site_visits), p.cost.site_visit_count,
                     p.cost.site_visit_count == 1 ? "" : "s");
    s += fmt::format("  total        {} {}\n", cur, money(p.cost.total));
  }
  if (has_plan && !p.calibration.empty()) {
    // A public total beside the plan's: a sense of scale, not a check of unit prices.
    s += "\nFor scale (public totals, not unit prices):\n";
    for (const auto& c : p.calibration) {
      s += fmt::format("  {} {}: {}", c.currency, money(c.amount), c.what);
      if (c.per > 0)
        s += fmt::format(" ({} {} on average over {} {})", c.currency, money(c.amount / c.per), money(c.per),
                         c.per_unit.empty() ? "units" : c.per_unit);
      s += fmt::format(". {}, {}\n", c.source, c.url);
    }
    s += fmt::format("  This plan: {} {}.\n", cur, money(p.cost.total));
  }
  for (const auto& u : p.unplanned) s += fmt::format("\nNot planned: {}\n", u);
  if (!p.checkpoints.empty()) {
    s += "\nRe-assessment of the planned network:\n";
    std::vector<std::string> overdue;
    std::string in_service;
    for (const auto& c : p.checkpoints) {
      const std::string through = c.work_through.empty() ? "nothing in service yet" : "work through " + c.work_through;
      s += fmt::format("  {} ({}): {}, {} binding finding{} {}", c.date.to_string(), through, c.outcome,
                       c.binding_findings.size(), c.binding_findings.size() == 1 ? "" : "s",
                       c.overdue && !c.binding_findings.empty() ? "overdue" : "left");
      if (!c.binding_findings.empty()) s += ": " + join(c.binding_findings, ", ");
      if (c.overdue && !c.binding_findings.empty()) {
        s += fmt::format(" (work done in {}, in service from {})", c.due_in, c.in_service.to_string());
        overdue.push_back(c.date.to_string());
        in_service = c.in_service.to_string();
      }
      if (!c.broken.empty()) s += "; changed apart: " + join(c.broken, ", ");
      s += "\n";
    }
    if (!p.verified)
      s += "NOT verified: binding findings remain, or equipment that must change together "
           "was changed apart (see above).\n";
    else if (overdue.empty())
      s += "Verified: every binding finding is cleared at every checkpoint.\n";
    else
      s += fmt::format("Verified: every binding finding is cleared at every checkpoint from {}, when the first "
                       "month's work is in service; the findings at {} are overdue until then (no work can be in "
                       "service before the plan's first month ends).\n",
                       in_service, id_list(overdue, 8));
  }
  return s;
}

nlohmann::ordered_json plan_json(const Plan& p) {
  nlohmann::ordered_json j = json_output_header(p.kb_version, p.jurisdiction, p.date, std::nullopt, p.marking);
  j["until"] = p.until ? nlohmann::ordered_json(p.until->to_string()) : nlohmann::ordered_json(nullptr);
  if (!p.withheld.empty()) {
    auto w = nlohmann::ordered_json::array();
    for (const Withheld& x : p.withheld)
      w.push_back({{"classification", classification_name(x.classification)}, {"count", x.count}});
    j["withheld"] = std::move(w);
  }
  j["status"] = plan_status_name(p.status);
  j["currency"] = p.currency;
  j["cost_basis"] = p.cost_basis;
  if (!p.calibration.empty()) {
    auto cal = nlohmann::ordered_json::array();
    for (const auto& c : p.calibration)
      cal.push_back({{"amount", c.amount}, {"currency", c.currency}, {"what", c.what}, {"per", c.per}, {"per_unit", c.per_unit},
                     {"source", c.source}, {"url", c.url}});
    j["calibration"] = std::move(cal);
  }
  j["budget"] = p.budget ? nlohmann::ordered_json(*p.budget) : nlohmann::ordered_json(nullptr);
  j["capacity"] = p.capacity ? nlohmann::ordered_json(*p.capacity) : nlohmann::ordered_json(nullptr);
  auto cleared = nlohmann::ordered_json::array();
  for (const auto& [rule, n] : p.cleared) cleared.push_back({{"rule", rule}, {"components", n}});
  j["findings_to_clear"] = std::move(cleared);
  j["infeasible"] = p.infeasible;
  if (p.status == PlanStatus::kPartial) {
    j["remaining"] = p.remaining;
    j["risk"] = {{"cleared", p.risk_cleared}, {"total", p.risk_total}};
  }
  j["unplanned"] = p.unplanned;
  auto actions = nlohmann::ordered_json::array();
  for (const auto& a : p.actions) {
    nlohmann::ordered_json x;
    x["year"] = a.year;
    x["month"] = month_label(a.year, a.month);
    x["action"] = action_kind_name(a.kind);
    if (a.kind == ActionKind::kProtect) {
      x["link"] = a.component_id;
    } else {
      x["component"] = a.component_id;
      x["site"] = a.site;
      x["from_vendor"] = a.from_vendor;
    }
    if (a.kind == ActionKind::kReplace) x["to_vendor"] = a.to_vendor;
    if (a.supply)
      x["supply"] = {{"product", a.supply->product},
                     {"evidence", portfolio_evidence_name(a.supply->evidence)},
                     {"url", a.supply->url}};
    if (a.kind == ActionKind::kMove) x["to_site"] = {{"id", a.to_site}, {"lat", a.to_lat}, {"lon", a.to_lon}};
    if (!a.to_manager.empty()) x["manager"] = {{"from", a.from_manager}, {"to", a.to_manager}};
    if (!a.note.empty()) x["note"] = a.note;
    x["cost"] = a.cost;
    x["rules"] = a.rules;
    if (!a.together.empty()) {
      auto& t = x["together"] = nlohmann::ordered_json::array();
      for (const auto& tie : a.together) t.push_back({{"constraint", tie.constraint}, {"component", tie.component}});
    }
    actions.push_back(std::move(x));
  }
  j["actions"] = std::move(actions);
  j["cost"] = {{"replace", p.cost.replace},   {"remove", p.cost.remove},
               {"move", p.cost.move},         {"protect", p.cost.protect},
               {"site_visits", p.cost.site_visits}, {"site_visit_count", p.cost.site_visit_count},
               {"total", p.cost.total}};
  j["lower_bound"] = p.lower_bound;
  j["gap"] = p.gap;
  auto monthly = nlohmann::ordered_json::array();
  for (const auto& m : p.monthly)
    monthly.push_back({{"month", month_label(m.year, m.month)}, {"sites", m.sites}, {"actions", m.actions}, {"cost", m.cost}});
  j["schedule_by_month"] = std::move(monthly);
  auto sched = nlohmann::ordered_json::array();
  for (const auto& y : p.schedule) sched.push_back({{"year", y.year}, {"sites", y.sites}, {"actions", y.actions}, {"cost", y.cost}});
  j["schedule"] = std::move(sched);
  auto checks = nlohmann::ordered_json::array();
  for (const auto& c : p.checkpoints)
    checks.push_back({{"date", c.date.to_string()},
                      {"work_through", c.work_through.empty() ? nlohmann::ordered_json(nullptr)
                                                              : nlohmann::ordered_json(c.work_through)},
                      {"overdue", c.overdue},
                      {"in_service", c.overdue ? nlohmann::ordered_json(c.in_service.to_string()) : nlohmann::ordered_json(nullptr)},
                      {"outcome", c.outcome},
                      {"binding_findings", c.binding_findings},
                      {"changed_apart", c.broken}});
  j["reassessment"] = std::move(checks);
  j["verified"] = p.verified;
  return j;
}

std::string write_plan_json(const Plan& p) { return plan_json(p).dump(2) + "\n"; }

}  // namespace netvet
