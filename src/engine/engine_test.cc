// The engine facade: a KB from text, overlays from text, requests at a
// clearance, the disclosure rules of docs/assessment.md, and requests from
// several threads over one shared KB.
#include "netvet/engine.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <atomic>
#include <thread>

#include <unistd.h>

#include "netvet/io.h"
#include "netvet/report.h"

namespace netvet {
namespace {

const char* kVendors = R"(netvet-kb: 1
vendors:
  - id: redco
    name: Redco
    country: XX
    designations:
      - {by: ZZ, list: ZZ list, since: 2000-01-01, citation: {instrument: ZZ designation notice, url: https://example.invalid/zz}}
  - id: blueco
    name: Blueco
    country: YY
  - id: greenco
    name: Greenco
    country: YY
)";

const char* kPack = R"(netvet-kb: 1
code: ZZ
name: Test land
authority: Test authority
vendor_risk:
  - designated_by: [ZZ]
    reason: designated
    citation: {instrument: ZZ designation notice, url: https://example.invalid/zz}
rules:
  - id: zz.core-exclusion
    title: No high-risk vendor in the core
    kind: exclude
    where: {vendor.risk: high, domain: [core-5g, core-4g]}
    effective_from: 2000-01-01
    severity: high
    citation: {instrument: ZZ core rule, url: https://example.invalid/core}
)";

const char* kNetwork = R"(netvet: 1
operator: Test
country: ZZ
components:
  - {id: core-amf-1, function: amf, generation: 5g-sa, vendor: Redco}
  - {id: core-smf-1, function: smf, generation: 5g-sa, vendor: Blueco}
  - {id: core-upf-1, function: upf, generation: 5g-sa, vendor: Greenco}
  - {id: gnb-1, function: gnb, generation: 5g-sa, vendor: Greenco}
links:
  - [gnb-1, core-amf-1, n2]
  - [core-amf-1, core-smf-1, sbi]
  - [core-smf-1, core-upf-1, n4]
)";

// A SECRET overlay rating Blueco high-risk, and a SECRET rule of its own.
std::string overlay(const std::string& canary, const std::string& severity, const char* jurisdiction = "ZZ") {
  return std::string("netvet-kb-overlay: 1\nclassification: SECRET\njurisdiction: ") + jurisdiction +
         "\nrules:\n  - id: zz.secret." + canary + "\n    title: " + canary +
         " title\n    kind: exclude\n    where: {function: upf}\n    effective_from: 2000-01-01\n    severity: " +
         severity + "\n    citation: {instrument: " + canary + " instrument}\n" +
         "vendor_assessments:\n  - {vendor: blueco, risk: high, since: 2001-01-01, reason: " + canary + " reason}\n";
}

struct Fixture : ::testing::Test {
  SharedKb kb;
  std::shared_ptr<const Network> net;
  void SetUp() override {
    Diagnostics diags;
    kb = engine::load_kb_text("test-1", {"vendors.yaml", kVendors}, {{"zz.yaml", kPack}}, diags);
    ASSERT_TRUE(kb) << diags.format();
    auto file = std::filesystem::temp_directory_path() / ("engine_test_" + std::to_string(::getpid()) + ".yaml");
    std::ofstream(file) << kNetwork;
    auto n = read_network(file.string(), diags);
    std::filesystem::remove(file);
    ASSERT_TRUE(n) << diags.format();
    net = std::make_shared<const Network>(std::move(*n));
  }
  engine::Request request(SharedKb k, Classification clearance = Classification::kUnclassified) {
    return {std::move(k), net, nullptr, "zz", *Date::parse("2020-01-01"), clearance, 1};
  }
  SharedKb with(const std::string& text) {
    Diagnostics diags;
    auto k = engine::with_overlays(kb, {{"agency.yaml", text}}, diags);
    EXPECT_TRUE(k) << diags.format();
    return k;
  }
};

TEST_F(Fixture, AssessmentOwnsItsNetworkAndTheKbIsShared) {
  auto a = engine::assess(request(kb));
  ASSERT_TRUE(a) << a.error().to_string();
  EXPECT_EQ(a->network, net);  // shared, not borrowed
  EXPECT_EQ(a->determination.outcome, "significant-risk");
  ASSERT_EQ(a->findings.size(), 1u);
  EXPECT_EQ(a->findings[0].rule, "zz.core-exclusion");
}

std::string replaced(std::string s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  return s;
}

TEST_F(Fixture, AnOverlayForAnotherJurisdictionIsAnError) {
  Diagnostics diags;
  const std::string qq = replaced(replaced(kPack, "code: ZZ", "code: QQ"), "zz.core", "qq.core");
  auto two = engine::load_kb_text("test-1", {"vendors.yaml", kVendors}, {{"zz.yaml", kPack}, {"qq.yaml", qq}}, diags);
  ASSERT_TRUE(two) << diags.format();
  auto k = engine::with_overlays(two, {{"agency.yaml", overlay("ALPHA", "low", "QQ")}}, diags);
  ASSERT_TRUE(k) << diags.format();
  auto a = engine::assess(request(k));
  ASSERT_FALSE(a);
  EXPECT_NE(a.error().message().find("overlay agency.yaml is for jurisdiction QQ, not ZZ"), std::string::npos)
      << a.error().message();
  EXPECT_FALSE(engine::exposure(request(k)));
  EXPECT_FALSE(engine::paths(request(k)));
}

// A public rule that matches publicly high-risk equipment and equipment only a
// SECRET rating makes high-risk is split: the UNCLASSIFIED reader sees the
// public part; the classified remainder is withheld and counted.
TEST_F(Fixture, FindingsAreSplitNotRaised) {
  auto k = with(overlay("ALPHA", "low"));
  auto secret = engine::assess(request(k, Classification::kSecret));
  ASSERT_TRUE(secret);
  bool raised = false;
  for (const auto& f : secret->findings)
    if (f.rule == "zz.core-exclusion") {
      raised = f.classification == Classification::kSecret && f.components.size() == 2;
    }
  EXPECT_TRUE(raised) << "at SECRET the rule names both core components";
  EXPECT_EQ(secret->marking, Classification::kSecret);

  auto open = engine::assess(request(k));
  ASSERT_TRUE(open);
  ASSERT_EQ(open->findings.size(), 1u);
  EXPECT_EQ(open->findings[0].rule, "zz.core-exclusion");
  EXPECT_EQ(open->findings[0].classification, Classification::kUnclassified);
  ASSERT_EQ(open->findings[0].components.size(), 1u);
  EXPECT_EQ(net->component_id(open->findings[0].components[0]), "core-amf-1");
  ASSERT_EQ(open->withheld.size(), 1u);
  EXPECT_EQ(open->withheld[0].count, 2);  // the raised finding and the SECRET rule's
  EXPECT_EQ(open->marking, Classification::kUnclassified);
  EXPECT_EQ(open->determination.outcome, "significant-risk");
}

// Two overlays that differ only in classified content (names, severity, the
// reason) give the UNCLASSIFIED reader the same bytes when the outcome is the
// same: score, reasons, metrics and digest included.
TEST_F(Fixture, UnclassifiedOutputDoesNotDependOnClassifiedContent) {
  auto low = engine::assess(request(with(overlay("ALPHA", "low"))));
  auto critical = engine::assess(request(with(overlay("BRAVO", "critical"))));
  ASSERT_TRUE(low && critical);
  EXPECT_EQ(write_assessment_json(*low), write_assessment_json(*critical));
  EXPECT_EQ(write_assessment_text(*low, false), write_assessment_text(*critical, false));
  for (const char* canary : {"ALPHA", "BRAVO", "blueco", "Blueco", "core-upf-1", "zz.secret"}) {
    EXPECT_EQ(write_assessment_json(*critical).find(canary), std::string::npos) << canary;
    EXPECT_EQ(write_assessment_html(*critical).find(canary), std::string::npos) << canary;
    EXPECT_EQ(write_assessment_sarif(*critical).find(canary), std::string::npos) << canary;
  }
  // The SECRET reader sees the difference.
  auto s1 = engine::assess(request(with(overlay("ALPHA", "low")), Classification::kSecret));
  auto s2 = engine::assess(request(with(overlay("BRAVO", "critical")), Classification::kSecret));
  ASSERT_TRUE(s1 && s2);
  EXPECT_NE(s1->digest, s2->digest);
}

TEST_F(Fixture, GraphRequestsSeeOnlyWhatTheReaderMaySee) {
  auto k = with(overlay("ALPHA", "low"));
  auto open = engine::exposure(request(k));
  ASSERT_TRUE(open);
  ASSERT_EQ(open->view.untrusted.size(), 1u);  // Redco only: Blueco's rating is SECRET
  EXPECT_EQ(open->view.marking, Classification::kUnclassified);
  ASSERT_EQ(open->view.withheld.size(), 1u);
  auto secret = engine::paths(request(k, Classification::kSecret));
  ASSERT_TRUE(secret);
  EXPECT_EQ(secret->view.untrusted.size(), 2u);
  EXPECT_EQ(secret->view.marking, Classification::kSecret);
}

// One KB, many requests at once (the server's case): each answer equals the
// sequential one.
TEST_F(Fixture, ConcurrentRequestsOnOneKbAgree) {
  auto k = with(overlay("ALPHA", "high"));
  const std::string want = write_assessment_json(*engine::assess(request(k)));
  const std::string want_secret = write_assessment_json(*engine::assess(request(k, Classification::kSecret)));
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        const bool secret = (t + i) % 2;
        auto a = engine::assess(request(k, secret ? Classification::kSecret : Classification::kUnclassified));
        if (!a || write_assessment_json(*a) != (secret ? want_secret : want)) ++bad;
        if (!engine::paths(request(k))) ++bad;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
}

}  // namespace
}  // namespace netvet
