// Queries on the access graph: exposure, attribution, shortest attack paths and
// blast radius. See docs/graph.md for the definitions and the algorithms' reasons.
#include <algorithm>
#include <bit>
#include <cstring>
#include <thread>

#include "internal.h"
#include "netvet/graph.h"

namespace netvet {
namespace graph_internal {

ScratchLease::ScratchLease(const AccessGraph& g) : pool_(g.workspace_) {
  {
    std::lock_guard lock(pool_->mu);
    if (!pool_->idle.empty()) {
      s_ = std::move(pool_->idle.back());
      pool_->idle.pop_back();
    }
  }
  if (!s_) s_ = std::make_unique<Scratch>();
}

ScratchLease::~ScratchLease() {
  std::lock_guard lock(pool_->mu);
  pool_->idle.push_back(std::move(s_));
}

std::span<const uint32_t> sorted_unique(std::span<const uint32_t> xs, uint32_t n, Scratch& scr) {
  BigVector<uint32_t>& buf = scr.ids;
  // Callers usually pass sorted ids: checked 4 at a time (GCC vector
  // extensions, SSE2 on the x86-64 baseline; the compiler does not vectorise
  // the scalar loop), since at 10^6 nodes this check was 5% of an attribution.
  bool bad = !xs.empty() && xs[0] >= n;
  size_t i = 1;
  {
    using V = uint32_t __attribute__((vector_size(16)));
    V acc{};
    const V limit = {n, n, n, n};
    for (; i + 4 <= xs.size(); i += 4) {
      V cur, prev;
      std::memcpy(&cur, xs.data() + i, sizeof cur);
      std::memcpy(&prev, xs.data() + i - 1, sizeof prev);
      acc |= (cur >= limit) | (prev >= cur);  // lanes: 0 or all ones
    }
    bad |= (acc[0] | acc[1] | acc[2] | acc[3]) != 0;
  }
  for (; i < xs.size(); ++i) bad |= (xs[i] >= n) | (xs[i - 1] >= xs[i]);
  if (!bad) return xs;
  buf.clear();
  if (xs.size() < 64 || xs.size() < n / 64) {  // few: sorting beats a pass over n
    for (uint32_t x : xs)
      if (x < n) buf.push_back(x);
    std::sort(buf.begin(), buf.end());
    buf.erase(std::unique(buf.begin(), buf.end()), buf.end());
    return buf;
  }
  auto& mark = scr.mark;
  mark.assign((size_t{n} + 63) / 64, 0);
  for (uint32_t x : xs)
    if (x < n) mark[x >> 6] |= uint64_t{1} << (x & 63);
  for (size_t w = 0; w < mark.size(); ++w)
    for (uint64_t m = mark[w]; m; m &= m - 1) buf.push_back(static_cast<uint32_t>(w * 64 + std::countr_zero(m)));
  return buf;
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

// Push sweeps over the CSR (reach.cc): with sources spread over the network
// the first sweep reaches nearly everything, and each row is read once, in order.
std::vector<uint8_t> exposure(const AccessGraph& g, std::span<const ComponentIdx> sources) {
  PhaseTimer timer(g.options().profile, "exposure");
  const uint32_t n = g.node_count();
  if (const Relabelled* rl = relabelled_of(g)) {
    std::vector<uint32_t> inner;
    inner.reserve(sources.size());
    for (uint32_t s : sources)
      if (s < n) inner.push_back(rl->to_inner[s]);
    const std::vector<uint8_t> seen = exposure(rl->graph, inner);
    std::vector<uint8_t> out(n);
    for (uint32_t v = 0; v < n; ++v) out[v] = seen[rl->to_inner[v]];
    return out;
  }
  std::vector<uint8_t> seen(n, 0);  // the sweeps' reach map is the answer itself
  ScratchLease scr(g);
  auto& pushed = scr->pushed;
  pushed.assign((size_t{n} + 63) / 64, 0);
  for (uint32_t s : sources)
    if (s < n) seen[s] = 1;
  forward_reach(g, seen.data(), pushed.data(), thread_count(g), *scr);
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
  PhaseTimer timer(g.options().profile, "attribution");
  const uint32_t n = g.node_count();
  Attribution out;
  out.count.assign(targets.size(), 0);
  out.sources.assign(targets.size(), {});
  // The search runs on the renumbered copy when there is one (q); sources are
  // numbered, ordered and listed by the caller's ids throughout.
  const Relabelled* rl = relabelled_of(g);
  const AccessGraph& q = rl ? rl->graph : g;
  auto inner = [rl](uint32_t v) { return rl ? rl->to_inner[v] : v; };
  auto caller = [rl](uint32_t v) { return rl ? rl->to_outer[v] : v; };
  ScratchLease scr(q);
  const std::span<const uint32_t> src = sorted_unique(sources, n, *scr);
  if (src.empty() || targets.empty()) return out;
  std::vector<uint32_t> q_src, q_tgt;
  if (rl) {
    q_src.reserve(src.size());
    for (uint32_t v : src) q_src.push_back(inner(v));
    for (uint32_t t : targets)
      if (t < n) q_tgt.push_back(inner(t));
  }
  const Scc scc = rl ? strongly_connected(q, *scr, q_tgt, q_src) : strongly_connected(q, *scr, targets, src);
  const uint32_t C = scc.count;

  // Source components, numbered by their smallest source id (sources are sorted):
  // how many sources each holds, and its smallest max_listed of them, ascending
  // (CSR; at least the smallest, which the listing below compares against).
  std::vector<uint32_t> comp_to_sc(C, kNone);
  std::vector<uint32_t> sc_comp, sc_size;
  const uint32_t keep = static_cast<uint32_t>(std::max<size_t>(1, max_listed));
  std::vector<std::pair<uint32_t, uint32_t>> first_few;  // (source component, source): the first `keep` of each
  auto component = [&](uint32_t c) {
    uint32_t& k = comp_to_sc[c];
    if (k == kNone) {
      k = static_cast<uint32_t>(sc_comp.size());
      sc_comp.push_back(c);
      sc_size.push_back(0);
    }
    return k;
  };
  // Sources in the giant component (usually most of them) are only counted.
  // When few nodes lie outside it, the sources among those are found by binary
  // search and the rest are the giant's: no pass over the sources at all.
  uint32_t giant_k = kNone, giant_sources = 0;
  auto add = [&](uint32_t v) {
    const uint32_t k = component(scc.of(inner(v)));
    if (sc_size[k]++ < keep) first_few.push_back({k, v});
  };
  if (scc.giant && scc.outside.size() * 32 < src.size()) {
    std::vector<uint32_t> others;  // sources outside the giant, ascending
    for (uint32_t v : scc.outside)
      if (std::binary_search(src.begin(), src.end(), caller(v))) others.push_back(caller(v));
    if (rl) std::sort(others.begin(), others.end());
    giant_sources = static_cast<uint32_t>(src.size() - others.size());
    std::vector<uint32_t> giant_first;  // the giant's first `keep` sources
    for (size_t i = 0, j = 0; i < src.size() && giant_first.size() < std::min(keep, giant_sources); ++i) {
      while (j < others.size() && others[j] < src[i]) ++j;
      if (j == others.size() || others[j] != src[i]) giant_first.push_back(src[i]);
    }
    // Components are numbered in the order of their smallest source.
    auto add_giant = [&] {
      giant_k = component(scc.giant_id);
      for (uint32_t v : giant_first) first_few.push_back({giant_k, v});
    };
    for (uint32_t v : others) {
      if (giant_k == kNone && !giant_first.empty() && giant_first[0] < v) add_giant();
      add(v);
    }
    if (giant_k == kNone && !giant_first.empty()) add_giant();
  } else {
    for (const uint32_t v : src) {
      const uint32_t w = inner(v);
      if (scc.giant && ((scc.giant[w >> 6] >> (w & 63)) & 1)) {
        // In a register: a counter in memory would chain every increment
        // through store forwarding.
        if (giant_sources < keep) [[unlikely]] {
          if (giant_sources == 0) giant_k = component(scc.giant_id);
          first_few.push_back({giant_k, v});
        }
        ++giant_sources;
        continue;
      }
      add(v);
    }
  }
  if (giant_k != kNone) sc_size[giant_k] = giant_sources;
  const uint32_t S0 = static_cast<uint32_t>(sc_comp.size());
  std::vector<uint32_t> sc_off(S0 + 1, 0), sc_members(first_few.size());
  for (auto [k, v] : first_few) ++sc_off[k + 1];
  for (uint32_t k = 0; k < S0; ++k) sc_off[k + 1] += sc_off[k];
  {
    std::vector<uint32_t> pos(sc_off.begin(), sc_off.end() - 1);
    for (auto [k, v] : first_few) sc_members[pos[k]++] = v;  // ascending: sources are
  }

  // Condensation DAG from the component edges the SCC search collected, as CSR.
  std::vector<uint32_t> dag_off(size_t{C} + 1, 0), dag(scc.dag.size());
  {
    for (auto [a, b] : scc.dag) ++dag_off[a + 1];
    for (uint32_t c = 0; c < C; ++c) dag_off[c + 1] += dag_off[c];
    std::vector<uint32_t> pos(dag_off.begin(), dag_off.end() - 1);
    for (auto [a, b] : scc.dag) dag[pos[a]++] = b;
  }
  // Restrict it to components that are both reachable from a source component
  // and able to reach a target component: nothing else can carry a source bit
  // to a target.
  std::vector<uint8_t> live(C, 0), need(C, 0);
  for (uint32_t c : sc_comp) live[c] = 1;
  for (uint32_t c = 0; c < C; ++c)  // topological order: successors have larger ids
    if (live[c])
      for (uint32_t e = dag_off[c]; e < dag_off[c + 1]; ++e) live[dag[e]] = 1;
  for (ComponentIdx t : targets)  // the lumped component may hold targets that no source reaches
    if (t < n && scc.of(inner(t)) != scc.lumped) need[scc.of(inner(t))] = 1;
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
    // Repeated edges dropped by stamping, not sorting: a manager's component
    // can have hundreds of thousands of successors (its managed elements,
    // each peeled into its own component).
    std::vector<uint32_t> stamp(A, kNone);
    sub.reserve(scc.dag.size());
    for (uint32_t c = 0; c < C; ++c) {
      const uint32_t lc = local[c];
      if (lc == kNone) continue;
      for (uint32_t e = dag_off[c]; e < dag_off[c + 1]; ++e) {
        const uint32_t x = local[dag[e]];
        if (x != kNone && stamp[x] != lc) {
          stamp[x] = lc;
          sub.push_back(x);
        }
      }
      sub_off[lc + 1] = static_cast<uint32_t>(sub.size());
    }
  }
  std::vector<uint32_t>().swap(dag);  // free before the passes allocate
  {
    // Drop source components that reach no target: they would only waste bits.
    std::vector<uint32_t> comp2, size2, off2{0}, mem2;
    comp2.reserve(sc_comp.size());
    size2.reserve(sc_comp.size());
    off2.reserve(sc_comp.size() + 1);
    mem2.reserve(sc_members.size());
    for (uint32_t k = 0; k < sc_comp.size(); ++k) {
      if (local[sc_comp[k]] == kNone) continue;
      comp2.push_back(sc_comp[k]);
      size2.push_back(sc_size[k]);
      mem2.insert(mem2.end(), sc_members.begin() + sc_off[k], sc_members.begin() + sc_off[k + 1]);
      off2.push_back(static_cast<uint32_t>(mem2.size()));
    }
    sc_comp.swap(comp2);
    sc_size.swap(size2);
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
      const uint32_t c = scc.of(inner(targets[i]));
      if (local[c] == kNone) continue;  // unreachable from every source
      if (comp_to_tc[c] == kNone) {
        comp_to_tc[c] = static_cast<uint32_t>(tc_local.size());
        tc_local.push_back(local[c]);
      }
      tc_of_target[i] = comp_to_tc[c];
    }
  }
  const uint32_t T = static_cast<uint32_t>(tc_local.size());

