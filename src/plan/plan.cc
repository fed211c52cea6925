// plan(): findings and rules -> integer program -> actions, schedule and cost
// -> the planned network, re-assessed at every checkpoint (docs/plan.md).
//
// What must be cleared comes from the policy stage itself: the planner runs
// evaluate_rules() on the network at each checkpoint date and turns every
// binding violation into requirements, so the planner and the assessment can
// never disagree about what a rule means. Which replacement vendor clears
// which rule comes from re-selecting each rule's `where` on a copy of the
// network where every component has that vendor.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <functional>
#include <map>
#include <numbers>
#include <numeric>
#include <set>
#include <variant>

#include <fmt/format.h>

#include "ilp.h"
#include "netvet/graph.h"
#include "netvet/plan.h"
#include "netvet/policy.h"

namespace netvet {
namespace {

using plan_internal::kNo;
namespace pi = plan_internal;

// Wall time per phase, for Plan::Stats and the benchmark (NETVET_PLAN_PROFILE).
class PhaseClock {
 public:
  explicit PhaseClock(std::vector<std::pair<std::string, double>>* out) : out_(out) {}
  void lap(const char* name) {
    auto now = std::chrono::steady_clock::now();
    if (out_) out_->push_back({name, std::chrono::duration<double>(now - last_).count()});
    last_ = now;
  }

 private:
  std::vector<std::pair<std::string, double>>* out_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

// Work is planned in whole calendar months, from the first month that starts
// on or after the plan's start date; a month's work is in service from the
// first day of the next month (docs/plan.md "Dates, checkpoints and the
// schedule"). Month k counts from that first month.
struct Months {
  int y0 = 0, m0 = 1;

