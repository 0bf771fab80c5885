import type { CarrierName } from "../events/normalized-event";
import type { Carrier, ParsedSettings, SettingsSpec } from "./kit";

/**
 * The kit's second kind of sender: a pull source, one that parcelhook polls (a journal read then
 * acknowledged, or a "changed since" cursor). Like a push sender it is one folder and one registry
 * line; `definePullSource` declares it. The cron job `pull` (src/pull/) drives every configured one
 * within its budget, and each record it reads takes the webhook's path from `schema` on (identity,
 * normalize, store with dedup, queue), so everything after storage treats it as any carrier.
 * docs/carriers/adding-a-carrier.md, "A pull source".
 */

/** How a pull source reaches the network: `fetch` is a parameter so a test can put a fault in it. */
export interface PullIo {
  fetch: typeof fetch;
}

/** One page read from the source. */
export interface PulledPage {
  /**
   * Each record's raw text exactly as the source sent it (what is stored as the raw delivery);
   * `pull.parseRecord` turns it into the value `schema` validates.
   */
  records: string[];
  /** What `acknowledge` needs to confirm this page (a journal's confirm id); null: nothing to confirm. */
  receipt: string | null;
  /** The cursor to keep once this page is stored and acknowledged (null: the source keeps none). */
  cursor: string | null;
  /** Whether the source may hold more right now (false: drained, wait for the schedule). */
  more: boolean;
}

/** Why a read or an acknowledgement failed: decides the back-off and what /health shows. */
export type PullFailure =
  /** No answer, a 5xx, a timeout, or an answer that could not be read. */
  | "unreachable"
  /** The source answered and said no (bad credentials, a SOAP fault, a 4xx). */
  | "refused";

export class PullError extends Error {
  constructor(
    readonly failure: PullFailure,
    message: string,
  ) {
    super(message);
    this.name = "PullError";
  }
}

export interface PullSpec<S extends SettingsSpec> {
  /** Minutes between runs while the source is drained (the cron job runs every minute). */
  everyMinutes: number;
  /** The most pages read per run; with the source's page size this is its stated rate. */
  pagesPerRun: number;
  /** Records per page asked for (the rate is pagesPerRun x pageSize per everyMinutes). */
  pageSize: number;
  /** Whether the settings are enough to call the source (else it is left alone and /health says so). */
  isConfigured(settings: ParsedSettings<S>): boolean;
  /** Reads the next page after `cursor` (null: from the start, or the source's own journal). */
  read(settings: ParsedSettings<S>, cursor: string | null, io: PullIo): Promise<PulledPage>;
  /** Confirms a page, called only once every record of it is stored in D1. */
  acknowledge(settings: ParsedSettings<S>, page: PulledPage, io: PullIo): Promise<void>;
  /** A stored raw record back into the value `schema` validates (throws when it is not one). */
  parseRecord(raw: string): unknown;
  /** What is stored as the event's `request_url`: where it was read from, never a credential. */
  requestUrl(settings: ParsedSettings<S>): string;
}

/** A push sender's declaration minus its request checks, plus how it is pulled. */
export type PullSourceSpec<P, S extends SettingsSpec, N extends string> = Omit<
  Carrier<P, S, N>,
  "verifySender" | "verifyBody" | "answersProbe"
> & { pull: PullSpec<S> };

export type PullSource<P = unknown, S extends SettingsSpec = SettingsSpec, N extends string = string> = Carrier<
  P,
  S,
  N
> & { pull: PullSpec<S> };

/**
 * Declares a pull source. It is registered like a push sender (so the registry, settings, OpenAPI
 * enums, dashboard and storage dictionaries take it as they are); its webhook route answers 404,
 * and its sender check, never reached there, refuses anyway.
 */
export function definePullSource<const N extends string, P, S extends SettingsSpec>(
  source: PullSourceSpec<P, S, N>,
): PullSource<P, S, N> {
  return { ...source, verifySender: async () => "forbidden" };
}

/** Any registered pull source, whatever its payload and settings. */
// biome-ignore lint/suspicious/noExplicitAny: each source has its own payload and settings types
export type AnyPullSource = PullSource<any, any, CarrierName>;

export function isPullSource(carrier: object): carrier is AnyPullSource {
  return "pull" in carrier;
}

/** A stored raw body as its carrier's schema reads it: a pulled record, or a pushed JSON body. */
export function parseStoredBody(carrier: object, raw: string): unknown {
  return isPullSource(carrier) ? carrier.pull.parseRecord(raw) : JSON.parse(raw);
}

/**
 * A pull source's local fake, in its folder's `fake.ts` (`export const fake`): what `npm run dev`
 * serves (scripts/pull-fakes.ts) at the address its endpoint setting names in `.dev.vars`, so a
 * newcomer sees its events arrive. Node and tests only; no Worker imports it.
 */
export interface PullFake {
  /** The setting holding the source's address (the fake listens on its port). */
  endpointSetting: string;
  create(settings: Record<string, string | undefined>): PullFakeService;
}

export interface PullFakeService {
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** Called every few seconds by `npm run dev`: adds events as the real source would; returns a log line. */
  tick(): string;
  /** Adds `events` events at once (`npm run bench:pull`). */
  fill(events: number): void;
  /** Events not yet acknowledged. */
  pending(): number;
  /** Reads and acknowledgements answered so far, faults included. */
  calls(): { reads: number; acknowledgements: number };
  /** Answers the next acknowledgement with HTTP 500, carrying nothing out. */
  failNextAcknowledgement(): void;
}
