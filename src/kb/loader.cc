// load_kb: reads kb/VERSION, kb/vendors.yaml, kb/jurisdictions/*.yaml and the
// overlays into a KnowledgeBase, reporting every problem with file:line:col.
//
// The loader checks what only the KB as a whole can know (ids, aliases,
// ownership, vendor references, citations, dates, selector structure); rule
// kinds, their params and the values of closed selector vocabularies are
// checked by policy/ (each kind owns its params) through the RuleValidator, at
// the locations the loader records, so kb/ never links policy/.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "netvet/kb.h"

namespace netvet {
namespace {

namespace fs = std::filesystem;

// A KB file is hand-written policy text: a few hundred KB at most. The limits
// stop a hostile overlay from exhausting memory or yaml-cpp's recursion.
constexpr size_t kMaxFileBytes = 4 << 20;
constexpr int kMaxFlowDepth = 32;      // [ and { nesting
constexpr size_t kMaxIndent = 256;     // block nesting shows as indentation
constexpr int kMaxSelectorDepth = 16;  // not:/any: nesting

const std::vector<std::string_view> kInstrumentStatuses = {"law", "licence-condition", "policy", "recommendation",
                                                           "decision"};
const std::vector<std::string_view> kRiskNames = {"trusted", "unknown", "high"};  // overlay vendor assessments

std::string qt(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string suggest(std::string_view word, const std::vector<std::string_view>& candidates) {
  auto m = did_you_mean(word, candidates);
  return m ? " (did you mean " + qt(*m) + "?)" : "";
}

bool valid_country(std::string_view s) {
  return s.size() == 2 && std::isupper(static_cast<unsigned char>(s[0])) &&
         std::isupper(static_cast<unsigned char>(s[1]));
}

std::optional<VendorRisk> parse_risk(std::string_view s) {
  if (s == "trusted") return VendorRisk::kTrusted;
  if (s == "unknown") return VendorRisk::kUnknown;
  if (s == "high") return VendorRisk::kHighRisk;
  return std::nullopt;
}

// One YAML file being read: its name, its diagnostics, and typed accessors
// that report a wrong shape at the node that has it.
class FileReader {
 public:
  // With `text`, the file's content is given (a KB or overlay read from text)
  // and `file` only names it in messages.
  FileReader(std::string file, Diagnostics& diags, const std::string* text = nullptr)
      : file_(std::move(file)), diags_(diags), text_(text) {}

  const std::string& file() const { return file_; }
  Diagnostics& diags() { return diags_; }

  SourceLoc loc(const YAML::Node& n) const {
    // A missing key's node is invalid in yaml-cpp and throws on Mark().
    if (!n.IsDefined()) return {file_, 0, 0, ""};
    const YAML::Mark m = n.Mark();
    if (m.is_null()) return {file_, 0, 0, ""};
    return {file_, static_cast<uint32_t>(m.line + 1), static_cast<uint32_t>(m.column + 1), ""};
  }
  void error(const YAML::Node& n, std::string msg) { diags_.error(loc(n), std::move(msg)); }
  void warning(const YAML::Node& n, std::string msg) { diags_.warning(loc(n), std::move(msg)); }

  // Reads and parses the file; nullopt (with a diagnostic) when it cannot.
  std::optional<YAML::Node> parse() {
    if (text_) {
      if (text_->size() > kMaxFileBytes) {
        diags_.error(SourceLoc{file_, 0, 0, ""}, "file is larger than " + std::to_string(kMaxFileBytes >> 20) + " MiB");
        return std::nullopt;
      }
      return parse_text(*text_);
    }
    std::ifstream in(file_, std::ios::binary);
    if (!in) {
      diags_.error(SourceLoc{file_, 0, 0, ""}, "cannot read file");
      return std::nullopt;
    }
    std::string text;
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
      text.append(buf, static_cast<size_t>(in.gcount()));
      if (text.size() > kMaxFileBytes) {
        diags_.error(SourceLoc{file_, 0, 0, ""}, "file is larger than " + std::to_string(kMaxFileBytes >> 20) + " MiB");
        return std::nullopt;
      }
    }
    return parse_text(text);
  }

  std::optional<YAML::Node> parse_text(const std::string& text) {
    if (!check_nesting(text)) return std::nullopt;
    try {
      YAML::Node root = YAML::Load(text);
      return root;
    } catch (const YAML::Exception& e) {
      SourceLoc l{file_, 0, 0, ""};
      if (!e.mark.is_null())
        l = {file_, static_cast<uint32_t>(e.mark.line + 1), static_cast<uint32_t>(e.mark.column + 1), ""};
      diags_.error(l, "malformed YAML: " + e.msg);
      return std::nullopt;
    }
  }

  // Expects a map; reports unknown keys (with a suggestion) and duplicate keys.
  bool check_map(const YAML::Node& n, std::string_view what, const std::vector<std::string_view>& allowed) {
    if (!n.IsMap()) {
      error(n, "expected a map for " + std::string(what));
      return false;
    }
    std::set<std::string> seen;
    for (const auto& kv : n) {  // by value: yaml-cpp iterators yield temporaries
      if (!kv.first.IsScalar()) {
        error(kv.first, "expected a plain key in " + std::string(what));
        continue;
      }
      const std::string& key = kv.first.Scalar();
      if (!seen.insert(key).second) error(kv.first, "duplicate key " + qt(key) + " in " + std::string(what));
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        error(kv.first, "unknown key " + qt(key) + " in " + std::string(what) + suggest(key, allowed));
      }
    }
    return true;
  }

