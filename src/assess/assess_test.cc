// Tests of the assessment: the determination rule, disclosure, the digest and
// the writers on hand-built findings and knowledge bases (no kb/ data), so a
// change to the NZ pack cannot make these pass or fail.
#include "netvet/assess.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "netvet/inference.h"
#include "netvet/io.h"
#include "netvet/report.h"

namespace netvet {
namespace {

Finding make_finding(std::string id, Severity sev, bool binding = true, bool violation = true,
                     Classification cls = Classification::kUnclassified) {
  Finding f;
  f.id = std::move(id);
  f.rule = "test.rule";
  f.kind = "exclude";
  f.severity = sev;
  f.binding = binding;
  f.violation = violation;
  f.classification = cls;
  f.message = "message of " + f.id;
  return f;
}

// ---- determination ---------------------------------------------------------

TEST(Determine, NoFindingsIsNoSignificantRisk) {
  auto d = determine({});
  EXPECT_EQ(d.outcome, "no-significant-risk");
  EXPECT_EQ(d.score, 0);
  EXPECT_TRUE(d.reasons.empty());
}

TEST(Determine, AdvisoryAndNonViolationsDoNotDecide) {
  // A binding notify obligation (violation false) and an advisory critical
  // violation: neither is a binding violation, so nothing is decided against.
  auto d = determine(
      {make_finding("notice", Severity::kHigh, true, false), make_finding("advice", Severity::kCritical, false, true)});
  EXPECT_EQ(d.outcome, "no-significant-risk");
  EXPECT_TRUE(d.reasons.empty());
  EXPECT_GT(d.score, 0) << "advisory violations still raise the score inside the band";
  EXPECT_LE(d.score, 29);
}

TEST(Determine, BindingBelowHighIsMitigable) {
  auto d = determine({make_finding("m1", Severity::kMedium), make_finding("l1", Severity::kLow)});
  EXPECT_EQ(d.outcome, "risk-mitigable");
  EXPECT_EQ(d.reasons, (std::vector<std::string>{"m1", "l1"}));
  EXPECT_GE(d.score, 30);
  EXPECT_LE(d.score, 69);
}

TEST(Determine, BindingHighIsSignificantAndReasonsAreTheSevereOnes) {
  auto d = determine({make_finding("m1", Severity::kMedium), make_finding("h1", Severity::kHigh),
                      make_finding("c1", Severity::kCritical), make_finding("adv", Severity::kCritical, false)});
  EXPECT_EQ(d.outcome, "significant-risk");
  // Most severe first; the medium one does not drive a significant-risk outcome.
  EXPECT_EQ(d.reasons, (std::vector<std::string>{"c1", "h1"}));
  EXPECT_GE(d.score, 70);
  EXPECT_LE(d.score, 100);
}

TEST(Determine, ScoreGrowsWithMoreViolationsAndStaysInBand) {
  std::vector<Finding> fs;
  int last = -1;
  for (int i = 0; i < 40; ++i) {
    fs.push_back(make_finding("h" + std::to_string(i), Severity::kHigh));
    int s = determine(fs).score;
    EXPECT_GE(s, last);
    EXPECT_LE(s, 100);
    last = s;
  }
  EXPECT_EQ(last, 100);
  // One high violation: 70 + round(30 * 0.4) = 82 (docs/assessment.md).
  EXPECT_EQ(determine({make_finding("h", Severity::kHigh)}).score, 82);
}

// ---- disclosure ------------------------------------------------------------

// disclosed_determination with no view (shown == nullptr): findings above the
// clearance are withheld and counted; the outcome is the real one.
Determination disclose_for(std::vector<Finding> fs, Classification clearance, std::vector<Finding>& visible,
                           std::vector<Withheld>& withheld) {
  return disclosed_determination(std::move(fs), nullptr, clearance, visible, withheld);
}

TEST(Disclose, WithholdsAboveClearanceAndCountsByLevel) {
  std::vector<Finding> fs = {make_finding("pub", Severity::kHigh),
                             make_finding("s1", Severity::kHigh, true, true, Classification::kSecret),
                             make_finding("s2", Severity::kLow, true, true, Classification::kSecret),
                             make_finding("ts", Severity::kCritical, true, true, Classification::kTopSecret),
                             make_finding("r", Severity::kMedium, true, true, Classification::kRestricted)};
  std::vector<Finding> visible;
  std::vector<Withheld> withheld;
  auto d = disclose_for(fs, Classification::kRestricted, visible, withheld);
  ASSERT_EQ(visible.size(), 2u);
  EXPECT_EQ(visible[0].id, "pub");
  EXPECT_EQ(visible[1].id, "r");
  ASSERT_EQ(withheld.size(), 2u);
  EXPECT_EQ(withheld[0].classification, Classification::kSecret);
  EXPECT_EQ(withheld[0].count, 2);
  EXPECT_EQ(withheld[1].classification, Classification::kTopSecret);
  EXPECT_EQ(withheld[1].count, 1);
  EXPECT_EQ(d.outcome, "significant-risk");
  // The visible high finding explains the outcome: no withheld reason is needed.
  EXPECT_EQ(d.reasons, (std::vector<std::string>{"pub"}));
  // 1 - (1-0.4)(1-0.2)(1-0.2)^3 = 0.754 of the 70-100 band.
  EXPECT_EQ(d.score, 93);
}

TEST(Disclose, DecisionStillReflectsWithheldFindings) {
  // Only a SECRET finding is severe: the operator must still get significant-risk.
  std::vector<Finding> fs = {make_finding("s1", Severity::kCritical, true, true, Classification::kSecret)};
  std::vector<Finding> visible;
  std::vector<Withheld> withheld;
  auto d = disclose_for(fs, Classification::kUnclassified, visible, withheld);
  EXPECT_EQ(d.outcome, "significant-risk");
  EXPECT_TRUE(visible.empty());
  EXPECT_EQ(d.reasons, (std::vector<std::string>{"withheld:SECRET"}));
  EXPECT_EQ(d.score, 76);  // 70 + 30 x 0.2: one withheld finding, whatever its severity
}

// Issue 13: the score was 93 with a critical SECRET rule and 83 with a low one,
// revealing the withheld finding's severity. Now it is one figure for both.
TEST(Disclose, ScoreAndReasonsDoNotRevealWithheldSeverity) {
  for (Severity secret : {Severity::kInfo, Severity::kLow, Severity::kHigh, Severity::kCritical}) {
    std::vector<Finding> fs = {make_finding("pub", Severity::kHigh),
                               make_finding("s", secret, true, true, Classification::kSecret)};
    std::vector<Finding> visible;
    std::vector<Withheld> withheld;
    auto d = disclose_for(fs, Classification::kUnclassified, visible, withheld);
    EXPECT_EQ(d.score, 86) << severity_name(secret);  // 70 + 30 x (1 - 0.6 x 0.8)
    EXPECT_EQ(d.reasons, (std::vector<std::string>{"pub"})) << severity_name(secret);
  }
}

TEST(Disclose, AListOfFindingsIsWithheldWholeAndCounted) {
  std::vector<Finding> fs = {make_finding("pub", Severity::kHigh),
                             make_finding("s1", Severity::kHigh, true, true, Classification::kSecret),
                             make_finding("ts", Severity::kCritical, true, true, Classification::kTopSecret)};
  auto out = disclose(fs, determine(fs).reasons, Classification::kUnclassified);
  ASSERT_EQ(out.visible.size(), 1u);
  EXPECT_EQ(out.visible[0].id, "pub");
  ASSERT_EQ(out.withheld.size(), 2u);
  EXPECT_EQ(out.reasons, (std::vector<std::string>{"pub", "withheld:SECRET", "withheld:TOP-SECRET"}));
}

TEST(Disclose, AtTopSecretNothingIsWithheld) {
  std::vector<Finding> fs = {make_finding("s1", Severity::kHigh, true, true, Classification::kSecret),
                             make_finding("ts", Severity::kHigh, true, true, Classification::kTopSecret)};
  std::vector<Finding> visible;
  std::vector<Withheld> withheld;
  auto d = disclose_for(fs, Classification::kTopSecret, visible, withheld);
  EXPECT_EQ(visible.size(), 2u);
  EXPECT_TRUE(withheld.empty());
  EXPECT_EQ(d.reasons, (std::vector<std::string>{"s1", "ts"}));
  EXPECT_EQ(d.score, determine(fs).score);
}

// ---- digest ----------------------------------------------------------------

Network small_network() {
  Network net;
  net.operator_name = "Test Telecom";
  net.country = "NZ";
  auto s = net.add_site("AKL-001");
  net.sites.region[s] = net.strings.intern("Auckland");
  net.sites.lat[s] = -36.8485;
  net.sites.lon[s] = 174.7633;
  auto g = net.add_component("akl-001-gnb", Function::kGnb);
  net.components.site[g] = s;
  net.components.vendor[g] = net.strings.intern("Huawei");
  net.components.cells[g] = 3;
  auto amf = net.add_component("core-amf-1", Function::kAmf);
  net.components.vendor[amf] = net.strings.intern("Ericsson");
  net.add_link(g, amf, Interface::kN2);
  return net;
}

KnowledgeBase small_kb() {
  KnowledgeBase kb;
  kb.version = "test.1";
  Vendor hw;
  hw.id = "huawei";
  hw.name = "Huawei";
  hw.country = "CN";
  kb.vendors.push_back(hw);
  Jurisdiction j;
  j.code = "NZ";
  j.name = "New Zealand";
  RuleSpec r;
  r.id = "nz.test.exclude";
  r.kind = "exclude";
  r.where.all.push_back({"vendor.risk", {"high"}, {}, {}});
  r.params["max_percent"] = 35.0;
  j.rules.push_back(r);
  kb.jurisdictions["NZ"] = std::move(j);
  return kb;
}

AssessOptions options() {
  AssessOptions o;
  o.jurisdiction = "NZ";
  o.date = *Date::parse("2018-11-28");
  return o;
}

TEST(Digest, SameInputsSameDigest) {
  auto kb = small_kb();
  auto a = assessment_digest(small_network(), nullptr, kb, kb.jurisdictions.at("NZ"), options());
  auto b = assessment_digest(small_network(), nullptr, kb, kb.jurisdictions.at("NZ"), options());
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.rfind("sha256:", 0), 0u);
  EXPECT_EQ(a.size(), 7u + 64u);
}

// One pass for several clearances gives exactly each clearance's own digest.
TEST(Digest, SeveralClearancesInOnePassMatchEachAlone) {
  auto kb = small_kb();
  const auto& j = kb.jurisdictions.at("NZ");
  std::vector<Classification> levels = {Classification::kTopSecret, Classification::kUnclassified,
                                        Classification::kSecret};
  auto many = assessment_digests(small_network(), nullptr, kb, j, options(), levels);
  ASSERT_EQ(many.size(), levels.size());
  for (size_t i = 0; i < levels.size(); ++i) {
    auto o = options();
    o.clearance = levels[i];
    EXPECT_EQ(many[i], assessment_digest(small_network(), nullptr, kb, j, o)) << i;
  }
  EXPECT_NE(many[0], many[1]);
  EXPECT_NE(many[1], many[2]);
}

TEST(Digest, ChangesWhenAnyInputChanges) {
  auto kb = small_kb();
  const auto& j = kb.jurisdictions.at("NZ");
  auto base = assessment_digest(small_network(), nullptr, kb, j, options());

  auto net = small_network();
  net.components.vendor[0] = net.strings.intern("Nokia");
  EXPECT_NE(assessment_digest(net, nullptr, kb, j, options()), base) << "component vendor";

  net = small_network();
  net.links.protection[0] = kEncrypted;
  EXPECT_NE(assessment_digest(net, nullptr, kb, j, options()), base) << "link protection";

  net = small_network();
  net.sites.lat[0] = -36.8484;
  EXPECT_NE(assessment_digest(net, nullptr, kb, j, options()), base) << "site latitude";

  auto o = options();
  o.date = *Date::parse("2018-11-29");
  EXPECT_NE(assessment_digest(small_network(), nullptr, kb, j, o), base) << "date";
  o = options();
  o.clearance = Classification::kSecret;
  EXPECT_NE(assessment_digest(small_network(), nullptr, kb, j, o), base) << "clearance";

  auto kb2 = small_kb();
  kb2.version = "test.2";
  EXPECT_NE(assessment_digest(small_network(), nullptr, kb2, kb2.jurisdictions.at("NZ"), options()), base)
      << "kb version";
  kb2 = small_kb();
  kb2.jurisdictions.at("NZ").rules[0].params["max_percent"] = 36.0;
  EXPECT_NE(assessment_digest(small_network(), nullptr, kb2, kb2.jurisdictions.at("NZ"), options()), base)
      << "rule parameter";
  kb2 = small_kb();
  kb2.overlays.push_back(Overlay{});
  EXPECT_NE(assessment_digest(small_network(), nullptr, kb2, kb2.jurisdictions.at("NZ"), options()), base) << "overlay";

  Proposal p;
  p.title = "5G";
  EXPECT_NE(assessment_digest(small_network(), &p, kb, j, options()), base) << "proposal present";
  Proposal p2 = Proposal{};
  p2.title = "5G build";
  EXPECT_NE(assessment_digest(small_network(), &p2, kb, j, options()),
            assessment_digest(small_network(), &p, kb, j, options()))
      << "proposal content";
}

TEST(Digest, IgnoresFileNamesAndSourceLines) {
  auto kb = small_kb();
  const auto& j = kb.jurisdictions.at("NZ");
  auto net = small_network();
  auto base = assessment_digest(net, nullptr, kb, j, options());
  net.source_file = "/elsewhere/network.yaml";
  net.components.line[0] = 42;
  EXPECT_EQ(assessment_digest(net, nullptr, kb, j, options()), base);
}

TEST(Digest, Sha256KnownAnswer) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// ---- writers ---------------------------------------------------------------

Assessment hand_built(Classification clearance) {
  auto net = std::make_shared<Network>(small_network());
  std::vector<Finding> fs;
  auto pub = make_finding("nz.test.isolation#00000001", Severity::kHigh);
  pub.kind = "isolation";
  pub.components = {0};
  pub.evidence["path"] = {"akl-001-gnb", "core-amf-1"};
  pub.citation = {"TICSA 2013", "s48", "https://legislation.govt.nz/", ""};
  fs.push_back(pub);
  auto secret = make_finding("nz.secret.rule#00000002", Severity::kCritical, true, true, Classification::kSecret);
  secret.message = "SECRET-MESSAGE-TEXT";
  secret.components = {1};
  fs.push_back(secret);
  Assessment a;
  a.kb_version = "test.1";
  a.jurisdiction = "NZ";
  a.date = *Date::parse("2018-11-28");
  a.clearance = clearance;
  a.determination = disclosed_determination(fs, nullptr, clearance, a.findings, a.withheld);
  a.metrics["components"] = 2;
  a.digest = "sha256:0";
  a.network = net;
  return a;
}

TEST(Writers, JsonFollowsTheContract) {
  auto a = hand_built(Classification::kUnclassified);
  auto text = write_assessment_json(a);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  auto j = nlohmann::ordered_json::parse(text);
  std::vector<std::string> keys;
  for (const auto& [k, _] : j.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"netvet", "engine", "kb_version", "jurisdiction", "date", "clearance",
                                            "determination", "coverage", "findings", "withheld", "basis", "metrics", "digest"}));
  EXPECT_EQ(j["determination"]["outcome"], "significant-risk");
  EXPECT_EQ(j["findings"].size(), 1u);
  EXPECT_EQ(j["findings"][0]["components"][0], "akl-001-gnb");
  EXPECT_EQ(j["findings"][0]["evidence"]["path"][1], "core-amf-1");
  EXPECT_EQ(j["withheld"][0]["classification"], "SECRET");
  EXPECT_EQ(j["withheld"][0]["count"], 1);
  // The visible high finding explains the outcome, so no "withheld:LEVEL" reason is added:
  // which finding drives the decision would otherwise depend on the withheld severity.
  EXPECT_EQ(j["determination"]["reasons"], nlohmann::ordered_json::array({j["findings"][0]["id"]}));
}

