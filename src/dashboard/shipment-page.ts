import { html } from "hono/html";
import type { Shipment } from "../operator/response-schemas";
import { type Html, Layout } from "./layout";

function Found(shipment: Shipment): Html {
  return html`<dl>
      <dt>carrier</dt>
      <dd>${shipment.carrier}</dd>
      <dt>current status</dt>
      <dd>${shipment.status ? `${shipment.status} (${shipment.carrier_status ?? "–"})` : "not yet known"}</dd>
      <dt>last event at</dt>
      <dd>${shipment.last_event_at ?? "–"}</dd>
    </dl>
    <h2>Timeline (carrier time)</h2>
    <table>
      <thead>
        <tr><th>occurred at</th><th>type</th><th>status</th><th>carrier status</th><th>reason</th><th>event</th></tr>
      </thead>
      <tbody>
        ${shipment.timeline.map(
          (e) => html`<tr>
            <td class="mono">${e.occurred_at}</td>
            <td>${e.type}</td>
            <td>${e.status ?? "–"}</td>
            <td>${e.carrier_status ?? "–"}</td>
            <td>${e.reason ?? "–"}</td>
            <td class="mono"><a href="/dashboard/events/${e.id}">${e.id}</a></td>
          </tr>`,
        )}
      </tbody>
    </table>`;
}

export function ShipmentPage(props: { trackingNumber: string; shipment: Shipment | null }): Html {
  return Layout({
    title: props.trackingNumber,
    signedIn: true,
    body: html`<h1>Shipment <code>${props.trackingNumber}</code></h1>
      ${props.shipment ? Found(props.shipment) : html`<p>No shipment with this tracking number.</p>`}`,
  });
}
