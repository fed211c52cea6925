// libFuzzer target: the planner's inputs, the cost model, the vendor
// portfolios and what must change together, on the same bytes. A rejection
// must say why.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "netvet/plan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  netvet::Diagnostics cost_diags, portfolio_diags, constraint_diags;
  if (!netvet::parse_cost_model(text, "costs.yaml", cost_diags) && !cost_diags.has_errors()) __builtin_trap();
  if (!netvet::parse_portfolios(text, "portfolios.yaml", portfolio_diags) && !portfolio_diags.has_errors())
    __builtin_trap();
  if (!netvet::parse_change_constraints(text, "constraints.yaml", constraint_diags) &&
      !constraint_diags.has_errors())
    __builtin_trap();
  (void)constraint_diags.format();
  (void)cost_diags.format();
  (void)portfolio_diags.format();
  return 0;
}
