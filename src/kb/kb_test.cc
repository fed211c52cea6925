// Tests for the KB loader, vendor resolution and risk, the renderings, and a
// lint of the real kb/ data (citations, dates, references, policy validation)
// plus alias resolution against real inventory spellings in shared/fixtures.
#include "netvet/kb.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "netvet/kb_suggest.h"
#include "netvet/policy.h"

namespace netvet {
namespace {

namespace fs = std::filesystem;

const std::string kSourceDir = NETVET_SOURCE_DIR;
const std::string kFixturesDir = NETVET_FIXTURES_DIR;

// A throwaway KB directory: tests write exactly the files they need.
class TempKb {
 public:
  TempKb() {
    static int counter = 0;
    dir_ =
        fs::temp_directory_path() / ("netvet_kb_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "jurisdictions");
    write("VERSION", "test.1\n");
  }
  ~TempKb() { fs::remove_all(dir_); }
  void write(const std::string& rel, const std::string& text) { std::ofstream(dir_ / rel, std::ios::binary) << text; }
  std::string path(const std::string& rel = "") const { return (dir_ / rel).string(); }
  std::string dir() const { return dir_.string(); }

 private:
  fs::path dir_;
};

const char* kCitation = "{instrument: Test Act, section: s1, url: https://example.org/act, fact: policies.md §0}";

std::string vendors_yaml(const std::string& body) { return "netvet-kb: 1\nvendors:\n" + body; }

// A small, valid vendor file the resolution tests build on.
std::string basic_vendors() {
  return vendors_yaml(std::string(R"(  - id: huawei
    name: Huawei Technologies Co., Ltd.
    country: CN
    aliases: [Huawei, "HUAWEI TECHNOLOGIES CO.,LTD"]
    designations:
      - {by: US, list: FCC Covered List, since: 2021-03-12, citation: )") +
                      kCitation + R"(}
      - {by: UK, list: UK designation notice, since: 2022-10-13, citation: )" +
                      kCitation + R"(}
  - id: hisilicon
    name: HiSilicon Technologies Co., Ltd.
    country: CN
    parent: huawei
  - id: hikvision
    name: Hangzhou Hikvision Digital Technology Co., Ltd.
    country: CN
    designations:
      - {by: US, list: FCC Covered List, since: 2021-03-12, limited_to: [surveillance, camera], citation: )" +
                      kCitation + R"(}
  - id: ericsson
    name: Telefonaktiebolaget LM Ericsson
    country: SE
    aliases: [Ericsson]
)");
}

std::string pack_yaml(const std::string& code, const std::string& rest) {
  return "netvet-kb: 1\ncode: " + code + "\nname: Test " + code + "\n" + rest;
}

// Finds the diagnostic whose message contains `needle`; fails the test if none.
const Diagnostic* find_diag(const Diagnostics& d, const std::string& needle) {
  for (const auto& item : d.items()) {
    if (item.message.find(needle) != std::string::npos) return &item;
  }
  ADD_FAILURE() << "no diagnostic containing \"" << needle << "\" in:\n" << d.format();
  return nullptr;
}

void expect_at(const Diagnostics& d, const std::string& needle, const std::string& file, uint32_t line, uint32_t col) {
  const Diagnostic* item = find_diag(d, needle);
  if (!item) return;
  EXPECT_EQ(item->loc.file, file) << item->message;
  EXPECT_EQ(item->loc.line, line) << item->message;
  EXPECT_EQ(item->loc.column, col) << item->message;
  EXPECT_EQ(item->level, DiagLevel::kError) << item->message;
}

std::unique_ptr<KnowledgeBase> load(const TempKb& t, Diagnostics& d, const std::vector<std::string>& overlays = {},
                                    RuleValidator v = nullptr) {
  return load_kb(t.dir(), overlays, d, v);
}

Date D(const char* s) { return *Date::parse(s); }

std::string lower_code(const std::string& code) {
  std::string out = code;
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// ---------------------------------------------------------------- loader errors

TEST(KbLoader, LoadsAMinimalKb) {
  TempKb t;
  t.write("vendors.yaml", basic_vendors());
  Diagnostics d;
  auto kb = load(t, d);
  ASSERT_TRUE(kb) << d.format();
  EXPECT_EQ(kb->version, "test.1");
  EXPECT_EQ(kb->vendors.size(), 4u);
  EXPECT_TRUE(kb->jurisdictions.empty());
}

TEST(KbLoader, MalformedYamlNamesLineAndColumn) {
  TempKb t;
  // The second key is indented one column short of the first: a broken block sequence.
  t.write("vendors.yaml", "netvet-kb: 1\nvendors:\n  - id: huawei\n   name: bad indent\n");
  Diagnostics d;
  EXPECT_FALSE(load(t, d));
  expect_at(d, "malformed YAML: end of sequence not found", t.path("vendors.yaml"), 4, 4);

  // An unclosed flow list: yaml-cpp notices at the end of the input.
  t.write("vendors.yaml", "netvet-kb: 1\nvendors:\n  - id: huawei\n    name: [unclosed\n");
  Diagnostics d2;
  EXPECT_FALSE(load(t, d2));
  expect_at(d2, "malformed YAML: end of sequence flow not found", t.path("vendors.yaml"), 5, 1);
}

TEST(KbLoader, WrongTypeIsReportedAtTheValue) {
  TempKb t;
  t.write("vendors.yaml", vendors_yaml("  - id: huawei\n    name: Huawei\n    country: CN\n    aliases: Huawei\n"));
  Diagnostics d;
  EXPECT_FALSE(load(t, d));
  expect_at(d, "expected a list for \"aliases\"", t.path("vendors.yaml"), 6, 14);
}

TEST(KbLoader, UnknownKeySuggestsTheKnownOne) {
  TempKb t;
  t.write("vendors.yaml", vendors_yaml("  - id: huawei\n    name: Huawei\n    country: CN\n    alaises: [Huawei]\n"));
  Diagnostics d;
  EXPECT_FALSE(load(t, d));
  expect_at(d, "unknown key \"alaises\" in a vendor (did you mean \"aliases\"?)", t.path("vendors.yaml"), 6, 5);
}

TEST(KbLoader, DuplicateVendorId) {
  TempKb t;
  t.write("vendors.yaml", vendors_yaml("  - {id: zte, name: ZTE Corporation, country: CN}\n"
                                       "  - {id: zte, name: ZTE Again, country: CN}\n"));
  Diagnostics d;
  EXPECT_FALSE(load(t, d));
  expect_at(d, "duplicate vendor id \"zte\" (first defined at " + t.path("vendors.yaml") + ":3:5)",
            t.path("vendors.yaml"), 4, 10);
}

TEST(KbLoader, AliasClaimedByTwoVendorsAfterNormalization) {
  TempKb t;
  t.write("vendors.yaml", vendors_yaml("  - {id: huawei, name: Huawei, country: CN, aliases: [\"HUAWEI TECH. CO.\"]}\n"
                                       "  - {id: other, name: Other, country: US, aliases: [huawei-tech-co]}\n"));
  Diagnostics d;
  EXPECT_FALSE(load(t, d));
  expect_at(d, "alias \"huawei-tech-co\" of vendor \"other\" is already claimed by vendor \"huawei\"",
            t.path("vendors.yaml"), 4, 53);
}

TEST(KbLoader, AliasThatIsOnlyACorporateFormWordOrTooShortIsRejected) {
  // "LENOVO(BEIJING)CO., LTD." unquoted in a flow list split into a stray "LTD."
  // that made every "Ltd" vendor string resolve to Lenovo.
  TempKb t;
  t.write("vendors.yaml",
          vendors_yaml("  - {id: lenovo, name: Lenovo Group Limited, country: CN, aliases: [Lenovo, LTD.]}\n"
                       "  - {id: acme, name: Acme Networks, country: US, aliases: [AN, \"Co., Ltd.\"]}\n"
                       "  - {id: f5, name: F5 Inc., country: US, aliases: [F5]}\n"));
  Diagnostics d;
  EXPECT_FALSE(load(t, d));
  expect_at(d, "alias \"LTD.\" of vendor \"lenovo\" is only a corporate-form word", t.path("vendors.yaml"), 3, 77);
  expect_at(d, "alias \"AN\" of vendor \"acme\" normalises to \"an\", fewer than 3 characters", t.path("vendors.yaml"),
            4, 60);
  expect_at(d, "alias \"Co., Ltd.\" of vendor \"acme\" is only a corporate-form word", t.path("vendors.yaml"), 4, 64);
  EXPECT_EQ(d.error_count(), 3u) << d.format();  // "F5" repeats the vendor's id: allowed

  // Quoted, the full spelling is one alias and loads; "Ltd" alone resolves to nobody.
  t.write("vendors.yaml",
          vendors_yaml("  - {id: lenovo, name: Lenovo Group Limited, country: CN, aliases: [\"LENOVO(BEIJING)CO., LTD.\"]}\n"));
  Diagnostics d2;
  auto kb = load(t, d2);
  ASSERT_TRUE(kb) << d2.format();
  EXPECT_TRUE(kb->resolve_vendor("LENOVO(BEIJING)CO., LTD."));
  EXPECT_FALSE(kb->resolve_vendor("LTD."));
  EXPECT_FALSE(kb->resolve_vendor("Some Other Co., Ltd."));
}

TEST(KbLoader, DanglingParentSuggestsAVendor) {
  TempKb t;
  t.write("vendors.yaml", vendors_yaml("  - {id: huawei, name: Huawei, country: CN}\n"
                                       "  - {id: hisilicon, name: HiSilicon, country: CN, parent: huawie}\n"));
  Diagnostics d;
  EXPECT_FALSE(load(t, d));
  expect_at(d, "vendor \"hisilicon\" parent names unknown vendor \"huawie\" (did you mean \"huawei\"?)",
            t.path("vendors.yaml"), 4, 59);
}

TEST(KbLoader, OwnershipCycle) {
  TempKb t;
  t.write("vendors.yaml", vendors_yaml("  - {id: a, name: Alpha, country: US, parent: b}\n"
                                       "  - {id: b, name: Beta, country: US, parent: c}\n"
                                       "  - {id: c, name: Gamma, country: US, parent: a}\n"
                                       "  - {id: d, name: Delta, country: US, parent: a}\n"));
  Diagnostics d;
  EXPECT_FALSE(load(t, d));
  expect_at(d, "ownership cycle: a -> b -> c -> a", t.path("vendors.yaml"), 3, 5);
  EXPECT_EQ(d.error_count(), 1u) << d.format();  // d leads into the cycle but is not part of it
}

TEST(KbLoader, BadDateAndMissingCitationOnADesignation) {
  TempKb t;
  t.write("vendors.yaml", vendors_yaml("  - id: zte\n    name: ZTE\n    country: CN\n    designations:\n"
                                       "      - {by: US, list: FCC Covered List, since: 2021-13-12}\n"));
  Diagnostics d;
  EXPECT_FALSE(load(t, d));
  expect_at(d, "bad date \"2021-13-12\" for \"since\": expected YYYY-MM-DD", t.path("vendors.yaml"), 7, 49);
  expect_at(d, "a designation of vendor \"zte\" has no citation", t.path("vendors.yaml"), 7, 9);
}

TEST(KbLoader, CollectsEveryErrorNotJustTheFirst) {
  TempKb t;
  t.write("vendors.yaml", vendors_yaml("  - {id: a, name: A, country: usa}\n"
                                       "  - {id: b, name: B, country: US, colour: red}\n"
                                       "  - {id: c, name: C, country: US, parent: nobody}\n"));
  Diagnostics d;
  EXPECT_FALSE(load(t, d));
  EXPECT_EQ(d.error_count(), 3u) << d.format();
}

TEST(KbLoader, RuleErrorsCarryLocations) {
  TempKb t;
  t.write("vendors.yaml", basic_vendors());
  t.write("jurisdictions/uk.yaml", pack_yaml("UK", std::string(R"(rules:
  - id: uk.a
    title: A
    kind: deadlin
    where: {vendor: huawie, functon: amf}
    params: {by: 2023-12-31}
    citation: )") + kCitation + R"(
  - id: uk.b
    title: B
    kind: exclude
    where: {domain: core5g, vendor.risk: hgh}
  - id: uk.a
    title: C
    kind: exclude
    citation: )" + kCitation + "\n"));
  Diagnostics d;
  EXPECT_FALSE(load(t, d, {}, &validate_rule));
  const std::string f = t.path("jurisdictions/uk.yaml");
  // Kinds and closed vocabularies are checked by policy/ (one checker), at the loader's locations;
  // uk.b is dropped for its missing citation and still has its selector values checked.
  expect_at(d, "unknown rule kind \"deadlin\" (did you mean \"deadline\"?)", f, 7, 11);
  expect_at(d, "selector names unknown vendor \"huawie\" (did you mean \"huawei\"?)", f, 8, 21);
  expect_at(d, "unknown selector field \"functon\" (did you mean \"function\"?)", f, 8, 29);
  expect_at(d, "unknown domain \"core5g\" in selector (did you mean \"core-5g\"?)", f, 14, 21);
  expect_at(d, "unknown vendor.risk \"hgh\" in selector (did you mean \"high\"?)", f, 14, 42);
  expect_at(d, "rule \"uk.b\" has no citation", f, 11, 5);
  expect_at(d, "duplicate rule id \"uk.a\"", f, 15, 9);
}

TEST(KbLoader, PackCodeMustMatchFileName) {
  TempKb t;
  t.write("vendors.yaml", basic_vendors());
  t.write("jurisdictions/nz.yaml", pack_yaml("AU", ""));
  Diagnostics d;
  EXPECT_FALSE(load(t, d));
  expect_at(d, "pack code \"AU\" does not match its file name (expected \"NZ\")", t.path("jurisdictions/nz.yaml"), 2,
            7);
}

TEST(KbLoader, UnconfirmedRuleIsNeverBinding) {
  TempKb t;
  t.write("vendors.yaml", basic_vendors());
  t.write("jurisdictions/uk.yaml", pack_yaml("UK", std::string(R"(rules:
  - {id: uk.x, title: X, kind: exclude, binding: true, unconfirmed: true, citation: )") +
                                                       kCitation + "}\n"));
  Diagnostics d;
  auto kb = load(t, d);
  ASSERT_TRUE(kb) << d.format();
  const RuleSpec& r = kb->jurisdiction("UK")->rules.at(0);
  EXPECT_TRUE(r.unconfirmed);
  EXPECT_FALSE(r.binding);
  EXPECT_TRUE(find_diag(d, "is unconfirmed, so it is advisory"));
}

TEST(KbLoader, ParamsKeepTheirTypesAndLocations) {
  TempKb t;
  t.write("vendors.yaml", basic_vendors());
  t.write("jurisdictions/nz.yaml", pack_yaml("NZ", std::string(R"(rules:
  - id: nz.iso
    title: Isolation
    kind: isolation
    where: {vendor.risk: high, state: [added, changed]}
    params:
      targets: {any: [{domain: core-5g}, {function: [udm, billing]}]}
      stop_protection: [encrypted]
      max_percent: 35
      by: 2023-12-31
    effective_from: 2013-11-11
    citation: )") + kCitation + "\n"));
  Diagnostics d;
  auto kb = load(t, d);
  ASSERT_TRUE(kb) << d.format();
  const RuleSpec& r = kb->jurisdiction("nz")->rules.at(0);
  ASSERT_TRUE(std::holds_alternative<Selector>(r.params.at("targets")));
  EXPECT_EQ(std::get<Selector>(r.params.at("targets")).any.size(), 2u);
  EXPECT_EQ(std::get<std::vector<std::string>>(r.params.at("stop_protection")), std::vector<std::string>{"encrypted"});
  EXPECT_EQ(std::get<double>(r.params.at("max_percent")), 35.0);
  EXPECT_EQ(std::get<std::string>(r.params.at("by")), "2023-12-31");  // dates stay strings for the rule kind
  EXPECT_EQ(r.param_locs.at("by").line, 13u);
  ASSERT_EQ(r.where.all.size(), 2u);
  EXPECT_EQ(r.where.all[1].values, (std::vector<std::string>{"added", "changed"}));
  EXPECT_EQ(*r.effective_from, D("2013-11-11"));
}

TEST(KbLoader, ValidatorReportsAreMerged) {
  TempKb t;
  t.write("vendors.yaml", basic_vendors());
  t.write(
      "jurisdictions/uk.yaml",
      pack_yaml("UK", std::string("rules:\n  - {id: uk.x, title: X, kind: share_cap, citation: ") + kCitation + "}\n"));
  Diagnostics d;
  RuleValidator v = [](const RuleSpec& r, Diagnostics& out) {
    if (r.params.find("max_percent") == r.params.end()) out.error(r.loc, "share_cap needs max_percent");
  };
  EXPECT_FALSE(load(t, d, {}, v));
  expect_at(d, "share_cap needs max_percent", t.path("jurisdictions/uk.yaml"), 5, 5);
}

TEST(KbLoader, RefusesDeepNestingAndHugeFiles) {
  TempKb t;
  t.write("vendors.yaml", "netvet-kb: 1\nvendors: " + std::string(200, '[') + std::string(200, ']') + "\n");
  Diagnostics d;
  EXPECT_FALSE(load(t, d));
  EXPECT_TRUE(find_diag(d, "nesting deeper than"));

  TempKb big;
  big.write("vendors.yaml", "netvet-kb: 1\n# " + std::string(5 << 20, 'x') + "\nvendors: []\n");
  Diagnostics d2;
  EXPECT_FALSE(load(big, d2));
  EXPECT_TRUE(find_diag(d2, "file is larger than"));
}

TEST(KbLoader, MissingFilesAreErrorsNotCrashes) {
  Diagnostics d;
  EXPECT_FALSE(load_kb("/nonexistent/netvet-kb", {}, d));
  EXPECT_TRUE(find_diag(d, "missing KB version file"));
  EXPECT_TRUE(find_diag(d, "cannot read file"));
}

// Hostile or broken KB text must give diagnostics, never a crash or a throw:
// every prefix of a real pack, and the same pack with bytes flipped (fixed seed).
TEST(KbLoader, TruncatedAndCorruptedPacksNeverCrash) {
  std::ifstream in(kSourceDir + "/kb/jurisdictions/uk.yaml", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  ASSERT_GT(text.size(), 1000u);
  TempKb t;
  t.write("vendors.yaml", basic_vendors());
  size_t loaded = 0, rejected = 0;
  auto attempt = [&](const std::string& body) {
    t.write("jurisdictions/uk.yaml", body);
    Diagnostics d;
    std::unique_ptr<KnowledgeBase> kb;
    EXPECT_NO_THROW(kb = load(t, d));
    (kb ? loaded : rejected)++;
    if (!kb) {
      EXPECT_TRUE(d.has_errors());
    }
  };
  for (size_t cut = 0; cut < text.size(); cut += 97) attempt(text.substr(0, cut));
  uint64_t state = 42;
  const char kNoise[] = "[]{}:,-#'\"&*!|>%@` \n\t";
  for (int i = 0; i < 100; ++i) {
    std::string body = text;
    for (int k = 0; k < 4; ++k) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      body[(state >> 33) % body.size()] = kNoise[(state >> 13) % (sizeof kNoise - 1)];
    }
    attempt(body);
  }
  EXPECT_GT(rejected, 0u);
}

// ---------------------------------------------------------------- overlays

TEST(KbOverlay, RulesJoinThePackWithAtLeastTheOverlayClassification) {
  TempKb t;
  t.write("vendors.yaml", basic_vendors());
  t.write(
      "jurisdictions/nz.yaml",
      pack_yaml("NZ", std::string("rules:\n  - {id: nz.pub, title: P, kind: exclude, citation: ") + kCitation + "}\n"));
  t.write("secret.yaml", std::string(R"(netvet-kb-overlay: 1
classification: SECRET
jurisdiction: NZ
rules:
  - {id: nz.secret.a, title: A, kind: exclude, citation: {instrument: GCSB assessment}}
  - {id: nz.secret.b, title: B, kind: exclude, classification: TOP-SECRET, citation: {instrument: GCSB assessment}}
vendor_assessments:
  - {vendor: ericsson, risk: high, since: 2018-01-01, reason: agency assessment 42}
)"));
  Diagnostics d;
  auto kb = load(t, d, {t.path("secret.yaml")});
  ASSERT_TRUE(kb) << d.format();
  auto rules = kb->rules_for(*kb->jurisdiction("NZ"));
  ASSERT_EQ(rules.size(), 3u);
  EXPECT_EQ(rules[0]->id, "nz.pub");
  EXPECT_EQ(rules[0]->classification, Classification::kUnclassified);
  EXPECT_EQ(rules[1]->classification, Classification::kSecret);
  EXPECT_EQ(rules[2]->classification, Classification::kTopSecret);

  uint32_t ericsson = *kb->resolve_vendor("Ericsson");
  const Jurisdiction& nz = *kb->jurisdiction("NZ");
  EXPECT_EQ(kb->vendor_risk(ericsson, nz, D("2017-12-31")).risk, VendorRisk::kTrusted);
  RiskBasis b = kb->vendor_risk(ericsson, nz, D("2018-01-01"));
  EXPECT_EQ(b.risk, VendorRisk::kHighRisk);
  EXPECT_EQ(b.reason, "agency assessment 42");
}

TEST(KbOverlay, RuleBelowTheOverlayClassificationIsAnError) {
  TempKb t;
  t.write("vendors.yaml", basic_vendors());
  t.write("jurisdictions/nz.yaml", pack_yaml("NZ", ""));
  t.write("o.yaml", R"(netvet-kb-overlay: 1
classification: SECRET
jurisdiction: NZ
rules:
  - {id: nz.low, title: L, kind: exclude, classification: RESTRICTED, citation: {instrument: X}}
vendor_assessments:
  - {vendor: erricsson, risk: high, reason: r}
)");
  Diagnostics d;
  EXPECT_FALSE(load(t, d, {t.path("o.yaml")}));
  expect_at(d, "is classified RESTRICTED, below its overlay's SECRET", t.path("o.yaml"), 5, 59);
  expect_at(d, "vendor assessment names unknown vendor \"erricsson\" (did you mean \"ericsson\"?)", t.path("o.yaml"), 7,
            14);
}

// ---------------------------------------------------------------- resolution and risk

class KbResolve : public ::testing::Test {
 protected:
  void SetUp() override {
    t_.write("vendors.yaml", basic_vendors());
    t_.write("jurisdictions/us.yaml",
             pack_yaml("US", "vendor_risk:\n  - {designated_by: [US], reason: covered, citation: " +
                                 std::string(kCitation) + "}\n"));
    t_.write(
        "jurisdictions/nz.yaml",
        pack_yaml("NZ", "vendor_risk:\n  - {designated_by: [UK], reason: partner, citation: " + std::string(kCitation) +
                            "}\n  - {headquarters_in: [CN], since: 2017-06-27, "
                            "reason: intelligence law, citation: " +
                            kCitation + "}\n"));
    Diagnostics d;
    kb_ = load(t_, d);
    ASSERT_TRUE(kb_) << d.format();
  }
  uint32_t idx(const char* s) { return *kb_->resolve_vendor(s); }
  TempKb t_;
  std::unique_ptr<KnowledgeBase> kb_;
};

TEST_F(KbResolve, SpellingsIgnoreCasePunctuationAndCorporateSuffixes) {
  const uint32_t huawei = idx("huawei");
  EXPECT_EQ(kb_->vendors[huawei].id, "huawei");
  EXPECT_EQ(kb_->resolve_vendor("HUAWEI TECHNOLOGIES CO.,LTD"), huawei);
  EXPECT_EQ(kb_->resolve_vendor("HUAWEI TECHNOLOGIES CO., LTD."), huawei);
  EXPECT_EQ(kb_->resolve_vendor("Huawei Technologies Co Ltd"), huawei);
  EXPECT_EQ(kb_->resolve_vendor("Huawei Technologies"), huawei);  // the name minus "Co., Ltd."
  EXPECT_EQ(kb_->resolve_vendor("Ericsson AB"), idx("ericsson"));
  EXPECT_EQ(kb_->resolve_vendor("HiSilicon Technologies Co Ltd"), idx("hisilicon"));
  EXPECT_FALSE(kb_->resolve_vendor("Generic"));
  EXPECT_FALSE(kb_->resolve_vendor(""));
  EXPECT_FALSE(kb_->resolve_vendor("Co., Ltd."));
  EXPECT_FALSE(kb_->resolve_vendor("Huawei Symantec Technologies"));  // no prefix guessing
}

TEST(KbIndex, AHandBuiltKbResolvesAliasesAfterRebuildIndex) {
  KnowledgeBase kb;
  Vendor h;
  h.id = "huawei";
  h.name = "Huawei Technologies Co., Ltd.";
  h.aliases = {"HUAWEI TECH. CO."};
  h.country = "CN";
  Vendor e;
  e.id = "ericsson";
  e.name = "Telefonaktiebolaget LM Ericsson";
  e.aliases = {"Ericsson"};
  e.country = "SE";
  kb.vendors = {h, e};
  EXPECT_FALSE(kb.resolve_vendor("huawei"));  // no index yet
  kb.rebuild_index();
  EXPECT_EQ(kb.resolve_vendor("huawei"), 0u);
  EXPECT_EQ(kb.resolve_vendor("Huawei Tech Co"), 0u);
  EXPECT_EQ(kb.resolve_vendor("Huawei Technologies"), 0u);  // stripped name
  EXPECT_EQ(kb.resolve_vendor("Ericsson AB"), 1u);          // stripped alias
  ASSERT_TRUE(kb.vendor("ericsson"));
  EXPECT_EQ(kb.vendor("ericsson")->country, "SE");
  EXPECT_FALSE(kb.resolve_vendor("Nokia"));
  // Rebuilding after a change drops what is gone.
  kb.vendors.pop_back();
  kb.rebuild_index();
  EXPECT_FALSE(kb.resolve_vendor("Ericsson"));
}

TEST(KbStrip, DropsOnlyTrailingLegalFormWords) {
  EXPECT_EQ(strip_corporate_suffixes("Huawei Technologies Co., Ltd."), "huaweitechnologies");
  EXPECT_EQ(strip_corporate_suffixes("Nokia Solutions and Networks GmbH & Co. KG"), "nokiasolutionsandnetworks");
  EXPECT_EQ(strip_corporate_suffixes("AO Kaspersky Lab"), "aokasperskylab");
  EXPECT_EQ(strip_corporate_suffixes("Inc."), "inc");
}

TEST_F(KbResolve, SubsidiaryInheritsItsOwnersDesignations) {
  const uint32_t hisi = idx("hisilicon");
  auto chain = kb_->ownership_chain(hisi);
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_EQ(kb_->vendors[chain[1]].id, "huawei");
  auto ds = kb_->designations_in_force(hisi, D("2023-01-01"));
  ASSERT_EQ(ds.size(), 2u);
  RiskBasis b = kb_->vendor_risk(hisi, *kb_->jurisdiction("US"), D("2023-01-01"));
  EXPECT_EQ(b.risk, VendorRisk::kHighRisk);
  EXPECT_NE(b.reason.find("owned by Huawei"), std::string::npos) << b.reason;
  EXPECT_EQ(b.citation.instrument, "Test Act");
}

TEST_F(KbResolve, DateTravelADesignationDoesNotApplyBeforeItsDate) {
  const uint32_t huawei = idx("huawei");
  const Jurisdiction& us = *kb_->jurisdiction("US");
  EXPECT_EQ(kb_->vendor_risk(huawei, us, D("2021-03-11")).risk, VendorRisk::kTrusted);
  EXPECT_EQ(kb_->vendor_risk(huawei, us, D("2021-03-12")).risk, VendorRisk::kHighRisk);
  EXPECT_EQ(kb_->designations_in_force(huawei, D("2021-03-11")).size(), 0u);
  EXPECT_EQ(kb_->designations_in_force(huawei, D("2022-10-13")).size(), 2u);
}

TEST_F(KbResolve, JurisdictionCriteriaHeadquartersAndPartnerDesignations) {
  const Jurisdiction& nz = *kb_->jurisdiction("NZ");
  // Before the intelligence-law date and before any UK designation: trusted.
  EXPECT_EQ(kb_->vendor_risk(idx("huawei"), nz, D("2017-06-26")).risk, VendorRisk::kTrusted);
  RiskBasis hq = kb_->vendor_risk(idx("hikvision"), nz, D("2018-01-01"));
  EXPECT_EQ(hq.risk, VendorRisk::kHighRisk);
  EXPECT_NE(hq.reason.find("intelligence law"), std::string::npos) << hq.reason;
  EXPECT_NE(hq.reason.find("headquartered in CN"), std::string::npos) << hq.reason;
  RiskBasis partner = kb_->vendor_risk(idx("huawei"), nz, D("2022-10-13"));
  EXPECT_NE(partner.reason.find("designated by UK"), std::string::npos) << partner.reason;
  EXPECT_EQ(kb_->vendor_risk(idx("ericsson"), nz, D("2024-01-01")).risk, VendorRisk::kTrusted);
}

TEST_F(KbResolve, LimitedDesignationsApplyOnlyToTheirUses) {
  const uint32_t hik = idx("hikvision");
  const Jurisdiction& us = *kb_->jurisdiction("US");
  EXPECT_EQ(kb_->vendor_risk(hik, us, D("2022-01-01"), Function::kCamera).risk, VendorRisk::kHighRisk);
  EXPECT_EQ(kb_->vendor_risk(hik, us, D("2022-01-01"), Function::kRouter).risk, VendorRisk::kTrusted);
  EXPECT_EQ(kb_->vendor_risk(hik, us, D("2022-01-01")).risk, VendorRisk::kHighRisk);  // no use given: all apply
}

TEST_F(KbResolve, LookupsByIdAndCode) {
  EXPECT_TRUE(kb_->vendor("huawei"));
  EXPECT_FALSE(kb_->vendor("Huawei"));  // ids are exact; spellings go through resolve_vendor
  EXPECT_TRUE(kb_->jurisdiction("us"));
  EXPECT_FALSE(kb_->jurisdiction("FR"));
}

TEST_F(KbResolve, ShowTextForVendorRuleAndUnknown) {
  auto v = kb_show_text(*kb_, "HiSilicon", D("2021-06-01"));
  ASSERT_TRUE(v);
  EXPECT_NE(v->find("owned by:     huawei (CN)"), std::string::npos) << *v;
  EXPECT_NE(v->find("2021-03-12  US  FCC Covered List (via huawei)  [in force]"), std::string::npos) << *v;
  EXPECT_NE(v->find("2022-10-13  UK  UK designation notice (via huawei)  [not in force]"), std::string::npos) << *v;
  EXPECT_FALSE(kb_show_text(*kb_, "nothing-here"));
  EXPECT_NE(kb_list_text(*kb_).find("hisilicon"), std::string::npos);
}

// ---------------------------------------------------------------- the real kb/

class RealKb : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    diags_ = new Diagnostics(500);
    kb_ = load_kb(kSourceDir + "/kb", {}, *diags_, validate_rule).release();
  }
  static void TearDownTestSuite() {
    delete kb_;
    delete diags_;
  }
  void SetUp() override { ASSERT_TRUE(kb_) << diags_->format(); }
  static uint32_t idx(const char* s) {
    auto v = kb_->resolve_vendor(s);
    EXPECT_TRUE(v) << s;
    return v.value_or(0);
  }
  static const Jurisdiction& j(const char* code) { return *kb_->jurisdiction(code); }
  static Diagnostics* diags_;
  static KnowledgeBase* kb_;
};
Diagnostics* RealKb::diags_ = nullptr;
KnowledgeBase* RealKb::kb_ = nullptr;

// Look-alike spellings are suggested (never resolved): Unicode homoglyphs via
// ICU's skeletons, case, legal suffixes and spacing; plain typos by edit distance.
TEST_F(RealKb, SuggestsTheVendorALookAlikeSpellingMeans) {
  struct Case {
    const char* spelling;
    const char* vendor;
    bool confusable;
  };
  const Case cases[] = {
      {"\xd0\x9d" "uawei", "huawei", true},       // Cyrillic capital En
      {"HUAWEl", "huawei", true},                 // lower-case L for I
      {"Hu\xd0\xb0wei", "huawei", true},          // Cyrillic a
      {"\xce\x96\xce\xa4\xce\x95", "zte", true},  // Greek capitals Zeta Tau Epsilon
      {"N0kia", "nokia", true},                   // zero for o
      {"Ericson", "ericsson", false},             // a typo
  };
  for (const auto& c : cases) {
    EXPECT_FALSE(kb_->resolve_vendor(c.spelling)) << c.spelling << " must stay unknown";
    auto s = suggest_vendor(*kb_, c.spelling);
    ASSERT_TRUE(s) << c.spelling;
    EXPECT_EQ(kb_->vendors[s->vendor].id, c.vendor) << c.spelling;
    EXPECT_EQ(s->confusable, c.confusable) << c.spelling;
  }
  EXPECT_FALSE(suggest_vendor(*kb_, "Completely Unrelated Widgets"));
}

TEST_F(RealKb, LoadsCleanlyWithPolicyValidation) {
  // validate_rule is policy/'s: every pack rule's kind and params pass it.
  for (const auto& item : diags_->items()) {
    ADD_FAILURE() << item.loc.to_string() << ": " << item.message;
  }
  EXPECT_FALSE(kb_->version.empty());
  for (const char* code : {"NZ", "AU", "UK", "US", "CA", "DE", "EU", "SE", "EE", "JP", "IN"}) {
    const Jurisdiction* pj = kb_->jurisdiction(code);
    ASSERT_TRUE(pj) << code;
    EXPECT_FALSE(pj->rules.empty()) << code;
    EXPECT_FALSE(pj->instruments.empty()) << code;
  }
}

TEST_F(RealKb, LintEveryRuleAndDesignationIsCitedAndDated) {
  auto cited = [](const Citation& c, const std::string& what) {
    EXPECT_FALSE(c.instrument.empty()) << what;
    EXPECT_EQ(c.url.rfind("http", 0), 0u) << what << " url: " << c.url;
    EXPECT_EQ(c.fact.rfind("policies.md §", 0), 0u) << what << " fact: " << c.fact;
  };
  for (const auto& [code, pack] : kb_->jurisdictions) {
    for (const auto& r : pack.rules) {
      cited(r.citation, r.id);
      EXPECT_TRUE(r.effective_from) << r.id << " has no effective_from";
      EXPECT_EQ(r.id.rfind(lower_code(code) + ".", 0), 0u) << r.id << " is not prefixed with its pack";
      EXPECT_FALSE(r.note.empty() && !r.binding) << r.id << ": an advisory rule says why in its note";
      if (r.unconfirmed) {
        EXPECT_FALSE(r.binding) << r.id;
      }
      if (r.kind == "deadline") {
        EXPECT_TRUE(Date::parse(std::get<std::string>(r.params.at("by")))) << r.id;
      }
    }
    for (const auto& c : pack.risk_criteria) cited(c.citation, code + " vendor_risk");
  }
  for (const auto& v : kb_->vendors) {
    for (const auto& d : v.designations) {
      cited(d.citation, v.id + " designation by " + d.by);
      EXPECT_GE(d.since, D("2013-01-01")) << v.id;  // a real date, not a default
    }
  }
}

TEST_F(RealKb, NoVendorClaimsABareCorporateForm) {
  // A stray "LTD." alias once made "Ltd" (and every string stripping to it) Lenovo.
  for (const char* s : {"LTD.", "Ltd", "Co., Ltd.", "Inc.", "Limited", "GmbH", "AB"}) {
    EXPECT_FALSE(kb_->resolve_vendor(s)) << s << " resolves to " << kb_->vendors[*kb_->resolve_vendor(s)].id;
  }
  EXPECT_EQ(kb_->vendors[idx("LENOVO(BEIJING)CO., LTD.")].id, "lenovo");
}

TEST_F(RealKb, LintEveryVendorReferenceExistsAndNoAliasIsShared) {
  std::function<void(const Selector&, const std::string&)> walk = [&](const Selector& s, const std::string& what) {
    for (const auto& c : s.all) {
      if (c.field != "vendor") continue;
      for (const auto& v : c.values) {
        EXPECT_TRUE(kb_->vendor(v)) << what << " names vendor " << v;
      }
    }
    for (const auto& a : s.any) walk(a, what);
    for (const auto& n : s.not_) walk(n, what);
  };
  for (const auto& [code, pack] : kb_->jurisdictions) {
    for (const auto* r : kb_->rules_for(pack)) {
      walk(r->where, r->id);
      for (const auto& [k, p] : r->params) {
        if (const auto* s = std::get_if<Selector>(&p)) walk(*s, r->id + " param " + k);
      }
    }
  }
  std::map<std::string, std::string> owner;
  for (const auto& v : kb_->vendors) {
    if (!v.parent.empty()) {
      EXPECT_TRUE(kb_->vendor(v.parent)) << v.id << " parent " << v.parent;
    }
    std::vector<std::string> spellings = v.aliases;
    spellings.push_back(v.id);
    spellings.push_back(v.name);
    for (const auto& a : spellings) {
      auto [it, fresh] = owner.emplace(normalize_name(a), v.id);
      EXPECT_TRUE(fresh || it->second == v.id) << "alias " << a << " of " << v.id << " also belongs to " << it->second;
      auto r = kb_->resolve_vendor(a);
      ASSERT_TRUE(r) << a;
      EXPECT_EQ(kb_->vendors[*r].id, v.id) << a;
    }
  }
}

TEST_F(RealKb, DesignationsMatchTheFactSheet) {
  // policies.md §4.3: Covered List dates; subsidiaries inherit.
  auto covered_since = [&](const char* spelling) -> std::optional<Date> {
    for (uint32_t c : kb_->ownership_chain(idx(spelling))) {
      for (const auto& d : kb_->vendors[c].designations) {
        if (d.by == "US" && d.list == "FCC Covered List") return d.since;
      }
    }
    return std::nullopt;
  };
  EXPECT_EQ(covered_since("Huawei Device Co., Ltd."), D("2021-03-12"));
  EXPECT_EQ(covered_since("zte corporation"), D("2021-03-12"));
  EXPECT_EQ(covered_since("AO Kaspersky Lab"), D("2022-03-25"));
  EXPECT_EQ(covered_since("China Mobile International USA Inc."), D("2022-03-25"));
  EXPECT_EQ(covered_since("China Telecom (Americas) Corp."), D("2022-03-25"));
  EXPECT_EQ(covered_since("ComNet (USA) LLC"), D("2022-09-20"));
  EXPECT_EQ(covered_since("China Unicom (Americas) Operations Limited"), D("2022-09-20"));
  EXPECT_FALSE(covered_since("Ericsson"));
  // A vendor designated later is not yet designated.
  const Jurisdiction& us = j("US");
  EXPECT_EQ(kb_->vendor_risk(idx("Kaspersky"), us, D("2022-03-24")).risk, VendorRisk::kTrusted);
  EXPECT_EQ(kb_->vendor_risk(idx("Kaspersky"), us, D("2022-03-25")).risk, VendorRisk::kHighRisk);
  // s889(f)(3)(B): Hikvision only for surveillance uses.
  EXPECT_EQ(kb_->vendor_risk(idx("Hikvision"), us, D("2024-01-01"), Function::kCamera).risk, VendorRisk::kHighRisk);
  EXPECT_EQ(kb_->vendor_risk(idx("Hikvision"), us, D("2024-01-01"), Function::kRouter).risk, VendorRisk::kTrusted);
  // The UK designation notice reaches the Huawei UK company through the group.
  EXPECT_EQ(kb_->vendor_risk(idx("Huawei Technologies (UK) Co. Limited"), j("UK"), D("2022-10-13")).risk,
            VendorRisk::kHighRisk);
}

TEST_F(RealKb, NzRiskFollowsTheEncodingDecision) {
  const Jurisdiction& nz = j("NZ");
  // §1.5 / §9: CN headquarters count from the intelligence law's adoption, 2017-06-27.
  RiskBasis spark = kb_->vendor_risk(idx("Huawei"), nz, D("2018-11-28"));
  EXPECT_EQ(spark.risk, VendorRisk::kHighRisk);
  EXPECT_EQ(kb_->vendor_risk(idx("ZTE"), nz, D("2017-06-26")).risk, VendorRisk::kTrusted);
  EXPECT_EQ(kb_->vendor_risk(idx("ZTE"), nz, D("2017-06-27")).risk, VendorRisk::kHighRisk);
  // A US-headquartered company the US designates: high through the Five Eyes criterion.
  RiskBasis cmi = kb_->vendor_risk(idx("China Mobile International USA"), nz, D("2023-01-01"));
  EXPECT_EQ(cmi.risk, VendorRisk::kHighRisk);
  EXPECT_NE(cmi.reason.find("Five Eyes"), std::string::npos) << cmi.reason;
  EXPECT_EQ(kb_->vendor_risk(idx("Nokia"), nz, D("2018-11-28")).risk, VendorRisk::kTrusted);

  // The isolation rule's sources are only what a proposal adds or changes.
  const RuleSpec* iso = nullptr;
  for (const auto& r : nz.rules) {
    if (r.kind == "isolation") iso = &r;
  }
  ASSERT_TRUE(iso);
  EXPECT_TRUE(iso->binding);
  EXPECT_EQ(iso->severity, Severity::kHigh);
  bool state_clause = false;
  for (const auto& c : iso->where.all) {
    if (c.field == "state") state_clause = c.values == std::vector<std::string>{"added", "changed"};
  }
  EXPECT_TRUE(state_clause);
  EXPECT_TRUE(iso->in_force(D("2018-11-28")));
}

TEST_F(RealKb, DeadlinesAndDatesMatchTheFactSheet) {
  auto rule = [&](const char* id) -> const RuleSpec& {
    for (const auto& [code, pack] : kb_->jurisdictions) {
      for (const auto& r : pack.rules) {
        if (r.id == id) return r;
      }
    }
    ADD_FAILURE() << "no rule " << id;
    static RuleSpec none;
    return none;
  };
  auto by = [&](const char* id) { return std::get<std::string>(rule(id).params.at("by")); };
  EXPECT_EQ(by("uk.dvd.core-removal"), "2023-12-31");  // §3.4 row 3
  EXPECT_EQ(by("uk.dvd.5g-removal"), "2027-12-31");    // §3.4 row 8
  EXPECT_EQ(by("uk.dvd.transmission-removal"), "2025-12-31");
  EXPECT_TRUE(rule("uk.dvd.transmission-removal").unconfirmed);  // row 7 final UNCONFIRMED
  EXPECT_FALSE(rule("uk.dvd.transmission-removal").binding);
  EXPECT_EQ(*rule("uk.huawei-2020.purchase-stop").effective_from, D("2021-01-01"));  // §3.2 (a)
  EXPECT_EQ(std::get<double>(rule("uk.hrv-2020.5g-access-cap").params.at("max_percent")), 35.0);
  EXPECT_EQ(std::get<std::string>(rule("uk.hrv-2020.5g-access-cap").params.at("measure")), "sites");
  EXPECT_TRUE(rule("uk.hrv-2020.5g-access-cap").binding);  // §3.1 encoding decision
  EXPECT_EQ(*rule("us.ndaa889.a1a-procurement").effective_from, D("2019-08-13"));
  EXPECT_EQ(*rule("us.ndaa889.a1b-use").effective_from, D("2020-08-13"));
  EXPECT_EQ(*rule("us.fcc.equipment-authorization").effective_from, D("2023-02-06"));
  EXPECT_EQ(*rule("ca.2022.no-new-procurement").effective_from, D("2022-09-02"));
  EXPECT_EQ(by("ca.2022.5g-removal"), "2024-06-28");
  EXPECT_EQ(by("ca.2022.4g-removal"), "2027-12-31");
  EXPECT_EQ(by("de.2024.5g-core"), "2026-12-31");
  EXPECT_EQ(by("de.2024.management-systems"), "2029-12-31");
  EXPECT_EQ(by("se.pts-2020.phase-out"), "2025-01-01");
  for (const auto& [code, pack] : kb_->jurisdictions) {
    if (code == "EU") {
      for (const auto& r : pack.rules) {
        EXPECT_FALSE(r.binding) << r.id << ": the Toolbox is a recommendation";
      }
    }
  }
}

TEST_F(RealKb, ShowJurisdictionIsADatedTimeline) {
  auto text = kb_show_text(*kb_, "uk", D("2023-08-01"));
  ASSERT_TRUE(text);
  // Dates ascend through the timeline.
  std::istringstream in(*text);
  std::string line, last;
  bool in_timeline = false;
  int dated = 0;
  while (std::getline(in, line)) {
    if (line == "timeline:") in_timeline = true;
    if (!in_timeline || line.size() < 12 || line.substr(0, 2) != "  " || !std::isdigit(line[2])) continue;
    std::string date = line.substr(2, 10);
    EXPECT_LE(last, date) << line;
    last = date;
    ++dated;
  }
  EXPECT_GT(dated, 10);
  EXPECT_NE(text->find("uk.dvd.core-removal  deadline, binding, high"), std::string::npos) << *text;
  EXPECT_NE(text->find("uk.dvd.transmission-removal  deadline, advisory, UNCONFIRMED"), std::string::npos);
  EXPECT_NE(text->find("2023-12-31  deadline    uk.dvd.core-removal"), std::string::npos);
  EXPECT_NE(text->find("(as of)"), std::string::npos);
}

// ---------------------------------------------------------------- real inventory spellings

std::string fixture(const std::string& rel) { return kFixturesDir + "/" + rel; }

#define SKIP_WITHOUT(path)                          \
  if (!fs::exists(path))                            \
  GTEST_SKIP() << "fixture " << (path)              \
               << " not found (shared/fixtures is " \
                  "not beside this checkout)"

TEST_F(RealKb, NetboxDemoManufacturersResolve) {
  const std::string file = fixture("netbox/netbox-demo-v3.6.json");
  SKIP_WITHOUT(file);
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  // The demo's 14 manufacturers and the vendor each must resolve to ("" = unknown).
  const std::map<std::string, std::string> want = {
      {"Arista", "arista"},     {"Brocade", "brocade"},   {"Cisco", "cisco"},
      {"Dell", "dell"},         {"Extreme", "extreme"},   {"F5", "f5"},
      {"Juniper", "juniper"},   {"Opengear", "opengear"}, {"Palo Alto", "palo-alto"},
      {"Ubiquiti", "ubiquiti"}, {"APC", "apc"},           {"Panduit", "panduit"},
      {"Generic", ""},          {"Lenovo", "lenovo"}};
  // Read the names from the file rather than trusting the list: every
  // dcim.manufacturer row's "name" must be one we expect.
  size_t found = 0, pos = 0;
  while ((pos = text.find("\"model\": \"dcim.manufacturer\"", pos)) != std::string::npos) {
    size_t n = text.find("\"name\": \"", pos);
    ASSERT_NE(n, std::string::npos);
    n += 9;
    std::string name = text.substr(n, text.find('"', n) - n);
    pos = n;
    ++found;
    auto it = want.find(name);
    ASSERT_NE(it, want.end()) << "unexpected manufacturer " << name;
    auto r = kb_->resolve_vendor(name);
    if (it->second.empty()) {
      EXPECT_FALSE(r) << name << " should be unknown";
    } else {
      ASSERT_TRUE(r) << name;
      EXPECT_EQ(kb_->vendors[*r].id, it->second) << name;
    }
  }
  EXPECT_EQ(found, want.size());
}

TEST_F(RealKb, DevicetypeLibraryManufacturersResolve) {
  const std::string dir = fixture("netbox/devicetype-library");
  SKIP_WITHOUT(dir);
  const std::map<std::string, std::string> want = {{"Huawei", "huawei"}, {"ZTE", "zte"}, {"Ericsson", "ericsson"}};
  size_t checked = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    auto ext = e.path().extension().string();
    if (ext != ".yaml" && ext != ".yml") continue;
    std::ifstream in(e.path());
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("manufacturer:", 0) != 0) continue;
      std::string m = line.substr(13);
      m.erase(0, m.find_first_not_of(" \"'"));
      m.erase(m.find_last_not_of(" \"'\r") + 1);
      auto r = kb_->resolve_vendor(m);
      ASSERT_TRUE(r) << e.path() << ": " << m;
      ASSERT_TRUE(want.count(m)) << m;
      EXPECT_EQ(kb_->vendors[*r].id, want.at(m));
      ++checked;
    }
  }
  EXPECT_EQ(checked, 5u);
}

// Splits one CSV line with quoted fields (the OUI registry quotes names with commas).
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

TEST_F(RealKb, OuiRegistryHuaweiAndZteNamesResolve) {
  const std::string file = fixture("vendors/ieee-oui/oui.csv");
  SKIP_WITHOUT(file);
  std::ifstream in(file);
  std::string line;
  std::map<std::string, size_t> per_vendor;
  std::set<std::string> names;
  while (std::getline(in, line)) {
    auto f = csv_fields(line);
    if (f.size() < 3) continue;
    const std::string& org = f[2];
    std::string up = org;
    for (auto& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const bool huawei =
        up.find("HUAWEI TECHNOLOGIES") != std::string::npos || up.find("HUAWEI DEVICE") != std::string::npos;
    const bool zte = up.find("ZTE CORPORATION") != std::string::npos;
    if (!huawei && !zte) continue;
    names.insert(org);
    auto r = kb_->resolve_vendor(org);
    ASSERT_TRUE(r) << "OUI name " << org;
    // Every Huawei name is the group or one of its companies; ZTE is ZTE.
    auto chain = kb_->ownership_chain(*r);
    EXPECT_EQ(kb_->vendors[chain.back()].id, huawei ? "huawei" : "zte") << org;
    ++per_vendor[kb_->vendors[*r].id];
  }
  EXPECT_GT(per_vendor["huawei"], 900u);         // "HUAWEI TECHNOLOGIES CO.,LTD" rows
  EXPECT_GT(per_vendor["huawei-device"], 400u);  // "Huawei Device Co., Ltd." rows
  EXPECT_GT(per_vendor["zte"], 250u);
  EXPECT_GE(names.size(), 4u);
}

TEST_F(RealKb, HbomSuppliersResolve) {
  const std::string file = fixture("cyclonedx/bom-examples/HBOM/PCIe-SATA-adapter-board/bom.json");
  SKIP_WITHOUT(file);
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  // Every supplier/manufacturer organisation named in the BOM resolves.
  std::set<std::string> orgs;
  for (const char* key : {"\"supplier\"", "\"manufacturer\""}) {
    for (size_t pos = text.find(key); pos != std::string::npos; pos = text.find(key, pos + 1)) {
      size_t n = text.find("\"name\": \"", pos);
      if (n == std::string::npos) break;
      n += 9;
      orgs.insert(text.substr(n, text.find('"', n) - n));
    }
  }
  EXPECT_GE(orgs.size(), 5u);
  for (const auto& o : orgs) {
    EXPECT_TRUE(kb_->resolve_vendor(o)) << "HBOM supplier " << o;
  }
}

}  // namespace
}  // namespace netvet