  static bool present(const YAML::Node& map, std::string_view key) {
    YAML::Node v = map[std::string(key)];
    return v.IsDefined() && !v.IsNull();
  }

  // A scalar string; "" when absent (reported if required).
  std::string str(const YAML::Node& map, std::string_view key, std::string_view what, bool required = false) {
    YAML::Node v = map[std::string(key)];
    if (!v.IsDefined() || v.IsNull()) {
      if (required) error(map, std::string(what) + " has no " + qt(key));
      return "";
    }
    if (!v.IsScalar()) {
      error(v, "expected a string for " + qt(key) + " in " + std::string(what));
      return "";
    }
    if (required && v.Scalar().empty()) error(v, qt(key) + " of " + std::string(what) + " is empty");
    return v.Scalar();
  }

  std::optional<Date> date(const YAML::Node& map, std::string_view key, std::string_view what, bool required = false) {
    YAML::Node v = map[std::string(key)];
    if (!v.IsDefined() || v.IsNull()) {
      if (required) error(map, std::string(what) + " has no " + qt(key) + " date");
      return std::nullopt;
    }
    if (!v.IsScalar()) {
      error(v, "expected a date (YYYY-MM-DD) for " + qt(key));
      return std::nullopt;
    }
    auto d = Date::parse(v.Scalar());
    if (!d) error(v, "bad date " + qt(v.Scalar()) + " for " + qt(key) + ": expected YYYY-MM-DD");
    return d;
  }

  std::optional<bool> boolean(const YAML::Node& map, std::string_view key) {
    YAML::Node v = map[std::string(key)];
    if (!v.IsDefined() || v.IsNull()) return std::nullopt;
    if (v.IsScalar() && (v.Scalar() == "true" || v.Scalar() == "false")) return v.Scalar() == "true";
    error(v, "expected true or false for " + qt(key));
    return std::nullopt;
  }

  // A list of strings (a single scalar is not accepted: lists stay lists).
  std::vector<std::string> str_list(const YAML::Node& map, std::string_view key) {
    std::vector<std::string> out;
    YAML::Node v = map[std::string(key)];
    if (!v.IsDefined() || v.IsNull()) return out;
    if (!v.IsSequence()) {
      error(v, "expected a list for " + qt(key));
      return out;
    }
    for (const auto& e : v) {
      if (!e.IsScalar()) {
        error(e, "expected a string in " + qt(key));
        continue;
      }
      out.push_back(e.Scalar());
    }
    return out;
  }

  // `netvet-kb: 1` (or the overlay's header) opens every file.
  void check_header(const YAML::Node& root, std::string_view key) {
    YAML::Node v = root[std::string(key)];
    if (!v.IsDefined()) {
      error(root, "missing " + qt(key) + " header (expected " + std::string(key) + ": 1)");
    } else if (!v.IsScalar() || v.Scalar() != "1") {
      error(v, "unsupported " + std::string(key) + " version (expected 1)");
    }
  }

 private:
  // yaml-cpp parses recursively: refuse deep nesting before handing it the text.
  bool check_nesting(const std::string& text) {
    int depth = 0;
    uint32_t line = 1, col = 0;
    size_t indent = 0;
    bool at_line_start = true, in_comment = false;
    char quote = 0;
    for (char c : text) {
      ++col;
      if (c == '\n') {
        ++line;
        col = 0;
        indent = 0;
        at_line_start = true;
        in_comment = false;
        if (quote == '\'') quote = 0;  // single-quoted scalars rarely span lines; do not let one swallow the file
        continue;
      }
      if (at_line_start) {
        if (c == ' ') {
          if (++indent > kMaxIndent) {
            diags_.error({file_, line, col, ""},
                         "nesting deeper than " + std::to_string(kMaxIndent) + " columns of indentation");
            return false;
          }
          continue;
        }
        at_line_start = false;
      }
      if (in_comment) continue;
      if (quote) {
        if (c == quote) quote = 0;
        continue;
      }
      if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '#') {
        in_comment = true;
      } else if (c == '[' || c == '{') {
        if (++depth > kMaxFlowDepth) {
          diags_.error({file_, line, col, ""}, "nesting deeper than " + std::to_string(kMaxFlowDepth) + " levels");
          return false;
        }
      } else if ((c == ']' || c == '}') && depth > 0) {
        --depth;
      }
    }
    return true;
  }

  std::string file_;
  Diagnostics& diags_;
  const std::string* text_ = nullptr;
};

}  // namespace

class KbLoader {
 public:
  KbLoader(Diagnostics& diags, RuleValidator validator) : diags_(diags), validator_(validator) {
    kb_ = std::make_unique<KnowledgeBase>();
  }

