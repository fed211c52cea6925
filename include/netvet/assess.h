// The assessment pipeline: resolve vendors -> vendor risk per jurisdiction and
// date -> rules -> graph queries -> findings -> determination -> disclosure.
// assess() knows no files, HTTP or printing: io/ reads its inputs and writes
// its result. The returned Assessment is already disclosed at the requested
// clearance: findings above it are not in it at all, only counted.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "netvet/common.h"
#include "netvet/kb.h"
#include "netvet/model.h"
#include "netvet/policy.h"

namespace netvet {

struct AssessOptions {
  std::string jurisdiction;  // code, case-insensitive
  Date date;
  Classification clearance = Classification::kUnclassified;
  bool graph_metrics = true;  // exposure metrics in every assessment
};

struct Determination {
  std::string outcome;  // no-significant-risk | risk-mitigable | significant-risk
  int score = 0;        // 0..100
  std::vector<std::string> reasons;  // visible finding ids (withheld ones counted as "withheld:LEVEL")
};

struct Withheld {
  Classification classification;
  int count;
};

struct Assessment {
  std::string engine = kEngineVersion;
  std::string kb_version;
  std::string jurisdiction;
  Date date;
  Classification clearance = Classification::kUnclassified;
  Determination determination;
  std::vector<Finding> findings;  // visible at `clearance` only
  std::vector<Withheld> withheld;
  nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
  std::string digest;  // "sha256:..." over canonical inputs, KB version, date, engine

  // The assessed (proposed) network, so writers can name components and point
  // at their source lines. state is empty when there was no proposal. Without
  // a proposal this borrows AssessInput::network (copying 10^6 rows would cost
  // more than the assessment): keep that network alive while this is used.
  std::shared_ptr<const Network> network;
  std::vector<ComponentState> state;
  std::string network_file, proposal_file;
};

struct AssessInput {
  const Network& network;
  const Proposal* proposal = nullptr;  // optional
  const KnowledgeBase& kb;
  AssessOptions options;
};

// Runs the pipeline. Errors: unknown jurisdiction (kNotFound), a proposal that
// does not apply (kBadInput with the proposal's locations).
Expected<Assessment> assess(const AssessInput& input);

// sha256 of bytes as lowercase hex.
std::string sha256_hex(std::string_view bytes);

// The pure steps of assess(), public so tests, the planner and the server can
// reuse them (docs/assessment.md states the rules they implement).

// The determination over every finding, before disclosure: no binding
// violation -> no-significant-risk; any binding violation of severity high or
// critical -> significant-risk; otherwise risk-mitigable. Reasons are the ids
// of the binding violations that drive the outcome, most severe first.
Determination determine(const std::vector<Finding>& findings);

// Keeps the findings visible at `clearance` (classification <= clearance) and
// counts the rest per level (ascending). Reasons naming a withheld finding are
// replaced by one "withheld:LEVEL" entry per level, after the visible ones.
struct Disclosure {
  std::vector<Finding> visible;
  std::vector<Withheld> withheld;
  std::vector<std::string> reasons;
};
Disclosure disclose(std::vector<Finding> findings, const std::vector<std::string>& reasons,
                    Classification clearance);

// "sha256:<hex>" over a canonical serialization of the network and proposal
// content (not their file names or source lines), the KB version and the
// content of the KB the jurisdiction uses (its pack, vendors, overlays), the
// jurisdiction, date, clearance and engine version.
std::string assessment_digest(const Network& network, const Proposal* proposal, const KnowledgeBase& kb,
                              const Jurisdiction& jurisdiction, const AssessOptions& options);

}  // namespace netvet
