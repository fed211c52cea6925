// NetBox import: REST API JSON (pages, `?limit=0` lists, combined objects) and
// Django `manage.py dumpdata` arrays into a Network.
//
// Records are gathered into compact per-kind tables keyed by NetBox primary key
// (records may come in any order and across files), then resolved in one pass:
// device -> device type -> manufacturer, device -> role -> function, device ->
// site -> region, and cables traced end to end so a path through patch panels
// (front port -> rear port) or a provider circuit becomes one link between the
// devices at its ends.
#include <fmt/format.h>
#include <simdjson.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "json_records.h"

#include "netvet/import.h"
#include "netvet/inference.h"

namespace netvet {

LineCol line_col_at(std::string_view text, size_t offset) { return importer::LineIndex(text).at(offset); }

namespace importer {

Expected<simdjson::padded_string> load_padded(const std::string& path, size_t max_bytes) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return Status::io(fmt::format("{}: cannot read: {}", path, ec.message()));
  if (size > max_bytes)
    return Status::bad_input(fmt::format("{}: file is {} bytes, over the {} byte limit", path, size, max_bytes));
  auto r = simdjson::padded_string::load(path);
  if (r.error()) return Status::io(fmt::format("{}: cannot read: {}", path, simdjson::error_message(r.error())));
  return std::move(r).value_unsafe();
}

}  // namespace importer

namespace {

using importer::bool_field;
using importer::element;
using importer::field;
using importer::int_field;
using importer::num_field;
using importer::str_field;

// ---------------------------------------------------------------------------
// Role map

struct RoleDefault {
  const char* key;
  Function function;
  const char* tag;
};

// Why these: NetBox's stock and demo role names. Passive and power gear has no
// function of its own in netvet's taxonomy, so it lands in the transport domain
// with a tag that says what it really is; the user can override per role.
constexpr RoleDefault kRoleDefaults[] = {
    {"router", Function::kRouter, nullptr},
    {"core-router", Function::kRouter, nullptr},
    {"edge-router", Function::kRouter, nullptr},
    {"border-router", Function::kRouter, nullptr},
    {"pe-router", Function::kRouter, nullptr},
    {"cell-site-router", Function::kRouter, nullptr},
    {"switch", Function::kSwitch, nullptr},
    {"core-switch", Function::kSwitch, nullptr},
    {"distribution-switch", Function::kSwitch, nullptr},
    {"access-switch", Function::kSwitch, nullptr},
    {"tor-switch", Function::kSwitch, nullptr},
    {"leaf-switch", Function::kSwitch, nullptr},
    {"spine-switch", Function::kSwitch, nullptr},
    {"oob-switch", Function::kSwitch, "oob"},
    {"firewall", Function::kFirewall, nullptr},
    {"security-gateway", Function::kSecGw, nullptr},
    {"load-balancer", Function::kRouter, "load-balancer"},
    {"console-server", Function::kNms, "console-server"},
    {"pdu", Function::kSwitch, "pdu"},
    {"patch-panel", Function::kOptical, "passive"},
    {"optical", Function::kOptical, nullptr},
    {"dwdm", Function::kOptical, nullptr},
    {"microwave", Function::kMicrowave, nullptr},
    {"server", Function::kNfvi, nullptr},
    {"application-server", Function::kNfvi, nullptr},
    {"database-server", Function::kNfvi, nullptr},
    {"hypervisor", Function::kNfvi, nullptr},
    {"wireless-ap", Function::kSmallCell, "wifi"},
    {"access-point", Function::kSmallCell, "wifi"},
    {"base-station", Function::kGnb, nullptr},
    {"gnodeb", Function::kGnb, nullptr},
    {"enodeb", Function::kEnb, nullptr},
    {"olt", Function::kOlt, nullptr},
    {"cpe", Function::kCpe, nullptr},
    {"camera", Function::kCamera, nullptr},
};

}  // namespace

RoleMap RoleMap::defaults() {
  RoleMap m;
  for (const auto& d : kRoleDefaults) {
    Entry e;
    e.function = d.function;
    if (d.tag) e.tags.push_back(d.tag);
    m.roles[normalize_name(d.key)] = e;
  }
  return m;
}

const RoleMap::Entry* RoleMap::find(std::string_view role) const {
  auto it = roles.find(normalize_name(role));
  return it == roles.end() ? nullptr : &it->second;
}

namespace {

SourceLoc yaml_loc_at(const std::string& file, const YAML::Mark& m) {
  if (m.line < 0) return {file, 0, 0, {}};  // yaml-cpp's null mark
  return {file, static_cast<uint32_t>(m.line + 1), static_cast<uint32_t>(m.column + 1), {}};
}

SourceLoc yaml_loc(const std::string& file, const YAML::Node& n) { return yaml_loc_at(file, n.Mark()); }

std::optional<Function> yaml_function(const YAML::Node& n, const std::string& file, Diagnostics& diags) {
  if (!n.IsScalar()) {
    diags.error(yaml_loc(file, n), "expected a function name");
    return std::nullopt;
  }
  auto s = n.as<std::string>();
  auto f = parse_function(s);
  if (!f) {
    auto hint = did_you_mean(s, function_names());
    diags.error(yaml_loc(file, n),
                fmt::format("unknown function \"{}\"{}", s, hint ? fmt::format(" (did you mean \"{}\"?)", *hint) : ""));
  }
  return f;
}

std::optional<Interface> yaml_interface(const YAML::Node& n, const std::string& file, Diagnostics& diags) {
  if (!n.IsScalar()) {
    diags.error(yaml_loc(file, n), "expected an interface name");
    return std::nullopt;
  }
  auto s = n.as<std::string>();
  auto i = parse_interface(s);
  if (!i) {
    auto hint = did_you_mean(s, interface_names());
    diags.error(yaml_loc(file, n), fmt::format("unknown interface \"{}\"{}", s,
                                               hint ? fmt::format(" (did you mean \"{}\"?)", *hint) : ""));
  }
  return i;
}

// A role's generation or domain by name; nullopt after a located error (with
// did-you-mean) when netvet does not know the name.
template <typename T>
std::optional<T> role_value(const YAML::Node& n, std::string_view what, const std::string& role,
                            const std::string& file, Diagnostics& diags, std::optional<T> (*parse)(std::string_view),
                            std::vector<std::string_view> (*names)()) {
  auto s = n.IsScalar() ? n.as<std::string>() : std::string();
  auto value = parse(s);
  if (!value) {
    auto hint = did_you_mean(s, names());
    diags.error(yaml_loc(file, n), fmt::format("role \"{}\": unknown {} \"{}\"{}", role, what, s,
                                               hint ? fmt::format(" (did you mean \"{}\"?)", *hint) : ""));
  }
  return value;
}

}  // namespace

