// `netvet graph exposure|paths`: what untrusted equipment can reach. Reads a
// network, resolves vendor risk for a jurisdiction and date (kb/, policy/),
// builds the access graph and prints exposure, attribution, blast radius and
// minimum cuts, or one shortest attack path per critical target; as text, json
// or Graphviz DOT. Untrusted = components whose vendor is high-risk there and
// then; critical = core-5g, core-4g, management and lawful-intercept functions
// (or --target).
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "commands.h"
#include "netvet/graph.h"
#include "netvet/io.h"
#include "netvet/kb.h"
#include "netvet/policy.h"

namespace netvet::cli {
namespace {

struct GraphArgs {
  std::string network;
  std::string jurisdiction;
  std::string date;
  std::vector<std::string> overlays;
  std::vector<std::string> targets;
  std::string format = "text";
  std::string output;
  bool reporting = false;
  bool no_protection_stop = false;
  size_t limit = 20;
};

constexpr const char* kSemantics = R"(How links become access edges:
  mgmt, remote-access   manager -> managed: the manager controls what it manages (the manager end
                        is the management-domain component, else the link's a). managed -> manager
                        is a reporting edge that does not propagate unless --reporting is given.
  signalling            n1 n2 n4 sbi n32 s1-mme s5 s6a s11 x2 xn f1: two-way.
  user plane/transport  n3 n6 n9 s1-u fronthaul backhaul transport: two-way (equipment sees the
                        traffic it carries).
  protection            a link that is both encrypted and integrity protected is a protected
                        boundary: no access across it either way (--no-protection-stop disables).
Untrusted: components whose vendor is high-risk in the jurisdiction on the date.
Critical: core-5g, core-4g, management and lawful-intercept functions, or --target IDs.
Blast radius of a component: subscribers and cells of every component (itself included) whose
every access path to the core (core-5g/core-4g) passes through it (docs/graph.md).

Exit codes: 0 no critical function reachable, 1 some reachable, 2 bad input, 3 internal error.)";

int fail(std::string_view message) {
  std::cerr << "netvet graph: error: " << message << "\n";
  return kExitBadInput;
}

Date today() {
  auto now = std::chrono::system_clock::now();
  return Date{static_cast<int32_t>(std::chrono::floor<std::chrono::days>(now).time_since_epoch().count())};
}

bool critical_domain(Domain d) {
  return d == Domain::kCore5g || d == Domain::kCore4g || d == Domain::kManagement || d == Domain::kLawfulIntercept;
}

// Everything the two subcommands share: loaded inputs and the sets.
struct Context {
  Network net;
  std::unique_ptr<KnowledgeBase> kb;
  const Jurisdiction* jurisdiction = nullptr;
  Date date;
  VendorColumns vendors;
  AccessGraph graph;
  std::vector<ComponentIdx> untrusted, critical;
};

int load(const Globals& g, const GraphArgs& args, Context& ctx) {
  ctx.date = today();
  if (!args.date.empty()) {
    auto d = Date::parse(args.date);
    if (!d) return fail("--date: expected YYYY-MM-DD (a real calendar day), got \"" + args.date + "\"");
    ctx.date = *d;
  }
  Diagnostics diags;
  auto net = read_network(args.network, diags, g.limits);
  ctx.kb = load_kb(g.kb_dir, args.overlays, diags, &netvet::validate_rule);
  const bool failed = !net || !ctx.kb || diags.has_errors();
  if (!diags.items().empty() && (failed || !g.quiet)) std::cerr << diags.format();
  if (failed) {
    if (!net && diags.items().empty()) std::cerr << net.error().to_string() << "\n";
    if (!ctx.kb && diags.items().empty())
      std::cerr << "netvet graph: error: cannot load the knowledge base " << g.kb_dir << "\n";
    return kExitBadInput;
  }
  ctx.net = std::move(net).value();
  ctx.jurisdiction = ctx.kb->jurisdiction(args.jurisdiction);
  if (!ctx.jurisdiction) {
    std::string known;
    std::vector<std::string_view> codes;
    for (const auto& [code, j] : ctx.kb->jurisdictions) {
      known += (known.empty() ? "" : ", ") + code;
      codes.push_back(code);
    }
    std::string msg = "--jurisdiction: no policy pack \"" + args.jurisdiction + "\"";
    if (auto m = did_you_mean(args.jurisdiction, codes)) msg += " (did you mean \"" + *m + "\"?)";
    return fail(msg + "; known: " + known);
  }
  ctx.vendors = resolve_vendors(ctx.net, *ctx.kb, *ctx.jurisdiction, ctx.date);
  GraphOptions opt;
  opt.reporting_propagates = args.reporting;
  if (args.no_protection_stop) opt.stop_protection = 0;
  ctx.graph = AccessGraph::build(ctx.net, opt);
  const size_t n = ctx.net.components.size();
  for (ComponentIdx c = 0; c < n; ++c)
    if (c < ctx.vendors.risk.size() && ctx.vendors.risk[c] == VendorRisk::kHighRisk) ctx.untrusted.push_back(c);
  if (args.targets.empty()) {
    for (ComponentIdx c = 0; c < n; ++c)
      if (critical_domain(function_domain(ctx.net.components.function[c]))) ctx.critical.push_back(c);
  } else {
    for (const std::string& id : args.targets) {
      auto c = ctx.net.find_component(id);
      if (!c) {
        std::string msg = "--target: no component \"" + id + "\" in " + args.network;
        if (n <= 100000) {  // a typo hint is worth a scan of a small network, not of a national one
          std::vector<std::string_view> ids;
          for (ComponentIdx k = 0; k < n; ++k) ids.push_back(ctx.net.component_id(k));
          if (auto m = did_you_mean(id, ids)) msg += " (did you mean \"" + *m + "\"?)";
        }
        return fail(msg);
      }
      ctx.critical.push_back(*c);
    }
    std::sort(ctx.critical.begin(), ctx.critical.end());
    ctx.critical.erase(std::unique(ctx.critical.begin(), ctx.critical.end()), ctx.critical.end());
  }
  return kExitOk;
}

std::string id_of(const Context& ctx, ComponentIdx c) { return std::string(ctx.net.component_id(c)); }

std::string vendor_of(const Context& ctx, ComponentIdx c) {
  return std::string(ctx.net.str(ctx.net.components.vendor[c]));
}

// The interface of the link behind edge u -> v (the first, in link order).
std::string hop_interface(const Context& ctx, ComponentIdx u, ComponentIdx v) {
  const auto out = ctx.graph.out(u);
  const auto links = ctx.graph.out_links(u);
  for (size_t i = 0; i < out.size(); ++i)
    if (out[i] == v) return std::string(interface_name(ctx.net.links.interface[links[i]]));
  return "?";
}

nlohmann::ordered_json path_json(const Context& ctx, const std::vector<ComponentIdx>& path) {
  auto hops = nlohmann::ordered_json::array();
  for (size_t i = 0; i < path.size(); ++i) {
    nlohmann::ordered_json h;
    h["id"] = id_of(ctx, path[i]);
    h["function"] = std::string(function_name(ctx.net.components.function[path[i]]));
    h["vendor"] = vendor_of(ctx, path[i]);
    if (i + 1 < path.size()) h["via"] = hop_interface(ctx, path[i], path[i + 1]);
    hops.push_back(std::move(h));
  }
  return hops;
}

std::string path_text(const Context& ctx, const std::vector<ComponentIdx>& path) {
  std::string s;
  for (size_t i = 0; i < path.size(); ++i) {
    s += id_of(ctx, path[i]);
    if (i == 0) s += " [" + vendor_of(ctx, path[i]) + "]";
    if (i + 1 < path.size()) s += " -" + hop_interface(ctx, path[i], path[i + 1]) + "-> ";
  }
  return s;
}

std::string dot_escape(std::string_view s) {
  std::string q;
  for (char ch : s) {
    if (ch == '"' || ch == '\\') q += '\\';
    q += ch;
  }
  return q;
}

std::string dot_quote(std::string_view s) { return "\"" + dot_escape(s) + "\""; }

// DOT of the given paths only: a national graph is unreadable, the attack paths are the story.
std::string paths_dot(const Context& ctx, const std::vector<ComponentIdx>& targets,
                      const std::vector<std::vector<ComponentIdx>>& paths) {
  std::vector<uint8_t> untrusted(ctx.net.components.size(), 0);
  for (ComponentIdx c : ctx.untrusted) untrusted[c] = 1;
  std::vector<ComponentIdx> nodes;
  std::vector<std::tuple<ComponentIdx, ComponentIdx, std::string>> edges;
  for (ComponentIdx t : targets) nodes.push_back(t);
  for (const auto& p : paths) {
    for (size_t i = 0; i < p.size(); ++i) {
      nodes.push_back(p[i]);
      if (i + 1 < p.size()) edges.emplace_back(p[i], p[i + 1], hop_interface(ctx, p[i], p[i + 1]));
    }
  }
  std::sort(nodes.begin(), nodes.end());
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
  std::sort(edges.begin(), edges.end());
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  std::ostringstream o;
  o << "digraph access_paths {\n  rankdir=LR;\n  node [shape=box, style=filled, fillcolor=white, "
       "fontname=Helvetica];\n";
  for (ComponentIdx c : nodes) {
    const Domain d = function_domain(ctx.net.components.function[c]);
    // Two label lines: DOT's own \n escape between separately escaped parts.
    o << "  " << dot_quote(ctx.net.component_id(c)) << " [label=\"" << dot_escape(id_of(ctx, c)) << "\\n"
      << dot_escape(std::string(function_name(ctx.net.components.function[c])) + " / " + vendor_of(ctx, c)) << "\"";
    if (untrusted[c])
      o << ", fillcolor=\"#f4a6a6\"";
    else if (critical_domain(d))
      o << ", fillcolor=\"#a6c8f4\", shape=doubleoctagon";
    o << "];\n";
  }
  for (const auto& [u, v, via] : edges)
    o << "  " << dot_quote(ctx.net.component_id(u)) << " -> " << dot_quote(ctx.net.component_id(v))
      << " [label=" << dot_quote(via) << "];\n";
  o << "}\n";
  return o.str();
}

int emit(const GraphArgs& args, const Context& ctx, const std::string& out) {
  if (Status s = write_output(args.output, out, overlay_ceiling(ctx.kb.get()), std::cout); !s)
    return fail(s.to_string());
  return kExitOk;
}

std::string percent(uint64_t a, uint64_t b) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", b ? 100.0 * a / b : 0.0);
  return buf;
}

int run_exposure(const Globals& g, const GraphArgs& args) {
  Context ctx;
  if (int rc = load(g, args, ctx); rc != kExitOk) return rc;
  const Network& net = ctx.net;
  const size_t n = net.components.size();
  const auto reach = exposure(ctx.graph, ctx.untrusted);
  const auto attr = attribute(ctx.graph, ctx.untrusted, ctx.critical, 16);
  const auto paths = shortest_paths(ctx.graph, ctx.untrusted, ctx.critical);
  const auto blast = blast_radius(net, ctx.graph, ctx.untrusted);
  // Minimum cuts between untrusted and critical components. An untrusted critical
  // component cannot be cut off from itself: it is listed and left out of the cut.
  std::vector<uint8_t> is_untrusted(n, 0);
  for (ComponentIdx c : ctx.untrusted) is_untrusted[c] = 1;
  std::vector<ComponentIdx> untrusted_critical, cut_targets;
  for (ComponentIdx c : ctx.critical) (is_untrusted[c] ? untrusted_critical : cut_targets).push_back(c);
  const Cut vcut = min_vertex_cut(ctx.graph, ctx.untrusted, cut_targets);
  const Cut ecut = min_edge_cut(ctx.graph, ctx.untrusted, cut_targets);

  size_t reached = 0;
  std::vector<std::array<uint32_t, kDomainCount>> by_domain(2, std::array<uint32_t, kDomainCount>{});
  for (size_t c = 0; c < n; ++c) {
    const int d = static_cast<int>(function_domain(net.components.function[c]));
    ++by_domain[0][d];
    if (reach[c]) {
      ++reached;
      ++by_domain[1][d];
    }
  }
  std::vector<size_t> order;  // reachable critical targets, most sources first
  for (size_t i = 0; i < ctx.critical.size(); ++i)
    if (attr.count[i] > 0) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return attr.count[a] > attr.count[b]; });
  std::vector<size_t> border(ctx.untrusted.size());
  for (size_t i = 0; i < border.size(); ++i) border[i] = i;
  std::stable_sort(border.begin(), border.end(), [&](size_t a, size_t b) {
    return blast.subscribers[a] != blast.subscribers[b] ? blast.subscribers[a] > blast.subscribers[b]
                                                        : blast.cells[a] > blast.cells[b];
  });
  auto limited = [&](size_t size) { return args.limit == 0 ? size : std::min(size, args.limit); };
  const int rc_risk = order.empty() ? kExitOk : kExitRisk;

  if (args.format == "dot") {
    std::vector<ComponentIdx> targets;
    std::vector<std::vector<ComponentIdx>> shown;
    for (size_t k = 0; k < limited(order.size()); ++k) {
      targets.push_back(ctx.critical[order[k]]);
      shown.push_back(paths[order[k]]);
    }
    if (int rc = emit(args, ctx, paths_dot(ctx, targets, shown)); rc != kExitOk) return rc;
    return rc_risk;
  }
  if (args.format == "json") {
    nlohmann::ordered_json j;
    j["netvet"] = 1;
    j["engine"] = kEngineVersion;
    j["kb_version"] = ctx.kb->version;
    j["jurisdiction"] = ctx.jurisdiction->code;
    j["date"] = ctx.date.to_string();
    j["graph"] = {{"components", n},
                  {"links", net.links.size()},
                  {"access_edges", ctx.graph.edge_count()},
                  {"reporting_propagates", args.reporting},
                  {"protection_stops", !args.no_protection_stop}};
    j["untrusted"] = ctx.untrusted.size();
    j["reachable"] = reached;
    auto domains = nlohmann::ordered_json::object();
    for (int d = 0; d < kDomainCount; ++d)
      if (by_domain[0][d])
        domains[std::string(domain_name(static_cast<Domain>(d)))] = {{"reachable", by_domain[1][d]},
                                                                     {"total", by_domain[0][d]}};
    j["by_domain"] = domains;
    j["critical"] = {{"total", ctx.critical.size()}, {"reachable", order.size()}};
    auto targets = nlohmann::ordered_json::array();
    for (size_t k = 0; k < limited(order.size()); ++k) {
      const size_t i = order[k];
      const ComponentIdx t = ctx.critical[i];
      nlohmann::ordered_json e;
      e["id"] = id_of(ctx, t);
      e["function"] = std::string(function_name(net.components.function[t]));
      e["domain"] = std::string(domain_name(function_domain(net.components.function[t])));
      e["untrusted_sources"] = attr.count[i];
      auto srcs = nlohmann::ordered_json::array();
      for (ComponentIdx s : attr.sources[i]) srcs.push_back(id_of(ctx, s));
      e["sources"] = srcs;
      e["path"] = path_json(ctx, paths[i]);
      targets.push_back(std::move(e));
    }
    j["targets"] = targets;
    auto br = nlohmann::ordered_json::array();
    for (size_t k = 0; k < limited(border.size()); ++k) {
      const size_t i = border[k];
      br.push_back({{"id", id_of(ctx, ctx.untrusted[i])},
                    {"function", std::string(function_name(net.components.function[ctx.untrusted[i]]))},
                    {"vendor", vendor_of(ctx, ctx.untrusted[i])},
                    {"subscribers", blast.subscribers[i]},
                    {"cells", blast.cells[i]}});
    }
    j["blast_radius"] = br;
    auto uc = nlohmann::ordered_json::array();
    for (ComponentIdx c : untrusted_critical) uc.push_back(id_of(ctx, c));
    auto vc = nlohmann::ordered_json::array();
    for (ComponentIdx c : vcut.components) vc.push_back(id_of(ctx, c));
    auto ec = nlohmann::ordered_json::array();
    for (LinkIdx l : ecut.links)
      ec.push_back({id_of(ctx, net.links.a[l]), id_of(ctx, net.links.b[l]),
                    std::string(interface_name(net.links.interface[l]))});
    j["cuts"] = {{"untrusted_critical", uc},
                 {"vertex", {{"possible", vcut.possible}, {"components", vc}}},
                 {"edge", {{"possible", ecut.possible}, {"links", ec}}}};
    if (int rc = emit(args, ctx, j.dump(2) + "\n"); rc != kExitOk) return rc;
    return rc_risk;
  }

  std::ostringstream o;
  o << "Access graph of " << args.network << ": " << n << " components, " << net.links.size() << " links, "
    << ctx.graph.edge_count() << " access edges\n";
  o << "Untrusted (high-risk vendor in " << ctx.jurisdiction->code << " on " << ctx.date.to_string()
    << "): " << ctx.untrusted.size() << " components\n";
  o << "Reachable from untrusted equipment: " << reached << " of " << n << " components (" << percent(reached, n)
    << ")\n";
  for (int d = 0; d < kDomainCount; ++d)
    if (by_domain[0][d])
      o << "  " << std::left << std::setw(18) << domain_name(static_cast<Domain>(d)) << std::right << std::setw(9)
        << by_domain[1][d] << " of " << by_domain[0][d] << "\n";
  o << "\nCritical functions reachable: " << order.size() << " of " << ctx.critical.size() << "\n";
  for (size_t k = 0; k < limited(order.size()); ++k) {
    const size_t i = order[k];
    const ComponentIdx t = ctx.critical[i];
    o << "  " << std::left << std::setw(24) << id_of(ctx, t) << " " << std::setw(6)
      << function_name(net.components.function[t]) << std::right << " reached by " << attr.count[i] << " untrusted, "
      << (paths[i].size() - 1) << " hops from " << id_of(ctx, paths[i].front()) << "\n";
  }
  if (limited(order.size()) < order.size()) o << "  ... " << order.size() - limited(order.size()) << " more\n";
  o << "\nBlast radius (subscribers and cells whose every access path to the core passes through it):\n";
  for (size_t k = 0; k < limited(border.size()); ++k) {
    const size_t i = border[k];
    o << "  " << std::left << std::setw(24) << id_of(ctx, ctx.untrusted[i]) << " " << std::setw(6)
      << function_name(net.components.function[ctx.untrusted[i]]) << " " << std::setw(9)
      << vendor_of(ctx, ctx.untrusted[i]) << std::right << std::setw(10) << blast.subscribers[i] << " subscribers "
      << std::setw(6) << blast.cells[i] << " cells\n";
  }
  o << "\nIsolating the critical functions from untrusted equipment:\n";
  if (!untrusted_critical.empty()) {
    o << "  " << untrusted_critical.size() << " critical components are themselves untrusted (replace them):";
    for (size_t k = 0; k < limited(untrusted_critical.size()); ++k) o << " " << id_of(ctx, untrusted_critical[k]);
    o << "\n";
  }
  size_t trusted_reached = 0;  // reachable critical components that are not themselves untrusted
  for (size_t i : order) trusted_reached += !is_untrusted[ctx.critical[i]];
  if (trusted_reached == 0) {
    o << "  no other critical function is reachable: nothing to cut\n";
  } else {
    if (ecut.possible) o << "  protect at least " << ecut.links.size() << " links (minimum edge cut)\n";
    if (vcut.possible) {
      o << "  or replace at least " << vcut.components.size() << " components (minimum vertex cut):";
      for (size_t k = 0; k < limited(vcut.components.size()); ++k) o << " " << id_of(ctx, vcut.components[k]);
      o << "\n";
    } else {
      o << "  no set of intermediate components separates them: an untrusted component links a critical one "
           "directly\n";
    }
  }
  if (int rc = emit(args, ctx, o.str()); rc != kExitOk) return rc;
  return rc_risk;
}

