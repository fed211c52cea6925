// Rules: the eight rule kinds of DESIGN.md, each one C++ type with one job,
// parameterised by data (RuleSpec from kb/). Selectors compile to component
// bitmaps computed column by column, never by interpreting a rule per row.
//
// evaluate_rules() is pure: it reads the network, the resolved vendor columns
// and (for isolation) the access graph, and returns findings in rule order.
// Thread-safe for concurrent calls on distinct contexts.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "netvet/common.h"
#include "netvet/kb.h"
#include "netvet/model.h"

namespace netvet {

class AccessGraph;

// What the assessment knows about each component's vendor on the date.
struct VendorColumns {
  std::vector<uint32_t> vendor;         // KB vendor index, kNone when unresolved
  std::vector<VendorRisk> risk;         // per component
  std::vector<uint8_t> designated;      // 1 if designated by this jurisdiction's own authority on the date
  std::vector<uint32_t> basis;          // index into `bases`, kNone if trusted
  std::vector<RiskBasis> bases;         // distinct reasons, shared by components
  std::vector<Classification> basis_classification;  // per basis: overlay-derived reasons are classified
  // Per basis: index into Jurisdiction::risk_criteria when the reason is that
  // criterion (netvet's reading of the jurisdiction's test, not a designation),
  // -1 for designations, overlay assessments and unknown vendors.
  std::vector<int32_t> basis_criterion;
};

// Resolves every component's vendor through the KB for a jurisdiction and date.
VendorColumns resolve_vendors(const Network& net, const KnowledgeBase& kb, const Jurisdiction& j, Date date);

struct EvalContext {
  const Network& net;
  const KnowledgeBase& kb;
  const Jurisdiction& jurisdiction;
  Date date;
  const VendorColumns& vendors;
  // Per component of net: existing/added/changed. Empty when no proposal.
  const std::vector<ComponentState>& state;
  // Access graph for isolation rules; built by the caller. May be null when no
  // rule needs it.
  const AccessGraph* graph = nullptr;
  // The network before the proposal and the indices into it of components the
  // proposal removes (they are not in `net`). Null without a proposal; the
  // notify kind counts removed matching equipment from them.
  const Network* base = nullptr;
  const std::vector<ComponentIdx>* removed = nullptr;
};

// A set of components as a bitmap (one bit per component).
class ComponentSet {
 public:
  explicit ComponentSet(size_t n = 0) : words_((n + 63) / 64, 0), n_(n) {}
  void set(ComponentIdx c) { words_[c >> 6] |= uint64_t{1} << (c & 63); }
  bool test(ComponentIdx c) const { return (words_[c >> 6] >> (c & 63)) & 1; }
  size_t size() const { return n_; }
  size_t count() const;
  std::vector<ComponentIdx> members() const;
  ComponentSet& operator&=(const ComponentSet& o);
  ComponentSet& operator|=(const ComponentSet& o);
  void invert();
  std::vector<uint64_t>& words() { return words_; }
  const std::vector<uint64_t>& words() const { return words_; }

 private:
  std::vector<uint64_t> words_;
  size_t n_;
};

// Compiles a selector against the context: each clause becomes a pass over one
// column. Unknown fields or values are reported when rules are validated.
ComponentSet select(const Selector& sel, const EvalContext& ctx);

struct Finding {
  std::string id;  // stable: rule id + hash of sorted component ids (survives re-runs)
  std::string rule;
  std::string kind;
  Severity severity = Severity::kHigh;
  bool binding = true;
  bool violation = true;  // false for warnings (upcoming deadlines) and notices (notify)
  Classification classification = Classification::kUnclassified;
  std::string title;
  std::string message;
  std::vector<ComponentIdx> components;  // sorted by component id string
  nlohmann::ordered_json evidence = nlohmann::ordered_json::object();  // figures, a path (component ids)
  Citation citation;
  bool unconfirmed = false;
};

// One rule kind. Implementations live in src/policy/kinds/, one file each.
class RuleKind {
 public:
  virtual ~RuleKind() = default;
  virtual std::string_view name() const = 0;
  // Checks params (types, ranges, dates) and reports with the params' locations.
  virtual void validate(const RuleSpec& rule, Diagnostics& diags) const = 0;
  // Appends findings for `rule`, given the components its `where` selects.
  virtual void evaluate(const RuleSpec& rule, const ComponentSet& matched, const EvalContext& ctx,
                        std::vector<Finding>& out) const = 0;
};

// The registry: the eight kinds in DESIGN.md order.
const std::vector<const RuleKind*>& rule_kinds();
const RuleKind* find_rule_kind(std::string_view name);

// Validates a rule's kind, selector fields and params. Matches kb::RuleValidator.
void validate_rule(const RuleSpec& rule, Diagnostics& diags);

// Evaluates every rule of the jurisdiction (and overlays) in force on ctx.date.
// Rules not yet in force produce nothing, except deadlines that warn ahead.
std::vector<Finding> evaluate_rules(const std::vector<const RuleSpec*>& rules, const EvalContext& ctx);

// Stable finding id: "<rule>#<8 hex of sha256 over sorted component ids>".
std::string finding_id(std::string_view rule, const Network& net, const std::vector<ComponentIdx>& components);

}  // namespace netvet
