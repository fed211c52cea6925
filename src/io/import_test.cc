// Importer tests: the real third-party data in shared/fixtures (read in place,
// skipped when absent) plus small hand-written inputs for the edge cases.
// Expected counts are computed from the fixture itself with nlohmann (an
// independent reader), never written in as numbers.
#include "netvet/import.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace netvet {
namespace {

namespace fs = std::filesystem;

std::string fixtures() { return NETVET_FIXTURES_DIR; }
std::string source_dir() { return NETVET_SOURCE_DIR; }

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

#define REQUIRE_FIXTURE(path)                                                                              \
  do {                                                                                                     \
    if (!fs::exists(path)) GTEST_SKIP() << "fixture not found: " << (path) << " (shared/fixtures absent)"; \
  } while (0)

bool has_tag(const Network& net, ComponentIdx c, std::string_view tag) {
  for (auto t : net.components.tags.row(c))
    if (net.str(t) == tag) return true;
  return false;
}

// ---------------------------------------------------------------------------
// NetBox dumpdata (the demo inventory)

class NetboxDemo : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    path_ = fixtures() + "/netbox/netbox-demo-v3.6.json";
    if (!fs::exists(path_)) return;
    dump_ = nlohmann::json::parse(slurp(path_));
    Diagnostics diags;
    auto net = import_netbox({path_}, RoleMap::defaults(), diags, &summary_);
    ASSERT_TRUE(net) << diags.format();
    net_ = std::make_unique<Network>(std::move(*net));
  }
  static void TearDownTestSuite() { net_.reset(); }
  void SetUp() override { REQUIRE_FIXTURE(path_); }

  // pk -> fields of one model, read by nlohmann.
  static std::map<int64_t, nlohmann::json> rows(const std::string& model) {
    std::map<int64_t, nlohmann::json> out;
    for (const auto& r : dump_)
      if (r.value("model", "") == model && r.contains("pk")) out[r["pk"].get<int64_t>()] = r["fields"];
    return out;
  }

  static inline std::string path_;
  static inline nlohmann::json dump_;
  static inline ImportSummary summary_;
  static inline std::unique_ptr<Network> net_;
};

TEST_F(NetboxDemo, EveryDeviceAndVirtualMachineLands) {
  auto devices = rows("dcim.device");
  auto vms = rows("virtualization.virtualmachine");
  ASSERT_FALSE(devices.empty());
  EXPECT_EQ(net_->components.size(), devices.size() + vms.size());
  size_t vm_tagged = 0;
  for (ComponentIdx c = 0; c < net_->components.size(); ++c) vm_tagged += has_tag(*net_, c, "vm");
  EXPECT_EQ(vm_tagged, vms.size());
  // Every named device keeps its name; ids are unique.
  std::set<std::string> ids;
  for (ComponentIdx c = 0; c < net_->components.size(); ++c) ids.insert(std::string(net_->component_id(c)));
  EXPECT_EQ(ids.size(), net_->components.size());
  for (const auto& [pk, f] : devices) {
    if (!f["name"].is_string()) continue;
    bool found = false;
    for (ComponentIdx c = 0; c < net_->components.size() && !found; ++c)
      found = net_->str(net_->components.name[c]) == f["name"].get<std::string>();
    EXPECT_TRUE(found) << f["name"];
  }
}

TEST_F(NetboxDemo, VendorsAreManufacturerNamesThroughDeviceTypes) {
  auto devices = rows("dcim.device");
  auto types = rows("dcim.devicetype");
  auto makers = rows("dcim.manufacturer");
  std::map<std::string, size_t> want;
  for (const auto& [pk, f] : devices)
    want[makers.at(types.at(f["device_type"].get<int64_t>())["manufacturer"].get<int64_t>())["name"]]++;
  std::map<std::string, size_t> got;
  for (ComponentIdx c = 0; c < net_->components.size(); ++c)
    if (!has_tag(*net_, c, "vm")) got[std::string(net_->str(net_->components.vendor[c]))]++;
  EXPECT_EQ(got, want);
}

