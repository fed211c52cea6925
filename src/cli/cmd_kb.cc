// stub: the kb subcommand lands with its stage.
#include "commands.h"

namespace netvet::cli {
void register_kb(CLI::App&, Globals&, int&) {}
}  // namespace netvet::cli
