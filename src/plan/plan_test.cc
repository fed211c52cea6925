// plan() end to end on hand-built networks and rules: the plan's cost equals
// the cheapest of every plan a brute-force search finds that assess() passes;
// the planned network re-assesses with no binding finding; infeasibility,
// budget, capacity and named vendors behave. The KB's vendors come from a
// throwaway YAML file (the alias index is built by the loader); the rules are
// structs added to the loaded pack, so no real kb/ data is involved.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>

#include "netvet/io.h"
#include "netvet/plan.h"
#include "netvet/policy.h"

namespace netvet {
namespace {

namespace fs = std::filesystem;

const char* kCitation = "{instrument: Test Act, section: s1, url: https://example.org/act, fact: test}";

std::unique_ptr<KnowledgeBase> test_kb() {
  static int counter = 0;
  fs::path dir = fs::temp_directory_path() /
                 ("netvet_plan_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  fs::create_directories(dir / "jurisdictions");
  std::ofstream(dir / "VERSION") << "test.1\n";
  std::ofstream(dir / "vendors.yaml") << "netvet-kb: 1\nvendors:\n"
                                         "  - {id: huawei, name: Huawei, country: CN, aliases: [Huawei]}\n"
                                         "  - {id: zte, name: ZTE, country: CN}\n"
                                         "  - {id: ericsson, name: Ericsson, country: SE, aliases: [Ericsson]}\n"
                                         "  - {id: nokia, name: Nokia, country: FI, aliases: [Nokia]}\n";
  std::ofstream(dir / "jurisdictions" / "xx.yaml")
      << "netvet-kb: 1\ncode: XX\nname: Testland\nauthority: Test\n"
         "vendor_risk:\n  - {headquarters_in: [CN], reason: test, citation: "
      << kCitation << "}\nrules: []\n";
  Diagnostics d;
  auto kb = load_kb(dir.string(), {}, d, validate_rule);
  fs::remove_all(dir);
  EXPECT_TRUE(kb) << d.format();
  return kb;
}

Selector sel(std::vector<std::pair<std::string, std::vector<std::string>>> clauses) {
  Selector s;
  for (auto& [f, v] : clauses) s.all.push_back({f, v, {}, {}});
  return s;
}

RuleSpec rule(std::string id, std::string kind, Selector where) {
  RuleSpec r;
  r.id = std::move(id);
  r.title = r.id;
  r.kind = std::move(kind);
  r.where = std::move(where);
  r.citation = {"Test Act", "s1", "https://example.org", "test"};
  return r;
}

RuleSpec core_exclusion() {
  return rule("xx.core", "exclude", sel({{"vendor.risk", {"high"}}, {"domain", {"core-5g"}}}));
}
RuleSpec ran_cap(double pct) {
  RuleSpec r = rule("xx.cap", "share_cap", sel({{"vendor.risk", {"high"}}}));
  r.params["max_percent"] = pct;
  r.params["scope"] = sel({{"domain", {"ran"}}});
  return r;
}
RuleSpec mgmt_isolation() {
  RuleSpec r = rule("xx.mgmt", "isolation", sel({{"vendor.risk", {"high"}}, {"domain", {"management"}}}));
  r.params["targets"] = sel({{"domain", {"core-5g"}}});
  return r;
}
RuleSpec zone() {
  RuleSpec r = rule("xx.zone", "exclusion_zone", sel({{"vendor.risk", {"high"}}}));
  r.params["radius_km"] = 5.0;
  return r;
}

CostModel test_costs() {
  CostModel c;
  c.currency = "XTS";
  c.vendor_class = {{"ericsson", "tier1"}, {"nokia", "budget"}};
  c.replace["ran"] = {{"tier1", 100}, {"budget", 80}};
  c.replace["core-5g"] = {{"tier1", 1000}};
  c.replace["management"] = {{"tier1", 300}, {"budget", 260}};
  c.remove["management"] = 200;
  c.move["ran"] = 60;
  c.site_visit = 20;
  c.protect_link = 50;
  return c;
}

// Sites S0..S{n-1} 10 km apart on a line, a military base 1 km from S0; one
// gNB per site, an AMF and an EMS at the core site; n2 and management links.
Network random_network(std::mt19937& rng, int sites) {
  auto pick = [&](std::vector<const char*> v) {
    return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
  };
  Network net;
  for (int i = 0; i < sites; ++i) {
    SiteIdx s = net.add_site("S" + std::to_string(i));
    net.sites.lat[s] = -41.0;
    net.sites.lon[s] = 174.0 + 0.12 * i;
    net.sites.region[s] = net.strings.intern(i % 2 ? "North" : "South");
  }
  SiteIdx core = net.add_site("CORE");
  net.sites.lat[core] = -40.0;
  net.sites.lon[core] = 175.0;
  net.add_sensitive("base", -41.0, 174.0 + 0.012, 3, SensitiveKind::kMilitary);
  ComponentIdx amf = net.add_component("amf-1", Function::kAmf);
  net.components.vendor[amf] = net.strings.intern(pick({"Huawei", "Ericsson", "Ericsson"}));
  net.components.site[amf] = core;
  ComponentIdx ems = net.add_component("ems-1", Function::kEms);
  net.components.vendor[ems] = net.strings.intern(pick({"Huawei", "ZTE", "Nokia"}));
  net.components.site[ems] = core;
  for (int i = 0; i < sites; ++i) {
    ComponentIdx g = net.add_component("gnb-" + std::to_string(i), Function::kGnb);
    net.components.vendor[g] = net.strings.intern(pick({"Huawei", "Huawei", "Ericsson"}));
    net.components.site[g] = static_cast<SiteIdx>(i);
    net.components.cells[g] = 3;
    net.add_link(g, amf, Interface::kN2);
    net.add_link(ems, g, Interface::kMgmt);
  }
  return net;
}

bool clean(const Assessment& a) {
  for (const Finding& f : a.findings)
    if (f.binding && f.violation) return false;
  return true;
}

// Every combination of per-component actions (keep, each priced allowed
// replacement, removal, move) and protected links, judged by assess() alone.
double brute_force(const Network& net, const KnowledgeBase& kb, const PlanOptions& o) {
  const Jurisdiction& j = *kb.jurisdiction(o.jurisdiction);
  VendorColumns vc = resolve_vendors(net, kb, j, o.date);
  std::vector<ComponentIdx> hrv;
  for (ComponentIdx c = 0; c < net.components.size(); ++c)
    if (vc.risk[c] == VendorRisk::kHighRisk) hrv.push_back(c);
  std::vector<std::vector<PlannedAction>> choices;
  for (ComponentIdx c : hrv) {
    std::vector<PlannedAction> opts{PlannedAction{}};  // kind kProtect with cost -1 marks "keep"
    opts[0].cost = -1;
    const Function f = net.components.function[c];
    SiteIdx s = net.components.site[c];
    PlannedAction base;
    base.component = c;
    base.component_id = net.component_id(c);
    base.site = s == kNone ? "" : std::string(net.site_id(s));
    base.year = o.date.year();
    for (const auto& [v, cls] : o.costs.vendor_class)
      if (auto cost = o.costs.replace_cost(f, cls)) {
        PlannedAction a = base;
        a.kind = ActionKind::kReplace;
        a.to_vendor = v;
        a.cost = *cost;
        opts.push_back(a);
      }
    if (auto cost = o.costs.remove_cost(f)) {
      PlannedAction a = base;
      a.kind = ActionKind::kRemove;
      a.cost = *cost;
      opts.push_back(a);
    }
    if (auto cost = o.costs.move_cost(f); cost && great_circle_km(net.sites.lat[s], net.sites.lon[s], -41.0, 174.012) <= 5) {
      PlannedAction a = base;
      a.kind = ActionKind::kMove;
      a.cost = *cost;
      a.to_site = base.site + "-relocated";
      a.to_lat = net.sites.lat[s] + 0.2;  // 22 km north: outside the zone
      a.to_lon = net.sites.lon[s];
      opts.push_back(a);
    }
    choices.push_back(opts);
  }
  double best = -1;
  std::vector<PlannedAction> chosen;
  PlanInput in{net, nullptr, kb, o};
  std::function<void(size_t)> rec = [&](size_t i) {
    if (i < choices.size()) {
      for (const PlannedAction& a : choices[i]) {
        if (a.cost >= 0) chosen.push_back(a);
        rec(i + 1);
        if (a.cost >= 0) chosen.pop_back();
      }
      return;
    }
    for (uint32_t mask = 0; mask < (1u << net.links.size()); ++mask) {
      Plan p;
      p.actions = chosen;
      std::set<std::string> sites;
      double cost = 0;
      for (const auto& a : chosen) {
        cost += a.cost;
        if (!a.site.empty()) sites.insert(a.site);
      }
      cost += o.costs.site_visit * static_cast<double>(sites.size());
      for (LinkIdx l = 0; l < net.links.size(); ++l)
        if ((mask >> l) & 1) {
          PlannedAction a;
          a.kind = ActionKind::kProtect;
          a.year = o.date.year();
          a.component_id = std::string(net.component_id(net.links.a[l])) + " -- " +
                           std::string(net.component_id(net.links.b[l])) + " (" +
                           std::string(interface_name(net.links.interface[l])) + ")";
          p.actions.push_back(a);
          cost += o.costs.protect_link;
        }
      if (best >= 0 && cost >= best) continue;
      auto planned = apply_plan(in, p, Date::from_ymd(9999, 12, 31));
      if (!planned) continue;
      AssessOptions ao;
      ao.jurisdiction = o.jurisdiction;
      ao.date = o.date;
      ao.graph_metrics = false;
      auto a = assess({*planned, nullptr, kb, ao});
      if (a && clean(*a)) best = cost;
    }
  };
  rec(0);
  return best;
}

PlanOptions options() {
  PlanOptions o;
  o.jurisdiction = "XX";
  o.date = *Date::parse("2025-06-01");
  o.costs = test_costs();
  return o;
}

TEST(Plan, CoreExclusionReplacedWithCheapestAllowedVendor) {
  auto kb = test_kb();
  ASSERT_TRUE(kb);
  kb->jurisdictions["XX"].rules = {core_exclusion()};
  Network net;
  SiteIdx s = net.add_site("CORE");
  ComponentIdx amf = net.add_component("amf-1", Function::kAmf);
  net.components.vendor[amf] = net.strings.intern("Huawei");
  net.components.site[amf] = s;
  auto p = plan({net, nullptr, *kb, options()});
  ASSERT_TRUE(p) << p.error().to_string();
  ASSERT_EQ(p->status, PlanStatus::kOptimal) << write_plan_text(*p);
  ASSERT_EQ(p->actions.size(), 1u);
  EXPECT_EQ(p->actions[0].kind, ActionKind::kReplace);
  EXPECT_EQ(p->actions[0].to_vendor, "ericsson");  // the only vendor priced for core-5g
  EXPECT_DOUBLE_EQ(p->cost.total, 1000 + 20);
  EXPECT_TRUE(p->verified) << write_plan_text(*p);
  // The start date (overdue: nothing can be in service yet) and 2025-07-01, when June's work is.
  ASSERT_EQ(p->checkpoints.size(), 2u);
  EXPECT_TRUE(p->checkpoints[0].overdue);
  EXPECT_EQ(p->checkpoints[1].date.to_string(), "2025-07-01");
  EXPECT_EQ(p->checkpoints[1].outcome, "no-significant-risk");
}

// One site with one Huawei gNB.
Network one_huawei_gnb() {
  Network net;
  SiteIdx s = net.add_site("S0");
  ComponentIdx g = net.add_component("gnb-0", Function::kGnb);
  net.components.vendor[g] = net.strings.intern("Huawei");
  net.components.site[g] = s;
  return net;
}

TEST(Plan, NamedVendorMustBeAllowed) {
  auto kb = test_kb();
  ASSERT_TRUE(kb);
  kb->jurisdictions["XX"].rules = {ran_cap(0)};
  const Network net = one_huawei_gnb();
  PlanOptions o = options();
  o.vendor = "ericsson";
  auto p = plan({net, nullptr, *kb, o});
  ASSERT_TRUE(p) << p.error().to_string();
  ASSERT_EQ(p->actions.size(), 1u);
  EXPECT_EQ(p->actions[0].to_vendor, "ericsson");
  EXPECT_DOUBLE_EQ(p->cost.total, 100 + 20);
  // ZTE is high-risk in XX: naming it is an error, not a plan.
  o.costs.vendor_class["zte"] = "budget";
  o.vendor = "zte";
  auto bad = plan({net, nullptr, *kb, o});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("high-risk"), std::string::npos);
  // Without a named vendor, the high-risk one is never chosen even when priced cheapest.
  o.vendor.clear();
  o.costs.replace["ran"]["budget"] = 1;
  o.costs.vendor_class.erase("nokia");
  p = plan({net, nullptr, *kb, o});
  ASSERT_TRUE(p);
  ASSERT_EQ(p->actions.size(), 1u);
  EXPECT_EQ(p->actions[0].to_vendor, "ericsson");
}

// A vendor replaces only what its portfolio says it makes: the cheaper vendor
// without a gNB in its portfolio is passed over, and the plan names the
// evidence; with nobody left, the plan is infeasible and says why.
TEST(Plan, PortfoliosLimitReplacementsToWhatAVendorMakes) {
  auto kb = test_kb();
  ASSERT_TRUE(kb);
  kb->jurisdictions["XX"].rules = {ran_cap(0)};
  const Network net = one_huawei_gnb();
  Diagnostics diags;
  auto portfolios = parse_portfolios(R"(netvet-portfolios: 1
vendors:
  nokia:
    - {functions: [enb], product: Base Station, evidence: report, url: https://example.org/n}
  ericsson:
    - {functions: [gnb, enb], product: Radio System, evidence: vendor-page, url: https://example.org/e}
)",
                                     "p.yaml", diags);
  ASSERT_TRUE(portfolios) << diags.format();
  PlanOptions o = options();  // nokia (budget, 80) is cheaper than ericsson (tier1, 100)
  auto cheapest = plan({net, nullptr, *kb, o});
  ASSERT_TRUE(cheapest);
  ASSERT_EQ(cheapest->actions.size(), 1u);
  EXPECT_EQ(cheapest->actions[0].to_vendor, "nokia");
  o.portfolios = *portfolios;
  auto p = plan({net, nullptr, *kb, o});
  ASSERT_TRUE(p) << p.error().to_string();
  ASSERT_EQ(p->actions.size(), 1u);
  EXPECT_EQ(p->actions[0].to_vendor, "ericsson");
  ASSERT_TRUE(p->actions[0].supply);
  EXPECT_EQ(p->actions[0].supply->product, "Radio System");
  EXPECT_NE(write_plan_text(*p).find("ericsson: Radio System (vendor-page) https://example.org/e"), std::string::npos)
      << write_plan_text(*p);
  // The operator's list leaves only nokia, which makes no gNB: no plan, and the reason names the portfolio.
  o.allow_vendors = {"nokia"};
  auto none = plan({net, nullptr, *kb, o});
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, PlanStatus::kInfeasible);
  ASSERT_FALSE(none->infeasible.empty());
  EXPECT_NE(none->infeasible[0].find("portfolio"), std::string::npos) << write_plan_text(*none);
  // A vendor the costs do not price is a usage error with a suggestion.
  o.allow_vendors = {"nokiaa"};
  auto typo = plan({net, nullptr, *kb, o});
  ASSERT_FALSE(typo);
  EXPECT_NE(typo.error().message().find("did you mean \"nokia\""), std::string::npos) << typo.error().to_string();
}

TEST(Plan, PortfolioFileErrorsHaveLocations) {
  Diagnostics diags;
  EXPECT_FALSE(parse_portfolios(R"(netvet-portfolios: 1
vendors:
  ericsson:
    - functions: [gnodeb]
      product: Radio
      evidence: rumour
      url: example.org
      colour: blue
    - {product: Core, evidence: report, url: https://example.org}
    - functions: [[amf]]
)",
                                "p.yaml", diags));
  const std::string out = diags.format();
  EXPECT_NE(out.find("p.yaml:4:19: error: unknown function \"gnodeb\""), std::string::npos) << out;
  EXPECT_NE(out.find("p.yaml:6:17: error: evidence must be vendor-page, vendor-document or report, not \"rumour\""),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("p.yaml:7:12: error: url must start with"), std::string::npos) << out;
  EXPECT_NE(out.find("p.yaml:8:7: error: unknown key \"colour\""), std::string::npos) << out;
  EXPECT_NE(out.find("p.yaml:9:7: error: an entry needs `functions`"), std::string::npos) << out;
  EXPECT_NE(out.find("p.yaml:10:"), std::string::npos) << out;  // a list where a name should be
}

// The shipped portfolios read cleanly and name only KB vendors and real entries.
TEST(Plan, ShippedPortfoliosAreValid) {
  Diagnostics diags;
  auto kb = load_kb(NETVET_SOURCE_DIR "/kb", {}, diags, validate_rule);
  ASSERT_TRUE(kb) << diags.format();
  auto text = read_file(NETVET_SOURCE_DIR "/kb/portfolios.yaml");
  ASSERT_TRUE(text);
  auto p = parse_portfolios(*text, "kb/portfolios.yaml", diags);
  ASSERT_TRUE(p) << diags.format();
  EXPECT_FALSE(p->vendors.empty());
  for (const auto& [vendor, entries] : p->vendors) {
    EXPECT_TRUE(kb->resolve_vendor(vendor)) << vendor;
    for (const auto& e : entries) EXPECT_FALSE(e.functions.empty()) << vendor << " " << e.product;
  }
}

TEST(Plan, OptimalEqualsBruteForceOnRandomNetworks) {
  auto kb = test_kb();
  ASSERT_TRUE(kb);
  kb->jurisdictions["XX"].rules = {core_exclusion(), ran_cap(50), mgmt_isolation(), zone()};
  std::mt19937 rng(7);
  int nontrivial = 0;
  for (int round = 0; round < 8; ++round) {
    SCOPED_TRACE(::testing::Message() << "round " << round);
    Network net = random_network(rng, 3);
    PlanOptions o = options();
    auto p = plan({net, nullptr, *kb, o});
    ASSERT_TRUE(p) << p.error().to_string();
    double want = brute_force(net, *kb, o);
    if (want < 0) {
      EXPECT_EQ(p->status, PlanStatus::kInfeasible);
      continue;
    }
    if (want == 0) {
      EXPECT_EQ(p->status, PlanStatus::kNothingToDo);
      continue;
    }
    ++nontrivial;
    ASSERT_EQ(p->status, PlanStatus::kOptimal) << write_plan_text(*p);
    EXPECT_DOUBLE_EQ(p->cost.total, want) << write_plan_text(*p);
    EXPECT_TRUE(p->verified) << write_plan_text(*p);
    // The greedy plan is valid and never cheaper than the optimum.
    o.fast = true;
    auto g = plan({net, nullptr, *kb, o});
    ASSERT_TRUE(g);
    if (g->status == PlanStatus::kFeasible) {
      EXPECT_TRUE(g->verified) << write_plan_text(*g);
      EXPECT_GE(g->cost.total + 1e-9, want);
      EXPECT_LE(g->lower_bound, want + 1e-6);
    }
  }
  EXPECT_GE(nontrivial, 4);
}

const char* kTestConstraints = R"(netvet-constraints: 1
constraints:
  - {id: element-manager, kind: manager, via: [mgmt], a: {function: [ems]}, why: test}
  - id: nsa-anchor
    kind: together
    via: [x2]
    a: {function: [gnb], generation: [5g-nsa]}
    b: {function: [enb]}
    why: test
)";

ChangeConstraints test_constraints() {
  Diagnostics d;
  auto c = parse_change_constraints(kTestConstraints, "c.yaml", d);
  EXPECT_TRUE(c) << d.format();
  return c ? *c : ChangeConstraints{};
}

// random_network() with an LTE anchor eNB (x2) beside every gNB, which becomes
// 5G NSA, the EMS managing the eNBs too, and sometimes a second, Ericsson EMS
// that elements replaced by Ericsson can be re-homed to.
Network random_nsa_network(std::mt19937& rng, int sites) {
  Network net = random_network(rng, sites);
  const ComponentIdx ems = *net.find_component("ems-1");
  if (std::uniform_int_distribution<int>(0, 1)(rng)) {
    ComponentIdx e2 = net.add_component("ems-2", Function::kEms);
    net.components.vendor[e2] = net.strings.intern("Ericsson");
    net.components.site[e2] = net.components.site[ems];
  }
  for (int i = 0; i < sites; ++i) {
    const ComponentIdx g = *net.find_component("gnb-" + std::to_string(i));
    net.components.generation[g] = Generation::k5gNsa;
    ComponentIdx e = net.add_component("enb-" + std::to_string(i), Function::kEnb);
    net.components.generation[e] = Generation::k4g;
    net.components.vendor[e] = std::uniform_int_distribution<int>(0, 3)(rng) ? net.components.vendor[g]
                                                                              : net.strings.intern("Nokia");
    net.components.site[e] = net.components.site[g];
    net.add_link(g, e, Interface::kX2);
    net.add_link(ems, e, Interface::kMgmt);
  }
  return net;
}

// The two constraints, checked on the networks before and after a plan
// without the planner's code: an anchor pair of one vendor stays of one
// vendor; an element of its manager's vendor is managed only by managers of
// its (new) vendor.
std::string ties_broken(const Network& before, const Network& after, const KnowledgeBase& kb) {
  auto vendor = [&](const Network& n, ComponentIdx c) { return kb.resolve_vendor(n.str(n.components.vendor[c])); };
  auto same_before = [&](std::string_view a, std::string_view b) {
    auto ca = before.find_component(a), cb = before.find_component(b);
    return ca && cb && vendor(before, *ca) == vendor(before, *cb);
  };
  for (LinkIdx l = 0; l < after.links.size(); ++l) {
    const ComponentIdx a = after.links.a[l], b = after.links.b[l];
    const std::string ia(after.component_id(a)), ib(after.component_id(b));
    if (after.links.interface[l] == Interface::kX2 && same_before(ia, ib) && vendor(after, a) != vendor(after, b))
      return "anchor pair " + ia + " / " + ib + " changed apart";
    if (after.links.interface[l] == Interface::kMgmt && after.components.function[a] == Function::kEms &&
        vendor(after, a) != vendor(after, b)) {
      // Mixed now: only acceptable if this element was already not of this manager's vendor before.
      auto cb = before.find_component(ib);
      bool was_own = false;
      for (LinkIdx k = 0; cb && k < before.links.size(); ++k)
        if (before.links.b[k] == *cb && before.links.interface[k] == Interface::kMgmt &&
            vendor(before, before.links.a[k]) == vendor(before, *cb))
          was_own = true;
      if (was_own) return "element " + ib + " is managed by " + ia + " of another vendor";
    }
  }
  return "";
}

// Property: on random NSA networks under every rule kind, neither the exact
// nor the greedy plan ever changes apart what must change together, and the
// plan's own verification agrees.
TEST(Plan, ChangeConstraintsHoldOnRandomNetworks) {
  auto kb = test_kb();
  ASSERT_TRUE(kb);
  std::mt19937 rng(18);
  const std::vector<RuleSpec> all = {core_exclusion(), ran_cap(35), mgmt_isolation(), zone(), ran_cap(0)};
  int planned = 0, anchors_replaced = 0;
  for (int round = 0; round < 24; ++round) {
    SCOPED_TRACE(::testing::Message() << "round " << round);
    kb->jurisdictions["XX"].rules = {all[static_cast<size_t>(round) % all.size()],
                                     all[static_cast<size_t>(round * 3 + 1) % all.size()]};
    Network net = random_nsa_network(rng, 3 + round % 3);
    for (bool fast : {false, true}) {
      PlanOptions o = options();
      o.constraints = test_constraints();
      o.fast = fast;
      auto p = plan({net, nullptr, *kb, o});
      ASSERT_TRUE(p) << p.error().to_string();
      if (p->status != PlanStatus::kOptimal && p->status != PlanStatus::kFeasible) continue;
      ++planned;
      EXPECT_TRUE(p->verified) << write_plan_text(*p);
      for (const Checkpoint& c : p->checkpoints) EXPECT_TRUE(c.broken.empty()) << write_plan_text(*p);
      for (const PlannedAction& a : p->actions)
        anchors_replaced += a.kind == ActionKind::kReplace && a.component_id.rfind("enb-", 0) == 0;
      auto after = apply_plan({net, nullptr, *kb, o}, *p, Date::from_ymd(9999, 12, 31));
      ASSERT_TRUE(after) << after.error().to_string();
      EXPECT_EQ(ties_broken(net, *after, *kb), "") << (fast ? "fast\n" : "exact\n") << write_plan_text(*p);
    }
  }
  EXPECT_GT(planned, 20);
  EXPECT_GT(anchors_replaced, 3);  // anchors were pulled in: the constraint was exercised
}

// The shipped constraints read cleanly.
TEST(Plan, ShippedConstraintsAreValid) {
  Diagnostics d;
  auto text = read_file(NETVET_SOURCE_DIR "/kb/constraints.yaml");
  ASSERT_TRUE(text);
  auto c = parse_change_constraints(*text, "kb/constraints.yaml", d);
  ASSERT_TRUE(c) << d.format();
  ASSERT_EQ(c->constraints.size(), 3u);
  for (const auto& k : c->constraints) EXPECT_FALSE(k.why.empty()) << k.id;
}

TEST(Plan, ConstraintFileErrorsHaveLocations) {
  Diagnostics diags;
  EXPECT_FALSE(parse_change_constraints(R"(netvet-constraints: 1
constraints:
  - id: a
    kind: togethr
    via: [x3]
    a: {function: [gnodeb], gen: [5g]}
    why: w
  - {id: a, kind: manager, via: parent, why: w}
  - [x]
)",
                                        "c.yaml", diags));
  const std::string out = diags.format();
  EXPECT_NE(out.find("c.yaml:4:11: error: kind must be manager or together, not \"togethr\""), std::string::npos) << out;
  EXPECT_NE(out.find("c.yaml:5:11: error: unknown interface \"x3\""), std::string::npos) << out;
  EXPECT_NE(out.find("c.yaml:6:20: error: unknown function \"gnodeb\""), std::string::npos) << out;
  EXPECT_NE(out.find("c.yaml:6:29: error: unknown key \"gen\""), std::string::npos) << out;
  EXPECT_NE(out.find("c.yaml:8:10: error: duplicate id \"a\""), std::string::npos) << out;
  EXPECT_NE(out.find("c.yaml:8:33: error: a manager constraint is over links"), std::string::npos) << out;
  EXPECT_NE(out.find("c.yaml:9:5: error: expected a constraint"), std::string::npos) << out;
}

