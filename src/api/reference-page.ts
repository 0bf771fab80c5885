import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

// The API reference, rendered on the server from the OpenAPI document: no script, nothing loaded
// from another origin, so it works offline and a third party's release can never run on this origin.

interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  description?: string;
  format?: string;
  default?: unknown;
  pattern?: string;
}
interface Parameter {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema: Schema;
}
interface Operation {
  summary: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
}
export interface OpenApiDocument {
  info: { title: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

export const REFERENCE_CSS = `
*{box-sizing:border-box}body{margin:0;font:14px/1.5 system-ui,sans-serif;color:#1d2330;background:#f6f7f9}
header{padding:14px 24px;background:#1d2330;color:#fff}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;color:#c9ced8}
header a{color:#9cc3ff}main{display:grid;grid-template-columns:250px minmax(0,1fr);gap:24px;padding:16px 24px;max-width:1300px}
nav a{display:block;padding:3px 0;color:#1d2330;text-decoration:none;font-size:13px}nav a:hover{text-decoration:underline}
section{background:#fff;border:1px solid #e3e6eb;padding:12px 16px;margin-bottom:16px}h2{font-size:16px;margin:0 0 6px}h3{font-size:14px;margin:14px 0 6px}
.m{display:inline-block;min-width:46px;padding:1px 6px;margin-right:6px;border-radius:4px;color:#fff;font:600 12px ui-monospace,monospace;text-align:center}
.m.get{background:#2f7de1}.m.post{background:#1c9c6b}.m.patch{background:#b7791f}.m.delete{background:#c53030}code,pre{font-family:ui-monospace,monospace;font-size:12px}
pre{background:#f6f7f9;border:1px solid #e3e6eb;padding:8px;overflow:auto;margin:4px 0}
table{border-collapse:collapse;width:100%}td code{white-space:normal;overflow-wrap:anywhere}small{color:#555;margin-left:6px}.a{margin:4px 0}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e3e6eb;vertical-align:top}th{background:#eef0f4}
`;

const refName = (ref: string) => ref.replace("#/components/schemas/", "");

/** A JSON Schema as a short TypeScript-like type, for reading rather than for machines. */
function typeText(s: Schema, indent = ""): string {
  if (s.$ref) return refName(s.$ref);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return alternatives.map((a) => typeText(a, indent)).join(" | ");
  if (s.enum) return s.enum.map((e) => JSON.stringify(e)).join(" | ");
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.type === "array") return `${s.items ? wrap(typeText(s.items, indent)) : "unknown"}[]`;
  if (s.type === "object" || s.properties) {
    if (!s.properties) {
      const values = typeof s.additionalProperties === "object" ? typeText(s.additionalProperties, indent) : "unknown";
      return `{ [key: string]: ${values} }`;
    }
    const inner = `${indent}  `;
    const lines = Object.entries(s.properties).map(([name, p]) => {
      const optional = s.required?.includes(name) ? "" : "?";
      const note = p.description ? `  // ${p.description}` : "";
      return `${inner}${name}${optional}: ${typeText(p, inner)}${note}`;
    });
    return `{\n${lines.join("\n")}\n${indent}}`;
  }
  if (Array.isArray(s.type)) return s.type.join(" | ");
  if (s.type) return s.format ? `${s.type} (${s.format})` : s.type;
  return "unknown";
}
const wrap = (t: string) => (t.includes(" | ") ? `(${t})` : t);

/** Text whose `backticks` mark code, as the document's descriptions write it. */
function prose(text: string): Html[] {
  return text.split("`").map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : html`${part}`));
}

const anchor = (method: string, path: string) => `${method}${path.replace(/[^a-z0-9]+/gi, "-")}`;
const badge = (method: string) => html`<span class="m ${method}">${method.toUpperCase()}</span>`;

function parameterTable(parameters: Parameter[]): Html {
  return html`<table>
    <thead>
      <tr><th>name</th><th>in</th><th>type</th><th>meaning</th></tr>
    </thead>
    <tbody>
      ${parameters.map(
        (p) => html`<tr>
          <td><code>${p.name}</code>${p.required ? " (required)" : ""}</td>
          <td>${p.in}</td>
          <td>
            <code>${typeText(p.schema)}</code>${
              p.schema.default !== undefined ? html`<small>default ${String(p.schema.default)}</small>` : ""
            }
          </td>
          <td>${prose(p.description ?? "")}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

function content(types?: Record<string, { schema: Schema }>): Html[] {
  return Object.entries(types ?? {}).map(
    ([type, { schema }]) => html`<div><small>${type}</small></div>
      <pre>${typeText(schema)}</pre>`,
  );
}

function operation(path: string, method: string, op: Operation): Html {
  return html`<section id="${anchor(method, path)}">
    <h2>${badge(method)}<code>/api${path}</code></h2>
    <p>${op.summary}</p>
    ${op.description ? html`<p>${prose(op.description)}</p>` : ""}
    ${op.parameters ? html`<h3>Parameters</h3>${parameterTable(op.parameters)}` : ""}
    ${op.requestBody ? html`<h3>Body${op.requestBody.required ? "" : " (optional)"}</h3>${content(op.requestBody.content)}` : ""}
    <h3>Answers</h3>
    ${Object.entries(op.responses).map(
      ([status, r]) =>
        html`<div class="a">
          <strong>${status}</strong> ${prose(r.description)} ${status < "400" ? content(r.content) : ""}
        </div>`,
    )}
  </section>`;
}

export function ReferencePage(props: { doc: OpenApiDocument; documentUrl: string }): Html {
  const { doc } = props;
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${doc.info.title}</title>
        <style>${raw(REFERENCE_CSS)}</style>
      </head>
      <body>
        <header>
          <h1>${doc.info.title}</h1>
          <p>
            ${prose(doc.info.description ?? "")} The machine-readable document:
            <a href="${props.documentUrl}">${props.documentUrl}</a> (OpenAPI 3.1, paths relative to <code>/api</code>).
          </p>
        </header>
        <main>
          <nav>
            ${operations.map(({ path, method }) => html`<a href="#${anchor(method, path)}">${badge(method)}${path}</a>`)}
            <a href="#schemas">Schemas</a>
          </nav>
          <div>
            ${operations.map(({ path, method, op }) => operation(path, method, op))}
            <section id="schemas">
              <h2>Schemas</h2>
              ${Object.entries(doc.components.schemas).map(
                ([name, schema]) => html`<h3 id="schema-${name}">${name}</h3>
                  <pre>${typeText(schema)}</pre>`,
              )}
            </section>
          </div>
        </main>
      </body>
    </html>`;
}
