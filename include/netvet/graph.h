// The access graph: links become directed access edges by interface semantics,
// stored as CSR arrays with 32-bit ids (no per-node allocation), and the
// queries the assessment and the planner ask of it.
//
// Semantics (also in README and `netvet graph --help`):
//   mgmt, remote-access   manager -> managed is an access edge (the manager
//                         controls what it manages); managed -> manager is a
//                         *reporting* edge that propagates only when
//                         GraphOptions::reporting_propagates is set.
//                         The manager end is the component whose function is
//                         in the management domain (or `a` if both/neither).
//   signalling (n1 n2 n4 sbi n32 s1-mme s5 s6a s11 x2 xn f1)   two-way.
//   user plane / transport (n3 n6 n9 s1-u fronthaul backhaul transport)
//                         two-way: equipment sees the traffic it carries.
//   protection            a link whose protection flags include every flag of
//                         GraphOptions::stop_protection stops propagation both
//                         ways (a protected boundary). 0 disables stopping.
//
// An AccessGraph is immutable after build(); queries are const and may run
// concurrently. Queries split work over threads where it pays.
//
// Ids are the caller's (component ids) everywhere in this interface. When
// the caller's ids are scattered (an import numbers rows as its source lists
// them), build() also keeps a renumbered copy in breadth-first order, on
// which exposure, attribution and shortest paths run, translating ids at the
// boundary: the same answers (paths as short), only cache-friendlier.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "netvet/model.h"
#include "netvet/profile.h"

namespace netvet {

class ComponentSet;
class AccessGraph;
namespace graph_internal {
struct Workspace;
struct SccPaths;
class ScratchLease;
struct Relabelled;
const Relabelled* relabelled_of(const AccessGraph& g);
uint32_t choose_pivot(const AccessGraph& g);
}  // namespace graph_internal

// Whether build() renumbers nodes for the queries (see AccessGraph).
enum class Relabel : uint8_t {
  kAuto,    // when the graph is large and its ids are scattered (few edges join nearby ids)
  kAlways,  // tests: the renumbered path on any graph
  kNever,
};

struct GraphOptions {
  uint8_t stop_protection = kEncrypted | kIntegrity;
  bool reporting_propagates = false;
  unsigned threads = 0;  // the query's thread budget; 0: hardware concurrency

  // Tuning, measured defaults (docs/graph.md); tests lower them so small graphs
  // take the code paths only 10^5-node graphs take by default. Below
  // giant_min_nodes the SCC search skips the giant-component sweeps; sweeps use
  // one more thread per sweep_min_groups_per_thread groups of 64 nodes.
  uint32_t giant_min_nodes = 1 << 14;
  size_t sweep_min_groups_per_thread = 1024;
  // When set, the SCC search counts which of its paths it took (tests check
  // that every path is reached). Owned by the caller.
  graph_internal::SccPaths* scc_paths = nullptr;
  // When set, build() and the queries report their wall time to it (phases
  // graph-build, exposure, attribution, paths). Owned by the caller.
  const PhaseSink* profile = nullptr;
  // Renumbering for the queries: kAuto renumbers graphs of relabel_min_nodes
  // and more whose edges mostly join distant ids (docs/graph.md, "Relabelling").
  Relabel relabel = Relabel::kAuto;
  uint32_t relabel_min_nodes = 1 << 14;
};

class AccessGraph {
 public:
  static AccessGraph build(const Network& net, const GraphOptions& options = {});

  uint32_t node_count() const { return static_cast<uint32_t>(offsets_.size() - 1); }
  uint64_t edge_count() const { return targets_.size(); }
  // Out-neighbours of `v` along propagating edges.
  std::span<const uint32_t> out(uint32_t v) const {
    return {targets_.data() + offsets_[v], targets_.data() + offsets_[v + 1]};
  }
  // Link index behind each propagating edge, parallel to out(v).
  std::span<const uint32_t> out_links(uint32_t v) const {
    return {edge_link_.data() + offsets_[v], edge_link_.data() + offsets_[v + 1]};
  }
  const GraphOptions& options() const { return options_; }
  // Whether build() kept a renumbered copy for the queries (benchmarks report it).
  bool relabelled() const { return relabelled_ != nullptr; }
  // Builds now the reverse index the queries read (that of the renumbered
  // copy, if any), which the first query needing it would otherwise build;
  // returns its bytes. For benchmarks that time construction apart.
  size_t index_reverse() const;
  // The CSR arrays themselves (out(v) is targets()[offsets()[v] .. offsets()[v+1]]),
  // for loops that stream the whole graph.
  std::span<const uint64_t> offsets() const { return offsets_; }
  std::span<const uint32_t> targets() const { return targets_; }

