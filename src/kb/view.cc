// view_at: the knowledge base as a reader at a clearance may see it. Every
// command reads its overlays through this one function, so a rule or vendor
// rating above the reader's clearance cannot reach any output: the pipeline
// that renders for the reader never holds it (docs/assessment.md, "Disclosure").
#include <algorithm>
#include <cctype>
#include <map>

#include "netvet/kb.h"

namespace netvet {
namespace {

bool same_code(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
         });
}

}  // namespace

KbView view_at(const std::shared_ptr<const KnowledgeBase>& kb, Classification clearance, std::string_view jurisdiction) {
  KbView out;
  std::map<Classification, int> withheld;
  bool above = false;  // anything to remove at all (else the view is the KB itself)
  // Counts content of `code` that the reader may not see, or notes the highest level they may.
  auto note = [&](std::string_view code, Classification level, int n) {
    const bool counted = jurisdiction.empty() || same_code(code, jurisdiction);
    if (level > clearance) {
      above = true;
      if (counted) withheld[level] += n;
    } else if (counted && level > Classification::kUnclassified) {
      out.highest_kept = std::max(out.highest_kept, level);
    }
  };
  for (const auto& [code, j] : kb->jurisdictions)
    for (const auto& r : j.rules) note(code, r.classification, 1);
  for (const auto& ov : kb->overlays) {
    for (const auto& r : ov.rules) note(ov.jurisdiction, r.classification, 1);
    if (!ov.vendor_assessments.empty())
      note(ov.jurisdiction, ov.classification, static_cast<int>(ov.vendor_assessments.size()));
    above |= ov.classification > clearance;  // its file name goes, even with nothing in it
  }
  for (const auto& [level, n] : withheld) out.withheld.push_back({level, n});
  if (!above) {
    out.kb = kb;
    return out;
  }
  auto view = std::make_shared<KnowledgeBase>(*kb);
  auto drop = [&](std::vector<RuleSpec>& rules) {
    rules.erase(std::remove_if(rules.begin(), rules.end(),
                               [&](const RuleSpec& r) { return r.classification > clearance; }),
                rules.end());
  };
  for (auto& [code, j] : view->jurisdictions) drop(j.rules);
  for (auto& ov : view->overlays) {
    drop(ov.rules);
    if (ov.classification > clearance) {
      ov.vendor_assessments.clear();
      ov.file.clear();  // an agency's file name can itself say too much
    }
  }
  out.kb = std::move(view);
  return out;
}

}  // namespace netvet
