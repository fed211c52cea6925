#include "netvet/workflow.h"

#include <algorithm>
#include <stdexcept>

namespace netvet {
namespace {

constexpr std::string_view kRoleNames[] = {"operator", "assessor", "approver", "reviewer", "auditor", "admin"};
constexpr std::string_view kStateNames[] = {"draft",    "notified", "under-assessment", "decided", "mitigation",
                                            "accepted", "referred", "review-decided",   "directed"};
constexpr std::string_view kActionNames[] = {"notify",     "start-assessment", "decide",        "submit-plan",
                                             "accept",     "request-review",   "review-decide", "direct"};

}  // namespace

std::string_view role_name(Role r) { return kRoleNames[static_cast<size_t>(r)]; }
std::optional<Role> parse_role(std::string_view s) {
  for (size_t i = 0; i < std::size(kRoleNames); ++i)
    if (kRoleNames[i] == s) return static_cast<Role>(i);
  return std::nullopt;
}
std::string_view state_name(State s) { return kStateNames[static_cast<size_t>(s)]; }
std::optional<State> parse_state(std::string_view s) {
  for (size_t i = 0; i < std::size(kStateNames); ++i)
    if (kStateNames[i] == s) return static_cast<State>(i);
  return std::nullopt;
}
std::string_view action_name(Action a) { return kActionNames[static_cast<size_t>(a)]; }

const std::vector<Transition>& transitions() {
  using S = State;
  using R = Role;
  static const std::vector<Transition> table = {
      {Action::kNotify, {S::kDraft}, S::kNotified, {R::kOperator}, false},
      {Action::kStartAssessment, {S::kNotified}, S::kUnderAssessment, {}, false},
      // A decision may be revisited while the notification is still being assessed or mitigated.
      {Action::kDecide, {S::kUnderAssessment, S::kMitigation}, S::kDecided, {R::kApprover}, true},
      {Action::kSubmitPlan, {S::kDecided, S::kMitigation}, S::kMitigation, {R::kOperator}, false},
      {Action::kAccept, {S::kDecided, S::kMitigation}, S::kAccepted, {R::kApprover}, true},
      {Action::kRequestReview, {S::kDecided, S::kMitigation}, S::kReferred, {R::kOperator}, true},
      {Action::kReviewDecide, {S::kReferred}, S::kReviewDecided, {R::kReviewer}, true},
      {Action::kDirect, {S::kReviewDecided}, S::kDirected, {R::kApprover}, true},
  };
  return table;
}

const Transition& transition_for(Action a) {
  for (const auto& t : transitions())
    if (t.action == a) return t;
  throw std::logic_error("workflow: no transition for an action");
}

bool may(const Transition& t, Role r) { return std::find(t.roles.begin(), t.roles.end(), r) != t.roles.end(); }
bool starts_from(const Transition& t, State s) { return std::find(t.from.begin(), t.from.end(), s) != t.from.end(); }

}  // namespace netvet
