// The assessment pipeline: resolve vendors -> vendor risk per jurisdiction and
// date -> rules -> graph queries -> findings -> determination -> disclosure.
// assess() knows no files, HTTP or printing: io/ reads its inputs and writes
// its result. The returned Assessment is already disclosed at the requested
// clearance: findings above it are not in it at all, only counted.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "netvet/common.h"
#include "netvet/kb.h"
#include "netvet/model.h"
#include "netvet/policy.h"
#include "netvet/profile.h"

namespace netvet {

struct AssessOptions {
  std::string jurisdiction;  // code, case-insensitive
  Date date;
  Classification clearance = Classification::kUnclassified;
  bool graph_metrics = true;  // exposure metrics in every assessment
  // Components in scope of a deciding rule that could not be judged, above
  // which a no-significant-risk becomes insufficient-information (coverage.cc).
  size_t max_unjudged = 0;
  unsigned threads = 0;       // thread budget (graph sweeps, digest aside); 0: hardware concurrency
  const PhaseSink* profile = nullptr;  // phase timings on request (netvet/profile.h); owned by the caller
};

struct Determination {
  // no-significant-risk | risk-mitigable | significant-risk | insufficient-information
  std::string outcome;
  int score = 0;        // 0..100
  std::vector<std::string> reasons;  // visible finding ids (withheld ones counted as "withheld:LEVEL")
};

// What an assessment could not judge (docs/assessment.md, "Coverage"). A rule
// cannot judge a component when whether its `where` selects it turns on
// something the inventory does not say: the vendor (none, or not in the
// knowledge base), the function (an importer's placeholder), the generation
// (RAN or core equipment left at `any` where the standard does not fix it), or
// the telecom domain of generic equipment an importer could not place.
enum Unjudged : uint8_t {
  kNoVendor = 1,
  kUnknownVendor = 2,
  kFallbackFunction = 4,
  kNoGeneration = 8,
  kNoDomain = 16,
};

// Names of the Unjudged bits, in bit order: "no-vendor" "unknown-vendor"
// "fallback-function" "no-generation" "no-domain" (the JSON keys and the words of reports).
std::vector<std::string_view> unjudged_names(uint8_t bits);
// What to supply for a component lacking `bits`: "vendor" (none, or one the
// knowledge base does not know), "function", "generation", "domain", joined by ", ".
std::string what_to_supply(uint8_t bits);

struct RuleCoverage {
  std::string rule, title;
  bool decides = false;  // binding, in force, can be breached on the date: its gaps decide the outcome
  std::vector<ComponentIdx> components;  // not judged, by component id
  // Components per reason (a component may count under several).
  size_t no_vendor = 0, unknown_vendor = 0, fallback_function = 0, no_generation = 0, no_domain = 0;
};

struct Coverage {
  size_t components = 0;  // in the assessed network
  // Across the network, whatever the rules: components lacking each fact.
  size_t no_vendor = 0, unknown_vendor = 0, fallback_function = 0, no_generation = 0, no_domain = 0;
  std::vector<RuleCoverage> rules;  // visible rules that could not judge some component, in rule order
  size_t withheld_rules = 0;        // rules above the clearance with gaps: for the decision only, never shown
  // Distinct components a deciding rule could not judge, each with what to
  // supply (Unjudged bits), high-risk vendors first, then unknown vendors, by
  // id within each; the outcome turns on their count.
  std::vector<std::pair<ComponentIdx, uint8_t>> unjudged;
  size_t unjudged_withheld = 0;  // more, only rules above the clearance could not judge (decision only)
  size_t max_unjudged = 0;
};

struct Withheld {
  Classification classification;
  int count;
};

// Why a vendor counts as high-risk in this assessment, stated once per report
// (the "basis" section) rather than in every finding. Only reasons the reader
// may see: a basis from an overlay above the clearance is not listed.
struct RiskBasisNote {
  std::string vendor;     // the KB's vendor name (or the name as written)
  std::string reason;     // e.g. "designated by US (FCC Covered List) since 2021-03-12"
  bool reading = false;   // netvet's reading of the jurisdiction's criteria, not a designation
  std::string authority;  // the jurisdiction's authority (who did not designate, when reading)
  Citation citation;      // writers never render citation.fact (an internal reference)
  size_t components = 0;  // visible high-risk components that rest on it
};

struct Assessment {
  std::string engine = kEngineVersion;
  std::string kb_version;
  std::string jurisdiction;
  Date date;
  Classification clearance = Classification::kUnclassified;
  // The highest classification of anything this assessment shows (a visible
  // finding, a vendor rating counted in the metrics): writers mark the output
  // with it when it is above UNCLASSIFIED.
  Classification marking = Classification::kUnclassified;
  Determination determination;
  std::vector<Finding> findings;  // visible at `clearance` only
  std::vector<Withheld> withheld;
  Coverage coverage;
  std::vector<RiskBasisNote> basis;  // high-risk vendors of the visible findings, by vendor
  nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
  std::string digest;  // "sha256:..." over canonical inputs, KB version, date, engine

