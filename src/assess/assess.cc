// The assessment pipeline (docs/assessment.md): apply the proposal, resolve
// vendors, build the access graph once, evaluate the jurisdiction's rules,
// decide, disclose at the reader's clearance, measure, digest.
#include "netvet/assess.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <future>
#include <map>
#include <set>
#include <unordered_map>

#include "netvet/graph.h"

namespace netvet {
namespace {

// Shares are rounded so the JSON stays short and identical across compilers'
// last-bit differences in the division (4 decimals = 0.01 percentage points).
double share(double part, double whole) {
  if (whole <= 0) return 0.0;
  return std::round(part / whole * 1e4) / 1e4;
}

// Functions whose reach by untrusted equipment the metrics count: the parts
// the partners' guidance calls critical or sensitive (policies.md §12): core,
// management, lawful interception, shared services, virtualisation.
bool is_critical(Function f) {
  switch (function_domain(f)) {
    case Domain::kCore5g:
    case Domain::kCore4g:
    case Domain::kManagement:
    case Domain::kLawfulIntercept:
    case Domain::kShared:
    case Domain::kVirtualisation:
      return true;
    default:
      return false;
  }
}

Status unknown_jurisdiction(const KnowledgeBase& kb, std::string_view code) {
  std::vector<std::string_view> codes;
  for (const auto& [c, _] : kb.jurisdictions) codes.push_back(c);
  std::string msg = fmt::format("unknown jurisdiction \"{}\"", code);
  if (auto dym = did_you_mean(code, codes)) msg += fmt::format(" (did you mean \"{}\"?)", *dym);
  msg += "; the knowledge base has:";
  for (auto c : codes) msg += fmt::format(" {}", c);
  if (codes.empty()) msg += " none";
  return Status::not_found(std::move(msg));
}

// Figures about the assessed network. Only what the reader may see goes in:
// vendor risk that rests on a classified overlay assessment above the
// clearance counts as the public reading (not high-risk), and no component is
// named, so no withheld finding can be reconstructed from the metrics.
// Per component: 1 when its vendor is high-risk on a basis the reader may see
// (a vendor that only a classified overlay above the clearance rates high
// counts as the public reading).
// `marking` rises to the highest basis shown.
std::vector<uint8_t> visible_high_risk(const VendorColumns& vc, size_t n, Classification clearance,
                                       Classification& marking) {
  std::vector<uint8_t> high(n, 0);
  for (ComponentIdx c = 0; c < n; ++c) {
    if (c >= vc.risk.size() || vc.risk[c] != VendorRisk::kHighRisk) continue;
    uint32_t b = c < vc.basis.size() ? vc.basis[c] : kNone;
    Classification level = b == kNone || b >= vc.basis_classification.size() ? Classification::kUnclassified
                                                                                : vc.basis_classification[b];
    if (level > clearance) continue;
    high[c] = 1;
    marking = std::max(marking, level);
  }
  return high;
}

// The basis of every visible high-risk component the visible findings name,
// once per vendor and reason (docs/assessment.md, "basis").
std::vector<RiskBasisNote> risk_basis(const Network& net, const KnowledgeBase& kb, const Jurisdiction& j,
                                      const VendorColumns& vc, const std::vector<uint8_t>& high,
                                      const std::vector<Finding>& findings) {
  std::map<std::pair<std::string, uint32_t>, RiskBasisNote> notes;  // (vendor, basis) -> note: sorted output
  std::vector<uint8_t> counted(high.size(), 0);
  for (const auto& f : findings) {
    for (ComponentIdx c : f.components) {
      if (c >= high.size() || !high[c] || counted[c] || c >= vc.basis.size() || vc.basis[c] == kNone) continue;
      counted[c] = 1;
      const uint32_t b = vc.basis[c];
      if (b >= vc.bases.size()) continue;
      const uint32_t v = c < vc.vendor.size() ? vc.vendor[c] : kNone;
      std::string vendor = v != kNone && v < kb.vendors.size() ? kb.vendors[v].name
                                                               : std::string(net.strings.view(net.components.vendor[c]));
      RiskBasisNote& note = notes[{vendor, b}];
      if (note.components++ == 0) {
        note.vendor = vendor;
        note.reason = vc.bases[b].reason;
        note.citation = vc.bases[b].citation;
        note.reading = !vc.designated[c] && b < vc.basis_criterion.size() && vc.basis_criterion[b] >= 0;
        note.authority = j.authority.empty() ? j.code : j.authority;
      }
    }
  }
  std::vector<RiskBasisNote> out;
  for (auto& [_, note] : notes) out.push_back(std::move(note));
  return out;
}

nlohmann::ordered_json network_metrics(const Network& net, const std::vector<ComponentState>& state,
                                       const std::vector<std::string>& removed, const VendorColumns& vc,
                                       const AccessGraph* graph, const std::vector<uint8_t>& high) {
  const auto& k = net.components;
  const size_t n = k.size();
  size_t n_high = 0, n_unknown = 0;
  for (ComponentIdx c = 0; c < n; ++c) {
    n_high += high[c];
    if (!high[c] && c < vc.risk.size() && vc.risk[c] == VendorRisk::kUnknown) ++n_unknown;
  }

  nlohmann::ordered_json m = nlohmann::ordered_json::object();
  m["components"] = n;
  m["links"] = net.links.size();
  m["sites"] = net.sites.size();
  if (!state.empty()) {
    size_t added = 0, changed = 0, added_high = 0;
    for (ComponentIdx c = 0; c < n && c < state.size(); ++c) {
      if (state[c] == ComponentState::kAdded) {
        ++added;
        added_high += high[c];
      }
      if (state[c] == ComponentState::kChanged) ++changed;
    }
    m["proposal"] = {
        {"added", added}, {"changed", changed}, {"removed", removed.size()}, {"added_high_risk", added_high}};
  }
  m["vendor_risk"] = {{"high", n_high}, {"unknown", n_unknown}, {"trusted", n - n_high - n_unknown}};

  // High-risk share by the measures rules use (share_cap): sites that host any
  // high-risk component among sites hosting any, components, cells, subscribers.
  std::vector<uint8_t> site_used(net.sites.size(), 0), site_high(net.sites.size(), 0);
  uint64_t cells = 0, cells_high = 0, subs = 0, subs_high = 0;
  for (ComponentIdx c = 0; c < n; ++c) {
    SiteIdx s = k.site[c];
    if (s != kNone && s < site_used.size()) {
      site_used[s] = 1;
      site_high[s] |= high[c];
    }
    cells += k.cells[c];
    subs += k.subscribers[c];
    if (high[c]) {
      cells_high += k.cells[c];
      subs_high += k.subscribers[c];
    }
  }
  size_t sites_used = 0, sites_high = 0;
  for (size_t s = 0; s < site_used.size(); ++s) {
    sites_used += site_used[s];
    sites_high += site_high[s];
  }
  m["high_risk_share"] = {{"sites", share(sites_high, sites_used)},
                          {"components", share(n_high, n)},
                          {"cells", share(cells_high, cells)},
                          {"subscribers", share(subs_high, subs)}};

  // The same per region (a site's region; "" for components without one), so
  // the report can chart where the high-risk equipment is.
  struct RegionCount {
    size_t sites = 0, sites_high = 0, components = 0, components_high = 0;
  };
  // Counted per site's region slot (a site's region is looked up once, not per
  // component: 10^6 string-keyed lookups were most of this function), then
  // named in sorted order for deterministic output.
  std::unordered_map<StrId, uint32_t> slot_of;
  std::vector<RegionCount> counts;
  std::vector<uint32_t> site_slot(site_used.size(), kNone);
  for (size_t s = 0; s < site_used.size(); ++s) {
    if (!site_used[s]) continue;
    auto [it, fresh] = slot_of.try_emplace(net.sites.region[s], static_cast<uint32_t>(counts.size()));
    if (fresh) counts.emplace_back();
    site_slot[s] = it->second;
    RegionCount& r = counts[it->second];
    ++r.sites;
    r.sites_high += site_high[s];
  }
  for (ComponentIdx c = 0; c < n; ++c) {
    SiteIdx s = k.site[c];
    if (s == kNone || s >= site_used.size()) continue;
    RegionCount& r = counts[site_slot[s]];
    ++r.components;
    r.components_high += high[c];
  }
  std::map<std::string_view, const RegionCount*> regions;  // sorted: deterministic output
  for (const auto& [region, slot] : slot_of) regions.emplace(net.strings.view(region), &counts[slot]);
  if (regions.size() > 1 || (regions.size() == 1 && !regions.begin()->first.empty())) {
    nlohmann::ordered_json by = nlohmann::ordered_json::object();
    for (const auto& [name, r] : regions)
      by[std::string(name)] = {{"sites", share(r->sites_high, r->sites)},
                               {"components", share(r->components_high, r->components)}};
    m["high_risk_share_by_region"] = std::move(by);
  }

  if (graph) {
    std::vector<ComponentIdx> sources;
    sources.reserve(n_high);
    for (ComponentIdx c = 0; c < n; ++c)
      if (high[c]) sources.push_back(c);
    std::vector<uint8_t> reach = sources.empty() ? std::vector<uint8_t>(n, 0) : exposure(*graph, sources);
    size_t reached = 0, critical = 0, critical_reached = 0, critical_high = 0;
    std::set<std::string_view> functions;  // sorted: deterministic output
    for (ComponentIdx c = 0; c < n; ++c) {
      bool r = c < reach.size() && reach[c] && !high[c];
      reached += r;
      if (!is_critical(k.function[c])) continue;
      ++critical;
      critical_high += high[c];
      if (r) {
        ++critical_reached;
        functions.insert(function_name(k.function[c]));
      }
    }
    nlohmann::ordered_json e = nlohmann::ordered_json::object();
    e["sources"] = sources.size();
    e["reachable"] = reached;
    e["reachable_share"] = share(reached, n - n_high);
    e["critical"] = critical;
    e["critical_high_risk"] = critical_high;
    e["critical_reached"] = critical_reached;
    e["critical_functions_reached"] = std::vector<std::string>(functions.begin(), functions.end());
    m["exposure"] = std::move(e);
  }
  return m;
}

Status overlay_mismatch(const KnowledgeBase& kb, const Jurisdiction& j) {
  for (const auto& ov : kb.overlays) {
    if (kb.jurisdiction(ov.jurisdiction) == &j) continue;
    // Silently ignoring it would let an analyst believe an agency's
    // assessments were applied when they were not.
    return Status::bad_input(fmt::format("overlay {} is for jurisdiction {}, not {}: pass overlays of {} only",
                                         ov.file.empty() ? "(classified)" : ov.file, ov.jurisdiction, j.code, j.code));
  }
  return Status::ok();
}

}  // namespace

nlohmann::ordered_json json_output_header(std::string_view kb_version, std::string_view jurisdiction, Date date,
                                          std::optional<Classification> clearance, Classification marking) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["netvet"] = 1;
  j["engine"] = kEngineVersion;
  j["kb_version"] = kb_version;
  j["jurisdiction"] = jurisdiction;
  j["date"] = date.to_string();
  if (clearance) j["clearance"] = classification_name(*clearance);
  if (marking != Classification::kUnclassified) j["classification"] = classification_name(marking);
  return j;
}

