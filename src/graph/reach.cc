// Streaming reachability and strongly connected components.
//
// A BFS over a million-node CSR chases a cache miss or two per node (its
// offsets, then its row), so it runs at memory latency. Here the CSR is read
// in id order instead, in *sweeps* that alternate direction; what a sweep must
// do is read off per-node byte maps 64 nodes at a time, so a node with nothing
// to do costs a byte, and a node with work one sequential read of its row.
// Within a sweep, a node that gains work ahead of the cursor is handled in the
// same sweep (Gauss-Seidel order), so a network whose ids follow its geography
// settles in one sweep plus a confirming one (the 10^6 generated network
// does). Large graphs split each sweep's node range over the threads.
//
// Byte maps, not bitmaps, for what the sweeps write: marking a neighbour is
// then a plain store. Setting a bit is a read-modify-write, and neighbours
// share words, so a bitmap chains those through store forwarding: measured at
// 10^6 nodes, marking every edge's target took 3.9 ms as bits and 1.0 ms as
// bytes (the whole CSR streams in 1.3 ms). See docs/graph.md.
//
// The giant component for attribution is found differently, by *pull*
// sweeps that need one witness per node (witness_sweeps below): they read a
// column of 4 bytes per node and direction instead of the rows, and the rows
// only of the few nodes the columns do not settle.
#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cstring>
#include <thread>
#include <vector>

#include "internal.h"

static_assert(std::endian::native == std::endian::little, "the byte-map sweeps read 8 node bytes as one word");

