// Private to io/: the native-format schema, written once and walked over either
// a yaml-cpp tree or a simdjson on-demand document through a small adapter, so
// YAML and JSON accept exactly the same files and say the same things about
// bad ones.
//
// An adapter A provides:
//   using Value;                               a node handle, passed by reference
//   Kind kind(Value&);                         what the node is (does not consume it)
//   Mark mark(Value&);                         where the node starts
//   bool get_str(Value&, std::string_view&);   false unless a string (YAML: any scalar)
//   bool get_double(Value&, double&);          false unless a finite number
//   bool get_u64(Value&, uint64_t&);           false unless a non-negative integer
//   std::string_view raw(Value&);              a number's text, for messages
//   template <F> void for_fields(Value&, F);   F(std::string_view key, Mark key_mark, Value& v)
//   template <F> void for_items(Value&, F);    F(Value& item)
//   size_t count(Value&);                      a list's length (0 if unknown), for reserving
//   bool failed();                             the document is broken; stop walking
// plus a Locator that turns marks into file:line:column.
#pragma once

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "netvet/common.h"
#include "netvet/io.h"
#include "netvet/model.h"

namespace netvet::native {

// Bytes the JSON parser may read past the end of a document (SIMDJSON_PADDING,
// kept here so file_io.cc need not include simdjson). File input leaves this
// much readable past the text, so parse_network_json_padded() parses it in
// place instead of copying it (10^6 components are 260 MB of JSON).
inline constexpr size_t kJsonPadding = 64;
// `readable`: bytes from text.data() that may be read (copies when under text.size() + kJsonPadding).
Expected<Network> parse_network_json_padded(std::string_view text, size_t readable, const std::string& file,
                                            Diagnostics& diags, const ReadLimits& limits);

// Whether a JSON network reads in pieces (true) or needs the whole parse
// (false: broken, or not a plain object). For tests: both give the same result.
// links_aside: set to whether the "links" field was read on the second thread.
bool network_json_reads_in_pieces(std::string_view text, const ReadLimits& limits, bool* links_aside = nullptr);

enum class Kind : uint8_t { kNull, kBool, kNumber, kString, kSeq, kMap };
std::string_view kind_name(Kind k);  // "null" "boolean" "number" "string" "list" "map"

// A position in the input, opaque to the walker; 0 means unknown. The format's
// Locator expands it only when a line or an error needs it (JSON counts lines lazily).
using Mark = uint64_t;

class Locator {
 public:
  virtual ~Locator() = default;
  virtual SourceLoc loc(Mark m) = 0;
  virtual uint32_t line(Mark m) = 0;
};

// "unknown function \"gnodeb\" (did you mean \"gnb\"?)". Common long spellings
// are checked first because edit distance gets them wrong (gNodeB is a gnb, not a nodeb).
std::string unknown_name(std::string_view what, std::string_view value, const std::vector<std::string_view>& names);
// The value quoted for a message, cut short so a huge scalar cannot flood the terminal.
std::string quote(std::string_view s);
std::string suggest_suffix(std::string_view word, const std::vector<std::string_view>& candidates);

// The first control character in `s` (C0, DEL, C1, or a bidirectional
// embedding/override/isolate), as a code point; nullopt when there is none.
std::optional<uint32_t> control_character(std::string_view s);

// parse_function, or nullopt with the message for `error`.
std::optional<Function> function_with_hint(std::string_view s, std::string& error);

// Id -> row, open addressing. The readers look up every link end and reference
// here instead of in the StringPool: one probe into a flat array instead of a
// chained node per lookup, which made up most of a bulk load's time.
// Keys are views that must outlive the index (pool strings).
class IdIndex {
 public:
  uint32_t find(std::string_view key) const;        // row, or kNone
  void insert(std::string_view key, uint32_t row);  // key must not be present
  size_t size() const { return used_; }
  // find() for n keys at once. Each lookup is two cache misses (slot, key
  // bytes) into a table of tens of MB; issuing every key's loads before
  // waiting on any overlaps them, which makes bulk link resolution ~3x faster.
  void find_many(const std::string_view* keys, size_t n, uint32_t* rows) const;
  // insert() of keys[i] -> first_row + i, the slots prefetched ahead the same way.
  void insert_many(const std::string_view* keys, size_t n, uint32_t first_row);
  void reserve(size_t keys);  // room for this many keys without growing

 private:
  uint32_t find_hashed(std::string_view key, uint64_t h) const;  // h: StringPool::hash(key)
  void place(std::string_view key, uint64_t h, uint32_t row);    // into the first free slot; room is there
  struct Slot {
    const char* data = nullptr;
    uint32_t size = 0;
    uint32_t row = kNone;  // kNone: empty
  };
  void grow();
  void rehash(size_t size);  // size: a power of two
  std::vector<Slot> slots_;
  size_t used_ = 0;
};

// Where a walk's rows go and how ids resolve. One per file.
struct Sink {
  Network* net = nullptr;        // the network, or the proposal's `add`
  Proposal* proposal = nullptr;  // set for proposal files: refs stay by id

  // Network files: references to rows not read yet when met (forward
  // references are fine) and every parent reference, finished after the walk
  // by resolve_network(), which reports dangling ones. Backward references, the
  // usual case, resolve on the spot, so a national network keeps no list of
  // its 10^6 link ends. The views point into the parsed document, which
  // outlives the walk.
  enum class RefKind : uint8_t { kSite, kParent, kLinkA, kLinkB };
  struct Ref {
    uint32_t row;  // component (site, parent) or link (ends)
    RefKind kind;
    std::string_view id;
    Mark mark;
  };
  std::vector<Ref> comp_refs, link_refs;  // in row order
  // Set: links keep their ends as text here (a, b per link) instead of
  // resolving them, for a reader that resolves them later (Schema::links_read_aside).
  std::vector<std::string_view>* link_ends = nullptr;
  // Per table: id -> row, and each row's id mark (for "first defined at line N").
  IdIndex site_index, comp_index, sens_index;
  std::vector<Mark> comp_mark, site_row_mark, sens_mark;
};

class Walk {
 public:
  Walk(Diagnostics& diags, Locator& locator, const ReadLimits& limits, std::string_view file)
      : diags_(diags), locator_(locator), limits_(limits), file_(file) {}

