import { html } from "hono/html";
import { ROLES } from "../auth/roles";
import type { ApiKey, CreatedKey } from "../operator/team-schemas";
import { type Html, Issues, Layout, Notice } from "./layout";

function Row(k: ApiKey): Html {
  const action = k.revoked_at
    ? html`revoked <span class="mono">${k.revoked_at}</span>`
    : html`<form method="post" action="/dashboard/keys/${k.id}/revoke"><button type="submit">Revoke</button></form>`;
  return html`<tr data-key="${k.id}">
    <td>${k.name}<br /><code>${k.id}</code></td>
    <td>${k.roles.join(", ")}</td>
    <td class="mono">${k.prefix}…</td>
    <td class="mono">${k.created_at}<br />${k.created_by}</td>
    <td class="mono">${k.last_used_at ?? "never"}</td>
    <td>${action}</td>
  </tr>`;
}

/** The API keys, the form that makes one, and (right after making one) the key, shown this once. */
export function KeysPage(props: {
  keys: ApiKey[];
  created?: CreatedKey;
  notice?: string;
  issues?: { path: string; message: string }[];
}): Html {
  const created = props.created
    ? html`<div class="notice" role="status" id="new-key">
        Key <strong>${props.created.name}</strong> created. Copy it now: it is not shown again.
        <pre><code>${props.created.key}</code></pre>
      </div>`
    : "";
  return Layout({
    title: "API keys",
    signedIn: true,
    body: html`<h1>API keys</h1>
      ${Notice({ text: props.notice })} ${Issues({ issues: props.issues })} ${created}
      <table id="keys">
        <thead>
          <tr><th>key</th><th>roles</th><th>starts</th><th>created</th><th>last used</th><th></th></tr>
        </thead>
        <tbody>
          ${props.keys.map(Row)}
        </tbody>
      </table>
      ${props.keys.length === 0 ? html`<p>No API keys yet.</p>` : ""}
      <h2>Create a key</h2>
      <form method="post" action="/dashboard/keys" class="filters" id="create-key">
        <label>name <input name="name" required maxlength="100" /></label>
        ${ROLES.map((r) => html`<label><input type="checkbox" name="roles" value="${r}" /> ${r}</label>`)}
        <button type="submit">Create key</button>
      </form>
      <p>
        read: events, shipments, destinations, stats · metrics: /metrics only · operate: read plus replays,
        quarantine retry, pause and resume · admin: everything.
      </p>`,
  });
}
