// Text renderings of the KB for `netvet kb list` and `netvet kb show`: what an
// analyst reads to check which instrument a rule encodes and from when.
// Plain text, no colour, stable order, so golden cases can pin the bytes.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <sstream>
#include <tuple>

#include "netvet/kb.h"

namespace netvet {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Pack files shown relative to the KB root ("jurisdictions/uk.yaml"), so the
// text does not depend on where the KB is installed (golden cases pin it).
std::string display_path(const std::string& file) {
  auto pos = file.rfind("/jurisdictions/");
  return pos == std::string::npos ? file : file.substr(pos + 1);
}

std::string binding_word(const RuleSpec& r) {
  std::string w = r.binding ? "binding" : "advisory";
  if (r.unconfirmed) w += ", UNCONFIRMED";
  return w;
}

std::string citation_line(const Citation& c) {
  std::string out = c.instrument;
  if (!c.section.empty()) out += ", " + c.section;
  if (!c.url.empty()) out += " <" + c.url + ">";
  return out;  // Citation::fact is the maintainers' trace to the fact sheet: never shown to users
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

std::string selector_text(const Selector& s) {
  std::vector<std::string> parts;
  for (const auto& c : s.all) {
    parts.push_back(c.field + ": " + (c.values.size() == 1 ? c.values[0] : "[" + join(c.values, ", ") + "]"));
  }
  if (!s.any.empty()) {
    std::vector<std::string> alts;
    for (const auto& a : s.any) alts.push_back(selector_text(a));
    parts.push_back("any: [" + join(alts, ", ") + "]");
  }
  for (const auto& n : s.not_) parts.push_back("not: " + selector_text(n));
  return "{" + join(parts, ", ") + "}";
}

std::string param_text(const ParamValue& v) {
  if (const auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* l = std::get_if<std::vector<std::string>>(&v)) return "[" + join(*l, ", ") + "]";
  return selector_text(std::get<Selector>(v));
}

std::string dates_text(const RuleSpec& r) {
  std::string from = r.effective_from ? r.effective_from->to_string() : "always";
  std::string until = r.effective_until ? r.effective_until->to_string() : "open-ended";
  return from + " .. " + until;
}

// Wraps long prose (notes) at 100 columns under an indent, for the terminal.
void wrapped(std::ostringstream& o, std::string_view label, std::string_view text, size_t indent) {
  std::string pad(indent, ' ');
  std::istringstream words{std::string(text)};
  std::string w, line = std::string(label);
  bool first = true;
  while (words >> w) {
    if (!first && line.size() + 1 + w.size() > 100) {
      o << line << "\n";
      line = pad + w;
    } else {
      line += (first ? "" : " ") + w;
    }
    first = false;
  }
  o << line << "\n";
}

void rule_details(std::ostringstream& o, const RuleSpec& r, std::optional<Date> as_of) {
  o << "rule " << r.id << "\n";
  o << "  title:          " << r.title << "\n";
  o << "  kind:           " << r.kind << "\n";
  o << "  where:          " << selector_text(r.where) << "\n";
  for (const auto& [k, v] : r.params) o << "  param " << fmt::format("{:<9}", k + ":") << " " << param_text(v) << "\n";
  o << "  effective:      " << dates_text(r) << "\n";
  if (as_of) o << "  on " << as_of->to_string() << ":  " << (r.in_force(*as_of) ? "in force" : "not in force") << "\n";
  o << "  severity:       " << severity_name(r.severity) << "\n";
  o << "  binding:        " << binding_word(r) << "\n";
  o << "  classification: " << classification_name(r.classification) << "\n";
  o << "  citation:       " << r.citation.instrument << "\n";
  if (!r.citation.section.empty()) o << "  section:        " << r.citation.section << "\n";
  if (!r.citation.url.empty()) o << "  url:            " << r.citation.url << "\n";
  if (!r.note.empty()) wrapped(o, "  note:           ", r.note, 18);
  SourceLoc at = r.loc;
  at.file = display_path(at.file);
  o << "  defined at:     " << at.to_string() << "\n";
}

const Jurisdiction* pack_of(const KnowledgeBase& kb, const RuleSpec* rule) {
  for (const auto& [code, j] : kb.jurisdictions) {
    for (const auto* r : kb.rules_for(j)) {
      if (r == rule) return &j;
    }
  }
  return nullptr;
}

std::string jurisdiction_text(const KnowledgeBase& kb, const Jurisdiction& j, std::optional<Date> as_of) {
  std::ostringstream o;
  o << j.code << " — " << j.name << "\n";
  if (!j.authority.empty()) o << "authority: " << j.authority << "\n";
  o << "pack: " << display_path(j.file) << " (KB " << kb.version << ")\n";
  if (!j.note.empty()) wrapped(o, "note: ", j.note, 6);

  if (!j.risk_criteria.empty()) {
    o << "\nvendor risk is high when:\n";
    for (const auto& c : j.risk_criteria) {
      std::string cond;
      if (!c.designated_by.empty()) cond = "designated by " + join(c.designated_by, ", ");
      if (!c.headquarters_in.empty()) {
        if (!cond.empty()) cond += " or ";
        cond += "vendor or owner headquartered in " + join(c.headquarters_in, ", ");
      }
      if (c.since) cond += " (from " + c.since->to_string() + ")";
      o << "  - " << cond << "\n";
      wrapped(o, "    reason: ", c.reason, 12);
      o << "    source: " << citation_line(c.citation) << "\n";
    }
  }

  // Agency-held assessments are shown with their overlay's classification, so a
  // reader of this text knows it is classified material.
  bool header = false;
  for (const auto& ov : kb.overlays) {
    if (lower(ov.jurisdiction) != lower(j.code)) continue;
    for (const auto& a : ov.vendor_assessments) {
      if (!header) o << "\noverlay vendor assessments:\n";
      header = true;
      o << "  - " << a.vendor << ": " << vendor_risk_name(a.risk);
      if (a.since) o << " from " << a.since->to_string();
      o << " [" << classification_name(ov.classification) << ", " << ov.file << "]\n";
      wrapped(o, "    reason: ", a.reason, 12);
    }
  }

  // The timeline: every dated event of the pack, oldest first. An instrument
  // appears on its date; a rule on the day it takes effect, its end, and (for
  // deadlines) the day equipment must be gone.
  struct Event {
    std::optional<Date> date;
    int order;  // instruments before rules on the same day
    std::string text;
  };
  std::vector<Event> events;
  for (const auto& in : j.instruments) {
    std::string t = "instrument  " + in.title + " (" + in.status + ")";
    if (!in.url.empty()) t += "\n              " + in.url;
    events.push_back({in.date, 0, t});
  }
  auto rules = kb.rules_for(j);
  for (const auto* r : rules) {
    std::string head =
        r->id + "  " + r->kind + ", " + binding_word(*r) + ", " + std::string(severity_name(r->severity));
    if (r->classification != Classification::kUnclassified)
      head += ", " + std::string(classification_name(r->classification));
    std::string body = "\n              " + r->title + "\n              cites: " + citation_line(r->citation);
    std::string status;
    if (as_of) status = (r->in_force(*as_of) ? "  [in force on " : "  [not in force on ") + as_of->to_string() + "]";
    events.push_back({r->effective_from, 1, "rule        " + head + status + body});
    if (r->kind == "deadline") {
      auto it = r->params.find("by");
      if (it != r->params.end()) {
        if (const auto* by = std::get_if<std::string>(&it->second)) {
          if (auto d = Date::parse(*by))
            events.push_back({d, 2, "deadline    " + r->id + ": matching equipment gone by this day"});
        }
      }
    }
    if (r->effective_until) events.push_back({r->effective_until, 3, "ends        " + r->id + " (last day in force)"});
  }
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    // Undated events (no effective_from: in force since always) lead.
    if (a.date.has_value() != b.date.has_value()) return !a.date.has_value();
    if (a.date && *a.date != *b.date) return *a.date < *b.date;
    return a.order < b.order;
  });
  o << "\ntimeline:\n";
  bool marked = false;
  for (const auto& e : events) {
    if (as_of && !marked && e.date && *as_of < *e.date) {
      o << "  ---------- " << as_of->to_string() << " (as of) ----------\n";
      marked = true;
    }
    o << "  " << (e.date ? e.date->to_string() : std::string("(undated)")) << "  " << e.text << "\n";
  }
  if (as_of && !marked) o << "  ---------- " << as_of->to_string() << " (as of) ----------\n";
  size_t in_force = 0;
  for (const auto* r : rules) in_force += as_of && r->in_force(*as_of);
  o << "\n" << rules.size() << " rules";
  if (as_of) o << ", " << in_force << " in force on " << as_of->to_string();
  o << "\n";
  return o.str();
}

