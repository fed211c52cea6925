// Deterministic synthetic national networks (see include/netvet/generate.h for
// the topology). Every random draw goes through splitmix64 with integer
// arithmetic, so the same options give the same bytes on every platform.
#include "netvet/generate.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

namespace netvet {
namespace {

// splitmix64 (Steele, Lea, Flood 2014): tiny, full-period, and fully specified,
// unlike std:: distributions whose output is implementation-defined.
class Rng {
 public:
  // Independent streams per purpose, so changing how many draws one part of the
  // network makes (4G vs 5G) does not move vendor placement or geography.
  Rng(uint64_t seed, uint64_t stream) : s_(seed * 0x9e3779b97f4a7c15ULL + stream * 0xd1b54a32d192ed03ULL) { next(); }
  uint64_t next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) by 128-bit multiply (Lemire): no modulo bias worth caring
  // about at these n, and no floating point.
  uint32_t below(uint32_t n) { return static_cast<uint32_t>((static_cast<unsigned __int128>(next()) * n) >> 64); }
  // Uniform integer in [-range, range] in units of 1e-5 degrees.
  int32_t offset(int32_t range) { return static_cast<int32_t>(below(2 * range + 1)) - range; }

 private:
  uint64_t s_;
};

struct Region {
  const char* code;
  const char* name;
  int32_t lat, lon;  // centre, 1e-5 degrees (integers so placement is exact)
};

// New Zealand's sixteen regions, largest first, so small networks stay in Auckland.
constexpr Region kRegions[] = {
    {"AKL", "Auckland", -3684850, 17476330},      {"WKO", "Waikato", -3778700, 17528300},
    {"WGN", "Wellington", -4128650, 17477620},    {"CAN", "Canterbury", -4353210, 17263620},
    {"BOP", "Bay of Plenty", -3813700, 17625100}, {"MWT", "Manawatu-Whanganui", -4035640, 17560800},
    {"OTA", "Otago", -4587410, 17050360},         {"NTL", "Northland", -3572510, 17432370},
    {"HKB", "Hawke's Bay", -3949280, 17691200},   {"TKI", "Taranaki", -3905710, 17407510},
    {"STL", "Southland", -4641320, 16835380},     {"NSN", "Nelson", -4127060, 17328400},
    {"TAS", "Tasman", -4145730, 17290980},        {"MBH", "Marlborough", -4151390, 17395290},
    {"GIS", "Gisborne", -3866230, 17801760},      {"WTC", "West Coast", -4245000, 17120000},
};
constexpr uint32_t kRegionCount = sizeof(kRegions) / sizeof(kRegions[0]);
// A region as the builder uses it: one of kRegions, or a backbone's point of presence.
struct RegionSpec {
  std::string code, name;
  int32_t lat, lon;
};
// One region per 500 sites (up to 16): a 100-site test network stays in one
// region, a national one spreads over all of them.
constexpr uint32_t kSitesPerRegion = 500;
// A cu/aggregation hub serves 8 neighbouring sites: a typical C-RAN hub size.
constexpr uint32_t kClusterSites = 8;
// Sites scatter up to ~0.4 degrees (~40 km) from their region's centre.
constexpr int32_t kSiteSpread = 40000;

enum VendorId : uint8_t { kEricsson, kHuawei, kNokia, kSamsung, kZte, kVendorCount };
constexpr const char* kVendorNames[] = {"Ericsson", "Huawei", "Nokia", "Samsung", "ZTE"};
constexpr const char* kEmsIds[] = {"ems-ericsson", "ems-huawei", "ems-nokia", "ems-samsung", "ems-zte"};
// RAN vendors by region: operators buy RAN per region; the high-risk vendor in
// a region is Huawei or ZTE, the trusted one Ericsson, Nokia or Samsung.
constexpr VendorId kTrustedRan[] = {kEricsson, kNokia, kSamsung};
constexpr VendorId kHighRiskRan[] = {kHuawei, kHuawei, kZte};
// Core and transport are trusted throughout (the 5G core from Ericsson, EPC,
// routers, sec-gws and management from Nokia).
constexpr VendorId kCore5gVendor = kEricsson;
constexpr VendorId kCoreVendor = kNokia;

class Builder {
 public:
  Builder(const GenerateOptions& o) : o_(o), five_g_(o.generation != Generation::k4g) {
    for (int v = 0; v < kVendorCount; ++v) vendor_str_[v] = net_.strings.intern(kVendorNames[v]);
  }

