import { html } from "hono/html";
import type { QuarantinedDelivery } from "../operator/response-schemas";
import { type Html, Issues, Layout, Notice } from "./layout";

function Row(d: QuarantinedDelivery): Html {
  const action = d.resolved_event_id
    ? html`<a href="/dashboard/events/${d.resolved_event_id}">resolved</a>`
    : html`<form method="post" action="/dashboard/quarantine/${d.id}/retry"><button type="submit">Retry</button></form>`;
  return html`<tr>
    <td class="mono">${d.received_at}</td>
    <td>${d.carrier}</td>
    <td>${d.issues.map((i) => html`<div><code>${i.path}</code>: ${i.message}</div>`)}</td>
    <td><pre>${d.raw_body.slice(0, 2000)}</pre></td>
    <td>${action}</td>
  </tr>`;
}

export function QuarantinePage(props: {
  deliveries: QuarantinedDelivery[];
  nextCursor: string | null;
  notice?: string;
  issues?: { path: string; message: string }[];
}): Html {
  return Layout({
    title: "Quarantine",
    signedIn: true,
    body: html`<h1>Quarantine</h1>
      ${Notice({ text: props.notice })} ${Issues({ issues: props.issues })}
      <table>
        <thead>
          <tr><th>received</th><th>carrier</th><th>issues</th><th>raw body</th><th></th></tr>
        </thead>
        <tbody>
          ${props.deliveries.map(Row)}
        </tbody>
      </table>
      ${props.deliveries.length === 0 ? html`<p>Nothing in quarantine.</p>` : ""}
      ${
        props.nextCursor
          ? html`<p><a href="/dashboard/quarantine?${new URLSearchParams({ cursor: props.nextCursor })}">Older →</a></p>`
          : ""
      }`,
  });
}
