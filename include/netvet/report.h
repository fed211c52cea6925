// Writing an assessment for its readers: json for machines (DESIGN.md's
// contract), text for people, SARIF for code-scanning pipelines, and one
// self-contained HTML report. Writers are pure: they render what assess()
// disclosed and never see a withheld finding.
//
//   auto a = netvet::assess(input);
//   std::string html = netvet::write_assessment_html(*a);
#pragma once

#include <string>

#include "netvet/assess.h"

namespace netvet {

// The JSON shape is DESIGN.md's machine contract (docs/assessment.md).
std::string write_assessment_json(const Assessment& a);
// The assessment JSON's "coverage" block, which SARIF carries too.
nlohmann::ordered_json assessment_coverage_json(const Assessment& a);
// Compact by default (the decision, the summary, one line per finding and its
// way in, the risk basis); verbose adds each finding's evidence and citation
// and the metrics.
std::string write_assessment_text(const Assessment& a, bool color, bool verbose = false);
// SARIF 2.1.0: one result per finding, rule metadata with the citation as helpUri.
std::string write_assessment_sarif(const Assessment& a);
// One self-contained HTML file to forward: the summary paragraph, findings by
// obligation with their remediation, attack paths hop by hop, a site map, the
// high-risk share by region, the risk basis and the metrics (inline SVG, no
// scripts, print CSS).
std::string write_assessment_html(const Assessment& a);

}  // namespace netvet