// A jurisdiction that waives element-manager (kb/constraints.yaml waived_for)
// lets the manager be replaced while its elements stay, where that is the
// cheapest way to clear a rule on the manager alone; removing it (cheaper
// still) stays forbidden while its elements remain. Elsewhere the elements go
// with it. Exact and greedy alike; the planned network is checked here without
// the planner's code.
TEST(Plan, WaivedManagerConstraintReplacesTheManagerAndKeepsItsElements) {
  Diagnostics d;
  auto cs = parse_change_constraints(R"(netvet-constraints: 1
constraints:
  - id: element-manager
    kind: manager
    via: [mgmt]
    a: {function: [ems]}
    why: test
    waived_for:
      - {jurisdiction: XX, why: the rule names managers only, citation: {instrument: Test Act, section: s2, url: https://example.org/s2}}
)",
                                     "c.yaml", d);
  ASSERT_TRUE(cs) << d.format();
  ASSERT_EQ(cs->constraints[0].waived_for.size(), 1u);
  for (const char* code : {"XX", "YY"}) {
    for (bool fast : {false, true}) {
      auto kb = test_kb();
      ASSERT_TRUE(kb);
      RuleSpec r = rule("xx.managers", "exclude", sel({{"vendor.risk", {"high"}}, {"domain", {"management"}}}));
      kb->jurisdictions["XX"].rules = {r};
      kb->jurisdictions["YY"] = kb->jurisdictions["XX"];
      kb->jurisdictions["YY"].code = "YY";
      Network net;
      SiteIdx noc = net.add_site("NOC");
      ComponentIdx ems = net.add_component("ems-1", Function::kEms);
      net.components.vendor[ems] = net.strings.intern("Huawei");
      net.components.site[ems] = noc;
      for (int i = 0; i < 3; ++i) {
        SiteIdx s = net.add_site("S" + std::to_string(i));
        ComponentIdx g = net.add_component("gnb-" + std::to_string(i), Function::kGnb);
        net.components.vendor[g] = net.strings.intern("Huawei");
        net.components.site[g] = s;
        net.add_link(ems, g, Interface::kMgmt);
      }
      PlanOptions o = options();
      o.jurisdiction = code;
      o.constraints = *cs;
      o.fast = fast;
      auto p = plan({net, nullptr, *kb, o});
      ASSERT_TRUE(p) << p.error().to_string();
      const std::string text = write_plan_text(*p);
      ASSERT_TRUE(p->status == PlanStatus::kOptimal || p->status == PlanStatus::kFeasible) << text;
      EXPECT_TRUE(p->verified) << text;
      auto after = apply_plan({net, nullptr, *kb, o}, *p, Date::from_ymd(9999, 12, 31));
      ASSERT_TRUE(after) << after.error().to_string();
      // The manager is never gone while a Huawei element it managed remains.
      const bool ems_left = after->find_component("ems-1").has_value();
      int huawei_gnbs = 0;
      for (int i = 0; i < 3; ++i)
        if (after->str(after->components.vendor[*after->find_component("gnb-" + std::to_string(i))]) == "Huawei")
          ++huawei_gnbs;
      EXPECT_TRUE(ems_left || huawei_gnbs == 0) << code << (fast ? " fast" : "") << "\n" << text;
      if (std::string_view(code) == "XX") {
        // Waived: only the manager is replaced (260), not removed (200, forbidden with its elements left).
        ASSERT_EQ(p->actions.size(), 1u) << text;
        EXPECT_EQ(p->actions[0].kind, ActionKind::kReplace) << text;
        EXPECT_EQ(huawei_gnbs, 3) << text;
        EXPECT_NE(p->actions[0].note.find("3 elements of Huawei stay"), std::string::npos) << text;
        EXPECT_NE(p->actions[0].note.find("https://example.org/s2"), std::string::npos) << text;
      } else {
        // Not waived: no Huawei element stays under a manager of another vendor.
        EXPECT_TRUE(!ems_left || huawei_gnbs == 0) << text;
        EXPECT_GT(p->actions.size(), 1u) << text;
      }
    }
  }
  // waived_for: located errors.
  Diagnostics bad;
  EXPECT_FALSE(parse_change_constraints(R"(netvet-constraints: 1
constraints:
  - id: t
    kind: together
    via: [x2]
    why: w
    waived_for:
      - {jurisdiction: DE, why: w, citation: {instrument: i, section: s, url: u}}
  - id: m
    kind: manager
    via: [mgmt]
    a: {function: [ems]}
    why: w
    waived_for:
      - {jurisdiction: DE, why: w, cite: x}
)",
                                        "c.yaml", bad));
  const std::string out = bad.format();
  EXPECT_NE(out.find("c.yaml:8:7: error: waived_for applies to manager constraints only"), std::string::npos) << out;
  EXPECT_NE(out.find("c.yaml:15:36: error: unknown key \"cite\""), std::string::npos) << out;
  EXPECT_NE(out.find("c.yaml:15:9: error: a waiver needs citation"), std::string::npos) << out;
}

