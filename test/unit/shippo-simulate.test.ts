import { describe } from "vitest";
import { simulate } from "../../src/carriers/shippo/simulate";
import { itSimulatesTruly } from "../helpers/simulator-answers";

describe("the Shippo simulator", () => {
  describe("with the URL token and the HMAC", () => {
    itSimulatesTruly("shippo", simulate, {
      SHIPPO_WEBHOOK_TOKEN: "sim-shippo-token",
      SHIPPO_HMAC_SECRET: "sim-shippo-hmac",
    });
  });
  describe("with the URL token only", () => {
    itSimulatesTruly("shippo", simulate, { SHIPPO_WEBHOOK_TOKEN: "sim-shippo-token" });
  });
});
