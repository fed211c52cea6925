#!/usr/bin/python3
"""netvet's graph queries side by side with python-igraph, graph-tool and NetworkX.

Usage: graph_compare.py DIR --graph-bench PATH [--repeat R] [--networkx-max-nodes N]
                        [--label NAME --json-out FILE]

--json-out appends one JSON line per run (label, graph size, every tool's
median and checksum, netvet's construction times) for bench/graph_families.sh,
which runs every topology family and size and prints one table per family.

DIR holds the graph `graph_bench export` wrote (edges.u32, sources.u32,
targets.u32, meta.txt): every tool reads the same directed access edges. Each
tool answers the same three questions, timed as the median of R runs (graph
construction is not timed, for any tool):

  exposure      how many nodes the sources reach (sources included)
  attribution   for each target, how many sources reach it (summed over targets)
  paths         one shortest path from the nearest source to each target
                (summed hop counts)

Peers use a super-source vertex joined to every source for the multi-source
searches (exposure, paths): the standard way to ask these libraries a
multi-source question. Attribution is timed two ways per peer, and the faster
counts: one reverse BFS per target ("bfs"), and the same condensation idea as
netvet ("scc": strongly connected components, then reverse reachability in the
condensation DAG, weighted by sources per component).

Results must agree: the script prints the checksums and exits 1 on any
mismatch. Run with /usr/bin/python3 (Debian's python3-igraph and
python3-graph-tool live there, not in a pyenv interpreter).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import warnings

import numpy as np

warnings.filterwarnings("ignore", message="Couldn.t reach some vertices")


CPU = {}  # id(result tuple) -> median process CPU ms: wall time on a shared machine includes others' builds


def timed(fn, repeat):
    times, cpu, result = [], [], None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        times.append((time.perf_counter() - t) * 1000.0)
        cpu.append((time.process_time() - c) * 1000.0)
    r = (statistics.median(times), result)
    CPU[id(r)] = statistics.median(cpu)
    return r


def load(d):
    meta = dict(line.split() for line in open(os.path.join(d, "meta.txt")))
    n = int(meta["nodes"])
    edges = np.fromfile(os.path.join(d, "edges.u32"), dtype="<u4").reshape(-1, 2).astype(np.int64)
    sources = np.fromfile(os.path.join(d, "sources.u32"), dtype="<u4").astype(np.int64)
    targets = np.fromfile(os.path.join(d, "targets.u32"), dtype="<u4").astype(np.int64)
    return n, edges, sources, targets


def with_super(n, edges, sources):
    # Super source s = n, with an edge to every source.
    extra = np.stack([np.full(len(sources), n, dtype=np.int64), sources], axis=1)
    return np.concatenate([edges, extra])


def run_igraph(n, edges, sources, targets, repeat, bfs=True):
    import igraph as ig

    S = n
    g = ig.Graph(n=n + 1, edges=with_super(n, edges, sources).tolist(), directed=True)
    src_mask = np.zeros(n + 1, dtype=bool)
    src_mask[sources] = True
    tl = targets.tolist()
    out = {}
    out["exposure"] = timed(lambda: len(g.subcomponent(S, mode="out")) - 1, repeat)

    def attr_bfs():
        return sum(int(src_mask[g.subcomponent(t, mode="in")].sum()) for t in tl)

    def attr_scc():
        cl = g.connected_components(mode="strong")
        memb = np.asarray(cl.membership)
        weight = np.bincount(memb[src_mask], minlength=len(cl))
        dag = cl.cluster_graph(combine_edges=False)
        total, cache = 0, {}
        for t in tl:
            c = memb[t]
            if c not in cache:
                cache[c] = int(weight[dag.subcomponent(int(c), mode="in")].sum())
            total += cache[c]
        return total

    out["attribution:bfs"] = timed(attr_bfs, max(1, repeat // 2)) if bfs else None
    out["attribution:scc"] = timed(attr_scc, repeat)

    def paths():
        ps = g.get_shortest_paths(S, to=tl, mode="out", output="vpath")
        return sum(len(p) - 2 for p in ps if p)

    out["paths"] = timed(paths, repeat)
    return out


def run_graph_tool(n, edges, sources, targets, repeat, bfs=True):
    import graph_tool.all as gt

    S = n
    g = gt.Graph(directed=True)
    g.add_vertex(n + 1)
    g.add_edge_list(with_super(n, edges, sources))
    src_mask = np.zeros(n + 1, dtype=bool)
    src_mask[sources] = True
    tl = targets.tolist()
    out = {}
    out["exposure"] = timed(lambda: int(gt.label_out_component(g, g.vertex(S)).a.sum()) - 1, repeat)
    rg = gt.GraphView(g, reversed=True)

    def attr_bfs():
        return sum(int(gt.label_out_component(rg, rg.vertex(t)).a[src_mask].sum()) for t in tl)

    def attr_scc():
        comp, _ = gt.label_components(g, directed=True)
        memb = comp.a
        weight = np.bincount(memb[src_mask], minlength=int(memb.max()) + 1)
        cg, cprop = gt.condensation_graph(g, comp)[:2]
        label = cprop.a  # condensed vertex -> component label
        vertex_of = np.empty(len(label), dtype=np.int64)
        vertex_of[label] = np.arange(len(label))
        rcg = gt.GraphView(cg, reversed=True)
        total, cache = 0, {}
        for t in tl:
            c = memb[t]
            if c not in cache:
                mask = gt.label_out_component(rcg, rcg.vertex(int(vertex_of[c]))).a.astype(bool)
                cache[c] = int(weight[label[mask]].sum())
            total += cache[c]
        return total

    out["attribution:bfs"] = timed(attr_bfs, max(1, repeat // 2)) if bfs else None
    out["attribution:scc"] = timed(attr_scc, repeat)

    def paths():
        _, pred = gt.shortest_distance(g, source=g.vertex(S), target=[g.vertex(t) for t in tl], pred_map=True)
        p = pred.a
        total = 0
        for t in tl:
            hops, v = 0, t
            while p[v] != v and v != S:
                v = p[v]
                hops += 1
            if v == S:
                total += hops - 1
        return total

    out["paths"] = timed(paths, repeat)
    return out


def run_networkx(n, edges, sources, targets, repeat, bfs=True):
    import networkx as nx

    S = n
    G = nx.DiGraph()
    G.add_nodes_from(range(n + 1))
    G.add_edges_from(with_super(n, edges, sources).tolist())
    srcset = set(sources.tolist())
    tl = targets.tolist()
    out = {}
    out["exposure"] = timed(lambda: len(nx.descendants(G, S)), repeat)

    def attr_bfs():
        return sum(len(nx.ancestors(G, t) & srcset) + (t in srcset) for t in tl)

    def attr_scc():
        C = nx.condensation(G)
        mapping = C.graph["mapping"]
        weight = {}
        for s in srcset:
            weight[mapping[s]] = weight.get(mapping[s], 0) + 1
        total, cache = 0, {}
        for t in tl:
            c = mapping[t]
            if c not in cache:
                cache[c] = sum(weight.get(x, 0) for x in nx.ancestors(C, c) | {c})
            total += cache[c]
        return total

    out["attribution:bfs"] = timed(attr_bfs, 1) if bfs else None
    out["attribution:scc"] = timed(attr_scc, 1)

    def paths():
        pred = nx.predecessor(G, S)
        total = 0
        for t in tl:
            if t not in pred:
                continue
            hops, v = 0, t
            while v != S:
                v = pred[v][0]
                hops += 1
            total += hops - 1
        return total

    out["paths"] = timed(paths, 1)
    return out


def run_netvet(graph_bench, d, repeat):
    res = subprocess.run([graph_bench, "run", d, "--repeat", str(repeat)], check=True, capture_output=True, text=True)
    out = {}
    for line in res.stdout.splitlines():
        kv = dict(x.split("=", 1) for x in line.split())
        if "query" not in kv:  # the construction line: reported, not compared
            print(line, flush=True)
            out["build"] = {k: float(v) for k, v in kv.items() if k.endswith("_ms")}
            out["build"]["relabelled"] = kv.get("relabelled") == "yes"
            continue
        out[kv["query"]] = (float(kv["ms"]), int(kv["checksum"]))
        CPU[id(out[kv["query"]])] = float(kv.get("cpu_ms", "nan"))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--graph-bench", required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--networkx-max-nodes", type=int, default=150000)
    ap.add_argument("--tools", default="igraph,graph-tool,networkx")
    # One reverse BFS per target takes minutes at 10^6 (measured: igraph 215 s,
    # graph-tool 73 s per run) and is slower than the condensation at every size.
    ap.add_argument("--bfs-max-nodes", type=int, default=200000)
    ap.add_argument("--label", default="")
    ap.add_argument("--json-out")
    a = ap.parse_args()
    n, edges, sources, targets = load(a.dir)
    print(f"graph: {n} nodes, {len(edges)} edges, {len(sources)} sources, {len(targets)} targets", flush=True)

    results = {"netvet": run_netvet(a.graph_bench, a.dir, a.repeat)}
    runners = {"igraph": run_igraph, "graph-tool": run_graph_tool, "networkx": run_networkx}
    for tool in a.tools.split(","):
        if tool == "networkx" and n > a.networkx_max_nodes:
            print(f"networkx: skipped above {a.networkx_max_nodes} nodes (takes minutes)", flush=True)
            continue
        try:
            r = runners[tool](n, edges, sources, targets, a.repeat, bfs=n <= a.bfs_max_nodes)
        except ImportError as e:
            print(f"{tool}: not installed ({e}); skipped", flush=True)
            continue
        # The faster attribution method is the peer's time; both are printed.
        bfs, scc = r.pop("attribution:bfs"), r.pop("attribution:scc")
        r["attribution"] = min([x for x in (bfs, scc) if x], key=lambda x: x[0])
        r["attribution-methods"] = {"bfs": bfs, "scc": scc}
        results[tool] = r

    ok = True
    print(f"\n{'query':<12} {'tool':<11} {'median ms':>10} {'checksum':>12}  netvet speed-up")
    for q in ("exposure", "attribution", "paths"):
        base_ms, base_ck = results["netvet"][q]
        for tool, r in results.items():
            ms, ck = r[q]
            agree = ck == base_ck
            ok &= agree
            ratio = "" if tool == "netvet" else f"{ms / base_ms:8.1f}x"
            extra = ""
            if q == "attribution" and tool != "netvet":
                m = r["attribution-methods"]
                b = f"{m['bfs'][0]:.1f} ms" if m["bfs"] else "skipped"
                extra = f"  (bfs {b}, scc {m['scc'][0]:.1f} ms)"
                ok &= (not m["bfs"] or m["bfs"][1] == base_ck) and m["scc"][1] == base_ck
            print(f"{q:<12} {tool:<11} {ms:10.2f} (cpu {CPU.get(id(r[q]), float('nan')):.2f}) {ck:12d}  {ratio}{'' if agree else '  CHECKSUM MISMATCH'}{extra}")
    if a.json_out:
        row = {"label": a.label, "nodes": n, "edges": len(edges), "sources": len(sources), "targets": len(targets),
               "load": os.getloadavg()[0], "agree": ok, "build": results["netvet"].get("build", {}),
               "tools": {t: {q: list(r[q]) + [CPU.get(id(r[q]))] for q in ("exposure", "attribution", "paths")}
                         for t, r in results.items()}}
        for t, r in results.items():
            if "attribution-methods" in r:
                row["tools"][t]["attribution-method"] = min(
                    (k for k, v in r["attribution-methods"].items() if v), key=lambda k: r["attribution-methods"][k][0])
        with open(a.json_out, "a") as f:
            f.write(json.dumps(row) + "\n")
    if not ok:
        print("\nFAIL: the tools disagree", file=sys.stderr)
        return 1
    print("\nall checksums agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
