// libFuzzer target: the Topology Zoo GraphML reader (generate/, for
// `netvet generate --family zoo`) must reject or accept any bytes without
// crashing, hanging or reading out of bounds, and a backbone it accepts must
// generate a network (whatever its shape: one node, no edges, a clique).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "netvet/generate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto backbone = netvet::parse_topology_zoo(text, "fuzz.graphml");
  if (!backbone || backbone->labels.size() > 200) return 0;
  netvet::GenerateOptions o;
  o.sites = 40;
  o.hrv_share = 0.3;
  o.family = netvet::Family::kZoo;
  o.backbone = std::make_shared<const netvet::Backbone>(std::move(*backbone));
  o.shuffle = size % 2 == 0;
  (void)netvet::generate_network(o);
  return 0;
}
