// netvet: vet telecom networks for supply-chain security risk.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>

#include "commands.h"
#include "netvet/common.h"

namespace {

// A national network is hundreds of MB of columns and hash tables read at
// random; on a virtual machine every TLB miss is a nested page walk, and with
// 4 KiB pages that is a third of the load time (bench/RESULTS.md). glibc backs
// malloc with transparent huge pages only when GLIBC_TUNABLES asks at process
// start, so netvet re-executes itself once with glibc.malloc.hugetlb=1. A user
// who sets GLIBC_TUNABLES (or NETVET_NO_REEXEC) keeps their own settings; if
// the exec fails, netvet runs on with ordinary pages.
void use_huge_pages(char** argv) {
  if (std::getenv("GLIBC_TUNABLES") || std::getenv("NETVET_NO_REEXEC")) return;
  if (::setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1", 0) != 0) return;
  ::execv("/proc/self/exe", argv);
  ::unsetenv("GLIBC_TUNABLES");
}

// The knowledge base a plain `netvet` uses: $NETVET_KB, else the KB installed
// beside the binary (PREFIX/bin/netvet -> PREFIX/share/netvet/kb; the build
// tree mirrors that with a link, see src/cli/CMakeLists.txt). Never a path
// fixed at build time: an installed or copied netvet finds its own KB.
std::string default_kb_dir() {
  if (const char* env = std::getenv("NETVET_KB"); env && *env) return env;
  return netvet::cli::installed_share_path("kb");
}

}  // namespace

namespace netvet::cli {

std::string installed_share_path(std::string_view name) {
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "share/netvet/" + std::string(name);
  return (exe.parent_path().parent_path() / "share" / "netvet" / name).string();
}

}  // namespace netvet::cli

int main(int argc, char** argv) {
  use_huge_pages(argv);
  using namespace netvet::cli;
  CLI::App app{
      "netvet: vets telecom networks for supply-chain security risk.\n"
      "Describe a network (or a proposed change to it), pick a jurisdiction and a date, and netvet\n"
      "says which rules it breaks, what untrusted equipment can reach, and whether the risk is significant.\n\n"
      "Exit codes: 0 no significant risk, 1 risk found, 2 bad input or usage, 3 internal error.",
      "netvet"};
  app.set_version_flag("--version", std::string("netvet ") + netvet::kEngineVersion);
  app.require_subcommand(1);
  Globals globals;
  globals.kb_dir = default_kb_dir();
  if (const char* p = std::getenv("NETVET_PROFILE"); p && std::string_view(p) == "1")
    globals.profile = [](std::string_view phase, double ms) {
      std::fprintf(stderr, "phase=%.*s ms=%.3f\n", static_cast<int>(phase.size()), phase.data(), ms);
    };
  app.add_option("--kb", globals.kb_dir,
                 "Knowledge base directory (vendors.yaml, jurisdictions/). Default: $NETVET_KB, else "
                 "share/netvet/kb beside the folder of the netvet binary (where `make install` puts it)")
      ->type_name("DIR");
  // Limits on what reading one input may take (docs/formats/native.md "Limits").
  auto size_option = [&](const char* name, size_t& value, const char* what) {
    app.add_option(name, value, what)->transform(CLI::AsSizeValue(false))->capture_default_str()->type_name("SIZE");
  };
  size_option("--max-bytes", globals.limits.max_bytes, "Largest input file, pipe or device read (e.g. 100M, 1G)");
  size_option("--max-memory", globals.limits.max_memory, "Most memory reading one input may take (estimated)");
  app.add_option("--max-rows", globals.limits.max_rows, "Most sites, components and sensitive locations per file")
      ->capture_default_str();
  app.add_option("--max-links", globals.limits.max_links, "Most links per file")->capture_default_str();
  int exit_code = kExitOk;
  register_assess(app, globals, exit_code);
  register_kb(app, globals, exit_code);
  register_graph(app, globals, exit_code);
  register_generate(app, globals, exit_code);
  register_import(app, globals, exit_code);
  register_export(app, globals, exit_code);
  register_plan(app, globals, exit_code);
  register_admin(app, globals, exit_code);
  register_audit(app, globals, exit_code);
  register_serve(app, globals, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitBadInput;
  } catch (const std::exception& e) {
    // Every command's unexpected failure ends here, named by its command path.
    std::string who = "netvet";
    for (const CLI::App* cmd = &app; !cmd->get_subcommands().empty();) {
      cmd = cmd->get_subcommands().front();
      who += " " + cmd->get_name();
    }
    std::cerr << who << ": internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  return exit_code;
}
