// Access graph tests: interface semantics on hand-built networks, and every
// query against a brute-force reference on small random graphs (fixed seeds).
#include "netvet/graph.h"

#include <atomic>
#include <thread>
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <optional>
#include <set>
#include <string>

#include "internal.h"
#include "netvet/generate.h"

namespace netvet {
namespace {

// splitmix64: a fixed generator so the property tests see the same graphs everywhere.
struct Rng {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint32_t below(uint32_t n) { return static_cast<uint32_t>(next() % n); }
};

bool has_edge(const AccessGraph& g, uint32_t u, uint32_t v) {
  auto o = g.out(u);
  return std::find(o.begin(), o.end(), v) != o.end();
}

// ---- interface semantics ----

TEST(AccessGraphSemantics, MgmtGivesManagerControlAndNoReportingByDefault) {
  Network net;
  auto ems = net.add_component("ems", Function::kEms);
  auto gnb = net.add_component("gnb", Function::kGnb);
  // The managed element written first: the manager end is still the EMS.
  net.add_link(gnb, ems, Interface::kMgmt);
  auto g = AccessGraph::build(net);
  EXPECT_TRUE(has_edge(g, ems, gnb));
  EXPECT_FALSE(has_edge(g, gnb, ems));
  GraphOptions o;
  o.reporting_propagates = true;
  auto g2 = AccessGraph::build(net, o);
  EXPECT_TRUE(has_edge(g2, ems, gnb));
  EXPECT_TRUE(has_edge(g2, gnb, ems));
}

TEST(AccessGraphSemantics, MgmtBetweenTwoManagersOrNoneUsesA) {
  Network net;
  auto nms = net.add_component("nms", Function::kNms);
  auto ems = net.add_component("ems", Function::kEms);
  auto r1 = net.add_component("r1", Function::kRouter);
  auto r2 = net.add_component("r2", Function::kRouter);
  net.add_link(nms, ems, Interface::kMgmt);
  net.add_link(r2, r1, Interface::kRemoteAccess);
  auto g = AccessGraph::build(net);
  EXPECT_TRUE(has_edge(g, nms, ems));
  EXPECT_FALSE(has_edge(g, ems, nms));
  EXPECT_TRUE(has_edge(g, r2, r1));
  EXPECT_FALSE(has_edge(g, r1, r2));
}

TEST(AccessGraphSemantics, SignallingAndUserPlaneAreTwoWay) {
  Network net;
  auto gnb = net.add_component("gnb", Function::kGnb);
  auto amf = net.add_component("amf", Function::kAmf);
  auto upf = net.add_component("upf", Function::kUpf);
  net.add_link(gnb, amf, Interface::kN2);
  net.add_link(gnb, upf, Interface::kN3);
  auto g = AccessGraph::build(net);
  EXPECT_TRUE(has_edge(g, gnb, amf));
  EXPECT_TRUE(has_edge(g, amf, gnb));
  EXPECT_TRUE(has_edge(g, gnb, upf));
  EXPECT_TRUE(has_edge(g, upf, gnb));
  EXPECT_EQ(g.edge_count(), 4u);
  // out_links names the link behind each edge.
  EXPECT_EQ(g.out_links(amf)[0], 0u);
  EXPECT_EQ(g.out_links(upf)[0], 1u);
}

TEST(AccessGraphSemantics, ProtectionStopsOnlyWithEveryRequiredFlag) {
  Network net;
  auto enb = net.add_component("enb", Function::kEnb);
  auto sec = net.add_component("secgw", Function::kSecGw);
  auto r = net.add_component("r", Function::kRouter);
  net.add_link(enb, sec, Interface::kBackhaul, kEncrypted | kIntegrity);
  net.add_link(enb, r, Interface::kBackhaul, kEncrypted);  // encrypted only: still propagates
  auto g = AccessGraph::build(net);
  EXPECT_FALSE(has_edge(g, enb, sec));
  EXPECT_FALSE(has_edge(g, sec, enb));
  EXPECT_TRUE(has_edge(g, enb, r));
  GraphOptions o;
  o.stop_protection = 0;  // stopping disabled
  auto g2 = AccessGraph::build(net, o);
  EXPECT_TRUE(has_edge(g2, enb, sec));
  // Exposure stops at the protected boundary.
  std::vector<ComponentIdx> src{enb};
  auto ex = exposure(g, src);
  EXPECT_EQ(ex[sec], 0);
  EXPECT_EQ(ex[r], 1);
}

TEST(AccessGraphSemantics, UntrustedManagedElementDoesNotReachThroughSharedEms) {
  // Why reporting edges do not propagate: one untrusted gNB under a shared EMS
  // would otherwise reach every other element that EMS manages.
  Network net;
  auto ems = net.add_component("ems", Function::kEms);
  auto bad = net.add_component("bad-gnb", Function::kGnb);
  auto good = net.add_component("good-gnb", Function::kGnb);
  net.add_link(ems, bad, Interface::kMgmt);
  net.add_link(ems, good, Interface::kMgmt);
  auto g = AccessGraph::build(net);
  std::vector<ComponentIdx> src{bad};
  auto ex = exposure(g, src);
  EXPECT_EQ(ex[ems], 0);
  EXPECT_EQ(ex[good], 0);
  std::vector<ComponentIdx> src2{ems};
  auto ex2 = exposure(g, src2);
  EXPECT_EQ(ex2[bad], 1);
  EXPECT_EQ(ex2[good], 1);
}

// ---- brute-force references ----

struct Edges {
  uint32_t n;
  std::vector<std::pair<uint32_t, uint32_t>> e;
};

Edges random_graph(Rng& rng, uint32_t n, uint32_t m) {
  Edges g{n, {}};
  for (uint32_t i = 0; i < m; ++i) g.e.push_back({rng.below(n), rng.below(n)});
  return g;
}

std::vector<uint8_t> reach_from(const Edges& g, std::vector<uint32_t> from, const std::vector<uint8_t>& removed = {}) {
  std::vector<uint8_t> seen(g.n, 0);
  for (uint32_t s : from)
    if (removed.empty() || !removed[s]) seen[s] = 1;
  bool changed = true;
  while (changed) {  // Bellman-Ford-style fixpoint: obviously correct, deliberately slow
    changed = false;
    for (auto [u, v] : g.e) {
      if (!removed.empty() && (removed[u] || removed[v])) continue;
      if (seen[u] && !seen[v]) seen[v] = changed = 1;
    }
  }
  return seen;
}

// Per target, every distinct source that reaches it (ascending): one BFS per source.
std::vector<std::vector<uint32_t>> reaching_sources(const Edges& eg, const std::vector<uint32_t>& src,
                                                    const std::vector<uint32_t>& tgt) {
  std::vector<std::vector<uint32_t>> want(tgt.size());
  for (uint32_t s : std::set<uint32_t>(src.begin(), src.end())) {
    const auto reach = reach_from(eg, {s});
    for (size_t i = 0; i < tgt.size(); ++i)
      if (reach[tgt[i]]) want[i].push_back(s);
  }
  return want;
}

// attribute() against reaching_sources(): every count, and the first max_listed sources.
void expect_attribution(const AccessGraph& g, const std::vector<uint32_t>& src, const std::vector<uint32_t>& tgt,
                        size_t max_listed, const std::vector<std::vector<uint32_t>>& want, const std::string& where) {
  const auto a = attribute(g, src, tgt, max_listed);
  for (size_t i = 0; i < tgt.size(); ++i) {
    ASSERT_EQ(a.count[i], want[i].size()) << where << " target " << tgt[i];
    const std::vector<uint32_t> listed(want[i].begin(), want[i].begin() + std::min(max_listed, want[i].size()));
    ASSERT_EQ(a.sources[i], listed) << where;
  }
}

std::vector<uint32_t> bf_dist(const Edges& g, const std::vector<uint32_t>& from) {
  std::vector<uint32_t> d(g.n, kNone);
  for (uint32_t s : from) d[s] = 0;
  for (uint32_t it = 0; it < g.n; ++it)
    for (auto [u, v] : g.e)
      if (d[u] != kNone && d[u] + 1 < d[v]) d[v] = d[u] + 1;
  return d;
}

std::vector<uint32_t> pick(Rng& rng, uint32_t n, uint32_t k) {
  std::vector<uint32_t> v;
  for (uint32_t i = 0; i < k; ++i) v.push_back(rng.below(n));
  return v;
}

class GraphProperty : public ::testing::TestWithParam<uint64_t> {};

TEST_P(GraphProperty, ExposureMatchesFixpoint) {
  Rng rng{GetParam()};
  for (int round = 0; round < 20; ++round) {
    const uint32_t n = 1 + rng.below(60);
    auto eg = random_graph(rng, n, rng.below(3 * n + 1));
    auto g = AccessGraph::from_edges(n, eg.e);
    auto src = pick(rng, n, rng.below(5));
    EXPECT_EQ(exposure(g, src), reach_from(eg, src));
  }
}

TEST_P(GraphProperty, AttributionMatchesPerSourceReachability) {
  Rng rng{GetParam() * 7 + 1};
  for (int round = 0; round < 20; ++round) {
    // Up to 700 sources so several 256-source passes and both threads are exercised.
    const uint32_t n = 1 + rng.below(round < 10 ? 60 : 1500);
    auto eg = random_graph(rng, n, rng.below(2 * n + 1));
    GraphOptions opt;
    opt.threads = 1 + (round % 3);
    auto g = AccessGraph::from_edges(n, eg.e, opt);
    auto src = pick(rng, n, rng.below(std::min<uint32_t>(n, 700) + 1));
    auto tgt = pick(rng, n, 1 + rng.below(10));
    const size_t max_listed = rng.below(6);
    expect_attribution(g, src, tgt, max_listed, reaching_sources(eg, src, tgt), "n=" + std::to_string(n));
  }
}

TEST_P(GraphProperty, ShortestPathsAreValidAndShortest) {
  Rng rng{GetParam() * 13 + 5};
  for (int round = 0; round < 20; ++round) {
    const uint32_t n = 1 + rng.below(80);
    auto eg = random_graph(rng, n, rng.below(3 * n + 1));
    auto g = AccessGraph::from_edges(n, eg.e);
    auto src = pick(rng, n, rng.below(4));
    auto tgt = pick(rng, n, 1 + rng.below(8));
    auto d = bf_dist(eg, src);
    auto paths = shortest_paths(g, src, tgt);
    std::set<std::pair<uint32_t, uint32_t>> es(eg.e.begin(), eg.e.end());
    for (size_t i = 0; i < tgt.size(); ++i) {
      if (d[tgt[i]] == kNone) {
        EXPECT_TRUE(paths[i].empty());
        continue;
      }
      ASSERT_EQ(paths[i].size(), d[tgt[i]] + 1);
      EXPECT_NE(std::find(src.begin(), src.end(), paths[i].front()), src.end());
      EXPECT_EQ(paths[i].back(), tgt[i]);
      for (size_t k = 1; k < paths[i].size(); ++k) EXPECT_TRUE(es.count({paths[i][k - 1], paths[i][k]}));
    }
  }
}

TEST_P(GraphProperty, AccessPathsComeFromAnotherSourceWithTheirLinks) {
  Rng rng{GetParam() * 17 + 3};
  for (int round = 0; round < 30; ++round) {
    const uint32_t n = 1 + rng.below(80);
    auto eg = random_graph(rng, n, rng.below(3 * n + 1));
    auto g = AccessGraph::from_edges(n, eg.e);
    auto src = pick(rng, n, rng.below(6));
    auto tgt = pick(rng, n, 1 + rng.below(8));
    // Targets that are sources too, so the "other source" case is common.
    for (size_t i = 0; i < src.size() && i < 3; ++i) tgt.push_back(src[i]);
    auto paths = access_paths(g, src, tgt);
    ASSERT_EQ(paths.size(), tgt.size());
    for (size_t i = 0; i < tgt.size(); ++i) {
      const uint32_t t = tgt[i];
      std::vector<uint32_t> others;  // every source but the target itself
      for (uint32_t s : src)
        if (s != t) others.push_back(s);
      const uint32_t want = others.empty() ? kNone : bf_dist(eg, others)[t];
      const auto& p = paths[i];
      if (want == kNone) {
        EXPECT_TRUE(p.nodes.empty()) << "round " << round << " target " << t;
        continue;
      }
      ASSERT_EQ(p.nodes.size(), want + 1) << "round " << round << " target " << t;
      ASSERT_EQ(p.links.size(), want);
      EXPECT_NE(p.nodes.front(), t);
      EXPECT_NE(std::find(others.begin(), others.end(), p.nodes.front()), others.end());
      EXPECT_EQ(p.nodes.back(), t);
      for (size_t k = 0; k < p.links.size(); ++k) {  // the link of an edge-list graph is its index
        ASSERT_LT(p.links[k], eg.e.size());
        EXPECT_EQ(eg.e[p.links[k]], std::make_pair(p.nodes[k], p.nodes[k + 1]));
      }
    }
  }
}

// Brute-force blast radius: r counts for c when r == c, or r reaches the core
// and stops reaching it once c is removed.
TEST_P(GraphProperty, BlastRadiusMatchesRemovalReference) {
  Rng rng{GetParam() * 31 + 3};
  const Function fs[] = {Function::kGnb, Function::kRouter, Function::kAmf,
                         Function::kUpf, Function::kMme,    Function::kEms};
  for (int round = 0; round < 15; ++round) {
    const uint32_t n = 1 + rng.below(40);
    Network net;
    for (uint32_t i = 0; i < n; ++i) {
      auto c = net.add_component("c" + std::to_string(i), fs[rng.below(6)]);
      if (net.components.function[c] == Function::kGnb || rng.below(4) == 0) {
        net.components.subscribers[c] = 1 + rng.below(1000);
        net.components.cells[c] = 1 + rng.below(6);
      }
    }
    const uint32_t m = rng.below(2 * n + 1);
    for (uint32_t i = 0; i < m; ++i) {
      const Interface ifs[] = {Interface::kN2, Interface::kMgmt, Interface::kBackhaul};
      net.add_link(rng.below(n), rng.below(n), ifs[rng.below(3)], rng.below(4) == 0 ? kEncrypted | kIntegrity : 0);
    }
    auto g = AccessGraph::build(net);
    Edges eg{n, {}};
    for (uint32_t u = 0; u < n; ++u)
      for (uint32_t v : g.out(u)) eg.e.push_back({u, v});
    std::vector<uint32_t> all(n);
    std::iota(all.begin(), all.end(), 0);
    auto br = blast_radius(net, g, all);
    auto reaches_core = [&](uint32_t r, const std::vector<uint8_t>& removed) {
      auto seen = reach_from(eg, {r}, removed);
      for (uint32_t v = 0; v < n; ++v) {
        const Domain d = function_domain(net.components.function[v]);
        if (seen[v] && (d == Domain::kCore5g || d == Domain::kCore4g)) return true;
      }
      return false;
    };
    for (uint32_t c = 0; c < n; ++c) {
      std::vector<uint8_t> removed(n, 0);
      removed[c] = 1;
      uint64_t subs = 0, cells = 0;
      for (uint32_t r = 0; r < n; ++r) {
        if (r == c || (reaches_core(r, {}) && !reaches_core(r, removed))) {
          subs += net.components.subscribers[r];
          cells += net.components.cells[r];
        }
      }
      EXPECT_EQ(br.subscribers[c], subs) << "component " << c << " n=" << n;
      EXPECT_EQ(br.cells[c], cells);
    }
  }
}

bool separated(const Edges& eg, const std::vector<uint32_t>& src, const std::vector<uint32_t>& tgt,
               const std::vector<uint8_t>& removed_nodes, const std::vector<uint8_t>& removed_edges) {
  Edges h{eg.n, {}};
  for (size_t i = 0; i < eg.e.size(); ++i)
    if (!removed_edges[i] && !removed_nodes[eg.e[i].first] && !removed_nodes[eg.e[i].second]) h.e.push_back(eg.e[i]);
  auto seen = reach_from(h, src);
  for (uint32_t t : tgt)
    if (seen[t]) return false;
  return true;
}

TEST_P(GraphProperty, EdgeCutIsMinimumAndSeparates) {
  Rng rng{GetParam() * 17 + 11};
  for (int round = 0; round < 25; ++round) {
    const uint32_t n = 2 + rng.below(9);
    auto eg = random_graph(rng, n, rng.below(13));
    auto g = AccessGraph::from_edges(n, eg.e);
    auto src = pick(rng, n, 1 + rng.below(2));
    auto tgt = pick(rng, n, 1 + rng.below(2));
    auto cut = min_edge_cut(g, src, tgt);
    bool overlap = false;
    for (uint32_t s : src) overlap |= std::find(tgt.begin(), tgt.end(), s) != tgt.end();
    EXPECT_EQ(cut.possible, !overlap);
    if (overlap) continue;
    const std::vector<uint8_t> none(n, 0);
    std::vector<uint8_t> rem(eg.e.size(), 0);
    for (uint32_t l : cut.links) rem[l] = 1;
    EXPECT_TRUE(separated(eg, src, tgt, none, rem));
    size_t best = eg.e.size() + 1;
    for (uint32_t mask = 0; mask < (1u << eg.e.size()); ++mask) {
      if (static_cast<size_t>(std::popcount(mask)) >= best) continue;
      std::vector<uint8_t> r(eg.e.size());
      for (size_t i = 0; i < eg.e.size(); ++i) r[i] = (mask >> i) & 1;
      if (separated(eg, src, tgt, none, r)) best = std::popcount(mask);
    }
    EXPECT_EQ(cut.links.size(), best);
  }
}

TEST_P(GraphProperty, VertexCutIsMinimumAndSeparates) {
  Rng rng{GetParam() * 19 + 7};
  for (int round = 0; round < 25; ++round) {
    const uint32_t n = 2 + rng.below(10);
    auto eg = random_graph(rng, n, rng.below(3 * n));
    auto g = AccessGraph::from_edges(n, eg.e);
    auto src = pick(rng, n, 1 + rng.below(2));
    auto tgt = pick(rng, n, 1 + rng.below(2));
    std::vector<uint8_t> fixed(n, 0);
    for (uint32_t v : src) fixed[v] = 1;
    for (uint32_t v : tgt) fixed[v] = 1;
    const std::vector<uint8_t> no_edges(eg.e.size(), 0);
    size_t best = n + 1;
    for (uint32_t mask = 0; mask < (1u << n); ++mask) {
      if (static_cast<size_t>(std::popcount(mask)) >= best) continue;
      std::vector<uint8_t> r(n);
      bool ok = true;
      for (uint32_t v = 0; v < n; ++v) {
        r[v] = (mask >> v) & 1;
        if (r[v] && fixed[v]) ok = false;
      }
      if (ok && separated(eg, src, tgt, r, no_edges)) best = std::popcount(mask);
    }
    auto cut = min_vertex_cut(g, src, tgt);
    EXPECT_EQ(cut.possible, best <= n) << "n=" << n;
    if (!cut.possible) continue;
    std::vector<uint8_t> rem(n, 0);
    for (uint32_t v : cut.components) {
      EXPECT_FALSE(fixed[v]);
      rem[v] = 1;
    }
    EXPECT_TRUE(separated(eg, src, tgt, rem, no_edges));
    EXPECT_EQ(cut.components.size(), best);
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, GraphProperty, ::testing::Values(1, 2, 3, 42, 2026));

TEST(GraphScale, LongChainDoesNotOverflowTheStack) {
  // 10^6-long one-way chain: recursion in SCC, DFS or path compression would crash.
  const uint32_t n = 1'000'000;
  std::vector<std::pair<uint32_t, uint32_t>> e;
  for (uint32_t i = 0; i + 1 < n; ++i) e.push_back({i, i + 1});
  auto g = AccessGraph::from_edges(n, e);
  std::vector<uint32_t> src{0}, tgt{n - 1};
  auto a = attribute(g, src, tgt);
  EXPECT_EQ(a.count[0], 1u);
  auto p = shortest_paths(g, src, tgt);
  EXPECT_EQ(p[0].size(), n);
  Network net;
  for (uint32_t i = 0; i < 1000; ++i) net.add_component("c" + std::to_string(i), Function::kRouter);
  net.components.function[999] = Function::kAmf;
  net.components.subscribers[0] = 5;
  for (uint32_t i = 0; i + 1 < 1000; ++i) net.add_link(i, i + 1, Interface::kBackhaul);
  auto g2 = AccessGraph::build(net);
  std::vector<uint32_t> of{500};
  EXPECT_EQ(blast_radius(net, g2, of).subscribers[0], 5u);
}

}  // namespace
}  // namespace netvet

namespace netvet {
namespace {

// Graphs above the giant-component threshold take the pivot path of the SCC;
// check it against Kosaraju and per-source reachability.
std::vector<uint32_t> kosaraju(const Edges& eg) {
  std::vector<std::vector<uint32_t>> out(eg.n), in(eg.n);
  for (auto [u, v] : eg.e) {
    out[u].push_back(v);
    in[v].push_back(u);
  }
  std::vector<uint32_t> order;
  std::vector<uint8_t> seen(eg.n, 0);
  for (uint32_t s = 0; s < eg.n; ++s) {
    if (seen[s]) continue;
    std::vector<std::pair<uint32_t, size_t>> st{{s, 0}};
    seen[s] = 1;
    while (!st.empty()) {
      auto& [v, i] = st.back();
      if (i < out[v].size()) {
        uint32_t w = out[v][i++];
        if (!seen[w]) {
          seen[w] = 1;
          st.push_back({w, 0});
        }
      } else {
        order.push_back(v);
        st.pop_back();
      }
    }
  }
  std::vector<uint32_t> comp(eg.n, kNone);
  uint32_t c = 0;
  for (size_t k = order.size(); k-- > 0;) {
    if (comp[order[k]] != kNone) continue;
    std::vector<uint32_t> st{order[k]};
    comp[order[k]] = c;
    while (!st.empty()) {
      uint32_t v = st.back();
      st.pop_back();
      for (uint32_t w : in[v])
        if (comp[w] == kNone) {
          comp[w] = c;
          st.push_back(w);
        }
    }
    ++c;
  }
  return comp;
}

TEST(GraphScale, GiantComponentPathMatchesKosarajuAndBruteForce) {
  for (uint64_t seed : {5u, 6u, 7u}) {
    Rng rng{seed};
    const uint32_t n = 20000 + rng.below(3000);
    Edges eg{n, {}};
    // A two-way backbone over most nodes (the giant), one-way managers, chains
    // and stray edges around it, so some components lead into the giant and
    // some out of it.
    for (uint32_t i = 1; i < n * 7 / 10; ++i) {
      uint32_t j = rng.below(i);
      eg.e.push_back({i, j});
      eg.e.push_back({j, i});
    }
    for (uint32_t k = 0; k < n / 3; ++k) eg.e.push_back({rng.below(n), rng.below(n)});
    for (uint32_t k = 0; k < 20; ++k)  // managers: one-way into many nodes
      for (uint32_t m = 0; m < 200; ++m) eg.e.push_back({n - 1 - k, rng.below(n)});
    auto g = AccessGraph::from_edges(n, eg.e);
    graph_internal::ScratchLease scr(g);
    auto scc = graph_internal::strongly_connected(g, *scr);
    std::vector<uint32_t> comp(n);
    for (uint32_t v = 0; v < n; ++v) comp[v] = scc.of(v);
    auto ref = kosaraju(eg);
    // Same partition: map each reference component to exactly one of ours.
    std::vector<uint32_t> map(n, kNone);
    for (uint32_t v = 0; v < n; ++v) {
      if (map[ref[v]] == kNone) map[ref[v]] = comp[v];
      ASSERT_EQ(map[ref[v]], comp[v]) << "node " << v;
    }
    std::set<uint32_t> distinct(comp.begin(), comp.end());
    EXPECT_EQ(distinct.size(), scc.count);
    for (auto [u, v] : eg.e) ASSERT_LE(comp[u], comp[v]) << "topological order broken on " << u << "->" << v;
    // Attribution against per-source BFS, with sources inside and outside the giant.
    std::vector<uint32_t> src = pick(rng, n, 40), tgt = pick(rng, n, 12);
    src.push_back(n - 1);
    GraphOptions opt;
    opt.threads = 2;
    auto g2 = AccessGraph::from_edges(n, eg.e, opt);
    auto a = attribute(g2, src, tgt, 4);
    std::set<uint32_t> uniq(src.begin(), src.end());
    std::vector<std::vector<uint8_t>> reach;
    for (uint32_t s : uniq) reach.push_back(exposure(g2, std::vector<uint32_t>{s}));
    for (size_t i = 0; i < tgt.size(); ++i) {
      std::vector<uint32_t> want;
      size_t k = 0;
      for (uint32_t s : uniq)
        if (reach[k++][tgt[i]]) want.push_back(s);
      EXPECT_EQ(a.count[i], want.size());
      if (want.size() > 4) want.resize(4);
      EXPECT_EQ(a.sources[i], want);
    }
  }
}

}  // namespace
}  // namespace netvet

namespace netvet {
namespace {

// Options whose sweep knobs make small graphs take the giant-component sweeps
// and the multi-thread split that only graphs of 10^5 nodes take by default.
GraphOptions forced_sweeps(unsigned threads = 0, graph_internal::SccPaths* paths = nullptr) {
  GraphOptions o;
  o.threads = threads;
  o.giant_min_nodes = 2;
  o.sweep_min_groups_per_thread = 1;
  o.scc_paths = paths;
  return o;
}

// Mostly two-way edges (a giant component forms) plus one-way strays, over
// sizes that straddle the 64-node groups the sweeps work in.
Edges access_like_graph(Rng& rng, uint32_t n) {
  Edges eg{n, {}};
  for (uint32_t i = 1; i < n; ++i) {
    if (rng.below(8) == 0) continue;  // some nodes stay outside
    const uint32_t j = rng.below(i);
    eg.e.push_back({i, j});
    if (rng.below(6) != 0) eg.e.push_back({j, i});
  }
  for (uint32_t k = 0; k < n / 4; ++k) eg.e.push_back({rng.below(n), rng.below(n)});
  return eg;
}

TEST(GraphSweeps, ExposureAndAttributionAgreeWithBruteForceAcrossThreads) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    Rng rng{seed * 101};
    const uint32_t n = 1 + rng.below(seed < 20 ? 200 : 3000);
    const Edges eg = access_like_graph(rng, n);
    const auto src = pick(rng, n, 1 + rng.below(std::min<uint32_t>(n, 300)));
    const auto tgt = pick(rng, n, 1 + rng.below(8));
    const auto want = reaching_sources(eg, src, tgt);
    const auto want_exposure = reach_from(eg, src);
    for (unsigned threads : {1u, 2u, 3u}) {
      const auto g = AccessGraph::from_edges(n, eg.e, forced_sweeps(threads));
      ASSERT_EQ(exposure(g, src), want_exposure) << "seed " << seed << " threads " << threads;
      ASSERT_NO_FATAL_FAILURE(expect_attribution(
          g, src, tgt, 3, want, "seed " + std::to_string(seed) + " threads " + std::to_string(threads)));
      // The SCC partition and its topological order, against Kosaraju.
      graph_internal::ScratchLease scr(g);
      const auto scc = graph_internal::strongly_connected(g, *scr);
      const auto ref = kosaraju(eg);
      std::vector<uint32_t> map(n, kNone);
      std::set<uint32_t> distinct;
      for (uint32_t v = 0; v < n; ++v) {
        const uint32_t c = scc.of(v);
        distinct.insert(c);
        if (map[ref[v]] == kNone) map[ref[v]] = c;
        ASSERT_EQ(map[ref[v]], c) << "seed " << seed << " node " << v;
      }
      EXPECT_EQ(distinct.size(), scc.count);
      for (auto [u, v] : eg.e) ASSERT_LE(scc.of(u), scc.of(v)) << "seed " << seed;
    }
  }
}

TEST(GraphSweeps, IdsAgainstTheEdgesFallBackAndStayExact) {
  // A two-way path whose ids zigzag (0, n-1, 1, n-2, ...): a sweep in either
  // direction advances only a step or two along it, so exposure switches to its
  // queue and the pivot sweeps give up (kMaxSweeps) for plain Pearce.
  const uint32_t n = 5000;
  std::vector<uint32_t> order;
  for (uint32_t i = 0; i < n / 2; ++i) {
    order.push_back(i);
    order.push_back(n - 1 - i);
  }
  Edges eg{n, {}};
  for (uint32_t i = 0; i + 1 < n; ++i) {
    eg.e.push_back({order[i], order[i + 1]});
    eg.e.push_back({order[i + 1], order[i]});
  }
  // eg2 drops the tail's edge back, so the tail lies outside the giant.
  const uint32_t tail = order[n - 1];
  Edges eg2 = eg;
  eg2.e.erase(std::remove(eg2.e.begin(), eg2.e.end(), std::pair<uint32_t, uint32_t>{tail, order[n - 2]}), eg2.e.end());
  for (const Edges* e : {&eg, &eg2}) {
    const auto g = AccessGraph::from_edges(n, e->e, forced_sweeps());
    const std::vector<uint32_t> src{order[0]}, tgt{tail, order[n / 2]};
    EXPECT_EQ(exposure(g, src), reach_from(*e, src));
    const auto a = attribute(g, std::vector<uint32_t>{order[0], tail}, tgt, 4);
    EXPECT_EQ(a.count[0], 2u);
    EXPECT_EQ(a.count[1], e == &eg ? 2u : 1u);
    graph_internal::ScratchLease scr(g);
    const auto scc = graph_internal::strongly_connected(g, *scr);
    EXPECT_EQ(scc.count, e == &eg ? 1u : 2u);
  }
}

// The witness sweeps take the first entry of each row as a node's candidate
// witness, so their path through the code depends on the id order: graphs in
// build order with a fraction of ids shuffled (none, a few, all), with a giant,
// without one, and with one-way managers outside it, on one and two threads.
// The SCC partition and order must match Kosaraju and attribution brute force;
// every path the sweeps can take must be taken at least once.
TEST(GraphSweeps, WitnessSweepsMatchKosarajuForAnyIdOrder) {
  graph_internal::SccPaths paths;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    Rng rng{seed * 7919};
    const uint32_t n = 2 + rng.below(seed % 3 == 0 ? 4000 : 600);
    Edges eg = seed % 5 == 4 ? random_graph(rng, n, n + rng.below(2 * n)) : access_like_graph(rng, n);
    if (seed % 4 == 1)  // managers: one-way rows into many nodes, nothing back
      for (uint32_t k = 0; k < 3 && k < n; ++k)
        for (uint32_t m = 0; m < n / 3; ++m) eg.e.push_back({n - 1 - k, rng.below(n)});
    // Shuffle a share of the ids: none, about 1%, 10% or all.
    std::vector<uint32_t> id(n);
    std::iota(id.begin(), id.end(), 0u);
    const uint32_t share[] = {0, 1, 10, 100};
    const uint32_t swaps = n * share[seed % 4] / 100;
    for (uint32_t k = 0; k < swaps; ++k) std::swap(id[rng.below(n)], id[rng.below(n)]);
    for (auto& [u, v] : eg.e) {
      u = id[u];
      v = id[v];
    }
    const auto ref = kosaraju(eg);
    const auto src = pick(rng, n, 1 + rng.below(std::min<uint32_t>(n, 200)));
    const auto tgt = pick(rng, n, 1 + rng.below(6));
    const auto want = reaching_sources(eg, src, tgt);
    for (unsigned threads : {1u, 2u}) {
      const auto g = AccessGraph::from_edges(n, eg.e, forced_sweeps(threads, &paths));
      graph_internal::ScratchLease scr(g);
      const auto scc = graph_internal::strongly_connected(g, *scr);
      std::vector<uint32_t> map(n, kNone);
      std::set<uint32_t> distinct;
      for (uint32_t v = 0; v < n; ++v) {
        const uint32_t c = scc.of(v);
        distinct.insert(c);
        if (map[ref[v]] == kNone) map[ref[v]] = c;
        ASSERT_EQ(map[ref[v]], c) << "seed " << seed << " threads " << threads << " node " << v;
      }
      ASSERT_EQ(distinct.size(), scc.count) << "seed " << seed;
      for (auto [u, v] : eg.e) ASSERT_LE(scc.of(u), scc.of(v)) << "seed " << seed << " threads " << threads;
      ASSERT_NO_FATAL_FAILURE(expect_attribution(
          g, src, tgt, 3, want, "seed " + std::to_string(seed) + " threads " + std::to_string(threads)));
    }
  }
  EXPECT_GT(paths.witness_settled, 0u);
  EXPECT_GT(paths.witness_later, 0u);
  EXPECT_GT(paths.witness_gave_up, 0u);
  EXPECT_GT(paths.outside_by_in, 0u);
  EXPECT_GT(paths.outside_by_out, 0u);
  EXPECT_GT(paths.trimmed, 0u);
}