Expected<RoleMap> parse_role_map(std::string_view text, const std::string& file, Diagnostics& diags) {
  RoleMap m = RoleMap::defaults();  // a user file overrides and extends the defaults
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::ParserException& e) {
    diags.error(yaml_loc_at(file, e.mark), e.msg);
    return diags.to_status();
  }
  if (!root.IsMap()) {
    diags.error({file, 1, 1, {}}, "expected a mapping with `roles:` (docs/import.md)");
    return diags.to_status();
  }
  // A hand-written file may put a list or a mapping where a name belongs
  // (a `? [a, b]` key, `tags: [[x]]`): yaml-cpp throws on the conversion, and
  // that becomes an error at the node's place instead of ending the import.
  try {
    static const std::vector<std::string_view> kTop = {"netvet", "roles", "fallback", "vm_fallback", "links"};
    for (auto it : root) {
      auto key = it.first.as<std::string>();
      if (std::find(kTop.begin(), kTop.end(), key) == kTop.end()) {
        auto hint = did_you_mean(key, kTop);
        diags.error(yaml_loc(file, it.first),
                    fmt::format("unknown key \"{}\"{}", key, hint ? fmt::format(" (did you mean \"{}\"?)", *hint) : ""));
      }
    }
    if (auto roles = root["roles"]) {
      if (!roles.IsMap()) {
        diags.error(yaml_loc(file, roles), "`roles` must map a NetBox role to a function");
      } else {
        for (auto it : roles) {
          auto role = it.first.as<std::string>();
          RoleMap::Entry e;
          const YAML::Node& v = it.second;
          if (v.IsScalar()) {
            auto f = yaml_function(v, file, diags);
            if (!f) continue;
            e.function = *f;
          } else if (v.IsMap()) {
            static const std::vector<std::string_view> kEntryKeys = {"function", "generation", "domain", "tags"};
            bool bad_key = false;
            for (auto kv : v) {
              auto key = kv.first.as<std::string>();
              if (std::find(kEntryKeys.begin(), kEntryKeys.end(), key) != kEntryKeys.end()) continue;
              auto hint = did_you_mean(key, kEntryKeys);
              diags.error(yaml_loc(file, kv.first),
                          fmt::format("role \"{}\": unknown key \"{}\"{} (a role sets function, generation, domain, tags)",
                                      role, key, hint ? fmt::format(" (did you mean \"{}\"?)", *hint) : ""));
              bad_key = true;
            }
            if (bad_key) continue;
            if (!v["function"]) {
              diags.error(yaml_loc(file, v), fmt::format("role \"{}\" needs `function:`", role));
              continue;
            }
            auto f = yaml_function(v["function"], file, diags);
            if (!f) continue;
            e.function = *f;
            if (auto g = v["generation"]) {
              e.generation = role_value(g, "generation", role, file, diags, parse_generation, generation_names);
              if (!e.generation) continue;
            }
            if (auto d = v["domain"]) {
              e.domain = role_value(d, "domain", role, file, diags, parse_domain, domain_names);
              if (!e.domain) continue;
            }
            if (auto tags = v["tags"]) {
              if (!tags.IsSequence()) {
                diags.error(yaml_loc(file, tags), "`tags` must be a list");
              } else {
                for (auto t : tags) e.tags.push_back(t.as<std::string>());
              }
            }
          } else {
            diags.error(yaml_loc(file, v),
                        fmt::format("role \"{}\": expected a function or {{function, generation, domain, tags}}", role));
            continue;
          }
          m.roles[normalize_name(role)] = e;
        }
      }
    }
    if (auto f = root["fallback"]) {
      if (auto fn = yaml_function(f, file, diags)) m.fallback = *fn;
    }
    if (auto f = root["vm_fallback"]) {
      if (auto fn = yaml_function(f, file, diags)) m.vm_fallback = *fn;
    }
    if (auto links = root["links"]) {
      if (!links.IsMap()) {
        diags.error(yaml_loc(file, links), "`links` must be a mapping (default, mgmt_only, cable_types)");
      } else {
        if (auto d = links["default"])
          if (auto i = yaml_interface(d, file, diags)) m.link_default = *i;
        if (auto d = links["mgmt_only"])
          if (auto i = yaml_interface(d, file, diags)) m.link_mgmt = *i;
        if (auto ct = links["cable_types"]) {
          if (!ct.IsMap()) {
            diags.error(yaml_loc(file, ct), "`cable_types` must map a NetBox cable type to an interface");
          } else {
            for (auto it : ct)
              if (auto i = yaml_interface(it.second, file, diags)) m.cable_types[it.first.as<std::string>()] = *i;
          }
        }
      }
    }
  } catch (const YAML::BadConversion& e) {
    diags.error(yaml_loc_at(file, e.mark), "expected a single value here (a name), not a list or a mapping");
  } catch (const YAML::Exception& e) {
    diags.error(yaml_loc_at(file, e.mark), e.msg);
  }
  if (diags.has_errors()) return diags.to_status();
  return m;
}

Expected<RoleMap> load_role_map(const std::string& path, Diagnostics& diags) {
  auto text = importer::load_padded(path, size_t{16} << 20);
  if (!text) {
    diags.error(SourceLoc{path, 0, 0, {}}, text.error().message());
    return text.error();
  }
  return parse_role_map(std::string_view(text->data(), text->size()), path, diags);
}

namespace {

// ---------------------------------------------------------------------------
// Intermediate tables

// Primary key -> row. Dense vector while keys stay near the row count (NetBox
// pks are sequential); a hash map for the rest so a hostile pk cannot make us
// allocate gigabytes.
template <typename T>
class PkTable {
 public:
  T* find(int64_t pk) {
    if (pk >= 0 && static_cast<uint64_t>(pk) < dense_.size()) return has_[pk] ? &dense_[pk] : nullptr;
    auto it = sparse_.find(pk);
    return it == sparse_.end() ? nullptr : &it->second;
  }
  bool contains(int64_t pk) { return find(pk) != nullptr; }
  // Returns the row (new rows default-constructed) and whether it is new.
  std::pair<T*, bool> put(int64_t pk) {
    if (T* t = find(pk)) return {t, false};
    ++count_;
    if (pk >= 0 && static_cast<uint64_t>(pk) < 2 * count_ + (1u << 16)) {
      if (static_cast<uint64_t>(pk) >= dense_.size()) {
        size_t n = std::max<size_t>(pk + 1, dense_.size() * 3 / 2);
        dense_.resize(n);
        has_.resize(n, 0);
      }
      has_[pk] = 1;
      return {&dense_[pk], true};
    }
    return {&sparse_[pk], true};
  }
  size_t size() const { return count_; }
  template <typename F>
  void for_each(F fn) {
    for (size_t i = 0; i < dense_.size(); ++i)
      if (has_[i]) fn(static_cast<int64_t>(i), dense_[i]);
    for (auto& [pk, row] : sparse_) fn(pk, row);
  }

