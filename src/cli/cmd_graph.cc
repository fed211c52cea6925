// `netvet graph exposure|paths`: what untrusted equipment can reach. Reads a
// network, resolves vendor risk for a jurisdiction and date (kb/, policy/),
// builds the access graph and prints exposure, attribution, blast radius and
// minimum cuts, or one shortest attack path per critical target; as text, json
// or Graphviz DOT. Untrusted = components whose vendor is high-risk there and
// then; critical = core-5g, core-4g, management and lawful-intercept functions
// (or --target).
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "commands.h"
#include "netvet/engine.h"
#include "netvet/graph_report.h"

namespace netvet::cli {
namespace {

struct GraphArgs : RequestArgs {
  std::vector<std::string> targets;
  std::string format = "text";
  bool reporting = false;
  bool no_protection_stop = false;
  size_t limit = 20;
};

constexpr const char* kSemantics = R"(How links become access edges:
  mgmt, remote-access   manager -> managed: the manager controls what it manages (the manager end
                        is the management-domain component, else the link's a). managed -> manager
                        is a reporting edge that does not propagate unless --reporting is given.
  signalling            n1 n2 n4 sbi n32 s1-mme s5 s6a s11 x2 xn f1: two-way.
  user plane/transport  n3 n6 n9 s1-u fronthaul backhaul transport: two-way (equipment sees the
                        traffic it carries).
  protection            a link that is both encrypted and integrity protected is a protected
                        boundary: no access across it either way (--no-protection-stop disables).
Untrusted: components whose vendor is high-risk in the jurisdiction on the date, as a reader at
--clearance may see it (a rating only an overlay above it gives is not applied, only counted).
Critical: core-5g, core-4g, management and lawful-intercept functions, or --target IDs.
Blast radius of a component: subscribers and cells of every component (itself included) whose
every access path to the core (core-5g/core-4g) passes through it (docs/graph.md).

Exit codes: 0 no critical function reachable, 1 some reachable, 2 bad input, 3 internal error.)";

constexpr std::string_view kWho = "netvet graph";

engine::GraphRenderOptions render_options(const GraphArgs& args) {
  engine::GraphRenderOptions o;
  o.format = args.format;
  o.limit = args.limit;
  o.network_name = args.network;
  o.list_unreachable = !args.targets.empty();
  o.reporting_propagates = args.reporting;
  o.protection_stops = !args.no_protection_stop;
  return o;
}

// Reads the inputs and asks the engine; kExitOk with `out` set, or an exit code.
template <typename Result, typename Query>
int load(const Globals& g, const GraphArgs& args, Query query, std::optional<Result>& out) {
  engine::Request request;
  if (int rc = make_request(g, kWho, args, request); rc != kExitOk) return rc;
  engine::GraphOptionsRequest opt;
  opt.targets = args.targets;
  opt.reporting_propagates = args.reporting;
  opt.protection_stops = !args.no_protection_stop;
  auto r = query(request, opt);
  if (!r) return report_error(kWho, r.error());
  out.emplace(std::move(*r));
  return kExitOk;
}

int run_exposure(const Globals& g, const GraphArgs& args) {
  std::optional<engine::ExposureResult> res;
  if (int rc = load(g, args, engine::exposure, res); rc != kExitOk) return rc;
  PhaseTimer report_timer(g.profile_sink(), "report");  // until the report is written
  if (int rc = emit(kWho, args.output, engine::render_exposure(*res, render_options(args)), res->view.marking);
      rc != kExitOk)
    return rc;
  const auto& count = res->attribution.count;
  return std::any_of(count.begin(), count.end(), [](uint32_t c) { return c > 0; }) ? kExitRisk : kExitOk;
}

int run_paths(const Globals& g, const GraphArgs& args) {
  std::optional<engine::PathsResult> res;
  if (int rc = load(g, args, engine::paths, res); rc != kExitOk) return rc;
  PhaseTimer report_timer(g.profile_sink(), "report");  // until the report is written
  if (int rc = emit(kWho, args.output, engine::render_paths(*res, render_options(args)), res->view.marking);
      rc != kExitOk)
    return rc;
  const auto& p = res->paths;
  return std::any_of(p.begin(), p.end(), [](const auto& path) { return !path.empty(); }) ? kExitRisk : kExitOk;
}

void add_common(CLI::App* sub, GraphArgs& a) {
  add_request_options(sub, a, "Date vendor risk is read on");
  sub->add_option("--target", a.targets,
                  "Critical component id (repeatable; default: every core-5g, core-4g, "
                  "management and lawful-intercept component)")
      ->type_name("ID");
  sub->add_option("--format,-f", a.format, "Output format")
      ->check(CLI::IsMember({"text", "json", "dot"}))
      ->type_name("text|json|dot");
  sub->add_option("--limit", a.limit, "Rows per list (default 20, 0 = all)")->type_name("N");
  sub->add_flag("--reporting", a.reporting, "Let managed -> manager reporting edges propagate access");
  sub->add_flag("--no-protection-stop", a.no_protection_stop, "Protected links propagate like any other");
  sub->footer(kSemantics);
}

}  // namespace

void register_graph(CLI::App& app, Globals& g, int& exit_code) {
  CLI::App* graph = app.add_subcommand(
      "graph", "What untrusted equipment can reach: exposure, attribution, blast radius, cuts and attack paths.");
  graph->require_subcommand(1);
  auto ex = std::make_shared<GraphArgs>();
  CLI::App* exs = graph->add_subcommand(
      "exposure",
      "Which components and critical functions untrusted equipment can reach, how many untrusted components "
      "reach each critical one, the subscribers behind each untrusted component, and the minimum cuts.");
  add_common(exs, *ex);
  auto pa = std::make_shared<GraphArgs>();
  CLI::App* pas = graph->add_subcommand(
      "paths", "One shortest access path from untrusted equipment to each critical function (or --target).");
  add_common(pas, *pa);
  auto wrap = [&g, &exit_code](auto fn, std::shared_ptr<GraphArgs> args) {
    return [&g, &exit_code, fn, args] { exit_code = fn(g, *args); };
  };
  exs->callback(wrap(run_exposure, ex));
  pas->callback(wrap(run_paths, pa));
}

}  // namespace netvet::cli
