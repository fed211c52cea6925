#include "engine_adapter.h"

#include <nlohmann/json.hpp>
#include <algorithm>
#include <cmath>
#include <future>
#include <iterator>
#include <optional>

#include "netvet/assess.h"
#include "netvet/engine.h"
#include "netvet/graph.h"
#include "netvet/import.h"
#include "netvet/io.h"
#include "netvet/kb.h"
#include "netvet/policy.h"
#include "netvet/report.h"

namespace netvet::server {
namespace {

constexpr Classification kLevels[] = {Classification::kUnclassified, Classification::kRestricted,
                                      Classification::kConfidential, Classification::kSecret,
                                      Classification::kTopSecret};

ReadLimits limits_for(size_t max_bytes) {
  ReadLimits l;
  l.max_bytes = max_bytes;
  return l;
}

Expected<Network> read_net(const std::string& text, Diagnostics& diags, const ReadLimits& l) {
  return native_format(text) == "json" ? parse_network_json(text, "network", diags, l)
                                       : parse_network_yaml(text, "network", diags, l);
}
Expected<Proposal> read_prop(const std::string& text, Diagnostics& diags, const ReadLimits& l) {
  return native_format(text) == "json" ? parse_proposal_json(text, "proposal", diags, l)
                                       : parse_proposal_yaml(text, "proposal", diags, l);
}

Status first_error(const Status& s, const Diagnostics& diags) {
  if (!diags.items().empty()) return Status::bad_input(diags.format());
  return s;
}

}  // namespace

std::string native_format(const std::string& text) {
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    return c == '{' ? "json" : "yaml";
  }
  return "yaml";
}

Expected<ParsedInputs> read_inputs(const std::string& network, const std::string& proposal, size_t max_bytes) {
  Diagnostics diags;
  ReadLimits l = limits_for(max_bytes);
  ParsedInputs out;
  if (!network.empty()) {
    auto net = read_net(network, diags, l);
    if (!net) return first_error(net.error(), diags);
    out.network = std::make_shared<const Network>(std::move(*net));
  }
  if (!proposal.empty()) {
    auto prop = read_prop(proposal, diags, l);
    if (!prop) return first_error(prop.error(), diags);
    out.proposal = std::make_shared<const Proposal>(std::move(*prop));
  }
  return out;
}

Status check_inputs(const std::string& network, const std::string& proposal, size_t max_bytes) {
  auto read = read_inputs(network, proposal, max_bytes);
  return read ? Status{} : read.error();
}

Expected<ImportedInventory> import_inventory(const std::string& format, const std::string& text,
                                             const std::string& file, size_t max_bytes) {
  Diagnostics diags;
  ImportSummary summary;
  ReadLimits l = limits_for(max_bytes);
  std::optional<Expected<Network>> net;
  if (format == "netbox") net.emplace(import_netbox_text(text, file, RoleMap::defaults(), diags, &summary, l));
  else if (format == "cyclonedx") net.emplace(import_cyclonedx_text(text, file, CycloneDxOptions{}, diags, &summary, l));
  else return Status::bad_input("unknown format \"" + format + "\" (expected native, netbox or cyclonedx)");
  if (!*net) return first_error((*net).error(), diags);
  ImportedInventory out;
  for (const auto& d : diags.items())
    if (d.level != DiagLevel::kError) out.warnings.push_back(d.loc.to_string() + ": " + d.message);
  for (const auto& [role, n] : summary.unmapped_roles)
    out.warnings.push_back("NetBox role \"" + role + "\" is not in the role map: " + std::to_string(n) +
                           " device(s) got the placeholder function router, which the assessment cannot judge "
                           "where a rule selects by function or domain (netvet import --role-map maps it)");
  for (const auto& note : summary.notes) out.warnings.push_back(note);
  if (summary.skipped_cables)
    out.warnings.push_back(std::to_string(summary.skipped_cables) +
                           " cable(s) end nowhere a link can be made (power, console or open paths) and were skipped");
  if (format == "netbox")
    if (auto planned = split_planned(**net)) {
      out.proposal = planned->proposal_json;
      out.warnings.push_back(std::to_string(planned->components) +
                             " planned or staged device(s) are not the live network: they are the proposal");
    }
  out.network = write_network_json(**net);
  return out;
}

Expected<std::shared_ptr<const KnowledgeBase>> with_notification_overlays(const KnowledgeBase& kb,
                                                                          const std::vector<std::string>& overlays) {
  if (overlays.empty()) return std::shared_ptr<const KnowledgeBase>();
  std::vector<TextFile> files;
  for (size_t i = 0; i < overlays.size(); ++i) files.push_back({"overlay " + std::to_string(i + 1), overlays[i]});
  Diagnostics diags;
  auto out = engine::with_overlays(SharedKb(SharedKb(), &kb), files, diags);
  if (!out) return Status::bad_input(diags.items().empty() ? "the overlays do not load" : diags.format());
  return std::shared_ptr<const KnowledgeBase>(out);
}

