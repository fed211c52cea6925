// The integer program (docs/plan.md "Formulation") and the greedy heuristic.
//
// Variables: x[i][o][p] (item i takes option o in period p), v[s][p] (site s
// visited in period p), l[k][p] (link k protected in period p), and continuous
// helpers per share-cap unit: m (still matched) and s (still in the population).
// Isolation is enforced by path constraints added lazily: solve, search the
// access graph for a path the plan leaves open, require that path be broken,
// solve again. Each path constraint is valid for every plan, so the loop ends
// at a true optimum of the full problem.
#include "ilp.h"

#include <CbcModel.hpp>
#include <CbcSolver.hpp>
#include <CoinPackedMatrix.hpp>
#include <OsiClpSolverInterface.hpp>
#include <algorithm>
#include <cassert>
#include <chrono>
#include <cmath>
#include <deque>
#include <functional>
#include <optional>
#include <fmt/format.h>
#include <map>
#include <unordered_set>
#include <mutex>
#include <numeric>
#include <queue>
#include <set>
#include <tuple>

namespace netvet::plan_internal {

// The one lock around CBC's driver (see the solve below): state the library
// keeps, not netvet's.
static std::mutex& cbc_driver_mutex() {
  static std::mutex m;
  return m;
}
namespace {

constexpr double kInf = 1e30;

double seconds_since(std::chrono::steady_clock::time_point& t) {
  auto now = std::chrono::steady_clock::now();
  double d = std::chrono::duration<double>(now - t).count();
  t = now;
  return d;
}

uint64_t removal_mask(const Item& it) {
  uint64_t m = 0;
  for (size_t o = 0; o < it.options.size(); ++o)
    if (it.options[o].kind == ActionKind::kRemove) m |= uint64_t{1} << o;
  return m;
}

// What an option does, for what-must-change-together: the replacement
// vendor (>= 0), a removal or a move.
constexpr int kRemoveClass = -1, kMoveClass = -2;
int option_class(const Option& o) {
  switch (o.kind) {
    case ActionKind::kReplace: return static_cast<int>(o.vendor);
    case ActionKind::kRemove: return kRemoveClass;
    default: return kMoveClass;
  }
}

// A linear term list over columns.
struct Row {
  std::vector<int> idx;
  std::vector<double> val;
  double lo = -kInf, hi = kInf;
};

// One path constraint: break the path by the end of `period`.
struct PathCut {
  uint32_t iso = kNo, source = kNo;  // whose path (best within budget: the cut holds only if the source is required)
  uint32_t period = 0;
  std::vector<Clear> clears;      // any option in the mask done
  std::vector<uint32_t> links;    // any protected
};

// State of a (possibly partial) plan, for checks and the greedy.
struct State {
  std::vector<int32_t> option;
  std::vector<uint32_t> period;
  std::vector<uint32_t> link_period;  // per link: period protected, kNo if not
};

bool done_by(const State& st, const Clear& c, uint32_t period) {
  if (c.item == kNo) return false;
  int32_t o = st.option[c.item];
  return o >= 0 && ((c.mask >> o) & 1) && st.period[c.item] <= period;
}

State state_of(const Problem& p, const Solution& s) {
  State st;
  st.option = s.option;
  st.period = s.period;
  st.option.resize(p.items.size(), -1);
  st.period.resize(p.items.size(), 0);
  st.link_period.assign(p.link_count, kNo);
  for (auto [k, per] : s.protect)
    if (k < p.link_count) st.link_period[k] = std::min(st.link_period[k] == kNo ? per : st.link_period[k], per);
  return st;
}

struct Reverse {
  std::vector<uint32_t> offsets, from, edge;
};
Reverse reverse_of(const Digraph& g) {
  Reverse r;
  r.offsets.assign(g.nodes + 1, 0);
  for (uint32_t v = 0; v < g.nodes; ++v)
    for (uint32_t e = g.offsets[v]; e < g.offsets[v + 1]; ++e) ++r.offsets[g.to[e] + 1];
  for (uint32_t v = 0; v < g.nodes; ++v) r.offsets[v + 1] += r.offsets[v];
  r.from.resize(g.to.size());
  r.edge.resize(g.to.size());
  std::vector<uint32_t> fill(r.offsets.begin(), r.offsets.end() - 1);
  for (uint32_t v = 0; v < g.nodes; ++v)
    for (uint32_t e = g.offsets[v]; e < g.offsets[v + 1]; ++e) {
      uint32_t w = g.to[e];
      r.from[fill[w]] = v;
      r.edge[fill[w]++] = e;
    }
  return r;
}

// Paths the state leaves open for one isolation requirement: one shortest path
// per active source that reaches a target (reverse BFS from the targets).
std::vector<std::vector<uint32_t>> open_paths(const Problem& p, const Isolation& iso, const Reverse& rev,
                                              const State& st, size_t limit) {
  const Digraph& g = p.graphs[iso.graph];
  auto removed = [&](uint32_t node) {
    uint32_t it = node < p.node_item.size() ? p.node_item[node] : kNo;
    if (it == kNo) return false;
    return done_by(st, Clear{it, removal_mask(p.items[it])}, iso.period);
  };
  auto blocked = [&](uint32_t e) {
    uint32_t k = g.link[e];
    return k != kNo && st.link_period[k] != kNo && st.link_period[k] <= iso.period;
  };
  std::vector<uint32_t> next_edge(g.nodes, kNo);
  std::vector<uint8_t> seen(g.nodes, 0), is_target(g.nodes, 0);
  std::deque<uint32_t> q;
  for (uint32_t t : iso.targets) {
    is_target[t] = 1;
    if (!seen[t] && !removed(t)) {
      seen[t] = 1;
      q.push_back(t);
    }
  }
  while (!q.empty()) {
    uint32_t w = q.front();
    q.pop_front();
    for (uint32_t k = rev.offsets[w]; k < rev.offsets[w + 1]; ++k) {
      uint32_t v = rev.from[k], e = rev.edge[k];
      if (seen[v] || blocked(e) || removed(v)) continue;
      seen[v] = 1;
      next_edge[v] = e;
      q.push_back(v);
    }
  }
  std::vector<std::vector<uint32_t>> paths;  // as edge lists, prefixed by the source node
  for (size_t i = 0; i < iso.sources.size() && paths.size() < limit; ++i) {
    uint32_t s = iso.sources[i];
    if (!seen[s] || done_by(st, iso.source_clear[i], iso.period)) continue;
    std::vector<uint32_t> path{s};
    uint32_t v = s;
    while (!is_target[v]) {
      uint32_t e = next_edge[v];
      path.push_back(e);
      v = g.to[e];
    }
    paths.push_back(std::move(path));
  }
  return paths;
}

PathCut cut_for_path(const Problem& p, const Isolation& iso, size_t source_pos, const std::vector<uint32_t>& path) {
  const Digraph& g = p.graphs[iso.graph];
  PathCut c;
  c.period = iso.period;
  std::map<uint32_t, uint64_t> masks;
  const Clear& sc = iso.source_clear[source_pos];
  if (sc.item != kNo) masks[sc.item] |= sc.mask;
  auto add_node = [&](uint32_t node) {
    uint32_t it = node < p.node_item.size() ? p.node_item[node] : kNo;
    if (it != kNo) {
      uint64_t m = removal_mask(p.items[it]);
      if (m) masks[it] |= m;
    }
  };
  add_node(path[0]);
  for (size_t k = 1; k < path.size(); ++k) {
    uint32_t e = path[k];
    if (g.link[e] != kNo) c.links.push_back(g.link[e]);
    add_node(g.to[e]);
  }
  for (auto [it, m] : masks) c.clears.push_back({it, m});
  std::sort(c.links.begin(), c.links.end());
  c.links.erase(std::unique(c.links.begin(), c.links.end()), c.links.end());
  return c;
}

// Column layout and row generation for the integer program.
class Model {
 public:
  // soft: best within budget (Problem::best_within_budget): every requirement
  // gets a "met" binary, the objective rewards met weight first and cost second.
  Model(const Problem& p, bool use_budget, bool use_capacity, bool soft = false)
      : p_(p), use_budget_(use_budget && p.budget >= 0), use_capacity_(use_capacity && p.capacity >= 0),
        soft_(soft && use_budget_) {
    const uint32_t P = p.periods;
    item_class_.assign(p.items.size(), kNo);
    if (p.aggregate_caps) aggregate();
    xbase_.assign(p.items.size(), -1);
    for (size_t i = 0; i < p.items.size(); ++i) {
      if (item_class_[i] != kNo) continue;  // decided by its class's count
      xbase_[i] = ncols();
      for (const Option& o : p.items[i].options)
        for (uint32_t per = 0; per < P; ++per) add_col(o.cost, 0, 1, true);
    }
    visits_ = p.site_visit > 0 || use_capacity_;
    if (visits_) {
      vbase_.assign(p.site_count, -1);
      for (size_t i = 0; i < p.items.size(); ++i) {
        const Item& it = p.items[i];
        if (it.site != kNo && item_class_[i] == kNo && vbase_[it.site] < 0) {
          vbase_[it.site] = ncols();
          for (uint32_t per = 0; per < P; ++per) add_col(p.site_visit, 0, 1, true);
        }
      }
    }
    // y[c][j][per]: how many groups of class c have j units (forced: all their work) done in period per.
    for (Class& c : classes_) {
      c.ybase = ncols();
      for (uint32_t j = 1; j <= c.k; ++j)
        for (uint32_t per = 0; per <= c.last; ++per)
          add_col(j * c.unit_cost + c.visit_cost, 0, static_cast<double>(c.members.size()), true);
    }
    lbase_.assign(p.link_count, -1);
  }

  int ncols() const { return static_cast<int>(obj_.size()); }
  int x(uint32_t item, uint32_t opt, uint32_t per) const {
    assert(xbase_[item] >= 0 && "an aggregated item has no columns of its own");
    return xbase_[item] + static_cast<int>(opt * p_.periods + per);
  }
  size_t classes() const { return classes_.size(); }

