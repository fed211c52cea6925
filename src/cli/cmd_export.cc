// stub: the export subcommand lands with its stage.
#include "commands.h"

namespace netvet::cli {
void register_export(CLI::App&, Globals&, int&) {}
}  // namespace netvet::cli
