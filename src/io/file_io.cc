// Whole-file reads, atomic writes, and format dispatch for the native readers.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "netvet/io.h"

namespace netvet {
namespace {

Status errno_status(std::string_view what, const std::string& path, int err) {
  return Status::io(std::string(what) + " " + path + ": " + std::strerror(err));
}

std::string lower_extension(const std::string& path) {
  size_t slash = path.find_last_of('/');
  size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  std::string ext = path.substr(dot + 1);
  for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return ext;
}

// The extension decides; without one, a leading '{' means JSON (YAML flow maps
// also start with '{', but JSON is a subset of YAML so either reader would do).
bool looks_like_json(const std::string& path, std::string_view text) {
  std::string ext = lower_extension(path);
  if (ext == "json") return true;
  if (ext == "yaml" || ext == "yml") return false;
  for (char ch : text) {
    if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') continue;
    return ch == '{';
  }
  return false;
}

}  // namespace

Expected<std::string> read_file(const std::string& path, size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) return Status(Code::kNotFound, "cannot open " + path + ": " + std::strerror(err));
    return errno_status("cannot open", path, err);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return errno_status("cannot stat", path, err);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return errno_status("cannot read", path, EISDIR);
  }
  if (S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return Status::io("cannot read " + path + ": file of " + std::to_string(st.st_size) +
                      " bytes is over the limit of " + std::to_string(max_bytes));
  }
  std::string out;
  if (S_ISREG(st.st_mode)) out.reserve(static_cast<size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return errno_status("cannot read", path, err);
    }
    if (n == 0) break;
    // Pipes and /dev files have no size up front; stop them at the limit as they stream.
    if (out.size() + static_cast<size_t>(n) > max_bytes) {
      ::close(fd);
      return Status::io("cannot read " + path + ": over the limit of " + std::to_string(max_bytes) + " bytes");
    }
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

Status write_file_atomic(const std::string& path, std::string_view content) {
  size_t slash = path.find_last_of('/');
  std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  // Same directory, so the rename is atomic (never across file systems).
  std::string tmp = dir + "/." + base + ".tmp.XXXXXX";
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) return errno_status("cannot create a temporary file beside", path, errno);
  // mkstemp makes the file 0600; keep an existing file's mode, else the usual 0644.
  struct stat st {};
  mode_t mode = ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0644;
  ::fchmod(fd, mode);
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return errno_status("cannot write", path, err);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return errno_status("cannot write", path, err);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return errno_status("cannot write", path, err);
  }
  return Status::ok();
}

Expected<Network> read_network(const std::string& path, Diagnostics& diags, const ReadLimits& limits) {
  auto text = read_file(path, limits.max_bytes);
  if (!text) {
    diags.error({}, text.error().message());
    return text.error();
  }
  if (looks_like_json(path, *text)) return parse_network_json(*text, path, diags, limits);
  return parse_network_yaml(*text, path, diags, limits);
}

Expected<Proposal> read_proposal(const std::string& path, Diagnostics& diags, const ReadLimits& limits) {
  auto text = read_file(path, limits.max_bytes);
  if (!text) {
    diags.error({}, text.error().message());
    return text.error();
  }
  if (looks_like_json(path, *text)) return parse_proposal_json(*text, path, diags, limits);
  return parse_proposal_yaml(*text, path, diags, limits);
}

}  // namespace netvet
