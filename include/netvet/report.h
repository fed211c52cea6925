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
std::string write_assessment_text(const Assessment& a, bool color);
// SARIF 2.1.0: one result per finding, rule metadata with the citation as helpUri.
std::string write_assessment_sarif(const Assessment& a);
// One self-contained HTML file: decision, findings, charts and paths as inline SVG.
std::string write_assessment_html(const Assessment& a);

}  // namespace netvet
