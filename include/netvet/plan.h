// The mitigation planner: after a rejection, what must be replaced, removed,
// moved or protected, where, by when and at what cost, so that every binding
// finding of a jurisdiction is cleared at the chosen date(s). The plan is the
// optimum of an integer program solved with COIN-OR CBC (docs/plan.md has the
// formulation); a greedy mode for very large networks reports its gap to the
// LP bound instead. Every plan is proved by applying it to the network and
// running assess() again at each checkpoint.
//
// plan() reads its inputs and returns a value: no files, no printing. It is
// safe to call concurrently on distinct inputs.
//
//   netvet::PlanOptions o;
//   o.jurisdiction = "UK"; o.date = *netvet::Date::parse("2023-08-01");
//   o.costs = *netvet::parse_cost_model(yaml_text, "kb/costs.yaml", diags);
//   auto p = netvet::plan({net, nullptr, *kb, o});
//   if (p && p->status == netvet::PlanStatus::kOptimal) std::cout << netvet::write_plan_text(*p);
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "netvet/assess.h"
#include "netvet/common.h"
#include "netvet/kb.h"
#include "netvet/model.h"

namespace netvet {

// What a plan may do to the network.
enum class ActionKind : uint8_t {
  kReplace,  // swap a component's vendor for an allowed one (same function, same site)
  kRemove,   // decommission a component (and its links)
  kMove,     // relocate a component to a new site outside every exclusion zone
  kProtect,  // encrypt + integrity-protect + monitor a link: a boundary that stops access propagation
};
std::string_view action_kind_name(ActionKind k);  // "replace" "remove" "move" "protect"

// Costs as data (kb/costs.yaml or --costs FILE; docs/plan.md). Per-component
// costs are looked up by function name, then domain name, then "*"; a missing
// entry means the action is not offered for that component.
struct CostModel {
  std::string file;
  std::string currency = "EUR";
  std::string basis;  // what the figures rest on, printed with every plan
  // Replacement vendors the planner may choose from, with their cost class
  // ("tier1", "open-ran"). A vendor is offered only where it is allowed:
  // known to the KB and not high-risk in the jurisdiction on the date.
  std::map<std::string, std::string> vendor_class;
  // function|domain|"*" -> vendor class -> cost of replacing one component.
  std::map<std::string, std::map<std::string, double>> replace;
  std::map<std::string, double> remove;  // function|domain|"*" -> decommissioning cost
  std::map<std::string, double> move;    // function|domain|"*" -> relocation cost
  double site_visit = 0;    // once per site and year with any replace/remove/move there
  double protect_link = 0;  // per link given encryption + integrity + monitoring
  double move_margin_km = 1;  // how far beyond a zone's edge a moved component lands

  // A jurisdiction's own currency and any table that differs from the
  // defaults (jurisdictions: in the file); for_jurisdiction() applies it.
  struct Override {
    std::string currency, basis;
    std::optional<double> site_visit, protect_link;
    std::map<std::string, std::map<std::string, double>> replace;
    std::map<std::string, double> remove, move;
  };
  std::map<std::string, Override> jurisdictions;
  // A public programme total a plan can be set beside (not a unit price): the
  // plan prints it, per `per` (e.g. carriers) when given.
  struct Calibration {
    std::string jurisdiction, currency, what, source, url;
    double amount = 0, per = 0;
    std::string per_unit;  // what `per` counts ("carriers")
  };
  std::vector<Calibration> calibration;

