// The overlay reader (kb/ loader, from text) on arbitrary bytes: it must not
// crash, and whatever it accepts must pass through the disclosure layer
// cleanly: the UNCLASSIFIED view holds no rule or vendor rating above
// UNCLASSIFIED, and an assessment over it runs.
#include <cstdint>
#include <string>

#include "../../src/engine/disclosure_check.h"

using namespace netvet;

namespace {

const char* kNetwork = R"(netvet: 1
operator: Test
country: ZZ
components:
  - {id: core-amf-1, function: amf, generation: 5g-sa, vendor: Redco}
  - {id: core-upf-1, function: upf, generation: 5g-sa, vendor: Blueco}
  - {id: gnb-1, function: gnb, generation: 5g-sa, vendor: Greenco}
links:
  - [gnb-1, core-amf-1, n2]
  - [core-amf-1, core-upf-1, n4]
)";

struct Base {
  SharedKb kb;
  std::shared_ptr<const Network> net;
  Base() {
    Diagnostics d;
    kb = engine::load_kb_text("fuzz-1", {"vendors.yaml", disclosure_check::kVendors},
                              {{"zz.yaml", disclosure_check::kPack}}, d);
    auto n = parse_network_yaml(kNetwork, "network.yaml", d);
    if (!kb || !n) __builtin_trap();
    net = std::make_shared<const Network>(std::move(*n));
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Base base;
  Diagnostics diags;
  SharedKb kb = engine::with_overlays(base.kb, {{"overlay.yaml", std::string(reinterpret_cast<const char*>(data), size)}},
                                      diags);
  if (!kb) return 0;
  const KbView view = view_at(kb, Classification::kUnclassified, "ZZ");
  for (const auto& [code, j] : view.kb->jurisdictions)
    for (const auto& r : j.rules)
      if (r.classification > Classification::kUnclassified) __builtin_trap();
  for (const auto& ov : view.kb->overlays) {
    for (const auto& r : ov.rules)
      if (r.classification > Classification::kUnclassified) __builtin_trap();
    if (ov.classification > Classification::kUnclassified && (!ov.vendor_assessments.empty() || !ov.file.empty()))
      __builtin_trap();
  }
  engine::Request r{kb, base.net, nullptr, "ZZ", *Date::parse("2020-06-01"), Classification::kUnclassified, 1};
  (void)engine::assess(r);
  return 0;
}
