import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { CRON_JOBS } from "../src/cron-jobs";
import { readDestinations, sealSecret, webhookSigner } from "../src/destinations";
import { rotateSecret } from "../src/destinations/db/rotate-secret";
import { runCronJobs } from "../src/scheduled";
import { callWith } from "./helpers/call-with";

// The DESTINATIONS_KEY rotation exactly as docs/destinations.md ("Rotating DESTINATIONS_KEY")
// tells an operator to do it, through the real API, /health and cron job, against the real local
// D1: no step may leave a destination without a key that signs. Each Worker's DESTINATIONS_KEY is
// replaced per request (callWith), as changing the Worker secret would.

const admin = { authorization: "Bearer test-admin-token-0123456789abcdef0123", "content-type": "application/json" };
const OLD = env.DESTINATIONS_KEY;
const NEW = "the-new-destinations-key-of-32-chars-or-more";
const BOTH = `${NEW},${OLD}`;

interface Health {
  config_problems: { name: string; message: string }[];
  config_warnings: { name: string; message: string }[];
}

function api(key: string, path: string, method: string, body?: unknown): Promise<Response> {
  return callWith(path, { DESTINATIONS_KEY: key } as Partial<Env>, {
    method,
    headers: admin,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function create(key: string, name: string): Promise<{ id: string; secret: string }> {
  const res = await api(key, "/api/destinations", "POST", { name, url: `https://${name}.example/hook` });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json();
}

async function rotate(key: string, id: string): Promise<string> {
  const res = await api(key, `/api/destinations/${id}/rotate-secret`, "POST");
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json<{ secret: string }>()).secret;
}

async function health(key: string): Promise<Health> {
  const res = await callWith("/health", { DESTINATIONS_KEY: key } as Partial<Env>);
  expect(res.status).toBe(200);
  return res.json<Health>();
}

/** What each Worker would sign with under this DESTINATIONS_KEY (a fresh env: nothing cached). */
async function loaded(key: string) {
  return readDestinations({ ...env, DESTINATIONS_KEY: key } as Env);
}

const names = (list: { name: string }[]) => list.map((p) => p.name);

/** Signs as the consumer does and checks a receiver holding `secret` verifies it. */
async function verifies(signingSecrets: string[], secret: string): Promise<boolean> {
  const signer = webhookSigner(signingSecrets);
  if (!("sign" in signer)) return false;
  const body = JSON.stringify({ id: "evt_rotation" });
  const headers = await signer.sign("evt_rotation", body, new Date());
  try {
    new Webhook(secret).verify(body, { ...headers });
    return true;
  } catch {
    return false;
  }
}

describe("DESTINATIONS_KEY rotation as documented", () => {
  it("set `new,old`, rotate a destination's secret, let the cron re-seal, drop the old key: every destination keeps every key it signs with", async () => {
    // Before: two destinations sealed under the old key.
    const rotated = await create(OLD, "rotated");
    const untouched = await create(OLD, "untouched");

    // 1. DESTINATIONS_KEY = new,old on both Workers. Everything still opens; /health names what is
    //    still sealed under the old value (so the operator knows not to drop it yet).
    const during = await health(BOTH);
    expect(names(during.config_problems)).not.toContain(`destination ${untouched.id}`);
    expect(names(during.config_warnings)).toEqual(
      expect.arrayContaining([`destination ${rotated.id}`, `destination ${untouched.id}`]),
    );

    // 2. A destination's signing secret rotated meanwhile: the new one and the replaced one both sign.
    const newSecret = await rotate(BOTH, rotated.id);
    const both = await loaded(BOTH);
    expect(both.destinations.find((d) => d.id === rotated.id)?.secrets).toEqual([newSecret, rotated.secret]);

    // 3. The cron runs (every minute): what is left under the old value is sealed under the new one.
    const reseal = CRON_JOBS.filter((j) => j.name === "reseal");
    expect(reseal).toHaveLength(1);
    await runCronJobs(reseal, { ...env, DESTINATIONS_KEY: BOTH } as Env, new Date(), async () => {});
    const after = await health(BOTH);
    expect(names(after.config_warnings)).not.toContain(`destination ${rotated.id}`);
    expect(names(after.config_warnings)).not.toContain(`destination ${untouched.id}`);

    // 4. The old value dropped: nothing is lost, nothing is named as a problem.
    const dropped = await loaded(NEW);
    expect(dropped.destinations.find((d) => d.id === rotated.id)?.secrets).toEqual([newSecret, rotated.secret]);
    expect(dropped.destinations.find((d) => d.id === untouched.id)?.secrets).toEqual([untouched.secret]);
    expect(dropped.problems.map((p) => p.id)).not.toContain(rotated.id);
    expect(dropped.problems.map((p) => p.id)).not.toContain(untouched.id);
    const signing = dropped.destinations.find((d) => d.id === rotated.id)?.secrets ?? [];
    // A receiver that has not switched yet, and one that has, both verify.
    expect(await verifies(signing, rotated.secret)).toBe(true);
    expect(await verifies(signing, newSecret)).toBe(true);
    expect(names((await health(NEW)).config_problems)).not.toContain(`destination ${untouched.id}`);

    // The API still rotates and creates under the new key alone.
    const third = await rotate(NEW, untouched.id);
    expect((await loaded(NEW)).destinations.find((d) => d.id === untouched.id)?.secrets).toEqual([
      third,
      untouched.secret,
    ]);
  });

  it("the cron does nothing while DESTINATIONS_KEY is one value", async () => {
    const d = await create(OLD, "single");
    const before = await env.DB.prepare("SELECT secret FROM destinations WHERE id = ?1").bind(d.id).first();
    await runCronJobs(
      CRON_JOBS.filter((j) => j.name === "reseal"),
      env,
      new Date(),
      async () => {},
    );
    expect(await env.DB.prepare("SELECT secret FROM destinations WHERE id = ?1").bind(d.id).first()).toEqual(before);
  });
});

describe("a destination whose secrets only partly open", () => {
  async function rowWith(secret: string | null, previous: string | null): Promise<string> {
    const id = `dst_partial${crypto.randomUUID().slice(0, 8)}`;
    const at = new Date().toISOString();
    const until = new Date(Date.now() + 3_600_000).toISOString();
    await env.DB.prepare(
      `INSERT INTO destinations (id, name, url, secret, previous_secret, previous_secret_until, created_at, updated_at)
       VALUES (?1, 'partial', 'https://partial.example', ?2, ?3, ?4, ?5, ?5)`,
    )
      .bind(id, secret, previous, until, at)
      .run();
    return id;
  }
  const current = "whsec_Y3VycmVudC1zZWNyZXQtb2YtdGhpcnR5LXR3by1ieXQ=";
  const previous = "whsec_cHJldmlvdXMtc2VjcmV0LW9mLXRoaXJ0eS10d28tYnk=";

  it("signs with what opens (current only, or previous only), never with nothing while one opens, and /health names it", async () => {
    // a: the previous secret as the previous release's rotation left it, copied under the old key;
    // b: the current one sealed under a value since dropped, the previous one under the new.
    const a = await rowWith(null, null);
    const sealedA = await sealSecret([NEW], a, current);
    const oldPreviousA = await sealSecret([OLD], a, previous);
    await env.DB.prepare("UPDATE destinations SET secret = ?2, previous_secret = ?3 WHERE id = ?1")
      .bind(a, sealedA, oldPreviousA)
      .run();
    const b = await rowWith(null, null);
    const oldCurrentB = await sealSecret([OLD], b, current);
    const previousB = await sealSecret([NEW], b, previous);
    await env.DB.prepare("UPDATE destinations SET secret = ?2, previous_secret = ?3 WHERE id = ?1")
      .bind(b, oldCurrentB, previousB)
      .run();

    const onlyNew = await loaded(NEW);
    expect(onlyNew.destinations.find((d) => d.id === a)?.secrets).toEqual([current]);
    expect(onlyNew.destinations.find((d) => d.id === b)?.secrets).toEqual([previous]);
    expect(onlyNew.problems).toEqual(
      expect.arrayContaining([
        { id: a, message: expect.stringContaining("previous signing secret does not decrypt") },
        { id: b, message: expect.stringContaining("signs with its previous secret only") },
      ]),
    );
  });
});

describe("rotateSecret", () => {
  it("writes only over the secret the caller read: a rotation in between wins and the caller reads again", async () => {
    const d = await create(OLD, "race");
    const read = (await env.DB.prepare("SELECT secret FROM destinations WHERE id = ?1").bind(d.id).first<{
      secret: string;
    }>()) as { secret: string };
    const change = (replaced: string) => ({
      replaced,
      sealedSecret: read.secret,
      sealedPrevious: null,
      previousUntil: new Date().toISOString(),
      at: new Date().toISOString(),
    });
    await rotate(OLD, d.id);
    expect(await rotateSecret(env.DB, d.id, change(read.secret))).toBe("changed");
    expect(await rotateSecret(env.DB, "dst_NONE", change(read.secret))).toBe("gone");
  });
});