  Network build() {
    net_.operator_name = o_.operator_name;
    net_.country = o_.country;
    place_vendors();
    make_regions();
    const uint32_t regions = static_cast<uint32_t>(regions_.size());
    build_core();
    region_rtr_.assign(regions, kNone);
    for (uint32_t r = 0; r < regions; ++r) {
      const uint32_t first = static_cast<uint32_t>(uint64_t{o_.sites} * r / regions);
      const uint32_t last = static_cast<uint32_t>(uint64_t{o_.sites} * (r + 1) / regions);
      build_region(r, first, last);
    }
    if (o_.family == Family::kZoo)  // the backbone's own links join the points of presence
      for (auto [a, b] : o_.backbone->edges) link(region_rtr_[a], region_rtr_[b], Interface::kTransport);
    build_management();
    build_sensitive(regions);
    return o_.shuffle ? shuffled(net_, o_.seed) : std::move(net_);
  }

 private:
  // Exactly round(share * sites) high-risk sites, chosen by a partial
  // Fisher-Yates shuffle: the share is exact, not a per-site coin flip.
  void place_vendors() {
    const uint32_t n = o_.sites;
    const uint32_t k = static_cast<uint32_t>(std::llround(o_.hrv_share * n));
    hrv_.assign(n, 0);
    std::vector<uint32_t> perm(n);
    for (uint32_t i = 0; i < n; ++i) perm[i] = i;
    Rng rng(o_.seed, 1);
    for (uint32_t i = 0; i < k; ++i) {
      std::swap(perm[i], perm[i + rng.below(n - i)]);
      hrv_[perm[i]] = 1;
    }
  }

  // Regions: New Zealand's (one per 500 sites), or one per backbone node with
  // the core at the node of highest degree (the first of equals).
  void make_regions() {
    if (o_.family != Family::kZoo) {
      const uint32_t count = std::min(kRegionCount, 1 + (o_.sites - 1) / kSitesPerRegion);
      for (uint32_t r = 0; r < count; ++r)
        regions_.push_back({kRegions[r].code, kRegions[r].name, kRegions[r].lat, kRegions[r].lon});
      return;
    }
    const Backbone& b = *o_.backbone;
    std::vector<uint32_t> degree(b.labels.size(), 0);
    for (auto [u, v] : b.edges) ++degree[u], ++degree[v];
    core_region_ = static_cast<uint32_t>(std::max_element(degree.begin(), degree.end()) - degree.begin());
    auto fixed = [](double deg) { return std::isfinite(deg) ? static_cast<int32_t>(std::llround(deg * 1e5)) : 0; };
    for (uint32_t r = 0; r < b.labels.size(); ++r)
      regions_.push_back({fmt("P%03u", r + 1), b.labels[r].empty() ? fmt("PoP %u", r + 1) : b.labels[r],
                          fixed(b.lat[r]), fixed(b.lon[r])});
  }

  const char* fmt(const char* f, auto... args) {
    std::snprintf(buf_, sizeof buf_, f, args...);
    return buf_;
  }

  SiteIdx site(const char* id, const RegionSpec& region, int32_t lat, int32_t lon) {
    SiteIdx s = net_.add_site(id);
    net_.sites.region[s] = net_.strings.intern(region.name);
    net_.sites.lat[s] = lat / 1e5;
    net_.sites.lon[s] = lon / 1e5;
    return s;
  }

