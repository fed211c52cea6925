// Queries on the access graph: exposure, attribution, shortest attack paths and
// blast radius. See docs/graph.md for the definitions and the algorithms' reasons.
#include <algorithm>
#include <array>
#include <bit>
#include <thread>

#include "internal.h"
#include "netvet/graph.h"

namespace netvet {
namespace graph_internal {

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

namespace {

bool test_bit(const BigVector<uint64_t>& b, uint32_t v) { return (b[v >> 6] >> (v & 63)) & 1; }
void set_bit(BigVector<uint64_t>& b, uint32_t v) { b[v >> 6] |= uint64_t{1} << (v & 63); }

// A node likely to sit in the giant component: among the 64 largest out-degrees,
// the one whose sampled neighbours most often link back (a hub of two-way links,
// not a one-way manager). kNone when nothing links back.
uint32_t choose_pivot(const AccessGraph& g) {
  const uint32_t n = g.node_count();
  constexpr int kCandidates = 64;  // enough to look past a few dozen one-way managers
  std::array<std::pair<size_t, uint32_t>, kCandidates> top{};
  for (uint32_t v = 0; v < n; ++v) {
    const size_t d = g.out(v).size();
    if (d > top[kCandidates - 1].first) {
      top[kCandidates - 1] = {d, v};
      for (int i = kCandidates - 1; i > 0 && top[i].first > top[i - 1].first; --i) std::swap(top[i], top[i - 1]);
    }
  }
  uint32_t best = kNone;
  double best_score = 0;
  for (auto [d, v] : top) {
    if (d == 0) break;
    const auto out = g.out(v);
    size_t sampled = 0, back = 0;
    for (size_t i = 0; i < out.size() && sampled < 32; i += std::max<size_t>(1, out.size() / 32), ++sampled) {
      const auto wo = g.out(out[i]);
      const size_t lim = std::min<size_t>(wo.size(), 256);
      back += std::find(wo.begin(), wo.begin() + lim, v) != wo.begin() + lim;
    }
    const double score = sampled ? static_cast<double>(d) * back / sampled : 0;
    if (score > best_score) {
      best_score = score;
      best = v;
    }
  }
  return best;
}

// The pivot's strongly connected component as a bitmap, or false when it could
// not be settled cheaply. Forward reach F is a BFS from the pivot; "reaches the
// pivot" B is computed without a reverse graph, by pull sweeps over the CSR
// (u joins B when an out-neighbour is in B), alternating direction, on the
// other core at the same time. SCC(pivot) = F & B. Sweeps are capped: if B has
// not settled after kMaxSweeps, the caller falls back to plain Pearce.
bool pivot_component(const AccessGraph& g, uint32_t pivot, unsigned threads, BigVector<uint64_t>& giant, bool& leaks) {
  const uint32_t n = g.node_count();
  const size_t words = (size_t{n} + 63) / 64;
  Scratch& scr = scratch();
  BigVector<uint64_t>& fwd = scr.mark;
  fwd.assign(words, 0);
  giant.assign(words, 0);  // B first, then F & B in place
  auto forward = [&] {
    auto& queue = scr.queue;
    if (queue.size() < n) queue.resize(n);
    size_t tail = 0;
    queue[tail++] = pivot;
    set_bit(fwd, pivot);
    for (size_t head = 0; head < tail; ++head)
      for (uint32_t w : g.out(queue[head]))
        if (!test_bit(fwd, w)) {
          set_bit(fwd, w);
          queue[tail++] = w;
        }
  };
  constexpr int kMaxSweeps = 24;
  bool settled = false;
  auto backward = [&] {
    set_bit(giant, pivot);
    for (int sweep = 0; sweep < kMaxSweeps; ++sweep) {
      bool changed = false;
      auto visit = [&](uint32_t u) {
        if (test_bit(giant, u)) return;
        for (uint32_t w : g.out(u))
          if (test_bit(giant, w)) {
            set_bit(giant, u);
            changed = true;
            return;
          }
      };
      if (sweep % 2 == 0)
        for (uint32_t u = 0; u < n; ++u) visit(u);
      else
        for (uint32_t u = n; u-- > 0;) visit(u);
      if (!changed) {
        settled = true;
        return;
      }
    }
  };
  if (threads > 1) {
    // The two searches are independent: one per core. The scratch of the
    // calling thread is used by `forward` only, `backward` touches `giant`.
    std::thread t([&] { backward(); });
    forward();
    t.join();
  } else {
    forward();
    backward();
  }
  if (!settled) return false;
  // leaks: some node is reachable from the pivot without reaching it back, so
  // edges leave the giant component and must be collected.
  leaks = false;
  for (size_t i = 0; i < words; ++i) {
    leaks |= (fwd[i] & ~giant[i]) != 0;
    giant[i] &= fwd[i];
  }
  return true;
}

}  // namespace

Scc strongly_connected(const AccessGraph& g, bool want_cross) {
  const uint32_t n = g.node_count();
  Scratch& scr = scratch();
  Scc r{scr.comp, 0, {}};
  auto& rindex = r.comp;
  rindex.assign(n, 0);
  if (n == 0) return r;
  // Access graphs are dominated by two-way links, so most nodes usually sit in
  // one giant component. Settling it first with two cheap streaming searches
  // (run on both cores) leaves the depth-first search only the nodes outside it.
  uint32_t c = n - 1;
  bool giant_used = false;
  auto& giant = scr.giant;
  constexpr uint32_t kGiantMinNodes = 1 << 14;  // below this the plain DFS is faster than the set-up
  if (n >= kGiantMinNodes) {
    const uint32_t pivot = choose_pivot(g);
    bool leaks = true;
    if (pivot != kNone && pivot_component(g, pivot, thread_count(g), giant, leaks)) {
      size_t members = 0;
      for (uint64_t w : giant) members += std::popcount(w);
      if (members > 1) {
        giant_used = true;
        // The giant takes id n-1 and counts as completed: Pearce below never
        // enters it and records edges into it as cross edges.
        for (size_t i = 0; i < giant.size(); ++i)
          for (uint64_t m = giant[i]; m; m &= m - 1) rindex[i * 64 + std::countr_zero(m)] = n - 1;
        c = n - 2;
        // Edges out of the giant are cross edges too; the DFS never sees them.
        // They can only exist when something outside it is reachable from it.
        if (want_cross && leaks)
          for (size_t i = 0; i < giant.size(); ++i)
            for (uint64_t m = giant[i]; m; m &= m - 1) {
              const uint32_t u = static_cast<uint32_t>(i * 64 + std::countr_zero(m));
              for (uint32_t w : g.out(u))
                if (!test_bit(giant, w)) r.cross.push_back({u, w});
            }
      }
    }
  }
  // Pearce's algorithm. rindex[v]: 0 unvisited; while v is open, its DFS index
  // or the smallest index it reaches; once v's component is complete, the
  // component id, counted down from n - 1 (so completed ids are always above
  // every open index).
  auto& root = scr.root;
  root.assign((size_t{n} + 63) / 64, 0);
  auto set_root = [&](uint32_t v, bool on) {
    if (on)
      root[v >> 6] |= uint64_t{1} << (v & 63);
    else
      root[v >> 6] &= ~(uint64_t{1} << (v & 63));
  };
  auto is_root = [&](uint32_t v) { return (root[v >> 6] >> (v & 63)) & 1; };
  auto& stack = scr.stack;
  stack.clear();
  // Frames: (node, position of its next out-edge to look at).
  auto& call = scr.frames;
  call.clear();
  uint32_t index = 1;
  for (uint32_t s = 0; s < n; ++s) {
    if (rindex[s] != 0) continue;
    rindex[s] = index++;
    set_root(s, true);
    call.push_back({s, 0});
    while (!call.empty()) {
      auto& f = call.back();
      const uint32_t v = f.first;
      const auto out = g.out(v);
      if (f.second < out.size()) {
        const uint32_t w = out[f.second];
        if (rindex[w] == 0) {  // tree edge: descend; the edge is looked at again on return
          rindex[w] = index++;
          set_root(w, true);
          call.push_back({w, 0});
          continue;
        }
        ++f.second;
        if (rindex[w] < rindex[v]) {
          rindex[v] = rindex[w];
          set_root(v, false);
        } else if (want_cross && rindex[w] > c &&
                   (r.cross.empty() || r.cross.back().first != v || rindex[r.cross.back().second] != rindex[w])) {
          // w's component is complete, v's is not: different components. A run of
          // edges from v into one component (a manager into the giant) is kept once.
          r.cross.push_back({v, w});
        }
        continue;
      }
      call.pop_back();
      if (is_root(v)) {
        --index;
        while (!stack.empty() && rindex[v] <= rindex[stack.back()]) {
          rindex[stack.back()] = c;
          stack.pop_back();
          --index;
        }
        rindex[v] = c--;
      } else {
        stack.push_back(v);
      }
    }
  }
  // Ids were handed out from n-1 downwards in completion order (sinks first):
  // shift them to 0..count-1, which makes them ascend in topological order.
  r.count = n - 1 - c;
  const uint32_t base = c + 1;
  for (uint32_t& x : rindex) x -= base;
  if (!giant_used || !want_cross) return r;
  // The giant was numbered as if it were a sink; restore a topological order of
  // the condensation (Kahn's algorithm over the cross edges, ties by id).
  const uint32_t C = r.count;
  std::vector<uint32_t> indeg(C, 0), off(size_t{C} + 1, 0), adj;
  for (auto [u, w] : r.cross)
    if (rindex[u] != rindex[w]) ++off[rindex[u] + 1];
  for (uint32_t k = 0; k < C; ++k) off[k + 1] += off[k];
  adj.resize(off[C]);
  {
    std::vector<uint32_t> pos(off.begin(), off.end() - 1);
    for (auto [u, w] : r.cross)
      if (rindex[u] != rindex[w]) {
        adj[pos[rindex[u]]++] = rindex[w];
        ++indeg[rindex[w]];
      }
  }
  std::vector<uint32_t> order;
  order.reserve(C);
  for (uint32_t k = 0; k < C; ++k)
    if (indeg[k] == 0) order.push_back(k);
  for (size_t h = 0; h < order.size(); ++h)
    for (uint32_t e = off[order[h]]; e < off[order[h] + 1]; ++e)
      if (--indeg[adj[e]] == 0) order.push_back(adj[e]);
  std::vector<uint32_t> relabel(C);
  bool identity = true;
  for (uint32_t k = 0; k < C; ++k) {
    relabel[order[k]] = k;
    identity &= order[k] == k;
  }
  if (!identity)
    for (uint32_t& x : rindex) x = relabel[x];
  return r;
}

std::vector<uint32_t> sorted_unique(std::span<const uint32_t> xs, uint32_t n) {
  std::vector<uint32_t> v;
  if (xs.size() < 64 || xs.size() < n / 64) {  // few: sorting beats a pass over n
    for (uint32_t x : xs)
      if (x < n) v.push_back(x);
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
  }
  auto& mark = scratch().mark;
  mark.assign((size_t{n} + 63) / 64, 0);
  for (uint32_t x : xs)
    if (x < n) mark[x >> 6] |= uint64_t{1} << (x & 63);
  v.reserve(xs.size());
  for (size_t w = 0; w < mark.size(); ++w)
    for (uint64_t m = mark[w]; m; m &= m - 1) v.push_back(static_cast<uint32_t>(w * 64 + std::countr_zero(m)));
  return v;
}

Csr reverse(const AccessGraph& g) {
  const uint32_t n = g.node_count();
  Csr r;
  r.offsets.assign(size_t{n} + 1, 0);
  for (uint32_t u = 0; u < n; ++u)
    for (uint32_t v : g.out(u)) ++r.offsets[v + 1];
  for (uint32_t v = 0; v < n; ++v) r.offsets[v + 1] += r.offsets[v];
  r.targets.resize(r.offsets[n]);
  std::vector<uint64_t> pos(r.offsets.begin(), r.offsets.end() - 1);
  for (uint32_t u = 0; u < n; ++u)
    for (uint32_t v : g.out(u)) r.targets[pos[v]++] = u;
  return r;
}

}  // namespace graph_internal

using namespace graph_internal;

std::vector<uint8_t> exposure(const AccessGraph& g, std::span<const ComponentIdx> sources) {
  const uint32_t n = g.node_count();
  std::vector<uint8_t> seen(n, 0);
  // Every node enters the queue at most once: size it once, no growth.
  auto& queue = scratch().queue;
  if (queue.size() < n) queue.resize(n);
  size_t tail = 0;
  for (uint32_t s : sources) {
    if (s < n && !seen[s]) {
      seen[s] = 1;
      queue[tail++] = s;
    }
  }
  for (size_t head = 0; head < tail; ++head) {
    for (uint32_t w : g.out(queue[head])) {
      if (!seen[w]) {
        seen[w] = 1;
        queue[tail++] = w;
      }
    }
  }
  return seen;
}

// Attribution is reachability from every source to every target, not BFS levels,
// so it runs on the condensation: an access graph is dominated by two-way links,
// so a national network collapses to a few large strongly connected components
// plus one-way management edges. Source components are then pushed through the
// condensation DAG in topological order, kWords*64 of them per pass, one bit per
// source component per DAG node (the bit-parallel multi-source search, with each
// DAG edge touched once per pass instead of once per BFS level per source).
Attribution attribute(const AccessGraph& g, std::span<const ComponentIdx> sources,
                      std::span<const ComponentIdx> targets, size_t max_listed) {
  const uint32_t n = g.node_count();
  Attribution out;
  out.count.assign(targets.size(), 0);
  out.sources.assign(targets.size(), {});
  const std::vector<uint32_t> src = sorted_unique(sources, n);
  if (src.empty() || targets.empty()) return out;

  const Scc scc = strongly_connected(g);
  const uint32_t C = scc.count;

  // Source components, numbered by their smallest source id (sources are sorted),
  // with their member sources in ascending order (CSR).
  std::vector<uint32_t> comp_to_sc(C, kNone);
  std::vector<uint32_t> sc_comp;
  for (uint32_t s : src) {
    uint32_t& k = comp_to_sc[scc.comp[s]];
    if (k == kNone) {
      k = static_cast<uint32_t>(sc_comp.size());
      sc_comp.push_back(scc.comp[s]);
    }
  }
  const uint32_t S0 = static_cast<uint32_t>(sc_comp.size());
  std::vector<uint32_t> sc_off(S0 + 1, 0), sc_members(src.size());
  for (uint32_t s : src) ++sc_off[comp_to_sc[scc.comp[s]] + 1];
  for (uint32_t k = 0; k < S0; ++k) sc_off[k + 1] += sc_off[k];
  {
    std::vector<uint32_t> pos(sc_off.begin(), sc_off.end() - 1);
    for (uint32_t s : src) sc_members[pos[comp_to_sc[scc.comp[s]]]++] = s;
  }

  // Condensation DAG from the cross edges Tarjan collected, as CSR by component.
  std::vector<uint32_t> dag_off(size_t{C} + 1, 0), dag;
  {
    size_t m = 0;
    for (auto [u, w] : scc.cross)
      if (scc.comp[u] != scc.comp[w]) {
        ++dag_off[scc.comp[u] + 1];
        ++m;
      }
    for (uint32_t c = 0; c < C; ++c) dag_off[c + 1] += dag_off[c];
    dag.resize(m);
    std::vector<uint32_t> pos(dag_off.begin(), dag_off.end() - 1);
    for (auto [u, w] : scc.cross)
      if (scc.comp[u] != scc.comp[w]) dag[pos[scc.comp[u]]++] = scc.comp[w];
  }
  // Restrict it to components that are both reachable from a source component
  // and able to reach a target component: nothing else can carry a source bit
  // to a target.
  std::vector<uint8_t> live(C, 0), need(C, 0);
  for (uint32_t c : sc_comp) live[c] = 1;
  for (uint32_t c = 0; c < C; ++c)  // topological order: successors have larger ids
    if (live[c])
      for (uint32_t e = dag_off[c]; e < dag_off[c + 1]; ++e) live[dag[e]] = 1;
  for (ComponentIdx t : targets)
    if (t < n) need[scc.comp[t]] = 1;
  for (uint32_t c = C; c-- > 0;)
    if (!need[c])
      for (uint32_t e = dag_off[c]; e < dag_off[c + 1]; ++e)
        if (need[dag[e]]) {
          need[c] = 1;
          break;
        }
  // Compact the active components, local ids in topological order.
  std::vector<uint32_t> local(C, kNone);
  uint32_t A = 0;
  for (uint32_t c = 0; c < C; ++c)
    if (live[c] && need[c]) local[c] = A++;
  std::vector<uint32_t> sub_off(A + 1, 0), sub;
  {
    std::vector<uint32_t> succ;
    for (uint32_t c = 0; c < C; ++c) {
      if (local[c] == kNone) continue;
      succ.clear();
      for (uint32_t e = dag_off[c]; e < dag_off[c + 1]; ++e)
        if (local[dag[e]] != kNone) succ.push_back(local[dag[e]]);
      std::sort(succ.begin(), succ.end());
      succ.erase(std::unique(succ.begin(), succ.end()), succ.end());
      sub.insert(sub.end(), succ.begin(), succ.end());
      sub_off[local[c] + 1] = static_cast<uint32_t>(sub.size());
    }
  }
  std::vector<uint32_t>().swap(dag);  // free before the passes allocate
  {
    // Drop source components that reach no target: they would only waste bits.
    std::vector<uint32_t> comp2, off2{0}, mem2;
    for (uint32_t k = 0; k < sc_comp.size(); ++k) {
      if (local[sc_comp[k]] == kNone) continue;
      comp2.push_back(sc_comp[k]);
      mem2.insert(mem2.end(), sc_members.begin() + sc_off[k], sc_members.begin() + sc_off[k + 1]);
      off2.push_back(static_cast<uint32_t>(mem2.size()));
    }
    sc_comp.swap(comp2);
    sc_off.swap(off2);
    sc_members.swap(mem2);
  }
  const uint32_t S = static_cast<uint32_t>(sc_comp.size());

  // Distinct target components (targets in one component share the answer).
  std::vector<uint32_t> tc_of_target(targets.size(), kNone);
  std::vector<uint32_t> tc_local;
  {
    std::vector<uint32_t> comp_to_tc(C, kNone);
    for (size_t i = 0; i < targets.size(); ++i) {
      if (targets[i] >= n) continue;
      const uint32_t c = scc.comp[targets[i]];
      if (local[c] == kNone) continue;  // unreachable from every source
      if (comp_to_tc[c] == kNone) {
        comp_to_tc[c] = static_cast<uint32_t>(tc_local.size());
        tc_local.push_back(local[c]);
      }
      tc_of_target[i] = comp_to_tc[c];
    }
  }
  const uint32_t T = static_cast<uint32_t>(tc_local.size());
  // Weighted popcount: a source component with k sources counts k. Most have one,
  // so count = popcount + the extra of the few multi-source components.
  std::vector<uint64_t> multi((S + 63) / 64, 0);
  for (uint32_t k = 0; k < S; ++k)
    if (sc_off[k + 1] - sc_off[k] > 1) multi[k >> 6] |= uint64_t{1} << (k & 63);

  // 4 words (256 source components) per pass: wide enough to amortise the walk
  // over the DAG, narrow enough that a node's bits fit one 32-byte vector.
  constexpr uint32_t kWords = 4;
  constexpr uint32_t kBatch = kWords * 64;
  const uint32_t batches = (S + kBatch - 1) / kBatch;
  const unsigned nthreads = std::min<unsigned>(thread_count(g), std::max(1u, batches));

  struct Partial {
    std::vector<uint64_t> count;
    std::vector<std::vector<uint32_t>> listed;  // per target component: smallest sources seen
    std::vector<uint8_t> full;                  // listing can stop: later batches only hold larger ids
  };
  std::vector<Partial> partial(nthreads);
  auto worker = [&](unsigned tid) {
    Partial& p = partial[tid];
    p.count.assign(T, 0);
    p.listed.assign(T, {});
    p.full.assign(T, 0);
    std::vector<uint64_t> bits(size_t{A} * kWords);
    for (uint32_t b = tid; b < batches; b += nthreads) {
      std::fill(bits.begin(), bits.end(), 0);
      const uint32_t first = b * kBatch, last = std::min(S, first + kBatch);
      for (uint32_t k = first; k < last; ++k) {
        const uint32_t lc = local[sc_comp[k]];
        bits[size_t{lc} * kWords + (k - first) / 64] |= uint64_t{1} << ((k - first) & 63);
      }
      for (uint32_t c = 0; c < A; ++c) {
        const uint64_t* from = &bits[size_t{c} * kWords];
        uint64_t any = 0;
        for (uint32_t w = 0; w < kWords; ++w) any |= from[w];
        if (!any) continue;
        for (uint32_t e = sub_off[c]; e < sub_off[c + 1]; ++e) {
          uint64_t* to = &bits[size_t{sub[e]} * kWords];
          for (uint32_t w = 0; w < kWords; ++w) to[w] |= from[w];
        }
      }
      for (uint32_t t = 0; t < T; ++t) {
        const uint64_t* word = &bits[size_t{tc_local[t]} * kWords];
        for (uint32_t w = 0; w < kWords; ++w) {
          const uint32_t base = first + w * 64;
          if (base >= last) break;
          const uint64_t x = word[w];
          p.count[t] += std::popcount(x);
          for (uint64_t m = x & multi[base >> 6]; m; m &= m - 1) {
            const uint32_t k = base + std::countr_zero(m);
            p.count[t] += sc_off[k + 1] - sc_off[k] - 1;
          }
          if (max_listed == 0 || p.full[t]) continue;
          auto& L = p.listed[t];
          for (uint64_t m = x; m; m &= m - 1) {
            const uint32_t k = base + std::countr_zero(m);
            // Components come in ascending order of their smallest source, so once
            // the list is full and this component starts above its largest entry,
            // nothing later can enter it.
            if (L.size() >= max_listed && sc_members[sc_off[k]] > L.back()) {
              p.full[t] = 1;
              break;
            }
            for (uint32_t i = sc_off[k]; i < sc_off[k + 1] && i - sc_off[k] < max_listed; ++i)
              L.push_back(sc_members[i]);
            std::sort(L.begin(), L.end());
            if (L.size() > max_listed) L.resize(max_listed);
          }
        }
      }
    }
  };
  if (nthreads == 1) {
    worker(0);
  } else {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < nthreads; ++t) pool.emplace_back(worker, t);
    for (auto& th : pool) th.join();
  }
  for (size_t i = 0; i < targets.size(); ++i) {
    const uint32_t t = tc_of_target[i];
    if (t == kNone) continue;
    uint64_t c = 0;
    std::vector<uint32_t> L;
    for (const Partial& p : partial) {
      c += p.count[t];
      L.insert(L.end(), p.listed[t].begin(), p.listed[t].end());
    }
    std::sort(L.begin(), L.end());
    if (L.size() > max_listed) L.resize(max_listed);
    out.count[i] = static_cast<uint32_t>(c);
    out.sources[i] = std::move(L);
  }
  return out;
}

