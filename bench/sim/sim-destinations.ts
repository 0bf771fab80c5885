// The destinations' side, as the consumer's `fetcher` parameter: each destination holds the
// signing keys its operator gave it, verifies every request's Standard Webhooks signature with the
// `standardwebhooks` package (as a receiver following the docs would), answers as its current
// mode says (2xx, 3xx, 4xx, 5xx, 429, no answer, connection refused), and every send is recorded:
// the records are the oracle for "delivered" (a 2xx it answered), never D1.
import { Webhook } from "standardwebhooks";
import type { Rng } from "../../scripts/simulate/rng";
import type { Scheduler } from "./scheduler";
import { clock } from "./virtual-clock";

export type Mode = "ok" | "down" | "refusing" | "redirect" | "rate-limited" | "flaky" | "timeout";
export const FAULT_MODES: readonly Mode[] = ["down", "refusing", "redirect", "rate-limited", "flaky", "timeout"];

export interface Key {
  secret: string;
  /** Dropped by the receiver at this time (the old key after a rotation: 24 h). */
  until?: number;
}

export interface SimDestination {
  /** `default`, or the API's dst_ id once created. */
  id: string;
  url: string;
  keys: Key[];
  mode: Mode;
  /** Events it refuses on their own (a 422 for a body it cannot take), while faults last. */
  poison: Set<string>;
  createdAt: number;
  /** From the first attempt to delete it (its answer may have been lost). */
  deletedAt?: number;
  /**
   * Every filter it may have had, with when it was asked for; `confirmed` once the API answered
   * 200 (without an answer, the change may or may not have been made).
   */
  filters: { at: number; filter: unknown; confirmed: boolean }[];
  /** Answer of the create call lost: it may exist with a secret nobody knows. */
  unknownSecret?: boolean;
  /**
   * A rotation answered with anything but 200 (lost, or a 503 after D1 committed) may have set a
   * secret nobody saw (`since`). The old one still signs for 24 hours after; past that the
   * operator holds no key the receiver signs with, until a rotation of theirs succeeds and every
   * isolate's copy of the configuration has been read again (`until`: DESTINATIONS_CACHE_MS on).
   */
  secretUnknown?: { since: number; until?: number };
}

export interface Send {
  at: number;
  dest: string;
  eventId: string;
  status: number | null;
  ok: boolean;
  /** The signature verified with a key the destination holds. */
  verified: boolean;
  signatures: number;
  /** The destination held a key then (none before its operator has read the secret). */
  keyed: boolean;
}

export class SimDestinations {
  readonly all: SimDestination[] = [];
  readonly sends: Send[] = [];

  constructor(
    private readonly sched: Scheduler,
    private readonly rng: Rng,
  ) {}

  byId(id: string): SimDestination | undefined {
    return this.all.find((d) => d.id === id);
  }

  /** The consumer's `fetcher`. */
  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = String(input instanceof Request ? input.url : input);
    const dest = this.all.find((d) => d.url === url);
    const body = typeof init?.body === "string" ? init.body : "";
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const eventId = headers["webhook-id"] ?? "?";
    if (dest === undefined) {
      this.record({ dest: url, eventId, status: null, verified: false, signatures: 0, keyed: false });
      throw new TypeError(`Network connection lost (no host at ${url})`);
    }
    const now = clock.now();
    const verified = dest.keys.some((k) => {
      if (k.until !== undefined && k.until <= now) return false;
      try {
        new Webhook(k.secret).verify(body, headers);
        return true;
      } catch {
        return false;
      }
    });
    const signatures = (headers["webhook-signature"] ?? "").split(" ").filter(Boolean).length;
    const keyed =
      dest.keys.some((k) => k.until === undefined || k.until > now) &&
      !(
        dest.secretUnknown &&
        now >= dest.secretUnknown.since + 86_400_000 &&
        (dest.secretUnknown.until === undefined || now < dest.secretUnknown.until)
      );
    const answer = (status: number, extra: Record<string, string> = {}) => {
      this.record({ dest: dest.id, eventId, status, verified, signatures, keyed });
      return new Response(status === 204 || (status >= 300 && status < 400) ? null : "{}", { status, headers: extra });
    };
    const fail = (what: "timeout" | "refused") => {
      this.record({ dest: dest.id, eventId, status: null, verified, signatures, keyed });
      if (what === "timeout") throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
      throw new TypeError("Network connection lost.");
    };
    // A receiver that checks signatures answers 401 to one it cannot verify, whatever else.
    if (!verified) return answer(401);
    if (dest.poison.has(eventId)) return answer(422);
    switch (dest.mode) {
      case "ok":
        return answer(this.rng.pick([200, 200, 202, 204]));
      case "down":
        return this.rng.chance(0.3) ? fail("refused") : answer(this.rng.pick([500, 502, 503]));
      case "timeout":
        return fail("timeout");
      case "refusing":
        return answer(this.rng.pick([401, 403, 404, 410]));
      case "redirect":
        return answer(this.rng.pick([301, 302, 307, 308]), { location: `${dest.url}/moved` });
      case "rate-limited":
        return answer(429, { "retry-after": String(this.rng.pick([1, 30, 120])) });
      case "flaky": {
        const r = this.rng.next();
        if (r < 0.5) return answer(200);
        if (r < 0.7) return answer(503, { "retry-after": "10" });
        if (r < 0.85) return fail("timeout");
        return answer(500);
      }
    }
  };

  private record(s: Omit<Send, "at" | "ok">): void {
    const ok = s.status !== null && s.status >= 200 && s.status < 300;
    this.sends.push({ ...s, at: clock.now(), ok });
    this.sched.trace(
      `send ${s.eventId} -> ${s.dest}: ${s.status ?? "no answer"}${s.verified ? "" : " (SIGNATURE NOT VERIFIED)"}`,
    );
  }
}