  ComponentIdx comp(const char* id, Function f, VendorId v, SiteIdx s, Generation gen = Generation::kAny) {
    ComponentIdx c = net_.add_component(id, f);
    net_.components.vendor[c] = vendor_str_[v];
    net_.components.site[c] = s;
    net_.components.generation[c] = gen;
    vendor_of_.push_back(v);
    return c;
  }

  void link(ComponentIdx a, ComponentIdx b, Interface i, uint8_t prot = kProtNone) { net_.add_link(a, b, i, prot); }

  void build_core() {
    const RegionSpec& home = regions_[core_region_];
    core_site_ = site("CORE-1", home, home.lat + 1200, home.lon - 800);
    noc_site_ = site("NOC-1", home, home.lat - 900, home.lon + 1500);
    core_rtr_[0] = comp("core-rtr-1", Function::kRouter, kCoreVendor, core_site_);
    core_rtr_[1] = comp("core-rtr-2", Function::kRouter, kCoreVendor, core_site_);
    link(core_rtr_[0], core_rtr_[1], Interface::kTransport);
    // Pools scale with the network: one AMF/SMF/UPF per 20,000 sites (at least one).
    const uint32_t pool = 1 + o_.sites / 20000;
    const Generation g5 = Generation::k5gSa, g4 = Generation::k4g;
    auto core_nf = [&](const char* id, Function f, VendorId v, Generation g) {
      ComponentIdx c = comp(id, f, v, core_site_, g);
      link(c, core_rtr_[c % 2], Interface::kTransport);  // the core LAN
      return c;
    };
    // 5G core: service-based, every NF talks through the SCP.
    scp_ = core_nf("core-scp-1", Function::kScp, kCore5gVendor, g5);
    for (uint32_t i = 0; i < pool; ++i)
      amf_.push_back(core_nf(fmt("core-amf-%u", i + 1), Function::kAmf, kCore5gVendor, g5));
    for (uint32_t i = 0; i < pool; ++i)
      smf_.push_back(core_nf(fmt("core-smf-%u", i + 1), Function::kSmf, kCore5gVendor, g5));
    for (uint32_t i = 0; i < pool; ++i)
      upf_.push_back(core_nf(fmt("core-upf-%u", i + 1), Function::kUpf, kCore5gVendor, g5));
    const std::pair<const char*, Function> single[] = {
        {"core-ausf-1", Function::kAusf}, {"core-udm-1", Function::kUdm},     {"core-udr-1", Function::kUdr},
        {"core-pcf-1", Function::kPcf},   {"core-nrf-1", Function::kNrf},     {"core-nssf-1", Function::kNssf},
        {"core-nef-1", Function::kNef},   {"core-nwdaf-1", Function::kNwdaf}, {"core-sepp-1", Function::kSepp},
        {"core-chf-1", Function::kChf}};
    for (auto [id, f] : single) {
      ComponentIdx c = core_nf(id, f, kCore5gVendor, g5);
      if (f == Function::kUdm) udm_ = c;
      link(c, scp_, Interface::kSbi);
    }
    for (ComponentIdx c : amf_) link(c, scp_, Interface::kSbi);
    for (uint32_t i = 0; i < pool; ++i) {
      link(smf_[i], scp_, Interface::kSbi);
      link(smf_[i], upf_[i], Interface::kN4);
    }
    // 4G core (EPC).
    for (uint32_t i = 0; i < pool; ++i)
      mme_.push_back(core_nf(fmt("core-mme-%u", i + 1), Function::kMme, kCoreVendor, g4));
    for (uint32_t i = 0; i < pool; ++i)
      sgw_.push_back(core_nf(fmt("core-sgw-%u", i + 1), Function::kSgw, kCoreVendor, g4));
    const ComponentIdx pgw = core_nf("core-pgw-1", Function::kPgw, kCoreVendor, g4);
    const ComponentIdx hss = core_nf("core-hss-1", Function::kHss, kCoreVendor, g4);
    const ComponentIdx pcrf = core_nf("core-pcrf-1", Function::kPcrf, kCoreVendor, g4);
    for (uint32_t i = 0; i < pool; ++i) {
      link(mme_[i], sgw_[i], Interface::kS11);
      link(mme_[i], hss, Interface::kS6a);
      link(sgw_[i], pgw, Interface::kS5);
    }
    link(pgw, pcrf, Interface::kSbi);  // Gx (Diameter) has no interface of its own: two-way signalling
    if (five_g_) {
      link(hss, udm_, Interface::kSbi);    // HSS+UDM interworking
      link(pgw, smf_[0], Interface::kN4);  // SMF+PGW-C
    }
    // Lawful intercept: X1 provisioning is control from the LI system, modelled as
    // mgmt with li as manager; X2/X3 delivery back to it is a reporting edge.
    li_ = core_nf("core-li-1", Function::kLi, kCoreVendor, Generation::kAny);
    for (ComponentIdx c : amf_) link(li_, c, Interface::kMgmt);
    for (ComponentIdx c : smf_) link(li_, c, Interface::kMgmt);
    for (ComponentIdx c : mme_) link(li_, c, Interface::kMgmt);
    for (ComponentIdx c : sgw_) link(li_, c, Interface::kMgmt);
    link(li_, pgw, Interface::kMgmt);
  }

