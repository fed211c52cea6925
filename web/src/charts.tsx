// Small SVG charts (no charting dependency for a few bars): a share as a bar,
// and equipment by vendor risk as one stacked bar. Each says its numbers in text.
import type { Report } from "./api";

export const pct = (x?: number) => (x === undefined ? "" : `${Math.round(x * 1000) / 10}%`);

export function ShareBar({ fraction }: { fraction: number }) {
  return (
    <svg width="200" height="12" aria-hidden="true">
      <rect x={0} y={0} width={200} height={12} fill="#e4e7eb" />
      <rect x={0} y={0} width={200 * fraction} height={12} fill="#b3261e" />
    </svg>
  );
}

export function VendorBar({ report }: { report: Report }) {
  const v = report.metrics.vendor_risk;
  const total = v.high + v.unknown + v.trusted || 1;
  const parts = [
    { n: v.high, label: "high-risk", color: "#b3261e" },
    { n: v.unknown, label: "unknown", color: "#b36b00" },
    { n: v.trusted, label: "other", color: "#5f7f99" },
  ];
  let x = 0;
  const text = parts.map((p) => `${p.n} ${p.label}`).join(", ");
  return (
    <span className="vendor-bar">
      <svg width="160" height="14" aria-hidden="true">
        {parts.map((p) => {
          const w = (160 * p.n) / total;
          const r = <rect key={p.label} x={x} y={0} width={w} height={14} fill={p.color} />;
          x += w;
          return r;
        })}
      </svg>{" "}
      <span className="muted">
        {Math.round((100 * v.high) / total)}% high-risk ({text})
      </span>
    </span>
  );
}
