#include "netvet/model.h"
#include "netvet/inference.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace netvet {
namespace {

struct FunctionInfo {
  Function f;
  std::string_view name;
  Domain domain;
};

constexpr FunctionInfo kFunctions[] = {
    {Function::kRu, "ru", Domain::kRan},           {Function::kDu, "du", Domain::kRan},
    {Function::kCu, "cu", Domain::kRan},           {Function::kGnb, "gnb", Domain::kRan},
    {Function::kEnb, "enb", Domain::kRan},         {Function::kNodeb, "nodeb", Domain::kRan},
    {Function::kBts, "bts", Domain::kRan},         {Function::kAau, "aau", Domain::kRan},
    {Function::kBbu, "bbu", Domain::kRan},         {Function::kSmallCell, "small-cell", Domain::kRan},
    {Function::kOlt, "olt", Domain::kFixedAccess}, {Function::kRouter, "router", Domain::kTransport},
    {Function::kSwitch, "switch", Domain::kTransport}, {Function::kMicrowave, "microwave", Domain::kTransport},
    {Function::kOptical, "optical", Domain::kTransport}, {Function::kFirewall, "firewall", Domain::kTransport},
    {Function::kSecGw, "sec-gw", Domain::kTransport}, {Function::kAmf, "amf", Domain::kCore5g},
    {Function::kSmf, "smf", Domain::kCore5g},      {Function::kUpf, "upf", Domain::kCore5g},
    {Function::kAusf, "ausf", Domain::kCore5g},    {Function::kUdm, "udm", Domain::kCore5g},
    {Function::kUdr, "udr", Domain::kCore5g},      {Function::kPcf, "pcf", Domain::kCore5g},
    {Function::kNrf, "nrf", Domain::kCore5g},      {Function::kNssf, "nssf", Domain::kCore5g},
    {Function::kNef, "nef", Domain::kCore5g},      {Function::kNwdaf, "nwdaf", Domain::kCore5g},
    {Function::kSepp, "sepp", Domain::kCore5g},    {Function::kScp, "scp", Domain::kCore5g},
    {Function::kN3iwf, "n3iwf", Domain::kCore5g},  {Function::kChf, "chf", Domain::kCore5g},
    {Function::kMme, "mme", Domain::kCore4g},      {Function::kSgw, "sgw", Domain::kCore4g},
    {Function::kPgw, "pgw", Domain::kCore4g},      {Function::kHss, "hss", Domain::kCore4g},
    {Function::kPcrf, "pcrf", Domain::kCore4g},    {Function::kEpdg, "epdg", Domain::kCore4g},
    {Function::kEms, "ems", Domain::kManagement},  {Function::kNms, "nms", Domain::kManagement},
    {Function::kOss, "oss", Domain::kManagement},  {Function::kMano, "mano", Domain::kManagement},
    {Function::kNfvo, "nfvo", Domain::kManagement}, {Function::kVnfm, "vnfm", Domain::kManagement},
    {Function::kNoc, "noc", Domain::kManagement},  {Function::kLi, "li", Domain::kLawfulIntercept},
    {Function::kDns, "dns", Domain::kShared},      {Function::kIms, "ims", Domain::kShared},
    {Function::kDra, "dra", Domain::kShared},      {Function::kStp, "stp", Domain::kShared},
    {Function::kBilling, "billing", Domain::kShared}, {Function::kNfvi, "nfvi", Domain::kVirtualisation},
    {Function::kCpe, "cpe", Domain::kCustomer},    {Function::kHandset, "handset", Domain::kCustomer},
    {Function::kCamera, "camera", Domain::kSurveillance},
};
static_assert(std::size(kFunctions) == kFunctionCount);

constexpr std::string_view kDomainNames[] = {"ran",        "fixed-access",     "transport", "core-5g",
                                             "core-4g",    "management",       "lawful-intercept",
                                             "shared",     "virtualisation",   "customer",  "surveillance"};
static_assert(std::size(kDomainNames) == kDomainCount);
constexpr std::string_view kGenerationNames[] = {"2g", "3g", "4g", "5g-nsa", "5g-sa", "any"};
constexpr std::string_view kInterfaceNames[] = {
    "n1", "n2", "n3", "n4", "n6", "n9", "sbi", "n32", "s1-mme", "s1-u", "s5", "s6a", "s11",
    "x2", "xn", "f1", "fronthaul", "backhaul", "transport", "mgmt", "remote-access"};
static_assert(std::size(kInterfaceNames) == kInterfaceCount);
constexpr std::string_view kSensitiveNames[] = {"military", "nuclear", "government", "critical-infrastructure"};

template <typename E, size_t N>
std::optional<E> parse_from(const std::string_view (&names)[N], std::string_view s) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}