  void build_region(uint32_t r, uint32_t first, uint32_t last) {
    const RegionSpec spec = regions_[r];  // a copy: fmt() reuses buf_
    const RegionSpec& R = spec;
    const char* code = spec.code.c_str();
    const VendorId trusted = kTrustedRan[r % 3], risky = kHighRiskRan[r % 3];
    const SiteIdx hub = site(fmt("%s-HUB", code), R, R.lat, R.lon);
    const ComponentIdx rtr = comp(fmt("%s-rtr-1", code), Function::kRouter, kCoreVendor, hub);
    region_rtr_[r] = rtr;
    // On a backbone only the core's point of presence links the core routers;
    // the others reach it along the backbone.
    if (o_.family != Family::kZoo || r == core_region_) {
      link(rtr, core_rtr_[0], Interface::kTransport);
      link(rtr, core_rtr_[1], Interface::kTransport);
    }
    ComponentIdx edge = kNone;
    if (five_g_) {
      // MEC: a UPF at the regional edge, close to the RAN it serves.
      edge = comp(fmt("%s-upf-edge-1", code), Function::kUpf, kCore5gVendor, hub, Generation::k5gSa);
      link(edge, rtr, Interface::kTransport);
      link(edge, smf_[r % smf_.size()], Interface::kN4);
      link(edge, upf_[r % upf_.size()], Interface::kN9);
    } else {
      edge = comp(fmt("%s-secgw-1", code), Function::kSecGw, kCoreVendor, hub);
      link(edge, rtr, Interface::kTransport);
      link(edge, mme_[r % mme_.size()], Interface::kS1Mme);
      link(edge, sgw_[r % sgw_.size()], Interface::kS1U);
    }
    Rng geo(o_.seed, 2 + 2 * uint64_t{r});
    Rng serves(o_.seed, 3 + 2 * uint64_t{r});
    constexpr uint8_t kIpsec = kEncrypted | kIntegrity;
    const bool one_way = o_.family == Family::kOneWay, trees = o_.family == Family::kCoreTrees;
    ComponentIdx prev_cu = kNone;
    for (uint32_t c0 = first; c0 < last; c0 += kClusterSites) {
      const uint32_t c1 = std::min(last, c0 + kClusterSites);
      const uint32_t cluster = c0 / kClusterSites;
      // The cluster hub (cu, aggregation router) sits at the cluster's first site
      // and takes the majority vendor of its sites (ties go to the trusted one).
      uint32_t risky_sites = 0;
      for (uint32_t s = c0; s < c1; ++s) risky_sites += hrv_[s];
      const VendorId hub_vendor = 2 * risky_sites > c1 - c0 ? risky : trusted;
      ComponentIdx agg = kNone, cu = kNone, prev_ran = kNone;
      for (uint32_t s = c0; s < c1; ++s) {
        // Two statements: the order of evaluation of function arguments is unspecified.
        const int32_t lat = R.lat + geo.offset(kSiteSpread);
        const int32_t lon = R.lon + geo.offset(kSiteSpread);
        const SiteIdx si = site(fmt("%s-%06u", code, s + 1), R, lat, lon);
        const VendorId v = hrv_[s] ? risky : trusted;
        const Generation gen = five_g_ ? Generation::k5gSa : Generation::k4g;
        if (s == c0) {
          agg = comp(fmt("%s-agg-%05u", code, cluster + 1), Function::kRouter, kCoreVendor, si);
          if (one_way) {
            // The boundary: the backhaul to the region runs in IPsec, and the
            // core's operations reach the cluster one way (region router manages it).
            link(agg, rtr, Interface::kTransport, kIpsec);
            link(rtr, agg, Interface::kRemoteAccess);
          } else {
            link(agg, rtr, Interface::kTransport);
          }
          if (five_g_) {
            cu = comp(fmt("%s-cu-%05u", code, cluster + 1), Function::kCu, hub_vendor, si, gen);
            link(cu, agg, Interface::kBackhaul);
            const uint8_t boundary = one_way ? kIpsec : uint8_t{kProtNone};
            link(cu, amf_[cluster % amf_.size()], Interface::kN2, boundary);
            // One-way family: every 4th cluster's N3 to the edge UPF is unprotected.
            link(cu, edge, Interface::kN3, one_way && cluster % 4 != 0 ? kIpsec : uint8_t{kProtNone});
            if (prev_cu != kNone) link(cu, prev_cu, Interface::kXn, boundary);
            prev_cu = cu;
          }
        }
        const ComponentIdx ran = comp(fmt("%s-%06u-%s", code, s + 1, five_g_ ? "du" : "enb"),
                                      five_g_ ? Function::kDu : Function::kEnb, v, si, gen);
        if (trees) {
          // A one-way tree into the hub: F1 in IPsec, the du's access to the cu one way.
          link(ran, cu, Interface::kF1, kIpsec);
          link(ran, cu, Interface::kRemoteAccess);
        } else if (five_g_) {
          link(ran, cu, Interface::kF1);
        } else {
          // 4G: S1 and X2 run in IPsec tunnels to the regional sec-gw; the
          // backhaul carries only the tunnels. All protected boundaries.
          link(ran, agg, Interface::kBackhaul, kIpsec);
          link(ran, edge, Interface::kS1Mme, kIpsec);
          link(ran, edge, Interface::kS1U, kIpsec);
          if (prev_ran != kNone) link(ran, prev_ran, Interface::kX2, kIpsec);
        }
        prev_ran = ran;
        const uint32_t sectors = 1 + serves.below(3);
        for (uint32_t k = 0; k < sectors; ++k) {
          const ComponentIdx ru = comp(fmt("%s-%06u-ru%u", code, s + 1, k + 1), Function::kRu, v, si, gen);
          net_.components.cells[ru] = 1;
          net_.components.subscribers[ru] = 200 + serves.below(1801);  // 200..2000 per sector
          if (trees) {
            link(ru, ran, Interface::kFronthaul, kIpsec);
            link(ru, ran, Interface::kRemoteAccess);
          } else {
            link(ran, ru, Interface::kFronthaul);
          }
        }
      }
    }
  }