TEST(Writers, TextPutsDecisionFirstAndColoursOnlyWhenAsked) {
  auto a = hand_built(Classification::kUnclassified);
  auto plain = write_assessment_text(a, false);
  EXPECT_EQ(plain.rfind("SIGNIFICANT RISK", 0), 0u) << plain;
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
  EXPECT_NE(plain.find("akl-001-gnb -> core-amf-1"), std::string::npos) << plain;
  EXPECT_NE(plain.find("1 finding above UNCLASSIFIED (SECRET 1)"), std::string::npos) << plain;
  auto coloured = write_assessment_text(a, true);
  EXPECT_NE(coloured.find("\x1b[1;31m"), std::string::npos);
}

TEST(Writers, TextListsFirstComponentsAndHowManyMore) {
  auto a = hand_built(Classification::kUnclassified);
  auto net = std::make_shared<Network>(small_network());
  for (int i = 0; i < 20; ++i) net->add_component("extra-" + std::to_string(i), Function::kGnb);
  a.network = net;
  a.findings[0].components.clear();
  for (ComponentIdx c = 0; c < net->components.size(); ++c) a.findings[0].components.push_back(c);
  auto text = write_assessment_text(a, false, /*verbose=*/true);
  EXPECT_NE(text.find("and 14 more"), std::string::npos) << text;
}

