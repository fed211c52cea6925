// Native JSON of a proposal. Proposals are small (a notification's delta), so
// clarity beats speed here: the added rows go through the network writer (one
// schema for both), then get the site and parent ids a proposal names them by.
#include <nlohmann/json.hpp>

#include "netvet/io.h"

namespace netvet {
namespace {

nlohmann::ordered_json protection_list(uint8_t protection) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (Protection p : {kEncrypted, kIntegrity, kMonitored})
    if (protection & p) out.push_back(protection_name(p));
  return out;
}

}  // namespace

std::string write_proposal_json(const Proposal& p) {
  using J = nlohmann::ordered_json;
  J doc = J::object();
  doc["netvet"] = 1;
  doc["proposal"] = p.title;

  J add = J::parse(write_network_json(p.add));
  add.erase("netvet");
  J& components = add["components"];
  for (size_t i = 0; i < components.size(); ++i) {
    J& c = components[i];
    c.erase("site");
    c.erase("parent");
    if (i < p.add_site_ref.size() && !p.add_site_ref[i].empty()) c["site"] = p.add_site_ref[i];
    if (i < p.add_parent_ref.size() && !p.add_parent_ref[i].empty()) c["parent"] = p.add_parent_ref[i];
  }
  J links = J::array();
  for (const auto& l : p.add_links) {
    J row = {l.a, l.b, interface_name(l.interface)};
    if (l.protection) row.push_back(protection_list(l.protection));
    links.push_back(std::move(row));
  }
  add["links"] = std::move(links);
  doc["add"] = std::move(add);

  J remove = J::object();
  J rc = J::array(), rs = J::array(), rl = J::array();
  for (const auto& [id, _] : p.remove_components) rc.push_back(id);
  for (const auto& [id, _] : p.remove_sites) rs.push_back(id);
  for (const auto& l : p.remove_links) {
    J row = {l.a, l.b};
    if (l.interface) row.push_back(interface_name(*l.interface));
    rl.push_back(std::move(row));
  }
  remove["components"] = std::move(rc);
  remove["sites"] = std::move(rs);
  remove["links"] = std::move(rl);
  doc["remove"] = std::move(remove);

  J change = J::array();
  for (const auto& ch : p.change) {
    J c = {{"id", ch.id}};
    if (ch.name) c["name"] = *ch.name;
    if (ch.function) c["function"] = function_name(*ch.function);
    if (ch.generation) c["generation"] = generation_name(*ch.generation);
    if (ch.vendor) c["vendor"] = *ch.vendor;
    if (ch.model) c["model"] = *ch.model;
    if (ch.software) c["software"] = *ch.software;
    if (ch.site) c["site"] = *ch.site;
    if (ch.subscribers || ch.cells) {
      J serves = J::object();
      if (ch.subscribers) serves["subscribers"] = *ch.subscribers;
      if (ch.cells) serves["cells"] = *ch.cells;
      c["serves"] = std::move(serves);
    }
    change.push_back(std::move(c));
  }
  doc["change"] = std::move(change);
  return doc.dump(1) + "\n";
}

}  // namespace netvet
