/** A fresh signing secret: `whsec_` + base64 of 32 random bytes (the Standard Webhooks form). */
export function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}
