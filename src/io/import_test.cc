// Importer tests: the real third-party data in shared/fixtures (read in place,
// skipped when absent) plus small hand-written inputs for the edge cases.
// Expected counts are computed from the fixture itself with nlohmann (an
// independent reader), never written in as numbers.
#include "netvet/import.h"
#include "netvet/inference.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "support/schema_check.h"

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
    if (has_tag(*net_, c, "netbox-role:router")) {
      EXPECT_EQ(net_->components.function[c], Function::kRouter);
    }
    if (has_tag(*net_, c, "netbox-role:core-switch")) {
      EXPECT_EQ(net_->components.function[c], Function::kSwitch);
    }
    if (has_tag(*net_, c, "netbox-role:patch-panel")) {
      EXPECT_TRUE(has_tag(*net_, c, "passive"));
    }
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

// What a role is in telecom terms comes from the role map, never from a guess:
// generation and domain are set, an unknown key is an error, an unmapped role
// is a marked placeholder, and a generic device with no stated domain says so.
TEST(NetboxRest, RoleMapStatesGenerationAndDomainAndMarksWhatItCannot) {
  Diagnostics diags;
  auto roles = parse_role_map(R"(
roles:
  core-router: {function: router, domain: core-5g, generation: 5g-sa}
  edge-router: {function: router}
)",
                              "roles.yaml", diags);
  ASSERT_TRUE(roles) << diags.format();
  const char* text = R"([
 {"model": "dcim.devicerole", "pk": 1, "fields": {"name": "Core Router", "slug": "core-router"}},
 {"model": "dcim.devicerole", "pk": 2, "fields": {"name": "Edge Router", "slug": "edge-router"}},
 {"model": "dcim.devicerole", "pk": 3, "fields": {"name": "Mystery", "slug": "mystery"}},
 {"model": "dcim.device", "pk": 1, "fields": {"name": "core", "role": 1, "device_type": null, "site": null}},
 {"model": "dcim.device", "pk": 2, "fields": {"name": "edge", "role": 2, "device_type": null, "site": null}},
 {"model": "dcim.device", "pk": 3, "fields": {"name": "odd", "role": 3, "device_type": null, "site": null, "status": "planned"}}
])";
  auto net = import_netbox_text(text, "dump.json", *roles, diags);
  ASSERT_TRUE(net) << diags.format();
  ComponentIdx core = *net->find_component("core"), edge = *net->find_component("edge"),
               odd = *net->find_component("odd");
  EXPECT_EQ(net->components.generation[core], Generation::k5gSa);
  EXPECT_TRUE(has_tag(*net, core, "domain:core-5g"));
  EXPECT_FALSE(has_tag(*net, core, std::string(kDomainUnstatedTag)));
  EXPECT_TRUE(has_tag(*net, edge, std::string(kDomainUnstatedTag)));
  EXPECT_TRUE(has_tag(*net, odd, std::string(kFallbackFunctionTag)));
  // What the role map filled in is marked as inferred from the role.
  EXPECT_TRUE(has_tag(*net, core, "netvet:inferred:generation=netbox-role:core-router"));
  EXPECT_TRUE(has_tag(*net, core, "netvet:inferred:domain:core-5g=netbox-role:core-router"));
  EXPECT_FALSE(has_tag(*net, edge, "netvet:inferred:generation=netbox-role:edge-router"));

  // The planned device (and nothing else) moves to a proposal.
  auto planned = split_planned(*net);
  ASSERT_TRUE(planned);
  EXPECT_EQ(planned->components, 1u);
  EXPECT_FALSE(net->find_component("odd"));
  EXPECT_TRUE(net->find_component("core") && net->find_component("edge"));
  Diagnostics pd;
  auto p = parse_proposal_json(planned->proposal_json, "planned.json", pd);
  ASSERT_TRUE(p) << pd.format() << planned->proposal_json;
  ASSERT_EQ(p->add.components.size(), 1u);
  EXPECT_EQ(p->add.component_id(0), "odd");
  EXPECT_FALSE(split_planned(*net)) << "nothing planned is left";

  Diagnostics bad;
  EXPECT_FALSE(parse_role_map("roles:\n  gnb: {function: gnb, generaton: 5g-sa}\n", "r.yaml", bad));
  EXPECT_NE(bad.format().find("r.yaml:2:24"), std::string::npos) << bad.format();
  EXPECT_NE(bad.format().find("did you mean \"generation\""), std::string::npos) << bad.format();
}

