#include "policy_testing.h"

namespace netvet {
namespace {

using namespace netvet::testing;

class ShareCapTest : public KindTest {
 protected:
  // `total` RAN sites in `region`, the first `huawei` of them with a Huawei gNB,
  // the rest Ericsson; each site serves 1000 subscribers on 3 cells.
  void ran_sites(const std::string& region, int total, int huawei) {
    for (int i = 0; i < total; ++i) {
      SiteIdx s = t_.site(region + "-" + std::to_string(i), region);
      t_.comp(region + "-gnb-" + std::to_string(i), Function::kGnb, i < huawei ? "Huawei" : "Ericsson", s, 1000, 3);
    }
  }
  RuleSpec cap(std::map<std::string, ParamValue> extra = {}) {
    std::map<std::string, ParamValue> p = {{"max_percent", 35.0}, {"scope", sel({{"domain", {"ran"}}})}};
    for (auto& [k, v] : extra) p[k] = v;
    return rule("uk.dvd.ran-cap", "share_cap", sel({{"vendor", {"huawei"}}}), p);
  }
};

TEST_F(ShareCapTest, EmptyNetworkPasses) { EXPECT_TRUE(run(cap(), "2024-01-01").findings.empty()); }

TEST_F(ShareCapTest, BelowTheCapPasses) {
  ran_sites("North", 20, 6);  // 30%
  EXPECT_TRUE(run(cap(), "2024-01-01").findings.empty());
}

TEST_F(ShareCapTest, ExactlyAtTheCapPasses) {
  ran_sites("North", 20, 7);  // 35.0%
  EXPECT_TRUE(run(cap(), "2024-01-01").findings.empty());
}

TEST_F(ShareCapTest, AboveTheCapIsAViolationStatingTheMeasure) {
  ran_sites("North", 20, 8);  // 40%
  RunResult r = run(cap(), "2024-01-01");
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding& f = r.findings[0];
  EXPECT_TRUE(f.violation);
  EXPECT_EQ(f.components.size(), 8u);
  EXPECT_NE(f.message.find("40%"), std::string::npos) << f.message;
  EXPECT_NE(f.message.find("of the sites in the radio access network, over the 35% cap (8 of 20 sites)."),
            std::string::npos)
      << f.message;
  EXPECT_EQ(f.evidence["measure"], "sites");
  EXPECT_EQ(f.evidence["matching"], 8.0);
  EXPECT_EQ(f.evidence["total"], 20.0);
}

TEST_F(ShareCapTest, ASiteCountsOnceHoweverMuchMatchingEquipmentItHas) {
  ran_sites("North", 20, 7);
  // A second Huawei radio at an already-Huawei site leaves the site share at 35%.
  t_.comp("extra-ru", Function::kRu, "Huawei", *t_.net.find_site("North-0"));
  EXPECT_TRUE(run(cap(), "2024-01-01").findings.empty());
  // By count it is now 8 of 21 components, 38.1%.
  RunResult r = run(cap({{"measure", std::string("count")}}), "2024-01-01");
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_NE(r.findings[0].message.find("38.1%"), std::string::npos) << r.findings[0].message;
  EXPECT_NE(r.findings[0].message.find("8 of 21 components"), std::string::npos) << r.findings[0].message;
}

TEST_F(ShareCapTest, SubscriberAndCellMeasures) {
  ran_sites("North", 10, 3);
  t_.net.components.subscribers[0] = 5000;  // Huawei site 0 now serves 5000 of 12000
  RunResult subs = run(cap({{"measure", std::string("subscribers")}}), "2024-01-01");
  ASSERT_EQ(subs.findings.size(), 1u);  // 7000 / 14000 = 50%
  EXPECT_NE(subs.findings[0].message.find("7000 of 14000 subscribers"), std::string::npos) << subs.findings[0].message;
  // Cells are 9 of 30 = 30%: under the cap.
  EXPECT_TRUE(run(cap({{"measure", std::string("cells")}}), "2024-01-01").findings.empty());
}

TEST_F(ShareCapTest, PerRegionFindsTheRegionOverTheCap) {
  ran_sites("North", 20, 8);  // 40%
  ran_sites("South", 20, 2);  // 10%: overall 25%
  EXPECT_TRUE(run(cap(), "2024-01-01").findings.empty());
  RunResult r = run(cap({{"per", std::string("region")}}), "2024-01-01");
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].evidence["region"], "North");
  EXPECT_NE(r.findings[0].message.find("in region North"), std::string::npos) << r.findings[0].message;
}

TEST_F(ShareCapTest, OutOfScopeEquipmentIsNotCounted) {
  ran_sites("North", 10, 3);  // 30% of RAN
  // Huawei core equipment at new sites is outside the RAN scope.
  for (int i = 0; i < 5; ++i)
    t_.comp("core-" + std::to_string(i), Function::kAmf, "Huawei", t_.site("dc-" + std::to_string(i)));
  EXPECT_TRUE(run(cap(), "2024-01-01").findings.empty());
  // Without a scope the share is of the whole network: 8 of 15 sites.
  RuleSpec whole = rule("whole", "share_cap", sel({{"vendor", {"huawei"}}}), {{"max_percent", 35.0}});
  ASSERT_EQ(run(whole, "2024-01-01").findings.size(), 1u);
}

}  // namespace
}  // namespace netvet
