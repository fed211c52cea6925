// Writer tests: SARIF validated against the official 2.1.0 schema, the HTML
// report's content and escaping.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "explain.h"
#include "netvet/report.h"
#include "netvet/policy.h"
#include "support/schema_check.h"

namespace netvet {
namespace {

namespace fs = std::filesystem;

// A small assessed network with one finding per interesting shape: a path, a
// hostile string, a proposal-added component, a withheld count.
Assessment sample() {
  auto net = std::make_shared<Network>();
  auto s = net->add_site("AKL-001");
  net->sites.region[s] = net->strings.intern("Auckland");
  auto g = net->add_component("akl-001-gnb", Function::kGnb);
  net->components.vendor[g] = net->strings.intern("Huawei");
  net->components.site[g] = s;
  net->components.line[g] = 12;
  auto u = net->add_component("upf-edge-1", Function::kUpf);
  net->components.line[u] = 20;
  auto m = net->add_component("smf-<script>alert(1)</script>", Function::kSmf);
  net->components.line[m] = 0;
  net->add_link(g, u, Interface::kN3, kEncrypted);
  net->add_link(u, m, Interface::kN4);
  Assessment a;
  a.kb_version = "2026.11.1";
  a.jurisdiction = "NZ";
  a.date = *Date::parse("2018-11-28");
  a.determination = {"significant-risk", 87, {"F1"}};
  Finding f;
  f.id = "nz.ticsa.5g-hrv-access#0a1b2c3d";
  f.rule = "nz.ticsa.5g-hrv-access";
  f.kind = "isolation";
  f.severity = Severity::kHigh;
  f.title = "High-risk vendor reaches the 5G core";
  f.message = "akl-001-gnb (Huawei) reaches smf & <friends>";
  f.components = {g, m};
  f.evidence = {{"path", {"akl-001-gnb", "upf-edge-1", "smf-<script>alert(1)</script>"}},
                {"paths",
                 {{{"target", "smf-<script>alert(1)</script>"},
                   {"function", "smf"},
                   {"hops",
                    {{{"from", "akl-001-gnb"}, {"to", "upf-edge-1"}, {"interface", "n3"}, {"protection", {"encrypted"}}},
                     {{"from", "upf-edge-1"},
                      {"to", "smf-<script>alert(1)</script>"},
                      {"interface", "n4"},
                      {"protection", nlohmann::ordered_json::array()}}}}}}}};
  f.citation = {"Telecommunications (Interception Capability and Security) Act 2013", "s 48",
                "https://www.legislation.govt.nz/act/public/2013/0091/latest/DLM5177923.html", ""};
  a.findings.push_back(f);
  Finding w;
  w.id = "nz.advice#11111111";
  w.rule = "nz.advice";
  w.kind = "notify";
  w.severity = Severity::kInfo;
  w.violation = false;
  w.binding = false;
  w.message = "notify the GCSB";
  w.evidence = {{"authority", "the GCSB"}};
  w.components = {u};
  w.citation = {"x", "", "javascript:alert(1)", ""};
  a.findings.push_back(w);
  a.withheld.push_back({Classification::kSecret, 2});
  a.metrics = {{"components", 3},
               {"high_risk_share_by_region",
                {{"Auckland", {{"sites", 0.41}, {"components", 0.5}}}, {"Wellington", {{"sites", 0.0}, {"components", 0.0}}}}}};
  net->sites.lat[s] = -36.85;
  net->sites.lon[s] = 174.76;
  net->add_sensitive("base-1", -36.83, 174.79, 2, SensitiveKind::kMilitary);
  a.high_risk = {1, 0, 0};
  a.basis.push_back({"Huawei", "headquartered in CN", true, "GCSB", {"Act", "s 57", "https://example.org/a", "policies.md §1.5"}, 1});
  a.digest = "sha256:00";
  a.network = net;
  a.state = {ComponentState::kAdded, ComponentState::kExisting, ComponentState::kExisting};
  a.network_file = "examples/nz/network.yaml";
  a.proposal_file = "examples/nz/proposal.yaml";
  return a;
}

TEST(Sarif, OneResultPerFindingWithRulesAndLocations) {
  auto a = sample();
  auto doc = nlohmann::json::parse(write_assessment_sarif(a));
  EXPECT_EQ(doc["version"], "2.1.0");
  const auto& run = doc["runs"][0];
  ASSERT_EQ(run["results"].size(), a.findings.size());
  ASSERT_EQ(run["tool"]["driver"]["rules"].size(), 2u);
  EXPECT_EQ(run["tool"]["driver"]["rules"][0]["helpUri"], a.findings[0].citation.url);
  EXPECT_FALSE(run["tool"]["driver"]["rules"][1].contains("helpUri"));  // not a web URL
  const auto& r0 = run["results"][0];
  EXPECT_EQ(r0["ruleId"], a.findings[0].rule);
  EXPECT_EQ(r0["level"], "error");
  // The gNB is added by the proposal: the location is the proposal file's line.
  EXPECT_EQ(r0["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], a.proposal_file);
  EXPECT_EQ(r0["locations"][0]["physicalLocation"]["region"]["startLine"], 12);
  EXPECT_EQ(r0["locations"][0]["logicalLocations"][0]["name"], "akl-001-gnb");
  const auto& r1 = run["results"][1];
  EXPECT_EQ(r1["level"], "note");
  EXPECT_EQ(r1["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], a.network_file);
  EXPECT_EQ(r1["locations"][0]["physicalLocation"]["region"]["startLine"], 20);
  // What clears each finding travels with it, as the text report words it.
  EXPECT_EQ(r1["properties"]["remediation"], report::remediation(a, a.findings[1]));
  EXPECT_NE(r1["properties"]["remediation"].get<std::string>().find("Notify the GCSB"), std::string::npos);
  EXPECT_EQ(run["properties"]["determination"]["outcome"], "significant-risk");
}

TEST(Sarif, ValidatesAgainstTheOfficialSchema) {
  std::string schema = std::string(NETVET_FIXTURES_DIR) + "/sarif/sarif-schema-2.1.0.json";
  if (!fs::exists(schema)) GTEST_SKIP() << "fixture not found: " << schema;
  auto dir = fs::temp_directory_path() / ("netvet-sarif-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto a = sample();
  std::ofstream(dir / "full.sarif") << write_assessment_sarif(a);
  Assessment empty;
  empty.determination = {"no-significant-risk", 0, {}};
  std::ofstream(dir / "empty.sarif") << write_assessment_sarif(empty);
  auto res = validate_json(schema, {(dir / "full.sarif").string(), (dir / "empty.sarif").string()});
  fs::remove_all(dir);
  if (!res) GTEST_SKIP() << "python3-jsonschema not installed (apt-get install python3-jsonschema)";
  ASSERT_EQ(res->size(), 2u);
  for (const auto& [f, err] : *res) EXPECT_EQ(err, "") << f;
}

TEST(Html, SelfContainedEscapedWithChartsAndPaths) {
  auto a = sample();
  std::string h = write_assessment_html(a);
  EXPECT_NE(h.find(">Significant risk<"), std::string::npos);
  EXPECT_EQ(h.find("<script"), std::string::npos) << "hostile component id must be escaped";
  EXPECT_NE(h.find("smf-&lt;script&gt;"), std::string::npos);
  EXPECT_NE(h.find("smf &amp; &lt;friends&gt;"), std::string::npos);
  EXPECT_EQ(h.find("javascript:"), std::string::npos) << "only http(s) citations become links";
  EXPECT_NE(h.find("href=\"https://www.legislation.govt.nz/"), std::string::npos);
  EXPECT_NE(h.find("aria-label=\"High-risk share by region\""), std::string::npos);
  EXPECT_NE(h.find("41.0%"), std::string::npos);
  EXPECT_NE(h.find("aria-label=\"attack path akl-001-gnb to smf-&lt;script&gt;"), std::string::npos);
  EXPECT_NE(h.find(">upf-edge-1<"), std::string::npos);
  EXPECT_NE(h.find(">n3<"), std::string::npos) << "each hop names its interface";
  EXPECT_NE(h.find(">unprotected<"), std::string::npos) << "and its protection";
  EXPECT_NE(h.find("2 findings are withheld at SECRET"), std::string::npos);
  // The summary comes first, then the findings; the basis once; the map.
  const size_t summary = h.find("<h2>Summary</h2>"), findings = h.find("<h2>Findings</h2>");
  ASSERT_NE(summary, std::string::npos);
  EXPECT_LT(summary, findings);
  EXPECT_NE(h.find("The proposal raises a significant network security risk under NZ rules on 2018-11-28."),
            std::string::npos);
  EXPECT_NE(h.find("To clear it:"), std::string::npos);
  EXPECT_NE(h.find("Notify the GCSB"), std::string::npos) << "the notify remediation names the authority";
  EXPECT_NE(h.find("<h2>Basis for vendor risk</h2>"), std::string::npos);
  EXPECT_NE(h.find("not a designation by GCSB"), std::string::npos);
  EXPECT_EQ(h.find("policies.md"), std::string::npos) << "the fact-sheet reference is internal";
  EXPECT_NE(h.find("aria-label=\"Sites: high-risk sites and exclusion zones\""), std::string::npos);
  EXPECT_NE(h.find("AKL-001 (high-risk equipment)"), std::string::npos);
  EXPECT_NE(h.find("@media print"), std::string::npos);
  EXPECT_EQ(h.find("<pre>"), std::string::npos) << "metrics are tables, not raw JSON";
  // Self-contained: no external fetches.
  EXPECT_EQ(h.find("src=\"http"), std::string::npos);
  EXPECT_EQ(h.find("<link"), std::string::npos);
}

TEST(Text, CompactByDefaultVerboseOnRequest) {
  auto a = sample();
  const std::string compact = write_assessment_text(a, false);
  const std::string verbose = write_assessment_text(a, false, true);
  EXPECT_NE(compact.find("path: akl-001-gnb -[n3 encrypted]-> upf-edge-1 -[n4]-> smf-<script>"), std::string::npos)
      << compact;
  EXPECT_EQ(compact.find("Metrics"), std::string::npos) << "metrics are for --verbose";
  EXPECT_NE(verbose.find("Metrics"), std::string::npos);
  EXPECT_NE(verbose.find("path to smf-<script>alert(1)</script>"), std::string::npos) << verbose;
  EXPECT_NE(compact.find("Basis for vendor risk"), std::string::npos);
  for (const auto& out : {compact, verbose, write_assessment_json(a), write_assessment_sarif(a)})
    EXPECT_EQ(out.find("policies.md"), std::string::npos);
}

TEST(Text, CleanResultSaysNoFindingsUnlessSomethingWasWithheld) {
  Assessment a;
  a.jurisdiction = "NZ";
  a.determination = {"no-significant-risk", 0, {}};
  EXPECT_NE(write_assessment_text(a, false).find("\nNo findings.\n"), std::string::npos) << write_assessment_text(a, false);
  a.withheld.push_back({Classification::kSecret, 1});
  const std::string t = write_assessment_text(a, false);
  EXPECT_EQ(t.find("\nNo findings.\n"), std::string::npos);
  EXPECT_NE(t.find("No findings visible at UNCLASSIFIED; 1 finding is withheld (1 at SECRET)."), std::string::npos) << t;
}

}  // namespace
}  // namespace netvet
