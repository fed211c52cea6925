// The report to forward: one self-contained HTML file a regulator can mail on.
// It opens with a summary paragraph (the decision, why, what to do by when),
// then the findings grouped by what they oblige, each with its remediation,
// each attack path drawn hop by hop with its interfaces, a map of the sites
// (inline SVG, no tiles), the high-risk share by region, the vendor-risk
// basis once, the metrics as tables and the provenance. No scripts, no
// external assets: it is opened offline and printed (print CSS). Every piece
// of text is escaped; only http(s) URLs become links (a hostile KB overlay
// cannot inject javascript:).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <nlohmann/json.hpp>

#include "explain.h"
#include "netvet/report.h"

namespace netvet {
namespace {

using ojson = nlohmann::ordered_json;
using report::Hop;

std::string esc(std::string_view s) { return markup_escape(s); }

bool web_url(std::string_view u) { return u.rfind("https://", 0) == 0 || u.rfind("http://", 0) == 0; }

const char* outcome_colour(std::string_view o) {
  if (o == "no-significant-risk") return "#2e7d32";
  if (o == "risk-mitigable") return "#ef6c00";
  if (o == "insufficient-information") return "#546e7a";
  return "#c62828";
}

const char* severity_colour(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return "#b71c1c";
    case Severity::kHigh:
      return "#e53935";
    case Severity::kMedium:
      return "#fb8c00";
    case Severity::kLow:
      return "#f9a825";
    case Severity::kInfo:
      return "#78909c";
  }
  return "#78909c";
}

std::string citation_html(const Citation& c) {
  std::string cite = esc(c.instrument);
  if (!c.section.empty()) cite += (cite.empty() ? "" : ", ") + esc(c.section);
  if (web_url(c.url)) cite = fmt::format("<a href=\"{}\">{}</a>", esc(c.url), cite.empty() ? esc(c.url) : cite);
  return cite;
}

// Region -> high-risk share (0..1) of sites, from the metrics.
std::vector<std::pair<std::string, double>> region_shares(const ojson& m) {
  std::vector<std::pair<std::string, double>> out;
  if (!m.contains("high_risk_share_by_region") || !m["high_risk_share_by_region"].is_object()) return out;
  for (const auto& [region, v] : m["high_risk_share_by_region"].items()) {
    if (v.is_object() && v.contains("sites") && v["sites"].is_number())
      out.emplace_back(region, std::clamp(v["sites"].get<double>(), 0.0, 1.0));
  }
  return out;
}

std::string share_chart(const std::vector<std::pair<std::string, double>>& shares) {
  const int bar_h = 22, gap = 8, label_w = 180, chart_w = 420;
  int h = static_cast<int>(shares.size()) * (bar_h + gap) + 12;
  std::string o = fmt::format(
      "<svg class=\"chart\" role=\"img\" aria-label=\"High-risk share by region\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" xmlns=\"http://www.w3.org/2000/svg\">\n",
      label_w + chart_w + 70, h);
  int y = 6;
  for (const auto& [region, v] : shares) {
    int w = static_cast<int>(v * chart_w + 0.5);
    const char* fill = v >= 0.35 ? "#c62828" : v > 0 ? "#ef6c00" : "#2e7d32";
    o += fmt::format(
        "  <text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"13\">{}</text>\n"
        "  <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#eceff1\"/>\n"
        "  <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>\n"
        "  <text x=\"{}\" y=\"{}\" font-size=\"13\">{:.1f}%</text>\n",
        label_w - 8, y + 16, esc(region.empty() ? "(no region)" : region), label_w, y, chart_w, bar_h, label_w, y, w,
        bar_h, fill, label_w + chart_w + 6, y + 16, v * 100);
    y += bar_h + gap;
  }
  o += "</svg>\n";
  return o;
}

// One attack path, hop by hop: boxes for components (id and function), arrows
// labelled with the interface above and the protection below.
std::string path_svg(const Assessment& a, const std::vector<Hop>& hops, int serial) {
  std::vector<std::string> nodes;
  if (!hops.empty()) nodes.push_back(hops.front().from);
  for (const auto& h : hops) nodes.push_back(h.to);
  const int node_w = 160, node_h = 40, gap = 90, per_row = 4, row_h = node_h + 44;
  const size_t rows = (nodes.size() + per_row - 1) / per_row;
  const int width = per_row * node_w + (per_row - 1) * gap + 20;
  const int height = static_cast<int>(rows) * row_h + 10;
  std::string o = fmt::format(
      "<svg class=\"path\" role=\"img\" aria-label=\"attack path {2} to {3}\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" xmlns=\"http://www.w3.org/2000/svg\">\n"
      "  <defs><marker id=\"arrow{4}\" markerWidth=\"10\" markerHeight=\"8\" refX=\"9\" refY=\"4\" orient=\"auto\">"
      "<path d=\"M0,0 L10,4 L0,8 z\" fill=\"#455a64\"/></marker></defs>\n",
      width, height, esc(nodes.front()), esc(nodes.back()), serial);
  for (size_t i = 0; i < nodes.size(); ++i) {
    const int col = static_cast<int>(i % per_row), row = static_cast<int>(i / per_row);
    const int x = 10 + col * (node_w + gap), y = 10 + row * row_h;
    const bool first = i == 0, last = i + 1 == nodes.size();
    const char* fill = first ? "#ffcdd2" : last ? "#bbdefb" : "#eceff1";
    const char* stroke = first ? "#c62828" : last ? "#1565c0" : "#607d8b";
    std::string label = nodes[i].size() > 22 ? nodes[i].substr(0, 21) + "…" : nodes[i];
    std::string function = report::component_function(a, nodes[i]);
    o += fmt::format(
        "  <g><title>{}</title><rect x=\"{}\" y=\"{}\" rx=\"6\" width=\"{}\" height=\"{}\" fill=\"{}\" "
        "stroke=\"{}\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\">{}</text>"
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#546e7a\">{}</text></g>\n",
        esc(nodes[i]), x, y, node_w, node_h, fill, stroke, x + node_w / 2, y + 17, esc(label), x + node_w / 2, y + 32,
        esc(function));
    if (last) continue;
    const Hop& h = hops[i];
    const std::string prot = h.protection.empty() ? "unprotected" : report::join(h.protection, "+");
    const char* prot_colour = h.protection.empty() ? "#c62828" : "#2e7d32";
    if (col + 1 < per_row) {
      const int x1 = x + node_w, x2 = x + node_w + gap - 2, ym = y + node_h / 2;
      o += fmt::format(
          "  <line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#455a64\" stroke-width=\"2\" "
          "marker-end=\"url(#arrow{})\"/>\n"
          "  <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"600\">{}</text>\n"
          "  <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10\" fill=\"{}\">{}</text>\n",
          x1, ym, x2, ym, serial, (x1 + x2) / 2, ym - 6, esc(h.interface), (x1 + x2) / 2, ym + 14, prot_colour,
          esc(prot));
    } else {
      const int xm = x + node_w / 2, y1 = y + node_h, y2 = y + row_h + 8;
      o += fmt::format(
          "  <path d=\"M{} {} L{} {} L{} {} L{} {}\" fill=\"none\" stroke=\"#455a64\" stroke-width=\"2\" "
          "marker-end=\"url(#arrow{})\"/>\n"
          "  <text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\" font-weight=\"600\">{} "
          "<tspan fill=\"{}\" font-size=\"10\" font-weight=\"400\">{}</tspan></text>\n",
          xm, y1, xm, y1 + 20, 10 + node_w / 2, y1 + 20, 10 + node_w / 2, y2, serial, xm - 6, y1 + 16,
          esc(h.interface), prot_colour, esc(prot));
    }
  }
  o += "</svg>\n";
  return o;
}

// What the assessment could not judge and what to supply (docs/assessment.md, "Coverage").
std::string coverage_html(const Assessment& a) {
  const Coverage& cov = a.coverage;
  if (cov.rules.empty() && cov.unjudged.empty()) return "";
  auto cname = [&](ComponentIdx c) {
    return a.network && c < a.network->components.size() ? std::string(a.network->component_id(c))
                                                          : "#" + std::to_string(c);
  };
  std::string o = "<h2>Coverage</h2>\n";
  o += fmt::format("<p>{} of {} components could not be judged by a rule that decides (allowed: {}).</p>\n",
                   cov.unjudged.size(), cov.components, cov.max_unjudged);
  if (!cov.rules.empty()) {
    o += "<table class=\"coverage\">\n<thead><tr><th>Rule</th><th>Decides</th><th>Not judged</th><th>Why</th>"
         "</tr></thead>\n<tbody>\n";
    for (const auto& r : cov.rules) {
      std::string why;
      const std::pair<const char*, size_t> parts[] = {{"no vendor", r.no_vendor},
                                                      {"vendor not in the KB", r.unknown_vendor},
                                                      {"placeholder function", r.fallback_function},
                                                      {"no generation", r.no_generation},
                                                      {"telecom domain not stated", r.no_domain}};
      for (const auto& [name, n] : parts)
        if (n) why += fmt::format("{}{} {}", why.empty() ? "" : ", ", name, n);
      o += fmt::format("<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>\n", markup_escape(r.rule),
                       r.decides ? "yes" : "no", r.components.size(), why);
    }
    o += "</tbody>\n</table>\n";
  }
  if (!cov.unjudged.empty()) {
    constexpr size_t kMax = 200;
    o += "<p>To decide, supply:</p>\n<ul class=\"supply\">\n";
    for (size_t i = 0; i < cov.unjudged.size() && i < kMax; ++i)
      o += fmt::format("<li><code>{}</code>: {}</li>\n", markup_escape(cname(cov.unjudged[i].first)),
                       markup_escape(what_to_supply(cov.unjudged[i].second)));
    if (cov.unjudged.size() > kMax) o += fmt::format("<li>and {} more</li>\n", cov.unjudged.size() - kMax);
    o += "</ul>\n";
  }
  return o;
}

// The sites on an equirectangular projection of their bounding box (scaled by
// the cosine of the mean latitude so distances look right), high-risk sites in
// red, sensitive locations with their radius. No tiles: nothing is fetched.
std::string site_map(const Assessment& a) {
  const Network* net = a.network.get();
  if (!net) return {};
  const auto& s = net->sites;
  const auto& z = net->sensitive;
  std::vector<uint8_t> site_high(s.size(), 0);
  for (ComponentIdx c = 0; c < net->components.size() && c < a.high_risk.size(); ++c) {
    SiteIdx site = net->components.site[c];
    if (a.high_risk[c] && site != kNone && site < s.size()) site_high[site] = 1;
  }
  double lat0 = 90, lat1 = -90, lon0 = 180, lon1 = -180;
  size_t placed = 0;
  auto extend = [&](double lat, double lon, double pad_km) {
    const double dlat = pad_km / 110.574, dlon = pad_km / (111.320 * std::max(0.1, std::cos(lat * M_PI / 180)));
    lat0 = std::min(lat0, lat - dlat), lat1 = std::max(lat1, lat + dlat);
    lon0 = std::min(lon0, lon - dlon), lon1 = std::max(lon1, lon + dlon);
  };
  for (size_t i = 0; i < s.size(); ++i)
    if (std::isfinite(s.lat[i]) && std::isfinite(s.lon[i])) extend(s.lat[i], s.lon[i], 0), ++placed;
  if (placed == 0) return {};
  for (size_t i = 0; i < z.size(); ++i)
    if (std::isfinite(z.lat[i]) && std::isfinite(z.lon[i])) extend(z.lat[i], z.lon[i], z.radius_km[i]);
  const double kx = std::cos((lat0 + lat1) / 2 * M_PI / 180);
  double span_x = std::max(1e-3, (lon1 - lon0) * kx), span_y = std::max(1e-3, lat1 - lat0);
  const int width = 640, margin = 24;
  const double scale = (width - 2 * margin) / std::max(span_x, span_y * 0.6);
  const int height = static_cast<int>(std::clamp(span_y * scale + 2 * margin, 160.0, 900.0));
  auto px = [&](double lon) { return margin + (lon - lon0) * kx * scale; };
  auto py = [&](double lat) { return margin + (lat1 - lat) * scale; };
  std::string o = fmt::format(
      "<svg class=\"map\" role=\"img\" aria-label=\"Sites: high-risk sites and exclusion zones\" width=\"{0}\" "
      "height=\"{1}\" viewBox=\"0 0 {0} {1}\" xmlns=\"http://www.w3.org/2000/svg\">\n"
      "  <rect width=\"{0}\" height=\"{1}\" fill=\"#f5f7f8\" stroke=\"#cfd8dc\"/>\n",
      width, height);
  for (size_t i = 0; i < z.size(); ++i) {
    if (!std::isfinite(z.lat[i]) || !std::isfinite(z.lon[i])) continue;
    const double r = std::max(3.0, z.radius_km[i] / 110.574 * scale);
    o += fmt::format(
        "  <g><title>{} ({}, {} km)</title><circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{:.1f}\" fill=\"#7e57c2\" "
        "fill-opacity=\"0.15\" stroke=\"#5e35b1\" stroke-dasharray=\"4 3\"/></g>\n",
        esc(net->strings.view(z.name[i]).empty() ? net->strings.view(z.id[i]) : net->strings.view(z.name[i])),
        esc(sensitive_kind_name(z.kind[i])), z.radius_km[i], px(z.lon[i]), py(z.lat[i]), r);
  }
  // At most this many sites are drawn (a national network has 10^5): the map
  // is a picture, the share table has the figures.
  constexpr size_t kMaxSites = 4000;
  const bool label = placed <= 40;
  size_t drawn = 0;
  for (int pass = 0; pass < 2; ++pass) {  // trusted first, so high-risk dots stay on top
    for (size_t i = 0; i < s.size() && drawn < kMaxSites; ++i) {
      if (!std::isfinite(s.lat[i]) || !std::isfinite(s.lon[i]) || site_high[i] != pass) continue;
      ++drawn;
      const std::string id(net->strings.view(s.id[i]));
      o += fmt::format(
          "  <g><title>{}{}</title><circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"5\" fill=\"{}\" stroke=\"#fff\"/>",
          esc(id), pass ? " (high-risk equipment)" : "", px(s.lon[i]), py(s.lat[i]), pass ? "#c62828" : "#78909c");
      if (label)
        o += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"10\" fill=\"#37474f\">{}</text>", px(s.lon[i]) + 7,
                         py(s.lat[i]) + 3, esc(id));
      o += "</g>\n";
    }
  }
  o += "</svg>\n";
  size_t high = std::count(site_high.begin(), site_high.end(), 1);
  o += fmt::format(
      "<p class=\"legend\"><span class=\"dot\" style=\"background:#c62828\"></span> site with high-risk equipment "
      "({}) <span class=\"dot\" style=\"background:#78909c\"></span> other site ({}) <span class=\"zone\"></span> "
      "sensitive location and its zone ({}){}</p>\n",
      high, placed - high, z.size(),
      drawn < placed ? fmt::format(" — {} of {} sites drawn", drawn, placed) : std::string());
  return o;
}