  std::unique_ptr<KnowledgeBase> load(const std::string& dir, const std::vector<std::string>& overlays) {
    load_version(dir);
    load_vendors((fs::path(dir) / "vendors.yaml").string());
    load_packs((fs::path(dir) / "jurisdictions").string());
    for (const auto& f : overlays) load_overlay(f);
    return finish();
  }

  // The same from text (a server holds its KB in memory, not in a directory).
  std::unique_ptr<KnowledgeBase> load_text(const std::string& version, const TextFile& vendors,
                                           const std::vector<TextFile>& packs) {
    set_version(version, "VERSION");
    load_vendors(vendors.name, &vendors.text);
    for (const auto& p : packs) load_pack(p.name, &p.text);
    return finish();
  }

  // A copy of `base` with overlays read from text; only the overlays' rules are validated.
  std::unique_ptr<KnowledgeBase> extend(const KnowledgeBase& base, const std::vector<TextFile>& overlays) {
    *kb_ = base;
    first_overlay_ = kb_->overlays.size();
    for (const RuleSpec* rule : all_rules(*kb_)) rule_ids_.emplace(rule->id, rule->loc);
    for (const auto& o : overlays) load_overlay(o.name, &o.text);
    return finish();
  }

 private:
  struct VendorRef {
    std::string id;
    SourceLoc loc;
    std::string what;
  };

  static std::vector<const RuleSpec*> all_rules(const KnowledgeBase& kb) {
    std::vector<const RuleSpec*> out;
    for (const auto& [code, j] : kb.jurisdictions)
      for (const auto& r : j.rules) out.push_back(&r);
    for (const auto& ov : kb.overlays)
      for (const auto& r : ov.rules) out.push_back(&r);
    return out;
  }

  std::unique_ptr<KnowledgeBase> finish() {
    check_references();
    validate_rules();
    if (diags_.has_errors()) return nullptr;
    return std::move(kb_);
  }

  void load_version(const std::string& dir) {
    std::string file = (fs::path(dir) / "VERSION").string();
    std::ifstream in(file);
    if (!in) {
      diags_.error(SourceLoc{file, 0, 0, ""}, "missing KB version file (one line, e.g. 2026.11.1)");
      return;
    }
    std::string line;
    std::getline(in, line);
    set_version(line, file);
  }

  void set_version(std::string line, const std::string& file) {
    if (auto nl = line.find('\n'); nl != std::string::npos) line.resize(nl);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    if (line.empty() || line.size() > 64) {
      diags_.error({file, 1, 1, ""}, "KB version must be one non-empty line");
      return;
    }
    kb_->version = line;
  }

  // ---- vendors ----

  void load_vendors(const std::string& file, const std::string* text = nullptr) {
    FileReader r(file, diags_, text);
    auto root = r.parse();
    if (!root) return;
    if (!r.check_map(*root, "the vendors file", {"netvet-kb", "vendors"})) return;
    r.check_header(*root, "netvet-kb");
    YAML::Node list = (*root)["vendors"];
    if (!list.IsDefined() || !list.IsSequence()) {
      r.error(list.IsDefined() ? list : *root, "expected a list under \"vendors\"");
      return;
    }
    std::map<std::string, SourceLoc> ids;
    for (const auto& n : list) {
      Vendor v;
      v.loc = r.loc(n);
      if (!r.check_map(n, "a vendor", {"id", "name", "country", "parent", "aliases", "designations", "note"})) continue;
      v.id = r.str(n, "id", "a vendor", true);
      const std::string what = "vendor " + qt(v.id);
      v.name = r.str(n, "name", what, true);
      v.country = r.str(n, "country", what, true);
      if (!v.country.empty() && !valid_country(v.country)) {
        r.error(n["country"], "country " + qt(v.country) + " of " + what + " is not an ISO 3166 alpha-2 code");
      }
      v.parent = r.str(n, "parent", what);
      if (!v.parent.empty()) parent_locs_.push_back({v.parent, r.loc(n["parent"]), what});
      v.aliases = r.str_list(n, "aliases");
      v.note = r.str(n, "note", what);
      if (!v.id.empty()) {
        if (v.id != normalize_id(v.id)) {
          r.error(n["id"], "vendor id " + qt(v.id) + " must be lowercase letters, digits and '-'");
        }
        auto [it, fresh] = ids.emplace(v.id, v.loc);
        if (!fresh) {
          r.error(n["id"], "duplicate vendor id " + qt(v.id) + " (first defined at " + it->second.to_string() + ")");
          continue;
        }
      }
      YAML::Node ds = n["designations"];
      if (ds.IsDefined() && !ds.IsNull()) {
        if (!ds.IsSequence()) {
          r.error(ds, "expected a list under \"designations\"");
        } else {
          for (const auto& d : ds) {
            if (auto des = parse_designation(r, d, what)) v.designations.push_back(std::move(*des));
          }
        }
      }
      uint32_t idx = static_cast<uint32_t>(kb_->vendors.size());
      // The id and the name are spellings too: "huawei" in a network file must resolve.
      add_alias(r, n["id"], v.id, idx, v.id);
      add_alias(r, n["name"], v.name, idx, v.id);
      YAML::Node al = n["aliases"];
      if (al.IsDefined() && al.IsSequence()) {
        for (const auto& a : al) {
          if (!a.IsScalar()) continue;
          if (too_generic_alias(r, a, a.Scalar(), v)) continue;
          add_alias(r, a, a.Scalar(), idx, v.id);
        }
      }
      kb_->vendors.push_back(std::move(v));
    }
    // add_alias above reports conflicts with locations; the index itself is the KB's own.
    kb_->rebuild_index();
  }