// A device's own custom fields state its generation and domain: they win over
// the role map and are not marked inferred; a value netvet does not know is a
// warning with the record's location, and the field stays unstated.
TEST(NetboxRest, CustomFieldsStateGenerationAndDomain) {
  Diagnostics diags;
  auto roles = parse_role_map("roles:\n  core-router: {function: router, domain: core-4g, generation: 4g}\n",
                              "roles.yaml", diags);
  ASSERT_TRUE(roles) << diags.format();
  const char* text = R"([
 {"model": "dcim.devicerole", "pk": 1, "fields": {"name": "Core Router", "slug": "core-router"}},
 {"model": "dcim.device", "pk": 1, "fields": {"name": "a", "role": 1,
   "custom_field_data": {"generation": "5g-sa", "domain": "core-5g"}}},
 {"model": "dcim.device", "pk": 2, "fields": {"name": "b", "role": 1, "custom_field_data": {"generation": "5G"}}},
 {"model": "dcim.device", "pk": 3, "fields": {"name": "c", "role": 1,
   "custom_field_data": {"domain": "the core"}}}
])";
  auto net = import_netbox_text(text, "dump.json", *roles, diags);
  ASSERT_TRUE(net) << diags.format();
  ComponentIdx a = *net->find_component("a"), b = *net->find_component("b"), c = *net->find_component("c");
  EXPECT_EQ(net->components.generation[a], Generation::k5gSa);
  EXPECT_TRUE(has_tag(*net, a, "domain:core-5g"));
  EXPECT_FALSE(has_tag(*net, a, "domain:core-4g"));
  EXPECT_FALSE(has_tag(*net, a, "netvet:inferred:generation=netbox-role:core-router"));
  EXPECT_EQ(net->components.generation[b], Generation::k4g);  // "5G" is no generation: the role's, inferred
  EXPECT_TRUE(has_tag(*net, b, "netvet:inferred:generation=netbox-role:core-router"));
  EXPECT_TRUE(has_tag(*net, c, "netvet:inferred:domain:core-4g=netbox-role:core-router"));
  const std::string out = diags.format();
  EXPECT_NE(out.find("dump.json:5:"), std::string::npos) << out;
  EXPECT_NE(out.find("custom field generation \"5G\" is not one netvet knows"), std::string::npos) << out;
  EXPECT_NE(out.find("custom field domain \"the core\""), std::string::npos) << out;
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

TEST(NetboxRest, RoleMapUnknownGenerationOrDomainIsALocatedErrorWithAHint) {
  Diagnostics diags;
  auto roles = parse_role_map("roles:\n  a: {function: gnb, generation: 5g-sx}\n  b: {function: router, domain: transprt}\n",
                              "r.yaml", diags);
  EXPECT_FALSE(roles);
  auto text = diags.format();
  EXPECT_NE(text.find("r.yaml:2:34: error: role \"a\": unknown generation \"5g-sx\" (did you mean \"5g-sa\"?)"), std::string::npos) << text;
  EXPECT_NE(text.find("r.yaml:3:33: error: role \"b\": unknown domain \"transprt\" (did you mean \"transport\"?)"),
            std::string::npos)
      << text;
}

