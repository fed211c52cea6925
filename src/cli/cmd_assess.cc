// `netvet assess`: read a network (and a proposal), load the KB, assess, write
// the report. A thin shell: every decision is made in assess/, every byte of
// the report in io/. This file only maps outcomes and errors to exit codes.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "netvet/assess.h"
#include "netvet/io.h"
#include "netvet/kb.h"
#include "netvet/policy.h"
#include "netvet/report.h"

namespace netvet::cli {
namespace {

struct AssessArgs {
  std::string network;
  std::string proposal;
  std::string jurisdiction;
  std::string date;
  std::string clearance = "UNCLASSIFIED";
  std::vector<std::string> overlays;
  std::string format = "text";
  std::string output;
  size_t max_unjudged = 0;
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
                        code-scanning pipelines), html (one self-contained file). e.g. --format json
  --max-unjudged N      How many components in scope of a deciding rule may go unjudged (no or
                        unknown vendor, placeholder function, no generation, unstated domain)
                        before a no-significant-risk becomes insufficient-information (exit 4).
                        Default 0: never an all-clear on equipment netvet could not judge; the
                        report lists what to supply. e.g. --max-unjudged 5
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

// Today in UTC: the date rules are read on when --date is not given. Whole
// days, because instruments set their dates by day.
Date today() {
  auto now = std::chrono::system_clock::now();
  auto days = std::chrono::floor<std::chrono::days>(now).time_since_epoch().count();
  return Date{static_cast<int32_t>(days)};
}

int fail(std::string_view message) {
  std::cerr << "netvet assess: error: " << message << "\n";
  return kExitBadInput;
}

int run(const Globals& g, const AssessArgs& args) {
  // Flags first: a typo in --date should not wait for a large network to load.
  Date date = today();
  if (!args.date.empty()) {
    auto d = Date::parse(args.date);
    if (!d) return fail("--date: expected YYYY-MM-DD (a real calendar day), got \"" + args.date + "\"");
    date = *d;
  }
  auto clearance = parse_classification(args.clearance);
  if (!clearance)
    return fail("--clearance: unknown level \"" + args.clearance +
                "\" (expected UNCLASSIFIED, RESTRICTED, CONFIDENTIAL, SECRET or TOP-SECRET)");

  // Read every input before reporting, so the user sees all problems at once.
  Diagnostics diags;
  auto net = read_network(args.network, diags, g.limits);
  std::optional<Expected<Proposal>> proposal;
  if (!args.proposal.empty()) proposal.emplace(read_proposal(args.proposal, diags, g.limits));
  auto kb = load_kb(g.kb_dir, args.overlays, diags, &netvet::validate_rule);
  bool failed = !net || (proposal && !*proposal) || !kb || diags.has_errors();
  if (!diags.items().empty() && (failed || !g.quiet)) std::cerr << diags.format();
  if (failed) {
    // A reader that failed without a diagnostic still says why.
    if (!net && diags.items().empty()) std::cerr << net.error().to_string() << "\n";
    if (proposal && !*proposal && diags.items().empty()) std::cerr << proposal->error().to_string() << "\n";
    if (!kb && diags.items().empty())
      std::cerr << "netvet assess: error: cannot load the knowledge base " << g.kb_dir << "\n";
    return kExitBadInput;
  }

  AssessInput input{*net, proposal ? &proposal->value() : nullptr, *kb, {}};
  input.options.jurisdiction = args.jurisdiction;
  input.options.date = date;
  input.options.clearance = *clearance;
  input.options.max_unjudged = args.max_unjudged;
  auto result = assess(input);
  if (!result) {
    if (result.error().code() == Code::kInternal) {
      std::cerr << "netvet assess: internal error: " << result.error().to_string() << "\n";
      return kExitInternal;
    }
    std::cerr << "netvet assess: error: " << result.error().to_string() << "\n";
    return kExitBadInput;
  }

  std::string out;
  if (args.format == "json") {
    out = write_assessment_json(*result);
  } else if (args.format == "sarif") {
    out = write_assessment_sarif(*result);
  } else if (args.format == "html") {
    out = write_assessment_html(*result);
  } else {
    // Colour only for a person at a terminal who has not opted out (no-color.org).
    bool color = is_stdout_path(args.output) && isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
    out = write_assessment_text(*result, color);
  }

  Classification holds = Classification::kUnclassified;  // the report shows only visible findings
  for (const Finding& f : result->findings) holds = std::max(holds, f.classification);
  if (Status s = write_output(args.output, out, holds, std::cout); !s) return fail(s.to_string());
  const std::string& outcome = result->determination.outcome;
  if (outcome == "insufficient-information") return kExitInsufficient;
  return outcome == "no-significant-risk" ? kExitOk : kExitRisk;
}

}  // namespace

void register_assess(CLI::App& app, Globals& g, int& exit_code) {
  auto args = std::make_shared<AssessArgs>();
  CLI::App* sub = app.add_subcommand(
      "assess",
      "Assess a network, or a proposed change to it, against a jurisdiction's high-risk-vendor rules on a date:\n"
      "which rules it breaks, what untrusted equipment can reach, and whether the risk is significant.");
  sub->add_option("NETWORK", args->network, "Network file (native YAML or JSON)")->required();
  sub->add_option("--proposal", args->proposal, "Proposal file: the change to assess")->type_name("FILE");
  sub->add_option("--jurisdiction,-j", args->jurisdiction, "Jurisdiction code, e.g. NZ (netvet kb list)")
      ->required()
      ->type_name("CODE");
  sub->add_option("--date", args->date, "Assessment date (default: today, UTC)")->type_name("YYYY-MM-DD");
  sub->add_option("--clearance", args->clearance, "Reader's clearance (default UNCLASSIFIED)")->type_name("LEVEL");
  sub->add_option("--kb-overlay", args->overlays, "Classified KB overlay (repeatable)")->type_name("FILE");
  sub->add_option("--format,-f", args->format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif", "html"}))
      ->type_name("text|json|sarif|html");
  sub->add_option("--max-unjudged", args->max_unjudged,
                  "Unjudged components allowed before insufficient-information (default 0)")
      ->type_name("N");
  sub->add_option("-o,--output", args->output, "Write to FILE (atomically) instead of stdout")->type_name("FILE");
  sub->footer(kFooter);
  sub->callback([&g, &exit_code, args] { exit_code = run(g, *args); });
}

}  // namespace netvet::cli
