// The `netvet` command: one subcommand per job, each a thin shell over the
// stages (one file per subcommand, registered from main.cc).
//
// Each register_* adds its subcommand to `app` and a callback that stores the
// process exit code in `exit_code`: 0 no significant risk / success,
// 1 risk found, 2 bad input or usage, 3 internal error (DESIGN.md).
#pragma once

#include <CLI/CLI.hpp>
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "netvet/engine.h"

#include "netvet/io.h"
#include "netvet/kb.h"
#include "netvet/plan.h"

namespace netvet::cli {

struct Globals {
  std::string kb_dir;  // --kb DIR (default: the kb/ beside the sources, or $NETVET_KB)
  bool quiet = false;
  ReadLimits limits;  // --max-bytes, --max-rows, --max-links, --max-memory
  // NETVET_PROFILE=1: one line per phase on stderr (phase=NAME ms=T); empty otherwise.
  PhaseSink profile;
  const PhaseSink* profile_sink() const { return profile ? &profile : nullptr; }
};

void register_assess(CLI::App& app, Globals& g, int& exit_code);
void register_kb(CLI::App& app, Globals& g, int& exit_code);
void register_graph(CLI::App& app, Globals& g, int& exit_code);
void register_generate(CLI::App& app, Globals& g, int& exit_code);
void register_import(CLI::App& app, Globals& g, int& exit_code);
void register_export(CLI::App& app, Globals& g, int& exit_code);
void register_plan(CLI::App& app, Globals& g, int& exit_code);
void register_admin(CLI::App& app, Globals& g, int& exit_code);  // cmd_admin.cc
void register_audit(CLI::App& app, Globals& g, int& exit_code);  // cmd_admin.cc
void register_serve(CLI::App& app, Globals& g, int& exit_code);

// Exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRisk = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInternal = 3;
inline constexpr int kExitInsufficient = 4;  // insufficient-information: supply what the report lists

// The one map from an assessment outcome to the exit code (DESIGN.md).
inline int outcome_exit_code(std::string_view outcome) {
  if (outcome == "no-significant-risk") return kExitOk;
  if (outcome == "insufficient-information") return kExitInsufficient;
  return kExitRisk;
}

// ---- the shell every engine command shares (shell.cc) ----

// The inputs of one engine request, as given on the command line.
struct RequestArgs {
  std::string network, proposal, jurisdiction, date, clearance = "UNCLASSIFIED";
  std::vector<std::string> overlays;
  std::string output;
};
// Adds NETWORK, --proposal, --jurisdiction, --date, --clearance, --kb-overlay
// and -o with one wording for every command. `what` says what the date is for.
void add_request_options(CLI::App* sub, RequestArgs& a, std::string_view date_help);
// Parses the flags, reads the network, proposal, KB and overlays, printing
// every problem to stderr as `who: error: ...` or file:line:col. Returns
// kExitOk with `out` filled, or the exit code to end with.
int make_request(const Globals& g, std::string_view who, const RequestArgs& a, engine::Request& out);
// Prints an engine error and returns its exit code (3 internal, 2 otherwise).
int report_error(std::string_view who, const Status& s);
// Writes a rendered output to -o FILE (or stdout for "" and "-") through
// write_output, which makes a file holding anything above UNCLASSIFIED
// (`holds`: the output's marking) owner-only; kExitOk or an exit code.
int emit(std::string_view who, const std::string& output, const std::string& content, Classification holds);
// Today in UTC, the default --date (whole days: instruments set dates by day).
Date today();
// PREFIX/share/netvet/NAME for the running binary PREFIX/bin/netvet (the build
// tree mirrors that layout with links): where the KB and the web UI live.
std::string installed_share_path(std::string_view name);

// The planner's data into `o`: the cost model, the vendor portfolios and what
// must change together, each from the file named or ("") the KB's own
// costs.yaml, portfolios.yaml and constraints.yaml (a KB without the last two
// plans without them, with a warning). Prints every problem; kExitOk or
// kExitBadInput. `netvet plan` and `assess --plan` share it so both plan over
// the same data.
struct PlanDataFiles {
  std::string costs, portfolios, constraints;
};
int load_plan_data(const Globals& g, const PlanDataFiles& files, PlanOptions& o);

}  // namespace netvet::cli
