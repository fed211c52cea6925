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

#include "netvet/io.h"
#include "netvet/kb.h"

namespace netvet::cli {

struct Globals {
  std::string kb_dir;  // --kb DIR (default: the kb/ beside the sources, or $NETVET_KB)
  bool quiet = false;
  ReadLimits limits;  // --max-bytes, --max-rows, --max-links, --max-memory
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

// The highest classification among the loaded overlays: what an output that
// shows overlay content unfiltered may hold (plan and graph have no
// --clearance yet), so write_output makes its file owner-only.
inline Classification overlay_ceiling(const KnowledgeBase* kb) {
  Classification c = Classification::kUnclassified;
  if (kb)
    for (const auto& o : kb->overlays) c = std::max(c, o.classification);
  return c;
}

// Exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRisk = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInternal = 3;
inline constexpr int kExitInsufficient = 4;  // insufficient-information: supply what the report lists

}  // namespace netvet::cli