  // Adds sum of "cleared by period" for c to row with coefficient a.
  void add_done(Row& r, const Clear& c, uint32_t per, double a) const {
    const Item& it = p_.items[c.item];
    for (size_t o = 0; o < it.options.size(); ++o)
      if ((c.mask >> o) & 1)
        for (uint32_t q = 0; q <= per; ++q) {
          r.idx.push_back(x(c.item, static_cast<uint32_t>(o), q));
          r.val.push_back(a);
        }
  }
  int link_col(uint32_t k) {
    if (lbase_[k] < 0) {
      lbase_[k] = ncols();
      for (uint32_t per = 0; per < p_.periods; ++per) add_col(p_.protect_link, 0, 1, true);
    }
    return lbase_[k];
  }

  void build_static() {
    const uint32_t P = p_.periods;
    for (size_t i = 0; i < p_.items.size(); ++i) {
      const Item& it = p_.items[i];
      if (it.options.empty() || item_class_[i] != kNo) continue;
      Row r;
      for (size_t o = 0; o < it.options.size(); ++o)
        for (uint32_t per = 0; per < P; ++per) {
          r.idx.push_back(x(i, o, per));
          r.val.push_back(1);
        }
      r.hi = 1;
      rows_.push_back(std::move(r));
      if (visits_ && it.site != kNo) {
        for (uint32_t per = 0; per < P; ++per) {
          Row v;
          for (size_t o = 0; o < it.options.size(); ++o) {
            v.idx.push_back(x(i, o, per));
            v.val.push_back(1);
          }
          v.idx.push_back(vbase_[it.site] + per);
          v.val.push_back(-1);
          v.hi = 0;
          rows_.push_back(std::move(v));
        }
      }
    }
    for (const MustClear& m : p_.must) {
      // An aggregated item with a must-clear is in a forced group: its class row meets it.
      if (m.clear.item != kNo && item_class_[m.clear.item] != kNo) continue;
      Row r;
      if (m.clear.item != kNo) add_done(r, m.clear, m.period, 1);
      r.lo = 1;
      if (soft_) met(r, must_met_, m.weight);
      rows_.push_back(std::move(r));
    }
    for (size_t k = 0; k < p_.caps.size(); ++k) {
      const Cap& cap = p_.caps[k];
      Row total;
      double fixed = 0, matched_const = 0;
      std::set<uint32_t> in_classes;  // classes with units in this cap
      for (size_t ui = 0; ui < cap.units.size(); ++ui) {
        const CapUnit& u = cap.units[ui];
        if (u.weight == 0) continue;  // counts on neither side of the cap
        if (uint32_t id = unit_ident_.empty() ? kNo : unit_ident_[k][ui]; id != kNo && idents_[id].cls != kNo) {
          // Matched until its class's counts say otherwise (below).
          fixed += u.weight;
          matched_const += u.weight;
          in_classes.insert(idents_[id].cls);
          continue;
        }
        if (!u.matched.empty()) {
          int m = ncols();
          add_col(0, 0, 1, false);
          for (const Clear& c : u.matched) {
            Row r;
            r.idx.push_back(m);
            r.val.push_back(1);
            if (c.item != kNo) add_done(r, c, cap.period, 1);
            r.lo = 1;
            rows_.push_back(std::move(r));
          }
          total.idx.push_back(m);
          total.val.push_back(100 * u.weight);
        }
        if (u.fixed_scope) {
          fixed += u.weight;
        } else {
          int s = ncols();
          add_col(0, 0, 1, false);
          Row r;
          r.idx.push_back(s);
          r.val.push_back(1);
          for (const Clear& c : u.scope_removals) add_done(r, c, cap.period, 1);
          r.hi = static_cast<double>(u.scope_removals.size());
          rows_.push_back(std::move(r));
          total.idx.push_back(s);
          total.val.push_back(-cap.max_percent * u.weight);
        }
      }
      for (uint32_t ci : in_classes) {
        // Each group of the class with j units done by then sheds j times its per-unit weight here.
        const Class& c = classes_[ci];
        const auto sw = std::lower_bound(c.step_weight.begin(), c.step_weight.end(), std::pair{static_cast<uint32_t>(k), 0.0});
        assert(sw != c.step_weight.end() && sw->first == k);
        for (uint32_t j = 1; j <= c.k; ++j)
          for (uint32_t q = 0; q <= std::min(cap.period, c.last); ++q) {
            total.idx.push_back(y(c, j, q));
            total.val.push_back(-100.0 * j * sw->second);
          }
      }
      total.hi = cap.max_percent * fixed - 100 * matched_const;
      if (soft_) {  // unmet: the row is relaxed by more than its left side can reach
        double reach = 0;
        for (const CapUnit& u : cap.units) reach += 100 * u.weight;
        const double big = reach + std::abs(total.hi) + 1;
        cap_met_.push_back(add_reward(cap.weight));
        total.idx.push_back(cap_met_.back());
        total.val.push_back(big);
        total.hi += big;
      }
      rows_.push_back(std::move(total));
    }
    for (const Class& c : classes_) {
      Row r;  // each group's work is done once; a forced class's, all of it by its deadline
      for (uint32_t j = 1; j <= c.k; ++j)
        for (uint32_t q = 0; q <= c.last; ++q) {
          r.idx.push_back(y(c, j, q));
          r.val.push_back(1);
        }
      r.hi = static_cast<double>(c.members.size());
      if (c.forced) r.lo = r.hi;
      rows_.push_back(std::move(r));
    }
    build_ties();
    if (use_capacity_) {
      for (uint32_t per = 0; per < P; ++per) {
        Row r;
        for (int b : vbase_)
          if (b >= 0) {
            r.idx.push_back(b + per);
            r.val.push_back(1);
          }
        for (const Class& c : classes_)
          if (c.sites > 0 && per <= c.last)
            for (uint32_t j = 1; j <= c.k; ++j) {
              r.idx.push_back(y(c, j, per));
              r.val.push_back(c.sites);
            }
        r.hi = static_cast<double>(capacity_of(p_, per));
        rows_.push_back(std::move(r));
      }
    }
  }

  // What must change together: per period, cumulative counts of the options
  // of one class (a vendor, removal, move) done by then. Equal counts in every
  // period mean the same action in the same period.
  void add_class_done(Row& r, uint32_t item, bool (*match)(int cls, int want), int want, uint32_t per,
                      double a) const {
    const auto& opts = p_.items[item].options;
    for (size_t o = 0; o < opts.size(); ++o)
      if (match(option_class(opts[o]), want))
        for (uint32_t q = 0; q <= per; ++q) {
          r.idx.push_back(x(item, static_cast<uint32_t>(o), q));
          r.val.push_back(a);
        }
  }
  static bool is_class(int cls, int want) { return cls == want; }
  static bool is_replace(int cls, int) { return cls >= 0; }
  static bool leaves(int cls, int) { return cls != kMoveClass; }  // replaced or removed: no longer the old vendor's

  void build_ties() {
    for (const Together& t : p_.together) {
      std::set<int> classes;
      for (uint32_t i : {t.a, t.b})
        for (const Option& o : p_.items[i].options)
          if (o.kind != ActionKind::kReplace || t.same_vendor) classes.insert(option_class(o));
      for (int cls : classes)
        for (uint32_t per = 0; per < p_.periods; ++per) {
          Row r;
          add_class_done(r, t.a, is_class, cls, per, 1);
          add_class_done(r, t.b, is_class, cls, per, -1);
          r.lo = r.hi = 0;
          rows_.push_back(std::move(r));
        }
    }
    for (const Managed& m : p_.managed) {
      std::set<int> manager_classes, element_vendors;
      for (const Option& o : p_.items[m.manager].options)
        if (o.kind != ActionKind::kMove) manager_classes.insert(option_class(o));
      for (const Option& o : p_.items[m.element].options)
        if (o.kind == ActionKind::kReplace &&
            !std::binary_search(m.managed_vendors.begin(), m.managed_vendors.end(), o.vendor))
          element_vendors.insert(option_class(o));
      for (uint32_t per = 0; per < p_.periods; ++per) {
        // The manager changes only once the element has left it (only its removal, where waived).
        for (int cls : manager_classes) {
          if (m.manager_may_change && cls != kRemoveClass) continue;
          Row r;
          add_class_done(r, m.manager, is_class, cls, per, 1);
          if (cls == kRemoveClass) {
            add_class_done(r, m.element, leaves, 0, per, -1);
          } else {
            add_class_done(r, m.element, is_class, cls, per, -1);
            add_class_done(r, m.element, is_class, kRemoveClass, per, -1);
          }
          r.hi = 0;
          rows_.push_back(std::move(r));
        }
        // An element goes to a vendor without a manager of its own only with its manager.
        for (int v : element_vendors) {
          Row r;
          add_class_done(r, m.element, is_class, v, per, 1);
          add_class_done(r, m.manager, is_class, v, per, -1);
          r.hi = 0;
          rows_.push_back(std::move(r));
        }
      }
    }
  }

  void add_path(const PathCut& c) {
    Row r;
    if (soft_) {  // the cut binds only while its source is required
      if (source_met_.empty()) {
        for (const Isolation& iso : p_.isolations) {
          source_met_.emplace_back();
          for (size_t k = 0; k < iso.sources.size(); ++k)
            source_met_.back().push_back(add_reward(k < iso.source_weight.size() ? iso.source_weight[k] : 1));
        }
      }
      r.idx.push_back(source_met_[c.iso][c.source]);
      r.val.push_back(-1);
      r.lo = 0;
    }
    for (const Clear& cl : c.clears) add_done(r, cl, c.period, 1);
    for (uint32_t k : c.links) {
      int b = link_col(k);
      for (uint32_t q = 0; q <= c.period; ++q) {
        r.idx.push_back(b + q);
        r.val.push_back(1);
      }
    }
    if (!soft_) r.lo = 1;
    rows_.push_back(std::move(r));
  }

