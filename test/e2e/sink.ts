// Node side: a local HTTP downstream for FORWARD_URL. It records every request, checks each
// Standard Webhooks signature twice (with svix, the library a receiving team would use, and with
// node:crypto straight from the spec; the Worker signs with WebCrypto, so both are independent of
// the signer), and can fail on purpose to exercise retries.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import { Webhook } from "svix";

export interface SinkBehaviour {
  /** Answer the first N deliveries of each webhook-id with `failStatus`, then 200. */
  failFirst?: number;
  /** Answer every delivery with `failStatus`. */
  alwaysFail?: boolean;
  /** Status of a failed answer (default 503). */
  failStatus?: number;
  /** Hold the answer to the first delivery of each webhook-id this long (to exceed the sender's timeout). */
  delayFirstMs?: number;
}

export interface SinkOptions extends SinkBehaviour {
  port: number;
  /** FORWARD_SIGNING_SECRET (`whsec_` + base64). */
  secret: string;
}

export interface SinkRequest {
  at: number;
  webhookId: string;
  timestamp: string;
  signature: string;
  contentType: string;
  body: string;
  /** svix's Webhook.verify accepted it (timestamp within 5 minutes included). */
  svixVerified: boolean;
  /** The HMAC recomputed with node:crypto matched one of the `v1,` signatures. */
  specVerified: boolean;
  /** What the sink answered. */
  status: number;
}

export interface Sink {
  url: string;
  requests: SinkRequest[];
  /** Deliveries of one webhook-id, in arrival order. */
  deliveriesOf(id: string): SinkRequest[];
  /** Changes how later requests are answered. */
  behave(b: SinkBehaviour): void;
  /** Resolves once `check()` is true (polled), rejects after `timeoutMs`. */
  waitFor(check: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  stop(): Promise<void>;
}

export function verifySpec(secret: string, id: string, timestamp: string, body: string, signature: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = Buffer.from(createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64"));
  return signature.split(" ").some((s) => {
    const [version, value] = s.split(",", 2);
    const got = Buffer.from(value ?? "");
    return version === "v1" && got.length === expected.length && timingSafeEqual(got, expected);
  });
}

export async function startSink(opts: SinkOptions): Promise<Sink> {
  const svix = new Webhook(opts.secret);
  let behaviour: SinkBehaviour = {
    failFirst: opts.failFirst,
    alwaysFail: opts.alwaysFail,
    failStatus: opts.failStatus,
    delayFirstMs: opts.delayFirstMs,
  };
  const requests: SinkRequest[] = [];
  const seen = new Map<string, number>();

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const header = (name: string) => String(req.headers[name] ?? "");
    const webhookId = header("webhook-id");
    const timestamp = header("webhook-timestamp");
    const signature = header("webhook-signature");
    let svixVerified = true;
    try {
      svix.verify(body, { "webhook-id": webhookId, "webhook-timestamp": timestamp, "webhook-signature": signature });
    } catch {
      svixVerified = false;
    }
    const n = (seen.get(webhookId) ?? 0) + 1;
    seen.set(webhookId, n);
    const fail = behaviour.alwaysFail || n <= (behaviour.failFirst ?? 0);
    const status = fail ? (behaviour.failStatus ?? 503) : 200;
    requests.push({
      at: Date.now(),
      webhookId,
      timestamp,
      signature,
      contentType: header("content-type"),
      body,
      svixVerified,
      specVerified: verifySpec(opts.secret, webhookId, timestamp, body, signature),
      status,
    });
    if (n === 1 && behaviour.delayFirstMs) await new Promise((r) => setTimeout(r, behaviour.delayFirstMs));
    if (res.destroyed) return;
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: !fail }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, "127.0.0.1", () => resolve());
  });

  return {
    url: `http://127.0.0.1:${opts.port}/hooks/parcelhook`,
    requests,
    deliveriesOf: (id) => requests.filter((r) => r.webhookId === id),
    behave(b) {
      behaviour = b;
    },
    async waitFor(check, timeoutMs = 30_000, what = "the sink's condition") {
      const deadline = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