  // 4 words (256 components) per pass: wide enough to amortise the walk
  // over the DAG, narrow enough that a node's bits fit one 32-byte vector.
  constexpr uint32_t kWords = 4;
  constexpr uint32_t kBatch = kWords * 64;
  const uint32_t batches = (S + kBatch - 1) / kBatch;
  const uint32_t target_batches = (T + kBatch - 1) / kBatch;

  // A pass over the DAG carries 256 source components forward or 256 target
  // components backward. Which side has fewer decides the number of passes:
  // a network whose sources sit in one giant component has few source
  // components, one whose sources are each their own component (a site's
  // one-way tree into the core) has hundreds of thousands, and few target ones.
  if (target_batches < batches) {
    for (uint32_t b = 0; b < target_batches; ++b) {
      const uint32_t first = b * kBatch, last = std::min(T, first + kBatch);
      // As many words per component as this pass has targets (usually one):
      // the array spans every active component, a million on core-trees.
      const uint32_t W = (last - first + 63) / 64;
      std::vector<uint64_t> bits(size_t{A} * W, 0);
      for (uint32_t t = first; t < last; ++t)
        bits[size_t{tc_local[t]} * W + (t - first) / 64] |= uint64_t{1} << ((t - first) & 63);
      // Reverse topological order: a component reaches what its successors reach.
      for (uint32_t c = A; c-- > 0;) {
        uint64_t* to = &bits[size_t{c} * W];
        for (uint32_t e = sub_off[c]; e < sub_off[c + 1]; ++e) {
          const uint64_t* from = &bits[size_t{sub[e]} * W];
          for (uint32_t w = 0; w < W; ++w) to[w] |= from[w];
        }
      }
      std::vector<uint64_t> counts(last - first, 0);
      std::vector<std::vector<uint32_t>> listed(last - first);
      // Listing: source components come in ascending order of their smallest
      // source, so a target's list is final once it is full and the next
      // component that reaches it starts above its largest entry.
      uint64_t open[kWords] = {};
      for (uint32_t t = first; t < last; ++t) open[(t - first) / 64] |= uint64_t{1} << ((t - first) & 63);
      for (uint32_t k = 0; k < S; ++k) {
        const uint64_t* x = &bits[size_t{local[sc_comp[k]]} * W];
        for (uint32_t w = 0; w < W; ++w) {
          for (uint64_t m = x[w]; m; m &= m - 1) counts[w * 64 + std::countr_zero(m)] += sc_size[k];
          if (max_listed == 0) continue;
          for (uint64_t m = x[w] & open[w]; m; m &= m - 1) {
            const uint32_t i = w * 64 + std::countr_zero(m);
            auto& L = listed[i];
            if (L.size() >= max_listed && sc_members[sc_off[k]] > L.back()) {
              open[w] &= ~(uint64_t{1} << (i & 63));
              continue;
            }
            L.insert(L.end(), sc_members.begin() + sc_off[k], sc_members.begin() + sc_off[k + 1]);
            std::sort(L.begin(), L.end());
            if (L.size() > max_listed) L.resize(max_listed);
          }
        }
      }
      for (size_t i = 0; i < targets.size(); ++i) {
        const uint32_t t = tc_of_target[i];
        if (t == kNone || t < first || t >= last) continue;
        out.count[i] = static_cast<uint32_t>(counts[t - first]);
        out.sources[i] = listed[t - first];
      }
    }
    return out;
  }