// A two-way core with what trimming and lumping take out of the search
// around it: in-trees and DAGs with diamonds into the core, one-way chains
// out of it, cycles upstream (fed by a chain, feeding the core: not
// trimmable, and trimmed nodes lead into them) and downstream (reached from
// the core, with a tail). A trim that peels a node of a cycle, or orders a
// peeled node wrongly, breaks the Kosaraju partition or the order.
Edges trimmed_heavy_graph(Rng& rng, uint32_t core, uint32_t extra) {
  Edges eg{core, {}};
  auto node = [&] { return eg.n++; };
  auto edge = [&](uint32_t a, uint32_t b) { eg.e.push_back({a, b}); };
  auto any_core = [&] { return rng.below(core); };
  for (uint32_t i = 1; i < core; ++i) {
    const uint32_t j = rng.below(i);
    edge(i, j);
    edge(j, i);
  }
  auto cycle = [&](uint32_t len) {
    const uint32_t first = eg.n;
    for (uint32_t k = 0; k < len; ++k) node();
    for (uint32_t k = 0; k < len; ++k) edge(first + k, first + (k + 1) % len);
    return first;
  };
  while (eg.n < core + extra) {
    switch (rng.below(5)) {
      case 0: {  // an in-tree into the core
        std::vector<uint32_t> level{node()};
        edge(level[0], any_core());
        for (uint32_t d = 0, depth = 1 + rng.below(4); d < depth; ++d) {
          std::vector<uint32_t> next;
          for (uint32_t p : level)
            for (uint32_t k = 0, kids = rng.below(3); k < kids; ++k) {
              next.push_back(node());
              edge(next.back(), p);
            }
          level = next;
        }
        break;
      }
      case 1: {  // a diamond: x -> a, x -> b, a -> c, b -> c, c -> core
        const uint32_t c = node(), a = node(), b = node(), x = node();
        edge(c, any_core());
        edge(a, c);
        edge(b, c);
        edge(x, a);
        edge(x, b);
        break;
      }
      case 2: {  // a one-way chain out of the core
        uint32_t p = any_core();
        for (uint32_t k = 0, len = 1 + rng.below(6); k < len; ++k) {
          const uint32_t x = node();
          edge(p, x);
          p = x;
        }
        break;
      }
      case 3: {  // a cycle upstream, fed by a chain, feeding the core
        const uint32_t len = 2 + rng.below(3), first = cycle(len);
        edge(first, any_core());
        const uint32_t feed = node();
        edge(feed, first + rng.below(len));
        edge(node(), feed);
        break;
      }
      default: {  // a cycle downstream, reached by a chain from the core, with a tail
        const uint32_t x = node();
        edge(any_core(), x);
        const uint32_t len = 2 + rng.below(3), first = cycle(len);
        edge(x, first);
        edge(first + rng.below(len), node());
        break;
      }
    }
  }
  return eg;
}

