// graph_bench: the netvet side of bench/graph_peers.sh. Never a test: it
// measures and prints. Three modes:
//
//   graph_bench export --sites N --hrv-share P --seed S [--family F]
//                      [--backbone ZOO.graphml] [--shuffle] DIR
//       generates a network (generate/, any topology family), builds its access graph and writes
//       DIR/edges.u32 (directed access edges as little-endian uint32 pairs),
//       DIR/sources.u32 (untrusted: Huawei/ZTE components), DIR/targets.u32
//       (core-5g, core-4g, management, lawful-intercept) and DIR/meta.txt.
//       Peers read exactly these files, so every tool sees the same graph.
//   graph_bench run DIR [--repeat R] [--threads T] [--only QUERY]
//       reads the files, builds the CSR (untimed, as for the peers) and prints
//       the median time of exposure, attribution and shortest paths, plus
//       checksums the peers must match.
//   graph_bench bandwidth [--mb M] [--graph DIR]
//       a streaming read (sum) and copy over M MiB, single- and two-threaded:
//       the machine's memory bandwidth, for the bound in RESULTS.md; with
//       --graph, also the time to read the arrays that bound counts.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <memory>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "netvet/generate.h"
#include "netvet/graph.h"

using namespace netvet;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

// CPU time of the process (every thread), in ms: on the shared 2-core machine
// a query's wall time includes the time other engineers' builds held the
// cores; its CPU time does not (RESULTS.md reports both).
double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

template <typename T>
bool write_vec(const std::string& path, const std::vector<T>& v) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(T)));
  return static_cast<bool>(f);
}

template <typename T>
std::vector<T> read_vec(const std::string& path) {
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  if (!f) {
    std::fprintf(stderr, "graph_bench: cannot read %s\n", path.c_str());
    std::exit(2);
  }
  std::vector<T> v(static_cast<size_t>(f.tellg()) / sizeof(T));
  f.seekg(0);
  f.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(T)));
  return v;
}

const char* arg(int argc, char** argv, const char* name, const char* def) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
  return def;
}