std::string vendor_text(const KnowledgeBase& kb, uint32_t idx, std::optional<Date> as_of) {
  const Vendor& v = kb.vendors[idx];
  std::ostringstream o;
  o << "vendor " << v.id << " — " << v.name << "\n";
  o << "  headquarters: " << v.country << "\n";
  auto chain = kb.ownership_chain(idx);
  if (chain.size() > 1) {
    std::string owners;
    for (size_t i = 1; i < chain.size(); ++i) {
      owners += (i > 1 ? " -> " : "") + kb.vendors[chain[i]].id + " (" + kb.vendors[chain[i]].country + ")";
    }
    o << "  owned by:     " << owners << "\n";
  }
  std::vector<std::string> subs;
  for (const auto& s : kb.vendors) {
    if (s.parent == v.id) subs.push_back(s.id);
  }
  if (!subs.empty()) o << "  subsidiaries: " << join(subs, ", ") << "\n";
  if (!v.aliases.empty()) wrapped(o, "  aliases:      ", join(v.aliases, "; "), 16);
  if (!v.note.empty()) wrapped(o, "  note:         ", v.note, 16);

  // Own designations, then inherited ones, each with its source.
  struct Row {
    const Vendor* from;
    const Designation* d;
  };
  std::vector<Row> rows;
  for (uint32_t c : chain) {
    for (const auto& d : kb.vendors[c].designations) rows.push_back({&kb.vendors[c], &d});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.d->since < b.d->since; });
  o << "\ndesignations" << (chain.size() > 1 ? " (own and inherited from owners)" : "") << ":\n";
  if (rows.empty()) o << "  none\n";
  for (const auto& row : rows) {
    const Designation& d = *row.d;
    o << "  " << d.since.to_string() << "  " << d.by << "  " << d.list;
    if (d.until) o << " (until " << d.until->to_string() << ")";
    if (row.from != &v) o << " (via " << row.from->id << ")";
    if (d.unconfirmed) o << " [UNCONFIRMED]";
    if (as_of) o << ((d.since <= *as_of && (!d.until || *as_of <= *d.until)) ? "  [in force]" : "  [not in force]");
    o << "\n";
    if (!d.scope.empty()) o << "              scope: " << d.scope << "\n";
    if (!d.limited_to.empty()) o << "              limited to: " << join(d.limited_to, ", ") << "\n";
    o << "              cites: " << citation_line(d.citation) << "\n";
  }
  if (as_of) {
    o << "\nrisk on " << as_of->to_string() << " (all equipment uses):\n";
    for (const auto& [code, j] : kb.jurisdictions) {
      RiskBasis b = kb.vendor_risk(idx, j, *as_of);
      o << "  " << fmt::format("{:<3}", code) << " " << vendor_risk_name(b.risk);
      if (!b.reason.empty()) o << std::string(8 - vendor_risk_name(b.risk).size(), ' ') << b.reason;
      // A reason from an agency's overlay carries the overlay's marking.
      for (const auto& ov : kb.overlays)
        if (b.citation.instrument == "overlay " + ov.file) {
          o << " [" << classification_name(ov.classification) << "]";
          break;
        }
      o << "\n";
    }
  }
  return o.str();
}

}  // namespace