// No output format may carry any trace of a finding above the reader's clearance.
TEST(Writers, WithheldFindingLeavesNoTraceInAnyFormat) {
  for (auto clearance : {Classification::kUnclassified, Classification::kSecret}) {
    auto a = hand_built(clearance);
    bool visible = clearance >= Classification::kSecret;
    for (const auto& out : {write_assessment_json(a), write_assessment_text(a, false)}) {
      EXPECT_EQ(out.find("SECRET-MESSAGE-TEXT") != std::string::npos, visible) << out;
      EXPECT_EQ(out.find("nz.secret.rule") != std::string::npos, visible) << out;
    }
  }
}

// ---- the pipeline on an in-test KB ------------------------------------------
// Selectors here use function, id and state only, so the tests do not depend on
// vendor resolution or on any kb/ data.

Network pipeline_network() {
  Network net;
  net.operator_name = "Test Telecom";
  net.country = "NZ";
  auto site = net.add_site("AKL-001");
  auto enb = net.add_component("akl-001-enb", Function::kEnb);
  net.components.site[enb] = site;
  net.components.cells[enb] = 3;
  auto mme = net.add_component("core-mme-1", Function::kMme);
  auto hss = net.add_component("core-hss-1", Function::kHss);
  net.add_component("secret-box-7", Function::kRouter);
  net.add_link(enb, mme, Interface::kS1Mme, kEncrypted | kIntegrity);
  net.add_link(mme, hss, Interface::kS6a);
  return net;
}