 private:
  std::vector<T> dense_;
  std::vector<uint8_t> has_;
  std::unordered_map<int64_t, T> sparse_;
  size_t count_ = 0;
};

constexpr int64_t kNoPk = INT64_MIN;

struct NamedRow {
  std::string name, slug;
  int64_t ref = kNoPk;  // manufacturer (device type, platform), parent (region)
};

struct SiteRow {
  std::string name, slug, region_name;
  int64_t region = kNoPk;
  double lat = std::nan(""), lon = std::nan("");
  uint32_t line = 0;
  bool full = false;  // a site record, not just a brief object inside a device
  size_t order = 0;
};

struct DeviceRow {
  std::string name, status;
  // The device's own custom fields `generation` and `domain` (stated by the
  // inventory, so they win over the role map's and are not marked inferred).
  std::optional<Generation> generation;
  std::optional<Domain> domain;
  int64_t device_type = kNoPk, role = kNoPk, site = kNoPk, platform = kNoPk, parent = kNoPk, cluster = kNoPk;
  uint32_t line = 0;
  size_t order = 0;
};

struct PortRow {
  int64_t device = kNoPk;
  int64_t rear_port = kNoPk;  // front ports
  int32_t position = 1;       // front ports: rear_port_position; rear ports: positions
  bool mgmt_only = false;     // interfaces
};

enum class TermType : uint8_t { kInterface, kFrontPort, kRearPort, kCircuit, kOther };

struct Termination {
  int64_t cable;
  char end;  // 'A' or 'B'
  TermType type;
  int64_t id;
};

struct CableRow {
  std::string type, status;
  uint32_t line = 0;
};

TermType term_type(std::string_view model) {
  // dumpdata: ["dcim","interface"] joined by the caller; REST: "dcim.interface".
  if (model == "dcim.interface") return TermType::kInterface;
  if (model == "dcim.frontport") return TermType::kFrontPort;
  if (model == "dcim.rearport") return TermType::kRearPort;
  if (model == "circuits.circuittermination") return TermType::kCircuit;
  return TermType::kOther;
}

enum class Kind {
  kUnknown,
  kSite,
  kRegion,
  kManufacturer,
  kDeviceType,
  kDeviceRole,
  kPlatform,
  kDevice,
  kInterface,
  kFrontPort,
  kRearPort,
  kCable,
  kCableTermination,
  kCircuitTermination,
  kDeviceBay,
  kVirtualMachine,
  kCluster,
  kIgnored,  // known NetBox objects netvet has no use for (ip addresses, vlans, users...)
};

// Tokens found in REST endpoint paths, combined-file keys and file names,
// longest first so "devicetypes" is not read as "device".
struct KindToken {
  const char* token;
  Kind kind;
};
constexpr KindToken kKindTokens[] = {
    {"virtualmachine", Kind::kVirtualMachine},
    {"circuittermination", Kind::kCircuitTermination},
    {"cabletermination", Kind::kCableTermination},
    {"manufacturer", Kind::kManufacturer},
    {"devicetype", Kind::kDeviceType},
    {"devicerole", Kind::kDeviceRole},
    {"devicebay", Kind::kDeviceBay},
    {"frontport", Kind::kFrontPort},
    {"interface", Kind::kInterface},
    {"rearport", Kind::kRearPort},
    {"platform", Kind::kPlatform},
    {"cluster", Kind::kCluster},
    {"region", Kind::kRegion},
    {"device", Kind::kDevice},
    {"cable", Kind::kCable},
    {"role", Kind::kDeviceRole},
    {"site", Kind::kSite},
};

Kind kind_from_name(std::string_view name) {
  std::string n = normalize_name(name);
  // Endpoints netvet skips on purpose but whose names contain a token above.
  for (const char* skip : {"trace", "vminterface", "interfacetemplate", "frontporttemplate", "rearporttemplate",
                           "sitegroup", "cablepath", "consoleport", "powerport", "devicebaytemplate", "clustertype",
                           "clustergroup", "rackrole", "moduletype", "iprole", "contactrole"})
    if (n.find(skip) != std::string::npos) return Kind::kIgnored;
  for (const auto& t : kKindTokens)
    if (n.find(t.token) != std::string::npos) return t.kind;
  return Kind::kUnknown;
}

Kind kind_from_model(std::string_view model) {
  static const std::unordered_map<std::string_view, Kind> kModels = {
      {"dcim.site", Kind::kSite},
      {"dcim.region", Kind::kRegion},
      {"dcim.manufacturer", Kind::kManufacturer},
      {"dcim.devicetype", Kind::kDeviceType},
      {"dcim.devicerole", Kind::kDeviceRole},
      {"dcim.platform", Kind::kPlatform},
      {"dcim.device", Kind::kDevice},
      {"dcim.interface", Kind::kInterface},
      {"dcim.frontport", Kind::kFrontPort},
      {"dcim.rearport", Kind::kRearPort},
      {"dcim.cable", Kind::kCable},
      {"dcim.cabletermination", Kind::kCableTermination},
      {"circuits.circuittermination", Kind::kCircuitTermination},
      {"dcim.devicebay", Kind::kDeviceBay},
      {"virtualization.virtualmachine", Kind::kVirtualMachine},
      {"virtualization.cluster", Kind::kCluster},
  };
  auto it = kModels.find(model);
  return it == kModels.end() ? Kind::kIgnored : it->second;
}

// REST objects carry their own URL (".../api/dcim/devices/12/"): the most
// reliable kind, whatever the file is called.
Kind kind_from_url(std::string_view url) {
  auto api = url.find("/api/");
  if (api == std::string_view::npos) return Kind::kUnknown;
  std::string_view rest = url.substr(api + 5);
  auto slash = rest.find('/');
  if (slash == std::string_view::npos) return Kind::kUnknown;
  rest = rest.substr(slash + 1);  // "devices/12/"
  slash = rest.find('/');
  return kind_from_name(rest.substr(0, slash));
}

// Last resort for REST lists in files with uninformative names.
Kind kind_from_shape(element o) {
  if (field(o, "a_terminations") || field(o, "termination_a_type")) return Kind::kCable;
  if (field(o, "device_type") && (field(o, "role") || field(o, "device_role"))) return Kind::kDevice;
  if (field(o, "rear_port")) return Kind::kFrontPort;
  if (field(o, "positions") && field(o, "device")) return Kind::kRearPort;
  if (field(o, "term_side")) return Kind::kCircuitTermination;
  if (field(o, "cluster") && field(o, "vcpus").has_value() + field(o, "memory").has_value() >= 0 &&
      !field(o, "device_type") && field(o, "name") && !field(o, "device"))
    return Kind::kVirtualMachine;
  if (field(o, "device") && field(o, "mgmt_only")) return Kind::kInterface;
  if (field(o, "manufacturer") && field(o, "model")) return Kind::kDeviceType;
  if (field(o, "vm_role")) return Kind::kDeviceRole;
  if (field(o, "devicetype_count") || field(o, "inventoryitem_count")) return Kind::kManufacturer;
  if (field(o, "physical_address") || field(o, "facility") || field(o, "time_zone")) return Kind::kSite;
  return Kind::kUnknown;
}

// A foreign key: an int (dumpdata) or a brief object with "id" (REST).
int64_t ref(element o, std::string_view key) {
  auto v = field(o, key);
  if (!v) return kNoPk;
  if (v->is_object()) return int_field(*v, "id").value_or(kNoPk);
  int64_t i;
  if (v->get_int64().get(i) == simdjson::SUCCESS) return i;
  return kNoPk;
}

// REST status is {"value": "active", "label": "Active"}; dumpdata a plain string.
std::string status_of(element o) {
  auto v = field(o, "status");
  if (!v) return {};
  std::string_view s;
  if (v->get_string().get(s) == simdjson::SUCCESS) return std::string(s);
  if (v->is_object()) {
    if (v->get_object().at_key("value").get_string().get(s) == simdjson::SUCCESS) return std::string(s);
  }
  return {};
}

// A PostgreSQL or MySQL dump: comments and SQL statements where JSON should be.
bool looks_like_sql_dump(std::string_view text) {
  std::string_view head = text.substr(0, 4096);
  for (std::string_view mark : {"PostgreSQL database dump", "MySQL dump", "CREATE TABLE", "COPY public.",
                                "INSERT INTO", "SET statement_timeout"}) {
    if (head.find(mark) != std::string_view::npos) return true;
  }
  return false;
}

class NetboxImporter {
 public:
  NetboxImporter(const RoleMap& roles, Diagnostics& diags, ImportSummary* summary, const ReadLimits& limits)
      : roles_(roles), diags_(diags), summary_(summary ? *summary : own_summary_), limits_(limits) {}

  // One input text (inside a simdjson padded buffer).
  bool add_text(std::string_view text, const std::string& file) {
    file_ = file;
    lines_.emplace(text);
    text_ = text;
    importer::JsonScanner s(text, limits_.max_depth);
    Kind file_kind = kind_from_name(std::filesystem::path(file).filename().string());
    bool ok = true;
    char first = s.peek();
    if (first == '[') {
      ok = importer::for_each_element(s, [&](size_t b, size_t e) { return record(b, e, file_kind); });
    } else if (first == '{' && single_record(text)) {
      // One object as the REST API (and pynetbox) returns it for /api/dcim/devices/1/.
      const size_t b = s.pos();
      single_object_ = true;
      ok = s.skip_value() && record(b, s.pos(), file_kind);
      single_object_ = false;
    } else if (first == '{') {
      // A REST page ({count,next,previous,results}) or a combined object of lists keyed by endpoint.
      ok = importer::for_each_member(s, [&](const std::string& key, size_t) { return member(s, key, file_kind); });
    } else if (looks_like_sql_dump(text)) {
      s.fail(
          "this is a SQL database dump (pg_dump), not NetBox JSON; netvet does not read SQL. Export JSON "
          "instead: `manage.py dumpdata --indent 2 > netbox.json` on the NetBox host, or the REST API "
          "(`curl -H 'Authorization: Token ...' 'https://netbox/api/dcim/devices/?limit=0' > devices.json`, "
          "likewise sites, device-types, manufacturers, device-roles, cables, interfaces)");
      ok = false;
    } else {
      s.fail(first ? std::string("expected a JSON array or object, found '") + first + "'" : "empty input");
      ok = false;
    }
    if (ok && !s.at_end()) ok = s.fail("unexpected text after the JSON value");
    if (!ok) {
      diags_.error(lines_->loc(file_, s.error_pos()), s.error());
      return false;
    }
    return !diags_.has_errors();
  }

