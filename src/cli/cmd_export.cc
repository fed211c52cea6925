// `netvet export graphml|dot NETWORK [-o FILE] [--jurisdiction X [--date D]]`:
// the network as a graph for Gephi, yEd or Graphviz. With a jurisdiction the
// nodes carry each vendor's risk on the date (and DOT colours them).
#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "commands.h"
#include "netvet/engine.h"
#include "netvet/io.h"

namespace netvet::cli {
namespace {

struct ExportArgs {
  std::string format, network, output, jurisdiction, date, clearance = "UNCLASSIFIED";
  std::vector<std::string> overlays;
};

constexpr std::string_view kWho = "netvet export";

// The marking of an export that shows overlay ratings above UNCLASSIFIED, as a
// comment the format allows (after GraphML's XML declaration).
std::string marked(const std::string& out, const std::string& format, Classification marking) {
  if (marking == Classification::kUnclassified) return out;
  const std::string level(classification_name(marking));
  if (format == "dot") return "// classification: " + level + "\n" + out;
  const size_t eol = out.find('\n') + 1;
  return out.substr(0, eol) + "<!-- classification: " + level + " -->\n" + out.substr(eol);
}

int run(const Globals& g, const ExportArgs& a) {
  if (a.jurisdiction.empty()) {
    Diagnostics diags;
    auto net = read_network(a.network, diags, g.limits);
    if (!net) {
      std::cerr << diags.format();
      if (diags.items().empty()) std::cerr << kWho << ": error: " << net.error().to_string() << "\n";
      return kExitBadInput;
    }
    return emit(kWho, a.output, a.format == "dot" ? write_dot(*net) : write_graphml(*net), Classification::kUnclassified);
  }
  // With a jurisdiction, vendor risk as the reader may see it (the engine's request and view).
  RequestArgs ra;
  ra.network = a.network;
  ra.jurisdiction = a.jurisdiction;
  ra.date = a.date;
  ra.clearance = a.clearance;
  ra.overlays = a.overlays;
  engine::Request r;
  if (int rc = make_request(g, kWho, ra, r); rc != kExitOk) return rc;
  auto j = find_jurisdiction(*r.kb, r.jurisdiction);
  if (!j) return report_error(kWho, j.error());
  const KbView view = view_at(r.kb, r.clearance, (*j)->code);
  const VendorColumns vendors = resolve_vendors(*r.network, *view.kb, *view.kb->jurisdiction((*j)->code), r.date);
  Classification marking = Classification::kUnclassified;
  for (size_t c = 0; c < vendors.basis.size(); ++c)
    if (vendors.basis[c] != kNone) marking = std::max(marking, vendors.basis_classification[vendors.basis[c]]);
  std::string out = a.format == "dot" ? write_dot(*r.network, &vendors) : write_graphml(*r.network, &vendors);
  return emit(kWho, a.output, marked(out, a.format, marking), marking);
}

}  // namespace

void register_export(CLI::App& app, Globals& g, int& exit_code) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* sub =
      app.add_subcommand("export", "Export a network as a graph (GraphML for Gephi/yEd, DOT for Graphviz).");
  sub->add_option("FORMAT", args->format, "graphml or dot")
      ->required()
      ->check(CLI::IsMember({"graphml", "dot"}))
      ->type_name("graphml|dot");
  sub->add_option("NETWORK", args->network, "Network file (native YAML or JSON)")->required();
  sub->add_option("-o,--output", args->output, "Write to FILE (atomically) instead of stdout")->type_name("FILE");
  sub->add_option("--jurisdiction,-j", args->jurisdiction, "Add each vendor's risk under this jurisdiction")
      ->type_name("CODE");
  sub->add_option("--date", args->date, "Date for the vendor risk (default today, UTC)")->type_name("YYYY-MM-DD");
  sub->add_option("--clearance", args->clearance,
                  "Reader's clearance: overlay vendor ratings above it are not applied (default UNCLASSIFIED)")
      ->type_name("LEVEL");
  sub->add_option("--kb-overlay", args->overlays, "Classified KB overlay (repeatable; with --jurisdiction)")
      ->type_name("FILE");
  sub->footer(
      "Examples:\n  netvet export graphml network.json -o network.graphml\n"
      "  netvet export dot network.json -j UK --date 2023-10-28 | dot -Tsvg > network.svg");
  sub->callback([&g, &exit_code, args] { exit_code = run(g, *args); });
}

}  // namespace netvet::cli