  static std::string normalize_id(std::string_view id) {
    std::string out;
    for (unsigned char c : id) {
      if (std::islower(c) || std::isdigit(c) || c == '-') out += static_cast<char>(c);
    }
    return out;
  }

  // An alias that is only a legal-form word ("LTD.", "Co.", "Inc") or shorter
  // than three characters would claim every inventory string that normalises
  // to it ("Ltd" -> that vendor). Rejected unless it merely repeats the
  // vendor's own id or name, which are indexed anyway ("F5", "3M").
  static bool too_generic_alias(FileReader& r, const YAML::Node& at, const std::string& spelling, const Vendor& v) {
    std::string key = normalize_name(spelling);
    if (key.empty()) return false;  // add_alias reports "no letters or digits"
    if (key == normalize_name(v.id) || key == normalize_name(v.name)) return false;
    // Every word is a corporate form iff stripping leaves only a sentinel word.
    if (strip_corporate_suffixes("x " + spelling) == "x") {
      r.error(at, "alias " + qt(spelling) + " of vendor " + qt(v.id) +
                      " is only a corporate-form word; it would match any vendor string normalising to " + qt(key));
      return true;
    }
    if (key.size() < 3) {
      r.error(at, "alias " + qt(spelling) + " of vendor " + qt(v.id) + " normalises to " + qt(key) +
                      ", fewer than 3 characters; too short to identify a vendor");
      return true;
    }
    return false;
  }

  void add_alias(FileReader& r, const YAML::Node& at, const std::string& spelling, uint32_t idx,
                 const std::string& id) {
    if (spelling.empty()) return;
    std::string key = normalize_name(spelling);
    if (key.empty()) {
      r.error(at, "alias " + qt(spelling) + " has no letters or digits");
      return;
    }
    auto [it, fresh] = kb_->alias_index_.emplace(key, idx);
    if (!fresh && it->second != idx) {
      const Vendor& other = kb_->vendors[it->second];
      r.error(at, "alias " + qt(spelling) + " of vendor " + qt(id) + " is already claimed by vendor " + qt(other.id) +
                      " (" + other.loc.to_string() + ")");
    }
  }

  std::optional<Citation> parse_citation(FileReader& r, const YAML::Node& parent, std::string_view what) {
    YAML::Node c = parent["citation"];
    if (!c.IsDefined() || c.IsNull()) {
      r.error(parent, std::string(what) + " has no citation (every rule and designation cites its source)");
      return std::nullopt;
    }
    if (!r.check_map(c, "a citation", {"instrument", "section", "url", "fact"})) return std::nullopt;
    Citation out;
    out.instrument = r.str(c, "instrument", "the citation of " + std::string(what), true);
    out.section = r.str(c, "section", "a citation");
    out.url = r.str(c, "url", "a citation");
    out.fact = r.str(c, "fact", "a citation");
    if (!out.url.empty() && out.url.rfind("http://", 0) != 0 && out.url.rfind("https://", 0) != 0) {
      r.error(c["url"], "citation url " + qt(out.url) + " is not an http(s) URL");
    }
    return out;
  }

  std::optional<Designation> parse_designation(FileReader& r, const YAML::Node& n, const std::string& vendor_what) {
    if (!r.check_map(n, "a designation",
                     {"by", "list", "since", "until", "scope", "limited_to", "unconfirmed", "citation"})) {
      return std::nullopt;
    }
    Designation d;
    d.loc = r.loc(n);
    const std::string what = "a designation of " + vendor_what;
    d.by = r.str(n, "by", what, true);
    if (!d.by.empty() && !valid_country(d.by)) {
      r.error(n["by"], "designating authority " + qt(d.by) + " must be a jurisdiction code such as US or UK");
    }
    d.list = r.str(n, "list", what, true);
    auto since = r.date(n, "since", what, true);
    d.until = r.date(n, "until", what);
    if (since) d.since = *since;
    if (since && d.until && *d.until < *since) r.error(n["until"], "designation ends before it starts");
    d.scope = r.str(n, "scope", what);
    d.limited_to = r.str_list(n, "limited_to");
    YAML::Node lt = n["limited_to"];
    for (size_t i = 0; i < d.limited_to.size(); ++i) {
      const auto& s = d.limited_to[i];
      if (parse_function(s) || parse_domain(s)) continue;
      auto names = function_names();
      for (auto dn : domain_names()) names.push_back(dn);
      r.error(lt[i], "limited_to names no function or domain: " + qt(s) + suggest(s, names));
    }
    d.unconfirmed = r.boolean(n, "unconfirmed").value_or(false);
    auto c = parse_citation(r, n, what);
    if (!since || !c) return std::nullopt;
    d.citation = std::move(*c);
    return d;
  }

  // ---- selectors and params ----

