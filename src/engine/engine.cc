// The engine facade (include/netvet/engine.h): every request resolves its
// jurisdiction, takes the reader's view of the KB (view_at, the one
// disclosure layer) and runs the stages on it. No state outlives a call.
#include "netvet/engine.h"

#include <algorithm>

#include "netvet/io.h"

namespace netvet::engine {
namespace {

SharedKb share(std::unique_ptr<KnowledgeBase> kb) { return kb ? SharedKb(std::move(kb)) : nullptr; }

Status missing(const Request& r) {
  if (!r.kb) return Status::failed_precondition("request without a knowledge base");
  if (!r.network) return Status::failed_precondition("request without a network");
  return Status::ok();
}

bool critical_domain(Domain d) {
  return d == Domain::kCore5g || d == Domain::kCore4g || d == Domain::kManagement || d == Domain::kLawfulIntercept;
}

Expected<GraphView> graph_view(const Request& r, const GraphOptionsRequest& g) {
  if (Status s = missing(r); !s) return s;
  auto found = find_jurisdiction(*r.kb, r.jurisdiction);
  if (!found) return found.error();
  GraphView v;
  const KbView view = view_at(r.kb, r.clearance, (*found)->code);
  const Jurisdiction& j = *view.kb->jurisdiction((*found)->code);
  v.kb_version = r.kb->version;
  v.jurisdiction = j.code;
  v.date = r.date;
  v.clearance = r.clearance;
  for (const auto& [level, n] : view.withheld) v.withheld.push_back({level, n});
  if (r.proposal) {
    auto applied = apply_proposal(*r.network, *r.proposal);
    if (!applied) return applied.error();
    v.network = std::make_shared<const Network>(std::move(applied->network));
    v.state = std::move(applied->state);
  } else {
    v.network = r.network;
  }
  const Network& net = *v.network;
  const VendorColumns vendors = resolve_vendors(net, *view.kb, j, r.date);
  GraphOptions opt;
  opt.reporting_propagates = g.reporting_propagates;
  if (!g.protection_stops) opt.stop_protection = 0;
  opt.threads = r.threads;
  opt.profile = r.profile;
  v.graph = AccessGraph::build(net, opt);
  const size_t n = net.components.size();
  for (ComponentIdx c = 0; c < n; ++c) {
    if (c >= vendors.risk.size() || vendors.risk[c] != VendorRisk::kHighRisk) continue;
    v.untrusted.push_back(c);
    const uint32_t b = vendors.basis[c];
    if (b != kNone && b < vendors.basis_classification.size())
      v.marking = std::max(v.marking, vendors.basis_classification[b]);
  }
  if (g.targets.empty()) {
    for (ComponentIdx c = 0; c < n; ++c)
      if (critical_domain(function_domain(net.components.function[c]))) v.critical.push_back(c);
    return v;
  }
  for (const std::string& id : g.targets) {
    auto c = net.find_component(id);
    if (!c) {
      std::string msg = "--target: no component \"" + id + "\" in " + net.source_file;
      if (n <= 100000) {  // a typo hint is worth a scan of a small network, not of a national one
        std::vector<std::string_view> ids;
        for (ComponentIdx k = 0; k < n; ++k) ids.push_back(net.component_id(k));
        if (auto m = did_you_mean(id, ids)) msg += " (did you mean \"" + *m + "\"?)";
      }
      return Status::bad_input(msg);
    }
    v.critical.push_back(*c);
  }
  std::sort(v.critical.begin(), v.critical.end());
  v.critical.erase(std::unique(v.critical.begin(), v.critical.end()), v.critical.end());
  return v;
}

}  // namespace

SharedKb load_kb_dir(const std::string& kb_dir, Diagnostics& diags) {
  return share(load_kb(kb_dir, {}, diags, &validate_rule));
}

SharedKb load_kb_text(const std::string& version, const TextFile& vendors, const std::vector<TextFile>& packs,
                      Diagnostics& diags) {
  return share(netvet::load_kb_text(version, vendors, packs, diags, &validate_rule));
}

SharedKb with_overlays(const SharedKb& base, const std::vector<TextFile>& overlays, Diagnostics& diags) {
  if (!base || overlays.empty()) return base;
  return share(add_overlays(*base, overlays, diags, &validate_rule));
}

SharedKb with_overlay_files(const SharedKb& base, const std::vector<std::string>& files, Diagnostics& diags) {
  std::vector<TextFile> texts;
  for (const auto& f : files) {
    auto text = read_file(f, size_t{16} << 20);
    if (!text) {
      diags.error({f, 0, 0, ""}, "cannot read the overlay: " + text.error().message());
      continue;
    }
    texts.push_back({f, std::move(*text)});
  }
  if (diags.has_errors()) return nullptr;
  return with_overlays(base, texts, diags);
}

Expected<Assessment> assess(const Request& r) {
  if (Status s = missing(r); !s) return s;
  auto found = find_jurisdiction(*r.kb, r.jurisdiction);
  if (!found) return found.error();
  AssessInput in{*r.network, r.proposal.get(), *r.kb, {}};
  in.options.jurisdiction = r.jurisdiction;
  in.options.date = r.date;
  in.options.clearance = r.clearance;
  in.options.threads = r.threads;
  in.options.max_unjudged = r.max_unjudged;
  in.options.profile = r.profile;
  auto a = assess_shared(in, view_at(r.kb, r.clearance, (*found)->code));
  if (a && !r.proposal) a->network = r.network;  // shared, not borrowed: the assessment owns what it names
  return a;
}

Expected<ExposureResult> exposure(const Request& r, const GraphOptionsRequest& g) {
  auto v = graph_view(r, g);
  if (!v) return v.error();
  ExposureResult e;
  e.view = std::move(*v);
  const GraphView& w = e.view;
  e.reach = netvet::exposure(w.graph, w.untrusted);
  e.attribution = attribute(w.graph, w.untrusted, w.critical, 16);
  e.paths = shortest_paths(w.graph, w.untrusted, w.critical);
  e.blast = blast_radius(*w.network, w.graph, w.untrusted);
  // Minimum cuts between untrusted and critical components. An untrusted
  // critical component cannot be cut off from itself: it is listed apart.
  std::vector<ComponentIdx> cut_targets;
  for (ComponentIdx c : w.critical)
    (std::binary_search(w.untrusted.begin(), w.untrusted.end(), c) ? e.untrusted_critical : cut_targets).push_back(c);
  e.vertex_cut = min_vertex_cut(w.graph, w.untrusted, cut_targets);
  e.edge_cut = min_edge_cut(w.graph, w.untrusted, cut_targets);
  return e;
}

Expected<PathsResult> paths(const Request& r, const GraphOptionsRequest& g) {
  auto v = graph_view(r, g);
  if (!v) return v.error();
  PathsResult p;
  p.view = std::move(*v);
  p.paths = shortest_paths(p.view.graph, p.view.untrusted, p.view.critical);
  p.ways_in = access_paths(p.view.graph, p.view.untrusted, p.view.critical);
  return p;
}

Expected<Plan> plan(const PlanRequest& pr) {
  const Request& r = pr.request;
  if (Status s = missing(r); !s) return s;
  auto found = find_jurisdiction(*r.kb, r.jurisdiction);
  if (!found) return found.error();
  // Planned over the reader's view: an action or a cleared rule never names
  // what the reader may not see.
  const KbView view = view_at(r.kb, r.clearance, (*found)->code);
  PlanInput in{*r.network, r.proposal.get(), *view.kb, pr.options};
  in.options.jurisdiction = r.jurisdiction;
  in.options.date = r.date;
  in.options.clearance = r.clearance;
  in.options.threads = r.threads;
  auto p = netvet::plan(in);
  if (!p) return p.error();
  p->marking = view.highest_kept;
  for (const auto& [level, n] : view.withheld) p->withheld.push_back({level, n});
  return p;
}

}  // namespace netvet::engine
