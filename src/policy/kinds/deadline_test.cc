#include "policy_testing.h"

namespace netvet {
namespace {

using namespace netvet::testing;

class DeadlineTest : public KindTest {
 protected:
  void SetUp() override {
    KindTest::SetUp();
    rule_.effective_from = D("2020-07-14");
  }
  RunResult at(Date d) { return run_rule(t_, *kb_, uk_, d, rule_); }
  RuleSpec rule_ = rule("uk.dvd.core", "deadline", sel({{"vendor", {"huawei"}}, {"domain", {"core-5g", "core-4g"}}}),
                        {{"by", std::string("2023-12-31")}});
  Date by_ = D("2023-12-31");
};

TEST_F(DeadlineTest, EmptyNetworkPasses) { EXPECT_TRUE(at(D("2024-06-01")).findings.empty()); }

TEST_F(DeadlineTest, NoMatchingEquipmentPassesEvenWhenOverdue) {
  t_.comp("amf", Function::kAmf, "Ericsson");
  t_.comp("gnb", Function::kGnb, "Huawei");  // out of scope: RAN
  EXPECT_TRUE(at(D("2024-06-01")).findings.empty());
}

TEST_F(DeadlineTest, TheDeadlineDayIsAWarningWithZeroDaysLeft) {
  t_.comp("mme", Function::kMme, "Huawei");
  RunResult r = at(by_);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_FALSE(r.findings[0].violation);
  EXPECT_EQ(r.findings[0].evidence["days_left"], 0);
  EXPECT_NE(r.findings[0].message.find("to be removed by 2023-12-31 (0 days left): mme"), std::string::npos)
      << r.findings[0].message;
}

TEST_F(DeadlineTest, TheDayAfterIsAViolationOneDayOverdue) {
  t_.comp("mme", Function::kMme, "Huawei");
  RunResult r = at(Date{by_.days + 1});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_TRUE(r.findings[0].violation);
  EXPECT_EQ(r.findings[0].evidence["days_overdue"], 1);
  EXPECT_NE(r.findings[0].message.find("1 day after the 2023-12-31 removal deadline"), std::string::npos)
      << r.findings[0].message;
  RunResult later = at(D("2024-12-31"));
  EXPECT_EQ(later.findings[0].evidence["days_overdue"], 366);  // 2024 is a leap year
}

TEST_F(DeadlineTest, WarnsOnlyWithinWarnDays) {
  t_.comp("mme", Function::kMme, "Huawei");
  EXPECT_EQ(at(Date{by_.days - 730}).findings.size(), 1u);  // default 730 days ahead
  EXPECT_TRUE(at(Date{by_.days - 731}).findings.empty());
  rule_.params["warn_days"] = 30.0;
  EXPECT_EQ(at(Date{by_.days - 30}).findings[0].evidence["days_left"], 30);
  EXPECT_TRUE(at(Date{by_.days - 31}).findings.empty());
}

TEST_F(DeadlineTest, NothingBeforeTheRuleIsInForce) {
  t_.comp("mme", Function::kMme, "Huawei");
  rule_.effective_from = D("2022-10-13");  // the DVD's date: no warning before it existed
  EXPECT_TRUE(at(D("2022-10-12")).findings.empty());
  EXPECT_EQ(at(D("2022-10-13")).findings.size(), 1u);
}

}  // namespace
}  // namespace netvet
