import type { Actor } from "../auth/actor";
import { readConfig } from "../config";
import type { Alert } from "./alert";
import { sendAlert } from "./send-alert";

/**
 * The alert for a bulk replay (to every destination, or to one), naming who did it: sent when the
 * replay starts (its first page, no `cursor`), not once per page of 500, so a replay of 40,000
 * events is one alert saying more matched. In the background (`waitUntil`): the replay's answer
 * never waits on ALERT_URL. Unset ALERT_URL: nothing.
 */
export function alertBulkReplay(
  env: Env,
  ctx: Pick<ExecutionContext, "waitUntil"> | undefined,
  replay: { by: Actor; filter: Record<string, unknown>; replayed: number; more: boolean; destination?: string },
  now = new Date(),
): void {
  const config = readConfig(env);
  if (config.alertUrl === null || ctx === undefined || replay.replayed === 0) return;
  const filter = Object.entries(replay.filter)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(", ");
  const to = replay.destination ? ` to ${replay.destination}` : "";
  const alert: Alert = {
    text:
      `parcelhook: ${replay.by.name} (${replay.by.id}) replayed ${replay.replayed} events${to} (${filter})` +
      (replay.more ? "; more match and follow page by page" : ""),
    alert: "bulk_replay",
    carrier: null,
    count: replay.replayed,
    since: now.toISOString(),
    details: {
      actor: replay.by.id,
      actor_name: replay.by.name,
      filter: replay.filter,
      more: replay.more,
      ...(replay.destination ? { destination: replay.destination } : {}),
    },
  };
  const url = config.alertUrl;
  ctx.waitUntil(
    sendAlert(url, alert, { signingSecret: config.alertSigningSecret, timeoutMs: config.timeoutMs, at: now }).then(
      (failed) => {
        if (failed !== null) console.warn(JSON.stringify({ msg: "alert_failed", alert: alert.alert, error: failed }));
      },
    ),
  );
}
