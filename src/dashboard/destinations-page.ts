import { html } from "hono/html";
import type { ApiDestination } from "../operator/response-schemas";
import { FilterFields, filterText, HealthBadge, PauseButton } from "./destination-parts";
import { type Html, Issues, Layout, Notice } from "./layout";

function Row(d: ApiDestination): Html {
  const c = d.counts;
  const failure = d.last_failure
    ? html`<span class="mono">${d.last_failure.at}</span><br />${d.last_failure.http_status ?? ""}
        ${d.last_failure.error ?? ""}`
    : "–";
  return html`<tr data-destination="${d.id}">
    <td><a href="/dashboard/destinations/${d.id}">${d.name}</a><br /><code>${d.id}</code></td>
    <td class="mono url">${d.url}</td>
    <td>${filterText(d.filter)}</td>
    <td>${HealthBadge(d)}</td>
    <td class="n">${c.queued}</td>
    <td class="n">${c.retrying}</td>
    <td class="n">${c.held}</td>
    <td class="n">${c.delivered}</td>
    <td class="n">${c.dead}</td>
    <td class="mono">${d.last_success_at ?? "–"}</td>
    <td>${failure}</td>
    <td>${PauseButton(d, "list")}</td>
  </tr>`;
}

/** Every destination with its health and counts, and the form that adds one. */
export function DestinationsPage(props: {
  destinations: ApiDestination[];
  notice?: string;
  issues?: { path: string; message: string }[];
  form?: { name?: string; url?: string };
}): Html {
  return Layout({
    title: "Destinations",
    signedIn: true,
    body: html`<h1>Destinations</h1>
      ${Notice({ text: props.notice })} ${Issues({ issues: props.issues })}
      <table class="counts" id="destinations">
        <thead>
          <tr>
            <th>destination</th><th>URL</th><th>filter</th><th>health</th><th>queued</th><th>retrying</th><th>held</th
            ><th>delivered</th><th>dead</th><th>last success</th><th>last failure</th><th></th>
          </tr>
        </thead>
        <tbody>
          ${props.destinations.map(Row)}
        </tbody>
      </table>
      ${
        props.destinations.length === 0
          ? html`<p>No destinations: events are only stored. Set FORWARD_URL, or add one below.</p>`
          : ""
      }
      <h2>Add a destination</h2>
      <form method="post" action="/dashboard/destinations" class="filters" id="create-destination">
        <label>name <input name="name" required maxlength="100" value="${props.form?.name ?? ""}" /></label>
        <label
          >URL (http or https)
          <input name="url" required size="40" placeholder="https://example.com/parcel-events" value="${props.form?.url ?? ""}"
        /></label>
        ${FilterFields(undefined)}
        <button type="submit">Add destination</button>
      </form>
      <p>Its signing secret is shown once, on the next page.</p>`,
  });
}
