import { describe } from "vitest";
import { simulate } from "../../src/carriers/fedex/simulate";
import { itSimulatesTruly } from "../helpers/simulator-answers";

describe("the FedEx simulator", () => {
  itSimulatesTruly("fedex", simulate, { FEDEX_SECURITY_TOKEN: "sim-fedex-token" });
});
