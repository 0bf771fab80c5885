import { describe, expect, it } from "vitest";
import { DEFAULTS, parseConfig } from "../../src/config";

describe("parseConfig", () => {
  it("gives every default when nothing is set, with forwarding and alerts off", () => {
    const c = parseConfig({});
    expect(c.forwardUrl).toBeNull();
    expect(c.alertUrl).toBeNull();
    expect(c.maxBodyBytes).toBe(DEFAULTS.MAX_BODY_BYTES);
    expect(c.retentionDays).toBe(90);
    expect(c.carrierSilenceHours).toBe(24);
    expect(c.storageBudgetBytes).toBe(10_000_000_000);
    expect(c.eventsQueueName).toBe("carrier-events");
    expect(c.deadLetterQueueName).toBe("carrier-events-dlq");
    expect(c.carriers.inpost.INPOST_ALLOWED_CIDRS).toBe("91.216.25.0/24");
    expect(c.carriers.postmen.POSTMEN_HMAC_SECRET).toEqual([]);
    expect(c.problems).toEqual([]);
  });

  it("treats a blank value as unset, not as a problem", () => {
    const c = parseConfig({ FORWARD_URL: "  ", RETENTION_DAYS: "" });
    expect(c.forwardUrl).toBeNull();
    expect(c.retentionDays).toBe(90);
    expect(c.problems).toEqual([]);
  });

  it("names every bad value, keeps its default, and never echoes a secret's value", () => {
    const c = parseConfig({
      MAX_BODY_BYTES: "512k",
      FORWARD_URL: "ftp://example.com/hook",
      RETENTION_DAYS: "0",
      FORWARD_SIGNING_SECRET: "not-a-whsec-value",
      EVENTS_QUEUE_NAME: "Carrier Events",
    });
    expect(c.maxBodyBytes).toBe(DEFAULTS.MAX_BODY_BYTES);
    expect(c.forwardUrl).toBeNull();
    expect(c.retentionDays).toBe(90);
    expect(c.signingSecret).toBeNull();
    expect(c.eventsQueueName).toBe("carrier-events");
    expect(c.problems.map((p) => p.name).sort()).toEqual([
      "EVENTS_QUEUE_NAME",
      "FORWARD_SIGNING_SECRET",
      "FORWARD_URL",
      "MAX_BODY_BYTES",
      "RETENTION_DAYS",
    ]);
    expect(JSON.stringify(c.problems)).not.toContain("not-a-whsec-value");
  });

  it("says what is wrong with a number or a URL", () => {
    const c = parseConfig({
      MAX_BODY_BYTES: "9007199254740993",
      RETENTION_DAYS: "0",
      FORWARD_URL: "shop.example/hooks",
      ALERT_URL: "ftp://shop.example/alerts",
      FORWARD_TIMEOUT_MS: "15 000",
    });
    expect(c.problems).toEqual([
      { name: "MAX_BODY_BYTES", message: "must be a whole number" },
      { name: "FORWARD_URL", message: "must be an absolute URL" },
      { name: "FORWARD_TIMEOUT_MS", message: "must be a whole number" },
      { name: "RETENTION_DAYS", message: "must be at least 1" },
      { name: "ALERT_URL", message: "must be an http or https URL" },
    ]);
  });

  it("parses good values into their types and splits secret lists", () => {
    const c = parseConfig({
      FORWARD_URL: " https://shop.example/hooks ",
      FORWARD_TIMEOUT_MS: "2500",
      STORAGE_BUDGET_BYTES: "5000000000",
      DEAD_LETTER_QUEUE_NAME: "staging-dlq",
      ADMIN_TOKEN: " a, b ,,c ",
    });
    expect(c.forwardUrl).toBe("https://shop.example/hooks");
    expect(c.timeoutMs).toBe(2500);
    expect(c.storageBudgetBytes).toBe(5_000_000_000);
    expect(c.deadLetterQueueName).toBe("staging-dlq");
    expect(c.secrets.ADMIN_TOKEN).toEqual(["a", "b", "c"]);
    expect(c.carriers.peddler.PEDDLER_WEBHOOK_TOKEN).toEqual([]);
  });

  it("parses each carrier's settings by the rule its folder declares, naming a refused one", () => {
    const c = parseConfig({
      INPOST_ALLOWED_CIDRS: "91.216.25.0/24, 10.0.0.1",
      SWIFTPOD_WEBHOOK_SECRET: " s-old , s-new ",
    });
    expect(c.carriers.inpost.INPOST_ALLOWED_CIDRS).toBe("91.216.25.0/24");
    expect(c.carriers.swiftpod.SWIFTPOD_WEBHOOK_SECRET).toEqual(["s-old", "s-new"]);
    expect(c.problems).toEqual([
      { name: "INPOST_ALLOWED_CIDRS", message: "must be a comma-separated list of CIDRs such as 91.216.25.0/24" },
    ]);
    expect(parseConfig({ INPOST_ALLOWED_CIDRS: " 10.0.0.0/8 " }).carriers.inpost.INPOST_ALLOWED_CIDRS).toBe(
      "10.0.0.0/8",
    );
  });

  it("keeps only DESTINATIONS_KEY values of 32 characters or more, and names the short ones' problem without them", () => {
    const long = "k".repeat(32);
    const c = parseConfig({ DESTINATIONS_KEY: `${long}, too-short ` });
    expect(c.secrets.DESTINATIONS_KEY).toEqual([long]);
    expect(c.problems).toEqual([{ name: "DESTINATIONS_KEY", message: expect.stringContaining("at least 32") }]);
    expect(JSON.stringify(c.problems)).not.toContain("too-short");
    expect(parseConfig({ DESTINATIONS_KEY: long }).problems).toEqual([]);
    expect(parseConfig({}).secrets.DESTINATIONS_KEY).toEqual([]);
  });
});
