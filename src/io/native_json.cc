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
#include <deque>
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
    // Counted on from the last column asked for on this line, so the errors
    // of a one-line file cost one pass over it, not one per error.
    if (col_off_ < line_start_ || col_off_ > off) col_off_ = line_start_, col_ = 1;
    for (size_t i = col_off_; i < off; ++i)
      if ((static_cast<unsigned char>(text_[i]) & 0xc0) != 0x80) ++col_;
    col_off_ = off;
    return {file_, line_, col_, {}};
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
  size_t col_off_ = 0;  // the column col_ is at byte col_off_ (on the line at line_start_)
  uint32_t col_ = 1;
};

// One pass over the raw text, beside simdjson (on the other core for a large
// file). It does three jobs:
//  - nesting depth: on-demand parsing skips what it does not read without a
//    depth limit, and a hostile file should be refused outright;
//  - the length of each array directly under the root object, so the reader
//    sizes its columns and id indexes before reading rows (asking simdjson,
//    count_elements walks every structural of the array a second time);
//  - the root object's shape: where each field's key and value lie, and,
//    inside a long array, element boundaries (commas) about every
//    ReadLimits::json_piece_bytes. The reader parses the file in pieces cut there (see
//    network_in_pieces), so simdjson never indexes the whole document.
// Fields are published one by one as the pass reads past each, so the reader
// waits, if at all, only for the field it is about to read.
class TextScan {
 public:
  struct Field {
    size_t key = 0;    // offset of the key's opening quote
    size_t value = 0;  // offset of the value's first byte
    size_t end = 0;    // one past the value's last byte
    bool array = false;
    size_t count = 0;          // arrays: elements
    std::vector<size_t> cuts;  // arrays: offsets of element-separating commas to cut at
  };

  // piece: cut long arrays about every this many bytes (0: never).
  TextScan(std::string_view text, size_t max_depth, size_t piece)
      : text_(text), max_depth_(max_depth), piece_(piece ? piece : SIZE_MAX) {}
  TextScan(const TextScan&) = delete;
  TextScan& operator=(const TextScan&) = delete;
  ~TextScan() {
    if (aside_.valid()) aside_.wait();
  }

  // A large file is scanned on another thread while the caller goes on
  // (returns true); a small one is scanned before this returns.
  bool start() {
    constexpr size_t kAside = size_t{1} << 20;
    if (text_.size() < kAside) {
      run();
      return false;
    }
    aside_ = std::async(std::launch::async, [this] { run(); });
    return true;
  }

  // Offset of the first bracket past the depth limit, or npos. Waits for the pass.
  size_t too_deep_at() const {
    wait_done();
    return deep_;
  }
  // Whether the text is, up to white space, one object whose keys have no
  // escapes or non-ASCII bytes (every file netvet writes). Waits for the pass.
  bool plain_object() const {
    wait_done();
    return plain_;
  }
  size_t root() const { return root_; }  // offset of the root '{' (when plain_object())

  // The root object's field i once the pass has read past it; nullptr when
  // there is none (past the last, or the text is not a plain object).
  const Field* field(size_t i) const {
    std::unique_lock lock(mu_);
    ready_.wait(lock, [&] { return i < fields_.size() || done_ || bad_; });
    return i < fields_.size() && !bad_ ? &fields_[i] : nullptr;
  }

  // Elements of the root-level array opening at byte `open`, once the pass has
  // closed it; nullopt when the pass ended without one there.
  std::optional<size_t> count_at(size_t open) const {
    std::unique_lock lock(mu_);
    for (;;) {
      for (const Field& f : fields_)
        if (f.array && f.value == open) return f.count;
      if (done_ || (!fields_.empty() && fields_.back().value > open)) return std::nullopt;
      ready_.wait(lock);
    }
  }

 private:
  void wait_done() const {
    std::unique_lock lock(mu_);
    ready_.wait(lock, [&] { return done_; });
  }

  void run() {
    size_t deep = std::string_view::npos;
    bool plain = false;
    try {
      deep = scan(plain);
    } catch (const std::bad_alloc&) {
      plain = false;  // only hints are lost: the reader falls back to one whole parse
    }
    std::lock_guard lock(mu_);
    deep_ = deep;
    plain_ = plain && deep == std::string_view::npos;
    done_ = true;
    ready_.notify_all();
  }

