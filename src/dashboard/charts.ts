import { html } from "hono/html";
import { CARRIERS, REGISTRY } from "../carriers";
import type { Html } from "./layout";

// Each carrier's own colour (its folder declares it), and one for rejected requests.
const COLORS: Record<string, string> = {
  ...Object.fromEntries(REGISTRY.map((c) => [c.name, c.color])),
  rejected: "#d64545",
};
const W = 720;
const H = 150;
const HOURS = 24;

/** The last 24 hour slots, oldest first, as `YYYY-MM-DDTHH:00:00Z` (how the stats name hours). */
function hourSlots(now: Date): string[] {
  const top = Math.floor(now.getTime() / 3_600_000) * 3_600_000;
  return Array.from(
    { length: HOURS },
    (_, i) => `${new Date(top - (HOURS - 1 - i) * 3_600_000).toISOString().slice(0, 13)}:00:00Z`,
  );
}

/** Stacked bars per hour, server-rendered SVG: no script, no build step. */
function Bars(props: { label: string; series: Record<string, Map<string, number>>; now: Date }): Html {
  const slots = hourSlots(props.now);
  const names = Object.keys(props.series);
  const totals = slots.map((h) => names.reduce((sum, n) => sum + (props.series[n]?.get(h) ?? 0), 0));
  const max = Math.max(1, ...totals);
  const bw = W / HOURS;
  const bars = slots.map((hour, i) => {
    let y = H;
    return names.map((name) => {
      const count = props.series[name]?.get(hour) ?? 0;
      if (count === 0) return "";
      const h = (count / max) * (H - 4);
      y -= h;
      return html`<rect x="${i * bw + 2}" y="${y}" width="${bw - 4}" height="${h}" fill="${COLORS[name] ?? "#888"}"
        ><title>${`${hour.slice(11, 16)} UTC ${name}: ${count}`}</title></rect
      >`;
    });
  });
  const labels = slots.map((hour, i) =>
    i % 3 === 0
      ? html`<text x="${i * bw + 2}" y="${H + 13}" font-size="10" fill="#555">${hour.slice(11, 16)}</text>`
      : "",
  );
  return html`<div class="chart">
    <strong>${props.label}</strong> <small>(last 24 h, max ${max}/h)</small>
    <svg viewBox="0 0 ${W} ${H + 16}" width="100%" role="img" aria-label="${props.label}">
      <line x1="0" y1="${H}" x2="${W}" y2="${H}" stroke="#999"></line>
      ${bars} ${labels}
    </svg>
    <div class="legend">
      ${names.map((n) => html`<span><i style="background:${COLORS[n] ?? "#888"}"></i>${n}</span>`)}
    </div>
  </div>`;
}

export function Charts(props: {
  eventsPerHour: { hour: string; carrier: string; count: number }[];
  rejectedPerHour: { hour: string; count: number }[];
  now: Date;
}): Html {
  const byCarrier: Record<string, Map<string, number>> = {};
  for (const c of CARRIERS) byCarrier[c] = new Map();
  for (const e of props.eventsPerHour) byCarrier[e.carrier]?.set(e.hour, e.count);
  const rejected = { rejected: new Map(props.rejectedPerHour.map((r) => [r.hour, r.count])) };
  return html`<div class="charts">
    ${Bars({ label: "Events per hour by carrier", series: byCarrier, now: props.now })}
    ${Bars({ label: "Rejected requests per hour", series: rejected, now: props.now })}
  </div>`;
}
