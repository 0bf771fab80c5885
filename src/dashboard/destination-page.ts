import { html } from "hono/html";
import { CARRIERS } from "../carriers";
import { CANONICAL_STATUSES, DELIVERY_STATES, EVENT_TYPES } from "../events/normalized-event";
import type { ApiDestination } from "../operator/response-schemas";
import { FilterFields, filterText, HealthBadge, NewSecret, PauseButton } from "./destination-parts";
import { type Html, Issues, Layout, Notice } from "./layout";

function Select(name: string, options: readonly string[]): Html {
  return html`<label
    >${name}
    <select name="${name}">
      <option value="">any</option>
      ${options.map((o) => html`<option value="${o}">${o}</option>`)}
    </select></label
  >`;
}

/** One destination: its state, and every action on it (what `default` takes: pause and replay). */
export function DestinationPage(props: {
  destination: ApiDestination;
  notice?: string;
  secret?: string;
  issues?: { path: string; message: string }[];
}): Html {
  const d = props.destination;
  const managed = d.id === "default";
  const c = d.counts;
  const edit = managed
    ? html`<p>
        <code>default</code> is FORWARD_URL, signed with FORWARD_SIGNING_SECRET: change them in the configuration.
      </p>`
    : html`<h2>Change</h2>
        <form method="post" action="/dashboard/destinations/${d.id}" class="filters" id="edit-destination">
          <label>name <input name="name" required maxlength="100" value="${d.name}" /></label>
          <label>URL <input name="url" required size="40" value="${d.url}" /></label>
          ${FilterFields(d.filter)}
          <button type="submit">Save</button>
        </form>
        <h2>Signing secret</h2>
        <form method="post" action="/dashboard/destinations/${d.id}/rotate-secret" class="inline">
          <button type="submit">Rotate secret</button>
        </form>
        The new secret is shown once; the old one keeps signing beside it for 24 hours.
        <h2>Delete</h2>
        <p><a href="/dashboard/destinations/${d.id}/delete">Delete this destination…</a></p>`;
  return Layout({
    title: d.name,
    signedIn: true,
    body: html`<h1>Destination ${d.name} <code>${d.id}</code></h1>
      ${Notice({ text: props.notice })} ${NewSecret({ name: d.name, secret: props.secret })}
      ${Issues({ issues: props.issues })}
      <dl id="destination">
        <dt>URL</dt>
        <dd class="mono">${d.url}</dd>
        <dt>filter</dt>
        <dd>${filterText(d.filter)}</dd>
        <dt>health</dt>
        <dd>${HealthBadge(d)} ${PauseButton(d, "detail")}</dd>
        <dt>deliveries</dt>
        <dd>
          queued ${c.queued} · retrying ${c.retrying} · held ${c.held} · delivered ${c.delivered} · dead ${c.dead}
        </dd>
        <dt>last success</dt>
        <dd class="mono">${d.last_success_at ?? "–"}</dd>
        <dt>last failure</dt>
        <dd>
          ${
            d.last_failure
              ? html`<span class="mono">${d.last_failure.at}</span> ${d.last_failure.http_status ?? ""}
                  ${d.last_failure.error ?? ""}`
              : "–"
          }
        </dd>
      </dl>
      <h2>Replay to this destination only</h2>
      <form method="post" action="/dashboard/destinations/${d.id}/replay" class="filters" id="replay-destination">
        ${Select("carrier", CARRIERS)} ${Select("type", EVENT_TYPES)} ${Select("status", CANONICAL_STATUSES)}
        ${Select("state", DELIVERY_STATES)}
        <label>tracking_number <input name="tracking_number" /></label>
        <label>since (UTC ISO) <input name="since" placeholder="2026-11-23T06:00:00Z" /></label>
        <label>until <input name="until" /></label>
        <button type="submit">Replay matching (up to 500)</button>
      </form>
      ${edit}`,
  });
}

/** The confirmation a deletion asks for (the dashboard runs no script, so no confirm() dialog). */
export function DeleteDestinationPage(props: { destination: ApiDestination }): Html {
  const d = props.destination;
  return Layout({
    title: `Delete ${d.name}`,
    signedIn: true,
    body: html`<h1>Delete ${d.name}?</h1>
      <p>
        Nothing more is sent to <code>${d.url}</code>, not even the
        ${d.counts.queued + d.counts.retrying + d.counts.held} deliveries it is still owed. The events stay. This
        cannot be undone.
      </p>
      <form method="post" action="/dashboard/destinations/${d.id}/delete" class="inline">
        <button type="submit" class="danger">Delete ${d.name}</button>
      </form>
      <a href="/dashboard/destinations/${d.id}">Cancel</a>`,
  });
}
