// The one place the service calls the assessment engine, through its facade
// (include/netvet/engine.h), as the CLI does.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "netvet/common.h"
#include "netvet/kb.h"
#include "netvet/model.h"
#include "netvet/store.h"

namespace netvet::server {

// A network and a proposal as read from their text (either may be absent).
struct ParsedInputs {
  std::shared_ptr<const Network> network;
  std::shared_ptr<const Proposal> proposal;
};

// Reads a network and a proposal (native YAML or JSON, told apart by the first
// byte; an empty one is not read); errors name "network" or "proposal" with
// line:column. check_inputs only says whether they read cleanly.
Expected<ParsedInputs> read_inputs(const std::string& network, const std::string& proposal, size_t max_bytes);
Status check_inputs(const std::string& network, const std::string& proposal, size_t max_bytes);

// "yaml" or "json", by the first non-space byte.
std::string native_format(const std::string& text);

// Assesses a job's network and proposal against the KB and renders the
// assessment at every clearance, each through the engine's own disclosure
// (so score, metrics and digest at a level come only from what that level may
// see). findings are every finding, at TOP-SECRET, with their classification.
// `parsed`, when given, is the job's network and proposal already read from
// the job's text (the server keeps what it read to check a submission), so a
// national network is not read twice.
// The job's own overlays (job.overlays, uploaded for its notification) are
// added to `kb` for this run only.
Expected<EngineResult> run_engine(const KnowledgeBase& kb, const Job& job, const ParsedInputs* parsed = nullptr);

// An overlay uploaded for one notification, read against the server's KB with
// the notification's earlier overlays: its classification, or why it cannot be
// used (errors name "overlay" with line:column).
Expected<Classification> check_overlay(const KnowledgeBase& kb, const std::vector<std::string>& earlier,
                                       const std::string& text, const std::string& jurisdiction);

// The server's KB with a notification's overlays added (null when there are
// none: use the server's own). Errors name "overlay N".
Expected<std::shared_ptr<const KnowledgeBase>> with_notification_overlays(const KnowledgeBase& kb,
                                                                          const std::vector<std::string>& overlays);

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

// The access graph of a notification's network with a proposal version applied
// (empty: as is), through the engine's facade at the reader's clearance, as
// the web UI draws it (GET .../notifications/{id}/graph): nodes with the
// untrusted and critical flags as the reader may see them, access edges, one
// shortest attack path per reached critical component, each untrusted
// component's blast radius, and the view's marking (the highest level it shows).
struct GraphQuery {
  std::string network, proposal, jurisdiction, date;
  std::vector<std::string> overlays;  // the notification's own
  Classification clearance = Classification::kUnclassified;
  int version = 1;
  size_t max_bytes = size_t{1} << 30;
};
struct GraphJson {
  std::string body;
  Classification marking = Classification::kUnclassified;
};
Expected<GraphJson> access_graph_json(const KnowledgeBase& kb, const GraphQuery& q);

}  // namespace netvet::server