  Selector parse_selector(FileReader& r, const YAML::Node& n, std::string_view what, int depth = 0) {
    Selector sel;
    if (depth > kMaxSelectorDepth) {
      r.error(n, "selector nested deeper than " + std::to_string(kMaxSelectorDepth) + " levels");
      return sel;
    }
    if (n.IsNull()) return sel;
    if (!n.IsMap()) {
      r.error(n, "expected a selector (a map of field: value) for " + std::string(what));
      return sel;
    }
    for (const auto& kv : n) {  // by value: yaml-cpp iterators yield temporaries
      if (!kv.first.IsScalar()) {
        r.error(kv.first, "expected a field name in a selector");
        continue;
      }
      const std::string& field = kv.first.Scalar();
      const YAML::Node val = kv.second;
      if (field == "not") {
        if (val.IsSequence()) {
          for (const auto& s : val) sel.not_.push_back(parse_selector(r, s, "not:", depth + 1));
        } else {
          sel.not_.push_back(parse_selector(r, val, "not:", depth + 1));
        }
        continue;
      }
      if (field == "any") {
        if (!val.IsSequence()) {
          r.error(val, "expected a list of selectors under \"any\"");
          continue;
        }
        for (const auto& s : val) sel.any.push_back(parse_selector(r, s, "any:", depth + 1));
        continue;
      }
      const auto& fields = selector_fields();
      if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
        auto all = fields;
        all.push_back("not");
        all.push_back("any");
        r.error(kv.first, "unknown selector field " + qt(field) + suggest(field, all));
        continue;
      }
      Selector::Clause clause;
      clause.field = field;
      clause.loc = r.loc(kv.first);
      std::vector<YAML::Node> value_nodes;
      if (val.IsScalar()) {
        value_nodes.push_back(val);
      } else if (val.IsSequence()) {
        for (const auto& e : val) value_nodes.push_back(e);
      } else {
        r.error(val, "expected a value or a list of values for selector field " + qt(field));
        continue;
      }
      for (const auto& e : value_nodes) {
        if (!e.IsScalar()) {
          r.error(e, "expected a plain value for selector field " + qt(field));
          continue;
        }
        // Vendor ids are checked once every vendor is loaded; closed vocabularies by policy/.
        if (field == "vendor") vendor_refs_.push_back({e.Scalar(), r.loc(e), "selector"});
        clause.values.push_back(e.Scalar());
        clause.value_locs.push_back(r.loc(e));
      }
      if (clause.values.empty()) {
        r.error(val, "selector field " + qt(field) + " has no values (it would match nothing)");
        continue;
      }
      sel.all.push_back(std::move(clause));
    }
    return sel;
  }

  static std::optional<double> as_number(const std::string& s) {
    if (s.empty()) return std::nullopt;
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size() || !std::isfinite(d)) return std::nullopt;
    // "2023-12-31" must stay a string: strtod would stop at '-', so it already does.
    return d;
  }

  void parse_params(FileReader& r, const YAML::Node& n, RuleSpec& rule) {
    if (!n.IsDefined() || n.IsNull()) return;
    if (!n.IsMap()) {
      r.error(n, "expected a map under \"params\"");
      return;
    }
    for (const auto& kv : n) {  // by value: yaml-cpp iterators yield temporaries
      if (!kv.first.IsScalar()) {
        r.error(kv.first, "expected a parameter name");
        continue;
      }
      const std::string& key = kv.first.Scalar();
      const YAML::Node v = kv.second;
      if (rule.params.count(key)) {
        r.error(kv.first, "duplicate parameter " + qt(key));
        continue;
      }
      rule.param_locs[key] = r.loc(v.IsNull() ? kv.first : v);
      if (v.IsNull()) {
        r.error(kv.first, "parameter " + qt(key) + " has no value");
      } else if (v.IsScalar()) {
        if (auto d = as_number(v.Scalar())) {
          rule.params[key] = *d;
        } else {
          rule.params[key] = v.Scalar();
        }
      } else if (v.IsSequence()) {
        std::vector<std::string> list;
        for (const auto& e : v) {
          if (!e.IsScalar()) {
            r.error(e, "expected plain values in parameter " + qt(key));
            continue;
          }
          list.push_back(e.Scalar());
        }
        rule.params[key] = std::move(list);
      } else {
        rule.params[key] = parse_selector(r, v, "parameter " + qt(key));
      }
    }
  }

  // ---- rules ----

  std::optional<RuleSpec> parse_rule(FileReader& r, const YAML::Node& n, Classification floor, bool overlay) {
    if (!r.check_map(n, "a rule",
                     {"id", "title", "kind", "where", "params", "effective_from", "effective_until", "severity",
                      "binding", "unconfirmed", "classification", "citation", "note"})) {
      return std::nullopt;
    }
    RuleSpec rule;
    rule.loc = r.loc(n);
    rule.id = r.str(n, "id", "a rule", true);
    const std::string what = "rule " + qt(rule.id);
    rule.title = r.str(n, "title", what, true);
    rule.kind = r.str(n, "kind", what, true);
    if (n["kind"].IsDefined()) rule.kind_loc = r.loc(n["kind"]);
    YAML::Node where = n["where"];
    if (where.IsDefined()) rule.where = parse_selector(r, where, "\"where\"");
    parse_params(r, n["params"], rule);
    rule.effective_from = r.date(n, "effective_from", what);
    rule.effective_until = r.date(n, "effective_until", what);
    if (rule.effective_from && rule.effective_until && *rule.effective_until < *rule.effective_from) {
      r.error(n["effective_until"], what + " ends before it takes effect");
    }
    std::string sev = r.str(n, "severity", what);
    if (!sev.empty()) {
      if (auto s = parse_severity(sev)) {
        rule.severity = *s;
      } else {
        r.error(n["severity"],
                "unknown severity " + qt(sev) + suggest(sev, {"info", "low", "medium", "high", "critical"}));
      }
    }
    auto binding = r.boolean(n, "binding");
    rule.binding = binding.value_or(true);
    rule.unconfirmed = r.boolean(n, "unconfirmed").value_or(false);
    if (rule.unconfirmed && rule.binding) {
      // An UNCONFIRMED fact is never authoritative: it can warn, not bind.
      if (binding) r.warning(n["binding"], what + " is unconfirmed, so it is advisory (binding: false)");
      rule.binding = false;
    }
    rule.classification = floor;
    std::string cls = r.str(n, "classification", what);
    if (!cls.empty()) {
      if (auto c = parse_classification(cls)) {
        if (overlay && *c < floor) {
          r.error(n["classification"], what + " is classified " + std::string(classification_name(*c)) +
                                           ", below its overlay's " + std::string(classification_name(floor)));
        }
        rule.classification = std::max(*c, floor);
      } else {
        r.error(n["classification"],
                "unknown classification " + qt(cls) +
                    suggest(cls, {"UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP-SECRET"}));
      }
    }
    rule.note = r.str(n, "note", what);
    auto c = parse_citation(r, n, what);
    if (c) rule.citation = std::move(*c);
    if (!rule.id.empty()) {
      auto [it, fresh] = rule_ids_.emplace(rule.id, rule.loc);
      if (!fresh) {
        r.error(n["id"], "duplicate rule id " + qt(rule.id) + " (first defined at " + it->second.to_string() + ")");
        return std::nullopt;
      }
    }
    if (!c || rule.id.empty() || rule.kind.empty()) {
      // Not loaded, but its kind, params and selector values are still checked: all errors at once.
      if (!rule.kind.empty()) unloaded_rules_.push_back(std::move(rule));
      return std::nullopt;
    }
    return rule;
  }

  void parse_rules(FileReader& r, const YAML::Node& list, std::vector<RuleSpec>& out, Classification floor,
                   bool overlay) {
    if (!list.IsDefined() || list.IsNull()) return;
    if (!list.IsSequence()) {
      r.error(list, "expected a list under \"rules\"");
      return;
    }
    for (const auto& n : list) {
      if (auto rule = parse_rule(r, n, floor, overlay)) out.push_back(std::move(*rule));
    }
  }

  // ---- jurisdictions ----

  void load_packs(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      diags_.error(SourceLoc{dir, 0, 0, ""}, "missing jurisdictions directory");
      return;
    }
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      auto ext = e.path().extension().string();
      if (e.is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());  // file order is the rule order: keep it stable
    for (const auto& f : files) load_pack(f.string());
  }

  void load_pack(const std::string& file, const std::string* text = nullptr) {
    const fs::path path(file);
    FileReader r(file, diags_, text);
    auto root = r.parse();
    if (!root) return;
    if (!r.check_map(*root, "a policy pack",
                     {"netvet-kb", "code", "name", "authority", "instruments", "vendor_risk", "rules", "note"})) {
      return;
    }
    r.check_header(*root, "netvet-kb");
    Jurisdiction j;
    j.file = path.string();
    j.code = r.str(*root, "code", "the policy pack", true);
    j.name = r.str(*root, "name", "the policy pack", true);
    j.authority = r.str(*root, "authority", "the policy pack");
    j.note = r.str(*root, "note", "the policy pack");
    std::string stem = path.stem().string();
    std::string want;
    for (char c : stem) want += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!j.code.empty() && j.code != want) {
      r.error((*root)["code"], "pack code " + qt(j.code) + " does not match its file name (expected " + qt(want) + ")");
    }
    YAML::Node ins = (*root)["instruments"];
    if (ins.IsDefined() && !ins.IsNull()) {
      if (!ins.IsSequence()) {
        r.error(ins, "expected a list under \"instruments\"");
      } else {
        std::set<std::string> ids;
        for (const auto& n : ins) {
          if (!r.check_map(n, "an instrument", {"id", "title", "status", "date", "url"})) continue;
          Instrument in;
          in.id = r.str(n, "id", "an instrument", true);
          in.title = r.str(n, "title", "instrument " + qt(in.id), true);
          in.status = r.str(n, "status", "instrument " + qt(in.id), true);
          if (!in.status.empty() && std::find(kInstrumentStatuses.begin(), kInstrumentStatuses.end(), in.status) ==
                                        kInstrumentStatuses.end()) {
            r.error(n["status"],
                    "unknown instrument status " + qt(in.status) + suggest(in.status, kInstrumentStatuses));
          }
          in.date = r.date(n, "date", "instrument " + qt(in.id));
          in.url = r.str(n, "url", "instrument " + qt(in.id));
          if (!in.id.empty() && !ids.insert(in.id).second) r.error(n["id"], "duplicate instrument id " + qt(in.id));
          j.instruments.push_back(std::move(in));
        }
      }
    }
    YAML::Node vr = (*root)["vendor_risk"];
    if (vr.IsDefined() && !vr.IsNull()) {
      if (!vr.IsSequence()) {
        r.error(vr, "expected a list under \"vendor_risk\"");
      } else {
        for (const auto& n : vr) {
          if (!r.check_map(n, "a vendor-risk criterion",
                           {"designated_by", "headquarters_in", "since", "reason", "citation"})) {
            continue;
          }
          RiskCriterion c;
          c.loc = r.loc(n);
          c.designated_by = r.str_list(n, "designated_by");
          c.headquarters_in = r.str_list(n, "headquarters_in");
          for (const auto* list : {&c.designated_by, &c.headquarters_in}) {
            for (const auto& code : *list) {
              if (!valid_country(code)) r.error(n, "criterion names " + qt(code) + ", not a two-letter code");
            }
          }
          if (c.designated_by.empty() && c.headquarters_in.empty()) {
            r.error(n, "vendor-risk criterion needs designated_by or headquarters_in");
          }
          c.since = r.date(n, "since", "a vendor-risk criterion");
          c.reason = r.str(n, "reason", "a vendor-risk criterion", true);
          if (auto cit = parse_citation(r, n, "a vendor-risk criterion")) c.citation = std::move(*cit);
          j.risk_criteria.push_back(std::move(c));
        }
      }
    }
    parse_rules(r, (*root)["rules"], j.rules, Classification::kUnclassified, false);
    if (j.code.empty()) return;
    if (kb_->jurisdictions.count(j.code)) {
      r.error((*root)["code"],
              "duplicate jurisdiction " + qt(j.code) + " (also in " + kb_->jurisdictions[j.code].file + ")");
      return;
    }
    kb_->jurisdictions.emplace(j.code, std::move(j));
  }

  // ---- overlays ----

  void load_overlay(const std::string& file, const std::string* text = nullptr) {
    FileReader r(file, diags_, text);
    auto root = r.parse();
    if (!root) return;
    if (!r.check_map(*root, "an overlay",
                     {"netvet-kb-overlay", "classification", "jurisdiction", "rules", "vendor_assessments"})) {
      return;
    }
    r.check_header(*root, "netvet-kb-overlay");
    Overlay ov;
    ov.file = file;
    std::string cls = r.str(*root, "classification", "the overlay", true);
    if (!cls.empty()) {
      if (auto c = parse_classification(cls)) {
        ov.classification = *c;
      } else {
        r.error((*root)["classification"], "unknown classification " + qt(cls));
      }
    }
    ov.jurisdiction = r.str(*root, "jurisdiction", "the overlay", true);
    if (!ov.jurisdiction.empty() && !kb_->jurisdiction(ov.jurisdiction)) {
      std::vector<std::string_view> codes;
      for (const auto& [code, _] : kb_->jurisdictions) codes.push_back(code);
      r.error((*root)["jurisdiction"],
              "overlay names unknown jurisdiction " + qt(ov.jurisdiction) + suggest(ov.jurisdiction, codes));
    }
    parse_rules(r, (*root)["rules"], ov.rules, ov.classification, true);
    YAML::Node va = (*root)["vendor_assessments"];
    if (va.IsDefined() && !va.IsNull()) {
      if (!va.IsSequence()) {
        r.error(va, "expected a list under \"vendor_assessments\"");
      } else {
        for (const auto& n : va) {
          if (!r.check_map(n, "a vendor assessment", {"vendor", "risk", "since", "reason"})) continue;
          Overlay::VendorAssessment a;
          a.loc = r.loc(n);
          a.vendor = r.str(n, "vendor", "a vendor assessment", true);
          if (!a.vendor.empty()) vendor_refs_.push_back({a.vendor, r.loc(n["vendor"]), "vendor assessment"});
          std::string risk = r.str(n, "risk", "a vendor assessment", true);
          if (auto rk = parse_risk(risk)) {
            a.risk = *rk;
          } else if (!risk.empty()) {
            r.error(n["risk"], "unknown vendor risk " + qt(risk) + suggest(risk, kRiskNames));
          }
          a.since = r.date(n, "since", "a vendor assessment");
          a.reason = r.str(n, "reason", "a vendor assessment", true);
          ov.vendor_assessments.push_back(std::move(a));
        }
      }
    }
    kb_->overlays.push_back(std::move(ov));
  }

  // ---- whole-KB checks ----

  std::vector<std::string_view> vendor_ids() const {
    std::vector<std::string_view> ids;
    for (const auto& v : kb_->vendors) ids.push_back(v.id);
    return ids;
  }

  void check_references() {
    auto ids = vendor_ids();
    auto report = [&](const VendorRef& ref, std::string_view kind) {
      if (kb_->vendor(ref.id)) return;
      std::string hint;
      if (auto idx = kb_->resolve_vendor(ref.id)) {
        hint = " (did you mean " + qt(kb_->vendors[*idx].id) + "? references use vendor ids, not names)";
      } else {
        hint = suggest(ref.id, ids);
      }
      diags_.error(ref.loc, std::string(kind) + " names unknown vendor " + qt(ref.id) + hint);
    };
    for (const auto& ref : parent_locs_) report(ref, ref.what + " parent");
    for (const auto& ref : vendor_refs_) report(ref, ref.what);
    check_cycles();
  }

  // Ownership must be a forest: a cycle would make "inherits its owner's risk" undefined.
  void check_cycles() {
    const size_t n = kb_->vendors.size();
    std::vector<uint8_t> state(n, 0);  // 0 unvisited, 1 on the current path, 2 done
    for (size_t start = 0; start < n; ++start) {
      std::vector<size_t> path;
      size_t cur = start;
      while (cur < n && state[cur] == 0) {
        state[cur] = 1;
        path.push_back(cur);
        const Vendor* p = kb_->vendors[cur].parent.empty() ? nullptr : kb_->vendor(kb_->vendors[cur].parent);
        cur = p ? static_cast<size_t>(p - kb_->vendors.data()) : n;
      }
      if (cur < n && state[cur] == 1) {
        std::string cycle;
        bool in = false;
        for (size_t i : path) {
          if (i == cur) in = true;
          if (in) cycle += kb_->vendors[i].id + " -> ";
        }
        cycle += kb_->vendors[cur].id;
        diags_.error(kb_->vendors[cur].loc, "ownership cycle: " + cycle);
      }
      for (size_t i : path) state[i] = 2;
    }
  }

  // policy/ knows each kind's params. Its report on a spot the loader already
  // flagged adds nothing, so only new locations are merged.
  void validate_rules() {
    if (!validator_) return;
    std::set<std::pair<std::string, std::pair<uint32_t, uint32_t>>> flagged;
    for (const auto& d : diags_.items()) flagged.insert({d.loc.file, {d.loc.line, d.loc.column}});
    auto run = [&](const RuleSpec& rule) {
      Diagnostics local;
      validator_(rule, local);
      for (const auto& d : local.items()) {
        if (d.level == DiagLevel::kError && flagged.count({d.loc.file, {d.loc.line, d.loc.column}})) continue;
        SourceLoc l = d.loc;
        if (l.file.empty()) l = rule.loc;
        switch (d.level) {
          case DiagLevel::kError:
            diags_.error(l, d.message);
            break;
          case DiagLevel::kWarning:
            diags_.warning(l, d.message);
            break;
          case DiagLevel::kNote:
            diags_.note(l, d.message);
            break;
        }
      }
    };
    if (first_overlay_ == 0) {
      for (const auto& [code, j] : kb_->jurisdictions) {
        for (const auto& rule : j.rules) run(rule);
      }
    }
    for (size_t k = first_overlay_; k < kb_->overlays.size(); ++k) {
      for (const auto& rule : kb_->overlays[k].rules) run(rule);
    }
    for (const auto& rule : unloaded_rules_) run(rule);
  }

  Diagnostics& diags_;
  RuleValidator validator_;
  std::unique_ptr<KnowledgeBase> kb_;
  std::vector<VendorRef> parent_locs_;
  std::vector<VendorRef> vendor_refs_;
  std::map<std::string, SourceLoc> rule_ids_;
  std::vector<RuleSpec> unloaded_rules_;  // rules dropped for loader errors, still validated by policy/
  size_t first_overlay_ = 0;  // extend(): the base's rules were validated when it loaded
};

