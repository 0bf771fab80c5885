import { webhookSigner } from "../consumer/sign-webhook";
import { errorText } from "../errors/error-text";
import type { Alert } from "./alert";

/**
 * POSTs one alert as JSON, signed with the Standard Webhooks headers when ALERT_SIGNING_SECRET is
 * set (the same signer as forwarded events, never their key: whoever receives alerts, a Slack
 * relay say, must not hold headers that a destination would accept). Returns null on a 2xx, else
 * what went wrong.
 */
export async function sendAlert(
  url: string,
  alert: Alert,
  opts: { signingSecret: string | null; timeoutMs: number; at: Date },
): Promise<string | null> {
  const body = JSON.stringify(alert);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (opts.signingSecret !== null) {
    const signer = webhookSigner(opts.signingSecret);
    if ("sign" in signer) Object.assign(headers, await signer.sign(`alert_${crypto.randomUUID()}`, body, opts.at));
  }
  try {
    const res = await fetch(url, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    await res.body?.cancel();
    return res.ok ? null : `HTTP ${res.status}`;
  } catch (err) {
    return errorText(err);
  }
}
