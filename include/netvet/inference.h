// What the standards fix about a function, and how an inventory says what it
// does not know: the inferences the assessment may draw (and marks as such in
// its evidence) and the tags importers leave where their source was silent.
// Kept beside model.h, on the same taxonomy.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "netvet/model.h"

namespace netvet {

// The generations a function belongs to where the standard fixes it, one bit
// per Generation (generation_bit): a gNB is NR and the 5GC functions are 5G
// (5g-nsa or 5g-sa: 3GPP options 2, 4 and 7 all use them); an eNB and the EPC
// are 4G; a NodeB is 3G; a BTS is 2G. 0 where the standard leaves it open (RU,
// DU, CU, AAU, BBU, small cell) or the function serves every generation
// (transport, management...). A component whose generation is `any` takes
// these bits as an inferred generation, never one guessed from its name.
uint8_t standard_generations(Function f);
inline constexpr uint8_t generation_bit(Generation g) { return static_cast<uint8_t>(1u << static_cast<int>(g)); }
// Whether equipment of this function has a generation of its own (RAN and
// mobile core): a rule that selects on generation cannot judge one whose
// generation is `any` and not fixed by the standard.
bool has_own_generation(Function f);
// A component with this tag carries a placeholder function: an importer could
// not map its source role (the import summary named it). The assessment
// counts it as not judged wherever a rule selects on function or domain.
inline constexpr std::string_view kFallbackFunctionTag = "netvet:fallback-function";
// A component with this tag has a generic function (router, switch, server...)
// whose telecom domain the source did not state: it is in its function's
// domain, and may be in another (a switch of the 5G core). A rule selecting
// another domain cannot judge it; a `domain:<name>` tag states the domain.
inline constexpr std::string_view kDomainUnstatedTag = "netvet:domain-unstated";

// An importer that fills a component's generation or domain from something
// other than a field saying so (a NetBox role through the role map) marks it
// with the tag "netvet:inferred:<generation|domain:NAME>=<basis>", e.g.
// "netvet:inferred:generation=netbox-role:gnb-5g" or
// "netvet:inferred:domain:core-5g=netbox-role:core-switch". Findings that select on the
// field list it in their evidence ("inferred"), as they list the standard's.
inline constexpr std::string_view kInferredTagPrefix = "netvet:inferred:";

}  // namespace netvet
