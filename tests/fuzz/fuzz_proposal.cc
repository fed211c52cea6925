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
  // Tight limits: change/remove entries and links count too; reading must stop cleanly.
  netvet::ReadLimits tight;
  tight.max_rows = 2;
  tight.max_links = 1;
  tight.max_memory = 8 * size + 2000;
  netvet::Diagnostics tight_yaml, tight_json;
  if (!netvet::parse_proposal_yaml(text, "fuzz.yaml", tight_yaml, tight) && !tight_yaml.has_errors()) __builtin_trap();
  if (!netvet::parse_proposal_json(text, "fuzz.json", tight_json, tight) && !tight_json.has_errors()) __builtin_trap();
  return 0;
}
