import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { dashboardCss } from "./dashboard-css";

/** What a page or a part of it renders to: escaped HTML (Hono's `html` templates, no JSX runtime). */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export function Layout(props: { title: string; body: Html; signedIn?: boolean }): Html {
  const nav = props.signedIn
    ? html`<a href="/dashboard">Events</a><a href="/dashboard/shipments">Shipments</a
        ><a href="/dashboard/quarantine">Quarantine</a><a href="/dashboard/destinations">Destinations</a
        ><a href="/dashboard/keys">Keys</a><a href="/dashboard/audit">Audit</a
        ><form method="get" action="/dashboard/shipments">
          <input name="tracking_number" placeholder="Tracking number" aria-label="Tracking number" required /><button
            type="submit"
          >
            Find shipment
          </button></form
        ><span class="grow"></span
        ><form method="post" action="/dashboard/sign-out"><button type="submit">Sign out</button></form>`
    : "";
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${props.title} · parcelhook</title>
        <style>
          ${raw(dashboardCss())}
        </style>
      </head>
      <body>
        <header><a class="brand" href="/dashboard">parcelhook</a>${nav}</header>
        <main>${props.body}</main>
      </body>
    </html>`;
}

export function Issues(props: { issues?: { path: string; message: string }[] }): Html | string {
  if (!props.issues?.length) return "";
  return html`<div class="error" role="alert">
    ${props.issues.map((i) => html`<div><code>${i.path}</code>: ${i.message}</div>`)}
  </div>`;
}

export function Notice(props: { text?: string }): Html | string {
  return props.text ? html`<div class="notice" role="status">${props.text}</div>` : "";
}