  void publish(Field&& f) {
    std::lock_guard lock(mu_);
    fields_.push_back(std::move(f));
    ready_.notify_all();
  }
  void give_up_shape() {
    std::lock_guard lock(mu_);
    bad_ = true;
    ready_.notify_all();
  }

  size_t scan(bool& plain) {
    // Where the pass is in the root object's grammar; kBad once it is not a
    // plain object (the depth scan goes on regardless).
    enum class At { kStart, kKeyOrEnd, kKey, kColon, kValue, kScalar, kInValue, kAfterValue, kAfterRoot, kBad };
    At at = At::kStart;
    const char* base = text_.data();
    const char* p = base;
    const char* end = p + text_.size();
    size_t depth = 0;
    Field cur;
    size_t commas = 0, last_cut = 0;
    bool items = false;
    auto bad = [&] {
      if (at != At::kBad) give_up_shape();
      at = At::kBad;
    };
    size_t published = 0;
    auto close_value = [&](size_t end_off) {
      cur.end = end_off;
      if (cur.array) cur.count = items ? commas + 1 : 0;
      publish(std::move(cur));
      cur = Field{};
      at = At::kAfterValue;
      // A network has a handful of root fields. Millions are a hostile file
      // whose pieces would each cost a parse and a published Field (48 MB of
      // "x":1 took 580 MB): the whole parse reads it instead.
      constexpr size_t kMaxRootFields = 4096;
      if (++published > kMaxRootFields) bad();
    };
    auto is_space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
    while (p < end) {
      char ch = *p;
      const size_t off = static_cast<size_t>(p - base);
      if (at == At::kScalar) {
        if (is_space(ch) || ch == ',' || ch == '}') {
          close_value(off);
        } else if (ch == '"' || ch == '[' || ch == ']' || ch == '{') {
          bad();
        } else {
          ++p;
          continue;
        }
      }
      if (ch == '"') {
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
        if (depth >= 2) {
          items = true;
        } else if (depth == 1 && (at == At::kKeyOrEnd || at == At::kKey)) {
          bool ascii = true;  // and no escapes
          for (const char* c = base + off + 1; ascii && c < p - 1; ++c) ascii = *c >= 0x20 && *c < 0x7f && *c != '\\';
          if (!ascii) {
            bad();
          } else {
            cur.key = off;
            at = At::kColon;
          }
        } else if (depth == 1 && at == At::kValue) {
          cur.value = off;
          close_value(static_cast<size_t>(p - base));
        } else {
          bad();
        }
        continue;
      }
      switch (ch) {
        case '{':
        case '[':
          if (++depth > max_depth_) return off;
          if (depth == 1) {
            if (at == At::kStart && ch == '{') {
              root_ = off;
              at = At::kKeyOrEnd;
            } else {
              bad();
            }
          } else if (depth == 2) {
            if (at == At::kValue) {
              cur.value = last_cut = off;
              cur.array = ch == '[';
              commas = 0, items = false;
              at = At::kInValue;
            } else {
              bad();
            }
          } else {
            items = true;
          }
          break;
        case '}':
        case ']':
          if (depth == 2 && at == At::kInValue) {
            close_value(off + 1);
          } else if (depth == 1 && ch == '}' && (at == At::kAfterValue || at == At::kKeyOrEnd)) {
            at = At::kAfterRoot;
          } else if (depth <= 1) {
            bad();
          }
          if (depth > 0) --depth;
          break;
        case ',':
          if (depth == 2 && cur.array) {
            ++commas;
            if (off - last_cut >= piece_) cur.cuts.push_back(last_cut = off);
          } else if (depth == 1 && at == At::kAfterValue) {
            at = At::kKey;
          } else if (depth <= 1) {
            bad();
          }
          break;
        case ':':
          if (depth == 1 && at == At::kColon) {
            at = At::kValue;
          } else if (depth <= 1) {
            bad();
          }
          break;
        case ' ':
        case '\n':
        case '\r':
        case '\t':
          break;
        default:
          if (depth >= 2) {
            items = true;
          } else if (depth == 1 && at == At::kValue) {
            cur.value = off;
            at = At::kScalar;
          } else {
            bad();
          }
      }
      ++p;
    }
    plain = at == At::kAfterRoot;
    if (!plain) bad();
    return std::string_view::npos;
  }

