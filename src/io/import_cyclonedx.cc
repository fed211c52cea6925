// CycloneDX JSON import (spec 1.2-1.6): hardware and software components into
// netvet components. The top level is scanned member by member and each
// component tree under `components` is parsed on its own, so a BOM of a
// million devices never becomes one DOM.
//
// Mapping (docs/import.md):
//   id        bom-ref, else name (made unique)
//   vendor    manufacturer.name (1.6) > supplier.name > publisher > group > author
//   model     name; software: version of firmware/OS/application/library types
//   function  property netvet:function, else the parent's, else the default
//             (a placeholder, tagged netvet:fallback-function, unless --function
//             stated it)
//   generation, domain  properties netvet:generation, netvet:domain (stated)
//   parent    the enclosing component; top-level ones sit under metadata.component
//             (the product the BOM describes) or the --attach target
//   tags      cdx-type:<type>, property netvet:tag, contains-vendor:<vendor>
// Dependencies (A dependsOn B) count as containment for contains-vendor: a
// router whose firmware depends on a high-risk vendor's library carries it.
#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <functional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "json_records.h"
#include "netvet/import.h"
#include "netvet/inference.h"

namespace netvet {
namespace {

using importer::element;
using importer::field;
using importer::str_field;

constexpr std::string_view kTypes[] = {"application",
                                       "framework",
                                       "library",
                                       "container",
                                       "platform",
                                       "operating-system",
                                       "device",
                                       "device-driver",
                                       "firmware",
                                       "file",
                                       "machine-learning-model",
                                       "data",
                                       "cryptographic-asset"};
constexpr std::string_view kSoftwareTypes[] = {"application",      "framework",     "library",  "container",
                                               "operating-system", "device-driver", "firmware", "platform"};

struct BomComponent {
  std::string id, name, type, vendor, version, parent_ref;  // parent_ref: bom-ref/id of the enclosing component
  std::optional<Function> function;
  std::optional<Generation> generation;
  std::vector<std::string> tags;
  SourceLoc loc;
  bool top = false;       // directly under `components`
  bool metadata = false;  // metadata.component
};

class BomReader {
 public:
  BomReader(Diagnostics& diags, ImportSummary& summary, const ReadLimits& limits)
      : diags_(diags), summary_(summary), limits_(limits) {}

  bool read(std::string_view text, const std::string& file) {
    file_ = file;
    text_ = text;
    lines_.emplace(text);
    importer::JsonScanner s(text, limits_.max_depth);
    char first = s.peek();
    if (first == '<') return fail_at(s.pos(), "CycloneDX XML is not supported; export the BOM as JSON");
    if (first != '{') return fail_at(s.pos(), "expected a CycloneDX JSON object");
    bool ok = importer::for_each_member(s, [&](const std::string& key, size_t at) {
      if (key == "components") {
        if (s.peek() != '[') return s.fail("`components` must be an array");
        size_t i = 0;
        return importer::for_each_element(s, [&](size_t b, size_t e) { return component_record(b, e, i++); });
      }
      if (key == "bomFormat" || key == "specVersion" || key == "metadata" || key == "dependencies" ||
          key == "services") {
        size_t b = s.pos();
        if (!s.skip_value()) return false;
        return top_member(key, b, s.pos(), at);
      }
      return s.skip_value();
    });
    if (ok && !s.at_end()) ok = s.fail("unexpected text after the JSON value");
    if (!ok) return fail_at(s.error_pos(), s.error());
    if (!saw_format_) diags_.error(loc(0), "not a CycloneDX BOM: `bomFormat` is missing");
    return !diags_.has_errors();
  }

  // Builds the components into `net`; top-level ones go under `attach` (kNone: none).
  void build(Network& net, ComponentIdx attach);

 private:
  SourceLoc loc(size_t off, std::string pointer = {}) {
    SourceLoc l = lines_->loc(file_, off);
    l.pointer = std::move(pointer);
    return l;
  }
  bool fail_at(size_t off, const std::string& msg) {
    diags_.error(loc(off), msg);
    return false;
  }

  bool parse(size_t b, size_t e, element* out) {
    auto err = parser_.parse(text_.data() + b, e - b, false).get(*out);
    if (err) {
      diags_.error(loc(b), fmt::format("invalid JSON: {}", simdjson::error_message(err)));
      return false;
    }
    return true;
  }

