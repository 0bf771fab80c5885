import type { EventDetail } from "../operator/response-schemas";
import { Layout } from "./layout";
import { shipmentHref } from "./shipments-page";

export function EventPage(props: { detail: EventDetail; notice?: string }) {
  const { event, attempts, replays } = props.detail;
  return (
    <Layout title={event.id} signedIn>
      <h1>
        Event <code>{event.id}</code>
      </h1>
      {props.notice && (
        <div class="notice" role="status">
          {props.notice}
        </div>
      )}
      <form method="post" action={`/dashboard/events/${event.id}/replay`}>
        <button type="submit">Replay this event</button>
      </form>
      <dl>
        <dt>state</dt>
        <dd>
          <span class={`state ${event.state}`}>{event.state}</span>
        </dd>
        <dt>carrier</dt>
        <dd>{event.carrier}</dd>
        <dt>type</dt>
        <dd>{event.type}</dd>
        <dt>status</dt>
        <dd>
          {event.status ?? "–"} ({event.carrier_status ?? "–"}){event.reason ? `: ${event.reason}` : ""}
        </dd>
        <dt>tracking number</dt>
        <dd>
          {event.tracking_number ? (
            <a href={shipmentHref({ tracking_number: event.tracking_number, carrier: event.carrier })}>
              {event.tracking_number}
            </a>
          ) : (
            "–"
          )}
        </dd>
        <dt>occurred at (carrier)</dt>
        <dd>{event.occurred_at}</dd>
        <dt>received at</dt>
        <dd>{event.received_at}</dd>
        <dt>duplicates</dt>
        <dd>{props.detail.duplicates}</dd>
      </dl>
      <h2>Forward attempts</h2>
      {attempts.length === 0 ? (
        <p>None yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>time</th>
              <th>kind</th>
              <th>HTTP status</th>
              <th>error</th>
              <th>duration</th>
            </tr>
          </thead>
          <tbody>
            {attempts.map((a) => (
              <tr>
                <td class="mono">{a.attempted_at}</td>
                <td>{a.kind}</td>
                <td>{a.http_status ?? "–"}</td>
                <td>{a.error ?? "–"}</td>
                <td>{a.duration_ms == null ? "–" : `${a.duration_ms} ms`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Replays</h2>
      {replays.length === 0 ? (
        <p>Never replayed.</p>
      ) : (
        <ul id="replays">
          {replays.map((r) => (
            <li class="mono">Replayed at {r.replayed_at}</li>
          ))}
        </ul>
      )}
      <h2>Normalized event</h2>
      <pre>{JSON.stringify(event, null, 2)}</pre>
      <h2>Raw body as received</h2>
      <pre>
        {props.detail.raw_json === null ? props.detail.raw_body : JSON.stringify(props.detail.raw_json, null, 2)}
      </pre>
    </Layout>
  );
}