  std::string_view text_;
  size_t max_depth_;
  size_t piece_;
  size_t root_ = 0;
  std::future<void> aside_;
  mutable std::mutex mu_;
  mutable std::condition_variable ready_;
  std::deque<Field> fields_;  // a deque: published fields stay put while more are added
  bool done_ = false, bad_ = false, plain_ = false;
  size_t deep_ = std::string_view::npos;
};

struct JsonAdapter {
  using Value = od::value;

  // The bytes simdjson is reading: the document itself, or a copy of one
  // piece of it (network_in_pieces) in which byte i is the document's byte
  // i + shift. Marks and in-place strings are always the document's.
  struct Piece {
    const char* buf = nullptr;
    const char* end = nullptr;  // one past the bytes parsed
    size_t shift = 0;
  };
  const char* text = nullptr;  // the document
  Piece piece;
  const TextScan* scan = nullptr;  // root-level array lengths, when a scan runs
  simdjson::error_code error = simdjson::SUCCESS;
  Mark error_at = 0;

  // Reading in pieces: the root-level array whose elements run on past this
  // piece (for_items reads the rest), and where unescaped strings are kept
  // (the parser's own buffer is reused by the next piece).
  struct Rest {
    const TextScan::Field* field = nullptr;
    od::parser* parser = nullptr;
    std::vector<char>* buf = nullptr;
    size_t items = 0;  // elements read, all pieces together
    bool read = false;
  };
  Rest rest;
  std::deque<std::string>* unescaped = nullptr;

