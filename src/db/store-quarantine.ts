import type { Issue } from "../errors/api-error";
import type { CarrierName } from "../events/normalized-event";
import { encodeRawBody } from "./body-codec";

export interface QuarantineInput {
  id: string;
  carrier: CarrierName;
  receivedAt: string;
  requestUrl: string;
  rawBody: string;
  issues: Issue[];
}

export async function storeQuarantine(db: D1Database, q: QuarantineInput): Promise<void> {
  await db
    .prepare(
      `INSERT INTO quarantine (id, carrier, received_at, request_url, raw_body, issues)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6)`,
    )
    .bind(q.id, q.carrier, q.receivedAt, q.requestUrl, encodeRawBody(q.carrier, q.rawBody), JSON.stringify(q.issues))
    .run();
}
