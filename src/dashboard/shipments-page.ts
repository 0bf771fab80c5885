import { html } from "hono/html";
import { CARRIERS } from "../carriers";
import { CANONICAL_STATUSES } from "../events/normalized-event";
import type { ShipmentRow } from "../operator/response-schemas";
import { type Html, Issues, Layout } from "./layout";
import { PRESETS } from "./shipment-presets";

/** How long ago, as days and hours ("3 d 4 h", "5 h", "< 1 h"). */
export function waitedText(since: string, now: Date): string {
  const hours = Math.floor((now.getTime() - Date.parse(since)) / 3_600_000);
  if (hours < 1) return "< 1 h";
  const days = Math.floor(hours / 24);
  return days > 0 ? `${days} d ${hours % 24} h` : `${hours} h`;
}

export function shipmentHref(row: { tracking_number: string; carrier: string }): string {
  return `/dashboard/shipments/${encodeURIComponent(row.tracking_number)}?${new URLSearchParams({ carrier: row.carrier })}`;
}

export interface ShownSection {
  title: string;
  rows: ShipmentRow[];
  waited?: boolean;
  /** The whole list of this section, paged (when more rows match than shown). */
  moreHref?: string | null;
}

function ShipmentTable(section: ShownSection, now: Date): Html {
  const row = (s: ShipmentRow) => html`<tr>
    <td class="mono"><a href="${shipmentHref(s)}">${s.tracking_number}</a></td>
    <td>${s.carrier}</td>
    <td><span class="status ${s.status}">${s.status}</span></td>
    <td>${s.carrier_status ?? "–"}</td>
    <td class="mono">${s.last_event_at}</td>
    ${section.waited ? html`<td class="waited">${waitedText(s.last_event_at, now)}</td>` : ""}
  </tr>`;
  const table =
    section.rows.length === 0
      ? html`<p class="empty">None.</p>`
      : html`<table>
          <thead>
            <tr>
              <th>tracking number</th><th>carrier</th><th>status</th><th>carrier status</th><th>last carrier event</th
              >${section.waited ? html`<th>waiting</th>` : ""}
            </tr>
          </thead>
          <tbody>
            ${section.rows.map(row)}
          </tbody>
        </table>`;
  return html`<section class="shipments">
    <h2>${section.title} <small>(${section.rows.length}${section.moreHref ? "+" : ""})</small></h2>
    ${table} ${section.moreHref ? html`<p><a href="${section.moreHref}">More →</a></p>` : ""}
  </section>`;
}

const option = (value: string, selected: boolean) =>
  html`<option value="${value}" ${selected ? "selected" : ""}>${value}</option>`;

export function ShipmentsPage(props: {
  preset?: string;
  query: Record<string, string>;
  sections: ShownSection[];
  csvHref?: string;
  issues?: { path: string; message: string }[];
  now: Date;
}): Html {
  const q = props.query;
  const selected = new Set((q.status ?? "").split(","));
  return Layout({
    title: "Shipments",
    signedIn: true,
    body: html`<h1>Shipments</h1>
      <nav class="presets" aria-label="Presets">
        ${PRESETS.map(
          (p) =>
            html`<a href="/dashboard/shipments?preset=${p.name}" class="${p.name === props.preset ? "on" : ""}"
              >${p.label}</a
            >`,
        )}
      </nav>
      ${Issues({ issues: props.issues })}
      <form method="get" action="/dashboard/shipments" class="filters">
        <label
          >carrier
          <select name="carrier">
            <option value="">any</option>
            ${CARRIERS.map((c) => option(c, c === q.carrier))}
          </select></label
        >
        <label
          >status (one or more)
          <select name="status" multiple size="3">
            ${CANONICAL_STATUSES.map((s) => option(s, selected.has(s)))}
          </select></label
        >
        <label
          >quiet for hours <input name="quiet_for_hours" value="${q.quiet_for_hours ?? ""}" size="5" inputmode="numeric"
        /></label>
        <label
          >updated since (UTC ISO)
          <input name="updated_since" value="${q.updated_since ?? ""}" placeholder="2026-11-23T00:00:00Z"
        /></label>
        <button type="submit">Filter</button>
        ${props.csvHref ? html`<a class="csv" href="${props.csvHref}">Download CSV</a>` : ""}
      </form>
      ${props.sections.map((s) => ShipmentTable(s, props.now))}`,
  });
}
