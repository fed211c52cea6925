// KnowledgeBase queries: vendor resolution, ownership chains and vendor risk
// per jurisdiction and date. Everything here reads the immutable KB, so it is
// safe to call from many threads at once.
#include "netvet/kb.h"

#include "netvet/kb_suggest.h"

#include <unicode/unistr.h>
#include <unicode/uspoof.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <set>

namespace netvet {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Trailing words that name a company's legal form, not the company: inventories
// write "Ericsson AB", "Huawei Technologies Co., Ltd." and "Nokia Solutions and
// Networks GmbH & Co. KG" for the same vendors the KB knows by their plain names.
// Word-wise (not on the normalized string) so "Kaspersky Lab" does not lose "ab".
const std::set<std::string, std::less<>>& corporate_suffixes() {
  static const std::set<std::string, std::less<>> kSuffixes = {
      "co",   "ltd", "limited", "inc",  "incorporated", "corp", "corporation", "company", "llc", "lp",     "ab",
      "publ", "oyj", "oy",      "gmbh", "kg",           "ag",   "sa",          "spa",     "nv",  "bv",     "plc",
      "pty",  "kk",  "as",      "se",   "srl",          "sarl", "sas",         "pte",     "pvt", "private"};
  return kSuffixes;
}

bool applies_to_use(const Designation& d, std::optional<Function> use) {
  if (d.limited_to.empty() || !use) return true;
  for (const auto& s : d.limited_to) {
    if (s == function_name(*use) || s == domain_name(function_domain(*use))) return true;
  }
  return false;
}

bool in_force(const Designation& d, Date date) { return d.since <= date && (!d.until || date <= *d.until); }

}  // namespace

std::string strip_corporate_suffixes(std::string_view name) {
  std::vector<std::string> words;
  std::string cur;
  for (unsigned char c : name) {
    if (std::isalnum(c)) {
      cur += static_cast<char>(std::tolower(c));
    } else if (!cur.empty()) {
      words.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) words.push_back(std::move(cur));
  const auto& suffixes = corporate_suffixes();
  // Keep at least one word: "AB" alone stays "ab" rather than becoming nothing.
  while (words.size() > 1 && suffixes.count(words.back())) words.pop_back();
  std::string out;
  for (const auto& w : words) out += w;
  return out;
}

std::string_view vendor_risk_name(VendorRisk r) {
  switch (r) {
    case VendorRisk::kTrusted:
      return "trusted";
    case VendorRisk::kUnknown:
      return "unknown";
    case VendorRisk::kHighRisk:
      return "high";
  }
  return "unknown";
}

// The one definition (kb.h declares it): the loader validates selectors with it
// and policy/selector.cc uses it for "did you mean".
const std::vector<std::string_view>& selector_fields() {
  static const std::vector<std::string_view> kFields = {
      "function",          "domain",      "generation", "vendor", "vendor.country", "vendor.risk",
      "vendor.designated", "site.region", "site",       "tag",    "state",          "id"};
  return kFields;
}

void KnowledgeBase::rebuild_index() {
  alias_index_.clear();
  stripped_index_.clear();
  auto add_exact = [&](const std::string& spelling, uint32_t idx) {
    std::string key = normalize_name(spelling);
    if (!key.empty()) alias_index_.emplace(std::move(key), idx);
  };
  // Spellings with the legal-form words dropped, for resolve_vendor's fallback.
  // A key two vendors share is ambiguous and left out, so the fallback never guesses.
  std::map<std::string, uint32_t> seen;
  std::set<std::string> ambiguous;
  auto add_stripped = [&](const std::string& spelling, uint32_t idx) {
    std::string key = strip_corporate_suffixes(spelling);
    if (key.empty()) return;
    auto [it, fresh] = seen.emplace(key, idx);
    if (!fresh && it->second != idx) ambiguous.insert(key);
  };
  for (uint32_t i = 0; i < vendors.size(); ++i) {
    const Vendor& v = vendors[i];
    add_exact(v.id, i);
    add_exact(v.name, i);
    for (const auto& a : v.aliases) add_exact(a, i);
    add_stripped(v.name, i);
    for (const auto& a : v.aliases) add_stripped(a, i);
  }
  for (auto& [key, idx] : seen) {
    if (!ambiguous.count(key)) stripped_index_.emplace(key, idx);
  }
}

std::optional<uint32_t> KnowledgeBase::resolve_vendor(std::string_view spelling) const {
  std::string key = normalize_name(spelling);
  if (key.empty()) return std::nullopt;
  if (auto it = alias_index_.find(key); it != alias_index_.end()) return it->second;
  std::string stripped = strip_corporate_suffixes(spelling);
  if (stripped.empty()) return std::nullopt;
  if (auto it = alias_index_.find(stripped); it != alias_index_.end()) return it->second;
  if (auto it = stripped_index_.find(stripped); it != stripped_index_.end()) return it->second;
  return std::nullopt;
}

namespace {

// A spelling's confusable key: upper-cased (so "I" and "l" meet in the
// skeleton whatever case they were written in), its TR39 skeleton, case-folded,
// then legal suffixes, spacing and punctuation dropped. Two spellings with the
// same key look the same to a reader.
std::string confusable_key(USpoofChecker* checker, std::string_view spelling) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(spelling.data(), static_cast<int32_t>(spelling.size())));
  u.toUpper();
  std::string upper_utf8;
  u.toUTF8String(upper_utf8);
  UErrorCode err = U_ZERO_ERROR;
  int32_t n = uspoof_getSkeletonUTF8(checker, 0, upper_utf8.c_str(), static_cast<int32_t>(upper_utf8.size()), nullptr,
                                     0, &err);
  if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err)) return strip_corporate_suffixes(spelling);
  std::string skeleton(static_cast<size_t>(n), '\0');
  err = U_ZERO_ERROR;
  uspoof_getSkeletonUTF8(checker, 0, upper_utf8.c_str(), static_cast<int32_t>(upper_utf8.size()), skeleton.data(), n,
                         &err);
  if (U_FAILURE(err)) return strip_corporate_suffixes(spelling);
  icu::UnicodeString folded = icu::UnicodeString::fromUTF8(skeleton);
  folded.foldCase();
  std::string out;
  folded.toUTF8String(out);
  return strip_corporate_suffixes(out);
}

}  // namespace

