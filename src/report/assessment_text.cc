// The assessment for people: the decision first (what the reader came for)
// with the summary paragraph, then one line per finding (and the way in for
// an attack path), the vendor-risk basis once, what was withheld and the
// digest. --verbose adds every finding's full message, components, evidence
// and citation, and the metrics. Same data as the JSON; colour only when the
// caller says the output is a terminal (cmd_assess: isatty(stdout) and
// NO_COLOR unset).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "explain.h"
#include "netvet/report.h"

namespace netvet {
namespace {

using ordered_json = nlohmann::ordered_json;

// Lines are wrapped here: wide enough for ids and paths, narrow enough for a
// terminal split in two.
constexpr size_t kWidth = 100;
// Components listed per finding before "and N more": enough to act on, short
// enough that a 10^5-component finding stays one line.
constexpr size_t kMaxListed = 8;
constexpr int kLabel = 12;  // width of the label column inside a finding

class Style {
 public:
  explicit Style(bool color) : color_(color) {}
  std::string operator()(std::string_view s, const char* code) const {
    if (!color_ || s.empty()) return std::string(s);
    return fmt::format("\x1b[{}m{}\x1b[0m", code, s);
  }

 private:
  bool color_;
};

constexpr const char* kBold = "1";
constexpr const char* kDim = "2";
constexpr const char* kRed = "1;31";
constexpr const char* kYellow = "1;33";
constexpr const char* kGreen = "1;32";
constexpr const char* kCyan = "36";

const char* severity_color(Severity s) {
  switch (s) {
    case Severity::kCritical:
    case Severity::kHigh:
      return kRed;
    case Severity::kMedium:
      return kYellow;
    default:
      return kCyan;
  }
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& ch : out) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

// Greedy word wrap of `text`, each line prefixed by `indent` spaces (the first
// line's indent is the caller's).
std::string wrap(std::string_view text, size_t indent, size_t first_used) {
  std::string out;
  size_t used = first_used;
  bool line_start = true;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = text.find(' ', i);
    if (j == std::string_view::npos) j = text.size();
    std::string_view word = text.substr(i, j - i);
    i = j + 1;
    if (word.empty()) continue;
    if (!line_start && used + 1 + word.size() > kWidth) {
      out += '\n';
      out.append(indent, ' ');
      used = indent;
      line_start = true;
    }
    if (!line_start) {
      out += ' ';
      ++used;
    }
    out.append(word);
    used += word.size();
    line_start = false;
  }
  return out;
}

std::string join_limited(const std::vector<std::string>& items, std::string_view sep, size_t max) {
  std::string out;
  size_t n = std::min(items.size(), max);
  for (size_t i = 0; i < n; ++i) {
    if (i) out.append(sep);
    out.append(items[i]);
  }
  if (items.size() > n) out += fmt::format(" and {} more", items.size() - n);
  return out;
}

std::string scalar(const ordered_json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float()) {
    double d = v.get<double>();
    // Four significant digits: enough to compare figures, short enough to align.
    return fmt::format("{:.4g}", d);
  }
  return v.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

std::string value_text(std::string_view key, const ordered_json& v) {
  if (v.is_array()) {
    std::vector<std::string> items;
    for (const auto& e : v) items.push_back(scalar(e));
    // A path reads as a chain; any other list as a list.
    return join_limited(items, key == "path" ? " -> " : ", ", key == "path" ? items.size() : kMaxListed);
  }
  return scalar(v);
}

void labelled(std::string& out, std::string_view label, std::string_view text, const Style& st) {
  // A label longer than the column still gets two spaces before its value.
  size_t width = std::max<size_t>(kLabel, label.size() + 2);
  size_t indent = 2 + 10 + kLabel;
  out += fmt::format("  {:<10}{}", "", st(fmt::format("{:<{}}", label, width), kDim));
  out += wrap(text, indent, 2 + 10 + width);
  out += '\n';
}

std::string component_name(const Assessment& a, ComponentIdx c) {
  if (!a.network || c >= a.network->components.size()) return "#" + std::to_string(c);
  return std::string(a.network->component_id(c));
}

void write_finding(std::string& out, const Assessment& a, const Finding& f, const Style& st) {
  std::string sev = upper(severity_name(f.severity));
  out += fmt::format("  {}{}", st(fmt::format("{:<10}", sev), severity_color(f.severity)), st(f.id, kBold));
  if (f.classification != Classification::kUnclassified)
    out += fmt::format("  [{}]", classification_name(f.classification));
  if (f.unconfirmed) out += "  [unconfirmed]";
  out += '\n';
  size_t indent = 12;
  if (!f.title.empty()) out += fmt::format("  {:<10}{}\n", "", wrap(f.title, indent, indent));
  if (!f.message.empty()) out += fmt::format("  {:<10}{}\n", "", wrap(f.message, indent, indent));
  if (!f.components.empty()) {
    std::vector<std::string> names;
    names.reserve(f.components.size());
    for (ComponentIdx c : f.components) names.push_back(component_name(a, c));
    labelled(out, "components", join_limited(names, ", ", kMaxListed), st);
  }
  if (f.evidence.is_object()) {
    for (const auto& [k, v] : f.evidence.items()) {
      if (k == "paths") {  // one line per way in, hop by hop
        for (const auto& p : report::paths(f)) labelled(out, "path to " + p.target, report::hop_chain(p.hops), st);
        continue;
      }
      if (k == "path" && f.evidence.contains("paths")) continue;  // the headline, shown with its hops above
      labelled(out, k, value_text(k, v), st);
    }
  }
  std::string cite = f.citation.instrument;
  if (!f.citation.section.empty()) cite += (cite.empty() ? "" : ", ") + f.citation.section;
  if (!f.citation.url.empty()) cite += (cite.empty() ? "" : " ") + f.citation.url;
  if (!cite.empty()) labelled(out, "cites", cite, st);
  labelled(out, "rule", f.rule, st);
}

// One line per finding: severity, what is wrong (the message's first
// sentence), the finding id; then the headline way in when there is one.
void write_finding_line(std::string& out, const Finding& f, const Style& st) {
  std::string sev = upper(severity_name(f.severity));
  std::string text = report::first_sentence(f.message.empty() ? f.title : f.message);
  // A look-alike vendor spelling: the likely vendor is what the reader needs to fix it.
  if (f.evidence.is_object() && f.evidence.contains("did_you_mean"))
    if (size_t at = f.message.find("Did you mean"); at != std::string::npos)
      text += " " + report::first_sentence(f.message.substr(at));
  if (f.classification != Classification::kUnclassified)
    text += fmt::format(" [{}]", classification_name(f.classification));
  if (f.unconfirmed) text += " [unconfirmed]";
  out += fmt::format("  {}{}\n", st(fmt::format("{:<10}", sev), severity_color(f.severity)), wrap(text, 12, 12));
  auto ps = report::paths(f);
  if (!ps.empty()) out += fmt::format("  {:<10}{}\n", "", wrap("path: " + report::hop_chain(ps.front().hops), 18, 12));
  out += fmt::format("  {:<10}{}\n", "", st(f.id, kDim));
}

// Flattens nested metrics into "a.b  value" rows, in the JSON's key order.
void flatten(const ordered_json& v, const std::string& prefix, std::vector<std::pair<std::string, std::string>>& rows) {
  if (v.is_object()) {
    for (const auto& [k, sub] : v.items()) flatten(sub, prefix.empty() ? k : prefix + "." + k, rows);
    return;
  }
  rows.emplace_back(prefix, value_text(prefix, v));
}

// Shows control characters that reached the report (a hand-built network,
// an overlay's text) as visible escapes, so a report never rewrites the
// terminal that prints it: C0 but newlines and this writer's own colour codes,
// DEL, C1 and bidirectional overrides.
std::string printable(std::string s, bool color) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\n' || (color && c == 0x1b && i + 1 < s.size() && s[i + 1] == '[')) {
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else if (c == 0xc2 && i + 1 < s.size() && (static_cast<unsigned char>(s[i + 1]) & 0xe0) == 0x80) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned char>(s[i + 1]));
      ++i;
    } else if (c == 0xe2 && i + 2 < s.size() &&
               ((s[i + 1] == '\x80' && static_cast<unsigned char>(s[i + 2]) >= 0xaa &&
                 static_cast<unsigned char>(s[i + 2]) <= 0xae) ||
                (s[i + 1] == '\x81' && static_cast<unsigned char>(s[i + 2]) >= 0xa6 &&
                 static_cast<unsigned char>(s[i + 2]) <= 0xa9))) {
      out += fmt::format("\\u{:04x}", 0x2000u + ((static_cast<unsigned char>(s[i + 1]) - 0x80u) << 6) +
                                           (static_cast<unsigned char>(s[i + 2]) - 0x80u));
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// What the assessment could not judge and what to supply (docs/assessment.md,
// "Coverage"); nothing when every rule could judge every component.
void write_coverage(std::string& out, const Assessment& a, const Style& st) {
  const Coverage& cov = a.coverage;
  const size_t unjudged = cov.unjudged.size();
  const size_t lacking =
      cov.no_vendor + cov.unknown_vendor + cov.fallback_function + cov.no_generation + cov.no_domain;
  if (cov.rules.empty() && lacking == 0) return;
  auto counts = [](size_t no_vendor, size_t unknown_vendor, size_t fallback, size_t no_generation, size_t no_domain) {
    std::vector<std::string> parts;
    if (no_vendor) parts.push_back(fmt::format("no vendor {}", no_vendor));
    if (unknown_vendor) parts.push_back(fmt::format("vendor not in the KB {}", unknown_vendor));
    if (fallback) parts.push_back(fmt::format("placeholder function {}", fallback));
    if (no_generation) parts.push_back(fmt::format("no generation {}", no_generation));
    if (no_domain) parts.push_back(fmt::format("telecom domain not stated {}", no_domain));
    return join_limited(parts, ", ", parts.size());
  };
  out += fmt::format("\n{}\n", st("Coverage", kBold));
  out += fmt::format("  {}\n", wrap(fmt::format("{} of {} components could not be judged by a rule that decides "
                                                 "(allowed: {}, --max-unjudged).",
                                                 unjudged, cov.components, cov.max_unjudged),
                                     2, 2));
  if (lacking)
    out += fmt::format("  {}\n", wrap("Lacking: " + counts(cov.no_vendor, cov.unknown_vendor, cov.fallback_function,
                                                          cov.no_generation, cov.no_domain) + ".",
                                      2, 2));
  for (const auto& r : cov.rules) {
    std::vector<std::string> names;
    for (ComponentIdx c : r.components) names.push_back(component_name(a, c));
    out += fmt::format("  {}{}\n", st(r.rule, kBold), r.decides ? "" : "  (does not decide on this date)");
    labelled(out, "not judged",
             fmt::format("{} ({}): {}", r.components.size(),
                         counts(r.no_vendor, r.unknown_vendor, r.fallback_function, r.no_generation, r.no_domain),
                         join_limited(names, ", ", kMaxListed)),
             st);
  }
  if (!cov.unjudged.empty()) {
    constexpr size_t kMaxSupply = 20;
    out += fmt::format("  {}\n", st("To decide, supply:", kBold));
    for (size_t i = 0; i < cov.unjudged.size() && i < kMaxSupply; ++i) {
      const auto& [c, bits] = cov.unjudged[i];
      std::string what = what_to_supply(bits);
      if ((bits & kUnknownVendor) && a.network && c < a.network->components.size())
        what += fmt::format(" (\"{}\" is not in the knowledge base)", a.network->str(a.network->components.vendor[c]));
      out += fmt::format("    {}: {}\n", component_name(a, c), what);
    }
    if (cov.unjudged.size() > kMaxSupply)
      out += fmt::format("    and {} more (--format json lists every one)\n", cov.unjudged.size() - kMaxSupply);
  }
}

}  // namespace

