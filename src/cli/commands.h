// The `netvet` command: one subcommand per job, each a thin shell over the
// stages (one file per subcommand, registered from main.cc).
//
// Each register_* adds its subcommand to `app` and a callback that stores the
// process exit code in `exit_code`: 0 no significant risk / success,
// 1 risk found, 2 bad input or usage, 3 internal error (DESIGN.md).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace netvet::cli {

struct Globals {
  std::string kb_dir;  // --kb DIR (default: the kb/ beside the sources, or $NETVET_KB)
  bool quiet = false;
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

}  // namespace netvet::cli
