// SARIF 2.1.0 writer: one result per visible finding, one rule per distinct
// rule id with its citation as helpUri, and each result located at the source
// line of its first component (in the proposal file for added/changed ones),
// so code-scanning UIs annotate the inventory line that carries the risk.
#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "explain.h"
#include "netvet/report.h"

namespace netvet {
namespace {

using ojson = nlohmann::ordered_json;

std::string level_of(const Finding& f) {
  if (!f.violation || f.severity == Severity::kInfo) return "note";
  if (f.binding && f.severity >= Severity::kHigh) return "error";
  return "warning";
}

bool is_web_url(std::string_view u) { return u.rfind("https://", 0) == 0 || u.rfind("http://", 0) == 0; }

// SARIF wants relative or absolute URIs, not OS paths with spaces.
std::string to_uri(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || std::string_view("/-._~:").find(static_cast<char>(c)) != std::string_view::npos)
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

}  // namespace

std::string write_assessment_sarif(const Assessment& a) {
  ojson rules = ojson::array();
  std::map<std::string, size_t> rule_index;
  for (const auto& f : a.findings) {
    if (rule_index.count(f.rule)) continue;
    rule_index[f.rule] = rules.size();
    ojson r;
    r["id"] = f.rule;
    r["name"] = f.kind;
    r["shortDescription"] = {{"text", f.title.empty() ? f.rule : f.title}};
    std::string cite = f.citation.instrument;
    if (!f.citation.section.empty()) cite += (cite.empty() ? "" : ", ") + f.citation.section;
    if (!cite.empty()) r["fullDescription"] = {{"text", cite}};
    if (is_web_url(f.citation.url)) r["helpUri"] = f.citation.url;
    r["help"] = {{"text", cite.empty() ? f.rule : cite + (f.citation.url.empty() ? "" : " — " + f.citation.url)}};
    r["defaultConfiguration"] = {{"level", level_of(f)}};
    r["properties"] = {{"kind", f.kind},
                       {"binding", f.binding},
                       {"severity", std::string(severity_name(f.severity))},
                       {"tags", ojson::array({"supply-chain", f.kind})}};
    rules.push_back(std::move(r));
  }
  ojson results = ojson::array();
  const Network* net = a.network.get();
  for (const auto& f : a.findings) {
    ojson r;
    r["ruleId"] = f.rule;
    r["ruleIndex"] = rule_index[f.rule];
    r["level"] = level_of(f);
    r["message"] = {{"text", f.message.empty() ? f.title : f.message}};
    ojson locs = ojson::array();
    if (net && !f.components.empty() && f.components.front() < net->components.size()) {
      ComponentIdx c = f.components.front();
      bool in_proposal = !a.proposal_file.empty() && c < a.state.size() && a.state[c] != ComponentState::kExisting;
      std::string file = in_proposal ? a.proposal_file : a.network_file;
      if (file.empty()) file = net->source_file;
      ojson loc;
      if (!file.empty()) {
        ojson phys = {{"artifactLocation", {{"uri", to_uri(file)}}}};
        if (net->components.line[c] > 0) phys["region"] = {{"startLine", net->components.line[c]}};
        loc["physicalLocation"] = std::move(phys);
      }
      ojson logical = ojson::array();
      for (ComponentIdx x : f.components) {
        if (x >= net->components.size()) continue;
        logical.push_back({{"name", std::string(net->component_id(x))}, {"kind", "resource"}});
        if (logical.size() >= 20) break;  // why: SARIF viewers choke on thousands; the full list is in properties
      }
      if (!logical.empty()) loc["logicalLocations"] = std::move(logical);
      if (!loc.empty()) locs.push_back(std::move(loc));
    }
    if (!locs.empty()) r["locations"] = std::move(locs);
    r["partialFingerprints"] = {{"netvetFinding/v1", f.id}};
    ojson comps = ojson::array();
    if (net)
      for (ComponentIdx x : f.components)
        if (x < net->components.size()) comps.push_back(std::string(net->component_id(x)));
    r["properties"] = {{"findingId", f.id},
                       {"severity", std::string(severity_name(f.severity))},
                       {"binding", f.binding},
                       {"violation", f.violation},
                       {"classification", std::string(classification_name(f.classification))},
                       {"components", std::move(comps)},
                       {"evidence", f.evidence}};
    if (auto remedy = report::remediation(a, f); !remedy.empty()) r["properties"]["remediation"] = remedy;
    if (f.unconfirmed) r["properties"]["unconfirmed"] = true;
    results.push_back(std::move(r));
  }
  ojson withheld = ojson::array();
  for (const auto& w : a.withheld)
    withheld.push_back({{"classification", std::string(classification_name(w.classification))}, {"count", w.count}});
  ojson run;
  run["tool"] = {{"driver",
                  {{"name", "netvet"},
                   {"version", a.engine},
                   {"semanticVersion", a.engine},
                   {"informationUri", "https://github.com/netvet/netvet"},
                   {"rules", std::move(rules)}}}};
  run["invocations"] = ojson::array({{{"executionSuccessful", true}}});
  run["results"] = std::move(results);
  run["properties"] = {
      {"determination",
       {{"outcome", a.determination.outcome}, {"score", a.determination.score}, {"reasons", a.determination.reasons}}},
      {"jurisdiction", a.jurisdiction},
      {"date", a.date.to_string()},
      {"clearance", std::string(classification_name(a.clearance))},
      {"kbVersion", a.kb_version},
      {"withheld", std::move(withheld)},
      {"coverage", assessment_coverage_json(a)},
      {"digest", a.digest}};
  if (a.marking != Classification::kUnclassified)  // the marking of what this report shows
    run["properties"]["classification"] = std::string(classification_name(a.marking));
  ojson doc;
  doc["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  doc["version"] = "2.1.0";
  doc["runs"] = ojson::array({std::move(run)});
  return doc.dump(2) + "\n";
}

}  // namespace netvet
