/** The request URL as it may be stored: the `secret` query parameter never reaches D1. */
export function stripSecret(url: URL): string {
  const copy = new URL(url);
  copy.searchParams.delete("secret");
  return copy.toString();
}
