// GraphML and Graphviz DOT exports of a network, for Gephi, yEd or `dot`:
// components as nodes (function, domain, vendor, model, site, region, parent,
// and with resolved vendors the risk), links as edges (interface, protection).
// Output is deterministic: nodes and edges in table order.
#include <fmt/format.h>

#include <string>

#include "netvet/io.h"
#include "netvet/policy.h"

namespace netvet {
namespace {

// A DOT string. Control characters (C0, DEL, C1, bidi overrides) are shown
// as visible escapes (\\x07, \\u202e): never sent to a renderer or terminal.
std::string dot_quote(std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  std::string out = "\"";
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c < 0x20 || c == 0x7f) {
      out += "\\\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
      continue;
    }
    uint32_t cp = 0;
    size_t len = 0;
    if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9f &&
        static_cast<unsigned char>(s[i + 1]) >= 0x80) {
      cp = static_cast<unsigned char>(s[i + 1]), len = 2;
    } else if (c == 0xe2 && i + 2 < s.size()) {
      const auto b1 = static_cast<unsigned char>(s[i + 1]), b2 = static_cast<unsigned char>(s[i + 2]);
      if ((b1 == 0x80 && b2 >= 0xaa && b2 <= 0xae) || (b1 == 0x81 && b2 >= 0xa6 && b2 <= 0xa9))
        cp = 0x2000u + ((b1 - 0x80u) << 6) + (b2 - 0x80u), len = 3;
    }
    if (len) {
      out += "\\\\u";
      for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(cp >> shift) & 15];
      i += len - 1;
      continue;
    }
    out += static_cast<char>(c);
  }
  return out + "\"";
}

std::string protection_text(uint8_t p) {
  std::string out;
  for (Protection f : {kEncrypted, kIntegrity, kMonitored})
    if (p & f) out += (out.empty() ? "" : ",") + std::string(protection_name(f));
  return out;
}

const char* risk_colour(VendorRisk r) {
  switch (r) {
    case VendorRisk::kHighRisk:
      return "#d32f2f";
    case VendorRisk::kUnknown:
      return "#f9a825";
    case VendorRisk::kTrusted:
      return "#388e3c";
  }
  return "#9e9e9e";
}

}  // namespace