int run_paths(const Globals& g, const GraphArgs& args) {
  Context ctx;
  if (int rc = load(g, args, ctx); rc != kExitOk) return rc;
  const auto paths = shortest_paths(ctx.graph, ctx.untrusted, ctx.critical);
  size_t reachable = 0;
  for (const auto& p : paths) reachable += !p.empty();
  const int rc_risk = reachable ? kExitRisk : kExitOk;
  if (args.format == "dot") {
    std::vector<ComponentIdx> targets;
    std::vector<std::vector<ComponentIdx>> shown;
    for (size_t i = 0; i < paths.size(); ++i)
      if (!paths[i].empty() && (args.limit == 0 || shown.size() < args.limit)) {
        targets.push_back(ctx.critical[i]);
        shown.push_back(paths[i]);
      }
    if (int rc = emit(args, ctx, paths_dot(ctx, targets, shown)); rc != kExitOk) return rc;
    return rc_risk;
  }
  if (args.format == "json") {
    nlohmann::ordered_json j;
    j["netvet"] = 1;
    j["engine"] = kEngineVersion;
    j["kb_version"] = ctx.kb->version;
    j["jurisdiction"] = ctx.jurisdiction->code;
    j["date"] = ctx.date.to_string();
    j["untrusted"] = ctx.untrusted.size();
    auto arr = nlohmann::ordered_json::array();
    for (size_t i = 0; i < paths.size(); ++i) {
      nlohmann::ordered_json e;
      e["target"] = id_of(ctx, ctx.critical[i]);
      e["function"] = std::string(function_name(ctx.net.components.function[ctx.critical[i]]));
      e["reachable"] = !paths[i].empty();
      if (!paths[i].empty()) {
        e["hops"] = paths[i].size() - 1;
        e["path"] = path_json(ctx, paths[i]);
      }
      arr.push_back(std::move(e));
    }
    j["paths"] = arr;
    if (int rc = emit(args, ctx, j.dump(2) + "\n"); rc != kExitOk) return rc;
    return rc_risk;
  }
  std::ostringstream o;
  o << "Shortest access paths from untrusted equipment (" << ctx.untrusted.size() << " components, high-risk in "
    << ctx.jurisdiction->code << " on " << ctx.date.to_string() << ") to " << ctx.critical.size()
    << " critical components: " << reachable << " reachable\n";
  size_t shown = 0;
  for (size_t i = 0; i < paths.size(); ++i) {
    const ComponentIdx t = ctx.critical[i];
    if (paths[i].empty()) {
      if (!args.targets.empty()) o << "\n" << id_of(ctx, t) << ": not reachable\n";
      continue;
    }
    if (args.limit != 0 && shown++ >= args.limit) continue;
    o << "\n"
      << id_of(ctx, t) << " (" << function_name(ctx.net.components.function[t]) << ", "
      << domain_name(function_domain(ctx.net.components.function[t])) << "): " << paths[i].size() - 1 << " hops\n  "
      << path_text(ctx, paths[i]) << "\n";
  }
  if (args.limit != 0 && shown > args.limit) o << "\n... " << shown - args.limit << " more (--limit 0 shows all)\n";
  if (int rc = emit(args, ctx, o.str()); rc != kExitOk) return rc;
  return rc_risk;
}

