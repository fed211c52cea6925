// `netvet import netbox|cyclonedx|csv`: third-party inventories into a native
// network JSON. Reads everything first; writes -o atomically and only when the
// import succeeded, so a half-read inventory never becomes a network file.
// The summary (stderr) names manufacturers the KB does not know, so the user
// can add an alias before assessing.
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "netvet/import.h"
#include "netvet/inference.h"
#include "netvet/io.h"
#include "netvet/kb.h"

namespace netvet::cli {
namespace {

struct ImportArgs {
  std::string format;
  std::vector<std::string> inputs;
  std::string output;
  std::string role_map;
  std::string attach, network;
  std::string default_function;  // empty: not stated (placeholder router)
  std::string proposal_out;
};

constexpr const char* kFooter = R"(Formats (docs/import.md):
  netbox      NetBox REST JSON (pages {count,next,results}, ?limit=0 lists, a combined object
              keyed by endpoint, or a folder of them) or `manage.py dumpdata` JSON. Device roles
              map to functions through kb/role-map.yaml (--role-map FILE overrides); cables become
              links, traced through patch panels and circuits; VMs land too.
  cyclonedx   CycloneDX 1.2-1.6 JSON. Nested components get `parent`; a vendor inside another
              vendor's product tags the product `contains-vendor:<name>`. With --attach ID
              --network FILE the BOM is added under component ID of FILE.
  csv         sites.csv, components.csv, links.csv with a header row (files or a folder).

Examples:
  netvet import netbox netbox-demo-v3.6.json -o network.json
  netvet import netbox exports/ --role-map my-roles.yaml -o network.json
  netvet import cyclonedx router-hbom.json --attach akl-rtr-1 --network network.json -o network.json
  netvet import csv sites.csv components.csv links.csv -o network.json)";

int fail(const std::string& msg) {
  std::cerr << "netvet import: error: " << msg << "\n";
  return kExitBadInput;
}

void print_summary(const Globals& g, const ImportSummary& s, const Network& net, const RoleMap& roles) {
  if (g.quiet) return;
  std::cerr << "imported " << net.sites.size() << " sites, " << net.components.size() << " components, "
            << net.links.size() << " links";
  if (s.traced_links) std::cerr << " (" << s.traced_links << " traced through patch panels or circuits)";
  std::cerr << "\n";
  if (s.skipped_cables) std::cerr << "  " << s.skipped_cables << " cables made no link (power, console, open paths)\n";
  for (const auto& [role, n] : s.unmapped_roles)
    std::cerr << "  role \"" << role << "\" is not in the role map: " << n << " device" << (n == 1 ? "" : "s")
              << " got the placeholder function " << function_name(roles.fallback) << " (tagged "
              << kFallbackFunctionTag << ": assess cannot judge them where a rule selects by function or domain)\n";
  if (!s.unmapped_roles.empty()) {
    // Ready to paste into a role map: the user fills in what each role really is.
    std::cerr << "  to map them, add to a role map (--role-map FILE, laid out like the KB's role-map.yaml):\n"
                 "    roles:\n";
    for (const auto& [role, n] : s.unmapped_roles)
      std::cerr << "      " << role << ": {function: " << function_name(roles.fallback)
                << ", domain: transport}   # function, domain and generation: what this role really is\n";
  }
  // Vendors the KB cannot resolve: assess would call them unknown.
  Diagnostics kd;
  auto kb = load_kb(g.kb_dir, {}, kd);
  if (kb) {
    size_t unknown = 0;
    for (const auto& [v, n] : s.vendors) {
      if (v.empty()) continue;
      if (!kb->resolve_vendor(v)) {
        std::cerr << "  unknown vendor \"" << v << "\" (" << n << " components): add it or an alias to " << g.kb_dir
                  << "/vendors.yaml\n";
        ++unknown;
      }
    }
    if (!unknown && !s.vendors.empty()) std::cerr << "  every vendor resolves in the KB\n";
  } else {
    std::cerr << "  (KB not loaded from " << g.kb_dir << ": vendors not checked)\n";
  }
  size_t shown = 0;
  for (const auto& n : s.notes) {
    if (++shown > 50) {
      std::cerr << "  ... " << s.notes.size() - 50 << " more containment notes\n";
      break;
    }
    std::cerr << "  note: " << n << "\n";
  }
}

int run(const Globals& g, const ImportArgs& a) {
  Diagnostics diags;
  ImportSummary summary;
  std::optional<Network> net;
  RoleMap roles = RoleMap::defaults();
  if (a.format == "netbox") {
    std::string path = a.role_map;
    if (path.empty()) {
      std::string def = g.kb_dir + "/role-map.yaml";
      if (std::ifstream(def).good()) path = def;
    }
    if (!path.empty()) {
      auto r = load_role_map(path, diags);
      if (!r) {
        std::cerr << diags.format();
        return kExitBadInput;
      }
      roles = std::move(*r);
    }
    auto r = import_netbox(a.inputs, roles, diags, &summary);
    if (r) net = std::move(*r);
  } else if (a.format == "cyclonedx") {
    CycloneDxOptions o;
    if (!a.default_function.empty()) {
      auto f = parse_function(a.default_function);
      if (!f) return fail("--function: unknown function \"" + a.default_function + "\"");
      o.default_function = *f;
      o.default_function_stated = true;
    }
    if (a.inputs.size() != 1) return fail("cyclonedx takes one BOM file");
    if (!a.attach.empty() || !a.network.empty()) {
      if (a.attach.empty() || a.network.empty()) return fail("--attach and --network go together");
      auto base = read_network(a.network, diags, g.limits);
      if (!base) {
        std::cerr << diags.format();
        if (diags.items().empty()) std::cerr << base.error().to_string() << "\n";
        return kExitBadInput;
      }
      auto text = read_file(a.inputs[0]);
      if (!text) return fail(text.error().to_string());
      o.attach_to = a.attach;
      auto added = attach_cyclonedx(*base, *text, a.inputs[0], o, diags, &summary);
      if (added) net = std::move(*base);
    } else {
      auto r = import_cyclonedx(a.inputs[0], o, diags, &summary);
      if (r) net = std::move(*r);
    }
  } else {
    auto r = import_csv(a.inputs, diags, &summary);
    if (r) net = std::move(*r);
  }
  if (!diags.items().empty()) std::cerr << diags.format();
  if (!net || diags.has_errors()) {
    if (diags.items().empty()) std::cerr << "netvet import: error: import failed\n";
    return kExitBadInput;  // nothing is written
  }
  // NetBox's planned and staged devices are a change to come, not the live network.
  std::optional<PlannedSplit> planned;
  if (a.format == "netbox") planned = split_planned(*net);
  if (planned && !a.proposal_out.empty()) {
    if (Status s = write_output(a.proposal_out, planned->proposal_json, Classification::kUnclassified, std::cout); !s)
      return fail(s.to_string());
  }
  std::string out = write_network_json(*net);
  if (Status s = write_output(a.output, out, Classification::kUnclassified, std::cout); !s) return fail(s.to_string());
  print_summary(g, summary, *net, roles);
  if (planned && !g.quiet) {
    std::cerr << "  " << planned->components << " planned or staged device" << (planned->components == 1 ? "" : "s")
              << " (and " << planned->links << " link" << (planned->links == 1 ? "" : "s")
              << " to them) left out of the live network: ";
    if (a.proposal_out.empty())
      std::cerr << "--proposal-out FILE writes them as a proposal to assess with --proposal\n";
    else
      std::cerr << "written as a proposal to " << a.proposal_out << " (assess it with --proposal)\n";
  }
  return kExitOk;
}

}  // namespace

