// The access graph as the API gives it (GET /notifications/{id}/graph), and
// what the graph page computes from it: where to draw each node (by site, so
// 10^4 nodes need no force layout), the aggregation by site, and what a
// component can reach along access edges.

export interface GraphNode {
  id: string;
  site: string | null;
  function: string;
  domain: string;
  vendor: string;
  state: "existing" | "added" | "changed";
  untrusted: boolean; // high-risk as the reader may see it (the engine's disclosure)
  critical: boolean;
}
export interface GraphSite {
  id: string;
  name: string;
  region: string;
  lat: number | null;
  lon: number | null;
}
export interface AccessGraph {
  version: number;
  clearance: string;
  marking: string; // the highest level the view shows
  withheld: { classification: string; count: number }[];
  nodes: GraphNode[];
  edges: Edges;
  sites: GraphSite[];
  sensitive: { id: string; name: string; kind: string; lat: number; lon: number; radius_km: number }[];
  paths: number[][]; // untrusted source -> critical component, node indexes
  blast: [number, number, number][]; // [untrusted node, subscribers, cells]
}

// Access edges as parallel arrays (323,000 of them at 10^5 components).
export interface Edges {
  length: number;
  from: Int32Array; // node indexes
  to: Int32Array;
  iface: Uint8Array; // index into names
  names: string[]; // interface names
}

// The graph as the API sends it: components by column and edges as one flat
// array, with function, vendor and interface names given once in tables. As
// objects and arrays per component and edge it was 25 MB at 10^5 components,
// and the browser's parse of it a fifth of opening the page.
export interface WireGraph extends Omit<AccessGraph, "nodes" | "edges"> {
  functions: [string, string][]; // [function, domain]
  vendors: string[];
  interfaces: string[];
  nodes: { id: string[]; site: number[]; function: number[]; vendor: number[]; flags: number[] }; // site -1: none; flags: state + 4 untrusted + 8 critical
  edges: number[]; // from, to, interface index; from, to, ...
}

const STATES = ["existing", "added", "changed"] as const;

export function decodeGraph(w: WireGraph): AccessGraph {
  const c = w.nodes;
  const nodes: GraphNode[] = new Array(c.id.length);
  for (let i = 0; i < c.id.length; i++) {
    const [fn, flags] = [w.functions[c.function[i]], c.flags[i]];
    nodes[i] = {
      id: c.id[i],
      site: c.site[i] < 0 ? null : w.sites[c.site[i]].id,
      function: fn[0],
      domain: fn[1],
      vendor: w.vendors[c.vendor[i]],
      state: STATES[flags & 3],
      untrusted: (flags & 4) !== 0,
      critical: (flags & 8) !== 0,
    };
  }
  const n = w.edges.length / 3;
  const edges: Edges = { length: n, from: new Int32Array(n), to: new Int32Array(n), iface: new Uint8Array(n), names: w.interfaces };
  for (let e = 0; e < n; e++) {
    edges.from[e] = w.edges[3 * e];
    edges.to[e] = w.edges[3 * e + 1];
    edges.iface[e] = w.edges[3 * e + 2];
  }
  const { functions: _f, vendors: _v, interfaces: _i, ...rest } = w;
  return { ...rest, nodes, edges };
}

export const NO_SITE = "(no site)";

// Site centres: from coordinates when every site has them (north up), else a grid.
export function sitePositions(sites: GraphSite[], siteIds: string[], spacing: number): Map<string, { x: number; y: number }> {
  const out = new Map<string, { x: number; y: number }>();
  const byId = new Map(sites.map((s) => [s.id, s]));
  const located = siteIds.map((id) => byId.get(id)).filter((s): s is GraphSite => !!s && s.lat !== null && s.lon !== null);
  if (located.length === siteIds.length && located.length > 1) {
    const lats = located.map((s) => s.lat!);
    const lons = located.map((s) => s.lon!);
    const [minLat, maxLat, minLon, maxLon] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
    const span = Math.max(maxLat - minLat, maxLon - minLon) || 1;
    const scale = (spacing * Math.sqrt(siteIds.length) * 1.5) / span;
    for (const s of located) out.set(s.id, { x: (s.lon! - minLon) * scale, y: (maxLat - s.lat!) * scale });
    // Sites at one place would sit on each other: nudge them apart.
    const seen = new Map<string, number>();
    for (const [id, p] of out) {
      const key = `${Math.round(p.x / spacing)},${Math.round(p.y / spacing)}`;
      const k = seen.get(key) ?? 0;
      seen.set(key, k + 1);
      if (k) out.set(id, { x: p.x + spacing * 0.6 * Math.cos(k), y: p.y + spacing * 0.6 * Math.sin(k) });
    }
    return out;
  }
  const cols = Math.ceil(Math.sqrt(siteIds.length));
  siteIds.forEach((id, i) => out.set(id, { x: (i % cols) * spacing, y: Math.floor(i / cols) * spacing }));
  return out;
}

// Every component reachable from `from` along access edges (itself excluded).
export function reach(g: AccessGraph, from: number): Set<number> {
  const out: number[][] = g.nodes.map(() => []);
  for (let e = 0; e < g.edges.length; e++) out[g.edges.from[e]].push(g.edges.to[e]);
  const seen = new Set<number>([from]);
  const queue = [from];
  while (queue.length) {
    const v = queue.pop()!;
    for (const w of out[v]) if (!seen.has(w)) (seen.add(w), queue.push(w));
  }
  seen.delete(from);
  return seen;
}

// Untrusted equipment's share of components, per region (sites without one: "(no region)").
export function shareByRegion(g: AccessGraph): { region: string; total: number; untrusted: number }[] {
  const regionOf = new Map(g.sites.map((s) => [s.id, s.region || "(no region)"]));
  const m = new Map<string, { total: number; untrusted: number }>();
  for (const n of g.nodes) {
    const r = n.site ? (regionOf.get(n.site) ?? "(no region)") : "(no site)";
    const e = m.get(r) ?? { total: 0, untrusted: 0 };
    e.total++;
    if (n.untrusted) e.untrusted++;
    m.set(r, e);
  }
  return [...m.entries()].map(([region, e]) => ({ region, ...e })).sort((a, b) => b.untrusted / b.total - a.untrusted / a.total);
}
