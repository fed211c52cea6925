// Reading and writing files: the native network/proposal format (YAML for
// people, JSON for bulk; one schema, docs/formats/native.md), graph exports,
// and atomic file output. Everything that touches the file system lives in
// io/ and cli/. Assessments are written by report/ (netvet/report.h).
//
// Readers report every problem with file:line:column into `diags` (up to its
// limit) and return an error Status when there were any; they never throw.
//
//   netvet::Diagnostics diags;
//   auto net = netvet::read_network("examples/nz-spark-5g-2018/network.yaml", diags);
//   if (!net) { std::cerr << diags.format(); return 2; }
#pragma once

#include <string>
#include <string_view>

#include "netvet/assess.h"
#include "netvet/common.h"
#include "netvet/model.h"

namespace netvet {

// Limits that stop hostile files (why: a reader must not be the denial of service).
struct ReadLimits {
  size_t max_bytes = size_t{4} << 30;  // 4 GiB
  size_t max_depth = 64;               // YAML/JSON nesting
  size_t max_string = 64 * 1024;       // any single scalar
  // A JSON network is parsed in pieces of about this many bytes, so the
  // parser's index stays small; 0 parses the document whole. Both read the
  // same network and report the same errors (tests compare them).
  size_t json_piece_bytes = size_t{1} << 20;
};

// Reads a native network; the format follows the extension (.yaml/.yml or
// .json), else the first non-space byte ('{' means JSON).
Expected<Network> read_network(const std::string& path, Diagnostics& diags, const ReadLimits& limits = {});
Expected<Network> parse_network_yaml(std::string_view text, const std::string& file, Diagnostics& diags,
                                     const ReadLimits& limits = {});
Expected<Network> parse_network_json(std::string_view text, const std::string& file, Diagnostics& diags,
                                     const ReadLimits& limits = {});

Expected<Proposal> read_proposal(const std::string& path, Diagnostics& diags, const ReadLimits& limits = {});
Expected<Proposal> parse_proposal_yaml(std::string_view text, const std::string& file, Diagnostics& diags,
                                       const ReadLimits& limits = {});
Expected<Proposal> parse_proposal_json(std::string_view text, const std::string& file, Diagnostics& diags,
                                       const ReadLimits& limits = {});

// Native JSON of a network, deterministic (rows in table order, keys in schema order).
std::string write_network_json(const Network& net);

// Graph exports of a network for Gephi, yEd or Graphviz. `vendors` (optional)
// adds resolved vendor and risk attributes.
std::string write_graphml(const Network& net, const VendorColumns* vendors = nullptr);
std::string write_dot(const Network& net, const VendorColumns* vendors = nullptr);

// Whole-file helpers. write_file_atomic writes to a temporary file beside
// `path` and renames it, so a failed run never leaves a partial output.
Expected<std::string> read_file(const std::string& path, size_t max_bytes = size_t{4} << 30);
Status write_file_atomic(const std::string& path, std::string_view content);

}  // namespace netvet
