import type { Delivery } from "./types";

export interface SendResult {
  delivery: Delivery;
  /** HTTP status, or 0 when no answer came (connection refused, timeout). */
  status: number;
  /** `accepted` / `duplicate` on 200, the error code otherwise. */
  outcome: string;
  eventId?: string;
  ms: number;
}

export interface SendOptions {
  concurrency: number;
  /** Requests per second at most (0 = as fast as the concurrency allows). */
  rate?: number;
  timeoutMs?: number;
  onResult?: (r: SendResult, done: number) => void;
}

/** Sends every delivery with bounded concurrency (and an optional rate), in plan order. */
export async function sendAll(baseUrl: string, deliveries: Delivery[], opts: SendOptions): Promise<SendResult[]> {
  const results: SendResult[] = new Array(deliveries.length);
  const started = performance.now();
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < deliveries.length) {
      const i = next++;
      const d = deliveries[i] as Delivery;
      if (opts.rate && opts.rate > 0) {
        const due = started + (i / opts.rate) * 1000;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      const r = await sendOne(baseUrl, d, opts.timeoutMs ?? 30_000);
      results[i] = r;
      done++;
      opts.onResult?.(r, done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker));
  return results;
}

export async function sendOne(baseUrl: string, d: Delivery, timeoutMs = 30_000): Promise<SendResult> {
  const t0 = performance.now();
  try {
    const res = await fetch(`${baseUrl}${d.path}`, {
      method: d.method,
      headers: d.headers,
      body: d.method === "GET" || d.method === "HEAD" ? undefined : d.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    const ms = performance.now() - t0;
    let json: { status?: string; event_id?: string; error?: { code?: string } } = {};
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON: reported as such
    }
    const outcome = res.status === 200 ? (json.status ?? "ok") : (json.error?.code ?? "not_json");
    return { delivery: d, status: res.status, outcome, eventId: json.event_id, ms };
  } catch (err) {
    const name = (err as Error)?.name === "TimeoutError" ? "timeout" : "network_error";
    return { delivery: d, status: 0, outcome: name, ms: performance.now() - t0 };
  }
}
