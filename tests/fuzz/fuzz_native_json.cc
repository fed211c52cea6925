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
  // Read in small pieces and whole, the same text gives the same network and the same errors.
  for (size_t piece : {size_t{0}, size_t{16}}) {
    netvet::ReadLimits limits;
    limits.json_piece_bytes = piece;
    netvet::Diagnostics other_diags;
    auto other = netvet::parse_network_json(text, "fuzz.json", other_diags, limits);
    if (other_diags.format() != diags.format() || other.has_value() != net.has_value()) __builtin_trap();
    if (net && (netvet::write_network_json(*other) != netvet::write_network_json(*net) ||
                other->components.line != net->components.line || other->links.line != net->links.line))
      __builtin_trap();
  }
  return 0;
}
