// share_cap: the share of matching equipment within a scope may not exceed a
// cap (UK DVD: Huawei at most 35% of the full-fibre and RAN networks, measured
// by sites, per region under NCSC's reading). Exactly at the cap passes. Every
// finding states the measure, since 35% of sites and 35% of subscribers are
// different claims.
#include <cmath>

#include "kinds/kinds.h"

namespace netvet::policy {
namespace {

struct Params {
  double max_percent = 100;
  std::string measure = "sites";    // sites cells subscribers count
  bool per_region = false;
  const Selector* scope = nullptr;  // null: the whole network

  // nullopt for a rule validation rejected (evaluation then yields nothing).
  static std::optional<Params> read(const RuleSpec& rule) {
    auto max_percent = param_number(rule, "max_percent");
    if (!max_percent) return std::nullopt;
    return Params{*max_percent, param_string(rule, "measure").value_or("sites"),
                  param_string(rule, "per").value_or("") == "region", param_selector(rule, "scope")};
  }
};

// The population a share is measured over, in units (a site, or a component
// weighted by the measure) grouped per region when the cap is per region. The
// assessment and the planner both measure through this, so they agree. Flat
// arrays, not a vector per unit: at 10^6 components a count measure has 10^6 units.
struct Population {
  Groups groups;
  // Per unit, sites in site order or components in component order.
  std::vector<double> weight;
  std::vector<uint32_t> group;
  std::vector<uint32_t> first;  // unit u's in-scope components are members[first[u] .. first[u + 1])
  std::vector<ComponentIdx> members;
  std::vector<uint8_t> hit;  // parallel to members: the component matches the rule
  // Matching in-scope components at no site: named in findings, outside a sites measure.
  std::vector<ComponentIdx> unsited_hits;

  size_t units() const { return weight.size(); }
};

Population population(const Params& p, const ComponentSet& matched, const EvalContext& ctx) {
  const Network& net = ctx.net;
  const auto& comps = net.components;
  ComponentSet scope(comps.size());
  if (p.scope) {
    scope = select(*p.scope, ctx);
  } else {
    scope.invert();
  }
  Population pop;
  pop.groups = group_by(ctx, p.per_region);
  const std::vector<ComponentIdx> in_scope = scope.members();
  if (p.measure == "sites") {
    // A site counts once, and counts as matching if any in-scope component
    // there matches: the NCSC cap is on sites with Huawei equipment.
    // Components bucketed by site (a counting sort keeps component order within a site).
    std::vector<uint32_t> count(net.sites.size() + 1, 0);
    for (ComponentIdx c : in_scope) {
      const SiteIdx s = comps.site[c];
      if (s == kNone) {
        if (matched.test(c)) pop.unsited_hits.push_back(c);
        continue;
      }
      ++count[s + 1];
    }
    for (size_t s = 0; s < net.sites.size(); ++s) count[s + 1] += count[s];
    std::vector<uint32_t> next(count.begin(), count.end() - 1);
    pop.members.resize(count.back());
    pop.hit.resize(count.back());
    for (ComponentIdx c : in_scope) {
      const SiteIdx s = comps.site[c];
      if (s == kNone) continue;
      pop.members[next[s]] = c;
      pop.hit[next[s]++] = matched.test(c);
    }
    for (SiteIdx s = 0; s < net.sites.size(); ++s) {
      if (count[s] == count[s + 1]) continue;  // nothing in scope there
      pop.weight.push_back(1);
      pop.group.push_back(pop.groups.of[pop.members[count[s]]]);
      pop.first.push_back(count[s]);
    }
    pop.first.push_back(count.back());
  } else {
    pop.members = in_scope;
    pop.hit.reserve(in_scope.size());
    pop.weight.reserve(in_scope.size());
    pop.group.reserve(in_scope.size());
    pop.first.reserve(in_scope.size() + 1);
    for (size_t i = 0; i < in_scope.size(); ++i) {
      const ComponentIdx c = in_scope[i];
      pop.weight.push_back(p.measure == "cells"         ? static_cast<double>(comps.cells[c])
                           : p.measure == "subscribers" ? static_cast<double>(comps.subscribers[c])
                                                        : 1.0);
      pop.group.push_back(pop.groups.of[c]);
      pop.first.push_back(static_cast<uint32_t>(i));
      pop.hit.push_back(matched.test(c));
    }
    pop.first.push_back(static_cast<uint32_t>(in_scope.size()));
  }
  return pop;
}

class ShareCap final : public RuleKind {
 public:
  std::string_view name() const override { return "share_cap"; }

  const std::vector<ParamSpec>& params() const override {
    static const std::vector<ParamSpec> kParams = {
        {"max_percent", ParamType::kNumber, true, 0, 100},
        {"measure", ParamType::kString, false, -1e300, 1e300, {"sites", "cells", "subscribers", "count"}},
        {"scope", ParamType::kSelector},
        {"per", ParamType::kString, false, -1e300, 1e300, {"region"}}};
    return kParams;
  }

