// Minimum cuts between untrusted sources and critical targets, for the planner:
// the fewest links to protect (edge cut) or components to replace (vertex cut).
// Max-flow by Dinic on arrays (unit capacities on the cut candidates, so it runs
// in O(E sqrt V)); the cut is read off the residual graph. Own code rather than
// Boost.Graph because the flow network is derived directly from the CSR arrays
// and Boost would need an adjacency_list with per-vertex allocation.
#include <algorithm>
#include <limits>

#include "netvet/graph.h"

namespace netvet {
namespace {

constexpr int64_t kInf = int64_t{1} << 40;  // above any possible unit-capacity cut

class Dinic {
 public:
  explicit Dinic(uint32_t nodes) : n_(nodes) {}
  // Arc pairs are stored adjacently: arc i's reverse is i ^ 1.
  uint32_t add(uint32_t u, uint32_t v, int64_t cap) {
    const uint32_t id = static_cast<uint32_t>(to_.size());
    from_.push_back(u);
    to_.push_back(v);
    cap_.push_back(cap);
    from_.push_back(v);
    to_.push_back(u);
    cap_.push_back(0);
    return id;
  }

  int64_t max_flow(uint32_t s, uint32_t t) {
    build_csr();
    int64_t flow = 0;
    std::vector<uint32_t> queue;
    std::vector<uint32_t> stack;  // arcs of the current augmenting path
    while (true) {
      // BFS levels.
      level_.assign(n_, kNone);
      level_[s] = 0;
      queue.assign(1, s);
      for (size_t h = 0; h < queue.size(); ++h) {
        const uint32_t v = queue[h];
        for (uint32_t i = off_[v]; i < off_[v + 1]; ++i) {
          const uint32_t a = arcs_[i];
          if (cap_[a] > 0 && level_[to_[a]] == kNone) {
            level_[to_[a]] = level_[v] + 1;
            queue.push_back(to_[a]);
          }
        }
      }
      if (level_[t] == kNone) return flow;
      it_.assign(off_.begin(), off_.end() - 1);
      // Iterative blocking flow: advance along level-increasing arcs, retreat on dead ends.
      uint32_t v = s;
      stack.clear();
      while (true) {
        if (v == t) {
          int64_t push = kInf * 4;
          for (uint32_t a : stack) push = std::min(push, cap_[a]);
          for (uint32_t a : stack) {
            cap_[a] -= push;
            cap_[a ^ 1] += push;
          }
          flow += push;
          if (flow >= kInf) return flow;  // infinite: no finite cut exists
          stack.clear();
          v = s;
          continue;
        }
        bool advanced = false;
        for (uint32_t& i = it_[v]; i < off_[v + 1]; ++i) {
          const uint32_t a = arcs_[i];
          if (cap_[a] > 0 && level_[to_[a]] == level_[v] + 1) {
            stack.push_back(a);
            v = to_[a];
            advanced = true;
            break;
          }
        }
        if (advanced) continue;
        if (v == s) break;
        level_[v] = kNone;  // dead end: never enter it again in this phase
        const uint32_t a = stack.back();
        stack.pop_back();
        v = from_[a];
        ++it_[v];
      }
    }
  }

  // Nodes reachable from s in the residual graph (the source side of a min cut).
  std::vector<uint8_t> source_side(uint32_t s) const {
    std::vector<uint8_t> seen(n_, 0);
    std::vector<uint32_t> queue{s};
    seen[s] = 1;
    for (size_t h = 0; h < queue.size(); ++h) {
      const uint32_t v = queue[h];
      for (uint32_t i = off_[v]; i < off_[v + 1]; ++i) {
        const uint32_t a = arcs_[i];
        if (cap_[a] > 0 && !seen[to_[a]]) {
          seen[to_[a]] = 1;
          queue.push_back(to_[a]);
        }
      }
    }
    return seen;
  }