// Metrics as tables: one per group, percentages for shares.
std::string metrics_tables(const ojson& m) {
  std::string o;
  auto value = [](std::string_view key, const ojson& v) -> std::string {
    if (v.is_number_float() && (key.find("share") != std::string_view::npos || key == "sites" || key == "components" ||
                                key == "cells" || key == "subscribers"))
      return fmt::format("{:.1f}%", v.get<double>() * 100);
    if (v.is_array()) {
      std::string out;
      for (const auto& e : v) out += (out.empty() ? "" : ", ") + (e.is_string() ? e.get<std::string>() : e.dump());
      return out;
    }
    if (v.is_string()) return v.get<std::string>();
    return v.dump();
  };
  auto title = [](std::string_view k) {
    std::string t(k);
    std::replace(t.begin(), t.end(), '_', ' ');
    if (!t.empty()) t[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(t[0])));
    return t;
  };
  std::string top;
  for (const auto& [k, v] : m.items()) {
    if (v.is_object()) continue;
    top += fmt::format("<tr><th>{}</th><td>{}</td></tr>", esc(title(k)), esc(value(k, v)));
  }
  if (!top.empty()) o += "<h3>Network</h3>\n<table class=\"metrics\">" + top + "</table>\n";
  for (const auto& [k, v] : m.items()) {
    if (!v.is_object()) continue;
    bool nested = std::any_of(v.begin(), v.end(), [](const ojson& x) { return x.is_object(); });
    o += fmt::format("<h3>{}</h3>\n<table class=\"metrics\">", esc(title(k)));
    if (nested) {  // region -> {measure: share}: one row per region
      std::vector<std::string> cols;
      for (const auto& [_, row] : v.items())
        if (row.is_object())
          for (const auto& [c, __] : row.items())
            if (std::find(cols.begin(), cols.end(), c) == cols.end()) cols.push_back(c);
      o += "<tr><th></th>";
      for (const auto& c : cols) o += "<th>" + esc(title(c)) + "</th>";
      o += "</tr>";
      for (const auto& [r, row] : v.items()) {
        o += "<tr><th>" + esc(r.empty() ? "(no region)" : r) + "</th>";
        for (const auto& c : cols)
          o += "<td>" + (row.is_object() && row.contains(c) ? esc(value(c, row[c])) : std::string()) + "</td>";
        o += "</tr>";
      }
    } else {
      for (const auto& [sk, sv] : v.items())
        o += fmt::format("<tr><th>{}</th><td>{}</td></tr>", esc(title(sk)), esc(value(sk, sv)));
    }
    o += "</table>\n";
  }
  return o;
}

}  // namespace

