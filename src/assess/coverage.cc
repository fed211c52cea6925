// Coverage: what an assessment could not judge, and the outcome that follows
// (docs/assessment.md, "Coverage"). A rule's `where` is read in three values
// per component, Kleene-style: selected, not selected, or cannot tell because
// it turns on a fact the inventory does not give (vendor, function, generation).
// Components a deciding rule cannot tell about are "unjudged": above
// --max-unjudged they turn no-significant-risk into insufficient-information,
// as an agency answers an incomplete notification by asking for the rest.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>

#include "netvet/assess.h"
#include "netvet/inference.h"
#include "netvet/kb_suggest.h"

namespace netvet {
namespace {

// A selector's truth over every component: `t` selected for sure, `u` cannot
// tell; neither means not selected for sure. t and u never overlap.
struct Tri {
  ComponentSet t, u;
};

void and_not(ComponentSet& a, const ComponentSet& b) {
  auto& w = a.words();
  const auto& o = b.words();
  for (size_t i = 0; i < w.size() && i < o.size(); ++i) w[i] &= ~o[i];
}

// What each component lacks (Unjudged bits), computed once per assessment.
struct Facts {
  std::vector<uint8_t> lacks;
  ComponentSet unresolved;  // no vendor, or a vendor the KB does not know
  ComponentSet fallback;    // an importer's placeholder function
  ComponentSet unplaced;    // generic equipment whose telecom domain the source did not state
};

Facts facts_of(const EvalContext& ctx) {
  const Network& net = ctx.net;
  const auto& k = net.components;
  const size_t n = k.size();
  Facts f{std::vector<uint8_t>(n, 0), ComponentSet(n), ComponentSet(n), ComponentSet(n)};
  const auto fallback_tag = net.strings.find(kFallbackFunctionTag);
  const auto unstated_tag = net.strings.find(kDomainUnstatedTag);
  for (ComponentIdx c = 0; c < n; ++c) {
    if (k.vendor[c] == 0) {
      f.lacks[c] |= kNoVendor;
      f.unresolved.set(c);
    } else if (c >= ctx.vendors.vendor.size() || ctx.vendors.vendor[c] == kNone) {
      f.lacks[c] |= kUnknownVendor;
      f.unresolved.set(c);
    }
    for (StrId t : k.tags.row(c)) {
      if (fallback_tag && t == *fallback_tag) {
        f.lacks[c] |= kFallbackFunction;
        f.fallback.set(c);
      } else if (unstated_tag && t == *unstated_tag) {
        f.lacks[c] |= kNoDomain;
        f.unplaced.set(c);
      }
    }
    if (k.generation[c] == Generation::kAny && has_own_generation(k.function[c]) &&
        standard_generations(k.function[c]) == 0)
      f.lacks[c] |= kNoGeneration;
  }
  return f;
}

bool has_value(const Selector::Clause& clause, std::string_view v) {
  return std::any_of(clause.values.begin(), clause.values.end(), [&](const std::string& x) {
    return x.size() == v.size() && std::equal(x.begin(), x.end(), v.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) == b;
           });
  });
}

// One clause: its truth from select() (so coverage and the rules never
// disagree on what is selected), and where that truth rests on a missing fact.
Tri clause_truth(const Selector::Clause& clause, const EvalContext& ctx, const Facts& facts) {
  Selector one;
  one.all.push_back(clause);
  Tri r{select(one, ctx), ComponentSet(ctx.net.components.size())};
  const std::string& f = clause.field;
  if (f == "vendor" || f == "vendor.country" || f == "vendor.designated" ||
      (f == "vendor.risk" && !has_value(clause, "unknown"))) {
    // (A rule that selects vendor.risk: unknown knows these for sure.)
    r.u = facts.unresolved;
    and_not(r.u, r.t);
  } else if (f == "function" || f == "domain") {
    r.u = facts.fallback;
    if (f == "domain") {
      // Generic equipment in an unstated domain is in its function's domain
      // for sure (selected already) and may be in any other.
      ComponentSet unplaced = facts.unplaced;
      and_not(unplaced, r.t);
      r.u |= unplaced;
      // A `domain:<name>` tag states the domain whatever the function is.
      Selector tagged;
      tagged.all.push_back({"tag", {}, clause.loc, {}});
      for (const auto& v : clause.values) tagged.all.back().values.push_back("domain:" + v);
      and_not(r.u, select(tagged, ctx));
    }
    and_not(r.t, r.u);
  } else if (f == "generation") {
    uint8_t wanted = 0;
    for (const auto& v : clause.values) {
      if (auto g = parse_generation(v)) wanted |= generation_bit(*g);
    }
    const auto& k = ctx.net.components;
    for (ComponentIdx c = 0; c < k.size(); ++c) {
      if (k.generation[c] != Generation::kAny || r.t.test(c)) continue;
      const uint8_t may_be = standard_generations(k.function[c]);
      // Some of the generations the standard allows are wanted, some not; or
      // RAN/core equipment with no generation; or a placeholder function.
      const bool open = may_be ? (may_be & wanted) != 0 : has_own_generation(k.function[c]) || facts.fallback.test(c);
      if (open) r.u.set(c);
    }
  }
  return r;
}

