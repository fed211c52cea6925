// libFuzzer target: the native YAML network reader must report, never crash or hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "netvet/io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  netvet::Diagnostics diags;
  auto net = netvet::parse_network_yaml(text, "fuzz.yaml", diags);
  // A network that parsed must write and read back: the writer's JSON is the bulk format.
  if (net) {
    netvet::Diagnostics again;
    if (!netvet::parse_network_json(netvet::write_network_json(*net), "fuzz.json", again)) __builtin_trap();
  }
  (void)diags.format();
  // Under tight limits (rows, links, and a memory estimate that the node
  // count passes early) a read stops with an error; when it does not stop, it
  // is the same read as under the defaults: a limit only ever refuses.
  netvet::ReadLimits tight;
  tight.max_rows = 3;
  tight.max_links = 2;
  tight.max_memory = 2 * size + 4000;
  netvet::Diagnostics tight_diags;
  auto limited = netvet::parse_network_yaml(text, "fuzz.yaml", tight_diags, tight);
  if (limited && (!net || netvet::write_network_json(*limited) != netvet::write_network_json(*net))) __builtin_trap();
  if (!limited && !tight_diags.has_errors()) __builtin_trap();
  return 0;
}
