// libFuzzer target: the NetBox role map (kb/role-map.yaml, or --role-map FILE),
// which a user writes by hand. A rejection must say why.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "netvet/import.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  netvet::Diagnostics diags;
  if (!netvet::parse_role_map(text, "role-map.yaml", diags) && !diags.has_errors()) __builtin_trap();
  (void)diags.format();
  return 0;
}