// r = r and x: true if both are; cannot tell if neither is false and not both true.
void conj(Tri& r, const Tri& x) {
  ComponentSet maybe_r = r.t, maybe_x = x.t;
  maybe_r |= r.u;
  maybe_x |= x.u;
  r.t &= x.t;
  maybe_r &= maybe_x;
  and_not(maybe_r, r.t);
  r.u = std::move(maybe_r);
}

Tri truth(const Selector& sel, const EvalContext& ctx, const Facts& facts) {
  const size_t n = ctx.net.components.size();
  Tri r{ComponentSet(n), ComponentSet(n)};
  r.t.invert();  // the empty selector selects everything for sure
  for (const auto& clause : sel.all) conj(r, clause_truth(clause, ctx, facts));
  if (!sel.any.empty()) {
    Tri either{ComponentSet(n), ComponentSet(n)};
    for (const auto& alt : sel.any) {
      Tri x = truth(alt, ctx, facts);
      either.t |= x.t;
      either.u |= x.u;
    }
    and_not(either.u, either.t);
    conj(r, either);
  }
  for (const auto& neg : sel.not_) {
    Tri x = truth(neg, ctx, facts);
    Tri flipped{x.t, x.u};  // not: true where x is false for sure
    flipped.t |= x.u;
    flipped.t.invert();
    conj(r, flipped);
  }
  return r;
}

// The facts a selector reads: which Unjudged bits can explain its unknowns.
uint8_t needs(const Selector& sel) {
  uint8_t m = 0;
  for (const auto& c : sel.all) {
    if (c.field.rfind("vendor", 0) == 0) m |= kNoVendor | kUnknownVendor;
    if (c.field == "function") m |= kFallbackFunction;
    if (c.field == "domain") m |= kFallbackFunction | kNoDomain;
    if (c.field == "generation") m |= kNoGeneration | kFallbackFunction;
  }
  for (const auto& s : sel.any) m |= needs(s);
  for (const auto& s : sel.not_) m |= needs(s);
  return m;
}

bool selects_generation(const Selector& sel) { return (needs(sel) & kNoGeneration) != 0; }
bool selects_domain(const Selector& sel) { return (needs(sel) & kNoDomain) != 0; }

// Whether a rule's findings can decide the outcome on the date: binding, not
// resting on an unconfirmed fact, able to breach (notify obligations never do;
// a deadline only once its date has passed).
bool decides(const RuleSpec& rule, Date date) {
  if (!rule.binding || rule.unconfirmed) return false;
  const RuleKind* kind = find_rule_kind(rule.kind);
  return kind && kind->can_breach(rule, date);
}

}  // namespace

