import type { GenericSchema } from "valibot";
import type { CarrierName, EventDraft, EventType, NormalizedEvent } from "../events/normalized-event";

/**
 * The carrier kit: everything parcelhook knows about one sender, declared in its own folder
 * (`src/carriers/<name>/index.ts`, built with `defineCarrier`) and listed on one line of
 * `src/carriers/registered.ts` (the registry, `src/carriers/index.ts`, derives from it). Routes,
 * configuration, `/health`, `.dev.vars.example`, the OpenAPI enums, the dashboard, the simulator and
 * the storage dictionaries all follow from the registry, so no code outside `src/carriers/` needs a
 * sender's name (docs/carriers/adding-a-carrier.md).
 */

/** What a sender check sees of a request before its body is read: nothing it could be tricked by. */
export interface SenderContext {
  url: URL;
  headers: Headers;
  /** `CF-Connecting-IP` only: never X-Forwarded-For or X-Real-IP. */
  clientIp: string | null;
}

/**
 * `unavailable`: the check could not be made now (the sender's published keys could not be fetched):
 * 503, so the sender retries; never 401, which a sender takes as final.
 */
export type SenderVerdict = "ok" | "unauthorized" | "forbidden" | "not_configured" | "unavailable";

/** Something /health names about a carrier beyond its settings (a key source it cannot reach). */
export interface CarrierProblem {
  /** The setting it concerns. */
  name: string;
  message: string;
}

/** The outcome of parsing one set, non-blank, trimmed setting value. */
export type SettingParse<T> = { value: T } | { problem: string; value?: T };

/** One setting a carrier reads from its Worker's env (a var or a secret of the same name). */
export interface CarrierSetting<T = unknown> {
  /**
   * `secret`: a comma list, any value of which passes (rotation); never logged, stored or shown.
   * `var`: a plain value; it may also be set as a secret.
   */
  kind: "secret" | "var";
  /**
   * The parse rule, for a value that is set and not blank (trimmed). A `problem` is logged once
   * (`config_invalid`) and named in `/health`'s `config_problems` (never with a secret's value);
   * `value` then stands for the setting (or the default, when it is absent).
   */
  parse(raw: string): SettingParse<T>;
  /** The value when the setting is unset or blank (and when a problem came with no value). */
  fallback: T;
}

export type SettingsSpec = Record<string, CarrierSetting<unknown>>;

/** The parsed, typed settings of a carrier, keyed by env name. */
export type ParsedSettings<S extends SettingsSpec> = {
  [K in keyof S]: S[K] extends { fallback: infer T } ? T : never;
};

/**
 * One sender. The receiver runs, in this order: `verifySender` (no body read), the body limit,
 * `verifyBody` over the raw bytes exactly as received, JSON parse (shared), `schema`, `eventKey`,
 * `normalize`. Each is a pure function of its inputs and the carrier's parsed settings.
 */
export interface Carrier<TPayload = unknown, S extends SettingsSpec = SettingsSpec, N extends string = string> {
  /** The route segment and the normalized event's `carrier` (`/webhooks/<name>`). */
  name: N;
  /** Its colour in the dashboard's charts (CSS colour). */
  color: string;
  /**
   * The frozen storage format byte of its body dictionary (src/db/body-codec.ts). Rows written with
   * it can be read only with it: a format number is never changed or reused.
   */
  bodyFormat: number;
  /** Its env settings, keyed by their env names. */
  settings: S;
  /** Answers GET and HEAD at its route with 200 from anywhere, revealing nothing (a URL probe). */
  answersProbe?: boolean;
  /** Every check that needs no body (address, URL secret, header token), before a byte of it is read. */
  verifySender(ctx: SenderContext, settings: ParsedSettings<S>): Promise<SenderVerdict>;
  /** A check over the raw body exactly as received (a signature), run only once verifySender passed. */
  verifyBody?(ctx: SenderContext, rawBody: Uint8Array, settings: ParsedSettings<S>): Promise<SenderVerdict>;
  schema: GenericSchema<unknown, TPayload>;
  /** Identity of the carrier's event, the same for every retry of it; prefixed with the carrier by the receiver. */
  eventKey(payload: TPayload): string;
  normalize(payload: TPayload): EventDraft;
  /** The event types its normalizer can produce (docs, OpenAPI descriptions). */
  eventTypes: readonly EventType[];
  /**
   * Optional: what /health should name about this carrier now (e.g. its key source unreachable).
   * Called on every /health request, so it must be cheap (src/carriers/remote-keys.ts fetches at
   * most once a minute); an empty list means nothing to report.
   */
  health?(settings: ParsedSettings<S>): Promise<CarrierProblem[]>;
  /**
   * The tracking numbers an event of this carrier moves in the shipments table, asked only for an
   * event with a status (a status-less event moves none); the default is its own `tracking_number`.
   */
  shipmentTrackingNumbers?(event: NormalizedEvent): string[];
}

/**
 * What people read about a carrier, in its folder's `about.ts` (`export const about`): scripts and
 * docs only. No Worker imports it, so none of this text is in their bundles;
 * src/carriers/about.ts reads it for the scripts, by folder name (= the carrier's name).
 */
export interface CarrierAbout<C extends { settings: SettingsSpec } = { settings: SettingsSpec }> {
  /** Human name for docs and `.dev.vars.example` ("InPost ShipX"). */
  title: string;
  settings: {
    [K in keyof C["settings"]]: {
      /** One line for the README's configuration table and `.dev.vars.example`. */
      doc: string;
      /**
       * What `.dev.vars.example` (generated: `npm run dev-vars`) sets it to, and so what `npm run
       * dev`, the simulator and the end-to-end runs use; null writes it blank (unset: the fallback).
       * Either way the name is in the file, so `npm run types` puts it in `Env`.
       */
      example: string | null;
    };
  };
}

/** Declares a carrier with its settings' and name's types kept exact. */
export function defineCarrier<const N extends string, P, S extends SettingsSpec>(
  carrier: Carrier<P, S, N>,
): Carrier<P, S, N> {
  return carrier;
}

/** Any registered carrier, whatever its payload and settings (what the registry hands out). */
// biome-ignore lint/suspicious/noExplicitAny: each carrier has its own payload and settings types
export type AnyCarrier = Carrier<any, any, CarrierName>;