// Trimming and lumping on graphs made mostly of what they take out, ids in
// build order or shuffled, on the giant-first path and the plain one: the full
// partition against Kosaraju and the order on every edge; with sources and
// targets, the same for every node not lumped, and no source reaches a
// target through a lumped node (it reaches no target, or no source reaches
// it); and attribution against brute force.
TEST(GraphSweeps, TrimmingAndLumpingMatchKosarajuAndBruteForce) {
  graph_internal::SccPaths paths;
  for (uint64_t seed = 1; seed <= 24; ++seed) {
    Rng rng{seed * 4241};
    Edges eg = trimmed_heavy_graph(rng, 2 + rng.below(seed % 3 == 0 ? 1500 : 150), 20 + rng.below(1500));
    const uint32_t n = eg.n;
    if (seed % 2 == 0) {
      std::vector<uint32_t> id(n);
      std::iota(id.begin(), id.end(), 0u);
      for (uint32_t k = 0; k < n; ++k) std::swap(id[rng.below(n)], id[rng.below(n)]);
      for (auto& [u, v] : eg.e) {
        u = id[u];
        v = id[v];
      }
    }
    const auto ref = kosaraju(eg);
    const auto src = pick(rng, n, 1 + rng.below(60));
    const auto tgt = pick(rng, n, 1 + rng.below(6));
    const auto want = reaching_sources(eg, src, tgt);
    std::vector<uint8_t> reaches_target(n, 0);  // brute force, node by node
    for (uint32_t v = 0; v < n; ++v) {
      const auto r = reach_from(eg, {v});
      for (uint32_t t : tgt) reaches_target[v] |= r[t];
    }
    const auto reached = reach_from(eg, src);
    for (const GraphOptions& opt : {GraphOptions{}, forced_sweeps(1, &paths)}) {
      const std::string where = "seed " + std::to_string(seed) + (opt.giant_min_nodes == 2 ? " forced" : "");
      const auto g = AccessGraph::from_edges(n, eg.e, opt);
      for (bool with_targets : {false, true}) {
        graph_internal::ScratchLease scr(g);
        const auto scc = with_targets ? graph_internal::strongly_connected(g, *scr, tgt, src)
                                      : graph_internal::strongly_connected(g, *scr);
        std::vector<uint32_t> map(n, kNone);
        std::set<uint32_t> distinct;
        for (uint32_t v = 0; v < n; ++v) {
          const uint32_t c = scc.of(v);
          ASSERT_LT(c, scc.count) << where;
          distinct.insert(c);
          if (c == scc.lumped) {
            ASSERT_TRUE(with_targets) << where;
            ASSERT_FALSE(reaches_target[v] && reached[v]) << where << " a source reaches a target through " << v;
            continue;
          }
          if (map[ref[v]] == kNone) map[ref[v]] = c;
          ASSERT_EQ(map[ref[v]], c) << where << " node " << v;
        }
        ASSERT_EQ(distinct.size(), scc.count) << where;
        for (auto [u, v] : eg.e) {
          if (scc.of(u) == scc.lumped || scc.of(v) == scc.lumped) continue;
          ASSERT_LE(scc.of(u), scc.of(v)) << where << " edge " << u << "->" << v;
        }
      }
      ASSERT_NO_FATAL_FAILURE(expect_attribution(g, src, tgt, 3, want, where));
    }
  }
  EXPECT_GT(paths.trimmed, 0u);
  EXPECT_GT(paths.lumped, 0u);
  EXPECT_GT(paths.witness_settled, 0u);
}