int do_export(int argc, char** argv) {
  GenerateOptions o;
  o.sites = static_cast<uint32_t>(std::atol(arg(argc, argv, "--sites", "1000")));
  o.hrv_share = std::atof(arg(argc, argv, "--hrv-share", "0.3"));
  o.seed = std::strtoull(arg(argc, argv, "--seed", "1"), nullptr, 10);
  const auto family = parse_family(arg(argc, argv, "--family", "default"));
  if (!family) {
    std::fprintf(stderr, "graph_bench: --family: default, one-way, core-trees or zoo\n");
    return 2;
  }
  o.family = *family;
  for (int i = 1; i < argc; ++i) o.shuffle |= std::strcmp(argv[i], "--shuffle") == 0;
  if (const char* bb = arg(argc, argv, "--backbone", nullptr)) {
    std::ifstream f(bb, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    auto backbone = parse_topology_zoo(text, bb);
    if (!f || !backbone) {
      std::fprintf(stderr, "graph_bench: cannot read the backbone %s\n", bb);
      return 2;
    }
    o.backbone = std::make_shared<const Backbone>(std::move(*backbone));
  }
  const std::string dir = argv[argc - 1];
  auto net = generate_network(o);
  if (!net) {
    std::fprintf(stderr, "%s\n", net.error().to_string().c_str());
    return 2;
  }
  auto g = AccessGraph::build(*net);
  std::vector<uint32_t> edges;
  edges.reserve(2 * g.edge_count());
  for (uint32_t u = 0; u < g.node_count(); ++u)
    for (uint32_t v : g.out(u)) {
      edges.push_back(u);
      edges.push_back(v);
    }
  std::vector<uint32_t> sources, targets;
  for (uint32_t c = 0; c < net->components.size(); ++c) {
    const std::string_view v = net->str(net->components.vendor[c]);
    if (v == "Huawei" || v == "ZTE") sources.push_back(c);
    const Domain d = function_domain(net->components.function[c]);
    if (d == Domain::kCore5g || d == Domain::kCore4g || d == Domain::kManagement || d == Domain::kLawfulIntercept)
      targets.push_back(c);
  }
  if (!write_vec(dir + "/edges.u32", edges) || !write_vec(dir + "/sources.u32", sources) ||
      !write_vec(dir + "/targets.u32", targets)) {
    std::fprintf(stderr, "graph_bench: cannot write to %s\n", dir.c_str());
    return 2;
  }
  std::ofstream meta(dir + "/meta.txt");
  meta << "nodes " << g.node_count() << "\nedges " << g.edge_count() << "\nsources " << sources.size() << "\ntargets "
       << targets.size() << "\nlinks " << net->links.size() << "\n";
  std::printf("exported %u nodes, %lu edges, %zu sources, %zu targets to %s\n", g.node_count(),
              static_cast<unsigned long>(g.edge_count()), sources.size(), targets.size(), dir.c_str());
  return 0;
}

int do_run(int argc, char** argv) {
  const std::string dir = argv[2];
  const int repeat = std::atoi(arg(argc, argv, "--repeat", "5"));
  // --only exposure|attribution|paths: run just that query (for perf record).
  const std::string only = arg(argc, argv, "--only", "");
  auto want = [&](const char* q) { return only.empty() || only == q; };
  GraphOptions opt;
  opt.threads = static_cast<unsigned>(std::atoi(arg(argc, argv, "--threads", "0")));
  uint32_t nodes = 0;
  {
    std::ifstream meta(dir + "/meta.txt");
    std::string key;
    uint64_t value;
    while (meta >> key >> value)
      if (key == "nodes") nodes = static_cast<uint32_t>(value);
  }
  const auto flat = read_vec<uint32_t>(dir + "/edges.u32");
  const auto sources = read_vec<uint32_t>(dir + "/sources.u32");
  const auto targets = read_vec<uint32_t>(dir + "/targets.u32");
  std::vector<std::pair<uint32_t, uint32_t>> edges(flat.size() / 2);
  for (size_t i = 0; i < edges.size(); ++i) edges[i] = {flat[2 * i], flat[2 * i + 1]};
  const auto t_build = Clock::now();
  const double c_build = cpu_ms();
  const auto g = AccessGraph::from_edges(nodes, edges, opt);
  const double build_ms = ms_since(t_build), build_cpu_ms = cpu_ms() - c_build;
  // Construction is untimed for every tool (the peers index both directions
  // when they build); its cost is reported here, renumbering included.
  // netvet builds its reverse index on first use: forced here, outside the
  // timed queries.
  const auto t_index = Clock::now();
  const double c_index = cpu_ms();
  const size_t index_bytes = g.index_reverse();
  const double index_ms = ms_since(t_index), index_cpu_ms = cpu_ms() - c_index;
  std::printf(
      "tool=netvet build_ms=%.1f build_cpu_ms=%.1f reverse_index_ms=%.1f reverse_index_cpu_ms=%.1f csr_MB=%.1f "
      "reverse_index_MB=%.1f relabelled=%s\n",
      build_ms, build_cpu_ms, index_ms, index_cpu_ms, (g.offsets().size_bytes() + 2 * g.targets().size_bytes()) / 1e6,
      index_bytes / 1e6, g.relabelled() ? "yes" : "no");

  std::vector<double> t_exp, t_attr, t_path, c_exp, c_attr, c_path;
  uint64_t reach = 0, attr_sum = 0, path_sum = 0, reached_targets = 0;
  for (int r = 0; r < repeat; ++r) {
    if (want("exposure")) {
      const auto t = Clock::now();
      const double c = cpu_ms();
      const auto ex = exposure(g, sources);
      t_exp.push_back(ms_since(t));
      c_exp.push_back(cpu_ms() - c);
      reach = std::accumulate(ex.begin(), ex.end(), uint64_t{0});
    }
    if (want("attribution")) {
      const auto t = Clock::now();
      const double c = cpu_ms();
      const auto a = attribute(g, sources, targets, 16);
      t_attr.push_back(ms_since(t));
      c_attr.push_back(cpu_ms() - c);
      attr_sum = std::accumulate(a.count.begin(), a.count.end(), uint64_t{0});
    }
    if (want("paths")) {
      const auto t = Clock::now();
      const double c = cpu_ms();
      const auto p = shortest_paths(g, sources, targets);
      t_path.push_back(ms_since(t));
      c_path.push_back(cpu_ms() - c);
      path_sum = reached_targets = 0;
      for (const auto& x : p)
        if (!x.empty()) {
          path_sum += x.size() - 1;
          ++reached_targets;
        }
    }
  }
  for (auto* v : {&t_exp, &t_attr, &t_path, &c_exp, &c_attr, &c_path})
    if (v->empty()) v->push_back(0);
  // One line per query, machine-readable for graph_compare.py: the median, and
  // the minimum (the least disturbed run on a shared machine).
  auto line = [](const char* q, const std::vector<double>& t, const std::vector<double>& c, uint64_t checksum) {
    std::printf("tool=netvet query=%s ms=%.3f min_ms=%.3f cpu_ms=%.3f checksum=%lu\n", q, median(t),
                *std::min_element(t.begin(), t.end()), median(c), static_cast<unsigned long>(checksum));
  };
  line("exposure", t_exp, c_exp, reach);
  line("attribution", t_attr, c_attr, attr_sum);
  line("paths", t_path, c_path, path_sum);
  return 0;
}

int do_bandwidth(int argc, char** argv) {
  const size_t mb = static_cast<size_t>(std::atol(arg(argc, argv, "--mb", "512")));
  const size_t n = mb * (size_t{1} << 20) / sizeof(uint64_t);
  std::vector<uint64_t> a(n, 1), b(n, 0);
  auto read_pass = [&](size_t lo, size_t hi) {
    uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;  // four accumulators so the adds do not serialise
    for (size_t i = lo; i + 3 < hi; i += 4) {
      s0 += a[i];
      s1 += a[i + 1];
      s2 += a[i + 2];
      s3 += a[i + 3];
    }
    return s0 + s1 + s2 + s3;
  };
  for (unsigned threads : {1u, 2u}) {
    std::vector<double> tr, tc;
    for (int r = 0; r < 5; ++r) {
      std::vector<uint64_t> sums(threads);
      auto t = Clock::now();
      {
        std::vector<std::thread> pool;
        for (unsigned k = 0; k < threads; ++k)
          pool.emplace_back([&, k] { sums[k] = read_pass(n * k / threads, n * (k + 1) / threads); });
        for (auto& th : pool) th.join();
      }
      tr.push_back(ms_since(t));
      if (std::accumulate(sums.begin(), sums.end(), uint64_t{0}) == 42) std::puts("");  // keep the sum live
      t = Clock::now();
      {
        std::vector<std::thread> pool;
        for (unsigned k = 0; k < threads; ++k)
          pool.emplace_back([&, k] {
            std::memcpy(b.data() + n * k / threads, a.data() + n * k / threads,
                        (n * (k + 1) / threads - n * k / threads) * sizeof(uint64_t));
          });
        for (auto& th : pool) th.join();
      }
      tc.push_back(ms_since(t));
    }
    const double bytes = static_cast<double>(n * sizeof(uint64_t));
    std::printf("bandwidth threads=%u read_GBps=%.2f copy_GBps=%.2f (copy counts read+write)\n", threads,
                bytes / median(tr) / 1e6, 2 * bytes / median(tc) / 1e6);
  }
  // --graph DIR: the time to read exactly the arrays the bound in RESULTS.md
  // counts, the same way (one thread, four accumulators, repeated like the
  // queries, so they meet the same cache): the forward CSR (what a search over
  // out-rows must read), and the first-neighbour columns plus the source list
  // (what netvet's attribution must read at least; see RESULTS.md).
  const char* dir = arg(argc, argv, "--graph", nullptr);
  if (!dir) return 0;
  const auto flat = read_vec<uint32_t>(std::string(dir) + "/edges.u32");
  const auto sources = read_vec<uint32_t>(std::string(dir) + "/sources.u32");
  uint32_t nodes = 0;
  for (uint32_t x : flat) nodes = std::max(nodes, x + 1);
  std::vector<std::pair<uint32_t, uint32_t>> edges(flat.size() / 2);
  for (size_t i = 0; i < edges.size(); ++i) edges[i] = {flat[2 * i], flat[2 * i + 1]};
  const auto g = AccessGraph::from_edges(nodes, edges);
  auto sum = [](auto span) {
    uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t i = 0;
    for (; i + 3 < span.size(); i += 4) {
      s0 += span[i];
      s1 += span[i + 1];
      s2 += span[i + 2];
      s3 += span[i + 3];
    }
    for (; i < span.size(); ++i) s0 += span[i];
    return s0 + s1 + s2 + s3;
  };
  auto time_read = [&](const char* what, auto&& read, size_t bytes) {
    std::vector<double> t;
    uint64_t keep = 0;
    for (int r = 0; r < 21; ++r) {
      const auto c = Clock::now();
      keep += read();
      t.push_back(ms_since(c));
    }
    std::printf("bandwidth graph=%s MB=%.1f ms=%.3f min_ms=%.3f GBps=%.2f%s\n", what, bytes / 1e6, median(t),
                *std::min_element(t.begin(), t.end()), bytes / median(t) / 1e6, keep == 42 ? " " : "");
  };
  time_read(
      "csr(offsets+targets)", [&] { return sum(g.offsets()) + sum(g.targets()); },
      g.offsets().size_bytes() + g.targets().size_bytes());
  time_read(
      "columns(first_in+first_out)+sources",
      [&] { return sum(g.first_in()) + sum(g.first_out()) + sum(std::span<const uint32_t>(sources)); },
      g.first_in().size_bytes() + g.first_out().size_bytes() + sources.size() * sizeof(uint32_t));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 3 && std::strcmp(argv[1], "export") == 0) return do_export(argc, argv);
  if (argc >= 3 && std::strcmp(argv[1], "run") == 0) return do_run(argc, argv);
  if (argc >= 2 && std::strcmp(argv[1], "bandwidth") == 0) return do_bandwidth(argc, argv);
  std::fprintf(stderr,
               "usage: graph_bench export --sites N --hrv-share P --seed S [--family F] [--backbone FILE] [--shuffle] DIR\n"
               "       graph_bench run DIR [--repeat R] [--threads T] [--only exposure|attribution|paths]\n"
               "       graph_bench bandwidth [--mb M] [--graph DIR]\n");
  return 2;
}
