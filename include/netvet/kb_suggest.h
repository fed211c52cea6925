// "Did you mean" for vendor spellings the knowledge base does not know,
// including look-alike spellings (ICU's spoof checker). Separate from kb.h so
// only what suggests vendors links ICU.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "netvet/kb.h"

namespace netvet {

// For a spelling resolve_vendor() does not know, the vendor it most likely
// means: `confusable` when the two differ only in look-alike characters
// (Unicode TR39 skeletons: a Cyrillic "Н" for "H"), case, spacing,
// punctuation or legal suffixes; otherwise a near spelling by edit distance.
// nullopt when nothing is close. Never a resolution: a confusable spelling
// stays unknown until someone says which vendor it is.
struct VendorSuggestion {
  uint32_t vendor;  // index into kb.vendors
  bool confusable;
};
std::optional<VendorSuggestion> suggest_vendor(const KnowledgeBase& kb, std::string_view spelling);

}  // namespace netvet
