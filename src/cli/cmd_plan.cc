// stub: the plan subcommand lands with its stage.
#include "commands.h"

namespace netvet::cli {
void register_plan(CLI::App&, Globals&, int&) {}
}  // namespace netvet::cli
