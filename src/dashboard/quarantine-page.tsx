import type { QuarantinedDelivery } from "../operator/response-schemas";
import { Issues, Layout } from "./layout";

export function QuarantinePage(props: {
  deliveries: QuarantinedDelivery[];
  nextCursor: string | null;
  notice?: string;
  issues?: { path: string; message: string }[];
}) {
  return (
    <Layout title="Quarantine" signedIn>
      <h1>Quarantine</h1>
      {props.notice && (
        <div class="notice" role="status">
          {props.notice}
        </div>
      )}
      <Issues issues={props.issues} />
      <table>
        <thead>
          <tr>
            <th>received</th>
            <th>carrier</th>
            <th>issues</th>
            <th>raw body</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {props.deliveries.map((d) => (
            <tr>
              <td class="mono">{d.received_at}</td>
              <td>{d.carrier}</td>
              <td>
                {d.issues.map((i) => (
                  <div>
                    <code>{i.path}</code>: {i.message}
                  </div>
                ))}
              </td>
              <td>
                <pre>{d.raw_body.slice(0, 2000)}</pre>
              </td>
              <td>
                {d.resolved_event_id ? (
                  <a href={`/dashboard/events/${d.resolved_event_id}`}>resolved</a>
                ) : (
                  <form method="post" action={`/dashboard/quarantine/${d.id}/retry`}>
                    <button type="submit">Retry</button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.deliveries.length === 0 && <p>Nothing in quarantine.</p>}
      {props.nextCursor && (
        <p>
          <a href={`/dashboard/quarantine?${new URLSearchParams({ cursor: props.nextCursor })}`}>Older →</a>
        </p>
      )}
    </Layout>
  );
}