std::optional<VendorSuggestion> suggest_vendor(const KnowledgeBase& kb, std::string_view spelling) {
  const auto& vendors = kb.vendors;
  if (spelling.empty() || spelling.size() > 256) return std::nullopt;
  UErrorCode err = U_ZERO_ERROR;
  std::unique_ptr<USpoofChecker, decltype(&uspoof_close)> checker(uspoof_open(&err), &uspoof_close);
  if (checker && U_SUCCESS(err)) {
    const std::string key = confusable_key(checker.get(), spelling);
    for (uint32_t i = 0; i < vendors.size() && !key.empty(); ++i) {
      const Vendor& v = vendors[i];
      if (confusable_key(checker.get(), v.id) == key || confusable_key(checker.get(), v.name) == key)
        return VendorSuggestion{i, true};
      for (const auto& a : v.aliases) {
        if (confusable_key(checker.get(), a) == key) return VendorSuggestion{i, true};
      }
    }
  }
  // Not a look-alike: a near spelling of an id, a name or an alias ("Ericson").
  std::vector<std::string> names;
  std::vector<uint32_t> owner;
  for (uint32_t i = 0; i < vendors.size(); ++i) {
    names.push_back(strip_corporate_suffixes(vendors[i].id));
    names.push_back(strip_corporate_suffixes(vendors[i].name));
    for (const auto& a : vendors[i].aliases) names.push_back(strip_corporate_suffixes(a));
    owner.resize(names.size(), i);
  }
  std::vector<std::string_view> views(names.begin(), names.end());
  if (auto near = did_you_mean(strip_corporate_suffixes(spelling), views)) {
    for (size_t k = 0; k < names.size(); ++k) {
      if (names[k] == *near) return VendorSuggestion{owner[k], false};
    }
  }
  return std::nullopt;
}

const Vendor* KnowledgeBase::vendor(std::string_view id) const {
  // Ids are indexed with the aliases; the id check keeps an alias that happens
  // to equal another spelling from answering for an id lookup.
  auto it = alias_index_.find(normalize_name(id));
  if (it == alias_index_.end() || it->second >= vendors.size()) return nullptr;
  const Vendor& v = vendors[it->second];
  return v.id == id ? &v : nullptr;
}

const Jurisdiction* KnowledgeBase::jurisdiction(std::string_view code) const {
  // ISO 3166 codes name the same countries as the packs' codes: GB (and
  // alpha-3 GBR) is the UK, NZL is NZ, and so on.
  static constexpr std::pair<std::string_view, std::string_view> kIso[] = {
      {"GB", "UK"}, {"GBR", "UK"}, {"NZL", "NZ"}, {"AUS", "AU"}, {"USA", "US"},
      {"CAN", "CA"}, {"DEU", "DE"}, {"SWE", "SE"}};
  std::string key = upper(code);
  for (const auto& [alias, pack] : kIso)
    if (key == alias && !jurisdictions.count(key)) key = pack;
  auto it = jurisdictions.find(key);
  return it == jurisdictions.end() ? nullptr : &it->second;
}