  // The reverse index (as igraph and graph-tool index both directions), built
  // on first use, once, thread-safely; copies share it. in(v): the
  // in-neighbours of v, ascending. first_out()/first_in(): one out-neighbour
  // and one in-neighbour of each node (the first entry of its row in out() and
  // in(); the node itself when that row is empty), as columns of 4 bytes per
  // node: a sweep that needs one neighbour of every node reads these instead of
  // the rows (see reach.cc). Construction does not build it: the assessment
  // asks only exposure of most graphs, which reads the CSR alone.
  std::span<const uint32_t> in(uint32_t v) const {
    const Reverse& r = reverse_index();
    return {r.sources.data() + r.offsets[v], r.sources.data() + r.offsets[v + 1]};
  }
  std::span<const uint32_t> first_out() const { return reverse_index().first_out; }
  std::span<const uint32_t> first_in() const { return reverse_index().first_in; }
  std::span<const uint64_t> in_offsets() const { return reverse_index().offsets; }
  std::span<const uint32_t> in_sources() const { return reverse_index().sources; }

  // Builds from a plain directed edge list (benchmarks and tests).
  static AccessGraph from_edges(uint32_t nodes, std::span<const std::pair<uint32_t, uint32_t>> edges,
                                const GraphOptions& options = {});

 private:
  std::vector<uint64_t> offsets_{0};
  std::vector<uint32_t> targets_;
  std::vector<uint32_t> edge_link_;
  GraphOptions options_;
  struct Reverse {
    std::once_flag built;
    std::vector<uint64_t> offsets;
    std::vector<uint32_t> sources, first_out, first_in;
  };
  std::shared_ptr<Reverse> reverse_ = std::make_shared<Reverse>();
  const Reverse& reverse_index() const;
  // Query scratch arrays, reused by the queries on this graph (an assessment
  // asks several in a row; reuse keeps their pages mapped). Each running query
  // holds its own; copies share the pool. No state outlives the graph.
  static std::shared_ptr<graph_internal::Workspace> new_workspace();
  std::shared_ptr<graph_internal::Workspace> workspace_ = new_workspace();
  friend class graph_internal::ScratchLease;
  // The renumbered copy the queries run on, or null (ids already local).
  std::shared_ptr<const graph_internal::Relabelled> relabelled_;
  // In a renumbered copy, the node its numbering grew from (0), which the SCC
  // search then takes as its pivot; kNone elsewhere.
  uint32_t pivot_ = ~uint32_t{0};
  void relabel_if_it_pays();
  friend const graph_internal::Relabelled* graph_internal::relabelled_of(const AccessGraph& g);
  friend uint32_t graph_internal::choose_pivot(const AccessGraph& g);
};

// Everything reachable from any source (sources included).
std::vector<uint8_t> exposure(const AccessGraph& g, std::span<const ComponentIdx> sources);

// For each target, how many sources reach it and (up to max_listed) which.
// Bit-parallel multi-source BFS: 64 sources per pass, one word per node.
struct Attribution {
  std::vector<uint32_t> count;                     // parallel to targets
  std::vector<std::vector<ComponentIdx>> sources;  // parallel to targets, ascending, at most max_listed
};
Attribution attribute(const AccessGraph& g, std::span<const ComponentIdx> sources,
                      std::span<const ComponentIdx> targets, size_t max_listed = 16);

// One shortest path (fewest hops) from any source to each target; empty when
// unreachable. Paths start at a source and end at the target.
std::vector<std::vector<ComponentIdx>> shortest_paths(const AccessGraph& g, std::span<const ComponentIdx> sources,
                                                      std::span<const ComponentIdx> targets);

// The way in to each target: a shortest path from the nearest source that is
// not the target itself, with the link behind every hop (its interface and
// protection say how the hop is made). A target that is itself a source gets
// the path from the nearest *other* source; empty when no other source
// reaches it. For a target that is not a source the path is as short as
// shortest_paths gives.
struct AccessPath {
  std::vector<ComponentIdx> nodes;  // source first, target last
  std::vector<LinkIdx> links;       // links[i] joins nodes[i] and nodes[i + 1]
};
std::vector<AccessPath> access_paths(const AccessGraph& g, std::span<const ComponentIdx> sources,
                                     std::span<const ComponentIdx> targets);

// Subscribers and cells served through each component: the sums of
// serves.subscribers / serves.cells over RAN components (including itself)
// that reach it... see README for the exact definition.
struct BlastRadius {
  std::vector<uint64_t> subscribers;  // parallel to `of`
  std::vector<uint64_t> cells;
};
BlastRadius blast_radius(const Network& net, const AccessGraph& g, std::span<const ComponentIdx> of);

// Minimum cut separating sources from targets. Edge cut: the fewest links to
// protect; vertex cut: the fewest non-source, non-target components to remove
// (infinite when a source links a target directly; then `possible` is false).
struct Cut {
  bool possible = true;
  std::vector<LinkIdx> links;
  std::vector<ComponentIdx> components;
};
Cut min_edge_cut(const AccessGraph& g, std::span<const ComponentIdx> sources, std::span<const ComponentIdx> targets);
Cut min_vertex_cut(const AccessGraph& g, std::span<const ComponentIdx> sources, std::span<const ComponentIdx> targets);

}  // namespace netvet