namespace netvet::graph_internal {


namespace {

inline bool bit(const uint64_t* b, uint32_t v) { return (b[v >> 6] >> (v & 63)) & 1; }
inline void set(uint64_t* b, uint32_t v) { b[v >> 6] |= uint64_t{1} << (v & 63); }

constexpr uint64_t kLow = 0x0101010101010101ULL;  // bit 0 of every byte

// Byte maps are shared between the sweep threads: one thread marks a node in
// another's range while that one reads it. Bytes only ever go from 0 to 1 and
// a sweep that changes nothing ends the search, so the threads need no
// ordering, only atomicity: relaxed atomic accesses, which compile to plain
// loads and stores. (GCC/Clang builtins: the 8-byte load reads 8 map bytes as
// one word, which std::atomic_ref cannot express.)
using Word = uint64_t __attribute__((may_alias));
inline void mark(uint8_t* map, uint32_t v) { __atomic_store_n(map + v, uint8_t{1}, __ATOMIC_RELAXED); }
inline uint8_t peek(const uint8_t* map, uint32_t v) { return __atomic_load_n(map + v, __ATOMIC_RELAXED); }

// Nodes 64g..64g+63 of a byte map of n entries (each byte 0 or 1) as a
// bitmask. The map must be 8-byte aligned.
inline uint64_t group_bits(const uint8_t* map, size_t g, size_t n) {
  const size_t base = g * 64;
  uint64_t r = 0;
  if (base + 64 <= n) [[likely]] {
    for (size_t k = 0; k < 8; ++k) {
      const uint64_t x = __atomic_load_n(reinterpret_cast<const Word*>(map + base + 8 * k), __ATOMIC_RELAXED);
      r |= (((x & kLow) * 0x0102040810204080ULL) >> 56) << (8 * k);  // the 8 low bits, packed
    }
  } else {
    for (size_t v = base; v < n; ++v) r |= uint64_t{peek(map, static_cast<uint32_t>(v)) & 1u} << (v - base);
  }
  return r;
}

// Node u's row, through pointers held in registers: byte-map stores are
// `unsigned char` stores, which may alias anything, so going through
// AccessGraph::out() (or a captured reference) would reload the CSR's
// pointers after every store.
struct Rows {
  const uint64_t* off;
  const uint32_t* tg;
  explicit Rows(const AccessGraph& g) : off(g.offsets().data()), tg(g.targets().data()) {}
};

// One sweep over the nodes of a graph of n nodes, 64 at a time (a group),
// ascending or descending. work(g) gives the nodes of group g with work to do;
// they are visited in passes: visit(u) for each node of the pass, in sweep
// order, then work(g) is asked again for nodes the pass gave work to (the
// sweep's own pushes into the group: Gauss-Seidel order). The next node to
// visit never depends on what the current visit loads, so visits overlap in
// the pipeline instead of chaining through memory latency (measured: 9.3 ->
// 4.8 ms per sweep at 10^6). Each node is visited at most once per sweep;
// end(g, done) gets the nodes visited. Sweeps groups [g0, g1); returns the visits.
template <typename Work, typename Visit, typename End>
size_t sweep(size_t g0, size_t g1, bool ascending, Work&& work, Visit&& visit, End&& end) {
  size_t visited = 0;
  auto one_group = [&](size_t g) {
    uint64_t m = work(g);
    if (!m) return;
    const uint32_t base = static_cast<uint32_t>(g * 64);
    uint64_t done = 0;
    do {
      done |= m;
      if (ascending)
        for (; m; m &= m - 1, ++visited) visit(base + static_cast<uint32_t>(std::countr_zero(m)));
      else
        for (; m; m &= ~(uint64_t{1} << (63 - std::countl_zero(m))), ++visited) visit(base + 63 - std::countl_zero(m));
      m = work(g) & ~done;
    } while (m);
    end(g, done);
  };
  if (ascending)
    for (size_t g = g0; g < g1; ++g) one_group(g);
  else
    for (size_t g = g1; g-- > g0;) one_group(g);
  return visited;
}

// Runs sweeps until step(s) says stop. A sweep is cut into chunks of
// kChunkGroups groups (4096 nodes), claimed in sweep order by the calling
// thread and by up to threads-1 helpers: two cores stream the CSR at once
// (measured 5.8 -> 3.3 ms per sweep at 10^6 on an idle core pair). Claiming,
// not a fixed split, because the machine may be shared: a helper that is not
// scheduled simply claims nothing, and the calling thread never waits for a
// thread that has not started a chunk (a barrier did: on a loaded 2-core
// machine, two threads measured slower than one). range(s, g0, g1, tid) does
// sweep s over groups [g0, g1) and adds what it saw to thread tid's state;
// step(s) runs on the calling thread once sweep s is complete.
template <typename Range, typename Step>
void run_sweeps(const AccessGraph& g, unsigned threads, Range&& range, Step&& step) {
  const size_t n = g.node_count();
  const size_t groups = (n + 63) / 64;
  // Below 64K nodes per thread (the default), one thread is faster.
  const size_t per_thread = std::max<size_t>(1, g.options().sweep_min_groups_per_thread);
  threads = static_cast<unsigned>(std::clamp<size_t>(groups / per_thread, 1, std::max(1u, threads)));
  if (threads == 1) {
    for (int s = 0;; ++s) {
      range(s, 0, groups, 0u);
      if (!step(s)) return;
    }
  }
  constexpr size_t kChunkGroups = 64;
  const size_t chunks = (groups + kChunkGroups - 1) / kChunkGroups;
  // claim: the sweep number in the high 32 bits, the next chunk in the low
  // ones, so a helper still holding an old sweep's number cannot claim a chunk
  // of the next. busy: helpers between announcing themselves and finishing.
  std::atomic<uint64_t> claim{0};
  std::atomic<int> busy{0};
  std::atomic<int> sweep_no{0};  // -1: done
  auto work = [&](int s, unsigned tid) {
    const bool ascending = s % 2 == 0;
    for (;;) {
      uint64_t v = claim.load();
      size_t c;
      do {
        if (static_cast<int>(v >> 32) != s) return;
        c = static_cast<size_t>(v & 0xffffffffu);
        if (c >= chunks) return;
      } while (!claim.compare_exchange_weak(v, v + 1));
      if (!ascending) c = chunks - 1 - c;
      range(s, c * kChunkGroups, std::min(groups, (c + 1) * kChunkGroups), tid);
    }
  };
  auto helper = [&](unsigned tid) {
    int seen = -2;
    for (;;) {
      sweep_no.wait(seen);
      const int s = sweep_no.load();
      if (s < 0) return;
      seen = s;
      busy.fetch_add(1);
      work(s, tid);
      busy.fetch_sub(1);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(helper, t);
  for (int s = 0;; ++s) {
    claim.store(static_cast<uint64_t>(s) << 32);
    sweep_no.store(s);
    sweep_no.notify_all();
    work(s, 0);
    // Every chunk is claimed; wait for the helpers still inside one.
    while (busy.load() != 0) std::this_thread::yield();
    if (!step(s)) break;
  }
  sweep_no.store(-1);
  sweep_no.notify_all();
  for (auto& th : pool) th.join();
}

// Finishes a forward search by a plain queue from the reached nodes not yet
// pushed: used when the sweeps have only a thin frontier left, which a queue
// handles in time proportional to what it reaches, not to n.
void finish_by_queue(const AccessGraph& g, uint8_t* reach, uint64_t* pushed, Scratch& scr) {
  const uint32_t n = g.node_count();
  auto& queue = scr.queue;
  if (queue.size() < n) queue.resize(n);
  size_t tail = 0;
  for (size_t i = 0; i < (size_t{n} + 63) / 64; ++i)
    for (uint64_t m = group_bits(reach, i, n) & ~pushed[i]; m; m &= m - 1)
      queue[tail++] = static_cast<uint32_t>(i * 64 + std::countr_zero(m));
  for (size_t head = 0; head < tail; ++head) {
    const uint32_t u = queue[head];
    set(pushed, u);
    for (uint32_t w : g.out(u))
      if (!reach[w]) {
        reach[w] = 1;
        queue[tail++] = w;
      }
  }
}

// The pivot's strongly connected component, by sweeps. F is what the pivot
// reaches: pushed along out-edges. B is what reaches the pivot, pulled: u
// joins B when an out-neighbour is in B. B is only needed inside F (a path
// from a node of F to the pivot never leaves F: the pivot reaches all of it),
// so a sweep visits exactly the nodes of F that are unpushed or not yet in B,
// one read of each row serving both. F and B are final after a sweep that
// pushes nothing and adds nothing to B. Returns false when kMaxSweeps do not
// settle them (the caller then runs plain Pearce). All three maps are bytes,
// zero on entry.
bool pivot_sweeps(const AccessGraph& g, uint32_t pivot, uint8_t* F, uint8_t* B, uint64_t* P, unsigned threads) {
  const size_t n = g.node_count();
  F[pivot] = 1;
  B[pivot] = 1;
  const Rows rows(g);
  constexpr int kMaxSweeps = 24;
  struct alignas(64) Seen {  // per thread, a cache line each
    size_t pushes = 0, joined = 0;
  };
  std::vector<Seen> seen(threads);
  bool settled = false;
  run_sweeps(
      g, threads,
      [&](int s, size_t g0, size_t g1, unsigned tid) {
        size_t pushes = 0, joined = 0;
        sweep(
            g0, g1, s % 2 == 0, [&](size_t i) { return group_bits(F, i, n) & ~(P[i] & group_bits(B, i, n)); },
            [&, rows](uint32_t u) {
              // Locals, not captures: the byte stores may alias anything in memory.
              uint8_t* const f = F;
              uint8_t* const back = B;
              const uint32_t* w = rows.tg + rows.off[u];
              const uint32_t* const end = rows.tg + rows.off[u + 1];
              if (!bit(P, u)) {
                ++pushes;
                uint8_t any = 0;
                for (; w != end; ++w) {
                  mark(f, *w);
                  any |= peek(back, *w);
                }
                if (any && !peek(back, u)) {
                  mark(back, u);
                  ++joined;
                }
              } else {
                for (; w != end; ++w)
                  if (peek(back, *w)) {
                    mark(back, u);
                    ++joined;
                    break;
                  }
              }
            },
            [&](size_t i, uint64_t done) { P[i] |= done; });  // P[i] is only ever touched by i's owner
        seen[tid].pushes += pushes;
        seen[tid].joined += joined;
      },
      [&](int s) {
        size_t changes = 0;
        for (Seen& x : seen) {
          changes += x.pushes + x.joined;
          x = {};
        }
        settled = changes == 0;
        return !settled && s + 1 < kMaxSweeps;
      });
  return settled;
}

// One direction of the witness sweeps (below): a map, the column of one
// neighbour per node, the rows to read when that neighbour is not in the map,
// and what the first sweep leaves out.
struct Side {
  uint8_t* map;
  const uint32_t* first;
  const uint64_t* off;
  const uint32_t* tg;
  std::vector<uint32_t> left;
  size_t limit;  // give up when more than this many are left out
  size_t read = 0;
  bool gave_up = false;
};

// Whether a row of v (off, tg) holds a node of map.
inline bool any_in(Side& s, const uint8_t* map, uint32_t v) {
  const uint32_t* w = s.tg + s.off[v];
  const uint32_t* const end = s.tg + s.off[v + 1];
  s.read += static_cast<size_t>(end - w);
  for (; w != end; ++w)
    if (map[*w]) return true;
  return false;
}

// The first witness sweep over K sides at once (1, or 2: F and B in one loop,
// cheaper on one thread than two loops): map[v] |= map[first[v]], ascending,
// then the nodes a group of 64 leaves out read their rows. Stops (gave_up)
// when a side leaves out more than its `limit` nodes.
template <int K>
void first_sweep(Side* sides, uint32_t n) {
  // Locals: a byte store may alias anything in memory, so pointers read
  // through `sides` would be reloaded after every store.
  uint8_t* const m0 = sides[0].map;
  const uint32_t* const c0 = sides[0].first;
  uint8_t* const m1 = sides[K - 1].map;
  const uint32_t* const c1 = sides[K - 1].first;
  const size_t groups = (size_t{n} + 63) / 64;
  for (size_t gi = 0; gi < groups; ++gi) {
    const uint32_t base = static_cast<uint32_t>(gi * 64);
    const uint32_t end = std::min(n, base + 64);
    uint8_t all = 1;
    for (uint32_t v = base; v < end; ++v) {
      const uint8_t x = m0[v] | m0[c0[v]];
      m0[v] = x;
      all &= x;
      if constexpr (K == 2) {
        const uint8_t y = m1[v] | m1[c1[v]];
        m1[v] = y;
        all &= y;
      }
    }
    if (!all) [[unlikely]] {
      for (int k = 0; k < K; ++k) {
        Side& s = sides[k];
        for (uint32_t v = base; v < end; ++v)
          if (!s.map[v]) {
            if (any_in(s, s.map, v))
              s.map[v] = 1;
            else
              s.left.push_back(v);
          }
        if (s.left.size() > s.limit) {
          s.gave_up = true;
          return;
        }
      }
    }
  }
}

// The pivot's strongly connected component by *pull* sweeps over both
// directions (the graph keeps a reverse index). F is what the pivot reaches: a
// node joins F when an in-neighbour is in F. B is what reaches the pivot: a node
// joins when an out-neighbour is in B. A node needs one such witness, and every
// node of F (of B) is in it through a chain of witnesses from the pivot, so a
// node in F or B is there rightly whatever the order of the sweeps.
//
// The first sweep does not read rows: it is a flat loop over the first_in and
// first_out columns (F[v] |= F[first_in[v]], likewise B), 4 bytes per node per
// direction and no branch per node, ascending, so a witness set earlier in the
// same sweep counts. In an access graph whose ids follow the network's build
// order, the first in-neighbour (the smallest) and the first out-neighbour are
// nearly always settled by then (10^6 generated network: all but ~70 nodes).
// The nodes it leaves out read their whole rows at once, in the same sweep, and
// those still out go on a list per side.
//
// A listed node may have a witness that joined after its visit, so each is
// looked at once more (F's list first, so that B's candidates, the nodes of F
// outside B, are final: B is only needed inside F, as a path from a node of F
// to the pivot stays in F), and a node that joins then pushes along its rows
// (out-rows for F, in-rows for B) to the nodes it makes join, by a queue. A node
// still out afterwards had its whole row read with no witness, and a witness
// joining later would have pushed it: no edge leaves F, and no node of F
// outside B has an out-neighbour in B. The pivot's component is F minus `out_f`
// (the nodes outside F) and `out_b` (the nodes of F outside B). Each row is
// read at most three times. Maps are bytes, zero on entry. Returns false,
// leaving F and B as valid partial answers, when more than half the nodes are
// left out of F by the first sweep (the pivot reaches little: the push sweeps,
// which cost in proportion to F, do better); the caller then continues with
// those. Many left out of B alone is no reason to: each costs one read of its
// row here, and at least two in the push sweeps, which read all of F's rows
// per sweep (the one-way family: the core reaches the whole network, and
// 72% of it does not reach back).
bool witness_sweeps(const AccessGraph& g, uint32_t pivot, uint8_t* F, uint8_t* B, std::vector<uint32_t>& out_f,
                    std::vector<uint32_t>& out_b) {
  const uint32_t n = g.node_count();
  Side sides[2] = {{F, g.first_in().data(), g.in_offsets().data(), g.in_sources().data(), {}, n / 2},
                   {B, g.first_out().data(), g.offsets().data(), g.targets().data(), {}, n}};
  Side& sf = sides[0];
  Side& sb = sides[1];
  F[pivot] = 1;
  B[pivot] = 1;
  // One thread: F and B in one loop. Splitting them over two threads (one
  // each) measured slower at 10^6 on the shared 2-core machine (1.6 against
  // 1.2 ms at load 3: a thread start per query and a contended second core).
  first_sweep<2>(sides, n);
  if (sf.gave_up || sb.gave_up) {
    count_path(g, &SccPaths::witness_gave_up);
    return false;
  }
  // Nodes of sweep 1's lists may have a witness that joined after their visit.
  // Each is looked at once more, and a node that joins now pushes along its
  // rows to the listed nodes it reaches (a queue): a node still out afterwards
  // had its whole row read with no witness, and any witness joining later would
  // have pushed it. F first, so that B's candidates, the nodes of F outside B,
  // are final.
  std::vector<uint32_t> queue;
  size_t joined = 0;
  auto settle_list = [&](const std::vector<uint32_t>& list, Side& side, auto&& rows, auto&& eligible,
                         std::vector<uint32_t>& out) {
    uint8_t* const map = side.map;
    for (const uint32_t v : list) {
      if (map[v] || !eligible(v) || !any_in(side, map, v)) continue;
      map[v] = 1;
      ++joined;
      queue.assign(1, v);
      while (!queue.empty()) {
        const uint32_t u = queue.back();
        queue.pop_back();
        for (const uint32_t w : rows(u))
          if (!map[w] && eligible(w)) {
            map[w] = 1;
            queue.push_back(w);
          }
      }
    }
    out.clear();
    for (const uint32_t v : list)
      if (!map[v] && eligible(v)) out.push_back(v);
  };
  settle_list(
      sf.left, sf, [&](uint32_t u) { return g.out(u); }, [](uint32_t) { return true; }, out_f);
  settle_list(
      sb.left, sb, [&](uint32_t u) { return g.in(u); }, [F](uint32_t w) { return F[w] != 0; }, out_b);
  count_path(g, &SccPaths::witness_settled);
  if (joined) count_path(g, &SccPaths::witness_later);
  return true;
}

}  // namespace

// A node likely to sit in the giant component: among a strided sample of at
// most 4096 nodes (all of them in a small graph), the one with the best
// out-degree x (fraction of sampled neighbours linking back): a hub of two-way
// links, not a one-way manager. kNone when nothing links back. Sampling keeps
// this off the critical path (the top-degree scan it replaces read all of
// `offsets`); any node of the giant does, and a poor pick only costs time.
uint32_t choose_pivot(const AccessGraph& g) {
  if (g.pivot_ != kNone) return g.pivot_;  // a renumbered copy's root (relabel.cc)
  const uint32_t n = g.node_count();
  constexpr uint32_t kSample = 4096;
  const uint32_t stride = std::max<uint32_t>(1, n / kSample);
  constexpr int kCandidates = 16;
  std::array<std::pair<size_t, uint32_t>, kCandidates> top{};
  for (uint32_t v = 0; v < n; v += stride) {
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

void forward_reach(const AccessGraph& g, uint8_t* reach, uint64_t* pushed, unsigned threads, Scratch& scr) {
  const size_t n = g.node_count();
  const Rows rows(g);
  struct alignas(64) Seen {
    size_t visited = 0;
  };
  std::vector<Seen> seen(threads);
  bool queue = false;
  run_sweeps(
      g, threads,
      [&](int s, size_t g0, size_t g1, unsigned tid) {
        seen[tid].visited += sweep(
            g0, g1, s % 2 == 0, [&](size_t i) { return group_bits(reach, i, n) & ~pushed[i]; },
            [rows, reach](uint32_t u) {
              uint8_t* const map = reach;  // a local: the stores may alias anything in memory
              const uint32_t* const end = rows.tg + rows.off[u + 1];
              for (const uint32_t* w = rows.tg + rows.off[u]; w != end; ++w) mark(map, *w);
            },
            [&](size_t i, uint64_t done) { pushed[i] |= done; });
      },
      [&](int s) {
        size_t visited = 0;
        for (Seen& x : seen) {
          visited += x.visited;
          x = {};
        }
        // A sweep reads every node's bytes even when it visits little: once the
        // frontier is thin (a graph whose ids run against its edges), a queue is cheaper.
        queue = visited > 0 && s >= 1 && visited < n / 64;
        return visited > 0 && !queue;
      });
  if (queue) finish_by_queue(g, reach, pushed, scr);
}

Scc strongly_connected(const AccessGraph& g, Scratch& scr, std::span<const uint32_t> targets,
                       std::span<const uint32_t> sources) {
  const uint32_t n = g.node_count();
  const size_t words = (size_t{n} + 63) / 64;
  Scc r{scr.comp, 0, nullptr, nullptr, {}, kNone, kNone, {}};
  if (n == 0) return r;

  // Access graphs are dominated by two-way links, so most nodes usually sit in
  // one giant component. Settling it first by sweeps leaves the depth-first
  // search only the nodes outside it.
  auto& F = scr.reach;
  auto& giant = scr.giant;
  bool giant_used = false;
  if (n >= g.options().giant_min_nodes) {
    const uint32_t pivot = choose_pivot(g);
    if (pivot != kNone) {
      auto& B = scr.back;
      F.assign(n, 0);
      B.assign(n, 0);
      std::vector<uint32_t> out_f, out_b;
      if (witness_sweeps(g, pivot, F.data(), B.data(), out_f, out_b)) {
        // The giant is every node but the two lists.
        giant.assign(words, ~uint64_t{0});
        if (n % 64) giant[words - 1] = (uint64_t{1} << (n % 64)) - 1;
        for (uint32_t v : out_f) giant[v >> 6] &= ~(uint64_t{1} << (v & 63));
        for (uint32_t v : out_b) giant[v >> 6] &= ~(uint64_t{1} << (v & 63));
        giant_used = n - out_f.size() - out_b.size() > 1;
      } else {  // F and B are valid partial answers: the push sweeps continue from them
        scr.pushed.assign(words, 0);
        if (pivot_sweeps(g, pivot, F.data(), B.data(), scr.pushed.data(), thread_count(g))) {
          giant.resize(words);
          size_t members = 0;
          for (size_t i = 0; i < words; ++i)  // B may hold nodes outside F: giant = F and B
            members += popcount64(giant[i] = group_bits(F.data(), i, n) & group_bits(B.data(), i, n));
          giant_used = members > 1;
        }
      }
    }
  }

  // Nodes outside the giant get dense slots 0..R-1 (rank over ~giant), so the
  // search below needs arrays of R entries, not n.
  auto& rank = scr.rank;
  uint32_t R = n;
  if (giant_used) {
    rank.resize(words);
    uint32_t k = 0;
    for (size_t i = 0; i < words; ++i) {
      rank[i] = k;
      k += static_cast<uint32_t>(popcount64(~giant[i]));
    }
    // The last word's bits at or above n are not nodes.
    R = k - static_cast<uint32_t>(words * 64 - n);
    r.giant = giant.data();
    r.rank = rank.data();
  }
  auto in_giant = [&](uint32_t v) { return giant_used && bit(giant.data(), v); };
  auto slot = [&](uint32_t v) -> uint32_t {
    if (!giant_used) return v;
    const uint64_t w = giant[v >> 6];
    return rank[v >> 6] + static_cast<uint32_t>(popcount64(~w & ((uint64_t{1} << (v & 63)) - 1)));
  };
  constexpr uint32_t kGiantSlot = kNone;
  std::vector<std::pair<uint32_t, uint32_t>> cross;  // (slot, slot or kGiantSlot)
  auto& node_of = scr.outside;
  // The reverse index once: in() asks for it (a call_once) on every call.
  const uint64_t* in_off = giant_used ? g.in_offsets().data() : nullptr;
  const uint32_t* in_src = giant_used ? g.in_sources().data() : nullptr;
  auto in_row = [&](uint32_t v) { return std::span<const uint32_t>(in_src + in_off[v], in_src + in_off[v + 1]); };
  // Downstream of the giant (F minus the giant: the giant reaches it, it does
  // not reach the giant) nothing leads back out, so a node there reaches only
  // nodes there. When the caller asks only about `sources` reaching `targets`,
  // the nodes there that reach no target are lumped into one component with
  // no edges and never searched: where the core reaches the RAN clusters one
  // way (the one-way family), that is most of the network. The ones kept are
  // found by a backward search from the targets that lie there (usually
  // none). Likewise upstream (outside F: the giant does not reach it, so
  // nothing there is reached from the giant or downstream), the nodes no
  // source reaches are lumped: the trusted vendor's one-way trees of the
  // core-trees family. The ones kept are found by a forward search from the
  // sources that lie there.
  auto& lumped = scr.lumped;  // a byte per slot
  bool any_lumped = false;
  if (giant_used) {
    node_of.clear();
    node_of.reserve(R);
    for (size_t i = 0; i < words; ++i)
      for (uint64_t m = ~giant[i]; m; m &= m - 1) {
        const uint32_t v = static_cast<uint32_t>(i * 64 + std::countr_zero(m));
        if (v >= n) break;
        node_of.push_back(v);
      }
    if (!targets.empty()) {
      // 1: downstream, until a target reached backwards keeps it; 2: upstream,
      // until a source reached forwards keeps it (when sources are given).
      lumped.assign(R, 0);
      for (uint32_t s = 0; s < R; ++s) lumped[s] = F[node_of[s]] ? 1 : sources.empty() ? 0 : 2;
      std::vector<uint32_t> queue;
      auto keep = [&](uint32_t v, uint8_t side) {
        if (in_giant(v)) return;
        uint8_t& l = lumped[slot(v)];
        if (l == side) {
          l = 0;
          queue.push_back(v);
        }
      };
      for (uint32_t t : targets)
        if (t < n) keep(t, 1);
      while (!queue.empty()) {
        const uint32_t u = queue.back();
        queue.pop_back();
        for (uint32_t p : in_row(u)) keep(p, 1);  // downstream too, or upstream (never side 1)
      }
      for (uint32_t v : sources)
        if (v < n) keep(v, 2);
      while (!queue.empty()) {
        const uint32_t u = queue.back();
        queue.pop_back();
        for (uint32_t w : g.out(u)) keep(w, 2);  // upstream too, or the giant or downstream
      }
      for (uint32_t s = 0; s < R && !any_lumped; ++s) any_lumped = lumped[s] != 0;
      if (any_lumped) count_path(g, &SccPaths::lumped);
    }
  }
  auto is_lumped = [&](uint32_t s) { return any_lumped && lumped[s]; };
  // The slots not lumped, listed once: where most are lumped (one-way: 72% of
  // the network) the loops below visit only these.
  std::vector<uint32_t> kept;
  if (any_lumped)
    for (uint32_t s = 0; s < R; ++s)
      if (!lumped[s]) kept.push_back(s);
  auto each_kept = [&](auto&& f) {
    if (any_lumped)
      for (uint32_t s : kept) f(s);
    else
      for (uint32_t s = 0; s < R; ++s) f(s);
  };

  // The search below walks slot rows. Without a giant, slots are nodes and a
  // slot's row is its out-row. With one, the rows are those of the R nodes
  // outside it restricted to nodes outside it and not lumped, gathered from
  // whichever side reads less: their out-rows, or through the reverse index
  // their in-rows (a manager outside the giant can hold a quarter of the
  // network in its out-row and nothing in its in-row). A slot with an edge
  // into the giant gets one cross edge to it. Edges to or from lumped nodes
  // are left out: no source reaches a target through one.
  std::vector<uint32_t> sub_off, sub;
  if (giant_used) {
    uint64_t out_sum = 0, in_sum = 0;
    each_kept([&](uint32_t s) {
      out_sum += g.out(node_of[s]).size();
      in_sum += in_off[node_of[s] + 1] - in_off[node_of[s]];
    });
    std::vector<std::pair<uint32_t, uint32_t>> edges;  // (slot, slot)
    edges.reserve(std::min(in_sum, out_sum));
    cross.reserve(R);
    if (in_sum < out_sum) {
      count_path(g, &SccPaths::outside_by_in);
      each_kept([&](uint32_t sw) {
        for (uint32_t u : in_row(node_of[sw]))
          if (!in_giant(u)) {
            const uint32_t su = slot(u);
            if (!is_lumped(su)) edges.push_back({su, sw});
          }
      });
      each_kept([&](uint32_t sv) {
        for (uint32_t w : g.out(node_of[sv]))
          if (in_giant(w)) {  // usually the first entry
            cross.push_back({sv, kGiantSlot});
            break;
          }
      });
    } else {
      count_path(g, &SccPaths::outside_by_out);
      each_kept([&](uint32_t sv) {
        bool into = false;
        for (uint32_t w : g.out(node_of[sv])) {
          if (in_giant(w)) {
            into = true;
          } else {
            const uint32_t sw = slot(w);
            if (!is_lumped(sw)) edges.push_back({sv, sw});
          }
        }
        if (into) cross.push_back({sv, kGiantSlot});
      });
    }
    r.outside = node_of;
    sub_off.assign(size_t{R} + 1, 0);
    for (auto [a, b] : edges) ++sub_off[a + 1];
    for (uint32_t x = 0; x < R; ++x) sub_off[x + 1] += sub_off[x];
    sub.resize(edges.size());
    std::vector<uint32_t> pos(sub_off.begin(), sub_off.end() - 1);
    for (auto [a, b] : edges) sub[pos[a]++] = b;
  }
  auto row = [&](uint32_t sv) -> std::span<const uint32_t> {
    if (!giant_used) return g.out(sv);
    return {sub.data() + sub_off[sv], sub.data() + sub_off[sv + 1]};
  };

  // Trimming: a slot no remaining slot has an edge into is a component of its
  // own, and so is, once it is gone, every slot whose in-edges all came from
  // such slots (Kahn's peeling, which visits them in topological order). Where
  // each site is a one-way tree into the core (the core-trees family), that is
  // every node outside the giant: the depth-first search below, with its
  // random reads per node, is left only the cycles. Peeling by out-degree as
  // well would need the rows' reverse; the families measured do not need it.
  auto& indeg = scr.indeg;
  indeg.assign(R, 0);
  if (giant_used)
    for (uint32_t w : sub) ++indeg[w];
  else
    for (uint32_t w : g.targets()) ++indeg[w];
  auto& peel = scr.peel;
  peel.clear();
  each_kept([&](uint32_t s) {
    if (indeg[s] == 0) peel.push_back(s);
  });
  for (size_t h = 0; h < peel.size(); ++h)
    for (uint32_t w : row(peel[h]))
      if (--indeg[w] == 0) peel.push_back(w);
  if (!peel.empty()) count_path(g, &SccPaths::trimmed);

  // Pearce's algorithm over the slots. rindex[s]: 0 unvisited; while open, its
  // DFS index or the smallest index it reaches; once its component is complete,
  // a completion number, counted down from R (so completed numbers are
  // always above every open index, and never 0, even when numbers are handed
  // out before the search). The lumped slots (one number) and the
  // peeled ones count as complete before the search starts, and so does the
  // giant: never entered, and an edge into any of them is a cross edge. The
  // peeled slots' own edges are all cross edges.
  auto& rindex = r.comp;
  rindex.assign(R, 0);
  uint32_t c = R;
  if (any_lumped) {
    for (uint32_t s = 0; s < R; ++s)
      if (lumped[s]) rindex[s] = c;
    --c;
  }
  cross.reserve(cross.size() + (giant_used ? sub.size() : g.edge_count()));  // at most every row
  for (uint32_t s : peel) {
    rindex[s] = c--;
    for (uint32_t w : row(s)) cross.push_back({s, w});
  }
  auto& root = scr.root;
  root.assign((size_t{R} + 63) / 64, 0);
  auto& stack = scr.stack;
  stack.clear();
  auto& call = scr.frames;  // (slot, position of its next out-edge)
  call.clear();
  uint32_t index = 1;
  auto search = [&](uint32_t ss) {
    if (rindex[ss] != 0) return;
    rindex[ss] = index++;
    set(root.data(), ss);
    call.push_back({ss, 0});
    while (!call.empty()) {
      auto& f = call.back();
      const uint32_t sv = f.first;
      const auto out = row(sv);
      if (f.second < out.size()) {
        const uint32_t sw = out[f.second];
        if (rindex[sw] == 0) {  // tree edge: descend; the edge is looked at again on return
          rindex[sw] = index++;
          set(root.data(), sw);
          call.push_back({sw, 0});
          continue;
        }
        ++f.second;
        if (rindex[sw] < rindex[sv]) {
          rindex[sv] = rindex[sw];
          root[sv >> 6] &= ~(uint64_t{1} << (sv & 63));
        } else if (rindex[sw] > c && (cross.empty() || cross.back().first != sv || cross.back().second == kGiantSlot ||
                                      rindex[cross.back().second] != rindex[sw])) {
          // w's component is complete, v's is not: different components. A run of
          // edges from v into one component is kept once.
          cross.push_back({sv, sw});
        }
        continue;
      }
      call.pop_back();
      if (bit(root.data(), sv)) {
        --index;
        while (!stack.empty() && rindex[sv] <= rindex[stack.back()]) {
          rindex[stack.back()] = c;
          stack.pop_back();
          --index;
        }
        rindex[sv] = c--;
      } else {
        stack.push_back(sv);
      }
    }
  };
  for (uint32_t ss = 0; ss < R; ++ss) search(ss);

  // Completion numbers c+1..R: the lumped one on top, then the peeled slots
  // in peeling order, then the search's components, whose numbers ascend in
  // topological order (sinks complete first). Component ids in topological
  // order, without sorting the condensation: upstream of the giant (outside F)
  // first, peeled slots (nothing still searched has an edge into them) before
  // the search's components; then the giant; then the same two groups
  // downstream of it (F minus the giant: no edge leads from there to the giant
  // or upstream); the lumped component last (no edges recorded).
  const uint32_t base = c + 1;
  const uint32_t k = R - c;  // completion numbers handed out
  const uint32_t searched = k - static_cast<uint32_t>(any_lumped) - static_cast<uint32_t>(peel.size());
  auto downstream = [&](uint32_t s) { return giant_used && F[node_of[s]] != 0; };
  std::vector<uint8_t> down(searched, 0);
  if (giant_used)
    each_kept([&](uint32_t s) {
      if (rindex[s] - base < searched && downstream(s)) down[rindex[s] - base] = 1;
    });
  std::vector<uint32_t> id(k);
  uint32_t next = 0;
  auto place = [&](bool d) {
    for (uint32_t s : peel)
      if (downstream(s) == d) id[rindex[s] - base] = next++;
    for (uint32_t x = 0; x < searched; ++x)
      if (down[x] == d) id[x] = next++;
  };
  place(false);
  if (giant_used) {
    r.giant_id = next++;
    place(true);
  }
  if (any_lumped) {
    r.lumped = next;
    id[k - 1] = next++;
  }
  r.count = next;
  for (uint32_t& x : rindex) x = id[x - base];
  r.dag.reserve(cross.size() + (giant_used ? R : 0));
  for (auto [a, b] : cross) {
    const uint32_t cb = b == kGiantSlot ? r.giant_id : rindex[b];
    if (rindex[a] != cb) r.dag.push_back({rindex[a], cb});
  }
  if (!giant_used) return r;

  // Edges out of the giant: the sweeps never recorded them, but everything the
  // giant reaches is F minus the giant, so an edge from the giant to the
  // component of each such node is implied by reachability and, for it, as
  // good as the real edges (which it includes). None to the lumped component.
  std::vector<uint8_t> seen(r.count, 0);
  each_kept([&](uint32_t s) {
    if (!downstream(s)) return;
    const uint32_t cw = rindex[s];
    if (!seen[cw]) {
      seen[cw] = 1;
      r.dag.push_back({r.giant_id, cw});
    }
  });
  return r;
}

}  // namespace netvet::graph_internal
