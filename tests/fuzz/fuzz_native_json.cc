// libFuzzer target: the native JSON network reader must report, never crash or hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "netvet/io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  netvet::Diagnostics diags;
  auto net = netvet::parse_network_json(text, "fuzz.json", diags);
  // A network that parsed must write and read back: the writer's JSON is the bulk format.
  if (net) {
    netvet::Diagnostics again;
    if (!netvet::parse_network_json(netvet::write_network_json(*net), "fuzz.json", again)) __builtin_trap();
  }
  (void)diags.format();
  return 0;
}
