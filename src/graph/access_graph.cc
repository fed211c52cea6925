// Building the access graph: links become directed access edges by interface
// semantics (see the comment block of include/netvet/graph.h and docs/graph.md),
// stored as CSR. Two passes over the links (count, then fill) so there is no
// per-node allocation: at 10^6 components a vector per node would cost more in
// allocator headers than the edges themselves.
#include <algorithm>
#include <stdexcept>

#include "netvet/graph.h"

#include "internal.h"

namespace netvet {
namespace {

bool is_management(Function f) { return function_domain(f) == Domain::kManagement; }

bool is_manager_link(Interface i) { return i == Interface::kMgmt || i == Interface::kRemoteAccess; }

// Calls emit(from, to) for every propagating edge that link `l` gives.
template <typename Emit>
void link_edges(const Network& net, const GraphOptions& opt, LinkIdx l, Emit&& emit) {
  const ComponentIdx a = net.links.a[l], b = net.links.b[l];
  const size_t n = net.components.size();
  if (a >= n || b >= n || a == b) return;  // readers reject these; stay safe on hand-built networks
  const uint8_t prot = net.links.protection[l];
  // A protected boundary: a link carrying every required protection flag gives no
  // access either way (an IPsec S1 tunnel through a sec-gw, say).
  if (opt.stop_protection != 0 && (prot & opt.stop_protection) == opt.stop_protection) return;
  if (is_manager_link(net.links.interface[l])) {
    const bool am = is_management(net.components.function[a]);
    const bool bm = is_management(net.components.function[b]);
    const ComponentIdx manager = (bm && !am) ? b : a;
    const ComponentIdx managed = manager == a ? b : a;
    emit(manager, managed);
    // The reporting channel back to the manager is weaker: it does not propagate by
    // default, else one untrusted element under a shared EMS would reach everything.
    if (opt.reporting_propagates) emit(managed, manager);
    return;
  }
  // Signalling, user plane and transport: two-way (peers talk both ways; equipment
  // sees the traffic it carries).
  emit(a, b);
  emit(b, a);
}

}  // namespace

std::shared_ptr<graph_internal::Workspace> AccessGraph::new_workspace() {
  return std::make_shared<graph_internal::Workspace>();
}

AccessGraph AccessGraph::build(const Network& net, const GraphOptions& options) {
  PhaseTimer timer(options.profile, "graph-build");
  AccessGraph g;
  g.options_ = options;
  const size_t n = net.components.size();
  const size_t m = net.links.size();
  g.offsets_.assign(n + 1, 0);
  for (LinkIdx l = 0; l < m; ++l) {
    link_edges(net, options, l, [&](ComponentIdx u, ComponentIdx) { ++g.offsets_[u + 1]; });
  }
  for (size_t v = 0; v < n; ++v) g.offsets_[v + 1] += g.offsets_[v];
  g.targets_.resize(g.offsets_[n]);
  g.edge_link_.resize(g.offsets_[n]);
  std::vector<uint64_t> pos(g.offsets_.begin(), g.offsets_.end() - 1);
  // Filling in link order keeps neighbour order (and so paths) deterministic.
  for (LinkIdx l = 0; l < m; ++l) {
    link_edges(net, options, l, [&](ComponentIdx u, ComponentIdx v) {
      const uint64_t p = pos[u]++;
      g.targets_[p] = v;
      g.edge_link_[p] = l;
    });
  }
  g.relabel_if_it_pays();
  return g;
}

AccessGraph AccessGraph::from_edges(uint32_t nodes, std::span<const std::pair<uint32_t, uint32_t>> edges,
                                    const GraphOptions& options) {
  AccessGraph g;
  g.options_ = options;
  g.offsets_.assign(size_t{nodes} + 1, 0);
  for (const auto& [u, v] : edges) {
    if (u >= nodes || v >= nodes) throw std::out_of_range("AccessGraph::from_edges: node id out of range");
    ++g.offsets_[u + 1];
  }
  for (size_t v = 0; v < nodes; ++v) g.offsets_[v + 1] += g.offsets_[v];
  g.targets_.resize(edges.size());
  g.edge_link_.resize(edges.size());
  std::vector<uint64_t> pos(g.offsets_.begin(), g.offsets_.end() - 1);
  for (uint32_t e = 0; e < edges.size(); ++e) {
    const uint64_t p = pos[edges[e].first]++;
    g.targets_[p] = edges[e].second;
    g.edge_link_[p] = e;  // the "link" of an edge-list graph is its position in the list
  }
  g.relabel_if_it_pays();
  return g;
}

size_t AccessGraph::index_reverse() const {
  if (relabelled_) return relabelled_->graph.index_reverse();
  const Reverse& r = reverse_index();
  return r.offsets.size() * sizeof(uint64_t) +
         (r.sources.size() + r.first_out.size() + r.first_in.size()) * sizeof(uint32_t);
}

// The reverse CSR by a counting sort over the forward rows (so each in-row is
// ascending), then the first-neighbour columns. offsets[v] doubles as v's fill
// position and ends one row ahead; the shift puts it back.
const AccessGraph::Reverse& AccessGraph::reverse_index() const {
  Reverse& r = *reverse_;
  std::call_once(r.built, [&] {
    const uint32_t n = node_count();
    r.offsets.assign(size_t{n} + 1, 0);
    for (uint32_t v : targets_) ++r.offsets[v + 1];
    for (uint32_t v = 0; v < n; ++v) r.offsets[v + 1] += r.offsets[v];
    r.sources.resize(targets_.size());
    for (uint32_t u = 0; u < n; ++u)
      for (uint64_t e = offsets_[u]; e < offsets_[u + 1]; ++e) r.sources[r.offsets[targets_[e]]++] = u;
    for (uint32_t v = n; v > 0; --v) r.offsets[v] = r.offsets[v - 1];
    r.offsets[0] = 0;
    r.first_out.resize(n);
    r.first_in.resize(n);
    for (uint32_t v = 0; v < n; ++v) {
      r.first_out[v] = offsets_[v] < offsets_[v + 1] ? targets_[offsets_[v]] : v;
      r.first_in[v] = r.offsets[v] < r.offsets[v + 1] ? r.sources[r.offsets[v]] : v;
    }
  });
  return r;
}

}  // namespace netvet
