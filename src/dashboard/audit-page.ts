import { html } from "hono/html";
import { AUDIT_ACTIONS } from "../audit/audit-actions";
import type { AuditEntryView, SignInFailures } from "../operator/team-schemas";
import { type Html, Issues, Layout } from "./layout";

function Row(e: AuditEntryView): Html {
  return html`<tr data-audit="${e.seq}">
    <td class="mono">${e.at}</td>
    <td>${e.actor_name}<br /><code>${e.actor}</code></td>
    <td><code>${e.action}</code></td>
    <td><code>${e.target ?? "–"}</code></td>
    <td class="mono">${e.changes === null ? "" : JSON.stringify(e.changes)}</td>
    <td>${e.outcome}</td>
  </tr>`;
}

/** The audit log, newest first, with its filters; and the failed sign-ins counted per hour. */
export function AuditPage(props: {
  entries: AuditEntryView[];
  query: Record<string, string>;
  nextCursor: string | null;
  failures: SignInFailures["hours"];
  issues?: { path: string; message: string }[];
}): Html {
  const q = props.query;
  const { cursor: _cursor, ...filters } = q;
  return Layout({
    title: "Audit log",
    signedIn: true,
    body: html`<h1>Audit log</h1>
      ${Issues({ issues: props.issues })}
      <form method="get" action="/dashboard/audit" class="filters">
        <label>actor <input name="actor" value="${q.actor ?? ""}" placeholder="key:… or access:…" /></label>
        <label
          >action
          <select name="action">
            <option value="">any</option>
            ${AUDIT_ACTIONS.map((a) => html`<option value="${a}" ${q.action === a ? "selected" : ""}>${a}</option>`)}
          </select></label
        >
        <label>target <input name="target" value="${q.target ?? ""}" /></label>
        <label>since <input name="since" value="${q.since ?? ""}" placeholder="2026-12-01T00:00:00Z" /></label>
        <label>until <input name="until" value="${q.until ?? ""}" /></label>
        <button type="submit">Filter</button>
      </form>
      <table id="audit">
        <thead>
          <tr><th>at</th><th>actor</th><th>action</th><th>target</th><th>changes</th><th>outcome</th></tr>
        </thead>
        <tbody>
          ${props.entries.map(Row)}
        </tbody>
      </table>
      ${props.entries.length === 0 ? html`<p>Nothing recorded.</p>` : ""}
      ${
        props.nextCursor
          ? html`<p><a href="/dashboard/audit?${new URLSearchParams({ ...filters, cursor: props.nextCursor })}">Older →</a></p>`
          : ""
      }
      <h2>Refused credentials and missing roles, per hour, last 7 days</h2>
      <table id="sign-in-failures">
        <thead>
          <tr><th>hour</th><th>reason</th><th>status</th><th>count</th></tr>
        </thead>
        <tbody>
          ${props.failures.map(
            (f) =>
              html`<tr><td class="mono">${f.hour}</td><td>${f.reason}</td><td>${f.status}</td><td class="n">${f.count}</td></tr>`,
          )}
        </tbody>
      </table>`,
  });
}
