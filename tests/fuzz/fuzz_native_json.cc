// libFuzzer target: the native JSON network reader must report, never crash or hang.
#include <cstddef>
#include <cstdint>
#include <optional>
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
  // Read in small pieces and whole, the same text gives the same network and
  // the same errors; in pieces, with the links read on a second thread too.
  for (size_t piece : {size_t{0}, size_t{16}, size_t{17}}) {
    netvet::ReadLimits limits;
    limits.json_piece_bytes = piece;
    if (piece == 17) limits.json_links_aside_bytes = 0;
    netvet::Diagnostics other_diags;
    auto other = netvet::parse_network_json(text, "fuzz.json", other_diags, limits);
    if (other_diags.format() != diags.format() || other.has_value() != net.has_value()) __builtin_trap();
    if (net && (netvet::write_network_json(*other) != netvet::write_network_json(*net) ||
                other->components.line != net->components.line || other->links.line != net->links.line))
      __builtin_trap();
  }
  // Under tight limits (rows, links, memory) a read stops with an error, in
  // pieces and whole alike (which errors may differ: reading in pieces stops
  // before a syntax error further on, the whole parse sees it first); when it
  // does not stop, it is the same read as under the defaults: a limit only
  // ever refuses.
  std::optional<bool> tight_ok;
  for (size_t piece : {size_t{0}, size_t{16}, size_t{17}}) {
    netvet::ReadLimits tight;
    tight.json_piece_bytes = piece;
    if (piece == 17) tight.json_links_aside_bytes = 0;
    tight.max_rows = 3;
    tight.max_links = 2;
    tight.max_memory = 8 * size + 600;  // past the whole parse's index: rows decide
    netvet::Diagnostics tight_diags;
    auto limited = netvet::parse_network_json(text, "fuzz.json", tight_diags, tight);
    if (tight_ok && *tight_ok != limited.has_value()) __builtin_trap();
    tight_ok = limited.has_value();
    if (!limited && !tight_diags.has_errors()) __builtin_trap();
    if (limited && (!net || netvet::write_network_json(*limited) != netvet::write_network_json(*net))) __builtin_trap();
  }
  return 0;
}