  // Loads everything into a Clp solver (the budget row last: it spans every column).
  // The matrix is assembled in row-major arrays and handed over in one piece:
  // CoinPackedMatrix::appendRow reallocates on every call, which made loading
  // quadratic in the number of rows.
  void load(OsiClpSolverInterface& si) const {
    std::vector<CoinBigIndex> starts{0};
    std::vector<int> idx;
    std::vector<double> val, lo, hi;
    std::vector<int> pos(ncols(), -1);  // column -> slot in the row being added (duplicates are merged)
    std::vector<std::pair<int, double>> terms;
    auto add_row = [&](const Row& r) {
      terms.clear();
      for (size_t k = 0; k < r.idx.size(); ++k) {
        int& at = pos[r.idx[k]];
        if (at < 0) {
          at = static_cast<int>(terms.size());
          terms.push_back({r.idx[k], r.val[k]});
        } else {
          terms[at].second += r.val[k];
        }
      }
      for (const auto& t : terms) pos[t.first] = -1;
      std::sort(terms.begin(), terms.end());
      for (const auto& [j, a] : terms)
        if (a != 0) {
          idx.push_back(j);
          val.push_back(a);
        }
      starts.push_back(static_cast<CoinBigIndex>(idx.size()));
      lo.push_back(r.lo <= -kInf ? -si.getInfinity() : r.lo);
      hi.push_back(r.hi >= kInf ? si.getInfinity() : r.hi);
    };
    for (const Row& r : rows_) add_row(r);
    if (use_budget_) {
      Row b;
      for (int j = 0; j < ncols(); ++j)
        if (obj_[j] != 0) {
          b.idx.push_back(j);
          b.val.push_back(obj_[j]);
        }
      b.hi = p_.budget + 1e-6;
      add_row(b);
    }
    const int nrows = static_cast<int>(lo.size());
    std::vector<int> lengths(nrows);
    for (int r = 0; r < nrows; ++r) lengths[r] = static_cast<int>(starts[r + 1] - starts[r]);
    CoinPackedMatrix m(false, ncols(), nrows, static_cast<CoinBigIndex>(idx.size()), val.data(), idx.data(),
                       starts.data(), lengths.data());
    std::vector<double> objective = obj_;
    if (soft_) {
      // Met weight first: the weights are whole numbers (plan.cc), so one more
      // unit of weight outweighs any cost within the budget scaled below 1.
      const double eps = 1 / (p_.budget + 1);
      for (int j = 0; j < ncols(); ++j) objective[j] = eps * obj_[j] - reward_[j];
    }
    si.loadProblem(m, collo_.data(), colhi_.data(), objective.data(), lo.data(), hi.data());
    for (int j = 0; j < ncols(); ++j)
      if (integer_[j]) si.setInteger(j);
  }

  Solution read(const std::vector<double>& xs) const {
    Solution s;
    const uint32_t P = p_.periods;
    s.option.assign(p_.items.size(), -1);
    s.period.assign(p_.items.size(), 0);
    for (size_t i = 0; i < p_.items.size(); ++i) {
      if (item_class_[i] != kNo) continue;
      for (size_t o = 0; o < p_.items[i].options.size(); ++o)
        for (uint32_t per = 0; per < P; ++per)
          if (xs[x(i, o, per)] > 0.5) {
            s.option[i] = static_cast<int32_t>(o);
            s.period[i] = per;
          }
    }
    // A class's counts become concrete groups: the first members (problem order)
    // in the earliest periods, the most units first; in a group, its first units.
    for (const Class& c : classes_) {
      size_t next = 0;
      for (uint32_t per = 0; per <= c.last; ++per)
        for (uint32_t j = c.k; j >= 1; --j) {
          const auto count = static_cast<size_t>(std::llround(xs[y(c, j, per)]));
          for (size_t n = 0; n < count && next < c.members.size(); ++n, ++next) {
            const Group& g = groups_[c.members[next]];
            auto act = [&](uint32_t item) {
              s.option[item] = cheapest_in(Clear{item, item_mask_[item]});
              s.period[item] = per;
            };
            if (c.forced) {
              for (uint32_t item : g.items) act(item);
            } else {
              for (uint32_t u = 0; u < j; ++u)
                for (const Clear& cl : idents_[g.units[u]].clears) act(cl.item);
            }
          }
        }
    }
    for (uint32_t k = 0; k < p_.link_count; ++k)
      if (lbase_[k] >= 0)
        for (uint32_t per = 0; per < P; ++per)
          if (xs[lbase_[k] + per] > 0.5) s.protect.push_back({k, per});
    return s;
  }

  size_t nrows() const { return rows_.size() + (use_budget_ ? 1 : 0); }

  // Reads which requirements the soft model's solution meets.
  void read_met(const std::vector<double>& xs, Solution& s) const {
    for (size_t k = 0; k < must_met_.size(); ++k) {
      s.risk_total += p_.must[k].weight;
      if (xs[must_met_[k]] > 0.5) s.risk_cleared += p_.must[k].weight;
      else s.unmet_must.push_back(static_cast<uint32_t>(k));
    }
    for (size_t k = 0; k < cap_met_.size(); ++k) {
      s.risk_total += p_.caps[k].weight;
      if (xs[cap_met_[k]] > 0.5) s.risk_cleared += p_.caps[k].weight;
      else s.unmet_cap.push_back(static_cast<uint32_t>(k));
    }
    for (size_t i = 0; i < p_.isolations.size(); ++i)
      for (size_t k = 0; k < p_.isolations[i].sources.size(); ++k) {
        const int col = i < source_met_.size() ? source_met_[i][k] : -1;
        const double w = k < p_.isolations[i].source_weight.size() ? p_.isolations[i].source_weight[k] : 1;
        s.risk_total += w;
        if (col < 0 || xs[col] > 0.5) s.risk_cleared += w;
        else s.unmet_source.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(k)});
      }
  }
  bool soft() const { return soft_; }

 private:
  int add_reward(double w) {
    const int j = add_col(0, 0, 1, true);
    reward_[j] = w;
    return j;
  }
  // Row r (sum >= lo) holds only when the new "met" column is 1.
  void met(Row& r, std::vector<int>& cols, double w) {
    cols.push_back(add_reward(w));
    r.idx.push_back(cols.back());
    r.val.push_back(-r.lo);
    r.lo = 0;
  }
  int add_col(double c, double lo, double hi, bool integer) {
    reward_.push_back(0);
    obj_.push_back(c);
    collo_.push_back(lo);
    colhi_.push_back(hi);
    integer_.push_back(integer);
    return ncols() - 1;
  }
  // ---- class aggregation (docs/plan.md "Aggregating interchangeable units")
  //
  // A group is the work at one site (or one component at none): every item
  // there, or in a share-cap unit with one there. When none of its items is
  // tied, removable, an isolation source, or cleared by different options for
  // different requirements, what its work costs cannot depend on the rest of
  // the plan, and an optimal plan does all of it in one period: moving work to
  // the earliest period with work at the site costs nothing more (no new
  // visit, the same options), meets must-clears and caps no later, and visits
  // no site in a period it was not visited before (so capacity holds). Its
  // choices are then: in which period, and how much.
  // - forced: every item must be cleared (a deadline, an exclusion): all of it,
  //   by the earliest must-clear's period;
  // - counted: no must-clear, k share-cap units alike (equal cost, the same
  //   caps with the same weights): j of them, 0 <= j <= k (radios of one site
  //   under a cap measured in cells; k = 1 for a cap measured in sites).
  // Groups with the same choices at the same costs and weights are
  // interchangeable (permuting them maps plans to plans of equal cost), so one
  // integer per class, j and period, "how many groups", replaces their binaries
  // without changing the optimum.
  struct Ident {  // one cap unit, identified by its items (the same unit recurs in each checkpoint's cap)
    std::vector<Clear> clears;  // sorted by item
    std::vector<std::pair<uint32_t, double>> caps;  // (cap, weight)
    uint32_t cls = kNo;
  };
  struct Group {
    std::vector<uint32_t> items, units;  // items in problem order; units: idents
  };
  struct Class {
    bool forced = false;
    uint32_t k = 1;           // units per group (forced: 1 step, all the work)
    uint32_t last = 0;        // last period with columns (forced: its deadline)
    double unit_cost = 0, visit_cost = 0;
    uint32_t sites = 0;
    std::vector<std::pair<uint32_t, double>> step_weight;  // (cap, weight shed per step), by cap
    std::vector<uint32_t> members;  // groups, in problem order
    int ybase = -1;
  };

  // Column of "groups of class c with j units done in period per".
  static int y(const Class& c, uint32_t j, uint32_t per) {
    return c.ybase + static_cast<int>((j - 1) * (c.last + 1) + per);
  }
  int32_t cheapest_in(const Clear& c) const {
    int32_t best = -1;
    const auto& opts = p_.items[c.item].options;
    for (size_t o = 0; o < opts.size(); ++o)
      if (((c.mask >> o) & 1) && (best < 0 || opts[o].cost < opts[best].cost)) best = static_cast<int32_t>(o);
    return best;
  }

