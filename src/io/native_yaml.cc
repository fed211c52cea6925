// Native format, YAML flavour (for people): yaml-cpp builds a tree, a bounded
// pre-walk enforces the limits, then the shared schema walker reads it.
#include <optional>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <istream>
#include <streambuf>
#include <unordered_set>

#include "native_common.h"
#include "netvet/io.h"

namespace netvet {
namespace {

using native::Kind;
using native::Mark;

// yaml-cpp marks are 0-based with -1 for "none"; a Mark packs them 1-based.
Mark pack(const YAML::Mark& m) {
  if (m.line < 0 || m.column < 0) return 0;
  return (static_cast<uint64_t>(m.line + 1) << 32) | static_cast<uint32_t>(m.column + 1);
}

class YamlLocator : public native::Locator {
 public:
  explicit YamlLocator(std::string file) : file_(std::move(file)) {}
  SourceLoc loc(Mark m) override {
    return {file_, static_cast<uint32_t>(m >> 32), static_cast<uint32_t>(m & 0xffffffffu), {}};
  }
  uint32_t line(Mark m) override { return static_cast<uint32_t>(m >> 32); }

 private:
  std::string file_;
};

struct YamlAdapter {
  using Value = const YAML::Node;

  Kind kind(const YAML::Node& n) {
    switch (n.Type()) {
      case YAML::NodeType::Scalar:
        return Kind::kString;
      case YAML::NodeType::Sequence:
        return Kind::kSeq;
      case YAML::NodeType::Map:
        return Kind::kMap;
      default:
        return Kind::kNull;
    }
  }
  Mark mark(const YAML::Node& n) { return pack(n.Mark()); }
  bool get_str(const YAML::Node& n, std::string_view& out) {
    if (!n.IsScalar()) return false;
    out = n.Scalar();
    return true;
  }
  bool get_double(const YAML::Node& n, double& out) {
    if (!n.IsScalar()) return false;
    std::string_view s = n.Scalar();
    if (!s.empty() && s[0] == '+') s.remove_prefix(1);
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size() && !s.empty() && std::isfinite(out);
  }
  bool get_u64(const YAML::Node& n, uint64_t& out) {
    if (!n.IsScalar()) return false;
    std::string_view s = n.Scalar();
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size() && !s.empty();
  }
  std::string_view raw(const YAML::Node& n) { return n.IsScalar() ? std::string_view(n.Scalar()) : ""; }
  template <class F>
  void for_fields(const YAML::Node& n, F&& f) {
    for (auto it = n.begin(); it != n.end(); ++it) {
      const YAML::Node key = it->first;
      const YAML::Node value = it->second;
      if (!key.IsScalar()) {
        walk->error(pack(key.Mark()), "expected a field name, got " + std::string(native::kind_name(kind(key))));
        continue;
      }
      if (value.IsNull() && !has_colon(key.Mark())) {
        // yaml-cpp reads a word alone on the last line as a key with no value:
        // a file cut off after `links` would read as a network without links.
        walk->error(pack(key.Mark()), "field " + native::quote(key.Scalar()) +
                                          " has no \":\" after it: the map is incomplete (is the file cut off?)");
        continue;
      }
      f(std::string_view(key.Scalar()), pack(key.Mark()), value);
    }
  }
  template <class F>
  void for_items(const YAML::Node& n, F&& f) {
    for (auto it = n.begin(); it != n.end(); ++it) {
      const YAML::Node item = *it;
      f(item);
    }
  }
  size_t count(const YAML::Node& n) { return n.IsSequence() ? n.size() : 0; }
  bool failed() const { return false; }

  // Whether the key starting at `m` is followed by a ':' on its line (an
  // implicit key must be; an explicit "? key" has its ':' later, and its mark
  // follows the "? ").
  bool has_colon(const YAML::Mark& m) const {
    if (m.pos < 0 || static_cast<size_t>(m.pos) >= text.size()) return true;
    const size_t pos = static_cast<size_t>(m.pos);
    size_t line_start = pos == 0 ? std::string_view::npos : text.rfind('\n', pos - 1);
    line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
    if (text.substr(line_start, pos - line_start).find('?') != std::string_view::npos) return true;
    const size_t end = text.find('\n', pos);
    return text.substr(pos, end == std::string_view::npos ? end : end - pos).find(':') != std::string_view::npos;
  }

