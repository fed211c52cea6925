#include "native_common.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <functional>

namespace netvet::native {
namespace {

// Spellings people actually write, normalised (normalize_name), and what they mean.
// Edit distance alone would turn "gNodeB" into "nodeb" (a 3G base station).
struct Hint {
  std::string_view word, meant;
};
constexpr Hint kHints[] = {
    {"gnodeb", "gnb"},
    {"enodeb", "enb"},
    {"basestation", "bts"},
    {"smallcell", "small-cell"},
    {"femtocell", "small-cell"},
    {"securitygateway", "sec-gw"},
    {"radiounit", "ru"},
    {"rru", "ru"},
    {"rrh", "ru"},
    {"baseband", "bbu"},
    {"basebandunit", "bbu"},
    {"lawfulintercept", "li"},
    {"lawfulinterception", "li"},
    {"management", "mgmt"},
    {"oam", "mgmt"},
    {"remote", "remote-access"},
    {"vpn", "remote-access"},
    {"encryption", "encrypted"},
    {"integrityprotected", "integrity"},
    {"5g", "5g-sa"},
    {"5gnsa", "5g-nsa"},
    {"5gsa", "5g-sa"},
    {"lte", "4g"},
    {"umts", "3g"},
    {"gsm", "2g"},
};

std::optional<std::string_view> hint_for(std::string_view word, const std::vector<std::string_view>& names) {
  std::string norm = normalize_name(word);
  for (const auto& h : kHints) {
    if (h.word == norm && std::find(names.begin(), names.end(), h.meant) != names.end()) return h.meant;
  }
  return std::nullopt;
}

}  // namespace

std::string_view kind_name(Kind k) {
  switch (k) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
      return "boolean";
    case Kind::kNumber:
      return "number";
    case Kind::kString:
      return "string";
    case Kind::kSeq:
      return "list";
    case Kind::kMap:
      return "map";
  }
  return "value";
}

namespace {
// The control character that starts s[i..] and its length in bytes (0: none).
uint32_t control_at(std::string_view s, size_t i, size_t& len) {
  const auto b = static_cast<unsigned char>(s[i]);
  len = 1;
  if (b < 0x20 || b == 0x7f) return b;
  if (b == 0xc2 && i + 1 < s.size()) {  // U+0080..U+009F (C1)
    const auto c = static_cast<unsigned char>(s[i + 1]);
    len = 2;
    if (c >= 0x80 && c <= 0x9f) return c;
  }
  if (b == 0xe2 && i + 2 < s.size()) {  // U+202A..U+202E, U+2066..U+2069 (bidi controls)
    const auto c = static_cast<unsigned char>(s[i + 1]), d = static_cast<unsigned char>(s[i + 2]);
    len = 3;
    if (c == 0x80 && d >= 0xaa && d <= 0xae) return 0x2000u + (d - 0x80u);
    if (c == 0x81 && d >= 0xa6 && d <= 0xa9) return 0x2040u + (d - 0x80u);
  }
  len = 0;
  return 0;
}
}  // namespace

std::string quote(std::string_view s) {
  constexpr size_t kMax = 60;
  std::string out = "\"";
  for (size_t i = 0; i < s.size() && i < kMax; ++i) {
    unsigned char ch = static_cast<unsigned char>(s[i]);
    size_t control_len = 0;
    const uint32_t cp = ch >= 0xc2 ? control_at(s, i, control_len) : 0;
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += static_cast<char>(ch);
    } else if (ch < 0x20 || ch == 0x7f) {
      static const char* kHex = "0123456789abcdef";
      out += "\\x";
      out += kHex[ch >> 4];
      out += kHex[ch & 15];
    } else if (control_len) {
      // C1 and bidi controls: shown as code points, never sent to the terminal.
      static const char* kHex = "0123456789abcdef";
      out += "\\u";
      for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(cp >> shift) & 15];
      i += control_len - 1;
    } else {
      out += static_cast<char>(ch);
    }
  }
  if (s.size() > kMax) out += "...";
  out += '"';
  return out;
}

std::optional<uint32_t> control_character(std::string_view s) {
  size_t len;
  for (size_t i = 0; i < s.size(); ++i) {
    uint32_t cp = control_at(s, i, len);
    if (len) return cp;
  }
  return std::nullopt;
}