TEST_F(NetboxDemo, RolesMapToFunctionsAndSitesKeepRegions) {
  for (ComponentIdx c = 0; c < net_->components.size(); ++c) {
    if (has_tag(*net_, c, "netbox-role:router")) EXPECT_EQ(net_->components.function[c], Function::kRouter);
    if (has_tag(*net_, c, "netbox-role:core-switch")) EXPECT_EQ(net_->components.function[c], Function::kSwitch);
    if (has_tag(*net_, c, "netbox-role:patch-panel")) EXPECT_TRUE(has_tag(*net_, c, "passive"));
  }
  EXPECT_TRUE(summary_.unmapped_roles.empty()) << summary_.unmapped_roles.begin()->first;
  auto sites = rows("dcim.site");
  auto regions = rows("dcim.region");
  EXPECT_EQ(net_->sites.size(), sites.size());
  for (const auto& [pk, f] : sites) {
    auto s = net_->find_site(f["slug"].get<std::string>());
    ASSERT_TRUE(s) << f["slug"];
    EXPECT_EQ(net_->str(net_->sites.region[*s]), regions.at(f["region"].get<int64_t>())["name"].get<std::string>());
    EXPECT_GT(net_->sites.line[*s], 0u);
  }
  // Devices sit at their site.
  auto devices = rows("dcim.device");
  std::map<std::string, int> name_count;
  for (const auto& [pk, f] : devices)
    if (f["name"].is_string()) name_count[f["name"]]++;
  for (const auto& [pk, f] : devices) {
    if (!f["name"].is_string() || name_count[f["name"]] > 1) continue;  // duplicates get a suffixed id
    auto c = net_->find_component(f["name"].get<std::string>());
    ASSERT_TRUE(c) << f["name"];
    ASSERT_NE(net_->components.site[*c], kNone);
    EXPECT_EQ(net_->site_id(net_->components.site[*c]), sites.at(f["site"].get<int64_t>())["slug"].get<std::string>());
  }
}

TEST_F(NetboxDemo, DirectInterfaceCablesBecomeLinksBetweenTheirDevices) {
  auto terms = rows("dcim.cabletermination");
  auto ifaces = rows("dcim.interface");
  auto devices = rows("dcim.device");
  std::map<int64_t, std::map<std::string, std::vector<int64_t>>> ends;  // cable -> end -> interface ids
  std::set<int64_t> non_iface;
  for (const auto& [pk, f] : terms) {
    if (f["termination_type"] != nlohmann::json::array({"dcim", "interface"}))
      non_iface.insert(f["cable"].get<int64_t>());
    else
      ends[f["cable"].get<int64_t>()][f["cable_end"].get<std::string>()].push_back(f["termination_id"].get<int64_t>());
  }
  std::multiset<std::pair<std::string, std::string>> want;
  for (const auto& [cable, e] : ends) {
    if (non_iface.count(cable) || !e.count("A") || !e.count("B")) continue;
    auto name = [&](int64_t iface) {
      return devices.at(ifaces.at(iface)["device"].get<int64_t>())["name"].get<std::string>();
    };
    auto a = name(e.at("A")[0]), b = name(e.at("B")[0]);
    want.insert({std::min(a, b), std::max(a, b)});
  }
  ASSERT_GT(want.size(), 0u);
  std::multiset<std::pair<std::string, std::string>> got;
  for (LinkIdx l = 0; l < net_->links.size(); ++l) {
    std::string a(net_->str(net_->components.name[net_->links.a[l]]));
    std::string b(net_->str(net_->components.name[net_->links.b[l]]));
    got.insert({std::min(a, b), std::max(a, b)});
  }
  for (const auto& p : want) EXPECT_TRUE(got.count(p)) << p.first << " -- " << p.second;
}

// NetBox computed its own cable paths (dcim.cablepath): every complete path
// between two device interfaces must be a link, however many patch panels and
// circuits it crosses.
TEST_F(NetboxDemo, PathsThroughPatchPanelsAndCircuitsMatchNetboxCablePaths) {
  auto paths = rows("dcim.cablepath");
  auto ifaces = rows("dcim.interface");
  auto devices = rows("dcim.device");
  // contenttype natural keys are not numbered in the dump; find "dcim.interface"'s id from a
  // path whose origin is a known interface of a known device.
  std::set<std::pair<std::string, std::string>> want;
  size_t multi_hop = 0;
  for (const auto& [pk, f] : paths) {
    if (!f["is_complete"].get<bool>()) continue;
    const auto& p = f["path"];
    std::string o = p.front()[0], d = p.back()[0];
    auto split = [](const std::string& s) {
      return std::pair{s.substr(0, s.find(':')), std::stoll(s.substr(s.find(':') + 1))};
    };
    auto [ot, oid] = split(o);
    auto [dt, did] = split(d);
    if (ot != dt) continue;  // interface to something else
    if (!ifaces.count(oid) || !ifaces.count(did)) continue;
    auto dev = [&](int64_t i) { return devices.at(ifaces.at(i)["device"].get<int64_t>())["name"]; };
    if (!dev(oid).is_string() || !dev(did).is_string()) continue;
    std::string a = dev(oid), b = dev(did);
    if (a == b) continue;
    want.insert({std::min(a, b), std::max(a, b)});
    if (p.size() > 3) ++multi_hop;
  }
  ASSERT_GT(multi_hop, 0u) << "the demo has paths through patch panels";
  std::set<std::pair<std::string, std::string>> got;
  for (LinkIdx l = 0; l < net_->links.size(); ++l) {
    std::string a(net_->str(net_->components.name[net_->links.a[l]]));
    std::string b(net_->str(net_->components.name[net_->links.b[l]]));
    got.insert({std::min(a, b), std::max(a, b)});
  }
  for (const auto& p : want) EXPECT_TRUE(got.count(p)) << "missing traced link " << p.first << " -- " << p.second;
  EXPECT_GT(summary_.traced_links, 0u);
  for (LinkIdx l = 0; l < net_->links.size(); ++l) EXPECT_EQ(net_->links.interface[l], Interface::kTransport);
}

