// notify: changes touching matching equipment must be notified to the
// authority before they proceed (NZ TICSA 2013 s48: network operators notify
// GCSB of proposed changes in areas of specified security interest). Never a
// violation: the finding is the binding obligation to notify.
#include "kinds/kinds.h"

namespace netvet::policy {
namespace {

struct Params {
  std::string authority;  // "" = the jurisdiction's authority
  double min_components = 1, min_subscribers = 0;

  static Params read(const RuleSpec& rule) {
    return {param_string(rule, "authority").value_or(""), param_number(rule, "min_components").value_or(1),
            param_number(rule, "min_subscribers").value_or(0)};
  }
};

class Notify final : public RuleKind {
 public:
  std::string_view name() const override { return "notify"; }

  const std::vector<ParamSpec>& params() const override {
    static const std::vector<ParamSpec> kParams = {{"authority", ParamType::kString},
                                                   {"min_components", ParamType::kNumber, false, 0, 1e12},
                                                   {"min_subscribers", ParamType::kNumber, false, 0, 1e15}};
    return kParams;
  }

  // The finding is the obligation to notify, never a breach.
  bool can_breach(const RuleSpec&, Date) const override { return false; }

  void evaluate(const RuleSpec& rule, const ComponentSet& matched, const EvalContext& ctx,
                std::vector<Finding>& out) const override {
    // Only a proposal changes anything.
    if (ctx.state.size() != ctx.net.components.size()) return;
    auto [touched, added, changed] = touched_by_proposal(matched, ctx);
    uint64_t subscribers = 0;
    for (ComponentIdx c : touched) subscribers += ctx.net.components.subscribers[c];
    // Removed components are no longer in the proposed network: the selector
    // runs again over the base network (vendors as resolved there) and counts
    // the removed ones that match.
    std::vector<ComponentIdx> gone;
    std::vector<std::string> gone_ids;
    Equipment eq(ctx, touched);  // and the removed, from the base network
    if (ctx.base && ctx.removed && !ctx.removed->empty()) {
      VendorColumns base_vendors = resolve_vendors(*ctx.base, ctx.kb, ctx.jurisdiction, ctx.date);
      const std::vector<ComponentState> base_state;  // empty: every base component is existing
      EvalContext bctx{*ctx.base, ctx.kb, ctx.jurisdiction, ctx.date, base_vendors, base_state, nullptr};
      ComponentSet base_matched = select(rule.where, bctx);
      for (ComponentIdx c : *ctx.removed) {
        if (c >= base_matched.size() || !base_matched.test(c)) continue;
        gone.push_back(c);
        gone_ids.emplace_back(ctx.base->component_id(c));
        subscribers += ctx.base->components.subscribers[c];
      }
      eq.add(bctx, gone);
    }
    const size_t removed = gone.size();
    const size_t total = touched.size() + removed;
    const Params params = Params::read(rule);
    const double min_components = params.min_components, min_subscribers = params.min_subscribers;
    if (total == 0 || static_cast<double>(total) < min_components ||
        static_cast<double>(subscribers) < min_subscribers) {
      return;
    }
    std::string authority = params.authority;
    if (authority.empty())
      authority = ctx.jurisdiction.authority.empty() ? ctx.jurisdiction.code : ctx.jurisdiction.authority;
    Finding f = make_finding(rule, name());
    f.violation = false;
    std::vector<std::string> parts;
    if (added) parts.push_back("adds " + std::to_string(added));
    if (changed) parts.push_back("changes " + std::to_string(changed));
    if (removed) parts.push_back("removes " + std::to_string(removed));
    std::string verbs;
    for (size_t i = 0; i < parts.size(); ++i) {
      if (i) verbs += i + 1 == parts.size() ? " and " : ", ";
      verbs += parts[i];
    }
    f.message = "The proposal " + verbs + (total == 1 ? " component" : " components") + " of " + eq.what() +
                ", a change that must be notified to " + authority + " before it proceeds: " + eq.list(false) + ".";
    f.evidence["authority"] = authority;
    f.evidence["added"] = added;
    f.evidence["changed"] = changed;
    f.evidence["removed"] = removed;
    if (!gone_ids.empty()) f.evidence["removed_components"] = gone_ids;
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