  void build_management() {
    const ComponentIdx nms = comp("noc-nms-1", Function::kNms, kCoreVendor, noc_site_);
    // One ems per vendor present; each manages every non-management element of its vendor.
    std::array<bool, kVendorCount> present{};
    const size_t n = net_.components.size();
    for (size_t c = 0; c < n; ++c) present[vendor_of_[c]] = true;
    std::array<ComponentIdx, kVendorCount> ems{};
    for (int v = 0; v < kVendorCount; ++v) {
      if (!present[v]) continue;
      ems[v] = comp(kEmsIds[v], Function::kEms, static_cast<VendorId>(v), noc_site_);
      link(nms, ems[v], Interface::kMgmt);
    }
    for (size_t c = 0; c < n; ++c) {
      if (function_domain(net_.components.function[c]) == Domain::kManagement) continue;
      link(ems[vendor_of_[c]], static_cast<ComponentIdx>(c), Interface::kMgmt);
    }
  }

  void build_sensitive(uint32_t regions) {
    Rng rng(o_.seed, 1000);
    const uint32_t count = std::min<uint32_t>(50, 2 + o_.sites / 2000);
    for (uint32_t i = 0; i < count; ++i) {
      const RegionSpec& R = regions_[rng.below(regions)];
      const double lat = (R.lat + rng.offset(kSiteSpread)) / 1e5, lon = (R.lon + rng.offset(kSiteSpread)) / 1e5;
      const double radius = 1 + rng.below(5);  // 1..5 km
      net_.add_sensitive(fmt("sensitive-%03u", i + 1), lat, lon, radius,
                         static_cast<SensitiveKind>(i % kSensitiveKindCount));
    }
  }

