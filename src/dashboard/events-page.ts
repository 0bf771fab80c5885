import { html } from "hono/html";
import { CARRIERS } from "../carriers";
import { CANONICAL_STATUSES, DELIVERY_STATES, EVENT_TYPES } from "../events/normalized-event";
import { EVENT_FILTERS } from "../operator/query-schemas";
import type { ApiEvent, Stats } from "../operator/response-schemas";
import { Charts } from "./charts";
import { type Html, Issues, Layout } from "./layout";
import { Overview, ShipmentCounts } from "./overview";
import { shipmentHref } from "./shipments-page";

function hiddenFields(fields: Record<string, string>): Html[] {
  return Object.entries(fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`);
}

/** What a bulk replay did, and a button to go on when more events match. */
function BulkNotice(props: { replayed: number; next: string | null; filter: Record<string, string> }): Html {
  const more = props.next
    ? html`<form method="post" action="/dashboard/replay">
        More events match. ${hiddenFields({ ...props.filter, cursor: props.next })}
        <button type="submit">Replay the next 500</button>
      </form>`
    : "";
  return html`<div class="notice" role="status" id="bulk-notice">
    Replayed ${props.replayed} ${props.replayed === 1 ? "event" : "events"}: queued again, same ids. ${more}
  </div>`;
}

function Select(name: string, options: readonly string[], value?: string): Html {
  return html`<label
    >${name}
    <select name="${name}">
      <option value="">any</option>
      ${options.map((o) => html`<option value="${o}" ${o === value ? "selected" : ""}>${o}</option>`)}
    </select></label
  >`;
}

function EventRow(e: ApiEvent): Html {
  const tracking = e.tracking_number
    ? html`<a href="${shipmentHref({ tracking_number: e.tracking_number, carrier: e.carrier })}">${e.tracking_number}</a>`
    : "–";
  return html`<tr>
    <td class="mono">${e.received_at}</td>
    <td>${e.carrier}</td>
    <td>${e.type}</td>
    <td>${e.status ?? "–"}</td>
    <td class="mono">${tracking}</td>
    <td><span class="state ${e.state}">${e.state}</span></td>
    <td class="mono"><a href="/dashboard/events/${e.id}">${e.id}</a></td>
  </tr>`;
}

export function EventsPage(props: {
  query: Record<string, string>;
  events: ApiEvent[];
  nextCursor: string | null;
  issues?: { path: string; message: string }[];
  bulk?: { replayed: number; next: string | null; filter: Record<string, string> };
  stats: Stats;
  now: Date;
}): Html {
  const q = props.query;
  const filterOnly = Object.fromEntries(EVENT_FILTERS.filter((f) => q[f]).map((f) => [f, q[f] as string]));
  const older = props.nextCursor && `?${new URLSearchParams({ ...filterOnly, cursor: props.nextCursor })}`;
  const { stats } = props;
  const replayAll =
    Object.keys(filterOnly).length > 0
      ? html`<form method="post" action="/dashboard/replay" class="filters">
          ${hiddenFields(filterOnly)}
          <button type="submit">Replay all matching (up to 500)</button>
        </form>`
      : "";
  return Layout({
    title: "Events",
    signedIn: true,
    body: html`${Charts({
      eventsPerHour: stats.events_per_hour,
      rejectedPerHour: stats.rejections.per_hour,
      now: props.now,
    })}
      <p>
        Last 24 h: ${stats.events.total} events, ${stats.rejections.total} rejected requests
        ${stats.rejections.by_reason.slice(0, 5).map((r) => ` · ${r.carrier} ${r.status} ${r.code}: ${r.count}`)}
      </p>
      ${Overview({ stats })} ${ShipmentCounts({ stats })}
      <h1>Events</h1>
      ${props.bulk ? BulkNotice(props.bulk) : ""} ${Issues({ issues: props.issues })}
      <form method="get" action="/dashboard" class="filters">
        ${Select("carrier", CARRIERS, q.carrier)} ${Select("type", EVENT_TYPES, q.type)}
        ${Select("status", CANONICAL_STATUSES, q.status)} ${Select("state", DELIVERY_STATES, q.state)}
        <label>tracking_number <input name="tracking_number" value="${q.tracking_number ?? ""}" /></label>
        <label
          >since (UTC ISO) <input name="since" value="${q.since ?? ""}" placeholder="2026-11-23T06:00:00Z"
        /></label>
        <label>until <input name="until" value="${q.until ?? ""}" /></label>
        <button type="submit">Filter</button>
      </form>
      ${replayAll}
      <table>
        <thead>
          <tr>
            <th>received</th><th>carrier</th><th>type</th><th>status</th><th>tracking number</th><th>state</th
            ><th>event</th>
          </tr>
        </thead>
        <tbody>
          ${props.events.map(EventRow)}
        </tbody>
      </table>
      ${props.events.length === 0 ? html`<p>No events match.</p>` : ""}
      ${older ? html`<p><a href="/dashboard${older}">Older →</a></p>` : ""}`,
  });
}