  void error(Mark m, std::string msg);
  bool full() const { return diags_.full(); }

  // Thrown once a ReadLimits limit is passed, after reporting it: the read
  // ends there (reading on would only cost what the limit is there to stop).
  // The readers catch it where they catch a broken document.
  struct Stop {};

  // Rows, links and memory are counted as elements are read (valid or not)
  // and checked against ReadLimits. *_ahead: a list's length known before it
  // is read, so a list that would pass a limit is refused without reading it.
  // Estimated bytes per row and per link a read keeps (columns, id indexes,
  // marks, interned ids); the memory limit counts these and the text.
  static constexpr size_t kRowBytes = 192, kLinkBytes = 40;
  void row(Mark m) {
    if (++rows_ > limits_.max_rows) over_count(m, "rows", limits_.max_rows, "");
    charge(kRowBytes, m);
  }
  void link(Mark m) {
    if (++links_ > limits_.max_links) over_count(m, "links", limits_.max_links, "");
    charge(kLinkBytes, m);
  }
  void rows_ahead(size_t n, Mark m, std::string_view list) {
    if (rows_ + n > limits_.max_rows) over_count(m, "rows", limits_.max_rows, list, n);
    if (memory_ + n * kRowBytes > limits_.max_memory) over_memory(m);
  }
  // Whether n more links fit the limits, and counting them once they are
  // kept: what link() does per link, for links read elsewhere.
  bool links_fit(size_t n) const {
    return links_ + n <= limits_.max_links && memory_ + n * kLinkBytes <= limits_.max_memory;
  }
  void count_links(size_t n) { links_ += n, memory_ += n * kLinkBytes; }
  void links_ahead(size_t n, Mark m) {
    if (links_ + n > limits_.max_links) over_count(m, "links", limits_.max_links, "links", n);
    if (memory_ + n * kLinkBytes > limits_.max_memory) over_memory(m);
  }
  // `bytes` more of the memory estimate (the text, a YAML tree's nodes).
  void charge(size_t bytes, Mark m) {
    memory_ += bytes;
    if (memory_ > limits_.max_memory) over_memory(m);
  }
  const ReadLimits& limits() const { return limits_; }
  Locator& locator() { return locator_; }
  Diagnostics& diags() { return diags_; }
  std::string_view file() const { return file_; }

  // Reports a duplicate id (naming the line of row `first`, the row that
  // already has it) and returns false; true when `first` is nullopt.
  bool unique_id(std::optional<uint32_t> first, const std::vector<Mark>& marks, std::string_view id, Mark m,
                 std::string_view what);

  // Resolves a network's site/parent/link references to indices; reports dangling ones.
  void resolve_network(Sink& sink);

 private:
  [[noreturn]] void over_count(Mark m, std::string_view what, size_t limit, std::string_view list, size_t n = 0);
  [[noreturn]] void over_memory(Mark m);

  Diagnostics& diags_;
  Locator& locator_;
  const ReadLimits& limits_;
  std::string_view file_;
  size_t rows_ = 0, links_ = 0, memory_ = 0;
};

// Field names per object, for "unknown field" with did-you-mean.
inline const std::vector<std::string_view> kNetworkFields = {
    "netvet", "operator", "country", "sites", "components", "links", "sensitive_locations"};
inline const std::vector<std::string_view> kProposalFields = {"netvet", "proposal", "add", "remove", "change"};
inline const std::vector<std::string_view> kAddFields = {"sites", "components", "links", "sensitive_locations"};
inline const std::vector<std::string_view> kRemoveFields = {"components", "sites", "links"};
inline const std::vector<std::string_view> kSiteFields = {"id", "name", "lat", "lon", "region", "tags"};
inline const std::vector<std::string_view> kComponentFields = {
    "id", "name", "function", "generation", "vendor", "model", "software", "site", "parent", "serves", "tags"};
inline const std::vector<std::string_view> kChangeFields = {"id",    "name",     "function", "generation", "vendor",
                                                            "model", "software", "site",     "serves"};
inline const std::vector<std::string_view> kServesFields = {"subscribers", "cells"};
inline const std::vector<std::string_view> kLinkFields = {"a", "b", "interface", "protection"};
inline const std::vector<std::string_view> kSensitiveFields = {"id", "lat", "lon", "radius_km", "kind", "name"};
inline const std::vector<std::string_view> kProtectionNames = {"encrypted", "integrity", "monitored"};

// The keys of one map seen so far. A key given twice is an error at the second
// place naming the first: parsers keep one of them silently, and
// {"vendor": "Huawei", "vendor": "Ericsson"} would hide a Huawei box. A row has
// a handful of keys, so a 64-bit filter answers nearly every check without
// comparing strings (10^6 rows are read this way).
class SeenKeys {
 public:
  bool seen(std::string_view key) const {
    for (size_t i = 0; i < count_; ++i)
      if ((i < kInline ? inline_[i] : more_[i - kInline]).first == key) return true;
    return false;
  }
  // True the first time `key` is seen; otherwise reports it and returns false.
  bool first_time(std::string_view key, Mark m, Walk& w) {
    const uint64_t bit = uint64_t{1} << ((key.size() * 31 + (key.empty() ? 0 : key.front() * 7 + key.back())) & 63);
    if (filter_ & bit) {
      for (size_t i = 0; i < count_; ++i) {
        const auto& [k, at] = i < kInline ? inline_[i] : more_[i - kInline];
        if (k != key) continue;
        SourceLoc first = at ? w.locator().loc(at) : SourceLoc{};
        w.error(m, "duplicate key " + quote(key) + " (first at line " + std::to_string(first.line) + ", column " +
                       std::to_string(first.column) + "); a key may appear once in a map");
        return false;
      }
    }
    filter_ |= bit;
    if (count_ < kInline) {
      inline_[count_] = {key, m};
    } else {
      more_.emplace_back(key, m);  // only maps with many (unknown) keys get here
    }
    ++count_;
    return true;
  }