std::string suggest_suffix(std::string_view word, const std::vector<std::string_view>& candidates) {
  if (auto h = hint_for(word, candidates)) return " (did you mean \"" + std::string(*h) + "\"?)";
  if (word.size() > 256) return "";  // no typo is that long; skip the quadratic distance
  if (auto m = did_you_mean(word, candidates)) return " (did you mean \"" + *m + "\"?)";
  // Two swapped neighbours ("sties") count as two edits above, but are the most common slip.
  for (auto c : candidates) {
    if (c.size() != word.size()) continue;
    size_t first = 0;
    while (first < c.size() && c[first] == word[first]) ++first;
    if (first + 1 < c.size() && c[first] == word[first + 1] && c[first + 1] == word[first] &&
        c.substr(first + 2) == word.substr(first + 2))
      return " (did you mean \"" + std::string(c) + "\"?)";
  }
  return "";
}

std::string unknown_name(std::string_view what, std::string_view value, const std::vector<std::string_view>& names) {
  return "unknown " + std::string(what) + " " + quote(value) + suggest_suffix(value, names);
}

std::optional<Function> function_with_hint(std::string_view s, std::string& error) {
  if (auto f = parse_function(s)) return f;
  error = unknown_name("function", s, function_names());
  return std::nullopt;
}

void Walk::error(Mark m, std::string msg) {
  // Past the diagnostics' limit an error is only counted: locating it would
  // cost a scan of its line, and a hostile one-line file has errors all along it.
  if (diags_.full()) return diags_.error({}, {});
  SourceLoc loc = m ? locator_.loc(m) : SourceLoc{std::string(file_), 0, 0, {}};
  diags_.error(std::move(loc), std::move(msg));
}

namespace {
std::string bytes_text(size_t n) {
  if (n >= (size_t{1} << 30) && n % (size_t{1} << 30) == 0) return std::to_string(n >> 30) + " GiB";
  if (n >= (size_t{1} << 20) && n % (size_t{1} << 20) == 0) return std::to_string(n >> 20) + " MiB";
  return std::to_string(n) + " bytes";
}
}  // namespace

void Walk::over_count(Mark m, std::string_view what, size_t limit, std::string_view list, size_t n) {
  const std::string limit_text = "the limit of " + std::to_string(limit) + " " + std::string(what) + " per file";
  error(m, list.empty() ? "over " + limit_text
                        : std::string(list) + ": " + std::to_string(n) + " " + std::string(what) +
                              (n > limit ? " is over " : " would take the file over ") + limit_text);
  throw Stop{};
}

void Walk::over_memory(Mark m) {
  error(m, "reading this file needs more than the memory limit of " + bytes_text(limits_.max_memory) +
               " (estimated up to here)");
  throw Stop{};
}

uint32_t IdIndex::find_hashed(std::string_view key, uint64_t h) const {
  if (slots_.empty()) return kNone;
  size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.row == kNone) return kNone;
    if (s.size == key.size() && std::memcmp(s.data, key.data(), key.size()) == 0) return s.row;
  }
}

uint32_t IdIndex::find(std::string_view key) const { return find_hashed(key, StringPool::hash(key)); }

void IdIndex::find_many(const std::string_view* keys, size_t n, uint32_t* rows) const {
  if (slots_.empty()) {
    std::fill(rows, rows + n, kNone);
    return;
  }
  constexpr size_t kMax = 64;
  uint64_t h[kMax];
  const size_t mask = slots_.size() - 1;
  for (size_t start = 0; start < n; start += kMax) {
    const size_t m = std::min(kMax, n - start);
    for (size_t i = 0; i < m; ++i) {  // 1: every key's home slot
      h[i] = StringPool::hash(keys[start + i]);
      __builtin_prefetch(&slots_[h[i] & mask]);
    }
    for (size_t i = 0; i < m; ++i) {  // 2: the bytes of the key stored there
      const Slot& s = slots_[h[i] & mask];
      if (s.row != kNone) __builtin_prefetch(s.data);
    }
    for (size_t i = 0; i < m; ++i) rows[start + i] = find_hashed(keys[start + i], h[i]);  // 3: compare
  }
}

void IdIndex::insert(std::string_view key, uint32_t row) {
  if ((used_ + 1) * 2 > slots_.size()) grow();  // at most half full: short probe runs
  place(key, StringPool::hash(key), row);
}

void IdIndex::place(std::string_view key, uint64_t h, uint32_t row) {
  const size_t mask = slots_.size() - 1;
  size_t i = h & mask;
  while (slots_[i].row != kNone) i = (i + 1) & mask;
  slots_[i] = {key.data(), static_cast<uint32_t>(key.size()), row};
  ++used_;
}

void IdIndex::insert_many(const std::string_view* keys, size_t n, uint32_t first_row) {
  if (2 * (used_ + n) > slots_.size()) reserve(used_ + n);
  constexpr size_t kMax = 64;
  uint64_t h[kMax];
  const size_t mask = slots_.size() - 1;
  for (size_t start = 0; start < n; start += kMax) {
    const size_t m = std::min(kMax, n - start);
    for (size_t i = 0; i < m; ++i) {
      h[i] = StringPool::hash(keys[start + i]);
      __builtin_prefetch(&slots_[h[i] & mask], 1);
    }
    for (size_t i = 0; i < m; ++i) place(keys[start + i], h[i], first_row + static_cast<uint32_t>(start + i));
  }
}