Expected<Classification> check_overlay(const KnowledgeBase& base_kb, const std::vector<std::string>& earlier,
                                       const std::string& text, const std::string& jurisdiction) {
  auto own = with_notification_overlays(base_kb, earlier);
  if (!own) return own.error();
  const KnowledgeBase& kb = *own ? **own : base_kb;
  Diagnostics diags;
  auto out = engine::with_overlays(SharedKb(SharedKb(), &kb), {TextFile{"overlay", text}}, diags);
  if (!out) return Status::bad_input(diags.items().empty() ? "the overlay does not load" : diags.format());
  if (out->overlays.size() != kb.overlays.size() + 1) return Status::bad_input("overlay: not one overlay");
  const auto& o = out->overlays.back();
  const Jurisdiction* mine = kb.jurisdiction(jurisdiction);
  const Jurisdiction* its = kb.jurisdiction(o.jurisdiction);
  if (!mine || its != mine)
    return Status::bad_input("overlay: it is for " + o.jurisdiction + ", and this notification is assessed under " +
                             jurisdiction);
  return o.classification;
}

Expected<GraphJson> access_graph_json(const KnowledgeBase& base_kb, const GraphQuery& q) {
  auto own = with_notification_overlays(base_kb, q.overlays);
  if (!own) return own.error();
  const KnowledgeBase& kb = *own ? **own : base_kb;
  using J = nlohmann::ordered_json;
  Diagnostics diags;
  ReadLimits l = limits_for(q.max_bytes);
  auto base = read_net(q.network, diags, l);
  if (!base) return first_error(base.error(), diags);
  engine::Request r;
  // The server's KB outlives every request: share it without owning it.
  r.kb = SharedKb(SharedKb(), &kb);
  r.network = std::make_shared<const Network>(std::move(*base));
  if (!q.proposal.empty()) {
    auto prop = read_prop(q.proposal, diags, l);
    if (!prop) return first_error(prop.error(), diags);
    r.proposal = std::make_shared<const Proposal>(std::move(*prop));
  }
  auto date = Date::parse(q.date);
  if (!date) return Status::bad_input("date \"" + q.date + "\" is not YYYY-MM-DD");
  r.jurisdiction = q.jurisdiction;
  r.date = *date;
  r.clearance = q.clearance;
  auto e = engine::exposure(r);
  if (!e) return e.error();
  const engine::GraphView& v = e->view;
  const Network& net = *v.network;
  auto text = [&](StrId id) { return std::string(net.str(id)); };
  auto coord = [](double x) { return std::isnan(x) ? J() : J(x); };

  J sites = J::array();
  for (SiteIdx s = 0; s < net.sites.size(); ++s)
    sites.push_back({{"id", text(net.sites.id[s])}, {"name", text(net.sites.name[s])},
                     {"region", text(net.sites.region[s])}, {"lat", coord(net.sites.lat[s])},
                     {"lon", coord(net.sites.lon[s])}});
  std::vector<uint8_t> untrusted(net.components.size()), critical(net.components.size());
  for (ComponentIdx c : v.untrusted) untrusted[c] = 1;
  for (ComponentIdx c : v.critical) critical[c] = 1;
  static constexpr const char* kState[] = {"existing", "added", "changed"};
  J nodes = J::array();
  const auto& c = net.components;
  for (ComponentIdx i = 0; i < c.size(); ++i) {
    J n = {{"id", text(c.id[i])},
           {"site", c.site[i] == kNone ? J() : J(text(net.sites.id[c.site[i]]))},
           {"function", function_name(c.function[i])},
           {"domain", domain_name(function_domain(c.function[i]))},
           {"vendor", text(c.vendor[i])},
           // The engine leaves state empty when there is no proposal: all existing.
           {"state", kState[static_cast<int>(i < v.state.size() ? v.state[i] : ComponentState::kExisting)]},
           {"untrusted", untrusted[i] == 1},
           {"critical", critical[i] == 1}};
    nodes.push_back(std::move(n));
  }
  // The engine's blast radius of each untrusted component: the subscribers and
  // cells whose every access path to the core passes through it.
  J blast = J::array();
  for (size_t k = 0; k < v.untrusted.size(); ++k)
    blast.push_back({v.untrusted[k], e->blast.subscribers[k], e->blast.cells[k]});
  J paths = J::array();
  for (const auto& p : e->paths)
    if (!p.empty()) paths.push_back(p);
  J edges = J::array();
  for (uint32_t from = 0; from < v.graph.node_count(); ++from) {
    auto out = v.graph.out(from);
    auto links = v.graph.out_links(from);
    for (size_t k = 0; k < out.size(); ++k)
      edges.push_back({from, out[k], interface_name(net.links.interface[links[k]])});
  }
  J sensitive = J::array();
  for (uint32_t k = 0; k < net.sensitive.size(); ++k)
    sensitive.push_back({{"id", text(net.sensitive.id[k])}, {"name", text(net.sensitive.name[k])},
                         {"kind", sensitive_kind_name(net.sensitive.kind[k])}, {"lat", net.sensitive.lat[k]},
                         {"lon", net.sensitive.lon[k]}, {"radius_km", net.sensitive.radius_km[k]}});
  J withheld = J::array();
  for (const auto& w : v.withheld)
    withheld.push_back({{"classification", classification_name(w.classification)}, {"count", w.count}});
  J doc = {{"version", q.version},     {"clearance", classification_name(v.clearance)},
           {"marking", classification_name(v.marking)}, {"withheld", std::move(withheld)},
           {"nodes", std::move(nodes)}, {"edges", std::move(edges)},
           {"sites", std::move(sites)}, {"sensitive", std::move(sensitive)}, {"paths", std::move(paths)},
           {"blast", std::move(blast)}};
  return GraphJson{doc.dump(), v.marking};
}

