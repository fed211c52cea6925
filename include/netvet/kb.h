// The knowledge base: vendors (aliases, ownership, designations) and one policy
// pack per jurisdiction (authority, instruments, vendor-risk criteria, rules).
// Loaded from kb/vendors.yaml and kb/jurisdictions/*.yaml (plus --kb-overlay
// files) with the same file:line:column error quality as the network readers.
//
// The KB is immutable after loading and safe to share between threads.
//
//   netvet::Diagnostics diags;
//   auto kb = netvet::load_kb("kb", {}, diags);   // all errors land in diags
//   auto v = kb->resolve_vendor("HUAWEI TECHNOLOGIES CO., LTD.");   // -> "huawei"
//   auto risk = kb->vendor_risk(*v, kb->jurisdiction("UK"), *netvet::Date::parse("2023-10-28"));
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "netvet/common.h"
#include "netvet/model.h"

namespace netvet {

struct Citation {
  std::string instrument;  // "Telecommunications (Security) Act 2021 — Huawei designated vendor direction"
  std::string section;     // "DVD requirement 3"
  std::string url;
  std::string fact;        // the line of shared/facts/policies.md this encodes, e.g. "policies.md §3.4 row 3"
};

// One designation of a vendor on a list by an authority.
struct Designation {
  std::string by;    // jurisdiction code of the designating authority: "US", "UK", "EU", ...
  std::string list;  // "FCC Covered List", "NDAA FY2019 s889", "UK designation notice"
  Date since;
  std::optional<Date> until;
  std::string scope;  // e.g. "telecom equipment" / "video surveillance for public safety only"
  // Functions/domains the designation is limited to (empty = all equipment).
  // NDAA s889 limits Hikvision/Dahua/Hytera to surveillance and public-safety uses.
  std::vector<std::string> limited_to;
  bool unconfirmed = false;  // the fact sheet marks the value UNCONFIRMED
  Citation citation;
  SourceLoc loc;
};

struct Vendor {
  std::string id;    // stable key: "huawei"
  std::string name;  // "Huawei Technologies Co., Ltd."
  std::vector<std::string> aliases;  // spellings seen in inventories; matched after normalize_name()
  std::string country;               // headquarters, ISO 3166 alpha-2
  std::string parent;                // owning vendor id, "" for none (ownership chains resolve)
  std::vector<Designation> designations;
  std::string note;
  SourceLoc loc;
};

// Vendor risk as a jurisdiction sees it on a date.
enum class VendorRisk : uint8_t { kTrusted, kUnknown, kHighRisk };
std::string_view vendor_risk_name(VendorRisk r);  // "trusted" "unknown" "high"

// Why a vendor is high-risk in a jurisdiction (shown in findings: "netvet's reading").
struct RiskBasis {
  VendorRisk risk = VendorRisk::kTrusted;
  std::string reason;  // "designated by US (FCC Covered List) since 2021-03-12"
  Citation citation;
};

// A declarative selector over components. Clauses are ANDed; a clause's values
// are any-of; `any` is a list of alternative selectors (OR); `not_` negates.
// Fields: function, domain, generation, vendor (vendor id after resolution),
// vendor.country, vendor.risk (trusted|unknown|high), vendor.designated
// (true|false), site.region, tag, state (existing|added|changed), site (site id),
// id (component id).
struct Selector {
  struct Clause {
    std::string field;
    std::vector<std::string> values;
    SourceLoc loc;
    std::vector<SourceLoc> value_locs;  // parallel to values when read from a file
  };
  std::vector<Clause> all;
  std::vector<Selector> any;
  std::vector<Selector> not_;
  bool empty() const { return all.empty() && any.empty() && not_.empty(); }
};

// Known selector field names, for validation and "did you mean".
const std::vector<std::string_view>& selector_fields();

// A rule parameter: a number, a string (dates stay strings until the rule kind
// validates them), a list of strings, or a nested selector (isolation targets).
using ParamValue = std::variant<double, std::string, std::vector<std::string>, Selector>;

struct RuleSpec {
  std::string id;     // "uk.dvd.core-removal"
  std::string title;
  std::string kind;   // a rule kind's name (policy/ validates it)
  SourceLoc kind_loc;
  Selector where;
  std::map<std::string, ParamValue> params;
  std::map<std::string, SourceLoc> param_locs;
  std::optional<Date> effective_from, effective_until;
  Severity severity = Severity::kHigh;
  bool binding = true;
  bool unconfirmed = false;  // encodes a fact the sheet marks UNCONFIRMED (then binding is false)
  Classification classification = Classification::kUnclassified;
  Citation citation;
  std::string note;
  SourceLoc loc;

