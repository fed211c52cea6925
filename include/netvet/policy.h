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
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "netvet/common.h"
#include "netvet/graph.h"
#include "netvet/kb.h"
#include "netvet/model.h"

namespace netvet {

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

// A parameter as its rule kind declares it. The KB loader validates packs
// against these declarations (through validate_rule) and a test holds the
// published pack JSON Schema to them, so neither keeps its own list.
enum class ParamType : uint8_t { kNumber, kString, kList, kSelector, kBool, kDate };
struct ParamSpec {
  std::string_view name;
  ParamType type;
  bool required = false;
  double min = -1e300, max = 1e300;            // numbers only
  std::vector<std::string_view> choices = {};  // strings and list items: the allowed values (empty = any)
};

// What clearing a rule's binding violations asks of the mitigation planner
// (src/plan), in the rule kind's own terms; the planner prices the options.
namespace plan_need {
// The component must stop matching the rule: replaced by a vendor the rule
// does not select, removed, or (when move_clears) moved beyond every zone.
struct Clear {
  ComponentIdx component;
  bool move_clears = false;
};
// One unit of a share's population (a site, or a component): it counts as
// matched while any of `matched` still matches, and leaves the population only
// when every component of `scope` is removed.
struct CapUnit {
  double weight = 1;
  std::vector<ComponentIdx> scope, matched;  // matched is a subsequence of scope
};
// sum(weight of matched units) <= max_percent of sum(weight of units).
struct Cap {
  double max_percent = 100;
  std::string label;  // "region North", or "" for the whole network
  std::vector<CapUnit> units;
};
// No path on the graph built with `graph` from a remaining source to a target.
struct Isolate {
  GraphOptions graph;
  std::vector<ComponentIdx> sources, targets;
};
}  // namespace plan_need
using PlanNeed = std::variant<plan_need::Clear, plan_need::Cap, plan_need::Isolate>;

// A place a rule keeps matching equipment away from (the planner moves
// equipment beyond every one of them).
struct GeoZone {
  double lat, lon, radius_km;
};

// One rule kind: the single owner of its typed params, their validation, its
// evaluation and what it asks of the planner. Implementations live in
// src/policy/kinds/, one file each; a new kind is that file, its test and a
// line in the registry (evaluate.cc). No other stage branches on kind names.
class RuleKind {
 public:
  virtual ~RuleKind() = default;
  virtual std::string_view name() const = 0;
  // The params the kind takes, in the order documentation lists them.
  virtual const std::vector<ParamSpec>& params() const = 0;
  // Checks params against params() (types, ranges, choices, dates) with the
  // params' own locations; a kind with rules across params adds them.
  virtual void validate(const RuleSpec& rule, Diagnostics& diags) const;
  // Appends findings for `rule`, given the components its `where` selects.
  virtual void evaluate(const RuleSpec& rule, const ComponentSet& matched, const EvalContext& ctx,
                        std::vector<Finding>& out) const = 0;
  // True when evaluate() reads ctx.graph (the caller builds it only then).
  virtual bool uses_access_graph() const { return false; }
  // Whether the rule's findings on `date` can be breaches (a notification
  // obligation never is; a deadline only once its day has passed).
  virtual bool can_breach(const RuleSpec&, Date) const { return true; }
  // The last day the rule tolerates matching equipment (a deadline's `by`):
  // the planner checks the day after it.
  virtual std::optional<Date> last_day(const RuleSpec&) const { return std::nullopt; }
  // Places the rule keeps matching equipment away from, in `net`.
  virtual std::vector<GeoZone> zones(const RuleSpec&, const Network&) const { return {}; }
  // What clearing `findings` (this rule's binding violations on ctx.date)
  // takes. False when the planner cannot plan this kind.
  virtual bool plan(const RuleSpec&, std::span<const Finding>, const EvalContext&, std::vector<PlanNeed>&) const {
    return false;
  }
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