void register_import(CLI::App& app, Globals& g, int& exit_code) {
  auto args = std::make_shared<ImportArgs>();
  CLI::App* sub = app.add_subcommand(
      "import", "Convert a NetBox export, a CycloneDX BOM or CSV sheets into a netvet network (native JSON).");
  sub->add_option("FORMAT", args->format, "Input format")
      ->required()
      ->check(CLI::IsMember({"netbox", "cyclonedx", "csv"}))
      ->type_name("netbox|cyclonedx|csv");
  sub->add_option("INPUT", args->inputs, "Input files or folders")->required();
  sub->add_option("-o,--output", args->output, "Write the network to FILE (atomically; default stdout)")
      ->type_name("FILE");
  sub->add_option("--role-map", args->role_map, "NetBox role -> function map (default kb/role-map.yaml)")
      ->type_name("FILE");
  sub->add_option("--proposal-out", args->proposal_out,
                  "NetBox: write planned and staged devices here as a proposal (they never join the network)")
      ->type_name("FILE");
  sub->add_option("--attach", args->attach, "CycloneDX: attach the BOM under this component id")->type_name("ID");
  sub->add_option("--network", args->network, "CycloneDX: the network to attach into")->type_name("FILE");
  sub->add_option("--function", args->default_function, "CycloneDX: function of components that name none (without it they are placeholder routers,\n"
                  "counted as not judged)")
      ->type_name("FUNCTION");
  sub->footer(kFooter);
  sub->callback([&g, &exit_code, args] { exit_code = run(g, *args); });
}

}  // namespace netvet::cli