  // The same network with components and links in a random order (their
  // columns moved along, links renumbered); sites and sensitive locations keep
  // theirs.
  static Network shuffled(Network& in, uint64_t seed) {
    Rng rng(seed, 5000);
    auto permutation = [&](size_t n) {
      std::vector<uint32_t> p(n);
      for (uint32_t i = 0; i < n; ++i) p[i] = i;
      for (size_t i = n; i > 1; --i) std::swap(p[i - 1], p[rng.below(static_cast<uint32_t>(i))]);
      return p;
    };
    Network out;
    out.operator_name = in.operator_name;
    out.country = in.country;
    out.strings = in.strings.copy();
    for (SiteIdx s = 0; s < in.sites.size(); ++s) {
      const SiteIdx t = out.add_site(in.sites.id[s]);
      out.sites.region[t] = in.sites.region[s];
      out.sites.lat[t] = in.sites.lat[s];
      out.sites.lon[t] = in.sites.lon[s];
    }
    const ComponentTable& c = in.components;
    const std::vector<uint32_t> order = permutation(c.size());
    std::vector<ComponentIdx> to(c.size());
    for (uint32_t k = 0; k < order.size(); ++k) {
      const uint32_t i = order[k];
      const ComponentIdx j = out.add_component(c.id[i], c.function[i]);
      to[i] = j;
      out.components.vendor[j] = c.vendor[i];
      out.components.site[j] = c.site[i];
      out.components.generation[j] = c.generation[i];
      out.components.cells[j] = c.cells[i];
      out.components.subscribers[j] = c.subscribers[i];
    }
    for (uint32_t l : permutation(in.links.size()))
      out.add_link(to[in.links.a[l]], to[in.links.b[l]], in.links.interface[l], in.links.protection[l]);
    const SensitiveTable& z = in.sensitive;
    for (uint32_t i = 0; i < z.size(); ++i)
      out.add_sensitive(in.str(z.id[i]), z.lat[i], z.lon[i], z.radius_km[i], z.kind[i]);
    return out;
  }

  const GenerateOptions& o_;
  const bool five_g_;
  Network net_;
  char buf_[96];
  std::array<StrId, kVendorCount> vendor_str_{};
  std::vector<uint8_t> hrv_;
  std::vector<VendorId> vendor_of_;  // per component
  std::vector<RegionSpec> regions_;
  uint32_t core_region_ = 0;            // the region (point of presence) holding the core
  std::vector<ComponentIdx> region_rtr_;  // per region
  SiteIdx core_site_ = kNone, noc_site_ = kNone;
  ComponentIdx core_rtr_[2] = {kNone, kNone}, scp_ = kNone, udm_ = kNone, li_ = kNone;
  std::vector<ComponentIdx> amf_, smf_, upf_, mme_, sgw_;
};

}  // namespace