  Expected<Network> finish();

 private:
  // A single record has an `id` at the top, where a page has `results` and a
  // combined object has endpoint names.
  bool single_record(std::string_view text) const {
    importer::JsonScanner t(text, limits_.max_depth);
    bool id = false, results = false;
    (void)importer::for_each_member(t, [&](const std::string& key, size_t) {
      id |= key == "id";
      results |= key == "results";
      return t.skip_value();
    });
    return id && !results;
  }

  bool member(importer::JsonScanner& s, const std::string& key, Kind file_kind) {
    if (key == "results") {
      if (s.peek() == '[')
        return importer::for_each_element(s, [&](size_t b, size_t e) { return record(b, e, file_kind); });
      return s.skip_value();
    }
    Kind k = kind_from_name(key);
    if (k == Kind::kUnknown || k == Kind::kIgnored) return s.skip_value();
    if (s.peek() == '[') return importer::for_each_element(s, [&](size_t b, size_t e) { return record(b, e, k); });
    if (s.peek() == '{') {
      // {"dcim/devices": {"count": .., "results": [...]}}
      return importer::for_each_member(s, [&](const std::string& inner, size_t) {
        if (inner == "results" && s.peek() == '[')
          return importer::for_each_element(s, [&](size_t b, size_t e) { return record(b, e, k); });
        return s.skip_value();
      });
    }
    return s.skip_value();
  }

  bool record(size_t b, size_t e, Kind hint) {
    if (diags_.full()) return false;
    if (hint == Kind::kIgnored) {
      ++summary_.records["ignored"];
      return true;
    }
    element doc;
    auto err = parser_.parse(text_.data() + b, e - b, false).get(doc);
    if (err) {
      diags_.error(lines_->loc(file_, b), fmt::format("invalid JSON in this record: {}", simdjson::error_message(err)));
      return !diags_.full();
    }
    if (!doc.is_object()) {
      diags_.error(lines_->loc(file_, b), "expected an object (a NetBox record)");
      return !diags_.full();
    }
    cur_line_ = lines_->at(b).line;
    cur_off_ = b;
    // dumpdata: {"model": "dcim.device", "pk": 1, "fields": {...}}
    std::string_view model = str_field(doc, "model");
    auto fields = field(doc, "fields");
    if (!model.empty() && fields && fields->is_object()) {
      Kind k = kind_from_model(model);
      ++summary_.records[std::string(model)];
      if (k == Kind::kIgnored) return true;
      auto pk = int_field(doc, "pk");
      if (!pk) {
        diags_.error(lines_->loc(file_, b), fmt::format("{} record without an integer \"pk\"", model));
        return !diags_.full();
      }
      return ingest(k, *pk, *fields, true);
    }
    Kind k = kind_from_url(str_field(doc, "url"));
    if (k == Kind::kUnknown) k = hint;
    if (k == Kind::kUnknown) k = kind_from_shape(doc);
    if (k == Kind::kUnknown) {
      ++summary_.records["unknown"];
      if (!warned_unknown_) {
        diags_.warning(lines_->loc(file_, b),
                       "cannot tell which NetBox object this is (no url, no telling file name); skipped");
        warned_unknown_ = true;
      }
      return true;
    }
    ++summary_.records[kind_label(k)];
    if (k == Kind::kIgnored) return true;
    auto id = int_field(doc, "id");
    if (!id) {
      diags_.error(lines_->loc(file_, b), fmt::format("NetBox {} without an integer \"id\"", kind_label(k)));
      return !diags_.full();
    }
    return ingest(k, *id, doc, false);
  }

  static std::string kind_label(Kind k) {
    switch (k) {
      case Kind::kSite:
        return "site";
      case Kind::kRegion:
        return "region";
      case Kind::kManufacturer:
        return "manufacturer";
      case Kind::kDeviceType:
        return "device-type";
      case Kind::kDeviceRole:
        return "device-role";
      case Kind::kPlatform:
        return "platform";
      case Kind::kDevice:
        return "device";
      case Kind::kInterface:
        return "interface";
      case Kind::kFrontPort:
        return "front-port";
      case Kind::kRearPort:
        return "rear-port";
      case Kind::kCable:
        return "cable";
      case Kind::kCableTermination:
        return "cable-termination";
      case Kind::kCircuitTermination:
        return "circuit-termination";
      case Kind::kDeviceBay:
        return "device-bay";
      case Kind::kVirtualMachine:
        return "virtual-machine";
      case Kind::kCluster:
        return "cluster";
      case Kind::kIgnored:
        return "ignored";
      case Kind::kUnknown:
        break;
    }
    return "unknown";
  }

  // Brief nested objects in REST records name what they point at; remember
  // them so a device resolves even when its manufacturer list was not exported.
  // The custom fields `generation` and `domain` (dumpdata: custom_field_data;
  // REST: custom_fields). A value netvet does not know is reported and left
  // unstated, so the assessment still asks for it.
  void read_custom_fields(element f, DeviceRow& row) {
    for (const char* key : {"custom_field_data", "custom_fields"}) {
      auto cf = field(f, key);
      if (!cf || !cf->is_object()) continue;
      if (std::string_view v = str_field(*cf, "generation"); !v.empty()) {
        row.generation = parse_generation(v);
        if (!row.generation) unknown_custom_value("generation", v, generation_names());
      }
      if (std::string_view v = str_field(*cf, "domain"); !v.empty()) {
        row.domain = parse_domain(v);
        if (!row.domain) unknown_custom_value("domain", v, domain_names());
      }
    }
  }
  template <class Names>
  void unknown_custom_value(std::string_view field_name, std::string_view v, const Names& names) {
    auto hint = did_you_mean(v, names);
    diags_.warning(lines_->loc(file_, cur_off_),
                   fmt::format("custom field {} \"{}\" is not one netvet knows{}; the device's {} is left unstated",
                               field_name, v, hint ? fmt::format(" (did you mean \"{}\"?)", *hint) : "", field_name));
  }

  void brief_named(PkTable<NamedRow>& t, element o, std::string_view key, std::string_view ref_key = {},
                   PkTable<NamedRow>* ref_table = nullptr) {
    auto v = field(o, key);
    if (!v || !v->is_object()) return;
    auto id = int_field(*v, "id");
    if (!id) return;
    auto [row, fresh] = t.put(*id);
    if (row->name.empty()) row->name = std::string(str_field(*v, "name"));
    if (row->name.empty()) row->name = std::string(str_field(*v, "model"));  // device types
    if (row->slug.empty()) row->slug = std::string(str_field(*v, "slug"));
    if (!ref_key.empty() && row->ref == kNoPk) {
      row->ref = ref(*v, ref_key);
      if (ref_table) brief_named(*ref_table, *v, ref_key);
    }
    (void)fresh;
  }

  void brief_site(element o) {
    auto v = field(o, "site");
    if (!v || !v->is_object()) return;
    auto id = int_field(*v, "id");
    if (!id) return;
    auto [row, fresh] = sites_.put(*id);
    if (fresh) {
      row->order = site_order_++;
      row->line = cur_line_;
    }
    if (row->name.empty()) row->name = std::string(str_field(*v, "name"));
    if (row->slug.empty()) row->slug = std::string(str_field(*v, "slug"));
  }

  void brief_device(element o, std::string_view key) {
    // Ports embedded in cable terminations: {"device": {"id": 3, "name": "r1"}}.
    auto v = field(o, key);
    if (!v || !v->is_object()) return;
    auto id = int_field(*v, "id");
    if (!id) return;
    auto [row, fresh] = brief_devices_.put(*id);
    if (fresh) row->name = std::string(str_field(*v, "name"));
  }