  bool in_force(Date d) const {
    return (!effective_from || *effective_from <= d) && (!effective_until || d <= *effective_until);
  }
};

// How a jurisdiction decides a vendor is high-risk when it has no list of its
// own (NZ, AU, EU: country-agnostic regimes judge a vendor profile).
struct RiskCriterion {
  // High if the vendor (or an owner) is designated, on the date, by any of these authorities.
  std::vector<std::string> designated_by;
  // High if headquartered (self or owner) in one of these countries, from `since`.
  std::vector<std::string> headquarters_in;
  std::optional<Date> since;
  std::string reason;  // "headquartered in a state whose law compels cooperation with its intelligence services"
  Citation citation;
  SourceLoc loc;
};

struct Instrument {
  std::string id, title, status;  // status: law | licence-condition | policy | recommendation
  std::optional<Date> date;
  std::string url;
};

struct Jurisdiction {
  std::string code;  // "NZ"
  std::string name;
  std::string authority;
  std::vector<Instrument> instruments;
  std::vector<RiskCriterion> risk_criteria;
  std::vector<RuleSpec> rules;
  std::string note;
  std::string file;
};

// A file of classified additions only an agency holds. Its rules and vendor
// assessments carry at least the overlay's classification.
struct Overlay {
  std::string file;
  Classification classification = Classification::kSecret;
  std::string jurisdiction;  // the pack its rules join
  std::vector<RuleSpec> rules;
  // Vendor assessments: vendor id -> risk, with a reason, on and after `since`.
  struct VendorAssessment {
    std::string vendor;
    VendorRisk risk;
    std::optional<Date> since;
    std::string reason;
    SourceLoc loc;
  };
  std::vector<VendorAssessment> vendor_assessments;
};

class KnowledgeBase {
 public:
  std::string version;  // kb/VERSION, recorded in every output
  std::vector<Vendor> vendors;
  std::map<std::string, Jurisdiction> jurisdictions;  // by code
  std::vector<Overlay> overlays;

  // Vendor index for an id, name or alias (case- and punctuation-insensitive:
  // "HUAWEI TECHNOLOGIES CO., LTD." -> huawei). nullopt when unknown.
  std::optional<uint32_t> resolve_vendor(std::string_view spelling) const;
  const Vendor* vendor(std::string_view id) const;
  const Jurisdiction* jurisdiction(std::string_view code) const;  // case-insensitive

  // Vendor and its owners, nearest first (vendor itself at [0]). Cycles are a load error.
  std::vector<uint32_t> ownership_chain(uint32_t vendor) const;

  // Risk of a vendor for a jurisdiction on a date: designations of this
  // jurisdiction (own or an owner's), then its risk criteria, then overlay
  // assessments with their classification. Rendering layers decide what the
  // reader may see of an overlay-based reason.
  // `use` is the component's function: designations with limited_to apply only
  // to uses they name (function or domain name); with no use they all apply.
  RiskBasis vendor_risk(uint32_t vendor, const Jurisdiction& j, Date date,
                        std::optional<Function> use = std::nullopt) const;
  // Designations of the vendor or an owner in force on `date`, by any authority.
  std::vector<const Designation*> designations_in_force(uint32_t vendor, Date date) const;

  // All rules of a jurisdiction, overlays included, in file order.
  std::vector<const RuleSpec*> rules_for(const Jurisdiction& j) const;

