// Whole-file reads, atomic writes, and format dispatch for the native readers.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "native_common.h"
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

// Opens `path` for reading whole: the fd and its stat, or why not (missing,
// a directory, over the size limit).
Expected<int> open_input(const std::string& path, size_t max_bytes, struct stat& st) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) return Status(Code::kNotFound, "cannot open " + path + ": " + std::strerror(err));
    return errno_status("cannot open", path, err);
  }
  Status bad = Status::ok();
  if (::fstat(fd, &st) != 0) {
    bad = errno_status("cannot stat", path, errno);
  } else if (S_ISDIR(st.st_mode)) {
    bad = errno_status("cannot read", path, EISDIR);
  } else if (S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) > max_bytes) {
    bad = Status::io("cannot read " + path + ": file of " + std::to_string(st.st_size) +
                     " bytes is over the limit of " + std::to_string(max_bytes));
  }
  if (!bad) {
    ::close(fd);
    return bad;
  }
  return fd;
}

// Reads the rest of fd into a string, leaving the JSON parser's padding as
// spare capacity so it can parse the bytes where they are. A regular file
// (`expect`: its size) is read into one buffer. A pipe or a device has no size
// up front: it is read in chunks that grow to 64 MiB, so growing never copies
// what was read, and it is stopped one byte past the limit (/dev/zero holds at
// most the limit in memory, not the limit and a doubled copy of it).
Expected<std::string> read_all(int fd, const std::string& path, size_t expect, size_t max_bytes) {
  const size_t cap = max_bytes < SIZE_MAX ? max_bytes + 1 : SIZE_MAX;  // +1: that byte, read, is the verdict
  try {
    std::vector<std::string> chunks;
    size_t used = 0, in_last = 0;
    for (;;) {
      if (chunks.empty() || in_last == chunks.back().size()) {
        constexpr size_t kMin = size_t{1} << 16, kMax = size_t{64} << 20;
        size_t size = chunks.empty() ? std::max(expect + 1, kMin) : std::clamp(used, kMin, kMax);
        if (chunks.empty()) size += native::kJsonPadding;  // a regular file's one buffer needs no copy
        chunks.emplace_back(std::min(size, cap - used), '\0');
        in_last = 0;
      }
      std::string& chunk = chunks.back();
      ssize_t n = ::read(fd, chunk.data() + in_last, chunk.size() - in_last);
      if (n < 0) {
        if (errno == EINTR) continue;
        return errno_status("cannot read", path, errno);
      }
      if (n == 0) break;
      in_last += static_cast<size_t>(n);
      used += static_cast<size_t>(n);
      if (used > max_bytes)
        return Status::io("cannot read " + path + ": over the limit of " + std::to_string(max_bytes) + " bytes");
    }
    if (chunks.size() == 1) {
      std::string out = std::move(chunks.front());
      out.resize(used);
      if (out.capacity() < used + native::kJsonPadding) out.reserve(used + native::kJsonPadding);
      return out;  // moved (implicitly), not copied: a copy would drop the padding
    }
    std::string out;
    out.reserve(used + native::kJsonPadding);
    for (size_t i = 0; i < chunks.size(); ++i) out.append(chunks[i], 0, i + 1 < chunks.size() ? chunks[i].size() : in_last);
    return out;
  } catch (const std::bad_alloc&) {
    return Status::io("cannot read " + path + ": out of memory");
  }
}

// A file's bytes for the native readers. A regular file is mapped from the page
// cache rather than copied: loading a national network touches hundreds of MB,
// and on virtual machines first-touching fresh memory costs more than parsing it.
// The mapping sits at the start of a slightly larger anonymous one, so the JSON
// parser's padding past the end is readable (zeros). Anything else (a pipe,
// /dev/stdin) is read into a padded string. The cost of mapping: a file that
// another process truncates while netvet reads it faults (SIGBUS) instead of
// reading short; inputs are not expected to change under a run.
class InputText {
 public:
  static Expected<InputText> open(const std::string& path, size_t max_bytes) {
    struct stat st {};
    auto fd = open_input(path, max_bytes, st);
    if (!fd) return fd.error();
    InputText in;
    const size_t size = static_cast<size_t>(st.st_size);
    if (S_ISREG(st.st_mode) && size >= kMapAtLeast) {
      const size_t total = size + native::kJsonPadding;
      void* region = ::mmap(nullptr, total, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      void* file = region == MAP_FAILED ? MAP_FAILED
                                        : ::mmap(region, size, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, *fd, 0);
      if (file != MAP_FAILED) {
        ::close(*fd);
        in.map_ = region;
        in.map_size_ = total;
        in.text_ = std::string_view(static_cast<const char*>(region), size);
        in.readable_ = total;
        return in;
      }
      if (region != MAP_FAILED) ::munmap(region, total);  // fall back to reading
    }
    auto text = read_all(*fd, path, S_ISREG(st.st_mode) ? size : 0, max_bytes);
    ::close(*fd);
    if (!text) return text.error();
    in.owned_ = std::move(*text);
    in.text_ = in.owned_;
    in.readable_ = in.owned_.capacity();
    return in;
  }

  InputText(InputText&& o) noexcept
      : map_(std::exchange(o.map_, nullptr)), map_size_(o.map_size_), owned_(std::move(o.owned_)),
        readable_(o.readable_) {
    text_ = map_ ? o.text_ : std::string_view(owned_);
  }
  InputText& operator=(InputText&&) = delete;
  ~InputText() {
    if (map_) ::munmap(map_, map_size_);
  }

  std::string_view text() const { return text_; }
  size_t readable() const { return readable_; }  // bytes from text().data() that may be read

 private:
  static constexpr size_t kMapAtLeast = 1 << 20;  // small files: a read is cheaper than a mapping
  InputText() = default;
  void* map_ = nullptr;
  size_t map_size_ = 0;
  std::string owned_;
  std::string_view text_;
  size_t readable_ = 0;
};

}  // namespace