// The reverse index and first-neighbour columns against the edge list.
TEST(GraphSweeps, ReverseIndexAndFirstColumnsMatchTheEdges) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    Rng rng{seed};
    const uint32_t n = 1 + rng.below(300);
    const Edges eg = random_graph(rng, n, rng.below(4 * n));
    const auto g = AccessGraph::from_edges(n, eg.e);
    std::vector<std::vector<uint32_t>> in(n);
    for (uint32_t u = 0; u < n; ++u)
      for (uint32_t v : g.out(u)) in[v].push_back(u);
    for (uint32_t v = 0; v < n; ++v) {
      const auto r = g.in(v);
      ASSERT_EQ(std::vector<uint32_t>(r.begin(), r.end()), in[v]) << "seed " << seed << " node " << v;
      EXPECT_EQ(g.first_in()[v], in[v].empty() ? v : in[v][0]);
      EXPECT_EQ(g.first_out()[v], g.out(v).empty() ? v : g.out(v)[0]);
    }
  }
}

// shortest_paths' documented choice: a FIFO BFS seeded with the sources in
// ascending order, first discovery wins. The reference is the plain textbook
// version with vectors; the library keeps bits and reused scratch.
std::vector<std::vector<uint32_t>> fifo_paths(const Edges& eg, std::vector<uint32_t> src,
                                              const std::vector<uint32_t>& tgt) {
  std::vector<std::vector<uint32_t>> out(eg.n);
  for (auto [u, v] : eg.e) out[u].push_back(v);
  std::sort(src.begin(), src.end());
  src.erase(std::unique(src.begin(), src.end()), src.end());
  std::vector<uint32_t> parent(eg.n, kNone), queue;
  for (uint32_t s : src) {
    parent[s] = s;
    queue.push_back(s);
  }
  for (size_t h = 0; h < queue.size(); ++h)
    for (uint32_t w : out[queue[h]])
      if (parent[w] == kNone) {
        parent[w] = queue[h];
        queue.push_back(w);
      }
  std::vector<std::vector<uint32_t>> paths(tgt.size());
  for (size_t i = 0; i < tgt.size(); ++i) {
    if (parent[tgt[i]] == kNone) continue;
    for (uint32_t v = tgt[i];; v = parent[v]) {
      paths[i].push_back(v);
      if (parent[v] == v) break;
    }
    std::reverse(paths[i].begin(), paths[i].end());
  }
  return paths;
}

