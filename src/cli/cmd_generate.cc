// `netvet generate`: a deterministic synthetic national network in the native
// JSON format, for examples, tests and benchmarks. The topology lives in
// generate/; the bytes in io/ (write_network_json). Same options, same bytes.
#include <cstdlib>
#include <exception>
#include <iostream>
#include <memory>
#include <string>

#include "commands.h"
#include "netvet/generate.h"
#include "netvet/io.h"

namespace netvet::cli {
namespace {

struct GenerateArgs {
  uint32_t sites = 100;
  std::string hrv_share = "0";
  uint64_t seed = 1;
  std::string generation = "5g";
  std::string operator_name = "Synthetic Telecom";
  std::string country = "NZ";
  std::string family = "default";
  std::string backbone;
  bool shuffle = false;
  std::string output;
};

constexpr const char* kFooter = R"(Options in detail:
  --sites N             RAN sites (1 to 10000000). A site has 1-3 radio units (cells) and a du (5G)
                        or enb (4G); every 8 sites share a cu and an aggregation router; regions
                        (up to 16) have a transport router and an edge UPF (5G) or a sec-gw (4G).
                        About 3.25 components per site: --sites 308000 gives ~10^6 components.
  --hrv-share P         Share of sites whose RAN is from a high-risk vendor (Huawei or ZTE, by
                        region; others Ericsson, Nokia or Samsung): 0 to 1, or a percentage
                        such as 35%. The share is exact: round(P * N) sites. Default 0.
  --seed S              Seed of the generator (splitmix64). Same seed and options, same bytes.
  --generation G        5g (default): service-based core, MEC edge UPFs, unprotected F1/N2/N3.
                        4g: enb with S1 and X2 through IPsec to a regional sec-gw (encrypted +
                        integrity protected), no MEC. The same seed places the same vendor at
                        the same sites in both, so the two can be compared.
  --family F            The wiring's strongly connected structure (docs/graph.md, "Topology families"):
                        default   two-way links almost everywhere: one giant strongly connected
                                  component, plus each vendor's ems managing its elements one way.
                        one-way   access one way across protected boundaries: each cluster of 8
                                  sites is its own strongly connected piece behind IPsec backhaul,
                                  N2 and Xn, reached from the core only by one-way remote access;
                                  every 4th cluster joins the core both ways through an unprotected
                                  N3 to its region's edge UPF. 5G only.
                        core-trees  the default core, regions and cluster hubs (one giant piece),
                                  each site a one-way tree into it (ru -> du -> cu by remote access,
                                  fronthaul and F1 in IPsec): every RAN element reaches the core
                                  and is its own component. 5G only.
                        zoo       a real backbone from --backbone: a point of presence (router, edge
                                  UPF or sec-gw) per backbone node, linked along its edges, the
                                  core at the best-connected node, the sites spread over the points
                                  of presence with the default access.
  --backbone FILE       A Topology Zoo GraphML file (topology-zoo.org), for --family zoo.
                        e.g. ../shared/fixtures/topology-zoo/graphml/Geant2012.graphml
  --shuffle             Components and links in a random order (from --seed): ids that follow no
                        geography, as an import numbers rows the way its source lists them.
  -o FILE               Output file (native JSON), written atomically. Default: stdout.

Examples:
  netvet generate --sites 1000 --hrv-share 0.3 --seed 7 -o network.json
  netvet generate --sites 1000 --hrv-share 30% --seed 7 --generation 4g -o network-4g.json
  netvet generate --sites 1000 --hrv-share 0.3 --family one-way --shuffle -o one-way.json
  netvet generate --sites 1000 --hrv-share 0.3 --family zoo \
      --backbone ../shared/fixtures/topology-zoo/graphml/Geant2012.graphml -o geant.json)";

int fail(std::string_view message) {
  std::cerr << "netvet generate: error: " << message << "\n";
  return kExitBadInput;
}

int run(const GenerateArgs& args) {
  GenerateOptions o;
  o.sites = args.sites;
  o.seed = args.seed;
  o.operator_name = args.operator_name;
  o.country = args.country;
  std::string share = args.hrv_share;
  const bool percent = !share.empty() && share.back() == '%';
  if (percent) share.pop_back();
  char* end = nullptr;
  const double p = std::strtod(share.c_str(), &end);
  if (share.empty() || end != share.c_str() + share.size())
    return fail("--hrv-share: expected a number between 0 and 1 or a percentage, got \"" + args.hrv_share + "\"");
  o.hrv_share = percent ? p / 100.0 : p;
  if (args.generation == "4g") {
    o.generation = Generation::k4g;
  } else if (args.generation == "5g" || args.generation == "5g-sa") {
    o.generation = Generation::k5gSa;
  } else {
    return fail("--generation: expected 4g or 5g, got \"" + args.generation + "\"");
  }
  auto family = parse_family(args.family);
  if (!family) return fail("--family: expected default, one-way, core-trees or zoo, got \"" + args.family + "\"");
  o.family = *family;
  o.shuffle = args.shuffle;
  if (o.family == Family::kZoo) {
    if (args.backbone.empty()) return fail("--family zoo needs --backbone FILE (a Topology Zoo GraphML file)");
    auto text = read_file(args.backbone, size_t{64} << 20);
    if (!text) return fail("--backbone: cannot read " + args.backbone + ": " + text.error().message());
    auto backbone = parse_topology_zoo(*text, args.backbone);
    if (!backbone) return fail(backbone.error().message());
    o.backbone = std::make_shared<const Backbone>(std::move(*backbone));
  } else if (!args.backbone.empty()) {
    return fail("--backbone is for --family zoo");
  }
  auto net = generate_network(o);
  if (!net) return fail(net.error().message());
  const std::string json = write_network_json(*net);
  if (Status s = write_output(args.output, json, Classification::kUnclassified, std::cout); !s)
    return fail(s.to_string());
  return kExitOk;
}

}  // namespace

void register_generate(CLI::App& app, Globals&, int& exit_code) {
  auto args = std::make_shared<GenerateArgs>();
  CLI::App* sub =
      app.add_subcommand("generate",
                         "Generate a deterministic synthetic national 4G or 5G network (native JSON) with a chosen "
                         "share of high-risk-vendor sites, for examples, tests and benchmarks.");
  sub->add_option("--sites", args->sites, "Number of RAN sites")->required()->type_name("N");
  sub->add_option("--hrv-share", args->hrv_share, "Share of high-risk-vendor sites (0..1 or N%)")->type_name("P");
  sub->add_option("--seed", args->seed, "Generator seed (default 1)")->type_name("S");
  sub->add_option("--generation", args->generation, "4g or 5g (default 5g)")->type_name("4g|5g");
  sub->add_option("--operator", args->operator_name, "Operator name written to the file");
  sub->add_option("--country", args->country, "Country code written to the file (default NZ)");
  sub->add_option("--family", args->family, "Topology family (default, one-way, core-trees, zoo)")
      ->type_name("F");
  sub->add_option("--backbone", args->backbone, "Topology Zoo GraphML backbone for --family zoo")->type_name("FILE");
  sub->add_flag("--shuffle", args->shuffle, "Components and links in a random order (seeded)");
  sub->add_option("-o,--output", args->output, "Write to FILE (atomically) instead of stdout")->type_name("FILE");
  sub->footer(kFooter);
  sub->callback([&exit_code, args] { exit_code = run(*args); });
}

}  // namespace netvet::cli