Proposal pipeline_proposal(uint8_t protection) {
  Proposal p;
  p.title = "5G";
  p.add.add_component("akl-001-gnb", Function::kGnb);
  p.add_site_ref.push_back("AKL-001");
  p.add_parent_ref.push_back("");
  p.add_links.push_back({"akl-001-gnb", "core-mme-1", Interface::kS1Mme, protection, 0});
  return p;
}

RuleSpec rule(std::string id, std::string kind, Selector where, Severity sev, Classification cls) {
  RuleSpec r;
  r.id = std::move(id);
  r.title = r.id + " title";
  r.kind = std::move(kind);
  r.where = std::move(where);
  r.severity = sev;
  r.classification = cls;
  r.citation = {"Test Act", "s1", "https://example.invalid/", ""};
  return r;
}

KnowledgeBase pipeline_kb(bool with_secret) {
  KnowledgeBase kb;
  kb.version = "test.1";
  Jurisdiction j;
  j.code = "NZ";
  j.name = "New Zealand";
  Selector added_ran;
  added_ran.all.push_back({"function", {"gnb"}, {}});
  added_ran.all.push_back({"state", {"added", "changed"}, {}});
  Selector core;
  core.all.push_back({"domain", {"core-4g"}, {}});
  auto iso = rule("t.isolation", "isolation", added_ran, Severity::kHigh, Classification::kUnclassified);
  iso.params["targets"] = core;
  j.rules.push_back(iso);
  kb.jurisdictions["NZ"] = std::move(j);
  if (with_secret) {
    Overlay o;
    o.classification = Classification::kSecret;
    o.jurisdiction = "NZ";
    Selector box;
    box.all.push_back({"id", {"secret-box-7"}, {}});
    auto r = rule("t.zulu-secret-rule", "exclude", box, Severity::kCritical, Classification::kSecret);
    r.title = "ZULU secret title";
    o.rules.push_back(r);
    kb.overlays.push_back(std::move(o));
  }
  return kb;
}

