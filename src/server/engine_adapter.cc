#include "engine_adapter.h"

#include "json_text.h"

#include <nlohmann/json.hpp>
#include <algorithm>
#include <cmath>
#include <future>
#include <iterator>
#include <optional>
#include <unordered_map>

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
  // Written straight to text: at 10^5 components a JSON tree of the nodes
  // was most of the request (allocating and freeing 10^6 values).
  std::string out;
  out.reserve(96 * net.components.size() + 96 * net.sites.size() + 1024);
  auto key = [&](const char* k) {
    out += '"';
    out += k;
    out += "\":";
  };
  auto str = [&](std::string_view t) { append_json_string(out, t); };
  auto num = [&](double x) { out += std::isnan(x) ? std::string("null") : nlohmann::json(x).dump(); };
  auto sep = [&](bool first) {
    if (!first) out += ',';
  };

  out += "{";
  key("version");
  out += std::to_string(q.version);
  out += ',';
  key("clearance");
  str(classification_name(v.clearance));
  out += ',';
  key("marking");
  str(classification_name(v.marking));
  out += ',';
  key("withheld");
  out += '[';
  for (size_t k = 0; k < v.withheld.size(); ++k) {
    sep(k == 0);
    out += "{\"classification\":";
    str(classification_name(v.withheld[k].classification));
    out += ",\"count\":" + std::to_string(v.withheld[k].count) + "}";
  }
  out += "],";

  // Components as arrays with their function, vendor and interface names
  // given once in tables: at 10^5 components, objects with named fields were
  // 25 MB, and the browser's parse of them a fifth of opening the graph page.
  key("functions");
  out += '[';
  for (int f = 0; f < kFunctionCount; ++f) {
    sep(f == 0);
    out += '[';
    str(function_name(static_cast<Function>(f)));
    out += ',';
    str(domain_name(function_domain(static_cast<Function>(f))));
    out += ']';
  }
  out += "],";
  key("interfaces");
  out += '[';
  for (int k = 0; k < kInterfaceCount; ++k) {
    sep(k == 0);
    str(interface_name(static_cast<Interface>(k)));
  }
  out += "],";

  std::vector<uint8_t> flags(net.components.size());  // the engine's state, +4 untrusted, +8 critical
  const auto& c = net.components;
  for (ComponentIdx i = 0; i < c.size() && i < v.state.size(); ++i) flags[i] = static_cast<uint8_t>(v.state[i]);
  for (ComponentIdx i : v.untrusted) flags[i] |= 4;
  for (ComponentIdx i : v.critical) flags[i] |= 8;
  std::unordered_map<StrId, uint32_t> vendor_index;
  std::vector<StrId> vendors;
  std::vector<uint32_t> vendor_of(c.size());
  for (ComponentIdx i = 0; i < c.size(); ++i) {
    auto [it, fresh] = vendor_index.emplace(c.vendor[i], static_cast<uint32_t>(vendors.size()));
    if (fresh) vendors.push_back(c.vendor[i]);
    vendor_of[i] = it->second;
  }
  // Column by column: {id: [...], site: [...], function: [...], vendor: [...], flags: [...]}.
  auto column = [&](const char* name, auto value) {
    key(name);
    out += '[';
    for (ComponentIdx i = 0; i < c.size(); ++i) {
      sep(i == 0);
      value(i);
    }
    out += ']';
  };
  key("nodes");
  out += '{';
  column("id", [&](ComponentIdx i) { str(net.str(c.id[i])); });
  out += ',';
  column("site", [&](ComponentIdx i) { out += c.site[i] == kNone ? std::string("-1") : std::to_string(c.site[i]); });
  out += ',';
  column("function", [&](ComponentIdx i) { out += std::to_string(static_cast<int>(c.function[i])); });
  out += ',';
  column("vendor", [&](ComponentIdx i) { out += std::to_string(vendor_of[i]); });
  out += ',';
  column("flags", [&](ComponentIdx i) { out += std::to_string(flags[i]); });
  out += "},";
  key("vendors");
  out += '[';
  for (size_t k = 0; k < vendors.size(); ++k) {
    sep(k == 0);
    str(net.str(vendors[k]));
  }
  out += "],";

  // One flat array: from, to, interface index, from, ...
  key("edges");
  out += '[';
  bool first = true;
  for (uint32_t from = 0; from < v.graph.node_count(); ++from) {
    auto to = v.graph.out(from);
    auto links = v.graph.out_links(from);
    for (size_t k = 0; k < to.size(); ++k) {
      sep(first);
      first = false;
      out += std::to_string(from) + ',' + std::to_string(to[k]) + ',' +
             std::to_string(static_cast<int>(net.links.interface[links[k]]));
    }
  }
  out += "],";

  key("sites");
  out += '[';
  for (SiteIdx s = 0; s < net.sites.size(); ++s) {
    sep(s == 0);
    out += "{\"id\":";
    str(net.str(net.sites.id[s]));
    out += ",\"name\":";
    str(net.str(net.sites.name[s]));
    out += ",\"region\":";
    str(net.str(net.sites.region[s]));
    out += ",\"lat\":";
    num(net.sites.lat[s]);
    out += ",\"lon\":";
    num(net.sites.lon[s]);
    out += '}';
  }
  out += "],";

  key("sensitive");
  out += '[';
  for (uint32_t k = 0; k < net.sensitive.size(); ++k) {
    sep(k == 0);
    out += "{\"id\":";
    str(net.str(net.sensitive.id[k]));
    out += ",\"name\":";
    str(net.str(net.sensitive.name[k]));
    out += ",\"kind\":";
    str(sensitive_kind_name(net.sensitive.kind[k]));
    out += ",\"lat\":";
    num(net.sensitive.lat[k]);
    out += ",\"lon\":";
    num(net.sensitive.lon[k]);
    out += ",\"radius_km\":";
    num(net.sensitive.radius_km[k]);
    out += '}';
  }
  out += "],";

  // One shortest attack path per reached critical component (node indexes).
  key("paths");
  out += '[';
  first = true;
  for (const auto& p : e->paths) {
    if (p.empty()) continue;
    sep(first);
    first = false;
    out += '[';
    for (size_t k = 0; k < p.size(); ++k) {
      sep(k == 0);
      out += std::to_string(p[k]);
    }
    out += ']';
  }
  out += "],";

  // The engine's blast radius of each untrusted component: the subscribers and
  // cells whose every access path to the core passes through it.
  key("blast");
  out += '[';
  for (size_t k = 0; k < v.untrusted.size(); ++k) {
    sep(k == 0);
    out += '[' + std::to_string(v.untrusted[k]) + ',' + nlohmann::json(e->blast.subscribers[k]).dump() + ',' +
           nlohmann::json(e->blast.cells[k]).dump() + ']';
  }
  out += "]}";
  return GraphJson{std::move(out), v.marking};
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
