// Writer tests: SARIF validated against the official 2.1.0 schema, the HTML
// report's content and escaping.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

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
  f.evidence = {{"path", {"akl-001-gnb", "upf-edge-1", "smf-<script>alert(1)</script>"}}};
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
  w.components = {u};
  w.citation = {"x", "", "javascript:alert(1)", ""};
  a.findings.push_back(w);
  a.withheld.push_back({Classification::kSecret, 2});
  a.metrics = {{"components", 3}, {"high_risk_share_by_region", {{"Auckland", 0.41}, {"Wellington", 0.0}}}};
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
  EXPECT_NE(h.find("significant-risk"), std::string::npos);
  EXPECT_EQ(h.find("<script"), std::string::npos) << "hostile component id must be escaped";
  EXPECT_NE(h.find("smf-&lt;script&gt;"), std::string::npos);
  EXPECT_NE(h.find("smf &amp; &lt;friends&gt;"), std::string::npos);
  EXPECT_EQ(h.find("javascript:"), std::string::npos) << "only http(s) citations become links";
  EXPECT_NE(h.find("href=\"https://www.legislation.govt.nz/"), std::string::npos);
  EXPECT_NE(h.find("aria-label=\"High-risk share by region\""), std::string::npos);
  EXPECT_NE(h.find("41.0%"), std::string::npos);
  EXPECT_NE(h.find("aria-label=\"attack path\""), std::string::npos);
  EXPECT_NE(h.find(">upf-edge-1<"), std::string::npos);
  EXPECT_NE(h.find("2 findings withheld at SECRET"), std::string::npos);
  // Self-contained: no external fetches.
  EXPECT_EQ(h.find("src=\"http"), std::string::npos);
  EXPECT_EQ(h.find("<link"), std::string::npos);
}

}  // namespace
}  // namespace netvet
