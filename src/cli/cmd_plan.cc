// `netvet plan`: read a network (and a proposal), the KB and a cost model,
// plan the cheapest way to clear every binding finding, print the plan with
// its re-assessment. A thin shell over plan/; this file maps outcomes and
// errors to exit codes.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "netvet/engine.h"
#include "netvet/io.h"

namespace netvet::cli {
namespace {

struct PlanArgs : RequestArgs {
  std::string until, costs, portfolios, constraints, vendor, capacity;
  std::vector<std::string> allow_vendors;
  std::optional<double> budget;
  double time_limit = 300;
  bool fast = false;
  std::string format = "text";
  std::string proposal_out, network_out;
};

constexpr const char* kFooter = R"(Options in detail:
  NETWORK               The network as it stands (native YAML or JSON).
  --proposal FILE       Plan against the network as this proposal would leave it.
  --jurisdiction CODE   Whose binding rules the plan must clear (netvet kb list).
  --date YYYY-MM-DD     The plan starts here. Work is planned in whole calendar months from the
                        first month starting on or after this day, and is in service from the
                        first day of the next month; what is binding on this day is overdue until
                        the first month's work is in service, and is cleared then. Default: today.
  --until YYYY-MM-DD    Also clear everything binding up to this day: rules coming into force and
                        deadlines passing in between become checkpoints, and the plan is a
                        month-by-month schedule whose work is in service by each one.
  --costs FILE          The cost model (docs/plan.md). Default: costs.yaml in the KB directory,
                        whose figures are illustrative placeholders, not sourced prices.
  --portfolios FILE     What each vendor supplies (docs/plan.md "Portfolios"): a vendor replaces
                        only functions its portfolio lists. Default: portfolios.yaml in the KB,
                        with the evidence for each entry (vendor page, vendor document, report).
  --constraints FILE    What must change together (docs/plan.md): an element manager with the
                        elements it manages, a 5G NSA gNB with its LTE anchor eNB, a board with its
                        chassis. Default: constraints.yaml in the KB.
  --vendor ID           Replace only with this vendor (it must not be high-risk on any checkpoint).
                        Default: the cheapest allowed vendor the cost model prices.
  --allow-vendor IDS    The candidates the operator would buy from (comma-separated, repeatable),
                        e.g. --allow-vendor ericsson,nokia. Default: every vendor the costs price.
  --budget N            Total cost limit (cost-model currency). When it cannot clear every finding,
                        the plan within it that clears the most risk (findings weighted by severity
                        and the subscribers behind them), with what it leaves; exit code 1.
  --capacity N/month    Sites that can be visited per calendar month (N/mo also accepted; a bare N
                        or N/yr is refused: the schedule is by month).
  --fast                Greedy plan for very large networks, with its gap to the LP lower bound.
  --time-limit S        Solver time limit in seconds (default 300); a plan found but not proven
                        optimal by then is reported as "feasible".
  --clearance LEVEL     What the reader may see (default UNCLASSIFIED): the plan is made over the
                        rules and vendor ratings at or below it; overlay content above it is not
                        planned for, only counted. e.g. --clearance SECRET
  --kb-overlay FILE     Classified rules or vendor assessments an agency holds (repeatable).
  --format FORMAT       text (default) or json.
  -o FILE               Write to FILE (atomically) instead of stdout.
  --proposal-out FILE   Also write the plan as a native proposal against NETWORK: the notified
                        proposal with every planned action folded in, what an operator resubmits.
                        `netvet assess NETWORK --proposal FILE` re-assesses it.
  --network-out FILE    Also write the network as the plan leaves it (native JSON).

Examples:
  netvet plan examples/nz-spark-5g-2018/network.yaml \
      --proposal examples/nz-spark-5g-2018/proposal.yaml --jurisdiction NZ --date 2018-11-28
  netvet plan network.json --jurisdiction UK --date 2023-01-01 --until 2027-12-31 --capacity 40/month
  netvet plan network.yaml --proposal proposal.yaml -j NZ --date 2018-11-28 --proposal-out plan.json

Exit codes: 0 a plan that re-assesses with no binding finding (or nothing to do),
1 no plan within the constraints, a best-within-budget plan (status "partial"), or a plan
that leaves binding findings (shown),
2 bad input or usage, 3 internal error.)";

constexpr std::string_view kWho = "netvet plan";

int fail(std::string_view message) {
  std::cerr << kWho << ": error: " << message << "\n";
  return kExitBadInput;
}

int run(const Globals& g, const PlanArgs& args) {
  Date date = today();
  if (!args.date.empty()) {
    auto d = Date::parse(args.date);
    if (!d) return fail("--date: expected YYYY-MM-DD, got \"" + args.date + "\"");
    date = *d;
  }
  std::optional<Date> until;
  if (!args.until.empty()) {
    until = Date::parse(args.until);
    if (!until) return fail("--until: expected YYYY-MM-DD, got \"" + args.until + "\"");
    if (*until < date) return fail("--until " + args.until + " is before --date " + date.to_string());
  }
  std::optional<uint32_t> capacity;
  if (!args.capacity.empty()) {
    // Sites per month: the schedule is by month. A yearly figure is refused
    // rather than read as monthly (twelve times what was meant).
    const std::string& c = args.capacity;
    const auto slash = c.find('/');
    const std::string unit = slash == std::string::npos ? "" : c.substr(slash + 1);
    if (unit != "month" && unit != "mo")
      return fail("--capacity: expected sites per month, e.g. 3/month, got \"" + c +
                  "\" (the schedule is by month; a capacity per year is no longer accepted: divide it by 12)");
    try {
      const std::string n = c.substr(0, slash);
      size_t used = 0;
      long v = std::stol(n, &used);
      if (used != n.size() || v < 0 || v > 100000000) throw std::invalid_argument("");
      capacity = static_cast<uint32_t>(v);
    } catch (const std::exception&) {
      return fail("--capacity: expected a non-negative whole number of sites per month, e.g. 3/month, got \"" + c + "\"");
    }
  }
  if (args.budget && *args.budget < 0) return fail("--budget must not be negative");

  engine::PlanRequest request;
  if (int rc = make_request(g, kWho, args, request.request); rc != kExitOk) return rc;
  PlanOptions& o = request.options;
  if (int rc = load_plan_data(g, {args.costs, args.portfolios, args.constraints}, o); rc != kExitOk) return rc;
  o.until = until;
  o.vendor = args.vendor;
  o.allow_vendors = args.allow_vendors;
  o.budget = args.budget;
  o.capacity = capacity;
  o.fast = args.fast;
  o.time_limit_s = args.time_limit;
  auto result = engine::plan(request);
  if (!result) return report_error(kWho, result.error());
  if (std::getenv("NETVET_PLAN_PROFILE")) {
    // Benchmark aid (bench/plan_bench.sh): the phases on stderr, never in the plan's output.
    for (const auto& [name, secs] : result->stats.phases)
      std::fprintf(stderr, "plan phase %-22s %9.3f s\n", name.c_str(), secs);
    std::fprintf(stderr, "plan total %27.3f s  (%u variables, %u constraints, %u solves, %u path constraints)\n",
                 result->stats.seconds, result->stats.variables, result->stats.constraints,
                 result->stats.iterations, result->stats.path_constraints);
  }
  std::string out = args.format == "json" ? write_plan_json(*result) : write_plan_text(*result);
  if (int rc = emit(kWho, args.output, out, result->marking); rc != kExitOk) return rc;
  // The plan's network and proposal hold no more than the plan shows: the same marking.
  const PlanInput planned{*request.request.network, request.request.proposal.get(), *request.request.kb, o};
  if (!args.proposal_out.empty() && result->status != PlanStatus::kInfeasible) {
    auto p = plan_as_proposal(planned, *result);
    if (!p) return report_error(kWho, p.error());
    if (int rc = emit(kWho, args.proposal_out, write_proposal_json(*p), result->marking); rc != kExitOk) return rc;
  }
  if (!args.network_out.empty() && result->status != PlanStatus::kInfeasible) {
    auto n = apply_plan(planned, *result, Date::from_ymd(9999, 12, 31));  // every month's work done
    if (!n) return report_error(kWho, n.error());
    if (int rc = emit(kWho, args.network_out, write_network_json(*n), result->marking); rc != kExitOk) return rc;
  }
  if (result->status == PlanStatus::kInfeasible) return kExitRisk;
  return result->verified ? kExitOk : kExitRisk;
}

}  // namespace