TEST_F(NetboxDemo, SummaryCountsManufacturers) {
  auto makers = rows("dcim.manufacturer");
  auto types = rows("dcim.devicetype");
  std::set<std::string> used;
  for (const auto& [pk, f] : rows("dcim.device"))
    used.insert(makers.at(types.at(f["device_type"].get<int64_t>())["manufacturer"].get<int64_t>())["name"]);
  for (const auto& m : used) EXPECT_TRUE(summary_.vendors.count(m)) << m;
  EXPECT_EQ(summary_.records["dcim.device"], rows("dcim.device").size());
}

// ---------------------------------------------------------------------------
// NetBox REST shapes

TEST(NetboxRest, PynetboxFixtureFolderImports) {
  std::string dir = fixtures() + "/netbox/api-responses-pynetbox";
  REQUIRE_FIXTURE(dir);
  Diagnostics diags;
  ImportSummary summary;
  auto net = import_netbox({dir}, RoleMap::defaults(), diags, &summary);
  ASSERT_TRUE(net) << diags.format();
  auto devices = nlohmann::json::parse(slurp(dir + "/devices.json"));
  // devices.json and device.json may share ids; the importer must not double them.
  std::set<int64_t> ids;
  for (const auto& d : devices["results"]) ids.insert(d["id"].get<int64_t>());
  EXPECT_GE(net->components.size(), ids.size());
  for (const auto& d : devices["results"]) {
    auto c = net->find_component(d["name"].get<std::string>());
    ASSERT_TRUE(c) << d["name"];
    EXPECT_EQ(net->str(net->components.vendor[*c]), d["device_type"]["manufacturer"]["name"].get<std::string>());
    EXPECT_EQ(net->str(net->components.model[*c]), d["device_type"]["model"].get<std::string>());
  }
}

TEST(NetboxRest, CombinedFileWithFourXCables) {
  // The NetBox 4.x shapes from the OpenAPI schema: role (not device_role),
  // status {value,label}, cable a_terminations/b_terminations with object_type.
  const char* text = R"({
  "dcim/sites": {"count": 1, "next": null, "previous": null, "results": [
    {"id": 7, "url": "http://nb/api/dcim/sites/7/", "name": "Auckland", "slug": "akl",
     "region": {"id": 2, "name": "Auckland Region", "slug": "akl-r"}, "latitude": -36.85, "longitude": 174.76}]},
  "dcim/devices": [
    {"id": 1, "name": "r1", "device_type": {"id": 3, "model": "NE8000 M8", "manufacturer": {"id": 9, "name": "Huawei"}},
     "role": {"id": 4, "name": "Router", "slug": "router"}, "site": {"id": 7, "name": "Auckland", "slug": "akl"},
     "status": {"value": "active", "label": "Active"}},
    {"id": 2, "name": "s1", "device_type": {"id": 5, "model": "7050", "manufacturer": {"id": 1, "name": "Arista"}},
     "role": {"id": 6, "name": "Mystery Box", "slug": "mystery-box"}, "site": {"id": 7},
     "status": {"value": "planned", "label": "Planned"}}],
  "dcim/cables": [
    {"id": 50, "type": "smf", "status": {"value": "connected"},
     "a_terminations": [{"object_type": "dcim.interface", "object_id": 100, "object": {"id": 100, "device": {"id": 1, "name": "r1"}, "name": "ge0"}}],
     "b_terminations": [{"object_type": "dcim.interface", "object_id": 200, "object": {"id": 200, "device": {"id": 2, "name": "s1"}, "name": "et1"}}]}]
})";
  Diagnostics diags;
  ImportSummary summary;
  auto net = import_netbox_text(text, "combined.json", RoleMap::defaults(), diags, &summary);
  ASSERT_TRUE(net) << diags.format();
  ASSERT_EQ(net->components.size(), 2u);
  ASSERT_EQ(net->sites.size(), 1u);
  EXPECT_EQ(net->site_id(0), "akl");
  EXPECT_EQ(net->str(net->sites.region[0]), "Auckland Region");
  EXPECT_DOUBLE_EQ(net->sites.lat[0], -36.85);
  auto r1 = *net->find_component("r1");
  auto s1 = *net->find_component("s1");
  EXPECT_EQ(net->str(net->components.vendor[r1]), "Huawei");
  EXPECT_EQ(net->components.site[s1], 0u);
  EXPECT_EQ(net->components.function[s1], RoleMap::defaults().fallback);
  EXPECT_EQ(summary.unmapped_roles["mystery-box"], 1u);
  EXPECT_TRUE(has_tag(*net, s1, "netbox-status:planned"));
  ASSERT_EQ(net->links.size(), 1u);
  EXPECT_EQ(net->links.line[0], 13u);  // the cable record's first line
  EXPECT_EQ(net->components.line[r1], 6u);
}

