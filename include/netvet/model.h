// The network model: sites, components, links and sensitive locations stored
// column-wise (struct of arrays) with dense 32-bit indices and interned strings,
// so a national network of 10^6 components loads fast and fits in a few hundred MB.
// A Proposal is a delta against a Network; apply_proposal() gives the proposed
// network plus the state (existing/added/changed) of every component.
//
// The model knows nothing of files: io/ fills it, assess/ reads it.
// A Network is not thread-safe for writing; concurrent reads are fine.
//
//   netvet::Network net;
//   auto site = net.add_site("AKL-001");
//   auto c = net.add_component("akl-001-gnb", netvet::Function::kGnb);
//   net.components.site[c] = site;
//   net.add_link(c, net.add_component("core-amf-1", netvet::Function::kAmf), netvet::Interface::kN2);
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "netvet/common.h"

namespace netvet {

// Dense indices into the tables below. kNone marks "absent" (no site, no parent).
using SiteIdx = uint32_t;
using ComponentIdx = uint32_t;
using LinkIdx = uint32_t;
using StrId = StringPool::Id;
inline constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

// Where a function sits in the network; rules select on it ("domain: core-5g").
enum class Domain : uint8_t {
  kRan,
  kFixedAccess,  // full-fibre access (OLT): the UK caps it separately (DVD 2022 row 5)
  kTransport,
  kCore5g,
  kCore4g,
  kManagement,
  kLawfulIntercept,
  kShared,
  kVirtualisation,
  kCustomer,
  kSurveillance,  // video surveillance: NDAA s889 covers Hikvision/Dahua/Hytera only here
};
inline constexpr int kDomainCount = 11;

// The closed function taxonomy of DESIGN.md, plus olt (full-fibre access, UK
// cap), billing (AU TSSR names customer billing systems as sensitive) and
// camera (NDAA s889(f)(3)(B) video surveillance). Order is not significant.
enum class Function : uint8_t {
  // RAN
  kRu, kDu, kCu, kGnb, kEnb, kNodeb, kBts, kAau, kBbu, kSmallCell,
  // fixed access
  kOlt,
  // transport
  kRouter, kSwitch, kMicrowave, kOptical, kFirewall, kSecGw,
  // 5G core
  kAmf, kSmf, kUpf, kAusf, kUdm, kUdr, kPcf, kNrf, kNssf, kNef, kNwdaf, kSepp, kScp, kN3iwf, kChf,
  // 4G core
  kMme, kSgw, kPgw, kHss, kPcrf, kEpdg,
  // management
  kEms, kNms, kOss, kMano, kNfvo, kVnfm, kNoc,
  // lawful intercept
  kLi,
  // shared services
  kDns, kIms, kDra, kStp, kBilling,
  // virtualisation
  kNfvi,
  // customer
  kCpe, kHandset,
  // surveillance
  kCamera,
};
inline constexpr int kFunctionCount = static_cast<int>(Function::kCamera) + 1;

enum class Generation : uint8_t { k2g, k3g, k4g, k5gNsa, k5gSa, kAny };
inline constexpr int kGenerationCount = 6;

enum class Interface : uint8_t {
  kN1, kN2, kN3, kN4, kN6, kN9, kSbi, kN32,
  kS1Mme, kS1U, kS5, kS6a, kS11,
  kX2, kXn, kF1, kFronthaul, kBackhaul, kTransport, kMgmt, kRemoteAccess,
};
inline constexpr int kInterfaceCount = static_cast<int>(Interface::kRemoteAccess) + 1;

// Link protection flags (bit set).
enum Protection : uint8_t { kProtNone = 0, kEncrypted = 1, kIntegrity = 2, kMonitored = 4 };

enum class SensitiveKind : uint8_t { kMilitary, kNuclear, kGovernment, kCriticalInfrastructure };
inline constexpr int kSensitiveKindCount = 4;

// Names as written in files ("gnb", "s1-mme", "5g-nsa", "critical-infrastructure")
// and back. parse_* return nullopt for unknown names; callers add "did you mean".
std::string_view function_name(Function f);
std::optional<Function> parse_function(std::string_view s);
std::vector<std::string_view> function_names();
Domain function_domain(Function f);
std::string_view domain_name(Domain d);  // "ran" "fixed-access" "transport" "core-5g" "core-4g" "management" "lawful-intercept" "shared" "virtualisation" "customer" "surveillance"
std::optional<Domain> parse_domain(std::string_view s);
std::vector<std::string_view> domain_names();
std::string_view generation_name(Generation g);
std::optional<Generation> parse_generation(std::string_view s);
std::vector<std::string_view> generation_names();
std::string_view interface_name(Interface i);
std::optional<Interface> parse_interface(std::string_view s);
std::vector<std::string_view> interface_names();
std::string_view protection_name(Protection p);  // single flag: "encrypted" "integrity" "monitored"
std::optional<Protection> parse_protection(std::string_view s);
std::string_view sensitive_kind_name(SensitiveKind k);
std::optional<SensitiveKind> parse_sensitive_kind(std::string_view s);
std::vector<std::string_view> sensitive_kind_names();

// Tags of many rows in CSR form: row r has tags ids[offsets[r] .. offsets[r+1]).
struct TagColumn {
  std::vector<uint32_t> offsets{0};
  std::vector<StrId> ids;

