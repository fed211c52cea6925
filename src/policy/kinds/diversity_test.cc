#include "policy_testing.h"

namespace netvet {
namespace {

using namespace netvet::testing;

class DiversityTest : public KindTest {
 protected:
  RuleSpec div(std::map<std::string, ParamValue> params) {
    return rule("eu.toolbox.sm05", "diversity", sel({{"domain", {"ran"}}}), params);
  }
  void gnbs(const std::string& vendor, int n, const std::string& region = "R") {
    for (int i = 0; i < n; ++i) {
      std::string id = vendor + "-" + region + "-" + std::to_string(i);
      t_.comp(id, Function::kGnb, vendor, t_.site(id, region));
    }
  }
};

TEST_F(DiversityTest, EmptyNetworkPasses) {
  EXPECT_TRUE(run(div({{"max_vendor_percent", 50.0}, {"min_vendors", 2.0}}), "2024-01-01").findings.empty());
}

TEST_F(DiversityTest, BalancedVendorsPass) {
  gnbs("Ericsson", 2);
  gnbs("Nokia", 2);
  EXPECT_TRUE(run(div({{"max_vendor_percent", 50.0}, {"min_vendors", 2.0}}), "2024-01-01").findings.empty());
}

TEST_F(DiversityTest, ExactlyAtTheLimitPasses) {
  gnbs("Ericsson", 3);
  gnbs("Nokia", 1);
  EXPECT_TRUE(run(div({{"max_vendor_percent", 75.0}}), "2024-01-01").findings.empty());
}

TEST_F(DiversityTest, OneVendorAboveTheLimitIsAViolation) {
  gnbs("Ericsson", 3);
  gnbs("Nokia", 1);
  t_.comp("amf", Function::kAmf, "Nokia");  // out of scope: core
  RunResult r = run(div({{"max_vendor_percent", 50.0}}), "2024-01-01");
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding& f = r.findings[0];
  EXPECT_EQ(f.components.size(), 3u);
  EXPECT_EQ(f.evidence["vendor"], "Ericsson");
  EXPECT_NE(f.message.find("Ericsson has 75%"), std::string::npos) << f.message;
  EXPECT_NE(f.message.find("3 of 4 components"), std::string::npos) << f.message;
}

TEST_F(DiversityTest, TooFewVendorsIsAViolation) {
  gnbs("Ericsson", 3);
  gnbs("Nokia", 1);
  EXPECT_TRUE(run(div({{"min_vendors", 2.0}}), "2024-01-01").findings.empty());
  RunResult r = run(div({{"min_vendors", 3.0}}), "2024-01-01");
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].evidence["vendors"], 2);
  EXPECT_EQ(r.findings[0].components.size(), 4u);
}

TEST_F(DiversityTest, UnknownSpellingsCountAsTheirNormalisedSelf) {
  gnbs("Acme Radio", 1);
  gnbs("ACME RADIO", 1);
  gnbs("Ericsson", 1);
  gnbs("Telefonaktiebolaget LM Ericsson", 1);  // an alias: the same KB vendor
  RunResult r = run(div({{"min_vendors", 3.0}}), "2024-01-01");
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].evidence["vendors"], 2);
}

TEST_F(DiversityTest, PerRegionAndSiteMeasure) {
  gnbs("Ericsson", 2, "North");
  gnbs("Nokia", 2, "North");
  gnbs("Ericsson", 3, "South");
  RunResult r = run(div({{"min_vendors", 2.0}, {"per", std::string("region")}}), "2024-01-01");
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].evidence["region"], "South");
  RunResult sites = run(div({{"max_vendor_percent", 60.0}, {"measure", std::string("sites")}}), "2024-01-01");
  ASSERT_EQ(sites.findings.size(), 1u);  // Ericsson at 5 of 7 sites
  EXPECT_NE(sites.findings[0].message.find("5 of 7 sites"), std::string::npos) << sites.findings[0].message;
}

}  // namespace
}  // namespace netvet
