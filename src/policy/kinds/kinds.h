// Private to src/policy: the eight rule-kind singletons, the param readers and
// checkers every kind shares, and the helpers that word findings the way an
// assessing agency would (counts, vendor names, measure, date).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "netvet/kb.h"
#include "netvet/policy.h"

namespace netvet::policy {

// The registry entries, one per file in kinds/.
const RuleKind& exclude_kind();
const RuleKind& share_cap_kind();
const RuleKind& deadline_kind();
const RuleKind& procurement_kind();
const RuleKind& exclusion_zone_kind();
const RuleKind& isolation_kind();
const RuleKind& notify_kind();
const RuleKind& diversity_kind();

// ---- reading params (after validation; missing or ill-typed values give nullopt) ----

const ParamValue* find_param(const RuleSpec& rule, std::string_view name);
// Numbers may arrive as doubles or (from a lenient loader) numeric strings.
std::optional<double> param_number(const RuleSpec& rule, std::string_view name);
std::optional<std::string> param_string(const RuleSpec& rule, std::string_view name);
// A list of strings; a single string is a one-element list.
std::optional<std::vector<std::string>> param_list(const RuleSpec& rule, std::string_view name);
const Selector* param_selector(const RuleSpec& rule, std::string_view name);
// true/false, yes/no, or 1/0.
std::optional<bool> param_bool(const RuleSpec& rule, std::string_view name);
std::optional<Date> param_date(const RuleSpec& rule, std::string_view name);

// ---- validating params: every error carries the param's own location ----

// Reports unknown params (did you mean), missing required ones, wrong types,
// out-of-range numbers, unknown choices and bad dates.
void check_params(const RuleSpec& rule, const std::vector<ParamSpec>& specs, Diagnostics& diags);
SourceLoc param_loc(const RuleSpec& rule, std::string_view name);

// Validates selector fields and the values of closed-vocabulary fields.
void validate_selector(const Selector& sel, const SourceLoc& fallback, Diagnostics& diags);

// ---- wording findings ----

std::string plural(uint64_t n, std::string_view one, std::string_view many = {});
std::string percent(double value);     // "35%", "41.2%"
std::string fmt_number(double value);  // integers without decimals, else up to 2
// {"Huawei Technologies Co., Ltd.": 12, ...} for evidence, most frequent first.
nlohmann::ordered_json vendor_counts(const EvalContext& ctx, std::span<const ComponentIdx> comps);
// Display name of a component's vendor: the KB vendor name, the raw string when
// unresolved, or "unspecified vendor".
std::string vendor_display(const EvalContext& ctx, ComponentIdx c);
// Where equipment sits, counted per domain, with the radio access network's
// generation: enough to say "the 5G radio access network and the 5G core".
struct Placement {
  std::array<uint64_t, kDomainCount> domains{};
  uint64_t ran_5g = 0, ran_4g = 0;  // of domains[kRan]
  void add(const Network& net, ComponentIdx c);
  // "the 5G core and the 4G core": the domains with equipment, most first, two named.
  std::string words() const;
};

// The equipment a finding is about, in an operator's words: whose it is, where
// in the network it sits, and which components. A finding's first sentence
// says what is wrong with it ("Huawei Technologies Co., Ltd. equipment in the
// 5G core: core-amf-1, core-smf-1 (2 components)"); the figures go to evidence.
class Equipment {
 public:
  Equipment(const EvalContext& ctx, std::span<const ComponentIdx> comps) { add(ctx, comps); }
  // Components of ctx.net (a removed component is added with the base network's context).
  void add(const EvalContext& ctx, std::span<const ComponentIdx> comps);
  // "Huawei Technologies Co., Ltd. and ZTE Corporation": most frequent first, two
  // named, then "and 2 other vendors'" before "equipment" (`possessive`) or "and 2 others".
  std::string vendors(bool possessive = true) const;
  // "the 5G core and the 4G core": most frequent first, two named.
  std::string where() const { return placement_.words(); }
  // "<vendors> equipment in <where>"
  std::string what() const { return vendors() + " equipment in " + where(); }
  // "core-amf-1, core-smf-1 (2 components)": ids in order, four named; the count when `counted`.
  std::string list(bool counted = true) const;

 private:
  std::map<std::string, uint64_t> vendors_;
  Placement placement_;
  std::vector<std::string_view> ids_;  // views into the networks, which outlive the finding's wording
};

// "a", "a and b", "a, b and c".
std::string join_and(const std::vector<std::string>& items);

// Region name of a component (its site's region), "" when none.
StrId component_region(const Network& net, ComponentIdx c);

// The matched components a proposal adds or changes, in order, with how many
// of each (notify and procurement judge only what the proposal touches).
struct Touched {
  std::vector<ComponentIdx> components;
  size_t added = 0, changed = 0;
};
Touched touched_by_proposal(const ComponentSet& matched, const EvalContext& ctx);

// Planner needs for kinds whose violations clear component by component:
// every component of every finding must stop matching.
bool plan_clear_each(std::span<const Finding> findings, bool move_clears, std::vector<PlanNeed>& out);

// A finding pre-filled with the rule's identity, severity, binding, citation.
Finding make_finding(const RuleSpec& rule, std::string_view kind);

// Per-group aggregation key for `per: region`: component -> group id (0 = all).
struct Groups {
  std::vector<uint32_t> of;        // per component, group index
  std::vector<std::string> names;  // per group: region name ("" when not per region)
};
Groups group_by(const EvalContext& ctx, bool per_region);

}  // namespace netvet::policy
