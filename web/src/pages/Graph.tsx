import cytoscape, { type Core, type ElementDefinition } from "cytoscape";
import { useEffect, useMemo, useRef, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { api, type NotificationView, type Report } from "../api";
import { decodeGraph, NO_SITE, reach, shareByRegion, sitePositions, type AccessGraph, type GraphSite, type WireGraph } from "../graph";
import { ShareBar } from "../charts";
import { usePageLevels } from "../session";


// Above this many visible nodes the graph is aggregated: one node per site,
// or per region when there are more sites than this. A region opens
// (drill-down) into its sites, a site into its components, each with their
// neighbours outside it.
export const AGGREGATE_ABOVE = 10_000;

type Mode =
  | { kind: "all" }
  | { kind: "sites" }
  | { kind: "regions" }
  | { kind: "region"; region: string }
  | { kind: "site"; site: string; region?: string };

// The view a graph opens in: every component if that is few enough, else one
// node per site, else one per region.
const topMode = (g: AccessGraph): Mode =>
  g.nodes.length <= AGGREGATE_ABOVE ? { kind: "all" } : g.sites.length + 1 <= AGGREGATE_ABOVE ? { kind: "sites" } : { kind: "regions" };

// The access graph of a proposal version (GET /notifications/{id}/graph) with
// untrusted equipment and critical components as the engine discloses them at
// the reader's clearance. Click a finding or an attack path to highlight it;
// click a component for what it can reach (and an untrusted one's blast
// radius); click a site (aggregated view) to open it.
export default function GraphPage() {
  const { id } = useParams();
  const [view, setView] = useState<NotificationView | null>(null);
  const [version, setVersion] = useState<number | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [graph, setGraph] = useState<AccessGraph | null>(null);
  const [mode, setMode] = useState<Mode>({ kind: "all" });
  const [error, setError] = useState("");
  const [selected, setSelected] = useState<number | null>(null);
  const [reachText, setReachText] = useState("");
  const [drawn, setDrawn] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | null>(null);

  useEffect(() => {
    api<NotificationView>("GET", `/notifications/${id}`)
      .then((v) => {
        setView(v);
        const done = v.assessments.filter((a) => a.status === "done");
        setVersion(done.length ? done[done.length - 1].version : (v.proposals.at(-1)?.version ?? 1));
      })
      .catch((e) => setError((e as Error).message));
  }, [id]);

  useEffect(() => {
    if (!view || version === null) return;
    setGraph(null);
    setDrawn(false);
    setSelected(null);
    setReachText("");
    const a = view.assessments.find((x) => x.version === version && x.status === "done");
    Promise.all([
      api<WireGraph>("GET", `/notifications/${id}/graph?version=${version}`).then(decodeGraph),
      a ? api<Report>("GET", `/assessments/${a.id}`) : Promise.resolve(null),
    ])
      .then(([g, r]) => {
        performance.mark("netvet:graph-fetched");
        setGraph(g);
        setReport(r);
        setMode(topMode(g));
      })
      .catch((e) => setError((e as Error).message));
  }, [view, version, id]);
  usePageLevels([...(report ? report.findings.map((f) => f.classification) : []), ...(graph ? [graph.marking] : [])]);

  const findings = useMemo(
    () => (report?.findings ?? []).filter((f) => (f.components?.length ?? 0) > 0 || (f.evidence?.path?.length ?? 0) > 0),
    [report],
  );
  const index = useMemo(() => new Map((graph?.nodes ?? []).map((n, i) => [n.id, i])), [graph]);
  const [selectedPath, setSelectedPath] = useState<number | null>(null);
  const groups = useMemo(() => (graph ? groupsOf(graph) : null), [graph]);
  const elements = useMemo(() => (graph && groups ? toElements(graph, groups, mode) : []), [graph, groups, mode]);

  useEffect(() => {
    if (!box.current || !graph) return;
    const big = elements.length > 4000;
    const c = cytoscape({
      container: box.current,
      elements,
      layout: { name: "preset" },
      textureOnViewport: big,
      hideEdgesOnViewport: big,
      pixelRatio: 1,
      style: [
        { selector: "node", style: { label: "data(label)", "font-size": 8, "min-zoomed-font-size": 7, "background-color": "#6b7a8f", width: 10, height: 10, color: "#111" } },
        { selector: "node.site, node.region", style: { width: "data(size)", height: "data(size)", "background-color": "#8795a8", "font-size": 10 } },
        { selector: "node.added", style: { "border-width": 2, "border-style": "dashed", "border-color": "#111" } },
        { selector: "node.outside", style: { opacity: 0.5 } },
        { selector: "node.source", style: { "background-color": "#b3261e", shape: "diamond" } },
        { selector: "node.target", style: { "background-color": "#1f5fa8", shape: "round-rectangle" } },
        { selector: "edge", style: { width: 1, "line-color": "#b8c1cc", "curve-style": "straight" } },
        { selector: "edge.oneway", style: { "target-arrow-shape": "triangle", "target-arrow-color": "#b8c1cc", "arrow-scale": 0.6 } },
        { selector: ".dim", style: { opacity: 0.12 } },
        { selector: "node.hl", style: { "border-width": 3, "border-color": "#e8a400", opacity: 1 } },
        { selector: "edge.hl", style: { "line-color": "#e8a400", "target-arrow-color": "#e8a400", width: 3, label: "data(iface)", "font-size": 8, opacity: 1 } },
      ],
    });
    // bench/web_graph_bench.sh times navigation to this mark (the first frame drawn).
    c.one("render", () => {
      performance.mark("netvet:graph-drawn", { detail: { nodes: c.nodes().length, edges: c.edges().length } });
      setDrawn(true);
    });
    c.on("tap", "node", (e) => {
      const n = e.target;
      if (n.hasClass("region")) setMode({ kind: "region", region: n.id().slice(7) });
      else if (n.hasClass("site")) setMode({ kind: "site", site: n.id().slice(5), region: mode.kind === "region" ? mode.region : undefined });
      else showReach(c, n.id());
    });
    cy.current = c;
    return () => {
      c.destroy();
      cy.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [elements]);

  // What a component can reach along access edges, highlighted and counted.
  const showReach = (c: Core, nodeId: string) => {
    if (!graph) return;
    setSelected(null);
    const from = index.get(nodeId);
    if (from === undefined) return;
    const reached = reach(graph, from);
    const critical = [...reached].filter((i) => graph.nodes[i].critical);
    const fns = [...new Set(critical.map((i) => graph.nodes[i].function))].sort();
    const blast = graph.blast.find(([n]) => n === from);
    const node = graph.nodes[from];
    setReachText(
      `${nodeId} (${node.vendor || "no vendor"} ${node.function}${node.untrusted ? ", untrusted" : ""}) can reach ${reached.size} component${reached.size === 1 ? "" : "s"}, ${critical.length} of them critical${fns.length ? ` (${fns.join(", ")})` : ""}.` +
        (blast ? ` Blast radius: ${blast[1]} subscribers and ${blast[2]} cells depend on it for every path to the core.` : ""),
    );
    const ids = new Set([nodeId, ...[...reached].map((i) => graph.nodes[i].id)]);
    c.batch(() => {
      c.elements().removeClass("hl").addClass("dim");
      c.nodes().filter((n) => ids.has(n.id())).removeClass("dim").addClass("hl");
    });
  };

  // A finding (its components and path) or one of the engine's attack paths.
  const highlight = (i: number | null, enginePath?: number) => {
    setSelected(i);
    setSelectedPath(enginePath ?? null);
    setReachText("");
    const c = cy.current;
    if (!c || !graph) return;
    c.batch(() => {
      c.elements().removeClass("dim hl");
      if (i === null && enginePath === undefined) return;
      const path = enginePath !== undefined ? graph.paths[enginePath].map((k) => graph.nodes[k].id) : (findings[i!].evidence?.path ?? []);
      const names = new Set([...(enginePath !== undefined ? [] : (findings[i!].components ?? [])), ...path]);
      // The element each component is drawn as in this view (itself, its site's or its region's node).
      const drawnAs = (n: string) => {
        const i = index.get(n);
        if (i === undefined || !groups) return n;
        if (mode.kind === "regions") return `region:${groups.regionOf[i]}`;
        if (mode.kind === "sites" || mode.kind === "region") return `site:${groups.siteOf[i]}`;
        return n;
      };
      const nodeIds = new Set([...names].map(drawnAs));
      const edgeIds = new Set<string>();
      for (let k = 1; k < path.length; k++) edgeIds.add(edgeId(drawnAs(path[k - 1]), drawnAs(path[k])));
      c.elements().addClass("dim");
      c.nodes().filter((n) => nodeIds.has(n.id())).removeClass("dim").addClass("hl");
      c.edges().filter((e) => edgeIds.has(e.id())).removeClass("dim").addClass("hl");
    });
  };

  const doneVersions = (view?.assessments ?? []).filter((a) => a.status === "done").map((a) => a.version);
  const counts = graph ? `${graph.nodes.length} components, ${graph.edges.length} access edges, ${graph.sites.length} sites` : "";
  return (
    <section>
      <div className="title-row">
        <h1>Access graph{view ? `: ${view.title}` : ""}</h1>
        <Link to={`/notifications/${id}`}>Back to the notification</Link>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Graph options">
        {doneVersions.length > 1 && (
          <label>
            Version
            <select value={version ?? ""} onChange={(e) => setVersion(Number(e.target.value))}>
              {doneVersions.map((v) => (
                <option key={v} value={v}>
                  v{v} {v === 1 ? "(proposal)" : "(plan)"}
                </option>
              ))}
            </select>
          </label>
        )}
        {graph && groups && (
          <label>
            View
            <select
              value={mode.kind === "region" ? "regions" : mode.kind === "site" ? (mode.region !== undefined ? "regions" : "sites") : mode.kind}
              onChange={(e) => setMode({ kind: e.target.value } as Mode)}
            >
              <option value="regions">one node per region</option>
              <option value="sites" disabled={groups.sites.size > AGGREGATE_ABOVE}>
                one node per site{groups.sites.size > AGGREGATE_ABOVE ? ` (over ${AGGREGATE_ABOVE})` : ""}
              </option>
              <option value="all" disabled={graph.nodes.length > AGGREGATE_ABOVE}>
                every component{graph.nodes.length > AGGREGATE_ABOVE ? ` (over ${AGGREGATE_ABOVE})` : ""}
              </option>
            </select>
          </label>
        )}
        {graph && groups && (mode.kind === "regions" || mode.kind === "region" || (mode.kind === "site" && mode.region !== undefined)) && (
          // The keyboard's way into a region (the canvas takes clicks only).
          <label>
            Open a region
            <select
              value={mode.kind === "region" ? mode.region : mode.kind === "site" ? mode.region : ""}
              onChange={(e) => setMode(e.target.value ? { kind: "region", region: e.target.value } : { kind: "regions" })}
            >
              <option value="">all regions</option>
              {[...groups.regions.keys()].sort().map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
        )}
        {graph && groups && (mode.kind === "sites" || mode.kind === "region" || mode.kind === "site") && (
          // The keyboard's way into a site: every site, or the open region's.
          <label>
            Open a site
            <select
              value={mode.kind === "site" ? mode.site : ""}
              onChange={(e) => {
                const region = mode.kind === "region" ? mode.region : mode.kind === "site" ? mode.region : undefined;
                if (e.target.value) setMode({ kind: "site", site: e.target.value, region });
                else setMode(region !== undefined ? { kind: "region", region } : { kind: "sites" });
              }}
            >
              <option value="">{mode.kind === "sites" || (mode.kind === "site" && mode.region === undefined) ? "all sites" : "the region's sites"}</option>
              {(mode.kind === "region" || (mode.kind === "site" && mode.region !== undefined)
                ? (groups.regions.get(mode.region!) ?? [])
                : [...groups.sites.keys()]
              ).map((st) => (
                <option key={st} value={st}>
                  {st}
                  {groups.siteName.get(st) ? ` ${groups.siteName.get(st)}` : ""}
                </option>
              ))}
            </select>
          </label>
        )}
        {mode.kind === "site" && (
          <button type="button" onClick={() => setMode(mode.region !== undefined ? { kind: "region", region: mode.region } : { kind: "sites" })}>
            {mode.region !== undefined ? `Back to region ${mode.region}` : "Back to all sites"}
          </button>
        )}
        {mode.kind === "region" && (
          <button type="button" onClick={() => setMode({ kind: "regions" })}>
            Back to all regions
          </button>
        )}
        <span className="muted" data-testid="graph-counts">
          {counts}
          {mode.kind === "site" ? ` — site ${mode.site} and its neighbours` : ""}
          {mode.kind === "region" ? ` — region ${mode.region}'s sites and their neighbours` : ""}
          {graph && elements.length ? ` (${elements.filter((e) => !e.data.source).length} drawn)` : ""}
        </span>
      </form>
      <div className="graph-layout">
        <div>
          <h2 className="sub">Findings</h2>
          {report && findings.length === 0 && <p>No finding names components.</p>}
          <ul className="finding-pick" aria-label="Findings">
            {findings.map((f, i) => (
              <li key={f.id ?? i}>
                <button type="button" aria-pressed={selected === i} onClick={() => highlight(selected === i ? null : i)}>
                  <span className={`sev sev-${f.severity}`}>{f.severity}</span> {f.title}
                  {f.evidence?.path && f.evidence.path.length > 1 ? ` (path of ${f.evidence.path.length})` : ""}
                </button>
              </li>
            ))}
          </ul>
          {graph && graph.paths.length > 0 && (
            <>
              <h2 className="sub">Attack paths</h2>
              <ul className="finding-pick" aria-label="Attack paths">
                {graph.paths.slice(0, 50).map((p, k) => (
                  <li key={k}>
                    <button type="button" aria-pressed={selectedPath === k} onClick={() => (selectedPath === k ? highlight(null) : highlight(null, k))}>
                      {graph.nodes[p[0]].id} → {graph.nodes[p[p.length - 1]].id} ({p.length - 1} hop{p.length === 2 ? "" : "s"})
                    </button>
                  </li>
                ))}
              </ul>
              {graph.paths.length > 50 && <p className="muted">and {graph.paths.length - 50} more</p>}
            </>
          )}
          {reachText && (
            <p className="card" role="status" data-testid="reach">
              {reachText}
            </p>
          )}
        </div>
        <div ref={box} className="graph" role="img" aria-label={`Access graph: ${counts}`} data-testid="graph" />
      </div>
      <p className="legend">
        <span className="dot source" /> untrusted (high-risk vendor, as your clearance sees it){" "}
        <span className="dot target" /> critical component <span className="dot" /> other component; dashed border:
        added by the proposal; click a component for what it can reach
      </p>
      {graph && graph.withheld.length > 0 && (
        <p className="withheld card" role="note">
          Vendor ratings above your clearance are not applied here (
          {graph.withheld.map((w) => `${w.count} at ${w.classification}`).join(", ")}).
        </p>
      )}
      {/* After the graph's first frame: at 10^5 components each takes a few hundred ms. */}
      {graph && drawn && <SitesMap graph={graph} />}
      {graph && drawn && <RegionShares graph={graph} />}
    </section>
  );
}

const edgeId = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

// Each component's site and region, and the members of each (built once per graph).
interface Groups {
  siteOf: string[];
  regionOf: string[];
  sites: Map<string, number[]>; // site -> components
  regions: Map<string, string[]>; // region -> sites
  siteName: Map<string, string>;
  siteRegion: Map<string, string>;
}
function groupsOf(g: AccessGraph): Groups {
  const siteRegion = new Map(g.sites.map((s) => [s.id, s.region || "(no region)"]));
  const siteName = new Map(g.sites.map((s) => [s.id, s.name]));
  const siteOf = g.nodes.map((n) => n.site ?? NO_SITE);
  const regionOf = siteOf.map((s) => siteRegion.get(s) ?? NO_SITE);
  const sites = new Map<string, number[]>();
  siteOf.forEach((s, i) => {
    const m = sites.get(s);
    if (m) m.push(i);
    else sites.set(s, [i]);
  });
  const regions = new Map<string, string[]>();
  for (const s of sites.keys()) {
    const r = siteRegion.get(s) ?? NO_SITE;
    const m = regions.get(r);
    if (m) m.push(s);
    else regions.set(r, [s]);
  }
  siteRegion.set(NO_SITE, NO_SITE);
  return { siteOf, regionOf, sites, regions, siteName, siteRegion };
}

// Cytoscape's elements for a view: one node per region or per site (sized by
// its components, marked by the worst equipment in it), or components; edges
// merged between the nodes drawn.
function toElements(g: AccessGraph, gr: Groups, mode: Mode): ElementDefinition[] {
  const out: ElementDefinition[] = [];
  const mark = (members: number[]) =>
    members.some((i) => g.nodes[i].untrusted) ? " source" : members.some((i) => g.nodes[i].critical) ? " target" : "";
  // Aggregated views: `key` names the node a component is drawn in (null: not drawn).
  const aggregate = (kind: "site" | "region", key: (i: number) => string | null, inside: (k: string) => boolean, positions: Map<string, { x: number; y: number }>) => {
    const members = new Map<string, number[]>();
    for (let i = 0; i < g.nodes.length; i++) {
      const k = key(i);
      if (k === null) continue;
      const m = members.get(k);
      if (m) m.push(i);
      else members.set(k, [i]);
    }
    for (const [k, ms] of members)
      out.push({
        data: { id: `${kind}:${k}`, label: `${k} (${ms.length})`, size: 10 + (kind === "region" ? 1 : 4) * Math.sqrt(ms.length) },
        position: positions.get(k) ?? { x: 0, y: 0 },
        classes: `${kind}${mark(ms)}${inside(k) ? "" : " outside"}`,
      });
    const seen = new Set<string>();
    for (let e = 0; e < g.edges.length; e++) {
      const ks = key(g.edges.from[e]);
      const kt = key(g.edges.to[e]);
      if (ks === null || kt === null || ks === kt) continue;
      const [a, b] = [`${kind}:${ks}`, `${kind}:${kt}`];
      const id = edgeId(a, b);
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ data: { id, source: a, target: b } });
    }
    return out;
  };
  if (mode.kind === "regions") {
    // A region sits at the mean of its sites' coordinates (a grid if any lack them).
    const located = new Map(g.sites.filter((s) => s.lat !== null && s.lon !== null).map((s) => [s.id, s]));
    const centres: GraphSite[] = [...gr.regions].map(([r, ss]) => {
      const at = ss.map((s) => located.get(s)).filter((s): s is GraphSite => !!s);
      const mean = (f: (s: GraphSite) => number) => (at.length === ss.length && at.length ? at.reduce((x, s) => x + f(s), 0) / at.length : null);
      return { id: r, name: r, region: r, lat: mean((s) => s.lat!), lon: mean((s) => s.lon!) };
    });
    return aggregate("region", (i) => gr.regionOf[i], () => true, sitePositions(centres, [...gr.regions.keys()], 160));
  }
  if (mode.kind === "sites" || mode.kind === "region") {
    let key = (i: number): string | null => gr.siteOf[i];
    let siteIds = [...gr.sites.keys()];
    if (mode.kind === "region") {
      // The region's sites, and the sites their components link to.
      const shown = new Set(gr.regions.get(mode.region) ?? []);
      for (let e = 0; e < g.edges.length; e++) {
        const [s, t] = [g.edges.from[e], g.edges.to[e]];
        const [rs, rt] = [gr.regionOf[s] === mode.region, gr.regionOf[t] === mode.region];
        if (rs && !rt) shown.add(gr.siteOf[t]);
        if (rt && !rs) shown.add(gr.siteOf[s]);
      }
      key = (i) => (shown.has(gr.siteOf[i]) ? gr.siteOf[i] : null);
      siteIds = [...shown];
    }
    const inside = (k: string) => mode.kind !== "region" || gr.siteRegion.get(k) === mode.region;
    return aggregate("site", key, inside, sitePositions(g.sites, siteIds, 120));
  }
  // Every component, or one site's components and their neighbours.
  let shown: Set<number>;
  const outside = new Set<number>();
  if (mode.kind === "site") {
    shown = new Set(gr.sites.get(mode.site) ?? []);
    for (let e = 0; e < g.edges.length; e++) {
      const [s, t] = [g.edges.from[e], g.edges.to[e]];
      if (shown.has(s) && !shown.has(t)) outside.add(t);
      if (shown.has(t) && !shown.has(s)) outside.add(s);
    }
    for (const i of outside) shown.add(i);
  } else {
    shown = new Set(g.nodes.map((_, i) => i));
  }
  const bySite = new Map<string, number[]>();
  for (const i of shown) {
    const m = bySite.get(gr.siteOf[i]);
    if (m) m.push(i);
    else bySite.set(gr.siteOf[i], [i]);
  }
  const largest = Math.max(1, ...[...bySite.values()].map((m) => m.length));
  const centres = sitePositions(g.sites, [...bySite.keys()], 60 + 14 * Math.sqrt(largest));
  for (const [site, ms] of bySite) {
    const c = centres.get(site)!;
    ms.forEach((i, k) => {
      // A sunflower around the site's centre: even spacing at any count.
      const r = 12 * Math.sqrt(k);
      const a = k * 2.39996;
      const n = g.nodes[i];
      const cls = [];
      if (n.untrusted) cls.push("source");
      else if (n.critical) cls.push("target");
      if (n.state === "added") cls.push("added");
      if (outside.has(i)) cls.push("outside");
      out.push({ data: { id: n.id, label: n.id }, position: { x: c.x + r * Math.cos(a), y: c.y + r * Math.sin(a) }, classes: cls.join(" ") });
    });
  }
  // Two-way access (signalling, user plane) is one line; one-way (management) an arrow.
  const pairs = new Map<string, { s: number; t: number; iface: string; both: boolean }>();
  for (let e = 0; e < g.edges.length; e++) {
    const [s, t, iface] = [g.edges.from[e], g.edges.to[e], g.edges.names[g.edges.iface[e]]];
    if (!shown.has(s) || !shown.has(t)) continue;
    const id = edgeId(g.nodes[s].id, g.nodes[t].id);
    const p = pairs.get(id);
    if (p) p.both ||= p.s === t;
    else pairs.set(id, { s, t, iface, both: false });
  }
  for (const [id, p] of pairs)
    out.push({ data: { id, source: g.nodes[p.s].id, target: g.nodes[p.t].id, iface: p.iface }, classes: p.both ? "" : "oneway" });
  return out;
}

// Untrusted equipment's share of components by region, as bars.
function RegionShares({ graph }: { graph: AccessGraph }) {
  const rows = shareByRegion(graph);
  return (
    <section className="card" aria-labelledby="regions-h" data-testid="regions">
      <h2 id="regions-h">Untrusted share by region</h2>
      <table className="bars">
        <caption className="sr-only">Untrusted components by region</caption>
        <tbody>
          {rows.slice(0, 40).map((r) => (
            <tr key={r.region}>
              <th scope="row">{r.region}</th>
              <td>
                <ShareBar fraction={r.untrusted / r.total} />{" "}
                {r.untrusted} of {r.total} components
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > 40 && <p className="muted">and {rows.length - 40} more regions</p>}
    </section>
  );
}

// Above this many sites the map draws one path per colour, without a title per site.
const MAP_SITES_WITH_TITLES = 2000;
type SiteCount = { n: number; untrusted: number; critical: number };
const fillOf = (c: SiteCount) => (c.untrusted ? "#b3261e" : c.critical ? "#1f5fa8" : "#6b7a8f");

function dotsByFill(sites: GraphSite[], count: Map<string, SiteCount>, px: (lon: number) => number, py: (lat: number) => number) {
  const paths = new Map<string, string[]>();
  for (const s of sites) {
    const c = count.get(s.id) ?? { n: 0, untrusted: 0, critical: 0 };
    const r = (1.5 + Math.sqrt(c.n) / 2).toFixed(1);
    const d = `M${px(s.lon!).toFixed(1)} ${py(s.lat!).toFixed(1)}m-${r} 0a${r} ${r} 0 1 0 ${2 * Number(r)} 0a${r} ${r} 0 1 0 -${2 * Number(r)} 0`;
    const list = paths.get(fillOf(c));
    if (list) list.push(d);
    else paths.set(fillOf(c), [d]);
  }
  return [...paths].map(([fill, ds]) => [fill, ds.join("")] as const);
}

// Sites drawn where they are (equirectangular, longitude scaled by the mean
// latitude's cosine): red where untrusted equipment is, blue where only
// critical equipment is; the network's sensitive locations as their radius.
// Drawn from the graph's own data: no map tiles (air-gapped networks).
function SitesMap({ graph }: { graph: AccessGraph }) {
  const located = graph.sites.filter((s) => s.lat !== null && s.lon !== null);
  if (located.length === 0) return null;
  const count = new Map<string, { n: number; untrusted: number; critical: number }>();
  for (const n of graph.nodes) {
    if (!n.site) continue;
    const e = count.get(n.site) ?? { n: 0, untrusted: 0, critical: 0 };
    e.n++;
    if (n.untrusted) e.untrusted++;
    if (n.critical) e.critical++;
    count.set(n.site, e);
  }
  const lats = [...located.map((s) => s.lat!), ...graph.sensitive.map((z) => z.lat)];
  const lons = [...located.map((s) => s.lon!), ...graph.sensitive.map((z) => z.lon)];
  const k = Math.cos(((Math.min(...lats) + Math.max(...lats)) / 2) * (Math.PI / 180));
  const [x0, x1, y0, y1] = [Math.min(...lons) * k, Math.max(...lons) * k, Math.min(...lats), Math.max(...lats)];
  const pad = 0.05 * Math.max(x1 - x0, y1 - y0, 0.01);
  const scale = 800 / Math.max(x1 - x0 + 2 * pad, y1 - y0 + 2 * pad);
  const [W, H] = [(x1 - x0 + 2 * pad) * scale, (y1 - y0 + 2 * pad) * scale];
  const px = (lon: number) => (lon * k - x0 + pad) * scale;
  const py = (lat: number) => (y1 + pad - lat) * scale;
  const highRisk = located.filter((s) => (count.get(s.id)?.untrusted ?? 0) > 0).length;
  return (
    <section className="card" aria-labelledby="map-h" data-testid="sites-map">
      <h2 id="map-h">Sites</h2>
      <p className="muted">
        {located.length} sites with coordinates, {highRisk} with untrusted equipment
        {graph.sensitive.length ? `; ${graph.sensitive.length} sensitive location(s) drawn with their radius` : ""}.
      </p>
      <svg viewBox={`0 0 ${W} ${H}`} className="sites-map" role="img" aria-label={`Map of ${located.length} sites, ${highRisk} with untrusted equipment`}>
        <rect x={0} y={0} width={W} height={H} fill="#f2f5f8" />
        {graph.sensitive.map((z) => (
          <circle key={z.id} cx={px(z.lon)} cy={py(z.lat)} r={Math.max(3, (z.radius_km / 111.2) * scale)} fill="#e8a40033" stroke="#b07a00" strokeDasharray="4 3">
            <title>{`${z.name || z.id} (${z.kind}), radius ${z.radius_km} km`}</title>
          </circle>
        ))}
        {located.length <= MAP_SITES_WITH_TITLES
          ? located.map((s) => {
              const c = count.get(s.id) ?? { n: 0, untrusted: 0, critical: 0 };
              return (
                <circle key={s.id} cx={px(s.lon!)} cy={py(s.lat!)} r={3 + Math.sqrt(c.n)} fill={fillOf(c)} stroke="#fff" strokeWidth={1}>
                  <title>{`${s.id} ${s.name} (${s.region}): ${c.n} components, ${c.untrusted} untrusted, ${c.critical} critical`}</title>
                </circle>
              );
            })
          : // Thousands of sites: one path per colour (a DOM node per site took seconds to lay out).
            [...dotsByFill(located, count, px, py)].map(([fill, d]) => <path key={fill} d={d} fill={fill} />)}
      </svg>
    </section>
  );
}