  // Rebuilds the alias and stripped-spelling indexes from `vendors` (ids, names
  // and aliases; the first vendor to claim a spelling keeps it). The loader
  // calls it; a KB built from structs (tests, tools) must call it after filling
  // `vendors` or resolve_vendor() and vendor() find nothing.
  void rebuild_index();

 private:
  friend class KbLoader;
  std::map<std::string, uint32_t, std::less<>> alias_index_;  // normalized spelling -> vendor index
  // Spellings with corporate suffixes ("co ltd", "inc", "ab", "gmbh") dropped,
  // tried only when the exact spelling is unknown; ambiguous keys are left out.
  std::map<std::string, uint32_t, std::less<>> stripped_index_;
};

// Loads kb_dir/vendors.yaml, kb_dir/jurisdictions/*.yaml and kb_dir/VERSION,
// then each overlay. Every problem goes to `diags` with file:line:col;
// returns nullptr if there were errors. Checks: schema and types, unknown
// fields (did you mean), duplicate ids, an alias claimed by two vendors,
// unknown parent or vendor references, ownership cycles, dates, every rule and
// designation has a citation. Rule kinds, their params and the values of
// closed selector vocabularies (function, domain, ...) are validated only by
// policy/, where each kind declares its params, through `validate_rule`: pass
// &netvet::validate_rule; null skips those checks.
using RuleValidator = void (*)(const RuleSpec&, Diagnostics&);
std::unique_ptr<KnowledgeBase> load_kb(const std::string& kb_dir, const std::vector<std::string>& overlay_files,
                                       Diagnostics& diags, RuleValidator validate_rule = nullptr);

// A file given as text: `name` appears in messages (file:line:col), `text` is its content.
struct TextFile {
  std::string name;
  std::string text;
};
// The same checks from text: the VERSION line, vendors.yaml, the packs
// (each named <code>.yaml).
std::unique_ptr<KnowledgeBase> load_kb_text(const std::string& version, const TextFile& vendors,
                                            const std::vector<TextFile>& packs, Diagnostics& diags,
                                            RuleValidator validate_rule = nullptr);
// A copy of `base` with overlays read from text (the base is not changed).
std::unique_ptr<KnowledgeBase> add_overlays(const KnowledgeBase& base, const std::vector<TextFile>& overlays,
                                            Diagnostics& diags, RuleValidator validate_rule = nullptr);

// What a reader at `clearance` may see of a KB (the disclosure layer's view,
// docs/assessment.md): rules above the clearance are dropped from every pack
// and overlay, and an overlay above it keeps only its level and jurisdiction
// (no rules, vendor assessments or file name). `withheld` counts what was
// dropped per level (ascending), for overlays of `jurisdiction` (all when empty).
struct KbView {
  std::shared_ptr<const KnowledgeBase> kb;  // the original when nothing is above the clearance
  std::vector<std::pair<Classification, int>> withheld;
  // The highest level of classified content the view keeps (UNCLASSIFIED when none):
  // what a rendering of the whole view is marked with.
  Classification highest_kept = Classification::kUnclassified;
};
KbView view_at(const std::shared_ptr<const KnowledgeBase>& kb, Classification clearance,
               std::string_view jurisdiction = {});

// Human-readable renderings for `netvet kb list` and `netvet kb show`.
std::string kb_list_text(const KnowledgeBase& kb);
// A jurisdiction as a dated timeline, a vendor (aliases, owner, designations),
// or a rule (all fields, citation). nullopt when `what` names nothing.
std::optional<std::string> kb_show_text(const KnowledgeBase& kb, std::string_view what);
// The same, as of a date: which rules are in force, which designations hold,
// and the vendor's risk in every jurisdiction on that day.
std::optional<std::string> kb_show_text(const KnowledgeBase& kb, std::string_view what, std::optional<Date> as_of);

// The spelling resolve_vendor falls back to: normalize_name() after dropping
// trailing corporate-form words ("Ericsson AB" -> "ericsson").
std::string strip_corporate_suffixes(std::string_view name);

}  // namespace netvet
