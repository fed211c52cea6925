// libFuzzer target: the cyclonedx importer must reject or accept any bytes without
// crashing, hanging or reading out of bounds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "netvet/import.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  netvet::Diagnostics diags;
  netvet::ReadLimits limits;
  limits.max_depth = 32;
  (void)netvet::import_cyclonedx_text(text, "fuzz.json", {}, diags, nullptr, limits);
  return 0;
}
