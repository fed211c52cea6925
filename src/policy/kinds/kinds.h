// Private to src/policy: the eight rule-kind singletons, the param readers and
// checkers every kind shares, and the helpers that word findings the way an
// assessing agency would (counts, vendor names, measure, date).
#pragma once

#include <cstdint>
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
// "Huawei (12), ZTE (3)" for the components given, most frequent first, at most `max_named`.
std::string vendor_summary(const EvalContext& ctx, std::span<const ComponentIdx> comps, size_t max_named = 3);
// {"Huawei Technologies Co., Ltd.": 12, ...} for evidence, most frequent first.
nlohmann::ordered_json vendor_counts(const EvalContext& ctx, std::span<const ComponentIdx> comps);
// Display name of a component's vendor: the KB vendor name, the raw string when
// unresolved, or "unspecified vendor".
std::string vendor_display(const EvalContext& ctx, ComponentIdx c);
// "vendor huawei, domain core-5g or core-4g": the selector as a reader would say it.
std::string describe_selector(const Selector& sel);
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
