import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

const CSS = `
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,sans-serif;color:#1d2330;background:#f6f7f9}
header{display:flex;gap:16px;align-items:center;padding:10px 20px;background:#1d2330;color:#fff}
header a{color:#fff;text-decoration:none}header .brand{font-weight:700;margin-right:8px}
header form{margin:0}header .grow{flex:1}main{padding:16px 20px;max-width:1200px}
h1{font-size:20px;margin:4px 0 12px}h2{font-size:16px;margin:20px 0 8px}
table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e3e6eb;vertical-align:top}
th{font-weight:600;background:#eef0f4}td.mono,pre,code{font-family:ui-monospace,monospace;font-size:12px}
pre{background:#fff;border:1px solid #e3e6eb;padding:10px;overflow:auto;max-height:420px}
form.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:end;margin-bottom:12px}
label{display:flex;flex-direction:column;font-size:12px;color:#555}
input,select,button{font:inherit;padding:4px 6px}button{cursor:pointer}
.notice{padding:8px 12px;background:#e7f6ec;border:1px solid #9fd3b0;margin-bottom:12px}
.error{padding:8px 12px;background:#fdecec;border:1px solid #f0a8a8;margin-bottom:12px}
.state{padding:1px 6px;border-radius:8px;background:#eef0f4}.state.dead{background:#fdecec}.state.delivered,.state.stored{background:#e7f6ec}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(360px,1fr));gap:12px}.chart{background:#fff;padding:8px;border:1px solid #e3e6eb}
.legend span{margin-right:10px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
nav.presets{display:flex;gap:6px;margin-bottom:12px}nav.presets a{padding:5px 12px;border:1px solid #c9ced8;border-radius:14px;background:#fff;color:#1d2330;text-decoration:none}
nav.presets a.on{background:#1d2330;color:#fff;border-color:#1d2330}a.csv{align-self:center}
.status{padding:1px 6px;border-radius:8px;background:#eef0f4}.status.delivery_failed,.status.return_to_sender{background:#fdecec}
.status.on_hold,.status.delivery_delayed{background:#fff4d6}.status.delivered{background:#e7f6ec}
.counts td.n{text-align:right;font-variant-numeric:tabular-nums}.summary{display:flex;flex-wrap:wrap;gap:6px 18px;margin:8px 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;background:#fff;padding:10px;border:1px solid #e3e6eb}dt{color:#555}dd{margin:0}
`;

/** What a page or a part of it renders to: escaped HTML (Hono's `html` templates, no JSX runtime). */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export function Layout(props: { title: string; body: Html; signedIn?: boolean }): Html {
  const nav = props.signedIn
    ? html`<a href="/dashboard">Events</a><a href="/dashboard/shipments">Shipments</a
        ><a href="/dashboard/quarantine">Quarantine</a
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
          ${raw(CSS)}
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
