import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  POSTMEN_URL_SECRET,
  postmenBulkDownload,
  postmenCalculateRates,
  postmenCancelLabel,
  postmenCreateLabel,
  postmenLabelFailed,
  postmenManifest,
  signPostmen,
  underEventType,
} from "./fixtures/postmen";
import { call } from "./helpers/post-webhook";
import { quarantinedBody, storedEvent as storedEventRow } from "./helpers/stored-event";

interface Accepted {
  status: "accepted" | "duplicate";
  event_id: string;
}

const query = `?secret=${POSTMEN_URL_SECRET}`;

/** Posts the exact text `raw` with its correct signature unless told otherwise. */
async function post(body: unknown, opts: { signature?: string | null; query?: string } = {}): Promise<Response> {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const signature = opts.signature === undefined ? await signPostmen(raw) : opts.signature;
  return call("/webhooks/postmen", raw, {
    query: opts.query ?? query,
    headers: signature === null ? {} : { "am-webhook-signature": signature },
  });
}

interface StoredRow {
  [column: string]: unknown;
  status: string | null;
  occurred_at: string;
  request_url: string;
  raw_body: string;
}

async function storedEvent(id: string): Promise<Omit<StoredRow, "data"> & { data: Record<string, unknown> }> {
  const row = await storedEventRow(id);
  if (!row) throw new Error(`no event ${id}`);
  return { ...row, data: JSON.parse(row.data) as Record<string, unknown> };
}

async function countRows(sql: string, ...binds: unknown[]): Promise<number> {
  return (
    (
      await env.DB.prepare(sql)
        .bind(...binds)
        .first<{ n: number }>()
    )?.n ?? -1
  );
}

const labelId = postmenCreateLabel.data.id;

// Each documented event, with what the receiver must make of it.
const EVENTS = [
  {
    name: "calculate_rates (seed 002, meta 4713)",
    payload: postmenCalculateRates,
    expected: {
      type: "rates.calculated",
      status: null,
      carrier_status: "calculated",
      tracking_number: null,
      reason: "All or partial failed in rate request.",
      occurred_at: "2016-09-26T07:15:30.000Z",
    },
    data: {
      event: "calculate_rates",
      succeeded: false,
      meta: { code: 4713, message: "All or partial failed in rate request.", retryable: false, details: [] },
      rates: postmenCalculateRates.data.rates,
    },
  },
  {
    name: "create_a_label",
    payload: postmenCreateLabel,
    expected: {
      type: "label.created",
      status: "pending",
      carrier_status: "created",
      tracking_number: "794604790138",
      reason: null,
      occurred_at: "2016-09-26T07:15:30.000Z",
    },
    data: {
      succeeded: true,
      meta: { code: 200, message: "OK", retryable: false, details: [] },
      tracking_numbers: ["794604790138", "794604790149"],
      label_url: postmenCreateLabel.data.files.label.url,
      files: postmenCreateLabel.data.files,
      rate: postmenCreateLabel.data.rate,
      references: ["order-1001"],
      service_type: "fedex_international_priority",
    },
  },
  {
    name: "cancel_a_label",
    payload: postmenCancelLabel,
    expected: {
      type: "label.cancelled",
      status: "cancelled",
      carrier_status: "cancelled",
      tracking_number: null,
      reason: null,
      occurred_at: "2016-09-27T11:02:10.000Z",
    },
    data: { succeeded: true, label_id: labelId },
  },
  {
    name: "manifest_a_label",
    payload: postmenManifest,
    expected: {
      type: "manifest.created",
      status: null,
      carrier_status: "manifested",
      tracking_number: null,
      reason: null,
      occurred_at: "2016-09-26T18:00:05.000Z",
    },
    data: { succeeded: true, labels: postmenManifest.data.labels, files: postmenManifest.data.files },
  },
  {
    name: "create_a_bulk_download",
    payload: postmenBulkDownload,
    expected: {
      type: "bulk_download.created",
      status: null,
      carrier_status: "created",
      tracking_number: null,
      reason: null,
      occurred_at: "2016-09-26T19:30:00.000Z",
    },
    data: {
      succeeded: true,
      labels: postmenBulkDownload.data.labels,
      invalid_labels: postmenBulkDownload.data.invalid_labels,
      files: postmenBulkDownload.data.files,
    },
  },
];

