// Helpers shared by the graph queries (not part of the public contract).
#pragma once

#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <new>
#include <thread>
#include <vector>

#include "netvet/graph.h"

namespace netvet::graph_internal {

inline unsigned thread_count(const AccessGraph& g) {
  unsigned t = g.options().threads;
  if (t == 0) t = std::max(1u, std::thread::hardware_concurrency());
  return t;
}

// Large per-node arrays come from 2 MiB-aligned blocks advised as huge pages:
// on the virtual machines netvet runs on, first-touch page faults on 4 KiB
// pages cost more than the graph traversal itself (measured: ~35% of an
// attribution query at 10^6 nodes), and one 2 MiB fault replaces 512 of them.
template <typename T>
struct HugePageAllocator {
  using value_type = T;
  static constexpr size_t kHuge = size_t{2} << 20;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}
  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHuge) return static_cast<T*>(::operator new(bytes));
    const size_t rounded = (bytes + kHuge - 1) / kHuge * kHuge;
    void* p = std::aligned_alloc(kHuge, rounded);
    if (!p) throw std::bad_alloc();
    madvise(p, rounded, MADV_HUGEPAGE);  // advice only: failure just means small pages
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t n) {
    if (n * sizeof(T) < kHuge)
      ::operator delete(p);
    else
      std::free(p);
  }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};
template <typename T>
using BigVector = std::vector<T, HugePageAllocator<T>>;

// Population count. std::popcount compiles to a libgcc call unless the build
// targets a CPU with POPCNT (the x86-64 baseline does not), which measured at
// 9% of an attribution query; this is a few inline instructions.
inline int popcount64(uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
  return static_cast<int>((x * 0x0101010101010101ULL) >> 56);
}

// Scratch reused across the queries of one graph: an assessment asks several
// queries of one graph in a row, and reusing the arrays keeps their pages
// mapped. A query leases one (ScratchLease) for its duration. Each buffer has one meaning at a time; a query must not hand a buffer to a
// helper that uses the same one (the names say who uses what).
struct Scratch {
  BigVector<uint32_t> queue;                        // BFS queues (shortest_paths, forward_reach's tail)
  BigVector<uint32_t> parent;                       // shortest_paths parents
  BigVector<uint32_t> stack;                        // SCC: Tarjan stack
  BigVector<std::pair<uint32_t, uint32_t>> frames;  // SCC: DFS call stack
  BigVector<uint64_t> root;                         // SCC: root bits
  BigVector<uint64_t> mark;                         // sorted_unique, shortest_paths target marks
  BigVector<uint32_t> ids;                          // sorted_unique's copy (the caller's sources)
  BigVector<uint64_t> seen;                         // shortest_paths visited bits
  BigVector<uint8_t> reach;                         // SCC sweeps: what the pivot reaches
  BigVector<uint8_t> back;                          // SCC sweeps: what reaches the pivot
  BigVector<uint64_t> pushed;                       // sweeps: nodes whose out-edges are pushed (bits)
  BigVector<uint32_t> comp;                         // SCC: component of each slot (Scc::comp refers to it)
  BigVector<uint64_t> giant;                        // SCC: members of the pivot's component
  std::vector<uint32_t> rank;                       // SCC: non-giant nodes before each 64-node word
  std::vector<uint32_t> outside;                    // SCC: the nodes outside the giant, ascending
  std::vector<uint8_t> lumped;                      // SCC: slots lumped (no source reaches a target through them)
  std::vector<uint32_t> indeg;                      // SCC: in-degrees while trimming
  std::vector<uint32_t> peel;                       // SCC: trimmed slots, in peeling order
};

// The graph's pool of idle scratch: concurrent queries each lease their own.
struct Workspace {
  std::mutex mu;
  std::vector<std::unique_ptr<Scratch>> idle;
};

// A query's scratch, returned to the graph's pool when the query ends.
class ScratchLease {
 public:
  explicit ScratchLease(const AccessGraph& g);
  ~ScratchLease();
  ScratchLease(const ScratchLease&) = delete;
  ScratchLease& operator=(const ScratchLease&) = delete;
  Scratch& operator*() { return *s_; }
  Scratch* operator->() { return s_.get(); }

 private:
  std::shared_ptr<Workspace> pool_;
  std::unique_ptr<Scratch> s_;
};