template <size_t N>
std::vector<std::string_view> list_of(const std::string_view (&names)[N]) {
  return {std::begin(names), std::end(names)};
}

}  // namespace

std::string_view function_name(Function f) { return kFunctions[static_cast<int>(f)].name; }
Domain function_domain(Function f) { return kFunctions[static_cast<int>(f)].domain; }
std::optional<Function> parse_function(std::string_view s) {
  for (const auto& info : kFunctions)
    if (info.name == s) return info.f;
  return std::nullopt;
}
std::vector<std::string_view> function_names() {
  std::vector<std::string_view> out;
  for (const auto& info : kFunctions) out.push_back(info.name);
  return out;
}
std::string_view domain_name(Domain d) { return kDomainNames[static_cast<int>(d)]; }
std::optional<Domain> parse_domain(std::string_view s) { return parse_from<Domain>(kDomainNames, s); }
std::vector<std::string_view> domain_names() { return list_of(kDomainNames); }
std::string_view generation_name(Generation g) { return kGenerationNames[static_cast<int>(g)]; }
std::optional<Generation> parse_generation(std::string_view s) { return parse_from<Generation>(kGenerationNames, s); }
std::vector<std::string_view> generation_names() { return list_of(kGenerationNames); }
uint8_t standard_generations(Function f) {
  constexpr uint8_t k5g = generation_bit(Generation::k5gNsa) | generation_bit(Generation::k5gSa);
  switch (f) {
    case Function::kGnb:
      return k5g;
    case Function::kEnb:
      return generation_bit(Generation::k4g);
    case Function::kNodeb:
      return generation_bit(Generation::k3g);
    case Function::kBts:
      return generation_bit(Generation::k2g);
    default:
      break;
  }
  switch (function_domain(f)) {
    case Domain::kCore5g:
      return k5g;
    case Domain::kCore4g:
      return generation_bit(Generation::k4g);
    default:
      return 0;
  }
}

bool has_own_generation(Function f) {
  Domain d = function_domain(f);
  return d == Domain::kRan || d == Domain::kCore5g || d == Domain::kCore4g;
}

std::string_view interface_name(Interface i) { return kInterfaceNames[static_cast<int>(i)]; }
std::optional<Interface> parse_interface(std::string_view s) { return parse_from<Interface>(kInterfaceNames, s); }
std::vector<std::string_view> interface_names() { return list_of(kInterfaceNames); }
std::string_view sensitive_kind_name(SensitiveKind k) { return kSensitiveNames[static_cast<int>(k)]; }
std::optional<SensitiveKind> parse_sensitive_kind(std::string_view s) {
  return parse_from<SensitiveKind>(kSensitiveNames, s);
}
std::vector<std::string_view> sensitive_kind_names() { return list_of(kSensitiveNames); }

std::string_view protection_name(Protection p) {
  switch (p) {
    case kEncrypted: return "encrypted";
    case kIntegrity: return "integrity";
    case kMonitored: return "monitored";
    default: return "none";
  }
}
std::optional<Protection> parse_protection(std::string_view s) {
  if (s == "encrypted") return kEncrypted;
  if (s == "integrity") return kIntegrity;
  if (s == "monitored") return kMonitored;
  return std::nullopt;
}

void TagColumn::push_row(std::span<const StrId> tags) {
  ids.insert(ids.end(), tags.begin(), tags.end());
  offsets.push_back(static_cast<uint32_t>(ids.size()));
}

SiteIdx Network::add_site(std::string_view id) { return add_site(strings.intern(id)); }

SiteIdx Network::add_site(StrId sid) {
  SiteIdx idx = static_cast<SiteIdx>(sites.size());
  sites.id.push_back(sid);
  sites.name.push_back(0);
  sites.region.push_back(0);
  sites.lat.push_back(std::nan(""));
  sites.lon.push_back(std::nan(""));
  sites.tags.push_row({});
  sites.line.push_back(0);
  index_row(site_by_str_, sid, idx);
  return idx;
}

ComponentIdx Network::add_component(std::string_view id, Function function) {
  return add_component(strings.intern(id), function);
}

ComponentIdx Network::add_component(StrId cid, Function function) {
  ComponentIdx idx = static_cast<ComponentIdx>(components.size());
  auto& c = components;
  c.id.push_back(cid);
  c.name.push_back(0);
  c.function.push_back(function);
  c.generation.push_back(Generation::kAny);
  c.vendor.push_back(0);
  c.model.push_back(0);
  c.software.push_back(0);
  c.site.push_back(kNone);
  c.parent.push_back(kNone);
  c.subscribers.push_back(0);
  c.cells.push_back(0);
  c.tags.push_row({});
  c.line.push_back(0);
  index_row(component_by_str_, cid, idx);
  return idx;
}

