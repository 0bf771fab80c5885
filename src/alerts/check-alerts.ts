import { CARRIERS } from "../carriers";
import { readConfig } from "../config";
import { ALERT_INTERVAL_MS, type Alert, alertSubject, STALLED_AFTER_MS } from "./alert";
import {
  alertsSentQuery,
  type Claim,
  claimAlerts,
  type DeadRow,
  type DestinationRow,
  deadEventsQuery,
  type LastEventRow,
  lastEventsQuery,
  type RejectedRow,
  rejectedRunsQuery,
  releaseAlerts,
  type SentRow,
  type StalledRow,
  stalledDeliveryQuery,
  unhealthyDestinationsQuery,
} from "./db/alert-queries";
import { evaluateAlerts } from "./evaluate-alerts";
import { sendAlert } from "./send-alert";

/**
 * The alert cron job: evaluates every condition in one D1 batch (six statements), claims the
 * alerts due (one statement), POSTs them to ALERT_URL, and undoes the claim of any that failed (one
 * statement), so at most eight D1 statements a run. Unset ALERT_URL: nothing at all. Returns the
 * alerts delivered.
 */
export async function checkAlerts(env: Env, now = new Date()): Promise<Alert[]> {
  const config = readConfig(env);
  if (config.alertUrl === null) return [];
  const db = env.DB;
  const hourAgo = new Date(now.getTime() - ALERT_INTERVAL_MS);
  const [dead, rejected, lastEvents, stalled, destinations, sent] = await db.batch([
    deadEventsQuery(db, hourAgo.toISOString()),
    rejectedRunsQuery(db, hourAgo),
    lastEventsQuery(db, CARRIERS),
    stalledDeliveryQuery(db, new Date(now.getTime() - STALLED_AFTER_MS).toISOString()),
    unhealthyDestinationsQuery(db),
    alertsSentQuery(db),
  ]);
  const due = evaluateAlerts(
    {
      dead: (dead?.results ?? []) as DeadRow[],
      rejected: (rejected?.results ?? []) as RejectedRow[],
      lastEvents: (lastEvents?.results ?? []) as LastEventRow[],
      stalled: stalled?.results[0] as StalledRow | undefined,
      destinations: (destinations?.results ?? []) as DestinationRow[],
      sent: (sent?.results ?? []) as SentRow[],
      databaseBytes: sent?.meta.size_after ?? null,
    },
    config,
    now,
  );
  if (due.length === 0) return [];

  const key = (a: Pick<Alert, "alert" | "carrier" | "details">) => `${a.alert}|${alertSubject(a)}`;
  const claims: Claim[] = due.map((a) => ({
    alert: a.alert,
    carrier: alertSubject(a),
    since: a.since,
    count: a.count,
  }));
  const claimed = new Set(
    (await claimAlerts(db, claims, now.toISOString(), hourAgo.toISOString())).map((c) => `${c.alert}|${c.carrier}`),
  );
  const mine = due.filter((a) => claimed.has(key(a)));
  const outcomes = await Promise.all(
    mine.map((a) =>
      sendAlert(config.alertUrl as string, a, {
        signingSecret: config.alertSigningSecret,
        timeoutMs: config.timeoutMs,
        at: now,
      }),
    ),
  );
  const failed = mine.filter((_, i) => outcomes[i] !== null);
  for (const [i, a] of mine.entries()) {
    const error = outcomes[i];
    const line = {
      msg: error ? "alert_failed" : "alert_sent",
      alert: a.alert,
      carrier: a.carrier,
      count: a.count,
      error,
    };
    (error ? console.error : console.log)(JSON.stringify(line));
  }
  await releaseAlerts(
    db,
    failed.map((a) => ({ alert: a.alert, carrier: alertSubject(a), since: a.since, count: a.count })),
  );
  return mine.filter((a) => !failed.includes(a));
}
