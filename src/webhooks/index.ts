import { Hono } from "hono/tiny";
import type { AppEnv } from "../app-env";
import { findCarrier, REGISTRY } from "../carriers";
import { isPullSource } from "../carriers/pull-kit";
import { ApiError } from "../errors/api-error";
import { checkSender } from "./check-sender";
import { logDelivery } from "./log-delivery";
import { limitBody } from "./max-body-bytes";
import { receiveWebhook } from "./receive-webhook";

export const webhooks = new Hono<AppEnv>();

// A carrier that checks the URL with a GET before saving it (`answersProbe`, InPost's): answer 200
// from anywhere, reveal nothing.
for (const carrier of REGISTRY) {
  if (carrier.answersProbe) webhooks.on(["GET", "HEAD"], `/${carrier.name}`, (c) => c.json({ status: "ok" }));
}

webhooks.use("/:carrier", logDelivery);

// The sender checks that need no body come first: only then is the body read, within the limit.
webhooks.post("/:carrier", checkSender, limitBody, receiveWebhook);

webhooks.all("/:carrier", (c) => {
  const carrier = findCarrier(c.req.param("carrier"));
  throw new ApiError(carrier && !isPullSource(carrier) ? "method_not_allowed" : "not_found");
});
