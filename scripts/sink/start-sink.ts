// A local HTTP sink to stand as FORWARD_URL: records every forward and checks its Standard Webhooks
// signature with the `standardwebhooks` library (the reference implementation, not our own code).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface Received {
  webhookId: string;
  /** The event id inside the body; must equal `webhook-id`. */
  bodyId: string | null;
  signatureValid: boolean;
  /** What the sink answered. */
  status: number;
  at: number;
  event: Record<string, unknown> | null;
}

/** `ok`: 204; `down`: 503 to everything; `unauthorized`: 401 to everything (a rotated key). */
export type SinkMode = "ok" | "down" | "unauthorized";

export interface Sink {
  url: string;
  received: Received[];
  setMode(mode: SinkMode): void;
  /** Answer every request this many milliseconds late (a slow downstream). */
  setDelay(ms: number): void;
  /** Answer `status` (422) to the events this says yes to, whatever the mode (refused one by one). */
  refuseWhen(refuse: ((event: Record<string, unknown> | null) => boolean) | null, status?: number): void;
  /** The most requests the sink was answering at once. */
  maxInFlight(): number;
  /** Successful (2xx) forwards per webhook-id. */
  acceptedById(): Map<string, number>;
  stop(): Promise<void>;
}

export async function startSink(opts: { port: number; signingSecret: string; host?: string }): Promise<Sink> {
  const verifier = new Webhook(opts.signingSecret);
  let mode: SinkMode = "ok";
  let delayMs = 0;
  let refuse: ((event: Record<string, unknown> | null) => boolean) | null = null;
  let refuseStatus = 422;
  let inFlight = 0;
  let maxInFlight = 0;
  const received: Received[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on("close", () => {
      inFlight--;
    });
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      const body = Buffer.concat(chunks).toString("utf8");
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
      let signatureValid = true;
      try {
        verifier.verify(body, headers);
      } catch {
        signatureValid = false;
      }
      let event: Record<string, unknown> | null = null;
      try {
        event = JSON.parse(body);
      } catch {
        event = null;
      }
      const status = refuse?.(event) ? refuseStatus : mode === "ok" ? 204 : mode === "down" ? 503 : 401;
      received.push({
        webhookId: headers["webhook-id"] ?? "",
        bodyId: typeof event?.id === "string" ? event.id : null,
        signatureValid,
        status,
        at: Date.now(),
        event,
      });
      res.writeHead(status, { "content-type": "application/json" });
      res.end(status === 204 ? undefined : JSON.stringify({ error: `sink answers ${status} (injected)` }));
    });
  };
  const server = createServer(handle);
  server.keepAliveTimeout = 5000;
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/sink`,
    received,
    setMode(m) {
      mode = m;
    },
    setDelay(ms) {
      delayMs = ms;
    },
    refuseWhen(r, status = 422) {
      refuse = r;
      refuseStatus = status;
    },
    maxInFlight: () => maxInFlight,
    acceptedById() {
      const counts = new Map<string, number>();
      for (const r of received) if (r.status < 300) counts.set(r.webhookId, (counts.get(r.webhookId) ?? 0) + 1);
      return counts;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
