// The vendor portfolio reader (docs/plan.md "Portfolios"): YAML with
// file:line:col errors for every problem, not just the first.
#include <yaml-cpp/yaml.h>

#include <fmt/format.h>

#include <algorithm>

#include "netvet/plan.h"
#include "yaml_input.h"

namespace netvet {
namespace {

using plan_internal::loc_of;

constexpr std::string_view kEvidenceNames[] = {"vendor-page", "vendor-document", "report"};

std::string hint(std::string_view s, const std::vector<std::string_view>& names) {
  auto d = did_you_mean(s, names);
  return d ? fmt::format(" (did you mean \"{}\"?)", *d) : "";
}

void read_vendors(const YAML::Node& vendors, const std::string& file, Portfolios& out, Diagnostics& diags);

}  // namespace

std::string_view portfolio_evidence_name(PortfolioEvidence e) { return kEvidenceNames[static_cast<int>(e)]; }

const PortfolioEntry* Portfolios::supplies(std::string_view vendor, Function f) const {
  auto it = vendors.find(std::string(vendor));
  if (it == vendors.end()) return nullptr;
  const PortfolioEntry* best = nullptr;
  for (const PortfolioEntry& e : it->second)
    if (std::find(e.functions.begin(), e.functions.end(), f) != e.functions.end() &&
        (!best || e.evidence < best->evidence))
      best = &e;
  return best;
}

Expected<Portfolios> parse_portfolios(std::string_view yaml, const std::string& file, Diagnostics& diags) {
  auto doc = plan_internal::load_yaml(yaml, file, diags);
  if (!doc) return diags.to_status();
  const YAML::Node& root = *doc;
  Portfolios out;
  out.file = file;
  if (!root.IsMap() || !root["netvet-portfolios"] || root["netvet-portfolios"].as<std::string>("") != "1") {
    diags.error(root.IsMap() ? loc_of(file, root) : SourceLoc{file, 1, 1, {}}, "expected a map with netvet-portfolios: 1");
    return diags.to_status();
  }
  for (auto it = root.begin(); it != root.end(); ++it) {
    const std::string key = it->first.as<std::string>();
    if (key != "netvet-portfolios" && key != "vendors")
      diags.error(loc_of(file, it->first),
                  fmt::format("unknown key \"{}\"{}", key, hint(key, {"netvet-portfolios", "vendors"})));
  }
  const YAML::Node vendors = root["vendors"];
  if (!vendors || !vendors.IsMap()) {
    diags.error(loc_of(file, vendors ? vendors : root), "vendors must map vendor ids to lists of entries");
    return diags.to_status();
  }
  try {
    read_vendors(vendors, file, out, diags);
  } catch (const YAML::Exception& e) {  // a list or map where a name should be
    diags.error(plan_internal::loc_of(file, e.mark),
                "expected a name here: " + e.msg);
  }
  if (diags.has_errors()) return diags.to_status();
  return out;
}

namespace {
void read_vendors(const YAML::Node& vendors, const std::string& file, Portfolios& out, Diagnostics& diags) {
  const std::vector<std::string_view> entry_keys = {"functions", "product", "evidence", "url", "seen"};
  const std::vector<std::string_view> evidence_names(std::begin(kEvidenceNames), std::end(kEvidenceNames));
  for (auto v = vendors.begin(); v != vendors.end(); ++v) {
    const std::string vendor = v->first.as<std::string>();
    out.vendor_loc[vendor] = loc_of(file, v->first);
    auto& entries = out.vendors[vendor];
    // A copy: v->second lives in a proxy that ends with the expression, so a
    // range-for over it would read a dead node (ASan: stack-use-after-scope).
    const YAML::Node list = v->second;
    if (!list.IsSequence()) {
      diags.error(loc_of(file, list), fmt::format("vendor \"{}\": expected a list of entries", vendor));
      continue;
    }
    for (const YAML::Node& n : list) {
      if (!n.IsMap()) {
        diags.error(loc_of(file, n), "expected an entry {functions, product, evidence, url, seen}");
        continue;
      }
      PortfolioEntry e;
      e.loc = loc_of(file, n);
      for (auto k = n.begin(); k != n.end(); ++k) {
        const std::string key = k->first.as<std::string>();
        if (std::find(entry_keys.begin(), entry_keys.end(), key) == entry_keys.end())
          diags.error(loc_of(file, k->first), fmt::format("unknown key \"{}\"{}", key, hint(key, entry_keys)));
      }
      if (const YAML::Node fs = n["functions"]; fs && fs.IsSequence() && fs.size() > 0) {
        for (const YAML::Node& f : fs) {
          const std::string name = f.as<std::string>();
          if (auto fn = parse_function(name))
            e.functions.push_back(*fn);
          else
            diags.error(loc_of(file, f), fmt::format("unknown function \"{}\"{}", name, hint(name, function_names())));
        }
      } else {
        diags.error(fs ? loc_of(file, fs) : e.loc, "an entry needs `functions`: a non-empty list");
      }
      for (const char* required : {"product", "url"}) {
        const YAML::Node s = n[required];
        if (!s || !s.IsScalar() || s.as<std::string>().empty())
          diags.error(s ? loc_of(file, s) : e.loc, fmt::format("an entry needs `{}`", required));
      }
      e.product = n["product"].as<std::string>("");
      e.url = n["url"].as<std::string>("");
      if (!e.url.empty() && e.url.rfind("https://", 0) != 0 && e.url.rfind("http://", 0) != 0)
        diags.error(loc_of(file, n["url"]), "url must start with https:// or http://");
      const std::string ev = n["evidence"] ? n["evidence"].as<std::string>("") : "";
      auto found = std::find(evidence_names.begin(), evidence_names.end(), ev);
      if (found == evidence_names.end())
        diags.error(n["evidence"] ? loc_of(file, n["evidence"]) : e.loc,
                    fmt::format("evidence must be vendor-page, vendor-document or report, not \"{}\"{}", ev,
                                hint(ev, evidence_names)));
      else
        e.evidence = static_cast<PortfolioEvidence>(found - evidence_names.begin());
      entries.push_back(std::move(e));
    }
  }
}
}  // namespace

}  // namespace netvet