  bool ingest(Kind k, int64_t pk, element f, bool dump) {
    switch (k) {
      case Kind::kSite: {
        auto [row, fresh] = sites_.put(pk);
        if (fresh || !row->full) {
          if (fresh) row->order = site_order_++;
          row->line = cur_line_;
        }
        row->full = true;
        row->name = std::string(str_field(f, "name"));
        row->slug = std::string(str_field(f, "slug"));
        row->region = ref(f, "region");
        if (auto r = field(f, "region"); r && r->is_object()) row->region_name = std::string(str_field(*r, "name"));
        if (auto v = num_field(f, "latitude")) row->lat = *v;
        if (auto v = num_field(f, "longitude")) row->lon = *v;
        return true;
      }
      case Kind::kRegion: {
        auto [row, fresh] = regions_.put(pk);
        row->name = std::string(str_field(f, "name"));
        row->slug = std::string(str_field(f, "slug"));
        row->ref = ref(f, "parent");
        return true;
      }
      case Kind::kManufacturer: {
        auto [row, fresh] = manufacturers_.put(pk);
        row->name = std::string(str_field(f, "name"));
        row->slug = std::string(str_field(f, "slug"));
        return true;
      }
      case Kind::kDeviceType: {
        auto [row, fresh] = device_types_.put(pk);
        row->name = std::string(str_field(f, "model"));
        row->slug = std::string(str_field(f, "slug"));
        row->ref = ref(f, "manufacturer");
        if (!dump) brief_named(manufacturers_, f, "manufacturer");
        return true;
      }
      case Kind::kDeviceRole:
      case Kind::kPlatform: {
        auto& t = k == Kind::kDeviceRole ? roles_t_ : platforms_;
        auto [row, fresh] = t.put(pk);
        row->name = std::string(str_field(f, "name"));
        row->slug = std::string(str_field(f, "slug"));
        row->ref = ref(f, "manufacturer");
        if (!dump) brief_named(manufacturers_, f, "manufacturer");
        return true;
      }
      case Kind::kDevice:
      case Kind::kVirtualMachine: {
        auto& t = k == Kind::kDevice ? devices_ : vms_;
        auto [row, fresh] = t.put(pk);
        // A single-object response (device.json, /api/dcim/devices/1/) beside
        // the list that holds the same device is one device, not two, in
        // whichever order the files come.
        const bool seen_single = single_pks_.count({static_cast<int>(k), pk}) != 0;
        if (!fresh && single_object_) return true;
        if (single_object_) single_pks_.insert({static_cast<int>(k), pk});
        if (!fresh && !seen_single) {
          diags_.error(lines_->loc(file_, cur_off_),
                       fmt::format("{} id {} appears twice (first on line {})", kind_label(k), pk, row->line));
          return !diags_.full();
        }
        row->order = k == Kind::kDevice ? device_order_++ : vm_order_++;
        row->line = cur_line_;
        row->name = std::string(str_field(f, "name"));
        row->status = status_of(f);
        read_custom_fields(f, *row);
        row->device_type = ref(f, "device_type");
        // NetBox 4 calls it `role`; 3.x REST called it `device_role`.
        row->role = ref(f, "role");
        if (row->role == kNoPk) row->role = ref(f, "device_role");
        row->site = ref(f, "site");
        row->platform = ref(f, "platform");
        row->cluster = ref(f, "cluster");
        row->parent = k == Kind::kDevice ? ref(f, "parent_device") : ref(f, "device");
        if (!dump) {
          brief_named(device_types_, f, "device_type", "manufacturer", &manufacturers_);
          brief_named(roles_t_, f, "role");
          brief_named(roles_t_, f, "device_role");
          brief_named(platforms_, f, "platform");
          brief_site(f);
          if (auto c = field(f, "cluster"); c && c->is_object() && row->cluster != kNoPk) {
            auto [cr, cf] = clusters_.put(row->cluster);
            if (cf) cr->ref = ref(*c, "site");
          }
        }
        return true;
      }
      case Kind::kCluster: {
        auto [row, fresh] = clusters_.put(pk);
        row->name = std::string(str_field(f, "name"));
        row->ref = ref(f, "site");  // NetBox <4.2; 4.2 uses scope
        if (row->ref == kNoPk && str_field(f, "scope_type") == "dcim.site") row->ref = ref(f, "scope_id");
        if (!dump) brief_site(f);
        return true;
      }
      case Kind::kInterface:
      case Kind::kFrontPort:
      case Kind::kRearPort: {
        auto& t = k == Kind::kInterface ? interfaces_ : k == Kind::kFrontPort ? front_ports_ : rear_ports_;
        auto [row, fresh] = t.put(pk);
        row->device = ref(f, "device");
        if (!dump) brief_device(f, "device");
        if (k == Kind::kInterface) row->mgmt_only = bool_field(f, "mgmt_only").value_or(false);
        if (k == Kind::kFrontPort) {
          row->rear_port = ref(f, "rear_port");
          row->position = static_cast<int32_t>(int_field(f, "rear_port_position").value_or(1));
        }
        if (k == Kind::kRearPort) row->position = static_cast<int32_t>(int_field(f, "positions").value_or(1));
        return true;
      }
      case Kind::kCircuitTermination: {
        auto [row, fresh] = circuit_terms_.put(pk);
        row->device = ref(f, "circuit");  // reused column: the circuit
        std::string_view side = str_field(f, "term_side");
        if (side.empty())
          if (auto v = field(f, "term_side"); v && v->is_object()) side = str_field(*v, "value");
        row->position = side == "Z" ? 'Z' : 'A';
        return true;
      }
      case Kind::kDeviceBay: {
        int64_t host = ref(f, "device"), child = ref(f, "installed_device");
        if (host != kNoPk && child != kNoPk) bays_.emplace_back(child, host);
        return true;
      }
      case Kind::kCableTermination: {
        // dumpdata 3.3+: termination_type is a natural key ["dcim", "interface"].
        auto tt = field(f, "termination_type");
        std::string model;
        if (tt && tt->is_array()) {
          for (auto part : tt->get_array()) {
            std::string_view s;
            if (part.get_string().get(s) == simdjson::SUCCESS) model += (model.empty() ? "" : ".") + std::string(s);
          }
        } else if (tt) {
          std::string_view s;
          if (tt->get_string().get(s) == simdjson::SUCCESS) model = s;
        }
        std::string_view end = str_field(f, "cable_end");
        int64_t cable = ref(f, "cable"), id = ref(f, "termination_id");
        if (cable == kNoPk || id == kNoPk || (end != "A" && end != "B")) {
          diags_.error(lines_->loc(file_, cur_off_),
                       "cable termination needs cable, cable_end (A|B) and termination_id");
          return !diags_.full();
        }
        terms_.push_back({cable, end[0], term_type(model), id});
        return true;
      }
      case Kind::kCable: {
        auto [row, fresh] = cables_.put(pk);
        row->type = std::string(str_field(f, "type"));
        row->status = status_of(f);
        row->line = cur_line_;
        if (dump) return true;  // dumpdata keeps ends in cabletermination rows
        // REST 3.3+: a_terminations/b_terminations; REST 2.x-3.2: termination_a_type/_id.
        for (char end : {'A', 'B'}) {
          std::string list = end == 'A' ? "a_terminations" : "b_terminations";
          if (auto ts = field(f, list); ts && ts->is_array()) {
            for (auto t : ts->get_array()) {
              std::string_view type = str_field(t, "object_type");
              if (type.empty()) type = str_field(t, "termination_type");
              int64_t id = ref(t, "object_id");
              if (id == kNoPk) id = ref(t, "termination_id");
              if (id == kNoPk) continue;
              TermType tt = term_type(type);
              if (auto obj = field(t, "object")) note_embedded_port(tt, id, *obj);
              terms_.push_back({pk, end, tt, id});
            }
          } else {
            std::string p = end == 'A' ? "termination_a" : "termination_b";
            std::string_view type = str_field(f, p + "_type");
            int64_t id = ref(f, p + "_id");
            if (id == kNoPk) continue;
            TermType tt = term_type(type);
            if (auto obj = field(f, p)) note_embedded_port(tt, id, *obj);
            terms_.push_back({pk, end, tt, id});
          }
        }
        return true;
      }
      case Kind::kUnknown:
      case Kind::kIgnored:
        return true;
    }
    return true;
  }