TEST(NetboxRest, RoleMapWithAListWhereANameBelongsIsALocatedError) {
  // Found by fuzz_role_map: a complex key or a nested list used to throw out of the import.
  for (const char* yaml : {"roles:\n  ? [a, b]\n  : router\n", "roles:\n  router: {function: router, tags: [[x]]}\n",
                           "? [netvet]\n: 1\n", "links:\n  cable_types:\n    ? {a: 1}\n    : n3\n"}) {
    Diagnostics diags;
    auto roles = parse_role_map(yaml, "r.yaml", diags);
    EXPECT_FALSE(roles) << yaml;
    auto text = diags.format();
    EXPECT_NE(text.find("r.yaml:"), std::string::npos) << text;
    EXPECT_EQ(text.find("r.yaml:0:0"), std::string::npos) << "the error names its line: " << text;
  }
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

namespace netvet {
namespace {

// ---------------------------------------------------------------------------
// CycloneDX

std::vector<std::string> vectors(const std::string& prefix) {
  std::vector<std::string> out;
  for (const char* v : {"1.5", "1.6"}) {
    std::string dir = fixtures() + "/cyclonedx/specification/test-resources/" + v;
    if (!fs::exists(dir)) continue;
    for (auto& e : fs::directory_iterator(dir)) {
      auto name = e.path().filename().string();
      if (name.rfind(prefix, 0) == 0 && e.path().extension() == ".json") out.push_back(e.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(CycloneDx, AcceptsEveryValidSpecVector) {
  auto files = vectors("valid-");
  if (files.empty()) GTEST_SKIP() << "CycloneDX test vectors not found under " << fixtures();
  for (const auto& f : files) {
    Diagnostics diags;
    ImportSummary summary;
    auto net = import_cyclonedx(f, {}, diags, &summary);
    EXPECT_TRUE(net) << f << "\n" << diags.format();
  }
}

// The invalid vectors whose defect changes what an import would build; the
// rest (bad hashes, licences, timestamps...) describe nothing netvet reads and
// are imported, which the schema test below keeps honest by name.
bool matters_for_import(const std::string& path) {
  for (const char* k : {"invalid-bomformat", "invalid-component-ref", "invalid-component-type", "invalid-dependency",
                        "invalid-empty-component", "invalid-missing-component-type"})
    if (path.find(k) != std::string::npos) return true;
  return false;
}

TEST(CycloneDx, RejectsInvalidVectorsThatMatterWithLocations) {
  auto files = vectors("invalid-");
  if (files.empty()) GTEST_SKIP() << "CycloneDX test vectors not found under " << fixtures();
  size_t rejected = 0;
  for (const auto& f : files) {
    Diagnostics diags;
    auto net = import_cyclonedx(f, {}, diags);  // must never crash, whatever the verdict
    if (!matters_for_import(f)) continue;
    EXPECT_FALSE(net) << f;
    ++rejected;
    EXPECT_NE(diags.format().find(f + ":"), std::string::npos) << diags.format();
  }
  EXPECT_GE(rejected, 6u);
}

TEST(CycloneDx, SpecVectorsAgreeWithTheOfficialSchema) {
  std::string schema = fixtures() + "/cyclonedx/specification/schema/bom-1.6.schema.json";
  REQUIRE_FIXTURE(schema);
  std::vector<std::string> files;
  for (const auto& f : vectors("valid-"))
    if (f.find("/1.6/") != std::string::npos) files.push_back(f);
  for (const auto& f : vectors("invalid-"))
    if (f.find("/1.6/") != std::string::npos && matters_for_import(f)) files.push_back(f);
  auto res = validate_json(schema, files);
  if (!res) GTEST_SKIP() << "python3-jsonschema not installed (apt-get install python3-jsonschema)";
  for (const auto& f : files) {
    ASSERT_TRUE(res->count(f)) << f;
    bool schema_ok = res->at(f).empty();
    // python3-jsonschema 4.10 rejects the spec's own JSF signature examples
    // (oneOf over the bundled jsf schema); import never reads signatures.
    if (!schema_ok && res->at(f).find("certificatePath") != std::string::npos) continue;
    Diagnostics diags;
    bool imported = static_cast<bool>(import_cyclonedx(f, {}, diags));
    EXPECT_EQ(schema_ok, imported) << f << " schema: " << res->at(f) << " import: " << diags.format();
  }
}

TEST(CycloneDx, HardwareBomSuppliersBecomeVendorsUnderTheBoard) {
  std::string path = fixtures() + "/cyclonedx/bom-examples/HBOM/PCIe-SATA-adapter-board/bom.json";
  REQUIRE_FIXTURE(path);
  auto bom = nlohmann::json::parse(slurp(path));
  Diagnostics diags;
  auto net = import_cyclonedx(path, {}, diags);
  ASSERT_TRUE(net) << diags.format();
  ASSERT_EQ(net->components.size(), bom["components"].size() + 1);  // + the board itself (metadata.component)
  auto board = net->find_component(bom["metadata"]["component"]["bom-ref"].get<std::string>());
  ASSERT_TRUE(board);
  for (const auto& c : bom["components"]) {
    auto idx = net->find_component(c["bom-ref"].get<std::string>());
    ASSERT_TRUE(idx) << c["bom-ref"];
    EXPECT_EQ(net->components.parent[*idx], *board);
    EXPECT_EQ(net->str(net->components.vendor[*idx]), c["supplier"]["name"].get<std::string>());
    EXPECT_TRUE(has_tag(*net, *idx, "cdx-type:device"));
    EXPECT_GT(net->components.line[*idx], 1u);
    // The board is made of these parts: it carries each supplier.
    EXPECT_TRUE(has_tag(*net, *board, "contains-vendor:" + c["supplier"]["name"].get<std::string>()));
  }
}

TEST(CycloneDx, ExampleSbomsImportWithDependencies) {
  for (const char* rel :
       {"SBOM/dropwizard-1.3.15/bom.json", "SBOM/laravel-7.12.0/bom.1.4.json",
        "SBOM/cern-lhc-vdm-editor-e564943/bom.json", "SaaSBOM/apigateway-microservices-datastores/bom.json",
        "OBOM/Example-1-Decoupled/obom.json", "CBOM/Example-With-Dependencies/bom.json"}) {
    std::string path = fixtures() + "/cyclonedx/bom-examples/" + rel;
    if (!fs::exists(path)) continue;
    auto bom = nlohmann::json::parse(slurp(path));
    size_t want = 0;
    std::function<void(const nlohmann::json&)> count = [&](const nlohmann::json& cs) {
      for (const auto& c : cs) {
        ++want;
        if (c.contains("components")) count(c["components"]);
      }
    };
    if (bom.contains("components")) count(bom["components"]);
    if (bom.contains("metadata") && bom["metadata"].contains("component")) {
      ++want;
      if (bom["metadata"]["component"].contains("components")) count(bom["metadata"]["component"]["components"]);
    }
    Diagnostics diags;
    auto net = import_cyclonedx(path, {}, diags);
    ASSERT_TRUE(net) << path << "\n" << diags.format();
    EXPECT_EQ(net->components.size(), want) << path;
  }
}

TEST(CycloneDx, HighRiskChipInsideTrustedRouterIsReported) {
  const char* text = R"({"bomFormat": "CycloneDX", "specVersion": "1.6",
  "metadata": {"component": {"type": "device", "bom-ref": "rtr-1", "name": "Edge Router X",
                             "manufacturer": {"name": "Nokia"},
                             "properties": [{"name": "netvet:function", "value": "router"}]}},
  "components": [
    {"type": "device", "bom-ref": "board-1", "name": "Line card", "supplier": {"name": "Nokia"},
     "components": [{"type": "device", "bom-ref": "chip-1", "name": "Hi1822", "manufacturer": {"name": "HiSilicon"}}]},
    {"type": "firmware", "bom-ref": "fw-1", "name": "SR OS", "version": "23.10", "publisher": "Nokia"},
    {"type": "library", "bom-ref": "lib-1", "name": "zxcrypto", "version": "1.0", "group": "ZTE"}],
  "dependencies": [{"ref": "fw-1", "dependsOn": ["lib-1"]}]
})";
  Diagnostics diags;
  ImportSummary summary;
  auto net = import_cyclonedx_text(text, "bom.json", {}, diags, &summary);
  ASSERT_TRUE(net) << diags.format();
  auto rtr = *net->find_component("rtr-1"), board = *net->find_component("board-1"),
       chip = *net->find_component("chip-1"), fw = *net->find_component("fw-1");
  EXPECT_EQ(net->components.parent[chip], board);
  EXPECT_EQ(net->components.parent[board], rtr);
  EXPECT_EQ(net->components.function[chip], Function::kRouter);  // inherited
  EXPECT_EQ(net->str(net->components.software[fw]), "23.10");
  EXPECT_TRUE(has_tag(*net, rtr, "contains-vendor:HiSilicon"));
  EXPECT_TRUE(has_tag(*net, board, "contains-vendor:HiSilicon"));
  EXPECT_TRUE(has_tag(*net, fw, "contains-vendor:ZTE"));   // through the dependency
  EXPECT_TRUE(has_tag(*net, rtr, "contains-vendor:ZTE"));  // and up to the router
  EXPECT_FALSE(has_tag(*net, rtr, "contains-vendor:Nokia"));
  bool noted = false;
  for (const auto& n : summary.notes) noted |= n.find("rtr-1 (Nokia) contains HiSilicon") != std::string::npos;
  EXPECT_TRUE(noted);
}

// A component whose function nobody stated is a placeholder router: tagged so
// the assessment counts it as not judged, never silently judged as a router.
TEST(CycloneDx, UnstatedFunctionIsAPlaceholderAndPropertiesStateTheRest) {
  const char* text = R"({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
    {"type": "device", "bom-ref": "box", "name": "box", "supplier": {"name": "Huawei"},
     "components": [{"type": "firmware", "bom-ref": "box-fw", "name": "fw", "version": "1"}]},
    {"type": "device", "bom-ref": "gnb", "name": "gNB", "supplier": {"name": "Huawei"},
     "properties": [{"name": "netvet:function", "value": "gnb"}, {"name": "netvet:generation", "value": "5g-sa"},
                    {"name": "netvet:domain", "value": "core-5g"}],
     "components": [{"type": "firmware", "bom-ref": "gnb-fw", "name": "fw", "version": "2"}]}]})";
  auto tagged = [](const Network& net, const char* id) {
    return has_tag(net, *net.find_component(id), kFallbackFunctionTag);
  };
  Diagnostics diags;
  ImportSummary sum;
  auto net = import_cyclonedx_text(text, "bom.json", CycloneDxOptions{}, diags, &sum);
  ASSERT_TRUE(net) << diags.format();
  EXPECT_TRUE(tagged(*net, "box"));
  EXPECT_TRUE(tagged(*net, "box-fw"));  // inherits the placeholder
  EXPECT_FALSE(tagged(*net, "gnb"));
  EXPECT_FALSE(tagged(*net, "gnb-fw"));  // inherits a stated function
  auto gnb = *net->find_component("gnb");
  EXPECT_EQ(net->components.generation[gnb], Generation::k5gSa);
  EXPECT_TRUE(has_tag(*net, gnb, "domain:core-5g"));
  ASSERT_FALSE(sum.notes.empty());
  EXPECT_NE(sum.notes.back().find("2 components name no function"), std::string::npos) << sum.notes.back();

  CycloneDxOptions stated;
  stated.default_function = Function::kSwitch;
  stated.default_function_stated = true;
  Diagnostics d2;
  auto net2 = import_cyclonedx_text(text, "bom.json", stated, d2);
  ASSERT_TRUE(net2) << d2.format();
  EXPECT_FALSE(tagged(*net2, "box"));
  EXPECT_EQ(net2->components.function[*net2->find_component("box")], Function::kSwitch);

  Diagnostics d3;
  EXPECT_FALSE(import_cyclonedx_text(R"({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
    {"type": "device", "bom-ref": "x", "name": "x", "properties": [{"name": "netvet:generation", "value": "5g"}]}]})",
                                     "bom.json", CycloneDxOptions{}, d3));
  EXPECT_NE(d3.format().find("unknown netvet:generation \"5g\""), std::string::npos) << d3.format();
}