  // The assessed (proposed) network, so writers can name components and point
  // at their source lines. state is empty when there was no proposal. Without
  // a proposal this borrows AssessInput::network (copying 10^6 rows would cost
  // more than the assessment): keep that network alive while this is used.
  std::shared_ptr<const Network> network;
  std::vector<ComponentState> state;
  // Per component of `network`: 1 when its vendor is high-risk on a basis the
  // reader may see (the site map marks their sites). Empty for hand-built ones.
  std::vector<uint8_t> high_risk;
  std::string network_file, proposal_file;
  // Finding id -> the cheapest work that clears it, in words, when a mitigation
  // plan was made for this assessment (`netvet assess --plan`, attach_remedies
  // in netvet/plan.h); reports word remediation from it rather than the kind.
  std::map<std::string, std::string> remedies;
};

struct AssessInput {
  const Network& network;
  const Proposal* proposal = nullptr;  // optional
  const KnowledgeBase& kb;
  AssessOptions options;
};

// Runs the pipeline. Errors: unknown jurisdiction (kNotFound), an overlay of
// another jurisdiction or a proposal that does not apply (kBadInput).
Expected<Assessment> assess(const AssessInput& input);
// The same with the reader's view of input.kb already made (view_at(kb,
// clearance, jurisdiction)): a server shares one view per clearance.
Expected<Assessment> assess_shared(const AssessInput& input, const KbView& view);

// The jurisdiction `code` names (case-insensitive), checking that every
// overlay of the KB is for it. Errors: kNotFound naming the known codes (and a
// close one), kBadInput naming the overlay of another jurisdiction.
Expected<const Jurisdiction*> find_jurisdiction(const KnowledgeBase& kb, std::string_view code);

// The fields every JSON output opens with (assessment, graph, plan), in this
// order: netvet, engine, kb_version, jurisdiction, date, then clearance when
// given and classification (the output's marking) when above UNCLASSIFIED.
nlohmann::ordered_json json_output_header(std::string_view kb_version, std::string_view jurisdiction, Date date,
                                          std::optional<Classification> clearance,
                                          Classification marking = Classification::kUnclassified);

// sha256 of bytes as lowercase hex.
std::string sha256_hex(std::string_view bytes);

// The pure steps of assess(), public so tests, the planner and the server can
// reuse them (docs/assessment.md states the rules they implement).

// The determination over every finding, before disclosure: no binding
// violation -> no-significant-risk; any binding violation of severity high or
// critical -> significant-risk; otherwise risk-mitigable. Reasons are the ids
// of the binding violations that drive the outcome, most severe first.
Determination determine(const std::vector<Finding>& findings);

// Coverage (coverage.cc): per rule in force, the components it could not
// judge and why; over the rules that decide, the distinct unjudged components.
// `vendor_findings` gets one advisory finding per vendor spelling the KB does
// not know (with the vendor it most likely means), so an unknown vendor is
// always reported, whatever the rules select.
Coverage measure_coverage(const std::vector<const RuleSpec*>& rules, const EvalContext& ctx,
                          Classification clearance, size_t max_unjudged);
std::vector<Finding> unknown_vendor_findings(const EvalContext& ctx);
// Marks what a finding rests on that the standard inferred rather than the
// inventory stated: evidence "inferred" lists each component whose generation
// came from its function (a gNB is 5G) under a rule that selects on generation.
void mark_inferred(std::vector<Finding>& findings, const std::vector<const RuleSpec*>& rules, const EvalContext& ctx);
// A no-significant-risk over more unjudged components than allowed becomes
// insufficient-information: never an all-clear on what could not be judged.
// A risk already found stands (more facts could only add to it).
void apply_coverage(Determination& d, const Coverage& coverage);

// Withholds whole findings above `clearance` from a list of findings (e.g.
// findings an assessor added to a stored case), counting them per level
// (ascending); reasons naming a withheld finding become one "withheld:LEVEL"
// entry per level, after the visible ones. An assessment does not use it: it
// runs the rules on the reader's view and splits (disclosed_determination).
struct Disclosure {
  std::vector<Finding> visible;
  std::vector<Withheld> withheld;
  std::vector<std::string> reasons;
};
Disclosure disclose(std::vector<Finding> findings, const std::vector<std::string>& reasons,
                    Classification clearance);

// The disclosure layer's decision (docs/assessment.md): the outcome is
// determine(all).outcome, the real decision. `visible` receives the findings
// the reader may see: *shown (the findings of the reader's view of the KB, so a
// public rule's public part is shown even when a classified vendor rating also
// matched it) or, when shown is null, those of `all` at or below the clearance.
// `withheld` counts the findings of `all` above the clearance per level. Score
// and reasons depend only on `visible`, the withheld counts and the outcome.
Determination disclosed_determination(std::vector<Finding> all, std::vector<Finding>* shown, Classification clearance,
                                      std::vector<Finding>& visible, std::vector<Withheld>& withheld);

// "sha256:<hex>" over a canonical serialization of the network and proposal
// content (not their file names or source lines), the KB version and the
// content of the KB the jurisdiction uses (its pack, vendors, overlays), the
// jurisdiction, date, clearance and engine version.
std::string assessment_digest(const Network& network, const Proposal* proposal, const KnowledgeBase& kb,
                              const Jurisdiction& jurisdiction, const AssessOptions& options);
// The same digest at several clearances (options.clearance is not read) in one
// pass over the network: what a service rendering one assessment at every level needs.
std::vector<std::string> assessment_digests(const Network& network, const Proposal* proposal,
                                            const KnowledgeBase& kb, const Jurisdiction& jurisdiction,
                                            const AssessOptions& options,
                                            const std::vector<Classification>& clearances);

}  // namespace netvet
