// Helpers shared by the graph queries (not part of the public contract).
#pragma once

#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

#include "netvet/graph.h"

namespace netvet::graph_internal {

inline unsigned thread_count(const AccessGraph& g) {
  unsigned t = g.options().threads;
  if (t == 0) t = std::max(1u, std::thread::hardware_concurrency());
  return t;
}

// Strongly connected components (iterative Tarjan: no recursion, so a 10^6-long
// chain cannot overflow the stack). Component ids come out in reverse
// topological order: every edge u->w between components has comp[u] > comp[w].
struct Scc {
  std::vector<uint32_t> comp;
  uint32_t count = 0;
};
Scc strongly_connected(const AccessGraph& g);

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