// One multi-source BFS from all sources at once (seeded in ascending id order, so
// the path chosen is deterministic), stopping as soon as every target is found.
std::vector<std::vector<ComponentIdx>> shortest_paths(const AccessGraph& g, std::span<const ComponentIdx> sources,
                                                      std::span<const ComponentIdx> targets) {
  const uint32_t n = g.node_count();
  std::vector<std::vector<ComponentIdx>> paths(targets.size());
  const std::vector<uint32_t> src = sorted_unique(sources, n);
  if (src.empty() || targets.empty()) return paths;
  Scratch& scr = scratch();
  auto& parent = scr.parent;
  parent.assign(n, kNone);
  auto& is_target = scr.mark;  // sorted_unique is done with it
  is_target.assign((size_t{n} + 63) / 64, 0);
  auto target = [&](uint32_t v) { return (is_target[v >> 6] >> (v & 63)) & 1; };
  size_t remaining = 0;
  for (ComponentIdx t : targets)
    if (t < n && !target(t)) {
      is_target[t >> 6] |= uint64_t{1} << (t & 63);
      ++remaining;
    }
  auto& queue = scr.queue;
  if (queue.size() < n) queue.resize(n);
  size_t tail = 0;
  for (uint32_t s : src) {
    parent[s] = s;
    queue[tail++] = s;
    if (target(s)) --remaining;
  }
  for (size_t head = 0; head < tail && remaining > 0; ++head) {
    const uint32_t v = queue[head];
    for (uint32_t w : g.out(v)) {
      if (parent[w] != kNone) continue;
      parent[w] = v;
      queue[tail++] = w;
      if (target(w) && --remaining == 0) break;
    }
  }
  for (size_t i = 0; i < targets.size(); ++i) {
    const uint32_t t = targets[i];
    if (t >= n || parent[t] == kNone) continue;
    auto& p = paths[i];
    for (uint32_t v = t;; v = parent[v]) {
      p.push_back(v);
      if (parent[v] == v) break;
    }
    std::reverse(p.begin(), p.end());
  }
  return paths;
}

