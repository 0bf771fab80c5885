import { ALERT_INTERVAL_MS, type Alert, STORAGE_HIGH_SHARE } from "./alert";
import type { DeadRow, LastEventRow, RejectedRow, SentRow, StalledRow } from "./db/alert-queries";

export interface ConditionRows {
  dead: DeadRow[];
  rejected: RejectedRow[];
  lastEvents: LastEventRow[];
  stalled: StalledRow | undefined;
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

  const s = rows.stalled;
  if (s && s.held + s.waiting > 0) {
    const parts: string[] = [];
    if (s.held > 0) parts.push(`${plural(s.held, "event")} held while the downstream is down`);
    if (s.waiting > 0) parts.push(`${plural(s.waiting, "event")} not picked up by the consumer for over 15 minutes`);
    const since = [s.held_since, s.waiting_since].filter((x): x is string => x !== null).sort()[0] ?? now.toISOString();
    alerts.push({
      text: `parcelhook: delivery stalled: ${parts.join("; ")}`,
      alert: "delivery_stalled",
      carrier: null,
      count: s.held + s.waiting,
      since: iso(since),
      details: { held: s.held, waiting: s.waiting },
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
    const last = sent.get(`${a.alert}|${a.carrier ?? ""}`);
    if (!last || last.sent_at === "") return true;
    if (new Date(last.sent_at).getTime() > sentAfter) return false;
    // A silence is reported once, not every hour it lasts.
    return !(a.alert === "carrier_silent" && last.since === a.since);
  });
}