  static std::pair<int, int> year_month(Date d) {
    const std::string iso = d.to_string();
    return {std::stoi(iso.substr(0, iso.size() - 6)), std::stoi(iso.substr(iso.size() - 5, 2))};
  }
  static Months starting(Date d) {
    auto [y, m] = year_month(d);
    if (Date::from_ymd(y, static_cast<unsigned>(m), 1) != d && ++m > 12) m = 1, ++y;
    return {y, m};
  }
  int year(int k) const { return y0 + (m0 - 1 + k) / 12; }
  int month(int k) const { return (m0 - 1 + k) % 12 + 1; }
  Date first_day(int k) const { return Date::from_ymd(year(k), static_cast<unsigned>(month(k)), 1); }
  Date in_service(int k) const { return first_day(k + 1); }
  std::string label(int k) const { return fmt::format("{}-{:02}", year(k), month(k)); }
  // The last month whose work is in service on d; negative when none is.
  int last_in_service(Date d) const {
    auto [y, m] = year_month(d);
    return (y - y0) * 12 + (m - m0) - 1;
  }
};

// A date the plan is judged on. Requirements found there are due by the end
// of month `due`: the last month whose work is in service on that day, or the
// first month when none is (the checkpoint is then `overdue`: no work can be
// in service by it).
struct Checkpt {
  Date date;
  uint32_t period = 0;  // the integer program's period that ends with month `due`
  int due = 0;
  bool overdue = false;
};

struct Candidate {
  std::string id;  // KB vendor id
  uint32_t kb = 0;
  std::string cls;
};

std::string vendor_hint(const std::string& id, const std::map<std::string, std::string>& vendor_class) {
  std::vector<std::string_view> names;
  for (const auto& [name, cls] : vendor_class) names.push_back(name);
  auto d = did_you_mean(id, names);
  return d ? fmt::format(" (did you mean \"{}\"?)", *d) : "";
}

pi::Digraph digraph_of(const AccessGraph& g) {
  pi::Digraph d;
  d.nodes = g.node_count();
  d.offsets.reserve(d.nodes + 1);
  for (uint32_t v = 0; v < d.nodes; ++v) {
    auto out = g.out(v);
    auto links = g.out_links(v);
    for (size_t k = 0; k < out.size(); ++k) {
      d.to.push_back(out[k]);
      d.link.push_back(k < links.size() ? links[k] : kNo);
    }
    d.offsets.push_back(static_cast<uint32_t>(d.to.size()));
  }
  return d;
}

// ---- What must change together (docs/plan.md, kb/constraints.yaml)

// One related pair a constraint ties: for a manager constraint, `a` manages `b`.
struct TiePair {
  ComponentIdx a = kNone, b = kNone;
  uint32_t constraint = 0;  // index into ChangeConstraints::constraints
  bool same_vendor = false;
};

bool matches(const ChangeConstraint::Ends& e, const Network& net, ComponentIdx c) {
  auto has = [](const auto& list, auto v) { return list.empty() || std::find(list.begin(), list.end(), v) != list.end(); };
  return has(e.functions, net.components.function[c]) && has(e.generations, net.components.generation[c]);
}

// KB vendor index per component (kNone when the KB does not know the spelling).
std::vector<uint32_t> kb_vendors(const Network& net, const KnowledgeBase& kb) {
  std::map<StrId, uint32_t> cache;
  std::vector<uint32_t> out(net.components.size(), kNone);
  for (ComponentIdx c = 0; c < out.size(); ++c) {
    const StrId v = net.components.vendor[c];
    auto [it, fresh] = cache.try_emplace(v, kNone);
    if (fresh) it->second = kb.resolve_vendor(net.str(v)).value_or(kNone);
    out[c] = it->second;
  }
  return out;
}

// Every pair of components a constraint relates in `net`. A management link's
// manager is its end in the management domain when only one end is, else its
// first end (as the access graph reads it).
std::vector<TiePair> tie_pairs(const Network& net, const ChangeConstraints& cs, const std::vector<uint32_t>& vendor) {
  std::vector<TiePair> out;
  auto add = [&](ComponentIdx a, ComponentIdx b, uint32_t k) {
    out.push_back({a, b, k, vendor[a] != kNone && vendor[a] == vendor[b]});
  };
  for (uint32_t k = 0; k < cs.constraints.size(); ++k) {
    const ChangeConstraint& c = cs.constraints[k];
    if (c.parent) {
      for (ComponentIdx x = 0; x < net.components.size(); ++x) {
        const ComponentIdx up = net.components.parent[x];
        if (up == kNone || up >= net.components.size()) continue;
        if (matches(c.a, net, up) && matches(c.b, net, x)) add(up, x, k);
        else if (matches(c.a, net, x) && matches(c.b, net, up)) add(x, up, k);
      }
      continue;
    }
    for (LinkIdx l = 0; l < net.links.size(); ++l) {
      if (std::find(c.via.begin(), c.via.end(), net.links.interface[l]) == c.via.end()) continue;
      ComponentIdx a = net.links.a[l], b = net.links.b[l];
      if (a == b || a >= net.components.size() || b >= net.components.size()) continue;
      if (c.kind == ChangeConstraint::Kind::kManager) {
        const bool am = function_domain(net.components.function[a]) == Domain::kManagement;
        const bool bm = function_domain(net.components.function[b]) == Domain::kManagement;
        if (bm && !am) std::swap(a, b);
        if (matches(c.a, net, a) && matches(c.b, net, b)) add(a, b, k);
      } else if (matches(c.a, net, a) && matches(c.b, net, b)) {
        add(a, b, k);
      } else if (matches(c.a, net, b) && matches(c.b, net, a)) {
        add(b, a, k);
      }
    }
  }
  return out;
}

// Everything the planner derived from the inputs, kept for turning the
// solution back into actions.
struct Built {
  Network net;  // the (proposed) network planned on
  std::vector<ComponentState> state;
  std::vector<Checkpt> checkpoints;
  Months months;
  std::vector<int> period_due;  // per period of the integer program: its last month
  pi::Problem problem;
  std::vector<ComponentIdx> item_component;
  std::vector<std::set<uint32_t>> item_rules;  // rule index per item
  std::vector<Candidate> candidates;
  std::vector<GeoZone> zones;
  std::vector<std::string> unplanned;
  std::vector<std::pair<std::string, int>> cleared;
  std::vector<std::pair<std::string, double>> phases;
  std::vector<TiePair> ties;  // what must change together, in `net`
  std::vector<uint32_t> vendor;  // KB vendor index per component of `net`
};

// A point beyond every zone: push out from each zone that contains it, along
// the line from the zone's centre (north when it sits on the centre).
std::pair<double, double> relocate(double lat, double lon, const std::vector<GeoZone>& zones, double margin) {
  constexpr double kKmPerDeg = 111.195;
  for (int round = 0; round < 50; ++round) {
    bool moved = false;
    for (const GeoZone& z : zones) {
      double d = great_circle_km(z.lat, z.lon, lat, lon);
      if (d > z.radius_km) continue;
      double dy = (lat - z.lat) * kKmPerDeg;
      double dx = (lon - z.lon) * kKmPerDeg * std::cos(z.lat * std::numbers::pi / 180);
      double norm = std::hypot(dx, dy);
      if (norm < 1e-9) dx = 0, dy = 1, norm = 1;
      double want = z.radius_km + margin * (1 + round);
      lat = z.lat + dy / norm * want / kKmPerDeg;
      lon = z.lon + dx / norm * want / (kKmPerDeg * std::cos(z.lat * std::numbers::pi / 180));
      moved = true;
    }
    if (!moved) break;
  }
  return {lat, lon};
}

// Drops options no optimal plan needs: o is dominated by o' when o' clears
// every requirement o clears, is the same kind of change for paths and
// populations (remove and move stay distinct), and costs no more. With nine
// priced vendors and one rule, this leaves one option per component instead of
// nine, which is what keeps a 20,000-site integer program small.
void prune_dominated(pi::Problem& p) {
  std::vector<pi::Clear*> refs;
  for (auto& m : p.must) refs.push_back(&m.clear);
  for (auto& cap : p.caps)
    for (auto& u : cap.units) {
      for (auto& c : u.matched) refs.push_back(&c);
      for (auto& c : u.scope_removals) refs.push_back(&c);
    }
  for (auto& iso : p.isolations)
    for (auto& c : iso.source_clear) refs.push_back(&c);
  std::vector<std::vector<pi::Clear*>> by_item(p.items.size());
  for (pi::Clear* c : refs)
    if (c->item != kNo) by_item[c->item].push_back(c);
  // A tied item keeps every vendor: its partners may need the one that looks dominated.
  std::vector<uint8_t> tied(p.items.size(), 0);
  for (const pi::Together& t : p.together) tied[t.a] = tied[t.b] = 1;
  for (const pi::Managed& m : p.managed) tied[m.manager] = tied[m.element] = 1;
  for (size_t i = 0; i < p.items.size(); ++i) {
    auto& opts = p.items[i].options;
    const size_t k = opts.size();
    if (k < 2 || tied[i]) continue;
    // Signature of option o: which references it satisfies, plus its kind.
    std::vector<std::vector<bool>> sig(k);
    for (size_t o = 0; o < k; ++o) {
      for (const pi::Clear* c : by_item[i]) sig[o].push_back((c->mask >> o) & 1);
      sig[o].push_back(opts[o].kind == ActionKind::kRemove);
      sig[o].push_back(opts[o].kind == ActionKind::kMove);
    }
    std::vector<int> new_index(k, -1);
    std::vector<pi::Option> kept;
    for (size_t o = 0; o < k; ++o) {
      bool dominated = false;
      for (size_t q = 0; q < k && !dominated; ++q) {
        if (q == o) continue;
        bool cheaper = opts[q].cost < opts[o].cost || (opts[q].cost == opts[o].cost && q < o);
        if (!cheaper) continue;
        bool covers = true;
        for (size_t b = 0; b < sig[o].size() && covers; ++b) {
          bool kind_bit = b + 2 >= sig[o].size();
          covers = kind_bit ? sig[o][b] == sig[q][b] : (!sig[o][b] || sig[q][b]);
        }
        dominated = covers;
      }
      if (!dominated) {
        new_index[o] = static_cast<int>(kept.size());
        kept.push_back(opts[o]);
      }
    }
    if (kept.size() == k) continue;
    for (pi::Clear* c : by_item[i]) {  // (not every ref: that was quadratic in the items)
      uint64_t m = 0;
      for (size_t o = 0; o < k; ++o)
        if (((c->mask >> o) & 1) && new_index[o] >= 0) m |= uint64_t{1} << new_index[o];
      c->mask = m;
    }
    opts = std::move(kept);
  }
}

Expected<Built> build(const PlanInput& in, const Jurisdiction& j) {
  const PlanOptions& o = in.options;
  const KnowledgeBase& kb = in.kb;
  Built b;
  PhaseClock clock(&b.phases);
  if (in.proposal) {
    auto applied = apply_proposal(in.network, *in.proposal);
    if (!applied) return applied.error();
    b.net = std::move(applied->network);
    b.state = std::move(applied->state);
  } else {
    b.net = clone(in.network);
  }
  const Network& net = b.net;
  const size_t n = net.components.size();
  const Date until = o.until.value_or(o.date);
  if (until < o.date) return Status::bad_input("--until must not be before --date");
  b.months = Months::starting(o.date);
  std::vector<const RuleSpec*> rules = kb.rules_for(j);

  // Checkpoints: the start, every rule coming into force, every deadline
  // passing, the end, and the first day the first month's work is in service
  // (what is overdue at the start is judged cleared there).
  std::set<int32_t> cp{o.date.days, until.days, b.months.in_service(0).days};
  for (const RuleSpec* r : rules) {
    if (!r->binding) continue;
    if (r->effective_from && o.date < *r->effective_from && *r->effective_from <= until) cp.insert(r->effective_from->days);
    const RuleKind* kind = find_rule_kind(r->kind);
    if (auto by = kind ? kind->last_day(*r) : std::nullopt; by && o.date <= *by && *by < until) cp.insert(by->days + 1);
  }
  // The integer program's periods are the months between consecutive due
  // months, so it stays as small as the checkpoints make it, not the months.
  std::set<int> dues;
  for (int32_t days : cp) {
    const int last = b.months.last_in_service(Date{days});
    b.checkpoints.push_back({Date{days}, 0, std::max(last, 0), last < 0});
    dues.insert(b.checkpoints.back().due);
  }
  b.period_due.assign(dues.begin(), dues.end());
  for (Checkpt& k : b.checkpoints)
    k.period = static_cast<uint32_t>(std::lower_bound(b.period_due.begin(), b.period_due.end(), k.due) - b.period_due.begin());
  const auto periods = static_cast<uint32_t>(b.period_due.size());

  // Replacement vendors: priced in the cost model, known to the KB, and not
  // high-risk on any checkpoint date (checked per component's function below).
  for (const auto& id : o.allow_vendors) {
    if (!o.costs.vendor_class.count(id))
      return Status::bad_input(fmt::format("--allow-vendor: \"{}\" has no cost class in the cost model {}{}", id,
                                           o.costs.file, vendor_hint(id, o.costs.vendor_class)));
  }
  if (o.portfolios) {
    for (const auto& [id, loc] : o.portfolios->vendor_loc)
      if (!kb.resolve_vendor(id))
        return Status::bad_input(fmt::format("{}: vendor \"{}\" is not in the knowledge base", loc.to_string(), id));
  }
  for (const auto& [id, cls] : o.costs.vendor_class) {
    if (!o.vendor.empty() && id != o.vendor) continue;
    if (!o.allow_vendors.empty() &&
        std::find(o.allow_vendors.begin(), o.allow_vendors.end(), id) == o.allow_vendors.end())
      continue;
    auto v = kb.resolve_vendor(id);
    if (!v) {
      if (!o.vendor.empty()) return Status::not_found(fmt::format("vendor \"{}\" is not in the knowledge base", id));
      continue;
    }
    b.candidates.push_back({kb.vendors[*v].id, *v, cls});
  }
  if (!o.vendor.empty() && b.candidates.empty())
    return Status::bad_input(fmt::format("vendor \"{}\" has no cost class in the cost model {} (add it under vendors:)",
                                         o.vendor, o.costs.file));
  for (const Candidate& c : b.candidates)
    for (const Checkpt& k : b.checkpoints)
      if (!o.vendor.empty() && kb.vendor_risk(c.kb, j, k.date).risk == VendorRisk::kHighRisk)
        return Status::failed_precondition(
            fmt::format("vendor \"{}\" is high-risk in {} on {}: it cannot be the replacement", o.vendor, j.code,
                        k.date.to_string()));

  // The variant network: every component made by one candidate vendor, to see
  // which rules that vendor clears. One copy whose vendor column is refilled
  // per candidate (a copy per candidate cost a second at 20,000 sites).
  Network variant = clone(net);
  std::vector<StrId> variant_vendor;
  for (const Candidate& c : b.candidates) variant_vendor.push_back(variant.strings.intern(c.id));
  auto make_variant = [&](size_t v) {
    std::fill(variant.components.vendor.begin(), variant.components.vendor.end(), variant_vendor[v]);
  };
  clock.lap("build.variants");

  pi::Problem& p = b.problem;
  p.periods = periods;
  for (uint32_t q = 0; q < periods; ++q) {
    p.period_year.push_back(b.months.year(b.period_due[q]));
    p.period_name.push_back(b.months.label(b.period_due[q]));
  }
  p.site_count = static_cast<uint32_t>(net.sites.size());
  p.site_visit = o.costs.site_visit;
  p.protect_link = o.costs.protect_link;
  p.link_count = static_cast<uint32_t>(net.links.size());
  p.budget = o.budget ? *o.budget : -1;
  p.capacity = o.capacity ? static_cast<int64_t>(*o.capacity) : -1;
  p.capacity_unit = "month";
  if (o.capacity)  // a period holds the months after the previous one's last, up to its own
    for (uint32_t q = 0; q < periods; ++q)
      p.period_capacity.push_back(p.capacity * (b.period_due[q] - (q ? b.period_due[q - 1] : -1)));
  p.time_limit_s = o.time_limit_s;
  p.node_item.assign(n, kNo);
  std::map<std::string, uint32_t> rule_index;
  auto rule_idx = [&](const std::string& id) {
    auto [it, fresh] = rule_index.try_emplace(id, static_cast<uint32_t>(p.rules.size()));
    if (fresh) p.rules.push_back(id);
    return it->second;
  };

  // Zones, for moves: every place a rule keeps matching equipment away from.
  for (const RuleSpec* r : rules)
    if (const RuleKind* kind = find_rule_kind(r->kind))
      for (const GeoZone& z : kind->zones(*r, net)) b.zones.push_back(z);

  // Evaluate every checkpoint once, on the network as it is.
  struct Eval {
    VendorColumns vendors;
    std::vector<Finding> findings;
    std::vector<VendorColumns> variant_vendors;
  };
  std::vector<Eval> evals(b.checkpoints.size());
  for (size_t k = 0; k < b.checkpoints.size(); ++k) {
    Eval& e = evals[k];
    e.vendors = resolve_vendors(net, kb, j, b.checkpoints[k].date);
    AccessGraph g = AccessGraph::build(net, GraphOptions{});
    EvalContext ctx{net, kb, j, b.checkpoints[k].date, e.vendors, b.state, &g};
    e.findings = evaluate_rules(rules, ctx);
  }
  clock.lap("build.evaluate");

  // What each rule's binding violations ask of the plan, in the rule kind's
  // own terms (a rule's findings are contiguous: evaluate_rules goes rule by rule).
  std::map<std::string, const RuleSpec*> rule_by_id;
  for (const RuleSpec* r : rules) rule_by_id[r->id] = r;
  struct Request {
    size_t checkpoint;
    const RuleSpec* rule;
    bool planned;
    std::vector<PlanNeed> needs;
  };
  std::vector<Request> requests;
  std::set<ComponentIdx> in_zone;  // components a move can clear: offered a move option
  std::map<std::string, int> cleared;
  std::vector<std::string> cleared_order;
  for (size_t k = 0; k < b.checkpoints.size(); ++k) {
    EvalContext ctx{net, kb, j, b.checkpoints[k].date, evals[k].vendors, b.state, nullptr};
    const std::vector<Finding>& fs = evals[k].findings;
    for (size_t i = 0, end = 0; i < fs.size(); i = end) {
      end = i + 1;
      while (end < fs.size() && fs[end].rule == fs[i].rule) ++end;
      auto rit = rule_by_id.find(fs[i].rule);
      if (rit == rule_by_id.end()) continue;
      const RuleSpec* r = rit->second;
      std::vector<Finding> group;  // the rule's binding violations
      std::copy_if(fs.begin() + static_cast<std::ptrdiff_t>(i), fs.begin() + static_cast<std::ptrdiff_t>(end),
                   std::back_inserter(group), [](const Finding& f) { return f.binding && f.violation; });
      if (group.empty()) continue;
      for (const Finding& f : group) {
        if (!cleared.count(r->id)) cleared_order.push_back(r->id);
        cleared[r->id] = std::max(cleared[r->id], static_cast<int>(f.components.size()));
      }
      Request req{k, r, false, {}};
      if (const RuleKind* kind = find_rule_kind(r->kind)) req.planned = kind->plan(*r, group, ctx, req.needs);
      for (const PlanNeed& need : req.needs)
        if (const auto* c = std::get_if<plan_need::Clear>(&need); c && c->move_clears) in_zone.insert(c->component);
      requests.push_back(std::move(req));
    }
  }

  // What must change together. A component tied to one a move can clear may
  // move with it (an anchor eNB with its gNB).
  b.vendor = kb_vendors(net, kb);
  if (o.constraints) b.ties = tie_pairs(net, *o.constraints, b.vendor);
  for (bool grew = o.constraints.has_value(); grew;) {
    grew = false;
    for (const TiePair& t : b.ties)
      if (o.constraints->constraints[t.constraint].kind == ChangeConstraint::Kind::kTogether &&
          in_zone.count(t.a) != in_zone.count(t.b)) {
        in_zone.insert(t.a);
        in_zone.insert(t.b);
        grew = true;
      }
  }

  // Items: the options each component has.
  auto item_of = [&](ComponentIdx c) -> uint32_t {
    if (p.node_item[c] != kNo) return p.node_item[c];
    pi::Item it;
    it.component = c;
    it.site = net.components.site[c] == kNone ? kNo : net.components.site[c];
    const Function f = net.components.function[c];
    const ComponentState st = b.state.empty() ? ComponentState::kExisting : b.state[c];
    for (uint32_t v = 0; v < b.candidates.size(); ++v) {
      const Candidate& cand = b.candidates[v];
      bool allowed = true;
      for (const Checkpt& k : b.checkpoints)
        allowed = allowed && kb.vendor_risk(cand.kb, j, k.date, f).risk != VendorRisk::kHighRisk;
      // Only a vendor that makes the function (its portfolio) replaces it.
      allowed = allowed && (!o.portfolios || o.portfolios->supplies(cand.id, f));
      auto cost = o.costs.replace_cost(f, cand.cls);
      if (allowed && cost) it.options.push_back({ActionKind::kReplace, *cost, v});
    }
    // Removal and moves edit the base network, so they are offered for existing equipment
    // (a proposal's own additions are replaced, not dropped).
    if (auto cost = o.costs.remove_cost(f); cost && st == ComponentState::kExisting)
      it.options.push_back({ActionKind::kRemove, *cost, kNo});
    if (auto cost = o.costs.move_cost(f); cost && in_zone.count(c) && st != ComponentState::kChanged &&
                                          it.site != kNo && !std::isnan(net.sites.lat[it.site]))
      it.options.push_back({ActionKind::kMove, *cost, kNo});
    if (it.options.size() > 64) it.options.resize(64);
    p.node_item[c] = static_cast<uint32_t>(p.items.size());
    p.items.push_back(std::move(it));
    b.item_component.push_back(c);
    b.item_rules.emplace_back();
    return p.node_item[c];
  };
  // Which options clear component c of rule r at checkpoint k.
  std::map<std::pair<size_t, const RuleSpec*>, std::vector<ComponentSet>> variant_match;
  auto clear_of = [&](ComponentIdx c, const RuleSpec& r, size_t k, bool move_clears, bool remove_clears) {
    uint32_t item = item_of(c);
    b.item_rules[item].insert(rule_idx(r.id));
    auto key = std::make_pair(k, &r);
    auto itm = variant_match.find(key);
    if (itm == variant_match.end()) {
      std::vector<ComponentSet> sets;
      auto& vendors = evals[k].variant_vendors;
      for (size_t v = 0; v < b.candidates.size(); ++v) {
        make_variant(v);
        if (vendors.size() <= v) vendors.push_back(resolve_vendors(variant, kb, j, b.checkpoints[k].date));
        EvalContext vctx{variant, kb, j, b.checkpoints[k].date, vendors[v], b.state, nullptr};
        sets.push_back(select(r.where, vctx));
      }
      itm = variant_match.emplace(key, std::move(sets)).first;
    }
    uint64_t mask = 0;
    const auto& opts = p.items[item].options;
    for (size_t op = 0; op < opts.size(); ++op) {
      bool clears = (opts[op].kind == ActionKind::kReplace && !itm->second[opts[op].vendor].test(c)) ||
                    (opts[op].kind == ActionKind::kRemove && remove_clears) ||
                    (opts[op].kind == ActionKind::kMove && move_clears);
      if (clears) mask |= uint64_t{1} << op;
    }
    return pi::Clear{item, mask};
  };

  // Best within budget: what each requirement is worth, its rule's severity
  // (info 1, low 2, medium 4, high 8, critical 16) times 1 + the subscribers
  // behind its component: a radio's own, and for everything else (core,
  // management, transport) every subscriber of the network, whose service it
  // carries or controls.
  uint64_t all_subscribers = 0;
  for (ComponentIdx c = 0; c < n; ++c)
    if (function_domain(net.components.function[c]) == Domain::kRan) all_subscribers += net.components.subscribers[c];
  auto risk = [&](const RuleSpec& r, ComponentIdx c) {
    const bool ran = function_domain(net.components.function[c]) == Domain::kRan;
    return static_cast<double>(1u << static_cast<unsigned>(r.severity)) *
           (1 + static_cast<double>(ran ? net.components.subscribers[c] : all_subscribers));
  };
  p.best_within_budget = o.budget.has_value();
  std::set<std::string> unplanned_rules;
  std::map<std::pair<uint8_t, uint8_t>, uint32_t> graph_of;  // (stop, reporting) -> problem graph
  for (const Request& req : requests) {
    const RuleSpec& r = *req.rule;
    const size_t k = req.checkpoint;
    const uint32_t period = b.checkpoints[k].period;
    const uint32_t ri = rule_idx(r.id);
    if (!req.planned) {
      if (unplanned_rules.insert(r.id).second)
        b.unplanned.push_back(fmt::format("{} ({}): the planner does not plan this rule kind; the re-assessment "
                                          "below shows whether the plan leaves it standing",
                                          r.id, r.kind));
      continue;
    }
    for (const PlanNeed& need : req.needs) {
      if (const auto* c = std::get_if<plan_need::Clear>(&need)) {
        p.must.push_back({clear_of(c->component, r, k, c->move_clears, true), period, ri,
                          std::string(net.component_id(c->component)), risk(r, c->component)});
      } else if (const auto* cap_need = std::get_if<plan_need::Cap>(&need)) {
        pi::Cap cap;
        cap.weight = 0;
        cap.rule = ri;
        cap.period = period;
        cap.max_percent = cap_need->max_percent;
        cap.label = cap_need->label;
        // Units with nothing matching can only stay: one fixed unit of their total weight.
        double fixed_weight = 0;
        bool any_fixed = false;
        for (const plan_need::CapUnit& u : cap_need->units) {
          if (u.matched.empty()) {
            fixed_weight += u.weight;
            any_fixed = true;
            continue;
          }
          pi::CapUnit cu;
          cu.weight = u.weight;
          for (ComponentIdx c : u.matched) {
            cap.weight += risk(r, c);
            pi::Clear cl = clear_of(c, r, k, false, true);
            cu.matched.push_back(cl);
            uint64_t rm = 0;
            for (size_t op = 0; op < p.items[cl.item].options.size(); ++op)
              if (p.items[cl.item].options[op].kind == ActionKind::kRemove) rm |= uint64_t{1} << op;
            if (rm) cu.scope_removals.push_back({cl.item, rm});
          }
          // The unit leaves the population only if every in-scope component there can be removed.
          cu.fixed_scope = cu.scope_removals.size() != u.scope.size();
          if (cu.fixed_scope) cu.scope_removals.clear();
          cap.units.push_back(std::move(cu));
        }
        if (any_fixed) {
          pi::CapUnit u;
          u.weight = fixed_weight;
          cap.units.push_back(std::move(u));
        }
        p.caps.push_back(std::move(cap));
      } else if (const auto* iso_need = std::get_if<plan_need::Isolate>(&need)) {
        const GraphOptions& go = iso_need->graph;
        auto key = std::make_pair(go.stop_protection, static_cast<uint8_t>(go.reporting_propagates));
        auto git = graph_of.find(key);
        if (git == graph_of.end()) {
          p.graphs.push_back(digraph_of(AccessGraph::build(net, go)));
          git = graph_of.emplace(key, static_cast<uint32_t>(p.graphs.size() - 1)).first;
        }
        pi::Isolation iso;
        iso.rule = ri;
        iso.period = period;
        iso.graph = git->second;
        for (ComponentIdx c : iso_need->sources) {
          iso.sources.push_back(c);
          iso.source_clear.push_back(clear_of(c, r, k, false, true));
          iso.source_weight.push_back(risk(r, c));
        }
        iso.targets = iso_need->targets;
        p.isolations.push_back(std::move(iso));
      }
    }
  }
  for (const auto& id : cleared_order) b.cleared.push_back({id, cleared[id]});
  if (o.budget) {
    // Whole numbers 1..1000 (the solver ranks met weight above cost by them), in proportion.
    double top = 0;
    for (const auto& m : p.must) top = std::max(top, m.weight);
    for (const auto& c : p.caps) top = std::max(top, c.weight);
    for (const auto& iso : p.isolations)
      for (double w : iso.source_weight) top = std::max(top, w);
    auto scale = [&](double& w) { w = std::max(1.0, std::round(1000 * w / std::max(top, 1.0))); };
    for (auto& m : p.must) scale(m.weight);
    for (auto& c : p.caps) scale(c.weight);
    for (auto& iso : p.isolations)
      for (double& w : iso.source_weight) scale(w);
  }
  if (o.constraints) {
    // Tied components become items until the ties close: a tied partner of an
    // item must be able to follow it; a manager's elements must have left it
    // before it changes; an element that may go to a vendor without an element
    // manager of its own in the network takes its manager with it.
    const auto& cs = o.constraints->constraints;
    std::vector<std::vector<uint32_t>> managed_vendors(cs.size());  // candidate indexes, sorted
    for (uint32_t k = 0; k < cs.size(); ++k) {
      if (cs[k].kind != ChangeConstraint::Kind::kManager) continue;
      for (uint32_t v = 0; v < b.candidates.size(); ++v)
        for (ComponentIdx c = 0; c < n; ++c)
          if (b.vendor[c] == b.candidates[v].kb && matches(cs[k].a, net, c)) {
            managed_vendors[k].push_back(v);
            break;
          }
    }
    // An element whose manager nothing else requires to change is not offered
    // the vendors without a manager of their own: following it would take the
    // manager and every element it manages (a national RAN, at scale) into the
    // problem. Its options stay, clearing nothing, so no plan picks them.
    // The options withheld per item are gathered first and stripped in one pass
    // (a pass over every requirement per tie took 1 s at 20,000 sites).
    std::vector<uint64_t> withheld;
    std::vector<uint32_t> withheld_by;  // the constraint that withheld them
    auto withhold_managerless = [&](const TiePair& t) {
      const uint32_t item = p.node_item[t.b];
      withheld_by[item] = t.constraint;
      const auto& opts = p.items[item].options;
      const auto& mv = managed_vendors[t.constraint];
      for (size_t op = 0; op < opts.size(); ++op)
        if (opts[op].kind == ActionKind::kReplace && !std::binary_search(mv.begin(), mv.end(), opts[op].vendor))
          withheld[item] |= uint64_t{1} << op;
    };
    for (bool grew = true; grew;) {
      grew = false;
      for (const TiePair& t : b.ties) {
        const bool ia = p.node_item[t.a] != kNo, ib = p.node_item[t.b] != kNo;
        const bool manager = cs[t.constraint].kind == ChangeConstraint::Kind::kManager;
        if (ia == ib || (manager && !t.same_vendor)) continue;  // a manager of another vendor already
        if (manager && !ia) continue;  // an element whose manager stays: see below
        item_of(ia ? t.b : t.a);
        grew = true;
      }
    }
    withheld.assign(p.items.size(), 0);  // sized once the ties have added their items
    withheld_by.assign(p.items.size(), kNo);
    for (const TiePair& t : b.ties)
      if (cs[t.constraint].kind == ChangeConstraint::Kind::kManager && t.same_vendor && p.node_item[t.a] == kNo &&
          p.node_item[t.b] != kNo)
        withhold_managerless(t);
    auto strip = [&](pi::Clear& c) {
      if (c.item != kNo) c.mask &= ~withheld[c.item];
    };
    p.withheld_by.assign(p.items.size(), kNo);
    for (auto& m : p.must) {
      const bool could = m.clear.item != kNo && m.clear.mask != 0;
      strip(m.clear);
      if (could && m.clear.mask == 0) p.withheld_by[m.clear.item] = withheld_by[m.clear.item];
    }
    for (auto& cap : p.caps)
      for (auto& u : cap.units) std::for_each(u.matched.begin(), u.matched.end(), strip);
    for (auto& iso : p.isolations) std::for_each(iso.source_clear.begin(), iso.source_clear.end(), strip);
    for (const TiePair& t : b.ties) {
      const uint32_t ia = p.node_item[t.a], ib = p.node_item[t.b];
      if (ia == kNo || ib == kNo) continue;
      if (cs[t.constraint].kind == ChangeConstraint::Kind::kManager) {
        if (t.same_vendor)
          p.managed.push_back({ia, ib, managed_vendors[t.constraint], t.constraint, cs[t.constraint].waiver(j.code) != nullptr});
      } else {
        p.together.push_back({ia, ib, t.same_vendor, t.constraint});
      }
    }
    for (const ChangeConstraint& c : cs) p.constraints.push_back(c.id);
  }
  clock.lap("build.requirements");
  prune_dominated(p);
  clock.lap("build.prune");
  return b;
}

// Says which tie brought each action along (nsa-anchor, akl-001-gnb), and
// re-homes each replaced element whose manager stays of another vendor to an
// element manager of its new vendor (the first by id: the constraints
// guarantee one exists).
void annotate_ties(const Built& b, const ChangeConstraints& cs, std::string_view jurisdiction,
                   std::vector<PlannedAction>& actions) {
  const Network& net = b.net;
  std::map<ComponentIdx, PlannedAction*> by_component;
  for (PlannedAction& a : actions)
    if (a.kind != ActionKind::kProtect) by_component[a.component] = &a;
  auto acted = [&](ComponentIdx c) {
    auto it = by_component.find(c);
    return it == by_component.end() ? nullptr : it->second;
  };
  std::map<std::pair<uint32_t, uint32_t>, std::optional<std::string_view>> manager_of;  // (constraint, vendor)
  std::map<PlannedAction*, std::pair<uint32_t, uint32_t>> kept;  // waived manager -> (constraint, elements that stay)
  for (const TiePair& t : b.ties) {
    const ChangeConstraint& c = cs.constraints[t.constraint];
    PlannedAction* pa = acted(t.a);
    PlannedAction* pb = acted(t.b);
    if (c.kind == ChangeConstraint::Kind::kManager && t.same_vendor && c.waiver(jurisdiction) && pa &&
        pa->kind == ActionKind::kReplace && (!pb || pb->kind == ActionKind::kMove))
      ++kept.try_emplace(pa, t.constraint, 0).first->second.second;
    if (pa && pb && pa->year == pb->year && pa->month == pb->month && pa->kind == pb->kind) {
      pa->together.push_back({c.id, pb->component_id});
      pb->together.push_back({c.id, pa->component_id});
    }
    if (c.kind != ChangeConstraint::Kind::kManager || !t.same_vendor || !pb || pb->kind != ActionKind::kReplace) continue;
    if (pa && pa->kind == ActionKind::kReplace && pa->to_vendor == pb->to_vendor) continue;  // its manager follows it
    uint32_t v = kNone;
    for (const Candidate& cand : b.candidates)
      if (cand.id == pb->to_vendor) v = cand.kb;
    // One scan of the network per (constraint, vendor), not per element: a
    // national RAN re-homes tens of thousands of elements to the same manager.
    auto [found, fresh] = manager_of.try_emplace({t.constraint, v});
    if (fresh)
      for (ComponentIdx m = 0; m < net.components.size() && v != kNone; ++m)
        if (b.vendor[m] == v && matches(c.a, net, m) && (!found->second || net.component_id(m) < *found->second))
          found->second = net.component_id(m);
    const std::optional<std::string_view>& best = found->second;
    if (best) {
      pb->from_manager = net.component_id(t.a);
      pb->to_manager = std::string(*best);
    }
  }
  for (auto& [a, why] : kept) {
    const ChangeConstraint& c = cs.constraints[why.first];
    const ChangeConstraint::Waiver& w = *c.waiver(jurisdiction);
    a->note = fmt::format(
        "its {} element{} of {} stay{} under it: read the replacement as a multi-vendor management system that "
        "manages them ({} is waived in {}: {} {}, {}, {})",
        why.second, why.second == 1 ? "" : "s", a->from_vendor, why.second == 1 ? "s" : "", c.id, w.jurisdiction,
        w.why, w.citation.instrument, w.citation.section, w.citation.url);
  }
  for (PlannedAction& a : actions) std::sort(a.together.begin(), a.together.end());
}

// The constraints the planned network breaks: a pair a constraint relates
// after the plan that was of one vendor before it and is not now.
// Where the jurisdiction waives a manager constraint, a manager replaced while
// its element stays is what the waiver allows, not a break.
std::vector<std::string> broken_ties(const Network& before, const std::vector<uint32_t>& before_vendor,
                                     const Network& after, const KnowledgeBase& kb, const ChangeConstraints& cs,
                                     std::string_view jurisdiction) {
  const std::vector<uint32_t> vendor = kb_vendors(after, kb);
  std::vector<std::string> out;
  for (const TiePair& t : tie_pairs(after, cs, vendor)) {
    if (vendor[t.a] == vendor[t.b]) continue;
    auto ba = before.find_component(after.component_id(t.a)), bb = before.find_component(after.component_id(t.b));
    if (!ba || !bb || before_vendor[*ba] == kNone || before_vendor[*ba] != before_vendor[*bb]) continue;
    const ChangeConstraint& c = cs.constraints[t.constraint];
    if (c.kind == ChangeConstraint::Kind::kManager && c.waiver(jurisdiction) && vendor[t.a] != before_vendor[*ba] &&
        vendor[t.b] == before_vendor[*bb])
      continue;
    out.push_back(fmt::format("{}: {} ({}) and {} ({})", cs.constraints[t.constraint].id, after.component_id(t.a),
                              after.str(after.components.vendor[t.a]), after.component_id(t.b),
                              after.str(after.components.vendor[t.b])));
  }
  return out;
}

// Moves the links between an element and its old manager to its new one, in
// a proposal against `base`: a link the proposal adds is edited, a link of the
// network is removed and added again from the new manager.
void rehome(Proposal& prop, const Network& base, const PlannedAction& a) {
  bool found = false;
  for (auto& l : prop.add_links) {
    if (l.a == a.from_manager && l.b == a.component_id) l.a = a.to_manager, found = true;
    if (l.b == a.from_manager && l.a == a.component_id) l.b = a.to_manager, found = true;
  }
  if (found) return;
  auto cm = base.find_component(a.from_manager), ce = base.find_component(a.component_id);
  if (!cm || !ce) return;
  for (LinkIdx l = 0; l < base.links.size(); ++l) {
    const bool ab = base.links.a[l] == *cm && base.links.b[l] == *ce, ba = base.links.a[l] == *ce && base.links.b[l] == *cm;
    if (!ab && !ba) continue;
    prop.remove_links.push_back({a.from_manager, a.component_id, base.links.interface[l], 0});
    prop.add_links.push_back({a.to_manager, a.component_id, base.links.interface[l], base.links.protection[l], 0});
  }
}

struct Edits {
  Network base;
  std::optional<Proposal> proposal;
};

// Whether an action's work is in service on day d: it is done in its month and
// in service from the first day of the next.
bool in_service_on(const PlannedAction& a, Date d) {
  return Date::from_ymd(a.month == 12 ? a.year + 1 : a.year, a.month == 12 ? 1u : static_cast<unsigned>(a.month + 1),
                        1) <= d;
}

// Which of the plan's actions are in service on day `on`.
std::vector<uint8_t> due_by(const Plan& plan, Date on) {
  std::vector<uint8_t> due(plan.actions.size());
  for (size_t i = 0; i < due.size(); ++i) due[i] = in_service_on(plan.actions[i], on);
  return due;
}

// The plan's actions marked `due` as edits to the base network and to a copy
// of the proposal, so the re-assessment sees the proposal's states.
Expected<Edits> make_edits(const PlanInput& in, const Plan& plan, const std::vector<uint8_t>& due) {
  Edits e{clone(in.network), std::nullopt};
  if (in.proposal) e.proposal = clone(*in.proposal);
  Network& base = e.base;
  // Links by their ends (smaller index first), sorted on first use: a scan of
  // every link per protected link or re-homed element was quadratic (tens of
  // thousands of re-homed radios at 20,000 sites).
  std::vector<std::pair<uint64_t, LinkIdx>> by_ends;
  auto between = [&](ComponentIdx x, ComponentIdx y) {
    auto key = [](ComponentIdx p, ComponentIdx q) { return (uint64_t{std::min(p, q)} << 32) | std::max(p, q); };
    if (by_ends.empty()) {
      by_ends.reserve(base.links.size());
      for (LinkIdx l = 0; l < base.links.size(); ++l) by_ends.push_back({key(base.links.a[l], base.links.b[l]), l});
      std::sort(by_ends.begin(), by_ends.end());
    }
    const uint64_t k = key(x, y);
    std::vector<LinkIdx> out;
    for (auto it = std::lower_bound(by_ends.begin(), by_ends.end(), std::pair<uint64_t, LinkIdx>{k, 0});
         it != by_ends.end() && it->first == k; ++it)
      out.push_back(it->second);
    return out;
  };
  std::vector<std::pair<std::string, uint32_t>> removals;
  std::map<std::string, SiteIdx> new_sites;
  std::vector<const PlannedAction*> rehomed;
  for (size_t ai = 0; ai < plan.actions.size(); ++ai) {
    if (!due[ai]) continue;
    const PlannedAction& a = plan.actions[ai];
    std::optional<ComponentIdx> added;  // index in the proposal's add table
    if (e.proposal && a.kind != ActionKind::kProtect) added = e.proposal->add.find_component(a.component_id);
    switch (a.kind) {
      case ActionKind::kReplace: {
        bool done = false;
        if (added) {
          e.proposal->add.components.vendor[*added] = e.proposal->add.strings.intern(a.to_vendor);
          done = true;
        } else if (e.proposal) {
          for (auto& ch : e.proposal->change)
            if (ch.id == a.component_id && ch.vendor) {
              ch.vendor = a.to_vendor;
              done = true;
            }
        }
        if (!done) {
          auto c = base.find_component(a.component_id);
          if (!c) return Status::internal("plan names unknown component " + a.component_id);
          base.components.vendor[*c] = base.strings.intern(a.to_vendor);
        }
        if (!a.to_manager.empty()) rehomed.push_back(&a);
        break;
      }
      case ActionKind::kRemove:
        removals.push_back({a.component_id, 0});
        break;
      case ActionKind::kMove: {
        auto [it, fresh] = new_sites.try_emplace(a.to_site, 0);
        if (fresh) {
          it->second = base.add_site(a.to_site);
          auto old = base.find_site(a.site);
          if (!old && e.proposal) {
            // The component sits on a site the proposal adds.
            if (auto ps = e.proposal->add.find_site(a.site)) {
              base.sites.region[it->second] = base.strings.intern(e.proposal->add.str(e.proposal->add.sites.region[*ps]));
            }
          } else if (old) {
            base.sites.region[it->second] = base.sites.region[*old];
          }
          base.sites.name[it->second] = base.strings.intern(a.site + " (relocated by plan)");
          base.sites.lat[it->second] = a.to_lat;
          base.sites.lon[it->second] = a.to_lon;
        }
        if (added) {
          e.proposal->add_site_ref[*added] = a.to_site;
        } else {
          auto c = base.find_component(a.component_id);
          if (!c) return Status::internal("plan names unknown component " + a.component_id);
          base.components.site[*c] = it->second;
        }
        break;
      }
      case ActionKind::kProtect: {
        // component_id holds "a -- b (interface)"; the link is found by its ends.
        const auto sep = a.component_id.find(" -- ");
        const auto paren = a.component_id.rfind(" (");
        std::string ea = a.component_id.substr(0, sep);
        std::string eb = a.component_id.substr(sep + 4, paren - sep - 4);
        std::string iface = a.component_id.substr(paren + 2, a.component_id.size() - paren - 3);
        auto ifc = parse_interface(iface);
        bool done = false;
        if (e.proposal)
          for (auto& l : e.proposal->add_links)
            if (((l.a == ea && l.b == eb) || (l.a == eb && l.b == ea)) && ifc && l.interface == *ifc) {
              l.protection |= kEncrypted | kIntegrity | kMonitored;
              done = true;
            }
        auto ca = base.find_component(ea), cb = base.find_component(eb);
        if (!done && ca && cb)
          for (LinkIdx l : between(*ca, *cb))
            if (ifc && base.links.interface[l] == *ifc) base.links.protection[l] |= kEncrypted | kIntegrity | kMonitored;
        break;
      }
    }
  }
  // Re-homing last: the links it moves may be ones a protection above edited.
  for (const PlannedAction* a : rehomed) {
    bool edited = false;
    auto cm = base.find_component(a->from_manager), ct = base.find_component(a->to_manager);
    auto ce = base.find_component(a->component_id);
    // The index keeps the old ends: each element is re-homed once, from its old manager.
    if (cm && ct && ce)
      for (LinkIdx l : between(*cm, *ce)) {
        ComponentIdx& end_a = base.links.a[l];
        ComponentIdx& end_b = base.links.b[l];
        if (end_a == *cm && end_b == *ce) end_a = *ct, edited = true;
        if (end_b == *cm && end_a == *ce) end_b = *ct, edited = true;
      }
    if (!edited && e.proposal) rehome(*e.proposal, base, *a);
  }
  if (!removals.empty()) {
    Proposal rm;
    rm.remove_components = removals;
    auto applied = apply_proposal(base, rm);
    if (!applied) return applied.error();
    e.base = std::move(applied->network);
  }
  return e;
}

// Each period's work to concrete months (docs/plan.md): the integer program
// kept every period within the monthly capacity times its months; here each
// block of work (a site's work in the period, joined with what must change
// together) goes, in problem order, to the first month of the period with room
// for all of it; a block larger than a month's capacity is spread site by site
// over the earliest months with room, its managers' sites last, so an element
// manager is never changed before its elements. Without a capacity everything
// goes in the period's first month. Returns the month index per item and per
// protected link (in Solution::protect order).
struct MonthPlan {
  std::vector<int> item, link;
};

MonthPlan assign_months(const Built& b, const pi::Solution& s, std::optional<uint32_t> capacity) {
  const pi::Problem& p = b.problem;
  const uint32_t n = static_cast<uint32_t>(p.items.size());
  MonthPlan out{std::vector<int>(n, -1), {}};
  std::vector<uint8_t> is_manager(n, 0);
  for (const pi::Managed& m : p.managed) is_manager[m.manager] = 1;
  std::map<int, int64_t> used;  // sites visited per month
  for (uint32_t q = 0; q < p.periods; ++q) {
    const int first = q ? b.period_due[q - 1] + 1 : 0, last = b.period_due[q];
    // Blocks: union-find over this period's chosen items, joined by site and by ties.
    std::vector<uint32_t> root(n);
    std::iota(root.begin(), root.end(), 0u);
    std::function<uint32_t(uint32_t)> find = [&](uint32_t v) { return root[v] == v ? v : root[v] = find(root[v]); };
    auto in_q = [&](uint32_t i) { return s.option[i] >= 0 && s.period[i] == q; };
    std::map<uint32_t, uint32_t> site_item;  // site -> an item at it
    for (uint32_t i = 0; i < n; ++i) {
      if (!in_q(i) || p.items[i].site == kNo) continue;
      auto [it, fresh] = site_item.try_emplace(p.items[i].site, i);
      if (!fresh) root[find(i)] = find(it->second);
    }
    for (const pi::Together& t : p.together)
      if (in_q(t.a) && in_q(t.b)) root[find(t.a)] = find(t.b);
    for (const pi::Managed& m : p.managed)
      if (in_q(m.manager) && in_q(m.element)) root[find(m.manager)] = find(m.element);
    std::map<uint32_t, std::vector<uint32_t>> blocks;  // root -> items, in problem order
    std::vector<uint32_t> order;
    for (uint32_t i = 0; i < n; ++i)
      if (in_q(i)) {
        auto& items = blocks[find(i)];
        if (items.empty()) order.push_back(find(i));
        items.push_back(i);
      }
    for (uint32_t r : order) {
      const auto& items = blocks[r];
      // The block's sites, those holding an element manager last.
      std::vector<std::pair<uint8_t, uint32_t>> sites;
      for (uint32_t i : items)
        if (p.items[i].site != kNo) sites.push_back({0, p.items[i].site});
      for (auto& [mgr, site] : sites)
        for (uint32_t i : items) mgr = static_cast<uint8_t>(mgr | (p.items[i].site == site && is_manager[i]));
      std::sort(sites.begin(), sites.end());
      sites.erase(std::unique(sites.begin(), sites.end(), [](auto& x, auto& y) { return x.second == y.second; }),
                  sites.end());
      std::map<uint32_t, int> site_month;
      int block_last = first;
      if (!capacity) {
        for (auto [mgr, site] : sites) site_month[site] = first;
      } else {
        const int64_t cap = *capacity, need = static_cast<int64_t>(sites.size());
        int whole = -1;
        for (int m = first; m <= last && whole < 0; ++m)
          if (used[m] + need <= cap) whole = m;
        for (auto [mgr, site] : sites) {
          int m = whole;
          if (m < 0) {  // spread: the earliest month with room, never before the block's previous site
            m = block_last;
            while (m < last && used[m] >= cap) ++m;
          }
          ++used[m];
          site_month[site] = m;
          block_last = std::max(block_last, m);
        }
        if (whole >= 0) block_last = whole;
      }
      for (uint32_t i : items)
        out.item[i] = p.items[i].site == kNo ? block_last : site_month[p.items[i].site];
    }
  }
  for (auto [k, per] : s.protect) out.link.push_back(per ? b.period_due[per - 1] + 1 : 0);
  return out;
}

}  // namespace

std::string_view plan_status_name(PlanStatus s) {
  switch (s) {
    case PlanStatus::kNothingToDo: return "nothing-to-do";
    case PlanStatus::kOptimal: return "optimal";
    case PlanStatus::kFeasible: return "feasible";
    case PlanStatus::kInfeasible: return "infeasible";
    case PlanStatus::kPartial: return "partial";
  }
  return "?";
}

Expected<Network> apply_plan(const PlanInput& input, const Plan& plan, Date on) {
  auto e = make_edits(input, plan, due_by(plan, on));
  if (!e) return e.error();
  if (!e->proposal) return std::move(e->base);
  auto applied = apply_proposal(e->base, *e->proposal);
  if (!applied) return applied.error();
  return std::move(applied->network);
}

Expected<Proposal> plan_as_proposal(const PlanInput& input, const Plan& plan) {
  Proposal out = input.proposal ? clone(*input.proposal) : Proposal{};
  if (out.title.empty()) out.title = "Mitigation plan (netvet plan)";
  const Network& base = input.network;
  auto change_of = [&](const std::string& id) -> ComponentChange& {
    for (auto& ch : out.change)
      if (ch.id == id) return ch;
    ComponentChange& ch = out.change.emplace_back();
    ch.id = id;
    return ch;
  };
  std::set<std::string> new_sites;
  for (const PlannedAction& a : plan.actions) {
    const auto added = a.kind == ActionKind::kProtect ? std::nullopt : out.add.find_component(a.component_id);
    switch (a.kind) {
      case ActionKind::kReplace:
        if (added)
          out.add.components.vendor[*added] = out.add.strings.intern(a.to_vendor);
        else
          change_of(a.component_id).vendor = a.to_vendor;
        if (!a.to_manager.empty()) rehome(out, base, a);
        break;
      case ActionKind::kRemove:
        out.remove_components.push_back({a.component_id, 0});
        break;
      case ActionKind::kMove: {
        if (new_sites.insert(a.to_site).second) {
          SiteIdx s = out.add.add_site(a.to_site);
          std::string region;
          if (auto old = base.find_site(a.site)) region = std::string(base.str(base.sites.region[*old]));
          else if (auto ps = out.add.find_site(a.site)) region = std::string(out.add.str(out.add.sites.region[*ps]));
          out.add.sites.region[s] = out.add.strings.intern(region);
          out.add.sites.name[s] = out.add.strings.intern(a.site + " (relocated by plan)");
          out.add.sites.lat[s] = a.to_lat;
          out.add.sites.lon[s] = a.to_lon;
        }
        if (added)
          out.add_site_ref[*added] = a.to_site;
        else
          change_of(a.component_id).site = a.to_site;
        break;
      }
      case ActionKind::kProtect: {
        // component_id holds "a -- b (interface)" (see make_edits).
        const auto sep = a.component_id.find(" -- ");
        const auto paren = a.component_id.rfind(" (");
        const std::string ea = a.component_id.substr(0, sep);
        const std::string eb = a.component_id.substr(sep + 4, paren - sep - 4);
        const auto ifc = parse_interface(a.component_id.substr(paren + 2, a.component_id.size() - paren - 3));
        if (!ifc) return Status::internal("plan names an unknown interface in " + a.component_id);
        constexpr uint8_t kProtected = kEncrypted | kIntegrity | kMonitored;
        bool done = false;
        for (auto& l : out.add_links)
          if (((l.a == ea && l.b == eb) || (l.a == eb && l.b == ea)) && l.interface == *ifc) {
            l.protection |= kProtected;
            done = true;
          }
        if (done) break;
        // A link of the network: removed, and added again protected.
        uint8_t had = 0;
        auto ca = base.find_component(ea), cb = base.find_component(eb);
        if (ca && cb)
          for (LinkIdx l = 0; l < base.links.size(); ++l)
            if (((base.links.a[l] == *ca && base.links.b[l] == *cb) || (base.links.a[l] == *cb && base.links.b[l] == *ca)) &&
                base.links.interface[l] == *ifc)
              had |= base.links.protection[l];
        out.remove_links.push_back({ea, eb, *ifc, 0});
        out.add_links.push_back({ea, eb, *ifc, static_cast<uint8_t>(had | kProtected), 0});
        break;
      }
    }
  }
  return out;
}

Expected<Plan> plan(const PlanInput& input) {
  const auto t0 = std::chrono::steady_clock::now();
  const PlanOptions& o = input.options;
  const Jurisdiction* j = input.kb.jurisdiction(o.jurisdiction);
  if (!j) {
    std::vector<std::string_view> codes;
    for (const auto& [c, _] : input.kb.jurisdictions) codes.push_back(c);
    std::string msg = fmt::format("unknown jurisdiction \"{}\"", o.jurisdiction);
    if (auto d = did_you_mean(o.jurisdiction, codes)) msg += fmt::format(" (did you mean \"{}\"?)", *d);
    return Status::not_found(msg);
  }
  // The jurisdiction's own currency and tables (costs.yaml `jurisdictions:`);
  // for_jurisdiction() leaves none behind, so this recurses once.
  if (o.costs.jurisdictions.count(j->code)) {
    PlanInput local = input;
    local.options.costs = o.costs.for_jurisdiction(j->code);
    return plan(local);
  }
  auto built = build(input, *j);
  if (!built) return built.error();
  Built& b = *built;
  const pi::Problem& p = b.problem;

  Plan out;
  out.stats.phases = b.phases;
  PhaseClock clock(&out.stats.phases);
  out.jurisdiction = j->code;
  out.kb_version = input.kb.version;
  out.currency = o.costs.currency;
  out.cost_basis = o.costs.basis;
  for (const auto& c : o.costs.calibration)
    if (c.jurisdiction == j->code) out.calibration.push_back(c);
  out.date = o.date;
  out.until = o.until;
  out.budget = o.budget;
  out.capacity = o.capacity;
  out.unplanned = b.unplanned;
  out.cleared = b.cleared;

  const bool nothing = p.must.empty() && p.caps.empty() && p.isolations.empty();
  pi::Solution s;
  if (nothing) {
    out.status = PlanStatus::kNothingToDo;
    s.option.assign(p.items.size(), -1);
    s.period.assign(p.items.size(), 0);
  } else {
    s = o.fast ? pi::solve_greedy(p) : pi::solve_exact(p);
    switch (s.outcome) {
      case pi::Outcome::kOptimal: out.status = PlanStatus::kOptimal; break;
      case pi::Outcome::kFeasible: out.status = PlanStatus::kFeasible; break;
      case pi::Outcome::kPartial: out.status = PlanStatus::kPartial; break;
      default: out.status = PlanStatus::kInfeasible; break;
    }
    out.infeasible = s.infeasible;
    out.stats.variables = s.variables;
    out.stats.constraints = s.constraints;
    out.stats.iterations = s.iterations;
    out.stats.path_constraints = s.path_constraints;
    clock.lap("solve");
    for (auto& ph : s.phases) out.stats.phases.push_back({"solve." + ph.first, ph.second});
  }

  if (out.status == PlanStatus::kPartial) {
    out.risk_cleared = s.risk_cleared;
    out.risk_total = s.risk_total;
    for (uint32_t k : s.unmet_must)
      out.remaining.push_back(fmt::format("{}: {} stays (due by the end of {})", p.rules[p.must[k].rule], p.must[k].component,
                                          p.period_name[p.must[k].period]));
    for (uint32_t k : s.unmet_cap)
      out.remaining.push_back(fmt::format("{}{}: stays over its {}% cap (due by the end of {})", p.rules[p.caps[k].rule],
                                          p.caps[k].label.empty() ? "" : " (" + p.caps[k].label + ")",
                                          p.caps[k].max_percent, p.period_name[p.caps[k].period]));
    for (auto [i, k] : s.unmet_source)
      out.remaining.push_back(fmt::format("{}: {} keeps its way in (due by the end of {})", p.rules[p.isolations[i].rule],
                                          b.net.component_id(p.isolations[i].sources[k]),
                                          p.period_name[p.isolations[i].period]));
    std::sort(out.remaining.begin(), out.remaining.end());
    out.remaining.erase(std::unique(out.remaining.begin(), out.remaining.end()), out.remaining.end());
  }
  if (out.status == PlanStatus::kOptimal || out.status == PlanStatus::kFeasible || out.status == PlanStatus::kPartial) {
    const Network& net = b.net;
    const MonthPlan months = assign_months(b, s, o.capacity);
    // Moves: one new site per original site, placed beyond every zone.
    std::map<SiteIdx, std::pair<double, double>> moved_to;
    for (size_t i = 0; i < p.items.size(); ++i) {
      if (s.option[i] < 0) continue;
      const pi::Option& op = p.items[i].options[s.option[i]];
      const ComponentIdx c = b.item_component[i];
      PlannedAction a;
      a.kind = op.kind;
      a.year = b.months.year(months.item[i]);
      a.month = b.months.month(months.item[i]);
      a.component = c;
      a.component_id = net.component_id(c);
      SiteIdx site = net.components.site[c];
      a.site = site == kNone ? "" : std::string(net.site_id(site));
      a.from_vendor = net.str(net.components.vendor[c]);
      a.cost = op.cost;
      for (uint32_t r : b.item_rules[i]) a.rules.push_back(p.rules[r]);
      std::sort(a.rules.begin(), a.rules.end());
      if (op.kind == ActionKind::kReplace) {
        a.to_vendor = b.candidates[op.vendor].id;
        if (o.portfolios)
          if (const PortfolioEntry* e = o.portfolios->supplies(a.to_vendor, net.components.function[c])) a.supply = *e;
      }
      if (op.kind == ActionKind::kMove) {
        auto it = moved_to.find(site);
        if (it == moved_to.end())
          it = moved_to.emplace(site, relocate(net.sites.lat[site], net.sites.lon[site], b.zones,
                                               std::max(o.costs.move_margin_km, 0.01)))
                   .first;
        a.to_site = a.site + "-relocated";
        a.to_lat = std::round(it->second.first * 1e6) / 1e6;
        a.to_lon = std::round(it->second.second * 1e6) / 1e6;
      }
      out.actions.push_back(std::move(a));
    }
    for (size_t pk = 0; pk < s.protect.size(); ++pk) {
      const uint32_t k = s.protect[pk].first;
      PlannedAction a;
      a.kind = ActionKind::kProtect;
      a.year = b.months.year(months.link[pk]);
      a.month = b.months.month(months.link[pk]);
      a.link = k;
      a.component_id = fmt::format("{} -- {} ({})", net.component_id(net.links.a[k]), net.component_id(net.links.b[k]),
                                   interface_name(net.links.interface[k]));
      a.cost = o.costs.protect_link;
      for (const auto& iso : p.isolations) a.rules.push_back(p.rules[iso.rule]);
      std::sort(a.rules.begin(), a.rules.end());
      a.rules.erase(std::unique(a.rules.begin(), a.rules.end()), a.rules.end());
      out.actions.push_back(std::move(a));
    }
    if (o.constraints) annotate_ties(b, *o.constraints, j->code, out.actions);
    std::sort(out.actions.begin(), out.actions.end(), [](const PlannedAction& x, const PlannedAction& y) {
      return std::tie(x.year, x.month, x.kind, x.component_id) < std::tie(y.year, y.month, y.kind, y.component_id);
    });
    // Cost breakdown and the month-by-month schedule (and its yearly totals).
    std::map<std::pair<int, int>, MonthSummary> by_month;
    std::map<std::pair<int, int>, std::set<std::string>> sites;
    for (const PlannedAction& a : out.actions) {
      MonthSummary& m = by_month[{a.year, a.month}];
      m.year = a.year;
      m.month = a.month;
      ++m.actions;
      m.cost += a.cost;
      switch (a.kind) {
        case ActionKind::kReplace: out.cost.replace += a.cost; break;
        case ActionKind::kRemove: out.cost.remove += a.cost; break;
        case ActionKind::kMove: out.cost.move += a.cost; break;
        case ActionKind::kProtect: out.cost.protect += a.cost; break;
      }
      if (a.kind != ActionKind::kProtect && !a.site.empty()) sites[{a.year, a.month}].insert(a.site);
    }
    for (auto& [ym, set] : sites) {
      by_month[ym].sites = static_cast<uint32_t>(set.size());
      by_month[ym].cost += o.costs.site_visit * static_cast<double>(set.size());
      out.cost.site_visit_count += static_cast<uint32_t>(set.size());
    }
    out.cost.site_visits = o.costs.site_visit * out.cost.site_visit_count;
    out.cost.total = out.cost.replace + out.cost.remove + out.cost.move + out.cost.protect + out.cost.site_visits;
    for (auto& [ym, m] : by_month) {
      out.monthly.push_back(m);
      if (out.schedule.empty() || out.schedule.back().year != m.year) out.schedule.push_back({m.year, 0, 0, 0});
      YearSummary& y = out.schedule.back();
      y.sites += m.sites;
      y.actions += m.actions;
      y.cost += m.cost;
    }
    out.lower_bound = s.lower_bound;
    out.gap = out.status != PlanStatus::kFeasible || out.lower_bound <= 0
                  ? 0
                  : (out.cost.total - out.lower_bound) / out.lower_bound;
  }

  clock.lap("actions");

  // The proof: apply the work due by each checkpoint and assess again.
  if (o.verify && out.status != PlanStatus::kInfeasible) {
    out.verified = true;
    // Checkpoints with the same work done share one planned network and its
    // what-must-change-together check (which does not depend on the date);
    // each checkpoint is still assessed on its own date.
    struct State {
      Edits edits;
      std::vector<std::string> broken;
    };
    std::map<std::vector<uint8_t>, State> states;
    for (const Checkpt& k : b.checkpoints) {
      std::vector<uint8_t> due = due_by(out, k.date);
      auto found = states.find(due);
      if (found == states.end()) {
        auto e = make_edits(input, out, due);
        if (!e) return e.error();
        State st{std::move(*e), {}};
        if (o.constraints) {  // what must change together, on the network as planned by then
          Network planned;
          if (st.edits.proposal) {
            auto applied = apply_proposal(st.edits.base, *st.edits.proposal);
            if (!applied) return applied.error();
            planned = std::move(applied->network);
          }
          st.broken = broken_ties(b.net, b.vendor, st.edits.proposal ? planned : st.edits.base, input.kb,
                                  *o.constraints, j->code);
        }
        found = states.emplace(std::move(due), std::move(st)).first;
      }
      const Edits* e = &found->second.edits;
      AssessOptions ao;
      ao.jurisdiction = j->code;
      ao.date = k.date;
      ao.clearance = o.clearance;
      ao.graph_metrics = false;
      ao.threads = o.threads;
      auto a = assess({e->base, e->proposal ? &*e->proposal : nullptr, input.kb, ao});
      if (!a) return a.error();
      Checkpoint c;
      c.date = k.date;
      const int last = b.months.last_in_service(k.date);
      if (last >= 0) c.work_through = b.months.label(last);
      c.overdue = k.overdue;
      if (k.overdue) c.due_in = b.months.label(0), c.in_service = b.months.in_service(0);
      c.outcome = a->determination.outcome;
      for (const Finding& f : a->findings)
        if (f.binding && f.violation) c.binding_findings.push_back(f.id);
      for (const Withheld& w : a->withheld)
        if (w.count > 0) c.binding_findings.push_back(fmt::format("withheld:{}", classification_name(w.classification)));
      c.broken = found->second.broken;
      // Findings at a checkpoint before any work can be in service are overdue,
      // not failures of the plan: the in-service checkpoint judges their work.
      out.verified = out.verified && (k.overdue || c.binding_findings.empty()) && c.broken.empty();
      out.checkpoints.push_back(std::move(c));
    }
  }
  clock.lap("verify");
  out.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace netvet