LinkIdx Network::add_link(ComponentIdx a, ComponentIdx b, Interface interface, uint8_t protection) {
  LinkIdx idx = static_cast<LinkIdx>(links.size());
  links.a.push_back(a);
  links.b.push_back(b);
  links.interface.push_back(interface);
  links.protection.push_back(protection);
  links.line.push_back(0);
  return idx;
}

uint32_t Network::add_sensitive(std::string_view id, double lat, double lon, double radius_km, SensitiveKind kind) {
  uint32_t idx = static_cast<uint32_t>(sensitive.size());
  sensitive.id.push_back(strings.intern(id));
  sensitive.name.push_back(0);
  sensitive.lat.push_back(lat);
  sensitive.lon.push_back(lon);
  sensitive.radius_km.push_back(radius_km);
  sensitive.kind.push_back(kind);
  sensitive.line.push_back(0);
  return idx;
}

void Network::index_row(std::vector<uint32_t>& by_str, StrId id, uint32_t row) {
  if (id >= by_str.size()) by_str.resize(std::max<size_t>(id + 1, by_str.size() * 2), kNone);
  if (by_str[id] == kNone) by_str[id] = row;  // duplicates: the first row wins
}

std::optional<uint32_t> Network::lookup(const std::vector<uint32_t>& by_str, std::optional<StrId> id) {
  if (!id || *id >= by_str.size() || by_str[*id] == kNone) return std::nullopt;
  return by_str[*id];
}

std::optional<SiteIdx> Network::find_site(std::string_view id) const {
  return lookup(site_by_str_, strings.find(id));
}

std::optional<ComponentIdx> Network::find_component(std::string_view id) const {
  return lookup(component_by_str_, strings.find(id));
}

void Network::reindex() {
  site_by_str_.assign(strings.size(), kNone);
  component_by_str_.assign(strings.size(), kNone);
  for (SiteIdx s = 0; s < sites.size(); ++s) index_row(site_by_str_, sites.id[s], s);
  for (ComponentIdx c = 0; c < components.size(); ++c) index_row(component_by_str_, components.id[c], c);
}

void Network::reserve(size_t site_rows, size_t component_rows, size_t link_rows) {
  auto& s = sites;
  for (auto* v : {&s.id, &s.name, &s.region}) v->reserve(site_rows);
  s.lat.reserve(site_rows);
  s.lon.reserve(site_rows);
  s.line.reserve(site_rows);
  s.tags.offsets.reserve(site_rows + 1);
  auto& c = components;
  for (auto* v : {&c.id, &c.name, &c.vendor, &c.model, &c.software, &c.site, &c.parent, &c.line})
    v->reserve(component_rows);
  c.function.reserve(component_rows);
  c.generation.reserve(component_rows);
  c.subscribers.reserve(component_rows);
  c.cells.reserve(component_rows);
  c.tags.offsets.reserve(component_rows + 1);
  auto& l = links;
  l.a.reserve(link_rows);
  l.b.reserve(link_rows);
  l.line.reserve(link_rows);
  l.interface.reserve(link_rows);
  l.protection.reserve(link_rows);
  strings.reserve(strings.size() + site_rows + component_rows);
}

Network clone(const Network& net) {
  Network out;
  out.netvet_version = net.netvet_version;
  out.operator_name = net.operator_name;
  out.country = net.country;
  out.source_file = net.source_file;
  out.strings = net.strings.copy();  // same ids, so columns copy verbatim
  out.sites = net.sites;
  out.components = net.components;
  out.links = net.links;
  out.sensitive = net.sensitive;
  out.site_by_str_ = net.site_by_str_;
  out.component_by_str_ = net.component_by_str_;
  return out;
}

Proposal clone(const Proposal& p) {
  Proposal c;
  c.title = p.title;
  c.source_file = p.source_file;
  c.add = clone(p.add);
  c.add_site_ref = p.add_site_ref;
  c.add_parent_ref = p.add_parent_ref;
  c.remove_components = p.remove_components;
  c.remove_sites = p.remove_sites;
  c.remove_links = p.remove_links;
  c.change = p.change;
  c.add_links = p.add_links;
  return c;
}

double great_circle_km(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kEarthRadiusKm = 6371.0088;  // IUGG mean radius
  constexpr double kRad = M_PI / 180.0;
  double dlat = (lat2 - lat1) * kRad, dlon = (lon2 - lon1) * kRad;
  double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
             std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(a)));
}

}  // namespace netvet
