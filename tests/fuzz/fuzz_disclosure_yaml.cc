// The disclosure property on fuzzer-chosen overlays (not only crashes): the
// bytes are an overlay; a twin KB changes every item above UNCLASSIFIED (its
// rule ids, titles, citations, severities and vendor-rating reasons, marked
// FUZZCANARY). For every command and format at UNCLASSIFIED: no FUZZCANARY
// byte appears, and when the outcome is the same the twin's output is
// byte-identical to the original's.
#include <cstdint>
#include <string>

#include "../../src/engine/disclosure_check.h"

using namespace netvet;

namespace {

const char* kNetwork = R"(netvet: 1
operator: Test
country: ZZ
sites:
  - {id: S0, name: Site, lat: -36.8, lon: 174.7, region: R0}
components:
  - {id: core-amf-1, function: amf, generation: 5g-sa, vendor: Redco, site: S0}
  - {id: core-smf-1, function: smf, generation: 5g-sa, vendor: Whiteco, site: S0}
  - {id: core-upf-1, function: upf, generation: 5g-sa, vendor: Blueco, site: S0}
  - {id: ems-1, function: ems, vendor: Greenco, site: S0}
  - {id: gnb-1, function: gnb, generation: 5g-sa, vendor: Greenco, site: S0, serves: {subscribers: 500, cells: 3}}
  - {id: gnb-2, function: gnb, generation: 5g-sa, vendor: Redco, site: S0, serves: {subscribers: 700, cells: 3}}
links:
  - [gnb-1, core-amf-1, n2]
  - [gnb-2, core-amf-1, n2]
  - [core-amf-1, core-smf-1, sbi]
  - [core-smf-1, core-upf-1, n4]
  - [ems-1, gnb-1, mgmt]
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

constexpr Classification kReader = Classification::kUnclassified;

// The twin: what lies above the reader's clearance, changed.
SharedKb twin(const KnowledgeBase& kb) {
  auto t = std::make_shared<KnowledgeBase>(kb);
  for (auto& ov : t->overlays) {
    for (auto& r : ov.rules) {
      if (r.classification <= kReader) continue;
      r.id = "FUZZCANARY." + r.id;
      r.title = "FUZZCANARY " + r.title;
      r.citation = {"FUZZCANARY instrument", "FUZZCANARY section", "https://example.invalid/FUZZCANARY", ""};
      r.severity = static_cast<Severity>((static_cast<int>(r.severity) + 2) % 5);
    }
    if (ov.classification > kReader) {
      ov.file = "FUZZCANARY.yaml";
      for (auto& a : ov.vendor_assessments) a.reason = "FUZZCANARY " + a.reason;
    }
  }
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Base base;
  Diagnostics diags;
  SharedKb kb = engine::with_overlays(base.kb, {{"overlay.yaml", std::string(reinterpret_cast<const char*>(data), size)}},
                                      diags);
  if (!kb) return 0;
  const SharedKb other = twin(*kb);
  auto request = [&](const SharedKb& k) {
    return engine::Request{k, base.net, nullptr, "ZZ", *Date::parse("2020-06-01"), kReader, 1};
  };
  const auto a = disclosure_check::render_all(request(kb), nullptr);
  const auto b = disclosure_check::render_all(request(other), nullptr);
  if (a.items.size() != b.items.size()) __builtin_trap();
  for (size_t i = 0; i < b.items.size(); ++i) {
    if (b.items[i].second.find("FUZZCANARY") != std::string::npos) __builtin_trap();
    if (a.outcome == b.outcome && a.items[i].second != b.items[i].second) __builtin_trap();
  }
  return 0;
}
