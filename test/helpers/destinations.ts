import { env } from "cloudflare:workers";
import { readConfig } from "../../src/config";
import { type Filter, sealSecret } from "../../src/destinations";

/** A signing secret for test destinations (whsec_ + base64 of 32 bytes). */
export const TEST_DESTINATION_SECRET = "whsec_dGVzdC1kZXN0aW5hdGlvbi1zaWduaW5nLWtleS0zMmI=";

/**
 * A destination created the way the operator API leaves it in D1 (its secret sealed with
 * DESTINATIONS_KEY, src/destinations/secret-box.ts), with a known secret the test's sink verifies
 * and an optional `paused` (the API creates destinations unpaused). Returns its no and id.
 */
export async function createDestination(
  name: string,
  url: string,
  opts: { filter?: Filter; paused?: boolean } = {},
): Promise<{ no: number; id: string }> {
  const id = `dst_${name}${crypto.randomUUID().slice(0, 8)}`;
  const at = new Date().toISOString();
  const row = await env.DB.prepare(
    `INSERT INTO destinations (id, name, url, filter, paused, secret, created_at, updated_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) RETURNING no`,
  )
    .bind(
      id,
      name,
      url,
      opts.filter ? JSON.stringify(opts.filter) : null,
      opts.paused ? 1 : 0,
      await sealSecret(readConfig(env).secrets.DESTINATIONS_KEY, id, TEST_DESTINATION_SECRET),
      at,
    )
    .first<{ no: number }>();
  return { no: row?.no as number, id };
}

/** Deletes every API destination (tests in a file share D1). */
export async function deleteAllDestinations(): Promise<void> {
  await env.DB.prepare("UPDATE destinations SET deleted_at = ?1 WHERE no <> 1 AND deleted_at IS NULL")
    .bind(new Date().toISOString())
    .run();
}