  void note_embedded_port(TermType tt, int64_t id, element obj) {
    if (tt == TermType::kInterface) {
      auto [row, fresh] = interfaces_.put(id);
      if (row->device == kNoPk) row->device = ref(obj, "device");
      if (auto m = bool_field(obj, "mgmt_only")) row->mgmt_only = *m;
      brief_device(obj, "device");
    } else if (tt == TermType::kFrontPort || tt == TermType::kRearPort) {
      auto [row, fresh] = (tt == TermType::kFrontPort ? front_ports_ : rear_ports_).put(id);
      if (row->device == kNoPk) row->device = ref(obj, "device");
      brief_device(obj, "device");
    } else if (tt == TermType::kCircuit) {
      auto [row, fresh] = circuit_terms_.put(id);
      if (row->device == kNoPk) row->device = ref(obj, "circuit");
      std::string_view side = str_field(obj, "term_side");
      if (!side.empty()) row->position = side == "Z" ? 'Z' : 'A';
    }
  }

  void trace_links(Network& net);

  const RoleMap& roles_;
  Diagnostics& diags_;
  ImportSummary own_summary_;
  ImportSummary& summary_;
  ReadLimits limits_;
  simdjson::dom::parser parser_;
  std::string file_;
  std::string_view text_;
  std::optional<importer::LineIndex> lines_;
  uint32_t cur_line_ = 0;
  size_t cur_off_ = 0;
  bool warned_unknown_ = false;

