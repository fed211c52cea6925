// The engine: one facade over the stages, for the `netvet` commands and the
// server. A knowledge base is loaded once and shared, immutable, by every
// request; each request names its network, jurisdiction, date, the reader's
// clearance and a thread budget, and gets back a value already disclosed at
// that clearance (docs/assessment.md, "Disclosure"). Nothing here reads the
// environment, prints, or keeps state between calls: requests may run
// concurrently on any threads.
//
//   netvet::Diagnostics diags;
//   netvet::SharedKb kb = netvet::engine::load_kb_dir("kb", diags);          // once
//   netvet::engine::Request r{kb, network, nullptr, "NZ", date, netvet::Classification::kUnclassified};
//   auto a = netvet::engine::assess(r);         // Expected<Assessment>; a->network is owned
//   auto e = netvet::engine::exposure(r);       // graph exposure, attribution, blast radius, cuts
//   auto p = netvet::engine::paths(r);          // one shortest access path per critical target
//   auto plan = netvet::engine::plan({r, options});   // planned over what the reader may see
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "netvet/assess.h"
#include "netvet/common.h"
#include "netvet/graph.h"
#include "netvet/kb.h"
#include "netvet/model.h"
#include "netvet/plan.h"
#include "netvet/policy.h"

namespace netvet {

// One knowledge base shared by every request; immutable once built.
using SharedKb = std::shared_ptr<const KnowledgeBase>;

namespace engine {

// ---- knowledge base ----

// kb_dir/VERSION, vendors.yaml and jurisdictions/*.yaml, rules validated by
// policy/. Null when there were errors (all of them in diags, file:line:col).
SharedKb load_kb_dir(const std::string& kb_dir, Diagnostics& diags);
// The same from text: the VERSION line, vendors.yaml, and one text per pack.
// Names are used in messages only.
SharedKb load_kb_text(const std::string& version, const TextFile& vendors, const std::vector<TextFile>& packs,
                      Diagnostics& diags);
// `base` plus classified overlays read from text (or, for the CLI, from
// files). The base is not changed: the result is a new shared KB.
SharedKb with_overlays(const SharedKb& base, const std::vector<TextFile>& overlays, Diagnostics& diags);
SharedKb with_overlay_files(const SharedKb& base, const std::vector<std::string>& files, Diagnostics& diags);

// ---- requests ----

struct Request {
  SharedKb kb;
  std::shared_ptr<const Network> network;
  std::shared_ptr<const Proposal> proposal;  // optional: assess the network as proposed
  std::string jurisdiction;                  // code, case-insensitive
  Date date;
  Classification clearance = Classification::kUnclassified;  // what the reader may see
  unsigned threads = 1;  // thread budget of this request (graph sweeps, digest); 0: hardware concurrency
  // Unjudged components in scope of a deciding rule allowed before an
  // all-clear becomes insufficient-information (docs/assessment.md).
  size_t max_unjudged = 0;
  const PhaseSink* profile = nullptr;  // phase timings on request (netvet/profile.h); owned by the caller
};

// The disclosed assessment. Errors: unknown jurisdiction or an overlay for
// another jurisdiction (kNotFound / kBadInput), a proposal that does not apply.
Expected<Assessment> assess(const Request& r);

// What the graph commands show, at the reader's clearance: untrusted means
// high-risk as the reader may see it (a vendor rated only by an overlay above
// the clearance is not untrusted here, and nothing says which one).
struct GraphOptionsRequest {
  std::vector<std::string> targets;  // component ids; empty: every critical component
  bool reporting_propagates = false;
  bool protection_stops = true;
};
struct GraphView {
  std::string kb_version, jurisdiction;
  Date date;
  Classification clearance = Classification::kUnclassified;
  Classification marking = Classification::kUnclassified;  // highest level of what this shows
  std::vector<Withheld> withheld;  // overlay content above the clearance, per level
  std::shared_ptr<const Network> network;  // as proposed
  std::vector<ComponentState> state;
  AccessGraph graph;
  std::vector<ComponentIdx> untrusted, critical;  // ascending
};
struct ExposureResult {
  GraphView view;
  std::vector<uint8_t> reach;
  Attribution attribution;                     // parallel to view.critical
  std::vector<std::vector<ComponentIdx>> paths;  // parallel to view.critical
  BlastRadius blast;                           // parallel to view.untrusted
  std::vector<ComponentIdx> untrusted_critical;  // critical components that are themselves untrusted
  Cut vertex_cut, edge_cut;
};
struct PathsResult {
  GraphView view;
  std::vector<std::vector<ComponentIdx>> paths;  // parallel to view.critical, empty when unreachable
  // The way in to each critical component from untrusted equipment other than
  // itself, with the link of every hop (access_paths): what `assess` shows.
  std::vector<AccessPath> ways_in;  // parallel to view.critical
};
Expected<ExposureResult> exposure(const Request& r, const GraphOptionsRequest& g = {});
Expected<PathsResult> paths(const Request& r, const GraphOptionsRequest& g = {});

// The mitigation plan, made over what the reader may see: rules and vendor
// ratings above the clearance are not planned for (their findings are counted
// in each checkpoint's withheld entries, and the checkpoint outcome is real).
struct PlanRequest {
  Request request;
  PlanOptions options;  // jurisdiction, date and clearance come from `request`
};
Expected<Plan> plan(const PlanRequest& r);


}  // namespace engine
}  // namespace netvet
