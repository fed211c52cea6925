// Selectors compile to bitmaps, one pass over one column per clause. Whatever
// depends on a clause's values is folded into a small lookup table first (per
// function, per generation, per KB vendor over its ownership chain, per site),
// so the per-row work is a table lookup and a shift: 10^6 components select in
// a few milliseconds.
#include <algorithm>
#include <bit>
#include <cctype>

#include "kinds/kinds.h"
#include "netvet/kb.h"
#include "netvet/inference.h"
#include "netvet/policy.h"

namespace netvet {

// ---- ComponentSet ----

size_t ComponentSet::count() const {
  size_t n = 0;
  for (uint64_t w : words_) n += static_cast<size_t>(std::popcount(w));
  return n;
}

std::vector<ComponentIdx> ComponentSet::members() const {
  std::vector<ComponentIdx> out;
  out.reserve(count());
  for (size_t i = 0; i < words_.size(); ++i) {
    uint64_t w = words_[i];
    while (w) {
      out.push_back(static_cast<ComponentIdx>(i * 64 + static_cast<size_t>(std::countr_zero(w))));
      w &= w - 1;
    }
  }
  return out;
}

ComponentSet& ComponentSet::operator&=(const ComponentSet& o) {
  for (size_t i = 0; i < words_.size() && i < o.words_.size(); ++i) words_[i] &= o.words_[i];
  return *this;
}

ComponentSet& ComponentSet::operator|=(const ComponentSet& o) {
  for (size_t i = 0; i < words_.size() && i < o.words_.size(); ++i) words_[i] |= o.words_[i];
  return *this;
}

void ComponentSet::invert() {
  for (auto& w : words_) w = ~w;
  // Bits past the last component must stay clear, or count() would see ghosts.
  if (n_ % 64 != 0 && !words_.empty()) words_.back() &= (uint64_t{1} << (n_ % 64)) - 1;
}

// selector_fields() is defined by src/kb/kb.cc (declared in kb.h); the loader uses it too.

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<VendorRisk> parse_risk(std::string_view s) {
  if (iequals(s, "trusted")) return VendorRisk::kTrusted;
  if (iequals(s, "unknown")) return VendorRisk::kUnknown;
  if (iequals(s, "high") || iequals(s, "high-risk")) return VendorRisk::kHighRisk;
  return std::nullopt;
}

std::optional<bool> parse_truth(std::string_view s) {
  if (iequals(s, "true") || iequals(s, "yes") || s == "1") return true;
  if (iequals(s, "false") || iequals(s, "no") || s == "0") return false;
  return std::nullopt;
}

std::optional<ComponentState> parse_state(std::string_view s) {
  if (iequals(s, "existing")) return ComponentState::kExisting;
  if (iequals(s, "added")) return ComponentState::kAdded;
  if (iequals(s, "changed")) return ComponentState::kChanged;
  return std::nullopt;
}

// Fills `out` 64 rows at a time from a per-row predicate (a table lookup).
template <typename Pred>
void fill(ComponentSet& out, Pred pred) {
  auto& words = out.words();
  const size_t n = out.size();
  for (size_t w = 0; w < words.size(); ++w) {
    const size_t base = w * 64, end = std::min(n, base + 64);
    uint64_t word = 0;
    for (size_t i = base; i < end; ++i) word |= static_cast<uint64_t>(pred(static_cast<ComponentIdx>(i))) << (i - base);
    words[w] = word;
  }
}

// Per-site truth table -> component bitmap through the site column.
void fill_by_site(ComponentSet& out, const Network& net, std::vector<uint8_t> site_table) {
  // The slot past the last site answers for components with no site (kNone).
  const uint32_t none_slot = static_cast<uint32_t>(site_table.size());
  site_table.push_back(0);
  const uint8_t* tab = site_table.data();
  const SiteIdx* site = net.components.site.data();
  fill(out, [=](ComponentIdx c) { return tab[std::min(site[c], none_slot)] != 0; });
}

ComponentSet compile_clause(const Selector::Clause& clause, const EvalContext& ctx) {
  const Network& net = ctx.net;
  const auto& comps = net.components;
  const size_t n = comps.size();
  ComponentSet out(n);
  const std::string& f = clause.field;

  if (f == "function" || f == "domain") {
    bool table[kFunctionCount] = {};
    for (int i = 0; i < kFunctionCount; ++i) {
      auto fn = static_cast<Function>(i);
      for (const auto& v : clause.values) {
        if (f == "function" ? iequals(v, function_name(fn)) : iequals(v, domain_name(function_domain(fn))))
          table[i] = true;
      }
    }
    fill(out, [&](ComponentIdx c) { return table[static_cast<int>(comps.function[c])]; });
    if (f == "domain") {
      // A tag `domain:<name>` puts equipment in that domain as well as its
      // function's: a router of the 5G core (docs/formats/native.md).
      std::vector<StrId> ids;
      for (const auto& v : clause.values) {
        if (auto sid = net.strings.find("domain:" + v)) ids.push_back(*sid);
      }
      for (ComponentIdx c = 0; c < n && !ids.empty(); ++c) {
        for (StrId t : comps.tags.row(c)) {
          if (std::find(ids.begin(), ids.end(), t) != ids.end()) out.set(c);
        }
      }
    }
  } else if (f == "generation") {
    uint8_t wanted = 0;
    for (const auto& v : clause.values) {
      if (auto g = parse_generation(v)) wanted |= generation_bit(*g);
    }
    // Per (function, generation). A stated generation answers for itself.
    // `any` on equipment whose generation the standard fixes (a gNB is 5G)
    // matches when every generation it may be is wanted: an inferred value,
    // which the assessment marks in the finding's evidence (coverage.cc).
    bool table[kFunctionCount][kGenerationCount] = {};
    for (int fi = 0; fi < kFunctionCount; ++fi) {
      const uint8_t may_be = standard_generations(static_cast<Function>(fi));
      for (int g = 0; g < kGenerationCount; ++g) {
        const auto gen = static_cast<Generation>(g);
        table[fi][g] = gen != Generation::kAny || may_be == 0 ? (wanted & generation_bit(gen)) != 0
                                                              : (may_be & ~wanted) == 0;
      }
    }
    fill(out, [&](ComponentIdx c) {
      return table[static_cast<int>(comps.function[c])][static_cast<int>(comps.generation[c])];
    });
  } else if (f == "vendor" || f == "vendor.country") {
    // One boolean per KB vendor over its ownership chain: a subsidiary matches
    // its owner's id (a hisilicon board matches `vendor: huawei`).
    const auto& kbv = ctx.kb.vendors;
    std::vector<uint8_t> wanted(kbv.size(), 0);
    std::vector<StrId> raw_wanted;  // vendor strings no KB vendor answers to: match the spelling as written
    if (f == "vendor") {
      for (const auto& v : clause.values) {
        if (auto idx = ctx.kb.resolve_vendor(v); idx && *idx < kbv.size()) {
          wanted[*idx] = 1;
        } else if (auto sid = net.strings.find(v)) {
          raw_wanted.push_back(*sid);
        }
      }
    } else {
      for (size_t i = 0; i < kbv.size(); ++i) {
        for (const auto& v : clause.values) {
          if (iequals(kbv[i].country, v)) wanted[i] = 1;
        }
      }
    }
    // One extra slot answers for unresolved components (kNone), so the row
    // pass is a clamp and a lookup with no branch.
    std::vector<uint8_t> table(kbv.size() + 1, 0);
    for (uint32_t i = 0; i < kbv.size(); ++i) {
      for (uint32_t owner : ctx.kb.ownership_chain(i)) {
        if (owner < wanted.size() && wanted[owner]) {
          table[i] = 1;
          break;
        }
      }
    }
    const auto& col = ctx.vendors.vendor;
    const uint32_t none_slot = static_cast<uint32_t>(kbv.size());
    const uint8_t* tab = table.data();
    if (col.size() == n) {
      const uint32_t* vc = col.data();
      fill(out, [=](ComponentIdx c) { return tab[std::min(vc[c], none_slot)] != 0; });
    }
    if (!raw_wanted.empty()) {
      for (ComponentIdx c = 0; c < n; ++c) {
        if ((col.size() != n || col[c] == kNone) &&
            std::find(raw_wanted.begin(), raw_wanted.end(), comps.vendor[c]) != raw_wanted.end()) {
          out.set(c);
        }
      }
    }
  } else if (f == "vendor.risk") {
    bool table[3] = {};
    for (const auto& v : clause.values) {
      if (auto r = parse_risk(v)) table[static_cast<int>(*r)] = true;
    }
    const auto& col = ctx.vendors.risk;
    const bool resolved = col.size() == n;
    fill(out, [&](ComponentIdx c) { return table[static_cast<int>(resolved ? col[c] : VendorRisk::kUnknown)]; });
  } else if (f == "vendor.designated") {
    bool table[2] = {};
    for (const auto& v : clause.values) {
      if (auto b = parse_truth(v)) table[*b ? 1 : 0] = true;
    }
    const auto& col = ctx.vendors.designated;
    const bool resolved = col.size() == n;
    fill(out, [&](ComponentIdx c) { return table[resolved && col[c] ? 1 : 0]; });
  } else if (f == "site.region" || f == "site") {
    std::vector<StrId> ids;
    for (const auto& v : clause.values) {
      if (auto sid = net.strings.find(v)) ids.push_back(*sid);
    }
    const auto& col = f == "site" ? net.sites.id : net.sites.region;
    std::vector<uint8_t> site_table(net.sites.size(), 0);
    for (size_t s = 0; s < site_table.size(); ++s) {
      site_table[s] = col[s] != 0 && std::find(ids.begin(), ids.end(), col[s]) != ids.end();
    }
    fill_by_site(out, net, site_table);
  } else if (f == "tag") {
    std::vector<StrId> ids;
    for (const auto& v : clause.values) {
      if (auto sid = net.strings.find(v)) ids.push_back(*sid);
    }
    if (!ids.empty()) {
      const auto& tags = comps.tags;
      fill(out, [&](ComponentIdx c) {
        for (StrId t : tags.row(c)) {
          if (std::find(ids.begin(), ids.end(), t) != ids.end()) return true;
        }
        return false;
      });
    }
  } else if (f == "state") {
    bool table[3] = {};
    for (const auto& v : clause.values) {
      if (auto s = parse_state(v)) table[static_cast<int>(*s)] = true;
    }
    // Without a proposal every component is existing.
    const bool have_state = ctx.state.size() == n;
    fill(out, [&](ComponentIdx c) {
      return table[static_cast<int>(have_state ? ctx.state[c] : ComponentState::kExisting)];
    });
  } else if (f == "id") {
    for (const auto& v : clause.values) {
      if (auto c = net.find_component(v)) out.set(*c);
    }
  }
  // Unknown fields match nothing; validate_rule reports them when the KB loads.
  return out;
}

// Where the loader saw value i, or the clause's own location.
const SourceLoc& value_loc(const Selector::Clause& clause, size_t i, const SourceLoc& fallback) {
  return i < clause.value_locs.size() && clause.value_locs[i].line != 0 ? clause.value_locs[i] : fallback;
}

void validate_values(const Selector::Clause& clause, const SourceLoc& loc, Diagnostics& diags) {
  const std::string& f = clause.field;
  std::vector<std::string_view> allowed;
  if (f == "function") {
    allowed = function_names();
  } else if (f == "domain") {
    allowed = domain_names();
  } else if (f == "generation") {
    allowed = generation_names();
  } else if (f == "vendor.risk") {
    allowed = {"trusted", "unknown", "high"};
  } else if (f == "vendor.designated") {
    allowed = {"true", "false"};
  } else if (f == "state") {
    allowed = {"existing", "added", "changed"};
  } else if (f == "vendor.country") {
    for (size_t i = 0; i < clause.values.size(); ++i) {
      const std::string& v = clause.values[i];
      const bool iso = v.size() == 2 && std::isupper(static_cast<unsigned char>(v[0])) &&
                       std::isupper(static_cast<unsigned char>(v[1]));
      if (!iso) diags.error(value_loc(clause, i, loc), "vendor.country \"" + v + "\" is not an ISO 3166 alpha-2 code");
    }
    return;
  } else {
    return;  // open vocabularies: vendor ids, regions, sites, tags, ids
  }
  for (size_t i = 0; i < clause.values.size(); ++i) {
    const std::string& v = clause.values[i];
    bool ok = std::any_of(allowed.begin(), allowed.end(), [&](std::string_view a) { return iequals(a, v); });
    if (f == "vendor.risk" && iequals(v, "high-risk")) ok = true;
    if (f == "vendor.designated" && parse_truth(v)) ok = true;
    if (ok) continue;
    std::string msg = "unknown " + f + " \"" + v + "\" in selector";
    if (auto dym = did_you_mean(v, allowed)) msg += " (did you mean \"" + *dym + "\"?)";
    diags.error(value_loc(clause, i, loc), msg);
  }
}

}  // namespace