std::string write_assessment_text(const Assessment& a, bool color, bool verbose) {
  Style st(color);
  std::string out;

  // 1. The decision, first: it is what an operator or analyst reads the report for.
  const auto& d = a.determination;
  const char* outcome_color = d.outcome == "significant-risk"                                      ? kRed
                              : d.outcome == "risk-mitigable" || d.outcome == "insufficient-information" ? kYellow
                                                                                                        : kGreen;
  std::string outcome = upper(d.outcome);
  std::replace(outcome.begin(), outcome.end(), '-', ' ');
  if (a.marking != Classification::kUnclassified)
    out += fmt::format("Classification: {}\n", classification_name(a.marking));
  out += fmt::format("{}   score {}/100\n", st(outcome, outcome_color), d.score);
  out += fmt::format("  {} on {} for {}, KB {}, clearance {}\n", a.jurisdiction, a.date.to_string(),
                     a.proposal_file.empty() ? a.network_file : a.network_file + " + " + a.proposal_file, a.kb_version,
                     classification_name(a.clearance));
  out += fmt::format("\n  {}\n", wrap(report::summarize(a).paragraph, 2, 2));
  if (verbose && !d.reasons.empty())
    out += fmt::format("  {}\n", wrap("reasons: " + join_limited(d.reasons, ", ", 1000), 4, 2));

  // 2. Findings grouped by what they oblige: binding violations decide, binding
  // obligations and warnings must be acted on, advisory ones inform.
  for (const auto& g : report::group_findings(a)) {
    out += fmt::format("\n{} ({})\n", st(g.title, kBold), g.items.size());
    for (const Finding* f : g.items) {
      if (verbose) {
        write_finding(out, a, *f, st);
      } else {
        write_finding_line(out, *f, st);
      }
    }
  }
  if (a.findings.empty()) out += "\n" + report::no_findings_text(a) + "\n";
  write_coverage(out, a, st);

  // 3. Why the vendors count as high-risk: once, not per finding.
  if (!a.basis.empty()) {
    out += fmt::format("\n{}\n", st("Basis for vendor risk", kBold));
    for (const auto& b : a.basis)
      out += fmt::format("  {}\n", wrap(b.vendor + ": " + report::basis_text(a, b), 4, 2));
  }

  // 4. What the reader may not see: how many and at which level, never what.
  if (!a.withheld.empty() && !a.findings.empty()) {
    int total = 0;
    std::vector<std::string> levels;
    for (const auto& w : a.withheld) {
      total += w.count;
      levels.push_back(fmt::format("{} {}", classification_name(w.classification), w.count));
    }
    out += fmt::format("\n{}\n", st("Withheld", kBold));
    out +=
        fmt::format("  {}\n", wrap(fmt::format("{} finding{} above {} ({}). The decision above takes {} into account.",
                                               total, total == 1 ? "" : "s", classification_name(a.clearance),
                                               join_limited(levels, ", ", 10), total == 1 ? "it" : "them"),
                                   2, 2));
  }

  // 5. Figures, aligned (verbose only: the summary says what they mean).
  std::vector<std::pair<std::string, std::string>> rows;
  if (verbose && a.metrics.is_object()) flatten(a.metrics, "", rows);
  if (!rows.empty()) {
    size_t w = 0;
    for (const auto& [k, _] : rows) w = std::max(w, k.size());
    out += fmt::format("\n{}\n", st("Metrics", kBold));
    for (const auto& [k, v] : rows) out += fmt::format("  {:<{}}  {}\n", k, w, v);
  }

  // 6. Provenance.
  out += fmt::format("\n{}  {}\n", st("Digest", kBold), a.digest);
  out += fmt::format("netvet {}{}\n", a.engine, verbose ? "" : " (--verbose: evidence, citations and metrics)");
  return printable(std::move(out), color);
}

}  // namespace netvet
