#include "policy_testing.h"

namespace netvet {
namespace {

using namespace netvet::testing;

class NotifyTest : public KindTest {
 protected:
  RuleSpec rule_ = rule("nz.ticsa.s48", "notify", sel({{"vendor.risk", {"high"}}, {"domain", {"ran", "core-5g"}}}),
                        {{"authority", std::string("GCSB")}});
};

TEST_F(NotifyTest, EmptyNetworkGivesNothing) { EXPECT_TRUE(run_nz(rule_, "2024-01-01").findings.empty()); }

TEST_F(NotifyTest, WithoutAProposalThereIsNothingToNotify) {
  t_.comp("gnb", Function::kGnb, "Huawei");
  EXPECT_TRUE(run_nz(rule_, "2024-01-01").findings.empty());
}

TEST_F(NotifyTest, OutOfScopeChangesNeedNoNotice) {
  t_.mark(t_.comp("gnb", Function::kGnb, "Ericsson"), ComponentState::kAdded);
  t_.mark(t_.comp("cam", Function::kCamera, "Hikvision"), ComponentState::kAdded);  // not RAN or core
  EXPECT_TRUE(run_nz(rule_, "2024-01-01").findings.empty());
}

TEST_F(NotifyTest, RemovingMatchingEquipmentIsNotifiedToo) {
  // The base network: two Huawei gNBs and an Ericsson one; the proposal removes
  // one Huawei gNB and the Ericsson one (policy-pack.md: adds, changes or removes).
  TestNet base;
  base.comp("gnb-1", Function::kGnb, "Huawei", kNone, 5000);
  base.comp("gnb-2", Function::kGnb, "Huawei", kNone, 7000);
  base.comp("gnb-3", Function::kGnb, "Ericsson", kNone, 9000);
  t_.comp("gnb-1", Function::kGnb, "Huawei", kNone, 5000);
  t_.mark(0, ComponentState::kExisting);  // a proposal: the state column is filled
  const std::vector<ComponentIdx> removed = {1, 2};

  VendorColumns vendors = resolve_vendors(t_.net, *kb_, nz_, D("2024-01-01"));
  std::vector<ComponentState> state = t_.state;
  EvalContext ctx{t_.net, *kb_, nz_, D("2024-01-01"), vendors, state, nullptr};
  EXPECT_TRUE(evaluate_rules({&rule_}, ctx).empty());  // without the base, nothing is seen

  ctx.base = &base.net;
  ctx.removed = &removed;
  std::vector<Finding> out = evaluate_rules({&rule_}, ctx);
  ASSERT_EQ(out.size(), 1u);
  const Finding& f = out[0];
  EXPECT_FALSE(f.violation);
  EXPECT_TRUE(f.components.empty());  // indices refer to the proposed network; the removed are in evidence
  EXPECT_EQ(f.evidence["removed"], 1);
  EXPECT_EQ(f.evidence["removed_components"], nlohmann::ordered_json::array({"gnb-2"}));
  EXPECT_NE(f.message.find("The proposal removes 1 component of Huawei Technologies Co., Ltd. equipment in the radio "
                           "access network, a change that must be notified to GCSB before it proceeds: gnb-2."),
            std::string::npos)
      << f.message;
  EXPECT_EQ(f.evidence["subscribers"], 7000);
}

TEST_F(NotifyTest, AMatchingChangeIsABindingNoticeNotAViolation) {
  t_.comp("old", Function::kGnb, "Huawei");
  t_.mark(t_.comp("gnb", Function::kGnb, "Huawei", kNone, 12000), ComponentState::kAdded);
  t_.mark(t_.comp("amf", Function::kAmf, "ZTE"), ComponentState::kChanged);
  RunResult r = run_nz(rule_, "2024-01-01");
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding& f = r.findings[0];
  EXPECT_FALSE(f.violation);
  EXPECT_TRUE(f.binding);
  EXPECT_EQ(ids_of(t_.net, f.components), (std::vector<std::string>{"amf", "gnb"}));
  EXPECT_NE(f.message.find("adds 1 and changes 1 components"), std::string::npos) << f.message;
  EXPECT_EQ(f.evidence["subscribers"], 12000);
  EXPECT_NE(f.message.find("notified to GCSB"), std::string::npos) << f.message;
}

TEST_F(NotifyTest, ThresholdsAreInclusive) {
  rule_.params["min_components"] = 2.0;
  rule_.params["min_subscribers"] = 1000.0;
  t_.mark(t_.comp("gnb-1", Function::kGnb, "Huawei", kNone, 600), ComponentState::kAdded);
  EXPECT_TRUE(run_nz(rule_, "2024-01-01").findings.empty());  // one component
  t_.mark(t_.comp("gnb-2", Function::kGnb, "Huawei", kNone, 399), ComponentState::kAdded);
  EXPECT_TRUE(run_nz(rule_, "2024-01-01").findings.empty());  // 999 subscribers
  t_.net.components.subscribers[1] = 400;
  EXPECT_EQ(run_nz(rule_, "2024-01-01").findings.size(), 1u);  // exactly 2 and 1000
}

}  // namespace
}  // namespace netvet