Coverage measure_coverage(const std::vector<const RuleSpec*>& rules, const EvalContext& ctx, Classification clearance,
                          size_t max_unjudged) {
  const size_t n = ctx.net.components.size();
  Coverage cov;
  cov.components = n;
  cov.max_unjudged = max_unjudged;
  const Facts facts = facts_of(ctx);
  for (uint8_t l : facts.lacks) {
    cov.no_vendor += (l & kNoVendor) != 0;
    cov.unknown_vendor += (l & kUnknownVendor) != 0;
    cov.fallback_function += (l & kFallbackFunction) != 0;
    cov.no_generation += (l & kNoGeneration) != 0;
    cov.no_domain += (l & kNoDomain) != 0;
  }

  std::vector<uint8_t> visible_gap(n, 0), hidden_gap(n, 0);  // Unjudged bits, from deciding rules
  for (const RuleSpec* rule : rules) {
    if (!rule || !rule->in_force(ctx.date) || !find_rule_kind(rule->kind)) continue;
    Tri tri = truth(rule->where, ctx, facts);
    uint8_t mask = needs(rule->where);
    for (const auto& [name, value] : rule->params) {
      const auto* sel = std::get_if<Selector>(&value);
      if (!sel) continue;
      // A selector among the params (a share cap's scope, isolation targets):
      // a component it cannot place is not judged either. A share cap counts
      // only what is in its scope.
      Tri p = truth(*sel, ctx, facts);
      mask |= needs(*sel);
      if (rule->kind == "share_cap" && name == "scope") conj(tri, p);
      tri.u |= p.u;
    }
    and_not(tri.u, tri.t);
    if (rule->kind == "diversity") {
      // Shares per vendor need every selected component's vendor.
      ComponentSet blind = tri.t;
      blind &= facts.unresolved;
      tri.u |= blind;
    }
    if (tri.u.count() == 0) continue;
    if (rule->kind == "diversity") mask |= kNoVendor | kUnknownVendor;
    const bool visible = rule->classification <= clearance;
    RuleCoverage rc;
    rc.rule = rule->id;
    rc.title = rule->title;
    rc.decides = decides(*rule, ctx.date);
    for (ComponentIdx c : tri.u.members()) {
      // No listed fact explains it: equipment whose generation the standard
      // narrows to some but not all of the generations the rule wants.
      uint8_t why = facts.lacks[c] & mask;
      if (!why) why = kNoGeneration;
      rc.components.push_back(c);
      rc.no_vendor += (why & kNoVendor) != 0;
      rc.unknown_vendor += (why & kUnknownVendor) != 0;
      rc.fallback_function += (why & kFallbackFunction) != 0;
      rc.no_generation += (why & kNoGeneration) != 0;
      rc.no_domain += (why & kNoDomain) != 0;
      if (rc.decides) (visible ? visible_gap : hidden_gap)[c] |= why;
    }
    if (!visible) {
      ++cov.withheld_rules;
      continue;
    }
    const Network& net = ctx.net;
    std::sort(rc.components.begin(), rc.components.end(),
              [&](ComponentIdx a, ComponentIdx b) { return net.component_id(a) < net.component_id(b); });
    cov.rules.push_back(std::move(rc));
  }
  for (ComponentIdx c = 0; c < n; ++c) {
    if (visible_gap[c]) {
      cov.unjudged.emplace_back(c, visible_gap[c]);
    } else if (hidden_gap[c]) {
      ++cov.unjudged_withheld;
    }
  }
  // Most decisive first: equipment of a high-risk vendor (the facts asked
  // for could make it a finding), then equipment of no known vendor, then the rest.
  const Network& net = ctx.net;
  auto rank = [&](ComponentIdx c) {
    if (c < ctx.vendors.risk.size() && ctx.vendors.risk[c] == VendorRisk::kHighRisk) return 0;
    return facts.unresolved.test(c) ? 1 : 2;
  };
  std::sort(cov.unjudged.begin(), cov.unjudged.end(), [&](const auto& a, const auto& b) {
    const int ra = rank(a.first), rb = rank(b.first);
    return ra != rb ? ra < rb : net.component_id(a.first) < net.component_id(b.first);
  });
  return cov;
}

std::vector<std::string_view> unjudged_names(uint8_t bits) {
  std::vector<std::string_view> out;
  if (bits & kNoVendor) out.push_back("no-vendor");
  if (bits & kUnknownVendor) out.push_back("unknown-vendor");
  if (bits & kFallbackFunction) out.push_back("fallback-function");
  if (bits & kNoGeneration) out.push_back("no-generation");
  if (bits & kNoDomain) out.push_back("no-domain");
  return out;
}

std::string what_to_supply(uint8_t bits) {
  std::string out;
  auto add = [&](std::string_view s) { out += (out.empty() ? "" : ", ") + std::string(s); };
  if (bits & kNoVendor) add("vendor");
  if (bits & kUnknownVendor) add("vendor");
  if (bits & kFallbackFunction) add("function");
  if (bits & kNoGeneration) add("generation");
  if (bits & kNoDomain) add("domain");
  return out;
}

void apply_coverage(Determination& d, const Coverage& coverage) {
  if (d.outcome != "no-significant-risk") return;
  if (coverage.unjudged.size() + coverage.unjudged_withheld > coverage.max_unjudged)
    d.outcome = "insufficient-information";
}

