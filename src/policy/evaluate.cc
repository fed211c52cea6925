// The rule-kind registry, rule validation, and evaluate_rules: select, hand the
// matched set to the rule's kind, then give every finding the parts all kinds
// share (stable id, component order, classification, the "netvet's reading"
// and UNCONFIRMED wording).
#include <openssl/evp.h>

#include <algorithm>
#include <set>
#include <unordered_set>

#include "kinds/kinds.h"
#include "netvet/policy.h"

namespace netvet {

const std::vector<const RuleKind*>& rule_kinds() {
  static const std::vector<const RuleKind*> kKinds = {
      &policy::exclude_kind(),        &policy::share_cap_kind(), &policy::deadline_kind(), &policy::procurement_kind(),
      &policy::exclusion_zone_kind(), &policy::isolation_kind(), &policy::notify_kind(),   &policy::diversity_kind()};
  return kKinds;
}

const RuleKind* find_rule_kind(std::string_view name) {
  for (const RuleKind* k : rule_kinds()) {
    if (k->name() == name) return k;
  }
  return nullptr;
}

void RuleKind::validate(const RuleSpec& rule, Diagnostics& diags) const { policy::check_params(rule, params(), diags); }

void validate_rule(const RuleSpec& rule, Diagnostics& diags) {
  const RuleKind* kind = find_rule_kind(rule.kind);
  if (!kind) {
    std::vector<std::string_view> names;
    for (const RuleKind* k : rule_kinds()) names.push_back(k->name());
    std::string msg = "rule " + rule.id + ": unknown rule kind \"" + rule.kind + "\"";
    if (auto dym = did_you_mean(rule.kind, names)) {
      msg += " (did you mean \"" + *dym + "\"?)";
    } else {
      msg += " (expected one of:";
      for (auto n : names) msg += " " + std::string(n);
      msg += ")";
    }
    diags.error(rule.kind_loc.line != 0 ? rule.kind_loc : rule.loc, msg);
  }
  policy::validate_selector(rule.where, rule.loc, diags);
  if (rule.effective_from && rule.effective_until && *rule.effective_until < *rule.effective_from) {
    diags.error(rule.loc, "rule " + rule.id + ": effective_until " + rule.effective_until->to_string() +
                              " is before effective_from " + rule.effective_from->to_string());
  }
  if (kind) kind->validate(rule, diags);
}

std::string finding_id(std::string_view rule, const Network& net, const std::vector<ComponentIdx>& components) {
  std::vector<std::string_view> ids;
  ids.reserve(components.size());
  for (ComponentIdx c : components) ids.push_back(net.component_id(c));
  std::sort(ids.begin(), ids.end());
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestInit_ex(md, EVP_sha256(), nullptr);
  // Newline-separated: component ids never contain one, so distinct sets never collide by concatenation.
  for (auto id : ids) {
    EVP_DigestUpdate(md, id.data(), id.size());
    EVP_DigestUpdate(md, "\n", 1);
  }
  EVP_DigestFinal_ex(md, digest, &len);
  EVP_MD_CTX_free(md);
  static const char* kHex = "0123456789abcdef";
  std::string out(rule);
  out += '#';
  for (int i = 0; i < 4; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

namespace {

std::string criterion_name(const RiskCriterion& c, const Jurisdiction& j) {
  std::string name = c.citation.instrument;
  if (!c.citation.section.empty()) name += (name.empty() ? "" : " ") + c.citation.section;
  if (name.empty()) name = j.code + " vendor-risk criteria";
  return name;
}

// Components are listed by id so the same network gives the same bytes
// whatever order the inventory came in.
// Sorts components by id and drops repeats. A finding may name 10^5
// components whose ids lie scattered in memory: comparing the strings in the
// sort is a cache miss per comparison, so each id's first 16 bytes are read
// once into the sort key and the strings are compared only on a tie.
void sort_by_id(std::vector<ComponentIdx>& comps, const Network& net) {
  struct Key {
    uint64_t hi, lo;  // the id's first 16 bytes, big-endian, zero-padded (ids hold no NUL)
    ComponentIdx c;
  };
  auto be = [](const char* p, size_t n) {
    uint64_t v = 0;
    for (size_t i = 0; i < 8; ++i) v = (v << 8) | (i < n ? static_cast<unsigned char>(p[i]) : 0u);
    return v;
  };
  std::vector<Key> keys;
  keys.reserve(comps.size());
  for (ComponentIdx c : comps) {
    std::string_view id = net.component_id(c);
    keys.push_back({be(id.data(), id.size()), id.size() > 8 ? be(id.data() + 8, id.size() - 8) : 0, c});
  }
  std::sort(keys.begin(), keys.end(), [&](const Key& a, const Key& b) {
    if (a.hi != b.hi) return a.hi < b.hi;
    if (a.lo != b.lo) return a.lo < b.lo;
    return net.component_id(a.c) < net.component_id(b.c);
  });
  comps.clear();
  for (const Key& k : keys)
    if (comps.empty() || comps.back() != k.c) comps.push_back(k.c);
}

void finish(Finding& f, const EvalContext& ctx, std::unordered_set<std::string>& used_ids) {
  const Network& net = ctx.net;
  sort_by_id(f.components, net);

  const VendorColumns& vc = ctx.vendors;
  std::set<int32_t> criteria;
  for (ComponentIdx c : f.components) {
    if (c >= vc.basis.size() || vc.basis[c] == kNone) continue;
    uint32_t b = vc.basis[c];
    // A reason drawn from a classified overlay makes the finding itself classified.
    if (b < vc.basis_classification.size()) f.classification = std::max(f.classification, vc.basis_classification[b]);
    if (vc.risk[c] == VendorRisk::kHighRisk && !vc.designated[c] && b < vc.basis_criterion.size() &&
        vc.basis_criterion[b] >= 0) {
      criteria.insert(vc.basis_criterion[b]);
    }
  }
  if (!criteria.empty()) {
    // NZ, AU and the EU toolbox judge a vendor profile rather than publish a
    // list: the high-risk label is then netvet's reading, and the evidence says
    // so (the report states it once, in its vendor-risk basis section).
    auto reasons = nlohmann::ordered_json::array();
    for (int32_t k : criteria) {
      const RiskCriterion& crit = ctx.jurisdiction.risk_criteria[static_cast<size_t>(k)];
      reasons.push_back(criterion_name(crit, ctx.jurisdiction));
    }
    f.evidence["risk_basis"] = "netvet's reading of the jurisdiction's criteria";
    f.evidence["criteria"] = reasons;
  }
  if (f.unconfirmed) {
    f.binding = false;
    f.message += " Advisory: the rule rests on a value not yet confirmed against the instrument (UNCONFIRMED).";
  }
  std::string id = finding_id(f.rule, net, f.components);
  // Two findings of one rule over the same components (e.g. two empty regions)
  // still need distinct ids: number the repeats in evaluation order.
  std::string unique = id;
  for (int k = 2; used_ids.count(unique); ++k) unique = id + "-" + std::to_string(k);
  used_ids.insert(unique);
  f.id = std::move(unique);
}

}  // namespace

std::vector<Finding> evaluate_rules(const std::vector<const RuleSpec*>& rules, const EvalContext& ctx) {
  std::vector<Finding> out;
  std::unordered_set<std::string> used_ids;
  for (const RuleSpec* rule : rules) {
    if (!rule) continue;
    // Outside its effective dates a rule does not exist. A deadline in force
    // warns ahead of its `by` date by itself (deadline.cc), so no exception here.
    if (!rule->in_force(ctx.date)) continue;
    const RuleKind* kind = find_rule_kind(rule->kind);
    if (!kind) continue;  // validate_rule reported it when the KB loaded
    ComponentSet matched = select(rule->where, ctx);
    size_t first = out.size();
    kind->evaluate(*rule, matched, ctx, out);
    for (size_t i = first; i < out.size(); ++i) finish(out[i], ctx, used_ids);
  }
  return out;
}

}  // namespace netvet
