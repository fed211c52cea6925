// The one place the service calls the assessment engine. Until
// include/netvet/engine.h lands this calls assess() directly; switching to the
// facade changes this file only.
#pragma once

#include <string>
#include <vector>

#include "netvet/common.h"
#include "netvet/kb.h"
#include "netvet/store.h"

namespace netvet::server {

// Checks that a network and a proposal (native YAML or JSON, told apart by the
// first byte) read cleanly (an empty one is not checked); errors name "network" or "proposal" with line:column.
Status check_inputs(const std::string& network, const std::string& proposal, size_t max_bytes);

// "yaml" or "json", by the first non-space byte.
std::string native_format(const std::string& text);

// Assesses a job's network and proposal against the KB and renders the
// assessment at every clearance, each through the engine's own disclosure
// (so score, metrics and digest at a level come only from what that level may
// see). findings are every finding, at TOP-SECRET, with their classification.
Expected<EngineResult> run_engine(const KnowledgeBase& kb, const Job& job);

// A NetBox export or a CycloneDX BOM uploaded as the network, converted on the
// server as `netvet import` does (default role map): the native JSON network,
// NetBox's planned or staged devices as the proposal (empty when none), and
// what the import warns about, each a sentence. Errors name `file` with line:column.
struct ImportedInventory {
  std::string network, proposal;
  std::vector<std::string> warnings;
};
Expected<ImportedInventory> import_inventory(const std::string& format, const std::string& text,
                                             const std::string& file, size_t max_bytes);

// The access graph of `network` with `proposal` applied (empty: as is), as the
// web UI draws it: {version, nodes, edges, sites, removed} (GET .../notifications/{id}/graph).
// The network is the operator's own submission: it holds nothing classified.
Expected<std::string> access_graph_json(const std::string& network, const std::string& proposal, int version,
                                        size_t max_bytes);

}  // namespace netvet::server
