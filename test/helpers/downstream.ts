// A stand-in for the user's system behind FORWARD_URL, for tests inside workerd (where no HTTP
// server can run). It is passed as the consumer's fetch and behaves like the Workers runtime in
// front of a real downstream: at most 6 requests wait for an answer per invocation, the rest wait
// in line while their timeout signals already run (workerd in tests enforces no such line).
import { env } from "cloudflare:workers";

export type DownstreamMode = "ok" | "down" | "unreachable" | "unauthorized";

export interface Downstream {
  fetch: typeof fetch;
  /** 2xx answers per event id. */
  accepted: Map<string, number>;
  /** Every request's event id, in arrival order. */
  requests: string[];
  /** Bodies received, by event id (the last one). */
  bodies: Map<string, string>;
  maxInFlight(): number;
  setMode(mode: DownstreamMode): void;
  /** Event ids answered 422 whatever the mode (refused one by one). */
  refuse: Set<string>;
}

export function standInDownstream(opts: { latencyMs?: number; connections?: number } = {}): Downstream {
  const connections = opts.connections ?? 6;
  let mode: DownstreamMode = "ok";
  let inFlight = 0;
  let max = 0;
  const line: { wake: () => void; gone: boolean }[] = [];
  const accepted = new Map<string, number>();
  const bodies = new Map<string, string>();
  const requests: string[] = [];
  const refuse = new Set<string>();

  const aborted = (signal: AbortSignal | null | undefined) =>
    new Promise<never>((_, reject) => {
      if (!signal) return;
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const nextInLine = () => {
    for (let e = line.shift(); e; e = line.shift()) if (!e.gone) return e;
    return undefined;
  };

  const standIn = async (_url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const signal = init?.signal;
    // The runtime's line of connections: wait for a free one while the timer runs. A freed
    // connection is handed to the next in line (counted for it), so none is taken twice.
    if (inFlight >= connections) {
      const entry = { wake: () => {}, gone: false };
      const turn = new Promise<void>((r) => {
        entry.wake = r;
      });
      line.push(entry);
      try {
        await Promise.race([turn, aborted(signal)]);
      } catch (err) {
        entry.gone = true;
        throw err;
      }
    } else inFlight++;
    max = Math.max(max, inFlight);
    try {
      const body = String(init?.body ?? "");
      const id = (JSON.parse(body) as { id: string }).id;
      requests.push(id);
      if (mode === "unreachable") throw new TypeError("Network connection lost (injected: downstream unreachable)");
      await Promise.race([wait(opts.latencyMs ?? 0), aborted(signal)]);
      if (mode === "down") return new Response("down", { status: 503 });
      if (mode === "unauthorized") return new Response("who are you", { status: 401 });
      if (refuse.has(id)) return new Response("refused", { status: 422 });
      bodies.set(id, body);
      accepted.set(id, (accepted.get(id) ?? 0) + 1);
      return new Response(null, { status: 204 });
    } finally {
      const next = nextInLine();
      if (next) next.wake();
      else inFlight--;
    }
  };
  return {
    fetch: standIn as typeof fetch,
    accepted,
    requests,
    bodies,
    maxInFlight: () => max,
    setMode(m) {
      mode = m;
    },
    refuse,
  };
}

/** FORWARD_URL for the stand-in (never dialled: the stand-in answers). */
export const STAND_IN_URL = "https://downstream.test/hook";

/** Every destination's health back to up with no streaks, unpaused: tests in one file share D1. */
export async function resetDownstream(): Promise<void> {
  await env.DB.prepare(
    `UPDATE destinations SET health = 'up', failures = 0, refusals = 0, refused_seq = NULL, down_since = NULL,
       probe_after = NULL, paused = 0, fault = NULL`,
  ).run();
}

/** Sets a destination's health as D1 keeps it (a test's setup, not a transition under test). */
export async function setHealth(no: number, health: "up" | "down" | "refusing"): Promise<void> {
  await env.DB.prepare(
    `UPDATE destinations SET health = ?2, failures = CASE ?2 WHEN 'down' THEN 5 ELSE 0 END,
       refusals = CASE ?2 WHEN 'refusing' THEN 5 ELSE 0 END,
       down_since = CASE ?2 WHEN 'up' THEN NULL ELSE ?3 END WHERE no = ?1`,
  )
    .bind(no, health, new Date().toISOString())
    .run();
}

/** One fetch for several stand-ins, by URL (each destination its own downstream). */
export function routed(byUrl: Record<string, Downstream>): typeof fetch {
  return (async (url: RequestInfo | URL, init?: RequestInit) => {
    const target = byUrl[String(url)];
    if (!target) throw new TypeError(`no stand-in for ${String(url)}`);
    return target.fetch(url, init);
  }) as typeof fetch;
}
