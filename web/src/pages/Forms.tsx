// The workflow's forms, each shown only to the roles and in the states where
// the API accepts it (docs/service.md, "Workflow"); the server decides anyway.
import { useState, type FormEvent, type ReactNode } from "react";
import { api, LEVELS, levelRank, type Finding, type Me, type NotificationView } from "../api";

function useSubmit(onDone: () => void) {
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const run = (f: () => Promise<unknown>) => async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError("");
    try {
      await f();
      onDone();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}

function FormCard({ title, error, children, onSubmit, testid }: { title: string; error: string; children: ReactNode; onSubmit: (e: FormEvent) => void; testid: string }) {
  return (
    <form className="card stack" onSubmit={onSubmit} aria-label={title} data-testid={testid}>
      <h2>{title}</h2>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {children}
    </form>
  );
}

function LevelSelect({ value, onChange, clearance, label }: { value: string; onChange: (v: string) => void; clearance: string; label: string }) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {LEVELS.filter((l) => levelRank(l) <= levelRank(clearance)).map((l) => (
          <option key={l}>{l}</option>
        ))}
      </select>
    </label>
  );
}

// Accept, waive (with an expiry) or mark mitigated, with a reason: assessors and approvers.
export function FindingActions({ finding, onDone }: { finding: Finding; onDone: () => void }) {
  const [status, setStatus] = useState("accepted");
  const [reason, setReason] = useState("");
  const [expires, setExpires] = useState("");
  const { error, busy, run } = useSubmit(() => {
    setReason("");
    onDone();
  });
  return (
    <form
      className="inline"
      aria-label={`Status of finding ${finding.id}`}
      onSubmit={run(() => api("POST", `/findings/${finding.id}/status`, { status, reason, ...(status === "waived" ? { expires } : {}) }))}
    >
      <label>
        Set status
        <select value={status} onChange={(e) => setStatus(e.target.value)}>
          <option>accepted</option>
          <option>waived</option>
          <option>mitigated</option>
          <option>open</option>
        </select>
      </label>
      <label>
        Reason
        <input value={reason} onChange={(e) => setReason(e.target.value)} required={status === "waived"} />
      </label>
      {status === "waived" && (
        <label>
          Waived until
          <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} required />
        </label>
      )}
      <button type="submit" disabled={busy}>
        Save
      </button>
      {error && (
        <span role="alert" className="error">
          {error}
        </span>
      )}
    </form>
  );
}

