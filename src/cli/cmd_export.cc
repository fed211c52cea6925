// `netvet export graphml|dot NETWORK [-o FILE] [--jurisdiction X [--date D]]`:
// the network as a graph for Gephi, yEd or Graphviz. With a jurisdiction the
// nodes carry each vendor's risk on the date (and DOT colours them).
#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "commands.h"
#include "netvet/io.h"
#include "netvet/kb.h"
#include "netvet/policy.h"

namespace netvet::cli {
namespace {

struct ExportArgs {
  std::string format, network, output, jurisdiction, date;
};

int run(const Globals& g, const ExportArgs& a) {
  Diagnostics diags;
  auto net = read_network(a.network, diags, g.limits);
  if (!net) {
    std::cerr << diags.format();
    if (diags.items().empty()) std::cerr << "netvet export: error: " << net.error().to_string() << "\n";
    return kExitBadInput;
  }
  std::optional<VendorColumns> vendors;
  if (!a.jurisdiction.empty()) {
    auto kb = load_kb(g.kb_dir, {}, diags, &netvet::validate_rule);
    if (!kb) {
      std::cerr << diags.format();
      return kExitBadInput;
    }
    const Jurisdiction* j = kb->jurisdiction(a.jurisdiction);
    if (!j) {
      std::cerr << "netvet export: error: unknown jurisdiction \"" << a.jurisdiction << "\" (netvet kb list)\n";
      return kExitBadInput;
    }
    Date date;
    if (!a.date.empty()) {
      auto d = Date::parse(a.date);
      if (!d) {
        std::cerr << "netvet export: error: --date: expected YYYY-MM-DD\n";
        return kExitBadInput;
      }
      date = *d;
    } else {
      auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
      date.days = static_cast<int32_t>(days.time_since_epoch().count());
    }
    vendors = resolve_vendors(*net, *kb, *j, date);
  }
  std::string out = a.format == "dot" ? write_dot(*net, vendors ? &*vendors : nullptr)
                                      : write_graphml(*net, vendors ? &*vendors : nullptr);
  if (Status s = write_output(a.output, out, Classification::kUnclassified, std::cout); !s) {
    std::cerr << "netvet export: error: " << s.to_string() << "\n";
    return kExitBadInput;
  }
  return kExitOk;
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
  sub->footer(
      "Examples:\n  netvet export graphml network.json -o network.graphml\n"
      "  netvet export dot network.json -j UK --date 2023-10-28 | dot -Tsvg > network.svg");
  sub->callback([&g, &exit_code, args] { exit_code = run(g, *args); });
}

}  // namespace netvet::cli
