import { PullError, type PulledPage, type PullIo } from "../pull-kit";
import type { DpdPlSettings } from "./dpd-pl-settings";
import { callDpd, type DpdAuth, getEventsRequest, markProcessedRequest } from "./dpd-pl-soap";
import { childNamed } from "./read-xml";

/** Events asked for per read. DPD's largest `limit` is not documented (clients use 10); 100 worked for others. */
export const DPD_PL_PAGE_SIZE = 100;

export function dpdPlConfigured(s: DpdPlSettings): boolean {
  return (
    s.DPD_PL_LOGIN !== null &&
    s.DPD_PL_PASSWORD.length === 1 &&
    s.DPD_PL_MASTER_FID !== null &&
    s.DPD_PL_ENDPOINT !== null
  );
}

function auth(s: DpdPlSettings): DpdAuth {
  return { channel: s.DPD_PL_MASTER_FID ?? "", login: s.DPD_PL_LOGIN ?? "", password: s.DPD_PL_PASSWORD[0] ?? "" };
}

/**
 * One read of the journal: the unacknowledged events (up to the page size) under a fresh
 * `confirmId`. DPD keeps its own place, so there is no cursor. Each record is the `<eventsList>`
 * element exactly as received.
 */
export async function readDpdPlJournal(s: DpdPlSettings, _cursor: string | null, io: PullIo): Promise<PulledPage> {
  const request = getEventsRequest(DPD_PL_PAGE_SIZE, "EN", auth(s));
  const { text, result } = await callDpd(io, s.DPD_PL_ENDPOINT as string, "getEventsForCustomerV4", request);
  const events = result?.children.filter((c) => c.name === "eventsList") ?? [];
  const confirmId = result ? childNamed(result, "confirmId")?.text.trim() : undefined;
  if (events.length > 0 && !confirmId) {
    throw new PullError("unreachable", "getEventsForCustomerV4: events without a confirmId");
  }
  return {
    records: events.map((e) => text.slice(e.start, e.end)),
    receipt: events.length > 0 ? (confirmId as string) : null,
    cursor: null,
    // Read on until a page comes back empty, not until one comes back short: DPD's largest
    // `limit` is not documented, and a service that caps it lower would otherwise be read one
    // short page a minute. The cost is one empty read at the end of a run.
    more: events.length > 0,
  };
}

/** `markEventsAsProcessedV1` with the page's `confirmId`; DPD answers `true`. */
export async function acknowledgeDpdPl(s: DpdPlSettings, page: PulledPage, io: PullIo): Promise<void> {
  if (page.receipt === null) return;
  const request = markProcessedRequest(page.receipt, auth(s));
  const { result } = await callDpd(io, s.DPD_PL_ENDPOINT as string, "markEventsAsProcessedV1", request);
  if (result?.text.trim() !== "true") {
    throw new PullError("refused", `markEventsAsProcessedV1 answered ${result?.text.trim() || "nothing"}`);
  }
}