// Elements whose manager stays are offered only vendors with a manager of
// their own in the network (plan.cc). When no such vendor makes them, the
// reason names the constraint, and the components once per rule, not once each.
TEST(Plan, ElementsWithheldByTheirManagerAreExplainedOncePerRule) {
  Diagnostics d;
  auto cs = parse_change_constraints(R"(netvet-constraints: 1
constraints:
  - {id: element-manager, kind: manager, via: [mgmt], a: {function: [ems]}, why: test}
)",
                                     "c.yaml", d);
  ASSERT_TRUE(cs) << d.format();
  auto kb = test_kb();
  ASSERT_TRUE(kb);
  kb->jurisdictions["XX"].rules = {rule("xx.ran", "exclude", sel({{"vendor.risk", {"high"}}, {"domain", {"ran"}}}))};
  Network net;
  ComponentIdx ems = net.add_component("ems-1", Function::kEms);
  net.components.vendor[ems] = net.strings.intern("Huawei");
  for (int i = 0; i < 7; ++i) {
    ComponentIdx g = net.add_component("gnb-" + std::to_string(i), Function::kGnb);
    net.components.vendor[g] = net.strings.intern("Huawei");
    net.add_link(ems, g, Interface::kMgmt);
  }
  PlanOptions o = options();
  o.constraints = *cs;
  auto p = plan({net, nullptr, *kb, o});
  ASSERT_TRUE(p) << p.error().to_string();
  ASSERT_EQ(p->status, PlanStatus::kInfeasible) << write_plan_text(*p);
  ASSERT_EQ(p->infeasible.size(), 1u) << write_plan_text(*p);
  EXPECT_NE(p->infeasible[0].find("rule xx.ran: 7 components (gnb-0, gnb-1, gnb-2, gnb-3, gnb-4 and 2 more)"),
            std::string::npos)
      << p->infeasible[0];
  EXPECT_NE(p->infeasible[0].find("constraint element-manager"), std::string::npos) << p->infeasible[0];
  // With an Ericsson manager in the network, the gNBs can go to Ericsson under it.
  ComponentIdx ems2 = net.add_component("ems-2", Function::kEms);
  net.components.vendor[ems2] = net.strings.intern("Ericsson");
  auto ok = plan({net, nullptr, *kb, o});
  ASSERT_TRUE(ok) << ok.error().to_string();
  EXPECT_EQ(ok->status, PlanStatus::kOptimal) << write_plan_text(*ok);
}

