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

#include <iosfwd>
#include <string>
#include <string_view>

#include "netvet/assess.h"
#include "netvet/common.h"
#include "netvet/model.h"

namespace netvet {

// Limits that stop hostile files (why: a reader must not be the denial of
// service). Each is checked as the file is read, and a read that passes one
// stops with one error naming it (docs/formats/native.md "Limits").
struct ReadLimits {
  size_t max_bytes = size_t{1} << 30;  // 1 GiB: the input's size, files, pipes and devices alike
  size_t max_depth = 64;               // YAML/JSON nesting
  size_t max_string = 64 * 1024;       // any single scalar
  // Rows: sites, components and sensitive locations of a network, plus a
  // proposal's added rows and change/remove entries; links counted apart.
  // Elements are counted as read, valid or not.
  size_t max_rows = 5'000'000;
  size_t max_links = 20'000'000;
  // What reading may take: the text, plus an estimate per row, per link and
  // (YAML) per node of the parse tree, which is counted before it is built.
  size_t max_memory = size_t{2} << 30;  // 2 GiB
  // A JSON network is parsed in pieces of about this many bytes, so the
  // parser's index stays small; 0 parses the document whole. Both read the
  // same network and report the same errors (tests compare them).
  size_t json_piece_bytes = size_t{1} << 20;
  // Reading in pieces, a network's "links" array of at least this many bytes
  // is read on a second thread while the fields before it are read (its ends
  // resolved afterwards); SIZE_MAX never. Both ways read the same network and
  // report the same errors (tests compare them).
  size_t json_links_aside_bytes = size_t{1} << 20;
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
// Native JSON of a proposal (docs/formats/native.md, "A proposal"): what
// read_proposal reads back to the same delta.
std::string write_proposal_json(const Proposal& proposal);

// Graph exports of a network for Gephi, yEd or Graphviz. `vendors` (optional)
// adds resolved vendor and risk attributes.
std::string write_graphml(const Network& net, const VendorColumns* vendors = nullptr);
std::string write_dot(const Network& net, const VendorColumns* vendors = nullptr);

// Whole-file helpers. read_file reads anything that is not a directory
// (pipes and devices too) up to max_bytes.
Expected<std::string> read_file(const std::string& path, size_t max_bytes = ReadLimits{}.max_bytes);

// Writes a command's output file: to a temporary file beside `path`, then
// renamed over it, so a failed run never leaves a partial output. `holds` is
// the highest classification of anything in `content`: above UNCLASSIFIED the
// file is 0600 whatever the umask or the mode of the file it replaces;
// otherwise a new file gets 0666 narrowed by the umask and a replaced regular
// file keeps its mode. Only a regular file or a symlink (the link is replaced,
// its target left alone) is replaced: a FIFO, a device (`/dev/null` as root),
// a directory or a socket at `path` is an error.
Status write_file_atomic(const std::string& path, std::string_view content,
                         Classification holds = Classification::kUnclassified);

// Every command's output: "" or "-" is `out` (standard output), anything else
// a file written by write_file_atomic.
inline bool is_stdout_path(std::string_view path) { return path.empty() || path == "-"; }
Status write_output(const std::string& path, std::string_view content, Classification holds, std::ostream& out);

}  // namespace netvet
