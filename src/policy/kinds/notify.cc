// notify: changes touching matching equipment must be notified to the
// authority before they proceed (NZ TICSA 2013 s48: network operators notify
// GCSB of proposed changes in areas of specified security interest). Never a
// violation: the finding is the binding obligation to notify.
#include "kinds/kinds.h"

namespace netvet::policy {
namespace {

class Notify final : public RuleKind {
 public:
  std::string_view name() const override { return "notify"; }

  void validate(const RuleSpec& rule, Diagnostics& diags) const override {
    check_params(rule,
                 {{"authority", ParamType::kString},
                  {"min_components", ParamType::kNumber, false, 0, 1e12},
                  {"min_subscribers", ParamType::kNumber, false, 0, 1e15}},
                 diags);
  }

  void evaluate(const RuleSpec& rule, const ComponentSet& matched, const EvalContext& ctx,
                std::vector<Finding>& out) const override {
    // Only a proposal changes anything. Removed components are no longer in the
    // proposed network, so only additions and changes are visible here.
    if (ctx.state.size() != ctx.net.components.size()) return;
    std::vector<ComponentIdx> touched;
    size_t added = 0, changed = 0;
    uint64_t subscribers = 0;
    for (ComponentIdx c : matched.members()) {
      if (ctx.state[c] == ComponentState::kAdded) {
        ++added;
      } else if (ctx.state[c] == ComponentState::kChanged) {
        ++changed;
      } else {
        continue;
      }
      touched.push_back(c);
      subscribers += ctx.net.components.subscribers[c];
    }
    const double min_components = param_number(rule, "min_components").value_or(1);
    const double min_subscribers = param_number(rule, "min_subscribers").value_or(0);
    if (touched.empty() || static_cast<double>(touched.size()) < min_components ||
        static_cast<double>(subscribers) < min_subscribers) {
      return;
    }
    std::string authority = param_string(rule, "authority").value_or("");
    if (authority.empty())
      authority = ctx.jurisdiction.authority.empty() ? ctx.jurisdiction.code : ctx.jurisdiction.authority;
    Finding f = make_finding(rule, name());
    f.violation = false;
    std::string verbs;
    if (added) verbs = "adds " + std::to_string(added);
    if (changed) verbs += (verbs.empty() ? "changes " : " and changes ") + std::to_string(changed);
    f.message = "The proposal " + verbs + (touched.size() == 1 ? " component" : " components") + " matching " +
                describe_selector(rule.where) + " (" + vendor_summary(ctx, touched) + "), serving " +
                plural(subscribers, "subscriber") + ": it must be notified to " + authority +
                " before it proceeds (assessed on " + ctx.date.to_string() + ").";
    f.evidence["authority"] = authority;
    f.evidence["added"] = added;
    f.evidence["changed"] = changed;
    f.evidence["subscribers"] = subscribers;
    f.evidence["min_components"] = min_components;
    f.evidence["min_subscribers"] = min_subscribers;
    f.components = std::move(touched);
    out.push_back(std::move(f));
  }
};

}  // namespace

const RuleKind& notify_kind() {
  static const Notify kKind;
  return kKind;
}

}  // namespace netvet::policy