  Mark mark_of(const char* p) const { return p ? static_cast<Mark>(p - piece.buf + piece.shift) + 1 : 0; }
  std::string_view stable(std::string_view s) {
    if (!unescaped) return s;
    return unescaped->emplace_back(s);
  }
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
    const char* close = static_cast<const char*>(std::memchr(raw, '"', static_cast<size_t>(piece.end - raw)));
    if (!close || std::memchr(raw, '\\', static_cast<size_t>(close - raw))) return false;
    out = std::string_view(text + (raw - piece.buf) + piece.shift, static_cast<size_t>(close - raw));
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
    out = stable(out);
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
        key = stable(key);
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
    // The array whose later elements are in later pieces: claim it (nested
    // arrays are not it) and read those pieces after this one's elements.
    const bool runs_on = rest.field && at == rest.field->value + 1;
    if (runs_on) rest.read = true;
    size_t items = 0;
    for (auto item_r : arr) {
      od::value item;
      if (auto e = std::move(item_r).get(item)) return fail(e, at);
      f(item);
      ++items;
      if (error) return;
    }
    if (!runs_on) return;
    const TextScan::Field& field = *rest.field;
    rest.field = nullptr;
    rest.items = items;
    const Piece outer = piece;
    for (size_t k = 0; k < field.cuts.size() && !error; ++k) {
      // Elements between this cut (a comma) and the next, or the closing
      // bracket, parsed as an array of their own: "[" elements "]".
      const size_t from = field.cuts[k], to = k + 1 < field.cuts.size() ? field.cuts[k + 1] : field.end - 1;
      std::vector<char>& buf = *rest.buf;
      buf.assign(text + from, text + to + 1);
      buf.front() = '[', buf.back() = ']';
      const size_t len = buf.size();
      buf.resize(len + simdjson::SIMDJSON_PADDING, ' ');
      piece = {buf.data(), buf.data() + len, from};
      od::document doc;
      od::array part;
      auto e = rest.parser->iterate(buf.data(), len, buf.size()).get(doc);
      if (!e) e = doc.get_array().get(part);
      if (e) {
        fail(e, from + 1);
        break;
      }
      size_t n = 0;
      for (auto item_r : part) {
        od::value item;
        if (auto e2 = std::move(item_r).get(item)) {
          fail(e2, from + 1);
          break;
        }
        f(item);
        ++n;
        if (error) break;
      }
      // An empty piece is a stray comma ("[a,,b]"): the whole parse names it.
      if (n == 0 && !error) fail(simdjson::TAPE_ERROR, from + 1);
      rest.items += n;
    }
    piece = outer;
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
// `pieces(scan, walk)` reads the document in pieces when it can (true), else
// it is parsed whole by `body`.
template <class Body, class Pieces>
bool parse_json(std::string_view text, size_t capacity, const std::string& file, Diagnostics& diags,
                const ReadLimits& limits, std::string_view what, Body&& body, Pieces&& pieces) {
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
  TextScan scan(text, limits.max_depth, limits.json_piece_bytes);
  const bool aside = scan.start();
  const size_t room = diags.limit() > diags.error_count() ? diags.limit() - diags.error_count() : 1;
  Diagnostics found(room);
  std::optional<native::Walk> walk;
  walk.emplace(found, locator, limits, file);
  bool read = false;
  try {
    walk->charge(text.size(), 0);  // the text is held while it is read
    read = limits.json_piece_bytes > 0 && pieces(scan, *walk);
  } catch (const native::Walk::Stop&) {
    read = true;  // a limit was passed and reported: nothing more to read
  }
  if (!read) {  // the whole parse reports afresh, and counts rows and links afresh
    found = Diagnostics(room);
    walk.emplace(found, locator, limits, file);
    walk->charge(text.size(), 0);  // passed above, so it does not throw
  }
  // The whole parse overlaps a scan still running aside; a small file's
  // verdict is known, and a file too deep is not parsed at all.
  if (!read && (aside || scan.too_deep_at() == std::string_view::npos)) {
    try {
      static_assert(native::kJsonPadding == simdjson::SIMDJSON_PADDING);
      std::optional<simdjson::padded_string> copy;
      simdjson::padded_string_view padded(text.data(), text.size(), capacity);
      if (capacity < text.size() + simdjson::SIMDJSON_PADDING) {
        copy.emplace(text);
        padded = *copy;
      }
      // One parse of the whole text indexes it all: simdjson keeps 4 bytes per
      // input byte for its structural index and 5/3 of the input for strings.
      walk->charge(6 * text.size(), 0);
      od::parser parser;
      JsonAdapter a;
      a.scan = &scan;
      a.text = padded.data();
      a.piece = {padded.data(), padded.data() + padded.length(), 0};
      od::document doc;
      simdjson::error_code err = parser.iterate(padded).get(doc);
      od::json_type t = od::json_type::object;
      if (!err) err = doc.type().get(t);
      if (!err && t != od::json_type::object) {
        walk->error(1, std::string(what) + ": expected a JSON object with \"netvet\": 1");
      } else if (!err) {
        od::value root;
        err = doc.get_value().get(root);
        if (!err) {
          body(a, root, *walk);
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
          walk->error(std::max<size_t>(byte, 1), "malformed JSON: " + message);
        } else {
          walk->error(a.error_at ? a.error_at : 1, std::string("malformed JSON: ") + simdjson::error_message(err));
        }
      }
    } catch (const native::Walk::Stop&) {
      // a limit was passed and reported
    } catch (const std::bad_alloc&) {
      walk->error(0, "out of memory reading this file");
    } catch (const std::exception& e) {
      walk->error(0, std::string("cannot read JSON: ") + e.what());
    }
  }
  if (size_t deep = scan.too_deep_at(); deep != std::string_view::npos) {
    diags.error(locator.loc(deep + 1), "nesting deeper than " + std::to_string(limits.max_depth) + " levels");
    return false;
  }
  diags.merge(found);
  return !found.has_errors();
}

}  // namespace

namespace {

// Reads a network file in pieces of about ReadLimits::json_piece_bytes: each root
// field as "{" key: value "}" on its own, and a long array's elements a piece
// at a time (its first piece with the field, the rest in
// JsonAdapter::for_items). simdjson then indexes a few MB at a time, reused,
// instead of 4 bytes for every token of the whole document up front: at 10^6
// components that index was ~200 MB of fresh memory, and faulting it in was
// most of the time of simdjson's first pass. Returns false, having kept
// nothing, when the text is not a plain object (TextScan::plain_object) or a
// piece will not parse; the whole parse then reads it and names the error.
// Buffers a reader in pieces needs: simdjson parsers for a root field and
// for the rest of a long array, and the bytes each parses.
struct PieceReader {
  od::parser field_parser, rest_parser;
  std::vector<char> field_buf, rest_buf;

