// The optimisation core against brute force: on small random problems the
// exact solver's cost must equal the minimum over every assignment, its plan
// must satisfy every requirement, and infeasibility must be reported, not crashed on.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <iostream>
#include <random>

#include <fmt/format.h>

#include "ilp.h"

namespace netvet::plan_internal {
namespace {

// Calls visit(s) for every assignment of (option, period) per item, no link protected.
void for_each_assignment(const Problem& p, const std::function<void(Solution&)>& visit) {
  Solution s;
  s.option.assign(p.items.size(), -1);
  s.period.assign(p.items.size(), 0);
  std::function<void(size_t)> rec = [&](size_t i) {
    if (i == p.items.size()) return visit(s);
    s.option[i] = -1;
    rec(i + 1);
    for (size_t o = 0; o < p.items[i].options.size(); ++o)
      for (uint32_t per = 0; per < p.periods; ++per) {
        s.option[i] = static_cast<int32_t>(o);
        s.period[i] = per;
        rec(i + 1);
      }
    s.option[i] = -1;
    s.period[i] = 0;
  };
  rec(0);
}

// Enumerates every assignment and every set of protected links (protected in
// period 0, the cheapest choice when it helps).
double brute_force(const Problem& p, Solution* best_out = nullptr) {
  double best = -1;
  for_each_assignment(p, [&](Solution& s) {
    for (uint32_t mask = 0; mask < (1u << p.link_count); ++mask) {
      s.protect.clear();
      for (uint32_t k = 0; k < p.link_count; ++k)
        if ((mask >> k) & 1) s.protect.push_back({k, 0});
      if (!satisfies(p, s)) continue;
      double c = solution_cost(p, s);
      if (best < 0 || c < best) {
        best = c;
        if (best_out) *best_out = s;
      }
    }
    s.protect.clear();
  });
  return best;
}

uint64_t mask_of(const Item& it, std::initializer_list<ActionKind> kinds) {
  uint64_t m = 0;
  for (size_t o = 0; o < it.options.size(); ++o)
    for (ActionKind k : kinds)
      if (it.options[o].kind == k) m |= uint64_t{1} << o;
  return m;
}

Problem random_problem(std::mt19937& rng, uint32_t periods, bool with_graph) {
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  Problem p;
  p.periods = periods;
  for (uint32_t y = 0; y < periods; ++y) p.period_year.push_back(2024 + static_cast<int>(y));
  p.rules = {"must", "cap", "iso"};
  size_t n = static_cast<size_t>(uni(3, 5));
  p.site_count = 3;
  p.site_visit = uni(0, 1) ? uni(1, 20) : 0;
  for (size_t i = 0; i < n; ++i) {
    Item it;
    it.component = static_cast<uint32_t>(i);
    it.site = uni(0, 4) == 0 ? kNo : static_cast<uint32_t>(uni(0, 2));
    it.options.push_back({ActionKind::kReplace, static_cast<double>(uni(5, 60)), 0});
    if (uni(0, 1)) it.options.push_back({ActionKind::kRemove, static_cast<double>(uni(5, 60)), kNo});
    p.items.push_back(it);
  }
  for (size_t i = 0; i < n; ++i)
    if (uni(0, 3) == 0)
      p.must.push_back({{static_cast<uint32_t>(i), mask_of(p.items[i], {ActionKind::kReplace, ActionKind::kRemove})},
                        static_cast<uint32_t>(uni(0, static_cast<int>(periods) - 1)), 0, "c"});
  if (uni(0, 1)) {
    // A per-site cap: a site is matched while any of its items is untouched.
    Cap cap;
    cap.rule = 1;
    cap.period = static_cast<uint32_t>(uni(0, static_cast<int>(periods) - 1));
    cap.max_percent = uni(0, 2) * 35;
    for (uint32_t site = 0; site < 3; ++site) {
      CapUnit u;
      u.weight = uni(1, 3);
      for (size_t i = 0; i < n; ++i)
        if (p.items[i].site == site) u.matched.push_back({static_cast<uint32_t>(i), mask_of(p.items[i], {ActionKind::kReplace, ActionKind::kRemove})});
      cap.units.push_back(u);
    }
    p.caps.push_back(cap);
  }
  if (with_graph) {
    // Items are nodes 0..n-1, plus two extra target nodes with no item.
    uint32_t nodes = static_cast<uint32_t>(n) + 2;
    std::vector<std::vector<std::pair<uint32_t, uint32_t>>> adj(nodes);
    p.link_count = static_cast<uint32_t>(uni(1, 4));
    for (uint32_t k = 0; k < p.link_count; ++k) {
      uint32_t a = static_cast<uint32_t>(uni(0, static_cast<int>(n) - 1));
      uint32_t b = static_cast<uint32_t>(uni(0, static_cast<int>(nodes) - 1));
      if (a == b) b = nodes - 1;
      adj[a].push_back({b, k});
      if (uni(0, 1)) adj[b].push_back({a, k});
    }
    Digraph g;
    g.nodes = nodes;
    for (uint32_t v = 0; v < nodes; ++v) {
      for (auto [w, k] : adj[v]) {
        g.to.push_back(w);
        g.link.push_back(k);
      }
      g.offsets.push_back(static_cast<uint32_t>(g.to.size()));
    }
    p.graphs.push_back(g);
    p.node_item.assign(nodes, kNo);
    for (size_t i = 0; i < n; ++i) p.node_item[i] = static_cast<uint32_t>(i);
    p.protect_link = uni(3, 40);
    Isolation iso;
    iso.rule = 2;
    iso.period = 0;
    for (size_t i = 0; i < n; ++i)
      if (uni(0, 1)) {
        iso.sources.push_back(static_cast<uint32_t>(i));
        iso.source_clear.push_back({static_cast<uint32_t>(i), mask_of(p.items[i], {ActionKind::kReplace, ActionKind::kRemove})});
      }
    iso.targets = {nodes - 1, nodes - 2};
    p.isolations.push_back(iso);
  }
  if (uni(0, 3) == 0) p.budget = uni(0, 120);
  if (periods > 1 && uni(0, 2) == 0) p.capacity = uni(0, 2);
  return p;
}

TEST(IlpTest, MatchesBruteForceOnRandomProblems) {
  std::mt19937 rng(20261123);
  int feasible = 0, infeasible = 0;
  for (int round = 0; round < 120; ++round) {
    bool graph = round % 2 == 0;
    Problem p = random_problem(rng, graph ? 1 : 2, graph);
    double want = brute_force(p);
    Solution s = solve_exact(p);
    SCOPED_TRACE(::testing::Message() << "round " << round);
    if (want < 0) {
      EXPECT_EQ(s.outcome, Outcome::kInfeasible);
      EXPECT_FALSE(s.infeasible.empty());
      ++infeasible;
      continue;
    }
    ASSERT_EQ(s.outcome, Outcome::kOptimal);
    std::string why;
    EXPECT_TRUE(satisfies(p, s, &why)) << why;
    EXPECT_NEAR(s.cost, want, 1e-6);
    EXPECT_NEAR(solution_cost(p, s), s.cost, 1e-6);
    ++feasible;
    // The greedy plan is valid (when it finds one), never cheaper than the
    // optimum, and its LP bound never above it.
    Solution g = solve_greedy(p);
    if (g.outcome == Outcome::kFeasible) {
      EXPECT_TRUE(satisfies(p, g, &why)) << why;
      EXPECT_GE(g.cost + 1e-6, want);
    }
    EXPECT_LE(g.lower_bound, want + 1e-6);
  }
  // The generator must exercise both outcomes, or the test proves little.
  EXPECT_GT(feasible, 20);
  EXPECT_GT(infeasible, 3);
}

// What must change together, restated from docs/plan.md independently of
// satisfies(): tied items take the same action (vendor, removal, move) in the
// same period; a manager changes only after its element left it; an element
// goes to a vendor without a manager of its own only with its manager.
// The problem and a plan in words, for failure messages.
std::string describe(const Problem& p, const Solution& s) {
  std::string out = fmt::format("periods {} budget {} capacity {} visit {} protect {}\n", p.periods, p.budget,
                                p.capacity, p.site_visit, p.protect_link);
  for (size_t i = 0; i < p.items.size(); ++i) {
    out += fmt::format("item {} site {}:", i, p.items[i].site == kNo ? -1 : static_cast<int>(p.items[i].site));
    for (const Option& o : p.items[i].options)
      out += fmt::format(" {}{}={}", action_kind_name(o.kind), o.vendor == kNo ? "" : std::to_string(o.vendor), o.cost);
    if (i < s.option.size()) out += fmt::format("  -> option {} period {}", s.option[i], s.period[i]);
    out += "\n";
  }
  for (const MustClear& m : p.must) out += fmt::format("must item {} mask {} by {}\n", m.clear.item, m.clear.mask, m.period);
  for (const Cap& c : p.caps) out += fmt::format("cap {}% by {} units {}\n", c.max_percent, c.period, c.units.size());
  out += fmt::format("isolations {}\n", p.isolations.size());
  for (const Together& t : p.together) out += fmt::format("together {} {} same_vendor {}\n", t.a, t.b, t.same_vendor);
  for (const Managed& m : p.managed)
    out += fmt::format("managed {} -> {} vendors {}\n", m.manager, m.element, m.managed_vendors.size());
  return out;
}

bool ties_hold(const Problem& p, const Solution& s) {
  auto act = [&](uint32_t i) -> const Option* { return s.option[i] < 0 ? nullptr : &p.items[i].options[s.option[i]]; };
  for (const Together& t : p.together) {
    const Option *a = act(t.a), *b = act(t.b);
    if (!t.same_vendor) {
      if (a && a->kind == ActionKind::kReplace) a = nullptr;
      if (b && b->kind == ActionKind::kReplace) b = nullptr;
    }
    if (!a && !b) continue;
    if (!a || !b || a->kind != b->kind || s.period[t.a] != s.period[t.b]) return false;
    if (a->kind == ActionKind::kReplace && a->vendor != b->vendor) return false;
  }
  for (const Managed& m : p.managed) {
    const Option *e = act(m.manager), *el = act(m.element);
    const bool left = el && el->kind != ActionKind::kMove && s.period[m.element] <= s.period[m.manager];
    if (e && e->kind == ActionKind::kRemove && !left) return false;
    if (e && e->kind == ActionKind::kReplace &&
        !(left && (el->kind == ActionKind::kRemove || el->vendor == e->vendor)))
      return false;
    if (el && el->kind == ActionKind::kReplace &&
        std::find(m.managed_vendors.begin(), m.managed_vendors.end(), el->vendor) == m.managed_vendors.end() &&
        !(e && e->kind == ActionKind::kReplace && e->vendor == el->vendor && s.period[m.manager] <= s.period[m.element]))
      return false;
  }
  return true;
}

// Random problems with two replacement vendors and random ties between items:
// the exact plan is the brute-force optimum over plans that keep every tie,
// and neither it nor the greedy plan ever breaks one.
TEST(IlpTest, ChangeTogetherHoldsOnRandomProblems) {
  std::mt19937 rng(20261206);
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int feasible = 0, infeasible = 0, tied_actions = 0;
  for (int round = 0; round < 150; ++round) {
    const bool graph = round % 3 == 0;
    Problem p = random_problem(rng, graph ? 1 : 2, graph);
    // A second vendor on some items (not on others: a partner that cannot follow).
    for (Item& it : p.items) {
      if (uni(0, 2)) it.options.push_back({ActionKind::kReplace, static_cast<double>(uni(5, 60)), 1});
      if (uni(0, 4) == 0) it.options.push_back({ActionKind::kMove, static_cast<double>(uni(5, 60)), kNo});
    }
    // Requirements accept either vendor (masks were built with the first options only).
    for (MustClear& m : p.must)
      m.clear.mask = mask_of(p.items[m.clear.item], {ActionKind::kReplace, ActionKind::kRemove});
    for (Cap& cap : p.caps)
      for (CapUnit& u : cap.units)
        for (Clear& c : u.matched) c.mask = mask_of(p.items[c.item], {ActionKind::kReplace, ActionKind::kRemove});
    for (Isolation& iso : p.isolations)
      for (Clear& c : iso.source_clear) c.mask = mask_of(p.items[c.item], {ActionKind::kReplace, ActionKind::kRemove});
    const auto n = static_cast<int>(p.items.size());
    p.constraints = {"together", "manager"};
    for (int k = uni(1, 2); k > 0; --k) {
      uint32_t a = static_cast<uint32_t>(uni(0, n - 1)), b = static_cast<uint32_t>(uni(0, n - 1));
      if (a == b) continue;
      if (uni(0, 1))
        p.together.push_back({a, b, uni(0, 3) != 0, 0});
      else
        p.managed.push_back({a, b, uni(0, 1) ? std::vector<uint32_t>{0} : std::vector<uint32_t>{}, 1});
    }
    SCOPED_TRACE(::testing::Message() << "round " << round);
    Solution bf;
    const double want = brute_force(p, &bf);
    Solution s = solve_exact(p);
    if (want < 0) {
      EXPECT_EQ(s.outcome, Outcome::kInfeasible);
      ++infeasible;
      continue;
    }
    ASSERT_EQ(s.outcome, Outcome::kOptimal) << describe(p, s);
    EXPECT_NEAR(s.cost, want, 1e-6) << describe(p, s) << "brute force:\n" << describe(p, bf);
    EXPECT_TRUE(ties_hold(p, s)) << describe(p, s);
    ++feasible;
    for (const Together& t : p.together) tied_actions += s.option[t.a] >= 0 && s.option[t.b] >= 0;
    Solution g = solve_greedy(p);
    if (g.outcome == Outcome::kFeasible) {
      std::string why;
      EXPECT_TRUE(satisfies(p, g, &why)) << why;
      EXPECT_TRUE(ties_hold(p, g));
      EXPECT_GE(g.cost + 1e-6, want);
    }
  }
  EXPECT_GT(feasible, 30);
  EXPECT_GT(infeasible, 3);
  EXPECT_GT(tied_actions, 5);  // ties that made both ends act: the constraints were exercised
}

// Best within budget, by brute force: the most met weight of must-clears and
// caps a plan within the budget reaches, and the least cost reaching it.
std::pair<double, double> best_within_budget(const Problem& p) {
  std::pair<double, double> best{-1, 0};
  Problem open = p;  // requirements judged one by one below, budget kept
  open.must.clear();
  open.caps.clear();
  for_each_assignment(p, [&](const Solution& s) {
    if (!satisfies(open, s)) return;  // budget, capacity, ties
    double met = 0;
    for (const MustClear& m : p.must) {
      Problem one = open;
      one.must = {m};
      if (satisfies(one, s)) met += m.weight;
    }
    for (const Cap& c : p.caps) {
      Problem one = open;
      one.caps = {c};
      if (satisfies(one, s)) met += c.weight;
    }
    const double cost = solution_cost(p, s);
    if (met > best.first + 1e-9 || (std::abs(met - best.first) < 1e-9 && cost < best.second)) best = {met, cost};
  });
  return best;
}

// When the budget cannot meet every requirement, the exact planner returns the
// plan within it that meets the most weight, the cheapest such, as brute force finds.
TEST(IlpTest, BestWithinBudgetMatchesBruteForce) {
  std::mt19937 rng(20261207);
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int partial = 0;
  for (int round = 0; round < 200 && partial < 25; ++round) {
    Problem p = random_problem(rng, round % 2 ? 2 : 1, false);
    p.best_within_budget = true;
    p.budget = uni(0, 60);
    for (MustClear& m : p.must) m.weight = uni(1, 9);
    for (Cap& c : p.caps) c.weight = uni(1, 9);
    SCOPED_TRACE(::testing::Message() << "round " << round);
    Solution s = solve_exact(p);
    if (s.outcome != Outcome::kPartial) continue;
    ++partial;
    auto [met, cost] = best_within_budget(p);
    EXPECT_NEAR(s.risk_cleared, met, 1e-9) << describe(p, s);
    EXPECT_NEAR(s.cost, cost, 1e-6) << describe(p, s);
    EXPECT_LE(s.cost, p.budget + 1e-6);
    EXPECT_FALSE(s.infeasible.empty());  // why not everything: the budget
  }
  EXPECT_GE(partial, 10);
}

TEST(IlpTest, SiteVisitIsChargedOncePerSiteAndPeriod) {
  Problem p;
  p.rules = {"r"};
  p.site_count = 1;
  p.site_visit = 100;
  for (uint32_t i = 0; i < 3; ++i) {
    Item it;
    it.site = 0;
    it.options.push_back({ActionKind::kReplace, 10, 0});
    p.items.push_back(it);
    p.must.push_back({{i, 1}, 0, 0, "c"});
  }
  Solution s = solve_exact(p);
  ASSERT_EQ(s.outcome, Outcome::kOptimal);
  EXPECT_DOUBLE_EQ(s.cost, 130);
  ASSERT_EQ(s.visits.size(), 1u);
  EXPECT_EQ(s.visits[0].size(), 1u);
}

TEST(IlpTest, CapChoosesCheapestSitesAndExactlyAtCapPasses) {
  // 4 sites of weight 1, all matched; cap 50% means 2 must be cleared: the cheapest two.
  Problem p;
  p.rules = {"cap"};
  p.site_count = 4;
  Cap cap;
  cap.max_percent = 50;
  for (uint32_t i = 0; i < 4; ++i) {
    Item it;
    it.site = i;
    it.options.push_back({ActionKind::kReplace, 10.0 * (4 - i), 0});
    p.items.push_back(it);
    CapUnit u;
    u.matched.push_back({i, 1});
    cap.units.push_back(u);
  }
  p.caps.push_back(cap);
  Solution s = solve_exact(p);
  ASSERT_EQ(s.outcome, Outcome::kOptimal);
  EXPECT_DOUBLE_EQ(s.cost, 10 + 20);
  EXPECT_EQ(s.option[3], 0);
  EXPECT_EQ(s.option[2], 0);
  EXPECT_EQ(s.option[0], -1);
}

TEST(IlpTest, CapacityAndDeadlinesGiveASchedule) {
  // 4 sites must be swapped: two by period 0, two by period 1; capacity 2/period.
  Problem p;
  p.periods = 2;
  p.period_year = {2026, 2027};
  p.rules = {"deadline"};
  p.site_count = 4;
  p.capacity = 2;
  for (uint32_t i = 0; i < 4; ++i) {
    Item it;
    it.site = i;
    it.options.push_back({ActionKind::kReplace, 5, 0});
    p.items.push_back(it);
    p.must.push_back({{i, 1}, i < 2 ? 0u : 1u, 0, "c"});
  }
  Solution s = solve_exact(p);
  ASSERT_EQ(s.outcome, Outcome::kOptimal);
  EXPECT_EQ(s.period[0], 0u);
  EXPECT_EQ(s.period[1], 0u);
  EXPECT_EQ(s.period[2], 1u);
  EXPECT_EQ(s.period[3], 1u);
  // Capacity 1 cannot meet the first year's two deadlines: the reason names capacity.
  p.capacity = 1;
  s = solve_exact(p);
  ASSERT_EQ(s.outcome, Outcome::kInfeasible);
  ASSERT_FALSE(s.infeasible.empty());
  EXPECT_NE(s.infeasible[0].find("capacity"), std::string::npos) << s.infeasible[0];
}

TEST(IlpTest, BudgetInfeasibilityNamesTheBudget) {
  Problem p;
  p.rules = {"exclude"};
  Item it;
  it.options.push_back({ActionKind::kReplace, 500, 0});
  p.items.push_back(it);
  p.must.push_back({{0, 1}, 0, 0, "c"});
  p.budget = 100;
  Solution s = solve_exact(p);
  ASSERT_EQ(s.outcome, Outcome::kInfeasible);
  ASSERT_FALSE(s.infeasible.empty());
  EXPECT_NE(s.infeasible[0].find("budget"), std::string::npos) << s.infeasible[0];
  EXPECT_NE(s.infeasible[0].find("500"), std::string::npos) << s.infeasible[0];
  p.budget = 500;
  EXPECT_EQ(solve_exact(p).outcome, Outcome::kOptimal);
}

TEST(IlpTest, IsolationPrefersOneProtectedLinkOverManySwaps) {
  // Sources 0,1,2 -> hub 3 -> target 4. Swapping all three costs 30; protecting hub->target costs 12.
  Problem p;
  p.rules = {"iso"};
  p.protect_link = 12;
  p.link_count = 4;
  Digraph g;
  g.nodes = 5;
  g.offsets = {0, 1, 2, 3, 4, 4};
  g.to = {3, 3, 3, 4};
  g.link = {0, 1, 2, 3};
  p.graphs.push_back(g);
  p.node_item.assign(5, kNo);
  Isolation iso;
  for (uint32_t i = 0; i < 3; ++i) {
    Item it;
    it.options.push_back({ActionKind::kReplace, 10, 0});
    p.items.push_back(it);
    p.node_item[i] = i;
    iso.sources.push_back(i);
    iso.source_clear.push_back({i, 1});
  }
  iso.targets = {4};
  p.isolations.push_back(iso);
  Solution s = solve_exact(p);
  ASSERT_EQ(s.outcome, Outcome::kOptimal);
  EXPECT_DOUBLE_EQ(s.cost, 12);
  ASSERT_EQ(s.protect.size(), 1u);
  EXPECT_EQ(s.protect[0].first, 3u);
  // Make protection dearer than the swaps: the plan flips.
  p.protect_link = 40;
  s = solve_exact(p);
  EXPECT_DOUBLE_EQ(s.cost, 30);
  Solution g2 = solve_greedy(p);
  EXPECT_DOUBLE_EQ(g2.cost, 30);
}

TEST(IlpTest, UnclearableRequirementIsReportedNotCrashedOn) {
  Problem p;
  p.rules = {"exclude"};
  p.items.push_back(Item{});
  p.must.push_back({{0, 0}, 0, 0, "core-amf-1"});
  Solution s = solve_exact(p);
  ASSERT_EQ(s.outcome, Outcome::kInfeasible);
  ASSERT_FALSE(s.infeasible.empty());
  EXPECT_NE(s.infeasible[0].find("core-amf-1"), std::string::npos);
}

// Share-cap problems shaped like a national network: many sites, each with one
// to three components whose replacement costs come from a small set (so units
// tie and form classes), a per-site cap (sometimes at two checkpoints, i.e. two
// periods, and sometimes a second per-component cap over the same items), some
// must-clears and removable items that make their sites non-interchangeable,
// site visits, capacity and budgets.
Problem random_cap_problem(std::mt19937& rng, uint32_t sites, uint32_t periods) {
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  Problem p;
  p.periods = periods;
  for (uint32_t y = 0; y < periods; ++y) p.period_year.push_back(2024 + static_cast<int>(y));
  p.rules = {"must", "cap", "cap-components"};
  p.site_count = sites;
  p.site_visit = uni(0, 2) * 10;
  std::vector<std::vector<uint32_t>> at(sites);
  for (uint32_t st = 0; st < sites; ++st) {
    int k = uni(1, 3);
    for (int c = 0; c < k; ++c) {
      Item it;
      it.site = uni(0, 9) == 0 ? kNo : st;
      it.options.push_back({ActionKind::kReplace, 10.0 * uni(1, 2), 0});
      if (uni(0, 3) == 0) it.options.push_back({ActionKind::kReplace, 10.0 * uni(1, 3), 1});
      if (uni(0, 7) == 0) it.options.push_back({ActionKind::kRemove, 10.0 * uni(1, 3), kNo});
      at[st].push_back(static_cast<uint32_t>(p.items.size()));
      p.items.push_back(it);
    }
  }
  auto clear_all = [&](uint32_t i) {
    uint64_t m = 0;
    for (size_t o = 0; o < p.items[i].options.size(); ++o)
      if (o != 1 || uni(0, 3)) m |= uint64_t{1} << o;  // sometimes the second vendor does not clear
    return Clear{i, m};
  };
  std::vector<Clear> clears;
  for (uint32_t i = 0; i < p.items.size(); ++i) clears.push_back(clear_all(i));
  for (uint32_t i = 0; i < p.items.size(); ++i)
    if (uni(0, 7) == 0) p.must.push_back({clears[i], static_cast<uint32_t>(uni(0, static_cast<int>(periods) - 1)), 0, "c"});
  // The same per-site cap at one or more checkpoints (periods), with a few unmatched sites.
  const double pct = 10.0 * uni(2, 6);
  const uint32_t checkpoints = periods > 1 && uni(0, 1) ? 2 : 1;
  for (uint32_t k = 0; k < checkpoints; ++k) {
    Cap cap;
    cap.rule = 1;
    cap.period = checkpoints == 1 ? static_cast<uint32_t>(uni(0, static_cast<int>(periods) - 1)) : k;
    cap.max_percent = k == 0 ? pct : pct - 10;
    for (uint32_t st = 0; st < sites; ++st) {
      CapUnit u;
      for (uint32_t i : at[st]) {
        u.matched.push_back(clears[i]);
        bool removable = p.items[i].options.back().kind == ActionKind::kRemove;
        if (removable) u.scope_removals.push_back({i, uint64_t{1} << (p.items[i].options.size() - 1)});
      }
      u.fixed_scope = u.scope_removals.size() != at[st].size();
      if (u.fixed_scope) u.scope_removals.clear();
      cap.units.push_back(u);
    }
    CapUnit unmatched;
    unmatched.weight = uni(0, 3);
    cap.units.push_back(unmatched);
    p.caps.push_back(cap);
  }
  if (uni(0, 3) == 0) {
    // A second rule counting components over the first two sites' items.
    Cap cap;
    cap.rule = 2;
    cap.max_percent = 50;
    for (uint32_t st = 0; st < 2 && st < sites; ++st)
      for (uint32_t i : at[st]) {
        CapUnit u;
        u.matched.push_back(clears[i]);
        cap.units.push_back(u);
      }
    p.caps.push_back(cap);
  }
  if (uni(0, 4) == 0) p.budget = uni(50, 400);
  if (uni(0, 3) == 0) p.capacity = uni(1, static_cast<int>(sites));
  return p;
}

TEST(IlpTest, ClassAggregationKeepsTheOptimum) {
  // The aggregated model (one "how many" integer per class of interchangeable
  // cap units) must reach exactly the optimum of the per-unit model, and its
  // plan must satisfy every requirement; on the smallest cases both must equal
  // the brute-force optimum.
  std::mt19937 rng(20261124);
  int solved = 0, infeasible = 0, aggregated = 0, brute = 0;
  for (int round = 0; round < 120; ++round) {
    const bool small = round % 3 == 0;
    const uint32_t sites = small ? static_cast<uint32_t>(2 + round % 2) : static_cast<uint32_t>(6 + round % 9);
    Problem p = random_cap_problem(rng, sites, 1 + static_cast<uint32_t>(round % 2));
    if (small && p.items.size() > 5) continue;
    SCOPED_TRACE(::testing::Message() << "round " << round);
    Problem plain = p;
    plain.aggregate_caps = false;
    Solution a = solve_exact(p), b = solve_exact(plain);
    if (small) {
      double want = brute_force(p);
      ++brute;
      if (want < 0) {
        EXPECT_EQ(a.outcome, Outcome::kInfeasible);
      } else {
        ASSERT_EQ(a.outcome, Outcome::kOptimal);
        EXPECT_NEAR(a.cost, want, 1e-6);
      }
    }
    ASSERT_EQ(a.outcome, b.outcome);
    if (a.outcome != Outcome::kOptimal) {
      EXPECT_EQ(a.infeasible, b.infeasible);
      ++infeasible;
      continue;
    }
    ++solved;
    if (a.variables < b.variables) ++aggregated;
    std::string why;
    EXPECT_TRUE(satisfies(p, a, &why)) << why;
    EXPECT_NEAR(a.cost, b.cost, 1e-6);
    EXPECT_NEAR(solution_cost(p, a), a.cost, 1e-6);
    Solution g = solve_greedy(p);
    EXPECT_LE(g.lower_bound, a.cost + 1e-6);
    if (g.outcome == Outcome::kFeasible) {
      EXPECT_TRUE(satisfies(p, g, &why)) << why;
      EXPECT_GE(g.cost + 1e-6, a.cost);
    }
  }
  // The generator must exercise the aggregation, both outcomes and the brute force.
  std::cout << "solved " << solved << ", aggregated " << aggregated << ", infeasible " << infeasible
            << ", brute-forced " << brute << "\n";
  EXPECT_GT(solved, 50);
  EXPECT_GT(infeasible, 3);
  EXPECT_GT(aggregated, 35);
  EXPECT_GT(brute, 12);
}

// Site groups as the real packs make them: every component of some sites due
// by a deadline (forced groups, sometimes with their own share-cap units),
// caps measured per site and per component (radios of one site under a cap
// in cells: counted groups of k alike units, some of weight 0), at one to
// three checkpoints, with the traps that must keep a group out of a class:
// a must-clear on only some of a site's items, a must-clear met by options a
// cap does not accept, removable items, items at no site, unequal costs or
// weights within a site; site visits, capacity and budgets.
Problem random_group_problem(std::mt19937& rng, uint32_t sites, uint32_t periods) {
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  Problem p;
  p.periods = periods;
  for (uint32_t y = 0; y < periods; ++y) p.period_year.push_back(2024 + static_cast<int>(y));
  p.rules = {"deadline", "cap-sites", "cap-cells"};
  p.site_count = sites;
  p.site_visit = uni(0, 2) * 10;
  const int last = static_cast<int>(periods) - 1;
  std::vector<std::vector<uint32_t>> at(sites);
  std::vector<uint64_t> cap_mask;
  for (uint32_t st = 0; st < sites; ++st) {
    const int k = uni(1, 3);
    const double cost = 10.0 * uni(1, 2);
    for (int c = 0; c < k; ++c) {
      Item it;
      it.site = uni(0, 11) == 0 ? kNo : st;
      it.options.push_back({ActionKind::kReplace, uni(0, 4) == 0 ? 10.0 * uni(1, 3) : cost, 0});
      if (uni(0, 3) == 0) it.options.push_back({ActionKind::kReplace, 10.0 * uni(0, 3), 1});
      if (uni(0, 9) == 0) it.options.push_back({ActionKind::kRemove, 10.0 * uni(1, 3), kNo});
      // Option 1 (a second vendor) sometimes does not clear the caps.
      cap_mask.push_back(it.options.size() > 1 && it.options[1].kind == ActionKind::kReplace && uni(0, 2) == 0
                             ? (uint64_t{1} << it.options.size()) - 1 - 2
                             : (uint64_t{1} << it.options.size()) - 1);
      at[st].push_back(static_cast<uint32_t>(p.items.size()));
      p.items.push_back(it);
    }
    const int due = uni(0, 5);
    if (due <= 1) {  // a deadline on the whole site (sometimes met by options the caps do not accept)
      for (uint32_t i : at[st]) {
        uint64_t m = uni(0, 5) == 0 ? (uint64_t{1} << p.items[i].options.size()) - 1 : cap_mask[i];
        p.must.push_back({{i, m}, static_cast<uint32_t>(uni(0, last)), 0, "c"});
      }
    } else if (due == 2) {  // on one item only
      p.must.push_back({{at[st][0], cap_mask[at[st][0]]}, static_cast<uint32_t>(uni(0, last)), 0, "c"});
    }
  }
  const uint32_t checkpoints = static_cast<uint32_t>(uni(1, static_cast<int>(periods)));
  const int shape = uni(0, 2);  // caps by sites, by cells, or both
  for (uint32_t k = 0; k < checkpoints; ++k) {
    const uint32_t period = checkpoints == 1 ? static_cast<uint32_t>(uni(0, last)) : k;
    if (shape != 1) {
      Cap cap;
      cap.rule = 1;
      cap.period = period;
      cap.max_percent = 10.0 * uni(2, 6);
      for (uint32_t st = 0; st < sites; ++st) {
        CapUnit u;
        for (uint32_t i : at[st]) u.matched.push_back({i, cap_mask[i]});
        cap.units.push_back(u);
      }
      CapUnit unmatched;
      unmatched.weight = uni(0, 3);
      cap.units.push_back(unmatched);
      p.caps.push_back(cap);
    }
    if (shape != 0) {
      Cap cap;
      cap.rule = 2;
      cap.period = period;
      cap.max_percent = 10.0 * uni(2, 6);
      for (uint32_t st = 0; st < sites; ++st)
        for (uint32_t i : at[st]) {
          CapUnit u;
          u.weight = uni(0, 7) == 0 ? uni(0, 2) : 1;  // a du counts no cells
          u.matched.push_back({i, cap_mask[i]});
          cap.units.push_back(u);
        }
      p.caps.push_back(cap);
    }
  }
  if (uni(0, 4) == 0) p.budget = uni(50, 400);
  if (uni(0, 3) == 0) p.capacity = uni(1, static_cast<int>(sites));
  return p;
}

TEST(IlpTest, SiteGroupAggregationKeepsTheOptimum) {
  // Forced and counted site groups (docs/plan.md "Aggregating interchangeable
  // units") against the per-unit model on every problem and brute force on the
  // smallest: the same outcome and cost, a plan that meets every requirement.
  std::mt19937 rng(20261206);
  int solved = 0, infeasible = 0, aggregated = 0, brute = 0;
  for (int round = 0; round < 160; ++round) {
    const bool small = round % 3 == 0;
    const uint32_t periods = 1 + static_cast<uint32_t>(round % 3);
    const uint32_t sites = small ? static_cast<uint32_t>(2 + round % 2) : static_cast<uint32_t>(5 + round % 10);
    Problem p = random_group_problem(rng, sites, periods);
    if (small && (p.items.size() > 5 || (periods == 3 && p.items.size() > 4))) continue;
    SCOPED_TRACE(::testing::Message() << "round " << round);
    Problem plain = p;
    plain.aggregate_caps = false;
    Solution a = solve_exact(p), b = solve_exact(plain);
    if (small) {
      double want = brute_force(p);
      ++brute;
      if (want < 0) {
        EXPECT_NE(a.outcome, Outcome::kOptimal);
      } else {
        ASSERT_TRUE(a.outcome == Outcome::kOptimal || a.outcome == Outcome::kPartial);
        if (a.outcome == Outcome::kOptimal) {
          EXPECT_NEAR(a.cost, want, 1e-6);
        }
      }
    }
    ASSERT_EQ(a.outcome, b.outcome);
    if (a.outcome != Outcome::kOptimal) {
      if (a.outcome == Outcome::kInfeasible) {
        EXPECT_EQ(a.infeasible, b.infeasible);
      }
      ++infeasible;
      continue;
    }
    ++solved;
    if (a.variables < b.variables) ++aggregated;
    std::string why;
    EXPECT_TRUE(satisfies(p, a, &why)) << why;
    EXPECT_NEAR(a.cost, b.cost, 1e-6);
    EXPECT_NEAR(solution_cost(p, a), a.cost, 1e-6);
    Solution g = solve_greedy(p);
    EXPECT_LE(g.lower_bound, a.cost + 1e-6);
    if (g.outcome == Outcome::kFeasible) {
      EXPECT_TRUE(satisfies(p, g, &why)) << why;
      EXPECT_GE(g.cost + 1e-6, a.cost);
    }
  }
  std::cout << "solved " << solved << ", aggregated " << aggregated << ", infeasible " << infeasible
            << ", brute-forced " << brute << "\n";
  EXPECT_GT(solved, 60);
  EXPECT_GT(infeasible, 3);
  EXPECT_GT(aggregated, 40);
  EXPECT_GT(brute, 20);
}

TEST(IlpTest, ForcedSitesAreDoneByTheirDeadlineWithinCapacity) {
  // Ten sites, each a radio and its DU that must both go by period 1 of 3
  // (a removal deadline): one forced class. Capacity 5 sites a period fits
  // them in periods 0 and 1 only; capacity 4 cannot, and says so as the
  // per-item model does.
  Problem p;
  p.periods = 3;
  p.period_year = {2025, 2026, 2027};
  p.rules = {"deadline"};
  p.site_count = 10;
  p.site_visit = 7;
  for (uint32_t st = 0; st < 10; ++st)
    for (int k = 0; k < 2; ++k) {
      Item it;
      it.site = st;
      it.options.push_back({ActionKind::kReplace, 40.0 + 10 * k, 0});
      it.options.push_back({ActionKind::kReplace, 45.0 + 10 * k, 1});
      const auto i = static_cast<uint32_t>(p.items.size());
      p.items.push_back(it);
      p.must.push_back({{i, 3}, 1, 0, "c"});
      p.must.push_back({{i, 3}, 2, 0, "c"});  // the same deadline seen again at a later checkpoint
    }
  p.capacity = 5;
  Solution s = solve_exact(p);
  ASSERT_EQ(s.outcome, Outcome::kOptimal);
  EXPECT_DOUBLE_EQ(s.cost, 10 * (40 + 50 + 7));
  EXPECT_LE(s.variables, 2u);  // one class, periods 0 and 1
  std::string why;
  EXPECT_TRUE(satisfies(p, s, &why)) << why;
  ASSERT_EQ(s.visits.size(), 3u);
  EXPECT_EQ(s.visits[0].size(), 5u);
  EXPECT_EQ(s.visits[1].size(), 5u);
  EXPECT_TRUE(s.visits[2].empty());
  for (uint32_t i = 0; i < p.items.size(); ++i) EXPECT_EQ(s.option[i], 0) << i;
  p.capacity = 4;
  Problem plain = p;
  plain.aggregate_caps = false;
  Solution a = solve_exact(p), b = solve_exact(plain);
  EXPECT_EQ(a.outcome, Outcome::kInfeasible);
  EXPECT_EQ(a.infeasible, b.infeasible);
  EXPECT_GT(b.variables, 50u);
}

TEST(IlpTest, AggregatedClassesPickTheFirstUnitsAndRespectCapacity) {
  // Ten identical sites (one component, cost 30, visit 5) under a 40% cap that
  // binds in period 1, capacity 3 sites a period: six sites must go, three in
  // each period, and with ties the first units in problem order are taken.
  Problem p;
  p.periods = 2;
  p.period_year = {2024, 2025};
  p.rules = {"cap"};
  p.site_count = 10;
  p.site_visit = 5;
  p.capacity = 3;
  Cap cap;
  cap.rule = 0;
  cap.period = 1;
  cap.max_percent = 40;
  for (uint32_t i = 0; i < 10; ++i) {
    Item it;
    it.site = i;
    it.options.push_back({ActionKind::kReplace, 30, 0});
    p.items.push_back(it);
    CapUnit u;
    u.matched.push_back({i, 1});
    cap.units.push_back(u);
  }
  p.caps.push_back(cap);
  Solution s = solve_exact(p);
  ASSERT_EQ(s.outcome, Outcome::kOptimal);
  EXPECT_DOUBLE_EQ(s.cost, 6 * 35);
  EXPECT_LT(s.variables, 10u);  // one class: two integers instead of 40 binaries
  std::string why;
  EXPECT_TRUE(satisfies(p, s, &why)) << why;
  for (uint32_t i = 0; i < 10; ++i) EXPECT_EQ(s.option[i], i < 6 ? 0 : -1) << i;
  ASSERT_EQ(s.visits.size(), 2u);
  EXPECT_EQ(s.visits[0].size(), 3u);
  EXPECT_EQ(s.visits[1].size(), 3u);
}

}  // namespace
}  // namespace netvet::plan_internal
