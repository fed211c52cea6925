// isolation: no access path from matching sources to targets unless it crosses
// a protected boundary (NZ GCSB 2018 on Spark's 5G proposal: untrusted RAN with
// a path into the core is a significant network security risk; EU 5G toolbox
// SM03/SM05 on segregating critical functions). Runs on the access graph of
// graph.h: one multi-source attribution and one shortest path per target.
#include <algorithm>
#include <set>
#include <tuple>

#include "kinds/kinds.h"
#include "netvet/graph.h"

namespace netvet::policy {
namespace {

// How many targets the evidence lists by name; the count covers all of them.
constexpr size_t kListedTargets = 10;

// Which way in a finding leads with: subscriber data, then the core's control
// plane, then its user plane, then the other critical functions.
int target_tier(Function f) {
  switch (f) {
    case Function::kHss:
    case Function::kUdm:
    case Function::kUdr:
    case Function::kAusf:
      return 0;
    case Function::kUpf:
    case Function::kSgw:
    case Function::kPgw:
      return 2;
    default:
      break;
  }
  const Domain d = function_domain(f);
  return d == Domain::kCore5g || d == Domain::kCore4g ? 1 : 3;
}

// "a management", "a 5G core": how the finding names a critical domain.
std::string domain_phrase(Domain d) {
  switch (d) {
    case Domain::kCore5g:
      return "a 5G core";
    case Domain::kCore4g:
      return "a 4G core";
    case Domain::kLawfulIntercept:
      return "a lawful-interception";
    case Domain::kShared:
      return "a shared-service";
    default:
      return "a " + std::string(domain_name(d));
  }
}

struct Params {
  const Selector* targets = nullptr;
  std::vector<std::string> stop_names = {"encrypted", "integrity"};
  GraphOptions graph;  // the boundary: which protection stops access, and whether reporting propagates

  // nullopt for a rule validation rejected (evaluation then yields nothing).
  static std::optional<Params> read(const RuleSpec& rule) {
    Params p;
    p.targets = param_selector(rule, "targets");
    if (!p.targets) return std::nullopt;
    if (auto l = param_list(rule, "stop_protection")) p.stop_names = *l;
    p.graph.stop_protection = kProtNone;
    for (const auto& s : p.stop_names) {
      if (auto prot = parse_protection(s)) p.graph.stop_protection |= *prot;
    }
    p.graph.reporting_propagates = param_bool(rule, "reporting_propagates").value_or(false);
    return p;
  }
};

class Isolation final : public RuleKind {
 public:
  std::string_view name() const override { return "isolation"; }

  const std::vector<ParamSpec>& params() const override {
    static const std::vector<ParamSpec> kParams = {
        {"targets", ParamType::kSelector, true},
        {"stop_protection", ParamType::kList, false, -1e300, 1e300, {"encrypted", "integrity", "monitored"}},
        {"reporting_propagates", ParamType::kBool}};
    return kParams;
  }

  bool uses_access_graph() const override { return true; }

  // Every path from a matching source to a target must be cut: by replacing
  // or removing the source, or by protecting a link on the way.
  bool plan(const RuleSpec& rule, std::span<const Finding>, const EvalContext& ctx,
            std::vector<PlanNeed>& out) const override {
    const auto params = Params::read(rule);
    if (!params) return true;
    out.push_back(plan_need::Isolate{params->graph, select(rule.where, ctx).members(),
                                     select(*params->targets, ctx).members()});
    return true;
  }

