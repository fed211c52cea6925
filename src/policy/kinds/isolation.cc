// isolation: no access path from matching sources to targets unless it crosses
// a protected boundary (NZ GCSB 2018 on Spark's 5G proposal: untrusted RAN with
// a path into the core is a significant network security risk; EU 5G toolbox
// SM03/SM05 on segregating critical functions). Runs on the access graph of
// graph.h: one multi-source attribution and one shortest path per target.
#include <algorithm>
#include <set>

#include "kinds/kinds.h"
#include "netvet/graph.h"

namespace netvet::policy {
namespace {

// How many targets the evidence lists by name; the count covers all of them.
constexpr size_t kListedTargets = 10;

class Isolation final : public RuleKind {
 public:
  std::string_view name() const override { return "isolation"; }

  void validate(const RuleSpec& rule, Diagnostics& diags) const override {
    check_params(rule,
                 {{"targets", ParamType::kSelector, true},
                  {"stop_protection", ParamType::kList, false, -1e300, 1e300, {"encrypted", "integrity", "monitored"}},
                  {"reporting_propagates", ParamType::kBool}},
                 diags);
  }

  void evaluate(const RuleSpec& rule, const ComponentSet& matched, const EvalContext& ctx,
                std::vector<Finding>& out) const override {
    const Selector* target_sel = param_selector(rule, "targets");
    if (!target_sel) return;
    std::vector<ComponentIdx> sources = matched.members();
    if (sources.empty()) return;
    std::vector<ComponentIdx> targets = select(*target_sel, ctx).members();
    if (targets.empty()) return;

    GraphOptions opts;
    std::vector<std::string> stop_names = {"encrypted", "integrity"};
    if (auto l = param_list(rule, "stop_protection")) stop_names = *l;
    opts.stop_protection = kProtNone;
    for (const auto& s : stop_names) {
      if (auto p = parse_protection(s)) opts.stop_protection |= *p;
    }
    opts.reporting_propagates = param_bool(rule, "reporting_propagates").value_or(false);

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

    std::vector<std::vector<ComponentIdx>> paths = shortest_paths(*g, sources, reached);
    const Network& net = ctx.net;
    std::vector<ComponentIdx> best;
    for (size_t i = 0; i < reached.size(); ++i) {
      std::vector<ComponentIdx> p = i < paths.size() ? paths[i] : std::vector<ComponentIdx>{};
      if (p.empty() && matched.test(reached[i])) p = {reached[i]};
      if (p.empty()) continue;
      // Fewest hops first, then by target id, so the path shown is stable.
      if (best.empty() || p.size() < best.size() ||
          (p.size() == best.size() && net.component_id(p.back()) < net.component_id(best.back()))) {
        best = std::move(p);
      }
    }
    if (offenders.empty() && !best.empty()) offenders.insert(best.front());

    Finding f = make_finding(rule, name());
    f.components.assign(offenders.begin(), offenders.end());
    std::string path_text;
    auto path_json = nlohmann::ordered_json::array();
    for (size_t i = 0; i < best.size(); ++i) {
      if (i) path_text += " -> ";
      path_text += net.component_id(best[i]);
      path_json.push_back(net.component_id(best[i]));
    }
    std::string boundary;
    for (const auto& s : stop_names) boundary += (boundary.empty() ? "" : "+") + s;
    f.message = plural(reached.size(), "target") + " of " + std::to_string(targets.size()) + " (" +
                describe_selector(*target_sel) + ") " + (reached.size() == 1 ? "is" : "are") + " reachable on " +
                ctx.date.to_string() + " from " + plural(sources.size(), "component") + " matching " +
                describe_selector(rule.where) + " (" + vendor_summary(ctx, f.components) + ")";
    if (!best.empty()) f.message += "; shortest access path: " + path_text;
    f.message += ". " + (boundary.empty() ? std::string("No link protection counts as a boundary for this rule.")
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
    f.evidence["path"] = std::move(path_json);
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