std::string write_graphml(const Network& net, const VendorColumns* vendors) {
  std::string o =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
      "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n";
  const char* node_keys[] = {"label", "function", "domain", "generation", "vendor", "model", "software",
                             "site",  "region",   "lat",    "lon",        "parent", "tags"};
  for (const char* k : node_keys)
    o += fmt::format("  <key id=\"{0}\" for=\"node\" attr.name=\"{0}\" attr.type=\"{1}\"/>\n", k,
                     std::string_view(k) == "lat" || std::string_view(k) == "lon" ? "double" : "string");
  if (vendors) {
    o += "  <key id=\"risk\" for=\"node\" attr.name=\"risk\" attr.type=\"string\"/>\n";
    o += "  <key id=\"designated\" for=\"node\" attr.name=\"designated\" attr.type=\"boolean\"/>\n";
  }
  o += "  <key id=\"interface\" for=\"edge\" attr.name=\"interface\" attr.type=\"string\"/>\n";
  o += "  <key id=\"protection\" for=\"edge\" attr.name=\"protection\" attr.type=\"string\"/>\n";
  o += fmt::format("  <graph id=\"{}\" edgedefault=\"undirected\">\n",
                   markup_escape(net.operator_name.empty() ? "netvet" : net.operator_name));
  const auto& c = net.components;
  for (ComponentIdx i = 0; i < c.size(); ++i) {
    o += fmt::format("    <node id=\"{}\">\n", markup_escape(net.component_id(i)));
    auto data = [&](const char* k, std::string_view v) {
      if (!v.empty()) o += fmt::format("      <data key=\"{}\">{}</data>\n", k, markup_escape(v));
    };
    data("label", net.str(c.name[i]).empty() ? net.component_id(i) : net.str(c.name[i]));
    data("function", function_name(c.function[i]));
    data("domain", domain_name(function_domain(c.function[i])));
    data("generation", generation_name(c.generation[i]));
    data("vendor", net.str(c.vendor[i]));
    data("model", net.str(c.model[i]));
    data("software", net.str(c.software[i]));
    if (c.site[i] != kNone) {
      SiteIdx s = c.site[i];
      data("site", net.site_id(s));
      data("region", net.str(net.sites.region[s]));
      if (!std::isnan(net.sites.lat[s])) data("lat", fmt::format("{}", net.sites.lat[s]));
      if (!std::isnan(net.sites.lon[s])) data("lon", fmt::format("{}", net.sites.lon[s]));
    }
    if (c.parent[i] != kNone) data("parent", net.component_id(c.parent[i]));
    std::string tags;
    for (auto t : c.tags.row(i)) tags += (tags.empty() ? "" : ";") + std::string(net.str(t));
    data("tags", tags);
    if (vendors && i < vendors->risk.size()) {
      data("risk", vendor_risk_name(vendors->risk[i]));
      data("designated", i < vendors->designated.size() && vendors->designated[i] ? "true" : "false");
    }
    o += "    </node>\n";
  }
  for (LinkIdx l = 0; l < net.links.size(); ++l) {
    o += fmt::format("    <edge id=\"e{}\" source=\"{}\" target=\"{}\">\n", l,
                     markup_escape(net.component_id(net.links.a[l])), markup_escape(net.component_id(net.links.b[l])));
    o += fmt::format("      <data key=\"interface\">{}</data>\n", interface_name(net.links.interface[l]));
    if (auto p = protection_text(net.links.protection[l]); !p.empty())
      o += fmt::format("      <data key=\"protection\">{}</data>\n", p);
    o += "    </edge>\n";
  }
  o += "  </graph>\n</graphml>\n";
  return o;
}

std::string write_dot(const Network& net, const VendorColumns* vendors) {
  std::string o = fmt::format("graph {} {{\n  node [shape=box, style=filled, fillcolor=\"#eeeeee\"];\n",
                              dot_quote(net.operator_name.empty() ? "netvet" : net.operator_name));
  const auto& c = net.components;
  for (ComponentIdx i = 0; i < c.size(); ++i) {
    std::string label = fmt::format("{}\n{} · {}", net.component_id(i), function_name(c.function[i]),
                                    net.str(c.vendor[i]).empty() ? "no vendor" : net.str(c.vendor[i]));
    o += fmt::format("  {} [label={}, function={}, domain={}, vendor={}", dot_quote(net.component_id(i)),
                     dot_quote(label), dot_quote(function_name(c.function[i])),
                     dot_quote(domain_name(function_domain(c.function[i]))), dot_quote(net.str(c.vendor[i])));
    if (c.site[i] != kNone) o += fmt::format(", site={}", dot_quote(net.site_id(c.site[i])));
    if (c.parent[i] != kNone) o += fmt::format(", parent={}", dot_quote(net.component_id(c.parent[i])));
    if (vendors && i < vendors->risk.size())
      o += fmt::format(", risk={}, fillcolor={}", dot_quote(vendor_risk_name(vendors->risk[i])),
                       dot_quote(risk_colour(vendors->risk[i])));
    o += "];\n";
  }
  for (LinkIdx l = 0; l < net.links.size(); ++l) {
    o += fmt::format("  {} -- {} [interface={}", dot_quote(net.component_id(net.links.a[l])),
                     dot_quote(net.component_id(net.links.b[l])), dot_quote(interface_name(net.links.interface[l])));
    if (auto p = protection_text(net.links.protection[l]); !p.empty())
      o += fmt::format(", protection={}, style=bold", dot_quote(p));
    o += fmt::format(", label={}];\n", dot_quote(interface_name(net.links.interface[l])));
  }
  o += "}\n";
  return o;
}

}  // namespace netvet