Assessment run(const KnowledgeBase& kb, const Network& net, const Proposal* p,
               Classification clearance = Classification::kUnclassified, const char* date = "2018-11-28") {
  AssessInput in{net, p, kb, options()};
  in.options.clearance = clearance;
  in.options.date = *Date::parse(date);
  auto a = assess(in);
  EXPECT_TRUE(a.has_value()) << a.error().to_string();
  return std::move(a.value());
}

TEST(Pipeline, UnprotectedPathFromAddedRanIsSignificant) {
  auto kb = pipeline_kb(false);
  auto net = pipeline_network();
  auto open = pipeline_proposal(kProtNone);
  auto a = run(kb, net, &open);
  EXPECT_EQ(a.determination.outcome, "significant-risk") << write_assessment_text(a, false);
  ASSERT_EQ(a.findings.size(), 1u);
  EXPECT_EQ(a.determination.reasons, std::vector<std::string>{a.findings[0].id});
  EXPECT_EQ(a.metrics["proposal"]["added"], 1);

  // The same change behind a protected boundary, or no change at all, decides nothing.
  auto closed = pipeline_proposal(kEncrypted | kIntegrity);
  EXPECT_EQ(run(kb, net, &closed).determination.outcome, "no-significant-risk");
  EXPECT_EQ(run(kb, net, nullptr).determination.outcome, "no-significant-risk");
}

