// Native format, JSON flavour (for bulk): simdjson on-demand, one forward pass,
// strings interned straight from simdjson's buffer (no per-row allocation).
// Positions are byte offsets turned into line:column only when a row's line or
// an error needs them. When the document itself is broken, nlohmann's SAX parser
// re-reads it to name the first syntax error precisely (simdjson's stage 1 only
// says that something is wrong, not where).
#include <simdjson.h>

#include <cctype>
#include <condition_variable>
#include <cstring>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>

#include "native_common.h"
#include "netvet/io.h"

namespace netvet {
namespace {

using native::Kind;
using native::Mark;
namespace od = simdjson::ondemand;

// Mark = byte offset + 1. Lines are counted forward from the last question, so
// asking for every row's line in file order costs one pass over the text.
class JsonLocator : public native::Locator {
 public:
  JsonLocator(std::string file, std::string_view text) : file_(std::move(file)), text_(text) {}

  SourceLoc loc(Mark m) override {
    if (m == 0) return {file_, 0, 0, {}};
    size_t off = std::min<size_t>(m - 1, text_.size());
    advance(off);
    // Columns count characters, not bytes: skip UTF-8 continuation bytes.
    uint32_t col = 1;
    for (size_t i = line_start_; i < off; ++i)
      if ((static_cast<unsigned char>(text_[i]) & 0xc0) != 0x80) ++col;
    return {file_, line_, col, {}};
  }
  uint32_t line(Mark m) override {
    if (m == 0) return 0;
    advance(std::min<size_t>(m - 1, text_.size()));
    return line_;
  }

 private:
  void advance(size_t off) {
    if (off < pos_) pos_ = line_start_ = 0, line_ = 1;  // backwards: recount (errors only)
    const char* p = text_.data();
    while (pos_ < off) {
      const void* nl = std::memchr(p + pos_, '\n', off - pos_);
      if (!nl) {
        pos_ = off;
        break;
      }
      pos_ = static_cast<size_t>(static_cast<const char*>(nl) - p) + 1;
      line_start_ = pos_;
      ++line_;
    }
  }

  std::string file_;
  std::string_view text_;
  size_t pos_ = 0, line_start_ = 0;
  uint32_t line_ = 1;
};

// One pass over the raw text, beside simdjson (on the other core for a large
// file). It does two jobs:
//  - nesting depth: on-demand parsing skips what it does not read without a
//    depth limit, and a hostile file should be refused outright;
//  - the length of each array directly under the root object. The reader
//    sizes its columns and id indexes from these before reading rows; asking
//    simdjson instead (count_elements) walks every structural of the array a
//    second time, ~8% of a national network's load.
// Counts are published array by array as the pass closes each, so the
// reader waits, if at all, only for the array it is about to read.
class TextScan {
 public:
  explicit TextScan(size_t max_depth) : max_depth_(max_depth) {}

  // Runs the pass; returns the offset of the first bracket past the depth
  // limit, or npos.
  size_t run(std::string_view text) {
    size_t deep = std::string_view::npos;
    try {
      deep = scan(text);
    } catch (const std::bad_alloc&) {
      // Only the counts (hints) are lost; the reader must not wait for them.
    }
    std::lock_guard lock(mu_);
    done_ = true;
    ready_.notify_all();
    return deep;
  }

  // Elements of the root-level array opening at byte `open`, once the pass has
  // closed it; nullopt when the pass ended without one there (not a root-level
  // array, or the text is malformed or too deep).
  std::optional<size_t> count_at(size_t open) const {
    std::unique_lock lock(mu_);
    for (;;) {
      for (const auto& [at, n] : counts_)
        if (at == open) return n;
      if (done_ || (!counts_.empty() && counts_.back().first > open)) return std::nullopt;
      ready_.wait(lock);
    }
  }