  void push_row(std::span<const StrId> tags);
  std::span<const StrId> row(uint32_t r) const {
    return {ids.data() + offsets[r], ids.data() + offsets[r + 1]};
  }
};

struct SiteTable {
  std::vector<StrId> id, name, region;
  std::vector<double> lat, lon;  // NaN when unknown
  TagColumn tags;
  std::vector<uint32_t> line;  // source line (0 = unknown), for error messages and SARIF
  size_t size() const { return id.size(); }
};

struct ComponentTable {
  std::vector<StrId> id, name;
  std::vector<Function> function;
  std::vector<Generation> generation;
  std::vector<StrId> vendor;  // as written; kb/ resolves aliases and ownership
  std::vector<StrId> model, software;
  std::vector<SiteIdx> site;          // kNone when not placed at a site
  std::vector<ComponentIdx> parent;   // kNone unless nested hardware (a board in a chassis)
  std::vector<uint64_t> subscribers;  // serves.subscribers
  std::vector<uint32_t> cells;        // serves.cells
  TagColumn tags;
  std::vector<uint32_t> line;  // source line (0 = unknown)
  size_t size() const { return id.size(); }
};

struct LinkTable {
  std::vector<ComponentIdx> a, b;
  std::vector<Interface> interface;
  std::vector<uint8_t> protection;  // Protection bits
  std::vector<uint32_t> line;
  size_t size() const { return a.size(); }
};

struct SensitiveTable {
  std::vector<StrId> id, name;
  std::vector<double> lat, lon, radius_km;
  std::vector<SensitiveKind> kind;
  std::vector<uint32_t> line;
  size_t size() const { return id.size(); }
};

class Network {
 public:
  std::string netvet_version = "1";
  std::string operator_name;
  std::string country;
  std::string source_file;  // the file this network was read from, for locations in reports

  StringPool strings;
  SiteTable sites;
  ComponentTable components;
  LinkTable links;
  SensitiveTable sensitive;

  // Appends a row with defaults (no site, no parent, generation any, no vendor)
  // and returns its index. The caller fills the other columns. Ids must be
  // unique per table; add_* does not check (readers report duplicates with
  // locations), find_* returns the first.
  SiteIdx add_site(std::string_view id);
  ComponentIdx add_component(std::string_view id, Function function);
  // The same with an id already interned in `strings` (a reader interns it
  // first to find a duplicate with the same probe).
  SiteIdx add_site(StrId id);
  ComponentIdx add_component(StrId id, Function function);
  LinkIdx add_link(ComponentIdx a, ComponentIdx b, Interface interface, uint8_t protection = kProtNone);
  uint32_t add_sensitive(std::string_view id, double lat, double lon, double radius_km, SensitiveKind kind);

  std::optional<SiteIdx> find_site(std::string_view id) const;
  std::optional<ComponentIdx> find_component(std::string_view id) const;
  std::optional<SiteIdx> find_site(StrId id) const { return lookup(site_by_str_, id); }
  std::optional<ComponentIdx> find_component(StrId id) const { return lookup(component_by_str_, id); }

  std::string_view str(StrId id) const { return strings.view(id); }
  std::string_view component_id(ComponentIdx c) const { return strings.view(components.id[c]); }
  std::string_view site_id(SiteIdx s) const { return strings.view(sites.id[s]); }

  // Rebuilds the id indexes after columns were edited in place (e.g. rows removed).
  void reindex();
  // Room for this many rows, so a reader that knows the sizes fills the columns
  // without reallocating them.
  void reserve(size_t sites, size_t components, size_t links);

 private:
  friend Network clone(const Network& net);
  // Row by StrId of its id (kNone: not an id of that table). Ids are dense, so
  // a plain array beats a hash map here.
  std::vector<uint32_t> site_by_str_, component_by_str_;
  static void index_row(std::vector<uint32_t>& by_str, StrId id, uint32_t row);
  static std::optional<uint32_t> lookup(const std::vector<uint32_t>& by_str, std::optional<StrId> id);
};

// A change to one component's fields; unset fields stay as they are.
struct ComponentChange {
  std::string id;
  std::optional<std::string> vendor, model, software, site, name;
  std::optional<Function> function;
  std::optional<Generation> generation;
  std::optional<uint64_t> subscribers;
  std::optional<uint32_t> cells;
  uint32_t line = 0;
};

struct LinkRef {
  std::string a, b;
  std::optional<Interface> interface;  // unset: every link between a and b
  uint32_t line = 0;
};

// A delta against a network: what a notification to the agency describes.
struct Proposal {
  std::string title;
  std::string source_file;
  Network add;  // sites, components and sensitive locations to add (add.links stays empty)
  // Per component of `add`: the site and parent it names by id, which may be an
  // added or a base row ("" = none). add.components.site/parent are ignored.
  std::vector<std::string> add_site_ref, add_parent_ref;
  std::vector<std::pair<std::string, uint32_t>> remove_components;  // id, line
  std::vector<std::pair<std::string, uint32_t>> remove_sites;
  std::vector<LinkRef> remove_links;
  std::vector<ComponentChange> change;
  // Links to add, by component id: either end may be an added or a base component.
  struct PendingLink {
    std::string a, b;
    Interface interface;
    uint8_t protection;
    uint32_t line;
  };
  std::vector<PendingLink> add_links;
};

enum class ComponentState : uint8_t { kExisting, kAdded, kChanged };

struct ProposedNetwork {
  Network network;
  std::vector<ComponentState> state;  // per component of `network`
  std::vector<std::string> removed;   // ids of components the proposal removes
};

// Applies `proposal` to a copy of `base`. Errors (with the proposal's file and
// line): adding an id that exists, removing or changing one that does not, a
// link to a missing component, a component on a missing site.
Expected<ProposedNetwork> apply_proposal(const Network& base, const Proposal& proposal);

// Deep copies (Network holds a StringPool, which is move-only).
Network clone(const Network& net);
Proposal clone(const Proposal& proposal);

// Great-circle distance in km (haversine, mean Earth radius 6371.0088 km).
double great_circle_km(double lat1, double lon1, double lat2, double lon2);

}  // namespace netvet
