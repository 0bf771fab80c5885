// The query parameters senders carry a receiver's secret in: `secret` (ours, e.g. SwiftPOD's
// URL) and `token` (the name some senders' docs give it, e.g. Shippo's `?token=`).
const URL_SECRETS = ["secret", "token"];

/** The request URL as it may be stored: a URL secret never reaches D1. */
export function stripSecret(url: URL): string {
  const copy = new URL(url);
  for (const name of URL_SECRETS) copy.searchParams.delete(name);
  return copy.toString();
}