  // Root field f as "{" key: value "}", or "{" key: [first elements "]}" when
  // the array runs on (its rest read by JsonAdapter::for_items); each field
  // it holds goes to schema.network_field. False when a piece will not parse
  // or a long array was not read to its end, each element once.
  bool read(std::string_view text, const TextScan::Field& f, JsonAdapter& a,
            native::Schema<JsonAdapter>& schema) {
    const size_t stop = f.cuts.empty() ? f.end : f.cuts.front();
    field_buf.assign(1, '{');
    field_buf.insert(field_buf.end(), text.data() + f.key, text.data() + stop);
    if (!f.cuts.empty()) field_buf.push_back(']');
    field_buf.push_back('}');
    const size_t len = field_buf.size();
    field_buf.resize(len + simdjson::SIMDJSON_PADDING, ' ');
    a.piece = {field_buf.data(), field_buf.data() + len, f.key - 1};
    a.rest = {f.cuts.empty() ? nullptr : &f, &rest_parser, &rest_buf, 0, false};
    od::document doc;
    od::value root;
    if (field_parser.iterate(field_buf.data(), len, field_buf.size()).get(doc) || doc.get_value().get(root))
      return false;
    a.for_fields(root, [&](std::string_view key, Mark km, od::value& v) { schema.network_field(key, km, v); });
    if (a.failed()) return false;
    return f.cuts.empty() || (a.rest.read && a.rest.items == f.count);
  }
};

// A national network's links are a third of its bytes, and reading them
// needs only the components' ids at the end, to resolve their ends. So the
// root field "links" is read on the second core (once the text scan has
// passed it) while this thread reads the fields before it: its rows go to a
// scratch network with their ends kept as text, and
// Schema::links_read_aside() appends and resolves them when the reader
// reaches the field. Anything but a clean read of it (an error, a limit, an
// end not yet defined) drops this, and the field is read there as usual.
struct LinksAside {
  size_t field = SIZE_MAX;  // which root field was read; SIZE_MAX: none
  bool ok = false;
  Network rows;                        // links columns; ends not resolved
  std::vector<std::string_view> ends;  // a, b per link: views into the text or `unescaped`
  std::deque<std::string> unescaped;
};

// Whether root field f is "links" (root keys of a plain object have no escapes).
bool is_links(std::string_view text, const TextScan::Field& f) { return text.compare(f.key, 7, "\"links\"") == 0; }

std::unique_ptr<LinksAside> read_links_aside(std::string_view text, const TextScan& scan, const ReadLimits& limits,
                                             const std::string& file) {
  auto out = std::make_unique<LinksAside>();
  const TextScan::Field* f = nullptr;
  for (size_t i = 0; (f = scan.field(i)); ++i) {
    if (!is_links(text, *f)) continue;
    out->field = i;
    break;
  }
  if (!f || !f->array || f->end - f->value < limits.json_links_aside_bytes) return out;
  try {
    JsonLocator locator(file, text);
    Diagnostics diags;
    native::Walk walk(diags, locator, limits, file);
    native::Sink sink;
    sink.net = &out->rows;
    sink.link_ends = &out->ends;
    JsonAdapter a;
    a.text = text.data();
    a.scan = &scan;
    a.unescaped = &out->unescaped;
    native::Schema<JsonAdapter> schema(a, walk, sink);
    PieceReader reader;
    out->ok = reader.read(text, *f, a, schema) && diags.items().empty() && !diags.has_errors();
  } catch (...) {
    out->ok = false;  // a limit, memory: the field is read as usual, which reports it
  }
  return out;
}

// Reads a network file in pieces of about ReadLimits::json_piece_bytes: each root
// field as "{" key: value "}" on its own, and a long array's elements a piece
// at a time (its first piece with the field, the rest in
// JsonAdapter::for_items). simdjson then indexes a few MB at a time, reused,
// instead of 4 bytes for every token of the whole document up front: at 10^6
// components that index was ~200 MB of fresh memory, and faulting it in was
// most of the time of simdjson's first pass. Returns false, having kept
// nothing, when the text is not a plain object (TextScan::plain_object) or a
// piece will not parse; the whole parse then reads it and names the error.
// links_aside (tests): set to whether the links were read aside and kept.
bool network_in_pieces(std::string_view text, const TextScan& scan, native::Walk& walk, Network& net,
                       bool* links_aside = nullptr) {
  if (links_aside) *links_aside = false;
  std::future<std::unique_ptr<LinksAside>> aside;  // joined on every way out (std::async's future)
  if (walk.limits().json_links_aside_bytes != SIZE_MAX)
    aside = std::async(std::launch::async, read_links_aside, text, std::cref(scan), std::cref(walk.limits()),
                       std::string(walk.file()));
  native::Sink sink;
  sink.net = &net;
  JsonAdapter a;
  a.text = text.data();
  a.scan = &scan;
  std::deque<std::string> unescaped;
  a.unescaped = &unescaped;
  PieceReader reader;
  native::Schema<JsonAdapter> schema(a, walk, sink);
  for (size_t i = 0;; ++i) {
    const TextScan::Field* f = scan.field(i);
    if (!f) break;
    if (aside.valid() && is_links(text, *f)) {
      const std::unique_ptr<LinksAside> links = aside.get();
      // The key's mark is its opening quote's (JsonAdapter::for_fields).
      if (links->ok && links->field == i && schema.links_read_aside(f->key + 1, links->rows, links->ends)) {
        if (links_aside) *links_aside = true;
        continue;
      }
    }
    if (!reader.read(text, *f, a, schema)) return false;
  }
  if (!scan.plain_object()) return false;
  schema.network_end(scan.root() + 1);
  walk.resolve_network(sink);
  return true;
}

Expected<Network> network_json(std::string_view text, size_t capacity, const std::string& file, Diagnostics& diags,
                               const ReadLimits& limits) {
  Network net;
  net.source_file = file;
  auto pieces = [&](const TextScan& scan, native::Walk& walk) {
    try {
      if (network_in_pieces(text, scan, walk, net)) return true;
    } catch (const std::bad_alloc&) {
      // the whole parse will try, and say so if it runs out too
    }
    net = Network();
    net.source_file = file;
    return false;
  };
  auto body = [&](JsonAdapter& a, od::value& root, native::Walk& walk) {
    native::Sink sink;
    sink.net = &net;
    native::Schema<JsonAdapter> schema(a, walk, sink);
    schema.network_doc(root);
    // A broken document leaves half-read rows; resolving them would only add noise.
    if (!a.failed()) walk.resolve_network(sink);
  };
  if (!parse_json(text, capacity, file, diags, limits, "network file", body, pieces)) return diags.to_status();
  return net;
}

}  // namespace

Expected<Network> parse_network_json(std::string_view text, const std::string& file, Diagnostics& diags,
                                     const ReadLimits& limits) {
  return network_json(text, text.size(), file, diags, limits);
}

bool native::network_json_reads_in_pieces(std::string_view text, const ReadLimits& limits, bool* links_aside) {
  JsonLocator locator("n.json", text);
  Diagnostics diags;
  native::Walk walk(diags, locator, limits, "n.json");
  TextScan scan(text, limits.max_depth, limits.json_piece_bytes);
  scan.start();
  Network net;
  return network_in_pieces(text, scan, walk, net, links_aside);
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
  bool ok = parse_json(
      text, text.size(), file, diags, limits, "proposal file",
      [&](JsonAdapter& a, od::value& root, native::Walk& walk) {
        native::Sink sink;
        sink.net = &p.add;
        sink.proposal = &p;
        native::Schema<JsonAdapter> schema(a, walk, sink);
        schema.proposal_doc(root);
      },
      [](const TextScan&, native::Walk&) { return false; });
  if (!ok) return diags.to_status();
  return p;
}

}  // namespace netvet