 private:
  static constexpr size_t kInline = 16;  // every map of the schema has fewer keys: no allocation per row
  uint64_t filter_ = 0;
  size_t count_ = 0;
  std::pair<std::string_view, Mark> inline_[kInline];
  std::vector<std::pair<std::string_view, Mark>> more_;
};

// The schema walker over one adapter. Every problem is reported and the walk
// goes on, so a file's errors all show at once; only a broken document stops it.
template <class A>
class Schema {
 public:
  using V = typename A::Value;
  Schema(A& a, Walk& w, Sink& s) : a_(a), w_(w), s_(s) {}

  // a_.for_fields with every key checked for a repeat (SeenKeys); a repeated
  // key's value is not read.
  template <class F>
  void fields(V& v, F&& f) {
    SeenKeys seen;
    a_.for_fields(v, [&](std::string_view key, Mark km, V& value) {
      if (seen.first_time(key, km, w_)) f(key, km, value);
    });
  }

  // ---- scalars: each reports its own error and returns false ----

  void type_error(V& v, std::string_view field, std::string_view expected) {
    Kind k = a_.kind(v);
    std::string got(kind_name(k));
    std::string_view text;
    if (k == Kind::kString && a_.get_str(v, text)) got += " " + quote(text);
    if (k == Kind::kNumber) got += " " + std::string(a_.raw(v).substr(0, 40));
    w_.error(a_.mark(v), std::string(field) + ": expected " + std::string(expected) + ", got " + got);
  }

  bool str(V& v, std::string_view field, std::string_view& out) {
    if (a_.kind(v) != Kind::kString || !a_.get_str(v, out)) {
      if (!a_.failed()) type_error(v, field, "a string");
      return false;
    }
    if (out.size() > w_.limits().max_string) {
      w_.error(a_.mark(v), std::string(field) + ": string of " + std::to_string(out.size()) +
                               " bytes is over the limit of " + std::to_string(w_.limits().max_string));
      return false;
    }
    return true;
  }

  bool number(V& v, std::string_view field, double& out) {
    if (!a_.get_double(v, out)) {
      if (!a_.failed()) type_error(v, field, "a number");
      return false;
    }
    return true;
  }

  bool u64(V& v, std::string_view field, uint64_t& out) {
    if (!a_.get_u64(v, out)) {
      if (!a_.failed()) type_error(v, field, "a non-negative integer");
      return false;
    }
    return true;
  }

  bool is_map(V& v, std::string_view what) {
    if (a_.kind(v) == Kind::kMap) return true;
    type_error(v, what, "a map");
    return false;
  }
  bool is_seq(V& v, std::string_view what) {
    if (a_.kind(v) == Kind::kSeq) return true;
    type_error(v, what, "a list");
    return false;
  }

  // Interns a string field into the sink's network; 0 when absent or bad.
  // `printable`: an id or name, which must hold no control character.
  StrId interned(V& v, std::string_view field, bool printable = false) {
    std::string_view s;
    if (a_.kind(v) == Kind::kNull) return 0;
    if (!str(v, field, s)) return 0;
    if (printable) no_control(v, field, s);
    return s_.net->strings.intern(s);
  }

  // Ids, names and vendors are shown to people and matched by machines: a
  // control character or a bidirectional override makes two different strings
  // look alike, or rewrites the terminal that prints them. Reported, the row kept.
  void no_control(V& v, std::string_view field, std::string_view s) {
    auto cp = control_character(s);
    if (!cp) return;
    static const char* kHex = "0123456789ABCDEF";
    std::string code = "U+";
    for (int shift = *cp > 0xffff ? 20 : 12; shift >= 0; shift -= 4) code += kHex[(*cp >> shift) & 15];
    w_.error(a_.mark(v), std::string(field) + ": " + quote(s) + " contains the control character " + code +
                             "; ids, names and vendors must be printable");
  }

  void unknown_field(std::string_view key, Mark m, std::string_view where, const std::vector<std::string_view>& names) {
    if (w_.full()) return w_.error(m, {});  // only counted: skip the did-you-mean
    w_.error(m, "unknown field " + quote(key) + " in " + std::string(where) + suggest_suffix(key, names));
  }

  // Tags: a list of strings, or one string.
  void tags(V& v, std::vector<StrId>& out) {
    out.clear();
    if (a_.kind(v) == Kind::kNull) return;
    if (a_.kind(v) != Kind::kSeq) {
      StrId id = interned(v, "tags");
      if (id) out.push_back(id);
      return;
    }
    a_.for_items(v, [&](V& item) {
      StrId id = interned(item, "tags");
      if (id) out.push_back(id);
    });
  }

