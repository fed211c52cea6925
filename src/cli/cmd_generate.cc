// stub: the generate subcommand lands with its stage.
#include "commands.h"

namespace netvet::cli {
void register_generate(CLI::App&, Globals&, int&) {}
}  // namespace netvet::cli