 private:
  void build_csr() {
    off_.assign(size_t{n_} + 1, 0);
    for (uint32_t u : from_) ++off_[u + 1];
    for (uint32_t v = 0; v < n_; ++v) off_[v + 1] += off_[v];
    arcs_.resize(from_.size());
    std::vector<uint32_t> pos(off_.begin(), off_.end() - 1);
    for (uint32_t a = 0; a < from_.size(); ++a) arcs_[pos[from_[a]]++] = a;
  }

  uint32_t n_;
  std::vector<uint32_t> from_, to_;
  std::vector<int64_t> cap_;
  std::vector<uint32_t> off_, arcs_, level_, it_;
};

struct Sets {
  std::vector<uint8_t> source, target;
  bool overlap = false;
};

Sets mark(uint32_t n, std::span<const ComponentIdx> sources, std::span<const ComponentIdx> targets) {
  Sets s{std::vector<uint8_t>(n, 0), std::vector<uint8_t>(n, 0)};
  for (uint32_t v : sources)
    if (v < n) s.source[v] = 1;
  for (uint32_t v : targets)
    if (v < n) {
      s.target[v] = 1;
      if (s.source[v]) s.overlap = true;
    }
  return s;
}

}  // namespace

Cut min_edge_cut(const AccessGraph& g, std::span<const ComponentIdx> sources, std::span<const ComponentIdx> targets) {
  PhaseTimer timer(g.options().profile, "edge-cut");
  const uint32_t n = g.node_count();
  Cut cut;
  const Sets sets = mark(n, sources, targets);
  if (sets.overlap) {  // a component that is both untrusted and critical: no link cut separates it
    cut.possible = false;
    return cut;
  }
  const uint32_t S = n, T = n + 1;
  Dinic d(n + 2);
  for (uint32_t v = 0; v < n; ++v) {
    if (sets.source[v]) d.add(S, v, kInf);
    if (sets.target[v]) d.add(v, T, kInf);
    for (uint32_t w : g.out(v)) d.add(v, w, 1);
  }
  if (d.max_flow(S, T) >= kInf) {
    cut.possible = false;
    return cut;
  }
  const auto side = d.source_side(S);
  for (uint32_t v = 0; v < n; ++v) {
    if (!side[v]) continue;
    const auto out = g.out(v);
    const auto links = g.out_links(v);
    for (size_t i = 0; i < out.size(); ++i)
      if (!side[out[i]]) cut.links.push_back(links[i]);
  }
  std::sort(cut.links.begin(), cut.links.end());
  cut.links.erase(std::unique(cut.links.begin(), cut.links.end()), cut.links.end());
  return cut;
}

Cut min_vertex_cut(const AccessGraph& g, std::span<const ComponentIdx> sources, std::span<const ComponentIdx> targets) {
  PhaseTimer timer(g.options().profile, "vertex-cut");
  const uint32_t n = g.node_count();
  Cut cut;
  const Sets sets = mark(n, sources, targets);
  if (sets.overlap) {
    cut.possible = false;
    return cut;
  }
  // Node splitting: v_in = 2v, v_out = 2v+1, joined by an arc of capacity 1
  // (infinite for sources and targets, which may not be removed).
  const uint32_t S = 2 * n, T = 2 * n + 1;
  Dinic d(2 * n + 2);
  for (uint32_t v = 0; v < n; ++v) {
    const bool fixed = sets.source[v] || sets.target[v];
    d.add(2 * v, 2 * v + 1, fixed ? kInf : 1);
    if (sets.source[v]) d.add(S, 2 * v, kInf);
    if (sets.target[v]) d.add(2 * v + 1, T, kInf);
    for (uint32_t w : g.out(v)) d.add(2 * v + 1, 2 * w, kInf);
  }
  if (d.max_flow(S, T) >= kInf) {  // a source links a target directly
    cut.possible = false;
    return cut;
  }
  const auto side = d.source_side(S);
  for (uint32_t v = 0; v < n; ++v)
    if (side[2 * v] && !side[2 * v + 1]) cut.components.push_back(v);
  return cut;
}

}  // namespace netvet