  // The whole population, every region, is one requirement per region: the
  // planner may clear any matching unit, not only those named in findings.
  bool plan(const RuleSpec& rule, std::span<const Finding>, const EvalContext& ctx,
            std::vector<PlanNeed>& out) const override {
    const auto params = Params::read(rule);
    if (!params) return true;
    const Population pop = population(*params, select(rule.where, ctx), ctx);
    std::vector<plan_need::Cap> caps(pop.groups.names.size());
    for (size_t u = 0; u < pop.units(); ++u) {
      plan_need::CapUnit unit;
      unit.weight = pop.weight[u];
      for (uint32_t i = pop.first[u]; i < pop.first[u + 1]; ++i) {
        unit.scope.push_back(pop.members[i]);
        if (pop.hit[i]) unit.matched.push_back(pop.members[i]);
      }
      caps[pop.group[u]].units.push_back(std::move(unit));
    }
    for (size_t g = 0; g < caps.size(); ++g) {
      if (caps[g].units.empty()) continue;
      caps[g].max_percent = params->max_percent;
      if (params->per_region) {
        caps[g].label = "region " + (pop.groups.names[g].empty() ? std::string("(none)") : pop.groups.names[g]);
      }
      out.push_back(std::move(caps[g]));
    }
    return true;
  }

  void evaluate(const RuleSpec& rule, const ComponentSet& matched, const EvalContext& ctx,
                std::vector<Finding>& out) const override {
    const auto params = Params::read(rule);
    if (!params) return;
    const std::string& measure = params->measure;
    const bool per_region = params->per_region;
    const Selector* scope_sel = params->scope;
    const double max_percent = params->max_percent;

    const Population pop = population(*params, matched, ctx);
    const Groups& groups = pop.groups;
    const size_t ng = groups.names.size();
    std::vector<double> numer(ng, 0), denom(ng, 0);
    std::vector<std::vector<ComponentIdx>> hit_members(ng);
    std::vector<Placement> scope_at(ng);  // where the population sits, for the wording
    for (size_t u = 0; u < pop.units(); ++u) {
      const uint32_t g = pop.group[u];
      denom[g] += pop.weight[u];
      bool any = false;
      for (uint32_t i = pop.first[u]; i < pop.first[u + 1]; ++i) {
        scope_at[g].add(ctx.net, pop.members[i]);
        if (!pop.hit[i]) continue;
        any = true;
        hit_members[g].push_back(pop.members[i]);
      }
      if (any) numer[g] += pop.weight[u];
    }
    for (ComponentIdx c : pop.unsited_hits) hit_members[groups.of[c]].push_back(c);

    // "of 1 site", "of 20 sites": the unit follows the total it counts.
    auto unit_for = [&](double total) {
      std::string u = measure == "count" ? "components" : measure;
      if (total == 1) u.pop_back();
      return u;
    };
    for (size_t g = 0; g < ng; ++g) {
      if (denom[g] <= 0) continue;  // nothing in scope: no share to measure
      // Integer figures stay exact in doubles up to 2^53, so the comparison at
      // the cap is exact: 35 of 100 sites is at a 35% cap, not over it.
      if (numer[g] * 100.0 <= max_percent * denom[g]) continue;
      const double share = 100.0 * numer[g] / denom[g];
      Finding f = make_finding(rule, name());
      std::string where =
          per_region ? (groups.names[g].empty() ? " at sites with no region" : " in region " + groups.names[g])
                     : std::string();
      // The population is named by where its equipment sits, the share by whose it is.
      const Equipment hits(ctx, hit_members[g]);
      f.message = hits.vendors() + " equipment makes up " + percent(share) + " of the " +
                  (measure == "count" ? std::string("equipment") : measure) + " in " +
                  (scope_sel ? scope_at[g].words() : std::string("the network")) + where +
                  ", over the " + percent(max_percent) + " cap (" + fmt_number(numer[g]) + " of " +
                  fmt_number(denom[g]) + " " + unit_for(denom[g]) + ").";
      f.evidence["measure"] = measure;
      f.evidence["max_percent"] = max_percent;
      f.evidence["share_percent"] = std::round(share * 100.0) / 100.0;
      f.evidence["matching"] = numer[g];
      f.evidence["total"] = denom[g];
      if (per_region) f.evidence["region"] = groups.names[g];
      f.evidence["date"] = ctx.date.to_string();
      f.evidence["vendors"] = vendor_counts(ctx, hit_members[g]);
      f.components = std::move(hit_members[g]);
      out.push_back(std::move(f));
    }
  }
};

}  // namespace

const RuleKind& share_cap_kind() {
  static const ShareCap kKind;
  return kKind;
}

}  // namespace netvet::policy