  void aggregate() {
    const size_t n = p_.items.size();
    std::vector<uint8_t> bad(n, 0);  // its cost or effect may depend on the rest of the plan
    item_mask_.assign(n, 0);
    std::vector<uint32_t> deadline(n, kNo);  // earliest must-clear period
    auto refer = [&](const Clear& c) {  // every requirement on an item must be met by the same options
      if (c.item == kNo) return;
      if (c.mask == 0 || (item_mask_[c.item] != 0 && item_mask_[c.item] != c.mask)) bad[c.item] = 1;
      item_mask_[c.item] = c.mask;
    };
    auto mark = [&](const Clear& c) {
      if (c.item != kNo) bad[c.item] = 1;
    };
    for (size_t i = 0; i < n; ++i)
      for (const Option& o : p_.items[i].options)
        if (o.kind == ActionKind::kRemove) bad[i] = 1;  // removals shrink populations and cut paths
    for (const MustClear& m : p_.must) {
      refer(m.clear);
      if (m.clear.item == kNo) continue;
      deadline[m.clear.item] = std::min(deadline[m.clear.item], m.period);
      if (soft_) bad[m.clear.item] = 1;  // best within budget: a must-clear may be left, so it keeps its own row
    }
    for (const Isolation& iso : p_.isolations)
      for (const Clear& c : iso.source_clear) mark(c);
    // A tied item's cost depends on its partners' actions (what must change together).
    for (const Together& t : p_.together) bad[t.a] = bad[t.b] = 1;
    for (const Managed& m : p_.managed) bad[m.manager] = bad[m.element] = 1;
    std::map<std::vector<uint32_t>, uint32_t> ident_of;
    std::vector<uint32_t> item_ident(n, kNo);
    unit_ident_.assign(p_.caps.size(), {});
    for (size_t k = 0; k < p_.caps.size(); ++k) {
      const Cap& cap = p_.caps[k];
      unit_ident_[k].assign(cap.units.size(), kNo);
      for (size_t ui = 0; ui < cap.units.size(); ++ui) {
        const CapUnit& u = cap.units[ui];
        for (const Clear& c : u.scope_removals) mark(c);
        if (u.matched.empty() || u.weight == 0) continue;  // a unit of no weight counts nowhere
        bool ok = u.fixed_scope && u.scope_removals.empty();
        for (const Clear& c : u.matched) ok = ok && c.item != kNo && c.mask != 0;
        for (const Clear& c : u.matched) ok ? refer(c) : mark(c);
        if (!ok) continue;
        std::vector<uint32_t> key;
        for (const Clear& c : u.matched) key.push_back(c.item);
        std::sort(key.begin(), key.end());
        key.erase(std::unique(key.begin(), key.end()), key.end());
        auto [it, fresh] = ident_of.try_emplace(key, static_cast<uint32_t>(idents_.size()));
        if (fresh) {
          Ident id;
          for (uint32_t item : key) id.clears.push_back({item, 0});
          idents_.push_back(std::move(id));
        }
        const uint32_t id = it->second;
        idents_[id].caps.push_back({static_cast<uint32_t>(k), u.weight});
        unit_ident_[k][ui] = id;
        for (uint32_t item : key) {
          if (item_ident[item] == kNo) item_ident[item] = id;
          if (item_ident[item] != id) bad[item] = 1;  // in two different units
        }
      }
    }
    for (Ident& id : idents_)
      for (Clear& c : id.clears) c.mask = item_mask_[c.item];
    // Groups: items joined by a site or a unit (union-find; items at no site are their own).
    std::vector<uint32_t> up(n);
    std::iota(up.begin(), up.end(), 0u);
    auto root = [&](uint32_t i) {
      while (up[i] != i) i = up[i] = up[up[i]];  // path halving: no recursion, however long a chain
      return i;
    };
    auto join = [&](uint32_t a, uint32_t b) { up[root(a)] = root(b); };
    std::vector<uint32_t> site_first(p_.site_count, kNo);
    for (uint32_t i = 0; i < n; ++i) {
      const uint32_t st = p_.items[i].site;
      if (st == kNo || st >= p_.site_count) continue;
      if (site_first[st] == kNo) site_first[st] = i;
      else join(i, site_first[st]);
    }
    for (const Ident& id : idents_)
      for (const Clear& c : id.clears) join(c.item, id.clears[0].item);
    std::vector<uint32_t> group_of_root(n, kNo);
    std::vector<uint8_t> group_bad;
    for (uint32_t i = 0; i < n; ++i) {
      uint32_t& g = group_of_root[root(i)];
      if (g == kNo) {
        g = static_cast<uint32_t>(groups_.size());
        groups_.emplace_back();
        group_bad.push_back(0);
      }
      groups_[g].items.push_back(i);
      group_bad[g] |= bad[i] | (item_mask_[i] == 0 && deadline[i] != kNo);
    }
    for (uint32_t id = 0; id < idents_.size(); ++id)
      groups_[group_of_root[root(idents_[id].clears[0].item)]].units.push_back(id);
    using Key = std::tuple<bool, uint32_t, uint32_t, double, uint32_t, std::vector<std::pair<uint32_t, double>>>;
    std::map<Key, uint32_t> class_of;
    for (uint32_t gi = 0; gi < groups_.size(); ++gi) {
      const Group& g = groups_[gi];
      if (group_bad[gi]) continue;
      std::set<uint32_t> sites;
      uint32_t due = kNo;
      bool all_due = true;
      for (uint32_t i : g.items) {
        if (p_.items[i].site != kNo) sites.insert(p_.items[i].site);
        due = std::min(due, deadline[i]);
        all_due = all_due && deadline[i] != kNo;
      }
      // One site at most: the argument above moves a group's work to one of its visits.
      if (sites.size() > 1) continue;
      auto cost_of = [&](const std::vector<Clear>& clears) {
        double c = 0;
        for (const Clear& cl : clears) c += p_.items[cl.item].options[cheapest_in(cl)].cost;
        return c;
      };
      Class cls;
      cls.sites = static_cast<uint32_t>(sites.size());
      cls.visit_cost = p_.site_visit * cls.sites;
      if (all_due) {
        cls.forced = true;
        cls.last = std::min(due, p_.periods - 1);
        for (uint32_t i : g.items) cls.unit_cost += p_.items[i].options[cheapest_in(Clear{i, item_mask_[i]})].cost;
        std::map<uint32_t, double> shed;
        for (uint32_t id : g.units)
          for (auto [cap, w] : idents_[id].caps) shed[cap] += w;
        cls.step_weight.assign(shed.begin(), shed.end());
      } else {
        if (due != kNo || g.units.empty()) continue;  // some must-clears, not all: not one choice
        // Counted: its units alike (the same cost and the same caps with the same weights).
        auto caps_of = [&](uint32_t id) {  // (cap, weight), a unit listed twice in one cap counting twice
          std::map<uint32_t, double> per_cap;
          for (auto [cap, w] : idents_[id].caps) per_cap[cap] += w;
          return std::vector<std::pair<uint32_t, double>>(per_cap.begin(), per_cap.end());
        };
        cls.k = static_cast<uint32_t>(g.units.size());
        cls.unit_cost = cost_of(idents_[g.units[0]].clears);
        cls.step_weight = caps_of(g.units[0]);
        bool alike = true;
        for (uint32_t id : g.units)
          alike = alike && cost_of(idents_[id].clears) == cls.unit_cost && caps_of(id) == cls.step_weight;
        if (!alike) continue;
        for (auto [cap, w] : cls.step_weight) cls.last = std::max(cls.last, p_.caps[cap].period);
        cls.last = std::min(cls.last, p_.periods - 1);
      }
      Key key{cls.forced, cls.forced ? cls.last : kNo, cls.k, cls.unit_cost, cls.sites, cls.step_weight};
      auto [it, fresh] = class_of.try_emplace(std::move(key), static_cast<uint32_t>(classes_.size()));
      if (fresh) classes_.push_back(std::move(cls));
      Class& c = classes_[it->second];
      c.members.push_back(gi);
      for (uint32_t i : g.items) item_class_[i] = it->second;
      for (uint32_t id : g.units) idents_[id].cls = it->second;
    }
  }

  const Problem& p_;
  std::vector<Ident> idents_;
  std::vector<Group> groups_;
  std::vector<Class> classes_;
  std::vector<uint64_t> item_mask_;  // the options that meet every requirement on an item (aggregated items)
  std::vector<std::vector<uint32_t>> unit_ident_;  // per cap, per unit: ident (kNo: not aggregatable)
  std::vector<uint32_t> item_class_;               // kNo: the item has its own columns
  bool use_budget_, use_capacity_, visits_ = false;
  std::vector<int> xbase_, vbase_, lbase_;
  std::vector<double> obj_, collo_, colhi_;
  std::vector<double> reward_;  // soft: weight of the requirement a "met" column stands for
  bool soft_ = false;
  std::vector<int> must_met_, cap_met_;
  std::vector<std::vector<int>> source_met_;
  std::vector<bool> integer_;
  std::vector<Row> rows_;
};

// Site visits follow from the actions: one per site and period with work.
void fill_visits(const Problem& p, Solution& s) {
  s.visits.assign(p.periods, {});
  std::set<std::pair<uint32_t, uint32_t>> seen;
  for (size_t i = 0; i < p.items.size(); ++i)
    if (s.option[i] >= 0 && p.items[i].site != kNo && seen.insert({s.period[i], p.items[i].site}).second)
      s.visits[s.period[i]].push_back(p.items[i].site);
  for (auto& v : s.visits) std::sort(v.begin(), v.end());
}

enum class RunResult { kSolved, kInfeasible, kNoSolution };

struct ExactRun {
  RunResult result = RunResult::kInfeasible;
  bool proven = false;
  Solution sol;
};

