// A local fake of DPD Polska's InfoServices (DPDInfoServicesObjEvents), written from the WSDL's
// types as carriers-next.md 5.2-5.5 gives them: a journal per customer, read with
// getEventsForCustomerV4 (up to `limit` unacknowledged events under a fresh confirmId, the same
// events again until acknowledged) and confirmed with markEventsAsProcessedV1. Web APIs only
// (Request/Response), so the same module answers in workerd (the tests hand its `fetch` to the cron
// job) and behind a node HTTP server (`npm run dev`, scripts/pull-fakes.ts). No Worker imports it.
import type { PullFake } from "../pull-kit";
import { DPD_NS } from "./dpd-pl-soap";
import { childNamed, escapeXml, readXml, type XmlElement } from "./read-xml";

export interface FakeDpdEvent {
  businessCode: string;
  waybill: string;
  /** Warsaw wall-clock time, as DPD writes it (no offset). */
  eventTime: string;
  description?: string;
  operationType?: "INSERT" | "CANCEL";
  /** Set by the journal unless given (a CANCEL names the INSERT's). */
  objectId?: string;
  depot?: string;
  country?: string;
  packageReference?: string;
  parcelReference?: string;
  eventData?: { code: string; description: string; value: string }[];
}

interface Entry extends FakeDpdEvent {
  id: number;
  objectId: string;
  acknowledged: boolean;
}

export interface DpdFakeOptions {
  login: string;
  password: string;
  channel: string;
  /** The most events one read returns, whatever `limit` asks (DPD's own cap is not documented). */
  maxLimit?: number;
  /** The first objectId it gives (DPD's are unique across its journals; two fakes sharing one D1 need apart ranges). */
  firstObjectId?: number;
}

type Operation = "getEventsForCustomerV4" | "markEventsAsProcessedV1";
/** A fault to answer the next call of an operation with, instead of its answer. */
export type FakeFault = "http500" | "soap_fault" | "network" | "http200_garbage";

const OK_HEADERS = { "content-type": "text/xml; charset=utf-8" };

export class DpdInfoServicesFake {
  readonly journal: Entry[] = [];
  /** confirmId → the entries that read returned; acknowledged ids stay so a repeat answers true. */
  private readonly pending = new Map<string, Entry[]>();
  private readonly confirmed = new Set<string>();
  private readonly faults: { operation: Operation; fault: FakeFault }[] = [];
  private nextId = 1;
  private nextObjectId: number;
  private nextConfirm = 1;
  /** Calls answered, by operation (faults included). */
  readonly calls = { getEventsForCustomerV4: 0, markEventsAsProcessedV1: 0 };

  constructor(readonly options: DpdFakeOptions) {
    this.nextObjectId = options.firstObjectId ?? 900_000_001;
  }

  /** Appends events to the journal, as DPD does when parcels move; returns their objectIds. */
  add(events: readonly FakeDpdEvent[]): string[] {
    return events.map((e) => {
      const objectId = e.objectId ?? String(this.nextObjectId++);
      this.journal.push({ ...e, id: this.nextId++, objectId, acknowledged: false });
      return objectId;
    });
  }

  unacknowledged(): number {
    return this.journal.filter((e) => !e.acknowledged).length;
  }

  /** Answers the next call of `operation` with `fault` instead (the call is then not carried out). */
  failNext(operation: Operation, fault: FakeFault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push({ operation, fault });
  }