// How often strongly_connected took each of its paths, so that tests can check
// they reach every one (relaxed atomics: a few increments per query).
// GraphOptions::scc_paths points at one the caller owns.
struct SccPaths {
  std::atomic<size_t> witness_settled{0};  // witness sweeps settled the giant
  std::atomic<size_t> witness_later{0};    // ... with nodes joining after the first sweep
  std::atomic<size_t> witness_gave_up{0};  // handed over to the push sweeps
  std::atomic<size_t> outside_by_in{0};    // nodes outside the giant gathered from in-rows
  std::atomic<size_t> outside_by_out{0};   // ... from out-rows
  std::atomic<size_t> trimmed{0};          // nodes peeled before the depth-first search
  std::atomic<size_t> lumped{0};           // nodes outside the giant lumped (no source reaches a target through them)
};
inline void count_path(const AccessGraph& g, std::atomic<size_t> SccPaths::*which) {
  if (SccPaths* p = g.options().scc_paths) (p->*which).fetch_add(1, std::memory_order_relaxed);
}

// Grows `reach` (a byte per node, 1 for the seeds) to everything reachable
// from it, by push sweeps over the CSR (see reach.cc). `pushed` (a bit per
// node) marks nodes whose out-edges were pushed: zero, or reached nodes
// already pushed.
// The sweeps split over `threads` when the graph is large; `reach` must be
// 8-byte aligned.
void forward_reach(const AccessGraph& g, uint8_t* reach, uint64_t* pushed, unsigned threads, Scratch& scr);

// A node likely to sit in the giant component (a hub of two-way links), or
// kNone when no sampled node's neighbours link back (reach.cc).
uint32_t choose_pivot(const AccessGraph& g);

// Strongly connected components. The pivot's (giant) component is settled
// first when the graph is large, by witness sweeps over the reverse index's
// first-neighbour columns (or, when no component dominates, by push sweeps).
// Of the nodes outside it, those with no in-edge from the rest are peeled in
// topological order (trimming: one-way trees and chains are singletons), and
// the rest go to Pearce's space-efficient variant of Tarjan (one 32-bit word
// per node plus a root bit, iterative so a 10^6-long chain cannot overflow the
// stack), over dense slots of the nodes outside the giant only. Component ids
// are in topological order: every edge u->w between components has of(u) <
// of(w). `dag` holds component edges (from, to), from < to, possibly
// repeated, whose transitive closure is the condensation's: edges out of the
// giant are replaced by an edge to every component it reaches.
// With `targets` (attribution), nodes downstream of the giant that reach none
// of them, and (with `sources` too) nodes upstream of it that no source
// reaches, are not searched: they are lumped into one component, `lumped`,
// the last, with no edges recorded (no source reaches a target through it);
// the partition and the order are then exact for every other node. Without
// targets they are exact everywhere. The Scc refers to `scr`: valid while the
// caller holds it and asks nothing else of it.
struct Scc {
  BigVector<uint32_t>& comp;  // component of each slot (slot = node when giant is null)
  uint32_t count = 0;
  const uint64_t* giant = nullptr;    // bitmap of the giant's members, or null
  const uint32_t* rank = nullptr;     // slots: non-giant nodes before each word
  std::span<const uint32_t> outside;  // with a giant: the nodes outside it, ascending (slot i is outside[i])
  uint32_t giant_id = kNone;
  uint32_t lumped = kNone;  // the component of the nodes no source reaches a target through, or kNone
  std::vector<std::pair<uint32_t, uint32_t>> dag;
  uint32_t of(uint32_t v) const {
    if (!giant) return comp[v];
    const uint64_t w = giant[v >> 6];
    const uint64_t below = (uint64_t{1} << (v & 63)) - 1;
    if ((w >> (v & 63)) & 1) return giant_id;
    return comp[rank[v >> 6] + static_cast<uint32_t>(popcount64(~w & below))];
  }
};
Scc strongly_connected(const AccessGraph& g, Scratch& scr, std::span<const uint32_t> targets = {},
                       std::span<const uint32_t> sources = {});

// The ids of xs below n, sorted and de-duplicated: xs itself when it already
// is (callers usually pass ascending ids; checked in one pass, no copy), else
// a copy in scr.ids (by marking in scr.mark, O(n) streaming, or by sorting when few).
std::span<const uint32_t> sorted_unique(std::span<const uint32_t> xs, uint32_t n, Scratch& scr);

// The renumbered copy of a graph whose ids are scattered (relabel.cc): node
// i of `graph` is node to_outer[i] of the caller's; rows are sorted, and
// `graph` has no link column and is never relabelled itself.
struct Relabelled {
  AccessGraph graph;
  std::vector<uint32_t> to_inner, to_outer;
};

// Reverse CSR of g (in-neighbours), built in two passes without per-node allocation.
struct Csr {
  std::vector<uint64_t> offsets;
  std::vector<uint32_t> targets;
  std::span<const uint32_t> row(uint32_t v) const {
    return {targets.data() + offsets[v], targets.data() + offsets[v + 1]};
  }
};
Csr reverse(const AccessGraph& g);

}  // namespace netvet::graph_internal