// The lazy loop: solve, add the paths the plan leaves open, repeat.
ExactRun run_exact(const Problem& p, bool use_budget, bool use_capacity, Solution* stats_out, bool soft = false) {
  auto t0 = std::chrono::steady_clock::now();
  auto lap = t0;
  std::vector<std::pair<std::string, double>> phases;
  Model model(p, use_budget, use_capacity, soft);
  model.build_static();
  std::vector<Reverse> revs;
  for (const Digraph& g : p.graphs) revs.push_back(reverse_of(g));
  std::set<std::pair<uint32_t, std::vector<uint32_t>>> added;
  uint32_t npaths = 0;
  // Seed with the paths open before any action: most of them must be broken anyway.
  State none;
  none.option.assign(p.items.size(), -1);
  none.period.assign(p.items.size(), 0);
  none.link_period.assign(p.link_count, kNo);
  // Best within budget: a source the plan leaves unmet may keep its paths.
  std::set<std::pair<uint32_t, uint32_t>> waived;
  auto add_open_paths = [&](const State& st) {
    size_t before = npaths;
    for (uint32_t i = 0; i < p.isolations.size(); ++i) {
      const Isolation& iso = p.isolations[i];
      auto paths = open_paths(p, iso, revs[iso.graph], st, 100000);
      for (auto& path : paths) {
        size_t pos = std::find(iso.sources.begin(), iso.sources.end(), path[0]) - iso.sources.begin();
        if (waived.count({i, static_cast<uint32_t>(pos)})) continue;
        PathCut c = cut_for_path(p, iso, pos, path);
        c.iso = i;
        c.source = static_cast<uint32_t>(pos);
        std::vector<uint32_t> key;
        if (model.soft()) key = {i, c.source};  // the same cut for two sources binds each through its own "met"
        for (auto& cl : c.clears) {
          key.push_back(cl.item);
          key.push_back(static_cast<uint32_t>(cl.mask));
        }
        key.push_back(kNo);
        key.insert(key.end(), c.links.begin(), c.links.end());
        if (!added.insert({c.period, key}).second) continue;
        model.add_path(c);
        ++npaths;
      }
    }
    return npaths - before;
  };
  add_open_paths(none);
  phases.push_back({"model", seconds_since(lap)});
  ExactRun run;
  for (uint32_t iter = 1;; ++iter) {
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    OsiClpSolverInterface si;
    si.messageHandler()->setLogLevel(0);
    model.load(si);
    CbcModel cbc(si);
    cbc.setLogLevel(0);
    cbc.messageHandler()->setLogLevel(0);
    std::string secs = fmt::format("{}", std::max(1.0, p.time_limit_s - elapsed));
    // CBC 2.10's preprocessing returned a plan 17 dearer than the optimum as
    // proven optimal on a small problem with what-must-change-together rows
    // (IlpTest.ChangeTogetherHoldsOnRandomProblems, round 40): off for those.
    std::vector<const char*> argv = {"netvet", "-log", "0", "-sec", secs.c_str(), "-ratio", "0", "-allow", "0"};
    if (!p.together.empty() || !p.managed.empty()) argv.insert(argv.end(), {"-preprocess", "off"});
    argv.insert(argv.end(), {"-solve", "-quit"});
    {
      // CBC 2.10's command-line driver keeps process-wide variables
      // (CbcOrClpRead_mode, CbcOrClpReadCommand, cbcPreProcessPointer, ...,
      // `nm -D libCbcSolver.so`): two plans solving at once would race on
      // them, so solves are serialised. The model building around it is not.
      std::lock_guard lock(cbc_driver_mutex());
      CbcSolverUsefulData data;
      CbcMain0(cbc, data);
      CbcMain1(static_cast<int>(argv.size()), argv.data(), cbc, nullptr, data);
    }
    phases.push_back({"cbc", seconds_since(lap)});
    if (stats_out) {
      stats_out->variables = static_cast<uint32_t>(model.ncols());
      stats_out->constraints = static_cast<uint32_t>(model.nrows());
      stats_out->iterations = iter;
      stats_out->path_constraints = npaths;
    }
    if (cbc.bestSolution() == nullptr) {
      // No solution: either proven infeasible or out of time before finding one.
      run.result = cbc.isSecondsLimitReached() ? RunResult::kNoSolution : RunResult::kInfeasible;
      if (stats_out) stats_out->phases = std::move(phases);
      return run;
    }
    std::vector<double> xs(cbc.bestSolution(), cbc.bestSolution() + model.ncols());
    run.sol = model.read(xs);
    if (model.soft()) {
      model.read_met(xs, run.sol);
      waived = {run.sol.unmet_source.begin(), run.sol.unmet_source.end()};
    }
    run.sol.lower_bound = cbc.getBestPossibleObjValue();
    run.proven = cbc.isProvenOptimal();
    run.result = RunResult::kSolved;
    State st = state_of(p, run.sol);
    const size_t added_paths = add_open_paths(st);
    phases.push_back({"paths", seconds_since(lap)});
    if (added_paths == 0 || iter >= 500) break;
  }
  if (stats_out) stats_out->phases = std::move(phases);
  fill_visits(p, run.sol);
  run.sol.cost = solution_cost(p, run.sol);
  return run;
}

std::string period_label(const Problem& p, uint32_t per) {
  if (per < p.period_name.size()) return p.period_name[per];
  return per < p.period_year.size() ? fmt::format("{}", p.period_year[per]) : fmt::format("period {}", per + 1);
}

// Why a problem has no solution, most specific first.
std::vector<std::string> explain_infeasible(const Problem& p) {
  std::vector<std::string> why;
  // Components no priced action clears, one line per rule and cause, naming
  // the first few (a national network can have thousands).
  std::map<std::pair<uint32_t, uint32_t>, std::vector<std::string_view>> stuck;  // (rule, constraint or kNo)
  for (const MustClear& m : p.must)
    if (m.clear.item == kNo || m.clear.mask == 0) {
      const uint32_t by = m.clear.item < p.withheld_by.size() ? p.withheld_by[m.clear.item] : kNo;
      stuck[{m.rule, by}].push_back(m.component);
    }
  for (auto& [key, comps] : stuck) {
    const auto [rule, by] = key;
    // A component stuck at several checkpoints is named once.
    std::unordered_set<std::string_view> seen;
    comps.erase(std::remove_if(comps.begin(), comps.end(), [&](std::string_view c) { return !seen.insert(c).second; }),
                comps.end());
    constexpr size_t kNamed = 5;
    std::string names;
    for (size_t i = 0; i < comps.size() && i < kNamed; ++i) names += (i ? ", " : "") + std::string(comps[i]);
    if (comps.size() > kNamed) names += fmt::format(" and {} more", comps.size() - kNamed);
    const std::string what = comps.size() == 1 ? "component " + names
                                               : fmt::format("{} components ({})", comps.size(), names);
    const std::string cause =
        by == kNo || by >= p.constraints.size()
            ? "no allowed vendor both is priced for its function in the cost model and lists it in its portfolio: "
              "add one to each"
            : fmt::format("every vendor priced and listed for its function lacks an element manager of its own in "
                          "this network, and constraint {} keeps an element with a manager of its own vendor; list a "
                          "vendor that has a manager here, or one that also makes the manager and every function "
                          "it manages",
                          p.constraints[by]);
    why.push_back(fmt::format("rule {}: {} must be cleared but no priced action clears {} ({})", p.rules[rule], what,
                              comps.size() == 1 ? "it" : "them", cause));
  }
  if (!why.empty()) return why;
  // A cap that stays over its limit even when every clearable unit is cleared.
  for (const Cap& cap : p.caps) {
    double stuck = 0, scope = 0;
    for (const CapUnit& u : cap.units) {
      scope += u.weight;
      for (const Clear& c : u.matched)
        if (c.item == kNo || c.mask == 0) {
          stuck += u.weight;
          break;
        }
    }
    if (scope > 0 && 100 * stuck > cap.max_percent * scope)
      why.push_back(fmt::format("rule {}{}: {:.1f}% stays matched even if every priced action is taken (cap {}%; "
                                "a replacement needs a vendor whose portfolio lists the function)",
                                p.rules[cap.rule], cap.label.empty() ? "" : " (" + cap.label + ")",
                                100 * stuck / scope, cap.max_percent));
  }
  if (!why.empty()) return why;
  Problem relaxed = p;
  relaxed.budget = -1;
  relaxed.capacity = -1;
  ExactRun free_run = run_exact(relaxed, false, false, nullptr);
  if (free_run.result != RunResult::kSolved) {
    why.push_back("the rules cannot all be met with the actions the cost model prices (an isolation path "
                  "that no priced action breaks, or conflicting requirements)");
    return why;
  }
  if (p.capacity >= 0) {
    Problem cap_only = p;
    cap_only.budget = -1;
    ExactRun r = run_exact(cap_only, false, true, nullptr);
    if (r.result != RunResult::kSolved) {
      // A lower bound the reader can check: the sites holding components that
      // must be cleared by each period (caps may need more on top).
      std::vector<std::set<uint32_t>> need(p.periods);
      for (const MustClear& m : p.must)
        if (m.clear.item != kNo && p.items[m.clear.item].site != kNo) need[m.period].insert(p.items[m.clear.item].site);
      std::string detail;
      std::set<uint32_t> cum;
      int64_t allowed = 0;
      for (uint32_t per = 0; per < p.periods; ++per) {
        cum.insert(need[per].begin(), need[per].end());
        allowed += capacity_of(p, per);
        if (static_cast<int64_t>(cum.size()) > allowed) {
          detail = fmt::format(": components that must be cleared by the end of {} sit at {} sites, capacity "
                               "allows {} by then",
                               period_label(p, per), cum.size(), allowed);
          break;
        }
      }
      if (detail.empty()) detail = " together with the share caps' minimum number of site swaps";
      why.push_back(fmt::format("capacity: {} site{} per {} is not enough to meet the deadlines{}", p.capacity,
                                p.capacity == 1 ? "" : "s", p.capacity_unit, detail));
      return why;
    }
  }
  if (p.budget >= 0) {
    Problem nb = p;
    nb.budget = -1;
    ExactRun r = run_exact(nb, false, true, nullptr);
    double need = r.result == RunResult::kSolved ? r.sol.cost : free_run.sol.cost;
    why.push_back(fmt::format("budget: the cheapest plan costs {:.0f}, more than the budget of {:.0f}", need, p.budget));
  }
  if (why.empty()) why.push_back("no plan satisfies every requirement");
  return why;
}

// ---- max flow (Dinic) for the greedy's weighted min cut --------------------