std::string_view family_name(Family f) {
  switch (f) {
    case Family::kDefault: return "default";
    case Family::kOneWay: return "one-way";
    case Family::kCoreTrees: return "core-trees";
    case Family::kZoo: return "zoo";
  }
  return "default";
}

std::optional<Family> parse_family(std::string_view s) {
  for (Family f : {Family::kDefault, Family::kOneWay, Family::kCoreTrees, Family::kZoo})
    if (family_name(f) == s) return f;
  return std::nullopt;
}

namespace {

// A minimal reader for the GraphML the Topology Zoo publishes: <key> (which
// data ids carry Latitude, Longitude and label), <node id>, <data key> inside a
// node, <edge source target>. Not a general XML parser: comments, CDATA and
// namespaces beyond these elements are skipped or rejected with a location.
class ZooReader {
 public:
  ZooReader(std::string_view text, std::string_view file) : t_(text), file_(file) {}

  Expected<Backbone> read() {
    Backbone b;
    b.name = std::string(file_);
    std::unordered_map<std::string, uint32_t> node_of;
    std::string lat_key, lon_key, label_key;
    std::vector<std::pair<std::string, size_t>> edge_ends;  // source, target as ids; their position
    int32_t node = -1;                                       // inside <node>...</node>
    std::string data_key;
    for (size_t p = t_.find('<'); p != std::string_view::npos; p = t_.find('<', p)) {
      if (t_.compare(p, 4, "<!--") == 0) {
        const size_t e = t_.find("-->", p);
        if (e == std::string_view::npos) return error(p, "comment not closed");
        p = e + 3;
        continue;
      }
      const size_t e = t_.find('>', p);
      if (e == std::string_view::npos) return error(p, "tag not closed");
      const std::string_view tag = t_.substr(p + 1, e - p - 1);
      const std::string_view name = tag.substr(0, tag.find_first_of(" \t\r\n/"));
      const size_t after = e + 1;
      if (name == "key") {
        const std::string attr = attribute(tag, "attr.name"), id = attribute(tag, "id");
        if (attr == "Latitude") lat_key = id;
        if (attr == "Longitude") lon_key = id;
        if (attr == "label" && attribute(tag, "for") == "node") label_key = id;
      } else if (name == "node") {
        const std::string id = attribute(tag, "id");
        if (id.empty()) return error(p, "a node without an id");
        const uint32_t k = static_cast<uint32_t>(b.labels.size());
        if (!node_of.emplace(id, k).second) return error(p, "node id \"" + id + "\" given twice");
        b.labels.emplace_back();
        b.lat.push_back(std::numeric_limits<double>::quiet_NaN());
        b.lon.push_back(std::numeric_limits<double>::quiet_NaN());
        node = tag.ends_with('/') ? -1 : static_cast<int32_t>(k);
      } else if (name == "/node") {
        node = -1;
      } else if (name == "data" && node >= 0) {
        const std::string key = attribute(tag, "key");
        const size_t close = t_.find("</data>", after);
        if (close == std::string_view::npos) return error(p, "<data> not closed");
        const std::string value = decode(t_.substr(after, close - after));
        if (key == label_key) b.labels[node] = value;
        if (key == lat_key || key == lon_key) {
          char* end = nullptr;
          const double x = std::strtod(value.c_str(), &end);
          if (value.empty() || *end != '\0' || !std::isfinite(x)) return error(after, "not a number: \"" + value + "\"");
          (key == lat_key ? b.lat : b.lon)[node] = x;
        }
        p = close + 7;
        continue;
      } else if (name == "edge") {
        const std::string a = attribute(tag, "source"), z = attribute(tag, "target");
        if (a.empty() || z.empty()) return error(p, "an edge without source and target");
        edge_ends.push_back({a, p});
        edge_ends.push_back({z, p});
      }
      p = after;
    }
    if (b.labels.empty()) return error(0, "no nodes: not a Topology Zoo GraphML file");
    std::vector<std::pair<uint32_t, uint32_t>> edges;
    for (size_t i = 0; i < edge_ends.size(); i += 2) {
      uint32_t ends[2];
      for (int k = 0; k < 2; ++k) {
        auto it = node_of.find(edge_ends[i + k].first);
        if (it == node_of.end()) return error(edge_ends[i].second, "edge names an unknown node \"" + edge_ends[i + k].first + "\"");
        ends[k] = it->second;
      }
      if (ends[0] == ends[1]) continue;
      edges.push_back({std::min(ends[0], ends[1]), std::max(ends[0], ends[1])});
    }
    std::sort(edges.begin(), edges.end());
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
    b.edges = std::move(edges);
    return b;
  }

