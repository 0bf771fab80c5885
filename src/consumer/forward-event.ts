import { errorText } from "../errors/error-text";
import type { NormalizedEvent } from "../events/normalized-event";
import type { WebhookSigner } from "./sign-webhook";

/** One forward attempt, as event_attempts records it. */
export interface ForwardOutcome {
  eventId: string;
  attemptedAt: string;
  ok: boolean;
  /** False when nothing was sent (no usable signing secret). */
  sent: boolean;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
  /** The answer's `Retry-After` header, when it had one. */
  retryAfter: string | null;
}

export interface ForwardTarget {
  url: string;
  /** The signer, or why there is none (then nothing is sent: never unsigned). */
  signer: { sign: WebhookSigner } | { error: string };
  timeoutMs: number;
  /** The runtime's fetch; a test passes a stand-in for the downstream. */
  fetch?: typeof fetch;
}

/**
 * POSTs one event, signed, to one destination. Never throws: a non-2xx answer, a network error or
 * no answer within the timeout is a failed outcome for the caller to retry. The timeout starts
 * here, so call it only when the request can actually go out (see `forwardAll`).
 */
export async function forwardEvent(event: NormalizedEvent, target: ForwardTarget): Promise<ForwardOutcome> {
  const started = new Date();
  const outcome = (
    ok: boolean,
    httpStatus: number | null,
    error: string | null,
    sent = true,
    retryAfter: string | null = null,
  ): ForwardOutcome => ({
    eventId: event.id,
    attemptedAt: started.toISOString(),
    ok,
    sent,
    httpStatus,
    error,
    durationMs: Math.max(0, Date.now() - started.getTime()),
    retryAfter,
  });
  if ("error" in target.signer) return outcome(false, null, target.signer.error, false);

  const body = JSON.stringify(event);
  try {
    const signature = await target.signer.sign(event.id, body, started);
    const res = await (target.fetch ?? fetch)(target.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...signature },
      body,
      // A redirect is a misconfigured destination URL: record it rather than send the signed event elsewhere.
      redirect: "manual",
      signal: AbortSignal.timeout(target.timeoutMs),
    });
    // The answer's body means nothing to us; release the connection.
    await res.body?.cancel();
    const ok = res.status >= 200 && res.status < 300;
    return outcome(ok, res.status, ok ? null : `HTTP ${res.status}`, true, res.headers.get("retry-after"));
  } catch (err) {
    const name = (err as Error)?.name;
    const error =
      name === "TimeoutError" || name === "AbortError" ? `no answer within ${target.timeoutMs} ms` : errorText(err);
    return outcome(false, null, error);
  }
}