Expected<const Jurisdiction*> find_jurisdiction(const KnowledgeBase& kb, std::string_view code) {
  const Jurisdiction* j = kb.jurisdiction(code);
  if (!j) return unknown_jurisdiction(kb, code);
  if (Status s = overlay_mismatch(kb, *j); !s) return s;
  return j;
}

Expected<Assessment> assess(const AssessInput& input) {
  // The reader's view of the KB. Without a KB handle to share, the view copies
  // (small: a KB is a few hundred rules and vendors); assess_shared avoids it.
  auto shared = std::shared_ptr<const KnowledgeBase>(std::shared_ptr<const KnowledgeBase>(), &input.kb);
  return assess_shared(input, view_at(shared, input.options.clearance, input.options.jurisdiction));
}

Expected<Assessment> assess_shared(const AssessInput& input, const KbView& view) {
  const KnowledgeBase& kb = input.kb;
  const KnowledgeBase& seen = *view.kb;  // what the reader may see of kb
  const AssessOptions& opt = input.options;
  auto found = find_jurisdiction(kb, opt.jurisdiction);
  if (!found) return found.error();
  const Jurisdiction* j = *found;
  const Jurisdiction* seen_j = seen.jurisdiction(opt.jurisdiction);
  const bool split = &seen != &kb;  // some content lies above the clearance

  // 1. The network as proposed. Without a proposal the state column stays
  // empty: every component is existing (policy.h's contract).
  std::shared_ptr<const Network> assessed;
  std::vector<ComponentState> state;
  std::vector<std::string> removed;
  if (input.proposal) {
    auto applied = apply_proposal(input.network, *input.proposal);
    if (!applied) return applied.error();
    assessed = std::make_shared<const Network>(std::move(applied->network));
    state = std::move(applied->state);
    removed = std::move(applied->removed);
  } else {
    assessed = std::shared_ptr<const Network>(std::shared_ptr<const Network>(), &input.network);  // borrowed
  }
  const Network& net = *assessed;

  // The digest reads only the inputs the reader may see: it runs on the second
  // core meanwhile (when the request's thread budget allows).
  auto digest_of = [&] { return assessment_digest(input.network, input.proposal, seen, *seen_j, opt); };
  std::future<std::string> digest =
      std::async(opt.threads == 1 ? std::launch::deferred : std::launch::async, digest_of);

  // 2. Vendors as the jurisdiction sees them on the date: as they are (for the
  // decision) and as the reader may see them (for everything shown).
  VendorColumns vendors = resolve_vendors(net, kb, *j, opt.date);
  VendorColumns seen_vendors = split ? resolve_vendors(net, seen, *seen_j, opt.date) : VendorColumns{};
  const VendorColumns& shown_vendors = split ? seen_vendors : vendors;

  // 3. One access graph for the isolation rules and the exposure metrics. Its
  // default boundary (encrypted and integrity-protected links stop access) is
  // the isolation kind's default, so those rules reuse it instead of rebuilding.
  std::vector<const RuleSpec*> rules = kb.rules_for(*j);
  bool needs_graph = opt.graph_metrics || std::any_of(rules.begin(), rules.end(), [&](const RuleSpec* r) {
                       const RuleKind* kind = r ? find_rule_kind(r->kind) : nullptr;
                       return kind && kind->uses_access_graph() && r->in_force(opt.date);
                     });
  std::optional<AccessGraph> graph;
  GraphOptions graph_options;
  graph_options.threads = opt.threads;
  graph_options.profile = opt.profile;
  // One assessment asks the graph a few queries: renumbering scattered ids
  // (about 0.5 s of CPU at 10^6) costs more than those queries save.
  graph_options.relabel = Relabel::kNever;
  if (needs_graph) graph = AccessGraph::build(net, graph_options);

  // 4. Rules -> findings.
  // Components the proposal removes, as indices into the base network (notify counts them).
  std::vector<ComponentIdx> removed_idx;
  for (const auto& id : removed) {
    if (auto c = input.network.find_component(id)) removed_idx.push_back(*c);
  }
  EvalContext ctx{net, kb, *j, opt.date, vendors, state, graph ? &*graph : nullptr};
  if (input.proposal) {
    ctx.base = &input.network;
    ctx.removed = &removed_idx;
  }
  std::optional<PhaseTimer> rules_timer;  // the attribution the isolation rules ask is inside it
  rules_timer.emplace(opt.profile, "rules");
  std::vector<Finding> findings = evaluate_rules(rules, ctx);
  mark_inferred(findings, rules, ctx);
  for (auto& f : unknown_vendor_findings(ctx)) findings.push_back(std::move(f));

  // 5. Decide on everything; show what the reader may see. When content lies
  // above the clearance the rules run again on the reader's view, so a public
  // rule reports its public part (split, never raised whole to the level of a
  // classified vendor rating that also matched it).
  // Coverage: the outcome weighs everything that could not be judged; the
  // coverage shown is the reader's view's (a vendor rated only by a classified
  // overlay is unknown to them, and listed as such), like the score.
  Coverage coverage = measure_coverage(rules, ctx, opt.clearance, opt.max_unjudged);
  std::vector<Finding> shown;
  if (split) {
    EvalContext seen_ctx{net, seen, *seen_j, opt.date, seen_vendors, state, graph ? &*graph : nullptr};
    seen_ctx.base = ctx.base;
    seen_ctx.removed = ctx.removed;
    const auto seen_rules = seen.rules_for(*seen_j);
    shown = evaluate_rules(seen_rules, seen_ctx);
    mark_inferred(shown, seen_rules, seen_ctx);
    for (auto& f : unknown_vendor_findings(seen_ctx)) shown.push_back(std::move(f));
  }
  Assessment a;
  a.kb_version = kb.version;
  a.jurisdiction = j->code;
  a.date = opt.date;
  a.clearance = opt.clearance;
  a.determination = disclosed_determination(std::move(findings), split ? &shown : nullptr, opt.clearance, a.findings,
                                            a.withheld);
  apply_coverage(a.determination, coverage);  // the outcome is the real one at every clearance
  if (split) {
    EvalContext seen_ctx{net, seen, *seen_j, opt.date, seen_vendors, state, graph ? &*graph : nullptr};
    seen_ctx.base = ctx.base;
    seen_ctx.removed = ctx.removed;
    // Not even counts of what rules above the clearance could not judge: they
    // would tell a reader how far a classified rule's scope reaches.
    coverage = measure_coverage(seen.rules_for(*seen_j), seen_ctx, opt.clearance, opt.max_unjudged);
  }
  a.coverage = std::move(coverage);
  rules_timer.reset();
  for (const Finding& f : a.findings) a.marking = std::max(a.marking, f.classification);

  // 6. Figures and provenance, from the reader's view only.
  std::vector<uint8_t> high = visible_high_risk(shown_vendors, net.components.size(), opt.clearance, a.marking);
  a.metrics = network_metrics(net, state, removed, shown_vendors, opt.graph_metrics && graph ? &*graph : nullptr, high);
  a.basis = risk_basis(net, seen, *seen_j, shown_vendors, high, a.findings);
  a.high_risk = std::move(high);
  {
    // What the second core's digest still needs once everything else is done.
    PhaseTimer wait(opt.profile, "digest-wait");
    a.digest = digest.get();
  }
  a.network_file = input.network.source_file;
  if (input.proposal) a.proposal_file = input.proposal->source_file;
  a.state = std::move(state);
  a.network = std::move(assessed);
  return a;
}

}  // namespace netvet