  uint8_t protection(V& v) {
    uint8_t bits = 0;
    auto one = [&](V& item) {
      std::string_view s;
      if (!str(item, "protection", s)) return;
      if (auto p = parse_protection(s)) {
        bits |= *p;
      } else {
        w_.error(a_.mark(item), w_.full() ? std::string() : unknown_name("protection", s, kProtectionNames));
      }
    };
    if (a_.kind(v) == Kind::kNull) return 0;
    if (a_.kind(v) == Kind::kString) {
      one(v);
    } else if (is_seq(v, "protection")) {
      a_.for_items(v, one);
    }
    return bits;
  }

  template <class E>
  std::optional<E> enum_field(V& v, std::string_view field, std::optional<E> (*parse)(std::string_view),
                              std::vector<std::string_view> (*names)()) {
    std::string_view s;
    if (!str(v, field, s)) return std::nullopt;
    if (auto e = parse(s)) return e;
    w_.error(a_.mark(v), w_.full() ? std::string() : unknown_name(field, s, names()));  // past the list: counted only
    return std::nullopt;
  }

  std::optional<Function> function(V& v) {
    std::string_view s;
    if (!str(v, "function", s)) return std::nullopt;
    if (auto f = parse_function(s)) return f;
    std::string err;
    if (!w_.full()) function_with_hint(s, err);  // past the list the error is only counted
    w_.error(a_.mark(v), std::move(err));
    return std::nullopt;
  }

  // Accepts `netvet: 1` (number or string).
  void version(V& v) {
    std::string_view s;
    double d;
    bool ok = (a_.kind(v) == Kind::kString && a_.get_str(v, s) && s == "1") ||
              (a_.kind(v) == Kind::kNumber && a_.get_double(v, d) && d == 1);
    if (!ok && !a_.failed()) w_.error(a_.mark(v), "netvet: unsupported format version (this netvet reads version 1)");
  }

  double coordinate(V& v, std::string_view field, double lo, double hi) {
    double d;
    if (!number(v, field, d)) return std::nan("");
    if (d < lo || d > hi) {
      w_.error(a_.mark(v), std::string(field) + ": " + fmt_double(d) + " is out of range [" + fmt_double(lo) + ", " +
                               fmt_double(hi) + "]");
      return std::nan("");
    }
    return d;
  }