TEST(Plan, BudgetTooSmallIsInfeasibleAndSaysSo) {
  auto kb = test_kb();
  ASSERT_TRUE(kb);
  kb->jurisdictions["XX"].rules = {core_exclusion()};
  Network net;
  ComponentIdx amf = net.add_component("amf-1", Function::kAmf);
  net.components.vendor[amf] = net.strings.intern("Huawei");
  PlanOptions o = options();
  o.budget = 999;
  auto p = plan({net, nullptr, *kb, o});
  ASSERT_TRUE(p);
  ASSERT_EQ(p->status, PlanStatus::kInfeasible);
  ASSERT_FALSE(p->infeasible.empty());
  EXPECT_NE(p->infeasible[0].find("budget"), std::string::npos) << p->infeasible[0];
  EXPECT_TRUE(p->actions.empty());
  o.budget = 1000;
  p = plan({net, nullptr, *kb, o});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->status, PlanStatus::kOptimal);
  EXPECT_LE(p->cost.total, 1000);
}

TEST(Plan, NoPricedActionIsInfeasibleNamingTheComponent) {
  auto kb = test_kb();
  ASSERT_TRUE(kb);
  kb->jurisdictions["XX"].rules = {core_exclusion()};
  Network net;
  ComponentIdx amf = net.add_component("amf-1", Function::kAmf);
  net.components.vendor[amf] = net.strings.intern("Huawei");
  PlanOptions o = options();
  o.costs.replace.erase("core-5g");
  auto p = plan({net, nullptr, *kb, o});
  ASSERT_TRUE(p);
  ASSERT_EQ(p->status, PlanStatus::kInfeasible);
  ASSERT_FALSE(p->infeasible.empty());
  EXPECT_NE(p->infeasible[0].find("amf-1"), std::string::npos) << p->infeasible[0];
}

