// Synthetic national networks for examples, tests and benchmarks: regions,
// aggregation and transport routers, RAN sites, edge UPFs (MEC), a 5G and a 4G
// core, one element manager per vendor, lawful intercept and sensitive
// locations, with a chosen share of sites from a high-risk vendor.
//
// Deterministic: the same options give the same network, row for row, on every
// platform (a fixed splitmix64 generator, integer arithmetic for every draw; no
// std:: distributions, whose output differs between standard libraries).
// Vendor placement depends only on seed, sites and hrv_share, so a 4G and a 5G
// network generated with the same three put the same vendor at the same sites.
//
//   netvet::GenerateOptions o;
//   o.sites = 1000; o.hrv_share = 0.3; o.seed = 7;
//   auto net = netvet::generate_network(o);   // Expected<Network>
//
// Topology (docs/graph.md has the picture):
//   site      ru x1..3 -fronthaul- du (5G) | enb (4G); serves {subscribers, cells} on each ru
//   cluster   8 consecutive sites of a region share a cu (5G) and an aggregation router
//   region    a transport router, an edge UPF (5G: MEC) or a sec-gw (4G)
//   core      two core routers, the 5G core (amf smf upf ausf udm udr pcf nrf nssf nef nwdaf scp sepp chf)
//             and the 4G core (mme sgw pgw hss pcrf), lawful intercept (li)
//   noc       an nms managing one ems per vendor; each ems manages every element of its vendor
//   5G: du -f1- cu -n2- amf, cu -n3- edge upf -n4- smf, -n9- upf; unprotected.
//   4G: enb -s1-mme/s1-u- sec-gw, enb -backhaul- agg and enb -x2- enb, all encrypted+integrity.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "netvet/common.h"
#include "netvet/model.h"

namespace netvet {

// Topology families: the same sites, vendors and functions wired with
// different strongly connected structure (docs/graph.md, "Topology families"),
// so graph algorithms are measured on more than one shape.
//   kDefault    the topology above: two-way links almost everywhere, one giant
//               strongly connected component plus the one-way ems edges.
//   kOneWay     access one way across protected boundaries: each cluster of 8
//               sites (rus, dus, cu, aggregation router) is its own strongly
//               connected piece; its backhaul, N2 and Xn run in IPsec (no access
//               either way) and the core reaches it only by one-way remote
//               access (region router -> aggregation router). Every 4th
//               cluster's cu joins its region's edge UPF by an unprotected N3
//               (both ways), which joins it to the core. One ems per vendor
//               reaches every element of its vendor one way, as in kDefault.
//               5G only.
//   kCoreTrees  the default core, regions and cluster hubs (one giant
//               component), with each site a small one-way tree into it:
//               ru -> du -> cu by remote access, fronthaul and F1 in IPsec.
//               Every RAN element is its own component and reaches the core.
//               5G only.
//   kZoo        a real backbone (GenerateOptions::backbone, a Topology Zoo
//               graph): one point of presence per backbone node (router, edge
//               UPF) linked along its edges, the core at the best-connected
//               one, and the sites spread over the PoPs with the default access.
enum class Family : uint8_t { kDefault, kOneWay, kCoreTrees, kZoo };
std::string_view family_name(Family f);
std::optional<Family> parse_family(std::string_view s);

// A backbone graph: nodes (a label, a position when known) and undirected edges.
struct Backbone {
  std::string name;
  std::vector<std::string> labels;
  std::vector<double> lat, lon;  // NaN when the file gives none
  std::vector<std::pair<uint32_t, uint32_t>> edges;
};
// Reads a Topology Zoo GraphML document (nodes with Latitude/Longitude/label
// data, edges by source/target id); `file` names it in errors (kBadInput,
// file:line:column). Parallel edges and self-loops are dropped.
Expected<Backbone> parse_topology_zoo(std::string_view graphml, std::string_view file);

struct GenerateOptions {
  uint32_t sites = 100;    // RAN sites, >= 1
  double hrv_share = 0.0;  // share of sites whose RAN is from a high-risk vendor, in [0, 1]
  uint64_t seed = 1;
  Generation generation = Generation::k5gSa;  // k4g or k5gSa (k5gNsa is treated as 5G)
  std::string operator_name = "Synthetic Telecom";
  std::string country = "NZ";
  Family family = Family::kDefault;
  std::shared_ptr<const Backbone> backbone;  // required by kZoo, unused otherwise
  // Components and links in a random order (seeded): ids that follow no
  // geography, as an import numbers rows the way its source lists them.
  bool shuffle = false;
};

// Errors (kBadInput) for sites == 0, sites above 10^7, a share outside [0, 1],
// or kZoo without a backbone of at least one node.
Expected<Network> generate_network(const GenerateOptions& options);

}  // namespace netvet
