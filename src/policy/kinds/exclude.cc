// exclude: matching equipment must not be present at all (e.g. Huawei and ZTE
// out of the 5G core: AU 2018 guidance, SE PTS 2020 licence conditions).
#include "kinds/kinds.h"

namespace netvet::policy {
namespace {

class Exclude final : public RuleKind {
 public:
  std::string_view name() const override { return "exclude"; }

  const std::vector<ParamSpec>& params() const override {
    static const std::vector<ParamSpec> kNone;
    return kNone;
  }

  void evaluate(const RuleSpec& rule, const ComponentSet& matched, const EvalContext& ctx,
                std::vector<Finding>& out) const override {
    std::vector<ComponentIdx> members = matched.members();
    if (members.empty()) return;
    Finding f = make_finding(rule, name());
    const Equipment eq(ctx, members);
    f.message = eq.what() + ", where the rule excludes it: " + eq.list() + ".";
    f.evidence["count"] = members.size();
    f.evidence["date"] = ctx.date.to_string();
    f.evidence["vendors"] = vendor_counts(ctx, members);
    f.components = std::move(members);
    out.push_back(std::move(f));
  }

  bool plan(const RuleSpec&, std::span<const Finding> findings, const EvalContext&,
            std::vector<PlanNeed>& out) const override {
    return plan_clear_each(findings, false, out);
  }
};

}  // namespace

const RuleKind& exclude_kind() {
  static const Exclude kKind;
  return kKind;
}

}  // namespace netvet::policy