  static std::string fmt_double(double d) {
    std::string s = std::to_string(d);
    while (s.size() > 1 && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }

  // ---- rows ----

  // Sizes columns and id indexes once: growing them row by row copies and
  // rehashes 10^6 rows several times over (and faults in fresh memory each time).
  void reserve(size_t sites, size_t components, size_t links) {
    constexpr size_t kMax = size_t{1} << 26;  // a count is a hint; never trust it past this
    sites = std::min(sites, kMax), components = std::min(components, kMax), links = std::min(links, kMax);
    s_.net->reserve(s_.net->sites.size() + sites, s_.net->components.size() + components, s_.net->links.size() + links);
    if (sites) s_.site_index.reserve(s_.site_index.size() + sites);
    if (components) s_.comp_index.reserve(s_.comp_index.size() + components);
  }

  void sites(V& list) {
    if (!is_seq(list, "sites")) return;
    const size_t n = a_.count(list);
    w_.rows_ahead(n, a_.mark(list), "sites");
    reserve(n, 0, 0);
    const uint32_t first = static_cast<uint32_t>(s_.net->sites.size());
    a_.for_items(list, [&](V& row) {
      w_.row(a_.mark(row));
      site(row);
    });
    index_rows(s_.site_index, first, s_.net->sites.size(), [&](uint32_t r) { return s_.net->site_id(r); });
  }

  // Adds rows [from, to) to a reference index in one prefetched pass: per row,
  // the probe would be a cache miss in a table of tens of MB.
  template <class KeyOf>
  static void index_rows(IdIndex& index, uint32_t from, size_t to, KeyOf key_of) {
    constexpr uint32_t kChunk = 256;
    std::string_view keys[kChunk];
    for (uint32_t r = from; r < to;) {
      uint32_t n = static_cast<uint32_t>(std::min<size_t>(kChunk, to - r));
      for (uint32_t i = 0; i < n; ++i) keys[i] = key_of(r + i);
      index.insert_many(keys, n, r);
      r += n;
    }
  }

  void site(V& row) {
    if (!is_map(row, "site")) return;
    Mark row_mark = a_.mark(row);
    std::string_view id;
    Mark id_mark = 0;
    uint64_t id_hash = 0;  // hashed and its pool slot prefetched when read: the miss overlaps the rest of the row
    StrId name = 0, region = 0;
    double lat = std::nan(""), lon = std::nan("");
    tags_.clear();
    fields(row, [&](std::string_view key, Mark km, V& v) {
      if (key == "id") {
        id_mark = a_.mark(v);
        if (!str(v, "id", id)) id_mark = 0;
        no_control(v, "id", id);
        id_hash = StringPool::hash(id);
        s_.net->strings.prefetch(id_hash);
      } else if (key == "name") {
        name = interned(v, "name", true);
      } else if (key == "lat") {
        lat = coordinate(v, "lat", -90, 90);
      } else if (key == "lon") {
        lon = coordinate(v, "lon", -180, 180);
      } else if (key == "region") {
        region = interned(v, "region");
      } else if (key == "tags") {
        tags(v, tags_);
      } else {
        unknown_field(key, km, "site", kSiteFields);
      }
    });
    if (id_mark == 0) {
      if (id.empty()) w_.error(row_mark, "site: missing required field \"id\"");
      return;
    }
    if (id.empty()) {
      w_.error(id_mark, "site: id must not be empty");
      return;
    }
    Network& net = *s_.net;
    // The network's own index finds a duplicate with the probe that interns
    // the id; site_index, for the references, is filled after the array.
    StrId sid = net.strings.intern(id, id_hash);
    if (!w_.unique_id(net.find_site(sid), s_.site_row_mark, id, id_mark, "site")) return;
    SiteIdx si = net.add_site(sid);
    net.sites.name[si] = name;
    net.sites.region[si] = region;
    net.sites.lat[si] = lat;
    net.sites.lon[si] = lon;
    if (!tags_.empty()) set_last_tags(net.sites.tags);
    net.sites.line[si] = w_.locator().line(row_mark);
    s_.site_row_mark.push_back(id_mark);
  }

  void components(V& list) {
    if (!is_seq(list, "components")) return;
    const size_t n = a_.count(list);
    w_.rows_ahead(n, a_.mark(list), "components");
    reserve(0, n, 0);
    const uint32_t first = static_cast<uint32_t>(s_.net->components.size());
    a_.for_items(list, [&](V& row) {
      w_.row(a_.mark(row));
      component(row);
    });
    index_rows(s_.comp_index, first, s_.net->components.size(), [&](uint32_t r) { return s_.net->component_id(r); });
  }

  void component(V& row) {
    if (!is_map(row, "component")) return;
    Mark row_mark = a_.mark(row);
    std::string_view id, site_id, parent_id;
    Mark id_mark = 0, site_mark = 0, parent_mark = 0;
    uint64_t id_hash = 0;  // as in site()
    std::optional<Function> fn;
    bool fn_seen = false;
    Generation gen = Generation::kAny;
    StrId name = 0, vendor = 0, model = 0, software = 0;
    uint64_t subscribers = 0;
    uint32_t cells = 0;
    tags_.clear();
    fields(row, [&](std::string_view key, Mark km, V& v) {
      if (key == "id") {
        id_mark = a_.mark(v);
        if (!str(v, "id", id)) id_mark = 0;
        no_control(v, "id", id);
        id_hash = StringPool::hash(id);
        s_.net->strings.prefetch(id_hash);
      } else if (key == "function") {
        fn_seen = true;
        fn = function(v);
      } else if (key == "generation") {
        if (auto g = enum_field<Generation>(v, "generation", parse_generation, generation_names)) gen = *g;
      } else if (key == "vendor") {
        vendor = interned(v, "vendor", true);
      } else if (key == "model") {
        model = interned(v, "model");
      } else if (key == "software") {
        software = interned(v, "software");
      } else if (key == "name") {
        name = interned(v, "name", true);
      } else if (key == "site") {
        if (a_.kind(v) != Kind::kNull) {
          site_mark = a_.mark(v);
          if (!str(v, "site", site_id)) site_mark = 0;
        }
      } else if (key == "parent") {
        if (a_.kind(v) != Kind::kNull) {
          parent_mark = a_.mark(v);
          if (!str(v, "parent", parent_id)) parent_mark = 0;
        }
      } else if (key == "serves") {
        serves(v, subscribers, cells);
      } else if (key == "tags") {
        tags(v, tags_);
      } else {
        unknown_field(key, km, "component", kComponentFields);
      }
    });
    if (a_.failed()) return;
    if (id_mark == 0) {
      if (id.empty()) w_.error(row_mark, "component: missing required field \"id\"");
      return;
    }
    if (id.empty()) {
      w_.error(id_mark, "component: id must not be empty");
      return;
    }
    if (!fn_seen) w_.error(row_mark, "component " + quote(id) + ": missing required field \"function\"");
    Network& net = *s_.net;
    StrId cid = net.strings.intern(id, id_hash);  // as in site(): one probe finds a duplicate
    if (!w_.unique_id(net.find_component(cid), s_.comp_mark, id, id_mark, "component")) return;
    ComponentIdx c = net.add_component(cid, fn.value_or(Function::kRouter));
    auto& t = net.components;
    t.name[c] = name;
    t.generation[c] = gen;
    t.vendor[c] = vendor;
    t.model[c] = model;
    t.software[c] = software;
    t.subscribers[c] = subscribers;
    t.cells[c] = cells;
    if (!tags_.empty()) set_last_tags(t.tags);
    t.line[c] = w_.locator().line(row_mark);
    s_.comp_mark.push_back(id_mark);
    if (s_.proposal) {
      s_.proposal->add_site_ref.emplace_back(site_mark ? site_id : std::string_view());
      s_.proposal->add_parent_ref.emplace_back(parent_mark ? parent_id : std::string_view());
    } else {
      if (site_mark) {
        // Rows usually come grouped by site: reuse the last site found
        // before hashing and probing a table of 10^5 sites again.
        uint32_t si =
            last_site_ != kNone && net.site_id(last_site_) == site_id ? last_site_ : s_.site_index.find(site_id);
        if (si != kNone) {
          t.site[c] = last_site_ = si;
        } else {
          s_.comp_refs.push_back({c, Sink::RefKind::kSite, site_id, site_mark});
        }
      }
      if (parent_mark) s_.comp_refs.push_back({c, Sink::RefKind::kParent, parent_id, parent_mark});
    }
  }

  void serves(V& v, uint64_t& subscribers, uint32_t& cells) {
    if (a_.kind(v) == Kind::kNull || !is_map(v, "serves")) return;
    fields(v, [&](std::string_view key, Mark km, V& f) {
      if (key == "subscribers") {
        u64(f, "subscribers", subscribers);
      } else if (key == "cells") {
        uint64_t n = 0;
        if (u64(f, "cells", n)) {
          if (n > UINT32_MAX) {
            w_.error(a_.mark(f), "cells: " + std::to_string(n) + " is out of range");
          } else {
            cells = static_cast<uint32_t>(n);
          }
        }
      } else {
        unknown_field(key, km, "serves", kServesFields);
      }
    });
  }

  struct LinkRow {
    std::string_view a, b;
    Mark a_mark = 0, b_mark = 0;
    std::optional<Interface> iface;
    bool iface_seen = false;
    uint8_t prot = 0;
  };

  // Long form {a, b, interface, protection} or short form [a, b, interface, [protection...]].
  // `need_iface` false for `remove: links:` where [a, b] means every link between them.
  bool link_row(V& row, LinkRow& r, bool need_iface, bool allow_protection) {
    Mark row_mark = a_.mark(row);
    Kind k = a_.kind(row);
    if (k == Kind::kSeq) {
      size_t n = 0;
      bool ok = true;
      a_.for_items(row, [&](V& item) {
        switch (n++) {
          case 0:
            r.a_mark = a_.mark(item);
            ok &= str(item, "link end a", r.a);
            break;
          case 1:
            r.b_mark = a_.mark(item);
            ok &= str(item, "link end b", r.b);
            break;
          case 2:
            r.iface_seen = true;
            r.iface = enum_field<Interface>(item, "interface", parse_interface, interface_names);
            break;
          case 3:
            if (allow_protection) r.prot = protection(item);
            break;
          default:
            break;
        }
      });
      size_t max = allow_protection ? 4 : 3;
      if (n < 2 || (need_iface && n < 3) || n > max) {
        w_.error(row_mark, need_iface
                               ? "link: the short form is [a, b, interface] or [a, b, interface, [protection...]]"
                               : "link: expected [a, b] or [a, b, interface]");
        return false;
      }
      return ok && !a_.failed();
    }
    if (k != Kind::kMap) {
      type_error(row, "link", "a map or a list");
      return false;
    }
    bool ok = true;
    fields(row, [&](std::string_view key, Mark km, V& v) {
      if (key == "a") {
        r.a_mark = a_.mark(v);
        ok &= str(v, "a", r.a);
      } else if (key == "b") {
        r.b_mark = a_.mark(v);
        ok &= str(v, "b", r.b);
      } else if (key == "interface") {
        r.iface_seen = true;
        r.iface = enum_field<Interface>(v, "interface", parse_interface, interface_names);
      } else if (key == "protection" && allow_protection) {
        r.prot = protection(v);
      } else {
        unknown_field(key, km, "link", kLinkFields);
      }
    });
    if (a_.failed()) return false;
    if (r.a_mark == 0) w_.error(row_mark, "link: missing required field \"a\"");
    if (r.b_mark == 0) w_.error(row_mark, "link: missing required field \"b\"");
    if (need_iface && !r.iface_seen) w_.error(row_mark, "link: missing required field \"interface\"");
    return ok && r.a_mark && r.b_mark && (!need_iface || r.iface_seen);
  }

  void links(V& list) {
    if (!is_seq(list, "links")) return;
    if (!s_.proposal) {
      const size_t n = a_.count(list);
      w_.links_ahead(n, a_.mark(list));
      reserve(0, 0, n);
    }
    LinkBatch batch;
    a_.for_items(list, [&](V& row) {
      LinkRow r;
      Mark row_mark = a_.mark(row);
      w_.link(row_mark);
      if (!link_row(row, r, true, true) || !r.iface) return;
      if (r.a == r.b) {
        w_.error(r.b_mark, "link from " + quote(r.a) + " to itself");
        return;
      }
      uint32_t line = w_.locator().line(row_mark);
      if (s_.proposal) {
        s_.proposal->add_links.push_back({std::string(r.a), std::string(r.b), *r.iface, r.prot, line});
        return;
      }
      LinkIdx l = s_.net->add_link(kNone, kNone, *r.iface, r.prot);
      s_.net->links.line[l] = line;
      batch.push(l, r);
      if (batch.full()) batch.resolve(s_);
    });
    batch.resolve(s_);
  }

  // Link ends looked up kBatch links at a time (IdIndex::find_many); ends not
  // known yet are left to resolve_network(), in row order.
  struct LinkBatch {
    static constexpr size_t kBatch = 32;
    std::string_view keys[2 * kBatch];
    Mark marks[2 * kBatch];
    LinkIdx rows[kBatch];
    size_t n = 0;

    bool full() const { return n == kBatch; }
    void push(LinkIdx l, const LinkRow& r) {
      rows[n] = l;
      keys[2 * n] = r.a, keys[2 * n + 1] = r.b;
      marks[2 * n] = r.a_mark, marks[2 * n + 1] = r.b_mark;
      ++n;
    }
    void resolve(Sink& sink) {
      if (sink.link_ends) {
        sink.link_ends->insert(sink.link_ends->end(), keys, keys + 2 * n);
        n = 0;
        return;
      }
      uint32_t found[2 * kBatch];
      sink.comp_index.find_many(keys, 2 * n, found);
      auto& links = sink.net->links;
      for (size_t i = 0; i < n; ++i) {
        links.a[rows[i]] = found[2 * i];
        links.b[rows[i]] = found[2 * i + 1];
        if (found[2 * i] == kNone)
          sink.link_refs.push_back({rows[i], Sink::RefKind::kLinkA, keys[2 * i], marks[2 * i]});
        if (found[2 * i + 1] == kNone)
          sink.link_refs.push_back({rows[i], Sink::RefKind::kLinkB, keys[2 * i + 1], marks[2 * i + 1]});
      }
      n = 0;
    }
  };

  void sensitive_locations(V& list) {
    if (!is_seq(list, "sensitive_locations")) return;
    a_.for_items(list, [&](V& row) {
      w_.row(a_.mark(row));
      sensitive(row);
    });
  }

  void sensitive(V& row) {
    if (!is_map(row, "sensitive location")) return;
    Mark row_mark = a_.mark(row);
    std::string_view id;
    Mark id_mark = 0;
    StrId name = 0;
    double lat = std::nan(""), lon = std::nan(""), radius = std::nan("");
    std::optional<SensitiveKind> kind;
    bool seen_lat = false, seen_lon = false, seen_radius = false, seen_kind = false;
    fields(row, [&](std::string_view key, Mark km, V& v) {
      if (key == "id") {
        id_mark = a_.mark(v);
        if (!str(v, "id", id)) id_mark = 0;
        no_control(v, "id", id);
      } else if (key == "name") {
        name = interned(v, "name", true);
      } else if (key == "lat") {
        seen_lat = true;
        lat = coordinate(v, "lat", -90, 90);
      } else if (key == "lon") {
        seen_lon = true;
        lon = coordinate(v, "lon", -180, 180);
      } else if (key == "radius_km") {
        seen_radius = true;
        radius = coordinate(v, "radius_km", 0, 20038);  // half the Earth's circumference
      } else if (key == "kind") {
        seen_kind = true;
        kind = enum_field<SensitiveKind>(v, "kind", parse_sensitive_kind, sensitive_kind_names);
      } else {
        unknown_field(key, km, "sensitive location", kSensitiveFields);
      }
    });
    if (a_.failed()) return;
    if (id_mark == 0) {
      if (id.empty()) w_.error(row_mark, "sensitive location: missing required field \"id\"");
      return;
    }
    std::string what = "sensitive location " + quote(id) + ": missing required field ";
    if (!seen_lat) w_.error(row_mark, what + "\"lat\"");
    if (!seen_lon) w_.error(row_mark, what + "\"lon\"");
    if (!seen_radius) w_.error(row_mark, what + "\"radius_km\"");
    if (!seen_kind) w_.error(row_mark, what + "\"kind\"");
    Network& net = *s_.net;
    if (uint32_t first = s_.sens_index.find(id); !w_.unique_id(first == kNone ? std::nullopt : std::optional(first),
                                                               s_.sens_mark, id, id_mark, "sensitive location"))
      return;
    uint32_t r = net.add_sensitive(id, lat, lon, radius, kind.value_or(SensitiveKind::kMilitary));
    s_.sens_index.insert(net.str(net.sensitive.id[r]), r);
    net.sensitive.name[r] = name;
    net.sensitive.line[r] = w_.locator().line(row_mark);
    s_.sens_mark.push_back(id_mark);
  }

  // ---- documents ----

  void network_doc(V& root) {
    if (a_.kind(root) != Kind::kMap) {
      type_error(root, "network file", "a map with \"netvet: 1\"");
      return;
    }
    // network_field() checks the root's keys itself: a reader in pieces walks them one by one.
    a_.for_fields(root, [&](std::string_view key, Mark km, V& v) { network_field(key, km, v); });
    network_end(a_.mark(root));
  }

  // network_doc() one field at a time, for a reader that walks the root
  // object itself; network_end() after the last field.
  void network_field(std::string_view key, Mark km, V& v) {
    if (!root_keys_.first_time(key, km, w_)) return;
    Network& net = *s_.net;
    if (key == "netvet") {
      seen_version_ = true;
      version(v);
    } else if (key == "operator") {
      std::string_view s;
      if (a_.kind(v) != Kind::kNull && str(v, "operator", s)) net.operator_name = s;
    } else if (key == "country") {
      std::string_view s;
      if (a_.kind(v) != Kind::kNull && str(v, "country", s)) net.country = s;
    } else if (key == "sites") {
      if (a_.kind(v) != Kind::kNull) sites(v);
    } else if (key == "components") {
      if (a_.kind(v) != Kind::kNull) components(v);
    } else if (key == "links") {
      if (a_.kind(v) != Kind::kNull) links(v);
    } else if (key == "sensitive_locations") {
      if (a_.kind(v) != Kind::kNull) sensitive_locations(v);
    } else if (key == "proposal" || key == "add" || key == "change" || key == "remove") {
      w_.error(km, "unknown field " + quote(key) +
                       " in a network file (this looks like a proposal: pass it with --proposal)");
    } else {
      unknown_field(key, km, "network file", kNetworkFields);
    }
  }
  // The root field "links" (key at key_mark) as read on another thread into
  // `rows` with its ends as text (Sink::link_ends): appended here with the
  // ends resolved against the components read so far. Returns false, having
  // changed nothing, where reading the field here could differ (the key seen
  // before, a limit passed, an end not defined yet): the caller then reads it
  // as usual, and reports what that read finds.
  bool links_read_aside(Mark key_mark, const Network& rows, const std::vector<std::string_view>& ends) {
    const size_t n = rows.links.size();
    if (s_.proposal || ends.size() != 2 * n || root_keys_.seen("links") || !w_.links_fit(n)) return false;
    auto& links = s_.net->links;
    const size_t first = links.size();
    links.a.resize(first + n), links.b.resize(first + n);
    constexpr size_t kBatch = 256;
    uint32_t found[kBatch];
    for (size_t i = 0; i < 2 * n; i += kBatch) {
      const size_t m = std::min(kBatch, 2 * n - i);
      s_.comp_index.find_many(&ends[i], m, found);
      for (size_t j = 0; j < m; ++j) {
        if (found[j] == kNone) {  // a forward or dangling reference: the usual read names it
          links.a.resize(first), links.b.resize(first);
          return false;
        }
        ((i + j) % 2 ? links.b : links.a)[first + (i + j) / 2] = found[j];
      }
    }
    links.interface.insert(links.interface.end(), rows.links.interface.begin(), rows.links.interface.end());
    links.protection.insert(links.protection.end(), rows.links.protection.begin(), rows.links.protection.end());
    links.line.insert(links.line.end(), rows.links.line.begin(), rows.links.line.end());
    w_.count_links(n);
    root_keys_.first_time("links", key_mark, w_);
    return true;
  }

  void network_end(Mark root) {
    if (!seen_version_ && !a_.failed()) w_.error(root, "missing \"netvet: 1\" (the format version)");
  }

  void proposal_doc(V& root) {
    if (a_.kind(root) != Kind::kMap) {
      type_error(root, "proposal file", "a map with \"netvet: 1\"");
      return;
    }
    Proposal& p = *s_.proposal;
    bool seen_version = false;
    fields(root, [&](std::string_view key, Mark km, V& v) {
      if (key == "netvet") {
        seen_version = true;
        version(v);
      } else if (key == "proposal") {
        std::string_view s;
        if (a_.kind(v) != Kind::kNull && str(v, "proposal", s)) p.title = s;
      } else if (key == "add") {
        if (a_.kind(v) == Kind::kNull || !is_map(v, "add")) return;
        fields(v, [&](std::string_view k2, Mark km2, V& v2) {
          if (a_.kind(v2) == Kind::kNull) return;
          if (k2 == "sites") {
            sites(v2);
          } else if (k2 == "components") {
            components(v2);
          } else if (k2 == "links") {
            links(v2);
          } else if (k2 == "sensitive_locations") {
            sensitive_locations(v2);
          } else {
            unknown_field(k2, km2, "add", kAddFields);
          }
        });
      } else if (key == "remove") {
        if (a_.kind(v) == Kind::kNull || !is_map(v, "remove")) return;
        remove(v);
      } else if (key == "change") {
        if (a_.kind(v) == Kind::kNull || !is_seq(v, "change")) return;
        a_.for_items(v, [&](V& row) {
          w_.row(a_.mark(row));
          change(row);
        });
      } else if (key == "sites" || key == "components" || key == "links" || key == "sensitive_locations") {
        w_.error(km, "unknown field " + quote(key) + " in a proposal file (put it under \"add:\")");
      } else {
        unknown_field(key, km, "proposal file", kProposalFields);
      }
    });
    if (!seen_version && !a_.failed()) w_.error(a_.mark(root), "missing \"netvet: 1\" (the format version)");
  }

  void remove(V& v) {
    Proposal& p = *s_.proposal;
    fields(v, [&](std::string_view key, Mark km, V& list) {
      if (a_.kind(list) == Kind::kNull) return;
      if (key == "components" || key == "sites") {
        auto& out = key == "components" ? p.remove_components : p.remove_sites;
        if (!is_seq(list, key)) return;
        a_.for_items(list, [&](V& item) {
          w_.row(a_.mark(item));
          std::string_view id;
          if (str(item, key == "components" ? "component id" : "site id", id))
            out.emplace_back(std::string(id), w_.locator().line(a_.mark(item)));
        });
      } else if (key == "links") {
        if (!is_seq(list, "links")) return;
        a_.for_items(list, [&](V& row) {
          LinkRow r;
          Mark row_mark = a_.mark(row);
          w_.link(row_mark);
          if (!link_row(row, r, false, false)) return;
          if (r.iface_seen && !r.iface) return;
          p.remove_links.push_back({std::string(r.a), std::string(r.b), r.iface, w_.locator().line(row_mark)});
        });
      } else {
        unknown_field(key, km, "remove", kRemoveFields);
      }
    });
  }

  void change(V& row) {
    if (!is_map(row, "change")) return;
    Mark row_mark = a_.mark(row);
    ComponentChange c;
    bool has_id = false;
    auto opt_str = [&](V& v, std::string_view field, std::optional<std::string>& out) {
      std::string_view s;
      if (!str(v, field, s)) return;
      if (field == "name" || field == "vendor") no_control(v, field, s);
      out = std::string(s);
    };
    fields(row, [&](std::string_view key, Mark km, V& v) {
      if (key == "id") {
        std::string_view s;
        if (str(v, "id", s)) {
          no_control(v, "id", s);
          c.id = s;
          has_id = true;
        }
      } else if (key == "vendor") {
        opt_str(v, "vendor", c.vendor);
      } else if (key == "model") {
        opt_str(v, "model", c.model);
      } else if (key == "software") {
        opt_str(v, "software", c.software);
      } else if (key == "site") {
        opt_str(v, "site", c.site);
      } else if (key == "name") {
        opt_str(v, "name", c.name);
      } else if (key == "function") {
        c.function = function(v);
      } else if (key == "generation") {
        c.generation = enum_field<Generation>(v, "generation", parse_generation, generation_names);
      } else if (key == "serves") {
        uint64_t subs = UINT64_MAX;
        uint32_t cells = UINT32_MAX;
        serves(v, subs, cells);
        if (subs != UINT64_MAX) c.subscribers = subs;
        if (cells != UINT32_MAX) c.cells = cells;
      } else if (key == "parent" || key == "tags") {
        w_.error(km, "field " + quote(key) + " cannot be changed (remove the component and add it again)");
      } else {
        unknown_field(key, km, "change", kChangeFields);
      }
    });
    if (a_.failed()) return;
    if (!has_id) {
      w_.error(row_mark, "change: missing required field \"id\"");
      return;
    }
    c.line = w_.locator().line(row_mark);
    s_.proposal->change.push_back(std::move(c));
  }

 private:
  void set_last_tags(TagColumn& col) {
    // add_* pushed an empty tag row; replace it with this row's tags.
    col.offsets.pop_back();
    col.push_row(tags_);
  }

  A& a_;
  Walk& w_;
  Sink& s_;
  std::vector<StrId> tags_;
  uint32_t last_site_ = kNone;  // the site the previous component named
  SeenKeys root_keys_;           // a network file's top-level keys (network_field)
  bool seen_version_ = false;
};

}  // namespace netvet::native
