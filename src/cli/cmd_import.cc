// stub: the import subcommand lands with its stage.
#include "commands.h"

namespace netvet::cli {
void register_import(CLI::App&, Globals&, int&) {}
}  // namespace netvet::cli
