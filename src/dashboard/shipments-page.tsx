import { CANONICAL_STATUSES, CARRIERS } from "../events/normalized-event";
import type { ShipmentRow } from "../operator/response-schemas";
import { Issues, Layout } from "./layout";
import { PRESETS } from "./shipment-presets";

/** How long ago, as days and hours ("3 d 4 h", "5 h", "< 1 h"). */
export function waitedText(since: string, now: Date): string {
  const hours = Math.floor((now.getTime() - Date.parse(since)) / 3_600_000);
  if (hours < 1) return "< 1 h";
  const days = Math.floor(hours / 24);
  return days > 0 ? `${days} d ${hours % 24} h` : `${hours} h`;
}

export function shipmentHref(row: { tracking_number: string; carrier: string }): string {
  return `/dashboard/shipments/${encodeURIComponent(row.tracking_number)}?${new URLSearchParams({ carrier: row.carrier })}`;
}

export interface ShownSection {
  title: string;
  rows: ShipmentRow[];
  waited?: boolean;
  /** The whole list of this section, paged (when more rows match than shown). */
  moreHref?: string | null;
}

function ShipmentTable(props: { section: ShownSection; now: Date }) {
  const { section } = props;
  return (
    <section class="shipments">
      <h2>
        {section.title}{" "}
        <small>
          ({section.rows.length}
          {section.moreHref ? "+" : ""})
        </small>
      </h2>
      {section.rows.length === 0 ? (
        <p class="empty">None.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>tracking number</th>
              <th>carrier</th>
              <th>status</th>
              <th>carrier status</th>
              <th>last carrier event</th>
              {section.waited && <th>waiting</th>}
            </tr>
          </thead>
          <tbody>
            {section.rows.map((s) => (
              <tr>
                <td class="mono">
                  <a href={shipmentHref(s)}>{s.tracking_number}</a>
                </td>
                <td>{s.carrier}</td>
                <td>
                  <span class={`status ${s.status}`}>{s.status}</span>
                </td>
                <td>{s.carrier_status ?? "–"}</td>
                <td class="mono">{s.last_event_at}</td>
                {section.waited && <td class="waited">{waitedText(s.last_event_at, props.now)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {section.moreHref && (
        <p>
          <a href={section.moreHref}>More →</a>
        </p>
      )}
    </section>
  );
}

export function ShipmentsPage(props: {
  preset?: string;
  query: Record<string, string>;
  sections: ShownSection[];
  csvHref?: string;
  issues?: { path: string; message: string }[];
  now: Date;
}) {
  const q = props.query;
  const selected = new Set((q.status ?? "").split(","));
  return (
    <Layout title="Shipments" signedIn>
      <h1>Shipments</h1>
      <nav class="presets" aria-label="Presets">
        {PRESETS.map((p) => (
          <a href={`/dashboard/shipments?preset=${p.name}`} class={p.name === props.preset ? "on" : ""}>
            {p.label}
          </a>
        ))}
      </nav>
      <Issues issues={props.issues} />
      <form method="get" action="/dashboard/shipments" class="filters">
        <label>
          carrier
          <select name="carrier">
            <option value="">any</option>
            {CARRIERS.map((c) => (
              <option value={c} selected={c === q.carrier}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          status (one or more)
          <select name="status" multiple size={3}>
            {CANONICAL_STATUSES.map((s) => (
              <option value={s} selected={selected.has(s)}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          quiet for hours
          <input name="quiet_for_hours" value={q.quiet_for_hours ?? ""} size={5} inputmode="numeric" />
        </label>
        <label>
          updated since (UTC ISO)
          <input name="updated_since" value={q.updated_since ?? ""} placeholder="2026-11-23T00:00:00Z" />
        </label>
        <button type="submit">Filter</button>
        {props.csvHref && (
          <a class="csv" href={props.csvHref}>
            Download CSV
          </a>
        )}
      </form>
      {props.sections.map((section) => (
        <ShipmentTable section={section} now={props.now} />
      ))}
    </Layout>
  );
}
