// Selectors, vendor resolution, rule validation and the parts of evaluation
// every rule kind shares. Per-kind behaviour is in kinds/*_test.cc.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <random>
#include <set>

#include "kinds/kinds.h"
#include "policy_testing.h"

namespace netvet {
namespace {

using namespace netvet::testing;

class PolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    kb_ = load_test_kb(standard_vendors());
    ASSERT_NE(kb_, nullptr);
  }

  // A small mixed network: two regions, Huawei/HiSilicon/ZTE/Ericsson/unknown vendors.
  void build_mixed() {
    auto north = t_.site("N1", "North", -36.8, 174.7);
    auto south = t_.site("S1", "South", -45.8, 170.5);
    t_.comp("gnb-n1", Function::kGnb, "Huawei", north);                 // 0
    t_.comp("board-n1", Function::kBbu, "HiSilicon", north);            // 1: owned by huawei
    t_.comp("gnb-s1", Function::kGnb, "Ericsson", south);               // 2
    t_.comp("amf-1", Function::kAmf, "HUAWEI TECHNOLOGIES CO., LTD.");  // 3
    t_.comp("smf-1", Function::kSmf, "ZTE");                            // 4
    t_.comp("ems-1", Function::kEms, "Acme Widgets");                   // 5: unknown vendor
    t_.comp("cam-1", Function::kCamera, "Hikvision", south);            // 6
    t_.comp("router-1", Function::kRouter, "");                         // 7: no vendor
    t_.net.components.generation[0] = Generation::k5gNsa;
    t_.net.components.generation[2] = Generation::k5gSa;
    t_.comp_tags[2] = {"critical", "pilot"};
    t_.comp_tags[4] = {"critical"};
    t_.finish_tags();
  }

  std::vector<std::string> selected(const Selector& s, Date date, const Jurisdiction& j) {
    VendorColumns vc = resolve_vendors(t_.net, *kb_, j, date);
    EvalContext ctx{t_.net, *kb_, j, date, vc, t_.state, nullptr};
    return ids_of(t_.net, select(s, ctx).members());
  }

  std::unique_ptr<KnowledgeBase> kb_;
  TestNet t_;
  Jurisdiction uk_ = uk_jurisdiction();
  Jurisdiction nz_ = nz_jurisdiction();
};

// ---- ComponentSet ----

TEST(ComponentSetTest, InvertKeepsBitsPastTheEndClear) {
  ComponentSet s(70);
  s.set(3);
  s.set(69);
  s.invert();
  EXPECT_EQ(s.count(), 68u);
  EXPECT_FALSE(s.test(3));
  EXPECT_FALSE(s.test(69));
  EXPECT_TRUE(s.test(68));
  ComponentSet t(70);
  t.set(68);
  t.set(0);
  s &= t;
  EXPECT_EQ(s.members(), (std::vector<ComponentIdx>{0, 68}));
  s |= ComponentSet(70);
  EXPECT_EQ(s.count(), 2u);
}

TEST(ComponentSetTest, EmptySetHasNoMembers) {
  ComponentSet s(0);
  s.invert();
  EXPECT_EQ(s.count(), 0u);
  EXPECT_TRUE(s.members().empty());
}

// ---- selectors ----

TEST_F(PolicyTest, EmptySelectorSelectsEverything) {
  build_mixed();
  EXPECT_EQ(selected({}, D("2024-01-01"), uk_).size(), 8u);
}

TEST_F(PolicyTest, VendorMatchesThroughOwnershipChainAndAliases) {
  build_mixed();
  // HiSilicon is owned by Huawei; the shouting legal name is an alias.
  EXPECT_EQ(selected(sel({{"vendor", {"huawei"}}}), D("2024-01-01"), uk_),
            (std::vector<std::string>{"gnb-n1", "board-n1", "amf-1"}));
  // The subsidiary alone does not match its owner's other equipment.
  EXPECT_EQ(selected(sel({{"vendor", {"hisilicon"}}}), D("2024-01-01"), uk_), (std::vector<std::string>{"board-n1"}));
  // A spelling the KB does not know matches as written.
  EXPECT_EQ(selected(sel({{"vendor", {"Acme Widgets"}}}), D("2024-01-01"), uk_), (std::vector<std::string>{"ems-1"}));
}