 private:
  // The value of attribute `key` in a tag's text ("" when absent), entities decoded.
  static std::string attribute(std::string_view tag, std::string_view key) {
    for (size_t p = tag.find(key); p != std::string_view::npos; p = tag.find(key, p + 1)) {
      const bool starts = p > 0 && (tag[p - 1] == ' ' || tag[p - 1] == '\t' || tag[p - 1] == '\n' || tag[p - 1] == '\r');
      size_t q = p + key.size();
      if (!starts || q + 1 >= tag.size() || tag[q] != '=' || (tag[q + 1] != '"' && tag[q + 1] != '\'')) continue;
      const size_t end = tag.find(tag[q + 1], q + 2);
      if (end == std::string_view::npos) return {};
      return decode(tag.substr(q + 2, end - q - 2));
    }
    return {};
  }
  // XML's five entities; control characters become spaces (names go into ids' neighbours).
  static std::string decode(std::string_view s) {
    static constexpr std::pair<std::string_view, char> kEntities[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    std::string out;
    for (size_t i = 0; i < s.size();) {
      bool done = false;
      for (auto [ent, ch] : kEntities)
        if (s.compare(i, ent.size(), ent) == 0) {
          out += ch;
          i += ent.size();
          done = true;
          break;
        }
      if (done) continue;
      const unsigned char c = static_cast<unsigned char>(s[i++]);
      out += c < 0x20 || c == 0x7f ? ' ' : static_cast<char>(c);
    }
    return out;
  }
  Status error(size_t pos, const std::string& message) const {
    size_t line = 1, col = 1;
    for (size_t i = 0; i < pos && i < t_.size(); ++i) {
      if (t_[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    return Status::bad_input(std::string(file_) + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " + message);
  }

  std::string_view t_, file_;
};

}  // namespace

Expected<Backbone> parse_topology_zoo(std::string_view graphml, std::string_view file) {
  return ZooReader(graphml, file).read();
}

Expected<Network> generate_network(const GenerateOptions& options) {
  if (options.sites == 0 || options.sites > 10'000'000)
    return Status::bad_input("the number of sites must be between 1 and 10000000");
  if (!(options.hrv_share >= 0.0 && options.hrv_share <= 1.0))
    return Status::bad_input("the high-risk share must be between 0 and 1 (or 0% and 100%)");
  if (options.generation != Generation::k4g && options.generation != Generation::k5gSa &&
      options.generation != Generation::k5gNsa)
    return Status::bad_input("the generation must be 4g or 5g");
  if (options.family == Family::kZoo && (!options.backbone || options.backbone->labels.empty()))
    return Status::bad_input("the zoo family needs a backbone (a Topology Zoo GraphML file with at least one node)");
  if ((options.family == Family::kOneWay || options.family == Family::kCoreTrees) &&
      options.generation == Generation::k4g)
    return Status::bad_input("the " + std::string(family_name(options.family)) +
                             " family is 5G only (4G access already runs in IPsec throughout)");
  return Builder(options).build();
}

}  // namespace netvet