ComponentSet select(const Selector& sel, const EvalContext& ctx) {
  ComponentSet out(ctx.net.components.size());
  out.invert();  // the empty selector selects everything
  for (const auto& clause : sel.all) out &= compile_clause(clause, ctx);
  if (!sel.any.empty()) {
    ComponentSet either(ctx.net.components.size());
    for (const auto& alt : sel.any) either |= select(alt, ctx);
    out &= either;
  }
  for (const auto& neg : sel.not_) {
    ComponentSet excluded = select(neg, ctx);
    excluded.invert();
    out &= excluded;
  }
  return out;
}

namespace policy {

void validate_selector(const Selector& sel, const SourceLoc& fallback, Diagnostics& diags) {
  for (const auto& clause : sel.all) {
    const SourceLoc& loc = clause.loc.line != 0 || !clause.loc.pointer.empty() ? clause.loc : fallback;
    const auto& fields = selector_fields();
    if (std::find(fields.begin(), fields.end(), clause.field) == fields.end()) {
      std::string msg = "unknown selector field \"" + clause.field + "\"";
      if (auto dym = did_you_mean(clause.field, fields)) msg += " (did you mean \"" + *dym + "\"?)";
      diags.error(loc, msg);
      continue;
    }
    if (clause.values.empty()) {
      diags.error(loc, "selector field \"" + clause.field + "\" has no values");
      continue;
    }
    validate_values(clause, loc, diags);
  }
  for (const auto& alt : sel.any) validate_selector(alt, fallback, diags);
  for (const auto& neg : sel.not_) validate_selector(neg, fallback, diags);
}

}  // namespace policy
}  // namespace netvet
