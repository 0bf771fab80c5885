import { html } from "hono/html";
import { CARRIERS } from "../carriers";
import { CANONICAL_STATUSES, DELIVERY_STATES } from "../events/normalized-event";
import type { Stats } from "../operator/response-schemas";
import type { Html } from "./layout";

/** Bytes as a short decimal size (D1 and its limits are in decimal units). */
export function sizeText(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : Number(value.toFixed(1))} ${units[unit]}`;
}

/** Delivery states of the window's events, and the database against its budget. */
export function Overview(props: { stats: Stats }): Html {
  const { events, storage } = props.stats;
  const share = storage.bytes === null ? null : (storage.bytes / storage.budget_bytes) * 100;
  const size = storage.bytes === null ? "size unknown" : sizeText(storage.bytes);
  const percent = share === null ? "" : ` (${share < 0.1 ? "< 0.1" : share.toFixed(1)} %)`;
  return html`<div class="summary" id="overview">
    <span
      >Delivery states (24 h):
      ${DELIVERY_STATES.map((s) => html`<span class="state ${s}">${s} ${events.by_state[s]}</span> `)}</span
    >
    <span id="storage"
      >Storage: ${size} of ${sizeText(storage.budget_bytes)} budget${percent} · oldest event
      ${storage.oldest_event_at ?? "none"}</span
    >
  </div>`;
}

/** Every shipment's current status, per carrier; each count opens that list. */
export function ShipmentCounts(props: { stats: Stats }): Html {
  const counts = new Map(props.stats.shipments.by_carrier_status.map((r) => [`${r.status}|${r.carrier}`, r.count]));
  const statuses = CANONICAL_STATUSES.filter((s) => CARRIERS.some((c) => counts.has(`${s}|${c}`)));
  const link = (status: string, carrier?: string) =>
    `/dashboard/shipments?${new URLSearchParams(carrier ? { status, carrier } : { status })}`;
  const row = (s: string) => {
    const n = CARRIERS.map((c) => counts.get(`${s}|${c}`) ?? 0);
    return html`<tr>
      <td><span class="status ${s}">${s}</span></td>
      ${CARRIERS.map((c, i) => html`<td class="n">${n[i] ? html`<a href="${link(s, c)}">${n[i]}</a>` : "·"}</td>`)}
      <td class="n"><a href="${link(s)}">${n.reduce((a, b) => a + b, 0)}</a></td>
    </tr>`;
  };
  const table =
    statuses.length === 0
      ? html`<p>No shipments yet.</p>`
      : html`<table class="counts">
          <thead>
            <tr><th>status</th>${CARRIERS.map((c) => html`<th>${c}</th>`)}<th>all</th></tr>
          </thead>
          <tbody>
            ${statuses.map(row)}
          </tbody>
        </table>`;
  return html`<section id="shipment-counts">
    <h2>Shipments by status (${props.stats.shipments.total})</h2>
    ${table}
  </section>`;
}
