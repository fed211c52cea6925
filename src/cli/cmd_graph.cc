// stub: the graph subcommand lands with its stage.
#include "commands.h"

namespace netvet::cli {
void register_graph(CLI::App&, Globals&, int&) {}
}  // namespace netvet::cli