// What only the agency knows, at a classification up to the assessor's clearance.
export function AddFinding({ notification, clearance, onDone }: { notification: NotificationView; clearance: string; onDone: () => void }) {
  const [title, setTitle] = useState("");
  const [message, setMessage] = useState("");
  const [severity, setSeverity] = useState("high");
  const [classification, setClassification] = useState("UNCLASSIFIED");
  const { error, busy, run } = useSubmit(() => {
    setTitle("");
    setMessage("");
    onDone();
  });
  return (
    <FormCard
      title="Add a finding"
      testid="add-finding"
      error={error}
      onSubmit={run(() => api("POST", `/notifications/${notification.id}/findings`, { title, message, severity, classification }))}
    >
      <label>
        Title
        <input value={title} onChange={(e) => setTitle(e.target.value)} required />
      </label>
      <label>
        Finding
        <textarea value={message} onChange={(e) => setMessage(e.target.value)} required />
      </label>
      <label>
        Severity
        <select value={severity} onChange={(e) => setSeverity(e.target.value)}>
          {["critical", "high", "medium", "low", "info"].map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <LevelSelect label="Classification" value={classification} onChange={setClassification} clearance={clearance} />
      <button type="submit" disabled={busy}>
        Add finding
      </button>
    </FormCard>
  );
}

// A classified KB overlay (netvet-kb-overlay YAML) for this notification only,
// at most the assessor's clearance; the server re-assesses the notification with it.
export function AddOverlay({ notification, clearance, onDone }: { notification: NotificationView; clearance: string; onDone: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const { error, busy, run } = useSubmit(onDone);
  return (
    <FormCard
      title="Upload a KB overlay"
      testid="add-overlay"
      error={error}
      onSubmit={run(async () => api("POST", `/notifications/${notification.id}/overlays`, { overlay: await file!.text() }))}
    >
      <p className="muted">
        A netvet-kb-overlay YAML file (rules and vendor assessments only the agency holds) for this notification's
        jurisdiction, classified at most {clearance}. The notification is assessed again with it; readers below its level see only
        that something is withheld.
      </p>
      <label>
        Overlay file
        <input type="file" accept=".yaml,.yml" onChange={(e) => setFile(e.target.files?.[0] ?? null)} required />
      </label>
      <button type="submit" disabled={busy || !file}>
        Upload overlay
      </button>
    </FormCard>
  );
}

function ReasonField({ value, onChange, label = "Reason" }: { value: string; onChange: (v: string) => void; label?: string }) {
  return (
    <label>
      {label}
      <textarea value={value} onChange={(e) => onChange(e.target.value)} required />
    </label>
  );
}

export function DecisionForms({ view, me, onDone }: { view: NotificationView; me: Me; onDone: () => void }) {
  const s = view.state;
  const mitigable = view.decision?.outcome !== "no-significant-risk";
  return (
    <>
      {me.role === "operator" && s === "draft" && <Notify view={view} onDone={onDone} />}
      {me.role === "approver" && (s === "under-assessment" || s === "mitigation") && <Decide view={view} me={me} onDone={onDone} />}
      {me.role === "approver" && (s === "decided" || s === "mitigation") && (
        <Simple view={view} onDone={onDone} path="accept" title="Accept the proposal" button="Accept" clearance={me.clearance} testid="accept" />
      )}
      {me.role === "operator" && (s === "decided" || s === "mitigation") && mitigable && <SubmitPlan view={view} onDone={onDone} />}
      {me.role === "operator" && (s === "decided" || s === "mitigation") && mitigable && (
        <Simple view={view} onDone={onDone} path="review-request" title="Request a review" button="Request review" testid="review-request" />
      )}
      {me.role === "reviewer" && s === "referred" && <Review view={view} onDone={onDone} />}
      {me.role === "approver" && s === "review-decided" && (
        <Simple view={view} onDone={onDone} path="direction" title="Record the direction" button="Record direction" clearance={me.clearance} testid="direction" />
      )}
      {(me.role === "assessor" || me.role === "approver") && <DueDate view={view} onDone={onDone} />}
    </>
  );
}

function Notify({ view, onDone }: { view: NotificationView; onDone: () => void }) {
  const { error, busy, run } = useSubmit(onDone);
  return (
    <FormCard title="Notify this draft" testid="notify" error={error} onSubmit={run(() => api("POST", `/notifications/${view.id}/notify`, {}))}>
      <button type="submit" disabled={busy}>
        Notify
      </button>
    </FormCard>
  );
}

function Decide({ view, me, onDone }: { view: NotificationView; me: Me; onDone: () => void }) {
  const [outcome, setOutcome] = useState("significant-risk");
  const [reason, setReason] = useState("");
  const [classification, setClassification] = useState("UNCLASSIFIED");
  const [reasons, setReasons] = useState<number[]>([]);
  const { error, busy, run } = useSubmit(onDone);
  const toggle = (id: number) => setReasons((r) => (r.includes(id) ? r.filter((x) => x !== id) : [...r, id]));
  return (
    <FormCard
      title="Decide"
      testid="decide"
      error={error}
      onSubmit={run(() => api("POST", `/notifications/${view.id}/decision`, { outcome, reason, classification, reasons }))}
    >
      <label>
        Outcome
        <select value={outcome} onChange={(e) => setOutcome(e.target.value)}>
          <option>significant-risk</option>
          <option>conditions</option>
          <option>no-significant-risk</option>
        </select>
      </label>
      <ReasonField value={reason} onChange={setReason} />
      <LevelSelect label="Classification of the reason" value={classification} onChange={setClassification} clearance={me.clearance} />
      <fieldset>
        <legend>Findings the decision rests on</legend>
        {view.findings.map((f) => (
          <label key={f.id} className="check">
            <input type="checkbox" checked={reasons.includes(f.id)} onChange={() => toggle(f.id)} />#{f.id} {f.title} ({f.classification})
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={busy}>
        Record decision
      </button>
    </FormCard>
  );
}

function Simple({ view, onDone, path, title, button, clearance, testid }: { view: NotificationView; onDone: () => void; path: string; title: string; button: string; clearance?: string; testid: string }) {
  const [reason, setReason] = useState("");
  const [classification, setClassification] = useState("UNCLASSIFIED");
  const { error, busy, run } = useSubmit(onDone);
  return (
    <FormCard
      title={title}
      testid={testid}
      error={error}
      onSubmit={run(() => api("POST", `/notifications/${view.id}/${path}`, { reason, ...(clearance ? { classification } : {}) }))}
    >
      <ReasonField value={reason} onChange={setReason} />
      {clearance && <LevelSelect label="Classification of the reason" value={classification} onChange={setClassification} clearance={clearance} />}
      <button type="submit" disabled={busy}>
        {button}
      </button>
    </FormCard>
  );
}

function Review({ view, onDone }: { view: NotificationView; onDone: () => void }) {
  const [outcome, setOutcome] = useState("upheld");
  const [reason, setReason] = useState("");
  const { error, busy, run } = useSubmit(onDone);
  return (
    <FormCard title="Review the decision" testid="review" error={error} onSubmit={run(() => api("POST", `/notifications/${view.id}/review`, { outcome, reason }))}>
      <label>
        Outcome
        <select value={outcome} onChange={(e) => setOutcome(e.target.value)}>
          <option>upheld</option>
          <option>overturned</option>
        </select>
      </label>
      <ReasonField value={reason} onChange={setReason} />
      <button type="submit" disabled={busy}>
        Record review
      </button>
    </FormCard>
  );
}

// A mitigation plan is a revised proposal file; the engine re-assesses it.
// `netvet plan --format json` output may go with it, for its cost and schedule.
function SubmitPlan({ view, onDone }: { view: NotificationView; onDone: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [planFile, setPlanFile] = useState<File | null>(null);
  const [reason, setReason] = useState("");
  const { error, busy, run } = useSubmit(onDone);
  return (
    <FormCard
      title="Submit a mitigation plan"
      testid="submit-plan"
      error={error}
      onSubmit={run(async () =>
        api("POST", `/notifications/${view.id}/plans`, { proposal: await file!.text(), plan: planFile ? await planFile.text() : null, reason }),
      )}
    >
      <label>
        Revised proposal file (native YAML or JSON)
        <input type="file" accept=".yaml,.yml,.json" onChange={(e) => setFile(e.target.files?.[0] ?? null)} required />
      </label>
      <label>
        Cost and schedule (optional: the output of netvet plan --format json)
        <input type="file" accept=".json" onChange={(e) => setPlanFile(e.target.files?.[0] ?? null)} />
      </label>
      <label>
        What the plan changes
        <input value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <button type="submit" disabled={busy || !file}>
        Submit plan
      </button>
    </FormCard>
  );
}

function DueDate({ view, onDone }: { view: NotificationView; onDone: () => void }) {
  const [date, setDate] = useState(view.due_date ?? "");
  const { error, busy, run } = useSubmit(onDone);
  return (
    <FormCard title="Response date" testid="due-date" error={error} onSubmit={run(() => api("PUT", `/notifications/${view.id}/due-date`, { due_date: date || null }))}>
      <label>
        Statutory response date
        <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
      </label>
      <button type="submit" disabled={busy}>
        Set date
      </button>
    </FormCard>
  );
}