describe("POST /webhooks/postmen: the five events", () => {
  for (const key of ["event", "event_type"] as const) {
    for (const { name, payload, expected, data } of EVENTS) {
      it(`${name} under \`${key}\` is accepted, stored and normalized`, async () => {
        const body = key === "event" ? payload : underEventType(payload);
        const res = await post(body);
        expect(res.status).toBe(200);
        const answer = await res.json<Accepted>();
        expect(answer.status).toBe("accepted");
        const row = await storedEvent(answer.event_id);
        expect(row).toMatchObject({
          carrier: "postmen",
          carrier_reference: body.data.id,
          state: "queued",
          raw_body: JSON.stringify(body),
          ...expected,
        });
        expect(row.data).toMatchObject({ event: payload.event, ...data });
        // A label event's own id is the label's: the job that made it.
        if (expected.type === "label.created") expect(row.data.label_id).toBe(body.data.id);
      });
    }
  }

  it("keeps an unknown event name as type unknown, with its whole data (not a 422)", async () => {
    const body = { ...postmenManifest, event: "create_a_pickup", data: { ...postmenManifest.data, id: "pickup-1" } };
    const res = await post(body);
    expect(res.status).toBe(200);
    const row = await storedEvent((await res.json<Accepted>()).event_id);
    expect(row).toMatchObject({
      type: "unknown",
      status: null,
      carrier_status: "manifested",
      carrier_reference: "pickup-1",
    });
    expect(row.data).toMatchObject({ event: "create_a_pickup", payload: body.data });
  });

  it("a failed label job carries no shipment status, and says why in reason and data.meta", async () => {
    const res = await post(postmenLabelFailed);
    expect(res.status).toBe(200);
    const row = await storedEvent((await res.json<Accepted>()).event_id);
    expect(row).toMatchObject({
      type: "label.created",
      status: null,
      carrier_status: "failed",
      reason: "Courier rejected the request.",
      tracking_number: null,
    });
    expect(row.data).toMatchObject({
      succeeded: false,
      meta: {
        code: 4715,
        message: "Courier rejected the request.",
        retryable: false,
        details: postmenLabelFailed.meta.details,
      },
    });
  });

  it("a label status Postmen adds later becomes status unknown, keeping Postmen's value", async () => {
    const body = {
      ...postmenCreateLabel,
      data: { ...postmenCreateLabel.data, id: "label-new-status", status: "voided" },
    };
    const row = await storedEvent((await (await post(body)).json<Accepted>()).event_id);
    expect(row).toMatchObject({ type: "label.created", status: "unknown", carrier_status: "voided" });
  });

  it("turns +02:00 and other offsets into UTC", async () => {
    const body = {
      ...postmenCreateLabel,
      date_time: "2024-03-31T01:30:00-02:00",
      data: { ...postmenCreateLabel.data, id: "label-offset" },
    };
    const row = await storedEvent((await (await post(body)).json<Accepted>()).event_id);
    expect(row.occurred_at).toBe("2024-03-31T03:30:00.000Z");
  });
});

describe("POST /webhooks/postmen: who may send", () => {
  const body = { ...postmenCreateLabel, data: { ...postmenCreateLabel.data, id: "label-auth" } };
  const raw = JSON.stringify(body);

  it("accepts the signature with a `hmac-sha256=` prefix", async () => {
    const res = await post(raw, { signature: `hmac-sha256=${await signPostmen(raw)}` });
    expect(res.status).toBe(200);
    expect((await res.json<Accepted>()).status).toBe("accepted");
  });

  const unauthorized: [string, () => Promise<Response>][] = [
    ["a signature made with another key", async () => post(raw, { signature: await signPostmen(raw, "not-the-key") })],
    ["no signature", () => post(raw, { signature: null })],
    ["an empty signature", () => post(raw, { signature: "" })],
    ["a signature that is not base64", () => post(raw, { signature: "hmac-sha256=!!not base64!!" })],
    [
      "a signature over re-serialized JSON (same value, other bytes)",
      async () => post(JSON.stringify(body, null, 2), { signature: await signPostmen(raw) }),
    ],
    ["a wrong URL secret (correct signature)", () => post(raw, { query: "?secret=wrong" })],
    ["no URL secret (correct signature)", () => post(raw, { query: "" })],
    ["the URL secret under another parameter name", () => post(raw, { query: "?token=test-postmen" })],
  ];
  for (const [name, send] of unauthorized) {
    it(`answers 401 for ${name}, without saying which check failed, and stores nothing`, async () => {
      const before = await countRows("SELECT count(*) AS n FROM events WHERE carrier = 'postmen'");
      const res = await send();
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        error: { code: "unauthorized", message: "The request could not be authenticated." },
      });
      expect(await countRows("SELECT count(*) AS n FROM events WHERE carrier = 'postmen'")).toBe(before);
    });
  }

  it("stores the request URL without `secret`, and the raw body byte for byte", async () => {
    const pretty = JSON.stringify({ ...body, data: { ...body.data, id: "label-url" } }, null, 2);
    const res = await post(pretty, { query: `?secret=${POSTMEN_URL_SECRET}&account=eu` });
    expect(res.status).toBe(200);
    const row = await storedEvent((await res.json<Accepted>()).event_id);
    expect(row.request_url).toBe("https://parcelhook.test/webhooks/postmen?account=eu");
    expect(row.raw_body).toBe(pretty);
  });
});

