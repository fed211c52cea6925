// Importers: third-party inventories (NetBox, CycloneDX, CSV) into a Network.
//
// Every importer streams: the input is split into records by a byte scanner and
// each record is parsed on its own, so a 1 GB NetBox dump costs about its own
// size in memory plus the model, never a DOM of the whole file. Problems are
// reported with file:line:column (computed from byte offsets) into `diags`;
// an importer returns an error when there was any error diagnostic and the
// caller must then write nothing (cmd_import writes with write_file_atomic only
// after success).
//
// Vendors are kept as written (the NetBox manufacturer name, the CycloneDX
// supplier/manufacturer name): kb/ resolves aliases when the network is assessed.
//
//   netvet::Diagnostics diags;
//   netvet::ImportSummary summary;
//   auto net = netvet::import_netbox({"netbox-demo-v3.6.json"}, netvet::RoleMap::defaults(), diags, &summary);
//   if (!net) { std::cerr << diags.format(); return 2; }
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "netvet/common.h"
#include "netvet/io.h"
#include "netvet/model.h"

namespace netvet {

// What an import saw, for the command's summary and for tests.
struct ImportSummary {
  std::map<std::string, uint64_t> records;  // records read per kind ("dcim.device", "component", ...)
  uint64_t sites = 0, components = 0, links = 0;
  uint64_t traced_links = 0;    // NetBox: links found through patch panels or circuits
  uint64_t skipped_cables = 0;  // NetBox: cables that end nowhere a link can be made (power, console, open paths)
  std::map<std::string, uint64_t> vendors;         // vendor spelling -> components carrying it
  std::map<std::string, uint64_t> unmapped_roles;  // NetBox role slug -> devices given the fallback function
  std::vector<std::string> notes;                  // e.g. "router r1 contains high-risk vendor ZTE (chip u3)"
};

// NetBox device role -> netvet function (and link interfaces), from
// kb/role-map.yaml or --role-map FILE. Role keys match the role slug or name
// after normalize_name(), so "Core Switch" and "core-switch" are one key.
struct RoleMap {
  struct Entry {
    Function function = Function::kRouter;
    // What the role says beyond the function: the generation (a 5G gNB role),
    // and a domain the equipment belongs to as well as its function's (a core
    // switch in the 5G core: tag `domain:core-5g`, which selectors read).
    std::optional<Generation> generation;
    std::optional<Domain> domain;
    std::vector<std::string> tags;  // extra tags on every device of the role (e.g. "passive")
  };
  std::map<std::string, Entry> roles;      // normalized role key -> entry
  Function fallback = Function::kRouter;   // roles not in the map (reported in the summary)
  Function vm_fallback = Function::kNfvi;  // virtual machines without a mapped role
  Interface link_default = Interface::kTransport;
  Interface link_mgmt = Interface::kMgmt;        // cables touching a mgmt_only interface
  std::map<std::string, Interface> cable_types;  // NetBox cable type ("smf", "cat6") -> interface

  // The built-in table, the same as kb/role-map.yaml ships.
  static RoleMap defaults();
  const Entry* find(std::string_view role_slug_or_name) const;
};

// Reads a role map YAML file (docs/import.md): errors with file:line:col.
Expected<RoleMap> load_role_map(const std::string& path, Diagnostics& diags);
Expected<RoleMap> parse_role_map(std::string_view yaml, const std::string& file, Diagnostics& diags);

// NetBox: each input is a file (REST page, `?limit=0` list, a combined object of
// lists keyed by endpoint, or a `manage.py dumpdata` array) or a folder of them
// (*.json, read in name order). All inputs form one inventory.
Expected<Network> import_netbox(const std::vector<std::string>& inputs, const RoleMap& roles, Diagnostics& diags,
                                ImportSummary* summary = nullptr, const ReadLimits& limits = {});
// The same over in-memory text (fuzzing, tests). `file` names it in diagnostics.
Expected<Network> import_netbox_text(std::string_view text, const std::string& file, const RoleMap& roles,
                                     Diagnostics& diags, ImportSummary* summary = nullptr,
                                     const ReadLimits& limits = {});

// NetBox devices that are planned or staged (tag netbox-status:planned or
// :staged) are not the live network: moves them, the boards inside them and
// every link touching them out of `net` into a proposal that adds them
// (native JSON, docs/formats/native.md). Returns the proposal text and how
// many components moved; nullopt when none is planned or staged.
struct PlannedSplit {
  std::string proposal_json;
  size_t components = 0, links = 0;
};
std::optional<PlannedSplit> split_planned(Network& net);

// CycloneDX 1.2-1.6 JSON. Components become netvet components (hardware and
// software alike; function from a `netvet:function` property, else from the
// parent, else `default_function`); nested components get `parent`.
struct CycloneDxOptions {
  Function default_function = Function::kRouter;
  // Whether the user chose default_function (--function). If not, a component
  // that takes it carries a placeholder and is tagged netvet:fallback-function,
  // so the assessment counts it as not judged rather than as a router.
  bool default_function_stated = false;
  // Attach every top-level component of the BOM (and the BOM's metadata
  // component's children) under this existing component of `base`.
  std::string attach_to;
};
Expected<Network> import_cyclonedx(const std::string& path, const CycloneDxOptions& options, Diagnostics& diags,
                                   ImportSummary* summary = nullptr, const ReadLimits& limits = {});
Expected<Network> import_cyclonedx_text(std::string_view text, const std::string& file, const CycloneDxOptions& options,
                                        Diagnostics& diags, ImportSummary* summary = nullptr,
                                        const ReadLimits& limits = {});
// Adds a BOM's components to `net` under options.attach_to (which must exist).
// Ids already in `net` are an error. Returns the number of components added.
Expected<size_t> attach_cyclonedx(Network& net, std::string_view text, const std::string& file,
                                  const CycloneDxOptions& options, Diagnostics& diags, ImportSummary* summary = nullptr,
                                  const ReadLimits& limits = {});

// Marks components that contain equipment of another vendor: for every nested
// component whose vendor differs from its ancestor's, the ancestor gets the tag
// `contains-vendor:<vendor>` and the summary a note. `is_high_risk` (optional)
// restricts notes to vendors it says yes to; tags are always added.
void tag_contained_vendors(Network& net, ImportSummary* summary,
                           const std::function<bool(std::string_view)>& is_high_risk = {});

// CSV: sites.csv, components.csv, links.csv (header row; docs/import.md lists
// the columns). Inputs are files or a folder holding them; the file's kind
// follows its name (sites*, components*, links*) or its header.
Expected<Network> import_csv(const std::vector<std::string>& inputs, Diagnostics& diags,
                             ImportSummary* summary = nullptr, const ReadLimits& limits = {});
// The same over in-memory texts. `kind` is "sites", "components", "links" or ""
// (from the file name, then the header).
struct CsvText {
  std::string file, kind, text;
};
Expected<Network> import_csv_texts(const std::vector<CsvText>& texts, Diagnostics& diags,
                                   ImportSummary* summary = nullptr);

// 1-based line and column of a byte offset (columns count bytes).
struct LineCol {
  uint32_t line = 1, column = 1;
};
LineCol line_col_at(std::string_view text, size_t offset);

}  // namespace netvet
