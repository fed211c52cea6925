// The planner's optimisation core, independent of rules and files: items
// (components the plan may act on) with priced options, and requirements that
// say which options clear what by which period. build.cc turns findings and
// rules into a Problem; solve_exact() finds the minimum-cost plan with CBC,
// solve_greedy() a quick one plus the LP bound. Unit tests build Problems by hand.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "netvet/plan.h"

namespace netvet::plan_internal {

inline constexpr uint32_t kNo = std::numeric_limits<uint32_t>::max();

struct Option {
  ActionKind kind = ActionKind::kReplace;
  double cost = 0;
  uint32_t vendor = kNo;  // kReplace: which replacement vendor (plan.cc: index of the candidate)
};

// A component the plan may act on. At most 64 options (masks are 64-bit).
struct Item {
  uint32_t component = kNo;  // node id in the isolation graphs (component index)
  uint32_t site = kNo;       // index into Problem::site_count, kNo: no site visit
  std::vector<Option> options;
};

// Item `item` counts as cleared once any option in `mask` is done.
struct Clear {
  uint32_t item = kNo;
  uint64_t mask = 0;
};

// A component that must be cleared by the end of `period` (exclude, deadline, zone, procurement).
struct MustClear {
  Clear clear;
  uint32_t period = 0;
  uint32_t rule = 0;      // index into Problem::rules
  std::string component;  // for messages
  double weight = 1;      // risk it stands for (best within budget)
};

// One unit of a share cap's population: a site (measure sites) or a component.
struct CapUnit {
  double weight = 1;
  std::vector<Clear> matched;  // the unit counts as matched until every one is cleared
  // The unit leaves the population only if all its in-scope components are
  // removed; fixed_scope says one of them cannot be removed.
  bool fixed_scope = true;
  std::vector<Clear> scope_removals;
};

// sum(weight * matched) <= max_percent/100 * sum(weight * in scope), by the end of `period`.
struct Cap {
  uint32_t rule = 0;
  uint32_t period = 0;
  double max_percent = 100;
  std::string label;  // "region North" or ""
  std::vector<CapUnit> units;
  double weight = 1;  // risk it stands for (best within budget)
};

// A directed graph in CSR form: edge e goes to[e], carries link[e] (kNo: not protectable).
struct Digraph {
  uint32_t nodes = 0;
  std::vector<uint32_t> offsets{0}, to, link;
};

// No path from an active source to a target, by the end of `period`.
struct Isolation {
  uint32_t rule = 0;
  uint32_t period = 0;
  uint32_t graph = 0;  // index into Problem::graphs
  std::vector<uint32_t> sources, targets;  // nodes
  std::vector<Clear> source_clear;         // parallel to sources (item kNo: cannot be neutralised)
  std::vector<double> source_weight;       // parallel to sources: risk each stands for (empty: 1 each)
};

// What must change together (docs/plan.md): plan.cc turns kb/constraints.yaml
// into these pairs of items.
//
// Together: both items take the same action in the same period, option class
// by option class: replacement by the same vendor (when same_vendor; items of
// different vendors now may be replaced independently), removal, move.
struct Together {
  uint32_t a = kNo, b = kNo;
  bool same_vendor = true;
  uint32_t constraint = 0;  // index into Problem::constraints
};

// An element manager and one element it manages, of one vendor now. By each
// period: the manager is replaced by vendor v only if the element is replaced
// by v or removed, and removed only if the element is replaced or removed;
// the element is replaced by a vendor outside `managed_vendors` (vendors with
// an element manager of their own in the network) only if the manager is
// replaced by it too.
struct Managed {
  uint32_t manager = kNo, element = kNo;
  std::vector<uint32_t> managed_vendors;  // Option::vendor values, sorted
  uint32_t constraint = 0;
  // Waived (ChangeConstraint::waived_for): the manager may be replaced while
  // the element stays; removal still waits for the element.
  bool manager_may_change = false;
};

struct Problem {
  uint32_t periods = 1;
  std::vector<int> period_year;  // calendar year of each period
  std::vector<std::string> rules;
  std::vector<Item> items;
  uint32_t site_count = 0;
  std::vector<std::string> site_names;
  double site_visit = 0;
  double protect_link = 0;
  uint32_t link_count = 0;
  std::vector<std::string> link_names;
  std::vector<uint32_t> node_item;  // node -> item (kNo) for removal in isolation paths
  std::vector<MustClear> must;
  // Per item (or empty): the constraint whose tie withheld every option that
  // would have cleared it (plan.cc, element managers), kNo: none. For messages.
  std::vector<uint32_t> withheld_by;
  std::vector<Cap> caps;
  std::vector<Digraph> graphs;
  std::vector<Isolation> isolations;
  std::vector<std::string> constraints;  // names, for messages
  std::vector<Together> together;
  std::vector<Managed> managed;
  double budget = -1;       // < 0: none
  // When the budget cannot clear everything: the plan within it that clears
  // the most weight of requirements (each must-clear, cap and isolation
  // source), the cheapest such; exact solver only.
  bool best_within_budget = false;
  int64_t capacity = -1;    // sites per period, < 0: none
  // Per period, when periods differ in length (plan.cc: the months between
  // checkpoints); overrides `capacity`. capacity_unit words it in messages.
  std::vector<int64_t> period_capacity;
  std::string capacity_unit = "period";
  // What each period is called in messages ("2023-06": its last month); empty: period_year.
  std::vector<std::string> period_name;
  double time_limit_s = 300;
  // Replace interchangeable share-cap units by one "how many" integer per class
  // (exact; off only in tests that compare the two formulations).
  bool aggregate_caps = true;
};

// kPartial: best within budget, some requirements left (Solution::unmet_*).
enum class Outcome : uint8_t { kOptimal, kFeasible, kInfeasible, kTimeLimitNoSolution, kPartial };

struct Solution {
  Outcome outcome = Outcome::kInfeasible;
  std::vector<int32_t> option;   // per item: chosen option or -1
  std::vector<uint32_t> period;  // per item: period of the action
  std::vector<std::pair<uint32_t, uint32_t>> protect;  // (link, period)
  std::vector<std::vector<uint32_t>> visits;            // per period: sites visited
  double cost = 0, lower_bound = 0;
  std::vector<std::string> infeasible;  // reasons, when infeasible
  // kPartial: the requirements left (indexes into must / caps; (isolation, source position)),
  // and the weight cleared of the total.
  std::vector<uint32_t> unmet_must, unmet_cap;
  std::vector<std::pair<uint32_t, uint32_t>> unmet_source;
  double risk_cleared = 0, risk_total = 0;
  uint32_t variables = 0, constraints = 0, iterations = 0, path_constraints = 0;
  std::vector<std::pair<std::string, double>> phases;  // wall time of the solver's steps
};

// Sites that may be visited in period `per` (< 0: no limit).
inline int64_t capacity_of(const Problem& p, uint32_t per) {
  if (p.capacity < 0) return -1;
  return per < p.period_capacity.size() ? p.period_capacity[per] : p.capacity;
}

// Minimum-cost plan (CBC), with lazily added path constraints for isolation.
Solution solve_exact(const Problem& p);
// Greedy plan: cheapest option per must-clear, cheapest units first for caps,
// a weighted min cut per isolation; lower_bound is the LP relaxation.
Solution solve_greedy(const Problem& p);

// The plan's cost recomputed from the problem (actions + site visits + links).
double solution_cost(const Problem& p, const Solution& s);
// Every requirement holds (isolation checked by search): the ground truth tests compare against.
bool satisfies(const Problem& p, const Solution& s, std::string* why = nullptr);

}  // namespace netvet::plan_internal
