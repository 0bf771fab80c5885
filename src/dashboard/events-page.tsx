import { CANONICAL_STATUSES, CARRIERS, DELIVERY_STATES, EVENT_TYPES } from "../events/normalized-event";
import { EVENT_FILTERS } from "../operator/query-schemas";
import type { ApiEvent, Stats } from "../operator/response-schemas";
import { Charts } from "./charts";
import { Issues, Layout } from "./layout";
import { Overview, ShipmentCounts } from "./overview";
import { shipmentHref } from "./shipments-page";

function HiddenFields(props: { fields: Record<string, string> }) {
  return (
    <>
      {Object.entries(props.fields).map(([k, v]) => (
        <input type="hidden" name={k} value={v} />
      ))}
    </>
  );
}

/** What a bulk replay did, and a button to go on when more events match. */
function BulkNotice(props: { replayed: number; next: string | null; filter: Record<string, string> }) {
  return (
    <div class="notice" role="status" id="bulk-notice">
      Replayed {props.replayed} {props.replayed === 1 ? "event" : "events"}: queued again, same ids.
      {props.next && (
        <form method="post" action="/dashboard/replay">
          More events match. <HiddenFields fields={{ ...props.filter, cursor: props.next }} />
          <button type="submit">Replay the next 500</button>
        </form>
      )}
    </div>
  );
}

function Select(props: { name: string; options: readonly string[]; value?: string }) {
  return (
    <label>
      {props.name}
      <select name={props.name}>
        <option value="">any</option>
        {props.options.map((o) => (
          <option value={o} selected={o === props.value}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

export function EventsPage(props: {
  query: Record<string, string>;
  events: ApiEvent[];
  nextCursor: string | null;
  issues?: { path: string; message: string }[];
  bulk?: { replayed: number; next: string | null; filter: Record<string, string> };
  stats: Stats;
  now: Date;
}) {
  const q = props.query;
  const filterOnly = Object.fromEntries(EVENT_FILTERS.filter((f) => q[f]).map((f) => [f, q[f] as string]));
  const older = props.nextCursor && `?${new URLSearchParams({ ...filterOnly, cursor: props.nextCursor })}`;
  return (
    <Layout title="Events" signedIn>
      <Charts
        eventsPerHour={props.stats.events_per_hour}
        rejectedPerHour={props.stats.rejections.per_hour}
        now={props.now}
      />
      <p>
        Last 24 h: {props.stats.events.total} events, {props.stats.rejections.total} rejected requests
        {props.stats.rejections.by_reason.slice(0, 5).map((r) => ` · ${r.carrier} ${r.status} ${r.code}: ${r.count}`)}
      </p>
      <Overview stats={props.stats} />
      <ShipmentCounts stats={props.stats} />
      <h1>Events</h1>
      {props.bulk && <BulkNotice {...props.bulk} />}
      <Issues issues={props.issues} />
      <form method="get" action="/dashboard" class="filters">
        <Select name="carrier" options={CARRIERS} value={q.carrier} />
        <Select name="type" options={EVENT_TYPES} value={q.type} />
        <Select name="status" options={CANONICAL_STATUSES} value={q.status} />
        <Select name="state" options={DELIVERY_STATES} value={q.state} />
        <label>
          tracking_number
          <input name="tracking_number" value={q.tracking_number ?? ""} />
        </label>
        <label>
          since (UTC ISO)
          <input name="since" value={q.since ?? ""} placeholder="2026-11-23T06:00:00Z" />
        </label>
        <label>
          until
          <input name="until" value={q.until ?? ""} />
        </label>
        <button type="submit">Filter</button>
      </form>
      {Object.keys(filterOnly).length > 0 && (
        <form method="post" action="/dashboard/replay" class="filters">
          <HiddenFields fields={filterOnly} />
          <button type="submit">Replay all matching (up to 500)</button>
        </form>
      )}
      <table>
        <thead>
          <tr>
            <th>received</th>
            <th>carrier</th>
            <th>type</th>
            <th>status</th>
            <th>tracking number</th>
            <th>state</th>
            <th>event</th>
          </tr>
        </thead>
        <tbody>
          {props.events.map((e) => (
            <tr>
              <td class="mono">{e.received_at}</td>
              <td>{e.carrier}</td>
              <td>{e.type}</td>
              <td>{e.status ?? "–"}</td>
              <td class="mono">
                {e.tracking_number ? (
                  <a href={shipmentHref({ tracking_number: e.tracking_number, carrier: e.carrier })}>
                    {e.tracking_number}
                  </a>
                ) : (
                  "–"
                )}
              </td>
              <td>
                <span class={`state ${e.state}`}>{e.state}</span>
              </td>
              <td class="mono">
                <a href={`/dashboard/events/${e.id}`}>{e.id}</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.events.length === 0 && <p>No events match.</p>}
      {older && (
        <p>
          <a href={`/dashboard${older}`}>Older →</a>
        </p>
      )}
    </Layout>
  );
}
