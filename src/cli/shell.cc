// What every command over the engine does alike: its request flags, reading
// the inputs with every problem reported at once, mapping errors to exit
// codes, and writing the output. One copy, so the commands stay thin and
// cannot drift apart.
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <optional>

#include "commands.h"
#include "netvet/io.h"

namespace netvet::cli {

Date today() {
  auto now = std::chrono::system_clock::now();
  return Date{static_cast<int32_t>(std::chrono::floor<std::chrono::days>(now).time_since_epoch().count())};
}

void add_request_options(CLI::App* sub, RequestArgs& a, std::string_view date_help) {
  sub->add_option("NETWORK", a.network, "Network file (native YAML or JSON)")->required();
  sub->add_option("--proposal", a.proposal, "Proposal file: the change to the network to work on")->type_name("FILE");
  sub->add_option("--jurisdiction,-j", a.jurisdiction, "Jurisdiction code, e.g. NZ (netvet kb list)")
      ->required()
      ->type_name("CODE");
  sub->add_option("--date", a.date, std::string(date_help) + " (default: today, UTC)")->type_name("YYYY-MM-DD");
  sub->add_option("--clearance", a.clearance,
                  "Reader's clearance: UNCLASSIFIED (default), RESTRICTED, CONFIDENTIAL, SECRET, TOP-SECRET")
      ->type_name("LEVEL");
  sub->add_option("--kb-overlay", a.overlays, "Classified KB overlay (repeatable)")->type_name("FILE");
  sub->add_option("-o,--output", a.output, "Write to FILE (atomically) instead of stdout")->type_name("FILE");
}

int make_request(const Globals& g, std::string_view who, const RequestArgs& a, engine::Request& out) {
  auto fail = [&](const std::string& message) {
    std::cerr << who << ": error: " << message << "\n";
    return kExitBadInput;
  };
  // Flags first: a typo in --date should not wait for a large network to load.
  out.date = today();
  if (!a.date.empty()) {
    auto d = Date::parse(a.date);
    if (!d) return fail("--date: expected YYYY-MM-DD (a real calendar day), got \"" + a.date + "\"");
    out.date = *d;
  }
  auto clearance = parse_classification(a.clearance);
  if (!clearance)
    return fail("--clearance: unknown level \"" + a.clearance +
                "\" (expected UNCLASSIFIED, RESTRICTED, CONFIDENTIAL, SECRET or TOP-SECRET)");
  out.clearance = *clearance;
  out.jurisdiction = a.jurisdiction;
  out.threads = 0;  // a command has the machine to itself

  out.profile = g.profile_sink();
  std::optional<PhaseTimer> load_timer;
  load_timer.emplace(out.profile, "load");
  // Read every input before reporting, so the user sees all problems at once.
  Diagnostics diags;
  auto net = read_network(a.network, diags, g.limits);
  std::optional<Expected<Proposal>> proposal;
  if (!a.proposal.empty()) proposal.emplace(read_proposal(a.proposal, diags, g.limits));
  SharedKb kb = engine::load_kb_dir(g.kb_dir, diags);
  if (kb && !a.overlays.empty()) kb = engine::with_overlay_files(kb, a.overlays, diags);
  load_timer.reset();
  const bool failed = !net || (proposal && !*proposal) || !kb || diags.has_errors();
  if (!diags.items().empty() && (failed || !g.quiet)) std::cerr << diags.format();
  if (failed) {
    // A reader that failed without a diagnostic still says why.
    if (!net && diags.items().empty()) std::cerr << net.error().to_string() << "\n";
    if (proposal && !*proposal && diags.items().empty()) std::cerr << proposal->error().to_string() << "\n";
    if (!kb && diags.items().empty()) std::cerr << who << ": error: cannot load the knowledge base " << g.kb_dir << "\n";
    return kExitBadInput;
  }
  out.kb = std::move(kb);
  out.network = std::make_shared<const Network>(std::move(net).value());
  if (proposal) out.proposal = std::make_shared<const Proposal>(std::move(*proposal).value());
  return kExitOk;
}

int report_error(std::string_view who, const Status& s) {
  if (s.code() == Code::kInternal) {
    std::cerr << who << ": internal error: " << s.to_string() << "\n";
    return kExitInternal;
  }
  std::cerr << who << ": error: " << s.to_string() << "\n";
  return kExitBadInput;
}

int emit(std::string_view who, const std::string& output, const std::string& content, Classification holds) {
  if (Status s = write_output(output, content, holds, std::cout); !s) {
    std::cerr << who << ": error: " << s.to_string() << "\n";
    return kExitBadInput;
  }
  return kExitOk;
}

namespace {
// A planner data file that a KB may lack: the one named, else the KB's; a KB
// without one gets a warning saying what the planner does instead.
template <typename T, typename Parse>
std::optional<T> read_kb_file(const std::string& named, const std::string& kb_path, Parse parse, const char* what,
                              const char* without, Diagnostics& diags) {
  const std::string path = named.empty() ? kb_path : named;
  if (auto text = read_file(path)) {
    if (auto v = parse(*text, path, diags)) return std::move(*v);
  } else if (!named.empty()) {
    diags.error({path, 0, 0, {}}, fmt::format("cannot read the {}: {}", what, text.error().message()));
  } else {
    diags.warning({path, 0, 0, {}}, without);
  }
  return std::nullopt;
}
}  // namespace

int load_plan_data(const Globals& g, const PlanDataFiles& files, PlanOptions& o) {
  Diagnostics diags;
  const std::string costs_path = files.costs.empty() ? g.kb_dir + "/costs.yaml" : files.costs;
  std::optional<CostModel> costs;
  if (auto text = read_file(costs_path)) {
    if (auto c = parse_cost_model(*text, costs_path, diags)) costs = std::move(*c);
  } else {
    diags.error({costs_path, 0, 0, {}}, "cannot read the cost model: " + text.error().message());
  }
  // An old or hand-made KB has no portfolios (every priced vendor is offered)
  // or no constraints (every component changes on its own).
  auto portfolios = read_kb_file<Portfolios>(files.portfolios, g.kb_dir + "/portfolios.yaml", parse_portfolios,
                                             "portfolios", "no vendor portfolios: every priced vendor is offered for every function", diags);
  auto constraints = read_kb_file<ChangeConstraints>(files.constraints, g.kb_dir + "/constraints.yaml",
                                                     parse_change_constraints, "constraints",
                                                     "no change constraints: every component may change on its own", diags);
  const bool failed = !costs || diags.has_errors();
  if (!diags.items().empty() && (failed || !g.quiet)) std::cerr << diags.format();
  if (failed) return kExitBadInput;
  o.costs = std::move(*costs);
  o.portfolios = std::move(portfolios);
  o.constraints = std::move(constraints);
  return kExitOk;
}

}  // namespace netvet::cli