TEST(Plan, DeadlinesAndCapacityGiveAMonthByMonthSchedule) {
  auto kb = test_kb();
  ASSERT_TRUE(kb);
  RuleSpec d1 = rule("xx.core-by-2026", "deadline", sel({{"vendor.risk", {"high"}}, {"domain", {"core-5g"}}}));
  d1.params["by"] = std::string("2026-12-31");
  RuleSpec d2 = rule("xx.all-by-2028", "deadline", sel({{"vendor.risk", {"high"}}}));
  d2.params["by"] = std::string("2028-12-31");
  kb->jurisdictions["XX"].rules = {d1, d2};
  Network net;
  for (int i = 0; i < 4; ++i) {
    SiteIdx s = net.add_site("S" + std::to_string(i));
    ComponentIdx c = net.add_component("c" + std::to_string(i), i < 2 ? Function::kAmf : Function::kGnb);
    net.components.vendor[c] = net.strings.intern("Huawei");
    net.components.site[c] = s;
  }
  PlanOptions o = options();
  o.until = *Date::parse("2029-06-30");
  o.capacity = 1;
  auto p = plan({net, nullptr, *kb, o});
  ASSERT_TRUE(p) << p.error().to_string();
  ASSERT_EQ(p->status, PlanStatus::kOptimal) << write_plan_text(*p);
  EXPECT_TRUE(p->verified) << write_plan_text(*p);
  std::map<std::pair<int, int>, int> per_month;
  for (const auto& a : p->actions) {
    ++per_month[{a.year, a.month}];
    if (a.component_id == "c0" || a.component_id == "c1") {
      EXPECT_LE(a.year, 2026) << a.component_id;
    }
    EXPECT_LE(a.year, 2028) << a.component_id;
  }
  for (auto [ym, n] : per_month) EXPECT_LE(n, 1) << ym.first << "-" << ym.second;
  // Capacity 0 cannot meet the 2026 deadline: the reason names capacity.
  o.capacity = 0;
  p = plan({net, nullptr, *kb, o});
  ASSERT_TRUE(p);
  ASSERT_EQ(p->status, PlanStatus::kInfeasible);
  ASSERT_FALSE(p->infeasible.empty());
  EXPECT_NE(p->infeasible[0].find("capacity"), std::string::npos) << p->infeasible[0];
}