  /** The service's HTTP face: a POST of a SOAP 1.1 envelope, as `fetch` makes it. */
  fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405 });
    let call: { operation: string; body: XmlElement };
    try {
      call = soapCall(await request.text());
    } catch (err) {
      return fault(`Unmarshalling Error: ${err instanceof Error ? err.message : err}`, 500);
    }
    const operation = call.operation as Operation;
    if (!(operation in this.calls)) return fault(`Cannot find dispatch method for {${DPD_NS}}${operation}`, 500);
    this.calls[operation]++;
    const i = this.faults.findIndex((f) => f.operation === operation);
    if (i !== -1) {
      const injected = this.faults.splice(i, 1)[0]?.fault;
      if (injected === "network") throw new TypeError("fetch failed: connection refused (injected)");
      if (injected === "http500") return new Response("Internal Server Error", { status: 500 });
      if (injected === "http200_garbage") return new Response("<html>maintenance", { status: 200 });
      return fault("Access denied to secured webserwis method", 500);
    }
    if (!this.authorized(call.body)) return fault("Access denied to secured webserwis method", 500);
    return operation === "getEventsForCustomerV4" ? this.read(call.body) : this.confirm(call.body);
  };

  private authorized(op: XmlElement): boolean {
    const auth = childNamed(op, "authDataV1");
    const text = (name: string) => (auth ? childNamed(auth, name)?.text : undefined);
    return (
      text("login") === this.options.login &&
      text("password") === this.options.password &&
      text("channel") === this.options.channel
    );
  }

  private read(op: XmlElement): Response {
    const limit = Number(childNamed(op, "limit")?.text);
    const language = childNamed(op, "language")?.text;
    if (!Number.isInteger(limit) || limit < 1) return fault("limit must be a positive integer", 500);
    if (language !== "PL" && language !== "EN") return fault("language must be PL or EN", 500);
    const page = this.journal.filter((e) => !e.acknowledged).slice(0, Math.min(limit, this.options.maxLimit ?? 1000));
    let inner = "";
    if (page.length > 0) {
      const confirmId = `fake-${String(this.nextConfirm++).padStart(8, "0")}`;
      this.pending.set(confirmId, page);
      inner = `<confirmId>${confirmId}</confirmId>${page.map(eventXml).join("")}`;
    }
    return answer("getEventsForCustomerV4", `<return>${inner}</return>`);
  }

  private confirm(op: XmlElement): Response {
    const confirmId = childNamed(op, "confirmId")?.text ?? "";
    const page = this.pending.get(confirmId);
    if (page) {
      for (const e of page) e.acknowledged = true;
      this.pending.delete(confirmId);
      this.confirmed.add(confirmId);
    } else if (!this.confirmed.has(confirmId)) {
      return answer("markEventsAsProcessedV1", "<return>false</return>");
    }
    return answer("markEventsAsProcessedV1", "<return>true</return>");
  }
}

/** The operation element of a SOAP 1.1 request, checked as strictly as a JAX-WS endpoint would. */
function soapCall(text: string): { operation: string; body: XmlElement } {
  const root = readXml(text);
  if (root.name !== "Envelope") throw new Error("not a SOAP envelope");
  const body = childNamed(root, "Body");
  const op = body?.children[0];
  if (!op) throw new Error("no operation in the SOAP body");
  const ns = Object.entries(root.attributes).find(([k]) => k === `xmlns:${op.prefix}`)?.[1];
  if (ns !== DPD_NS && op.attributes[`xmlns:${op.prefix}`] !== DPD_NS) throw new Error("wrong namespace");
  return { operation: op.name, body: op };
}

const leaf = (name: string, value: string | undefined) =>
  value === undefined || value === "" ? `<${name}/>` : `<${name}>${escapeXml(value)}</${name}>`;

// A customerEventV2, its elements in the WSDL's (alphabetical) order.
function eventXml(e: Entry): string {
  const data = e.eventData?.length ? e.eventData : [{ code: "", description: "", value: "" }];
  return (
    `<eventsList>${leaf("businessCode", e.businessCode)}${leaf("country", e.country ?? "PL")}` +
    `${leaf("depot", e.depot ?? "1495")}${leaf("description", e.description)}` +
    data
      .map(
        (d) =>
          `<eventDataList>${leaf("code", d.code)}${leaf("description", d.description)}${leaf("value", d.value)}</eventDataList>`,
      )
      .join("") +
    `${leaf("eventTime", e.eventTime)}<id>${e.id}</id><objectId>${e.objectId}</objectId>` +
    `<operationType>${e.operationType ?? "INSERT"}</operationType>${leaf("packageReference", e.packageReference)}` +
    `${leaf("parcelReference", e.parcelReference)}${leaf("waybill", e.waybill)}</eventsList>`
  );
}

