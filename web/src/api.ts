// The netvet API (/api/v1, described by /api/v1/openapi.json): one fetch
// wrapper that sends the session's token and turns the server's JSON errors
// into messages a person can act on.

export type Level = "UNCLASSIFIED" | "RESTRICTED" | "CONFIDENTIAL" | "SECRET" | "TOP-SECRET";
export const LEVELS: Level[] = ["UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP-SECRET"];
export const levelRank = (l: string) => Math.max(0, LEVELS.indexOf(l as Level));
export const highest = (ls: string[]): Level =>
  ls.reduce<Level>((m, l) => (levelRank(l) > levelRank(m) ? (l as Level) : m), "UNCLASSIFIED");

export type Role = "operator" | "assessor" | "approver" | "reviewer" | "auditor" | "admin";

export interface Me {
  name: string;
  role: Role;
  tenant: string;
  clearance: Level;
}

export interface Summary {
  id: number;
  tenant: string;
  title: string;
  state: string;
  decision: string | null;
  jurisdiction: string;
  date: string;
  due_date: string | null;
  overdue: boolean;
  updated_at: number;
}

export interface Citation {
  instrument?: string;
  section?: string;
  url?: string;
}

// The engine's own finding, as stored with the service's finding (detail).
export interface EngineFinding {
  id?: string;
  kind?: string;
  violation?: boolean;
  unconfirmed?: boolean;
  components?: string[];
  evidence?: { path?: string[]; targets?: { id: string; sources: number }[]; [k: string]: unknown };
  citation?: Citation;
  remediation?: string; // what clears it, as the engine's reports word it ("" when nothing to do)
}

export interface Finding {
  id: number;
  source: "engine" | "assessor";
  engine_id?: string;
  assessment?: number;
  rule: string;
  severity: string;
  binding: boolean;
  classification: Level;
  title: string;
  message: string;
  detail: EngineFinding;
  status: string;
  status_reason?: string;
  expires?: string;
  created_by: string;
}

export interface Decision {
  kind: string;
  outcome: string;
  reasons: string[];
  note: string | null;
  note_classification?: Level;
  note_withheld?: Level;
  by: string;
  at: number;
}

export interface NotificationView {
  id: number;
  tenant: string;
  title: string;
  state: string;
  jurisdiction: string;
  date: string;
  due_date: string | null;
  overdue: boolean;
  clearance: Level;
  created_by: string;
  created_at: number;
  updated_at: number;
  decision: Decision | null;
  decisions: Decision[];
  findings: Finding[];
  withheld: { classification: Level; count: number }[];
  assessments: { id: number; version: number; status: string; error?: string }[];
  proposals: { version: number; submitted_by: string; at: number; plan: PlanSummary | null }[];
  history: { action: string; from: string; to: string; reason: string; by: string; at: number }[];
  overlays: { id: number; classification: Level; uploaded_by: string; at: number }[]; // at or below the reader's clearance
  overlays_withheld: { classification: Level; count: number }[];
}

export interface Report {
  jurisdiction: string;
  date: string;
  clearance: Level;
  determination: { outcome: string; score: number; reasons: string[] };
  findings: (EngineFinding & { severity: string; binding: boolean; title: string; rule: string; classification: Level })[];
  withheld: { classification: Level; count: number }[];
  coverage?: {
    components: number;
    unjudged: number;
    lacking: Record<string, number>;
    supply: { component?: string; supply?: string[]; [k: string]: unknown }[];
    supply_withheld: number;
  };
  metrics: {
    components: number;
    links: number;
    sites: number;
    proposal?: { added: number; changed: number; removed: number; added_high_risk: number };
    vendor_risk: { high: number; unknown: number; trusted: number };
    high_risk_share: { sites: number; components: number; cells: number; subscribers: number };
    exposure: {
      sources: number;
      reachable: number;
      critical: number;
      critical_reached: number;
      critical_functions_reached: string[];
    };
  };
  digest: string;
}

// A plan version's cost and schedule, from the operator's `netvet plan --format json`.
export interface PlanSummary {
  currency: string | null;
  total: number;
  status: string | null;
  verified: boolean | null;
  schedule: { year: number; cost: number | null; actions: number | null; sites: number | null }[];
  findings_to_clear: { rule: string; components: number | null }[];
  actions: number | null;
}

export interface AuditEntry {
  seq: number;
  at: number;
  actor: string;
  action: string;
  subject: string;
  detail: unknown;
  hash: string;
}

export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = "netvet.token";
export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  set: (t: string) => sessionStorage.setItem(TOKEN_KEY, t),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  const token = session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    // Classified views must not be kept in the browser's disk cache.
    cache: "no-store",
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) throw new ApiError(res.status, data?.error?.message ?? `HTTP ${res.status}`);
  return data as T;
}

export const fmtTime = (epoch: number) => new Date(epoch * 1000).toISOString().replace("T", " ").slice(0, 16) + " UTC";

// Every notification the user may see, page by page (at most `limit`).
export async function allNotifications(limit = 5000): Promise<Summary[]> {
  const all: Summary[] = [];
  let next: string | null = "/notifications?limit=200";
  while (next && all.length < limit) {
    const page: { items: Summary[]; next: string | null } = await api("GET", next);
    all.push(...page.items);
    next = page.next ? page.next.replace(/^\/api\/v1/, "") : null;
  }
  return all;
}
