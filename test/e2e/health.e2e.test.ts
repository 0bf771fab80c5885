import { afterAll, beforeAll, expect, it } from "vitest";
import { type Receiver, startReceiver } from "./start-receiver";

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver({ port: 8891 });
});
afterAll(async () => {
  await receiver?.stop();
});

it("wrangler dev serves /health with migrations applied and answers a Peddler delivery", async () => {
  const health = await fetch(`${receiver.url}/health`);
  expect(health.status).toBe(200);
  const res = await fetch(`${receiver.url}/webhooks/peddler`, {
    method: "POST",
    headers: { "x-webhook-shared-token": "test-peddler" },
    body: JSON.stringify({ id: "s1", status: "DELIVERED", code: 500, ts: "2024-09-02T13:08:06.574Z" }),
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ status: "accepted" });
});
