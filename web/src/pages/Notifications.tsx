import { useEffect, useMemo, useState } from "react";
import { Link } from "react-router-dom";
import { allNotifications, type Summary } from "../api";
import { useSession, usePageLevels } from "../session";

// Every notification the user may see (operators: their tenant's), page by
// page from the API, filtered here by state, jurisdiction and overdue.
export default function Notifications() {
  const { me } = useSession();
  usePageLevels([]);
  const [items, setItems] = useState<Summary[] | null>(null);
  const [error, setError] = useState("");
  const [state, setState] = useState("");
  const [jurisdiction, setJurisdiction] = useState("");
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [text, setText] = useState("");

  useEffect(() => {
    let stop = false;
    allNotifications()
      .then((all) => !stop && setItems(all))
      .catch((e) => !stop && setError((e as Error).message));
    return () => {
      stop = true;
    };
  }, []);

  const states = useMemo(() => [...new Set((items ?? []).map((n) => n.state))].sort(), [items]);
  const jurisdictions = useMemo(() => [...new Set((items ?? []).map((n) => n.jurisdiction))].sort(), [items]);
  const shown = (items ?? []).filter(
    (n) =>
      (!state || n.state === state) &&
      (!jurisdiction || n.jurisdiction === jurisdiction) &&
      (!overdueOnly || n.overdue) &&
      (!text || `${n.title} ${n.tenant}`.toLowerCase().includes(text.toLowerCase())),
  );

  return (
    <section>
      <div className="title-row">
        <h1>Notifications</h1>
        {me?.role === "operator" && (
          <Link className="button" to="/notifications/new">
            New notification
          </Link>
        )}
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          State
          <select value={state} onChange={(e) => setState(e.target.value)}>
            <option value="">any</option>
            {states.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Jurisdiction
          <select value={jurisdiction} onChange={(e) => setJurisdiction(e.target.value)}>
            <option value="">any</option>
            {jurisdictions.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={overdueOnly} onChange={(e) => setOverdueOnly(e.target.checked)} />
          Overdue only
        </label>
        <label>
          Search
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="title or operator" />
        </label>
      </form>
      {items === null && !error ? (
        <p>Loading…</p>
      ) : (
        <table className="list">
          <caption className="sr-only">Notifications ({shown.length})</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Title</th>
              <th scope="col">Operator</th>
              <th scope="col">Jurisdiction</th>
              <th scope="col">State</th>
              <th scope="col">Decision</th>
              <th scope="col">Response due</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((n) => (
              <tr key={n.id} className={n.overdue ? "overdue" : ""}>
                <td>{n.id}</td>
                <td>
                  <Link to={`/notifications/${n.id}`}>{n.title}</Link>
                </td>
                <td>{n.tenant}</td>
                <td>{n.jurisdiction}</td>
                <td>
                  <span className={`state state-${n.state}`}>{n.state}</span>
                </td>
                <td>{n.decision ?? "—"}</td>
                <td>
                  {n.due_date ?? "—"}
                  {n.overdue && <strong className="overdue-mark"> OVERDUE</strong>}
                </td>
              </tr>
            ))}
            {shown.length === 0 && (
              <tr>
                <td colSpan={7}>No notifications{items?.length ? " match the filters" : " yet"}.</td>
              </tr>
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}
