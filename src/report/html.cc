// Self-contained HTML report: the decision, the findings table, high-risk share
// by region as an inline SVG bar chart, each attack path (evidence.path) as an
// inline SVG chain, and citations as links. No scripts, no external assets:
// the file is mailed around and opened offline. Every piece of text is escaped;
// only http(s) URLs become links (a hostile KB overlay cannot inject javascript:).
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "netvet/report.h"

namespace netvet {
namespace {

using ojson = nlohmann::ordered_json;

bool web_url(std::string_view u) { return u.rfind("https://", 0) == 0 || u.rfind("http://", 0) == 0; }

const char* outcome_colour(std::string_view o) {
  if (o == "no-significant-risk") return "#2e7d32";
  if (o == "risk-mitigable" || o == "insufficient-information") return "#ef6c00";
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
      return "#fdd835";
    case Severity::kInfo:
      return "#90a4ae";
  }
  return "#90a4ae";
}

// Region -> share (0..1) from the metrics, wherever the assessment put it.
std::vector<std::pair<std::string, double>> region_shares(const ojson& m) {
  std::vector<std::pair<std::string, double>> out;
  const ojson* src = nullptr;
  for (const char* k : {"high_risk_share_by_region", "high_risk_share_region", "by_region"})
    if (m.contains(k) && m[k].is_object()) src = &m[k];
  if (!src && m.contains("high_risk_share") && m["high_risk_share"].is_object()) {
    const auto& h = m["high_risk_share"];
    for (const char* k : {"by_region", "regions", "region"})
      if (h.contains(k) && h[k].is_object()) src = &h[k];
  }
  if (!src) return out;
  for (auto it = src->begin(); it != src->end(); ++it) {
    double v = 0;
    if (it->is_number()) {
      v = it->get<double>();
    } else if (it->is_object()) {
      // {"sites": 0.4, ...}: take the first number, the measure the rule used.
      bool found = false;
      for (auto jt = it->begin(); jt != it->end() && !found; ++jt)
        if (jt->is_number()) v = jt->get<double>(), found = true;
      if (!found) continue;
    } else {
      continue;
    }
    if (v > 1.0 && v <= 100.0) v /= 100.0;  // percentages
    out.emplace_back(it.key(), std::clamp(v, 0.0, 1.0));
  }
  return out;
}

std::string share_chart(const std::vector<std::pair<std::string, double>>& shares) {
  const int bar_h = 22, gap = 8, label_w = 180, chart_w = 420;
  int h = static_cast<int>(shares.size()) * (bar_h + gap) + 30;
  std::string o = fmt::format(
      "<svg class=\"chart\" role=\"img\" aria-label=\"High-risk share by region\" width=\"{}\" height=\"{}\" "
      "viewBox=\"0 0 {} {}\" xmlns=\"http://www.w3.org/2000/svg\">\n",
      label_w + chart_w + 70, h, label_w + chart_w + 70, h);
  int y = 10;
  for (const auto& [region, v] : shares) {
    int w = static_cast<int>(v * chart_w + 0.5);
    const char* fill = v >= 0.35 ? "#c62828" : v > 0 ? "#ef6c00" : "#2e7d32";
    o += fmt::format(
        "  <text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"13\">{}</text>\n"
        "  <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#eceff1\"/>\n"
        "  <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>\n"
        "  <text x=\"{}\" y=\"{}\" font-size=\"13\">{:.1f}%</text>\n",
        label_w - 8, y + 16, markup_escape(region.empty() ? "(no region)" : region), label_w, y, chart_w, bar_h,
        label_w, y, w, bar_h, fill, label_w + chart_w + 6, y + 16, v * 100);
    y += bar_h + gap;
  }
  o += "</svg>\n";
  return o;
}

std::string path_svg(const std::vector<std::string>& path) {
  const int node_w = 150, node_h = 34, gap = 40, per_row = 5;
  size_t rows = (path.size() + per_row - 1) / per_row;
  int width = per_row * node_w + (per_row - 1) * gap + 20;
  int height = static_cast<int>(rows) * (node_h + 30) + 10;
  std::string o = fmt::format(
      "<svg class=\"path\" role=\"img\" aria-label=\"attack path\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "xmlns=\"http://www.w3.org/2000/svg\">\n"
      "  <defs><marker id=\"arrow\" markerWidth=\"10\" markerHeight=\"8\" refX=\"9\" refY=\"4\" orient=\"auto\">"
      "<path d=\"M0,0 L10,4 L0,8 z\" fill=\"#455a64\"/></marker></defs>\n",
      width, height, width, height);
  for (size_t i = 0; i < path.size(); ++i) {
    int col = static_cast<int>(i % per_row), row = static_cast<int>(i / per_row);
    int x = 10 + col * (node_w + gap), y = 10 + row * (node_h + 30);
    const char* fill = i == 0 ? "#ffcdd2" : i + 1 == path.size() ? "#bbdefb" : "#eceff1";
    const char* stroke = i == 0 ? "#c62828" : i + 1 == path.size() ? "#1565c0" : "#607d8b";
    std::string label = path[i].size() > 20 ? path[i].substr(0, 19) + "…" : path[i];
    o += fmt::format(
        "  <g><title>{}</title><rect x=\"{}\" y=\"{}\" rx=\"6\" width=\"{}\" height=\"{}\" fill=\"{}\" "
        "stroke=\"{}\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\">{}</text></g>\n",
        markup_escape(path[i]), x, y, node_w, node_h, fill, stroke, x + node_w / 2, y + 22, markup_escape(label));
    if (i + 1 < path.size()) {
      if (col + 1 < per_row) {
        o += fmt::format(
            "  <line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#455a64\" stroke-width=\"2\" "
            "marker-end=\"url(#arrow)\"/>\n",
            x + node_w, y + node_h / 2, x + node_w + gap - 2, y + node_h / 2);
      } else {
        o += fmt::format(
            "  <path d=\"M{} {} L{} {} L{} {} L{} {}\" fill=\"none\" stroke=\"#455a64\" stroke-width=\"2\" "
            "marker-end=\"url(#arrow)\"/>\n",
            x + node_w / 2, y + node_h, x + node_w / 2, y + node_h + 15, 10 + node_w / 2, y + node_h + 15,
            10 + node_w / 2, y + node_h + 28);
      }
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

}  // namespace

std::string write_assessment_html(const Assessment& a) {
  const Network* net = a.network.get();
  auto cid = [&](ComponentIdx c) -> std::string {
    return net && c < net->components.size() ? std::string(net->component_id(c)) : fmt::format("#{}", c);
  };
  std::string o;
  o += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  o += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  o += fmt::format("<title>netvet assessment — {} {}</title>\n", markup_escape(a.jurisdiction),
                   markup_escape(a.date.to_string()));
  o += R"(<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#263238;background:#fff}
h1{font-size:1.6rem;margin:0 0 .5rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #cfd8dc}
.decision{padding:1rem 1.25rem;border-radius:8px;color:#fff;font-size:1.3rem;font-weight:600;display:inline-block}
.meta{color:#546e7a;margin:.5rem 0 1rem} table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #cfd8dc;padding:.35rem .5rem;text-align:left;vertical-align:top} th{background:#eceff1}
.sev{display:inline-block;padding:0 .4rem;border-radius:4px;color:#fff;font-weight:600}
.withheld{background:#fff3e0;border-left:4px solid #ef6c00;padding:.5rem 1rem} code{font-size:.85rem}
</style>
</head>
<body>
)";
  if (a.marking != Classification::kUnclassified)
    o += fmt::format("<p class=\"marking\">{}</p>\n", markup_escape(classification_name(a.marking)));
  o += "<h1>Supply-chain security assessment</h1>\n";
  o += fmt::format("<div class=\"decision\" style=\"background:{}\">{} — score {}</div>\n",
                   outcome_colour(a.determination.outcome), markup_escape(a.determination.outcome),
                   a.determination.score);
  o += fmt::format(
      "<p class=\"meta\">Jurisdiction <b>{}</b> · date <b>{}</b> · clearance <b>{}</b> · KB {} · engine {}<br>"
      "Network <code>{}</code>{}<br>Digest <code>{}</code></p>\n",
      markup_escape(a.jurisdiction), markup_escape(a.date.to_string()), markup_escape(classification_name(a.clearance)),
      markup_escape(a.kb_version), markup_escape(a.engine), markup_escape(a.network_file),
      a.proposal_file.empty() ? "" : " · proposal <code>" + markup_escape(a.proposal_file) + "</code>",
      markup_escape(a.digest));
  if (!a.determination.reasons.empty()) {
    o += "<p>Reasons: ";
    for (size_t i = 0; i < a.determination.reasons.size(); ++i)
      o += (i ? ", " : "") + std::string("<code>") + markup_escape(a.determination.reasons[i]) + "</code>";
    o += "</p>\n";
  }
  for (const auto& w : a.withheld)
    o += fmt::format("<p class=\"withheld\">{} finding{} withheld at {} (above this report's clearance).</p>\n",
                     w.count, w.count == 1 ? "" : "s", markup_escape(classification_name(w.classification)));

  o += fmt::format("<h2>Findings ({})</h2>\n", a.findings.size());
  if (a.findings.empty()) {
    o += "<p>No findings visible at this clearance.</p>\n";
  } else {
    o += "<table class=\"findings\">\n<thead><tr><th>Severity</th><th>Finding</th><th>Rule</th><th>Message</th>"
         "<th>Components</th><th>Citation</th></tr></thead>\n<tbody>\n";
    for (const auto& f : a.findings) {
      std::string comps;
      for (size_t i = 0; i < f.components.size() && i < 12; ++i)
        comps += (i ? ", " : "") + markup_escape(cid(f.components[i]));
      if (f.components.size() > 12) comps += fmt::format(" … (+{})", f.components.size() - 12);
      std::string cite = markup_escape(f.citation.instrument);
      if (!f.citation.section.empty()) cite += (cite.empty() ? "" : ", ") + markup_escape(f.citation.section);
      if (web_url(f.citation.url))
        cite = fmt::format("<a href=\"{}\">{}</a>", markup_escape(f.citation.url),
                           cite.empty() ? markup_escape(f.citation.url) : cite);
      o += fmt::format(
          "<tr><td><span class=\"sev\" style=\"background:{}\">{}</span>{}{}</td><td><code>{}</code></td>"
          "<td><code>{}</code> ({})</td><td>{}{}</td><td>{}</td><td>{}</td></tr>\n",
          severity_colour(f.severity), markup_escape(severity_name(f.severity)),
          f.binding ? "" : "<br><small>advisory</small>", f.violation ? "" : "<br><small>warning</small>",
          markup_escape(f.id), markup_escape(f.rule), markup_escape(f.kind),
          f.title.empty() ? "" : "<b>" + markup_escape(f.title) + "</b><br>", markup_escape(f.message), comps, cite);
    }
    o += "</tbody>\n</table>\n";
  }

  o += coverage_html(a);

  auto shares = region_shares(a.metrics);
  o += "<h2>High-risk share by region</h2>\n";
  if (shares.empty())
    o += "<p>The assessment holds no per-region share figures.</p>\n";
  else
    o += share_chart(shares);

  bool any_path = false;
  for (const auto& f : a.findings) {
    if (!f.evidence.is_object() || !f.evidence.contains("path") || !f.evidence["path"].is_array()) continue;
    std::vector<std::string> path;
    for (const auto& p : f.evidence["path"]) path.push_back(p.is_string() ? p.get<std::string>() : p.dump());
    if (path.empty()) continue;
    if (!any_path) o += "<h2>Attack paths</h2>\n";
    any_path = true;
    o += fmt::format("<h3><code>{}</code> — {} hop{}</h3>\n", markup_escape(f.id), path.size() - 1,
                     path.size() == 2 ? "" : "s");
    o += path_svg(path);
  }
  if (!a.metrics.empty()) o += "<h2>Metrics</h2>\n<pre>" + markup_escape(a.metrics.dump(2)) + "</pre>\n";
  o += "</body>\n</html>\n";
  return o;
}

}  // namespace netvet