  PkTable<SiteRow> sites_;
  PkTable<NamedRow> regions_, manufacturers_, device_types_, roles_t_, platforms_, clusters_, brief_devices_;
  PkTable<DeviceRow> devices_, vms_;
  PkTable<PortRow> interfaces_, front_ports_, rear_ports_, circuit_terms_;
  PkTable<CableRow> cables_;
  std::vector<Termination> terms_;
  std::vector<std::pair<int64_t, int64_t>> bays_;  // installed device -> host device
  size_t site_order_ = 0, device_order_ = 0, vm_order_ = 0;
  bool single_object_ = false;  // add_text is reading a single-object response
  std::set<std::pair<int, int64_t>> single_pks_;  // (kind, pk) read from single-object responses
  // Filled by finish(): NetBox device pk -> component.
  std::unordered_map<int64_t, ComponentIdx> device_comp_;
};

// Component ids must be unique; NetBox names need not be (names are unique per
// site and tenant, and may be empty).
std::string unique_id(std::string base, int64_t pk, const char* prefix, std::unordered_set<std::string>& used) {
  if (base.empty()) base = fmt::format("{}-{}", prefix, pk);
  if (used.insert(base).second) return base;
  std::string alt = fmt::format("{}-{}{}", base, prefix[0] == 'v' ? "vm" : "", pk);
  while (!used.insert(alt).second) alt += "_";
  return alt;
}

Expected<Network> NetboxImporter::finish() {
  Network net;
  net.source_file = file_;
  if (diags_.has_errors()) return diags_.to_status();

  // Sites, in order of first appearance.
  std::vector<std::pair<size_t, int64_t>> order;
  sites_.for_each([&](int64_t pk, SiteRow& r) { order.emplace_back(r.order, pk); });
  std::sort(order.begin(), order.end());
  std::unordered_map<int64_t, SiteIdx> site_idx;
  for (auto [o, pk] : order) {
    SiteRow& row = *sites_.find(pk);
    std::string id = !row.slug.empty() ? row.slug : !row.name.empty() ? row.name : fmt::format("site-{}", pk);
    if (net.find_site(id)) id = fmt::format("{}-{}", id, pk);
    SiteIdx s = net.add_site(id);
    net.sites.name[s] = net.strings.intern(row.name);
    std::string region = row.region_name;
    if (region.empty() && row.region != kNoPk)
      if (auto* r = regions_.find(row.region)) region = r->name;
    net.sites.region[s] = net.strings.intern(region);
    net.sites.lat[s] = row.lat;
    net.sites.lon[s] = row.lon;
    net.sites.line[s] = row.line;
    site_idx.emplace(pk, s);
  }
  auto site_of = [&](int64_t pk) -> SiteIdx {
    auto it = site_idx.find(pk);
    return it == site_idx.end() ? kNone : it->second;
  };

  std::unordered_set<std::string> used;
  std::vector<std::pair<ComponentIdx, int64_t>> parent_refs;  // component -> NetBox device pk
  std::vector<StrId> tags;
  auto add_tag = [&](std::string_view t) { tags.push_back(net.strings.intern(t)); };

  auto add_rows = [&](PkTable<DeviceRow>& table, bool vm) {
    std::vector<std::pair<size_t, int64_t>> rows;
    table.for_each([&](int64_t pk, DeviceRow& r) { rows.emplace_back(r.order, pk); });
    std::sort(rows.begin(), rows.end());
    for (auto [o, pk] : rows) {
      DeviceRow& d = *table.find(pk);
      std::string_view role_slug, role_name;
      if (auto* r = roles_t_.find(d.role)) role_slug = r->slug, role_name = r->name;
      const RoleMap::Entry* entry = nullptr;
      if (!role_slug.empty()) entry = roles_.find(role_slug);
      if (!entry && !role_name.empty()) entry = roles_.find(role_name);
      Function fn = vm ? roles_.vm_fallback : roles_.fallback;
      if (entry) {
        fn = entry->function;
      } else if (!vm) {
        ++summary_.unmapped_roles[std::string(!role_slug.empty()   ? role_slug
                                              : !role_name.empty() ? role_name
                                                                   : "(none)")];
      }
      std::string id = unique_id(d.name, pk, vm ? "vm" : "device", used);
      ComponentIdx c = net.add_component(id, fn);
      device_comp_[vm ? -1 - pk : pk] = c;  // VMs share no pk space with devices
      net.components.name[c] = net.strings.intern(d.name);
      net.components.line[c] = d.line;
      std::string vendor, model;
      if (!vm) {
        if (auto* dt = device_types_.find(d.device_type)) {
          model = dt->name;
          if (auto* m = manufacturers_.find(dt->ref)) vendor = m->name;
        }
      }
      NamedRow* platform = platforms_.find(d.platform);
      if (vendor.empty() && platform)
        if (auto* m = manufacturers_.find(platform->ref)) vendor = m->name;
      net.components.vendor[c] = net.strings.intern(vendor);
      net.components.model[c] = net.strings.intern(model);
      ++summary_.vendors[vendor];
      int64_t site = d.site;
      if (site == kNoPk && d.cluster != kNoPk)
        if (auto* cl = clusters_.find(d.cluster)) site = cl->ref;
      net.components.site[c] = site == kNoPk ? kNone : site_of(site);
      if (d.parent != kNoPk) parent_refs.emplace_back(c, d.parent);
      tags.clear();
      if (!role_slug.empty()) add_tag(fmt::format("netbox-role:{}", role_slug));
      if (platform && !platform->slug.empty()) add_tag(fmt::format("platform:{}", platform->slug));
      if (!d.status.empty() && d.status != "active") add_tag(fmt::format("netbox-status:{}", d.status));
      if (vm) {
        add_tag("vm");
        if (auto* cl = clusters_.find(d.cluster); cl && !cl->name.empty())
          add_tag(fmt::format("netbox-cluster:{}", cl->name));
      }
      // What the device's custom fields state wins over what its role implies;
      // a value taken from the role is marked inferred (inference.h).
      const std::string role_basis = fmt::format("netbox-role:{}", !role_slug.empty() ? role_slug : role_name);
      if (d.generation) {
        net.components.generation[c] = *d.generation;
      } else if (entry && entry->generation) {
        net.components.generation[c] = *entry->generation;
        add_tag(fmt::format("{}generation={}", kInferredTagPrefix, role_basis));
      }
      if (d.domain) {
        add_tag(fmt::format("domain:{}", domain_name(*d.domain)));
      } else if (entry && entry->domain) {
        add_tag(fmt::format("domain:{}", domain_name(*entry->domain)));
        add_tag(fmt::format("{}domain:{}={}", kInferredTagPrefix, domain_name(*entry->domain), role_basis));
      }
      if (entry) {
        for (const auto& t : entry->tags) add_tag(t);
        // A router or a server may be part of the 5G core or of management:
        // unless NetBox or the role map says, the assessment asks for it.
        const Domain fd = function_domain(fn);
        if (!d.domain && !entry->domain && (fd == Domain::kTransport || fd == Domain::kVirtualisation))
          add_tag(kDomainUnstatedTag);
      } else {
        // A placeholder: the assessment counts it as unjudged wherever a rule
        // selects on function or domain (docs/assessment.md, "Coverage").
        add_tag(kFallbackFunctionTag);
      }
      // TagColumn rows were pushed by add_component; replace this row's (empty) tags.
      net.components.tags.ids.insert(net.components.tags.ids.end(), tags.begin(), tags.end());
      net.components.tags.offsets.back() += static_cast<uint32_t>(tags.size());
    }
  };
  add_rows(devices_, false);
  add_rows(vms_, true);

  for (auto [child, host] : bays_) {
    auto c = device_comp_.find(child), h = device_comp_.find(host);
    if (c != device_comp_.end() && h != device_comp_.end()) net.components.parent[c->second] = h->second;
  }
  for (auto [c, host] : parent_refs) {
    auto h = device_comp_.find(host);
    if (h != device_comp_.end() && h->second != c) net.components.parent[c] = h->second;
  }

  trace_links(net);
  summary_.sites = net.sites.size();
  summary_.components = net.components.size();
  summary_.links = net.links.size();
  return net;
}

// Follows every cable from each interface to the interfaces at the far end of
// the path, through patch panels (front port -> rear port -> cable -> rear port
// -> front port at the same position) and provider circuits (A side -> Z side).
void NetboxImporter::trace_links(Network& net) {
  // Terminations grouped by cable, then end.
  std::sort(terms_.begin(), terms_.end(), [](const Termination& a, const Termination& b) {
    return std::tie(a.cable, a.end, a.type, a.id) < std::tie(b.cable, b.end, b.type, b.id);
  });
  terms_.erase(std::unique(terms_.begin(), terms_.end(),
                           [](const Termination& a, const Termination& b) {
                             return a.cable == b.cable && a.end == b.end && a.type == b.type && a.id == b.id;
                           }),
               terms_.end());
  auto key = [](TermType t, int64_t id) { return (static_cast<uint64_t>(id) << 3) ^ static_cast<uint64_t>(t); };
  std::unordered_map<uint64_t, uint32_t> term_at;  // (type, id) -> index in terms_
  term_at.reserve(terms_.size());
  for (uint32_t i = 0; i < terms_.size(); ++i) term_at.emplace(key(terms_[i].type, terms_[i].id), i);
  // Cable -> [begin of A, begin of B, end) in terms_.
  struct Range {
    uint32_t a, b, e;
  };
  std::unordered_map<int64_t, Range> cable_range;
  for (uint32_t i = 0; i < terms_.size();) {
    uint32_t j = i;
    while (j < terms_.size() && terms_[j].cable == terms_[i].cable) ++j;
    uint32_t mid = i;
    while (mid < j && terms_[mid].end == 'A') ++mid;
    cable_range[terms_[i].cable] = {i, mid, j};
    i = j;
  }
  // Rear port + position -> front port; circuit + side -> circuit termination.
  std::unordered_map<uint64_t, int64_t> front_of;
  std::unordered_map<int64_t, std::vector<int64_t>> fronts_of_rear;
  front_ports_.for_each([&](int64_t pk, PortRow& r) {
    if (r.rear_port == kNoPk) return;
    front_of[(static_cast<uint64_t>(r.rear_port) << 16) ^ static_cast<uint32_t>(r.position)] = pk;
    fronts_of_rear[r.rear_port].push_back(pk);
  });
  std::unordered_map<uint64_t, int64_t> circuit_side;
  circuit_terms_.for_each([&](int64_t pk, PortRow& r) {
    if (r.device != kNoPk) circuit_side[(static_cast<uint64_t>(r.device) << 1) | (r.position == 'Z')] = pk;
  });

  auto comp_of_device = [&](int64_t dev) -> ComponentIdx {
    auto it = device_comp_.find(dev);
    return it == device_comp_.end() ? kNone : it->second;
  };

  std::set<std::pair<int64_t, int64_t>> seen_pairs;  // interface pairs already linked
  std::unordered_set<int64_t> cables_used;
  struct State {
    uint32_t term;                   // termination we arrive at (on a cable)
    std::vector<int32_t> positions;  // rear-port positions to return through
    std::vector<int64_t> cables;
    int depth;
  };
  constexpr int kMaxHops = 64;  // why: a cabling loop in the data must not hang the import
  std::vector<State> stack;
  for (uint32_t start = 0; start < terms_.size(); ++start) {
    const Termination& st = terms_[start];
    if (st.type != TermType::kInterface) continue;
    PortRow* sif = interfaces_.find(st.id);
    if (!sif) continue;
    stack.clear();
    stack.push_back({start, {}, {}, 0});
    while (!stack.empty()) {
      State s = std::move(stack.back());
      stack.pop_back();
      const Termination& t = terms_[s.term];
      auto rit = cable_range.find(t.cable);
      if (rit == cable_range.end() || s.depth > kMaxHops) continue;
      Range r = rit->second;
      uint32_t pb = t.end == 'A' ? r.b : r.a, pe = t.end == 'A' ? r.e : r.b;
      s.cables.push_back(t.cable);
      for (uint32_t p = pb; p < pe; ++p) {
        const Termination& peer = terms_[p];
        auto continue_from = [&](TermType type, int64_t id, std::vector<int32_t> pos) {
          auto it = term_at.find(key(type, id));
          if (it != term_at.end()) stack.push_back({it->second, std::move(pos), s.cables, s.depth + 1});
        };
        switch (peer.type) {
          case TermType::kInterface: {
            if (s.term != start && peer.id == st.id) break;
            int64_t lo = std::min(st.id, peer.id), hi = std::max(st.id, peer.id);
            if (!seen_pairs.insert({lo, hi}).second) break;
            PortRow* pif = interfaces_.find(peer.id);
            if (!pif) break;
            ComponentIdx a = comp_of_device(sif->device), b = comp_of_device(pif->device);
            if (a == kNone || b == kNone || a == b) break;
            Interface itf = roles_.link_default;
            if (auto* cab = cables_.find(s.cables.front())) {
              auto ct = roles_.cable_types.find(cab->type);
              if (ct != roles_.cable_types.end()) itf = ct->second;
            }
            if (sif->mgmt_only || pif->mgmt_only) itf = roles_.link_mgmt;
            LinkIdx l = net.add_link(a, b, itf);
            if (auto* cab = cables_.find(s.cables.front())) net.links.line[l] = cab->line;
            if (s.cables.size() > 1) ++summary_.traced_links;
            for (auto c : s.cables) cables_used.insert(c);
            break;
          }
          case TermType::kFrontPort: {
            PortRow* fp = front_ports_.find(peer.id);
            if (!fp || fp->rear_port == kNoPk) break;
            auto pos = s.positions;
            pos.push_back(fp->position);
            continue_from(TermType::kRearPort, fp->rear_port, std::move(pos));
            break;
          }
          case TermType::kRearPort: {
            auto pos = s.positions;
            if (!pos.empty()) {
              int32_t want = pos.back();
              pos.pop_back();
              auto f = front_of.find((static_cast<uint64_t>(peer.id) << 16) ^ static_cast<uint32_t>(want));
              if (f != front_of.end()) continue_from(TermType::kFrontPort, f->second, std::move(pos));
            } else {
              // Entered from the rear with no position to return through: only
              // a single-position rear port leads to one front port.
              auto fr = fronts_of_rear.find(peer.id);
              if (fr != fronts_of_rear.end() && fr->second.size() == 1)
                continue_from(TermType::kFrontPort, fr->second[0], std::move(pos));
            }
            break;
          }
          case TermType::kCircuit: {
            PortRow* ct = circuit_terms_.find(peer.id);
            if (!ct || ct->device == kNoPk) break;
            auto other = circuit_side.find((static_cast<uint64_t>(ct->device) << 1) | (ct->position != 'Z'));
            if (other != circuit_side.end()) continue_from(TermType::kCircuit, other->second, s.positions);
            break;
          }
          case TermType::kOther:
            break;
        }
      }
    }
  }
  summary_.skipped_cables = cables_.size() > cables_used.size() ? cables_.size() - cables_used.size() : 0;
}

Status read_netbox_input(NetboxImporter& imp, const std::string& path, const ReadLimits& limits, Diagnostics& diags) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    std::vector<std::string> files;
    for (auto& e : std::filesystem::directory_iterator(path, ec))
      if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path().string());
    if (ec) return Status::io(fmt::format("{}: cannot list: {}", path, ec.message()));
    std::sort(files.begin(), files.end());
    if (files.empty()) return Status::bad_input(fmt::format("{}: no *.json files in this folder", path));
    for (const auto& f : files) {
      Status s = read_netbox_input(imp, f, limits, diags);
      if (!s) return s;
    }
    return Status::ok();
  }
  auto text = importer::load_padded(path, limits.max_bytes);
  if (!text) {
    diags.error(SourceLoc{path, 0, 0, {}}, text.error().message());
    return text.error();
  }
  if (!imp.add_text(std::string_view(text->data(), text->size()), path)) return diags.to_status();
  return Status::ok();
}

}  // namespace

