// exclusion_zone: no matching equipment at sites within R km of sensitive
// locations (US NDAA s889 and FCC concerns about equipment near military
// bases; AU TSSR guidance on equipment near defence facilities). Distance is
// great-circle from the site to the location; exactly R km is inside. A site
// without coordinates cannot be cleared, so it yields a warning, not silence.
#include <algorithm>
#include <cmath>

#include "kinds/kinds.h"

namespace netvet::policy {
namespace {

struct Zone {
  std::string id, label;  // label: "Naval base (military)" or "site X (tagged defence)"
  double lat, lon, radius_km;
  SiteIdx site = kNone;  // for tagged sites: the sensitive site itself
};

// Components grouped by their site: group g is site[g] (ascending) with
// comps[offset[g], offset[g+1]) in the order given, and the site's coordinates.
struct SiteGroups {
  std::vector<SiteIdx> site;
  std::vector<uint32_t> offset{0};
  std::vector<ComponentIdx> comps;
  std::vector<double> lat, lon;
  const ComponentIdx* begin(size_t g) const { return comps.data() + offset[g]; }
  const ComponentIdx* end(size_t g) const { return comps.data() + offset[g + 1]; }
};

SiteGroups group_by_site(const Network& net, const std::vector<ComponentIdx>& members) {
  const auto& site_of = net.components.site;
  std::vector<uint32_t> count(net.sites.size() + 1, 0);
  for (ComponentIdx c : members)
    if (site_of[c] != kNone) ++count[site_of[c] + 1];
  SiteGroups out;
  for (SiteIdx s = 0; s < net.sites.size(); ++s) {
    if (count[s + 1] == 0) continue;
    out.site.push_back(s);
    out.lat.push_back(net.sites.lat[s]);
    out.lon.push_back(net.sites.lon[s]);
    out.offset.push_back(out.offset.back() + count[s + 1]);
  }
  for (size_t s = 1; s < count.size(); ++s) count[s] += count[s - 1];  // count[s]: first slot of site s
  out.comps.resize(out.offset.back());
  for (ComponentIdx c : members)
    if (site_of[c] != kNone) out.comps[count[site_of[c]]++] = c;
  return out;
}

class ExclusionZone final : public RuleKind {
 public:
  std::string_view name() const override { return "exclusion_zone"; }

  const std::vector<ParamSpec>& params() const override {
    static const std::vector<ParamSpec> kParams = {
        {"radius_km", ParamType::kNumber, false, 0, 20040},  // half the Earth's circumference
        {"kinds", ParamType::kList, false, -1e300, 1e300, sensitive_kind_names()},
        {"site_tags", ParamType::kList}};
    return kParams;
  }

  std::vector<GeoZone> zones(const RuleSpec& rule, const Network& net) const override {
    std::vector<GeoZone> out;
    for (const Zone& z : collect_zones(rule, net)) out.push_back({z.lat, z.lon, z.radius_km});
    return out;
  }

  // Moving the equipment beyond the zone clears it as well as replacing or removing it.
  bool plan(const RuleSpec&, std::span<const Finding> findings, const EvalContext&,
            std::vector<PlanNeed>& out) const override {
    return plan_clear_each(findings, true, out);
  }

