#include "policy_testing.h"

namespace netvet {
namespace {

using namespace netvet::testing;

class ExcludeTest : public KindTest {
 protected:
  RuleSpec core_rule_ = rule("au.core", "exclude", sel({{"vendor", {"huawei", "zte"}}, {"domain", {"core-5g"}}}));
};

TEST_F(ExcludeTest, EmptyNetworkPasses) { EXPECT_TRUE(run(core_rule_, "2024-01-01").findings.empty()); }

TEST_F(ExcludeTest, TrustedCorePasses) {
  t_.comp("amf", Function::kAmf, "Ericsson");
  t_.comp("smf", Function::kSmf, "Nokia");
  EXPECT_TRUE(run(core_rule_, "2024-01-01").findings.empty());
}

TEST_F(ExcludeTest, HighRiskOutsideTheScopeIsNotExcluded) {
  t_.comp("gnb", Function::kGnb, "Huawei");
  t_.comp("amf", Function::kAmf, "Ericsson");
  EXPECT_TRUE(run(core_rule_, "2024-01-01").findings.empty());
}

TEST_F(ExcludeTest, MatchingEquipmentIsAViolationNamingCountVendorAndDate) {
  t_.comp("amf", Function::kAmf, "Huawei");
  t_.comp("smf", Function::kSmf, "ZTE");
  t_.comp("upf", Function::kUpf, "HiSilicon");
  t_.comp("nrf", Function::kNrf, "Ericsson");
  RunResult r = run(core_rule_, "2024-01-01");
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding& f = r.findings[0];
  EXPECT_TRUE(f.violation);
  EXPECT_EQ(ids_of(t_.net, f.components), (std::vector<std::string>{"amf", "smf", "upf"}));
  EXPECT_NE(f.message.find("3 components"), std::string::npos) << f.message;
  EXPECT_NE(f.message.find("Huawei Technologies Co., Ltd. (1)"), std::string::npos) << f.message;
  EXPECT_NE(f.message.find("2024-01-01"), std::string::npos) << f.message;
  EXPECT_EQ(f.evidence["count"], 3);
}

TEST_F(ExcludeTest, RiskBasedExclusionStartsOnTheDesignationDay) {
  // Edge: the UK designation of Huawei takes effect 2022-10-13.
  t_.comp("amf", Function::kAmf, "Huawei");
  RuleSpec r = rule("uk.hrv", "exclude", sel({{"vendor.designated", {"true"}}}));
  EXPECT_TRUE(run(r, "2022-10-12").findings.empty());
  EXPECT_EQ(run(r, "2022-10-13").findings.size(), 1u);
}

}  // namespace
}  // namespace netvet