TEST(NetboxRest, RoleMapOverridesFunctionsAndCableInterfaces) {
  Diagnostics diags;
  auto roles = parse_role_map(R"(
roles:
  mystery-box: {function: olt, tags: [fibre]}
  Router: gnb
links:
  default: backhaul
  cable_types: {smf: fronthaul}
)",
                              "roles.yaml", diags);
  ASSERT_TRUE(roles) << diags.format();
  const char* text = R"([
 {"model": "dcim.devicerole", "pk": 1, "fields": {"name": "Mystery Box", "slug": "mystery-box"}},
 {"model": "dcim.devicerole", "pk": 2, "fields": {"name": "Router", "slug": "router"}},
 {"model": "dcim.device", "pk": 1, "fields": {"name": "a", "role": 1, "device_type": null, "site": null}},
 {"model": "dcim.device", "pk": 2, "fields": {"name": "b", "role": 2, "device_type": null, "site": null}},
 {"model": "dcim.interface", "pk": 10, "fields": {"device": 1, "name": "x", "mgmt_only": false}},
 {"model": "dcim.interface", "pk": 11, "fields": {"device": 2, "name": "y", "mgmt_only": false}},
 {"model": "dcim.cable", "pk": 5, "fields": {"type": "smf", "status": "connected"}},
 {"model": "dcim.cabletermination", "pk": 1, "fields": {"cable": 5, "cable_end": "A", "termination_type": ["dcim", "interface"], "termination_id": 10}},
 {"model": "dcim.cabletermination", "pk": 2, "fields": {"cable": 5, "cable_end": "B", "termination_type": ["dcim", "interface"], "termination_id": 11}}
])";
  auto net = import_netbox_text(text, "dump.json", *roles, diags);
  ASSERT_TRUE(net) << diags.format();
  EXPECT_EQ(net->components.function[*net->find_component("a")], Function::kOlt);
  EXPECT_TRUE(has_tag(*net, *net->find_component("a"), "fibre"));
  EXPECT_EQ(net->components.function[*net->find_component("b")], Function::kGnb);
  ASSERT_EQ(net->links.size(), 1u);
  EXPECT_EQ(net->links.interface[0], Interface::kFronthaul);
}

TEST(NetboxRest, RoleMapErrorsHaveLocations) {
  Diagnostics diags;
  auto roles = parse_role_map("roles:\n  router: rooter\nlinkz: {}\n", "r.yaml", diags);
  EXPECT_FALSE(roles);
  auto text = diags.format();
  EXPECT_NE(text.find("r.yaml:2:11"), std::string::npos) << text;
  EXPECT_NE(text.find("did you mean \"router\""), std::string::npos) << text;
  EXPECT_NE(text.find("r.yaml:3:1"), std::string::npos) << text;
}