std::string write_assessment_html(const Assessment& a) {
  const report::Summary sum = report::summarize(a);
  std::string o;
  o += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  o += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  o += fmt::format("<title>netvet assessment — {} {}</title>\n", esc(a.jurisdiction), esc(a.date.to_string()));
  o += R"css(<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#263238;background:#fff;line-height:1.45}
h1{font-size:1.6rem;margin:0 0 .5rem} h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #cfd8dc}
h3{font-size:1.05rem;margin:1.2rem 0 .3rem}
.decision{padding:.6rem 1rem;border-radius:6px;color:#fff;font-size:1.2rem;font-weight:600;display:inline-block}
.summary{font-size:1.05rem} .meta{color:#546e7a;font-size:.9rem}
table{border-collapse:collapse;font-size:.9rem;margin:.3rem 0} th,td{border:1px solid #cfd8dc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eceff1;font-weight:600}
.finding{border:1px solid #cfd8dc;border-left:6px solid #90a4ae;border-radius:4px;padding:.5rem 1rem;margin:.8rem 0;break-inside:avoid}
.sev{display:inline-block;padding:0 .4rem;border-radius:4px;color:#fff;font-weight:600;font-size:.85rem}
.remedy{background:#e8f5e9;padding:.3rem .6rem;border-radius:4px} .hopchain{font-family:ui-monospace,monospace;font-size:.85rem}
.withheld{background:#fff3e0;border-left:4px solid #ef6c00;padding:.5rem 1rem} code{font-size:.85rem}
.legend{font-size:.85rem;color:#455a64} .dot{display:inline-block;width:.7rem;height:.7rem;border-radius:50%}
.zone{display:inline-block;width:.9rem;height:.9rem;border-radius:50%;border:1px dashed #5e35b1;background:#ede7f6}
small{color:#607d8b} svg{max-width:100%;height:auto}
@media print{body{margin:0;max-width:none;font-size:10pt} h2{break-after:avoid} .finding,svg,table{break-inside:avoid}
a{color:inherit;text-decoration:none} a[href]::after{content:" (" attr(href) ")";font-size:8pt;color:#546e7a}
.decision{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
</style>
</head>
<body>
)css";
  if (a.marking != Classification::kUnclassified)
    o += fmt::format("<p class=\"marking\">{}</p>\n", markup_escape(classification_name(a.marking)));
  o += "<h1>Supply-chain security assessment</h1>\n";
  o += fmt::format("<p><span class=\"decision\" style=\"background:{}\">{}</span></p>\n",
                   outcome_colour(a.determination.outcome), esc(sum.outcome_label));

  // 1. The paragraph a reader forwards: decision, why, what to do by when.
  o += "<h2>Summary</h2>\n<p class=\"summary\">" + esc(sum.paragraph) + "</p>\n";
  for (const auto& w : a.withheld)
    o += fmt::format(
        "<p class=\"withheld\">{} finding{} withheld at {} (above this report's clearance, {}). The decision takes "
        "{} into account.</p>\n",
        w.count, w.count == 1 ? " is" : "s are", esc(classification_name(w.classification)),
        esc(classification_name(a.clearance)), w.count == 1 ? "it" : "them");
  o += fmt::format(
      "<p class=\"meta\">{} rules on {} · clearance {} · network <code>{}</code>{} · score {}/100</p>\n",
      esc(a.jurisdiction), esc(a.date.to_string()), esc(classification_name(a.clearance)), esc(a.network_file),
      a.proposal_file.empty() ? "" : " · proposal <code>" + esc(a.proposal_file) + "</code>", a.determination.score);

  // 2. Findings grouped by what they oblige, each with its remediation.
  o += "<h2>Findings</h2>\n";
  if (a.findings.empty()) o += "<p>" + esc(report::no_findings_text(a)) + "</p>\n";
  int serial = 0;
  for (const auto& group : report::group_findings(a)) {
    o += fmt::format("<h3>{} ({})</h3>\n", esc(group.title), group.items.size());
    for (const Finding* f : group.items) {
      o += fmt::format("<div class=\"finding\" style=\"border-left-color:{}\">\n", severity_colour(f->severity));
      o += fmt::format("<p><span class=\"sev\" style=\"background:{}\">{}</span> <b>{}</b>{}{}</p>\n",
                       severity_colour(f->severity), esc(severity_name(f->severity)),
                       esc(f->title.empty() ? f->rule : f->title),
                       f->classification != Classification::kUnclassified
                           ? " <small>[" + esc(classification_name(f->classification)) + "]</small>"
                           : "",
                       f->unconfirmed ? " <small>[unconfirmed]</small>" : "");
      if (!f->message.empty()) o += "<p>" + esc(f->message) + "</p>\n";
      if (auto remedy = report::remediation(a, *f); !remedy.empty())
        o += "<p class=\"remedy\"><b>To clear it:</b> " + esc(remedy) + "</p>\n";
      const auto comps = report::component_names(a, *f);
      if (!comps.empty()) {
        std::string list;
        for (size_t i = 0; i < comps.size() && i < 12; ++i) list += (i ? ", " : "") + ("<code>" + esc(comps[i]) + "</code>");
        if (comps.size() > 12) list += fmt::format(" and {} more", comps.size() - 12);
        o += "<p><small>Components:</small> " + list + "</p>\n";
      }
      for (const auto& p : report::paths(*f)) {
        o += "<p class=\"hopchain\">" + esc(report::hop_chain(p.hops)) + "</p>\n";
        (void)serial;
      }
      o += fmt::format("<p><small>Source: {} · rule <code>{}</code> · finding <code>{}</code></small></p>\n",
                       citation_html(f->citation), esc(f->rule), esc(f->id));
      o += "</div>\n";
    }
  }

  o += coverage_html(a);

  // 3. The ways in, drawn.
  bool any_path = false;
  for (const auto& f : a.findings) {
    for (const auto& p : report::paths(f)) {
      if (p.hops.empty()) continue;
      if (!any_path) o += "<h2>Attack paths</h2>\n";
      any_path = true;
      o += fmt::format("<h3>{} → {} ({} hop{})</h3>\n", esc(p.hops.front().from), esc(p.target), p.hops.size(),
                       p.hops.size() == 1 ? "" : "s");
      o += path_svg(a, p.hops, ++serial);
    }
  }

  // 4. Where the equipment is.
  if (std::string map = site_map(a); !map.empty()) o += "<h2>Site map</h2>\n" + map;
  auto shares = region_shares(a.metrics);
  if (!shares.empty()) {
    o += "<h2>High-risk share by region</h2>\n<p class=\"legend\">Share of each region's sites that host high-risk "
         "equipment.</p>\n";
    o += share_chart(shares);
  }

  // 5. Why vendors count as high-risk: once, not per finding.
  if (!a.basis.empty()) {
    o += "<h2>Basis for vendor risk</h2>\n<table class=\"basis\"><tr><th>Vendor</th><th>Basis</th><th>Source</th></tr>\n";
    for (const auto& b : a.basis)
      o += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n", esc(b.vendor), esc(report::basis_text(a, b)),
                       citation_html(b.citation));
    o += "</table>\n";
  }

  // 6. Figures and provenance.
  if (a.metrics.is_object() && !a.metrics.empty()) o += "<h2>Metrics</h2>\n" + metrics_tables(a.metrics);
  o += fmt::format(
      "<h2>Provenance</h2>\n<p class=\"meta\">Knowledge base {} · engine netvet {} · digest <code>{}</code><br>"
      "The same inputs, knowledge base, date and engine give the same report.</p>\n",
      esc(a.kb_version), esc(a.engine), esc(a.digest));
  o += "</body>\n</html>\n";
  return o;
}

}  // namespace netvet