TEST(CycloneDx, AttachPutsTheBomUnderAnExistingComponent) {
  Network net;
  auto site = net.add_site("AKL");
  auto r = net.add_component("akl-rtr-1", Function::kRouter);
  net.components.site[r] = site;
  const char* text = R"({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
    {"type": "device", "bom-ref": "psu", "name": "PSU", "supplier": {"name": "Delta"}},
    {"type": "device", "name": "fan", "supplier": {"name": "Delta"}}]})";
  CycloneDxOptions o;
  o.attach_to = "akl-rtr-1";
  Diagnostics diags;
  auto added = attach_cyclonedx(net, text, "bom.json", o, diags);
  ASSERT_TRUE(added) << diags.format();
  EXPECT_EQ(*added, 2u);
  auto psu = *net.find_component("psu");
  EXPECT_EQ(net.components.parent[psu], r);
  EXPECT_EQ(net.components.site[psu], site);
  EXPECT_TRUE(net.find_component("fan"));
  // Attaching again clashes on the bom-ref id; a wrong target gets a suggestion.
  Diagnostics d2;
  EXPECT_FALSE(attach_cyclonedx(net, text, "bom.json", o, d2));
  EXPECT_NE(d2.format().find("already exists"), std::string::npos);
  o.attach_to = "akl-rtr-2";
  Diagnostics d3;
  EXPECT_FALSE(attach_cyclonedx(net, text, "bom.json", o, d3));
  EXPECT_NE(d3.format().find("did you mean \"akl-rtr-1\""), std::string::npos) << d3.format();
}