// The first day on which work done in (year, month) is in service.
Date in_service(int year, int month) {
  return Date::from_ymd(month == 12 ? year + 1 : year, month == 12 ? 1u : static_cast<unsigned>(month + 1), 1);
}

// Months of work in service by `d` for a plan starting on `start`, restated
// from docs/plan.md without the planner's code: whole months from the first
// month starting on or after `start`, each in service from the next month's
// first day; at least the first month (what is overdue is due in it).
int months_for(Date start, Date d) {
  Date m = start;
  while (m.to_string().substr(8) != "01") m.days++;
  int n = 0;
  for (;;) {
    const int y = std::stoi(m.to_string().substr(0, 4)), mo = std::stoi(m.to_string().substr(5, 2));
    if (in_service(y, mo) > d) break;
    ++n;
    m = in_service(y, mo);
  }
  return std::max(n, 1);
}

// Random regions with deadlines and rules coming into force on random days,
// random monthly capacities and start dates: the plan never does work after
// the month the rule needing it requires (work is in service from the first
// day of the next month, so a rule in force from the 15th or the 31st is not
// met by that month's work), never visits more sites in a month than the
// capacity, and is infeasible exactly when the sites due by some date exceed
// the capacity of the months in service by then (Hall's condition, every
// component on a site of its own).
TEST(Plan, MonthlyScheduleMeetsEveryDateWithinMonthlyCapacity) {
  std::mt19937 rng(18);
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int feasible = 0, infeasible = 0;
  for (int iter = 0; iter < 40; ++iter) {
    auto kb = test_kb();
    ASSERT_TRUE(kb);
    const int regions = uni(1, 3);
    std::vector<Date> due_on(regions);  // the day the region's equipment must be gone
    std::vector<RuleSpec> rules;
    for (int r = 0; r < regions; ++r) {
      const std::string region = "R" + std::to_string(r);
      const Date d = Date::from_ymd(2025, static_cast<unsigned>(uni(1, 12)), static_cast<unsigned>(uni(1, 28)));
      if (uni(0, 1)) {  // a deadline: gone by d - 1
        RuleSpec x = rule("xx.deadline-" + region, "deadline", sel({{"vendor.risk", {"high"}}, {"site.region", {region}}}));
        x.params["by"] = Date{d.days - 1}.to_string();
        rules.push_back(x);
      } else {  // an exclusion in force from d
        RuleSpec x = rule("xx.exclude-" + region, "exclude", sel({{"vendor.risk", {"high"}}, {"site.region", {region}}}));
        x.effective_from = d;
        rules.push_back(x);
      }
      due_on[r] = d;
    }
    kb->jurisdictions["XX"].rules = rules;
    Network net;
    std::vector<int> region_of;
    const int sites = uni(2, 9);
    for (int i = 0; i < sites; ++i) {
      SiteIdx s = net.add_site("S" + std::to_string(i));
      const int r = uni(0, regions - 1);
      net.sites.region[s] = net.strings.intern("R" + std::to_string(r));
      ComponentIdx c = net.add_component("g" + std::to_string(i), Function::kGnb);
      net.components.vendor[c] = net.strings.intern("Huawei");
      net.components.site[c] = s;
      region_of.push_back(r);
    }
    PlanOptions o = options();
    o.date = Date::from_ymd(2024, static_cast<unsigned>(uni(10, 12)), static_cast<unsigned>(uni(1, 28)));
    o.until = *Date::parse("2026-06-01");
    if (uni(0, 3)) o.capacity = static_cast<uint32_t>(uni(0, 2));
    auto p = plan({net, nullptr, *kb, o});
    ASSERT_TRUE(p) << p.error().to_string();
    // The reference: per date, the sites that must be done by then against the months in service by then.
    bool hall = true;
    if (o.capacity)
      for (int r = 0; r < regions; ++r) {
        int need = 0;
        for (int i = 0; i < sites; ++i)
          if (months_for(o.date, due_on[region_of[i]]) <= months_for(o.date, due_on[r])) ++need;
        if (need > static_cast<int>(*o.capacity) * months_for(o.date, due_on[r])) hall = false;
      }
    std::string text = write_plan_text(*p);
    ASSERT_EQ(p->status == PlanStatus::kInfeasible, !hall) << text;
    if (!hall) {
      ++infeasible;
      continue;
    }
    ++feasible;
    ASSERT_EQ(p->status, PlanStatus::kOptimal) << text;
    EXPECT_TRUE(p->verified) << text;
    std::map<std::pair<int, int>, std::set<std::string>> visits;
    for (const PlannedAction& a : p->actions) {
      visits[{a.year, a.month}].insert(a.site);
      const int r = region_of[std::stoi(a.component_id.substr(1))];
      const Date first_month_done = in_service(std::stoi(p->checkpoints.front().in_service.to_string().substr(0, 4)),
                                               std::stoi(p->checkpoints.front().in_service.to_string().substr(5, 2)) - 1);
      // In service by the day it is needed, or (overdue) in the first month.
      EXPECT_TRUE(in_service(a.year, a.month) <= due_on[r] || in_service(a.year, a.month) == first_month_done)
          << a.component_id << " done in " << a.year << "-" << a.month << ", needed on " << due_on[r].to_string()
          << "\n" << text;
      EXPECT_TRUE(in_service(a.year, a.month) > o.date) << text;
    }
    if (o.capacity) {
      for (const auto& [ym, s] : visits) EXPECT_LE(s.size(), *o.capacity) << ym.first << "-" << ym.second << "\n" << text;
    }
    // The re-assessment: overdue only before the first month's work is in service.
    for (const Checkpoint& c : p->checkpoints) {
      EXPECT_EQ(c.overdue, c.work_through.empty()) << text;
      if (!c.overdue) {
        EXPECT_TRUE(c.binding_findings.empty()) << text;
      }
    }
  }
  EXPECT_GT(feasible, 10);
  EXPECT_GT(infeasible, 3);
}

