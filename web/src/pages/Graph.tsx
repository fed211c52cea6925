import cytoscape, { type Core, type ElementDefinition } from "cytoscape";
import { useEffect, useMemo, useRef, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { api, type NotificationView, type Report } from "../api";
import { usePageLevels } from "../session";

type ReportFinding = Report["findings"][number];

// The access graph as far as the assessment reports it: the components each
// finding names, the attack path it gives (untrusted source → critical
// function) and the critical targets reached. Click a finding to highlight its
// path. The API does not serve the whole network's graph (see docs/web.md).
export default function GraphPage() {
  const { id } = useParams();
  const [view, setView] = useState<NotificationView | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState("");
  const [selected, setSelected] = useState<number | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | null>(null);

  useEffect(() => {
    (async () => {
      try {
        const v = await api<NotificationView>("GET", `/notifications/${id}`);
        setView(v);
        const done = v.assessments.filter((a) => a.status === "done");
        if (done.length) setReport(await api<Report>("GET", `/assessments/${done[done.length - 1].id}`));
      } catch (e) {
        setError((e as Error).message);
      }
    })();
  }, [id]);
  usePageLevels(report ? report.findings.map((f) => f.classification) : []);

  const findings = useMemo(() => (report?.findings ?? []).filter((f) => (f.components?.length ?? 0) > 0 || f.evidence?.path), [report]);
  const elements = useMemo(() => toElements(findings), [findings]);

  useEffect(() => {
    if (!box.current || elements.length === 0) return;
    const c = cytoscape({
      container: box.current,
      elements,
      layout: { name: elements.length > 2000 ? "grid" : "cose", animate: false },
      style: [
        { selector: "node", style: { label: "data(id)", "font-size": 9, "background-color": "#6b7a8f", width: 14, height: 14, color: "#111" } },
        { selector: "node.source", style: { "background-color": "#b3261e", shape: "diamond" } },
        { selector: "node.target", style: { "background-color": "#1f5fa8", shape: "round-rectangle" } },
        { selector: "edge", style: { width: 1.5, "line-color": "#9aa5b1", "target-arrow-shape": "triangle", "target-arrow-color": "#9aa5b1", "curve-style": "bezier" } },
        { selector: ".dim", style: { opacity: 0.15 } },
        { selector: "node.hl", style: { "border-width": 3, "border-color": "#e8a400" } },
        { selector: "edge.hl", style: { "line-color": "#e8a400", "target-arrow-color": "#e8a400", width: 3 } },
      ],
    });
    cy.current = c;
    return () => {
      c.destroy();
      cy.current = null;
    };
  }, [elements]);

  const highlight = (i: number | null) => {
    setSelected(i);
    const c = cy.current;
    if (!c) return;
    c.elements().removeClass("dim hl");
    if (i === null) return;
    const f = findings[i];
    const ids = new Set([...(f.components ?? []), ...(f.evidence?.path ?? [])]);
    const path = f.evidence?.path ?? [];
    const on = c.nodes().filter((n) => ids.has(n.id()));
    const edges = c.edges().filter((e) => {
      const k = path.indexOf(e.source().id());
      return k >= 0 && path[k + 1] === e.target().id();
    });
    c.elements().addClass("dim");
    on.union(edges).removeClass("dim").addClass("hl");
  };

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
      {report && findings.length === 0 && <p>No finding names components: there is no path to draw.</p>}
      <div className="graph-layout">
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
        <div
          ref={box}
          className="graph"
          role="img"
          aria-label={`Access graph: ${elements.filter((e) => !e.data.source).length} components named by the findings`}
          data-testid="graph"
        />
      </div>
      <p className="legend">
        <span className="dot source" /> equipment in a violation finding <span className="dot target" /> critical
        component reached <span className="dot" /> other component
      </p>
    </section>
  );
}

function toElements(findings: ReportFinding[]): ElementDefinition[] {
  const nodes = new Map<string, Set<string>>();
  const edges = new Set<string>();
  const add = (id: string, cls?: string) => {
    if (!nodes.has(id)) nodes.set(id, new Set());
    if (cls) nodes.get(id)!.add(cls);
  };
  for (const f of findings) {
    for (const c of f.components ?? []) add(c, f.violation ? "source" : undefined);
    for (const t of f.evidence?.targets ?? []) add(t.id, "target");
    const p = f.evidence?.path ?? [];
    p.forEach((c, i) => {
      add(c);
      if (i > 0) edges.add(`${p[i - 1]}\u0000${c}`);
    });
  }
  const out: ElementDefinition[] = [...nodes].map(([id, cls]) => ({ data: { id }, classes: [...cls].join(" ") }));
  for (const e of edges) {
    const [s, t] = e.split("\u0000");
    out.push({ data: { id: `${s}->${t}`, source: s, target: t } });
  }
  return out;
}
