// libFuzzer target: proposal files, YAML and JSON readers on the same bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "netvet/io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  netvet::Diagnostics yaml_diags, json_diags;
  (void)netvet::parse_proposal_yaml(text, "fuzz.yaml", yaml_diags);
  (void)netvet::parse_proposal_json(text, "fuzz.json", json_diags);
  (void)yaml_diags.format();
  (void)json_diags.format();
  return 0;
}
