// Test helpers for src/policy: a small in-test knowledge base, tiny networks
// built in code, and a one-call rule runner. The KB's vendors are written as
// Vendor structs and loaded through load_kb (from a temporary directory), since
// vendor resolution needs the loader's alias index; jurisdictions and rules are
// plain structs handed straight to the policy engine.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "netvet/kb.h"
#include "netvet/model.h"
#include "netvet/policy.h"

namespace netvet::testing {

inline Date D(const char* iso) { return *Date::parse(iso); }

inline std::string yq(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

inline Citation cite(std::string instrument, std::string section = "s1") {
  return {std::move(instrument), std::move(section), "https://example.org/" + section, "policies.md test"};
}

inline Designation designation(std::string by, std::string list, const char* since,
                               std::vector<std::string> limited_to = {}) {
  Designation d;
  d.by = std::move(by);
  d.list = std::move(list);
  d.since = D(since);
  d.scope = "telecom equipment";
  d.limited_to = std::move(limited_to);
  d.citation = cite(d.list, "designation");
  return d;
}

inline Vendor vendor(std::string id, std::string name, std::string country, std::string parent = "",
                     std::vector<std::string> aliases = {}, std::vector<Designation> designations = {}) {
  Vendor v;
  v.id = std::move(id);
  v.name = std::move(name);
  v.country = std::move(country);
  v.parent = std::move(parent);
  v.aliases = std::move(aliases);
  v.designations = std::move(designations);
  return v;
}

// The vendors every policy test knows: Huawei (designated by the US from
// 2021-03-12 and by the UK from 2022-10-13) and its subsidiary HiSilicon, ZTE
// (US only), Hikvision (US, surveillance only), Ericsson and Nokia (trusted).
inline std::vector<Vendor> standard_vendors() {
  return {
      vendor("huawei", "Huawei Technologies Co., Ltd.", "CN", "", {"Huawei", "HUAWEI TECHNOLOGIES CO.,LTD"},
             {designation("US", "FCC Covered List", "2021-03-12"),
              designation("UK", "UK designation notice", "2022-10-13")}),
      vendor("hisilicon", "HiSilicon", "CN", "huawei"),
      vendor("zte", "ZTE Corporation", "CN", "", {"ZTE"}, {designation("US", "FCC Covered List", "2021-03-12")}),
      vendor("hikvision", "Hikvision", "CN", "", {},
             {designation("US", "NDAA FY2019 s889", "2019-08-13", {"surveillance"})}),
      vendor("ericsson", "Ericsson", "SE", "", {"Telefonaktiebolaget LM Ericsson"}),
      vendor("nokia", "Nokia", "FI"),
  };
}

// Writes the vendors as kb/vendors.yaml and loads them. Fails the test (and
// returns null) if the loader rejects them.
inline std::unique_ptr<KnowledgeBase> load_test_kb(const std::vector<Vendor>& vendors) {
  static std::atomic<int> counter{0};
  namespace fs = std::filesystem;
  fs::path dir =
      fs::temp_directory_path() / ("netvet-policy-kb-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::create_directories(dir / "jurisdictions");
  std::ofstream(dir / "VERSION") << "test.1\n";
  std::ofstream y(dir / "vendors.yaml");
  y << "netvet-kb: 1\nvendors:\n";
  for (const auto& v : vendors) {
    y << "  - id: " << yq(v.id) << "\n    name: " << yq(v.name) << "\n    country: " << yq(v.country) << "\n";
    if (!v.parent.empty()) y << "    parent: " << yq(v.parent) << "\n";
    if (!v.aliases.empty()) {
      y << "    aliases: [";
      for (size_t i = 0; i < v.aliases.size(); ++i) y << (i ? ", " : "") << yq(v.aliases[i]);
      y << "]\n";
    }
    if (!v.designations.empty()) {
      y << "    designations:\n";
      for (const auto& d : v.designations) {
        y << "      - by: " << yq(d.by) << "\n        list: " << yq(d.list)
          << "\n        since: " << d.since.to_string() << "\n        scope: " << yq(d.scope) << "\n";
        if (!d.limited_to.empty()) {
          y << "        limited_to: [";
          for (size_t i = 0; i < d.limited_to.size(); ++i) y << (i ? ", " : "") << yq(d.limited_to[i]);
          y << "]\n";
        }
        y << "        citation: {instrument: " << yq(d.citation.instrument) << ", section: " << yq(d.citation.section)
          << ", url: " << yq(d.citation.url) << ", fact: " << yq(d.citation.fact) << "}\n";
      }
    }
  }
  y.close();
  Diagnostics diags;
  auto kb = load_kb(dir.string(), {}, diags, validate_rule);
  std::error_code ec;
  fs::remove_all(dir, ec);
  EXPECT_NE(kb, nullptr) << diags.format();
  return kb;
}

// The UK sees a vendor high-risk when the UK designated it.
inline Jurisdiction uk_jurisdiction() {
  Jurisdiction j;
  j.code = "UK";
  j.name = "United Kingdom";
  j.authority = "DSIT";
  RiskCriterion c;
  c.designated_by = {"UK"};
  c.reason = "designated by the UK Secretary of State";
  c.citation = cite("Telecommunications (Security) Act 2021", "s105Z8");
  j.risk_criteria.push_back(c);
  return j;
}

// New Zealand judges a vendor profile: headquarters in a state whose law
// compels cooperation with its intelligence services (netvet's reading).
inline Jurisdiction nz_jurisdiction() {
  Jurisdiction j;
  j.code = "NZ";
  j.name = "New Zealand";
  j.authority = "GCSB";
  RiskCriterion c;
  c.headquarters_in = {"CN"};
  c.since = D("2017-06-27");
  c.reason = "headquartered in a state whose law compels cooperation with its intelligence services";
  c.citation = cite("TICSA 2013", "s57");
  j.risk_criteria.push_back(c);
  return j;
}

inline RuleSpec rule(std::string id, std::string kind, Selector where = {},
                     std::map<std::string, ParamValue> params = {}) {
  RuleSpec r;
  r.id = std::move(id);
  r.title = r.id;
  r.kind = std::move(kind);
  r.where = std::move(where);
  r.params = std::move(params);
  r.citation = cite("Test instrument", "s9");
  r.loc = {"pack.yaml", 10, 3, ""};
  return r;
}

// {field: values} clauses, ANDed.
inline Selector sel(std::vector<std::pair<std::string, std::vector<std::string>>> clauses) {
  Selector s;
  for (auto& [f, v] : clauses) s.all.push_back({f, v, {}, {}});
  return s;
}

// A network under construction, plus the per-component proposal state.
struct TestNet {
  Network net;
  std::vector<ComponentState> state;  // filled only when a test marks components
  std::map<ComponentIdx, std::vector<std::string>> comp_tags;
  std::map<SiteIdx, std::vector<std::string>> site_tags;

  SiteIdx site(std::string_view id, std::string_view region = "", double lat = std::nan(""),
               double lon = std::nan("")) {
    SiteIdx s = net.add_site(id);
    net.sites.region[s] = net.strings.intern(region);
    net.sites.lat[s] = lat;
    net.sites.lon[s] = lon;
    return s;
  }
  ComponentIdx comp(std::string_view id, Function f, std::string_view vendor_spelling, SiteIdx at = kNone,
                    uint64_t subscribers = 0, uint32_t cells = 0) {
    ComponentIdx c = net.add_component(id, f);
    net.components.vendor[c] = net.strings.intern(vendor_spelling);
    net.components.site[c] = at;
    net.components.subscribers[c] = subscribers;
    net.components.cells[c] = cells;
    return c;
  }
  void mark(ComponentIdx c, ComponentState s) {
    state.resize(net.components.size(), ComponentState::kExisting);
    state[c] = s;
  }
  // Tags are CSR columns: rebuild them once the rows exist.
  void finish_tags() {
    TagColumn ct, st;
    for (ComponentIdx c = 0; c < net.components.size(); ++c) {
      std::vector<StrId> ids;
      for (const auto& t : comp_tags[c]) ids.push_back(net.strings.intern(t));
      ct.push_row(ids);
    }
    for (SiteIdx s = 0; s < net.sites.size(); ++s) {
      std::vector<StrId> ids;
      for (const auto& t : site_tags[s]) ids.push_back(net.strings.intern(t));
      st.push_row(ids);
    }
    net.components.tags = std::move(ct);
    net.sites.tags = std::move(st);
  }
};

// Resolves vendors and evaluates `rules` on the network as of `date`.
struct RunResult {
  VendorColumns vendors;
  std::vector<Finding> findings;
};

inline RunResult run_rules(const TestNet& t, const KnowledgeBase& kb, const Jurisdiction& j, Date date,
                           const std::vector<const RuleSpec*>& rules, const AccessGraph* graph = nullptr) {
  RunResult r;
  r.vendors = resolve_vendors(t.net, kb, j, date);
  std::vector<ComponentState> state = t.state;
  if (!state.empty()) state.resize(t.net.components.size(), ComponentState::kExisting);
  EvalContext ctx{t.net, kb, j, date, r.vendors, state, graph};
  r.findings = evaluate_rules(rules, ctx);
  return r;
}

inline RunResult run_rule(const TestNet& t, const KnowledgeBase& kb, const Jurisdiction& j, Date date,
                          const RuleSpec& rule) {
  return run_rules(t, kb, j, date, {&rule});
}

inline std::vector<std::string> ids_of(const Network& net, const std::vector<ComponentIdx>& comps) {
  std::vector<std::string> out;
  for (ComponentIdx c : comps) out.emplace_back(net.component_id(c));
  return out;
}

inline Diagnostics validate(const RuleSpec& r) {
  Diagnostics d;
  validate_rule(r, d);
  return d;
}

// The fixture every kind test shares: the standard vendors, a network to
// build, and the UK and NZ jurisdictions.
class KindTest : public ::testing::Test {
 protected:
  void SetUp() override {
    kb_ = load_test_kb(standard_vendors());
    ASSERT_NE(kb_, nullptr);
  }
  RunResult run(const RuleSpec& r, const char* date) { return run_rule(t_, *kb_, uk_, D(date), r); }
  RunResult run_nz(const RuleSpec& r, const char* date) { return run_rule(t_, *kb_, nz_, D(date), r); }

  std::unique_ptr<KnowledgeBase> kb_;
  TestNet t_;
  Jurisdiction uk_ = uk_jurisdiction();
  Jurisdiction nz_ = nz_jurisdiction();
};

}  // namespace netvet::testing