// A rule in force from the 15th, the last day and the first day of a month:
// the month it starts in does not count (its work is in service only from the
// next month's first day), the month before does.
TEST(Plan, RuleInForceMidMonthIsNotMetByThatMonthsWork) {
  for (auto [from, through] : std::vector<std::pair<const char*, const char*>>{
           {"2025-03-15", "2025-02"}, {"2025-03-31", "2025-02"}, {"2025-04-01", "2025-03"}}) {
    auto kb = test_kb();
    ASSERT_TRUE(kb);
    RuleSpec r = core_exclusion();
    r.effective_from = *Date::parse(from);
    kb->jurisdictions["XX"].rules = {r};
    Network net;
    SiteIdx s = net.add_site("DC");
    ComponentIdx amf = net.add_component("amf-1", Function::kAmf);
    net.components.vendor[amf] = net.strings.intern("Huawei");
    net.components.site[amf] = s;
    PlanOptions o = options();
    o.date = *Date::parse("2025-01-01");
    o.until = *Date::parse("2025-06-01");
    o.capacity = 1;
    auto p = plan({net, nullptr, *kb, o});
    ASSERT_TRUE(p) << p.error().to_string();
    ASSERT_EQ(p->actions.size(), 1u) << write_plan_text(*p);
    const PlannedAction& a = p->actions[0];
    EXPECT_LE(in_service(a.year, a.month), *Date::parse(from)) << from << "\n" << write_plan_text(*p);
    EXPECT_TRUE(p->verified) << write_plan_text(*p);
    bool judged = false;
    for (const Checkpoint& c : p->checkpoints)
      if (c.date.to_string() == from) {
        EXPECT_EQ(c.work_through, through) << write_plan_text(*p);
        judged = true;
      }
    EXPECT_TRUE(judged) << from << "\n" << write_plan_text(*p);
  }
}

// What is binding on the start date cannot be met by any work: the start
// checkpoint reports it overdue (nothing in service yet), the work is done in
// the first whole month, and the plan is judged cleared from the first day of
// the next month, never on a day before its work is in service.
TEST(Plan, FindingsOnTheStartDateAreOverdueUntilTheFirstMonthsWorkIsInService) {
  auto kb = test_kb();
  ASSERT_TRUE(kb);
  kb->jurisdictions["XX"].rules = {core_exclusion()};
  Network net;
  ComponentIdx amf = net.add_component("amf-1", Function::kAmf);
  net.components.vendor[amf] = net.strings.intern("Huawei");
  PlanOptions o = options();
  o.date = *Date::parse("2025-06-10");  // mid-month: the first whole month is July
  auto p = plan({net, nullptr, *kb, o});
  ASSERT_TRUE(p) << p.error().to_string();
  ASSERT_EQ(p->actions.size(), 1u);
  EXPECT_EQ(p->actions[0].year, 2025);
  EXPECT_EQ(p->actions[0].month, 7);
  ASSERT_EQ(p->checkpoints.size(), 2u) << write_plan_text(*p);
  EXPECT_EQ(p->checkpoints[0].date.to_string(), "2025-06-10");
  EXPECT_TRUE(p->checkpoints[0].overdue);
  EXPECT_EQ(p->checkpoints[0].binding_findings.size(), 1u);
  EXPECT_EQ(p->checkpoints[0].due_in, "2025-07");
  EXPECT_EQ(p->checkpoints[1].date.to_string(), "2025-08-01");
  EXPECT_FALSE(p->checkpoints[1].overdue);
  EXPECT_EQ(p->checkpoints[1].work_through, "2025-07");
  EXPECT_TRUE(p->checkpoints[1].binding_findings.empty());
  EXPECT_TRUE(p->verified);
  const std::string text = write_plan_text(*p);
  EXPECT_NE(text.find("2025-07  replace  amf-1"), std::string::npos) << text;
  EXPECT_NE(text.find("from 2025-08-01"), std::string::npos) << text;
}