TEST_F(PolicyTest, FunctionDomainGenerationClausesAreAndedAndListsAreAnyOf) {
  build_mixed();
  EXPECT_EQ(selected(sel({{"domain", {"core-5g"}}}), D("2024-01-01"), uk_),
            (std::vector<std::string>{"amf-1", "smf-1"}));
  EXPECT_EQ(selected(sel({{"function", {"gnb", "amf"}}, {"vendor", {"huawei"}}}), D("2024-01-01"), uk_),
            (std::vector<std::string>{"gnb-n1", "amf-1"}));
  // The AMF and SMF state no generation: 5GC functions are 5G by the standard
  // (inferred, docs/assessment.md), so a clause wanting both 5G generations selects them.
  EXPECT_EQ(selected(sel({{"generation", {"5g-sa", "5g-nsa"}}}), D("2024-01-01"), uk_),
            (std::vector<std::string>{"gnb-n1", "gnb-s1", "amf-1", "smf-1"}));
}

TEST_F(PolicyTest, NotAndAnyCombine) {
  build_mixed();
  Selector s = sel({{"domain", {"ran"}}});
  s.not_.push_back(sel({{"vendor", {"huawei"}}}));
  EXPECT_EQ(selected(s, D("2024-01-01"), uk_), (std::vector<std::string>{"gnb-s1"}));

  Selector a;
  a.any.push_back(sel({{"tag", {"critical"}}}));
  a.any.push_back(sel({{"site.region", {"North"}}}));
  EXPECT_EQ(selected(a, D("2024-01-01"), uk_), (std::vector<std::string>{"gnb-n1", "board-n1", "gnb-s1", "smf-1"}));
  // any AND not: critical or North, but not ZTE.
  a.not_.push_back(sel({{"vendor", {"zte"}}}));
  EXPECT_EQ(selected(a, D("2024-01-01"), uk_), (std::vector<std::string>{"gnb-n1", "board-n1", "gnb-s1"}));
}

TEST_F(PolicyTest, RiskAndDesignationDependOnJurisdictionAndDate) {
  build_mixed();
  Selector high = sel({{"vendor.risk", {"high"}}});
  // Before the UK designation nothing is high-risk in the UK.
  EXPECT_TRUE(selected(high, D("2022-10-12"), uk_).empty());
  EXPECT_EQ(selected(high, D("2022-10-13"), uk_), (std::vector<std::string>{"gnb-n1", "board-n1", "amf-1"}));
  EXPECT_EQ(selected(sel({{"vendor.designated", {"true"}}}), D("2022-10-13"), uk_),
            (std::vector<std::string>{"gnb-n1", "board-n1", "amf-1"}));
  // NZ reads headquarters: Huawei, HiSilicon, ZTE and Hikvision, nobody designated by NZ.
  EXPECT_EQ(selected(high, D("2024-01-01"), nz_),
            (std::vector<std::string>{"gnb-n1", "board-n1", "amf-1", "smf-1", "cam-1"}));
  EXPECT_TRUE(selected(sel({{"vendor.designated", {"true"}}}), D("2024-01-01"), nz_).empty());
  EXPECT_EQ(selected(sel({{"vendor.risk", {"unknown"}}}), D("2024-01-01"), nz_),
            (std::vector<std::string>{"ems-1", "router-1"}));
  EXPECT_EQ(selected(sel({{"vendor.country", {"SE"}}}), D("2024-01-01"), nz_), (std::vector<std::string>{"gnb-s1"}));
}