void register_plan(CLI::App& app, Globals& g, int& exit_code) {
  auto args = std::make_shared<PlanArgs>();
  CLI::App* sub = app.add_subcommand(
      "plan",
      "Plan the cheapest way to clear every binding finding of a jurisdiction: what to replace, remove,\n"
      "move or protect, where, by when and at what cost; the planned network is re-assessed as proof.");
  add_request_options(sub, *args, "Plan start date");
  sub->add_option("--until", args->until, "Clear everything binding up to this date")->type_name("YYYY-MM-DD");
  sub->add_option("--costs", args->costs, "Cost model (default: costs.yaml in the KB)")->type_name("FILE");
  sub->add_option("--portfolios", args->portfolios, "What each vendor supplies (default: portfolios.yaml in the KB)")
      ->type_name("FILE");
  sub->add_option("--constraints", args->constraints,
                  "What must change together (default: constraints.yaml in the KB)")
      ->type_name("FILE");
  sub->add_option("--vendor", args->vendor, "Replace only with this vendor id")->type_name("ID");
  sub->add_option("--allow-vendor", args->allow_vendors, "Candidate replacement vendors (comma-separated)")
      ->type_name("IDS")
      ->delimiter(',');
  sub->add_option("--budget", args->budget, "Total cost limit")->type_name("N");
  sub->add_option("--capacity", args->capacity, "Sites that can be visited per month")->type_name("N/month");
  sub->add_option("--time-limit", args->time_limit, "Solver time limit in seconds (default 300)")->type_name("S");
  sub->add_flag("--fast", args->fast, "Greedy plan with its gap to the LP bound");
  sub->add_option("--format,-f", args->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("text|json");
  sub->add_option("--proposal-out", args->proposal_out, "Write the plan as a native proposal")->type_name("FILE");
  sub->add_option("--network-out", args->network_out, "Write the planned network")->type_name("FILE");
  sub->footer(kFooter);
  sub->callback([&g, &exit_code, args] { exit_code = run(g, *args); });
}

}  // namespace netvet::cli