std::string kb_list_text(const KnowledgeBase& kb) {
  std::ostringstream o;
  o << "netvet knowledge base " << kb.version << "\n\n";
  o << "jurisdictions:\n";
  o << fmt::format("  {:<5}{:<22}{:>6}{:>10}  {}\n", "code", "name", "rules", "binding", "authority");
  for (const auto& [code, j] : kb.jurisdictions) {
    auto rules = kb.rules_for(j);
    size_t binding = std::count_if(rules.begin(), rules.end(), [](const RuleSpec* r) { return r->binding; });
    o << fmt::format("  {:<5}{:<22}{:>6}{:>10}  {}\n", code, j.name, rules.size(), binding, j.authority);
  }
  o << "\nvendors:\n";
  o << fmt::format("  {:<24}{:<4}{:<20}{}\n", "id", "hq", "owner", "designated by (own; subsidiaries inherit)");
  for (const auto& v : kb.vendors) {
    std::vector<const Designation*> ds;
    for (const auto& d : v.designations) ds.push_back(&d);
    std::stable_sort(ds.begin(), ds.end(),
                     [](const Designation* a, const Designation* b) { return a->since < b->since; });
    std::vector<std::string> by;
    for (const auto* d : ds) {
      std::string s = d->by + " " + d->since.to_string();
      if (std::find(by.begin(), by.end(), s) == by.end()) by.push_back(s);
    }
    o << fmt::format("  {:<24}{:<4}{:<20}{}\n", v.id, v.country, v.parent.empty() ? "-" : v.parent,
                     by.empty() ? "-" : join(by, ", "));
  }
  if (!kb.overlays.empty()) {
    o << "\noverlays:\n";
    for (const auto& ov : kb.overlays) {
      o << "  " << ov.file << " (" << classification_name(ov.classification) << ", " << ov.jurisdiction
        << "): " << ov.rules.size() << " rules, " << ov.vendor_assessments.size() << " vendor assessments\n";
    }
  }
  o << "\n" << kb.jurisdictions.size() << " jurisdictions, " << kb.vendors.size() << " vendors\n";
  return o.str();
}

std::optional<std::string> kb_show_text(const KnowledgeBase& kb, std::string_view what) {
  return kb_show_text(kb, what, std::nullopt);
}

std::optional<std::string> kb_show_text(const KnowledgeBase& kb, std::string_view what, std::optional<Date> as_of) {
  if (what.empty()) return std::nullopt;
  // Jurisdiction codes first (two letters cannot be rule ids), then rule ids,
  // then vendors by any spelling.
  if (const Jurisdiction* j = kb.jurisdiction(what)) return jurisdiction_text(kb, *j, as_of);
  const std::string key = lower(what);
  for (const auto& [code, j] : kb.jurisdictions) {
    for (const auto* r : kb.rules_for(j)) {
      if (lower(r->id) != key) continue;
      std::ostringstream o;
      rule_details(o, *r, as_of);
      if (const Jurisdiction* pj = pack_of(kb, r)) o << "  jurisdiction:   " << pj->code << " — " << pj->name << "\n";
      return o.str();
    }
  }
  if (auto v = kb.resolve_vendor(what)) return vendor_text(kb, *v, as_of);
  return std::nullopt;
}

}  // namespace netvet
