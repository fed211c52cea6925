// procurement: no new matching equipment after the ban starts (UK: no new
// Huawei 5G equipment from 2021-01-01; US FCC: no authorisation of covered
// equipment). Only a proposal adds equipment, so without one there is nothing
// to judge: what is already installed is a deadline's business.
#include "kinds/kinds.h"

namespace netvet::policy {
namespace {

class Procurement final : public RuleKind {
 public:
  std::string_view name() const override { return "procurement"; }

  const std::vector<ParamSpec>& params() const override {
    static const std::vector<ParamSpec> kNone;
    return kNone;
  }

  void evaluate(const RuleSpec& rule, const ComponentSet& matched, const EvalContext& ctx,
                std::vector<Finding>& out) const override {
    if (ctx.state.size() != ctx.net.components.size()) return;  // no proposal
    // A changed component counts because the change makes it match now (a
    // vendor swap to a banned vendor is a purchase of banned equipment).
    auto [hits, added, changed] = touched_by_proposal(matched, ctx);
    if (hits.empty()) return;
    Finding f = make_finding(rule, name());
    const Equipment eq(ctx, hits);
    f.message = std::string(added && changed ? "New or changed " : added ? "New " : "Changed ") + eq.what() +
                " that may not be bought" +
                (rule.effective_from ? " since " + rule.effective_from->to_string() : std::string()) + ": " +
                eq.list() + ".";
    f.evidence["added"] = added;
    f.evidence["changed"] = changed;
    f.evidence["date"] = ctx.date.to_string();
    if (rule.effective_from) f.evidence["since"] = rule.effective_from->to_string();
    f.evidence["vendors"] = vendor_counts(ctx, hits);
    f.components = std::move(hits);
    out.push_back(std::move(f));
  }

  // Clearing a procurement finding means not buying it: another vendor, or not at all.
  bool plan(const RuleSpec&, std::span<const Finding> findings, const EvalContext&,
            std::vector<PlanNeed>& out) const override {
    return plan_clear_each(findings, false, out);
  }
};

}  // namespace

const RuleKind& procurement_kind() {
  static const Procurement kKind;
  return kKind;
}

}  // namespace netvet::policy
