// The one place the service calls the assessment engine. Until
// include/netvet/engine.h lands this calls assess() directly; switching to the
// facade changes this file only.
#pragma once

#include <string>

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

}  // namespace netvet::server