TEST(Pipeline, UnknownJurisdictionIsNotFoundWithSuggestion) {
  auto kb = pipeline_kb(false);
  auto net = pipeline_network();
  AssessInput in{net, nullptr, kb, options()};
  in.options.jurisdiction = "NZX";  // (NZL is NZ's ISO 3166 alpha-3 code, an alias)
  auto a = assess(in);
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().code(), Code::kNotFound);
  EXPECT_NE(a.error().message().find("did you mean \"NZ\""), std::string::npos) << a.error().message();
}

TEST(Pipeline, SameInputsGiveIdenticalBytesAndTheDigestFollowsInputs) {
  auto kb = pipeline_kb(true);
  auto net = pipeline_network();
  auto p = pipeline_proposal(kProtNone);
  auto a1 = run(kb, net, &p), a2 = run(kb, net, &p);
  EXPECT_EQ(write_assessment_json(a1), write_assessment_json(a2));
  EXPECT_EQ(write_assessment_text(a1, false), write_assessment_text(a2, false));
  EXPECT_NE(run(kb, net, &p, Classification::kUnclassified, "2018-11-29").digest, a1.digest);
  auto p2 = pipeline_proposal(kEncrypted);
  EXPECT_NE(run(kb, net, &p2).digest, a1.digest);
}

// Every output format, at UNCLASSIFIED, must carry no trace of the SECRET
// overlay finding: not its rule, title, citation or the component only it names.
TEST(Pipeline, SecretOverlayFindingLeavesNoTraceBelowItsClearance) {
  auto kb = pipeline_kb(true);
  auto net = pipeline_network();
  const char* secrets[] = {"secret-box-7", "t.zulu-secret-rule", "ZULU"};
  for (auto clearance : {Classification::kUnclassified, Classification::kConfidential, Classification::kSecret}) {
    auto a = run(kb, net, nullptr, clearance);
    bool visible = clearance >= Classification::kSecret;
    // Decided on the secret finding at every clearance: the operator learns the decision.
    EXPECT_EQ(a.determination.outcome, "significant-risk");
    if (!visible) {
      EXPECT_EQ(a.determination.reasons, std::vector<std::string>{"withheld:SECRET"});
      ASSERT_EQ(a.withheld.size(), 1u);
      EXPECT_EQ(a.withheld[0].count, 1);
    }
    std::vector<std::pair<std::string, std::string>> outputs = {{"json", write_assessment_json(a)},
                                                                {"text", write_assessment_text(a, false, true)},
                                                                {"sarif", write_assessment_sarif(a)},
                                                                {"html", write_assessment_html(a)}};
    // Compact text shows less than verbose (no citations), so only the absence is checked.
    if (!visible) {
      for (const char* s : secrets) EXPECT_EQ(write_assessment_text(a, false).find(s), std::string::npos) << s;
    }
    for (const auto& [format, out] : outputs) {
      for (const char* s : secrets) {
        EXPECT_EQ(out.find(s) != std::string::npos, visible)
            << format << " at " << classification_name(clearance) << " and \"" << s << "\"";
      }
    }
  }
}


// ---- coverage ---------------------------------------------------------------

// A KB with one high-risk vendor (designated by the jurisdiction itself) and
// one trusted, and a UK-like pack: no high-risk vendor in the 5G core, Huawei
// out of 5G equipment, and an advisory rule that never decides.
KnowledgeBase coverage_kb() {
  KnowledgeBase kb;
  kb.version = "test.1";
  Vendor huawei;
  huawei.id = "huawei";
  huawei.name = "Huawei";
  huawei.country = "CN";
  Designation d;
  d.by = "XX";
  d.list = "test list";
  d.since = *Date::parse("2000-01-01");
  huawei.designations.push_back(d);
  Vendor nokia;
  nokia.id = "nokia";
  nokia.name = "Nokia";
  nokia.country = "FI";
  kb.vendors = {huawei, nokia};
  kb.rebuild_index();
  Jurisdiction j;
  j.code = "XX";
  j.name = "Testland";
  Selector core;
  core.all.push_back({"vendor.risk", {"high"}, {}});
  core.all.push_back({"domain", {"core-5g"}, {}});
  j.rules.push_back(rule("t.core", "exclude", core, Severity::kHigh, Classification::kUnclassified));
  Selector five_g;
  five_g.all.push_back({"vendor", {"huawei"}, {}});
  five_g.all.push_back({"generation", {"5g-nsa", "5g-sa"}, {}});
  j.rules.push_back(rule("t.5g", "exclude", five_g, Severity::kMedium, Classification::kUnclassified));
  Selector ran;
  ran.all.push_back({"vendor.risk", {"high"}, {}});
  ran.all.push_back({"domain", {"ran"}, {}});
  auto advisory = rule("t.advisory", "exclude", ran, Severity::kHigh, Classification::kUnclassified);
  advisory.binding = false;
  j.rules.push_back(advisory);
  kb.jurisdictions["XX"] = std::move(j);
  return kb;
}