TEST_F(PolicyTest, StateSiteAndIdFields) {
  build_mixed();
  // Without a proposal everything is existing.
  EXPECT_EQ(selected(sel({{"state", {"existing"}}}), D("2024-01-01"), uk_).size(), 8u);
  t_.mark(2, ComponentState::kAdded);
  t_.mark(4, ComponentState::kChanged);
  EXPECT_EQ(selected(sel({{"state", {"added", "changed"}}}), D("2024-01-01"), uk_),
            (std::vector<std::string>{"gnb-s1", "smf-1"}));
  EXPECT_EQ(selected(sel({{"site", {"S1"}}}), D("2024-01-01"), uk_), (std::vector<std::string>{"gnb-s1", "cam-1"}));
  EXPECT_EQ(selected(sel({{"id", {"amf-1", "nope"}}}), D("2024-01-01"), uk_), (std::vector<std::string>{"amf-1"}));
  EXPECT_TRUE(selected(sel({{"tag", {"never-used"}}}), D("2024-01-01"), uk_).empty());
}

TEST_F(PolicyTest, SelectOverAMillionComponentsIsColumnWork) {
  // Not a timed test (bench/ measures); it checks the result on a national-size
  // network and reports how long the column passes took.
  const size_t n = 1'000'000;
  const char* vendors[] = {"Huawei", "Ericsson", "Nokia", "ZTE", "HiSilicon", "Acme"};
  const Function fns[] = {Function::kGnb, Function::kRouter, Function::kAmf, Function::kEms};
  for (int s = 0; s < 1000; ++s) t_.site("site-" + std::to_string(s), s % 2 ? "North" : "South");
  std::mt19937 rng(7);
  size_t expected = 0;
  for (size_t i = 0; i < n; ++i) {
    size_t v = rng() % 6, f = rng() % 4;
    SiteIdx s = static_cast<SiteIdx>(rng() % 1000);
    t_.comp("c" + std::to_string(i), fns[f], vendors[v], s);
    bool huawei = v == 0 || v == 4;
    if (huawei && fns[f] == Function::kGnb && s % 2 == 1) ++expected;
  }
  Selector s = sel({{"vendor", {"huawei"}}, {"domain", {"ran"}}, {"site.region", {"North"}}});
  s.not_.push_back(sel({{"vendor.risk", {"trusted"}}, {"vendor", {"ericsson"}}}));
  VendorColumns vc = resolve_vendors(t_.net, *kb_, uk_, D("2024-01-01"));
  EvalContext ctx{t_.net, *kb_, uk_, D("2024-01-01"), vc, t_.state, nullptr};
  ComponentSet got = select(s, ctx);
  EXPECT_EQ(got.count(), expected);
  // Selection is pure: running it again gives the same set (its speed is measured in bench/, not here).
  EXPECT_EQ(select(s, ctx).words(), got.words());
}

// ---- resolve_vendors ----

TEST_F(PolicyTest, ResolveVendorsFillsColumnsAndSharesBases) {
  build_mixed();
  VendorColumns vc = resolve_vendors(t_.net, *kb_, uk_, D("2024-01-01"));
  ASSERT_EQ(vc.vendor.size(), 8u);
  EXPECT_EQ(kb_->vendors[vc.vendor[0]].id, "huawei");
  EXPECT_EQ(kb_->vendors[vc.vendor[1]].id, "hisilicon");
  EXPECT_EQ(vc.vendor[0], vc.vendor[3]);  // two spellings, one vendor
  EXPECT_EQ(vc.vendor[5], kNone);
  EXPECT_EQ(vc.risk[5], VendorRisk::kUnknown);
  EXPECT_EQ(vc.risk[7], VendorRisk::kUnknown);
  EXPECT_EQ(vc.risk[2], VendorRisk::kTrusted);
  EXPECT_EQ(vc.basis[2], kNone);
  EXPECT_EQ(vc.risk[0], VendorRisk::kHighRisk);
  EXPECT_EQ(vc.designated[0], 1);
  EXPECT_EQ(vc.designated[4], 0);  // ZTE: designated by the US, not the UK
  EXPECT_EQ(vc.risk[4], VendorRisk::kTrusted);
  EXPECT_EQ(vc.basis[0], vc.basis[3]);
  ASSERT_LT(vc.basis[0], vc.bases.size());
  EXPECT_EQ(vc.basis_criterion[vc.basis[0]], -1);  // a designation, not a reading
  EXPECT_EQ(vc.bases.size(), vc.basis_classification.size());
  EXPECT_EQ(vc.bases.size(), vc.basis_criterion.size());
}

