import { useEffect, useState } from "react";
import { api, fmtTime, type AuditEntry } from "../api";
import { usePageLevels } from "../session";

// The hash-chained audit log, page by page (auditors only). `netvet audit
// verify` on the server checks the chain; this page shows it.
export default function Audit() {
  usePageLevels([]);
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<string | null>("/audit?limit=100");
  const [error, setError] = useState("");
  const [filter, setFilter] = useState("");
  const [loading, setLoading] = useState(false);

  const more = async () => {
    if (!next) return;
    setLoading(true);
    try {
      const page = await api<{ items: AuditEntry[]; next: string | null }>("GET", next);
      setItems((xs) => [...xs, ...page.items]);
      setNext(page.next ? page.next.replace(/^\/api\/v1/, "") : null);
    } catch (e) {
      setError((e as Error).message);
      setNext(null);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    more();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const shown = items.filter((e) => !filter || `${e.actor} ${e.action} ${e.subject}`.toLowerCase().includes(filter.toLowerCase()));
  return (
    <section>
      <h1>Audit log</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter">
        <label>
          Filter
          <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="actor, action or subject" />
        </label>
      </form>
      <table className="list" data-testid="audit">
        <caption className="sr-only">Audit entries</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Subject</th>
            <th scope="col">Detail</th>
            <th scope="col">Hash</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td>
              <td>{fmtTime(e.at)}</td>
              <td>{e.actor}</td>
              <td>{e.action}</td>
              <td>{e.subject}</td>
              <td>
                <code>{JSON.stringify(e.detail)}</code>
              </td>
              <td>
                <code title={e.hash}>{e.hash.slice(0, 12)}…</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {next && (
        <button type="button" onClick={more} disabled={loading}>
          {loading ? "Loading…" : "Load more"}
        </button>
      )}
    </section>
  );
}
