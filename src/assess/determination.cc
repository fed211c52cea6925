// The determination rule and disclosure (docs/assessment.md). Both are pure
// functions of the findings so the planner can re-run them on a planned network
// and the server can re-disclose a stored assessment at another clearance.
#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "netvet/assess.h"

namespace netvet {
namespace {

// How much one violation of each severity moves the score inside its band.
// Chosen so one high violation lands mid-band and a handful saturate it; the
// values are documented in docs/assessment.md and pinned by tests.
double severity_weight(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return 0.02;
    case Severity::kLow:
      return 0.08;
    case Severity::kMedium:
      return 0.2;
    case Severity::kHigh:
      return 0.4;
    case Severity::kCritical:
      return 0.6;
  }
  return 0;
}

// Advisory violations count half: they inform the score, never the outcome.
constexpr double kAdvisoryFactor = 0.5;

struct Band {
  int lo, hi;
};
// Bands keep the score consistent with the outcome: any significant-risk scores
// above any risk-mitigable, which scores above any no-significant-risk.
constexpr Band kNoRiskBand{0, 29};
constexpr Band kMitigableBand{30, 69};
constexpr Band kSignificantBand{70, 100};

}  // namespace

Determination determine(const std::vector<Finding>& findings) {
  Determination d;
  std::vector<const Finding*> binding;
  bool severe = false;
  double keep = 1.0;  // probability-style product: 1 - prod(1 - w) saturates smoothly below 1
  for (const auto& f : findings) {
    if (!f.violation) continue;  // warnings and notify obligations inform, they do not decide
    keep *= 1.0 - severity_weight(f.severity) * (f.binding ? 1.0 : kAdvisoryFactor);
    if (!f.binding) continue;
    binding.push_back(&f);
    if (f.severity >= Severity::kHigh) severe = true;
  }
  Band band = kNoRiskBand;
  if (binding.empty()) {
    d.outcome = "no-significant-risk";
  } else if (severe) {
    d.outcome = "significant-risk";
    band = kSignificantBand;
  } else {
    d.outcome = "risk-mitigable";
    band = kMitigableBand;
  }
  double f = 1.0 - keep;
  d.score = band.lo + static_cast<int>(std::lround((band.hi - band.lo) * f));
  d.score = std::clamp(d.score, band.lo, band.hi);

  // Reasons: the binding violations that drive the outcome. For significant-risk
  // only those of severity high or above drive it; lower ones are still findings.
  std::stable_sort(binding.begin(), binding.end(),
                   [](const Finding* a, const Finding* b) { return a->severity > b->severity; });
  for (const Finding* f : binding)
    if (!severe || f->severity >= Severity::kHigh) d.reasons.push_back(f->id);
  return d;
}

Disclosure disclose(std::vector<Finding> findings, const std::vector<std::string>& reasons, Classification clearance) {
  Disclosure out;
  std::map<Classification, int> counts;
  std::unordered_map<std::string, Classification> withheld_ids;
  for (auto& f : findings) {
    if (f.classification <= clearance) {
      out.visible.push_back(std::move(f));
    } else {
      ++counts[f.classification];
      withheld_ids.emplace(f.id, f.classification);
    }
  }
  for (const auto& [level, n] : counts) out.withheld.push_back({level, n});

  // A withheld reason becomes its level only: the reader learns that a finding
  // they may not see drives the decision, never which rule or equipment it names.
  std::map<Classification, bool> withheld_reason_levels;
  for (const auto& r : reasons) {
    auto it = withheld_ids.find(r);
    if (it == withheld_ids.end())
      out.reasons.push_back(r);
    else
      withheld_reason_levels[it->second] = true;
  }
  for (const auto& [level, _] : withheld_reason_levels)
    out.reasons.push_back("withheld:" + std::string(classification_name(level)));
  return out;
}

}  // namespace netvet
