import { ALERT_INTERVAL_MS, type Alert, alertSubject, STORAGE_HIGH_SHARE } from "./alert";
import type { DeadRow, DestinationRow, LastEventRow, RejectedRow, SentRow, StalledRow } from "./db/alert-queries";

export interface ConditionRows {
  dead: DeadRow[];
  rejected: RejectedRow[];
  lastEvents: LastEventRow[];
  stalled: StalledRow | undefined;
  destinations: DestinationRow[];
  sent: SentRow[];
  /** The database's size as D1 reported it with these results. */
  databaseBytes: number | null;
}

export interface AlertSettings {
  carrierSilenceHours: number;
  storageBudgetBytes: number;
}

const iso = (at: string) => new Date(at).toISOString();
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The alerts the condition rows call for at `now`, leaving out any sent for the same condition and
 * carrier within the hour, and a carrier_silent already sent for the same silence.
 */
export function evaluateAlerts(rows: ConditionRows, settings: AlertSettings, now: Date): Alert[] {
  const alerts: Alert[] = [];

  for (const r of rows.dead) {
    alerts.push({
      text: `parcelhook: ${plural(r.n, `${r.carrier} event`)} went dead (every forward failed); replay from the operator API`,
      alert: "events_dead",
      carrier: r.carrier,
      count: r.n,
      since: iso(r.first),
      details: {},
    });
  }

  for (const r of rows.rejected) {
    const count = r.unauthorized + r.forbidden;
    const status = r.forbidden > r.unauthorized ? 403 : 401;
    alerts.push({
      text: `parcelhook: ${plural(count, `${r.carrier} request`)} refused (${status}) since the last one accepted; check its secret on both sides`,
      alert: "sender_rejected",
      carrier: r.carrier,
      count,
      since: iso(r.first_at),
      details: { status },
    });
  }

  const silentBefore = now.getTime() - settings.carrierSilenceHours * 3_600_000;
  for (const r of rows.lastEvents) {
    if (r.last === null || new Date(r.last).getTime() >= silentBefore) continue;
    const hours = Math.floor((now.getTime() - new Date(r.last).getTime()) / 3_600_000);
    alerts.push({
      text: `parcelhook: no ${r.carrier} webhook for ${plural(hours, "hour")} (last at ${iso(r.last)})`,
      alert: "carrier_silent",
      carrier: r.carrier,
      count: hours,
      since: iso(r.last),
      details: { silence_hours: settings.carrierSilenceHours },
    });
  }

  for (const d of rows.destinations) {
    if (d.health === "down" && d.held > 0) {
      alerts.push({
        text: `parcelhook: delivery stalled: destination ${d.destination} is down, ${plural(d.held, "delivery", "deliveries")} held${d.status ? ` (last answer ${d.status})` : ""}; they are delivered once it answers again`,
        alert: "delivery_stalled",
        carrier: null,
        count: d.held,
        since: iso(d.since ?? now.toISOString()),
        details: { destination: d.destination, held: d.held, status: d.status },
      });
    }
    if (d.health === "refusing" && d.fault !== null) {
      alerts.push({
        text: `parcelhook: nothing can be sent to destination ${d.destination}: ${d.error ?? d.fault}; ${plural(d.held, "delivery", "deliveries")} held until it is fixed`,
        alert: "destination_refusing",
        carrier: null,
        count: d.held,
        since: iso(d.since ?? now.toISOString()),
        details: { destination: d.destination, reason: d.fault, error: d.error, held: d.held },
      });
    } else if (d.health === "refusing") {
      alerts.push({
        text: `parcelhook: destination ${d.destination} refuses every event (${d.status ?? "4xx"}): check its URL and signing secret; ${plural(d.held, "delivery", "deliveries")} held until it accepts again`,
        alert: "destination_refusing",
        carrier: null,
        count: d.held,
        since: iso(d.since ?? now.toISOString()),
        details: { destination: d.destination, status: d.status, held: d.held },
      });
    }
  }

  const s = rows.stalled;
  if (s && s.waiting > 0) {
    alerts.push({
      text: `parcelhook: delivery stalled: ${plural(s.waiting, "event")} not picked up by the consumer for over 15 minutes`,
      alert: "delivery_stalled",
      carrier: null,
      count: s.waiting,
      since: iso(s.waiting_since ?? now.toISOString()),
      details: { waiting: s.waiting },
    });
  }

  const bytes = rows.databaseBytes;
  if (bytes !== null && bytes > settings.storageBudgetBytes * STORAGE_HIGH_SHARE) {
    const percent = Math.round((bytes / settings.storageBudgetBytes) * 100);
    alerts.push({
      text: `parcelhook: the database holds ${bytes} bytes, ${percent} % of its ${settings.storageBudgetBytes}-byte budget; lower RETENTION_DAYS or raise STORAGE_BUDGET_BYTES`,
      alert: "storage_high",
      carrier: null,
      count: bytes,
      since: now.toISOString(),
      details: { bytes, budget_bytes: settings.storageBudgetBytes, percent },
    });
  }

  const sentAfter = now.getTime() - ALERT_INTERVAL_MS;
  const sent = new Map(rows.sent.map((r) => [`${r.alert}|${r.carrier}`, r]));
  return alerts.filter((a) => {
    const last = sent.get(`${a.alert}|${alertSubject(a)}`);
    if (!last || last.sent_at === "") return true;
    if (new Date(last.sent_at).getTime() > sentAfter) return false;
    // A silence is reported once, not every hour it lasts.
    return !(a.alert === "carrier_silent" && last.since === a.since);
  });
}