TEST(NetboxRest, ShippedRoleMapMatchesTheBuiltInDefaults) {
  std::string path = source_dir() + "/kb/role-map.yaml";
  REQUIRE_FIXTURE(path);
  Diagnostics diags;
  auto roles = load_role_map(path, diags);
  ASSERT_TRUE(roles) << diags.format();
  auto def = RoleMap::defaults();
  ASSERT_EQ(roles->roles.size(), def.roles.size());
  for (const auto& [k, e] : def.roles) {
    ASSERT_TRUE(roles->roles.count(k)) << k;
    EXPECT_EQ(roles->roles[k].function, e.function) << k;
    EXPECT_EQ(roles->roles[k].tags, e.tags) << k;
  }
}

TEST(NetboxErrors, BadInputGetsLineAndColumnAndNoNetwork) {
  struct Case {
    const char* text;
    const char* where;
  };
  for (auto c : {Case{"[\n {\"model\": \"dcim.device\", \"pk\": 1, \"fields\": {\"name\": \"a\"}},\n {\"model\": "
                      "\"dcim.device\",, }\n]",
                      "x.json:3:2"},
                 Case{"{\"results\": [\n  {\"id\": 1, \"name\": \"x\", \"device_type\": {\"id\": 1}, \"role\": "
                      "{\"id\": 1}}\n  {\"id\": 2}]}",
                      "x.json:3:3"},
                 Case{"[\n  {\"model\": \"dcim.device\", \"fields\": {}}]", "x.json:2:3"},
                 Case{"\n\n   \"just a string\"", "x.json:3:4"}, Case{"[{\"a\": \"unterminated]", "x.json:1:8"},
                 Case{"[1, 2", "x.json:1:6"}}) {
    Diagnostics diags;
    auto net = import_netbox_text(c.text, "x.json", RoleMap::defaults(), diags);
    EXPECT_FALSE(net) << c.text;
    EXPECT_NE(diags.format().find(c.where), std::string::npos) << c.text << "\n" << diags.format();
  }
}

TEST(NetboxErrors, DeepNestingIsRefused) {
  std::string deep =
      "[{\"model\": \"dcim.device\", \"pk\": 1, \"fields\": " + std::string(200, '[') + std::string(200, ']') + "}]";
  Diagnostics diags;
  EXPECT_FALSE(import_netbox_text(deep, "deep.json", RoleMap::defaults(), diags));
  EXPECT_NE(diags.format().find("nesting"), std::string::npos) << diags.format();
}

TEST(NetboxErrors, CablingLoopsTerminate) {
  // Two patch panels whose rear ports are cabled to each other in a loop.
  const char* text = R"([
 {"model": "dcim.device", "pk": 1, "fields": {"name": "a"}},
 {"model": "dcim.device", "pk": 2, "fields": {"name": "pp"}},
 {"model": "dcim.interface", "pk": 10, "fields": {"device": 1}},
 {"model": "dcim.frontport", "pk": 20, "fields": {"device": 2, "rear_port": 30, "rear_port_position": 1}},
 {"model": "dcim.frontport", "pk": 21, "fields": {"device": 2, "rear_port": 31, "rear_port_position": 1}},
 {"model": "dcim.rearport", "pk": 30, "fields": {"device": 2, "positions": 1}},
 {"model": "dcim.rearport", "pk": 31, "fields": {"device": 2, "positions": 1}},
 {"model": "dcim.cabletermination", "pk": 1, "fields": {"cable": 1, "cable_end": "A", "termination_type": ["dcim", "interface"], "termination_id": 10}},
 {"model": "dcim.cabletermination", "pk": 2, "fields": {"cable": 1, "cable_end": "B", "termination_type": ["dcim", "frontport"], "termination_id": 20}},
 {"model": "dcim.cabletermination", "pk": 3, "fields": {"cable": 2, "cable_end": "A", "termination_type": ["dcim", "rearport"], "termination_id": 30}},
 {"model": "dcim.cabletermination", "pk": 4, "fields": {"cable": 2, "cable_end": "B", "termination_type": ["dcim", "rearport"], "termination_id": 31}},
 {"model": "dcim.cabletermination", "pk": 5, "fields": {"cable": 3, "cable_end": "A", "termination_type": ["dcim", "frontport"], "termination_id": 21}},
 {"model": "dcim.cabletermination", "pk": 6, "fields": {"cable": 3, "cable_end": "B", "termination_type": ["dcim", "frontport"], "termination_id": 20}}
])";
  Diagnostics diags;
  auto net = import_netbox_text(text, "loop.json", RoleMap::defaults(), diags);
  ASSERT_TRUE(net) << diags.format();
  EXPECT_EQ(net->links.size(), 0u);
}

}  // namespace
}  // namespace netvet