TEST(Plan, IsolationProtectsOneLinkWhenCheaperThanSwapping) {
  auto kb = test_kb();
  ASSERT_TRUE(kb);
  kb->jurisdictions["XX"].rules = {mgmt_isolation()};
  // Two Huawei EMSs manage a router that carries the AMF's traffic: one protected link beats two swaps.
  Network net;
  ComponentIdx amf = net.add_component("amf-1", Function::kAmf);
  net.components.vendor[amf] = net.strings.intern("Ericsson");
  ComponentIdx r = net.add_component("rtr-1", Function::kRouter);
  net.components.vendor[r] = net.strings.intern("Nokia");
  for (int i = 0; i < 2; ++i) {
    ComponentIdx e = net.add_component("ems-" + std::to_string(i), Function::kEms);
    net.components.vendor[e] = net.strings.intern("Huawei");
    net.add_link(e, r, Interface::kMgmt);
  }
  net.add_link(r, amf, Interface::kTransport);
  auto p = plan({net, nullptr, *kb, options()});
  ASSERT_TRUE(p) << p.error().to_string();
  ASSERT_EQ(p->status, PlanStatus::kOptimal) << write_plan_text(*p);
  ASSERT_EQ(p->actions.size(), 1u) << write_plan_text(*p);
  EXPECT_EQ(p->actions[0].kind, ActionKind::kProtect);
  EXPECT_EQ(p->actions[0].component_id, "rtr-1 -- amf-1 (transport)");
  EXPECT_DOUBLE_EQ(p->cost.total, 50);
  EXPECT_TRUE(p->verified) << write_plan_text(*p);
}

// A report words each finding's remediation from the plan's work for that
// finding's rule on its components; a finding the plan does not touch gets none.
TEST(Plan, RemediesAreThePlansWorkPerFinding) {
  auto kb = test_kb();
  ASSERT_TRUE(kb);
  RuleSpec advisory = rule("xx.advice", "exclude", sel({{"vendor.risk", {"high"}}}));
  advisory.binding = false;
  kb->jurisdictions["XX"].rules = {core_exclusion(), advisory};
  Network net;
  SiteIdx s = net.add_site("CORE");
  for (const char* id : {"amf-1", "smf-1"}) {
    ComponentIdx c = net.add_component(id, id[0] == 'a' ? Function::kAmf : Function::kSmf);
    net.components.vendor[c] = net.strings.intern("Huawei");
    net.components.site[c] = s;
  }
  auto p = plan({net, nullptr, *kb, options()});
  ASSERT_TRUE(p) << p.error().to_string();
  ASSERT_EQ(p->status, PlanStatus::kOptimal) << write_plan_text(*p);
  AssessOptions ao;
  ao.jurisdiction = "XX";
  ao.date = options().date;
  auto a = assess({net, nullptr, *kb, ao});
  ASSERT_TRUE(a) << a.error().to_string();
  ASSERT_EQ(a->findings.size(), 2u);
  attach_remedies(*a, *p);
  ASSERT_EQ(a->remedies.size(), 1u);
  const Finding& core = a->findings[0].rule == "xx.core" ? a->findings[0] : a->findings[1];
  EXPECT_EQ(a->remedies[core.id],
            "Replace amf-1 and smf-1 with ericsson in 2025-06 (XTS 2,000, the cheapest plan's work for this finding, "
            "site visits aside).");
}

TEST(CostModel, ParsesAndReportsErrorsWithLocations) {
  Diagnostics d;
  auto m = parse_cost_model(
      "netvet-costs: 1\ncurrency: GBP\nsite_visit: 10\nvendors: {ericsson: tier1}\n"
      "replace:\n  ran: {tier1: 5}\n  gnb: {tier1: 7}\nremove: {management: 3}\n",
      "c.yaml", d);
  ASSERT_TRUE(m) << d.format();
  EXPECT_EQ(m->currency, "GBP");
  EXPECT_EQ(m->replace_cost(Function::kGnb, "tier1"), 7);  // function beats domain
  EXPECT_EQ(m->replace_cost(Function::kRu, "tier1"), 5);
  EXPECT_FALSE(m->replace_cost(Function::kAmf, "tier1"));
  EXPECT_EQ(m->remove_cost(Function::kEms), 3);
  EXPECT_EQ(m->site_visit, 10);
  Diagnostics d2;
  auto bad = parse_cost_model("netvet-costs: 1\nreplace:\n  rann: {tier1: 5}\nsite_vist: 3\n", "c.yaml", d2);
  EXPECT_FALSE(bad);
  EXPECT_EQ(d2.error_count(), 2u) << d2.format();
  EXPECT_NE(d2.format().find("c.yaml:3:3"), std::string::npos) << d2.format();
  EXPECT_NE(d2.format().find("did you mean \"ran\""), std::string::npos) << d2.format();
}

// A jurisdiction's section changes only what it names; calibration entries
// are read whole, and a section may not name what only the file may.
TEST(CostModel, JurisdictionSectionsAndCalibration) {
  Diagnostics d;
  auto m = parse_cost_model(R"(netvet-costs: 1
currency: USD
site_visit: 10
protect_link: 4
vendors: {ericsson: tier1}
replace: {ran: {tier1: 5}, core-5g: {tier1: 50}}
jurisdictions:
  UK: {currency: GBP, basis: pounds, replace: {ran: {tier1: 6}}, site_visit: 12}
calibration:
  - {jurisdiction: UK, amount: 2000, currency: GBP, what: a total, per: 4, source: a statement, url: https://example.org}
)",
                            "c.yaml", d);
  ASSERT_TRUE(m) << d.format();
  ASSERT_EQ(m->calibration.size(), 1u);
  EXPECT_EQ(m->calibration[0].per, 4);
  const CostModel uk = m->for_jurisdiction("UK"), us = m->for_jurisdiction("US");
  EXPECT_EQ(uk.currency, "GBP");
  EXPECT_EQ(uk.basis, "pounds");
  EXPECT_EQ(uk.replace_cost(Function::kGnb, "tier1"), 6);
  EXPECT_EQ(uk.replace_cost(Function::kAmf, "tier1"), 50);  // not named: the default
  EXPECT_EQ(uk.site_visit, 12);
  EXPECT_EQ(uk.protect_link, 4);
  EXPECT_TRUE(uk.jurisdictions.empty());
  EXPECT_EQ(us.currency, "USD");
  EXPECT_EQ(us.site_visit, 10);
  EXPECT_EQ(us.replace_cost(Function::kGnb, "tier1"), 5);

  Diagnostics d2;
  EXPECT_FALSE(parse_cost_model(
      "netvet-costs: 1\njurisdictions:\n  UK: {vendors: {nokia: tier1}}\ncalibration:\n  - {amount: 3}\n", "c.yaml", d2));
  EXPECT_NE(d2.format().find("c.yaml:3:8: error: unknown key \"vendors\""), std::string::npos) << d2.format();
  EXPECT_NE(d2.format().find("a calibration needs `jurisdiction`"), std::string::npos) << d2.format();
}

// The shipped costs price each plan in its jurisdiction's currency and carry
// the public totals the plan is printed beside.
TEST(CostModel, ShippedCostsAreValid) {
  Diagnostics d;
  auto text = read_file(NETVET_SOURCE_DIR "/kb/costs.yaml");
  ASSERT_TRUE(text);
  auto m = parse_cost_model(*text, "kb/costs.yaml", d);
  ASSERT_TRUE(m) << d.format();
  EXPECT_EQ(m->for_jurisdiction("UK").currency, "GBP");
  EXPECT_EQ(m->for_jurisdiction("US").currency, "USD");
  EXPECT_GT(m->site_visit, 0);
  EXPECT_GE(m->calibration.size(), 2u);
}

}  // namespace
}  // namespace netvet