TEST_F(PolicyTest, UseLimitedDesignationAppliesOnlyToItsUse) {
  // NDAA s889 covers Hikvision for video surveillance only.
  Jurisdiction us;
  us.code = "US";
  RiskCriterion c;
  c.designated_by = {"US"};
  c.reason = "on a US list";
  us.risk_criteria.push_back(c);
  auto site = t_.site("X");
  t_.comp("cam", Function::kCamera, "Hikvision", site);
  t_.comp("rtr", Function::kRouter, "Hikvision", site);
  VendorColumns vc = resolve_vendors(t_.net, *kb_, us, D("2024-01-01"));
  EXPECT_EQ(vc.risk[0], VendorRisk::kHighRisk);
  EXPECT_EQ(vc.designated[0], 1);
  EXPECT_EQ(vc.risk[1], VendorRisk::kTrusted);
  EXPECT_EQ(vc.designated[1], 0);
}

TEST_F(PolicyTest, CriterionBasedRiskIsMarkedAsAReading) {
  build_mixed();
  VendorColumns vc = resolve_vendors(t_.net, *kb_, nz_, D("2024-01-01"));
  ASSERT_NE(vc.basis[0], kNone);
  EXPECT_EQ(vc.basis_criterion[vc.basis[0]], 0);
  EXPECT_EQ(vc.basis_classification[vc.basis[0]], Classification::kUnclassified);
}

TEST_F(PolicyTest, OverlayAssessmentCarriesItsClassification) {
  auto site = t_.site("X");
  t_.comp("gnb", Function::kGnb, "Nokia", site);
  Overlay ov;
  ov.file = "secret.yaml";
  ov.classification = Classification::kSecret;
  ov.jurisdiction = "NZ";
  ov.vendor_assessments.push_back({"nokia", VendorRisk::kHighRisk, D("2020-01-01"), "agency assessment 42", {}});
  kb_->overlays.push_back(ov);
  VendorColumns vc = resolve_vendors(t_.net, *kb_, nz_, D("2024-01-01"));
  ASSERT_EQ(vc.risk[0], VendorRisk::kHighRisk);
  EXPECT_EQ(vc.basis_classification[vc.basis[0]], Classification::kSecret);
  EXPECT_EQ(vc.basis_criterion[vc.basis[0]], -1);

  // A finding over that component inherits SECRET even from an UNCLASSIFIED rule.
  RuleSpec r = rule("nz.exclude-high", "exclude", sel({{"vendor.risk", {"high"}}}));
  RunResult run = run_rule(t_, *kb_, nz_, D("2024-01-01"), r);
  ASSERT_EQ(run.findings.size(), 1u);
  EXPECT_EQ(run.findings[0].classification, Classification::kSecret);
}

// ---- validation ----

TEST(ValidateRuleTest, UnknownKindSuggestsTheClosest) {
  RuleSpec r = rule("x", "share-cap", {}, {{"max_percent", 35.0}});
  Diagnostics d = validate(r);
  ASSERT_TRUE(d.has_errors());
  EXPECT_NE(d.format().find("did you mean \"share_cap\""), std::string::npos) << d.format();
  EXPECT_NE(d.format().find("pack.yaml:10:3"), std::string::npos) << d.format();
}

