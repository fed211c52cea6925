// Renderings of the engine's graph requests, as `netvet graph exposure|paths`
// prints them (text, json, dot). Strings only: callers write them.
#pragma once

#include <string>

#include "netvet/engine.h"

namespace netvet::engine {

struct GraphRenderOptions {
  std::string format = "text";  // text | json | dot
  size_t limit = 20;            // rows per list, 0 = all
  std::string network_name;     // how the text names the network (its file)
  bool list_unreachable = false;  // paths: also list targets no path reaches (given --target)
  bool reporting_propagates = false, protection_stops = true;  // recorded in the JSON
};

std::string render_exposure(const ExposureResult& r, const GraphRenderOptions& opt);
std::string render_paths(const PathsResult& r, const GraphRenderOptions& opt);

}  // namespace netvet::engine
