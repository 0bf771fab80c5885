/**
 * The stored form of an API key: hex SHA-256. A key is 32 random bytes (256 bits), so there is
 * nothing to guess and no dictionary to try: a slow password hash would add CPU to every cache
 * miss and no safety.
 */
export async function hashApiKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