struct Flow {
  struct E {
    uint32_t to;
    double cap;
  };
  std::vector<E> es;
  std::vector<std::vector<uint32_t>> adj;
  std::vector<int> level;
  std::vector<size_t> it;
  explicit Flow(size_t n) : adj(n) {}
  uint32_t add(uint32_t a, uint32_t b, double c) {
    adj[a].push_back(static_cast<uint32_t>(es.size()));
    es.push_back({b, c});
    adj[b].push_back(static_cast<uint32_t>(es.size()));
    es.push_back({a, 0});
    return static_cast<uint32_t>(es.size() - 2);
  }
  bool bfs(uint32_t s, uint32_t t) {
    level.assign(adj.size(), -1);
    std::deque<uint32_t> q{s};
    level[s] = 0;
    while (!q.empty()) {
      uint32_t v = q.front();
      q.pop_front();
      for (uint32_t e : adj[v])
        if (es[e].cap > 1e-9 && level[es[e].to] < 0) {
          level[es[e].to] = level[v] + 1;
          q.push_back(es[e].to);
        }
    }
    return level[t] >= 0;
  }
  double dfs(uint32_t v, uint32_t t, double f) {
    if (v == t) return f;
    for (size_t& k = it[v]; k < adj[v].size(); ++k) {
      uint32_t e = adj[v][k];
      uint32_t w = es[e].to;
      if (es[e].cap > 1e-9 && level[w] == level[v] + 1) {
        double d = dfs(w, t, std::min(f, es[e].cap));
        if (d > 0) {
          es[e].cap -= d;
          es[e ^ 1].cap += d;
          return d;
        }
      }
    }
    return 0;
  }
  double run(uint32_t s, uint32_t t) {
    double total = 0;
    while (bfs(s, t)) {
      it.assign(adj.size(), 0);
      while (double f = dfs(s, t, kInf)) total += f;
    }
    return total;
  }
};

}  // namespace

double solution_cost(const Problem& p, const Solution& s) {
  double c = 0;
  std::set<std::pair<uint32_t, uint32_t>> visits;
  for (size_t i = 0; i < p.items.size() && i < s.option.size(); ++i)
    if (s.option[i] >= 0) {
      c += p.items[i].options[s.option[i]].cost;
      if (p.items[i].site != kNo) visits.insert({s.period[i], p.items[i].site});
    }
  c += p.site_visit * static_cast<double>(visits.size());
  std::set<uint32_t> links;
  for (auto [k, per] : s.protect) links.insert(k);
  c += p.protect_link * static_cast<double>(links.size());
  return c;
}

namespace {
// The first what-must-change-together constraint the state breaks, or "".
std::string tie_violation(const Problem& p, const State& st) {
  auto cls = [&](uint32_t i) { return st.option[i] < 0 ? kNo : static_cast<uint32_t>(option_class(p.items[i].options[st.option[i]]) + 2); };
  constexpr uint32_t kRemove = kRemoveClass + 2, kMove = kMoveClass + 2;  // replacements are vendor + 2
  auto name = [&](uint32_t c, uint32_t i) {
    return fmt::format("{} (item {})", c < p.constraints.size() ? p.constraints[c] : "constraint", i);
  };
  for (const Together& t : p.together) {
    uint32_t ca = cls(t.a), cb = cls(t.b);
    if (!t.same_vendor) {  // different vendors now: replacements are free
      if (ca != kRemove && ca != kMove) ca = kNo;
      if (cb != kRemove && cb != kMove) cb = kNo;
    }
    if (ca != cb || (ca != kNo && st.period[t.a] != st.period[t.b]))
      return fmt::format("{}: items {} and {} do not change together", name(t.constraint, t.a), t.a, t.b);
  }
  for (const Managed& m : p.managed) {
    const uint32_t ce = cls(m.manager), cm = cls(m.element);
    const bool element_left = cm != kNo && cm != kMove && st.period[m.element] <= st.period[m.manager];
    if (ce == kRemove && !element_left)
      return fmt::format("{}: the manager is removed before its element {} left it", name(m.constraint, m.manager),
                         m.element);
    if (ce != kNo && ce != kRemove && ce != kMove && !m.manager_may_change &&
        !(element_left && (cm == ce || cm == kRemove)))
      return fmt::format("{}: the manager is replaced before its element {} is", name(m.constraint, m.manager),
                         m.element);
    if (cm != kNo && cm != kRemove && cm != kMove &&
        !std::binary_search(m.managed_vendors.begin(), m.managed_vendors.end(), cm - 2) &&
        !(ce == cm && st.period[m.manager] <= st.period[m.element]))
      return fmt::format("{}: element {} goes to a vendor with no manager of its own", name(m.constraint, m.element),
                         m.element);
  }
  return "";
}
}  // namespace

bool satisfies(const Problem& p, const Solution& s, std::string* why) {
  State st = state_of(p, s);
  auto fail = [&](std::string m) {
    if (why) *why = std::move(m);
    return false;
  };
  if (std::string t = tie_violation(p, st); !t.empty()) return fail(t);
  for (const MustClear& m : p.must)
    if (!done_by(st, m.clear, m.period)) return fail(fmt::format("{}: {} not cleared", p.rules[m.rule], m.component));
  for (const Cap& cap : p.caps) {
    double matched = 0, scope = 0;
    for (const CapUnit& u : cap.units) {
      bool in = u.fixed_scope;
      for (const Clear& c : u.scope_removals) in = in || !done_by(st, c, cap.period);
      if (in) scope += u.weight;
      bool m = false;
      for (const Clear& c : u.matched) m = m || !done_by(st, c, cap.period);
      if (m) matched += u.weight;
    }
    if (100 * matched > cap.max_percent * scope + 1e-9)
      return fail(fmt::format("{}{}: {} of {} over {}%", p.rules[cap.rule], cap.label, matched, scope, cap.max_percent));
  }
  for (const Isolation& iso : p.isolations) {
    Reverse rev = reverse_of(p.graphs[iso.graph]);
    if (!open_paths(p, iso, rev, st, 1).empty()) return fail(fmt::format("{}: a path stays open", p.rules[iso.rule]));
  }
  if (p.capacity >= 0) {
    std::vector<std::set<uint32_t>> per(p.periods);
    for (size_t i = 0; i < p.items.size(); ++i)
      if (st.option[i] >= 0 && p.items[i].site != kNo) per[st.period[i]].insert(p.items[i].site);
    for (uint32_t k = 0; k < p.periods; ++k)
      if (static_cast<int64_t>(per[k].size()) > capacity_of(p, k)) return fail("capacity exceeded");
  }
  if (p.budget >= 0 && solution_cost(p, s) > p.budget + 1e-6) return fail("budget exceeded");
  return true;
}

Solution solve_exact(const Problem& p) {
  Solution stats;
  for (const MustClear& m : p.must)
    if (m.clear.item == kNo || m.clear.mask == 0) {
      Solution out;
      out.outcome = Outcome::kInfeasible;
      out.infeasible = explain_infeasible(p);
      return out;
    }
  ExactRun run = run_exact(p, true, true, &stats);
  Solution out;
  std::vector<std::string> why_not_all;
  if (run.result == RunResult::kInfeasible && p.best_within_budget && p.budget >= 0) {
    // Everything does not fit: the plan within the budget that clears the most.
    why_not_all = explain_infeasible(p);
    run = run_exact(p, true, true, &stats, true);
    // Everything met cannot be (the full problem was infeasible); nothing met is no plan.
    if (run.result == RunResult::kSolved &&
        ((run.sol.unmet_must.empty() && run.sol.unmet_cap.empty() && run.sol.unmet_source.empty()) ||
         run.sol.risk_cleared <= 0))
      run.result = RunResult::kInfeasible;
  }
  if (run.result == RunResult::kSolved && !why_not_all.empty()) {
    out = std::move(run.sol);
    out.outcome = Outcome::kPartial;
    out.infeasible = std::move(why_not_all);
    out.lower_bound = out.cost;  // optimal for the weighted objective, not a bound on this cost
  } else if (run.result == RunResult::kSolved) {
    out = std::move(run.sol);
    out.outcome = run.proven ? Outcome::kOptimal : Outcome::kFeasible;
    if (run.proven) out.lower_bound = out.cost;
  } else if (run.result == RunResult::kNoSolution) {
    out.outcome = Outcome::kTimeLimitNoSolution;
    out.infeasible.push_back(fmt::format("no plan found within the time limit of {:.0f} s", p.time_limit_s));
  } else {
    out.outcome = Outcome::kInfeasible;
    out.infeasible = explain_infeasible(p);
  }
  out.variables = stats.variables;
  out.constraints = stats.constraints;
  out.iterations = stats.iterations;
  out.path_constraints = stats.path_constraints;
  out.phases = std::move(stats.phases);
  return out;
}

