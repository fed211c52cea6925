// share_cap: the share of matching equipment within a scope may not exceed a
// cap (UK DVD: Huawei at most 35% of the full-fibre and RAN networks, measured
// by sites, per region under NCSC's reading). Exactly at the cap passes. Every
// finding states the measure, since 35% of sites and 35% of subscribers are
// different claims.
#include <cmath>

#include "kinds/kinds.h"

namespace netvet::policy {
namespace {

class ShareCap final : public RuleKind {
 public:
  std::string_view name() const override { return "share_cap"; }

  void validate(const RuleSpec& rule, Diagnostics& diags) const override {
    check_params(rule,
                 {{"max_percent", ParamType::kNumber, true, 0, 100},
                  {"measure", ParamType::kString, false, -1e300, 1e300, {"sites", "cells", "subscribers", "count"}},
                  {"scope", ParamType::kSelector},
                  {"per", ParamType::kString, false, -1e300, 1e300, {"region"}}},
                 diags);
  }

  void evaluate(const RuleSpec& rule, const ComponentSet& matched, const EvalContext& ctx,
                std::vector<Finding>& out) const override {
    auto max_percent = param_number(rule, "max_percent");
    if (!max_percent) return;
    const std::string measure = param_string(rule, "measure").value_or("sites");
    const bool per_region = param_string(rule, "per").value_or("") == "region";
    const Selector* scope_sel = param_selector(rule, "scope");
    const Network& net = ctx.net;
    const auto& comps = net.components;

    ComponentSet scope(comps.size());
    if (scope_sel) {
      scope = select(*scope_sel, ctx);
    } else {
      scope.invert();
    }
    ComponentSet hit = matched;
    hit &= scope;

    Groups groups = group_by(ctx, per_region);
    const size_t ng = groups.names.size();
    std::vector<double> numer(ng, 0), denom(ng, 0);
    std::vector<std::vector<ComponentIdx>> hit_members(ng);
    if (measure == "sites") {
      // A site counts once, and counts as matching if any in-scope component
      // there matches: the NCSC cap is on sites with Huawei equipment.
      std::vector<uint8_t> in_scope(net.sites.size(), 0), has_hit(net.sites.size(), 0);
      std::vector<uint32_t> site_group(net.sites.size(), 0);
      for (ComponentIdx c : scope.members()) {
        SiteIdx s = comps.site[c];
        bool h = hit.test(c);
        if (h) hit_members[groups.of[c]].push_back(c);
        if (s == kNone) continue;
        in_scope[s] = 1;
        site_group[s] = groups.of[c];
        if (h) has_hit[s] = 1;
      }
      for (SiteIdx s = 0; s < net.sites.size(); ++s) {
        denom[site_group[s]] += in_scope[s];
        numer[site_group[s]] += has_hit[s];
      }
    } else {
      for (ComponentIdx c : scope.members()) {
        double w = measure == "cells"         ? static_cast<double>(comps.cells[c])
                   : measure == "subscribers" ? static_cast<double>(comps.subscribers[c])
                                              : 1.0;
        uint32_t g = groups.of[c];
        denom[g] += w;
        if (hit.test(c)) {
          numer[g] += w;
          hit_members[g].push_back(c);
        }
      }
    }

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
      if (numer[g] * 100.0 <= *max_percent * denom[g]) continue;
      const double share = 100.0 * numer[g] / denom[g];
      Finding f = make_finding(rule, name());
      std::string where =
          per_region ? (groups.names[g].empty() ? " among equipment with no region" : " in region " + groups.names[g])
                     : std::string();
      f.message = "Equipment matching " + describe_selector(rule.where) + " makes up " + percent(share) + " of " +
                  (scope_sel ? describe_selector(*scope_sel) : std::string("the network")) + where + ", measured by " +
                  measure + " (" + fmt_number(numer[g]) + " of " + fmt_number(denom[g]) + " " + unit_for(denom[g]) +
                  ") on " + ctx.date.to_string() + ", above the " + percent(*max_percent) + " cap (" +
                  vendor_summary(ctx, hit_members[g]) + ").";
      f.evidence["measure"] = measure;
      f.evidence["max_percent"] = *max_percent;
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
