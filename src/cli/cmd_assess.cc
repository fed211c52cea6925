// `netvet assess`: read a network (and a proposal), load the KB, assess, write
// the report. A thin shell over the engine: every decision is made in assess/,
// every byte of the report in io/.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "commands.h"
#include "netvet/engine.h"
#include "netvet/io.h"
#include "netvet/plan.h"
#include "netvet/report.h"
#include "pdf.h"

namespace netvet::cli {
namespace {

struct AssessArgs : RequestArgs {
  std::string format = "text";
  size_t max_unjudged = 0;
  bool verbose = false;
  bool plan = false;
};

constexpr const char* kFooter = R"(Options in detail:
  NETWORK               The network as it stands, in netvet's native YAML or JSON
                        (docs/formats/native.md); e.g. examples/nz-spark-5g-2018/network.yaml
  --proposal FILE       A change to assess against NETWORK (a notification to the agency):
                        components and links to add, remove or change. Only a proposal's own
                        changes are decided where the regime is project-based (NZ).
                        e.g. --proposal examples/nz-spark-5g-2018/proposal.yaml
  --jurisdiction CODE   Whose rules apply: a policy pack of the KB (netvet kb list). e.g. NZ, UK, US
  --date YYYY-MM-DD     The day the rules are read on: rules not yet in force or expired do not
                        apply, deadlines are overdue or upcoming relative to it. Default: today
                        (UTC) from the system clock; pass it to get a reproducible report.
                        e.g. --date 2018-11-28
  --clearance LEVEL     What the reader may see: UNCLASSIFIED (default), RESTRICTED, CONFIDENTIAL,
                        SECRET, TOP-SECRET. Findings above it are left out of the report entirely
                        and only counted; the decision still reflects them. e.g. --clearance SECRET
  --kb-overlay FILE     Classified rules or vendor assessments an agency holds, added to the KB
                        (docs/formats/policy-pack.md); repeatable. e.g. --kb-overlay gcsb.yaml
  --format FORMAT       text (default: for people; colour on a terminal unless NO_COLOR is set),
                        json (the machine contract, docs/assessment.md), sarif (2.1.0, for
                        code-scanning pipelines), html (one self-contained report to forward),
                        pdf (that report printed by Debian's chromium, which must be installed).
                        e.g. --format html -o report.html
  --max-unjudged N      How many components in scope of a deciding rule may go unjudged (no or
                        unknown vendor, placeholder function, no generation, unstated domain)
                        before a no-significant-risk becomes insufficient-information (exit 4).
                        Default 0: never an all-clear on equipment netvet could not judge; the
                        report lists what to supply. e.g. --max-unjudged 5
  --verbose, -v         Text only: each finding's full message, evidence (every attack path hop
                        by hop), components and citation, and the metrics. Default: compact.
  -o FILE               Write the report to FILE instead of stdout. Written atomically: on any
                        error nothing is written. e.g. -o assessment.json

Examples:
  netvet assess examples/nz-spark-5g-2018/network.yaml --jurisdiction NZ --date 2018-11-28
  netvet assess examples/nz-spark-5g-2018/network.yaml \
      --proposal examples/nz-spark-5g-2018/proposal.yaml --jurisdiction NZ --date 2018-11-28
  netvet assess network.json --jurisdiction UK --date 2023-10-28 --format json -o out.json

Exit codes: 0 no significant risk, 1 risk found (risk-mitigable or significant-risk),
2 bad input or usage (every problem printed as file:line:column), 3 internal error,
4 insufficient information (the report lists what to supply).)";

constexpr std::string_view kWho = "netvet assess";

int run(const Globals& g, const AssessArgs& args) {
  engine::Request request;
  if (int rc = make_request(g, kWho, args, request); rc != kExitOk) return rc;
  request.max_unjudged = args.max_unjudged;
  auto result = engine::assess(request);
  if (!result) return report_error(kWho, result.error());
  if (args.plan) {
    // The remediation each finding shows becomes the cheapest plan's work for
    // it: planned over what the reader may see, on the assessment's date.
    engine::PlanRequest plan_request{request, {}};
    if (int rc = load_plan_data(g, {}, plan_request.options); rc != kExitOk) return rc;
    auto planned = engine::plan(plan_request);
    if (!planned) return report_error(kWho, planned.error());
    attach_remedies(*result, *planned);
  }
  PhaseTimer report_timer(g.profile_sink(), "report");  // until the report is written

  std::string out;
  if (args.format == "json") {
    out = write_assessment_json(*result);
  } else if (args.format == "sarif") {
    out = write_assessment_sarif(*result);
  } else if (args.format == "html") {
    out = write_assessment_html(*result);
  } else if (args.format == "pdf") {
    auto pdf = print_pdf(write_assessment_html(*result));
    if (!pdf) return report_error(kWho, pdf.error());
    out = std::move(*pdf);
  } else {
    // Colour only for a person at a terminal who has not opted out (no-color.org).
    bool color = is_stdout_path(args.output) && isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
    out = write_assessment_text(*result, color, args.verbose);
  }
  if (int rc = emit(kWho, args.output, out, result->marking); rc != kExitOk) return rc;
  return outcome_exit_code(result->determination.outcome);
}

}  // namespace

void register_assess(CLI::App& app, Globals& g, int& exit_code) {
  auto args = std::make_shared<AssessArgs>();
  CLI::App* sub = app.add_subcommand(
      "assess",
      "Assess a network, or a proposed change to it, against a jurisdiction's high-risk-vendor rules on a date:\n"
      "which rules it breaks, what untrusted equipment can reach, and whether the risk is significant.");
  add_request_options(sub, *args, "Assessment date: the day the rules are read on");
  sub->add_option("--format,-f", args->format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif", "html", "pdf"}))
      ->type_name("text|json|sarif|html|pdf");
  sub->add_flag("--verbose,-v", args->verbose, "Text: every finding's evidence and citation, and the metrics");
  sub->add_flag("--plan", args->plan,
                "Word each finding's remediation from the cheapest mitigation plan (costs.yaml in the KB; "
                "netvet plan shows the whole plan)");
  sub->add_option("--max-unjudged", args->max_unjudged,
                  "Unjudged components allowed before insufficient-information (default 0)")
      ->type_name("N");
  sub->footer(kFooter);
  sub->callback([&g, &exit_code, args] { exit_code = run(g, *args); });
}

}  // namespace netvet::cli
