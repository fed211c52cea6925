// Renumbering a graph whose ids are scattered, once, at build time.
//
// The queries read per-node arrays in the order edges lead them: a search
// touches a node's row, then its neighbours' bytes and rows. With ids in
// geographic order (as `netvet generate` writes them) neighbours sit close
// and those reads share cache lines; with ids in random order (an import
// numbers rows as its source lists them; `--shuffle`) each is a cache miss,
// which measured 2-10x on every query at 10^6 (bench/RESULTS.md). So build()
// checks how many edges join nearby ids and, when few do, keeps a copy of the
// CSR renumbered in breadth-first order of the undirected graph (Cuthill-McKee
// without the degree sort), rows sorted, on which the queries run (queries.cc
// translates ids at the boundary).
#include <algorithm>
#include <vector>

#include "internal.h"

namespace netvet {
namespace graph_internal {

const Relabelled* relabelled_of(const AccessGraph& g) { return g.relabelled_.get(); }

namespace {

// Edges whose ends lie within this many ids of each other count as local:
// 4096 ids are 16 KiB of a 4-byte array, 4 KiB of a byte map.
constexpr uint32_t kNear = 4096;

// Renumber when under this share of the edges is local. The generated
// families in id order measure 0.6 and more, shuffled ones under 0.01.
constexpr double kMinLocal = 0.25;

// A node with more neighbours than this (a manager's row over a quarter of
// the network) is numbered but not expanded: its neighbours would otherwise
// take consecutive numbers in whatever order its row lists them, far from
// their own neighbours. They are reached through those instead.
constexpr uint64_t kHubDegree = 64;

double local_share(const AccessGraph& g) {
  const auto off = g.offsets();
  const auto tg = g.targets();
  if (tg.empty()) return 1;
  uint64_t local = 0;
  for (uint32_t u = 0; u + 1 < off.size(); ++u)
    for (uint64_t e = off[u]; e < off[u + 1]; ++e) local += (tg[e] > u ? tg[e] - u : u - tg[e]) < kNear;
  return static_cast<double>(local) / static_cast<double>(tg.size());
}

// Breadth-first order over out- and in-edges, from `pivot` (if not kNone), then
// restarting from the lowest unnumbered id. Returns to_outer: the caller's id
// of each new number.
std::vector<uint32_t> breadth_first_order(const AccessGraph& g, uint32_t pivot) {
  const uint32_t n = g.node_count();
  const auto off = g.offsets();
  const auto tg = g.targets();
  // In-rows, local to this function: the graph's own reverse index is built
  // on the renumbered copy, where the queries ask for it.
  std::vector<uint64_t> in_off(size_t{n} + 1, 0);
  for (uint32_t w : tg) ++in_off[w + 1];
  for (uint32_t v = 0; v < n; ++v) in_off[v + 1] += in_off[v];
  std::vector<uint32_t> in_src(tg.size());
  {
    std::vector<uint64_t> pos(in_off.begin(), in_off.end() - 1);
    for (uint32_t u = 0; u < n; ++u)
      for (uint64_t e = off[u]; e < off[u + 1]; ++e) in_src[pos[tg[e]]++] = u;
  }
  std::vector<uint32_t> order;
  order.reserve(n);
  std::vector<uint8_t> seen(n, 0);
  // From the SCC search's pivot first (expanded whatever its degree): ids
  // then grow away from it, so the witness sweeps that settle its component
  // (reach.cc) see each node's first in- and out-neighbour before the node.
  for (uint32_t k = 0; k <= n; ++k) {
    const uint32_t start = k == 0 ? pivot : k - 1;
    if (start >= n || seen[start]) continue;
    seen[start] = 1;
    const size_t first = order.size();
    size_t head = first;
    order.push_back(start);
    for (; head < order.size(); ++head) {
      const uint32_t u = order[head];
      const uint64_t deg = (off[u + 1] - off[u]) + (in_off[u + 1] - in_off[u]);
      if (deg > kHubDegree && head != first) continue;
      auto visit = [&](const uint32_t* w, const uint32_t* end) {
        for (; w != end; ++w)
          if (!seen[*w]) {
            seen[*w] = 1;
            order.push_back(*w);
          }
      };
      visit(tg.data() + off[u], tg.data() + off[u + 1]);
      visit(in_src.data() + in_off[u], in_src.data() + in_off[u + 1]);
    }
  }
  return order;
}

}  // namespace
}  // namespace graph_internal

void AccessGraph::relabel_if_it_pays() {
  using namespace graph_internal;
  const uint32_t n = node_count();
  if (options_.relabel == Relabel::kNever) return;
  if (options_.relabel == Relabel::kAuto && (n < options_.relabel_min_nodes || local_share(*this) >= kMinLocal)) return;
  auto r = std::make_shared<Relabelled>();
  const uint32_t pivot = choose_pivot(*this);
  r->to_outer = breadth_first_order(*this, pivot);
  r->to_inner.resize(n);
  for (uint32_t i = 0; i < n; ++i) r->to_inner[r->to_outer[i]] = i;
  AccessGraph& q = r->graph;
  q.options_ = options_;
  q.options_.relabel = Relabel::kNever;
  q.options_.profile = nullptr;  // the caller's query reports its own time
  q.offsets_.resize(size_t{n} + 1);
  q.targets_.resize(targets_.size());
  uint64_t e = 0;
  for (uint32_t i = 0; i < n; ++i) {
    q.offsets_[i] = e;
    const uint32_t u = r->to_outer[i];
    for (uint64_t k = offsets_[u]; k < offsets_[u + 1]; ++k) q.targets_[e++] = r->to_inner[targets_[k]];
    // Ascending rows: a row's first entry is then its neighbour nearest the
    // pivot (the witness sweeps' out-column), and its reads run forward.
    std::sort(q.targets_.begin() + static_cast<ptrdiff_t>(q.offsets_[i]), q.targets_.begin() + static_cast<ptrdiff_t>(e));
  }
  q.offsets_[n] = e;
  // The numbering grew from the outer graph's pivot: the SCC search on the
  // copy starts there too, so its sweeps run with the numbering, not across it.
  if (pivot != kNone) q.pivot_ = 0;
  relabelled_ = std::move(r);
}

}  // namespace netvet
