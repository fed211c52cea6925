// diversity: within the matched population no vendor above X%, and at least N
// vendors (EU 5G toolbox SM05/SM06: multi-vendor strategy, avoid dependency on
// a single supplier; DE and SE national guidance). A vendor is the resolved KB
// vendor; a spelling the KB does not know counts as its normalised self, so
// "Acme Radio" and "ACME RADIO" are one vendor, not two.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "kinds/kinds.h"

namespace netvet::policy {
namespace {

struct Params {
  std::optional<double> max_vendor_percent, min_vendors;
  std::string measure = "count";  // count sites cells subscribers
  bool per_region = false;

  static Params read(const RuleSpec& rule) {
    return {param_number(rule, "max_vendor_percent"), param_number(rule, "min_vendors"),
            param_string(rule, "measure").value_or("count"), param_string(rule, "per").value_or("") == "region"};
  }
};

class Diversity final : public RuleKind {
 public:
  std::string_view name() const override { return "diversity"; }

  const std::vector<ParamSpec>& params() const override {
    static const std::vector<ParamSpec> kParams = {
        {"max_vendor_percent", ParamType::kNumber, false, 0, 100},
        {"min_vendors", ParamType::kNumber, false, 1, 1e6},
        {"measure", ParamType::kString, false, -1e300, 1e300, {"count", "sites", "cells", "subscribers"}},
        {"per", ParamType::kString, false, -1e300, 1e300, {"region"}}};
    return kParams;
  }

  void validate(const RuleSpec& rule, Diagnostics& diags) const override {
    RuleKind::validate(rule, diags);
    if (!find_param(rule, "max_vendor_percent") && !find_param(rule, "min_vendors")) {
      diags.error(rule.loc, "rule " + rule.id + ": diversity needs max_vendor_percent, min_vendors or both");
    }
  }

