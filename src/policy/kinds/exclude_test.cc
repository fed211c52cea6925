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
  // What is wrong, in words: whose equipment, where, which components; the figures in evidence.
  EXPECT_EQ(f.message,
            "HiSilicon, Huawei Technologies Co., Ltd. and 1 other vendor's equipment in the 5G core, where the rule "
            "excludes it: amf, smf and upf (3 components).");
  EXPECT_EQ(f.evidence["date"], "2024-01-01");
  EXPECT_EQ(f.evidence["count"], 3);
}

// A finding lists its components in byte order of their ids (evaluate.cc
// sorts on each id's first 16 bytes and compares the rest only on a tie):
// ids sharing 8 and 16-byte prefixes, prefixes of one another, bytes above
// 0x7f, given in a scrambled order.
TEST_F(ExcludeTest, ComponentsAreListedInByteOrderOfTheirIds) {
  std::vector<std::string> ids = {"a", "ab", "abcdefgh", "abcdefgh0", "abcdefghijklmnop", "abcdefghijklmnopq",
                                  "abcdefghijklmnoo-z", "abcdefghijklmnopa", "b\xc3\xa9", "b\x7f", "site-000123-ru-1",
                                  "site-000123-ru-10", "site-000123-ru-2", "Z", "0"};
  std::vector<std::string> scrambled = ids;
  for (size_t i = 0; i < scrambled.size(); ++i) std::swap(scrambled[i], scrambled[(i * 7 + 3) % scrambled.size()]);
  for (const std::string& id : scrambled) t_.comp(id, Function::kAmf, "Huawei");
  RunResult r = run(core_rule_, "2024-01-01");
  ASSERT_EQ(r.findings.size(), 1u);
  std::sort(ids.begin(), ids.end());  // std::string compares bytes as unsigned char
  EXPECT_EQ(ids_of(t_.net, r.findings[0].components), ids);
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
