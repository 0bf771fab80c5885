import { PullError, type PullIo } from "../pull-kit";
import { childNamed, escapeXml, readXml, type XmlElement, XmlError } from "./read-xml";

// DPDInfoServicesObjEvents, SOAP 1.1 document/literal (carriers-next.md 5.2, from DPD Polska's own
// PrestaShop module): the operation element is qualified, its children are not.
export const DPD_NS = "http://events.dpdinfoservices.dpd.com.pl/";
const SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";
/** An answer larger than this is refused unread (100 events are about 60 KB). */
const MAX_ANSWER_CHARS = 4_000_000;
const TIMEOUT_MS = 15_000;

export interface DpdAuth {
  channel: string;
  login: string;
  password: string;
}

function envelope(operation: string, children: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soapenv:Envelope xmlns:soapenv="${SOAP_NS}" xmlns:ev="${DPD_NS}"><soapenv:Body>` +
    `<ev:${operation}>${children}</ev:${operation}></soapenv:Body></soapenv:Envelope>`
  );
}

// JAX-WS orders a type's elements alphabetically: channel, login, password (unconfirmed, 5.2).
function authData(a: DpdAuth): string {
  return (
    `<authDataV1><channel>${escapeXml(a.channel)}</channel><login>${escapeXml(a.login)}</login>` +
    `<password>${escapeXml(a.password)}</password></authDataV1>`
  );
}

/** `getEventsForCustomerV4`, the newest version of the journal read. */
export function getEventsRequest(limit: number, language: "PL" | "EN", auth: DpdAuth): string {
  return envelope("getEventsForCustomerV4", `<limit>${limit}</limit><language>${language}</language>${authData(auth)}`);
}

/** `markEventsAsProcessedV1`: confirms the page read under `confirmId`. */
export function markProcessedRequest(confirmId: string, auth: DpdAuth): string {
  return envelope("markEventsAsProcessedV1", `<confirmId>${escapeXml(confirmId)}</confirmId>${authData(auth)}`);
}

export interface DpdAnswer {
  /** The whole answer's text: each record is a slice of it. */
  text: string;
  /** The `return` element of `<operation>Response` (absent when the service returned nothing). */
  result: XmlElement | undefined;
}

/**
 * POSTs one SOAP request and returns the operation's `return`. A SOAP fault is `refused` whatever
 * the HTTP status (a fault may come with 200), as is a 4xx; no answer, a 5xx without a fault, a
 * timeout or an answer that is not the expected XML is `unreachable`.
 */
export async function callDpd(io: PullIo, endpoint: string, operation: string, body: string): Promise<DpdAnswer> {
  let response: Response;
  try {
    response = await io.fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "text/xml; charset=utf-8", soapaction: '""' },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    throw new PullError("unreachable", `${operation}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const text = await response.text().catch(() => "");
  if (text.length > MAX_ANSWER_CHARS) throw new PullError("unreachable", `${operation}: answer too large`);
  let root: XmlElement | undefined;
  try {
    root = text.trim() === "" ? undefined : readXml(text);
  } catch (err) {
    if (!(err instanceof XmlError)) throw err;
    root = undefined;
  }
  const soapBody = root?.name === "Envelope" ? childNamed(root, "Body") : undefined;
  const fault = soapBody && childNamed(soapBody, "Fault");
  if (fault) {
    const reason = childNamed(fault, "faultstring")?.text.trim() || "SOAP fault";
    throw new PullError("refused", `${operation}: ${reason} (HTTP ${response.status})`);
  }
  if (response.status >= 400 && response.status < 500) {
    throw new PullError("refused", `${operation}: HTTP ${response.status}`);
  }
  if (!response.ok) throw new PullError("unreachable", `${operation}: HTTP ${response.status}`);
  const answer = soapBody && childNamed(soapBody, `${operation}Response`);
  if (!answer) throw new PullError("unreachable", `${operation}: not a ${operation}Response`);
  return { text, result: childNamed(answer, "return") };
}
