#include <algorithm>
#include <unordered_set>

#include "netvet/model.h"

namespace netvet {
namespace {

SourceLoc at(const Proposal& p, uint32_t line) { return {p.source_file, line, 0, {}}; }

// Drops the components flagged in `drop` and every link touching them, renumbering the rest.
void drop_components(Network& net, const std::vector<char>& drop) {
  auto& c = net.components;
  std::vector<ComponentIdx> remap(c.size(), kNone);
  ComponentIdx next = 0;
  for (ComponentIdx i = 0; i < c.size(); ++i)
    if (!drop[i]) remap[i] = next++;
  auto keep = [&](auto& col) {
    size_t w = 0;
    for (size_t i = 0; i < col.size(); ++i)
      if (!drop[i]) col[w++] = col[i];
    col.resize(w);
  };
  keep(c.id); keep(c.name); keep(c.function); keep(c.generation); keep(c.vendor); keep(c.model);
  keep(c.software); keep(c.site); keep(c.parent); keep(c.subscribers); keep(c.cells); keep(c.line);
  TagColumn tags;
  for (ComponentIdx i = 0; i + 1 < c.tags.offsets.size(); ++i)
    if (!drop[i]) tags.push_row(c.tags.row(i));
  c.tags = std::move(tags);
  for (auto& p : c.parent) p = p == kNone ? kNone : remap[p];

  auto& l = net.links;
  size_t w = 0;
  for (size_t i = 0; i < l.size(); ++i) {
    if (drop[l.a[i]] || drop[l.b[i]]) continue;
    l.a[w] = remap[l.a[i]];
    l.b[w] = remap[l.b[i]];
    l.interface[w] = l.interface[i];
    l.protection[w] = l.protection[i];
    l.line[w] = l.line[i];
    ++w;
  }
  l.a.resize(w); l.b.resize(w); l.interface.resize(w); l.protection.resize(w); l.line.resize(w);
  net.reindex();
}

}  // namespace

Expected<ProposedNetwork> apply_proposal(const Network& base, const Proposal& p) {
  Diagnostics diags;
  ProposedNetwork out{clone(base), {}, {}};
  Network& net = out.network;

  // 1. Removals.
  std::vector<char> drop(net.components.size(), 0);
  for (const auto& [id, line] : p.remove_components) {
    if (auto c = net.find_component(id)) {
      drop[*c] = 1;
      out.removed.push_back(id);
    } else {
      diags.error(at(p, line), "cannot remove component \"" + id + "\": it is not in the network");
    }
  }
  for (const auto& [id, line] : p.remove_sites) {
    auto s = net.find_site(id);
    if (!s) {
      diags.error(at(p, line), "cannot remove site \"" + id + "\": it is not in the network");
      continue;
    }
    // A removed site takes its equipment with it.
    for (ComponentIdx c = 0; c < net.components.size(); ++c)
      if (net.components.site[c] == *s && !drop[c]) {
        drop[c] = 1;
        out.removed.emplace_back(net.component_id(c));
      }
  }
  std::vector<char> drop_link(net.links.size(), 0);
  for (const auto& ref : p.remove_links) {
    auto a = net.find_component(ref.a), b = net.find_component(ref.b);
    bool found = false;
    if (a && b)
      for (LinkIdx l = 0; l < net.links.size(); ++l) {
        bool ends = (net.links.a[l] == *a && net.links.b[l] == *b) || (net.links.a[l] == *b && net.links.b[l] == *a);
        if (ends && (!ref.interface || net.links.interface[l] == *ref.interface)) {
          drop_link[l] = 1;
          found = true;
        }
      }
    if (!found) diags.error(at(p, ref.line), "cannot remove link " + ref.a + " - " + ref.b + ": no such link");
  }
  {
    auto& l = net.links;
    size_t w = 0;
    for (size_t i = 0; i < l.size(); ++i) {
      if (drop_link[i]) continue;
      l.a[w] = l.a[i]; l.b[w] = l.b[i]; l.interface[w] = l.interface[i];
      l.protection[w] = l.protection[i]; l.line[w] = l.line[i];
      ++w;
    }
    l.a.resize(w); l.b.resize(w); l.interface.resize(w); l.protection.resize(w); l.line.resize(w);
  }
  if (std::find(drop.begin(), drop.end(), 1) != drop.end()) drop_components(net, drop);
  out.state.assign(net.components.size(), ComponentState::kExisting);

  // 2. Changes.
  for (const auto& ch : p.change) {
    auto c = net.find_component(ch.id);
    if (!c) {
      diags.error(at(p, ch.line), "cannot change component \"" + ch.id + "\": it is not in the network");
      continue;
    }
    auto& t = net.components;
    if (ch.vendor) t.vendor[*c] = net.strings.intern(*ch.vendor);
    if (ch.model) t.model[*c] = net.strings.intern(*ch.model);
    if (ch.software) t.software[*c] = net.strings.intern(*ch.software);
    if (ch.name) t.name[*c] = net.strings.intern(*ch.name);
    if (ch.function) t.function[*c] = *ch.function;
    if (ch.generation) t.generation[*c] = *ch.generation;
    if (ch.subscribers) t.subscribers[*c] = *ch.subscribers;
    if (ch.cells) t.cells[*c] = *ch.cells;
    if (ch.site) {
      if (auto s = net.find_site(*ch.site)) t.site[*c] = *s;
      else diags.error(at(p, ch.line), "component \"" + ch.id + "\" moved to unknown site \"" + *ch.site + "\"");
    }
    out.state[*c] = ComponentState::kChanged;
  }

  // 3. Additions: sites first (components may sit on them), then components, then links.
  const Network& add = p.add;
  for (SiteIdx s = 0; s < add.sites.size(); ++s) {
    std::string_view id = add.site_id(s);
    if (net.find_site(id)) {
      diags.error(at(p, add.sites.line[s]), "site \"" + std::string(id) + "\" is already in the network");
      continue;
    }
    SiteIdx n = net.add_site(id);
    net.sites.name[n] = net.strings.intern(add.str(add.sites.name[s]));
    net.sites.region[n] = net.strings.intern(add.str(add.sites.region[s]));
    net.sites.lat[n] = add.sites.lat[s];
    net.sites.lon[n] = add.sites.lon[s];
    net.sites.line[n] = add.sites.line[s];
    std::vector<StrId> tags;
    for (StrId t : add.sites.tags.row(s)) tags.push_back(net.strings.intern(add.str(t)));
    net.sites.tags.offsets.pop_back();
    net.sites.tags.ids.resize(net.sites.tags.offsets.back());
    net.sites.tags.push_row(tags);
  }
  const size_t first_added = net.components.size();
  for (ComponentIdx c = 0; c < add.components.size(); ++c) {
    std::string_view id = add.component_id(c);
    if (net.find_component(id)) {
      diags.error(at(p, add.components.line[c]), "component \"" + std::string(id) + "\" is already in the network");
      continue;
    }
    const auto& a = add.components;
    ComponentIdx n = net.add_component(id, a.function[c]);
    auto& t = net.components;
    t.name[n] = net.strings.intern(add.str(a.name[c]));
    t.generation[n] = a.generation[c];
    t.vendor[n] = net.strings.intern(add.str(a.vendor[c]));
    t.model[n] = net.strings.intern(add.str(a.model[c]));
    t.software[n] = net.strings.intern(add.str(a.software[c]));
    t.subscribers[n] = a.subscribers[c];
    t.cells[n] = a.cells[c];
    t.line[n] = a.line[c];
    std::vector<StrId> tags;
    for (StrId tg : a.tags.row(c)) tags.push_back(net.strings.intern(add.str(tg)));
    t.tags.offsets.pop_back();
    t.tags.ids.resize(t.tags.offsets.back());
    t.tags.push_row(tags);
    out.state.push_back(ComponentState::kAdded);
    const std::string site_ref = c < p.add_site_ref.size() ? p.add_site_ref[c] : "";
    if (!site_ref.empty()) {
      if (auto s = net.find_site(site_ref)) t.site[n] = *s;
      else diags.error(at(p, a.line[c]), "component \"" + std::string(id) + "\" is on unknown site \"" + site_ref + "\"");
    }
  }
  for (ComponentIdx c = 0; c < add.components.size(); ++c) {
    const std::string parent_ref = c < p.add_parent_ref.size() ? p.add_parent_ref[c] : "";
    if (parent_ref.empty()) continue;
    auto n = net.find_component(add.component_id(c));
    auto parent = net.find_component(parent_ref);
    if (!parent) {
      diags.error(at(p, add.components.line[c]), "parent \"" + parent_ref + "\" is not a component");
      continue;
    }
    if (n && *n >= first_added) net.components.parent[*n] = *parent;
  }
  for (const auto& pl : p.add_links) {
    auto a = net.find_component(pl.a), b = net.find_component(pl.b);
    if (!a) diags.error(at(p, pl.line), "link end \"" + pl.a + "\" is not a component");
    if (!b) diags.error(at(p, pl.line), "link end \"" + pl.b + "\" is not a component");
    if (a && b) net.links.line[net.add_link(*a, *b, pl.interface, pl.protection)] = pl.line;
  }
  for (uint32_t s = 0; s < add.sensitive.size(); ++s) {
    uint32_t n = net.add_sensitive(add.str(add.sensitive.id[s]), add.sensitive.lat[s], add.sensitive.lon[s],
                                   add.sensitive.radius_km[s], add.sensitive.kind[s]);
    net.sensitive.name[n] = net.strings.intern(add.str(add.sensitive.name[s]));
    net.sensitive.line[n] = add.sensitive.line[s];
  }

  if (diags.has_errors()) return diags.to_status();
  return out;
}

}  // namespace netvet
