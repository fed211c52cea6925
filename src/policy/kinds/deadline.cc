// deadline: matching equipment must be gone by a date (UK DVD: Huawei out of
// the core by 2023-12-31 and out of the network by 2027-12-31; DE BSI 2026 and
// 2029). Overdue is a violation; within warn_days it is a warning with the days
// left, and the deadline day itself is still a warning (equipment may be
// present until the end of that day).
#include "kinds/kinds.h"

namespace netvet::policy {
namespace {

// Two years: the UK DVD gave operators between 14 months and 5 years; a
// warning two years out is what a removal programme needs to be planned.
constexpr double kDefaultWarnDays = 730;

struct Params {
  Date by;
  double warn_days = kDefaultWarnDays;

  // nullopt for a rule validation rejected (evaluation then yields nothing).
  static std::optional<Params> read(const RuleSpec& rule) {
    auto by = param_date(rule, "by");
    if (!by) return std::nullopt;
    return Params{*by, param_number(rule, "warn_days").value_or(kDefaultWarnDays)};
  }
};

class Deadline final : public RuleKind {
 public:
  std::string_view name() const override { return "deadline"; }

  const std::vector<ParamSpec>& params() const override {
    static const std::vector<ParamSpec> kParams = {{"by", ParamType::kDate, true},
                                                   {"warn_days", ParamType::kNumber, false, 0, 36500}};
    return kParams;
  }

  // Until its day has passed a deadline only warns.
  bool can_breach(const RuleSpec& rule, Date date) const override {
    auto p = Params::read(rule);
    return !p || p->by < date;
  }

  std::optional<Date> last_day(const RuleSpec& rule) const override {
    auto p = Params::read(rule);
    return p ? std::optional<Date>(p->by) : std::nullopt;
  }

  bool plan(const RuleSpec&, std::span<const Finding> findings, const EvalContext&,
            std::vector<PlanNeed>& out) const override {
    return plan_clear_each(findings, false, out);
  }

  void evaluate(const RuleSpec& rule, const ComponentSet& matched, const EvalContext& ctx,
                std::vector<Finding>& out) const override {
    const auto params = Params::read(rule);
    if (!params) return;
    const Date* by = &params->by;
    std::vector<ComponentIdx> members = matched.members();
    if (members.empty()) return;
    const double warn_days = params->warn_days;
    const int32_t delta = ctx.date.days - by->days;  // > 0: overdue
    const Equipment eq(ctx, members);
    Finding f = make_finding(rule, name());
    f.evidence["by"] = by->to_string();
    f.evidence["date"] = ctx.date.to_string();
    f.evidence["count"] = members.size();
    if (delta > 0) {
      f.message = eq.what() + " still in place " + plural(static_cast<uint64_t>(delta), "day") + " after the " +
                  by->to_string() + " removal deadline: " + eq.list() + ".";
      f.evidence["days_overdue"] = delta;
    } else {
      const int32_t left = -delta;
      if (left > warn_days) return;
      f.violation = false;
      f.message = eq.what() + " to be removed by " + by->to_string() + " (" +
                  plural(static_cast<uint64_t>(left), "day") + " left): " + eq.list() + ".";
      f.evidence["days_left"] = left;
    }
    f.evidence["vendors"] = vendor_counts(ctx, members);
    f.components = std::move(members);
    out.push_back(std::move(f));
  }
};

}  // namespace

const RuleKind& deadline_kind() {
  static const Deadline kKind;
  return kKind;
}

}  // namespace netvet::policy