  bool top_member(const std::string& key, size_t b, size_t e, size_t) {
    element v;
    if (!parse(b, e, &v)) return !diags_.full();
    if (key == "bomFormat") {
      saw_format_ = true;
      std::string_view f;
      if (v.get_string().get(f) || f != "CycloneDX")
        diags_.error(loc(b, "/bomFormat"), "`bomFormat` must be \"CycloneDX\"");
    } else if (key == "specVersion") {
      std::string_view sv;
      if (v.get_string().get(sv)) {
        diags_.error(loc(b, "/specVersion"), "`specVersion` must be a string like \"1.6\"");
      } else if (!(sv == "1.0" || sv == "1.1" || sv == "1.2" || sv == "1.3" || sv == "1.4" || sv == "1.5" ||
                   sv == "1.6" || sv == "1.7")) {
        diags_.error(loc(b, "/specVersion"), fmt::format("unsupported CycloneDX specVersion \"{}\" (1.2-1.6)", sv));
      }
      ++summary_.records[fmt::format("cyclonedx-{}", sv)];
    } else if (key == "metadata") {
      if (!v.is_object()) return !diags_.full();
      // The BOM-level maker names the product when the component itself does not.
      for (const char* k : {"manufacturer", "manufacture", "supplier"}) {
        if (auto m = field(v, k); m && meta_vendor_.empty()) meta_vendor_ = std::string(str_field(*m, "name"));
      }
      if (auto c = field(v, "component")) {
        SourceLoc l = loc(b, "/metadata/component");
        walk(*c, "/metadata/component", l, "", true, 0);
      }
    } else if (key == "services") {
      // Services (APIs, SaaS) are not equipment: netvet does not model them,
      // and says so rather than dropping them silently.
      std::vector<std::string> names;
      std::vector<element> todo;
      if (v.is_array())
        for (element x : v.get_array()) todo.push_back(x);
      while (!todo.empty()) {
        element x = todo.back();
        todo.pop_back();
        std::string_view name = str_field(x, "name");
        if (name.empty()) name = str_field(x, "bom-ref");
        names.emplace_back(name.empty() ? "(unnamed)" : name);
        if (auto nested = field(x, "services"); nested && nested->is_array())
          for (element y : nested->get_array()) todo.push_back(y);
      }
      if (!names.empty()) {
        std::sort(names.begin(), names.end());
        std::string list;
        for (size_t i = 0; i < names.size() && i < 10; ++i) list += (i ? ", " : "") + names[i];
        if (names.size() > 10) list += fmt::format(" and {} more", names.size() - 10);
        summary_.notes.push_back(fmt::format("the BOM lists {} service{} ({}): netvet models equipment and software "
                                             "components, not services, so they are not in the network",
                                             names.size(), names.size() == 1 ? "" : "s", list));
        summary_.records["cyclonedx-service"] += names.size();
      }
    } else if (key == "dependencies") {
      if (!v.is_array()) {
        diags_.error(loc(b, "/dependencies"), "`dependencies` must be an array");
        return !diags_.full();
      }
      size_t i = 0;
      for (element d : v.get_array()) {
        std::string ptr = fmt::format("/dependencies/{}", i++);
        std::string_view r = str_field(d, "ref");
        if (r.empty()) {
          diags_.error(loc(b, ptr), "a dependency needs a non-empty `ref`");
          continue;
        }
        if (auto on = field(d, "dependsOn"); on && on->is_array()) {
          for (element x : on->get_array()) {
            std::string_view t;
            if (x.get_string().get(t) || t.empty()) {
              diags_.error(loc(b, ptr + "/dependsOn"), "`dependsOn` must list bom-ref strings");
              continue;
            }
            deps_.push_back({std::string(r), std::string(t), loc(b, ptr)});
          }
        }
      }
    }
    return !diags_.full();
  }

  bool component_record(size_t b, size_t e, size_t index) {
    element v;
    if (!parse(b, e, &v)) return !diags_.full();
    std::string ptr = fmt::format("/components/{}", index);
    walk(v, ptr, loc(b, ptr), "", false, 0);
    return !diags_.full();
  }