// Blast radius of c: the serves totals of every component r (c itself included)
// whose every access path to the core passes through c, i.e. c post-dominates r
// with respect to the core. Computed for all components at once as the dominator
// tree (Lengauer-Tarjan) of the reversed graph rooted at a virtual node that
// points at every core function; subtree sums of serves give the answer.
BlastRadius blast_radius(const Network& net, const AccessGraph& g, std::span<const ComponentIdx> of) {
  const uint32_t n = g.node_count();
  BlastRadius out;
  out.subscribers.assign(of.size(), 0);
  out.cells.assign(of.size(), 0);
  const size_t nc = net.components.size();
  auto subs_of = [&](uint32_t v) -> uint64_t { return v < nc ? net.components.subscribers[v] : 0; };
  auto cells_of = [&](uint32_t v) -> uint64_t { return v < nc ? net.components.cells[v] : 0; };
  std::vector<uint8_t> core(n, 0);
  for (uint32_t v = 0; v < n && v < nc; ++v) {
    const Domain d = function_domain(net.components.function[v]);
    core[v] = d == Domain::kCore5g || d == Domain::kCore4g;
  }
  // Reversed graph: successors of x are its in-neighbours in g; the root R=n has
  // every core function as successor. Predecessors of x in the reversed graph are
  // g.out(x), plus R for core functions.
  const Csr rev = reverse(g);
  const uint32_t R = n;
  const uint32_t N = n + 1;
  // DFS preorder numbering (iterative).
  std::vector<uint32_t> pre(N, kNone), vertex, parent;
  vertex.reserve(N);
  parent.reserve(N);
  {
    struct Frame {
      uint32_t v;
      uint64_t next;
    };
    std::vector<Frame> call;
    pre[R] = 0;
    vertex.push_back(R);
    parent.push_back(kNone);
    call.push_back({R, 0});
    while (!call.empty()) {
      Frame& f = call.back();
      uint32_t w = kNone;
      if (f.v == R) {
        while (f.next < n && !core[f.next]) ++f.next;
        if (f.next < n) w = static_cast<uint32_t>(f.next++);
      } else {
        const auto row = rev.row(f.v);
        if (f.next < row.size()) w = row[f.next++];
      }
      if (w == kNone) {
        call.pop_back();
        continue;
      }
      if (pre[w] != kNone) continue;
      pre[w] = static_cast<uint32_t>(vertex.size());
      parent.push_back(pre[f.v]);
      vertex.push_back(w);
      call.push_back({w, 0});
    }
  }
  const uint32_t V = static_cast<uint32_t>(vertex.size());
  // Lengauer-Tarjan (simple version with path compression), over preorder numbers.
  std::vector<uint32_t> semi(V), idom(V, 0), ancestor(V, kNone), label(V), bucket_head(V, kNone), bucket_next(V, kNone);
  for (uint32_t i = 0; i < V; ++i) semi[i] = label[i] = i;
  std::vector<uint32_t> path;
  auto eval = [&](uint32_t v) -> uint32_t {
    if (ancestor[v] == kNone) return v;
    // Iterative compress: walk up to the node below the forest root, then fold
    // labels back down (recursion here would be as deep as the DFS tree).
    path.clear();
    for (uint32_t x = v; ancestor[ancestor[x]] != kNone; x = ancestor[x]) path.push_back(x);
    for (size_t i = path.size(); i-- > 0;) {
      const uint32_t x = path[i], a = ancestor[x];
      if (semi[label[a]] < semi[label[x]]) label[x] = label[a];
      ancestor[x] = ancestor[a];
    }
    return label[v];
  };
  for (uint32_t i = V; i-- > 1;) {
    const uint32_t w = vertex[i];
    auto consider = [&](uint32_t pv) {
      const uint32_t p = pre[pv];
      if (p == kNone) return;
      const uint32_t u = eval(p);
      if (semi[u] < semi[i]) semi[i] = semi[u];
    };
    for (uint32_t x : g.out(w)) consider(x);
    if (core[w]) consider(R);
    bucket_next[i] = bucket_head[semi[i]];
    bucket_head[semi[i]] = i;
    const uint32_t p = parent[i];
    ancestor[i] = p;
    for (uint32_t v = bucket_head[p]; v != kNone; v = bucket_next[v]) {
      const uint32_t u = eval(v);
      idom[v] = semi[u] < semi[v] ? u : p;
    }
    bucket_head[p] = kNone;
  }
  for (uint32_t i = 1; i < V; ++i)
    if (idom[i] != semi[i]) idom[i] = idom[idom[i]];
  // Subtree sums: an immediate dominator has a smaller preorder number.
  std::vector<uint64_t> subs(V, 0), cells(V, 0);
  for (uint32_t i = 1; i < V; ++i) {
    subs[i] = subs_of(vertex[i]);
    cells[i] = cells_of(vertex[i]);
  }
  for (uint32_t i = V; i-- > 1;) {
    if (idom[i] == 0) continue;
    subs[idom[i]] += subs[i];
    cells[idom[i]] += cells[i];
  }
  for (size_t k = 0; k < of.size(); ++k) {
    const uint32_t c = of[k];
    if (c >= n) continue;
    if (pre[c] == kNone) {  // cannot reach the core: only what it serves itself
      out.subscribers[k] = subs_of(c);
      out.cells[k] = cells_of(c);
    } else {
      out.subscribers[k] = subs[pre[c]];
      out.cells[k] = cells[pre[c]];
    }
  }
  return out;
}

}  // namespace netvet