TEST(CycloneDx, ErrorsPointAtTheComponent) {
  const char* text =
      "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\",\n \"components\": [\n  {\"type\": \"device\", "
      "\"name\": \"ok\"},\n  {\"type\": \"gizmo\", \"name\": \"bad\"}]}";
  Diagnostics diags;
  EXPECT_FALSE(import_cyclonedx_text(text, "b.json", {}, diags));
  EXPECT_NE(diags.format().find("b.json:4:3"), std::string::npos) << diags.format();
  EXPECT_NE(diags.format().find("gizmo"), std::string::npos);
  Diagnostics d2;
  EXPECT_FALSE(import_cyclonedx_text("<bom/>", "b.xml", {}, d2));
  EXPECT_NE(d2.format().find("XML"), std::string::npos);
}

}  // namespace
}  // namespace netvet

namespace netvet {
namespace {

TEST(Csv, SpreadsheetExportWithBomCrlfAndQuotes) {
  std::vector<CsvText> in = {
      {"links.csv", "", "a,b,interface,protection\r\ngnb-1,\"core, amf\",n2,encrypted;integrity\r\n"},
      {"components.csv", "",
       "\xEF\xBB\xBFid,function,vendor,site,generation,subscribers,parent,tags\r\n"
       "gnb-1,gnb,\"Huawei Technologies Co., Ltd.\",akl,5g-nsa,12000,,\"edge; rural\"\r\n"
       "\"core, amf\",amf,Ericsson,,5g-sa,,,\r\n"
       "board-1,gnb,HiSilicon,akl,,,gnb-1,\r\n"},
      {"sites.csv", "", "id,name,lat,lon,region\nakl,\"Auckland \"\"CBD\"\"\",-36.8485,174.7633,Auckland\n\n"},
  };
  Diagnostics diags;
  auto net = import_csv_texts(in, diags);
  ASSERT_TRUE(net) << diags.format();
  ASSERT_EQ(net->sites.size(), 1u);
  EXPECT_EQ(net->str(net->sites.name[0]), "Auckland \"CBD\"");
  EXPECT_DOUBLE_EQ(net->sites.lon[0], 174.7633);
  ASSERT_EQ(net->components.size(), 3u);
  auto gnb = *net->find_component("gnb-1");
  EXPECT_EQ(net->str(net->components.vendor[gnb]), "Huawei Technologies Co., Ltd.");
  EXPECT_EQ(net->components.subscribers[gnb], 12000u);
  EXPECT_EQ(net->components.generation[gnb], Generation::k5gNsa);
  EXPECT_TRUE(has_tag(*net, gnb, "rural"));
  EXPECT_EQ(net->components.parent[*net->find_component("board-1")], gnb);
  ASSERT_EQ(net->links.size(), 1u);
  EXPECT_EQ(net->links.interface[0], Interface::kN2);
  EXPECT_EQ(net->links.protection[0], kEncrypted | kIntegrity);
  EXPECT_EQ(net->component_id(net->links.b[0]), "core, amf");
  EXPECT_EQ(net->components.line[gnb], 2u);
}

TEST(Csv, ErrorsNameFileLineColumnAndSuggest) {
  std::vector<CsvText> in = {
      {"components.csv", "", "id,function,vendr\nr1,rooter,x\nr2,router,y\n"},
      {"links.csv", "", "a,b,interface\nr1,r3,backhual\n"},
  };
  Diagnostics diags;
  EXPECT_FALSE(import_csv_texts(in, diags));
  auto t = diags.format();
  EXPECT_NE(t.find("components.csv:1:13: error: unknown components column \"vendr\" (did you mean \"vendor\"?)"),
            std::string::npos)
      << t;
  Diagnostics d2;
  in[0].text = "id,function,vendor\nr1,rooter,x\nr2,router,y\n";
  EXPECT_FALSE(import_csv_texts(in, d2));
  t = d2.format();
  EXPECT_NE(t.find("components.csv:2:4: error: unknown function \"rooter\" (did you mean \"router\"?)"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("links.csv:2:4: error: link end \"r3\""), std::string::npos) << t;
  EXPECT_NE(t.find("links.csv:2:7: error: unknown interface \"backhual\" (did you mean \"backhaul\"?)"),
            std::string::npos)
      << t;
  Diagnostics d3;
  EXPECT_FALSE(import_csv_texts({{"sites.csv", "", "id,name\n\"open,x\n"}}, d3));
  EXPECT_NE(d3.format().find("sites.csv:2:1: error: unterminated quoted field"), std::string::npos) << d3.format();
  Diagnostics d4;
  EXPECT_FALSE(import_csv_texts({{"components.csv", "", "id,function,parent\na,router,b\nb,router,a\n"}}, d4));
  EXPECT_NE(d4.format().find("parent cycle"), std::string::npos) << d4.format();
}

TEST(Csv, RealAwkwardCsvIsRefusedClearly) {
  // The OpenCelliD extract has an unnamed first column: not one of ours, and
  // the message must say which column and what would be accepted.
  std::string path = fixtures() + "/cell-sites/opencellid-munich-de/final_dataset.csv";
  REQUIRE_FIXTURE(path);
  Diagnostics diags;
  EXPECT_FALSE(import_csv_texts({{path, "sites", slurp(path)}}, diags));
  EXPECT_NE(diags.format().find(path + ":1:1: error: unknown sites column \"\""), std::string::npos) << diags.format();
}

}  // namespace
}  // namespace netvet