  // The model as it applies in one jurisdiction.
  CostModel for_jurisdiction(std::string_view code) const;
  std::optional<double> replace_cost(Function f, std::string_view vendor_class) const;
  std::optional<double> remove_cost(Function f) const;
  std::optional<double> move_cost(Function f) const;
};

// Parses a cost model (YAML). Problems go to diags with file:line:col.
Expected<CostModel> parse_cost_model(std::string_view yaml, const std::string& file, Diagnostics& diags);

// Which functions each replacement vendor supplies, and what says so
// (kb/portfolios.yaml, docs/plan.md "Portfolios"): a vendor is offered as the
// replacement for a component only where an entry lists its function.
enum class PortfolioEvidence : uint8_t { kVendorPage, kVendorDocument, kReport };  // strongest first
std::string_view portfolio_evidence_name(PortfolioEvidence e);

struct PortfolioEntry {
  std::vector<Function> functions;
  std::string product;
  PortfolioEvidence evidence = PortfolioEvidence::kReport;
  std::string url;
  SourceLoc loc;
};

struct Portfolios {
  std::string file;
  std::map<std::string, std::vector<PortfolioEntry>> vendors;  // vendor id -> entries
  std::map<std::string, SourceLoc> vendor_loc;                // where each vendor key is
  // The strongest entry showing `vendor` supplies `f`; nullptr when none does.
  const PortfolioEntry* supplies(std::string_view vendor, Function f) const;
};

// Parses a portfolio file (YAML). Problems go to diags with file:line:col.
Expected<Portfolios> parse_portfolios(std::string_view yaml, const std::string& file, Diagnostics& diags);

// What must change together (kb/constraints.yaml, docs/plan.md "What must
// change together"): equipment that only works with equipment of its own
// vendor. The planner honours each constraint in the integer program, the
// greedy and the plan it writes out.
struct ChangeConstraint {
  enum class Kind : uint8_t {
    // An element manager is of its managed elements' vendor: it is replaced
    // (or removed) only once every element it manages has left it, and an
    // element replaced by a vendor that has no element manager in the network
    // takes its manager with it. Elements replaced by a vendor that has one
    // are re-homed to it.
    kManager,
    // Both ends take the same action in the same year: the same replacement
    // vendor (when they share a vendor now), removal or move.
    kTogether,
  };
  std::string id, why;
  Kind kind = Kind::kTogether;
  // Over which links the pair is related; `parent` relates a component to
  // its parent (a board to its chassis) instead.
  std::vector<Interface> via;
  bool parent = false;
  // kManager: `a` selects the managers (the management end of the link), `b`
  // the elements. kTogether: one end matches `a` and the other `b`. Empty
  // lists match anything.
  struct Ends {
    std::vector<Function> functions;
    std::vector<Generation> generations;
  } a, b;
  // Jurisdictions where a manager constraint is relaxed (kb/constraints.yaml
  // `waived_for`): there the manager may be replaced by another vendor's
  // (multi-vendor) management system while its elements stay; it is still
  // removed only once its elements have left it.
  struct Waiver {
    std::string jurisdiction, why;
    Citation citation;
    SourceLoc loc;
  };
  std::vector<Waiver> waived_for;
  const Waiver* waiver(std::string_view jurisdiction) const {
    for (const Waiver& w : waived_for)
      if (w.jurisdiction == jurisdiction) return &w;
    return nullptr;
  }
  SourceLoc loc;
};

struct ChangeConstraints {
  std::string file;
  std::vector<ChangeConstraint> constraints;
};

// Parses kb/constraints.yaml (or --constraints FILE). Problems go to diags with file:line:col.
Expected<ChangeConstraints> parse_change_constraints(std::string_view yaml, const std::string& file,
                                                     Diagnostics& diags);

struct PlanOptions {
  std::string jurisdiction;
  Date date;                  // the plan starts here; findings binding on this date are cleared
  std::optional<Date> until;  // also clear everything binding up to this date (deadlines give the schedule)
  CostModel costs;
  std::string vendor;               // replace only with this vendor (must be allowed); "" = cheapest allowed
  std::vector<std::string> allow_vendors;  // the operator's candidate list (empty: every priced vendor)
  // What each vendor supplies; without it every priced vendor is offered for
  // every function its class prices (tests, and a KB without portfolios).
  std::optional<Portfolios> portfolios;
  // What must change together; without it components change one by one.
  std::optional<ChangeConstraints> constraints;
  std::optional<double> budget;     // total cost limit; when it cannot clear everything, the plan
                                    // within it that clears the most risk (PlanStatus::kPartial)
  std::optional<uint32_t> capacity; // sites that can be visited per calendar month
  bool fast = false;                // greedy plan + LP bound instead of the exact ILP
  double time_limit_s = 300;        // CBC time limit; hitting it gives kFeasible, not kOptimal
  bool verify = true;               // re-assess the planned network at every checkpoint
  unsigned threads = 0;             // thread budget of the re-assessments; 0: hardware concurrency
  Classification clearance = Classification::kTopSecret;  // the planner must see every binding rule
};

struct PlanInput {
  const Network& network;
  const Proposal* proposal = nullptr;  // plan against the proposed network
  const KnowledgeBase& kb;
  PlanOptions options;
};

struct PlannedAction {
  ActionKind kind = ActionKind::kReplace;
  // The calendar month the work is done in; it is in service from the first
  // day of the next month (docs/plan.md "Dates, checkpoints and the schedule").
  int year = 0;
  int month = 1;                // 1..12
  ComponentIdx component = kNone;  // in the (proposed) network; kNone for kProtect
  LinkIdx link = kNone;            // kProtect only
  std::string component_id;     // for kProtect: "a -- b (interface)"
  std::string site;             // site id ("" when the component has none)
  std::string from_vendor, to_vendor;  // kReplace (to_vendor: KB vendor id)
  std::optional<PortfolioEntry> supply;  // kReplace: what shows to_vendor makes it (PlanOptions::portfolios)
  std::string to_site;                 // kMove: id of the new site
  // kReplace of a managed element: the element manager of to_vendor it is
  // re-homed to (its management link moves there), and the constraint why.
  std::string to_manager, from_manager;
  double to_lat = 0, to_lon = 0;       // kMove
  double cost = 0;                     // this action alone (site visits are counted separately)
  std::vector<std::string> rules;      // binding rules this action helps clear
  // Why this action departs from a constraint where a jurisdiction waives it
  // (a manager replaced while its elements stay), with the waiver's source.
  std::string note;
  // The actions this one is tied to by what must change together: an anchor
  // eNB replaced with its gNB is {"nsa-anchor", "akl-001-gnb"}.
  struct Tie {
    std::string constraint, component;
    bool operator<(const Tie& o) const { return std::tie(constraint, component) < std::tie(o.constraint, o.component); }
  };
  std::vector<Tie> together;
};

struct CostBreakdown {
  double replace = 0, remove = 0, move = 0, protect = 0, site_visits = 0, total = 0;
  uint32_t site_visit_count = 0;
};

// The state of the plan at one date: the network with the work in service on
// `date` (every month that ended before it) applied, assessed on `date`.
struct Checkpoint {
  Date date;
  std::string work_through;  // "2023-06": the last month whose work is in service ("": none yet)
  // No work can be in service by `date` (it falls before the end of the plan's
  // first month): its binding findings are overdue, their work is done in
  // `due_in` and in service from `in_service`, where a later checkpoint judges it.
  bool overdue = false;
  std::string due_in;
  Date in_service;
  std::string outcome;  // assess() determination
  // Binding violations left (must be empty for a valid plan, unless overdue).
  std::vector<std::string> binding_findings;
  // What-must-change-together constraints the network breaks on that day that
  // held before the plan (must be empty for a valid plan).
  std::vector<std::string> broken;
};

struct MonthSummary {
  int year = 0, month = 1;
  uint32_t sites = 0;  // sites visited
  uint32_t actions = 0;
  double cost = 0;     // including site visits
};

struct YearSummary {  // the months' totals per calendar year
  int year = 0;
  uint32_t sites = 0;  // site visits
  uint32_t actions = 0;
  double cost = 0;     // including site visits
};

enum class PlanStatus : uint8_t {
  kNothingToDo,  // no binding finding to clear
  kOptimal,      // proven minimum cost
  kFeasible,     // a valid plan, optimality not proven (greedy mode, time limit)
  kInfeasible,   // no plan within budget/capacity/available actions: see `infeasible`
  kPartial,      // the budget cannot clear everything: the plan within it that clears the most risk (`remaining`)
};
std::string_view plan_status_name(PlanStatus s);  // "nothing-to-do" "optimal" "feasible" "infeasible" "partial"

struct Plan {
  PlanStatus status = PlanStatus::kNothingToDo;
  std::string jurisdiction, kb_version, currency, cost_basis;
  std::vector<CostModel::Calibration> calibration;  // public totals for this jurisdiction, to compare with
  Date date;
  std::optional<Date> until;
  std::vector<PlannedAction> actions;  // by year, then kind, then component id
  CostBreakdown cost;
  std::vector<MonthSummary> monthly;  // months with work, in order
  std::vector<YearSummary> schedule;  // the same by calendar year
  std::optional<double> budget;
  std::optional<uint32_t> capacity;   // sites per month
  double lower_bound = 0;  // LP relaxation bound (greedy mode: the gap is measured against it)
  double gap = 0;          // (cost - lower_bound) / lower_bound, 0 when optimal
  // Why there is no plan: the constraint(s) that make it infeasible, in words
  // (kPartial: why not everything fits).
  std::vector<std::string> infeasible;
  // kPartial: what the plan leaves, in words, and the risk it clears of the
  // total (findings weighted by severity and the subscribers behind them).
  std::vector<std::string> remaining;
  double risk_cleared = 0, risk_total = 0;
  // Binding findings the planner does not address (e.g. diversity), with why.
  std::vector<std::string> unplanned;
  // The findings that drove the plan (rule ids with counts), before any action.
  std::vector<std::pair<std::string, int>> cleared;
  std::vector<Checkpoint> checkpoints;  // re-assessment of the planned network
  // Every checkpoint has no binding violation left (overdue ones aside: see
  // Checkpoint::overdue) and nothing that must change together was changed apart.
  bool verified = false;
  // Disclosure (engine::plan): the plan is made over what the reader may see;
  // `withheld` counts KB content above the clearance per level (not planned
  // for), `marking` is the highest level of what the plan shows.
  Classification marking = Classification::kUnclassified;
  std::vector<Withheld> withheld;
  // Solver statistics (not part of golden output).
  struct Stats {
    uint32_t variables = 0, constraints = 0, iterations = 0, path_constraints = 0;
    double seconds = 0;
    // Wall time of each phase in order ("build.evaluate", "solve", "verify", ...);
    // `netvet plan` prints them to stderr when NETVET_PLAN_PROFILE is set.
    std::vector<std::pair<std::string, double>> phases;
  } stats;
};

// Plans. Errors: unknown jurisdiction, unknown or disallowed --vendor, a
// proposal that does not apply. Infeasibility is a Plan with kInfeasible.
Expected<Plan> plan(const PlanInput& input);

// The (proposed) network as the plan leaves it on day `on`: the work of every
// month that ended before `on` applied.
Expected<Network> apply_plan(const PlanInput& input, const Plan& plan, Date on);

// The plan as a proposal against the same network: the notified proposal (if
// any) with every planned action folded in, which is what an operator
// resubmits (`netvet plan --proposal-out`). Replacing an existing component is
// a `change` of its vendor, moving it a new site and a `change` of its site,
// protecting a link replaces it with the same link protected.
Expected<Proposal> plan_as_proposal(const PlanInput& input, const Plan& plan);

// Gives each visible binding violation of `a` the plan's work that clears it
// (a.remedies): the actions for the finding's rule on its components, and the
// link protections for its rule, with their cost. Call with a plan made over
// the same inputs at the same clearance (engine::plan), so a remedy never
// reflects a rule the reader may not see. A finding the plan does not touch
// keeps the kind's wording.
void attach_remedies(Assessment& a, const Plan& plan);

// Renderings (strings; the CLI writes them).
std::string write_plan_text(const Plan& plan);
nlohmann::ordered_json plan_json(const Plan& plan);
std::string write_plan_json(const Plan& plan);

}  // namespace netvet
