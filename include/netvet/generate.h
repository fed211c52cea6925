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
#include <string>

#include "netvet/common.h"
#include "netvet/model.h"

namespace netvet {

struct GenerateOptions {
  uint32_t sites = 100;    // RAN sites, >= 1
  double hrv_share = 0.0;  // share of sites whose RAN is from a high-risk vendor, in [0, 1]
  uint64_t seed = 1;
  Generation generation = Generation::k5gSa;  // k4g or k5gSa (k5gNsa is treated as 5G)
  std::string operator_name = "Synthetic Telecom";
  std::string country = "NZ";
};

// Errors (kBadInput) for sites == 0, sites above 10^7 or a share outside [0, 1].
Expected<Network> generate_network(const GenerateOptions& options);

}  // namespace netvet
