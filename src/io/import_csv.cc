// CSV import for small operators' spreadsheets: sites.csv, components.csv and
// links.csv with a header row (columns in docs/import.md). RFC 4180 quoting,
// CRLF or LF line ends, an optional UTF-8 byte order mark (Excel writes one).
// Sites are read first, then components, then links, whatever the argument
// order, so references resolve; every problem is reported with file:line:col.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "netvet/import.h"

namespace netvet {
namespace {

struct Cell {
  std::string text;
  uint32_t line, column;
};
using Row = std::vector<Cell>;

// Splits the whole text into rows of cells; false with an error on an unterminated quote.
bool split_csv(std::string_view t, const std::string& file, std::vector<Row>& rows, Diagnostics& diags) {
  size_t i = 0;
  uint32_t line = 1, col = 1;
  if (t.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  Row row;
  while (i <= t.size()) {
    Cell cell{{}, line, col};
    if (i < t.size() && t[i] == '"') {
      uint32_t qline = line, qcol = col;
      ++i, ++col;
      bool closed = false;
      while (i < t.size()) {
        char c = t[i];
        if (c == '"') {
          if (i + 1 < t.size() && t[i + 1] == '"') {
            cell.text += '"';
            i += 2, col += 2;
            continue;
          }
          ++i, ++col;
          closed = true;
          break;
        }
        if (c == '\n') ++line, col = 0;
        cell.text += c;
        ++i, ++col;
      }
      if (!closed) {
        diags.error({file, qline, qcol, {}}, "unterminated quoted field");
        return false;
      }
      // Text between the closing quote and the delimiter is a spreadsheet slip; keep it.
      while (i < t.size() && t[i] != ',' && t[i] != '\n' && t[i] != '\r') cell.text += t[i++], ++col;
    } else {
      while (i < t.size() && t[i] != ',' && t[i] != '\n' && t[i] != '\r') cell.text += t[i++], ++col;
    }
    row.push_back(std::move(cell));
    if (i < t.size() && t[i] == ',') {
      ++i, ++col;
      continue;
    }
    // End of record.
    if (i < t.size() && t[i] == '\r') ++i;
    if (i < t.size() && t[i] == '\n') ++i;
    bool blank = row.size() == 1 && row[0].text.empty();
    if (!blank) rows.push_back(std::move(row));
    row.clear();
    ++line, col = 1;
    if (i >= t.size()) break;
  }
  return true;
}

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

const std::vector<std::string_view>& columns_of(std::string_view kind) {
  static const std::vector<std::string_view> kSites = {"id", "name", "lat", "lon", "region", "tags"};
  static const std::vector<std::string_view> kComponents = {"id",         "function",    "vendor", "model",
                                                            "software",   "site",        "parent", "name",
                                                            "generation", "subscribers", "cells",  "tags"};
  static const std::vector<std::string_view> kLinks = {"a", "b", "interface", "protection"};
  return kind == "sites" ? kSites : kind == "components" ? kComponents : kLinks;
}

std::string kind_of(const std::string& file, const std::string& given, const Row* header) {
  if (!given.empty()) return given;
  std::string n = lower(std::filesystem::path(file).filename().string());
  for (const char* k : {"sites", "components", "links"})
    if (n.find(std::string(k).substr(0, std::string(k).size() - 1)) != std::string::npos) return k;
  if (header) {
    std::vector<std::string> h;
    for (const auto& c : *header) h.push_back(lower(trim(c.text)));
    auto has = [&](const char* x) { return std::find(h.begin(), h.end(), x) != h.end(); };
    if (has("a") && has("b")) return "links";
    if (has("function")) return "components";
    if (has("lat") || has("region")) return "sites";
  }
  return "";
}

struct Table {
  std::string file, kind;
  std::vector<Row> rows;              // without the header
  std::map<std::string, size_t> col;  // column name -> index
  const Cell* get(const Row& r, const char* name) const {
    auto it = col.find(name);
    if (it == col.end() || it->second >= r.size()) return nullptr;
    return &r[it->second];
  }
};

std::vector<StrId> split_tags(Network& net, std::string_view s) {
  std::vector<StrId> out;
  size_t b = 0;
  while (b <= s.size()) {
    size_t e = s.find_first_of(";|", b);
    if (e == std::string_view::npos) e = s.size();
    auto t = trim(s.substr(b, e - b));
    if (!t.empty()) out.push_back(net.strings.intern(t));
    b = e + 1;
  }
  return out;
}

template <typename T>
bool parse_num(const std::string& s, T& out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

SourceLoc at(const std::string& file, const Cell& c) { return {file, c.line, c.column, {}}; }

template <typename E>
std::optional<E> parse_enum(const std::string& file, const Cell& c, const char* what,
                            std::optional<E> (*parse)(std::string_view), std::vector<std::string_view> (*names)(),
                            Diagnostics& diags) {
  auto v = parse(lower(trim(c.text)));
  if (!v) {
    auto hint = did_you_mean(trim(c.text), names());
    diags.error(at(file, c), fmt::format("unknown {} \"{}\"{}", what, trim(c.text),
                                         hint ? fmt::format(" (did you mean \"{}\"?)", *hint) : ""));
  }
  return v;
}

}  // namespace

Expected<Network> import_csv_texts(const std::vector<CsvText>& texts, Diagnostics& diags, ImportSummary* summary) {
  ImportSummary own;
  ImportSummary& sum = summary ? *summary : own;
  std::vector<Table> tables;
  for (const auto& t : texts) {
    Table tab;
    tab.file = t.file;
    if (!split_csv(t.text, t.file, tab.rows, diags)) continue;
    if (tab.rows.empty()) {
      diags.error({t.file, 1, 1, {}}, "empty CSV: expected a header row");
      continue;
    }
    Row header = std::move(tab.rows.front());
    tab.rows.erase(tab.rows.begin());
    tab.kind = kind_of(t.file, t.kind, &header);
    if (tab.kind.empty()) {
      diags.error({t.file, 1, 1, {}},
                  "cannot tell whether this is sites, components or links: name the file sites.csv, components.csv "
                  "or links.csv");
      continue;
    }
    const auto& known = columns_of(tab.kind);
    for (size_t i = 0; i < header.size(); ++i) {
      std::string name = lower(trim(header[i].text));
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        auto hint = did_you_mean(name, known);
        diags.error(at(t.file, header[i]), fmt::format("unknown {} column \"{}\"{}", tab.kind, name,
                                                       hint ? fmt::format(" (did you mean \"{}\"?)", *hint) : ""));
        continue;
      }
      if (!tab.col.emplace(name, i).second)
        diags.error(at(t.file, header[i]), fmt::format("column \"{}\" appears twice", name));
    }
    for (const char* req : tab.kind == "links"        ? std::vector<const char*>{"a", "b"}
                           : tab.kind == "components" ? std::vector<const char*>{"id", "function"}
                                                      : std::vector<const char*>{"id"})
      if (!tab.col.count(req)) diags.error({t.file, 1, 1, {}}, fmt::format("missing required column \"{}\"", req));
    sum.records[tab.kind] += tab.rows.size();
    tables.push_back(std::move(tab));
  }
  if (diags.has_errors()) return diags.to_status();
  Network net;
  if (!texts.empty()) net.source_file = texts.front().file;
  std::stable_sort(tables.begin(), tables.end(), [](const Table& a, const Table& b) {
    auto rank = [](const std::string& k) { return k == "sites" ? 0 : k == "components" ? 1 : 2; };
    return rank(a.kind) < rank(b.kind);
  });
  std::vector<std::tuple<ComponentIdx, Cell, std::string>> parents;  // resolved after all components
  for (const auto& tab : tables) {
    for (const auto& r : tab.rows) {
      auto val = [&](const char* n) { return tab.get(r, n) ? trim(tab.get(r, n)->text) : std::string(); };
      uint32_t line = r.empty() ? 0 : r[0].line;
      if (tab.kind == "sites") {
        std::string id = val("id");
        if (id.empty()) {
          diags.error({tab.file, line, 1, {}}, "site without an id");
          continue;
        }
        if (net.find_site(id)) {
          diags.error(at(tab.file, *tab.get(r, "id")), fmt::format("duplicate site id \"{}\"", id));
          continue;
        }
        SiteIdx s = net.add_site(id);
        net.sites.name[s] = net.strings.intern(val("name"));
        net.sites.region[s] = net.strings.intern(val("region"));
        net.sites.line[s] = line;
        for (const char* k : {"lat", "lon"}) {
          std::string v = val(k);
          if (v.empty()) continue;
          double d;
          bool lat = k[1] == 'a';
          if (!parse_num(v, d) || (lat ? std::abs(d) > 90 : std::abs(d) > 180)) {
            diags.error(at(tab.file, *tab.get(r, k)), fmt::format("{} must be a number in range, got \"{}\"", k, v));
            continue;
          }
          (lat ? net.sites.lat : net.sites.lon)[s] = d;
        }
        auto tags = split_tags(net, val("tags"));
        net.sites.tags.ids.insert(net.sites.tags.ids.end(), tags.begin(), tags.end());
        net.sites.tags.offsets.back() += static_cast<uint32_t>(tags.size());
      } else if (tab.kind == "components") {
        std::string id = val("id");
        const Cell* fc = tab.get(r, "function");
        if (id.empty() || !fc) {
          diags.error({tab.file, line, 1, {}}, "component needs id and function");
          continue;
        }
        auto fn = parse_enum<Function>(tab.file, *fc, "function", parse_function, function_names, diags);
        if (!fn) continue;
        if (net.find_component(id)) {
          diags.error(at(tab.file, *tab.get(r, "id")), fmt::format("duplicate component id \"{}\"", id));
          continue;
        }
        ComponentIdx c = net.add_component(id, *fn);
        net.components.line[c] = line;
        net.components.name[c] = net.strings.intern(val("name"));
        net.components.vendor[c] = net.strings.intern(val("vendor"));
        net.components.model[c] = net.strings.intern(val("model"));
        net.components.software[c] = net.strings.intern(val("software"));
        ++sum.vendors[val("vendor")];
        if (auto* g = tab.get(r, "generation"); g && !trim(g->text).empty())
          if (auto gen = parse_enum<Generation>(tab.file, *g, "generation", parse_generation, generation_names, diags))
            net.components.generation[c] = *gen;
        if (std::string s = val("site"); !s.empty()) {
          auto si = net.find_site(s);
          if (!si) {
            std::vector<std::string_view> ids;
            for (SiteIdx x = 0; x < net.sites.size(); ++x) ids.push_back(net.site_id(x));
            auto hint = did_you_mean(s, ids);
            diags.error(
                at(tab.file, *tab.get(r, "site")),
                fmt::format("unknown site \"{}\"{}", s, hint ? fmt::format(" (did you mean \"{}\"?)", *hint) : ""));
          } else {
            net.components.site[c] = *si;
          }
        }
        for (const char* k : {"subscribers", "cells"}) {
          std::string v = val(k);
          if (v.empty()) continue;
          uint64_t n;
          if (!parse_num(v, n) || (k[0] == 'c' && n > UINT32_MAX)) {
            diags.error(at(tab.file, *tab.get(r, k)), fmt::format("{} must be a whole number, got \"{}\"", k, v));
            continue;
          }
          if (k[0] == 's')
            net.components.subscribers[c] = n;
          else
            net.components.cells[c] = static_cast<uint32_t>(n);
        }
        if (auto* p = tab.get(r, "parent"); p && !trim(p->text).empty()) parents.emplace_back(c, *p, tab.file);
        auto tags = split_tags(net, val("tags"));
        net.components.tags.ids.insert(net.components.tags.ids.end(), tags.begin(), tags.end());
        net.components.tags.offsets.back() += static_cast<uint32_t>(tags.size());
      } else {
        std::optional<ComponentIdx> ends[2];
        for (int e = 0; e < 2; ++e) {
          const Cell* cell = tab.get(r, e ? "b" : "a");
          std::string id = cell ? trim(cell->text) : "";
          ends[e] = net.find_component(id);
          if (!ends[e]) {
            std::vector<std::string_view> ids;
            for (ComponentIdx x = 0; x < net.components.size() && x < 100000; ++x) ids.push_back(net.component_id(x));
            auto hint = did_you_mean(id, ids);
            diags.error(cell ? at(tab.file, *cell) : SourceLoc{tab.file, line, 1, {}},
                        fmt::format("link end \"{}\" is not a component{}", id,
                                    hint ? fmt::format(" (did you mean \"{}\"?)", *hint) : ""));
          }
        }
        Interface itf = Interface::kTransport;
        if (auto* ic = tab.get(r, "interface"); ic && !trim(ic->text).empty()) {
          auto i = parse_enum<Interface>(tab.file, *ic, "interface", parse_interface, interface_names, diags);
          if (!i) continue;
          itf = *i;
        }
        uint8_t prot = kProtNone;
        if (auto* pc = tab.get(r, "protection")) {
          std::string_view s = pc->text;
          size_t b = 0;
          while (b <= s.size()) {
            size_t e = s.find_first_of(";|", b);
            if (e == std::string_view::npos) e = s.size();
            std::string p = lower(trim(s.substr(b, e - b)));
            if (!p.empty()) {
              auto pv = parse_protection(p);
              if (!pv)
                diags.error(at(tab.file, *pc),
                            fmt::format("unknown protection \"{}\" (encrypted, integrity, monitored)", p));
              else
                prot |= *pv;
            }
            b = e + 1;
          }
        }
        if (!ends[0] || !ends[1]) continue;
        LinkIdx l = net.add_link(*ends[0], *ends[1], itf, prot);
        net.links.line[l] = line;
      }
      if (diags.full()) return diags.to_status();
    }
  }
  for (auto& [c, cell, file] : parents) {
    auto p = net.find_component(trim(cell.text));
    if (!p || *p == c)
      diags.error(at(file, cell), fmt::format("parent \"{}\" is not another component", trim(cell.text)));
    else
      net.components.parent[c] = *p;
  }
  // A parent cycle would make "what contains what" loop forever downstream.
  for (ComponentIdx c = 0; c < net.components.size(); ++c) {
    ComponentIdx x = net.components.parent[c];
    for (size_t steps = 0; x != kNone; ++steps, x = net.components.parent[x]) {
      if (x == c || steps > net.components.size()) {
        diags.error({net.source_file, net.components.line[c], 1, {}},
                    fmt::format("component \"{}\" is its own ancestor (parent cycle)", net.component_id(c)));
        break;
      }
    }
    if (diags.full()) break;
  }
  if (diags.has_errors()) return diags.to_status();
  sum.sites = net.sites.size();
  sum.components = net.components.size();
  sum.links = net.links.size();
  return net;
}

Expected<Network> import_csv(const std::vector<std::string>& inputs, Diagnostics& diags, ImportSummary* summary,
                             const ReadLimits& limits) {
  std::vector<CsvText> texts;
  std::vector<std::string> files;
  for (const auto& in : inputs) {
    std::error_code ec;
    if (std::filesystem::is_directory(in, ec)) {
      std::vector<std::string> found;
      for (auto& e : std::filesystem::directory_iterator(in, ec))
        if (e.is_regular_file() && e.path().extension() == ".csv") found.push_back(e.path().string());
      std::sort(found.begin(), found.end());
      if (found.empty()) diags.error({in, 0, 0, {}}, "no *.csv files in this folder");
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(in);
    }
  }
  for (const auto& f : files) {
    std::error_code ec;
    auto size = std::filesystem::file_size(f, ec);
    if (ec) {
      diags.error({f, 0, 0, {}}, "cannot read: " + ec.message());
      continue;
    }
    if (size > limits.max_bytes) {
      diags.error({f, 0, 0, {}}, "file over the size limit");
      continue;
    }
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    texts.push_back({f, "", ss.str()});
  }
  if (diags.has_errors()) return diags.to_status();
  return import_csv_texts(texts, diags, summary);
}

}  // namespace netvet