std::vector<uint32_t> KnowledgeBase::ownership_chain(uint32_t v) const {
  std::vector<uint32_t> chain;
  if (v >= vendors.size()) return chain;
  chain.push_back(v);
  // Bounded by the vendor count: the loader rejects cycles, but a KB built by
  // hand in a test must not hang here either.
  while (chain.size() <= vendors.size()) {
    const std::string& parent = vendors[chain.back()].parent;
    if (parent.empty()) break;
    const Vendor* p = vendor(parent);
    if (!p) break;
    uint32_t idx = static_cast<uint32_t>(p - vendors.data());
    if (std::find(chain.begin(), chain.end(), idx) != chain.end()) break;
    chain.push_back(idx);
  }
  return chain;
}

std::vector<const Designation*> KnowledgeBase::designations_in_force(uint32_t v, Date date) const {
  std::vector<const Designation*> out;
  for (uint32_t idx : ownership_chain(v)) {
    for (const auto& d : vendors[idx].designations) {
      if (in_force(d, date)) out.push_back(&d);
    }
  }
  return out;
}

RiskBasis KnowledgeBase::vendor_risk(uint32_t v, const Jurisdiction& j, Date date, std::optional<Function> use) const {
  RiskBasis basis;
  if (v >= vendors.size()) {
    basis.risk = VendorRisk::kUnknown;
    basis.reason = "vendor not in the knowledge base";
    return basis;
  }
  const auto chain = ownership_chain(v);
  const Vendor& self = vendors[v];
  // "X" or "X (owned by Y)": the reason names whose designation or seat counts.
  auto who = [&](uint32_t idx) {
    if (idx == v) return self.name;
    return self.name + " (owned by " + vendors[idx].name + ")";
  };
  auto designation_reason = [&](const std::string& prefix, uint32_t idx, const Designation& d) {
    std::string r = prefix.empty() ? "" : prefix + ": ";
    r += who(idx) + " designated by " + d.by + " (" + d.list + ") since " + d.since.to_string();
    if (!d.scope.empty()) r += "; scope: " + d.scope;
    if (d.unconfirmed) r += " [UNCONFIRMED]";
    return r;
  };
  auto find_designation = [&](const std::vector<std::string>& by, uint32_t& owner) -> const Designation* {
    for (uint32_t idx : chain) {
      for (const auto& d : vendors[idx].designations) {
        if (!in_force(d, date) || !applies_to_use(d, use)) continue;
        if (std::find(by.begin(), by.end(), d.by) == by.end()) continue;
        owner = idx;
        return &d;
      }
    }
    return nullptr;
  };

  // 1. The jurisdiction's own designations always count, criterion or not.
  uint32_t owner = v;
  if (const Designation* d = find_designation({j.code}, owner)) {
    basis.risk = VendorRisk::kHighRisk;
    basis.reason = designation_reason("", owner, *d);
    basis.citation = d->citation;
    return basis;
  }
  // 2. The jurisdiction's criteria, in file order.
  for (const auto& c : j.risk_criteria) {
    if (!c.designated_by.empty()) {
      if (const Designation* d = find_designation(c.designated_by, owner)) {
        basis.risk = VendorRisk::kHighRisk;
        basis.reason = designation_reason(c.reason, owner, *d);
        basis.citation = d->citation;
        return basis;
      }
    }
    if (!c.headquarters_in.empty() && (!c.since || *c.since <= date)) {
      for (uint32_t idx : chain) {
        const Vendor& cand = vendors[idx];
        if (std::find(c.headquarters_in.begin(), c.headquarters_in.end(), cand.country) == c.headquarters_in.end()) {
          continue;
        }
        basis.risk = VendorRisk::kHighRisk;
        basis.reason = c.reason + ": " + who(idx) + " headquartered in " + cand.country;
        basis.citation = c.citation;
        return basis;
      }
    }
  }
  // 3. Agency-held assessments. The reason is kept verbatim so the caller can
  // tell it came from an overlay and withhold it below the overlay's level.
  for (const auto& ov : overlays) {
    if (upper(ov.jurisdiction) != j.code) continue;
    for (const auto& a : ov.vendor_assessments) {
      if (a.risk != VendorRisk::kHighRisk || (a.since && date < *a.since)) continue;
      const Vendor* av = vendor(a.vendor);
      if (!av) continue;
      uint32_t aidx = static_cast<uint32_t>(av - vendors.data());
      if (std::find(chain.begin(), chain.end(), aidx) == chain.end()) continue;
      basis.risk = VendorRisk::kHighRisk;
      basis.reason = a.reason;
      basis.citation = {"overlay " + ov.file, "", "", ""};
      return basis;
    }
  }
  basis.risk = VendorRisk::kTrusted;
  return basis;
}

std::vector<const RuleSpec*> KnowledgeBase::rules_for(const Jurisdiction& j) const {
  std::vector<const RuleSpec*> out;
  for (const auto& r : j.rules) out.push_back(&r);
  for (const auto& ov : overlays) {
    if (upper(ov.jurisdiction) != j.code) continue;
    for (const auto& r : ov.rules) out.push_back(&r);
  }
  return out;
}

}  // namespace netvet
