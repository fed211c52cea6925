#include "policy_testing.h"

namespace netvet {
namespace {

using namespace netvet::testing;

class ProcurementTest : public KindTest {
 protected:
  void SetUp() override {
    KindTest::SetUp();
    rule_.effective_from = D("2021-01-01");  // UK: no new Huawei 5G equipment from 2021
  }
  RuleSpec rule_ = rule("uk.no-new-huawei", "procurement", sel({{"vendor", {"huawei"}}}));
};

TEST_F(ProcurementTest, EmptyNetworkPasses) { EXPECT_TRUE(run(rule_, "2024-01-01").findings.empty()); }

TEST_F(ProcurementTest, WithoutAProposalInstalledEquipmentIsNotAPurchase) {
  t_.comp("gnb", Function::kGnb, "Huawei");
  EXPECT_TRUE(run(rule_, "2024-01-01").findings.empty());
}

TEST_F(ProcurementTest, AddingTrustedEquipmentPasses) {
  t_.comp("old", Function::kGnb, "Huawei");
  t_.mark(t_.comp("new", Function::kGnb, "Ericsson"), ComponentState::kAdded);
  EXPECT_TRUE(run(rule_, "2024-01-01").findings.empty());
}

TEST_F(ProcurementTest, AddingOrSwappingToMatchingEquipmentIsAViolation) {
  t_.comp("old", Function::kGnb, "Huawei");  // existing: not counted
  t_.mark(t_.comp("new-1", Function::kGnb, "Huawei"), ComponentState::kAdded);
  t_.mark(t_.comp("new-2", Function::kBbu, "HiSilicon"), ComponentState::kAdded);
  t_.mark(t_.comp("swapped", Function::kGnb, "Huawei"), ComponentState::kChanged);
  RunResult r = run(rule_, "2024-01-01");
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding& f = r.findings[0];
  EXPECT_TRUE(f.violation);
  EXPECT_EQ(ids_of(t_.net, f.components), (std::vector<std::string>{"new-1", "new-2", "swapped"}));
  EXPECT_NE(f.message.find("New or changed Huawei Technologies Co., Ltd. and HiSilicon equipment"), std::string::npos)
      << f.message;
  EXPECT_NE(f.message.find(": new-1, new-2 and swapped (3 components)."), std::string::npos) << f.message;
  EXPECT_EQ(f.evidence["added"], 2);
  EXPECT_EQ(f.evidence["changed"], 1);
  EXPECT_NE(f.message.find("since 2021-01-01"), std::string::npos) << f.message;
  EXPECT_EQ(f.evidence["added"], 2);
  EXPECT_EQ(f.evidence["changed"], 1);
}

TEST_F(ProcurementTest, TheBanStartsOnItsEffectiveDate) {
  t_.mark(t_.comp("new", Function::kGnb, "Huawei"), ComponentState::kAdded);
  EXPECT_TRUE(run(rule_, "2020-12-31").findings.empty());
  EXPECT_EQ(run(rule_, "2021-01-01").findings.size(), 1u);
}

}  // namespace
}  // namespace netvet