std::vector<Finding> unknown_vendor_findings(const EvalContext& ctx) {
  const Network& net = ctx.net;
  const auto& k = net.components;
  // Spelling -> components, in first-seen order of the spelling (0: no vendor).
  std::map<StrId, std::vector<ComponentIdx>> by_spelling;
  for (ComponentIdx c = 0; c < k.size(); ++c) {
    if (k.vendor[c] == 0 || (c < ctx.vendors.vendor.size() && ctx.vendors.vendor[c] != kNone)) continue;
    by_spelling[k.vendor[c]].push_back(c);
  }
  std::vector<Finding> out;
  for (auto& [spelling, comps] : by_spelling) {
    std::sort(comps.begin(), comps.end(),
              [&](ComponentIdx a, ComponentIdx b) { return net.component_id(a) < net.component_id(b); });
    Finding f;
    f.rule = "netvet.unknown-vendor";
    f.kind = "unknown-vendor";
    f.severity = Severity::kMedium;
    f.binding = false;
    f.violation = false;
    f.title = "Vendor not in the knowledge base";
    const std::string_view written = net.str(spelling);
    const std::string who = comps.size() == 1 ? "the component that names it is"
                                              : fmt::format("the {} components that name it are", comps.size());
    f.message = fmt::format(
        "The vendor written \"{}\" is not in the knowledge base, so no rule can tell whether {} high-risk", written,
        who);
    f.evidence["vendor"] = std::string(written);
    if (auto s = suggest_vendor(ctx.kb, written); s && s->vendor < ctx.kb.vendors.size()) {
      const Vendor& v = ctx.kb.vendors[s->vendor];
      f.message += fmt::format(". Did you mean {} ({})?", v.name, v.id);
      if (s->confusable)
        f.message += " The spelling differs from it only in look-alike characters, case, spacing or legal suffixes";
      f.evidence["did_you_mean"] = v.id;
      f.evidence["confusable"] = s->confusable;
    }
    f.message += ". Name the vendor as the knowledge base knows it, or add the spelling to kb/vendors.yaml as an alias.";
    f.components = std::move(comps);
    f.id = finding_id(f.rule, net, f.components);
    out.push_back(std::move(f));
  }
  return out;
}

void mark_inferred(std::vector<Finding>& findings, const std::vector<const RuleSpec*>& rules, const EvalContext& ctx) {
  std::map<std::string_view, const RuleSpec*> by_id;
  for (const RuleSpec* r : rules) {
    if (r) by_id.emplace(r->id, r);
  }
  const Network& net = ctx.net;
  const auto& k = net.components;
  for (Finding& f : findings) {
    auto it = by_id.find(f.rule);
    if (it == by_id.end()) continue;
    const bool generation = selects_generation(it->second->where), domain = selects_domain(it->second->where);
    if (!generation && !domain) continue;
    auto inferred = nlohmann::ordered_json::array();
    // What an importer inferred (tag netvet:inferred:<field>=<basis>), one
    // entry per value and basis: a role map fills hundreds of devices alike.
    std::map<std::string, std::vector<std::string_view>> by_importer;
    for (ComponentIdx c : f.components) {
      for (StrId t : k.tags.row(c)) {
        std::string_view tag = net.str(t);
        if (tag.rfind(kInferredTagPrefix, 0) != 0) continue;
        tag.remove_prefix(kInferredTagPrefix.size());
        const size_t eq = tag.find('=');
        if (eq == std::string_view::npos) continue;
        const std::string_view field = tag.substr(0, eq), basis = tag.substr(eq + 1);
        if (field == "generation" && generation && k.generation[c] != Generation::kAny) {
          by_importer[fmt::format("generation {} inferred by the importer from {}", generation_name(k.generation[c]),
                                  basis)]
              .push_back(net.component_id(c));
        } else if (field.rfind("domain:", 0) == 0 && domain) {
          by_importer[fmt::format("domain {} inferred by the importer from {}", field.substr(7), basis)].push_back(
              net.component_id(c));
        }
      }
      if (!generation || k.generation[c] != Generation::kAny || standard_generations(k.function[c]) == 0) continue;
      std::string gens;
      for (int g = 0; g < kGenerationCount; ++g) {
        if (standard_generations(k.function[c]) & generation_bit(static_cast<Generation>(g)))
          gens += (gens.empty() ? "" : " or ") + std::string(generation_name(static_cast<Generation>(g)));
      }
      inferred.push_back(fmt::format("{}: generation {} (inferred from function {})", net.component_id(c), gens,
                                     function_name(k.function[c])));
    }
    for (const auto& [what, ids] : by_importer)
      inferred.push_back(fmt::format("{}: {}", what, fmt::join(ids, ", ")));
    if (!inferred.empty()) f.evidence["inferred"] = std::move(inferred);
  }
}

}  // namespace netvet