TEST(GraphSweeps, ShortestPathsMakeTheDocumentedChoiceAcrossRepeatedCalls) {
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    Rng rng{seed * 7919};
    const uint32_t n = 1 + rng.below(400);
    const Edges eg = access_like_graph(rng, n);
    const auto g = AccessGraph::from_edges(n, eg.e);
    // Twice per graph: scratch (parents never cleared) must not leak between calls.
    for (int call = 0; call < 2; ++call) {
      const auto src = pick(rng, n, 1 + rng.below(5));
      const auto tgt = pick(rng, n, 1 + rng.below(6));
      EXPECT_EQ(shortest_paths(g, src, tgt), fifo_paths(eg, src, tgt)) << "seed " << seed;
    }
  }
}

}  // namespace
}  // namespace netvet

namespace netvet {
namespace {

// A server asks queries of one shared graph from several threads at once: each
// query leases its own scratch, so concurrent answers equal sequential ones.
TEST(GraphSweeps, ConcurrentQueriesOnOneGraphAgreeWithSequentialOnes) {
  Rng rng{4242};
  const uint32_t n = 3000;
  const Edges eg = access_like_graph(rng, n);
  const auto g = AccessGraph::from_edges(n, eg.e, forced_sweeps(2));
  const auto src = pick(rng, n, 120), tgt = pick(rng, n, 10);
  const auto want_attr = attribute(g, src, tgt, 5);
  const auto want_paths = shortest_paths(g, src, tgt);
  const auto want_reach = exposure(g, src);
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int k = 0; k < 20; ++k) {
        const auto a = attribute(g, src, tgt, 5);
        if (a.count != want_attr.count || a.sources != want_attr.sources) ++mismatches;
        if (shortest_paths(g, src, tgt) != want_paths) ++mismatches;
        if (exposure(g, src) != want_reach) ++mismatches;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

// ---- topology families (netvet generate --family) ----

// A small backbone in the Topology Zoo's shape: a ring of 6 with two chords.
std::shared_ptr<const Backbone> small_backbone() {
  auto b = std::make_shared<Backbone>();
  for (int i = 0; i < 6; ++i) {
    b->labels.push_back("pop" + std::to_string(i));
    b->lat.push_back(40 + i);
    b->lon.push_back(-70 - i);
  }
  for (uint32_t i = 0; i < 6; ++i) b->edges.push_back({i, (i + 1) % 6});
  b->edges.push_back({0, 3});
  b->edges.push_back({1, 4});
  return b;
}

// Every family, ids in order and shuffled, on the default and the forced
// (giant-first) code paths: exposure, attribution and paths against the
// brute-force references, sources the high-risk vendors' components, targets
// the critical domains (as the benchmarks and the assessment use them).
TEST(GraphFamilies, QueriesMatchReferencesOnEveryFamily) {
  for (Family family : {Family::kDefault, Family::kOneWay, Family::kCoreTrees, Family::kZoo}) {
    for (bool shuffle : {false, true}) {
      for (uint64_t seed : {1u, 2u}) {
        GenerateOptions o;
        o.sites = seed == 1 ? 90 : 420;  // 420 sites: over 256 source components, both propagation sides
        o.hrv_share = 0.3;
        o.seed = seed;
        o.family = family;
        o.shuffle = shuffle;
        if (family == Family::kZoo) o.backbone = small_backbone();
        auto net = generate_network(o);
        ASSERT_TRUE(net) << net.error().to_string();
        const std::string where = std::string(family_name(family)) + (shuffle ? " shuffled" : "") + " seed " +
                                  std::to_string(seed);
        std::vector<uint32_t> src, tgt;
        for (uint32_t c = 0; c < net->components.size(); ++c) {
          const std::string_view v = net->str(net->components.vendor[c]);
          if (v == "Huawei" || v == "ZTE") src.push_back(c);
          const Domain d = function_domain(net->components.function[c]);
          if (d == Domain::kCore5g || d == Domain::kCore4g || d == Domain::kManagement ||
              d == Domain::kLawfulIntercept)
            tgt.push_back(c);
        }
        ASSERT_FALSE(src.empty()) << where;
        ASSERT_FALSE(tgt.empty()) << where;
        GraphOptions relabelled = forced_sweeps(1);
        relabelled.relabel = Relabel::kAlways;
        for (const GraphOptions& opt : {GraphOptions{}, forced_sweeps(1), relabelled}) {
          const auto g = AccessGraph::build(*net, opt);
          ASSERT_EQ(g.relabelled(), opt.relabel == Relabel::kAlways) << where;
          Edges eg{g.node_count(), {}};
          for (uint32_t u = 0; u < g.node_count(); ++u)
            for (uint32_t v : g.out(u)) eg.e.push_back({u, v});
          EXPECT_EQ(exposure(g, src), reach_from(eg, src)) << where;
          ASSERT_NO_FATAL_FAILURE(expect_attribution(g, src, tgt, 4, reaching_sources(eg, src, tgt), where));
          const auto dist = bf_dist(eg, src);
          const auto paths = shortest_paths(g, src, tgt);
          for (size_t i = 0; i < tgt.size(); ++i) {
            if (dist[tgt[i]] == kNone) {
              EXPECT_TRUE(paths[i].empty()) << where;
            } else {
              ASSERT_EQ(paths[i].size(), dist[tgt[i]] + 1u) << where;
            }
          }
        }
      }
    }
  }
}

// The renumbered copy changes names, never answers: on every family, a graph
// queried through it (forced) gives exactly what the same graph gives without
// it (the listed sources too; paths as short); and a network generated with
// ids shuffled gives what the same network in build order gives, node for
// node by component id (paths by length: the shuffle reorders rows too, so
// an equally short path may be chosen).
TEST(GraphRelabel, ShuffledAndRenumberedGraphsGiveTheSameAnswers) {
  for (Family family : {Family::kDefault, Family::kOneWay, Family::kCoreTrees, Family::kZoo}) {
    const std::string where(family_name(family));
    std::optional<Network> nets[2];
    for (bool shuffle : {false, true}) {
      GenerateOptions o;
      o.sites = 420;
      o.hrv_share = 0.3;
      o.seed = 3;
      o.family = family;
      o.shuffle = shuffle;
      if (family == Family::kZoo) o.backbone = small_backbone();
      auto net = generate_network(o);
      ASSERT_TRUE(net) << net.error().to_string();
      nets[shuffle] = std::move(*net);
    }
    const Network& plain = *nets[0];
    const Network& shuf = *nets[1];
    const uint32_t n = static_cast<uint32_t>(plain.components.size());
    ASSERT_EQ(shuf.components.size(), n) << where;
    std::vector<uint32_t> to_shuf(n);
    bool moved = false;
    for (uint32_t c = 0; c < n; ++c) {
      const auto s = shuf.find_component(plain.str(plain.components.id[c]));
      ASSERT_TRUE(s) << where;
      to_shuf[c] = *s;
      moved |= *s != c;
    }
    ASSERT_TRUE(moved) << where << ": the shuffle left every id in place";
    std::vector<uint32_t> src, tgt;  // plain ids, ascending
    for (uint32_t c = 0; c < n; ++c) {
      const std::string_view v = plain.str(plain.components.vendor[c]);
      if (v == "Huawei" || v == "ZTE") src.push_back(c);
      const Domain d = function_domain(plain.components.function[c]);
      if (d == Domain::kCore5g || d == Domain::kManagement || d == Domain::kLawfulIntercept) tgt.push_back(c);
    }
    std::vector<uint32_t> s_src, s_tgt;  // the same components in the shuffled network
    for (uint32_t c : src) s_src.push_back(to_shuf[c]);
    for (uint32_t c : tgt) s_tgt.push_back(to_shuf[c]);
    std::sort(s_src.begin(), s_src.end());  // targets stay parallel to tgt

    GraphOptions never = forced_sweeps(1), always = forced_sweeps(1);
    never.relabel = Relabel::kNever;
    always.relabel = Relabel::kAlways;
    const auto g = AccessGraph::build(plain, never);
    const auto ex = exposure(g, src);
    const size_t all = src.size();  // list every source: the smallest few depend on the numbering
    const auto at = attribute(g, src, tgt, all);
    const auto at4 = attribute(g, src, tgt, 4);
    const auto sp = shortest_paths(g, src, tgt);
    size_t reached = 0;
    for (const auto& p : sp) reached += !p.empty();
    ASSERT_GT(reached, 0u) << where << ": no target reached, nothing compared";

    // The same graph through its renumbered copy: identical answers.
    const auto gr = AccessGraph::build(plain, always);
    ASSERT_TRUE(gr.relabelled()) << where;
    EXPECT_EQ(exposure(gr, src), ex) << where;
    const auto atr = attribute(gr, src, tgt, 4);
    EXPECT_EQ(atr.count, at4.count) << where;
    EXPECT_EQ(atr.sources, at4.sources) << where;
    // Paths: as short, and real paths from a source (the choice among equally
    // short ones follows the numbering the search runs on).
    const auto spr = shortest_paths(gr, src, tgt);
    for (size_t i = 0; i < tgt.size(); ++i) {
      ASSERT_EQ(spr[i].size(), sp[i].size()) << where << " target " << tgt[i];
      if (spr[i].empty()) continue;
      EXPECT_TRUE(std::binary_search(src.begin(), src.end(), spr[i].front())) << where;
      EXPECT_EQ(spr[i].back(), tgt[i]) << where;
      for (size_t k = 0; k + 1 < spr[i].size(); ++k) {
        const auto out = g.out(spr[i][k]);
        ASSERT_NE(std::find(out.begin(), out.end(), spr[i][k + 1]), out.end()) << where << " target " << tgt[i];
      }
    }

    // The shuffled network, renumbered or not.
    for (const GraphOptions& opt : {never, always}) {
      const std::string w = where + (opt.relabel == Relabel::kAlways ? " shuffled, renumbered" : " shuffled");
      const auto gs = AccessGraph::build(shuf, opt);
      const auto exs = exposure(gs, s_src);
      for (uint32_t c = 0; c < n; ++c) ASSERT_EQ(exs[to_shuf[c]], ex[c]) << w << " node " << c;
      const auto ats = attribute(gs, s_src, s_tgt, all);
      const auto sps = shortest_paths(gs, s_src, s_tgt);
      for (size_t i = 0; i < tgt.size(); ++i) {
        ASSERT_EQ(ats.count[i], at.count[i]) << w << " target " << tgt[i];
        std::vector<uint32_t> want;
        for (uint32_t c : at.sources[i]) want.push_back(to_shuf[c]);
        std::sort(want.begin(), want.end());
        ASSERT_EQ(ats.sources[i], want) << w << " target " << tgt[i];
        ASSERT_EQ(sps[i].size(), sp[i].size()) << w << " target " << tgt[i];
      }
    }
  }
}

}  // namespace
}  // namespace netvet