Expected<std::string> read_file(const std::string& path, size_t max_bytes) {
  struct stat st {};
  auto fd = open_input(path, max_bytes, st);
  if (!fd) return fd.error();
  auto text = read_all(*fd, path, S_ISREG(st.st_mode) ? static_cast<size_t>(st.st_size) : 0, max_bytes);
  ::close(*fd);
  return text;
}

namespace {

// Creates a new file beside `path` (same directory, so the rename that
// replaces the target is atomic) with `mode`, which the kernel narrows by the
// umask as for any new file. mkstemp would fix 0600 and leave the umask to be
// read, which only umask() can do, racily, by changing it.
int create_beside(const std::string& path, mode_t mode, std::string& tmp) {
  size_t slash = path.find_last_of('/');
  std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  for (int attempt = 0; attempt < 64; ++attempt) {
    uint64_t r = 0;
    if (::getrandom(&r, sizeof r, 0) != sizeof r) r = (static_cast<uint64_t>(::getpid()) << 32) ^ attempt;
    char suffix[17];
    std::snprintf(suffix, sizeof suffix, "%016llx", static_cast<unsigned long long>(r));
    tmp = dir + "/." + base + ".tmp." + suffix;
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  errno = EEXIST;
  return -1;
}

}  // namespace

Status write_file_atomic(const std::string& path, std::string_view content, Classification holds) {
  // Only a regular file (or a symlink, which the rename replaces, leaving its
  // target alone) may be replaced: renaming over a FIFO or a device node
  // (`-o /dev/null` as root) would destroy it.
  struct stat old {};
  const bool exists = ::lstat(path.c_str(), &old) == 0;
  if (exists && !S_ISREG(old.st_mode) && !S_ISLNK(old.st_mode))
    return Status::io("cannot write " + path + ": not a regular file (netvet only replaces regular files)");
  // Above UNCLASSIFIED: owner-only, whatever the umask or the mode of the file
  // replaced. Otherwise a replaced regular file keeps its mode (as a shell
  // redirection would) and a new one gets 0666 narrowed by the umask.
  const bool classified = holds > Classification::kUnclassified;
  const mode_t create_mode = classified ? 0600 : (exists && S_ISREG(old.st_mode) ? 0600 : 0666);
  std::string tmp;
  int fd = create_beside(path, create_mode, tmp);
  if (fd < 0) return errno_status("cannot create a temporary file beside", path, errno);
  auto give_up = [&](int err) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return errno_status("cannot write", path, err);
  };
  if (classified) {
    if (::fchmod(fd, 0600) != 0) return give_up(errno);  // exactly 0600, even under an odd umask
  } else if (exists && S_ISREG(old.st_mode)) {
    if (::fchmod(fd, old.st_mode & 0777) != 0) return give_up(errno);
  }
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return give_up(errno);
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

Status write_output(const std::string& path, std::string_view content, Classification holds, std::ostream& out) {
  if (!is_stdout_path(path)) return write_file_atomic(path, content, holds);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.flush();
  if (!out) return Status::io("cannot write to standard output");
  return Status::ok();
}

Expected<Network> read_network(const std::string& path, Diagnostics& diags, const ReadLimits& limits) {
  auto in = InputText::open(path, limits.max_bytes);
  if (!in) {
    diags.error({}, in.error().message());
    return in.error();
  }
  if (looks_like_json(path, in->text())) return native::parse_network_json_padded(in->text(), in->readable(), path, diags, limits);
  return parse_network_yaml(in->text(), path, diags, limits);
}

Expected<Proposal> read_proposal(const std::string& path, Diagnostics& diags, const ReadLimits& limits) {
  auto in = InputText::open(path, limits.max_bytes);
  if (!in) {
    diags.error({}, in.error().message());
    return in.error();
  }
  if (looks_like_json(path, in->text())) return parse_proposal_json(in->text(), path, diags, limits);
  return parse_proposal_yaml(in->text(), path, diags, limits);
}

}  // namespace netvet
