import { describe } from "vitest";
import { simulate } from "../../src/carriers/17track/simulate";
import { itSimulatesTruly } from "../helpers/simulator-answers";

describe("the 17TRACK simulator", () => {
  itSimulatesTruly("17track", simulate, { TRACK17_SECURITY_KEY: "sim-17track-key" });
});