Assessment run_xx(const KnowledgeBase& kb, const Network& net, size_t max_unjudged = 0) {
  AssessInput in{net, nullptr, kb, options()};
  in.options.jurisdiction = "XX";
  in.options.max_unjudged = max_unjudged;
  in.options.graph_metrics = false;
  auto a = assess(in);
  EXPECT_TRUE(a.has_value()) << a.error().to_string();
  return std::move(a.value());
}

ComponentIdx add(Network& net, std::string id, Function f, std::string_view vendor,
                 Generation g = Generation::kAny) {
  ComponentIdx c = net.add_component(id, f);
  if (!vendor.empty()) net.components.vendor[c] = net.strings.intern(vendor);
  net.components.generation[c] = g;
  return c;
}

TEST(Coverage, UnknownOrMissingVendorInScopeIsInsufficientNeverAllClear) {
  auto kb = coverage_kb();
  Network net;
  add(net, "amf-1", Function::kAmf, "Nokia");
  add(net, "rtr-1", Function::kRouter, "");
  EXPECT_EQ(run_xx(kb, net).determination.outcome, "no-significant-risk")
      << "a router with no vendor is outside every rule's scope here";

  // The homoglyph: a Cyrillic capital En for the H.
  add(net, "amf-2", Function::kAmf, "\xd0\x9d" "uawei");
  auto a = run_xx(kb, net);
  EXPECT_EQ(a.determination.outcome, "insufficient-information");
  ASSERT_EQ(a.coverage.unjudged.size(), 1u);
  EXPECT_EQ(net.component_id(a.coverage.unjudged[0].first), "amf-2");
  EXPECT_EQ(a.coverage.unjudged[0].second, kUnknownVendor);
  EXPECT_EQ(a.coverage.unknown_vendor, 1u);
  EXPECT_EQ(a.coverage.no_vendor, 1u);
  // The unknown spelling is a finding that names the look-alike it resembles.
  auto f = std::find_if(a.findings.begin(), a.findings.end(),
                        [](const Finding& x) { return x.rule == "netvet.unknown-vendor"; });
  ASSERT_NE(f, a.findings.end());
  EXPECT_EQ(f->evidence["did_you_mean"], "huawei");
  EXPECT_EQ(f->evidence["confusable"], true);
  EXPECT_FALSE(f->violation);
  // Allowing one unjudged component gives the all-clear back, knowingly.
  EXPECT_EQ(run_xx(kb, net, 1).determination.outcome, "no-significant-risk");
  // Every format carries the block.
  EXPECT_NE(write_assessment_json(a).find("\"coverage\""), std::string::npos);
  EXPECT_NE(write_assessment_sarif(a).find("\"coverage\""), std::string::npos);
  EXPECT_NE(write_assessment_text(a, false).find("amf-2: vendor (\"\xd0\x9d" "uawei\" is not in the knowledge base)"), std::string::npos)
      << write_assessment_text(a, false);
  EXPECT_NE(write_assessment_html(a).find("<h2>Coverage</h2>"), std::string::npos);
}