Solution solve_greedy(const Problem& p) {
  auto lap = std::chrono::steady_clock::now();
  Solution s;
  s.option.assign(p.items.size(), -1);
  s.period.assign(p.items.size(), 0);
  State st;
  st.link_period.assign(p.link_count, kNo);
  auto sync = [&] {
    st.option = s.option;
    st.period = s.period;
  };
  // What must change together: an option drags in its partners' actions.
  const size_t n = p.items.size();
  std::vector<std::vector<const Together*>> together_of(n);
  std::vector<std::vector<const Managed*>> as_manager(n), as_element(n);
  for (const Together& t : p.together) {
    together_of[t.a].push_back(&t);
    together_of[t.b].push_back(&t);
  }
  for (const Managed& m : p.managed) {
    as_manager[m.manager].push_back(&m);
    as_element[m.element].push_back(&m);
  }
  auto option_of_class = [&](uint32_t item, int cls) {
    const auto& opts = p.items[item].options;
    for (size_t o = 0; o < opts.size(); ++o)
      if (option_class(opts[o]) == cls) return static_cast<int32_t>(o);
    return int32_t{-1};
  };
  struct Pick {
    int32_t option = -1;
    double cost = 0;
    std::vector<std::pair<uint32_t, int32_t>> assign;  // (item, option), the item itself first
  };
  // Option `opt` of `item` with everything it brings along given the plan so
  // far; nullopt when a partner cannot follow or already does something else.
  auto closure = [&](uint32_t item, int32_t opt) -> std::optional<Pick> {
    Pick out;
    out.option = opt;
    std::map<uint32_t, int32_t> chosen;
    auto class_now = [&](uint32_t i) {
      auto it = chosen.find(i);
      const int32_t o = it != chosen.end() ? it->second : s.option[i];
      return o < 0 ? std::optional<int>() : std::optional<int>(option_class(p.items[i].options[o]));
    };
    std::deque<std::pair<uint32_t, int>> queue{{item, option_class(p.items[item].options[opt])}};
    while (!queue.empty()) {
      auto [i, cls] = queue.front();
      queue.pop_front();
      if (auto now = class_now(i)) {
        if (*now != cls) return std::nullopt;
        continue;
      }
      const int32_t o = option_of_class(i, cls);
      if (o < 0) return std::nullopt;
      chosen[i] = o;
      out.assign.push_back({i, o});
      out.cost += p.items[i].options[o].cost;
      for (const Together* t : together_of[i])
        if (cls < 0 || t->same_vendor) queue.push_back({t->a == i ? t->b : t->a, cls});
      for (const Managed* m : as_element[i])
        if (cls >= 0 && !std::binary_search(m->managed_vendors.begin(), m->managed_vendors.end(),
                                            static_cast<uint32_t>(cls)))
          queue.push_back({m->manager, cls});
      if (cls == kMoveClass) continue;
      for (const Managed* m : as_manager[i]) {  // the manager changes only once its elements left it
        if (m->manager_may_change && cls != kRemoveClass) continue;  // waived: they may stay
        auto el = class_now(m->element);
        if (el && *el != kMoveClass && (cls == kRemoveClass || *el == cls || *el == kRemoveClass)) continue;
        if (el) return std::nullopt;
        int follow = cls;
        if (cls == kRemoveClass) {  // the element's cheapest way out
          int32_t best = -1;
          const auto& eo = p.items[m->element].options;
          for (size_t k = 0; k < eo.size(); ++k)
            if (eo[k].kind != ActionKind::kMove && (best < 0 || eo[k].cost < eo[best].cost)) best = static_cast<int32_t>(k);
          if (best < 0) return std::nullopt;
          follow = option_class(eo[best]);
        }
        queue.push_back({m->element, follow});
      }
    }
    return out;
  };
  auto cheapest = [&](uint32_t item, uint64_t mask) -> std::optional<Pick> {
    std::optional<Pick> best;
    const auto& opts = p.items[item].options;
    for (size_t o = 0; o < opts.size(); ++o)
      if ((mask >> o) & 1)
        if (auto c = closure(item, static_cast<int32_t>(o)); c && (!best || c->cost < best->cost)) best = std::move(c);
    return best;
  };
  auto apply = [&](const Pick& pick, uint32_t period) {
    for (auto [i, o] : pick.assign) {
      if (s.option[i] < 0) {
        s.option[i] = o;
        s.period[i] = period;
      } else {
        s.period[i] = std::min(s.period[i], period);
      }
    }
    sync();
  };
  auto infeasible = [&] {
    s.outcome = Outcome::kInfeasible;
    s.infeasible = explain_infeasible(p);
    return s;
  };
  // 1. Must-clears: per item, the cheapest option every requirement on it accepts, by the earliest period.
  std::map<uint32_t, std::pair<uint64_t, uint32_t>> need;
  for (const MustClear& m : p.must) {
    if (m.clear.item == kNo) return infeasible();
    auto [itr, fresh] = need.try_emplace(m.clear.item, m.clear.mask, m.period);
    if (!fresh) {
      itr->second.first &= m.clear.mask;
      itr->second.second = std::min(itr->second.second, m.period);
    }
  }
  for (auto [item, mp] : need) {
    if (s.option[item] >= 0) {  // brought along by an earlier item's choice
      if (!((mp.first >> s.option[item]) & 1)) return infeasible();
      s.period[item] = std::min(s.period[item], mp.second);
      continue;
    }
    auto pick = cheapest(item, mp.first);
    if (!pick) return infeasible();
    apply(*pick, mp.second);
  }
  sync();
  // 2. Caps: clear the cheapest units (cost per unit of weight) until under the cap.
  //    A cap is cleared with replacements where one clears it: a removal takes
  //    the unit out of the population too, which helps the share less. Matched
  //    weight and population are recounted exactly as satisfies() counts them
  //    (removals done for other requirements shrink the population), and the
  //    caps are revisited while work for a later one (a removal) breaks an
  //    earlier one.
  auto cheapest_keep = [&](uint32_t item, uint64_t mask) {
    uint64_t keep = mask & ~removal_mask(p.items[item]);
    return keep ? cheapest(item, keep) : cheapest(item, mask);
  };
  std::vector<const Cap*> caps;
  for (const Cap& c : p.caps) caps.push_back(&c);
  std::stable_sort(caps.begin(), caps.end(), [](const Cap* a, const Cap* b) { return a->period < b->period; });
  std::set<std::pair<uint32_t, uint32_t>> visited;  // (site, period)
  for (size_t i = 0; i < p.items.size(); ++i)
    if (s.option[i] >= 0 && p.items[i].site != kNo) visited.insert({p.items[i].site, s.period[i]});
  auto in_scope = [&](const CapUnit& unit, uint32_t period) {
    bool in = unit.fixed_scope;
    for (const Clear& c : unit.scope_removals) in = in || !done_by(st, c, period);
    return in;
  };
  bool cap_work = true;
  for (size_t round = 0; cap_work && round <= caps.size(); ++round) {
    cap_work = false;
    for (const Cap* cap : caps) {
      // A candidate is one unit, or every unit of the cap still matched at one
      // site (a block): once a site is visited for one radio its others cost
      // no visit, and a site with three radios spreads its visit over three
      // cells. Ratios are re-evaluated when a candidate comes up (visits and
      // cleared units change them), so the cheapest per unit of weight now
      // goes first.
      double matched = 0, scope = 0;
      struct Eval {
        bool ok = false;
        double cost = 0, weight = 0;
      };
      // The cost and weight of clearing units `us` now (only those still matched and clearable).
      auto evaluate = [&](const std::vector<size_t>& us) {
        Eval e;
        std::set<uint32_t> sites;
        for (size_t u : us) {
          const CapUnit& unit = cap->units[u];
          if (!in_scope(unit, cap->period)) continue;
          bool m = false, clearable = true;
          double cost = 0;
          std::set<uint32_t> unit_sites;
          for (const Clear& c : unit.matched) {
            if (done_by(st, c, cap->period)) continue;
            m = true;
            if (c.item == kNo || s.option[c.item] >= 0) {
              // Already acting on it with an option that does not clear this rule, or not actionable.
              if (c.item == kNo || !((c.mask >> s.option[c.item]) & 1)) clearable = false;
              continue;
            }
            auto pick = cheapest_keep(c.item, c.mask);
            if (!pick) {
              clearable = false;
              continue;
            }
            cost += pick->cost;
            if (p.items[c.item].site != kNo && !visited.count({p.items[c.item].site, cap->period}))
              unit_sites.insert(p.items[c.item].site);
          }
          if (!m || !clearable) continue;
          e.ok = true;
          e.cost += cost;
          e.weight += unit.weight;
          sites.insert(unit_sites.begin(), unit_sites.end());
        }
        e.cost += p.site_visit * static_cast<double>(sites.size());
        return e;
      };
      std::vector<std::vector<size_t>> cand_units;  // candidate -> units
      std::map<uint32_t, std::vector<size_t>> at_site;  // site -> its units that are candidates
      std::vector<size_t> unit_cand(cap->units.size(), SIZE_MAX);  // unit -> its own candidate
      for (size_t u = 0; u < cap->units.size(); ++u) {
        const CapUnit& unit = cap->units[u];
        if (!in_scope(unit, cap->period)) continue;
        scope += unit.weight;
        bool m = false;
        std::set<uint32_t> sites;
        for (const Clear& c : unit.matched)
          if (!done_by(st, c, cap->period)) {
            m = true;
            if (c.item != kNo && p.items[c.item].site != kNo) sites.insert(p.items[c.item].site);
          }
        if (!m) continue;
        matched += unit.weight;
        if (unit.weight <= 0) continue;
        unit_cand[u] = cand_units.size();
        cand_units.push_back({u});
        if (sites.size() == 1) at_site[*sites.begin()].push_back(u);
      }
      for (auto& [site, us] : at_site) {
        if (us.size() < 2) continue;
        cand_units.push_back(us);
      }
      using Entry = std::tuple<double, size_t>;  // (ratio when pushed, candidate), smallest first
      std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
      for (size_t k = 0; k < cand_units.size(); ++k)
        if (Eval e = evaluate(cand_units[k]); e.ok && e.weight > 0) heap.push({e.cost / e.weight, k});
      while (!heap.empty() && 100 * matched > cap->max_percent * scope + 1e-9) {
        auto [ratio, k] = heap.top();
        heap.pop();
        const Eval e = evaluate(cand_units[k]);
        if (!e.ok || e.weight <= 0) continue;
        if (e.cost / e.weight > ratio + 1e-9) {  // dearer than when pushed: back in line
          heap.push({e.cost / e.weight, k});
          continue;
        }
        // A block heavier than what is still over the cap: its single units do it cheaper.
        const double excess = matched - cap->max_percent * scope / 100;
        if (cand_units[k].size() > 1 && e.weight > excess + 1e-9) continue;
        std::set<uint32_t> touched;
        for (size_t u : cand_units[k]) {
          const CapUnit& unit = cap->units[u];
          if (!in_scope(unit, cap->period)) continue;
          bool m = false;
          for (const Clear& cl : unit.matched) m = m || !done_by(st, cl, cap->period);
          if (!m) continue;
          for (const Clear& cl : unit.matched) {
            if (cl.item == kNo) continue;
            if (s.option[cl.item] >= 0) {
              s.period[cl.item] = std::min(s.period[cl.item], cap->period);
              continue;
            }
            if (auto pick = cheapest_keep(cl.item, cl.mask)) apply(*pick, cap->period);
            if (p.items[cl.item].site != kNo) {
              visited.insert({p.items[cl.item].site, cap->period});
              touched.insert(p.items[cl.item].site);
            }
          }
          sync();
          cap_work = true;
          matched -= unit.weight;
          if (!in_scope(unit, cap->period)) scope -= unit.weight;
        }
        // Units at a site just visited cost less now: put them in line again.
        for (uint32_t site : touched) {
          auto it = at_site.find(site);
          if (it == at_site.end()) continue;
          for (size_t u : it->second)
            if (Eval e2 = evaluate(cand_units[unit_cand[u]]); e2.ok && e2.weight > 0)
              heap.push({e2.cost / e2.weight, unit_cand[u]});
        }
      }
      sync();
    }
    // Recount every cap: work for one may have taken units out of another's population.
    bool all_hold = true;
    for (const Cap* cap : caps) {
      double matched = 0, scope = 0;
      for (const CapUnit& unit : cap->units) {
        if (!in_scope(unit, cap->period)) continue;
        scope += unit.weight;
        for (const Clear& c : unit.matched)
          if (!done_by(st, c, cap->period)) {
            matched += unit.weight;
            break;
          }
      }
      all_hold = all_hold && 100 * matched <= cap->max_percent * scope + 1e-9;
    }
    if (all_hold) break;
    if (!cap_work) {
      s.outcome = Outcome::kInfeasible;
      s.infeasible = {"the greedy plan cannot bring every share cap under its limit (the exact planner may "
                      "find a plan: drop --fast)"};
      return s;
    }
  }
  // 3. Isolation: a weighted min cut per requirement (neutralise sources vs protect links).
  for (const Isolation& iso : p.isolations) {
    const Digraph& g = p.graphs[iso.graph];
    uint32_t S = g.nodes, T = g.nodes + 1;
    Flow f(g.nodes + 2);
    std::vector<uint32_t> flow_edge_graph_edge, flow_edge_source;
    auto removed = [&](uint32_t node) {
      uint32_t it = node < p.node_item.size() ? p.node_item[node] : kNo;
      return it != kNo && done_by(st, Clear{it, removal_mask(p.items[it])}, iso.period);
    };
    for (size_t k = 0; k < iso.sources.size(); ++k) {
      if (done_by(st, iso.source_clear[k], iso.period) || removed(iso.sources[k])) continue;
      const Clear& c = iso.source_clear[k];
      double cost = kInf;
      if (c.item != kNo) {
        if (s.option[c.item] >= 0) {
          if ((c.mask >> s.option[c.item]) & 1) cost = 0;  // done later than needed: pull it forward
        } else if (auto pick = cheapest(c.item, c.mask)) {
          cost = pick->cost;
        }
      }
      uint32_t fe = f.add(S, iso.sources[k], cost);
      flow_edge_graph_edge.resize(fe + 1, kNo);
      flow_edge_source.resize(fe + 1, kNo);
      flow_edge_source[fe] = static_cast<uint32_t>(k);
    }
    for (uint32_t t : iso.targets) f.add(t, T, kInf);
    for (uint32_t v = 0; v < g.nodes; ++v) {
      if (removed(v)) continue;
      for (uint32_t e = g.offsets[v]; e < g.offsets[v + 1]; ++e) {
        uint32_t k = g.link[e];
        if (k != kNo && st.link_period[k] != kNo && st.link_period[k] <= iso.period) continue;
        if (removed(g.to[e])) continue;
        double cap = k == kNo ? kInf : (st.link_period[k] != kNo ? 0 : p.protect_link);
        uint32_t fe = f.add(v, g.to[e], cap);
        flow_edge_graph_edge.resize(fe + 1, kNo);
        flow_edge_source.resize(fe + 1, kNo);
        flow_edge_graph_edge[fe] = e;
      }
    }
    double flow = f.run(S, T);
    if (flow >= kInf / 2) {
      s.outcome = Outcome::kInfeasible;
      s.infeasible = explain_infeasible(p);
      return s;
    }
    f.bfs(S, T);  // level >= 0: the source side of the min cut
    for (size_t fe = 0; fe < flow_edge_graph_edge.size(); fe += 2) {
      uint32_t from = f.es[fe + 1].to, to = f.es[fe].to;
      if (f.level[from] < 0 || f.level[to] >= 0) continue;
      if (flow_edge_source[fe] != kNo) {
        const Clear& c = iso.source_clear[flow_edge_source[fe]];
        if (s.option[c.item] < 0) {
          if (auto pick = cheapest(c.item, c.mask)) apply(*pick, iso.period);
        } else {
          s.period[c.item] = std::min(s.period[c.item], iso.period);
        }
      } else if (flow_edge_graph_edge[fe] != kNo) {
        uint32_t k = g.link[flow_edge_graph_edge[fe]];
        st.link_period[k] = std::min(st.link_period[k] == kNo ? iso.period : st.link_period[k], iso.period);
      }
    }
    sync();
  }
  // 4. Blocks of work that share a period: a site's work (one visit) and
  //    items that change together (with their sites). Each block is done in
  //    its earliest period, then blocks are spread over periods by earliest
  //    deadline first when capacity binds.
  const uint32_t S = p.site_count;
  std::vector<uint32_t> root(S + n);
  std::iota(root.begin(), root.end(), 0u);
  std::function<uint32_t(uint32_t)> find = [&](uint32_t v) { return root[v] == v ? v : root[v] = find(root[v]); };
  auto unite = [&](uint32_t a, uint32_t b) { root[find(a)] = find(b); };
  for (size_t i = 0; i < n; ++i)
    if (s.option[i] >= 0 && p.items[i].site != kNo) unite(p.items[i].site, S + static_cast<uint32_t>(i));
  for (const Together& t : p.together)
    if (s.option[t.a] >= 0 && s.option[t.b] >= 0) unite(S + t.a, S + t.b);
  for (const Managed& m : p.managed)
    if (s.option[m.manager] >= 0 && s.option[m.element] >= 0) unite(S + m.manager, S + m.element);
  std::map<uint32_t, std::pair<uint32_t, std::set<uint32_t>>> blocks;  // root -> (period, sites)
  for (size_t i = 0; i < n; ++i) {
    if (s.option[i] < 0) continue;
    auto [it, fresh] = blocks.try_emplace(find(S + static_cast<uint32_t>(i)), s.period[i], std::set<uint32_t>{});
    it->second.first = std::min(it->second.first, s.period[i]);
    if (p.items[i].site != kNo) it->second.second.insert(p.items[i].site);
  }
  if (p.capacity >= 0) {
    std::vector<std::pair<uint32_t, uint32_t>> by_deadline;  // (period, block root)
    for (const auto& [r, b] : blocks) by_deadline.push_back({b.first, r});
    std::sort(by_deadline.begin(), by_deadline.end());
    std::vector<int64_t> used(p.periods, 0);
    for (auto [per, r] : by_deadline) {
      const auto need = static_cast<int64_t>(blocks[r].second.size());
      uint32_t q = 0;
      while (q <= per && used[q] + need > capacity_of(p, q)) ++q;
      if (q > per) return infeasible();
      used[q] += need;
      blocks[r].first = q;
    }
  }
  for (size_t i = 0; i < n; ++i)
    if (s.option[i] >= 0) s.period[i] = blocks[find(S + static_cast<uint32_t>(i))].first;
  for (uint32_t k = 0; k < p.link_count; ++k)
    if (st.link_period[k] != kNo) s.protect.push_back({k, st.link_period[k]});
  fill_visits(p, s);
  s.cost = solution_cost(p, s);
  s.outcome = Outcome::kFeasible;
  if (std::string why; !satisfies(p, s, &why) && why != "budget exceeded") {
    // A later step undid an earlier one (a removal for isolation shrinking a cap's population).
    s.outcome = Outcome::kInfeasible;
    s.infeasible = {fmt::format("the greedy plan leaves {} (the exact planner may find a plan: drop --fast)", why)};
    return s;
  }
  if (p.budget >= 0 && s.cost > p.budget + 1e-6) {
    s.outcome = Outcome::kInfeasible;
    s.infeasible.push_back(fmt::format("budget: the greedy plan costs {:.0f}, more than the budget of {:.0f} "
                                       "(the exact planner may find a cheaper plan: drop --fast)",
                                       s.cost, p.budget));
  }
  s.phases.push_back({"greedy", seconds_since(lap)});
  // LP bound: the relaxation with the paths open before any action (a subset of
  // the path constraints, so still a valid lower bound).
  Model model(p, true, true);
  model.build_static();
  State none;
  none.option.assign(p.items.size(), -1);
  none.period.assign(p.items.size(), 0);
  none.link_period.assign(p.link_count, kNo);
  uint32_t npaths = 0;
  for (const Isolation& iso : p.isolations) {
    Reverse rev = reverse_of(p.graphs[iso.graph]);
    for (auto& path : open_paths(p, iso, rev, none, 100000)) {
      size_t pos = std::find(iso.sources.begin(), iso.sources.end(), path[0]) - iso.sources.begin();
      model.add_path(cut_for_path(p, iso, pos, path));
      ++npaths;
    }
  }
  OsiClpSolverInterface si;
  si.messageHandler()->setLogLevel(0);
  model.load(si);
  si.initialSolve();
  s.lower_bound = si.isProvenOptimal() ? si.getObjValue() : 0;
  s.variables = static_cast<uint32_t>(model.ncols());
  s.constraints = static_cast<uint32_t>(model.nrows());
  s.iterations = 1;
  s.path_constraints = npaths;
  s.phases.push_back({"lp-bound", seconds_since(lap)});
  return s;
}

}  // namespace netvet::plan_internal
