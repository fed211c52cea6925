// The disclosure property (issue 13, docs/assessment.md "Disclosure"), over
// random networks, proposals and overlays (random levels, rules, vendor
// ratings, severities, canary strings), for every command and format:
//   1. no byte of content above the reader's clearance appears (canaries);
//   2. two overlays that differ only in content above the clearance give
//      byte-identical output when the outcome is the same;
//   3. nothing public is lost: the findings and metrics a reader sees are those
//      of the KB without the content above their clearance.
#include <gtest/gtest.h>

#include <random>

#include "disclosure_check.h"

namespace netvet {
namespace {

using disclosure_check::kPack;
using disclosure_check::kVendors;

constexpr const char* kLevels[] = {"UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP-SECRET"};
constexpr const char* kFunctions[] = {"gnb", "enb", "amf", "smf", "upf", "mme", "hss", "router", "ems", "sgw"};
constexpr const char* kVendorNames[] = {"Redco", "Blueco", "Greenco", "Whiteco", "Mysteryco"};
constexpr const char* kInterfaces[] = {"n2", "n3", "n4", "sbi", "backhaul", "mgmt", "s1-mme", "s1-u", "transport"};
constexpr const char* kSeverities[] = {"info", "low", "medium", "high", "critical"};

struct Rng {
  std::mt19937_64 g;
  size_t below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(g); }
  bool chance(int percent) { return static_cast<int>(below(100)) < percent; }
};

std::string network_text(Rng& rng, size_t& n_out) {
  const size_t n = 3 + rng.below(18);
  n_out = n;
  std::string s = "netvet: 1\noperator: Test\ncountry: ZZ\nsites:\n";
  for (int k = 0; k < 3; ++k)
    s += "  - {id: S" + std::to_string(k) + ", name: Site " + std::to_string(k) + ", lat: -36." + std::to_string(k) +
         ", lon: 174.7, region: R" + std::to_string(k % 2) + "}\n";
  s += "components:\n";
  for (size_t c = 0; c < n; ++c) {
    const char* f = kFunctions[rng.below(std::size(kFunctions))];
    const std::string fn = f;
    s += "  - {id: c" + std::to_string(c) + ", function: " + fn +
         (fn == "gnb" || fn == "amf" || fn == "smf" || fn == "upf" ? ", generation: 5g-sa"
          : fn == "enb" || fn == "mme" || fn == "hss" || fn == "sgw"  ? ", generation: 4g"
                                                                      : "") +
         ", vendor: " + kVendorNames[rng.below(std::size(kVendorNames))] + ", site: S" + std::to_string(rng.below(3));
    if (fn == "gnb" || fn == "enb") s += ", serves: {subscribers: " + std::to_string(100 * (1 + rng.below(50))) + ", cells: 3}";
    s += "}\n";
  }
  s += "links:\n";
  const size_t links = n + rng.below(2 * n);
  for (size_t l = 0; l < links; ++l) {
    size_t a = rng.below(n), b = rng.below(n);
    if (a == b) b = (a + 1) % n;
    s += "  - {a: c" + std::to_string(a) + ", b: c" + std::to_string(b) +
         ", interface: " + kInterfaces[rng.below(std::size(kInterfaces))] +
         (rng.chance(20) ? ", protection: [encrypted, integrity]" : "") + "}\n";
  }
  return s;
}

std::string proposal_text(Rng& rng, size_t n) {
  std::string s = "netvet: 1\nproposal: random change\nadd:\n  components:\n";
  const size_t k = 1 + rng.below(3);
  for (size_t i = 0; i < k; ++i)
    s += "    - {id: p" + std::to_string(i) + ", function: gnb, generation: 5g-sa, vendor: " +
         kVendorNames[rng.below(std::size(kVendorNames))] + ", site: S0}\n";
  s += "  links:\n";
  for (size_t i = 0; i < k; ++i)
    s += "    - [p" + std::to_string(i) + ", c" + std::to_string(rng.below(n)) + ", n2]\n";
  return s;
}

// One overlay's shape (levels, selectors, vendors rated) with the text of each
// item drawn from `variant`: items above `clearance` get canary text and a
// variant-dependent severity; items at or below it are the same in every
// variant. With `public_only`, items above the clearance are left out.
struct OverlayShape {
  int level;  // index into kLevels
  struct Rule {
    int level;
    std::string where;
    int severity;
    bool binding;
  };
  std::vector<Rule> rules;
  struct Rating {
    std::string vendor;
  };
  std::vector<Rating> ratings;
};

OverlayShape random_shape(Rng& rng) {
  OverlayShape o;
  o.level = static_cast<int>(rng.below(5));
  const size_t rules = rng.below(4);
  for (size_t i = 0; i < rules; ++i) {
    OverlayShape::Rule r;
    r.level = o.level + static_cast<int>(rng.below(5 - o.level));
    const char* wheres[] = {"{function: upf}", "{vendor.risk: high}", "{vendor: [blueco, whiteco]}",
                            "{domain: management}", "{vendor.risk: high, domain: ran}", "{function: [amf, smf]}"};
    r.where = wheres[rng.below(std::size(wheres))];
    r.severity = static_cast<int>(rng.below(5));
    r.binding = rng.chance(70);
    o.rules.push_back(r);
  }
  const size_t ratings = rng.below(3);
  const char* rated[] = {"blueco", "greenco", "whiteco"};
  for (size_t i = 0; i < ratings; ++i) o.ratings.push_back({rated[rng.below(3)]});
  return o;
}

std::string canary(int level, int variant, size_t i) {
  return std::string("CANARY") + (kLevels[level][0] == 'T' ? "TS" : std::string(kLevels[level]).substr(0, 4)) + "V" +
         std::to_string(variant) + "N" + std::to_string(i);
}

std::string overlay_text(const OverlayShape& o, int clearance, int variant, bool public_only) {
  auto above = [&](int level) { return level > clearance; };
  std::string s = "netvet-kb-overlay: 1\nclassification: " + std::string(kLevels[o.level]) + "\njurisdiction: ZZ\nrules:\n";
  size_t i = 0;
  for (const auto& r : o.rules) {
    ++i;
    if (public_only && above(r.level)) continue;
    const std::string text = above(r.level) ? canary(r.level, variant, i) : "PUBLIC" + std::to_string(i);
    const int severity = above(r.level) ? (r.severity + variant) % 5 : r.severity;
    const bool binding = above(r.level) ? (r.binding != (variant % 2 == 1)) : r.binding;
    s += "  - id: ov." + (above(r.level) ? text : "public-" + std::to_string(i)) + "\n    title: " + text +
         " title\n    kind: exclude\n    where: " + r.where + "\n    effective_from: 2000-01-01\n    severity: " +
         kSeverities[severity] + "\n    binding: " + (binding ? "true" : "false") +
         "\n    classification: " + kLevels[r.level] + "\n    citation: {instrument: " + text +
         " instrument, section: " + text + " section, url: https://example.invalid/" + text + "}\n";
  }
  if (!(public_only && above(o.level))) {
    s += "vendor_assessments:\n";
    size_t k = 0;
    for (const auto& a : o.ratings) {
      ++k;
      const std::string text = above(o.level) ? canary(o.level, variant, 100 + k) : "PUBLICREASON" + std::to_string(k);
      s += "  - {vendor: " + a.vendor + ", risk: high, since: 2001-01-01, reason: " + text + " reason}\n";
    }
  }
  return s;
}

struct Case {
  SharedKb base;
  std::shared_ptr<const Network> net;
  std::shared_ptr<const Proposal> proposal;
};

TEST(Disclosure, PropertyHoldsForEveryCommandAndFormat) {
  Diagnostics diags;
  SharedKb base = engine::load_kb_text("test-1", {"vendors.yaml", kVendors}, {{"zz.yaml", kPack}}, diags);
  ASSERT_TRUE(base) << diags.format();
  const CostModel costs = disclosure_check::test_costs({"greenco", "whiteco"});
  int compared = 0, withheld_seen = 0;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    Rng rng{std::mt19937_64(seed * 7777)};
    size_t n = 0;
    const std::string ntext = network_text(rng, n);
    Diagnostics d;
    auto net = parse_network_yaml(ntext, "network.yaml", d);
    ASSERT_TRUE(net) << d.format() << ntext;
    std::shared_ptr<const Proposal> proposal;
    if (rng.chance(50)) {
      auto p = parse_proposal_yaml(proposal_text(rng, n), "proposal.yaml", d);
      ASSERT_TRUE(p) << d.format();
      proposal = std::make_shared<const Proposal>(std::move(*p));
    }
    const auto network = std::make_shared<const Network>(std::move(*net));
    const OverlayShape shape = random_shape(rng);
    const int clearance = static_cast<int>(rng.below(3));  // UNCLASSIFIED .. CONFIDENTIAL
    auto kb_of = [&](const std::string& text) {
      if (text.empty()) return base;
      Diagnostics od;
      auto k = engine::with_overlays(base, {{"agency.yaml", text}}, od);
      EXPECT_TRUE(k) << od.format() << text;
      return k;
    };
    const SharedKb kb1 = kb_of(overlay_text(shape, clearance, 1, false));
    const SharedKb kb2 = kb_of(overlay_text(shape, clearance, 2, false));
    const SharedKb kb0 = kb_of(overlay_text(shape, clearance, 0, true));
    ASSERT_TRUE(kb0 && kb1 && kb2);
    auto request = [&](const SharedKb& k) {
      return engine::Request{k, network, proposal, "ZZ", *Date::parse("2020-06-01"),
                             static_cast<Classification>(clearance), 1};
    };
    const bool plan = seed % 4 == 0;
    const auto o1 = disclosure_check::render_all(request(kb1), plan ? &costs : nullptr);
    const auto o2 = disclosure_check::render_all(request(kb2), plan ? &costs : nullptr);
    const std::string where = "seed " + std::to_string(seed) + " clearance " + kLevels[clearance];
    // 1. No canary of a level above the clearance, anywhere.
    for (const auto* o : {&o1, &o2})
      for (const auto& [name, bytes] : o->items) {
        ASSERT_EQ(bytes.find("CANARY"), std::string::npos) << where << " " << name << ":\n" << bytes;
        ASSERT_EQ(bytes.find("agency.yaml"), shape.level > clearance ? std::string::npos : bytes.find("agency.yaml"))
            << where << " " << name << ": the file name of an overlay above the clearance";
      }
    // 2. Same outcome => same bytes.
    ASSERT_EQ(o1.items.size(), o2.items.size());
    if (o1.outcome == o2.outcome) {
      ++compared;
      for (size_t i = 0; i < o1.items.size(); ++i)
        ASSERT_EQ(o1.items[i].second, o2.items[i].second) << where << " " << o1.items[i].first;
    }
    // 3. Nothing public lost: the findings and metrics are those of the public part alone.
    auto a0 = engine::assess(request(kb0));
    auto a1 = engine::assess(request(kb1));
    ASSERT_TRUE(a0 && a1);
    withheld_seen += !a1->withheld.empty();
    ASSERT_EQ(a0->findings.size(), a1->findings.size()) << where;
    for (size_t i = 0; i < a0->findings.size(); ++i) {
      EXPECT_EQ(a0->findings[i].id, a1->findings[i].id) << where;
      EXPECT_EQ(a0->findings[i].message, a1->findings[i].message) << where;
      EXPECT_EQ(a0->findings[i].components, a1->findings[i].components) << where;
    }
    EXPECT_EQ(a0->metrics.dump(), a1->metrics.dump()) << where;
  }
  // The generator must exercise the property, not pass vacuously.
  EXPECT_GT(compared, 20);
  EXPECT_GT(withheld_seen, 5);
}

}  // namespace
}  // namespace netvet
