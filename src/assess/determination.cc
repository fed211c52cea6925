// The determination rule and the disclosed determination (docs/assessment.md):
// pure functions of the findings, so the planner can re-run them on a planned
// network.
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

Band band_of(std::string_view outcome) {
  if (outcome == "significant-risk") return kSignificantBand;
  if (outcome == "risk-mitigable") return kMitigableBand;
  return kNoRiskBand;
}

// How much a finding the reader may not see moves the score: one fixed weight
// (a binding medium violation's), whatever its severity or kind, so the score
// tells the reader how many were withheld (which they are told anyway), never
// how severe they were.
constexpr double kWithheldWeight = 0.2;

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

namespace netvet {

Determination disclosed_determination(std::vector<Finding> all, std::vector<Finding>* shown, Classification clearance,
                                      std::vector<Finding>& visible, std::vector<Withheld>& withheld) {
  const Determination real = determine(all);
  std::map<Classification, int> counts;
  int n_withheld = 0;
  for (auto& f : all) {
    if (f.classification > clearance) {
      ++counts[f.classification];
      ++n_withheld;
    } else if (!shown) {
      visible.push_back(std::move(f));
    }
  }
  if (shown)  // the findings of the reader's view (every one is at or below the clearance)
    for (auto& f : *shown)
      if (f.classification <= clearance) visible.push_back(std::move(f));
  withheld.clear();
  for (const auto& [level, n] : counts) withheld.push_back({level, n});

  // The outcome is the real decision. Score and reasons come from what the
  // reader may see: the visible findings' own determination, moved into the
  // real outcome's band, with each withheld finding at one fixed weight.
  const Determination seen = determine(visible);
  Determination d;
  d.outcome = real.outcome;
  double keep = 1.0;
  for (const auto& f : visible)
    if (f.violation) keep *= 1.0 - severity_weight(f.severity) * (f.binding ? 1.0 : kAdvisoryFactor);
  for (int k = 0; k < n_withheld; ++k) keep *= 1.0 - kWithheldWeight;
  const Band band = band_of(d.outcome);
  d.score = std::clamp(band.lo + static_cast<int>(std::lround((band.hi - band.lo) * (1.0 - keep))), band.lo, band.hi);
  d.reasons = seen.reasons;
  // When what the reader sees does not explain the outcome, the reasons say
  // that withheld findings do, at each withheld level (which of them, and how
  // severe, stays withheld).
  if (seen.outcome != real.outcome)
    for (const auto& w : withheld) d.reasons.push_back("withheld:" + std::string(classification_name(w.classification)));
  return d;
}

}  // namespace netvet
