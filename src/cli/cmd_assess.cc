// stub: the assess subcommand lands with its stage.
#include "commands.h"

namespace netvet::cli {
void register_assess(CLI::App&, Globals&, int&) {}
}  // namespace netvet::cli
