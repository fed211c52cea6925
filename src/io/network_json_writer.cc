// Native JSON writer: deterministic (table order, schema key order, shortest
// round-trip numbers), one row per line so errors in a written file still have
// useful line numbers, and defaults left out so big networks stay small.
#include <charconv>
#include <cmath>

#include "netvet/io.h"

namespace netvet {
namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 (the same strictness as
// simdjson: no overlongs, no surrogates, nothing above U+10FFFF).
size_t utf8_length(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0u; };
  auto cont = [&](size_t k) { return (byte(k) & 0xc0) == 0x80; };
  unsigned c = byte(i);
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) return cont(i + 1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    unsigned c1 = byte(i + 1);
    if (c == 0xe0 && c1 < 0xa0) return 0;
    if (c == 0xed && c1 > 0x9f) return 0;
    return cont(i + 1) && cont(i + 2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    unsigned c1 = byte(i + 1);
    if (c == 0xf0 && c1 < 0x90) return 0;
    if (c == 0xf4 && c1 > 0x8f) return 0;
    return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

class Writer {
 public:
  std::string out;

  void str(std::string_view s) {
    out += '"';
    for (size_t i = 0; i < s.size();) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        out += static_cast<char>(c);
        ++i;
        continue;
      }
      switch (c) {
        case '"':
          out += "\\\"";
          ++i;
          continue;
        case '\\':
          out += "\\\\";
          ++i;
          continue;
        case '\n':
          out += "\\n";
          ++i;
          continue;
        case '\t':
          out += "\\t";
          ++i;
          continue;
        case '\r':
          out += "\\r";
          ++i;
          continue;
        default:
          break;
      }
      if (c < 0x20) {
        static const char* kHex = "0123456789abcdef";
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
        ++i;
        continue;
      }
      // YAML input is not checked for UTF-8; JSON output must be valid, so a
      // broken byte becomes U+FFFD rather than a file no reader accepts.
      size_t n = utf8_length(s, i);
      if (n == 0) {
        out += "\\ufffd";
        ++i;
      } else {
        out.append(s.data() + i, n);
        i += n;
      }
    }
    out += '"';
  }

  void num(double d) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);  // shortest text that reads back bit-identical
    out.append(buf, ec == std::errc() ? end : buf);
  }
  void num(uint64_t v) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, ec == std::errc() ? end : buf);
  }

  // `"key": "value"` after a comma; skipped when the value is empty.
  void field(std::string_view key, std::string_view value) {
    if (value.empty()) return;
    key_(key);
    str(value);
  }
  void field_num(std::string_view key, double d) {
    if (std::isnan(d)) return;
    key_(key);
    num(d);
  }
  void tags(const Network& net, const TagColumn& col, uint32_t row) {
    auto t = col.row(row);
    if (t.empty()) return;
    key_("tags");
    out += '[';
    for (size_t i = 0; i < t.size(); ++i) {
      if (i) out += ", ";
      str(net.str(t[i]));
    }
    out += ']';
  }
  void key_(std::string_view key) {
    out += ", \"";
    out += key;
    out += "\": ";
  }
};

}  // namespace

std::string write_network_json(const Network& net) {
  Writer w;
  w.out.reserve(256 + net.sites.size() * 120 + net.components.size() * 160 + net.links.size() * 48 +
                net.sensitive.size() * 120);
  w.out += "{\"netvet\": 1";
  if (!net.operator_name.empty()) {
    w.out += ",\n \"operator\": ";
    w.str(net.operator_name);
  }
  if (!net.country.empty()) {
    w.out += ",\n \"country\": ";
    w.str(net.country);
  }

  auto section = [&](std::string_view name, size_t n, auto&& row) {
    w.out += ",\n \"";
    w.out += name;
    w.out += "\": [";
    for (size_t i = 0; i < n; ++i) {
      w.out += i ? ",\n  " : "\n  ";
      row(static_cast<uint32_t>(i));
    }
    w.out += n ? "\n ]" : "]";
  };

  const auto& s = net.sites;
  section("sites", s.size(), [&](uint32_t i) {
    w.out += "{\"id\": ";
    w.str(net.str(s.id[i]));
    w.field("name", net.str(s.name[i]));
    w.field_num("lat", s.lat[i]);
    w.field_num("lon", s.lon[i]);
    w.field("region", net.str(s.region[i]));
    w.tags(net, s.tags, i);
    w.out += '}';
  });

  const auto& c = net.components;
  section("components", c.size(), [&](uint32_t i) {
    w.out += "{\"id\": ";
    w.str(net.str(c.id[i]));
    w.field("name", net.str(c.name[i]));
    w.field("function", function_name(c.function[i]));
    if (c.generation[i] != Generation::kAny) w.field("generation", generation_name(c.generation[i]));
    w.field("vendor", net.str(c.vendor[i]));
    w.field("model", net.str(c.model[i]));
    w.field("software", net.str(c.software[i]));
    if (c.site[i] != kNone) w.field("site", net.site_id(c.site[i]));
    if (c.parent[i] != kNone) w.field("parent", net.component_id(c.parent[i]));
    if (c.subscribers[i] || c.cells[i]) {
      w.key_("serves");
      w.out += "{\"subscribers\": ";
      w.num(c.subscribers[i]);
      w.out += ", \"cells\": ";
      w.num(uint64_t{c.cells[i]});
      w.out += '}';
    }
    w.tags(net, c.tags, i);
    w.out += '}';
  });

  // Links in the short form: a third of the bytes of the long one, and bulk files are mostly links.
  const auto& l = net.links;
  // An end that is not a component (a caller's bug) is written as "" so the reader
  // names it as an unknown component instead of the writer reading out of bounds.
  auto end_id = [&](ComponentIdx e) { return e < c.size() ? net.component_id(e) : std::string_view(); };
  section("links", l.size(), [&](uint32_t i) {
    w.out += '[';
    w.str(end_id(l.a[i]));
    w.out += ", ";
    w.str(end_id(l.b[i]));
    w.out += ", \"";
    w.out += interface_name(l.interface[i]);
    w.out += '"';
    if (l.protection[i]) {
      w.out += ", [";
      bool first = true;
      for (Protection p : {kEncrypted, kIntegrity, kMonitored}) {
        if (!(l.protection[i] & p)) continue;
        if (!first) w.out += ", ";
        first = false;
        w.out += '"';
        w.out += protection_name(p);
        w.out += '"';
      }
      w.out += ']';
    }
    w.out += ']';
  });

  const auto& z = net.sensitive;
  section("sensitive_locations", z.size(), [&](uint32_t i) {
    w.out += "{\"id\": ";
    w.str(net.str(z.id[i]));
    w.field("name", net.str(z.name[i]));
    w.field_num("lat", z.lat[i]);
    w.field_num("lon", z.lon[i]);
    w.field_num("radius_km", z.radius_km[i]);
    w.field("kind", sensitive_kind_name(z.kind[i]));
    w.out += '}';
  });
  w.out += "\n}\n";
  return w.out;
}

}  // namespace netvet
