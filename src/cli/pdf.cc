// Prints the HTML report with headless chromium: the report goes to a private
// temporary folder, chromium runs there without a shell (no quoting of
// paths), and the PDF is read back; the folder is removed whatever happens.
#include "pdf.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

extern char** environ;

namespace netvet::cli {
namespace {

namespace fs = std::filesystem;

std::string find_on_path(std::string_view name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (dir.empty()) continue;
    fs::path p = fs::path(dir) / name;
    if (::access(p.c_str(), X_OK) == 0) return p.string();
  }
  return {};
}

struct TempDir {
  std::string path;
  ~TempDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

}  // namespace

Expected<std::string> print_pdf(const std::string& html) {
  std::string browser = find_on_path("chromium");
  if (browser.empty()) browser = find_on_path("chromium-browser");
  if (browser.empty())
    return Status::failed_precondition(
        "--format pdf prints the HTML report with chromium, which is not installed (Debian: apt-get install "
        "chromium); --format html writes the same report without it");
  std::string tmpl = (fs::temp_directory_path() / "netvet-pdf.XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) return Status::io("cannot create a temporary folder for the PDF");
  TempDir dir{tmpl};
  const std::string page = dir.path + "/report.html", pdf = dir.path + "/report.pdf";
  {
    std::ofstream out(page, std::ios::binary);
    out << html;
    if (!out) return Status::io("cannot write " + page);
  }
  std::vector<std::string> args = {browser,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--no-first-run",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--disable-sync",
                                   "--user-data-dir=" + dir.path + "/profile",
                                   "--no-pdf-header-footer",
                                   "--print-to-pdf=" + pdf,
                                   "file://" + page};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, browser.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return Status::io("cannot start " + browser);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  std::ifstream in(pdf, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.rfind("%PDF", 0) != 0)
    return Status::io(browser + " did not print the report (exit status " + std::to_string(WEXITSTATUS(status)) + ")");
  return bytes;
}

}  // namespace netvet::cli
