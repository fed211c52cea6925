#include <cmath>

#include "policy_testing.h"

namespace netvet {
namespace {

using namespace netvet::testing;

constexpr double kBaseLat = -36.83, kBaseLon = 174.79;  // a naval base

class ExclusionZoneTest : public KindTest {
 protected:
  void SetUp() override {
    KindTest::SetUp();
    t_.net.add_sensitive("base-1", kBaseLat, kBaseLon, 2.0, SensitiveKind::kMilitary);
    t_.net.sensitive.name[0] = t_.net.strings.intern("Naval base");
  }
  RuleSpec zone(double radius_km, std::map<std::string, ParamValue> extra = {}) {
    std::map<std::string, ParamValue> p = {{"radius_km", radius_km}};
    for (auto& [k, v] : extra) p[k] = v;
    return rule("us.zone", "exclusion_zone", sel({{"vendor", {"huawei"}}}), p);
  }
  // A Huawei gNB at a site `north_km`-ish north of the base; returns the exact distance.
  double huawei_site(const std::string& id, double dlat) {
    SiteIdx s = t_.site(id, "Auckland", kBaseLat + dlat, kBaseLon);
    t_.comp(id + "-gnb", Function::kGnb, "Huawei", s);
    return great_circle_km(kBaseLat, kBaseLon, kBaseLat + dlat, kBaseLon);
  }
};

TEST_F(ExclusionZoneTest, EmptyNetworkPasses) { EXPECT_TRUE(run(zone(5), "2024-01-01").findings.empty()); }

TEST_F(ExclusionZoneTest, OutsideTheRadiusPasses) {
  double d = huawei_site("far", 0.2);  // about 22 km
  EXPECT_TRUE(run(zone(d - 1), "2024-01-01").findings.empty());
}

TEST_F(ExclusionZoneTest, ExactlyRKilometresAwayIsInside) {
  double d = huawei_site("edge", 0.05);
  RunResult r = run(zone(d), "2024-01-01");
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_TRUE(r.findings[0].violation);
  EXPECT_EQ(r.findings[0].evidence["location"], "base-1");
  // Just short of the distance, the site is outside.
  EXPECT_TRUE(run(zone(std::nextafter(d, 0.0)), "2024-01-01").findings.empty());
}

TEST_F(ExclusionZoneTest, InsideIsAViolationNamingLocationDistanceAndSites) {
  huawei_site("near", 0.01);  // about 1.1 km
  huawei_site("far", 0.5);
  SiteIdx trusted = t_.site("trusted", "Auckland", kBaseLat, kBaseLon);
  t_.comp("eric", Function::kGnb, "Ericsson", trusted);  // out of scope, at the base itself
  RunResult r = run(zone(5), "2024-01-01");
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding& f = r.findings[0];
  EXPECT_EQ(ids_of(t_.net, f.components), (std::vector<std::string>{"near-gnb"}));
  EXPECT_NE(f.message.find("within 5 km of Naval base (military)"), std::string::npos) << f.message;
  EXPECT_NE(f.message.find("The nearest site, near, is 1.11 km away."), std::string::npos) << f.message;
}

TEST_F(ExclusionZoneTest, KindsFilterLocations) {
  huawei_site("near", 0.01);
  EXPECT_TRUE(run(zone(5, {{"kinds", std::vector<std::string>{"nuclear"}}}), "2024-01-01").findings.empty());
  EXPECT_EQ(run(zone(5, {{"kinds", std::vector<std::string>{"military"}}}), "2024-01-01").findings.size(), 1u);
}

TEST_F(ExclusionZoneTest, WithoutARadiusEachLocationsOwnRadiusApplies) {
  huawei_site("near", 0.01);  // 1.1 km, inside the base's own 2 km
  huawei_site("mid", 0.03);   // 3.3 km, outside it
  RuleSpec r = rule("zone", "exclusion_zone", sel({{"vendor", {"huawei"}}}));
  RunResult run_ = run(r, "2024-01-01");
  ASSERT_EQ(run_.findings.size(), 1u);
  EXPECT_EQ(ids_of(t_.net, run_.findings[0].components), (std::vector<std::string>{"near-gnb"}));
}

TEST_F(ExclusionZoneTest, SitesWithoutCoordinatesGiveAWarningNotSilence) {
  SiteIdx s = t_.site("nowhere", "Auckland");
  t_.comp("lost-gnb", Function::kGnb, "Huawei", s);
  RunResult r = run(zone(5), "2024-01-01");
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_FALSE(r.findings[0].violation);
  EXPECT_NE(r.findings[0].message.find("without coordinates"), std::string::npos) << r.findings[0].message;
}

TEST_F(ExclusionZoneTest, TaggedSitesAreSensitiveToo) {
  t_.net.sensitive = SensitiveTable{};  // no listed locations: only the tag counts
  SiteIdx hq = t_.site("defence-hq", "Wellington", -41.28, 174.77);
  t_.site_tags[hq] = {"defence"};
  t_.comp("hq-router", Function::kRouter, "Huawei", hq);
  SiteIdx next = t_.site("next-door", "Wellington", -41.281, 174.77);
  t_.comp("nd-gnb", Function::kGnb, "Huawei", next);
  t_.finish_tags();
  RunResult none = run(zone(1), "2024-01-01");  // no site_tags param: nothing sensitive
  EXPECT_TRUE(none.findings.empty());
  RunResult r = run(zone(1, {{"site_tags", std::vector<std::string>{"defence"}}}), "2024-01-01");
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(ids_of(t_.net, r.findings[0].components), (std::vector<std::string>{"hq-router", "nd-gnb"}));
}

}  // namespace
}  // namespace netvet