std::optional<PlannedSplit> split_planned(Network& net) {
  auto& k = net.components;
  const size_t n = k.size();
  std::vector<uint8_t> planned(n, 0);
  std::vector<StrId> statuses;
  for (const char* t : {"netbox-status:planned", "netbox-status:staged"}) {
    if (auto id = net.strings.find(t)) statuses.push_back(*id);
  }
  bool any = false;
  for (ComponentIdx c = 0; c < n; ++c) {
    for (StrId t : k.tags.row(c)) {
      if (std::find(statuses.begin(), statuses.end(), t) != statuses.end()) planned[c] = any = true;
    }
  }
  if (!any) return std::nullopt;
  // A board inside planned equipment is planned with it (parents may come later in the table).
  for (bool changed = true; changed;) {
    changed = false;
    for (ComponentIdx c = 0; c < n; ++c) {
      if (!planned[c] && k.parent[c] != kNone && k.parent[c] < n && planned[k.parent[c]]) {
        planned[c] = 1;
        changed = true;
      }
    }
  }

  using ojson = nlohmann::ordered_json;
  PlannedSplit out;
  ojson comps = ojson::array(), links = ojson::array();
  for (ComponentIdx c = 0; c < n; ++c) {
    if (!planned[c]) continue;
    ojson o = ojson::object();
    o["id"] = net.component_id(c);
    if (k.name[c]) o["name"] = net.str(k.name[c]);
    o["function"] = function_name(k.function[c]);
    if (k.generation[c] != Generation::kAny) o["generation"] = generation_name(k.generation[c]);
    if (k.vendor[c]) o["vendor"] = net.str(k.vendor[c]);
    if (k.model[c]) o["model"] = net.str(k.model[c]);
    if (k.software[c]) o["software"] = net.str(k.software[c]);
    if (k.site[c] != kNone) o["site"] = net.site_id(k.site[c]);
    if (k.parent[c] != kNone) o["parent"] = net.component_id(k.parent[c]);
    ojson tags = ojson::array();
    for (StrId t : k.tags.row(c)) tags.push_back(net.str(t));
    if (!tags.empty()) o["tags"] = std::move(tags);
    comps.push_back(std::move(o));
    ++out.components;
  }
  std::vector<LinkIdx> kept_links;
  for (LinkIdx l = 0; l < net.links.size(); ++l) {
    const ComponentIdx a = net.links.a[l], b = net.links.b[l];
    if (!(a < n && planned[a]) && !(b < n && planned[b])) {
      kept_links.push_back(l);
      continue;
    }
    ojson row = ojson::array({net.component_id(a), net.component_id(b), interface_name(net.links.interface[l])});
    ojson prot = ojson::array();
    for (Protection p : {kEncrypted, kIntegrity, kMonitored}) {
      if (net.links.protection[l] & p) prot.push_back(protection_name(p));
    }
    if (!prot.empty()) row.push_back(std::move(prot));
    links.push_back(std::move(row));
    ++out.links;
  }
  ojson doc = ojson::object();
  doc["netvet"] = 1;
  doc["proposal"] = "NetBox devices with status planned or staged";
  doc["add"] = {{"components", std::move(comps)}, {"links", std::move(links)}};
  out.proposal_json = doc.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";

  // The live network keeps the other rows, indices remapped.
  std::vector<ComponentIdx> remap(n, kNone);
  ComponentTable live;
  for (ComponentIdx c = 0; c < n; ++c) {
    if (planned[c]) continue;
    remap[c] = static_cast<ComponentIdx>(live.id.size());
    live.id.push_back(k.id[c]);
    live.name.push_back(k.name[c]);
    live.function.push_back(k.function[c]);
    live.generation.push_back(k.generation[c]);
    live.vendor.push_back(k.vendor[c]);
    live.model.push_back(k.model[c]);
    live.software.push_back(k.software[c]);
    live.site.push_back(k.site[c]);
    live.parent.push_back(k.parent[c]);
    live.subscribers.push_back(k.subscribers[c]);
    live.cells.push_back(k.cells[c]);
    live.tags.push_row(k.tags.row(c));
    live.line.push_back(k.line[c]);
  }
  for (auto& p : live.parent) p = p == kNone ? kNone : remap[p];
  LinkTable live_links;
  for (LinkIdx l : kept_links) {
    live_links.a.push_back(remap[net.links.a[l]]);
    live_links.b.push_back(remap[net.links.b[l]]);
    live_links.interface.push_back(net.links.interface[l]);
    live_links.protection.push_back(net.links.protection[l]);
    live_links.line.push_back(net.links.line[l]);
  }
  net.components = std::move(live);
  net.links = std::move(live_links);
  net.reindex();
  return out;
}

Expected<Network> import_netbox(const std::vector<std::string>& inputs, const RoleMap& roles, Diagnostics& diags,
                                ImportSummary* summary, const ReadLimits& limits) {
  NetboxImporter imp(roles, diags, summary, limits);
  if (inputs.empty()) return Status::bad_input("no NetBox input given");
  for (const auto& in : inputs) {
    Status s = read_netbox_input(imp, in, limits, diags);
    if (!s) return diags.has_errors() ? diags.to_status() : s;
  }
  auto net = imp.finish();
  if (net) net->source_file = inputs.front();
  return net;
}

Expected<Network> import_netbox_text(std::string_view text, const std::string& file, const RoleMap& roles,
                                     Diagnostics& diags, ImportSummary* summary, const ReadLimits& limits) {
  if (text.size() > limits.max_bytes) return Status::bad_input(fmt::format("{}: input over the size limit", file));
  simdjson::padded_string padded(text);
  NetboxImporter imp(roles, diags, summary, limits);
  if (!imp.add_text(std::string_view(padded.data(), padded.size()), file)) return diags.to_status();
  return imp.finish();
}

}  // namespace netvet