Expected<EngineResult> run_engine(const KnowledgeBase& base_kb, const Job& job, const ParsedInputs* parsed) {
  auto own = with_notification_overlays(base_kb, job.overlays);
  if (!own) return own.error();
  const KnowledgeBase& kb = *own ? **own : base_kb;
  ParsedInputs read;
  if (!parsed) {
    auto r = read_inputs(job.network, job.proposal, size_t{1} << 30);
    if (!r) return r.error();
    read = std::move(*r);
    parsed = &read;
  }
  if (!parsed->network) return Status::bad_input("the job has no network");
  engine::Request r;
  r.kb = SharedKb(SharedKb(), &kb);  // the server's KB outlives every job
  r.network = parsed->network;
  r.proposal = parsed->proposal;
  auto date = Date::parse(job.date);
  if (!date) return Status::bad_input("date \"" + job.date + "\" is not YYYY-MM-DD");
  r.jurisdiction = job.jurisdiction;
  r.date = *date;

  const Jurisdiction* j = kb.jurisdiction(job.jurisdiction);
  if (!j) return Status::not_found("unknown jurisdiction \"" + job.jurisdiction + "\"");
  // Disclosure can only change what a level sees below the most classified
  // content the KB holds for this jurisdiction (its rules and overlays). From
  // that level up the engine's assessment is the same but for its clearance
  // and digest, so one run serves them all; lower levels each get their own.
  Classification top = Classification::kUnclassified;
  for (const RuleSpec* rule : kb.rules_for(*j)) top = std::max(top, rule->classification);
  for (const auto& o : kb.overlays) top = std::max(top, o.classification);

  // The levels the TOP-SECRET run serves differ from it only in clearance and
  // digest: their digests are one pass over the network, on the second core
  // while the engine runs (at 10^5 components each level's own pass took 0.2 s).
  std::vector<Classification> shared;
  for (Classification level : kLevels)
    if (level >= top && level != Classification::kTopSecret) shared.push_back(level);
  std::future<std::vector<std::string>> shared_digests;
  if (!shared.empty())
    shared_digests = std::async(std::launch::async, [&] {
      AssessOptions o;
      o.jurisdiction = r.jurisdiction;
      o.date = r.date;
      return assessment_digests(*r.network, r.proposal.get(), kb, *j, o, shared);
    });

  EngineResult result;
  for (auto it = std::rbegin(kLevels); it != std::rend(kLevels); ++it) {
    Classification level = *it;
    if (level >= top && level != Classification::kTopSecret) continue;  // filled from the TOP-SECRET run
    r.clearance = level;
    auto a = engine::assess(r);
    if (!a) return a.error();
    result.renderings[level] = write_assessment_json(*a);
    if (level != Classification::kTopSecret) continue;
    auto digests = shared.empty() ? std::vector<std::string>() : shared_digests.get();
    for (size_t k = 0; k < shared.size(); ++k) {
      a->clearance = shared[k];
      a->digest = digests[k];
      result.renderings[shared[k]] = write_assessment_json(*a);
    }
    a->clearance = Classification::kTopSecret;
    result.outcome = a->determination.outcome;
    // The TOP-SECRET rendering holds every finding: keep each as the agency's record.
    auto doc = nlohmann::json::parse(result.renderings[level]);
    for (const auto& f : doc["findings"]) {
      FindingRecord r;
      r.ref = f.value("id", "");
      r.rule = f.value("rule", "");
      r.severity = f.value("severity", "");
      r.binding = f.value("binding", true);
      r.classification =
          parse_classification(f.value("classification", "")).value_or(Classification::kTopSecret);
      r.title = f.value("title", "");
      r.message = f.value("message", "");
      r.evidence_json = f.dump();
      result.findings.push_back(std::move(r));
    }
  }
  return result;
}

}  // namespace netvet::server
