import type { PulledPage, PullIo } from "../carriers/pull-kit";
import { type AnyPullSource, PullError } from "../carriers/pull-kit";
import { storeQuarantine } from "../db/store-quarantine";
import { errorText } from "../errors/error-text";
import { newQuarantineId } from "../events/new-event-id";
import { acceptEvent } from "../webhooks/accept-event";
import { validatePayload } from "../webhooks/validate-payload";
import type { PullRunResult } from "./db/pull-state";

export interface DrainBudget {
  /** Pages read at most (the source's pagesPerRun). */
  pages: number;
  /** No page is started after this instant (Unix ms). */
  deadline: number;
}

export type Drained = Omit<PullRunResult, "carrier" | "at" | "nextAt"> & { more: boolean };

/**
 * Reads pages of one source until it is drained or the budget is spent. Each record takes the
 * webhook's path from the schema on (src/webhooks: validate, quarantine or accept: identity,
 * normalize, store with dedup, queue); the page is acknowledged only once every record of it is in
 * D1. A failure stops the run there: a read or an acknowledgement that failed leaves the page to be
 * read again (its records then come back as duplicates), and a D1 failure leaves it unacknowledged.
 */
export async function drainPullSource(
  env: Env,
  source: AnyPullSource,
  // biome-ignore lint/suspicious/noExplicitAny: the parsed settings of whichever source this is
  settings: any,
  cursor: string | null,
  io: PullIo,
  budget: DrainBudget,
  now: () => number = Date.now,
): Promise<Drained> {
  const out: Drained = { cursor, failure: null, stored: 0, duplicates: 0, quarantined: 0, pages: 0, more: true };
  const pending: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p) };
  const requestUrl = source.pull.requestUrl(settings);
  try {
    while (out.pages < budget.pages && now() < budget.deadline) {
      const page: PulledPage = await source.pull.read(settings, out.cursor, io);
      const receivedAt = new Date(now()).toISOString();
      for (const raw of page.records) {
        const counted = await storeRecord(env, ctx, source, raw, receivedAt, requestUrl);
        out[counted]++;
      }
      await source.pull.acknowledge(settings, page, io);
      if (page.records.length > 0 || page.receipt !== null) out.pages++;
      out.cursor = page.cursor ?? out.cursor;
      out.more = page.more;
      if (!page.more) break;
    }
  } catch (err) {
    out.failure =
      err instanceof PullError
        ? { kind: err.failure, message: errorText(err) }
        : { kind: "storage", message: errorText(err) };
  }
  // acceptEvent hands the marking of a failed enqueue to waitUntil: it is D1's, and small.
  await Promise.allSettled(pending);
  return out;
}

async function storeRecord(
  env: Env,
  ctx: Pick<ExecutionContext, "waitUntil">,
  source: AnyPullSource,
  raw: string,
  receivedAt: string,
  requestUrl: string,
): Promise<"stored" | "duplicates" | "quarantined"> {
  let validation: ReturnType<typeof validatePayload<unknown>>;
  try {
    validation = validatePayload(source.schema, source.pull.parseRecord(raw));
  } catch (err) {
    validation = { ok: false, issues: [{ path: "$", message: `unreadable record: ${errorText(err)}` }] };
  }
  if (!validation.ok) {
    // Stored whole, as a pushed body that fails its schema is: nothing read is lost, and the
    // operator can retry it after a fix (the page is then acknowledged).
    await storeQuarantine(env.DB, {
      id: newQuarantineId(),
      carrier: source.name,
      receivedAt,
      requestUrl,
      rawBody: raw,
      issues: validation.issues,
    });
    return "quarantined";
  }
  const accepted = await acceptEvent(env, ctx, source, validation.output, { receivedAt, requestUrl, rawBody: raw });
  return accepted.duplicate ? "duplicates" : "stored";
}