std::unique_ptr<KnowledgeBase> load_kb(const std::string& kb_dir, const std::vector<std::string>& overlay_files,
                                       Diagnostics& diags, RuleValidator validate_rule) {
  KbLoader loader(diags, validate_rule);
  try {
    return loader.load(kb_dir, overlay_files);
  } catch (const YAML::Exception& e) {
    // Every accessor checks node types first, so this is a loader bug, not bad input.
    diags.error(SourceLoc{kb_dir, 0, 0, ""}, std::string("internal error reading the KB: ") + e.what());
    return nullptr;
  }
}

}  // namespace netvet

namespace netvet {

std::unique_ptr<KnowledgeBase> load_kb_text(const std::string& version, const TextFile& vendors,
                                            const std::vector<TextFile>& packs, Diagnostics& diags,
                                            RuleValidator validate_rule) {
  KbLoader loader(diags, validate_rule);
  try {
    return loader.load_text(version, vendors, packs);
  } catch (const YAML::Exception& e) {
    diags.error(SourceLoc{vendors.name, 0, 0, ""}, std::string("internal error reading the KB: ") + e.what());
    return nullptr;
  }
}

std::unique_ptr<KnowledgeBase> add_overlays(const KnowledgeBase& base, const std::vector<TextFile>& overlays,
                                            Diagnostics& diags, RuleValidator validate_rule) {
  KbLoader loader(diags, validate_rule);
  try {
    return loader.extend(base, overlays);
  } catch (const YAML::Exception& e) {
    diags.error(SourceLoc{overlays.empty() ? "" : overlays[0].name, 0, 0, ""},
                std::string("internal error reading an overlay: ") + e.what());
    return nullptr;
  }
}

}  // namespace netvet