 private:
  size_t scan(std::string_view text) {
    size_t depth = 0;
    const char* p = text.data();
    const char* end = p + text.size();
    // The root-level array being counted: where it opened, commas so far,
    // whether anything but white space is in it.
    const char* open = nullptr;
    size_t commas = 0;
    bool items = false;
    while (p < end) {
      char ch = *p;
      if (ch == '"') {
        items = true;
        // Skip the string: find the closing quote that is not escaped.
        ++p;
        while (p < end) {
          const char* q = static_cast<const char*>(std::memchr(p, '"', static_cast<size_t>(end - p)));
          if (!q) return std::string_view::npos;  // unclosed string: the parser will say so
          size_t backslashes = 0;
          for (const char* b = q; b > p && b[-1] == '\\'; --b) ++backslashes;
          p = q + 1;
          if (backslashes % 2 == 0) break;
        }
        continue;
      }
      if (ch == '[' || ch == '{') {
        if (++depth > max_depth_) return static_cast<size_t>(p - text.data());
        if (depth == 2 && ch == '[')
          open = p, commas = 0, items = false;
        else
          items = true;
      } else if (ch == ']' || ch == '}') {
        if (depth == 2 && open && ch == ']') {
          publish(static_cast<size_t>(open - text.data()), items ? commas + 1 : 0);
          open = nullptr;
        }
        if (depth > 0) --depth;
      } else if (ch == ',') {
        if (depth == 2) ++commas;
      } else if (ch != ' ' && ch != '\n' && ch != '\r' && ch != '\t') {
        items = true;
      }
      ++p;
    }
    return std::string_view::npos;
  }

  void publish(size_t open, size_t n) {
    std::lock_guard lock(mu_);
    counts_.emplace_back(open, n);
    ready_.notify_all();
  }

  size_t max_depth_;
  mutable std::mutex mu_;
  mutable std::condition_variable ready_;
  std::vector<std::pair<size_t, size_t>> counts_;  // (offset of '[', elements), in text order
  bool done_ = false;
};

struct JsonAdapter {
  using Value = od::value;

  const char* base = nullptr;
  const char* end = nullptr;       // one past the document
  const TextScan* scan = nullptr;  // root-level array lengths, when a scan runs
  simdjson::error_code error = simdjson::SUCCESS;
  Mark error_at = 0;

  Mark mark_of(const char* p) const { return p ? static_cast<Mark>(p - base) + 1 : 0; }
  void fail(simdjson::error_code e, Mark at) {
    if (error == simdjson::SUCCESS) error = e, error_at = at;
  }

