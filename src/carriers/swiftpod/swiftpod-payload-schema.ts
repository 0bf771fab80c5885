import * as v from "valibot";
import { carrierTime } from "../../time/carrier-time";

const text = v.nullish(v.string());
const name = v.pipe(v.string(), v.nonEmpty());
// An integer in webhooks, a string in the GET examples and in stock_notify: both are SwiftPOD's.
const id = v.union([v.pipe(v.number(), v.integer()), name]);

const shippedItems = v.array(
  v.looseObject({ order_item_id: v.union([v.string(), v.number()]), quantity: v.nullish(v.number()) }),
);

// Loose objects: SwiftPOD may add fields, and the raw body keeps them anyway.
export const swiftpodPayloadSchema = v.pipe(
  v.looseObject({
    event: v.looseObject({
      uuid: name,
      name,
      status: text,
      tracking: v.nullish(
        v.looseObject({
          tracking_number: text,
          tracking_status: text,
          carrier_code: text,
          tracking_url: text,
          shipped_items: v.nullish(shippedItems),
        }),
      ),
      // ISO 8601 with microseconds; kept to the millisecond.
      timestamp: carrierTime,
    }),
    // The order (order and shipment events) or the product (stock events), as the GET API returns it.
    data: v.looseObject({
      id: v.optional(id),
      order_id: v.optional(name),
      rejected_status: text,
      trackings: v.nullish(v.array(v.looseObject({ tracking_number: text, primary: v.nullish(v.boolean()) }))),
      sku: v.optional(name),
      status: text,
      stock: v.nullish(v.number()),
    }),
  }),
  v.forward(
    v.partialCheck(
      [
        ["event", "name"],
        ["event", "status"],
      ],
      (p) => p.event.name !== "order_notify" || !!p.event.status,
      "order_notify needs event.status",
    ),
    ["event", "status"],
  ),
  v.forward(
    v.partialCheck(
      [
        ["event", "name"],
        ["event", "tracking"],
      ],
      (p) => p.event.name !== "shipment_notify" || !!p.event.tracking?.tracking_number,
      "shipment_notify needs event.tracking.tracking_number",
    ),
    ["event", "tracking"],
  ),
  v.forward(
    v.partialCheck(
      [
        ["event", "name"],
        ["data", "order_id"],
      ],
      (p) => (p.event.name !== "order_notify" && p.event.name !== "shipment_notify") || p.data.order_id !== undefined,
      "order and shipment events need data.order_id",
    ),
    ["data", "order_id"],
  ),
  v.forward(
    v.partialCheck(
      [
        ["event", "name"],
        ["data", "sku"],
      ],
      (p) => p.event.name !== "stock_notify" || p.data.sku !== undefined,
      "stock_notify needs data.sku",
    ),
    ["data", "sku"],
  ),
  v.forward(
    v.partialCheck(
      [
        ["event", "name"],
        ["data", "status"],
      ],
      (p) => p.event.name !== "stock_notify" || !!p.data.status,
      "stock_notify needs data.status",
    ),
    ["data", "status"],
  ),
);

export type SwiftpodPayload = v.InferOutput<typeof swiftpodPayloadSchema>;