  // One component and its nested components (depth-limited by the scanner).
  void walk(element c, const std::string& ptr, const SourceLoc& where, const std::string& parent, bool metadata,
            int depth) {
    if (!c.is_object()) {
      diags_.error(where, "a component must be an object");
      return;
    }
    BomComponent bc;
    bc.loc = where;
    bc.loc.pointer = ptr;
    bc.metadata = metadata;
    bc.top = !metadata && depth == 0;
    bc.parent_ref = parent;
    bc.name = std::string(str_field(c, "name"));
    bc.type = std::string(str_field(c, "type"));
    if (bc.type.empty())
      diags_.error(bc.loc, "component has no `type`");
    else if (std::find(std::begin(kTypes), std::end(kTypes), bc.type) == std::end(kTypes))
      diags_.error(bc.loc, fmt::format("unknown component type \"{}\"", bc.type));
    if (bc.name.empty()) diags_.error(bc.loc, "component has no `name`");
    if (auto r = field(c, "bom-ref")) {
      std::string_view s;
      if (r->get_string().get(s) || s.empty()) {
        diags_.error(bc.loc, "`bom-ref` must be a non-empty string");
      } else {
        bc.id = std::string(s);
        auto [it, fresh] = refs_.emplace(bc.id, bc.loc);
        if (!fresh)
          diags_.error(bc.loc, fmt::format("duplicate bom-ref \"{}\" (first at {})", bc.id, it->second.to_string()));
      }
    }
    for (const char* k : {"manufacturer", "supplier"})
      if (auto m = field(c, k); m && bc.vendor.empty()) bc.vendor = std::string(str_field(*m, "name"));
    for (const char* k : {"publisher", "group", "author"})
      if (bc.vendor.empty()) bc.vendor = std::string(str_field(c, k));
    if (metadata && bc.vendor.empty()) bc.vendor = meta_vendor_;
    bc.version = std::string(str_field(c, "version"));
    if (!bc.type.empty()) bc.tags.push_back("cdx-type:" + bc.type);
    if (auto props = field(c, "properties"); props && props->is_array()) {
      for (element p : props->get_array()) {
        std::string_view n = str_field(p, "name"), val = str_field(p, "value");
        if (n == "netvet:function") {
          auto f = parse_function(val);
          if (!f) {
            auto hint = did_you_mean(val, function_names());
            diags_.error(bc.loc, fmt::format("unknown netvet:function \"{}\"{}", val,
                                             hint ? fmt::format(" (did you mean \"{}\"?)", *hint) : ""));
          }
          bc.function = f;
        } else if (n == "netvet:generation") {
          bc.generation = parse_generation(val);
          if (!bc.generation) {
            auto hint = did_you_mean(val, generation_names());
            diags_.error(bc.loc, fmt::format("unknown netvet:generation \"{}\"{}", val,
                                             hint ? fmt::format(" (did you mean \"{}\"?)", *hint) : ""));
          }
        } else if (n == "netvet:domain") {
          if (auto d = parse_domain(val)) {
            bc.tags.push_back(fmt::format("domain:{}", domain_name(*d)));
          } else {
            auto hint = did_you_mean(val, domain_names());
            diags_.error(bc.loc, fmt::format("unknown netvet:domain \"{}\"{}", val,
                                             hint ? fmt::format(" (did you mean \"{}\"?)", *hint) : ""));
          }
        } else if (n == "netvet:tag" && !val.empty()) {
          bc.tags.emplace_back(val);
        }
      }
    }
    ++summary_.records["component"];
    std::string self = bc.id.empty() ? fmt::format("#{}", comps_.size()) : bc.id;
    if (bc.id.empty()) anon_.insert(comps_.size());
    if (metadata) meta_index_ = comps_.size();
    comps_.push_back(std::move(bc));
    comps_.back().id = self;
    if (auto kids = field(c, "components"); kids && kids->is_array()) {
      size_t i = 0;
      for (element k : kids->get_array()) {
        std::string kp = fmt::format("{}/components/{}", ptr, i++);
        walk(k, kp, where, self, false, depth + 1);
        if (diags_.full()) return;
      }
    }
  }

  struct Dep {
    std::string from, to;
    SourceLoc loc;
  };

