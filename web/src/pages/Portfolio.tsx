import { useEffect, useMemo, useState } from "react";
import { Link } from "react-router-dom";
import { allNotifications, api, type NotificationView, type Report, type Summary } from "../api";
import { VendorBar } from "../charts";
import { usePageLevels } from "../session";

// How many notifications the portfolio reads in full (each is two requests).
const READ_AT_MOST = 100;

interface Row {
  summary: Summary;
  report: Report | null;
}

const OPEN = new Set(["notified", "under-assessment", "mitigation", "referred"]);

// The agency's portfolio: every operator of a jurisdiction with its equipment
// by vendor risk (from its latest assessment), outcomes, open deadlines, and a
// calendar of the deadlines to come.
export default function Portfolio() {
  usePageLevels([]);
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState("");
  const [jurisdiction, setJurisdiction] = useState("");

  useEffect(() => {
    (async () => {
      try {
        const all = await allNotifications();
        const recent = [...all].sort((a, b) => b.updated_at - a.updated_at).slice(0, READ_AT_MOST);
        const out: Row[] = [];
        for (const s of recent) {
          const v = await api<NotificationView>("GET", `/notifications/${s.id}`);
          const done = v.assessments.filter((a) => a.status === "done");
          const report = done.length ? await api<Report>("GET", `/assessments/${done[done.length - 1].id}`) : null;
          out.push({ summary: s, report });
        }
        setRows(out);
      } catch (e) {
        setError((e as Error).message);
      }
    })();
  }, []);

  const jurisdictions = useMemo(() => [...new Set((rows ?? []).map((r) => r.summary.jurisdiction))].sort(), [rows]);
  const shown = (rows ?? []).filter((r) => !jurisdiction || r.summary.jurisdiction === jurisdiction);
  const operators = useMemo(() => {
    const m = new Map<string, Row[]>();
    for (const r of shown) m.set(r.summary.tenant, [...(m.get(r.summary.tenant) ?? []), r]);
    return [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [shown]);
  const deadlines = shown
    .filter((r) => r.summary.due_date && OPEN.has(r.summary.state))
    .sort((a, b) => a.summary.due_date!.localeCompare(b.summary.due_date!));
  const months = new Map<string, Row[]>();
  for (const r of deadlines) {
    const m = r.summary.due_date!.slice(0, 7);
    months.set(m, [...(months.get(m) ?? []), r]);
  }

  return (
    <section>
      <h1>Portfolio</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <form className="filters" aria-label="Portfolio filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Jurisdiction
          <select value={jurisdiction} onChange={(e) => setJurisdiction(e.target.value)}>
            <option value="">all</option>
            {jurisdictions.map((j) => (
              <option key={j}>{j}</option>
            ))}
          </select>
        </label>
        {rows && rows.length === READ_AT_MOST && <span className="muted">the {READ_AT_MOST} most recently updated notifications</span>}
      </form>
      {rows === null && !error && <p>Loading…</p>}
      {rows && (
        <table className="list" data-testid="portfolio">
          <caption className="sr-only">Operators</caption>
          <thead>
            <tr>
              <th scope="col">Operator</th>
              <th scope="col">Notifications (open)</th>
              <th scope="col">Latest outcome</th>
              <th scope="col">Equipment by vendor risk (latest assessment)</th>
              <th scope="col">Next deadline</th>
            </tr>
          </thead>
          <tbody>
            {operators.map(([tenant, rs]) => {
              const latest = [...rs].sort((a, b) => b.summary.updated_at - a.summary.updated_at)[0];
              const open = rs.filter((r) => OPEN.has(r.summary.state));
              const next = open.map((r) => r.summary.due_date).filter(Boolean).sort()[0];
              const overdue = open.some((r) => r.summary.overdue);
              return (
                <tr key={tenant} className={overdue ? "overdue" : ""}>
                  <th scope="row">{tenant}</th>
                  <td>
                    {rs.length} ({open.length})
                  </td>
                  <td>
                    <Link to={`/notifications/${latest.summary.id}`}>{latest.summary.decision ?? latest.report?.determination.outcome ?? latest.summary.state}</Link>
                  </td>
                  <td>{latest.report ? <VendorBar report={latest.report} /> : "not assessed"}</td>
                  <td>
                    {next ?? "—"}
                    {overdue && <strong className="overdue-mark"> OVERDUE</strong>}
                  </td>
                </tr>
              );
            })}
            {operators.length === 0 && (
              <tr>
                <td colSpan={5}>No notifications.</td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      {rows && (
        <section className="card" aria-labelledby="cal-h" data-testid="calendar">
          <h2 id="cal-h">Upcoming deadlines</h2>
          {months.size === 0 && <p>No open notification has a response date.</p>}
          {[...months.entries()].map(([m, rs]) => (
            <div key={m}>
              <h3>{new Date(`${m}-01T00:00:00Z`).toLocaleDateString("en-GB", { month: "long", year: "numeric", timeZone: "UTC" })}</h3>
              <ul>
                {rs.map((r) => (
                  <li key={r.summary.id}>
                    {r.summary.due_date}: <Link to={`/notifications/${r.summary.id}`}>{r.summary.title}</Link> ({r.summary.tenant},{" "}
                    {r.summary.state}){r.summary.overdue && <strong className="overdue-mark"> OVERDUE</strong>}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      )}
    </section>
  );
}
