// Helpers shared by the graph queries (not part of the public contract).
#pragma once

#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
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

// Per-thread scratch reused across queries: an assessment asks several queries
// of one graph in a row, and reusing the arrays keeps their pages mapped.
// Each buffer has one meaning at a time; a query must not hand a buffer to a
// helper that uses the same one (the names say who uses what).
struct Scratch {
  BigVector<uint32_t> queue;                        // BFS queues (exposure, shortest_paths)
  BigVector<uint32_t> parent;                       // shortest_paths parents
  BigVector<uint32_t> stack;                        // SCC: Tarjan stack
  BigVector<std::pair<uint32_t, uint32_t>> frames;  // SCC: DFS call stack
  BigVector<uint64_t> root;                         // SCC: root bits
  BigVector<uint64_t> mark;                         // sorted_unique, shortest_paths target marks
  BigVector<uint32_t> comp;                         // SCC: component of each node (Scc::comp refers to it)
  BigVector<uint64_t> giant;                        // SCC: members of the pivot's component
};
Scratch& scratch();

// Strongly connected components by Pearce's space-efficient variant of Tarjan
// (one 32-bit word per node plus a root bit, instead of index + lowlink +
// on-stack + component), iterative so a 10^6-long chain cannot overflow the
// stack. Component ids come out in topological order: every edge u->w between
// components has comp[u] < comp[w]. Edges between components are collected on
// the way (`cross`, as (u, w) node pairs), which saves the two passes over all
// edges that building the condensation would otherwise cost.
struct Scc {
  BigVector<uint32_t>& comp;  // the calling thread's scratch().comp
  uint32_t count = 0;
  std::vector<std::pair<uint32_t, uint32_t>> cross;
};
Scc strongly_connected(const AccessGraph& g, bool want_cross = true);

// Sorted, de-duplicated, in-range ids by marking (O(n) streaming, no sort).
std::vector<uint32_t> sorted_unique(std::span<const uint32_t> xs, uint32_t n);

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