describe("POST /webhooks/postmen: retries and bad payloads", () => {
  it("answers a retry 200 duplicate with the first id, and counts it", async () => {
    const body = { ...postmenCancelLabel, data: { ...postmenCancelLabel.data, id: "cancel-dup" } };
    const first = await (await post(body)).json<Accepted>();
    expect(first.status).toBe("accepted");
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: "duplicate", event_id: first.event_id });
    // The same webhook under the newer key name is the same event too.
    const renamed = await post(underEventType(body, ""));
    expect(await renamed.json()).toEqual({ status: "duplicate", event_id: first.event_id });
    expect(await countRows("SELECT count(*) AS n FROM events WHERE carrier_reference = ?", "cancel-dup")).toBe(1);
    expect(await countRows("SELECT duplicates AS n FROM events WHERE id = ?", first.event_id)).toBe(2);
  });

  it("a later event of the same job (another status) is a new event, not a duplicate", async () => {
    const cancelling = {
      ...postmenCancelLabel,
      date_time: "2016-09-27T11:02:09+00:00",
      data: { ...postmenCancelLabel.data, id: "cancel-two-steps", status: "cancelling" },
    };
    const cancelled = { ...postmenCancelLabel, data: { ...postmenCancelLabel.data, id: "cancel-two-steps" } };
    const a = await (await post(cancelling)).json<Accepted>();
    const b = await (await post(cancelled)).json<Accepted>();
    expect([a.status, b.status]).toEqual(["accepted", "accepted"]);
    expect(a.event_id).not.toBe(b.event_id);
    expect((await storedEvent(a.event_id)).status).toBeNull();
    expect((await storedEvent(b.event_id)).status).toBe("cancelled");
  });

  it("answers 422 with every issue, and quarantines the delivery (without the secret in its URL)", async () => {
    const raw = JSON.stringify({
      date_time: "2016-09-26 07:15:30",
      meta: { code: "200" },
      data: { status: "created" },
    });
    const res = await post(raw);
    expect(res.status).toBe(422);
    const body = await res.json<{ error: { code: string; issues: { path: string; message: string }[] } }>();
    expect(body.error.code).toBe("invalid_payload");
    const paths = body.error.issues.map((i) => i.path).sort();
    expect(paths).toEqual(["data.id", "date_time", "event", "meta.code"]);
    const q = await quarantinedBody("postmen", raw);
    expect(q?.request_url).toBe("https://parcelhook.test/webhooks/postmen");
    expect(JSON.parse(q?.issues ?? "[]")).toEqual(body.error.issues);
  });

  it("answers 422 when `event` and `event_type` name different events", async () => {
    const res = await post({ ...postmenCreateLabel, event_type: "cancel_a_label" });
    expect(res.status).toBe(422);
    const body = await res.json<{ error: { issues: { path: string }[] } }>();
    expect(body.error.issues.map((i) => i.path)).toEqual(["event_type"]);
  });

  it("answers 400 for a body that is not JSON, even correctly signed", async () => {
    const res = await post("{not json");
    expect(res.status).toBe(400);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe("malformed_json");
  });
});