  Kind kind(Value& v) {
    od::json_type t;
    if (auto e = v.type().get(t)) {
      fail(e, mark(v));
      return Kind::kNull;
    }
    switch (t) {
      case od::json_type::array:
        return Kind::kSeq;
      case od::json_type::object:
        return Kind::kMap;
      case od::json_type::number:
        return Kind::kNumber;
      case od::json_type::string:
        return Kind::kString;
      case od::json_type::boolean:
        return Kind::kBool;
      case od::json_type::null:
        return Kind::kNull;
    }
    return Kind::kNull;
  }
  Mark mark(Value& v) { return mark_of(v.raw_json_token().data()); }
  // Strings without escapes (nearly all) are views into the document:
  // unescaping copies every byte into the parser's string buffer, which for a
  // national network is 100+ MB of fresh memory to fault in. Stage 1 has
  // already validated the document (UTF-8, no raw control characters), so the
  // bytes up to the closing quote are the string. `raw` points just past the
  // opening quote; false when an escape needs simdjson's unescaping.
  bool in_place(const char* raw, std::string_view& out) const {
    const char* close = static_cast<const char*>(std::memchr(raw, '"', static_cast<size_t>(end - raw)));
    if (!close || std::memchr(raw, '\\', static_cast<size_t>(close - raw))) return false;
    out = std::string_view(raw, static_cast<size_t>(close - raw));
    return true;
  }
  bool get_str(Value& v, std::string_view& out) {
    std::string_view token = v.raw_json_token();
    if (!token.empty() && token.front() == '"' && in_place(token.data() + 1, out)) return true;
    if (auto e = v.get_string().get(out)) {
      // A string that will not unescape is a broken document, not a wrong type.
      if (e != simdjson::INCORRECT_TYPE) fail(e, mark(v));
      return false;
    }
    return true;
  }
  bool get_double(Value& v, double& out) {
    if (kind(v) != Kind::kNumber) return false;
    return !v.get_double().get(out) && std::isfinite(out);
  }
  bool get_u64(Value& v, uint64_t& out) {
    if (kind(v) != Kind::kNumber) return false;
    return !v.get_uint64().get(out);
  }
  std::string_view raw(Value& v) {
    std::string_view t = v.raw_json_token();
    while (!t.empty() && (t.back() == ' ' || t.back() == '\n' || t.back() == '\r' || t.back() == '\t'))
      t.remove_suffix(1);
    return t;
  }
  template <class F>
  void for_fields(Value& v, F&& f) {
    od::object obj;
    Mark at = mark(v);
    if (auto e = v.get_object().get(obj)) return fail(e, at);
    for (auto field_r : obj) {
      od::field field;
      if (auto e = std::move(field_r).get(field)) return fail(e, at);
      // raw() points just past the key's opening quote.
      const char* raw = field.key().raw();
      Mark key_mark = mark_of(raw - 1);
      std::string_view key;
      if (!in_place(raw, key)) {
        if (auto e = field.unescaped_key().get(key)) return fail(e, key_mark);
      }
      f(key, key_mark, field.value());
      if (error) return;
    }
  }
  template <class F>
  void for_items(Value& v, F&& f) {
    if (failed()) return;
    od::array arr;
    Mark at = mark(v);
    if (auto e = v.get_array().get(arr)) return fail(e, at);
    for (auto item_r : arr) {
      od::value item;
      if (auto e = std::move(item_r).get(item)) return fail(e, at);
      f(item);
      if (error) return;
    }
  }
  size_t count(Value& v) {
    size_t n = 0;
    Mark at = mark(v);
    if (scan && at)
      if (auto counted = scan->count_at(at - 1)) return *counted;
    // A broken array abandons the iterator: record it so nothing reads on.
    if (auto e = v.count_elements().get(n)) {
      fail(e, at);
      return 0;
    }
    return n;
  }
  bool failed() const { return error != simdjson::SUCCESS; }
};

// Finds the first syntax error the way a person would want it named. Returns
// false when nlohmann accepts the text (then simdjson's own message is used).
bool find_syntax_error(std::string_view text, size_t& byte, std::string& message) {
  struct Sax : nlohmann::json_sax<nlohmann::json> {
    size_t byte = 0;
    std::string message;
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t&) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
      byte = position;
      message = ex.what();
      return false;
    }
  } sax;
  bool ok = nlohmann::json::sax_parse(text.begin(), text.end(), &sax);
  if (ok) return false;
  // nlohmann names the last byte it read; point at the start of that token instead,
  // which is where a person looks ("function" rather than its closing quote).
  size_t pos = std::min(sax.byte, text.size());
  if (pos > 0) {
    size_t i = pos - 1;
    auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+'; };
    if (text[i] == '"' && i > 0) {
      size_t j = i;
      while (j > 0) {
        --j;
        if (text[j] != '"') continue;
        size_t bs = 0;
        for (size_t k = j; k > 0 && text[k - 1] == '\\'; --k) ++bs;
        if (bs % 2 == 0) break;
      }
      i = j;
    } else if (word(text[i])) {
      while (i > 0 && word(text[i - 1])) --i;
    }
    pos = i + 1;
  }
  byte = pos;
  // "[json.exception.parse_error.101] parse error at line 4, column 5: syntax error ..." -> "syntax error ..."
  message = sax.message;
  size_t colon = message.find(": ");
  if (colon != std::string::npos) message = message.substr(colon + 2);
  return true;
}