  Diagnostics& diags_;
  ImportSummary& summary_;
  ReadLimits limits_;
  simdjson::dom::parser parser_;
  std::string file_;
  std::string_view text_;
  std::optional<importer::LineIndex> lines_;
  bool saw_format_ = false;
  std::string meta_vendor_;
  std::vector<BomComponent> comps_;
  std::unordered_set<size_t> anon_;  // components without bom-ref (internal ids "#n")
  std::unordered_map<std::string, SourceLoc> refs_;
  std::vector<Dep> deps_;
  std::optional<size_t> meta_index_;

 public:
  Function default_function_ = Function::kRouter;
  bool default_function_stated_ = false;
  std::vector<std::pair<ComponentIdx, ComponentIdx>> dep_edges_;  // dependent -> dependency
};

void BomReader::build(Network& net, ComponentIdx attach) {
  // Dependencies may name services and other non-component refs: only
  // component-to-component edges matter for containment, the rest are skipped.
  if (diags_.has_errors()) return;
  std::unordered_map<std::string, ComponentIdx> idx;  // internal ref -> component
  std::unordered_map<std::string, int> name_use;
  size_t first = net.components.size();
  std::vector<StrId> tags;
  // Whether a component's function was stated: by its own property, by the
  // component it inherits from (resolved as the loop below resolves parents),
  // or by --function. A placeholder is tagged so coverage counts it unjudged.
  std::unordered_map<std::string_view, size_t> by_ref;
  for (size_t i = 0; i < comps_.size(); ++i) by_ref.emplace(comps_[i].id, i);
  std::vector<int8_t> stated(comps_.size(), -1);
  std::function<bool(size_t)> function_stated = [&](size_t i) -> bool {
    if (stated[i] >= 0) return stated[i] != 0;
    stated[i] = default_function_stated_;  // guards a cycle of parent refs
    const BomComponent& bc = comps_[i];
    bool r = default_function_stated_;
    if (bc.function) {
      r = true;
    } else if (!bc.parent_ref.empty()) {
      if (auto it = by_ref.find(bc.parent_ref); it != by_ref.end()) r = function_stated(it->second);
    } else if (!bc.metadata && meta_index_) {
      r = function_stated(*meta_index_);
    } else if (attach != kNone) {
      r = true;  // takes the function of the --attach target, which the network states
    }
    stated[i] = r;
    return r;
  };
  size_t placeholders = 0;
  for (size_t i = 0; i < comps_.size(); ++i) {
    BomComponent& bc = comps_[i];
    // Anonymous components take their name as id; both kinds must not clash with the network.
    std::string id = anon_.count(i) ? bc.name : bc.id;
    if (net.find_component(id)) {
      if (!anon_.count(i)) {
        diags_.error(bc.loc, fmt::format("component id \"{}\" already exists in the network", id));
        continue;
      }
      int n = ++name_use[id];
      std::string alt = fmt::format("{}#{}", bc.name, n);
      while (net.find_component(alt)) alt = fmt::format("{}#{}", bc.name, ++n);
      id = alt;
    }
    ComponentIdx parent = kNone;
    if (!bc.parent_ref.empty()) {
      auto it = idx.find(bc.parent_ref);
      if (it != idx.end()) parent = it->second;
    } else if (!bc.metadata && meta_index_) {
      auto it = idx.find(comps_[*meta_index_].id);
      if (it != idx.end()) parent = it->second;
    }
    if (parent == kNone && attach != kNone && (bc.top || bc.metadata) && !(bc.top && meta_index_)) parent = attach;
    // The metadata component may come after `components` in the file: fixed below.
    Function fn = bc.function ? *bc.function : parent != kNone ? net.components.function[parent] : default_function_;
    ComponentIdx c = net.add_component(id, fn);
    idx[bc.id] = c;
    net.components.name[c] = net.strings.intern(bc.name);
    net.components.vendor[c] = net.strings.intern(bc.vendor);
    net.components.model[c] = net.strings.intern(bc.name);
    if (bc.generation) net.components.generation[c] = *bc.generation;
    if (std::find(std::begin(kSoftwareTypes), std::end(kSoftwareTypes), bc.type) != std::end(kSoftwareTypes))
      net.components.software[c] = net.strings.intern(bc.version);
    net.components.parent[c] = parent;
    if (parent != kNone) net.components.site[c] = net.components.site[parent];
    net.components.line[c] = bc.loc.line;
    tags.clear();
    for (const auto& t : bc.tags) tags.push_back(net.strings.intern(t));
    if (!function_stated(i)) {
      tags.push_back(net.strings.intern(kFallbackFunctionTag));
      ++placeholders;
    }
    net.components.tags.ids.insert(net.components.tags.ids.end(), tags.begin(), tags.end());
    net.components.tags.offsets.back() += static_cast<uint32_t>(tags.size());
    ++summary_.vendors[bc.vendor];
  }
  if (placeholders)
    summary_.notes.push_back(fmt::format(
        "{} component{} name{} no function (property netvet:function) and took the placeholder {}: the assessment "
        "counts {} as not judged; set the property, or --function when every such component is one",
        placeholders, placeholders == 1 ? "" : "s", placeholders == 1 ? "s" : "", function_name(default_function_),
        placeholders == 1 ? "it" : "them"));
  // Top-level components read before the metadata component: hang them under it now.
  if (meta_index_) {
    auto m = idx.find(comps_[*meta_index_].id);
    if (m != idx.end()) {
      for (size_t i = 0; i < comps_.size(); ++i) {
        if (!comps_[i].top) continue;
        auto it = idx.find(comps_[i].id);
        if (it == idx.end() || net.components.parent[it->second] != kNone) continue;
        net.components.parent[it->second] = m->second;
        net.components.site[it->second] = net.components.site[m->second];
        if (!comps_[i].function) net.components.function[it->second] = net.components.function[m->second];
      }
      if (attach != kNone && net.components.parent[m->second] == kNone) {
        net.components.parent[m->second] = attach;
        net.components.site[m->second] = net.components.site[attach];
      }
    }
  }
  // Dependencies as containment: record them as tags the contains-vendor pass reads.
  for (const auto& d : deps_) {
    auto a = idx.find(d.from), b = idx.find(d.to);
    if (a == idx.end() || b == idx.end()) continue;
    dep_edges_.emplace_back(a->second, b->second);
  }
  (void)first;
}

// Containment closure: parents, and components a component depends on.
void tag_contained(Network& net, ImportSummary* summary, const std::function<bool(std::string_view)>& is_high_risk,
                   const std::vector<std::pair<ComponentIdx, ComponentIdx>>& deps) {
  size_t n = net.components.size();
  std::vector<std::vector<ComponentIdx>> dependents(deps.empty() ? 0 : n);
  for (auto [a, b] : deps) dependents[b].push_back(a);
  std::vector<std::set<std::string>> extra(n);
  std::vector<std::string> norm(n);
  // Vendors repeat across thousands of components: normalise each spelling once.
  std::unordered_map<StrId, std::string> norm_of;
  for (ComponentIdx c = 0; c < n; ++c) {
    StrId v = net.components.vendor[c];
    auto it = norm_of.find(v);
    if (it == norm_of.end()) it = norm_of.emplace(v, normalize_name(net.str(v))).first;
    norm[c] = it->second;
  }
  size_t notes = 0;
  std::vector<ComponentIdx> todo;
  std::vector<uint8_t> seen(n, 0);
  for (ComponentIdx c = 0; c < n; ++c) {
    if (norm[c].empty()) continue;
    std::string vendor(net.str(net.components.vendor[c]));
    bool risky = !is_high_risk || is_high_risk(vendor);
    // Everything that contains c: its parent chain, and whatever depends on c or on a container of c.
    todo.clear();
    std::vector<ComponentIdx> touched;
    auto push = [&](ComponentIdx x) {
      if (x != kNone && !seen[x]) seen[x] = 1, todo.push_back(x), touched.push_back(x);
    };
    push(net.components.parent[c]);
    if (!dependents.empty())
      for (auto d : dependents[c]) push(d);
    while (!todo.empty()) {
      ComponentIdx a = todo.back();
      todo.pop_back();
      if (touched.size() > 10000) break;  // why: a hostile BOM must not make this quadratic without bound
      if (norm[a] != norm[c] && extra[a].insert("contains-vendor:" + vendor).second && risky && summary &&
          notes < 1000) {
        ++notes;
        summary->notes.push_back(fmt::format("{} ({}) contains {} equipment: {}", net.component_id(a),
                                             net.str(net.components.vendor[a]).empty()
                                                 ? std::string_view("no vendor")
                                                 : net.str(net.components.vendor[a]),
                                             vendor, net.component_id(c)));
      }
      push(net.components.parent[a]);
      if (!dependents.empty())
        for (auto d : dependents[a]) push(d);
    }
    for (auto x : touched) seen[x] = 0;
  }
  // Rebuild the tag column once with the added tags.
  TagColumn tags;
  std::vector<StrId> row;
  for (ComponentIdx c = 0; c < n; ++c) {
    auto old = net.components.tags.row(c);
    row.assign(old.begin(), old.end());
    for (const auto& t : extra[c]) {
      StrId id = net.strings.intern(t);
      if (std::find(row.begin(), row.end(), id) == row.end()) row.push_back(id);
    }
    tags.push_row(row);
  }
  net.components.tags = std::move(tags);
}

Expected<size_t> run_bom(Network& net, std::string_view text, const std::string& file, const CycloneDxOptions& options,
                         Diagnostics& diags, ImportSummary* summary, const ReadLimits& limits) {
  ImportSummary own;
  ImportSummary& sum = summary ? *summary : own;
  if (text.size() > limits.max_bytes) return Status::bad_input(fmt::format("{}: input over the size limit", file));
  ComponentIdx attach = kNone;
  if (!options.attach_to.empty()) {
    auto a = net.find_component(options.attach_to);
    if (!a) {
      std::vector<std::string_view> ids;
      for (ComponentIdx c = 0; c < net.components.size() && c < 100000; ++c) ids.push_back(net.component_id(c));
      auto hint = did_you_mean(options.attach_to, ids);
      diags.error(SourceLoc{file, 0, 0, {}},
                  fmt::format("--attach: no component \"{}\" in the network{}", options.attach_to,
                              hint ? fmt::format(" (did you mean \"{}\"?)", *hint) : ""));
      return diags.to_status();
    }
    attach = *a;
  }
  BomReader reader(diags, sum, limits);
  reader.default_function_ = options.default_function;
  reader.default_function_stated_ = options.default_function_stated;
  if (!reader.read(text, file)) return diags.to_status();
  size_t before = net.components.size();
  reader.build(net, attach);
  if (diags.has_errors()) return diags.to_status();
  tag_contained(net, &sum, nullptr, reader.dep_edges_);
  sum.components = net.components.size();
  sum.sites = net.sites.size();
  sum.links = net.links.size();
  return net.components.size() - before;
}

}  // namespace

void tag_contained_vendors(Network& net, ImportSummary* summary,
                           const std::function<bool(std::string_view)>& is_high_risk) {
  tag_contained(net, summary, is_high_risk, {});
}

Expected<Network> import_cyclonedx_text(std::string_view text, const std::string& file, const CycloneDxOptions& options,
                                        Diagnostics& diags, ImportSummary* summary, const ReadLimits& limits) {
  if (!options.attach_to.empty()) return Status::bad_input("--attach needs --network");
  Network net;
  net.source_file = file;
  simdjson::padded_string padded(text);
  auto r = run_bom(net, std::string_view(padded.data(), padded.size()), file, options, diags, summary, limits);
  if (!r) return r.error();
  return net;
}

Expected<Network> import_cyclonedx(const std::string& path, const CycloneDxOptions& options, Diagnostics& diags,
                                   ImportSummary* summary, const ReadLimits& limits) {
  auto text = importer::load_padded(path, limits.max_bytes);
  if (!text) {
    diags.error(SourceLoc{path, 0, 0, {}}, text.error().message());
    return text.error();
  }
  Network net;
  net.source_file = path;
  CycloneDxOptions o = options;
  o.attach_to.clear();
  auto r = run_bom(net, std::string_view(text->data(), text->size()), path, o, diags, summary, limits);
  if (!r) return r.error();
  return net;
}

Expected<size_t> attach_cyclonedx(Network& net, std::string_view text, const std::string& file,
                                  const CycloneDxOptions& options, Diagnostics& diags, ImportSummary* summary,
                                  const ReadLimits& limits) {
  simdjson::padded_string padded(text);
  return run_bom(net, std::string_view(padded.data(), padded.size()), file, options, diags, summary, limits);
}

}  // namespace netvet