  // Weighted popcount: a source component with k sources counts k. Most have one,
  // so count = popcount + the extra of the few multi-source components.
  std::vector<uint64_t> multi((S + 63) / 64, 0);
  for (uint32_t k = 0; k < S; ++k)
    if (sc_size[k] > 1) multi[k >> 6] |= uint64_t{1} << (k & 63);
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
          p.count[t] += popcount64(x);
          for (uint64_t m = x & multi[base >> 6]; m; m &= m - 1) {
            const uint32_t k = base + std::countr_zero(m);
            p.count[t] += sc_size[k] - 1;
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
              L.push_back(sc_members[i]);  // at most max_listed were kept anyway
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
  PhaseTimer timer(g.options().profile, "paths");
  const uint32_t n = g.node_count();
  std::vector<std::vector<ComponentIdx>> paths(targets.size());
  // On the renumbered copy when there is one, seeded in its id order (the
  // caller's would scatter the first level's reads): the paths are as short,
  // and deterministic, but among equally short ones the choice may differ
  // from the caller's numbering's.
  const Relabelled* rl = relabelled_of(g);
  const AccessGraph& q = rl ? rl->graph : g;
  auto inner = [rl](uint32_t v) { return rl ? rl->to_inner[v] : v; };
  ScratchLease lease(q);
  Scratch& scr = *lease;
  const std::span<const uint32_t> src = sorted_unique(sources, n, scr);
  if (src.empty() || targets.empty()) return paths;
  std::span<const uint32_t> seeds = src;
  std::vector<uint32_t> inner_src;
  if (rl) {
    inner_src.reserve(src.size());
    for (uint32_t v : src) inner_src.push_back(inner(v));
    seeds = sorted_unique(inner_src, n, scr);  // src is not read again
  }
  // Visited nodes are bits (125 KB per million nodes, cache resident); parent
  // is written only for visited nodes and read only for them, so it is never
  // cleared (no 4 MB fill per query).
  auto& seen = scr.seen;
  seen.assign((size_t{n} + 63) / 64, 0);
  auto visited = [&](uint32_t v) { return (seen[v >> 6] >> (v & 63)) & 1; };
  auto& parent = scr.parent;
  if (parent.size() < n) parent.resize(n);
  auto& is_target = scr.mark;  // sorted_unique is done with it
  is_target.assign((size_t{n} + 63) / 64, 0);
  auto target = [&](uint32_t v) { return (is_target[v >> 6] >> (v & 63)) & 1; };
  size_t remaining = 0;
  for (ComponentIdx t : targets)
    if (t < n && !target(inner(t))) {
      const uint32_t w = inner(t);
      is_target[w >> 6] |= uint64_t{1} << (w & 63);
      ++remaining;
    }
  auto& queue = scr.queue;
  if (queue.size() < n) queue.resize(n);
  size_t tail = 0;
  for (uint32_t s : seeds) {
    seen[s >> 6] |= uint64_t{1} << (s & 63);
    parent[s] = s;
    queue[tail++] = s;
    if (target(s)) --remaining;
  }
  for (size_t head = 0; head < tail && remaining > 0; ++head) {
    const uint32_t v = queue[head];
    for (uint32_t w : q.out(v)) {
      uint64_t& word = seen[w >> 6];
      const uint64_t b = uint64_t{1} << (w & 63);
      if (word & b) continue;
      word |= b;
      parent[w] = v;
      queue[tail++] = w;
      if (target(w) && --remaining == 0) break;
    }
  }
  for (size_t i = 0; i < targets.size(); ++i) {
    if (targets[i] >= n) continue;
    const uint32_t t = inner(targets[i]);
    if (!visited(t)) continue;
    auto& p = paths[i];
    for (uint32_t v = t;; v = parent[v]) {
      p.push_back(rl ? rl->to_outer[v] : v);
      if (parent[v] == v) break;
    }
    std::reverse(p.begin(), p.end());
  }
  return paths;
}

// Two labels per node: the nearest source, and the nearest source other than
// that one. A BFS in which each node accepts one visit per distinct origin, at
// most two, settles both in distance order (a node's second label comes from
// a neighbour whose labels are not both the node's first origin), so a target
// that is itself a source finds, in its second label, the nearest *other*
// source that reaches it. Each label keeps its parent label and the link of
// the hop, so paths come back with their links.
std::vector<AccessPath> access_paths(const AccessGraph& g, std::span<const ComponentIdx> sources,
                                     std::span<const ComponentIdx> targets) {
  const uint32_t n = g.node_count();
  std::vector<AccessPath> paths(targets.size());
  if (sources.empty() || targets.empty() || n == 0) return paths;
  struct Label {
    uint32_t origin, parent, link;
    uint8_t parent_slot;
  };
  std::vector<Label> label(size_t{n} * 2);
  std::vector<uint8_t> labels(n, 0);       // labels settled per node (0..2)
  std::vector<uint8_t> wanted(n, 0);       // target: 1 = needs label 0, 2 = needs label 1 (it is a source)
  std::vector<std::pair<uint32_t, uint8_t>> queue;
  queue.reserve(std::min<size_t>(size_t{n} * 2, sources.size() + 1024));
  for (ComponentIdx s : sources) {
    if (s >= n || labels[s]) continue;
    label[size_t{s} * 2] = {s, s, kNone, 0};
    labels[s] = 1;
    queue.emplace_back(s, 0);
  }
  size_t remaining = 0;
  for (ComponentIdx t : targets) {
    if (t >= n || wanted[t]) continue;
    wanted[t] = labels[t] ? 2 : 1;
    ++remaining;
  }
  for (size_t head = 0; head < queue.size() && remaining > 0; ++head) {
    const auto [v, k] = queue[head];
    const uint32_t origin = label[size_t{v} * 2 + k].origin;
    const auto out = g.out(v);
    const auto links = g.out_links(v);
    for (size_t j = 0; j < out.size(); ++j) {
      const uint32_t w = out[j];
      const uint8_t have = labels[w];
      if (have == 2 || (have == 1 && label[size_t{w} * 2].origin == origin)) continue;
      label[size_t{w} * 2 + have] = {origin, v, links[j], k};
      labels[w] = have + 1;
      queue.emplace_back(w, have);
      if (wanted[w] == have + 1 && --remaining == 0) break;
    }
  }
  for (size_t i = 0; i < targets.size(); ++i) {
    const uint32_t t = targets[i];
    if (t >= n || !wanted[t] || labels[t] < wanted[t]) continue;
    AccessPath& p = paths[i];
    uint32_t v = t;
    uint8_t k = wanted[t] - 1;
    for (;;) {
      p.nodes.push_back(v);
      const Label& l = label[size_t{v} * 2 + k];
      if (l.link == kNone) break;  // the origin
      p.links.push_back(l.link);
      v = l.parent;
      k = l.parent_slot;
    }
    std::reverse(p.nodes.begin(), p.nodes.end());
    std::reverse(p.links.begin(), p.links.end());
  }
  return paths;
}

// Blast radius of c: the serves totals of every component r (c itself included)
// whose every access path to the core passes through c, i.e. c post-dominates r
// with respect to the core. Computed for all components at once as the dominator
// tree (Lengauer-Tarjan) of the reversed graph rooted at a virtual node that
// points at every core function; subtree sums of serves give the answer.
BlastRadius blast_radius(const Network& net, const AccessGraph& g, std::span<const ComponentIdx> of) {
  PhaseTimer timer(g.options().profile, "blast-radius");
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
