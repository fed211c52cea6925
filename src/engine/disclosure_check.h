// Test support for the disclosure property (docs/assessment.md "Disclosure"),
// shared by the property test (disclosure_test.cc, in CI) and the fuzz target
// (tests/fuzz/fuzz_disclosure_yaml.cc): every output of every command and
// format a reader at a clearance gets for one request.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "netvet/engine.h"
#include "netvet/graph_report.h"
#include "netvet/io.h"
#include "netvet/report.h"

namespace netvet::disclosure_check {

// A small KB: Redco is designated (high-risk) in ZZ; two public rules.
inline constexpr const char* kVendors = R"(netvet-kb: 1
vendors:
  - id: redco
    name: Redco
    country: XX
    designations:
      - {by: ZZ, list: ZZ list, since: 2000-01-01, citation: {instrument: ZZ designation notice, url: https://example.invalid/zz}}
  - {id: blueco, name: Blueco, country: YY}
  - {id: greenco, name: Greenco, country: YY}
  - {id: whiteco, name: Whiteco, country: YY}
)";

inline constexpr const char* kPack = R"(netvet-kb: 1
code: ZZ
name: Test land
authority: Test authority
vendor_risk:
  - designated_by: [ZZ]
    reason: designated
    citation: {instrument: ZZ designation notice, url: https://example.invalid/zz}
rules:
  - id: zz.core-exclusion
    title: No high-risk vendor in the core
    kind: exclude
    where: {vendor.risk: high, domain: [core-5g, core-4g]}
    effective_from: 2000-01-01
    severity: high
    citation: {instrument: ZZ core rule, url: https://example.invalid/core}
  - id: zz.ran-cap
    title: High-risk share of the RAN at most 35%
    kind: share_cap
    where: {vendor.risk: high}
    params: {max_percent: 35, measure: count, scope: {domain: ran}}
    effective_from: 2000-01-01
    severity: medium
    citation: {instrument: ZZ cap rule, url: https://example.invalid/cap}
)";

struct Outputs {
  std::string outcome;  // the assessment's outcome ("" when it failed)
  std::vector<std::pair<std::string, std::string>> items;  // (command/format, bytes)
};

// A small cost model so `plan` runs on any generated network.
inline CostModel test_costs(const std::vector<std::string>& trusted_vendors) {
  CostModel c;
  c.file = "costs.yaml";
  c.basis = "test figures";
  for (const auto& v : trusted_vendors) c.vendor_class[v] = "tier1";
  c.replace["*"]["tier1"] = 100;
  c.remove["*"] = 40;
  c.move["*"] = 60;
  c.site_visit = 10;
  c.protect_link = 5;
  return c;
}

inline Outputs render_all(const engine::Request& r, const CostModel* costs) {
  Outputs out;
  auto add = [&](std::string name, std::string bytes) { out.items.emplace_back(std::move(name), std::move(bytes)); };
  auto a = engine::assess(r);
  if (a) {
    out.outcome = a->determination.outcome;
    add("assess/json", write_assessment_json(*a));
    add("assess/text", write_assessment_text(*a, false));
    add("assess/sarif", write_assessment_sarif(*a));
    add("assess/html", write_assessment_html(*a));
  } else {
    add("assess/error", a.error().to_string());
  }
  engine::GraphRenderOptions g;
  g.limit = 0;
  g.network_name = "network.yaml";
  auto e = engine::exposure(r);
  auto p = engine::paths(r);
  for (const char* f : {"text", "json", "dot"}) {
    g.format = f;
    add(std::string("graph-exposure/") + f, e ? engine::render_exposure(*e, g) : e.error().to_string());
    add(std::string("graph-paths/") + f, p ? engine::render_paths(*p, g) : p.error().to_string());
  }
  // kb list | show and export read the same view the engine does.
  const KbView view = view_at(r.kb, r.clearance);
  add("kb-list/text", kb_list_text(*view.kb));
  if (auto t = kb_show_text(*view.kb, r.jurisdiction, r.date)) add("kb-show-jurisdiction/text", *t);
  for (const auto& v : view.kb->vendors)
    if (auto t = kb_show_text(*view.kb, v.id, r.date)) add("kb-show-" + v.id + "/text", *t);
  if (const Jurisdiction* j = view.kb->jurisdiction(r.jurisdiction)) {
    const VendorColumns vendors = resolve_vendors(*r.network, *view.kb, *j, r.date);
    add("export/dot", write_dot(*r.network, &vendors));
    add("export/graphml", write_graphml(*r.network, &vendors));
  }
  if (costs) {
    engine::PlanRequest pr{r, {}};
    pr.options.costs = *costs;
    pr.options.time_limit_s = 10;
    auto plan = engine::plan(pr);
    add("plan/text", plan ? write_plan_text(*plan) : plan.error().to_string());
    add("plan/json", plan ? write_plan_json(*plan) : plan.error().to_string());
  }
  return out;
}

}  // namespace netvet::disclosure_check
