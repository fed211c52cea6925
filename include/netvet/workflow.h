// The vetting workflow as data: who may move a notification from which state
// to which, and whether a reason must be given. The store applies a transition
// only from a state listed here (atomically), the server only for a role
// listed here; nothing else decides what may happen next.
//
//   draft -> notified -> under-assessment -> decided -> mitigation -> accepted
//                                               \            \-> referred -> review-decided -> directed
//                                                \-> accepted | referred
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace netvet {

enum class Role : uint8_t { kOperator, kAssessor, kApprover, kReviewer, kAuditor, kAdmin };
inline constexpr Role kAllRoles[] = {Role::kOperator, Role::kAssessor, Role::kApprover,
                                     Role::kReviewer, Role::kAuditor,  Role::kAdmin};
std::string_view role_name(Role r);
std::optional<Role> parse_role(std::string_view s);

enum class State : uint8_t {
  kDraft, kNotified, kUnderAssessment, kDecided, kMitigation, kAccepted, kReferred, kReviewDecided, kDirected
};
std::string_view state_name(State s);  // "under-assessment", ...
std::optional<State> parse_state(std::string_view s);

enum class Action : uint8_t {
  kNotify,           // the operator notifies a draft to the agency
  kStartAssessment,  // the engine picked the notification up (no user role: the job does it)
  kDecide,           // the approver decides: no-significant-risk | conditions | significant-risk
  kSubmitPlan,       // the operator submits a mitigation plan version (re-assessed)
  kAccept,           // the approver accepts the proposal (as decided, or as mitigated)
  kRequestReview,    // the operator refers the decision for review
  kReviewDecide,     // the reviewer reports: upheld | overturned
  kDirect,           // the direction (the Minister's, recorded by an approver)
};
std::string_view action_name(Action a);

struct Transition {
  Action action;
  std::vector<State> from;
  State to;
  std::vector<Role> roles;  // empty: only the engine's job
  bool reason_required;
};

const std::vector<Transition>& transitions();
const Transition& transition_for(Action a);
bool may(const Transition& t, Role r);
bool starts_from(const Transition& t, State s);

// The outcomes of a decision, review and direction.
inline constexpr std::string_view kDecisionOutcomes[] = {"no-significant-risk", "conditions", "significant-risk"};
inline constexpr std::string_view kReviewOutcomes[] = {"upheld", "overturned"};

}  // namespace netvet