// `capacity`: how many bytes from text.data() may be read; with the parser's
// padding to spare the document is parsed in place, otherwise copied.
template <class Body>
bool parse_json(std::string_view text, size_t capacity, const std::string& file, Diagnostics& diags,
                const ReadLimits& limits, std::string_view what, Body&& body) {
  JsonLocator locator(file, text);
  if (text.size() > limits.max_bytes) {
    diags.error(locator.loc(0), "file of " + std::to_string(text.size()) + " bytes is over the limit of " +
                                    std::to_string(limits.max_bytes));
    return false;
  }
  // The text scan reads every byte once. On a large file it runs on the other
  // core while simdjson parses (neither recurses on the input), and its depth
  // verdict is awaited before anything the parse found is kept: the walk
  // reports into `found`, merged only when the depth is within the limit.
  constexpr size_t kScanAside = 1 << 20;
  TextScan scanner(limits.max_depth);
  std::future<size_t> scan;
  size_t deep = std::string_view::npos;
  if (text.size() >= kScanAside) {
    scan = std::async(std::launch::async, [&] { return scanner.run(text); });
  } else {
    deep = scanner.run(text);
  }
  Diagnostics found(diags.limit() > diags.error_count() ? diags.limit() - diags.error_count() : 1);
  native::Walk walk(found, locator, limits, file);
  if (deep == std::string_view::npos) {
    try {
      static_assert(native::kJsonPadding == simdjson::SIMDJSON_PADDING);
      std::optional<simdjson::padded_string> copy;
      simdjson::padded_string_view padded(text.data(), text.size(), capacity);
      if (capacity < text.size() + simdjson::SIMDJSON_PADDING) {
        copy.emplace(text);
        padded = *copy;
      }
      od::parser parser;
      JsonAdapter a;
      a.scan = &scanner;
      a.base = padded.data();
      a.end = padded.data() + padded.length();
      od::document doc;
      simdjson::error_code err = parser.iterate(padded).get(doc);
      od::json_type t = od::json_type::object;
      if (!err) err = doc.type().get(t);
      if (!err && t != od::json_type::object) {
        walk.error(1, std::string(what) + ": expected a JSON object with \"netvet\": 1");
      } else if (!err) {
        od::value root;
        err = doc.get_value().get(root);
        if (!err) {
          body(a, root, walk);
          err = a.error;
          // Anything after the root object: current_location() is only in bounds when tokens remain.
          const char* rest = nullptr;
          if (!err && doc.current_location().get(rest) == simdjson::SUCCESS) {
            err = simdjson::TRAILING_CONTENT;
            a.error_at = a.mark_of(rest);
          }
        }
      }
      if (err) {
        size_t byte;
        std::string message;
        if (find_syntax_error(text, byte, message)) {
          walk.error(std::max<size_t>(byte, 1), "malformed JSON: " + message);
        } else {
          walk.error(a.error_at ? a.error_at : 1, std::string("malformed JSON: ") + simdjson::error_message(err));
        }
      }
    } catch (const std::bad_alloc&) {
      walk.error(0, "out of memory reading this file");
    } catch (const std::exception& e) {
      walk.error(0, std::string("cannot read JSON: ") + e.what());
    }
  }
  if (scan.valid()) deep = scan.get();
  if (deep != std::string_view::npos) {
    diags.error(locator.loc(deep + 1), "nesting deeper than " + std::to_string(limits.max_depth) + " levels");
    return false;
  }
  diags.merge(found);
  return !found.has_errors();
}

}  // namespace

namespace {

Expected<Network> network_json(std::string_view text, size_t capacity, const std::string& file, Diagnostics& diags,
                               const ReadLimits& limits) {
  Network net;
  net.source_file = file;
  auto body = [&](JsonAdapter& a, od::value& root, native::Walk& walk) {
    native::Sink sink;
    sink.net = &net;
    native::Schema<JsonAdapter> schema(a, walk, sink);
    schema.network_doc(root);
    // A broken document leaves half-read rows; resolving them would only add noise.
    if (!a.failed()) walk.resolve_network(sink);
  };
  if (!parse_json(text, capacity, file, diags, limits, "network file", body)) return diags.to_status();
  return net;
}

}  // namespace

Expected<Network> parse_network_json(std::string_view text, const std::string& file, Diagnostics& diags,
                                     const ReadLimits& limits) {
  return network_json(text, text.size(), file, diags, limits);
}

Expected<Network> native::parse_network_json_padded(std::string_view text, size_t readable, const std::string& file,
                                                    Diagnostics& diags, const ReadLimits& limits) {
  return network_json(text, readable, file, diags, limits);
}

Expected<Proposal> parse_proposal_json(std::string_view text, const std::string& file, Diagnostics& diags,
                                       const ReadLimits& limits) {
  Proposal p;
  p.source_file = file;
  p.add.source_file = file;
  bool ok = parse_json(text, text.size(), file, diags, limits, "proposal file",
                       [&](JsonAdapter& a, od::value& root, native::Walk& walk) {
                         native::Sink sink;
                         sink.net = &p.add;
                         sink.proposal = &p;
                         native::Schema<JsonAdapter> schema(a, walk, sink);
                         schema.proposal_doc(root);
                       });
  if (!ok) return diags.to_status();
  return p;
}

}  // namespace netvet