void add_common(CLI::App* sub, GraphArgs& a) {
  sub->add_option("NETWORK", a.network, "Network file (native YAML or JSON)")->required();
  sub->add_option("--jurisdiction,-j", a.jurisdiction, "Jurisdiction code whose vendor risk applies, e.g. NZ")
      ->required()
      ->type_name("CODE");
  sub->add_option("--date", a.date, "Date vendor risk is read on (default: today, UTC)")->type_name("YYYY-MM-DD");
  sub->add_option("--kb-overlay", a.overlays, "Classified KB overlay (repeatable)")->type_name("FILE");
  sub->add_option("--target", a.targets,
                  "Critical component id (repeatable; default: every core-5g, core-4g, "
                  "management and lawful-intercept component)")
      ->type_name("ID");
  sub->add_option("--format,-f", a.format, "Output format")
      ->check(CLI::IsMember({"text", "json", "dot"}))
      ->type_name("text|json|dot");
  sub->add_option("--limit", a.limit, "Rows per list (default 20, 0 = all)")->type_name("N");
  sub->add_flag("--reporting", a.reporting, "Let managed -> manager reporting edges propagate access");
  sub->add_flag("--no-protection-stop", a.no_protection_stop, "Protected links propagate like any other");
  sub->add_option("-o,--output", a.output, "Write to FILE (atomically) instead of stdout")->type_name("FILE");
  sub->footer(kSemantics);
}

}  // namespace

void register_graph(CLI::App& app, Globals& g, int& exit_code) {
  CLI::App* graph = app.add_subcommand(
      "graph", "What untrusted equipment can reach: exposure, attribution, blast radius, cuts and attack paths.");
  graph->require_subcommand(1);
  auto ex = std::make_shared<GraphArgs>();
  CLI::App* exs = graph->add_subcommand(
      "exposure",
      "Which components and critical functions untrusted equipment can reach, how many untrusted components "
      "reach each critical one, the subscribers behind each untrusted component, and the minimum cuts.");
  add_common(exs, *ex);
  auto pa = std::make_shared<GraphArgs>();
  CLI::App* pas = graph->add_subcommand(
      "paths", "One shortest access path from untrusted equipment to each critical function (or --target).");
  add_common(pas, *pa);
  auto wrap = [&g, &exit_code](auto fn, std::shared_ptr<GraphArgs> args) {
    return [&g, &exit_code, fn, args] { exit_code = fn(g, *args); };
  };
  exs->callback(wrap(run_exposure, ex));
  pas->callback(wrap(run_paths, pa));
}

}  // namespace netvet::cli
