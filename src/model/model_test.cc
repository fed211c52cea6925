#include "netvet/model.h"

#include <gtest/gtest.h>

namespace netvet {
namespace {

Network small_network() {
  Network net;
  SiteIdx s = net.add_site("AKL-001");
  ComponentIdx gnb = net.add_component("akl-gnb", Function::kGnb);
  net.components.site[gnb] = s;
  net.components.vendor[gnb] = net.strings.intern("Huawei");
  ComponentIdx amf = net.add_component("amf-1", Function::kAmf);
  ComponentIdx upf = net.add_component("upf-1", Function::kUpf);
  net.add_link(gnb, amf, Interface::kN2);
  net.add_link(gnb, upf, Interface::kN3);
  return net;
}

}  // namespace

TEST(Taxonomy, NamesRoundTripAndDomains) {
  for (auto name : function_names()) EXPECT_EQ(function_name(*parse_function(name)), name);
  for (auto name : interface_names()) EXPECT_EQ(interface_name(*parse_interface(name)), name);
  EXPECT_EQ(function_domain(Function::kUdm), Domain::kCore5g);
  EXPECT_EQ(function_domain(Function::kEms), Domain::kManagement);
  EXPECT_EQ(parse_generation("5g-nsa"), Generation::k5gNsa);
  EXPECT_FALSE(parse_function("gnodeb"));
}

TEST(Proposal, AddsChangesAndRemovesWithStates) {
  Network base = small_network();
  Proposal p;
  p.source_file = "p.yaml";
  ComponentIdx c = p.add.add_component("akl-gnb-5g", Function::kGnb);
  p.add.components.vendor[c] = p.add.strings.intern("Huawei");
  p.add_site_ref = {"AKL-001"};
  p.add_parent_ref = {""};
  p.add_links.push_back({"akl-gnb-5g", "upf-1", Interface::kN3, 0, 5});
  ComponentChange ch;
  ch.id = "amf-1";
  ch.vendor = "Ericsson";
  p.change.push_back(ch);
  p.remove_components.push_back({"akl-gnb", 9});
  auto r = apply_proposal(base, p);
  ASSERT_TRUE(r) << r.error().to_string();
  const Network& n = r->network;
  ASSERT_EQ(n.components.size(), 3u);
  EXPECT_FALSE(n.find_component("akl-gnb"));
  auto added = *n.find_component("akl-gnb-5g");
  EXPECT_EQ(r->state[added], ComponentState::kAdded);
  EXPECT_EQ(n.components.site[added], *n.find_site("AKL-001"));
  EXPECT_EQ(r->state[*n.find_component("amf-1")], ComponentState::kChanged);
  EXPECT_EQ(n.str(n.components.vendor[*n.find_component("amf-1")]), "Ericsson");
  EXPECT_EQ(n.links.size(), 1u);  // the removed gNB took both its links; one link added
  EXPECT_EQ(r->removed, std::vector<std::string>{"akl-gnb"});
}

TEST(Proposal, ReportsEveryBadReferenceWithLines) {
  Network base = small_network();
  Proposal p;
  p.source_file = "p.yaml";
  p.remove_components.push_back({"ghost", 4});
  ComponentChange ch;
  ch.id = "nope";
  ch.line = 6;
  p.change.push_back(ch);
  p.add_links.push_back({"amf-1", "missing", Interface::kN2, 0, 8});
  auto r = apply_proposal(base, p);
  ASSERT_FALSE(r);
  const std::string msg = r.error().message();
  EXPECT_NE(msg.find("p.yaml:4"), std::string::npos) << msg;
  EXPECT_NE(msg.find("p.yaml:6"), std::string::npos) << msg;
  EXPECT_NE(msg.find("p.yaml:8"), std::string::npos) << msg;
}

TEST(Geo, GreatCircleMatchesKnownDistance) {
  // Auckland to Wellington: about 493 km.
  EXPECT_NEAR(great_circle_km(-36.8485, 174.7633, -41.2865, 174.7762), 493.5, 1.0);
  EXPECT_DOUBLE_EQ(great_circle_km(10, 20, 10, 20), 0.0);
}

TEST(Clone, KeepsIdsAndIndexes) {
  Network a = small_network();
  Network b = clone(a);
  EXPECT_EQ(b.component_id(0), "akl-gnb");
  EXPECT_EQ(*b.find_component("upf-1"), 2u);
  EXPECT_EQ(b.str(b.components.vendor[0]), "Huawei");
}

TEST(Clone, CopiesEveryPartOfAProposal) {
  Proposal p;
  p.title = "RAN swap";
  p.source_file = "p.yaml";
  p.add = small_network();
  p.add_site_ref = {"AKL-001", "", ""};
  p.add_parent_ref = {"", "", "akl-gnb"};
  p.remove_components = {{"old-1", 4}};
  p.remove_sites = {{"OLD", 5}};
  p.remove_links = {{"a", "b", Interface::kN2, 6}};
  p.change.push_back({});
  p.change.back().id = "upf-1";
  p.add_links.push_back({"akl-gnb", "upf-1", Interface::kN3, 0, 7});
  Proposal c = clone(p);
  c.add.add_component("new", Function::kAmf);  // the copy's network is its own
  EXPECT_EQ(p.add.components.size(), 3u);
  EXPECT_EQ(c.title, p.title);
  EXPECT_EQ(c.source_file, p.source_file);
  EXPECT_EQ(*c.add.find_component("upf-1"), 2u);
  EXPECT_EQ(c.add_site_ref, p.add_site_ref);
  EXPECT_EQ(c.add_parent_ref, p.add_parent_ref);
  EXPECT_EQ(c.remove_components, p.remove_components);
  EXPECT_EQ(c.remove_sites, p.remove_sites);
  ASSERT_EQ(c.remove_links.size(), 1u);
  EXPECT_EQ(c.remove_links[0].line, 6u);
  ASSERT_EQ(c.change.size(), 1u);
  EXPECT_EQ(c.change[0].id, "upf-1");
  ASSERT_EQ(c.add_links.size(), 1u);
  EXPECT_EQ(c.add_links[0].b, "upf-1");
  EXPECT_EQ(c.add_links[0].line, 7u);
}

}  // namespace netvet
