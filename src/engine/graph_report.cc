// Renderings of the graph requests (`netvet graph exposure|paths`): text for
// people, JSON for machines, Graphviz DOT of the attack paths. Each says at
// which clearance it was made, carries its marking when it shows anything
// above UNCLASSIFIED, and counts what was withheld.
#include "netvet/graph_report.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

namespace netvet::engine {
namespace {

using Context = GraphView;

bool critical_domain(Domain d) {
  return d == Domain::kCore5g || d == Domain::kCore4g || d == Domain::kManagement || d == Domain::kLawfulIntercept;
}

// What every graph output says first: the inputs it read, and at which clearance.
nlohmann::ordered_json json_header(const Context& ctx) {
  nlohmann::ordered_json j = json_output_header(ctx.kb_version, ctx.jurisdiction, ctx.date, ctx.clearance, ctx.marking);
  if (!ctx.withheld.empty()) {
    auto w = nlohmann::ordered_json::array();
    for (const Withheld& x : ctx.withheld)
      w.push_back({{"classification", std::string(classification_name(x.classification))}, {"count", x.count}});
    j["withheld"] = w;
  }
  return j;
}

// The text outputs' marking and withheld notice (nothing when unclassified and complete).
std::string text_banner(const Context& ctx) {
  std::string s;
  if (ctx.marking != Classification::kUnclassified)
    s += "Classification: " + std::string(classification_name(ctx.marking)) + "\n";
  for (const Withheld& w : ctx.withheld)
    s += "Withheld: " + std::to_string(w.count) + " " + std::string(classification_name(w.classification)) +
         " KB entr" + (w.count == 1 ? "y" : "ies") + " above your clearance (" +
         std::string(classification_name(ctx.clearance)) + ") not applied\n";
  return s;
}

std::string id_of(const Context& ctx, ComponentIdx c) { return std::string(ctx.network->component_id(c)); }

std::string vendor_of(const Context& ctx, ComponentIdx c) {
  return std::string(ctx.network->str(ctx.network->components.vendor[c]));
}

// The interface of the link behind edge u -> v (the first, in link order).
std::string hop_interface(const Context& ctx, ComponentIdx u, ComponentIdx v) {
  const auto out = ctx.graph.out(u);
  const auto links = ctx.graph.out_links(u);
  for (size_t i = 0; i < out.size(); ++i)
    if (out[i] == v) return std::string(interface_name(ctx.network->links.interface[links[i]]));
  return "?";
}

nlohmann::ordered_json path_json(const Context& ctx, const std::vector<ComponentIdx>& path) {
  auto hops = nlohmann::ordered_json::array();
  for (size_t i = 0; i < path.size(); ++i) {
    nlohmann::ordered_json h;
    h["id"] = id_of(ctx, path[i]);
    h["function"] = std::string(function_name(ctx.network->components.function[path[i]]));
    h["vendor"] = vendor_of(ctx, path[i]);
    if (i + 1 < path.size()) h["via"] = hop_interface(ctx, path[i], path[i + 1]);
    hops.push_back(std::move(h));
  }
  return hops;
}

// "a [Huawei] -[n3 encrypted]-> b -[n4]-> c": each hop's interface and
// protection, in the notation `assess` uses for its ways in.
std::string way_in_text(const Context& ctx, const AccessPath& w) {
  std::string s;
  for (size_t i = 0; i < w.nodes.size(); ++i) {
    s += id_of(ctx, w.nodes[i]);
    if (i == 0) s += " [" + vendor_of(ctx, w.nodes[i]) + "]";
    if (i + 1 < w.nodes.size()) {
      const LinkIdx l = w.links[i];
      std::string label(interface_name(ctx.network->links.interface[l]));
      for (Protection p : {kEncrypted, kIntegrity, kMonitored})
        if (ctx.network->links.protection[l] & p) label += " " + std::string(protection_name(p));
      s += " -[" + label + "]-> ";
    }
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
  std::vector<uint8_t> untrusted(ctx.network->components.size(), 0);
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
  if (ctx.marking != Classification::kUnclassified)
    o << "// classification: " << classification_name(ctx.marking) << "\n";
  o << "digraph access_paths {\n  rankdir=LR;\n  node [shape=box, style=filled, fillcolor=white, "
       "fontname=Helvetica];\n";
  for (ComponentIdx c : nodes) {
    const Domain d = function_domain(ctx.network->components.function[c]);
    // Two label lines: DOT's own \n escape between separately escaped parts.
    o << "  " << dot_quote(ctx.network->component_id(c)) << " [label=\"" << dot_escape(id_of(ctx, c)) << "\\n"
      << dot_escape(std::string(function_name(ctx.network->components.function[c])) + " / " + vendor_of(ctx, c)) << "\"";
    if (untrusted[c])
      o << ", fillcolor=\"#f4a6a6\"";
    else if (critical_domain(d))
      o << ", fillcolor=\"#a6c8f4\", shape=doubleoctagon";
    o << "];\n";
  }
  for (const auto& [u, v, via] : edges)
    o << "  " << dot_quote(ctx.network->component_id(u)) << " -> " << dot_quote(ctx.network->component_id(v))
      << " [label=" << dot_quote(via) << "];\n";
  o << "}\n";
  return o.str();
}

std::string percent(uint64_t a, uint64_t b) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", b ? 100.0 * a / b : 0.0);
  return buf;
}

}  // namespace

std::string render_exposure(const engine::ExposureResult& r, const GraphRenderOptions& opt) {
  const engine::ExposureResult* res = &r;
  const Context& ctx = res->view;
  const Network& net = *ctx.network;
  const size_t n = net.components.size();
  const auto& reach = res->reach;
  const auto& attr = res->attribution;
  const auto& paths = res->paths;
  const auto& blast = res->blast;
  const auto& untrusted_critical = res->untrusted_critical;
  const Cut& vcut = res->vertex_cut;
  const Cut& ecut = res->edge_cut;
  std::vector<uint8_t> is_untrusted(n, 0);
  for (ComponentIdx c : ctx.untrusted) is_untrusted[c] = 1;

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
  auto limited = [&](size_t size) { return opt.limit == 0 ? size : std::min(size, opt.limit); };

  if (opt.format == "dot") {
    std::vector<ComponentIdx> targets;
    std::vector<std::vector<ComponentIdx>> shown;
    for (size_t k = 0; k < limited(order.size()); ++k) {
      targets.push_back(ctx.critical[order[k]]);
      shown.push_back(paths[order[k]]);
    }
    return paths_dot(ctx, targets, shown);
  }
  if (opt.format == "json") {
    nlohmann::ordered_json j = json_header(ctx);
    j["graph"] = {{"components", n},
                  {"links", net.links.size()},
                  {"access_edges", ctx.graph.edge_count()},
                  {"reporting_propagates", opt.reporting_propagates},
                  {"protection_stops", opt.protection_stops}};
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
    return j.dump(2) + "\n";
  }

  std::ostringstream o;
  o << text_banner(ctx);
  o << "Access graph of " << opt.network_name << ": " << n << " components, " << net.links.size() << " links, "
    << ctx.graph.edge_count() << " access edges\n";
  o << "Untrusted (high-risk vendor in " << ctx.jurisdiction << " on " << ctx.date.to_string()
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
  return o.str();
}

std::string render_paths(const engine::PathsResult& r, const GraphRenderOptions& opt) {
  const engine::PathsResult* res = &r;
  const Context& ctx = res->view;
  const auto& paths = res->paths;
  size_t reachable = 0;
  for (const auto& p : paths) reachable += !p.empty();
  if (opt.format == "dot") {
    std::vector<ComponentIdx> targets;
    std::vector<std::vector<ComponentIdx>> shown;
    for (size_t i = 0; i < paths.size(); ++i)
      if (!paths[i].empty() && (opt.limit == 0 || shown.size() < opt.limit)) {
        targets.push_back(ctx.critical[i]);
        shown.push_back(paths[i]);
      }
    return paths_dot(ctx, targets, shown);
  }
  if (opt.format == "json") {
    nlohmann::ordered_json j = json_header(ctx);
    j["untrusted"] = ctx.untrusted.size();
    auto arr = nlohmann::ordered_json::array();
    for (size_t i = 0; i < paths.size(); ++i) {
      nlohmann::ordered_json e;
      e["target"] = id_of(ctx, ctx.critical[i]);
      e["function"] = std::string(function_name(ctx.network->components.function[ctx.critical[i]]));
      e["reachable"] = !paths[i].empty();
      if (!paths[i].empty()) {
        const bool itself = paths[i].size() == 1;
        e["itself_untrusted"] = itself;
        if (!itself) {
          e["hops"] = paths[i].size() - 1;
          e["path"] = path_json(ctx, paths[i]);
        } else if (!res->ways_in[i].nodes.empty()) {
          e["hops"] = res->ways_in[i].nodes.size() - 1;
          e["path"] = path_json(ctx, res->ways_in[i].nodes);
        }
      }
      arr.push_back(std::move(e));
    }
    j["paths"] = arr;
    return j.dump(2) + "\n";
  }
  std::ostringstream o;
  o << text_banner(ctx);
  o << "Shortest access paths from untrusted equipment (" << ctx.untrusted.size() << " components, high-risk in "
    << ctx.jurisdiction << " on " << ctx.date.to_string() << ") to " << ctx.critical.size()
    << " critical components: " << reachable << " reachable\n";
  size_t shown = 0;
  for (size_t i = 0; i < paths.size(); ++i) {
    const ComponentIdx t = ctx.critical[i];
    if (paths[i].empty()) {
      if (opt.list_unreachable) o << "\n" << id_of(ctx, t) << ": not reachable\n";
      continue;
    }
    if (opt.limit != 0 && shown++ >= opt.limit) continue;
    const Function f = ctx.network->components.function[t];
    o << "\n" << id_of(ctx, t) << " (" << function_name(f) << ", " << domain_name(function_domain(f)) << "): ";
    const AccessPath& way = res->ways_in[i];
    if (paths[i].size() == 1) {
      // Not a 0-hop path: the equipment is itself untrusted and critical.
      o << "itself untrusted (" << vendor_of(ctx, t) << "), a " << domain_name(function_domain(f)) << " function\n";
      if (!way.nodes.empty())
        o << "  and reached from other untrusted equipment in " << way.nodes.size() - 1 << " hop"
          << (way.nodes.size() == 2 ? "" : "s") << ": " << way_in_text(ctx, way) << "\n";
      continue;
    }
    o << way.nodes.size() - 1 << " hop" << (way.nodes.size() == 2 ? "" : "s") << "\n  " << way_in_text(ctx, way) << "\n";
  }
  if (opt.limit != 0 && shown > opt.limit) o << "\n... " << shown - opt.limit << " more (--limit 0 shows all)\n";
  return o.str();
}

}  // namespace netvet::engine
