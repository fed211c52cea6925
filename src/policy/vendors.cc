// resolve_vendors: the vendor columns every rule reads. A national network has
// 10^6 components but a few dozen vendor spellings and a few dozen functions,
// so resolution is cached per distinct vendor string and risk per
// (KB vendor, function): the per-row work is two lookups.
#include <algorithm>
#include <cctype>
#include <map>
#include <unordered_map>

#include "netvet/kb.h"
#include "netvet/policy.h"

namespace netvet {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// A designation limited to some uses (NDAA s889: Hikvision/Dahua/Hytera for
// video surveillance only) applies to a component whose function or domain it names.
bool applies_to(const Designation& d, Function use) {
  if (d.limited_to.empty()) return true;
  return std::any_of(d.limited_to.begin(), d.limited_to.end(), [&](const std::string& s) {
    return iequals(s, function_name(use)) || iequals(s, domain_name(function_domain(use)));
  });
}

class BasisTable {
 public:
  BasisTable(const KnowledgeBase& kb, const Jurisdiction& j, VendorColumns& out) : kb_(kb), j_(j), out_(out) {}

  uint32_t intern(const RiskBasis& b, uint32_t vendor) {
    auto key = std::make_tuple(b.reason, b.citation.instrument, b.citation.section);
    auto it = index_.find(key);
    if (it != index_.end()) return it->second;
    uint32_t idx = static_cast<uint32_t>(out_.bases.size());
    out_.bases.push_back(b);
    out_.basis_classification.push_back(overlay_classification(b, vendor));
    out_.basis_criterion.push_back(criterion_of(b));
    index_.emplace(std::move(key), idx);
    return idx;
  }

 private:
  // Overlay assessments are agency-held: a reason that came from one carries
  // the overlay's classification so disclosure can withhold it.
  Classification overlay_classification(const RiskBasis& b, uint32_t vendor) const {
    Classification c = Classification::kUnclassified;
    if (vendor == kNone) return c;
    auto chain = kb_.ownership_chain(vendor);
    for (const auto& ov : kb_.overlays) {
      if (!ov.jurisdiction.empty() && !iequals(ov.jurisdiction, j_.code)) continue;
      for (const auto& a : ov.vendor_assessments) {
        if (a.reason != b.reason) continue;
        auto idx = kb_.resolve_vendor(a.vendor);
        if (idx && std::find(chain.begin(), chain.end(), *idx) != chain.end()) c = std::max(c, ov.classification);
      }
    }
    return c;
  }

  int32_t criterion_of(const RiskBasis& b) const {
    if (b.risk != VendorRisk::kHighRisk) return -1;
    const auto& crit = j_.risk_criteria;
    for (size_t k = 0; k < crit.size(); ++k) {
      const auto& c = crit[k];
      bool same_reason = !c.reason.empty() && b.reason.find(c.reason) != std::string::npos;
      bool same_citation = !c.citation.instrument.empty() && c.citation.instrument == b.citation.instrument &&
                           c.citation.section == b.citation.section && c.citation.url == b.citation.url;
      if (same_reason || same_citation) return static_cast<int32_t>(k);
    }
    return -1;
  }

  const KnowledgeBase& kb_;
  const Jurisdiction& j_;
  VendorColumns& out_;
  std::map<std::tuple<std::string, std::string, std::string>, uint32_t> index_;
};

}  // namespace

VendorColumns resolve_vendors(const Network& net, const KnowledgeBase& kb, const Jurisdiction& j, Date date) {
  const auto& comps = net.components;
  const size_t n = comps.size();
  VendorColumns out;
  out.vendor.assign(n, kNone);
  out.risk.assign(n, VendorRisk::kUnknown);
  out.designated.assign(n, 0);
  out.basis.assign(n, kNone);
  BasisTable bases(kb, j, out);

  // Distinct vendor strings -> KB vendor index; last-hit shortcut because
  // inventories list equipment vendor by vendor.
  std::unordered_map<StrId, uint32_t> by_string;
  StrId last_string = 0;
  uint32_t last_vendor = kNone;
  bool have_last = false;

  // (KB vendor, function) -> risk, basis, designated; filled on first use.
  struct Entry {
    bool done = false;
    VendorRisk risk = VendorRisk::kUnknown;
    uint32_t basis = kNone;
    uint8_t designated = 0;
  };
  std::vector<Entry> per_use(kb.vendors.size() * kFunctionCount);

  uint32_t unresolved_basis = kNone, missing_basis = kNone;

  for (size_t c = 0; c < n; ++c) {
    const StrId s = comps.vendor[c];
    if (s == 0) {
      // No vendor recorded: the jurisdiction cannot trust what it cannot identify.
      if (missing_basis == kNone) {
        missing_basis = bases.intern({VendorRisk::kUnknown, "no vendor recorded for the equipment", {}}, kNone);
      }
      out.basis[c] = missing_basis;
      continue;
    }
    uint32_t v;
    if (have_last && s == last_string) {
      v = last_vendor;
    } else {
      auto it = by_string.find(s);
      if (it == by_string.end()) {
        auto r = kb.resolve_vendor(net.str(s));
        it = by_string.emplace(s, r && *r < kb.vendors.size() ? *r : kNone).first;
      }
      v = it->second;
      last_string = s;
      last_vendor = v;
      have_last = true;
    }
    out.vendor[c] = v;
    if (v == kNone) {
      if (unresolved_basis == kNone) {
        unresolved_basis = bases.intern({VendorRisk::kUnknown, "vendor not in the knowledge base", {}}, kNone);
      }
      out.basis[c] = unresolved_basis;
      continue;
    }
    const Function use = comps.function[c];
    Entry& e = per_use[static_cast<size_t>(v) * kFunctionCount + static_cast<size_t>(use)];
    if (!e.done) {
      e.done = true;
      RiskBasis b = kb.vendor_risk(v, j, date, use);
      e.risk = b.risk;
      if (b.risk != VendorRisk::kTrusted) e.basis = bases.intern(b, v);
      for (const Designation* d : kb.designations_in_force(v, date)) {
        if (d && iequals(d->by, j.code) && applies_to(*d, use)) e.designated = 1;
      }
    }
    out.risk[c] = e.risk;
    out.basis[c] = e.basis;
    out.designated[c] = e.designated;
  }
  return out;
}

}  // namespace netvet