TEST(Coverage, GenerationIsInferredWhereTheStandardFixesItAndAskedForWhereNot) {
  auto kb = coverage_kb();
  Network net;
  add(net, "gnb-1", Function::kGnb, "Huawei");  // 5G by the standard: the 5G rule fires
  auto a = run_xx(kb, net);
  EXPECT_EQ(a.determination.outcome, "risk-mitigable") << write_assessment_text(a, false);
  ASSERT_FALSE(a.findings.empty());
  ASSERT_TRUE(a.findings[0].evidence.contains("inferred")) << a.findings[0].evidence.dump();
  EXPECT_NE(a.findings[0].evidence["inferred"][0].get<std::string>().find("inferred from function gnb"),
            std::string::npos);

  Network aau_net;
  add(aau_net, "aau-1", Function::kAau, "Huawei");  // an AAU may be any generation
  auto b = run_xx(kb, aau_net);
  EXPECT_EQ(b.determination.outcome, "insufficient-information");
  ASSERT_EQ(b.coverage.unjudged.size(), 1u);
  EXPECT_EQ(b.coverage.unjudged[0].second, kNoGeneration);

  Network stated;
  add(stated, "aau-1", Function::kAau, "Huawei", Generation::k4g);  // stated: judged, and outside the 5G rule
  EXPECT_EQ(run_xx(kb, stated).determination.outcome, "no-significant-risk");

  // A generation an importer filled from a role is shown as such, once per
  // value and basis, naming every component it covers.
  Network imported;
  for (const char* id : {"aau-1", "aau-2"}) {
    add(imported, id, Function::kAau, "Huawei", Generation::k5gSa);
    imported.components.tags.ids.push_back(
        imported.strings.intern(std::string(kInferredTagPrefix) + "generation=netbox-role:radio"));
    imported.components.tags.offsets.back() += 1;
  }
  auto d = run_xx(kb, imported);
  EXPECT_EQ(d.determination.outcome, "risk-mitigable");
  ASSERT_FALSE(d.findings.empty());
  ASSERT_TRUE(d.findings[0].evidence.contains("inferred")) << d.findings[0].evidence.dump();
  EXPECT_EQ(d.findings[0].evidence["inferred"].size(), 1u);
  EXPECT_EQ(d.findings[0].evidence["inferred"][0],
            "generation 5g-sa inferred by the importer from netbox-role:radio: aau-1, aau-2");
}

TEST(Coverage, PlaceholderFunctionCannotBeJudgedByDomain) {
  auto kb = coverage_kb();
  Network net;
  ComponentIdx c = add(net, "dev-1", Function::kRouter, "Huawei", Generation::k4g);
  EXPECT_EQ(run_xx(kb, net).determination.outcome, "no-significant-risk");
  StrId tag = net.strings.intern(kFallbackFunctionTag);
  net.components.tags.offsets.pop_back();
  net.components.tags.push_row(std::vector<StrId>{tag});
  ASSERT_EQ(net.components.tags.row(c).size(), 1u);
  auto a = run_xx(kb, net);
  EXPECT_EQ(a.determination.outcome, "insufficient-information");
  ASSERT_EQ(a.coverage.unjudged.size(), 1u);
  EXPECT_EQ(a.coverage.unjudged[0].second, kFallbackFunction);
}

// For random networks, taking the vendor off any one component never turns a
// risk into an all-clear: what could not be judged is asked for instead.
TEST(Coverage, PropertyRemovingAVendorNeverGivesAnAllClear) {
  auto kb = coverage_kb();
  const Function functions[] = {Function::kAmf, Function::kSmf, Function::kGnb, Function::kAau,
                                Function::kRouter, Function::kMme, Function::kEms};
  const Generation generations[] = {Generation::kAny, Generation::k4g, Generation::k5gSa, Generation::k5gNsa};
  const char* vendors[] = {"Huawei", "Nokia", "", "HUAWEI TECHNOLOGIES CO., LTD."};
  uint64_t state = 12345;
  auto next = [&](uint64_t n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % n;
  };
  int risky = 0;
  for (int trial = 0; trial < 200; ++trial) {
    Network net;
    const int n = 1 + static_cast<int>(next(6));
    for (int i = 0; i < n; ++i)
      add(net, "c" + std::to_string(i), functions[next(7)], vendors[next(4)], generations[next(4)]);
    const std::string outcome = run_xx(kb, net).determination.outcome;
    if (outcome != "risk-mitigable" && outcome != "significant-risk") continue;
    ++risky;
    for (ComponentIdx c = 0; c < net.components.size(); ++c) {
      if (net.components.vendor[c] == 0) continue;
      Network without = clone(net);
      without.components.vendor[c] = 0;
      EXPECT_NE(run_xx(kb, without).determination.outcome, "no-significant-risk")
          << "trial " << trial << ": removing the vendor of " << net.component_id(c) << " gave an all-clear";
    }
  }
  EXPECT_GT(risky, 20) << "the generator must produce risky networks for the property to mean anything";
}

}  // namespace
}  // namespace netvet
