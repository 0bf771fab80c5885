import { html } from "hono/html";
import type { EventDetail } from "../operator/response-schemas";
import { type Html, Layout, Notice } from "./layout";
import { shipmentHref } from "./shipments-page";

function Attempts(attempts: EventDetail["attempts"]): Html {
  if (attempts.length === 0) return html`<p>None yet.</p>`;
  return html`<table>
    <thead>
      <tr><th>time</th><th>destination</th><th>kind</th><th>HTTP status</th><th>error</th><th>duration</th></tr>
    </thead>
    <tbody>
      ${attempts.map(
        (a) => html`<tr>
          <td class="mono">${a.attempted_at}</td>
          <td class="mono">${a.destination_id ?? "–"}</td>
          <td>${a.kind}</td>
          <td>${a.http_status ?? "–"}</td>
          <td>${a.error ?? "–"}</td>
          <td>${a.duration_ms == null ? "–" : `${a.duration_ms} ms`}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

function Deliveries(deliveries: EventDetail["deliveries"]): Html {
  if (deliveries.length === 0) return html`<p>No destination matched it (yet).</p>`;
  return html`<table id="deliveries">
    <thead>
      <tr><th>destination</th><th>state</th><th>attempts</th></tr>
    </thead>
    <tbody>
      ${deliveries.map(
        (d) => html`<tr>
          <td class="mono">${d.destination_id}</td>
          <td><span class="state ${d.state}">${d.state}</span></td>
          <td>${d.attempts}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

export function EventPage(props: { detail: EventDetail; notice?: string }): Html {
  const { event, attempts, replays } = props.detail;
  const tracking = event.tracking_number
    ? html`<a href="${shipmentHref({ tracking_number: event.tracking_number, carrier: event.carrier })}"
        >${event.tracking_number}</a
      >`
    : "–";
  const replayed =
    replays.length === 0
      ? html`<p>Never replayed.</p>`
      : html`<ul id="replays">
          ${replays.map((r) => html`<li class="mono">Replayed at ${r.replayed_at}</li>`)}
        </ul>`;
  return Layout({
    title: event.id,
    signedIn: true,
    body: html`<h1>Event <code>${event.id}</code></h1>
      ${Notice({ text: props.notice })}
      <form method="post" action="/dashboard/events/${event.id}/replay">
        <button type="submit">Replay this event</button>
      </form>
      <dl>
        <dt>state</dt>
        <dd><span class="state ${event.state}">${event.state}</span></dd>
        <dt>carrier</dt>
        <dd>${event.carrier}</dd>
        <dt>type</dt>
        <dd>${event.type}</dd>
        <dt>status</dt>
        <dd>${event.status ?? "–"} (${event.carrier_status ?? "–"})${event.reason ? `: ${event.reason}` : ""}</dd>
        <dt>tracking number</dt>
        <dd>${tracking}</dd>
        <dt>occurred at (carrier)</dt>
        <dd>${event.occurred_at}</dd>
        <dt>received at</dt>
        <dd>${event.received_at}</dd>
        <dt>duplicates</dt>
        <dd>${props.detail.duplicates}</dd>
      </dl>
      <h2>Deliveries</h2>
      ${Deliveries(props.detail.deliveries)}
      <h2>Forward attempts</h2>
      ${Attempts(attempts)}
      <h2>Replays</h2>
      ${replayed}
      <h2>Normalized event</h2>
      <pre>${JSON.stringify(event, null, 2)}</pre>
      <h2>Raw body as received</h2>
      <pre>${props.detail.raw_json === null ? props.detail.raw_body : JSON.stringify(props.detail.raw_json, null, 2)}</pre>`,
  });
}
