import { html } from "hono/html";
import { CARRIERS } from "../carriers";
import { CANONICAL_STATUSES, EVENT_TYPES } from "../events/normalized-event";
import type { ApiDestination } from "../operator/response-schemas";
import type { Html } from "./layout";

/** A filter in words: "every event", or each list given. */
export function filterText(filter: ApiDestination["filter"]): string {
  if (filter === null) return "every event";
  const parts: string[] = [];
  if (filter.carriers) parts.push(`carriers: ${filter.carriers.join(", ")}`);
  if (filter.statuses) parts.push(`statuses: ${filter.statuses.join(", ")}`);
  if (filter.types) parts.push(`types: ${filter.types.join(", ")}`);
  return parts.join(" · ");
}

/** Paused, or its health (up, down, refusing). */
export function HealthBadge(d: ApiDestination): Html {
  return d.paused
    ? html`<span class="health paused">paused</span>`
    : html`<span class="health ${d.health}">${d.health}</span>`;
}

function MultiSelect(name: string, label: string, options: readonly string[], chosen: readonly string[] = []): Html {
  return html`<label
    >${label} (none: any)
    <select name="${name}" multiple size="5">
      ${options.map((o) => html`<option value="${o}" ${chosen.includes(o) ? "selected" : ""}>${o}</option>`)}
    </select></label
  >`;
}

/** The filter's three lists as multiple selects (form fields `carriers`, `statuses`, `types`). */
export function FilterFields(filter: ApiDestination["filter"] | undefined): Html {
  return html`${MultiSelect("carriers", "carriers", CARRIERS, filter?.carriers)}
  ${MultiSelect("statuses", "statuses", CANONICAL_STATUSES, filter?.statuses)}
  ${MultiSelect("types", "types", EVENT_TYPES, filter?.types)}`;
}

/** A secret shown the one time it is ever shown. */
export function NewSecret(props: { name: string; secret?: string }): Html | string {
  if (!props.secret) return "";
  return html`<div class="secret" role="status" id="new-secret">
    <strong>Signing secret of ${props.name}</strong>, shown this once: store it where the receiver verifies
    signatures (Standard Webhooks).
    <code>${props.secret}</code>
  </div>`;
}

export function PauseButton(d: ApiDestination, back: string): Html {
  return html`<form method="post" action="/dashboard/destinations/${d.id}/${d.paused ? "resume" : "pause"}" class="inline">
    <input type="hidden" name="back" value="${back}" />
    <button type="submit">${d.paused ? "Resume" : "Pause"}</button>
  </form>`;
}
