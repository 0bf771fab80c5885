const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** `evt_` + a ULID: unique, and sorts by creation time so ids read in order in logs. */
export function newEventId(now = Date.now()): string {
  return `evt_${ulid(now)}`;
}

export function newQuarantineId(now = Date.now()): string {
  return `dlv_${ulid(now)}`;
}

/** A ULID: 48 bits of milliseconds, then 80 random bits, in Crockford's base32. */
export function ulid(now: number): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let rand = "";
  for (const b of bytes) rand += ALPHABET[b % 32];
  return time + rand;
}