  void evaluate(const RuleSpec& rule, const ComponentSet& matched, const EvalContext& ctx,
                std::vector<Finding>& out) const override {
    const Network& net = ctx.net;
    std::vector<ComponentIdx> members = matched.members();
    if (members.empty()) return;
    auto zones = collect_zones(rule, net);
    if (zones.empty()) return;

    // Matched components grouped by site, sites in index order, as flat
    // arrays (a counting sort): a national network has 10^5 sites, and the
    // zone loop below reads them once per zone. Components not placed at a
    // site are not "at" one.
    const SiteGroups at = group_by_site(net, members);
    std::vector<ComponentIdx> unlocated;
    std::vector<SiteIdx> unlocated_sites;
    for (size_t g = 0; g < at.site.size(); ++g) {
      if (std::isnan(at.lat[g]) || std::isnan(at.lon[g])) {
        unlocated.insert(unlocated.end(), at.begin(g), at.end(g));
        unlocated_sites.push_back(at.site[g]);
      }
    }

    // A great circle is never shorter than its meridian component (R x the
    // latitude difference), so that, with R rounded down, rules sites out cheaply.
    constexpr double kLowerEarthRadiusKm = 6371.0, kRadPerDeg = M_PI / 180.0;
    for (const Zone& z : zones) {
      std::vector<std::pair<double, uint32_t>> inside;  // (distance, group)
      const bool located = !std::isnan(z.lat) && !std::isnan(z.lon);
      for (uint32_t g = 0; g < at.site.size(); ++g) {
        double d;
        if (at.site[g] == z.site) {
          d = 0;
        } else if (!located || std::isnan(at.lat[g]) || std::isnan(at.lon[g])) {
          continue;
        } else if (kLowerEarthRadiusKm * std::abs(z.lat - at.lat[g]) * kRadPerDeg > z.radius_km + 1e-6) {
          continue;  // farther north or south than the radius: no trigonometry needed
        } else {
          d = great_circle_km(z.lat, z.lon, at.lat[g], at.lon[g]);
        }
        if (d <= z.radius_km) inside.emplace_back(d, g);
      }
      if (inside.empty()) continue;
      std::sort(inside.begin(), inside.end());
      Finding f = make_finding(rule, name());
      for (const auto& [d, g] : inside) f.components.insert(f.components.end(), at.begin(g), at.end(g));
      const Equipment eq(ctx, f.components);
      f.message = eq.what() + " within " + fmt_number(z.radius_km) + " km of " + z.label + ": " + eq.list() +
                  ". The nearest site, " + std::string(net.site_id(at.site[inside[0].second])) + ", is " +
                  fmt_number(inside[0].first) + " km away.";
      f.evidence["location"] = z.id;
      f.evidence["radius_km"] = z.radius_km;
      f.evidence["nearest_km"] = std::round(inside[0].first * 1000.0) / 1000.0;
      auto sites = nlohmann::ordered_json::array();
      for (size_t i = 0; i < inside.size() && i < 10; ++i) {
        sites.push_back({{"site", std::string(net.site_id(at.site[inside[i].second]))},
                         {"distance_km", std::round(inside[i].first * 1000.0) / 1000.0}});
      }
      f.evidence["sites"] = std::move(sites);
      f.evidence["site_count"] = inside.size();
      out.push_back(std::move(f));
    }

    if (!unlocated.empty()) {
      Finding f = make_finding(rule, name());
      f.violation = false;
      const Equipment eq(ctx, unlocated);
      f.message = eq.what() + " at " + plural(unlocated_sites.size(), "site") +
                  " without coordinates, so it cannot be told whether it is near a sensitive location: " + eq.list() +
                  ". Add lat/lon to the sites to settle it.";
      f.evidence["sensitive_locations"] = zones.size();
      auto sites = nlohmann::ordered_json::array();
      for (size_t i = 0; i < unlocated_sites.size() && i < 10; ++i) sites.push_back(net.site_id(unlocated_sites[i]));
      f.evidence["sites_without_coordinates"] = std::move(sites);
      f.evidence["site_count"] = unlocated_sites.size();
      f.components = std::move(unlocated);
      out.push_back(std::move(f));
    }
  }

 private:
  static std::vector<Zone> collect_zones(const RuleSpec& rule, const Network& net) {
    std::vector<Zone> zones;
    const auto radius = param_number(rule, "radius_km");
    std::vector<SensitiveKind> kinds;
    if (auto names = param_list(rule, "kinds")) {
      for (const auto& n : *names) {
        if (auto k = parse_sensitive_kind(n)) kinds.push_back(*k);
      }
    } else {
      for (int k = 0; k < kSensitiveKindCount; ++k) kinds.push_back(static_cast<SensitiveKind>(k));
    }
    const auto& sens = net.sensitive;
    for (size_t i = 0; i < sens.size(); ++i) {
      if (std::find(kinds.begin(), kinds.end(), sens.kind[i]) == kinds.end()) continue;
      std::string label = std::string(net.str(sens.name[i]).empty() ? net.str(sens.id[i]) : net.str(sens.name[i]));
      label += " (" + std::string(sensitive_kind_name(sens.kind[i])) + ")";
      // The rule's radius governs; without one, each location's own radius does.
      zones.push_back({std::string(net.str(sens.id[i])), std::move(label), sens.lat[i], sens.lon[i],
                       radius.value_or(sens.radius_km[i]), kNone});
    }
    if (auto tags = param_list(rule, "site_tags")) {
      std::vector<StrId> ids;
      for (const auto& t : *tags) {
        if (auto sid = net.strings.find(t)) ids.push_back(*sid);
      }
      for (SiteIdx s = 0; s < net.sites.size() && !ids.empty(); ++s) {
        for (StrId t : net.sites.tags.row(s)) {
          if (std::find(ids.begin(), ids.end(), t) == ids.end()) continue;
          zones.push_back({std::string(net.site_id(s)),
                           "site " + std::string(net.site_id(s)) + " (tagged " + std::string(net.str(t)) + ")",
                           net.sites.lat[s], net.sites.lon[s], radius.value_or(0), s});
          break;
        }
      }
    }
    return zones;
  }
};

}  // namespace

const RuleKind& exclusion_zone_kind() {
  static const ExclusionZone kKind;
  return kKind;
}

}  // namespace netvet::policy