TEST(ValidateRuleTest, SelectorFieldsAndValuesAreChecked) {
  Selector s = sel({{"vendr", {"huawei"}}, {"domain", {"core5g"}}, {"vendor.risk", {"hgh"}}});
  s.all[0].loc = {"pack.yaml", 12, 14, ""};
  RuleSpec r = rule("x", "exclude", s);
  Diagnostics d = validate(r);
  const std::string text = d.format();
  EXPECT_EQ(d.error_count(), 3u) << text;
  EXPECT_NE(text.find("pack.yaml:12:14: error: unknown selector field \"vendr\" (did you mean \"vendor\"?)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("did you mean \"core-5g\""), std::string::npos) << text;
  EXPECT_NE(text.find("did you mean \"high\""), std::string::npos) << text;
}

TEST(ValidateRuleTest, NestedSelectorsAreCheckedToo) {
  Selector s;
  s.not_.push_back(sel({{"fucntion", {"gnb"}}}));
  RuleSpec r = rule("x", "isolation", s, {{"targets", sel({{"generation", {"6g"}}})}});
  Diagnostics d = validate(r);
  EXPECT_EQ(d.error_count(), 2u) << d.format();
}

TEST(ValidateRuleTest, ParamsHaveTypesRangesAndTheirOwnLocations) {
  RuleSpec r = rule("x", "share_cap", {},
                    {{"max_percent", 135.0}, {"measure", std::string("site")}, {"peer", std::string("region")}});
  r.param_locs["max_percent"] = {"pack.yaml", 20, 18, ""};
  r.param_locs["measure"] = {"pack.yaml", 21, 14, ""};
  r.param_locs["peer"] = {"pack.yaml", 22, 9, ""};
  Diagnostics d = validate(r);
  const std::string text = d.format();
  EXPECT_EQ(d.error_count(), 3u) << text;
  EXPECT_NE(text.find("pack.yaml:20:18: error: param \"max_percent\" of rule x is 135, outside 0..100"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("pack.yaml:21:14:"), std::string::npos) << text;
  EXPECT_NE(text.find("did you mean \"sites\""), std::string::npos) << text;
  EXPECT_NE(text.find("pack.yaml:22:9: error: unknown param \"peer\""), std::string::npos) << text;
  EXPECT_NE(text.find("did you mean \"per\""), std::string::npos) << text;
}

TEST(ValidateRuleTest, MissingRequiredAndBadDates) {
  EXPECT_TRUE(validate(rule("x", "deadline")).has_errors());
  Diagnostics d = validate(rule("x", "deadline", {}, {{"by", std::string("2023-02-30")}}));
  EXPECT_NE(d.format().find("is not a date"), std::string::npos) << d.format();
  EXPECT_FALSE(validate(rule("x", "deadline", {}, {{"by", std::string("2023-12-31")}})).has_errors());
  EXPECT_TRUE(validate(rule("x", "isolation")).has_errors());                            // targets required
  EXPECT_TRUE(validate(rule("x", "exclude", {}, {{"max_percent", 3.0}})).has_errors());  // exclude takes none
  EXPECT_TRUE(validate(rule("x", "diversity")).has_errors());                            // needs a limit
  EXPECT_TRUE(
      validate(rule("x", "isolation", {}, {{"targets", sel({})}, {"reporting_propagates", std::string("maybe")}}))
          .has_errors());
}

TEST(ValidateRuleTest, EveryKindAcceptsItsDocumentedParams) {
  std::vector<RuleSpec> ok = {
      rule("a", "exclude"),
      rule("b", "share_cap", {},
           {{"max_percent", 35.0},
            {"measure", std::string("subscribers")},
            {"scope", sel({{"domain", {"ran"}}})},
            {"per", std::string("region")}}),
      rule("c", "deadline", {}, {{"by", std::string("2027-12-31")}, {"warn_days", 365.0}}),
      rule("d", "procurement"),
      rule("e", "exclusion_zone", {},
           {{"radius_km", 5.0},
            {"kinds", std::vector<std::string>{"military", "nuclear"}},
            {"site_tags", std::vector<std::string>{"defence"}}}),
      rule("f", "isolation", {},
           {{"targets", sel({{"domain", {"core-5g"}}})},
            {"stop_protection", std::vector<std::string>{"encrypted"}},
            {"reporting_propagates", std::string("true")}}),
      rule("g", "notify", {},
           {{"authority", std::string("GCSB")}, {"min_components", 1.0}, {"min_subscribers", 1000.0}}),
      rule("h", "diversity", {},
           {{"max_vendor_percent", 50.0}, {"min_vendors", 2.0}, {"measure", std::string("cells")}}),
  };
  ASSERT_EQ(ok.size(), rule_kinds().size());
  for (const auto& r : ok) {
    Diagnostics d = validate(r);
    EXPECT_FALSE(d.has_errors()) << r.kind << ": " << d.format();
  }
}

TEST(RegistryTest, EightKindsInDesignOrder) {
  std::vector<std::string> names;
  for (const RuleKind* k : rule_kinds()) names.emplace_back(k->name());
  EXPECT_EQ(names, (std::vector<std::string>{"exclude", "share_cap", "deadline", "procurement", "exclusion_zone",
                                             "isolation", "notify", "diversity"}));
  EXPECT_EQ(find_rule_kind("nope"), nullptr);
  EXPECT_EQ(find_rule_kind("isolation")->name(), "isolation");
}

// ---- evaluate_rules: what every kind shares ----

TEST_F(PolicyTest, FindingIdIsStableUnderInputOrder) {
  TestNet a, b;
  a.comp("x", Function::kGnb, "");
  a.comp("y", Function::kGnb, "");
  b.comp("y", Function::kGnb, "");
  b.comp("x", Function::kGnb, "");
  std::string ida = finding_id("r1", a.net, {0, 1});
  EXPECT_EQ(ida, finding_id("r1", b.net, {0, 1}));
  EXPECT_EQ(ida.rfind("r1#", 0), 0u);
  EXPECT_EQ(ida.size(), 3u + 8u);
  EXPECT_NE(ida, finding_id("r1", a.net, {0}));
  EXPECT_NE(ida, finding_id("r2", a.net, {0, 1}));
}

TEST_F(PolicyTest, RulesOutsideTheirDatesProduceNothing) {
  build_mixed();
  RuleSpec r = rule("uk.exclude", "exclude", sel({{"vendor", {"huawei"}}}));
  r.effective_from = D("2022-10-13");
  r.effective_until = D("2027-12-31");
  EXPECT_TRUE(run_rule(t_, *kb_, uk_, D("2022-10-12"), r).findings.empty());
  EXPECT_EQ(run_rule(t_, *kb_, uk_, D("2022-10-13"), r).findings.size(), 1u);
  EXPECT_EQ(run_rule(t_, *kb_, uk_, D("2027-12-31"), r).findings.size(), 1u);
  EXPECT_TRUE(run_rule(t_, *kb_, uk_, D("2028-01-01"), r).findings.empty());
}

TEST_F(PolicyTest, FindingsListComponentsByIdAndCarryRuleIdentity) {
  build_mixed();
  RuleSpec r = rule("uk.exclude", "exclude", sel({{"vendor", {"huawei"}}}));
  r.severity = Severity::kCritical;
  RunResult run = run_rule(t_, *kb_, uk_, D("2024-01-01"), r);
  ASSERT_EQ(run.findings.size(), 1u);
  const Finding& f = run.findings[0];
  EXPECT_EQ(ids_of(t_.net, f.components), (std::vector<std::string>{"amf-1", "board-n1", "gnb-n1"}));
  EXPECT_EQ(f.id, finding_id("uk.exclude", t_.net, f.components));
  EXPECT_EQ(f.rule, "uk.exclude");
  EXPECT_EQ(f.kind, "exclude");
  EXPECT_EQ(f.severity, Severity::kCritical);
  EXPECT_EQ(f.citation.instrument, "Test instrument");
  // UK designation: no "reading" wording.
  EXPECT_EQ(f.message.find("netvet's reading"), std::string::npos) << f.message;
}

// The evidence says the high-risk label is netvet's reading; the message does
// not repeat it (a report states the basis once, in its basis section).
TEST_F(PolicyTest, CriterionBasedFindingsSayTheyAreNetvetsReading) {
  build_mixed();
  RuleSpec r = rule("nz.hrv-core", "exclude", sel({{"vendor.risk", {"high"}}, {"domain", {"core-5g"}}}));
  RunResult run = run_rule(t_, *kb_, nz_, D("2024-01-01"), r);
  ASSERT_EQ(run.findings.size(), 1u);
  const Finding& f = run.findings[0];
  EXPECT_EQ(f.evidence["risk_basis"], "netvet's reading of the jurisdiction's criteria");
  ASSERT_EQ(f.evidence["criteria"].size(), 1u);
  EXPECT_NE(f.evidence["criteria"][0].get<std::string>().find("TICSA 2013 s57"), std::string::npos) << f.evidence;
  EXPECT_EQ(f.message.find("netvet's reading"), std::string::npos) << f.message;
}

TEST_F(PolicyTest, UnconfirmedRulesGiveNonBindingFindings) {
  build_mixed();
  RuleSpec r = rule("x.unconfirmed", "exclude", sel({{"vendor", {"zte"}}}));
  r.unconfirmed = true;
  RunResult run = run_rule(t_, *kb_, uk_, D("2024-01-01"), r);
  ASSERT_EQ(run.findings.size(), 1u);
  EXPECT_FALSE(run.findings[0].binding);
  EXPECT_TRUE(run.findings[0].unconfirmed);
  EXPECT_NE(run.findings[0].message.find("not yet confirmed against the instrument (UNCONFIRMED)"), std::string::npos);
  r.unconfirmed = false;
  EXPECT_TRUE(run_rule(t_, *kb_, uk_, D("2024-01-01"), r).findings[0].binding);
}

TEST_F(PolicyTest, FindingsFollowRuleOrderAndIdsAreUnique) {
  build_mixed();
  RuleSpec a = rule("a", "exclude", sel({{"vendor", {"zte"}}}));
  RuleSpec b = rule("b", "exclude", sel({{"vendor", {"huawei"}}}));
  RuleSpec unknown = rule("c", "no-such-kind", sel({{"vendor", {"huawei"}}}));
  RunResult run = run_rules(t_, *kb_, uk_, D("2024-01-01"), {&b, &unknown, &a});
  ASSERT_EQ(run.findings.size(), 2u);
  EXPECT_EQ(run.findings[0].rule, "b");
  EXPECT_EQ(run.findings[1].rule, "a");
  EXPECT_NE(run.findings[0].id, run.findings[1].id);
}

TEST_F(PolicyTest, EmptyNetworkGivesNoFindingsForAnyKind) {
  std::vector<RuleSpec> rules = {
      rule("a", "exclude"),
      rule("b", "share_cap", {}, {{"max_percent", 0.0}}),
      rule("c", "deadline", {}, {{"by", std::string("2020-01-01")}}),
      rule("d", "procurement"),
      rule("e", "exclusion_zone", {}, {{"radius_km", 5.0}}),
      rule("f", "isolation", {}, {{"targets", sel({})}}),
      rule("g", "notify"),
      rule("h", "diversity", {}, {{"min_vendors", 3.0}}),
  };
  std::vector<const RuleSpec*> ptrs;
  for (const auto& r : rules) ptrs.push_back(&r);
  EXPECT_TRUE(run_rules(t_, *kb_, uk_, D("2024-01-01"), ptrs).findings.empty());
}

}  // namespace
}  // namespace netvet

