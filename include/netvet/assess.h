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
  // at their source lines. state is empty when there was no proposal.
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

}  // namespace netvet
