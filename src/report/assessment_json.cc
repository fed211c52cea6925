// The assessment as JSON: DESIGN.md's machine contract, documented field by
// field in docs/assessment.md. ordered_json keeps keys in contract order and
// dump(2) is byte-stable, so the same Assessment always gives the same bytes.
#include <nlohmann/json.hpp>

#include "explain.h"
#include "netvet/report.h"

namespace netvet {
namespace {

using ordered_json = nlohmann::ordered_json;

ordered_json citation_json(const Citation& c) {
  ordered_json j = ordered_json::object();
  j["instrument"] = c.instrument;
  j["section"] = c.section;
  j["url"] = c.url;
  return j;
}

std::string component_name(const Assessment& a, ComponentIdx c) {
  // Without the network (a hand-built Assessment) the index is all we have.
  if (!a.network || c >= a.network->components.size()) return "#" + std::to_string(c);
  return std::string(a.network->component_id(c));
}

// What the assessment could not judge (docs/assessment.md, "Coverage").
ordered_json coverage_block(const Assessment& a) {
  const Coverage& cov = a.coverage;
  auto counts = [](size_t no_vendor, size_t unknown_vendor, size_t fallback, size_t no_generation, size_t no_domain) {
    ordered_json o = ordered_json::object();
    o["no-vendor"] = no_vendor;
    o["unknown-vendor"] = unknown_vendor;
    o["fallback-function"] = fallback;
    o["no-generation"] = no_generation;
    o["no-domain"] = no_domain;
    return o;
  };
  ordered_json j = ordered_json::object();
  j["components"] = cov.components;
  j["lacking"] = counts(cov.no_vendor, cov.unknown_vendor, cov.fallback_function, cov.no_generation, cov.no_domain);
  j["unjudged"] = cov.unjudged.size();
  j["max_unjudged"] = cov.max_unjudged;
  ordered_json supply = ordered_json::array();
  for (const auto& [c, bits] : cov.unjudged) {
    ordered_json o = ordered_json::object();
    o["component"] = component_name(a, c);
    o["supply"] = unjudged_names(bits);
    supply.push_back(std::move(o));
  }
  j["supply"] = std::move(supply);
  ordered_json rules = ordered_json::array();
  for (const auto& r : cov.rules) {
    ordered_json o = ordered_json::object();
    o["rule"] = r.rule;
    o["title"] = r.title;
    o["decides"] = r.decides;
    o["unjudged"] = r.components.size();
    o["why"] = counts(r.no_vendor, r.unknown_vendor, r.fallback_function, r.no_generation, r.no_domain);
    ordered_json comps = ordered_json::array();
    for (ComponentIdx c : r.components) comps.push_back(component_name(a, c));
    o["components"] = std::move(comps);
    rules.push_back(std::move(o));
  }
  j["rules"] = std::move(rules);
  return j;
}

}  // namespace

ordered_json assessment_coverage_json(const Assessment& a) { return coverage_block(a); }

std::string write_assessment_json(const Assessment& a) {
  ordered_json j = json_output_header(a.kb_version, a.jurisdiction, a.date, a.clearance, a.marking);

  ordered_json det = ordered_json::object();
  det["outcome"] = a.determination.outcome;
  det["score"] = a.determination.score;
  det["reasons"] = a.determination.reasons;
  j["determination"] = std::move(det);
  j["coverage"] = coverage_block(a);

  ordered_json findings = ordered_json::array();
  for (const auto& f : a.findings) {
    ordered_json o = ordered_json::object();
    o["id"] = f.id;
    o["rule"] = f.rule;
    o["kind"] = f.kind;
    o["severity"] = severity_name(f.severity);
    o["binding"] = f.binding;
    // Not every finding is a breach: deadline warnings and notify obligations
    // are findings with violation false; only violations can decide the outcome.
    o["violation"] = f.violation;
    o["unconfirmed"] = f.unconfirmed;
    o["classification"] = classification_name(f.classification);
    o["title"] = f.title;
    o["message"] = f.message;
    // What clears it, in the words the text and HTML reports use (with --plan,
    // the cheapest plan's work): consumers such as the web UI show it as is.
    o["remediation"] = report::remediation(a, f);
    ordered_json comps = ordered_json::array();
    for (ComponentIdx c : f.components) comps.push_back(component_name(a, c));
    o["components"] = std::move(comps);
    o["evidence"] = f.evidence.is_null() ? ordered_json::object() : f.evidence;
    o["citation"] = citation_json(f.citation);
    findings.push_back(std::move(o));
  }
  j["findings"] = std::move(findings);

  ordered_json withheld = ordered_json::array();
  for (const auto& w : a.withheld) {
    ordered_json o = ordered_json::object();
    o["classification"] = classification_name(w.classification);
    o["count"] = w.count;
    withheld.push_back(std::move(o));
  }
  j["withheld"] = std::move(withheld);

  ordered_json basis = ordered_json::array();
  for (const auto& b : a.basis) {
    ordered_json o = ordered_json::object();
    o["vendor"] = b.vendor;
    o["reason"] = b.reason;
    o["reading"] = b.reading;
    if (b.reading) o["not_designated_by"] = b.authority;
    o["components"] = b.components;
    o["citation"] = citation_json(b.citation);
    basis.push_back(std::move(o));
  }
  j["basis"] = std::move(basis);
  j["metrics"] = a.metrics.is_null() ? ordered_json::object() : a.metrics;
  j["digest"] = a.digest;
  // error_handler::replace: a message carrying invalid UTF-8 from an input file
  // must not turn a finished assessment into an exception.
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace netvet