  void evaluate(const RuleSpec& rule, const ComponentSet& matched, const EvalContext& ctx,
                std::vector<Finding>& out) const override {
    const auto params = Params::read(rule);
    if (!params) return;
    const Selector* target_sel = params->targets;
    std::vector<ComponentIdx> sources = matched.members();
    if (sources.empty()) return;
    std::vector<ComponentIdx> targets = select(*target_sel, ctx).members();
    if (targets.empty()) return;

    GraphOptions opts = params->graph;
    const std::vector<std::string>& stop_names = params->stop_names;

    // The caller's graph serves when it was built with this rule's semantics;
    // otherwise build one for the rule (a different boundary is a different graph).
    std::optional<AccessGraph> local;
    const AccessGraph* g = ctx.graph;
    if (!g || g->options().stop_protection != opts.stop_protection ||
        g->options().reporting_propagates != opts.reporting_propagates ||
        g->node_count() != ctx.net.components.size()) {
      if (ctx.graph) opts.threads = ctx.graph->options().threads;
      local = AccessGraph::build(ctx.net, opts);
      g = &*local;
    }

    Attribution attr = attribute(*g, sources, targets);
    std::vector<ComponentIdx> reached;
    std::vector<uint32_t> reached_count;
    std::set<ComponentIdx> offenders;
    for (size_t i = 0; i < targets.size(); ++i) {
      const ComponentIdx t = targets[i];
      // A target that is itself a source is reached trivially: the untrusted
      // equipment is inside what was to be isolated.
      const bool self = matched.test(t);
      uint32_t n = i < attr.count.size() ? attr.count[i] : 0;
      if (n == 0 && !self) continue;
      reached.push_back(t);
      reached_count.push_back(std::max<uint32_t>(n, self ? 1 : 0));
      if (self) offenders.insert(t);
      if (i < attr.sources.size()) offenders.insert(attr.sources[i].begin(), attr.sources[i].end());
    }
    if (reached.empty()) return;

    // The way in to each reached target, from an untrusted source other than
    // the target itself (a target that is itself untrusted is stated as such,
    // not as a path of no hops).
    std::vector<AccessPath> ways = access_paths(*g, sources, reached);
    const Network& net = ctx.net;
    std::vector<size_t> rank(reached.size());
    for (size_t i = 0; i < rank.size(); ++i) rank[i] = i;
    // Headline first: the way into subscriber data, then the core's control
    // plane, then its user plane, then the other critical functions; fewer
    // hops first; then by target id, so the paths shown are stable.
    std::sort(rank.begin(), rank.end(), [&](size_t x, size_t y) {
      auto key = [&](size_t i) {
        return std::make_tuple(ways[i].nodes.empty(), target_tier(net.components.function[reached[i]]),
                               ways[i].nodes.size(), net.component_id(reached[i]));
      };
      return key(x) < key(y);
    });
    auto paths_json = nlohmann::ordered_json::array();
    auto headline = nlohmann::ordered_json::array();
    for (size_t k = 0; k < rank.size() && paths_json.size() < kListedTargets; ++k) {
      const AccessPath& way = ways[rank[k]];
      if (way.nodes.empty()) continue;
      auto hops = nlohmann::ordered_json::array();
      for (size_t h = 0; h < way.links.size(); ++h) {
        const LinkIdx l = way.links[h];
        auto prot = nlohmann::ordered_json::array();
        for (Protection p : {kEncrypted, kIntegrity, kMonitored})
          if (net.links.protection[l] & p) prot.push_back(protection_name(p));
        hops.push_back({{"from", std::string(net.component_id(way.nodes[h]))},
                        {"to", std::string(net.component_id(way.nodes[h + 1]))},
                        {"interface", std::string(interface_name(net.links.interface[l]))},
                        {"protection", std::move(prot)}});
      }
      if (headline.empty())
        for (ComponentIdx c : way.nodes) headline.push_back(net.component_id(c));
      paths_json.push_back({{"target", std::string(net.component_id(reached[rank[k]]))},
                            {"function", std::string(function_name(net.components.function[reached[rank[k]]]))},
                            {"hops", std::move(hops)}});
    }
    auto itself = nlohmann::ordered_json::array();  // untrusted equipment that is itself a target
    for (ComponentIdx t : reached)
      if (matched.test(t) && itself.size() < kListedTargets)
        itself.push_back({{"id", std::string(net.component_id(t))},
                          {"function", std::string(function_name(net.components.function[t]))},
                          {"domain", domain_phrase(function_domain(net.components.function[t]))},
                          {"vendor", vendor_display(ctx, t)}});

    Finding f = make_finding(rule, name());
    f.components.assign(offenders.begin(), offenders.end());
    std::string path_text;
    if (!paths_json.empty()) {
      const auto& hops = paths_json.front()["hops"];
      path_text = hops.front()["from"].get<std::string>();
      for (const auto& h : hops) {
        std::string label = h["interface"].get<std::string>();
        for (const auto& p : h["protection"]) label += " " + p.get<std::string>();
        path_text += " -[" + label + "]-> " + h["to"].get<std::string>();
      }
    }
    std::string boundary;
    for (const auto& s : stop_names) boundary += (boundary.empty() ? "" : "+") + s;
    // What is wrong: whose equipment reaches which critical parts, and which components.
    Placement reached_at;
    for (ComponentIdx t : reached) reached_at.add(net, t);
    const Equipment eq(ctx, f.components);
    f.message = eq.what() + " can reach " + plural(reached.size(), "critical component") + " in " +
                reached_at.words() + " without crossing a protected boundary: " + eq.list() + ".";
    if (!path_text.empty()) f.message += " The way in: " + path_text + ".";
    for (const auto& t : itself)
      f.message += " " + t["id"].get<std::string>() + " (" + t["vendor"].get<std::string>() + " " +
                   t["function"].get<std::string>() + ") is itself " + t["domain"].get<std::string>() + " function.";
    f.message += " " + (boundary.empty() ? std::string("No link protection counts as a boundary for this rule.")
                                         : "Every path must cross a link protected by " + boundary + ".");
    f.evidence["sources"] = sources.size();
    f.evidence["reachable_targets"] = reached.size();
    f.evidence["targets_total"] = targets.size();
    std::vector<size_t> order(reached.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return net.component_id(reached[a]) < net.component_id(reached[b]); });
    auto listed = nlohmann::ordered_json::array();
    for (size_t k = 0; k < order.size() && k < kListedTargets; ++k) {
      listed.push_back(
          {{"id", std::string(net.component_id(reached[order[k]]))}, {"sources", reached_count[order[k]]}});
    }
    f.evidence["targets"] = std::move(listed);
    f.evidence["path"] = std::move(headline);
    f.evidence["paths"] = std::move(paths_json);
    if (!itself.empty()) f.evidence["itself_critical"] = std::move(itself);
    f.evidence["stop_protection"] = stop_names;
    f.evidence["reporting_propagates"] = opts.reporting_propagates;
    out.push_back(std::move(f));
  }
};

}  // namespace

const RuleKind& isolation_kind() {
  static const Isolation kKind;
  return kKind;
}

}  // namespace netvet::policy
