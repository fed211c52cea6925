import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { ApiError, session, type NotificationView } from "../api";
import { usePageLevels } from "../session";

const JURISDICTIONS = ["NZ", "AU", "UK", "US", "CA", "DE", "EU", "SE"];

// An operator notifies a proposal by uploading its native network file (and the
// proposal file, if any). The files go up as they are (multipart), so the
// server reads them, not this page.
export default function NewNotification() {
  usePageLevels([]);
  const navigate = useNavigate();
  const [title, setTitle] = useState("");
  const [jurisdiction, setJurisdiction] = useState("NZ");
  const [date, setDate] = useState("");
  const [network, setNetwork] = useState<File | null>(null);
  const [proposal, setProposal] = useState<File | null>(null);
  const [draft, setDraft] = useState(false);
  const [format, setFormat] = useState("native");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!network) return;
    setBusy(true);
    setError("");
    const form = new FormData();
    form.append("meta", JSON.stringify({ title, jurisdiction, ...(date ? { date } : {}), draft, format }));
    form.append("network", network, network.name);
    if (proposal) form.append("proposal", proposal, proposal.name);
    try {
      const res = await fetch("/api/v1/notifications", {
        method: "POST",
        headers: { Authorization: `Bearer ${session.token()}` },
        body: form,
        cache: "no-store",
      });
      const data = await res.json();
      if (!res.ok) throw new ApiError(res.status, data?.error?.message ?? `HTTP ${res.status}`);
      const v = data as NotificationView & { import?: { format: string; warnings: string[] } };
      navigate(`/notifications/${v.id}`, { state: { imported: v.import ?? null } });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>New notification</h1>
      <p className="hint">
        Upload the network in netvet&apos;s native YAML or JSON format (docs/formats/native.md) and the proposed change
        as a proposal file, or a NetBox export or CycloneDX BOM, which the server imports as <code>netvet import</code>{" "}
        does (NetBox devices that are planned or staged become the proposal). CSV is converted first with{" "}
        <code>netvet import csv</code>.
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <form onSubmit={submit} className="stack" aria-label="New notification">
        <label>
          Title
          <input name="title" value={title} onChange={(e) => setTitle(e.target.value)} required />
        </label>
        <label>
          Jurisdiction
          <select name="jurisdiction" value={jurisdiction} onChange={(e) => setJurisdiction(e.target.value)}>
            {JURISDICTIONS.map((j) => (
              <option key={j}>{j}</option>
            ))}
          </select>
        </label>
        <label>
          Date the rules are read at (empty: today)
          <input name="date" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
        <label>
          Network file format
          <select name="format" value={format} onChange={(e) => setFormat(e.target.value)}>
            <option value="native">netvet native (YAML or JSON)</option>
            <option value="netbox">NetBox export (JSON)</option>
            <option value="cyclonedx">CycloneDX BOM (JSON)</option>
          </select>
        </label>
        <label>
          Network file
          <input name="network" type="file" accept=".yaml,.yml,.json" onChange={(e) => setNetwork(e.target.files?.[0] ?? null)} required />
        </label>
        <label>
          Proposal file (optional)
          <input
            name="proposal"
            type="file"
            accept=".yaml,.yml,.json"
            disabled={format === "netbox"}
            onChange={(e) => setProposal(e.target.files?.[0] ?? null)}
          />
        </label>
        <label className="check">
          <input type="checkbox" checked={draft} onChange={(e) => setDraft(e.target.checked)} />
          Keep as a draft (not notified yet)
        </label>
        <button type="submit" disabled={busy || !network}>
          {busy ? "Uploading…" : "Notify"}
        </button>
      </form>
    </section>
  );
}