  void evaluate(const RuleSpec& rule, const ComponentSet& matched, const EvalContext& ctx,
                std::vector<Finding>& out) const override {
    const Params params = Params::read(rule);
    const auto& max_percent = params.max_vendor_percent;
    const auto& min_vendors = params.min_vendors;
    if (!max_percent && !min_vendors) return;
    const std::string& measure = params.measure;
    const bool per_region = params.per_region;
    const Network& net = ctx.net;
    const auto& comps = net.components;
    std::vector<ComponentIdx> members = matched.members();
    if (members.empty()) return;

    // Vendor identity per component, cached per vendor string. Identity 0 is
    // "no vendor recorded": it takes a share but is not a vendor of its own.
    std::vector<std::string> identity_name{"unspecified vendor"};
    std::map<std::string, uint32_t> identity_index;
    std::unordered_map<StrId, uint32_t> by_string;
    std::vector<uint32_t> identity(members.size());
    for (size_t i = 0; i < members.size(); ++i) {
      const ComponentIdx c = members[i];
      const StrId s = comps.vendor[c];
      auto it = by_string.find(s);
      if (it == by_string.end()) {
        uint32_t v = c < ctx.vendors.vendor.size() ? ctx.vendors.vendor[c] : kNone;
        std::string key = v != kNone && v < ctx.kb.vendors.size() ? "kb:" + ctx.kb.vendors[v].id
                                                                  : "raw:" + normalize_name(net.str(s));
        uint32_t id = 0;
        if (key != "raw:") {
          auto [pos, inserted] = identity_index.emplace(key, static_cast<uint32_t>(identity_name.size()));
          if (inserted) identity_name.push_back(vendor_display(ctx, c));
          id = pos->second;
        }
        it = by_string.emplace(s, id).first;
      }
      identity[i] = it->second;
    }

    Groups groups = group_by(ctx, per_region);
    const size_t ng = groups.names.size(), nv = identity_name.size();
    std::vector<std::vector<double>> share(ng, std::vector<double>(nv, 0));
    std::vector<double> total(ng, 0);
    std::vector<std::vector<std::vector<ComponentIdx>>> comps_of(ng, std::vector<std::vector<ComponentIdx>>(nv));
    std::vector<std::set<SiteIdx>> group_sites(ng);
    std::set<std::pair<uint32_t, SiteIdx>> vendor_sites;
    for (size_t i = 0; i < members.size(); ++i) {
      const ComponentIdx c = members[i];
      const uint32_t g = groups.of[c], v = identity[i];
      comps_of[g][v].push_back(c);
      if (measure == "sites") {
        // A site counts for each vendor present there; the total is the
        // population's distinct sites, so shares can add up to more than 100%.
        SiteIdx s = comps.site[c];
        if (s == kNone) continue;
        if (vendor_sites.emplace(v, s).second) share[g][v] += 1;
        if (group_sites[g].insert(s).second) total[g] += 1;
        continue;
      }
      double w = measure == "cells"         ? static_cast<double>(comps.cells[c])
                 : measure == "subscribers" ? static_cast<double>(comps.subscribers[c])
                                            : 1.0;
      share[g][v] += w;
      total[g] += w;
    }

    // "of 1 site", "of 20 sites": the unit follows the total it counts.
    auto unit_for = [&](double total) {
      std::string u = measure == "count" ? "components" : measure;
      if (total == 1) u.pop_back();
      return u;
    };
    for (size_t g = 0; g < ng; ++g) {
      std::vector<ComponentIdx> all;
      size_t vendors = 0;
      for (size_t v = 0; v < nv; ++v) {
        all.insert(all.end(), comps_of[g][v].begin(), comps_of[g][v].end());
        if (v != 0 && !comps_of[g][v].empty()) ++vendors;
      }
      if (all.empty()) continue;
      const std::string where =
          per_region ? (groups.names[g].empty() ? " among equipment with no region" : " in region " + groups.names[g])
                     : std::string();
      if (max_percent && total[g] > 0) {
        size_t top = 0;
        for (size_t v = 1; v < nv; ++v) {
          if (share[g][v] > share[g][top]) top = v;
        }
        if (top != 0 && share[g][top] * 100.0 > *max_percent * total[g]) {
          const double pct = 100.0 * share[g][top] / total[g];
          Finding f = make_finding(rule, name());
          f.message = identity_name[top] + " has " + percent(pct) + " of the " +
                      (measure == "count" ? std::string("equipment") : measure) + " in " +
                      Equipment(ctx, all).where() + where + ", over the " + percent(*max_percent) +
                      " single-vendor limit (" + fmt_number(share[g][top]) + " of " + fmt_number(total[g]) + " " +
                      unit_for(total[g]) + ").";
          f.evidence["vendor"] = identity_name[top];
          f.evidence["measure"] = measure;
          f.evidence["share_percent"] = std::round(pct * 100.0) / 100.0;
          f.evidence["max_vendor_percent"] = *max_percent;
          f.evidence["vendor_total"] = share[g][top];
          f.evidence["total"] = total[g];
          if (per_region) f.evidence["region"] = groups.names[g];
          f.components = comps_of[g][top];
          out.push_back(std::move(f));
        }
      }
      if (min_vendors && static_cast<double>(vendors) < *min_vendors) {
        Finding f = make_finding(rule, name());
        const Equipment eq(ctx, all);
        f.message = "Only " + plural(vendors, "vendor") + " in " + eq.where() + where + ", fewer than the " +
                    fmt_number(*min_vendors) + " required: " + eq.vendors(false) + ".";
        f.evidence["vendors"] = vendors;
        f.evidence["min_vendors"] = *min_vendors;
        if (per_region) f.evidence["region"] = groups.names[g];
        f.evidence["by_vendor"] = vendor_counts(ctx, all);
        f.components = std::move(all);
        out.push_back(std::move(f));
      }
    }
  }
};

}  // namespace

const RuleKind& diversity_kind() {
  static const Diversity kKind;
  return kKind;
}

}  // namespace netvet::policy
