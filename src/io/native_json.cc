// Native format, JSON flavour: simdjson on-demand reader (in progress).
#include "netvet/io.h"

namespace netvet {

Expected<Network> parse_network_json(std::string_view, const std::string& file, Diagnostics& diags, const ReadLimits&) {
  diags.error({file, 0, 0, {}}, "JSON networks are not supported yet");
  return diags.to_status();
}

Expected<Proposal> parse_proposal_json(std::string_view, const std::string& file, Diagnostics& diags,
                                       const ReadLimits&) {
  diags.error({file, 0, 0, {}}, "JSON proposals are not supported yet");
  return diags.to_status();
}

}  // namespace netvet