  native::Walk* walk = nullptr;
  std::string_view text;  // the document, for has_colon
};

// Enforces ReadLimits over the whole tree (including parts the schema would
// only call unknown) without recursion. Aliases share nodes in yaml-cpp, so
// collections are visited once by position: a billion-laughs file stays linear.
bool check_limits(const YAML::Node& root, native::Walk& walk) {
  const ReadLimits& limits = walk.limits();
  std::vector<std::pair<YAML::Node, size_t>> stack{{root, 1}};
  std::unordered_set<int> seen;
  bool ok = true;
  while (!stack.empty() && !walk.full()) {
    auto [n, depth] = stack.back();
    stack.pop_back();
    if (n.IsScalar()) {
      if (n.Scalar().size() > limits.max_string) {
        walk.error(pack(n.Mark()), "string of " + std::to_string(n.Scalar().size()) + " bytes is over the limit of " +
                                       std::to_string(limits.max_string));
        ok = false;
      }
      continue;
    }
    if (!n.IsSequence() && !n.IsMap()) continue;
    if (depth > limits.max_depth) {
      walk.error(pack(n.Mark()), "nesting deeper than " + std::to_string(limits.max_depth) + " levels");
      return false;  // one report is enough; deeper levels say the same
    }
    if (!seen.insert(n.Mark().pos).second) continue;
    if (n.IsSequence()) {
      for (auto it = n.begin(); it != n.end(); ++it) stack.emplace_back(*it, depth + 1);
    } else {
      for (auto it = n.begin(); it != n.end(); ++it) {
        stack.emplace_back(it->first, depth + 1);
        stack.emplace_back(it->second, depth + 1);
      }
    }
  }
  return ok;
}

// A read-only stream over the text, so the counting pass copies nothing.
struct ViewBuf : std::streambuf {
  explicit ViewBuf(std::string_view t) {
    char* p = const_cast<char*>(t.data());  // get area only: never written
    setg(p, p, p + t.size());
  }
};

// Counts the nodes of every document in a streaming pass (yaml-cpp's event
// parser keeps only the current path), charging each to the walk's memory
// estimate, so a file whose tree would pass ReadLimits::max_memory is refused
// before YAML::Load builds it (50 MB of "- {}" is a tree of about 6 GB).
class NodeCounter : public YAML::EventHandler {
 public:
  // Bytes a yaml-cpp node takes (node, node_data, node_ref, shared_ptrs and
  // the document's list of them), measured with Debian's yaml-cpp 0.7 on
  // x86-64: 5 MB of "- {}" (10^6 nodes) loads in 616 MB.
  static constexpr size_t kNodeBytes = 600;
  explicit NodeCounter(native::Walk& walk) : walk_(walk) {}
  // yaml-cpp 0.7 returns to the same place for ever on some malformed input
  // (fuzz_native_yaml found a 542-byte file that yields endless empty
  // documents): a document starting where the previous one did means the
  // parser has stopped making progress.
  void OnDocumentStart(const YAML::Mark& m) override {
    if (m.pos <= last_document_) stuck_ = m;
    last_document_ = m.pos;
  }
  const std::optional<YAML::Mark>& stuck() const { return stuck_; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t) override { node(m); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { node(m); }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t, const std::string& value) override {
    node(m);
    walk_.charge(value.size(), pack(m));
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    node(m);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    node(m);
  }
  void OnMapEnd() override {}

 private:
  void node(const YAML::Mark& m) { walk_.charge(kNodeBytes, pack(m)); }
  native::Walk& walk_;
  int last_document_ = -1;
  std::optional<YAML::Mark> stuck_;
};

// Parses `text` and runs `body(root, walk)`; converts every yaml-cpp exception at this edge.
template <class Body>
bool parse_yaml(std::string_view text, const std::string& file, Diagnostics& diags, const ReadLimits& limits,
                Body&& body) {
  YamlLocator locator(file);
  native::Walk walk(diags, locator, limits, file);
  size_t before = diags.error_count();
  if (text.size() > limits.max_bytes) {
    walk.error(0, "file of " + std::to_string(text.size()) + " bytes is over the limit of " +
                      std::to_string(limits.max_bytes));
    return false;
  }
  try {
    walk.charge(2 * text.size(), 0);  // the text, and the copy YAML::Load reads from
    {
      ViewBuf buf(text);
      std::istream in(&buf);
      YAML::Parser parser(in);
      NodeCounter counter(walk);
      while (parser.HandleNextDocument(counter) && !counter.stuck()) {
      }
      if (const auto& at = counter.stuck()) {
        walk.error(pack(*at), "the YAML parser makes no progress here: this line is not valid YAML");
        return false;
      }
    }
    std::vector<YAML::Node> docs = YAML::LoadAll(std::string(text));
    // A file is one document: a second one (after `---`) would be dropped unread.
    for (size_t i = 1; i < docs.size(); ++i) {
      if (docs[i].IsDefined() && !docs[i].IsNull()) {
        walk.error(pack(docs[i].Mark()), "a second YAML document starts here; a file holds one document (split it)");
        return false;
      }
    }
    YAML::Node root = docs.empty() ? YAML::Node() : docs[0];
    if (!check_limits(root, walk)) return false;
    body(root, walk);
  } catch (const native::Walk::Stop&) {
    // a limit was passed and reported
  } catch (const YAML::ParserException& e) {
    walk.error(pack(e.mark), "malformed YAML: " + e.msg);
  } catch (const YAML::Exception& e) {
    walk.error(pack(e.mark), "malformed YAML: " + e.msg);
  } catch (const std::bad_alloc&) {
    walk.error(0, "out of memory reading this file");
  } catch (const std::exception& e) {
    walk.error(0, std::string("cannot read YAML: ") + e.what());
  }
  return diags.error_count() == before;
}

}  // namespace

Expected<Network> parse_network_yaml(std::string_view text, const std::string& file, Diagnostics& diags,
                                     const ReadLimits& limits) {
  Network net;
  net.source_file = file;
  bool ok = parse_yaml(text, file, diags, limits, [&](const YAML::Node& root, native::Walk& walk) {
    YamlAdapter a;
    a.walk = &walk;
    a.text = text;
    native::Sink sink;
    sink.net = &net;
    native::Schema<YamlAdapter> schema(a, walk, sink);
    schema.network_doc(root);
    walk.resolve_network(sink);
  });
  if (!ok) return diags.to_status();
  return net;
}

Expected<Proposal> parse_proposal_yaml(std::string_view text, const std::string& file, Diagnostics& diags,
                                       const ReadLimits& limits) {
  Proposal p;
  p.source_file = file;
  p.add.source_file = file;
  bool ok = parse_yaml(text, file, diags, limits, [&](const YAML::Node& root, native::Walk& walk) {
    YamlAdapter a;
    a.walk = &walk;
    a.text = text;
    native::Sink sink;
    sink.net = &p.add;
    sink.proposal = &p;
    native::Schema<YamlAdapter> schema(a, walk, sink);
    schema.proposal_doc(root);
  });
  if (!ok) return diags.to_status();
  return p;
}

}  // namespace netvet
