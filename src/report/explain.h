// Private to report/: what the text and HTML writers both say about an
// assessment in words (the summary paragraph, remediation per finding, the
// attack paths hop by hop, the risk basis), so the two never disagree.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "netvet/assess.h"

namespace netvet::report {

// One hop of an attack path: the link between two components.
struct Hop {
  std::string from, to, interface;
  std::vector<std::string> protection;  // empty: unprotected
};
struct PathView {
  std::string target;
  std::vector<Hop> hops;
};

// The attack paths a finding's evidence carries (evidence.paths, headline
// first); an older evidence.path without hops gives hops without interfaces.
std::vector<PathView> paths(const Finding& f);
// "a -[n3]-> b -[n4 encrypted]-> c"
std::string hop_chain(const std::vector<Hop>& hops);
std::string join(const std::vector<std::string>& items, std::string_view sep);
// A component's function name by id, "" when unknown.
std::string component_function(const Assessment& a, std::string_view id);
std::vector<std::string> component_names(const Assessment& a, const Finding& f);

struct Group {
  std::string title;
  std::vector<const Finding*> items;  // most severe first
};
// Binding violations, binding obligations and warnings, advisory: the groups
// that are not empty, in that order.
std::vector<Group> group_findings(const Assessment& a);

// The first sentence of a message (what is wrong).
std::string first_sentence(std::string_view message);
// What clears a finding, and by when, in one sentence ("" when nothing to do).
std::string remediation(const Assessment& a, const Finding& f);
// "No findings." or, when some were withheld, how many and at which levels.
std::string no_findings_text(const Assessment& a);
// "high risk: designated by ... (netvet's reading ..., not a designation by ...)"
std::string basis_text(const Assessment& a, const RiskBasisNote& b);

struct Summary {
  std::string outcome_label;  // "Significant risk"
  std::string paragraph;      // decision, why, what to do by when
};
Summary summarize(const Assessment& a);

}  // namespace netvet::report