void IdIndex::reserve(size_t keys) {
  if (2 * keys > slots_.size()) rehash(std::bit_ceil(2 * keys));
}

void IdIndex::grow() { rehash(std::max<size_t>(64, slots_.size() * 2)); }

void IdIndex::rehash(size_t size) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(size, Slot{});
  used_ = 0;
  for (const Slot& s : old)
    if (s.row != kNone) insert({s.data, s.size}, s.row);
}

bool Walk::unique_id(std::optional<uint32_t> first, const std::vector<Mark>& marks, std::string_view id, Mark m,
                     std::string_view what) {
  if (!first) return true;
  if (diags_.full()) {
    error(m, {});  // counted only: the line of the first would cost a scan (see error())
    return false;
  }
  error(m, "duplicate " + std::string(what) + " id " + quote(id) + " (first defined at line " +
               std::to_string(locator_.line(marks[*first])) + ")");
  return false;
}

namespace {

// Candidates for "did you mean" among a table's ids; skipped for huge tables
// where the quadratic distance would cost more than the error is worth.
std::string suggest_id(std::string_view word, const Network& net, const std::vector<StrId>& ids,
                       std::vector<std::string_view>& cache, const Diagnostics& diags) {
  constexpr size_t kMaxCandidates = 20000;
  if (ids.size() > kMaxCandidates || diags.full()) return "";
  if (cache.empty()) {
    cache.reserve(ids.size());
    for (StrId id : ids) cache.push_back(net.str(id));
  }
  return suggest_suffix(word, cache);
}

}  // namespace

void Walk::resolve_network(Sink& sink) {
  Network& net = *sink.net;
  auto& comps = net.components;
  std::vector<std::string_view> site_names, comp_names;
  for (const Sink::Ref& r : sink.comp_refs) {
    const ComponentIdx c = r.row;
    if (r.kind == Sink::RefKind::kSite) {
      if (uint32_t s = sink.site_index.find(r.id); s != kNone) {
        comps.site[c] = s;
      } else {
        error(r.mark, "component " + quote(net.component_id(c)) + ": unknown site " + quote(r.id) +
                          suggest_id(r.id, net, net.sites.id, site_names, diags_));
      }
      continue;
    }
    uint32_t p = sink.comp_index.find(r.id);
    if (p == kNone) {
      error(r.mark, "component " + quote(net.component_id(c)) + ": unknown parent " + quote(r.id) +
                        suggest_id(r.id, net, comps.id, comp_names, diags_));
    } else if (p == c) {
      error(r.mark, "component " + quote(net.component_id(c)) + " is its own parent");
    } else {
      comps.parent[c] = p;
    }
  }

  // Parent chains must end: a board inside a chassis inside the board is a typo, and
  // every consumer walking up the chain would loop forever.
  auto parent_mark = [&](ComponentIdx c) -> Mark {
    auto it = std::lower_bound(sink.comp_refs.begin(), sink.comp_refs.end(), c,
                               [](const Sink::Ref& r, ComponentIdx row) { return r.row < row; });
    for (; it != sink.comp_refs.end() && it->row == c; ++it)
      if (it->kind == Sink::RefKind::kParent) return it->mark;
    return 0;
  };
  const size_t n = comps.size();
  std::vector<uint8_t> state(n, 0);  // 0 unseen, 1 on the current chain, 2 done
  std::vector<ComponentIdx> chain;
  for (size_t start = 0; start < n; ++start) {
    chain.clear();
    ComponentIdx c = static_cast<ComponentIdx>(start);
    while (c != kNone && state[c] == 0) {
      state[c] = 1;
      chain.push_back(c);
      c = comps.parent[c];
    }
    if (c != kNone && state[c] == 1) {
      error(parent_mark(c), "component " + quote(net.component_id(c)) + ": parent chain loops back to itself");
      comps.parent[c] = kNone;  // break the loop so nothing downstream spins
    }
    for (ComponentIdx x : chain) state[x] = 2;
  }

  auto& links = net.links;
  for (const Sink::Ref& r : sink.link_refs) {
    ComponentIdx& end = r.kind == Sink::RefKind::kLinkA ? links.a[r.row] : links.b[r.row];
    end = sink.comp_index.find(r.id);
    if (end == kNone) {
      error(r.mark, "link: unknown component " + quote(r.id) + suggest_id(r.id, net, comps.id, comp_names, diags_));
    }
  }
}

}  // namespace netvet::native