function answer(operation: Operation, inner: string): Response {
  return new Response(
    `<?xml version='1.0' encoding='UTF-8'?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>` +
      `<ns2:${operation}Response xmlns:ns2="${DPD_NS}">${inner}</ns2:${operation}Response></S:Body></S:Envelope>`,
    { status: 200, headers: OK_HEADERS },
  );
}

// JAX-WS answers a fault with HTTP 500.
function fault(message: string, status: number): Response {
  return new Response(
    `<?xml version='1.0' encoding='UTF-8'?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>` +
      `<S:Fault><faultcode>S:Server</faultcode><faultstring>${escapeXml(message)}</faultstring>` +
      `<detail><ns2:Exception xmlns:ns2="${DPD_NS}"><message>${escapeXml(message)}</message></ns2:Exception></detail>` +
      `</S:Fault></S:Body></S:Envelope>`,
    { status, headers: OK_HEADERS },
  );
}

/** A UTC instant as DPD writes it: Warsaw wall-clock time, no offset (dpdEventTime's inverse). */
export function warsawWallClock(at: Date): string {
  const year = at.getUTCFullYear();
  const lastSunday = (month: number) => {
    const last = new Date(Date.UTC(year, month + 1, 0));
    return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1);
  };
  const t = at.getTime();
  const offset = t >= lastSunday(2) && t < lastSunday(9) ? 2 : 1;
  return new Date(t + offset * 3_600_000).toISOString().slice(0, 19);
}

// One parcel's way through DPD (carriers-next.md 5.6), an hour or more apart.
const STORY: readonly [code: string, description: string][] = [
  ["030103", "Shipment data registered"],
  ["040101", "Parcel picked up by courier"],
  ["050101", "Parcel received at depot"],
  ["170101", "Parcel out for delivery"],
  ["190101", "Parcel delivered"],
];

/** Parcel `n`'s events, from `start`: the journal the dev fake fills and the bench drains. */
export function dpdStory(n: number, start: Date): FakeDpdEvent[] {
  const waybill = `1000${String(n).padStart(9, "0")}U`;
  return STORY.map(([businessCode, description], i) => ({
    businessCode,
    description,
    waybill,
    eventTime: warsawWallClock(new Date(start.getTime() + i * 3_600_000 + (n % 60) * 1000)),
    packageReference: `ORDER-${n}`,
  }));
}

/**
 * What `npm run dev` (scripts/pull-fakes.ts) and `npm run bench:pull` run: the journal at
 * DPD_PL_ENDPOINT, checking the credentials of `settings` (raw env values).
 */
export const fake: PullFake = {
  endpointSetting: "DPD_PL_ENDPOINT",
  create(settings) {
    // Numbered from the start time, so a restarted fake never repeats the objectIds (nor the
    // waybills) of events the local D1 kept from an earlier run.
    const journal = new DpdInfoServicesFake({
      login: settings.DPD_PL_LOGIN ?? "",
      password: settings.DPD_PL_PASSWORD ?? "",
      channel: settings.DPD_PL_MASTER_FID ?? "",
      firstObjectId: Date.now(),
    });
    const firstParcel = (Math.floor(Date.now() / 60_000) % 10_000_000) * 100;
    let n = 0;
    return {
      fetch: journal.fetch,
      tick: () => {
        // Each tick, one parcel's next event; a new parcel every five ticks.
        const story = dpdStory(firstParcel + Math.floor(n / STORY.length), new Date());
        journal.add([{ ...(story[n % STORY.length] as FakeDpdEvent), eventTime: warsawWallClock(new Date()) }]);
        n++;
        return `journal: ${journal.unacknowledged()} unacknowledged of ${journal.journal.length}`;
      },
      fill: (events) => {
        const from = journal.journal.length;
        for (let p = 0; journal.journal.length - from < events; p++) {
          journal.add(dpdStory(firstParcel + 50_000 + p, new Date("2026-11-30T10:00:00Z")));
        }
        journal.journal.splice(from + events);
      },
      pending: () => journal.unacknowledged(),
      calls: () => ({
        reads: journal.calls.getEventsForCustomerV4,
        acknowledgements: journal.calls.markEventsAsProcessedV1,
      }),
      failNextAcknowledgement: () => journal.failNext("markEventsAsProcessedV1", "http500"),
    };
  },
};
