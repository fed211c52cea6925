import { useCallback, useEffect, useState } from "react";
import { Link, useLocation, useParams } from "react-router-dom";
import { api, fmtTime, type Finding, type NotificationView, type Report } from "../api";
import { useSession, usePageLevels } from "../session";
import { DecisionForms, FindingActions, AddFinding, AddOverlay } from "./Forms";
import { pct, ShareBar, VendorBar } from "../charts";

const SEVERITY_ORDER = ["critical", "high", "medium", "low", "info"];

// One notification: the decision, the latest assessment (summary, coverage,
// findings by obligation), the actions the user's role may take, the plan
// versions side by side, and the history.
export default function NotificationPage() {
  const { id } = useParams();
  const { me } = useSession();
  const imported = (useLocation().state as { imported?: { format: string; warnings: string[] } } | null)?.imported;
  const [view, setView] = useState<NotificationView | null>(null);
  const [reports, setReports] = useState<Record<number, Report>>({});
  const [error, setError] = useState("");
  const [notFound, setNotFound] = useState(false);

  const load = useCallback(async () => {
    try {
      const v = await api<NotificationView>("GET", `/notifications/${id}`);
      setView(v);
      const done = v.assessments.filter((a) => a.status === "done");
      const got: Record<number, Report> = {};
      for (const a of done) got[a.id] = await api<Report>("GET", `/assessments/${a.id}`);
      setReports(got);
      setError("");
    } catch (e) {
      const err = e as Error & { status?: number };
      if (err.status === 404) setNotFound(true);
      setError(err.message);
    }
  }, [id]);

  useEffect(() => {
    load();
  }, [load]);

  // While the engine works, look again every second.
  const pending = view?.assessments.some((a) => a.status === "queued" || a.status === "running");
  useEffect(() => {
    if (!pending) return;
    const t = setInterval(load, 1000);
    return () => clearInterval(t);
  }, [pending, load]);

  const levels = view
    ? [
        ...view.findings.map((f) => f.classification),
        ...view.decisions.filter((d) => d.note !== null).map((d) => d.note_classification ?? "UNCLASSIFIED"),
        ...view.overlays.map((o) => o.classification),
      ]
    : [];
  usePageLevels(levels);

  if (notFound)
    return (
      <section>
        <h1>Notification {id}</h1>
        <p role="alert" className="error" data-testid="not-found">
          {error}
        </p>
        <Link to="/notifications">Back to notifications</Link>
      </section>
    );
  if (!view) return <p>{error ? <span className="error">{error}</span> : "Loading…"}</p>;

  const doneAssessments = view.assessments.filter((a) => a.status === "done");
  const latest = doneAssessments.length ? reports[doneAssessments[doneAssessments.length - 1].id] : undefined;
  const withheldTotal = view.withheld.reduce((s, w) => s + w.count, 0);

  // Findings grouped by obligation (the rule), most severe first.
  const groups = new Map<string, Finding[]>();
  for (const f of [...view.findings].sort(
    (a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity),
  )) {
    const key = f.rule;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }

  return (
    <section className="notification">
      <div className="title-row">
        <h1>
          {view.title} <span className="muted">#{view.id}</span>
        </h1>
        <Link className="button" to={`/notifications/${view.id}/graph`}>
          Access graph
        </Link>
      </div>
      <dl className="facts">
        <dt>Operator</dt>
        <dd>{view.tenant}</dd>
        <dt>Jurisdiction</dt>
        <dd>{view.jurisdiction}</dd>
        <dt>Rules read at</dt>
        <dd>{view.date}</dd>
        <dt>State</dt>
        <dd>
          <span className={`state state-${view.state}`} data-testid="state">
            {view.state}
          </span>
        </dd>
        <dt>Response due</dt>
        <dd>
          {view.due_date ?? "—"}
          {view.overdue && <strong className="overdue-mark"> OVERDUE</strong>}
        </dd>
      </dl>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}

      {imported && (
        <section className="card withheld" aria-labelledby="import-h" data-testid="import-warnings">
          <h2 id="import-h">Imported from {imported.format === "netbox" ? "NetBox" : "CycloneDX"}</h2>
          {imported.warnings.length === 0 ? (
            <p>The import had no warnings.</p>
          ) : (
            <ul>
              {imported.warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          )}
        </section>
      )}

      <section aria-labelledby="decision-h" className="card">
        <h2 id="decision-h">Decision</h2>
        {view.decision ? (
          <div data-testid="decision">
            <p className={`outcome outcome-${view.decision.outcome}`}>{view.decision.outcome}</p>
            <p>
              {view.decision.kind} by {view.decision.by}, {fmtTime(view.decision.at)}
            </p>
            {view.decision.note !== null ? (
              <p>
                <span className={`cls cls-${view.decision.note_classification}`}>{view.decision.note_classification}</span>{" "}
                {view.decision.note}
              </p>
            ) : (
              <p className="withheld">The decision&apos;s note is withheld ({view.decision.note_withheld}, above your clearance).</p>
            )}
            {view.decision.reasons.length > 0 && (
              <p>
                Reasons:{" "}
                {view.decision.reasons
                  .map((r) => (r.startsWith("withheld:") ? `a finding withheld at ${r.slice(9)}` : `finding ${r}`))
                  .join(", ")}
              </p>
            )}
          </div>
        ) : (
          <p data-testid="decision">No decision yet.</p>
        )}
      </section>

      {withheldTotal > 0 && (
        <p className="withheld card" role="note" data-testid="withheld">
          {withheldTotal} finding{withheldTotal === 1 ? " is" : "s are"} withheld (
          {view.withheld.map((w) => `${w.count} at ${w.classification}`).join(", ")}): above your clearance, so not
          shown.
        </p>
      )}

      <section aria-labelledby="assess-h" className="card">
        <h2 id="assess-h">Assessment</h2>
        {view.assessments.length === 0 && <p>Not assessed: the notification is a draft.</p>}
        {view.assessments
          .filter((a) => a.status !== "done")
          .map((a) => (
            <p key={a.id} data-testid="assessment-pending">
              Assessment of version {a.version}: {a.status}
              {a.error ? `: ${a.error}` : "…"}
            </p>
          ))}
        {latest && <Summary report={latest} version={doneAssessments[doneAssessments.length - 1].version} />}
        {latest && <Shares report={latest} />}
        {latest?.coverage && <Coverage report={latest} />}
      </section>

      <section aria-labelledby="findings-h" className="card">
        <h2 id="findings-h">Findings by obligation</h2>
        {groups.size === 0 && <p>No findings you may see.</p>}
        {[...groups.entries()].map(([rule, fs]) => (
          <div key={rule} className="group">
            <h3>
              {rule === "assessor" ? "Agency findings" : rule}
              {fs[0].detail.citation?.instrument && (
                <span className="citation">
                  {" — "}
                  {fs[0].detail.citation.url ? (
                    <a href={fs[0].detail.citation.url} rel="noreferrer">
                      {fs[0].detail.citation.instrument}
                    </a>
                  ) : (
                    fs[0].detail.citation.instrument
                  )}
                  {fs[0].detail.citation.section ? `, ${fs[0].detail.citation.section}` : ""}
                </span>
              )}
            </h3>
            {fs.map((f) => (
              <article key={f.id} className={`finding finding-${f.severity}`} data-testid="finding">
                <header>
                  <span className={`sev sev-${f.severity}`}>{f.severity}</span>
                  <span className={`cls cls-${f.classification}`}>{f.classification}</span>
                  {f.binding ? <span className="tag">binding</span> : <span className="tag">advisory</span>}
                  {f.detail.unconfirmed && <span className="tag">unconfirmed fact</span>}
                  <span className="tag">status: {f.status}</span>
                  <strong>{f.title}</strong> <span className="muted">#{f.id}</span>
                </header>
                <p>{f.message}</p>
                {f.detail.components && f.detail.components.length > 0 && (
                  <p className="muted">
                    Components: {f.detail.components.slice(0, 8).join(", ")}
                    {f.detail.components.length > 8 ? ` and ${f.detail.components.length - 8} more` : ""}
                  </p>
                )}
                {f.detail.remediation && (
                  <p data-testid="remediation">
                    <strong>To clear it:</strong> {f.detail.remediation}
                  </p>
                )}
                {f.detail.evidence?.path && f.detail.evidence.path.length > 0 && (
                  <p className="muted">Path: {f.detail.evidence.path.join(" → ")}</p>
                )}
                {f.status_reason && (
                  <p className="muted">
                    {f.status}: {f.status_reason}
                    {f.expires ? ` (until ${f.expires})` : ""}
                  </p>
                )}
                {me && (me.role === "assessor" || me.role === "approver") && (
                  <FindingActions finding={f} onDone={load} />
                )}
              </article>
            ))}
          </div>
        ))}
        {me?.role === "assessor" && <AddFinding notification={view} clearance={me.clearance} onDone={load} />}
      </section>

      <Overlays view={view} />
      {me?.role === "assessor" && <AddOverlay notification={view} clearance={me.clearance} onDone={load} />}

      {me && <DecisionForms view={view} me={me} onDone={load} />}

      {doneAssessments.length > 0 && (
        <section aria-labelledby="plans-h" className="card">
          <h2 id="plans-h">Proposal and plan versions</h2>
          <div className="table-scroll">
            <table className="plans">
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  {doneAssessments.map((a, i) => (
                    <th scope="col" key={a.id}>
                      {a.version === 1 ? "v1 (proposal)" : `v${a.version} (plan)`}
                      {/* assessed again (an overlay was added): say so, not the same heading twice */}
                      {doneAssessments.slice(0, i).some((b) => b.version === a.version) ? `, assessment ${a.id}` : ""}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                <PlanRow label="Submitted by" cells={doneAssessments.map((a) => view.proposals.find((p) => p.version === a.version)?.submitted_by ?? "")} />
                <PlanRow label="Re-assessment" cells={doneAssessments.map((a) => reports[a.id]?.determination.outcome ?? "")} />
                <PlanRow label="Cost" cells={doneAssessments.map((a) => planOf(view, a.version, (p) => money(p.total, p.currency) + (p.actions !== null ? ` (${p.actions} actions)` : "")))} />
                <PlanRow
                  label="Schedule by year"
                  cells={doneAssessments.map((a) =>
                    planOf(view, a.version, (p) => p.schedule.map((y) => `${y.year}: ${money(y.cost, p.currency)}${y.actions !== null ? ` (${y.actions} actions)` : ""}`).join("; ") || "no work"),
                  )}
                />
                <PlanRow label="Findings cleared" cells={doneAssessments.map((a) => cleared(reports[doneAssessments[0].id], reports[a.id], a.version))} />
                <PlanRow label="Score" cells={doneAssessments.map((a) => String(reports[a.id]?.determination.score ?? ""))} />
                <PlanRow label="Findings shown" cells={doneAssessments.map((a) => String(reports[a.id]?.findings.length ?? ""))} />
                <PlanRow label="High-risk components added" cells={doneAssessments.map((a) => String(reports[a.id]?.metrics.proposal?.added_high_risk ?? "—"))} />
                <PlanRow label="High-risk share of sites" cells={doneAssessments.map((a) => pct(reports[a.id]?.metrics.high_risk_share.sites))} />
                <PlanRow label="Critical components reached" cells={doneAssessments.map((a) => { const e = reports[a.id]?.metrics.exposure; return e ? `${e.critical_reached} of ${e.critical}` : ""; })} />
              </tbody>
            </table>
          </div>
        </section>
      )}

      <section aria-labelledby="history-h" className="card">
        <h2 id="history-h">History</h2>
        <ol className="history">
          {view.history.map((h, i) => (
            <li key={i}>
              {fmtTime(h.at)}: <strong>{h.action}</strong> ({h.from} → {h.to}) by {h.by}
              {h.reason ? `: ${h.reason}` : ""}
            </li>
          ))}
        </ol>
      </section>
    </section>
  );
}

// A version's plan summary, shown through `show`; "—" for the notified proposal, "not given" when the operator sent none.
function planOf(view: NotificationView, version: number, show: (p: NonNullable<NotificationView["proposals"][number]["plan"]>) => string): string {
  if (version === 1) return "—";
  const plan = view.proposals.find((p) => p.version === version)?.plan;
  return plan ? show(plan) : "not given";
}

const money = (n: number | null, currency: string | null) => (n === null ? "?" : `${Math.round(n).toLocaleString("en")} ${currency ?? ""}`.trim());

// The binding rules the first version's assessment broke that this version's
// no longer does (both as the reader's clearance shows them).
function cleared(first: Report | undefined, this_: Report | undefined, version: number): string {
  if (version === 1) return "—";
  if (!first || !this_) return "";
  const broken = (r: Report) => new Set(r.findings.filter((f) => f.binding && f.violation !== false).map((f) => f.rule));
  const before = broken(first);
  const now = broken(this_);
  const gone = [...before].filter((r) => !now.has(r)).sort();
  return `${gone.length} of ${before.size}${gone.length ? `: ${gone.join(", ")}` : ""}`;
}

// The agency's KB overlays for this notification: by level and uploader only
// (never their text); those above the reader's clearance are only counted.
function Overlays({ view }: { view: NotificationView }) {
  const withheld = view.overlays_withheld.reduce((n, w) => n + w.count, 0);
  if (view.overlays.length === 0 && withheld === 0) return null;
  return (
    <section aria-labelledby="overlays-h" className="card" data-testid="overlays">
      <h2 id="overlays-h">Agency overlays</h2>
      {view.overlays.length > 0 && (
        <ul>
          {view.overlays.map((o) => (
            <li key={o.id}>
              {o.classification} overlay from {o.uploaded_by}, {fmtTime(o.at)}
            </li>
          ))}
        </ul>
      )}
      {withheld > 0 && (
        <p className="withheld" role="note">
          The agency assessed this notification with {withheld} knowledge-base overlay{withheld === 1 ? "" : "s"} above your
          clearance ({view.overlays_withheld.map((w) => `${w.count} at ${w.classification}`).join(", ")}): what they add is
          counted among the withheld findings.
        </p>
      )}
    </section>
  );
}

function PlanRow({ label, cells }: { label: string; cells: string[] }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      {cells.map((c, i) => (
        <td key={i}>{c}</td>
      ))}
    </tr>
  );
}

// The one-paragraph summary, in words, from the engine's report.
function Summary({ report, version }: { report: Report; version: number }) {
  const d = report.determination;
  const binding = report.findings.filter((f) => f.binding && f.violation).length;
  const e = report.metrics.exposure;
  const withheld = report.withheld.reduce((s, w) => s + w.count, 0);
  return (
    <p className="summary" data-testid="summary">
      Version {version} was assessed under {report.jurisdiction} rules as of {report.date}:{" "}
      <strong className={`outcome-${d.outcome}`}>{d.outcome}</strong> (score {d.score}). {binding} binding violation
      {binding === 1 ? "" : "s"} among {report.findings.length} finding{report.findings.length === 1 ? "" : "s"} shown
      {withheld ? `, ${withheld} withheld` : ""}. {report.metrics.vendor_risk.high} of {report.metrics.components}{" "}
      components are from high-risk vendors, on {pct(report.metrics.high_risk_share.sites)} of sites; they reach{" "}
      {e.critical_reached} of {e.critical} critical components
      {e.critical_functions_reached.length ? ` (${e.critical_functions_reached.join(", ")})` : ""}.
    </p>
  );
}

// High-risk equipment's share of sites, components, cells and subscribers, as bars.
function Shares({ report }: { report: Report }) {
  const h = report.metrics.high_risk_share;
  const rows: [string, number][] = [
    ["sites", h.sites],
    ["components", h.components],
    ["cells", h.cells],
    ["subscribers", h.subscribers],
  ];
  return (
    <div className="shares" data-testid="shares">
      <h3>High-risk share</h3>
      <VendorBar report={report} />
      <table className="bars">
        <caption className="sr-only">Share on high-risk equipment</caption>
        <tbody>
          {rows.map(([label, x]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>
                <ShareBar fraction={x} />{" "}
                {pct(x)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Coverage({ report }: { report: Report }) {
  const c = report.coverage!;
  const lacking = Object.entries(c.lacking).filter(([, n]) => n > 0);
  return (
    <div className="coverage" data-testid="coverage">
      <h3>Coverage</h3>
      <p>
        {c.components - c.unjudged} of {c.components} components could be judged
        {lacking.length ? `; lacking: ${lacking.map(([k, n]) => `${k} ${n}`).join(", ")}` : ""}.
        {c.supply_withheld ? ` ${c.supply_withheld} further item(s) to supply are withheld.` : ""}
      </p>
      {c.supply.length > 0 && (
        <ul>
          {c.supply.slice(0, 20).map((s, i) => (
            <li key={i}>
              {typeof s.component === "string" && Array.isArray(s.supply)
                ? `${s.component}: supply ${(s.supply as string[]).join(", ")}`
                : JSON.stringify(s)}
            </li>
          ))}
        </ul>
      )}
      {c.supply.length > 20 && <p className="muted">and {c.supply.length - 20} more</p>}
    </div>
  );
}

