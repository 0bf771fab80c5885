import { describe } from "vitest";
import { about } from "../../src/carriers/shipengine/about";
import { simulate } from "../../src/carriers/shipengine/simulate";
import { itSimulatesTruly } from "../helpers/simulator-answers";

describe("the ShipEngine simulator (against the pinned test JWKS of .dev.vars.example)", () => {
  itSimulatesTruly("shipengine", simulate, {
    SHIPENGINE_PUBLIC_KEYS: about.settings.SHIPENGINE_PUBLIC_KEYS.example as string,
  });
});