namespace netvet {
namespace {

// The pack JSON Schema (docs/formats/policy-pack.schema.json) is written by
// hand for pack authors' editors; each rule kind declares its params in one
// place (RuleKind::params). A kind or param added, dropped or retyped on one
// side and not the other fails here.
TEST(PackSchema, ParamsAreWhatEachKindDeclares) {
  std::ifstream in(std::string(NETVET_SOURCE_DIR) + "/docs/formats/policy-pack.schema.json");
  ASSERT_TRUE(in) << "docs/formats/policy-pack.schema.json is missing";
  const auto schema = nlohmann::json::parse(in);
  const auto& rule = schema.at("$defs").at("rule");

  std::set<std::string> registry, in_schema;
  for (const RuleKind* k : rule_kinds()) registry.insert(std::string(k->name()));
  for (const auto& n : rule.at("properties").at("kind").at("enum")) in_schema.insert(n.get<std::string>());
  EXPECT_EQ(in_schema, registry) << "the schema's kind list";

  std::map<std::string, nlohmann::json> params_of;  // kind -> the schema's "params"
  for (const auto& branch : rule.at("allOf")) {
    params_of[branch.at("if").at("properties").at("kind").at("const").get<std::string>()] =
        branch.at("then").at("properties").at("params");
  }
  auto as_set = [](const nlohmann::json& names) {
    std::set<std::string> out;
    for (const auto& n : names) out.insert(n.get<std::string>());
    return out;
  };
  for (const RuleKind* kind : rule_kinds()) {
    const std::string k(kind->name());
    SCOPED_TRACE("rule kind " + k);
    ASSERT_TRUE(params_of.count(k)) << "no params branch in the schema";
    const nlohmann::json& p = params_of[k];
    const auto& declared = kind->params();
    if (declared.empty()) {
      EXPECT_EQ(p.value("maxProperties", -1), 0) << "the kind takes no params";
      continue;
    }
    const nlohmann::json& props = p.at("properties");
    std::set<std::string> names, required;
    for (const ParamSpec& d : declared) {
      names.insert(std::string(d.name));
      if (d.required) required.insert(std::string(d.name));
    }
    std::set<std::string> schema_names;
    for (const auto& [name, _] : props.items()) schema_names.insert(name);
    EXPECT_EQ(schema_names, names);
    EXPECT_EQ(as_set(p.value("required", nlohmann::json::array())), required);
    EXPECT_EQ(p.value("additionalProperties", true), false) << "unknown params are errors";
    for (const ParamSpec& d : declared) {
      const std::string name(d.name);
      if (!props.contains(name)) continue;
      const nlohmann::json& s = props.at(name);
      SCOPED_TRACE("param " + name);
      const std::set<std::string> choices(d.choices.begin(), d.choices.end());
      switch (d.type) {
        case ParamType::kNumber:
          EXPECT_EQ(s.value("type", ""), "number");
          EXPECT_EQ(s.value("minimum", -1e300), d.min);
          EXPECT_EQ(s.value("maximum", 1e300), d.max);
          break;
        case ParamType::kString:
          if (choices.empty()) {
            EXPECT_EQ(s.value("type", ""), "string");
          } else {
            EXPECT_EQ(as_set(s.value("enum", nlohmann::json::array())), choices);
          }
          break;
        case ParamType::kDate:
          EXPECT_EQ(s.value("type", ""), "string");
          EXPECT_EQ(s.value("pattern", ""), "^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
          break;
        case ParamType::kList: {
          EXPECT_EQ(s.value("type", ""), "array");
          const nlohmann::json items = s.value("items", nlohmann::json::object());
          if (choices.empty()) {
            EXPECT_EQ(items.value("type", ""), "string");
          } else {
            EXPECT_EQ(as_set(items.value("enum", nlohmann::json::array())), choices);
          }
          break;
        }
        case ParamType::kSelector:
          EXPECT_EQ(s.value("$ref", ""), "#/$defs/selector");
          break;
        case ParamType::kBool:
          EXPECT_EQ(s.value("type", ""), "boolean");
          break;
      }
    }
  }
}

}  // namespace
}  // namespace netvet
