#include "netvet/graph.h"
#include "policy_testing.h"

namespace netvet {
namespace {

using namespace netvet::testing;

// Huawei RAN at the edge of a trusted core: gnb -n2- amf -sbi- smf.
class IsolationTest : public KindTest {
 protected:
  void build(uint8_t n2_protection = kProtNone) {
    gnb_ = t_.comp("gnb", Function::kGnb, "Huawei");
    amf_ = t_.comp("amf", Function::kAmf, "Ericsson");
    smf_ = t_.comp("smf", Function::kSmf, "Ericsson");
    t_.net.add_link(gnb_, amf_, Interface::kN2, n2_protection);
    t_.net.add_link(amf_, smf_, Interface::kSbi);
  }
  RuleSpec iso(std::map<std::string, ParamValue> extra = {}) {
    std::map<std::string, ParamValue> p = {{"targets", sel({{"domain", {"core-5g"}}})}};
    for (auto& [k, v] : extra) p[k] = v;
    return rule("nz.gcsb.core-isolation", "isolation", sel({{"vendor.risk", {"high"}}}), p);
  }
  ComponentIdx gnb_ = kNone, amf_ = kNone, smf_ = kNone;
};

TEST_F(IsolationTest, EmptyNetworkPasses) { EXPECT_TRUE(run_nz(iso(), "2024-01-01").findings.empty()); }

TEST_F(IsolationTest, NoUntrustedSourcesPasses) {
  t_.comp("gnb", Function::kGnb, "Nokia");
  t_.comp("amf", Function::kAmf, "Ericsson");
  t_.net.add_link(0, 1, Interface::kN2);
  EXPECT_TRUE(run_nz(iso(), "2024-01-01").findings.empty());
}

TEST_F(IsolationTest, AnUnprotectedPathIntoTheCoreIsAViolationWithAShortestPath) {
  build();
  RunResult r = run_nz(iso(), "2024-01-01");
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding& f = r.findings[0];
  EXPECT_TRUE(f.violation);
  EXPECT_EQ(ids_of(t_.net, f.components), (std::vector<std::string>{"gnb"}));
  EXPECT_EQ(f.evidence["reachable_targets"], 2);
  EXPECT_EQ(f.evidence["path"], (nlohmann::ordered_json{"gnb", "amf"}));
  EXPECT_NE(f.message.find("Huawei Technologies Co., Ltd. equipment in the radio access network can reach 2 critical "
                           "components in the 5G core without crossing a protected boundary: gnb (1 component)."),
            std::string::npos)
      << f.message;
  EXPECT_EQ(f.evidence["reachable_targets"], 2);
  EXPECT_EQ(f.evidence["targets_total"], 2);
  EXPECT_NE(f.message.find("The way in: gnb -[n2]-> amf."), std::string::npos) << f.message;
  // The NZ reading of Huawei's risk is netvet's, and the finding says so.
  EXPECT_EQ(f.evidence["risk_basis"], "netvet's reading of the jurisdiction's criteria");
}

TEST_F(IsolationTest, AProtectedBoundaryStopsThePath) {
  build(kEncrypted | kIntegrity);
  EXPECT_TRUE(run_nz(iso(), "2024-01-01").findings.empty());
}

TEST_F(IsolationTest, ABoundaryMustCarryEveryRequiredFlag) {
  // Edge: encryption without integrity is not the default boundary...
  build(kEncrypted);
  EXPECT_EQ(run_nz(iso(), "2024-01-01").findings.size(), 1u);
  // ...but is one when the rule asks for encryption only.
  EXPECT_TRUE(run_nz(iso({{"stop_protection", std::vector<std::string>{"encrypted"}}}), "2024-01-01").findings.empty());
}

TEST_F(IsolationTest, ACallersGraphWithOtherSemanticsIsNotUsed) {
  build(kEncrypted | kIntegrity);
  GraphOptions none;
  none.stop_protection = kProtNone;  // this graph lets everything through
  AccessGraph g = AccessGraph::build(t_.net, none);
  RuleSpec r = iso();
  EXPECT_TRUE(run_rules(t_, *kb_, nz_, D("2024-01-01"), {&r}, &g).findings.empty());
  GraphOptions same;
  AccessGraph g2 = AccessGraph::build(t_.net, same);
  EXPECT_TRUE(run_rules(t_, *kb_, nz_, D("2024-01-01"), {&r}, &g2).findings.empty());
}

TEST_F(IsolationTest, ReportingEdgesPropagateOnlyWhenTheRuleSaysSo) {
  // A Huawei gNB managed by a trusted EMS that also manages the AMF: the
  // gNB's channel back to its manager is a reporting edge.
  auto gnb = t_.comp("gnb", Function::kGnb, "Huawei");
  auto ems = t_.comp("ems", Function::kEms, "Ericsson");
  auto amf = t_.comp("amf", Function::kAmf, "Ericsson");
  t_.net.add_link(ems, gnb, Interface::kMgmt);
  t_.net.add_link(ems, amf, Interface::kMgmt);
  EXPECT_TRUE(run_nz(iso(), "2024-01-01").findings.empty());
  RunResult r = run_nz(iso({{"reporting_propagates", std::string("true")}}), "2024-01-01");
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].evidence["path"], (nlohmann::ordered_json{"gnb", "ems", "amf"}));
}

// Untrusted equipment that is itself a target is said to be so, not shown as a
// path of no hops; the way in to it comes from another untrusted source.
TEST_F(IsolationTest, AnUntrustedTargetIsStatedAsSuchAndReachedFromAnotherSource) {
  auto amf = t_.comp("amf", Function::kAmf, "Huawei");
  RunResult r = run_nz(iso(), "2024-01-01");
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_TRUE(r.findings[0].evidence["path"].empty());
  EXPECT_EQ(r.findings[0].evidence["itself_critical"][0]["id"], "amf");
  EXPECT_NE(r.findings[0].message.find("amf (Huawei Technologies Co., Ltd. amf) is itself a 5G core function"),
            std::string::npos)
      << r.findings[0].message;
  auto gnb = t_.comp("gnb", Function::kGnb, "Huawei");
  t_.net.add_link(gnb, amf, Interface::kN2);
  r = run_nz(iso(), "2024-01-01");
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].evidence["path"], (nlohmann::ordered_json{"gnb", "amf"}));
  EXPECT_EQ(r.findings[0].evidence["paths"][0]["hops"][0]["interface"], "n2");
}

TEST_F(IsolationTest, TrustedInTheUkIsNotASource) {
  // Out of scope: ZTE is not high-risk in the UK pack used here.
  auto gnb = t_.comp("gnb", Function::kGnb, "ZTE");
  auto amf = t_.comp("amf", Function::kAmf, "Ericsson");
  t_.net.add_link(gnb, amf, Interface::kN2);
  EXPECT_TRUE(run(iso(), "2024-01-01").findings.empty());
  EXPECT_EQ(run_nz(iso(), "2024-01-01").findings.size(), 1u);
}

}  // namespace
}  // namespace netvet
